"""Take the README's screenshots of the demo: the main pages on a phone and on a desktop.

Usage: ``.venv/bin/python scripts/screenshots.py`` (about two minutes). It seeds the demo
into a temporary folder and serves it with gunicorn (``bench/demo_site.py``), opens each
page in Debian's Chromium at 390 px (a phone) and 1366 px (a laptop), in French, and writes
``docs/screenshots/<page>-<width>.png``: what the screen shows first (a results page:
from its results on), reduced to a 64-colour palette so that the whole set stays small (a few hundred kB).
The back-office dashboard is seen by the demo's organization admin; the rest by a visitor.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from demo_site import PAGE_NAMES, DemoSite  # noqa: E402
from PIL import Image  # noqa: E402

from civitas.testing.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

OUTPUT = ROOT / "docs" / "screenshots"
# Phone: an iPhone 12-14 screen in CSS pixels. Desktop: the most common laptop screen,
# less the browser's bars.
VIEWPORTS = {390: {"width": 390, "height": 844}, 1366: {"width": 1366, "height": 768}}
COLOURS = 64
# Pages whose interesting part lies below the fold: scrolled to it first, when it is there.
SCROLL_TO = {"results": "#results-title"}


def small_png(raw: bytes) -> bytes:
    """The screenshot reduced to a palette, which keeps text sharp at a fraction of the size."""
    image = Image.open(io.BytesIO(raw)).convert("RGB")
    reduced = image.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    reduced.save(out, format="PNG", optimize=True)
    return out.getvalue()


def take(site: DemoSite, browser, output: Path) -> list[Path]:
    written = []
    for width, viewport in VIEWPORTS.items():
        for name in PAGE_NAMES:
            context = browser.new_context(viewport=viewport, locale="fr-FR", device_scale_factor=1)
            if name == "backoffice":
                context.add_cookies([site.admin_cookie()])
            page = context.new_page()
            response = page.goto(site.url(name), wait_until="networkidle")
            if response is None or response.status != 200 or "/accounts/login/" in page.url:
                raise SystemExit(f"{site.url(name)} did not answer with its page ({page.url})")
            if name in SCROLL_TO:
                page.evaluate(
                    "selector => document.querySelector(selector)?.scrollIntoView()", SCROLL_TO[name]
                )
            path = output / f"{name}-{width}.png"
            path.write_bytes(small_png(page.screenshot()))
            written.append(path)
            context.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    options = parser.parse_args()
    options.output.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    with DemoSite() as site, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        written = take(site, browser, options.output)
        browser.close()
    total = 0
    for path in written:
        size = path.stat().st_size
        total += size
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  {size / 1024:6.1f} kB")
    print(f"{len(written)} screenshots, {total / 1024:.0f} kB in all")


if __name__ == "__main__":
    main()
