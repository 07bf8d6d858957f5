"""The repository's tools: the baseline environment, the claims ledger, the code-shape limits, the static explorers."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]


from tool_loader import load_book_ext  # noqa: E402
from tool_loader import load_tool as _tool  # noqa: E402


def _book_ext(name: str):
    return load_book_ext(name)


def test_baseline_env_turns_off_what_it_names(monkeypatch):
    be = _tool("baseline_env")
    monkeypatch.delenv("NPY_DISABLE_CPU_FEATURES", raising=False)
    env = be.baseline_env()
    assert env["OPENBLAS_CORETYPE"] == "Nehalem" and env["NUMBA_CPU_NAME"] == "generic"
    named = [f for f in env["NPY_DISABLE_CPU_FEATURES"].split(",") if f]
    assert named == be.dispatched_features()
    # A fresh process started with the variables has none of the dispatched targets on.
    probe = (
        "from numpy._core import _multiarray_umath as m;"
        "print(sum(bool(m.__cpu_features__.get(f)) for f in m.__cpu_dispatch__))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], env={**os.environ, **env}, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "0"
    # Inside such a process the list it was given is kept, not recomputed as empty.
    monkeypatch.setenv("NPY_DISABLE_CPU_FEATURES", "X86_V3")
    assert be.baseline_env()["NPY_DISABLE_CPU_FEATURES"] == "X86_V3"


def test_ledger_lists_every_claim_of_the_toc_chapters():
    led = _tool("claims_ledger")
    from vanishing.claims import REGISTRY

    notebooks = led.toc_notebooks()
    text, count = led.ledger(notebooks)
    expected = [c for c in REGISTRY.values() if c.chapter in notebooks]
    assert count == len(expected) > 0
    for c in expected:
        assert f"{c.glue_prefix}_verdict:s" in text
        assert f"<{c.section}>`" in text or f"{{ref}}`{c.section}`" in text
    assert "seed" not in text.lower() and ".txt" not in text


def test_ledger_file_is_current():
    led = _tool("claims_ledger")
    assert led.main(["--check"]) == 0, "book/claims.md is stale: run python tools/claims_ledger.py"


def test_package_shape_limits():
    """No module over ~450 lines, no function over ~60, no import cycles (tools/code_shape.py)."""
    assert _tool("code_shape").main(["--check"]) == 0


# --------------------------------------------------------------------------- tools/static_explorers.py


def _toy_explorer():
    import matplotlib.pyplot as plt

    from vanishing.explorers import Choice, Explorer, Steps

    def plot(depth, kind):
        if depth == 3 and kind == "b":
            raise ValueError("depth 3 with kind b diverges")
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.set_title(f"depth {depth}, kind {kind}")
        return fig

    return Explorer(
        "ch9_toy", lambda: plot, {"depth": Steps("depth", 2, 1, 3), "kind": Choice.of("kind", ("a", "b"), "a")}
    )


def test_static_explorers_renders_every_combination_once_and_caches_it(tmp_path, monkeypatch):
    from PIL import Image

    from vanishing import explorers

    tool = _tool("static_explorers")
    monkeypatch.setitem(explorers.REGISTRY, "ch9_toy", _toy_explorer())
    html = tmp_path / "html"
    (html / "chapters").mkdir(parents=True)
    (html / "index.html").write_text("<p>no explorer here</p>")
    (html / "chapters" / "toy.html").write_text('<div class="explorer-static" data-explorer="ch9_toy"></div>')
    assert tool.page_explorers(html) == {"ch9_toy": ["chapters/toy.html"]}

    first = tool.build(html, tmp_path / "cache", processes=2)
    assert [(r["name"], r["frames"], r["images"], r["messages"], r["cached"]) for r in first] == [
        ("ch9_toy", 6, 6, 1, False)
    ]
    out = html / "_static" / "explorers" / "ch9_toy"
    m = tool.read_manifest(out / "manifest.js")
    assert [c["texts"] for c in m["controls"]] == [["1", "2", "3"], ["a", "b"]]
    assert [c["default"] for c in m["controls"]] == [1, 0]
    message = m["frames"][m["grid"][5]]["message"]  # (depth 3, kind b): the last combination
    assert message == "depth 3 with kind b diverges"
    assert all(f["message"] is None for i, f in enumerate(m["frames"]) if i != m["grid"][5])
    frame = m["frames"][m["grid"][0]]
    with Image.open(out / frame["file"]) as image:
        # shown at the figure's CSS size (3 x 2 inches at 100 CSS pixels an inch), from twice the pixels
        assert (frame["width"], frame["height"]) == (300, 200) and m["pixel_ratio"] == 1.5
        assert image.format == "WEBP" and image.size == (450, 300)

    again = tool.build(html, tmp_path / "cache", processes=1)
    assert again[0]["cached"] is True and tool.read_manifest(out / "manifest.js") == m

    (html / "chapters" / "toy.html").write_text("<p>the explorer is gone</p>")
    assert tool.build(html, tmp_path / "cache", processes=1) == [] and not out.exists()


def test_static_explorers_stores_identical_frames_once():
    tool = _tool("static_explorers")
    explorer = _toy_explorer()
    frames = [{"data": bytes([i % 2]), "width": 1, "height": 1, "message": None} for i in range(6)]
    data, files = tool.manifest(explorer, frames)
    assert len(files) == 2 and data["grid"] == [0, 1, 0, 1, 0, 1]
    assert tool.read_manifest_text(tool.manifest_script(data)) == data
    with pytest.raises(ValueError, match="frames"):
        tool.manifest(explorer, frames[:5])


def test_static_explorers_writes_the_curves_a_frame_draws_as_csv():
    import csv
    import io

    import matplotlib.pyplot as plt
    import numpy as np

    tool = _tool("static_explorers")
    fig, (a1, a2) = plt.subplots(1, 2)
    a1.plot([1, 2], [0.5, np.nan], label=r"layer $\ell = 1$")
    a1.plot([1, 2], [3.0, 4.0])
    a1.axhline(1.0)  # a reference line in axes coordinates: not data
    a1.set(title=r"speed, $\eta\,=\,3$", xlabel="step", ylabel=r"$\Vert\partial C/\partial b\Vert$")
    a2.plot([0.1], [1e-300])
    a2.set(ylabel="accuracy")
    rows = list(csv.reader(io.StringIO(tool.frame_csv(fig).decode("utf-8"))))
    plt.close(fig)
    assert rows == [
        [
            "speed, η = 3: layer ℓ = 1: step",
            "speed, η = 3: layer ℓ = 1: ‖∂C/∂b‖",
            "speed, η = 3: line 2: step",
            "speed, η = 3: line 2: ‖∂C/∂b‖",
            "accuracy: accuracy: x",
            "accuracy: accuracy: accuracy",
        ],
        ["1", "0.5", "1", "3", "0.1", "1e-300"],
        ["2", "", "2", "4", "", ""],
    ]
    long = tool.curves_csv([("t", "f", np.arange(1001.0), np.arange(1001.0) / 3)]).decode().splitlines()
    assert long[0] == "t (every 11th point),f (every 11th point)" and long[1:3] == ["0,0", "11,3.667"]
    assert long[-2:] == ["990,330", "1000,333.3"] and len(long) == 1 + 92  # the last point is kept
    assert tool.curves_csv([("t", "f", np.arange(150.0), np.arange(150.0))]).decode().startswith("t (every 2nd point),")
    assert [tool._ordinal(n) for n in (1, 2, 3, 4, 11, 12, 21, 22, 112)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "21st",
        "22nd",
        "112th",
    ]
    empty, _ = plt.subplots()
    assert tool.frame_csv(empty) is None
    plt.close(empty)

    frames = [
        {"data": bytes([i % 3]), "width": 1, "height": 1, "message": None, "csv": b"x,y\n1,2\n" if i % 3 else None}
        for i in range(6)
    ]
    data, files = tool.manifest(_toy_explorer(), frames)
    assert [f["csv"] for f in data["frames"]] == [None, data["frames"][1]["csv"], data["frames"][1]["csv"]]
    assert data["frames"][1]["csv"].endswith(".csv") and files[data["frames"][1]["csv"]] == b"x,y\n1,2\n"
    assert len(files) == 4  # three images, one CSV file


def test_static_explorers_refuses_pages_with_unregistered_explorers(tmp_path):
    tool = _tool("static_explorers")
    (tmp_path / "index.html").write_text('<div class="explorer-static" data-explorer="ch9_nowhere"></div>')
    with pytest.raises(ValueError, match="ch9_nowhere"):
        tool.build(tmp_path, tmp_path / "cache", processes=1)
    with pytest.raises(FileNotFoundError, match="html_dir"):
        tool.build(tmp_path / "missing", tmp_path / "cache", processes=1)


def test_katex_style_sheet_keeps_only_the_woff2_fonts():
    ko = _book_ext("katex_offline")
    css = (
        '@font-face{font-family:KaTeX_AMS;src:url(fonts/KaTeX_AMS-Regular.woff2) format("woff2"),'
        'url(fonts/KaTeX_AMS-Regular.woff) format("woff"),url(fonts/KaTeX_AMS-Regular.ttf) format("truetype")}'
        ".katex{font:normal 1.21em KaTeX_Main}"
    )
    assert ko.woff2_only(css) == (
        "@font-face{font-family:KaTeX_AMS;src:url(fonts/KaTeX_AMS-Regular.woff2) "
        'format("woff2")}.katex{font:normal 1.21em KaTeX_Main}'
    )
    shipped = ROOT / "node_modules" / "katex" / "dist" / "katex.min.css"
    if shipped.is_file():  # the real style sheet: every @font-face keeps exactly one source, a WOFF2 file
        cut = ko.woff2_only(shipped.read_text())
        assert cut.count("@font-face") == cut.count('format("woff2")') > 10
        assert ".woff)" not in cut and ".ttf)" not in cut


def test_timed_records_each_stage_and_passes_the_exit_code_on(tmp_path):
    timed = _tool("timed")
    record = tmp_path / "times.tsv"
    assert timed.run("unit tests", [sys.executable, "-c", "pass"], record) == 0
    assert timed.run("nbval", [sys.executable, "-c", "raise SystemExit(3)"], record) == 3
    assert timed.run("unit tests", [sys.executable, "-c", "pass"], record) == 0
    stages = timed.latest(record)
    assert list(stages) == ["nbval", "unit tests"]  # the order in which they last ran
    assert stages["nbval"][2] == 3 and stages["unit tests"][2] == 0
    assert all(seconds >= 0 and cpu >= 0 for _, seconds, _, cpu in stages.values())
    report = timed.report(record)
    assert "nbval" in report and "first start to last end" in report and "cores busy" in report
    assert "none recorded" in timed.report(tmp_path / "missing.tsv")
    with pytest.raises(ValueError, match="stage"):
        timed.run("a\tb", ["true"], record)
    busy = [sys.executable, "-c", "import time; t = time.process_time() + 0.3\nwhile time.process_time() < t: pass"]
    timed.run("busy", busy, record)
    assert timed.latest(record)["busy"][3] >= 0.25  # a child's CPU seconds are counted
    old = tmp_path / "old.tsv"  # a line from before CPU seconds were recorded
    old.write_text("2026-12-03T16:12:01Z\tbook\t185.1\t0\n")
    assert timed.latest(old)["book"] == ("2026-12-03T16:12:01Z", 185.1, 0, None)
    assert "book" in timed.report(old)
    with pytest.raises(ValueError, match="command"):
        timed.run("x", [], record)


def test_lean_pages_drops_the_icon_script_and_loads_figures_lazily():
    lp = _book_ext("lean_pages")
    page = (
        f"<script>{lp.EARLY_THEME}</script>"
        '<head>\n  <script defer src="../_static/scripts/fontawesome.js?digest=55c26ed414f5f8a31ebb"></script>\n'
        '</head><body><img alt="a" src="x.png"/><img loading="eager" src="y.png"/></body>'
    )
    lean = lp.lean(page)
    assert "fontawesome" not in lean
    assert lp.RESOLVED_THEME in lean and lp.EARLY_THEME not in lean
    assert '<img loading="lazy" decoding="async" alt="a" src="x.png"/>' in lean
    assert '<img loading="eager" src="y.png"/>' in lean  # an image that says how to load is left alone
    code = (
        '<div class="highlight"><pre><span class="n">x</span><span class="w"> </span><span class="o">=</span>'
        '<span class="p">(</span><span class="mi">1</span><span class="p">)</span></pre></div>'
        '<p><span class="n">kept outside code</span></p>'
    )
    assert lp.lean(page.replace("<body>", "<body>" + code)).count("<span") == 3  # 6 in the code, 1 outside
    assert '<pre>x <span class="o">=</span>(<span class="mi">1</span>)</pre>' in lp.lean(page + code)
    with pytest.raises(ValueError, match="fontawesome.js"):
        lp.lean(lean)  # the theme moved the script: the build fails instead of keeping it
    with pytest.raises(ValueError, match="colour-theme"):
        lp.lean(page.replace(lp.EARLY_THEME, ""))


def test_lean_pages_sizes_figures_by_attributes():
    lp = _book_ext("lean_pages")
    page = (
        f"<script>{lp.EARLY_THEME}</script>" + '<script defer src="_static/scripts/fontawesome.js?digest=5c"></script>'
    )
    figure = '<img alt="a" src="x.webp" style="width: 737px; height: 827px;" />'
    lean = lp.lean(page + figure)
    assert '<img loading="lazy" decoding="async" width="737" height="827" alt="a" src="x.webp"' in lean
    assert 'style="width: 737px; height: 827px;"' in lean  # the shape the style sheet keeps comes from both
    sized = '<img width="10" height="5" alt="b" src="y.webp" style="width: 20px; height: 10px;" />'
    assert 'width="10" height="5" alt="b"' in lp.lean(page + sized)  # sizes it already has are kept
    assert "width=" not in lp.lean(page + '<img alt="c" src="z.webp" />')  # no size to copy


def test_lean_pages_takes_the_theme_check_of_scrolling_blocks_out_of_its_script():
    lp = _book_ext("lean_pages")
    script = f"x();{lp.SCROLLABLE_CHECK}...}}function _(e){{}},{lp.SCROLLABLE_CALL}}})();"
    done = lp.without_scrollable_check(script)
    assert lp.SCROLLABLE_CALL not in done and lp.SCROLLABLE_DONE in done
    assert done.startswith(f"x();{lp.SCROLLABLE_CHECK}")  # the function stays, uncalled
    assert lp.without_scrollable_check(done) == done  # a rebuild finds it done
    with pytest.raises(ValueError, match="scrollable blocks"):
        lp.without_scrollable_check(script.replace(lp.SCROLLABLE_CALL, "I()"))  # the theme changed: the build fails
    with pytest.raises(ValueError, match="scrollable blocks"):
        lp.without_scrollable_check(script.replace(lp.SCROLLABLE_CHECK, "function I(){"))


def test_lean_pages_loads_sphinx_design_only_where_a_page_shows_a_component():
    lp = _book_ext("lean_pages")
    design = (
        '\n  <link rel="stylesheet" type="text/css" href="../_static/sphinx-design.min.css?v=6a604523" />'
        '\n  <script data-sd-tabs-storage-prefix="sphinx-design-tab-id-" src="../_static/design-tabs.js?v=fc"></script>'
    )
    head = f'<script>{lp.EARLY_THEME}</script><script defer src="_static/scripts/fontawesome.js?digest=5"></script>'
    assert "sphinx-design" not in lp.lean(head + design + '<p class="rubric">x</p>')
    card = '<div class="sd-card sd-sphinx-override">x</div>'
    assert design in lp.lean(head + design + card) and design in lp.lean(head + design + f'<p class="a {card[12:]}')


def test_lean_pages_loads_the_search_scripts_on_the_search_page_only():
    lp = _book_ext("lean_pages")
    search = (
        '\n  <script src="../_static/searchtools.js"></script>\n  <script src="../_static/language_data.js"></script>'
        '\n  <script src="../searchindex.js"></script>\n  <script src="../_static/book.js?v=1"></script>'
    )
    theme = f"<script>{lp.EARLY_THEME}</script>"
    page = theme + '<head><script defer src="_static/scripts/fontawesome.js?digest=55c2"></script>' + search + "</head>"
    lean = f"<script>{lp.RESOLVED_THEME}</script><head>"
    assert lp.lean(page) == lean + '\n  <script src="../_static/book.js?v=1"></script></head>'
    assert lp.lean(page, search=True) == lean + search + "</head>"


ICON_CSS = (
    '.fa-bars:before,.fa-navicon:before{content:"\\f0c9"}.fa-at:before{content:"\\@"}'
    '.fa-sun:before{content:"\\f185"}.fa-magnifying-glass{color:red}'
    '.note:after{content:var(--pst-icon-info)}:root{--pst-icon-info:"\uf05a"}'
)


def test_lean_icons_keeps_the_rules_of_the_icons_used_and_the_characters_drawn():
    li = _book_ext("lean_icons")
    assert li.used_icons(['<i class="fa-solid fa-bars"></i>', 'x.classList.add("fa-at")']) == {
        "fa-solid",
        "fa-bars",
        "fa-at",
    }
    css, drawn = li.prune(ICON_CSS, {"fa-navicon", "fa-at"})
    assert ".fa-bars:before,.fa-navicon:before{" in css and ".fa-at:before" in css  # an alias keeps the rule
    assert ".fa-sun" not in css and ".fa-magnifying-glass{color:red}" in css  # not an icon's glyph: kept
    assert drawn == {0xF0C9, ord("@"), 0xF05A}  # the variable's character itself, outside any icon rule
    assert li.prune(css, {"fa-navicon", "fa-at"}) == (css, drawn)  # its own output again: the same
    assert li.characters('a:after{content:"\\f107  x";}b{content:"\u00b6"}') == {0xF107, 0xB6}
    assert li.css_string("\\f0c9 \\@x") == "\uf0c9@x"
    with pytest.raises(TypeError, match="css"):
        li.prune(b"css", set())


def test_lean_icons_subsets_the_font_to_the_glyphs_drawn(tmp_path):
    li = _book_ext("lean_icons")
    pytest.importorskip("brotli")
    from fontTools.ttLib import TTFont

    theme = Path(pytest.importorskip("pydata_sphinx_theme").__file__).parent
    fonts = sorted(theme.glob("theme/*/static/vendor/fontawesome/webfonts"))
    assert fonts, "pydata-sphinx-theme's Font Awesome fonts moved"
    (tmp_path / "_static/styles").mkdir(parents=True)
    (tmp_path / "_static/vendor/fontawesome").mkdir(parents=True)
    shutil.copytree(fonts[0], tmp_path / "_static/vendor/fontawesome/webfonts")
    (tmp_path / li.STYLE_SHEET).write_text(ICON_CSS, encoding="utf-8")
    (tmp_path / "page.html").write_text('<i class="fa-solid fa-bars"></i>', encoding="utf-8")
    assert li.lean_icons(tmp_path) == (1, 2)
    for font in li.FONTS:
        assert set(TTFont(tmp_path / font).getBestCmap()) == {0xF0C9, 0xF05A}
    with pytest.raises(ValueError, match="codepoints"):
        li.subset_font(tmp_path / li.FONTS[0], set())
    with pytest.raises(ValueError, match="outdir"):
        li.lean_icons(tmp_path / "nothing")


def test_lean_figures_shows_each_png_as_its_lossless_webp(tmp_path):
    lf = _book_ext("lean_figures")
    from PIL import Image, ImageChops

    images = tmp_path / "_images"
    images.mkdir()
    y, x = np.mgrid[0:120, 0:200]
    pixels = np.stack([x % 256, y * 2, (x + y) % 7 * 30, np.full_like(x, 255)], axis=-1).astype(np.uint8)
    Image.fromarray(pixels, "RGBA").save(images / "fig.png")  # opaque RGBA, as matplotlib writes
    page = (
        '<a href="../_images/fig.png"><img alt="A figure." src="../_images/fig.png" /></a>'
        '<img alt="gone" src="../_images/missing.png" />'
    )
    lean = lf.lean_figures(page, images)
    assert lean == page.replace('src="../_images/fig.png"', 'src="../_images/fig.webp"')  # the link keeps the PNG
    assert lf.lean_figures(lean, images) == lean
    with Image.open(images / "fig.webp") as webp, Image.open(images / "fig.png") as png:
        assert webp.mode == "RGB" and not ImageChops.difference(webp.convert("RGB"), png.convert("RGB")).getbbox()
    assert (images / "fig.webp").stat().st_size < (images / "fig.png").stat().st_size
