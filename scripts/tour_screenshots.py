"""Regenerate the README tour's screenshots (docs/tour/*.png) from a real server on loopback.

    python -m pip install -e '.[docs]' && python scripts/tour_screenshots.py [--out docs/tour]

Starts `twitch-kg serve` on a free loopback port (building the graph first if needed), opens each
tour page in Debian's headless Chromium (/usr/bin/chromium, 1280 px wide, or 390 px for the phone
shots, full page), and writes
the PNGs reduced to a 256-colour palette (Pillow) so each stays small. Prints each file's size.
Pages whose HTTP status is not 200, console errors and CSP violations stop the script.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from urllib.parse import urlencode

from PIL import Image
from playwright.sync_api import ConsoleMessage, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from _server import running_server  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
WIDTH = 1280
PHONE = 390  # an iPhone 12-15's CSS width
MAX_BYTES = 400_000

TOUR_QUERY = """# What did the reasoner conclude calls for professional attention, and what does the article say each is?
SELECT ?entity ?assertedType WHERE {
  GRAPH <https://w3id.org/twitch-kg/graph/inferred> { ?entity a tw:RequiresProfessionalAttention }
  GRAPH <https://w3id.org/twitch-kg/graph/asserted> { ?entity a ?assertedType }
  FILTER(?assertedType != owl:NamedIndividual)
}
ORDER BY ?assertedType ?entity"""  # noqa: E501 (its first line is the query's comment as the tour shows it)

CHECK_ANSWER = "/check?" + urlencode({"feature": ["persistent-twitching", "with-weakness"],
                                      "trigger": "caffeine-and-stimulants"}, doseq=True)

#: (file name, path of the page[, viewport width]): the tour, in the order the README shows it.
#: (file name, path, viewport width).
TOUR: list[tuple[str, str, int]] = [
    ("home", "/", WIDTH),
    ("serious-cause", "/id/neurological-disorders", WIDTH),
    ("source", "/id/als-association", WIDTH),
    ("ontology", "/ontology", WIDTH),
    ("sparql", "/sparql?" + urlencode({"query": TOUR_QUERY}), WIDTH),
    ("saved-query", "/queries/causes-by-source?" + urlencode({"source": "tw:nhs"}), WIDTH),
    ("check", CHECK_ANSWER, WIDTH),
    ("downloads", "/downloads", WIDTH),
    ("phone-home", "/", PHONE),
    ("phone-check", CHECK_ANSWER, PHONE),
]


def small_png(png: bytes) -> bytes:
    """The picture with a 256-colour palette: text and flat colours survive, the file shrinks."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(out, format="PNG", optimize=True)
    return out.getvalue()


def shoot(base_url: str, out: Path) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        errors: list[str] = []

        def note_error(message: ConsoleMessage) -> None:
            if message.type == "error":
                errors.append(message.text)

        pages: dict[int, Page] = {}
        for name, path, width in TOUR:
            if width not in pages:
                pages[width] = browser.new_page(viewport={"width": width, "height": 844 if width == PHONE else 800},
                                                device_scale_factor=2 if width == PHONE else 1)
                pages[width].on("console", note_error)
            page = pages[width]
            response = page.goto(base_url + path)
            if response is None or response.status != 200 or errors:
                raise SystemExit(f"{path}: status {response and response.status}, console errors {errors}")
            target = out / f"{name}.png"
            target.write_bytes(small_png(page.screenshot(full_page=True)))
            size = target.stat().st_size
            print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}  {size / 1000:.0f} kB"
                  + ("  (over 400 kB)" if size > MAX_BYTES else ""))
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "tour", help="folder for the PNG files")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with running_server() as (url, _startup):
        shoot(url, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
