"""book/_ext/page_fixes.py: each script once per page, and the page texts for offline search excerpts."""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from tool_loader import load_book_ext


def _ext():
    return load_book_ext("page_fixes")


def test_a_script_registered_twice_is_included_once():
    from sphinx.builders.html._assets import _JavaScript

    pf = _ext()
    config = _JavaScript(None, body='const THEBE_JS_URL = "x"')
    again = _JavaScript("", priority=200, body='const THEBE_JS_URL = "x"')
    other = _JavaScript("book.js")
    assert pf.unique([config, other, again, other]) == [config, other]
    context = {"script_files": [config, again], "css_files": [], "body": '<div role="doc-biblioentry">x</div>'}
    pf.fix_page(None, "book/bibliography", "page.html", context, None)
    assert context["script_files"] == [config] and context["body"] == "<div>x</div>"


def test_page_text_keeps_prose_and_anchors_and_drops_code():
    pf = _ext()
    section = nodes.section(ids=["saddles", "id1"])
    section += nodes.title(text="Saddle <points>")
    section += nodes.paragraph(text="A saddle is flat.")
    section += nodes.literal_block(text="print('code')")
    term = nodes.term(text="saddle point", ids=["term-saddle-point"])
    section += nodes.definition_list(
        "", nodes.definition_list_item("", term, nodes.definition("", nodes.paragraph(text="Flat.")))
    )
    html = pf.page_text(section)
    assert html.startswith('<div id="saddles"><span id="id1"></span>Saddle &lt;points&gt; A saddle is flat.')
    assert '<div id="term-saddle-point">saddle point Flat.  </div>' in html and "code" not in html


class _App:
    """What write_pages and collect_text use of a Sphinx application."""

    def __init__(self, root: Path, docs) -> None:
        self.doctreedir, self.outdir = root / ".doctrees", root / "html"
        self.builder = type("Builder", (), {"format": "html"})()
        self.env = type("Env", (), {"all_docs": dict.fromkeys(docs, 0.0)})()
        self.scripts = []

    def add_js_file(self, name):
        self.scripts.append(name)


def _script_pages(app) -> dict:
    import json

    text = (app.outdir / "_static" / "search-pages.js").read_text(encoding="utf-8")
    return json.loads(text[text.index("=") + 1 :].strip().rstrip(";"))


def _build(pf, root, docs, written):
    """One build: ``written`` pages (name -> paragraph text) are written again, the others are not."""
    app = _App(root, docs)
    pf.start_pages(app)
    for name, text in written.items():
        pf.collect_text(app, name, "page.html", {}, nodes.section("", nodes.paragraph(text=text)))
    pf.write_pages(app, None)
    return _script_pages(app)


def test_page_texts_survive_an_incremental_build(tmp_path):
    pf = _ext()
    first = _build(pf, tmp_path, ["a", "b", "c"], {"a": "alpha", "b": "beta", "c": "gamma"})
    assert sorted(first) == ["a", "b", "c"] and "beta" in first["b"]
    # The second build writes only the changed page "a" and "c" is gone: "b" keeps its text.
    second = _build(pf, tmp_path, ["a", "b"], {"a": "alpha two"})
    assert sorted(second) == ["a", "b"] and "alpha two" in second["a"] and second["b"] == first["b"]
    # A failed build writes nothing.
    app = _App(tmp_path, ["a"])
    pf.write_pages(app, RuntimeError("failed"))
    assert sorted(_script_pages(app)) == ["a", "b"]
