"""The schema.org JSON-LD a page embeds, in headless Chromium: the page's CSP (script-src 'self', no inline
script) does not block or report it (a data block is never run), and the browser reads it as JSON."""

from __future__ import annotations

import pytest

READ = """() => [...document.querySelectorAll('script[type="application/ld+json"]')]
  .map(s => JSON.parse(s.textContent)['@type'])"""


@pytest.mark.parametrize("path,types", [("/", ["Dataset"]), ("/downloads", ["Dataset"]),
                                        ("/id/als", ["MedicalCondition"])])
def test_embedded_json_ld_is_no_csp_violation(page, live_server, path, types):
    violations, console = [], []
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    page.expose_function("reportViolation", lambda text: violations.append(text))
    page.add_init_script("document.addEventListener('securitypolicyviolation', "
                         "e => window.reportViolation(e.violatedDirective + ' ' + e.blockedURI))")
    response = page.goto(live_server.url + path)
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert page.evaluate(READ) == types
    page.wait_for_load_state("load")
    assert violations == [] and console == []
