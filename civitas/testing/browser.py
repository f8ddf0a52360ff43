"""Drive Debian's Chromium through Playwright, and check pages with axe-core."""

import json
import shutil
from pathlib import Path

import axe_playwright_python

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # Tenants live on their own host names; send them all to the live server.
    "--host-resolver-rules=MAP * 127.0.0.1",
]
AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def accessibility_violations(
    page, impacts: tuple[str, ...] | None = ("serious", "critical"), rules: tuple[str, ...] | None = None
) -> list[dict]:
    """WCAG 2.1 A/AA violations axe-core finds on the page: serious and critical ones by
    default, those of the given impacts, or every one with ``impacts=None``; only the given
    axe ``rules`` when there are some."""
    page.evaluate(AXE_SOURCE)
    if rules:
        run_only = f"{{type: 'rule', values: {json.dumps(list(rules))}}}"
    else:
        run_only = "{type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}"
    result = page.evaluate(f"async () => await axe.run(document, {{runOnly: {run_only}}})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if impacts is None or v["impact"] in impacts
    ]


def assert_accessible(page) -> None:
    """No serious or critical violation (the bar every page's test holds)."""
    violations = accessibility_violations(page)
    assert not violations, f"{page.url}: " + json.dumps(violations, indent=1)


def assert_no_accessibility_violation(page) -> None:
    """No violation at all, minor and moderate included (the shared pages' bar)."""
    violations = accessibility_violations(page, impacts=None)
    assert not violations, f"{page.url}: " + json.dumps(violations, indent=1)


# The receipt code's line boxes, and where it ends: a code broken across lines or cut off by
# the screen's edge is a code copied wrong.
_RECEIPT_CODE_BOXES = """() => {
  const code = document.getElementById("receipt-code");
  const text = document.createRange();
  text.selectNodeContents(code);
  return {lines: text.getClientRects().length, right: code.getBoundingClientRect().right};
}"""


def assert_receipt_code_readable(page) -> str:
    """The receipt code on the page, once it is checked to read on one line inside the
    screen at the page's width and on the narrowest phone (320 px).

    Returns the code as a voter would copy it."""
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    for shown_width in sorted({width, 320}, reverse=True):
        page.set_viewport_size({"width": shown_width, "height": height})
        boxes = page.evaluate(_RECEIPT_CODE_BOXES)
        assert boxes["lines"] == 1 and boxes["right"] <= shown_width, (shown_width, boxes)
    page.set_viewport_size({"width": width, "height": height})
    return page.locator("#receipt-code").inner_text().strip()


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def fill_rich_text(page, label: str, html: str) -> None:
    """Put ``html`` into the rich-text editor labelled ``label`` as if typed and formatted.

    The editor (Trix) replaces the textarea and takes its id, so the label names it; Trix
    itself cleans what it loads, the way it cleans a paste, and the server sanitizes again.
    """
    # Only a trix-editor: right after a click the previous page may still be shown, and a
    # field of it with the same label would be taken (then wait for ever on a detached node).
    editor = page.locator("trix-editor").and_(page.get_by_label(label, exact=True))
    editor.wait_for(timeout=30_000)
    # The element is there before Trix has attached its editor to it, which takes seconds
    # on a loaded machine (the editor's script is loaded after the page).
    page.wait_for_function(
        "(element) => Boolean(element.editor)", arg=editor.element_handle(), timeout=30_000
    )
    editor.evaluate("(element, html) => element.editor.loadHTML(html)", html)
