"""Small corrections to every HTML page the theme writes, made at build time.

- Each script is included once. sphinx-thebe (which jupyter-book always loads, unused here) registers
  its one-line configuration script twice, so every page declared ``const THEBE_JS_URL`` twice and
  logged "Identifier 'THEBE_JS_URL' has already been declared".
- The bibliography's entries carry no ``role="doc-biblioentry"``: the role is deprecated in WAI-ARIA
  1.3 (axe-core reports it), and the entries are ordinary blocks of the bibliography page.
- Search shows excerpts offline. Sphinx's search page fetches each page it lists to cut an excerpt
  from it, which a browser refuses for a book opened from ``file://``. So the build writes the text of
  every page (prose, without code, images or HTML outputs), keeping the ids of sections and terms so
  an excerpt can start at its anchor, into ``_static/search-pages.js`` (``window.bookSearchPages``:
  page name -> that text as a little HTML); only the search page loads it, and
  ``_static/search-offline.js`` serves the search's requests for pages from it. An incremental build
  writes only the pages that changed, so the texts are also kept in the doctree directory
  (``search-pages.json``, :data:`STORE`): the pages not written again keep their stored text, and a
  page no longer in the book is dropped.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from docutils import nodes

#: Nodes whose text an excerpt leaves out: code, images, raw HTML outputs, comments.
SKIPPED = (nodes.literal_block, nodes.raw, nodes.image, nodes.comment, nodes.substitution_definition)
PAGES_SCRIPT = "search-pages.js"
#: The page texts of the last build, in the doctree directory (kept with the pickled environment).
STORE = "search-pages.json"


def _asset_key(asset) -> tuple:
    """What a script or style sheet includes: its file and attributes (a body script's text among
    them), whatever the priority it was registered with; a body script's file is None or ""."""
    attributes = getattr(asset, "attributes", {}) or {}
    return (str(getattr(asset, "filename", asset) or ""), tuple(sorted((k, str(v)) for k, v in attributes.items())))


def unique(items: list) -> list:
    """``items`` without repeats (the same file with the same attributes), in their first order."""
    kept, seen = [], set()
    for item in items:
        key = _asset_key(item)
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


def page_text(node: nodes.Node, ids: list[str] | None = None) -> str:
    """The text of ``node`` as minimal HTML: escaped text, and a ``<div id>`` around every node with ids
    (``ids``: the ids to use instead of the node's own).

    Code, images, raw HTML and comments are left out (:data:`SKIPPED`); paragraphs and other blocks are
    separated by a space. A glossary term's anchor holds its definition too, so that an excerpt from
    it reads the definition.
    """
    if isinstance(node, nodes.Text):
        return html.escape(node.astext(), quote=False)
    if isinstance(node, SKIPPED):
        return ""
    if isinstance(node, nodes.definition_list_item) and ids is None:
        terms = [i for term in node.children if isinstance(term, nodes.term) for i in term.get("ids", [])]
        ids = list(node.get("ids", [])) + terms
        inner = (
            "".join(
                page_text(child, []) if isinstance(child, nodes.term) else page_text(child) for child in node.children
            )
            + " "
        )
    else:
        inner = "".join(page_text(child) for child in node.children)
        if isinstance(node, (nodes.TextElement, nodes.Structural)) and not isinstance(node, nodes.Inline):
            inner += " "
    if ids is None:
        ids = node.get("ids", []) if isinstance(node, nodes.Element) else []
    if not ids:
        return inner
    extra = "".join(f'<span id="{html.escape(i)}"></span>' for i in ids[1:])
    return f'<div id="{html.escape(ids[0])}">{extra}{inner}</div>'


def collect_text(app, pagename, templatename, context, doctree):
    """``html-page-context``: remember the page's text for the offline search; load it on the search page."""
    if doctree is not None:
        app.env.book_search_pages = getattr(app.env, "book_search_pages", {})
        app.env.book_search_pages[pagename] = f'<div role="main">{page_text(doctree)}</div>'
    if pagename == "search":
        app.add_js_file(PAGES_SCRIPT)
        app.add_js_file("search-offline.js")


def stored_pages(app) -> dict[str, str]:
    """The page texts the previous build kept (:data:`STORE`), or none if it kept none or they are unreadable."""
    try:
        pages = json.loads((Path(app.doctreedir) / STORE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return pages if isinstance(pages, dict) else {}


def write_pages(app, exception):
    """``build-finished``: write ``_static/search-pages.js`` from the texts of the pages written now and,
    for the pages an incremental build did not write again, the texts the previous build kept."""
    if exception is not None or app.builder.format != "html":
        return
    written = getattr(app.env, "book_search_pages", {})
    pages = {name: text for name, text in (stored_pages(app) | written).items() if name in app.env.all_docs}
    if not pages:
        return
    store = Path(app.doctreedir) / STORE
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_text(json.dumps(pages, ensure_ascii=False), encoding="utf-8")
    target = Path(app.outdir) / "_static" / PAGES_SCRIPT
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        "// Generated by book/_ext/page_fixes.py: each page's text, for search excerpts offline.\n"
        "window.bookSearchPages = " + json.dumps(dict(sorted(pages.items())), ensure_ascii=False) + ";\n",
        encoding="utf-8",
    )


def fix_page(app, pagename, templatename, context, doctree):
    """``html-page-context``: drop repeated scripts and the deprecated bibliography role."""
    for key in ("script_files", "css_files"):
        files = context.get(key)
        if isinstance(files, list):
            files[:] = unique(files)
    if isinstance(context.get("body"), str):
        context["body"] = context["body"].replace(' role="doc-biblioentry"', "")


def start_pages(app):
    """``builder-inited``: no page written yet in this build."""
    app.env.book_search_pages = {}


def setup(app):
    app.connect("builder-inited", start_pages)
    app.connect("html-page-context", collect_text)
    app.connect("html-page-context", fix_page, priority=900)
    app.connect("build-finished", write_pages)
    # Page texts are gathered in this process while pages are written.
    return {"parallel_read_safe": True, "parallel_write_safe": False}
