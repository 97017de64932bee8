"""Regenerate the README's picture of the SPARQL workbench (docs/sparql-editor.png) from a real server.

    python scripts/workbench_screenshot.py [--out docs/sparql-editor.png]

Starts `twitch-kg serve` on a free loopback port, opens the query page in Debian's headless
Chromium (/usr/bin/chromium, 1100 px wide) with the code editor as everyone gets it (on by default),
types a query with the keyboard up to a completion of the properties causes have, and saves the
editor with its completion list. Console errors and CSP violations stop the script.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import ConsoleMessage, FloatRect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from _server import running_server  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CSP_LISTENER = """window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective));"""
TYPED = "SELECT ?cause ?severity WHERE {\n?cause a tw:Ca"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "sparql-editor.png")
    args = parser.parse_args()
    errors: list[str] = []
    with running_server() as (url, _ready), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"], headless=True)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.add_init_script(CSP_LISTENER)

        def note_error(message: ConsoleMessage) -> None:
            if message.type == "error":
                errors.append(message.text)

        page.on("console", note_error)
        page.goto(url + "/sparql")
        if page.get_attribute("#editor-toggle", "aria-pressed") != "true":
            raise SystemExit("the code editor is not on by default")
        editor = page.locator("#query-editor")
        editor.focus()
        page.keyboard.press("Control+a")
        page.keyboard.press("Delete")
        page.keyboard.type(TYPED)
        page.locator(".cm-tooltip-autocomplete li").first.wait_for()
        page.wait_for_timeout(400)  # the list for the last letter typed
        page.keyboard.press("Enter")  # tw:Cause
        page.keyboard.type(" ; tw:has")
        page.locator(".cm-tooltip-autocomplete li").first.wait_for()
        page.wait_for_timeout(300)  # the completion's info panel
        errors += page.evaluate("window.__csp")
        if errors:
            raise SystemExit(f"console errors or CSP violations: {errors}")
        box = page.locator("form.sparql-query").bounding_box()
        assert box is not None
        args.out.parent.mkdir(parents=True, exist_ok=True)
        clip: FloatRect = {"x": 0, "y": box["y"] - 8, "width": 1100, "height": box["height"] + 16}
        page.screenshot(path=str(args.out), clip=clip)
        browser.close()
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
