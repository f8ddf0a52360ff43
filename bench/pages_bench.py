"""The main public pages as a visitor's phone gets them: Lighthouse scores and bytes transferred.

The demo is seeded into a temporary folder and served by gunicorn + whitenoise with DEBUG
off and the production static storage (hashed names, compressed copies), see
``bench/demo_site.py``. Then, for the home page, a space, the proposals list, a proposal,
the consultation, the budget vote and a results page:

- Lighthouse (npm ``lighthouse``, pinned below, installed at the first run into
  ``~/.cache/civitas-bench/``, never into the repository: the platform never needs Node)
  runs against Debian's Chromium with its mobile settings (a mid-range phone on a slow 4G
  link, simulated), and gives the accessibility, best-practices, performance and SEO scores;
- Chromium (Playwright) loads each page in a fresh profile (first visit, cold cache) then
  opens it again (next visit, warm cache), and adds up the bytes that came over the network
  (headers included, compressed as sent), leaving out uploaded images (``/media/``) and
  other hosts (map tiles). The back-office dashboard, seen by the demo's admin, is weighed too.

Targets: accessibility 100, best practices ≥ 95, performance ≥ 90; heaviest first visit
< 300 kB, heaviest next visit < 60 kB. The table marks a missed target with ``✗``; the exit
code is 1 when one is missed. The report goes to ``bench/results/pages_bench.json``, with
every failed Lighthouse audit of each page; Lighthouse's own reports go to
``bench/results/lighthouse/<page>.json``. ``--skip-lighthouse`` weighs the pages only;
``--pages NAME …`` measures only those pages; ``--runs N`` runs Lighthouse N times per page
and keeps the run of median performance (Lighthouse's advice on a noisy machine: its
performance score follows the CPU left to it, reported as ``benchmark_index``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from demo_site import PAGE_NAMES, DemoSite
from loadkit import ROOT

RESULTS = ROOT / "bench" / "results"
LIGHTHOUSE_VERSION = "12.8.2"  # the last major that runs on Debian's Node 20
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "civitas-bench"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("accessibility", "best-practices", "performance", "seo")
SCORE_TARGETS = {"accessibility": 100, "best-practices": 95, "performance": 90}
FIRST_VISIT_TARGET_KB = 300
NEXT_VISIT_TARGET_KB = 60
LIGHTHOUSE_PAGES = tuple(name for name in PAGE_NAMES if name != "backoffice")


def lighthouse_command() -> list[str]:
    folder = CACHE / f"lighthouse-{LIGHTHOUSE_VERSION}"
    cli = folder / "node_modules" / "lighthouse" / "cli" / "index.js"
    if not cli.exists():
        print(f"Installing lighthouse {LIGHTHOUSE_VERSION} into {folder} …", file=sys.stderr)
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(folder),
                "--no-audit",
                "--no-fund",
                *("--loglevel", "error"),
                f"lighthouse@{LIGHTHOUSE_VERSION}",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return ["node", str(cli)]


def failed_audits(report: dict) -> dict[str, list[str]]:
    """Per category, the audits that cost points: their title and, briefly, what they point at."""
    found = {}
    for key, category in report["categories"].items():
        failing = []
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                shown = audit.get("displayValue", "")
                failing.append(f"{audit['id']} ({audit['score']:.2f}){': ' + shown if shown else ''}")
        if failing:
            found[key] = failing
    return found


def run_lighthouse(command: list[str], url: str, output: Path, attempts: int = 3) -> dict:
    """Lighthouse's scores and failed audits; a run that fails to record the page load (it
    happens on a busy machine: NO_NAVSTART, NO_FCP) is tried again."""
    chrome_flags = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-sync"
    for attempt in range(1, attempts + 1):
        run = subprocess.run(
            [
                *command,
                url,
                "--quiet",
                "--output=json",
                f"--output-path={output}",
                f"--only-categories={','.join(CATEGORIES)}",
                f"--chrome-flags={chrome_flags}",
            ],
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        report = json.loads(output.read_text(encoding="utf-8")) if run.returncode == 0 else {}
        if (
            report
            and not report.get("runtimeError")
            and all(report["categories"][k]["score"] is not None for k in CATEGORIES)
        ):
            return {
                "scores": {key: round(report["categories"][key]["score"] * 100) for key in CATEGORIES},
                "failed_audits": failed_audits(report),
                "attempts": attempt,
                # Lighthouse's measure of the CPU it had (a recent laptop scores 1,000 to 2,000).
                "benchmark_index": round(report["environment"]["benchmarkIndex"]),
            }
        print(
            f"  Lighthouse failed on {url} (attempt {attempt}): {run.stderr.strip()[-300:]}", file=sys.stderr
        )
    raise SystemExit(f"Lighthouse failed {attempts} times on {url}")


class Transfers:
    """Bytes that came over the network for one page load, as Chromium's network log counts them."""

    def __init__(self, context, page, origin: str):
        self.origin = origin
        self.session = context.new_cdp_session(page)
        self.session.send("Network.enable")
        self.urls: dict[str, str] = {}
        self.counted = 0
        self.left_out = 0
        self.requests: list[tuple[str, int]] = []
        self.session.on("Network.requestWillBeSent", self._sent)
        self.session.on("Network.loadingFinished", self._finished)
        self.session.on("Network.loadingFailed", lambda event: self.urls.pop(event["requestId"], None))

    def _sent(self, event):
        self.urls[event["requestId"]] = event["request"]["url"]

    def wait_for_pending(self, page, seconds: float = 5) -> None:
        """Chromium asks for the favicon after the page has loaded: its bytes belong to this visit."""
        for _ in range(int(seconds * 10)):
            if not self.urls:
                return
            page.wait_for_timeout(100)

    def _finished(self, event):
        url = self.urls.pop(event["requestId"], None)
        if url is None:
            return
        size = int(event["encodedDataLength"])
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self.origin or parts.path.startswith("/media/"):
            self.left_out += size
        else:
            self.counted += size
            self.requests.append((parts.path, size))

    def reset(self) -> None:
        self.counted, self.left_out, self.requests = 0, 0, []


