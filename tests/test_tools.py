"""The repository's tools: the baseline environment, the claims ledger, the code-shape limits, the static explorers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


from tool_loader import load_tool as _tool  # noqa: E402


def test_baseline_env_turns_off_what_it_names(monkeypatch):
    be = _tool("baseline_env")
    monkeypatch.delenv("NPY_DISABLE_CPU_FEATURES", raising=False)
    env = be.baseline_env()
    assert env["OPENBLAS_CORETYPE"] == "Nehalem" and env["NUMBA_CPU_NAME"] == "generic"
    named = [f for f in env["NPY_DISABLE_CPU_FEATURES"].split(",") if f]
    assert named == be.dispatched_features()
    # A fresh process started with the variables has none of the dispatched targets on.
    probe = ("from numpy._core import _multiarray_umath as m;"
             "print(sum(bool(m.__cpu_features__.get(f)) for f in m.__cpu_dispatch__))")
    out = subprocess.run([sys.executable, "-c", probe], env={**os.environ, **env},
                         capture_output=True, text=True, check=True).stdout
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

    return Explorer("ch9_toy", lambda: plot, {"depth": Steps("depth", 2, 1, 3),
                                              "kind": Choice.of("kind", ("a", "b"), "a")})


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
    assert [(r["name"], r["frames"], r["images"], r["messages"], r["cached"]) for r in first] == \
        [("ch9_toy", 6, 6, 1, False)]
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
        assert (frame["width"], frame["height"]) == (300, 200) and m["pixel_ratio"] == 2
        assert image.format == "WEBP" and image.size == (600, 400)

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


def test_static_explorers_refuses_pages_with_unregistered_explorers(tmp_path):
    tool = _tool("static_explorers")
    (tmp_path / "index.html").write_text('<div class="explorer-static" data-explorer="ch9_nowhere"></div>')
    with pytest.raises(ValueError, match="ch9_nowhere"):
        tool.build(tmp_path, tmp_path / "cache", processes=1)
    with pytest.raises(FileNotFoundError, match="html_dir"):
        tool.build(tmp_path / "missing", tmp_path / "cache", processes=1)


def test_trim_mathjax_keeps_what_pages_load_and_drops_the_rest(tmp_path):
    tm = _tool("trim_mathjax")
    mj = tmp_path / "_static" / "mathjax"
    (mj / "output" / "svg").mkdir(parents=True)
    (mj / "output" / "chtml").mkdir(parents=True)
    (mj / "input" / "tex" / "extensions").mkdir(parents=True)
    for name in ("tex-chtml.js", "tex-svg.js", "tex-mml-chtml.js", "node-main.js", "startup.js", "loader.js",
                 "output/svg.js", "output/chtml.js", "output/svg/x.js", "input/tex/extensions/ams.js"):
        (mj / name).write_text("x" * 10)
    (tmp_path / "page.html").write_text('<script src="_static/mathjax/tex-chtml.js"></script>')
    removed, freed = tm.trim(tmp_path)
    assert removed == ["node-main.js", "svg", "svg.js", "tex-mml-chtml.js", "tex-svg.js"] and freed == 50
    left = sorted(str(p.relative_to(mj)) for p in mj.rglob("*.js"))
    assert left == ["input/tex/extensions/ams.js", "loader.js", "output/chtml.js", "startup.js", "tex-chtml.js"]


def test_trim_mathjax_refuses_a_build_whose_pages_load_no_mathjax(tmp_path):
    tm = _tool("trim_mathjax")
    (tmp_path / "_static" / "mathjax").mkdir(parents=True)
    (tmp_path / "page.html").write_text("<p>no math</p>")
    with pytest.raises(ValueError, match="html"):
        tm.trim(tmp_path)
