"""book/_ext/page_fixes.py: each script once per page, and the page texts for offline search excerpts."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from docutils import nodes

EXT = Path(__file__).resolve().parents[1] / "book" / "_ext" / "page_fixes.py"


def _ext():
    spec = importlib.util.spec_from_file_location("page_fixes", EXT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
