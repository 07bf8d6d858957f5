"""Benchmark: how long each chapter page of the built book takes to open from disk, as a ratio.

Each page is opened in a fresh browser context (nothing cached), offline, in Debian's Chromium
through Playwright.  It is open when its load event has ended and every explorer that loads as the
page opens has its controls (one more than a window's height further down waits for the reader, as
the lazy figures do), and, for a build of an older edition that typeset math in the browser, when
MathJax has typeset (pass its folder as the first argument to compare).  The time is the browser's
own, from the start of the navigation (the Navigation Timing entry, and the moment the last explorer
marked itself active), so Playwright's round trips, which every page pays alike and which would pull
every ratio towards 1, are not in it.  The pages are opened in turns, ``repeats`` rounds, and each
one's best time is divided by the best time of the bibliography in the same run: a page of the same
theme and scripts with no math, no figure and no explorer, so the ratio says what a chapter adds to
the cost every page pays, on any machine.  The goal is a ratio of at most 1.2 and at most 1.5 MB
fetched before a control moves.  Prints one line per page (best and median seconds, the ratio, what
it fetched) and as its last lines the largest ratio and the most fetched,
``max_ratio_to_bibliography=...``.  It also prints when each page first showed text or an image (the
browser's first contentful paint), and the largest ratio of those to the bibliography's: what a
reader waits for before the page shows anything.
Run after ``make book``: ``python benchmarks/bench_pages.py [html_dir]``.
"""

from __future__ import annotations

import statistics
import sys
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HTML = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "_build" / "html"
CHROMIUM = Path("/usr/bin/chromium")
REFERENCE = "book/bibliography"
GOAL_RATIO, GOAL_BYTES = 1.2, 1.5e6
#: Every explorer that started to load while the page opened (one near the window; those further down
#: wait for the reader) has its controls.
DONE = (
    "() => (!window.MathJax || (MathJax.startup && MathJax.startup.promise)) && "
    "Array.from(document.querySelectorAll('div.explorer-static')).every(d => d.dataset.active || !d.dataset.loading)"
)
#: Two frames: an explorer that is near the window when the page opens has started to load by then,
#: and the first contentful paint is recorded.
TWO_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def chapters() -> list[str]:
    """The chapter pages of the build, in order."""
    return sorted(f"chapters/{p.stem}" for p in (HTML / "chapters").glob("[0-9][0-9]_*.html"))


#: Runs in every page before its own scripts: notes when an explorer marks itself active.
WATCH_EXPLORERS = """new MutationObserver(() => { window.benchExplorersReady = performance.now(); })
    .observe(document, {subtree: true, attributes: true, attributeFilter: ['data-active']});"""

#: The page's own times in seconds from the start of its navigation: [opened, first contentful paint].
#: Opened is the end of the load event, or the last explorer's activation or MathJax's typesetting
#: when later (the MathJax promise is read only once the page has loaded, so at most a task late).
TIMES = """async () => {
    const load = performance.getEntriesByType('navigation')[0].loadEventEnd;
    const typeset = window.MathJax && MathJax.startup ? await MathJax.startup.promise.then(() => performance.now()) : 0;
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    return [Math.max(load, typeset, window.benchExplorersReady || 0) / 1000, paint ? paint.startTime / 1000 : NaN];
}"""


def open_once(browser, name: str) -> tuple[float, int, float]:
    """Seconds to open ``name`` in a fresh context until it is done, the bytes it fetched and the seconds
    to its first contentful paint, both by the page's clock from the start of the navigation."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    fetched: set[str] = set()
    page.on("request", lambda r: fetched.add(urllib.parse.unquote(urllib.parse.urlparse(r.url).path)))
    page.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:")) else route.abort()
    )
    page.add_init_script(WATCH_EXPLORERS)
    page.goto((HTML / f"{name}.html").as_uri(), wait_until="load")
    page.evaluate(TWO_FRAMES)
    page.wait_for_function(DONE, timeout=30_000)
    seconds, first_paint = page.evaluate(TIMES)
    context.close()
    return seconds, sum(Path(p).stat().st_size for p in fetched if Path(p).is_file()), first_paint


def main(repeats: int = 5) -> None:
    if not (HTML / "index.html").is_file() or not CHROMIUM.is_file():
        sys.exit("bench_pages: needs the built book (make book) and /usr/bin/chromium (make test installs it)")
    from playwright.sync_api import sync_playwright

    pages = [REFERENCE] + chapters()
    times: dict[str, list[float]] = {name: [] for name in pages}
    paint = {name: float("inf") for name in pages}
    size = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for _ in range(repeats):  # in turns, so that a busy moment slows every page alike
            for name in pages:
                seconds, size[name], first_paint = open_once(browser, name)
                times[name].append(seconds)
                paint[name] = min(paint[name], first_paint)
        browser.close()
    best = {name: min(times[name]) for name in pages}
    ratios = {name: best[name] / best[REFERENCE] for name in pages}
    for name in pages:
        print(
            f"{name:<40} best {best[name]:5.2f} s (median {statistics.median(times[name]):4.2f})   "
            f"ratio to {REFERENCE} {ratios[name]:4.2f}   "
            f"fetched {size[name] / 1e6:4.2f} MB   first paint {paint[name]:4.2f} s"
        )
    chapter_ratio = max(ratios[name] for name in pages[1:])
    chapter_bytes = max(size[name] for name in pages[1:])
    print(f"max_ratio_to_bibliography={chapter_ratio:.2f} (goal at most {GOAL_RATIO})")
    print(f"max_fetched_MB={chapter_bytes / 1e6:.2f} (goal at most {GOAL_BYTES / 1e6})")
    paint_ratio = max(paint[name] / paint[REFERENCE] for name in pages[1:])
    print(f"max_first_paint_ratio_to_bibliography={paint_ratio:.2f} (no goal: what a reader waits to see)")


if __name__ == "__main__":
    main()
