"""Browser tests of the built HTML book (``_build/html``), offline.

Every page listed in ``_toc.yml`` is opened in Debian's Chromium, driven by
Playwright, with every request to anything but ``file://`` aborted.  Each page
must then render completely: no required script, style sheet, image or font
lost, math typeset when the book was built (KaTeX's HTML with a MathML copy, and no typesetting
script in the page), no error output or
Python traceback, every image loaded; each chapter page shows at least as many
figures as its notebook stores; the claims ledger has a verdict in every row.  Every explorer on
a chapter page has controls that move its figure offline: each control goes to two other
positions, and the figure shown is the precomputed frame of exactly those values; a diverging
setting shows the live explorer's message; opening a chapter page fetches no explorer frame, no
manifest of an explorer far below (it loads as the reader nears it, or at once when the address
names it) and at most 8 MB (how long it takes is measured by benchmarks/bench_pages.py).

The book is built by ``make book`` (``make test`` builds it first when
``_build/html`` is missing).  These tests skip, saying why, when the book has
not been built or when Chromium or Playwright are missing; they never download
a browser.
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse
from pathlib import Path

import pytest

from vanishing.claims.verdicts import OUTCOMES

ROOT = Path(__file__).resolve().parents[1]
#: The build and the toc to test; override to test a private build (e.g. one made with --toc/--path-output).
HTML = Path(os.environ.get("BOOK_HTML", ROOT / "_build" / "html"))
TOC = Path(os.environ.get("BOOK_TOC", ROOT / "_toc.yml"))
CHROMIUM = Path("/usr/bin/chromium")
VERDICTS = set(OUTCOMES)  # "holds", "holds with nuance", "does not hold", "undecided"
#: Resource types a page needs to render; a blocked or failed one of these is a test failure.
REQUIRED_TYPES = {"document", "script", "stylesheet", "image", "font", "media", "fetch", "xhr"}

if not (HTML / "index.html").is_file():
    pytest.skip(
        "browser tests skipped: the book is not built (_build/html/index.html is missing); "
        "run `make book` (or `make test`, which builds it first)",
        allow_module_level=True,
    )
if not CHROMIUM.is_file():
    pytest.skip(
        "browser tests skipped: /usr/bin/chromium is missing; `make test` installs it (apt-get install -y chromium)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests skipped: playwright is not installed")


# --------------------------------------------------------------------------- the table of contents


def toc_files(toc: dict) -> list[str]:
    """Every ``file:`` entry of a jb-book ``_toc.yml`` (root first), without suffix."""
    files = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))
            for part in entry.get("parts", []) or []:
                walk(part.get("chapters"))

    walk(toc.get("chapters"))
    for part in toc.get("parts", []) or []:
        walk(part.get("chapters"))
    return [re.sub(r"\.(md|ipynb)$", "", f) for f in files]


def load_toc() -> list[str]:
    import yaml

    return toc_files(yaml.safe_load(TOC.read_text()))


PAGES = load_toc()
CHAPTERS = [p for p in PAGES if p.startswith("chapters/")]


def test_toc_parser_reads_nested_entries():
    toc = {
        "root": "book/intro",
        "chapters": [{"file": "a.ipynb", "sections": [{"file": "b"}]}],
        "parts": [{"chapters": [{"file": "c.md"}]}],
    }
    assert toc_files(toc) == ["book/intro", "a", "b", "c"]


# --------------------------------------------------------------------------- what a notebook stores

GLUE_REF = re.compile(r"\{glue(?::any)?\}`?\s*([A-Za-z0-9_.-]+)")
GLUE_FIGURE = re.compile(r"\{glue:figure\}\s*([A-Za-z0-9_.-]+)")


def _has_tag(cell: dict, *tags: str) -> bool:
    return bool(set(cell.get("metadata", {}).get("tags", [])) & set(tags))


def expected_figures(notebook: Path) -> int:
    """Figures the page of ``notebook`` must show.

    Image outputs shown as they are (not glued with ``display=False``, not in a cell whose
    output is removed), plus one per ``{glue:figure}`` directive, plus one per other markdown
    reference to a glued image (``{glue} key``, ``{glue}`key```).
    """
    nb = json.loads(notebook.read_text())
    shown, glued_images = 0, set()
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if not any(k.startswith("image/") for k in data):
                continue
            scrap = out.get("metadata", {}).get("scrapbook")
            if scrap:
                glued_images.add(scrap.get("name"))
            elif not _has_tag(cell, "remove-output", "remove-cell"):
                shown += 1
    refs = 0
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"])
            refs += len(GLUE_FIGURE.findall(text))
            refs += sum(1 for key in GLUE_REF.findall(text) if key in glued_images)
    return shown + refs


def widget_outputs(notebook: Path) -> int:
    """Explorer outputs: widget views whose text/plain is the 'how to run it live' hint.

    (Other widget views, such as tqdm progress bars, show their own text/plain.)
    """
    nb = json.loads(notebook.read_text())
    return sum(
        1
        for cell in nb["cells"]
        if cell["cell_type"] == "code" and not _has_tag(cell, "remove-output", "remove-cell")
        for out in cell.get("outputs", [])
        if "application/vnd.jupyter.widget-view+json" in out.get("data", {})
        and "".join(out["data"].get("text/plain", "")).startswith("Interactive controls:")
    )


def test_expected_figures_counts_plain_and_glued_images(tmp_path):
    png = {"image/png": "iVBOR", "text/plain": "<Figure>"}
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "metadata": {},
                "outputs": [{"output_type": "display_data", "data": png, "metadata": {}}],
            },
            {
                "cell_type": "code",
                "metadata": {},
                "outputs": [{"output_type": "display_data", "data": png, "metadata": {"scrapbook": {"name": "fig_a"}}}],
            },
            {
                "cell_type": "code",
                "metadata": {"tags": ["remove-output"]},
                "outputs": [{"output_type": "display_data", "data": png, "metadata": {}}],
            },
            {"cell_type": "markdown", "metadata": {}, "source": ["```{glue:figure} fig_a\n", ":name: f\n", "```\n"]},
            {"cell_type": "markdown", "metadata": {}, "source": ["{glue:text}`fig_b`"]},
        ]
    }
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(nb))
    assert expected_figures(path) == 2


# --------------------------------------------------------------------------- the browser


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


EXPLORERS_ON_PAGE = "Array.from(document.querySelectorAll('div.explorer-static'))"
ALL_ACTIVE = f"() => {EXPLORERS_ON_PAGE}.every(d => d.dataset.active)"
#: Every explorer that has started to load its manifest has its controls.
SETTLED = f"() => {EXPLORERS_ON_PAGE}.every(d => d.dataset.active || !d.dataset.loading)"
#: The explorers that have started to load their manifest.
LOADING = f"() => {EXPLORERS_ON_PAGE}.filter(d => d.dataset.loading).map(d => d.dataset.explorer)"
#: How many windows below the top of the page each explorer's output starts.
EXPLORER_DEPTH = f"""() => Object.fromEntries({EXPLORERS_ON_PAGE}.map(d =>
    [d.dataset.explorer, ((d.closest('.cell_output') || d).getBoundingClientRect().top + scrollY) / innerHeight]))"""


def bring_in_explorers(page) -> None:
    """Scroll to each explorer of the page, as a reader would, until it has its controls; then back to the top."""
    for i in range(page.locator("div.explorer-static").count()):
        marker = page.locator("div.explorer-static").nth(i)
        marker.scroll_into_view_if_needed()
        page.wait_for_function("d => d.dataset.active", arg=marker.element_handle(), timeout=10_000)
    page.evaluate("() => window.scrollTo(0, 0)")


class Visit:
    """A page opened offline: what was blocked, what failed, what JavaScript threw."""

    def __init__(self, browser, page_name: str, suffix: str = "", width: int = 1200):
        """Open ``page_name`` (its address followed by ``suffix``: a query or a #fragment), ``width`` px wide."""
        self.path = HTML / f"{page_name}.html"
        assert self.path.is_file(), f"{page_name}: no HTML page at {self.path}"
        self.page = browser.new_page(viewport={"width": width, "height": 900})
        self.blocked: list[tuple[str, str]] = []
        self.failed: list[tuple[str, str]] = []
        self.js_errors: list[str] = []
        #: What the page logged with console.error (the theme's complaints, failed loads), in order.
        self.console_errors: list[str] = []
        self.fetched: set[str] = set()
        self.page.on(
            "request",
            lambda r: (
                self.fetched.add(urllib.parse.unquote(urllib.parse.urlparse(r.url).path))
                if r.url.startswith("file://")
                else None
            ),
        )
        self.page.route("**/*", self._route)
        self.page.on("requestfailed", self._failed)
        self.page.on("pageerror", self._js_error)
        self.page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        self.page.goto(self.path.as_uri() + suffix, wait_until="load")
        self.page.wait_for_function(
            "() => Array.from(document.images).every(i => i.complete || i.loading === 'lazy')", timeout=20_000
        )
        #: The files the page fetched to open, before any test moves a control or scrolls.
        self.opening = frozenset(self.fetched)
        #: The figures that wait for the reader to scroll to them; the tests then load them all.
        self.lazy = self.page.evaluate("() => document.querySelectorAll('article img[loading=lazy]').length")
        self.eager = self.page.evaluate(
            "() => Array.from(document.querySelectorAll('article img:not([loading=lazy])'))"
            ".filter(i => !i.closest('.explorer-static')).map(i => i.getAttribute('src'))"
        )
        self.page.evaluate(
            "() => document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })"
        )
        self.page.wait_for_function("() => Array.from(document.images).every(i => i.complete)", timeout=20_000)
        #: The explorers that loaded their manifest while the page opened: those an address names or that
        #: start near the window (the others wait for the reader, as lazy figures do).
        self.loaded_at_opening = self.page.evaluate(LOADING)
        self.explorer_depth = self.page.evaluate(EXPLORER_DEPTH)
        bring_in_explorers(self.page)
        #: What the page logged as errors while it opened, before any test ran a tool in it (axe-core
        #: logs its refused requests for style sheets).
        self.opening_errors = tuple(self.js_errors + self.console_errors)

    def _route(self, route):
        url = route.request.url
        if url.startswith("file://") or url.startswith("data:") or url.startswith("blob:"):
            route.continue_()
        else:
            self.blocked.append((route.request.resource_type, url))
            route.abort()

    def _js_error(self, exc):
        self.js_errors.append(str(exc))

    def _failed(self, request):
        if request.url.startswith("file://"):
            self.failed.append((request.resource_type, request.url))

    def close(self):
        self.page.close()


@pytest.fixture(scope="module")
def visits(browser):
    opened = {name: Visit(browser, name) for name in PAGES}
    yield opened
    for v in opened.values():
        v.close()


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_offline(visits, name):
    v = visits[name]
    needed = [(t, u) for t, u in v.blocked if t in REQUIRED_TYPES]
    assert not needed, f"{name}: needs the network for {needed}"
    assert not v.failed, f"{name}: local files missing: {v.failed}"
    assert not v.js_errors, f"{name}: JavaScript errors: {v.js_errors}"
    assert v.page.locator("article h1").count() >= 1, f"{name}: no title"


@pytest.mark.parametrize("name", PAGES)
def test_all_images_load(visits, name):
    broken = visits[name].page.evaluate(
        "() => Array.from(document.querySelectorAll('article img'))"
        ".filter(i => !(i.naturalWidth > 0)).map(i => i.getAttribute('src'))"
    )
    assert not broken, f"{name}: images that did not load: {broken}"


#: Scripts that typeset math in the reader's browser; the book's math is typeset when it is built.
TYPESETTERS = re.compile(r"mathjax|katex|mathml|tex-(chtml|svg)", re.I)


@pytest.mark.parametrize("name", PAGES)
def test_math_is_typeset_when_built(visits, name):
    """Every formula arrives as KaTeX's finished HTML with a MathML copy (which screen readers
    read); no page loads a typesetting script, and no raw TeX is left in the text."""
    page = visits[name].page
    scripts = page.evaluate("() => Array.from(document.scripts).map(s => s.src).filter(Boolean)")
    assert not [s for s in scripts if TYPESETTERS.search(s)], f"{name}: loads a typesetting script: {scripts}"
    assert page.evaluate("() => !window.MathJax && !window.katex"), f"{name}: a typesetting library is loaded"
    untypeset = page.evaluate(
        "() => Array.from(document.querySelectorAll('article .math'))"
        ".filter(m => !m.querySelector('.katex .katex-html') || !m.querySelector('.katex-mathml math annotation'))"
        ".map(m => m.textContent.slice(0, 60))"
    )
    assert not untypeset, f"{name}: math without KaTeX's HTML and MathML: {untypeset}"
    if name in CHAPTERS:
        assert page.locator("article .katex").count() > 0, f"{name}: a chapter without typeset math"
    raw = page.evaluate(
        "() => { const c = document.querySelector('article').cloneNode(true);"
        " c.querySelectorAll('pre, code, script, style, .katex').forEach(e => e.remove());"
        " return c.innerText; }"
    )
    assert "$$" not in raw, f"{name}: raw $$ left in the text"
    assert not re.search(r"(?<![\w\\])\$[^$\s][^$]*\\[A-Za-z]+[^$]*\$", raw), f"{name}: raw $...$ math left in the text"
    assert not re.search(r"\\(frac|sigma|mathrm|partial|eta)\b", raw), f"{name}: raw TeX left in the text"


@pytest.mark.parametrize("name", CHAPTERS)
def test_equation_references_reach_numbered_equations(visits, name):
    """Every {eq} reference reads "(c.k)" and leads to the displayed equation carrying that number."""
    refs = visits[name].page.evaluate("""() => Array.from(
        document.querySelectorAll('article a[href^="#equation-"]:not(.headerlink)'))
        .map(a => { const t = document.getElementById(a.getAttribute('href').slice(1));
                    const n = t && t.querySelector('.eqno');
                    return [a.textContent.trim(), n ? n.textContent.replace(/[^0-9.()]/g, '') : null]; })""")
    bad = [(text, number) for text, number in refs if number is None or text != number]
    assert not bad, f"{name}: equation references that do not match their equation's number: {bad[:5]}"


@pytest.mark.parametrize("name", PAGES)
def test_pages_load_no_icon_script_and_figures_lazily(visits, name):
    """The theme's 1.5 MB icon script is gone (its style sheet draws the icons with Font Awesome's
    web font), and every figure of the text waits until the reader scrolls near it."""
    v = visits[name]
    assert not [p for p in v.opening if p.endswith("/fontawesome.js")], f"{name}: loads fontawesome.js"
    icons = v.page.evaluate(
        "() => Array.from(document.querySelectorAll('.theme-switch-button i, .search-button i'))"
        ".map(i => getComputedStyle(i, '::before').content)"
    )
    assert icons and all(c not in ("none", "normal", '""') for c in icons), f"{name}: icons not drawn: {icons}"
    if name in CHAPTERS:
        assert v.lazy > 0, f"{name}: no figure is loaded lazily"
    assert not v.eager, f"{name}: figures fetched at once: {v.eager}"


def test_katex_fonts_are_in_the_build():
    """The style sheet the pages link names only fonts that the build ships."""
    css = (HTML / "_static" / "katex" / "katex.min.css").read_text()
    fonts = set(re.findall(r"url\((fonts/[^)]+)\)", css))
    assert fonts, "katex.min.css names no font"
    missing = sorted(f for f in fonts if not (HTML / "_static" / "katex" / f).is_file())
    assert not missing, f"fonts named by katex.min.css but missing from the build: {missing}"


@pytest.mark.parametrize("name", PAGES)
def test_no_error_output_or_traceback(visits, name):
    page = visits[name].page
    errors = page.locator("article .output.error, article .output.traceback, article .output.stderr").count()
    assert errors == 0, f"{name}: {errors} error/stderr outputs"
    text = page.inner_text("article")
    assert "Traceback" not in text, f"{name}: a Python traceback on the page"


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_shows_its_figures(visits, name):
    notebook = ROOT / f"{name}.ipynb"
    assert notebook.is_file(), f"{name}: the toc lists it but {notebook} is missing"
    expected = expected_figures(notebook)
    page = visits[name].page
    loaded = page.evaluate(
        "() => Array.from(document.querySelectorAll('article img')).filter(i => i.naturalWidth > 0).length"
    )
    assert loaded >= expected, f"{name}: {loaded} figures shown, the notebook stores {expected}"
    assert expected >= 1, f"{name}: a chapter with no figure"


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_controls_say_how_to_run_live(visits, name):
    page = visits[name].page
    hints = page.locator("article p.live-hint").count()
    stored = widget_outputs(ROOT / f"{name}.ipynb")
    assert hints >= stored, f"{name}: {hints} run-it-live hints for {stored} explorers in the notebook"
    raw = page.evaluate(
        "() => Array.from(document.querySelectorAll('article pre'))"
        ".filter(p => p.textContent.trim().startsWith('Interactive controls:')).length"
    )
    assert raw == 0, f"{name}: {raw} hints left as code blocks (book/_static/book.js did not run)"
    assert page.locator("script[type='application/vnd.jupyter.widget-view+json']").count() == 0


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_offers_its_notebook_for_download(visits, name):
    href = visits[name].page.evaluate(
        "() => { const a = document.querySelector('a[href$=\".ipynb\"]'); return a && a.getAttribute('href'); }"
    )
    assert href, f"{name}: no download link for the notebook"
    assert (visits[name].path.parent / href).resolve().is_file(), f"{name}: {href} is not in the build"


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_exercises_with_solutions_hidden_until_clicked(visits, name):
    page = visits[name].page
    exercises = page.locator("article div.exercise").count()
    solutions = page.locator("article div.solution")
    assert exercises >= 3, f"{name}: {exercises} exercises (at least 3 expected)"
    assert solutions.count() >= 3, f"{name}: {solutions.count()} solutions (at least 3 expected)"
    for i in range(solutions.count()):
        sol = solutions.nth(i)
        body = sol.locator(":scope > :not(.admonition-title)").first
        assert body.count() and not body.is_visible(), f"{name}: solution {i + 1} is visible before a click"
    first = solutions.first
    first.locator("button.toggle-button").first.click()
    body = first.locator(":scope > :not(.admonition-title)").first
    body.wait_for(state="visible", timeout=5_000)
    first.locator("button.toggle-button").first.click()  # leave the page as it was


def test_claims_ledger_has_a_verdict_in_every_row(visits):
    name = "book/claims"
    if name not in visits:
        pytest.skip("book/claims is not in _toc.yml")
    if not CHAPTERS:
        pytest.skip("no chapter in _toc.yml yet, so the ledger has no rows")
    page = visits[name].page
    rows = page.evaluate(
        """() => Array.from(document.querySelectorAll('article table')).filter(t =>
              Array.from(t.querySelectorAll('thead th')).some(th => th.innerText.trim().toLowerCase() === 'verdict'))
            .flatMap(t => {
              const heads = Array.from(t.querySelectorAll('thead th')).map(th => th.innerText.trim().toLowerCase());
              const v = heads.indexOf('verdict'), c = heads.indexOf('computed');
              return Array.from(t.querySelectorAll('tbody tr')).map(tr => {
                const cells = Array.from(tr.querySelectorAll('td'));
                return {verdict: cells[v] ? cells[v].innerText.trim() : '',
                        value: c >= 0 && cells[c] ? cells[c].innerText.trim() : 'n/a',
                        claim: cells[0] ? cells[0].innerText.trim().slice(0, 60) : ''};
              });
            })"""
    )
    assert rows, "the claims ledger has no table with a Verdict column"
    bad = [r for r in rows if r["verdict"] not in VERDICTS or not r["value"]]
    assert not bad, f"ledger rows without a value or a valid verdict: {bad}"


# --------------------------------------------------------------------------- readers: a11y, phones, sources

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
#: A source file's name, or a source called by its file number, in anything a reader sees.
SOURCE_FILE = re.compile(r"seed\s*`?0{2}[0-2]`?|\b0{2}[0-2]_[0-9a-f]{16}\.txt\b|\bSource [ABC]\b", re.I)


def set_mode(page, mode: str) -> None:
    """Switch the theme (pydata-sphinx-theme reads data-theme/data-mode on <html>)."""
    page.evaluate(
        "m => { document.documentElement.dataset.theme = m; document.documentElement.dataset.mode = m; }", mode
    )
    # The theme fades colours between modes: let the transition finish before anything measures contrast.
    page.wait_for_timeout(400)


#: Wait for two frames: what a layout, a scroll or an observer changed has been drawn.
TWO_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def laid_out_once(page) -> None:
    """Lay out every section of the page once, so that each keeps its height when off screen again.

    A section off screen is not laid out (book.css: content-visibility) and holds a place of its last
    height, or a guess before it was first shown. axe-core's contrast check scrolls to each text it
    measures and finds its background by what lies under it: sections laid out on the way change
    height, the text moves, and the background read is another element's (a link on white read as on
    a note's blue). Once every section has been laid out (with the containment it has on screen, which
    keeps its heading's margin inside it), each keeps its height and nothing moves.
    """
    page.evaluate("""async () => {
        const all = document.createElement('style');
        all.textContent = 'article.bd-article section '
            + '{ content-visibility: visible !important; contain: layout style paint; }';
        document.head.appendChild(all);
        const frames = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
        await frames();
        all.remove();
        await frames();
    }""")


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("name", PAGES)
def test_accessibility_audit(visits, name, mode):
    """axe-core finds no serious or critical violation, in light and in dark mode."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: `make test` installs it (npm ci)")
    page = visits[name].page
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(path=str(AXE))
    laid_out_once(page)
    set_mode(page, mode)
    try:
        found = page.evaluate("""async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
              .map(v => ({id: v.id, impact: v.impact, n: v.nodes.length,
                          where: v.nodes.slice(0, 3).map(
                              n => n.target.join(' ') + ': ' + (n.failureSummary || '').slice(0, 160))}));
        }""")
    finally:
        set_mode(page, "light")
    assert not found, f"{name} ({mode} mode): {found}"


def _overflow(page) -> list[str]:
    """Elements of the article wider than the window, outside code, math and scroll boxes for them."""
    return page.evaluate("""() => {
        const W = document.documentElement.clientWidth, out = [];
        const pageWidth = document.documentElement.scrollWidth;
        if (pageWidth > W + 1) out.push('the page itself: ' + pageWidth + 'px');
        for (const e of document.querySelectorAll('article *')) {
            if (e.closest('pre, .highlight, code, .math, .katex, .sd-tab-set')) continue;
            const r = e.getBoundingClientRect();
            const scrolls = e.scrollWidth > e.clientWidth + 1
                && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
            if ((r.width > 0 && r.right > W + 1) || scrolls) {
                out.push(e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '')
                         + (scrolls ? ' scrolls ' + e.scrollWidth + '>' + e.clientWidth
                                    : ' ends at ' + Math.round(r.right)));
            }
            if (out.length > 8) break;
        }
        return out;
    }""")


@pytest.mark.parametrize("width", [400, 1280])
@pytest.mark.parametrize("name", PAGES)
def test_nothing_scrolls_sideways(visits, name, width):
    """At 400 px (a phone) and 1280 px, nothing but code and math is wider than the page."""
    page = visits[name].page
    page.set_viewport_size({"width": width, "height": 900})
    try:
        page.wait_for_timeout(100)
        wide = _overflow(page)
    finally:
        page.set_viewport_size({"width": 1200, "height": 900})
    assert not wide, f"{name} at {width} px: {wide}"


@pytest.mark.parametrize("name", PAGES)
def test_images_have_real_alt_text(visits, name):
    bad = visits[name].page.evaluate(
        r"""() => Array.from(document.querySelectorAll('article img')).map(i => i.getAttribute('alt') || '')
              .filter(a => a.trim().length < 15 || /\.(png|svg|jpe?g)$/i.test(a) || /[0-9a-f]{16,}/.test(a))"""
    )
    assert not bad, f"{name}: images whose alt text is missing or a file name: {bad[:5]}"


@pytest.mark.parametrize("name", PAGES)
def test_sources_are_named_not_numbered(visits, name):
    text = visits[name].page.evaluate("() => document.body.innerText")
    found = sorted(set(m.group(0) for m in SOURCE_FILE.finditer(text)))
    assert not found, f"{name}: a source named by its file: {found}"


def test_source_file_pattern():
    for bad in ("seed 000", "Seed `001`", "000_a5a74b8e244a0c7b.txt", "Source B"):
        assert SOURCE_FILE.search(bad), bad
    for good in ("random seed 0", "seeds 0, 1, 2", "Stack Exchange answer 82456", "the source book"):
        assert not SOURCE_FILE.search(good), good


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_states_the_two_commands_and_ships_the_wheel(visits, name):
    """A reader of the pages alone can run the chapter: the two commands, and the wheel they install."""
    page = visits[name].page
    box = page.locator("article .run-yourself")
    assert box.count() == 1, f"{name}: no 'Run this chapter yourself' box"
    text = box.text_content()  # the box is a closed dropdown: its text is there, not rendered
    stem = Path(name).name
    assert 'pip install "vanishing-0.1.0-py3-none-any.whl[lab]"' in text, f"{name}: no pip command"
    assert f"jupyter lab {stem}.ipynb" in text, f"{name}: no jupyter lab command"
    href = box.locator("a[href$='.whl']").first.get_attribute("href")
    assert (visits[name].path.parent / href).resolve().is_file(), f"{name}: {href} is not in the build"


def test_introduction_states_the_two_commands(visits):
    text = visits[PAGES[0]].page.locator("article").inner_text()
    assert 'pip install "vanishing-0.1.0-py3-none-any.whl[lab]"' in text
    assert "jupyter lab 01_exposing_the_problem.ipynb" in text


#: Scroll the window to y (or as near as the page allows) and resolve once it is there and the page has
#: drawn two frames and waited 50 ms more: both markers of "On this page" (the theme's, through an
#: IntersectionObserver, and the book's, on the next animation frame) have then reacted.  A fixed wait
#: of half a second per jump cost about 50 s of the browser tests.
JUMP_AND_SETTLE = """y => new Promise(done => {
    window.scrollTo(0, y);
    const target = Math.max(0, Math.min(y, document.documentElement.scrollHeight - window.innerHeight));
    const start = performance.now();
    (function wait() {
        if (Math.abs(window.scrollY - target) < 2 || performance.now() - start > 3000)
            requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50)));
        else requestAnimationFrame(wait);
    })();
})"""


@pytest.mark.parametrize("name", CHAPTERS)
def test_on_this_page_marks_the_section_being_read(visits, name):
    """'On this page' marks the section being read after a jump from the top of the page: with the
    section's heading 100 px below the top of the window, and inside a long section whose heading is
    out of view (the theme's own marker then keeps marking the first section)."""
    page = visits[name].page
    laid_out_once(page)  # the headings' places below are then where the jumps find them
    tops = page.evaluate("""() => Array.from(document.querySelectorAll('#pst-page-toc-nav a.nav-link[href^="#"]'))
        .map(a => { const s = document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)));
                    const h = s && (s.querySelector('h1, h2, h3, h4, h5, h6') || s);
                    return h && [s.id, h.getBoundingClientRect().top + window.scrollY]; })
        .filter(x => x).sort((a, b) => a[1] - b[1])""")
    assert len(tops) >= 3, f"{name}: too few 'On this page' entries: {tops}"
    height = page.evaluate("() => window.innerHeight")
    spots = []  # (where, section, scroll position): inside long sections first, then at headings
    for (target, top), (_, next_top) in zip(tops[1:], tops[2:] + [(None, float("inf"))]):
        if next_top - top > height + 100:
            spots.insert(0, ("inside", target, top + 50))
        if next_top - top > height / 4 - 100 + 20:
            spots.append(("heading", target, top - 100))
    checked = 0
    for where, target, y in spots:
        # jump there from the top of the page, as a link, a search hit or the scroll bar does
        page.evaluate(JUMP_AND_SETTLE, 0)
        page.evaluate(JUMP_AND_SETTLE, y)
        if page.evaluate("() => window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2"):
            # the end of the page: the last section whose heading is in view
            target = page.evaluate("ts => ts.filter(t => t[1] < window.scrollY + window.innerHeight).pop()[0]", tops)
        active = page.evaluate(
            "() => Array.from(document.querySelectorAll('#pst-page-toc-nav a.nav-link.active'))"
            ".map(a => decodeURIComponent(a.getAttribute('href').slice(1)))"
        )
        assert active and active[-1] == target, f"{name}: {where} of section {target!r}: marked {active}"
        checked += 1
    assert checked >= 3, f"{name}: only {checked} positions checked"


@pytest.mark.parametrize("name", CHAPTERS)
def test_opening_a_chapter_lays_out_what_is_in_view(browser, name):
    """Opening a chapter lays out the sections in view, not the whole page. The browser's trace of the
    opening says how many layout objects each layout pass placed; their sum stays below the number of
    the page's elements. Laying out every section once already places more objects than that (text
    runs and boxes come on top of elements): sections without ``content-visibility``, or a script that
    measures every section on load as the theme's check of scrolling blocks did, place 1.4 to 1.8
    times the elements, against 0.2 to 0.6 times as the book is."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        browser.start_tracing(page=page, categories=["devtools.timeline"])
        page.goto((HTML / f"{name}.html").as_uri(), wait_until="load")
        page.evaluate(TWO_FRAMES)
        page.wait_for_function(SETTLED, timeout=20_000)
        trace = json.loads(browser.stop_tracing())
        events = trace["traceEvents"] if isinstance(trace, dict) else trace
        placed = sum(
            e["args"]["beginData"].get("dirtyObjects", 0)
            for e in events
            if e.get("name") == "Layout" and "beginData" in e.get("args", {})
        )
        elements = page.evaluate("() => document.querySelectorAll('*').length")
        assert placed, f"{name}: the trace holds no layout pass"
        assert placed < elements, f"{name}: opening it placed {placed} layout objects, for {elements} elements"
    finally:
        page.close()


def test_code_that_scrolls_sideways_takes_the_focus(browser):
    """On a phone, a code block or output that scrolls sideways takes the keyboard focus (a reader without
    a mouse can then scroll it) and one that does not scroll does not. Each is decided as it comes near
    the window, so that opening the page lays out what is in view only: the sections off screen are not
    laid out, and the theme's own check, which measured every block on load, is out of its script."""
    theme = (HTML / "_static" / "scripts" / "pydata-sphinx-theme.js").read_text()
    assert 'window.addEventListener("load",I)' not in theme, "the theme's check of every block still runs on load"
    v = Visit(browser, "chapters/02_sigmoid_derivative_bound", width=400)
    try:
        page = v.page
        style = "() => getComputedStyle(document.querySelector('article section section')).contentVisibility"
        assert page.evaluate(style) == "auto", "sections off screen are laid out"
        seen = page.evaluate("""async () => {
            const frames = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
            const out = [];
            for (const b of document.querySelectorAll('pre, .cell_output > .output')) {
                b.scrollIntoView({block: 'center'});
                await frames();
                if (!b.checkVisibility() || b.closest('.toggle-hidden')) continue;  // in a folded cell or solution
                out.push([b.scrollWidth > b.clientWidth || b.scrollHeight > b.clientHeight, b.tabIndex]);
            }
            return out; }""")
        assert {scrolls for scrolls, _ in seen} == {True, False}, f"blocks that scroll and not: {seen}"
        wrong = [(i, scrolls, tab) for i, (scrolls, tab) in enumerate(seen) if tab != (0 if scrolls else -1)]
        assert not wrong, f"(block, scrolls, tabIndex) that take the focus wrongly: {wrong}"
        assert not v.js_errors, v.js_errors
    finally:
        v.close()


@pytest.mark.parametrize("name", CHAPTERS)
def test_computed_numbers_are_not_bold(visits, name):
    """Glued numbers are set like the text around them (bold is left for what the text stresses)."""
    page = visits[name].page
    odd = page.evaluate("""() => Array.from(document.querySelectorAll('article p span.pasted-text'))
        .filter(s => getComputedStyle(s).fontWeight !== getComputedStyle(s.parentElement).fontWeight)
        .map(s => s.textContent).slice(0, 5)""")
    total = page.locator("article p span.pasted-text").count()
    assert total > 0, f"{name}: no glued numbers in the text"
    assert not odd, f"{name}: glued numbers set apart in weight: {odd}"


# --------------------------------------------------------------------------- explorers: controls that move offline


def _static_explorers_tool():
    import importlib.util

    spec = importlib.util.spec_from_file_location("static_explorers", ROOT / "tools" / "static_explorers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MARKER = re.compile(r'<div class="explorer-static" data-explorer="([^"]+)"')
EXPLORERS = [
    (chapter, name)
    for chapter in CHAPTERS
    if (HTML / f"{chapter}.html").is_file()
    for name in MARKER.findall((HTML / f"{chapter}.html").read_text(encoding="utf-8"))
]
#: The most a chapter page may fetch from disk when it opens: the theme, the math fonts and the figures
#: near the top (benchmarks/bench_pages.py prints what each page fetches).
MAX_OPENING_BYTES = 8_000_000


def manifest_of(name: str) -> dict:
    path = HTML / "_static" / "explorers" / name / "manifest.js"
    assert path.is_file(), f"{name}: {path} is missing (make book runs tools/static_explorers.py after jupyter-book)"
    return _static_explorers_tool().read_manifest(path)


def test_every_explorer_on_a_chapter_page_is_registered_and_precomputed():
    from vanishing import explorers

    assert EXPLORERS, "no chapter page shows a registered explorer"
    for _chapter, name in EXPLORERS:
        spec = explorers.get(name)
        m = manifest_of(name)
        assert [c["texts"] for c in m["controls"]] == [list(c.texts) for c in spec.controls.values()], (
            f"{name}: the build's frames are for another grid than vanishing.explorers (run make book)"
        )
        assert len(m["grid"]) == spec.n_frames and max(m["grid"]) < len(m["frames"])
        for frame in m["frames"]:
            assert (HTML / "_static" / "explorers" / name / frame["file"]).is_file(), f"{name}: {frame['file']} missing"


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_explorer_gets_working_controls(visits, name):
    """Each explorer output of the notebook is a stand-in with controls, and its hint links the notebook."""
    page = visits[name].page
    page.wait_for_function(ALL_ACTIVE, timeout=10_000)
    stored = widget_outputs(ROOT / f"{name}.ipynb")
    boxes = page.locator("article div.explorer-static fieldset.explorer-controls")
    assert boxes.count() == stored, (
        f"{name}: {boxes.count()} explorers with controls, the notebook has {stored} "
        "(register each in vanishing/explorers/chapters.py and show it with show_explorer)"
    )
    for i in range(boxes.count()):
        stand_in = page.locator("article div.explorer-static").nth(i)
        assert stand_in.locator("p.live-hint a[href$='.ipynb']").count() == 1, f"{name}: no link to run it live"
        assert stand_in.locator("label").count() >= 1


def _controls(page, name: str):
    return page.locator(f"div.explorer-static[data-explorer='{name}'] [data-control]")


def _move(page, control, kind: str, target: int, current: int) -> None:
    """Move a control to grid position ``target`` the way a reader would, with the keyboard or a pick."""
    if kind == "choice":
        control.select_option(value=str(target))
    elif kind == "toggle":
        control.focus()
        control.press("Space")
    else:
        control.focus()
        key = "ArrowRight" if target > current else "ArrowLeft"
        for _ in range(abs(target - current)):
            control.press(key)


def _other_positions(n: int, default: int) -> list[int]:
    """Two positions other than the default (a two-way control: the other one, then back)."""
    others = [i for i in range(n) if i != default]
    return [others[-1], others[0]] if len(others) >= 2 else [others[0], default]


@pytest.mark.parametrize("chapter, name", EXPLORERS, ids=[n for _, n in EXPLORERS])
def test_explorer_controls_show_the_figure_of_their_values(browser, chapter, name):
    """Move every control to two other positions, one after another (so the positions combine): each
    time the figure is the precomputed frame of exactly those values, and it names them."""
    from vanishing import explorers

    spec, m = explorers.get(name), manifest_of(name)
    keys, controls = list(spec.controls), list(spec.controls.values())
    v = Visit(browser, chapter)
    try:
        page = v.page
        page.wait_for_function(ALL_ACTIVE, timeout=10_000)
        img = page.locator(f"img[data-explorer-figure='{name}']")
        assert img.count() == 1, f"{name}: the figure is not bound to the controls"
        original = img.get_attribute("src")
        position = list(spec.default_position())
        shown = (original, None)  # (src, frame file) now on the page
        for i, (key, c) in enumerate(zip(keys, controls)):
            control = _controls(page, name).nth(i)
            assert control.get_attribute("data-control") == key
            for target in _other_positions(len(c.grid), position[i]):
                _move(page, control, c.kind, target, position[i])
                position[i] = target
                values = "; ".join(f"{k}={cc.texts[p]}" for k, cc, p in zip(keys, controls, position))
                page.wait_for_function(
                    "([sel, v]) => document.querySelector(sel).dataset.values === v",
                    arg=[f"img[data-explorer-figure='{name}']", values],
                    timeout=5_000,
                )
                page.wait_for_function(
                    f"() => {{ const i = document.querySelector(\"img[data-explorer-figure='{name}']\");"
                    " return i.complete && i.naturalWidth > 0; }",
                    timeout=5_000,
                )
                frame = m["frames"][m["grid"][spec.frame_number(tuple(position))]]
                at_default = tuple(position) == spec.default_position()
                src, alt = img.get_attribute("src"), img.get_attribute("alt")
                assert img.get_attribute("data-frame") == frame["file"]
                if at_default:
                    assert src == original, f"{name}: back at the defaults it shows {src}"
                else:
                    assert src.endswith(f"explorers/{name}/{frame['file']}"), f"{name} at {values}: shows {src}"
                    assert alt == (
                        f"This setting cannot be shown: {frame['message']}"
                        if frame["message"]
                        else f"Explorer figure for {spec.describe(tuple(position))}"
                    )
                expected = (original, None) if at_default else (src, frame["file"])
                if expected != shown:
                    assert src != shown[0], f"{name}: the figure did not change at {values}"
                shown = expected
        # A quick move aborts the load of the frame before it; only a file that is not there is a failure.
        from urllib.parse import unquote, urlparse

        missing = [u for _, u in v.failed if not Path(unquote(urlparse(u).path)).is_file()]
        assert not v.blocked and not missing and not v.js_errors, (v.blocked, missing, v.js_errors)
    finally:
        v.close()


@pytest.mark.parametrize("chapter, name", EXPLORERS, ids=[n for _, n in EXPLORERS])
def test_a_frame_is_the_books_own_figure_for_its_values(chapter, name):
    """A frame of the build equals what vanishing's code draws for those values now (pixel for pixel)."""
    import io
    import random

    from PIL import Image

    from vanishing import explorers
    from vanishing.figures.style import use_style
    from vanishing.parallel import blas_threads

    tool, spec, m = _static_explorers_tool(), explorers.get(name), manifest_of(name)
    position = random.Random(name).choice(list(spec.combinations()))
    use_style()
    with blas_threads(1):
        frame = tool.render_frame(spec.figure(), spec, position)
    stored = m["frames"][m["grid"][spec.frame_number(position)]]
    built = Image.open(HTML / "_static" / "explorers" / name / stored["file"])
    drawn = Image.open(io.BytesIO(frame["data"]))
    assert (built.size, stored["message"]) == (drawn.size, frame["message"])
    assert built.convert("RGB").tobytes() == drawn.convert("RGB").tobytes(), (
        f"{name} at {spec.describe(position)}: the build's frame is not what the code draws now (run make book)"
    )


@pytest.mark.parametrize("chapter, name", EXPLORERS, ids=[n for _, n in EXPLORERS])
def test_a_diverging_setting_shows_the_live_explorers_message(browser, chapter, name):
    from vanishing import explorers
    from vanishing.widgets import MESSAGE_TITLE, render_with_message

    spec, m = explorers.get(name), manifest_of(name)
    diverging = [p for p in spec.combinations() if m["frames"][m["grid"][spec.frame_number(p)]]["message"]]
    if not diverging:
        pytest.skip(f"{name}: no setting of its grid diverges")
    position = diverging[len(diverging) // 2]
    _, live_message = render_with_message(spec.figure(), spec.values(position))
    assert live_message, f"{name}: the live explorer draws {spec.describe(position)}, the build shows a message"
    v = Visit(browser, chapter)
    try:
        page = v.page
        page.wait_for_function(ALL_ACTIVE, timeout=10_000)
        current = list(spec.default_position())
        for i, c in enumerate(spec.controls.values()):
            if position[i] != current[i]:
                _move(page, _controls(page, name).nth(i), c.kind, position[i], current[i])
        img = page.locator(f"img[data-explorer-figure='{name}']")
        page.wait_for_function(
            f"() => (document.querySelector(\"img[data-explorer-figure='{name}']\").alt || '')"
            f".startsWith({json.dumps(MESSAGE_TITLE)})",
            timeout=5_000,
        )
        assert img.get_attribute("alt") == f"{MESSAGE_TITLE}: {live_message}"
    finally:
        v.close()


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_page_opens_with_little(visits, name):
    """Opening a chapter fetches no explorer frame (they wait until a control moves), no manifest of an
    explorer more than two windows below the top (it waits until the reader comes near) and at most
    MAX_OPENING_BYTES in all.  How long a page takes to open is a benchmark, not a test:
    benchmarks/bench_pages.py, as a ratio to the bibliography."""
    opening = visits[name].opening
    frames = sorted(p for p in opening if "/_static/explorers/" in p and not p.endswith("/manifest.js"))
    assert not frames, f"{name}: fetches explorer frames before any control moves: {frames[:3]}"
    for explorer, depth in visits[name].explorer_depth.items():
        early = [p for p in opening if p.endswith(f"/_static/explorers/{explorer}/manifest.js")]
        assert depth <= 2 or not early, f"{name}: loads {explorer}'s manifest on opening, {depth:.0f} windows down"
        assert depth <= 2 or explorer not in visits[name].loaded_at_opening, f"{name}: {explorer} loads on opening"
    total = sum(Path(p).stat().st_size for p in opening if Path(p).is_file())
    assert total <= MAX_OPENING_BYTES, (
        f"{name}: fetches {total / 1e6:.1f} MB when it opens (at most {MAX_OPENING_BYTES / 1e6:g})"
    )


@pytest.mark.parametrize("name", CHAPTERS)
def test_each_explorer_has_a_numbered_caption(visits, name):
    """Every explorer is followed by a caption 'Explorer <chapter>.<k>.' that says what to see."""
    page = visits[name].page
    explorers = page.locator("article .explorer-static").count()
    captions = page.evaluate("""() => Array.from(document.querySelectorAll('article p > strong:first-child'))
        .map(s => s.textContent.trim()).filter(t => /^Explorer \\d+\\.\\d+\\.$/.test(t))""")
    chapter = int(Path(name).name[:2])
    assert explorers >= 1, f"{name}: no explorer"
    assert captions == [f"Explorer {chapter}.{k}." for k in range(1, explorers + 1)], f"{name}: captions {captions}"


def test_the_built_book_fits_its_budget():
    """The whole HTML book, explorer frames, wheel and reader notebooks included, is at most 80 MB."""
    total = sum(f.stat().st_size for f in HTML.rglob("*") if f.is_file())
    assert total <= 80e6, f"_build/html is {total / 1e6:.1f} MB, over the 80 MB budget"


# --------------------------------------------------------------------------- a clean console, readers' features


@pytest.mark.parametrize("name", PAGES)
def test_no_console_error(visits, name):
    """A page logs no error on a first visit: no script declared twice, no complaint of the theme."""
    assert not visits[name].opening_errors, f"{name}: {list(visits[name].opening_errors)}"


def _first_frame_with_data(name: str, data: bool = True):
    """The first grid position (row-major) whose frame is not the default's and (if ``data``) has a CSV file."""
    from vanishing import explorers

    spec, m = explorers.get(name), manifest_of(name)
    default = spec.default_position()
    for position in spec.combinations():
        frame = m["frames"][m["grid"][spec.frame_number(position)]]
        if (
            position != default
            and (frame["csv"] or not data)
            and frame["file"] != m["frames"][m["grid"][spec.frame_number(default)]]["file"]
        ):
            return spec, m, position, frame
    pytest.skip(f"{name}: no frame with curves")


def _js_slug(text: str) -> str:
    """The address form of a control's text, as explorers.js writes it (when no two texts share it)."""
    return re.sub(r"^_+|_+$", "", re.sub(r"[^a-z0-9.\-]+", "_", text.lower()))


@pytest.mark.parametrize("chapter, name", EXPLORERS, ids=[n for _, n in EXPLORERS])
def test_an_address_opens_the_explorer_at_its_setting(browser, chapter, name):
    """Opening '#NAME:key=value,...' shows that setting's frame with the controls there; moving a control
    writes the new setting into the address; pasting another address moves the figure again; all offline."""
    spec, m, position, frame = _first_frame_with_data(name, data=False)
    keys, controls = list(spec.controls), list(spec.controls.values())
    address = "#" + name + ":" + ",".join(f"{k}={_js_slug(c.texts[p])}" for k, c, p in zip(keys, controls, position))
    v = Visit(browser, chapter, suffix=address)
    try:
        page = v.page
        assert name in v.loaded_at_opening, f"{name}: the address names it, but it waits for the reader to scroll"
        page.wait_for_function(ALL_ACTIVE, timeout=10_000)
        img = page.locator(f"img[data-explorer-figure='{name}']")
        values = "; ".join(f"{k}={c.texts[p]}" for k, c, p in zip(keys, controls, position))
        page.wait_for_function(
            "([sel, v]) => document.querySelector(sel).dataset.values === v",
            arg=[f"img[data-explorer-figure='{name}']", values],
            timeout=5_000,
        )
        assert img.get_attribute("data-frame") == frame["file"]
        assert img.get_attribute("src").endswith(f"explorers/{name}/{frame['file']}")
        shown = [_controls(page, name).nth(i) for i in range(len(keys))]
        for i, (c, control) in enumerate(zip(controls, shown)):
            if c.kind == "toggle":
                assert control.is_checked() == (position[i] == 0)
            else:
                assert control.input_value() == str(position[i]), (
                    f"{name}: control {keys[i]} not at the address's value"
                )
        share = page.locator(f"div.explorer-static[data-explorer='{name}'] a.explorer-share")
        assert share.get_attribute("href") == address

        # move the first control back to its default: the address follows, without a new history entry
        entries = page.evaluate("() => history.length")
        default = spec.default_position()
        moved = next(i for i in range(len(keys)) if position[i] != default[i])
        _move(page, shown[moved], controls[moved].kind, default[moved], position[moved])
        position = list(position)
        position[moved] = default[moved]
        expected = (
            "#" + name + ":" + ",".join(f"{k}={_js_slug(c.texts[p])}" for k, c, p in zip(keys, controls, position))
        )
        page.wait_for_function("a => location.hash === a", arg=expected, timeout=5_000)
        assert page.evaluate("() => history.length") == entries

        # a teacher's shorter link: numbers as numbers, unnamed controls left where they are
        c0 = controls[0]
        target = (position[0] + 1) % len(c0.texts)
        page.evaluate("h => { location.hash = h; }", f"#{name}:{keys[0]}={c0.texts[target]}")
        position[0] = target
        values = "; ".join(f"{k}={c.texts[p]}" for k, c, p in zip(keys, controls, position))
        page.wait_for_function(
            "([sel, v]) => document.querySelector(sel).dataset.values === v",
            arg=[f"img[data-explorer-figure='{name}']", values],
            timeout=5_000,
        )
        assert not v.blocked and not v.js_errors and not v.console_errors, (v.blocked, v.js_errors, v.console_errors)
    finally:
        v.close()


@pytest.mark.parametrize("chapter, name", EXPLORERS, ids=[n for _, n in EXPLORERS])
def test_the_figures_data_can_be_downloaded_for_the_frame_shown(browser, chapter, name):
    """'Download this figure's data' links the CSV of the frame on the page, a file of the build with an x
    and a y column per curve, one row per point; after a move it links the new frame's file."""
    import csv
    import io

    spec, m, position, frame = _first_frame_with_data(name)
    default = m["frames"][m["grid"][spec.frame_number(spec.default_position())]]
    v = Visit(browser, chapter)
    try:
        page = v.page
        page.wait_for_function(ALL_ACTIVE, timeout=10_000)
        link = page.locator(f"div.explorer-static[data-explorer='{name}'] a.explorer-data")
        if default["csv"]:
            assert link.is_visible() and link.get_attribute("href").endswith(f"explorers/{name}/{default['csv']}")
        current = list(spec.default_position())
        for i, c in enumerate(spec.controls.values()):
            if position[i] != current[i]:
                _move(page, _controls(page, name).nth(i), c.kind, position[i], current[i])
        page.wait_for_function(
            "([sel, f]) => (document.querySelector(sel).getAttribute('href') || '').endsWith(f)",
            arg=[f"div.explorer-static[data-explorer='{name}'] a.explorer-data", frame["csv"]],
            timeout=5_000,
        )
        assert link.is_visible() and link.get_attribute("download").endswith(".csv")
        path = HTML / "_static" / "explorers" / name / frame["csv"]
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        assert len(rows) > 2 and len(rows[0]) % 2 == 0 and all(len(r) == len(rows[0]) for r in rows)
        assert all(h.count(": ") >= 2 for h in rows[0]), rows[0]  # "panel: curve: axis"
        assert all(float(v) == float(v) for r in rows[1:] for v in r if v)
        assert not v.blocked and not v.js_errors, (v.blocked, v.js_errors)
    finally:
        v.close()


def test_the_csv_of_a_frame_is_the_figures_own_data():
    """The CSV of a frame is what the figure of its values plots now, from the same drawing code."""
    from vanishing import explorers
    from vanishing.figures.style import use_style
    from vanishing.parallel import blas_threads

    name = "ch3_saddle"  # a cheap explorer to draw again
    if name not in {n for _, n in EXPLORERS}:
        pytest.skip(f"{name} is not in the build")
    tool, spec, m = _static_explorers_tool(), explorers.get(name), manifest_of(name)
    position = spec.default_position()
    use_style()
    with blas_threads(1):
        drawn = tool.render_frame(spec.figure(), spec, position)
    stored = m["frames"][m["grid"][spec.frame_number(position)]]
    assert drawn["csv"] and (HTML / "_static" / "explorers" / name / stored["csv"]).read_bytes() == drawn["csv"]


def _predict_state(page, state: str) -> None:
    """Wait until chapter 2's predict box reaches ``state`` (ready, right or wrong)."""
    page.wait_for_function(
        f"() => document.querySelector('div.predict-reveal').dataset.predict === '{state}'", timeout=5_000
    )


def _open_predict_box(browser, chapter: str):
    """A fresh visit of ``chapter`` with its predict box ready: ``(visit, box, labels, right)``, ``labels``
    the choices' texts and ``right`` the glued answer."""
    v = Visit(browser, chapter)
    _predict_state(v.page, "ready")
    box = v.page.locator("div.predict-reveal").first
    # As a reader sees it: a section off screen is not laid out, nor is its text until the next frame.
    box.scroll_into_view_if_needed()
    v.page.evaluate(TWO_FRAMES)
    right = v.page.locator("div.predict-answer .pasted-text").first.inner_text().strip()
    labels = [box.locator("label").nth(i).inner_text().strip() for i in range(box.locator("input[type=radio]").count())]
    return v, box, labels, right


def test_predict_then_reveal(browser):
    """Chapter 2 asks for a guess before the figure of how fast the gradient shrinks: the answer, the
    computation and the figure stay hidden until a guess is checked; the guess is judged against the
    glued answer; "show the result" reveals without one. Offline, no kernel."""
    chapter = "chapters/02_sigmoid_derivative_bound"
    if chapter not in PAGES:
        pytest.skip("chapter 2 is not in the book")
    v, box, labels, right = _open_predict_box(browser, chapter)
    try:
        page = v.page
        answer = page.locator("div.predict-answer").first
        figure = page.locator("figure#fig-ch2-depth")
        assert not answer.is_visible() and not figure.is_visible(), "the result shows before a guess"
        assert len(labels) == 4 and any(t.endswith(" " + right) for t in labels), (right, labels)
        check = box.locator("button.predict-check")
        assert check.is_disabled()
        wrong = next(i for i, t in enumerate(labels) if not t.endswith(" " + right))
        box.locator("label").nth(wrong).click()
        check.click()
        _predict_state(page, "wrong")
        assert answer.is_visible() and figure.is_visible()
        verdict = box.locator("p.predict-verdict").inner_text()
        assert verdict.startswith(f"Your guess: {labels[wrong]}.") and "otherwise" in verdict
        assert not v.js_errors and not v.console_errors and not v.blocked
    finally:
        v.close()
    v, box, labels, right = _open_predict_box(browser, chapter)
    try:
        box.locator("label").nth(next(i for i, t in enumerate(labels) if t.endswith(" " + right))).click()
        box.locator("button.predict-check").click()
        _predict_state(v.page, "right")
        assert "Right" in box.locator("p.predict-verdict").inner_text()
    finally:
        v.close()
    v, box, _, _ = _open_predict_box(browser, chapter)
    try:
        box.locator("button.predict-skip").click()
        v.page.locator("figure#fig-ch2-depth").wait_for(state="visible", timeout=5_000)
        assert v.page.locator("div.predict-answer").first.is_visible()
    finally:
        v.close()


def test_offline_search_lists_each_page_once_with_an_excerpt(browser):
    """Search from file:// shows an excerpt under every hit (from the text the build stored, since the
    browser refuses to fetch the pages) and lists a page under one title once: the glossary too."""
    v = Visit(browser, "search", suffix="?q=saddle")
    try:
        page = v.page
        page.wait_for_function(
            "() => /found \\d+ page/.test(document.querySelector('#search-results')?.innerText || '')", timeout=20_000
        )
        page.wait_for_timeout(300)
        hits = page.evaluate("""() => Array.from(
            document.querySelectorAll('#search-results ul.search > li')).map(li => ({
            title: li.querySelector('a').textContent.trim(), href: li.querySelector('a').getAttribute('href'),
            excerpt: (li.querySelector('p.context') || {}).textContent || ''}))""")
        assert len(hits) >= 3, hits
        pages = [(h["href"].split("#")[0], h["title"]) for h in hits]
        assert len(pages) == len(set(pages)), f"a page listed twice under one title: {pages}"
        assert sum(h["title"] == "Glossary" for h in hits) == 1, hits
        missing = [h["title"] for h in hits if "saddle" not in h["excerpt"].lower()]
        assert not missing, f"hits without an excerpt that shows the word: {missing}"
        assert not v.js_errors and not v.console_errors, v.js_errors + v.console_errors
    finally:
        v.close()


MATH = "math, .math, .katex, mjx-container"


@pytest.mark.parametrize("name", ["chapters/04_ill_conditioning", "chapters/05_remedies"])
def test_table_labels_on_a_phone_keep_the_math(browser, name):
    """At 400 px a table's rows stack and each cell is labelled with its column's header: math included
    (the headers "predicted factor √χ", "iterations to 10⁻³" lost their math as text labels)."""
    if name not in PAGES:
        pytest.skip(f"{name} is not in the book")
    v = Visit(browser, name, width=400)
    try:
        found = v.page.evaluate(
            """(MATH) => Array.from(document.querySelectorAll('article table')).flatMap(t => {
            const heads = Array.from(t.querySelectorAll('thead th'));
            return Array.from(t.querySelectorAll('tbody tr')).flatMap(tr => Array.from(tr.children).map((td, i) => {
                const th = heads[i], label = td.querySelector(':scope > .cell-label');
                return {head: th ? th.innerText.trim() : '', math: !!(th && th.querySelector(MATH)),
                        label: label ? label.innerText.trim() : null,
                        labelMath: !!(label && label.querySelector(MATH)),
                        shown: !!(label && label.getBoundingClientRect().width > 0)};
            }));
        })""",
            MATH,
        )
        with_math = [f for f in found if f["math"]]
        assert with_math, f"{name}: no table header with math"
        bad = [f for f in found if f["head"] and (f["label"] is None or not f["shown"] or f["math"] != f["labelMath"])]
        assert not bad, f"{name}: cells whose label is missing, hidden or lost the header's math: {bad[:3]}"
    finally:
        v.close()
    wide = Visit(browser, name)
    try:
        shown = wide.page.evaluate(
            "() => Array.from(document.querySelectorAll('article td > .cell-label'))"
            ".filter(l => l.getBoundingClientRect().width > 0).length"
        )
        assert shown == 0, f"{name}: {shown} cell labels shown in the wide layout"
    finally:
        wide.close()


#: axe-core's rules whose moderate and minor findings the book fixed: every piece of content in a
#: landmark, no table header without an accessible name, no deprecated ARIA role.
AXE_RULES = ["region", "empty-table-header", "aria-deprecated-role"]


@pytest.mark.parametrize("name", PAGES)
def test_accessibility_audit_minor_rules(visits, name):
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: `make test` installs it (npm ci)")
    page = visits[name].page
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async (rules) => {
        const r = await axe.run(document, {runOnly: {type: 'rule', values: rules}, resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, n: v.nodes.length,
                                       where: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""",
        AXE_RULES,
    )
    assert not found, f"{name}: {found}"


# --------------------------------------------------------------------------- the text reads as a textbook

#: What the scans of the text skip: code and its output, math (KaTeX's HTML and its TeX copy), scripts.
NOT_PROSE = "pre, code, kbd, samp, script, style, .highlight, .cell_input, .math, .katex, math, .explorer-controls"
#: Blocks of text, each scanned as one string (a number split across inline elements is still seen).
PROSE_BLOCKS = "p, li, td, th, dt, dd, figcaption, caption, summary, h1, h2, h3, h4, h5, h6, blockquote, div"

#: The text of every block of the article outside NOT_PROSE, with URLs and file names removed.
PROSE_JS = f"""() => {{
    const skip = {json.dumps(NOT_PROSE)}, blocks = {json.dumps(PROSE_BLOCKS)}, texts = new Map();
    const root = document.querySelector('article') || document.body;
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {{
        const el = n.parentElement;
        if (!el || el.closest(skip)) continue;
        const block = el.closest(blocks) || root;
        texts.set(block, (texts.get(block) || '') + n.textContent);
    }}
    return Array.from(texts.values()).map(t => t.replace(/\\s+/g, ' ')
        .replace(/\\b(?:https?|file):\\/\\/\\S+/g, ' ')
        .replace(/\\b[\\w.-]+\\.(?:html|ipynb|whl|md|py|csv|txt)\\b/g, ' '));
}}"""

#: Numbers as a textbook does not print them in its text, and words of the implementation.
NOT_TEXTBOOK = {
    "e-notation": re.compile(r"(?<![\w.])\d+(?:\.\d+)?[eE][+\-−]?\d+\b"),
    "caret exponent": re.compile(r"[\w)′'}]\^[\w({+\-−]"),
    "hyphen-minus for a minus": re.compile(r"(?:^|(?<=[\s(\[=,:;/]))-\d"),
    "function or module name": re.compile(
        r"\b(?:vanishing|np|numpy|rm|ls|plt|scipy|torch)\.[A-Za-z_]\w*"
        r"|\b[a-z]\w*\.[a-z]\w*_\w*\b|\b[a-z_]\w*\.[a-z_]\w*\(\)?"
    ),
    "machine talk": re.compile(
        r"\bthreads?\b|\bprocessor(?:'s|s)?\b|\bCPUs?\b|\bBLAS\b|\bstarted in one go\b|\bruns? in a few minutes\b",
        re.I,
    ),
}


def not_textbook(text: str) -> list[str]:
    """What in ``text`` a textbook would not print: "kind: «excerpt»" for each finding."""
    found = []
    for kind, pattern in NOT_TEXTBOOK.items():
        for m in pattern.finditer(text):
            a, b = max(0, m.start() - 40), min(len(text), m.end() + 40)
            found.append(f"{kind}: «{text[a:b].strip()}»")
    return found


def test_not_textbook_patterns():
    for bad in (
        "gap of 1e+210",
        "5.0e-02 and",
        "10^210",
        "w^L = 0",
        "σ′(z^L)",
        "is -0.41 points",
        "(-3, 4)",
        "rm.is_erratic says",
        "vanishing.normalisation",
        "layer_factor.x_y",
        "run on four threads",
        "one processor's rounding",
        "was started in one go",
    ):
        assert not_textbook(bad), bad
    for good in (
        "10⁻³ and 4.3 × 10³⁹",
        "−0.41 points",
        "e.g. the same",
        "pages 249–256 and 10-20",
        "Fig. 5.1 and eq. (2.3)",
        "Michael Nielsen, et al.",
        "1,000 iterations",
        "x₁-axis",
        "i.e. a gap",
    ):
        assert not not_textbook(good), (good, not_textbook(good))


@pytest.mark.parametrize("name", PAGES)
def test_text_prints_numbers_as_a_textbook_and_names_no_code(visits, name):
    """In prose, captions, tables, claim badges and explorer messages (not in code, listings, math or
    addresses): no e-notation (1e+210), no caret exponents (10^210, w^L), no hyphen-minus where a minus
    sign is meant (" -0.41"), no function or module names (rm.is_erratic) and no talk of the machine
    (threads, a processor's rounding)."""
    texts = visits[name].page.evaluate(PROSE_JS)
    found = sorted({f for t in texts for f in not_textbook(t)})
    assert not found, f"{name}: {len(found)} findings:\n" + "\n".join(found)


def _full_claims_between_paragraphs(page) -> list[int]:
    """For each run between two consecutive paragraphs of argument, how many full claim boxes
    (``div.claim-box``) a reader sees there unfolded (not inside a closed ``<details>``)."""
    return page.evaluate("""() => {
        const runs = [0];
        const items = document.querySelectorAll('article p, article div.claim-box');
        for (const e of items) {
            if (e.matches('div.claim-box')) {
                if (!e.parentElement.closest('details:not([open])')) runs[runs.length - 1] += 1;
            } else if (!e.closest('div.claim-box, details.claim-fold, .cell_output, table, li, figcaption, aside')) {
                runs.push(0);
            }
        }
        return runs;
    }""")


@pytest.mark.parametrize("name", CHAPTERS)
def test_claims_are_badges_with_their_boxes_folded(visits, name):
    """A claim's verdict does not interrupt the argument: at most one full claim box between two
    consecutive paragraphs, and with the boxes folded into their badges none at all."""
    page = visits[name].page
    runs = _full_claims_between_paragraphs(page)
    assert max(runs) <= 1, f"{name}: {max(runs)} full claim boxes between two paragraphs"
    assert sum(runs) == 0, f"{name}: {sum(runs)} full claim boxes shown unfolded"
    badges = page.locator("article details.claim-fold:not([open]) > summary.claim-badge .verdict-badge")
    assert badges.count() == page.locator("article div.claim-box").count() > 0, f"{name}: a claim without its badge"
    # one click on the badge shows the full box, with the rule that gave the verdict
    page.locator("article details.claim-fold > summary.claim-badge").first.click()
    try:
        assert max(_full_claims_between_paragraphs(page)) == 1
        assert "How it was judged" in page.locator("article details.claim-fold[open] div.claim-box").first.inner_text()
    finally:
        page.evaluate("() => document.querySelectorAll('article details.claim-fold').forEach(d => { d.open = false; })")


@pytest.mark.parametrize("name", CHAPTERS)
def test_explorer_frames_are_shown_as_the_text_size_test_assumes(visits, name):
    """The column width and body text size that tests/test_explorer_text_size.py assumes are the page's:
    at a 1280 px window every explorer frame is shown at most COLUMN_PX wide (or its drawn width), and
    its smallest text reads at 70 % of the body text or more."""
    from test_explorer_text_size import BODY_PX, COLUMN_PX, shown_text_ratio

    from vanishing.figures.style import EXPLORER_FONT, EXPLORER_WIDTH

    page = visits[name].page
    page.set_viewport_size({"width": 1280, "height": 900})
    try:
        page.wait_for_timeout(100)
        shown = page.evaluate("""() => ({
            body: parseFloat(getComputedStyle(document.querySelector('article p')).fontSize),
            frames: Array.from(document.querySelectorAll('article img[data-explorer-figure]'))
                .map(i => i.getBoundingClientRect().width).filter(w => w > 0)})""")
    finally:
        page.set_viewport_size({"width": 1200, "height": 900})
    if not shown["frames"]:
        pytest.skip(f"{name}: no explorer on this page")
    assert shown["body"] == pytest.approx(BODY_PX, abs=0.5), f"{name}: body text {shown['body']} px"
    for width in shown["frames"]:
        assert width <= max(COLUMN_PX, 100 * EXPLORER_WIDTH) + 2, f"{name}: a frame shown {width} px wide"
        ratio = shown_text_ratio(EXPLORER_FONT, EXPLORER_WIDTH, width, shown["body"])
        assert ratio >= 0.70, f"{name}: a frame shown {width:.0f} px wide reads at {ratio:.0%} of the body text"