def weigh(site: DemoSite, browser, name: str) -> dict:
    """First visit in a fresh profile, then the same page opened again (not reloaded)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    if name == "backoffice":
        context.add_cookies([site.admin_cookie()])
    page = context.new_page()
    transfers = Transfers(context, page, site.base)
    visits = {}
    for visit in ("first", "next"):
        transfers.reset()
        response = page.goto(site.url(name), wait_until="networkidle")
        if response is None or response.status != 200 or page.url != site.url(name):
            raise SystemExit(f"{site.url(name)} did not answer with its page ({page.url})")
        transfers.wait_for_pending(page)
        visits[visit] = {
            "bytes": transfers.counted,
            "left_out_bytes": transfers.left_out,
            "requests": sorted(transfers.requests, key=lambda item: -item[1]),
        }
        if visit == "first":
            page.goto("about:blank")
    context.close()
    return visits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-lighthouse", action="store_true")
    parser.add_argument(
        "--runs", type=int, default=1, help="Lighthouse runs per page; the run of median performance is kept"
    )
    parser.add_argument("--pages", nargs="+", choices=PAGE_NAMES, default=PAGE_NAMES, help="only these pages")
    options = parser.parse_args()
    command = None if options.skip_lighthouse else lighthouse_command()

    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT))
    from civitas.testing.browser import CHROMIUM_ARGS

    RESULTS.mkdir(parents=True, exist_ok=True)
    pages = {}
    with DemoSite() as site:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name in options.pages:
                weigh(site, browser, name)  # warms the server's caches, as a visited site has them
                pages[name] = {"path": site.pages[name], **weigh(site, browser, name)}
            browser.close()
        if command:
            (RESULTS / "lighthouse").mkdir(exist_ok=True)
            for name in (name for name in options.pages if name in LIGHTHOUSE_PAGES):
                print(f"Lighthouse: {name} …", file=sys.stderr)
                output = RESULTS / "lighthouse" / f"{name}.json"
                runs = sorted(
                    (run_lighthouse(command, site.url(name), output) for _ in range(options.runs)),
                    key=lambda run: run["scores"]["performance"],
                )
                pages[name]["lighthouse"] = {
                    **runs[len(runs) // 2],
                    "performance_of_each_run": [run["scores"]["performance"] for run in runs],
                }

    missed = print_table(pages)
    report = {
        "lighthouse_version": None if options.skip_lighthouse else LIGHTHOUSE_VERSION,
        "form_factor": "mobile (Lighthouse defaults: simulated slow 4G, 4× CPU slowdown)",
        "targets": {
            "scores": SCORE_TARGETS,
            "first_visit_kb": FIRST_VISIT_TARGET_KB,
            "next_visit_kb": NEXT_VISIT_TARGET_KB,
        },
        "pages": pages,
        "missed": missed,
    }
    path = RESULTS / "pages_bench.json"
    path.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nreport: {path.relative_to(ROOT)}")
    sys.exit(1 if missed else 0)


def print_table(pages: dict) -> list[str]:
    missed = []

    def mark(value, ok: bool, what: str) -> str:
        if not ok:
            missed.append(what)
        return f"{value}{'' if ok else ' ✗'}"

    header = f"{'page':<13} {'a11y':>6} {'b.p.':>6} {'perf':>6} {'SEO':>6} {'1st kB':>8} {'next kB':>8}"
    print(header)
    print("-" * len(header))
    for name, measured in pages.items():
        cells = []
        scores = measured.get("lighthouse", {}).get("scores", {})
        for key in CATEGORIES:
            if key not in scores:
                cells.append(f"{'–':>6}")
                continue
            target = SCORE_TARGETS.get(key, 0)
            cells.append(f"{mark(scores[key], scores[key] >= target, f'{name} {key}'):>6}")
        first = measured["first"]["bytes"] / 1000
        following = measured["next"]["bytes"] / 1000
        cells.append(f"{mark(f'{first:.1f}', first < FIRST_VISIT_TARGET_KB, f'{name} first visit'):>8}")
        cells.append(f"{mark(f'{following:.1f}', following < NEXT_VISIT_TARGET_KB, f'{name} next visit'):>8}")
        print(f"{name:<13} " + " ".join(cells))
    indexes = [
        measured["lighthouse"]["benchmark_index"] for measured in pages.values() if "lighthouse" in measured
    ]
    if indexes:
        print(
            f"Lighthouse's CPU benchmark index: {min(indexes)}–{max(indexes)} (a recent laptop: 1,000–2,000)"
        )
    for name, measured in pages.items():
        for category, audits in measured.get("lighthouse", {}).get("failed_audits", {}).items():
            print(f"  {name} {category}: " + "; ".join(audits))
    return missed


if __name__ == "__main__":
    main()
