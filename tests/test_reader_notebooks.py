"""tools/reader_notebooks.py: glue, citations and gated solutions substituted for JupyterLab.

Small synthetic notebooks for each substitution, then the real chapters (no raw glue left, code
cells unchanged), the wheel with its MNIST file, and the pins of the [lab] extra.
"""

from __future__ import annotations

import base64
import json
import re
import zipfile
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]


from tool_loader import load_tool as _tool  # noqa: E402

rn = _tool("reader_notebooks")
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n fake").decode()
BIB = {"nielsen2015": ("Nielsen", "2015"), "glorot2010": ("Glorot and Bengio", "2010"), "he2015": ("He et al.", "2015")}


def glue_output(name: str, value: object = None, png: str | None = None) -> dict:
    """A display_data output as myst-nb's ``glue(name, value, display=False)`` stores it."""
    data = {"application/papermill.record/text/plain": repr(value) if png is None else "<Figure size 640x480>"}
    if png is not None:
        data["application/papermill.record/image/png"] = png
    return {
        "output_type": "display_data",
        "data": data,
        "metadata": {"scrapbook": {"name": name, "mime_prefix": "application/papermill.record/"}},
    }


def notebook(*cells: dict) -> dict:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.from_dict(c) for c in cells]
    return json.loads(nbformat.writes(nb))


def md(text: str) -> dict:
    return nbformat.v4.new_markdown_cell(text)


def code(text: str, *outputs: dict, tags: list[str] | None = None) -> dict:
    cell = nbformat.v4.new_code_cell(text, outputs=[nbformat.from_dict(o) for o in outputs])
    if tags:
        cell.metadata["tags"] = tags
    return cell


def book(**chapters: dict) -> rn.Book:
    return rn.Book(chapters or {"ch": notebook(md("# A chapter"))}, bib=BIB, pages={"claims-ledger": "Claims ledger"})


def convert(nb: dict, bk=None) -> dict:
    out = rn.reader_notebook(nb, bk or book(ch=nb), "ch.ipynb")
    nbformat.validate(nbformat.from_dict(out))
    return out


def markdown_sources(nb: dict) -> list[str]:
    return [rn.source(c) for c in nb["cells"] if c["cell_type"] == "markdown"]


def test_text_glue_pastes_the_value_without_quotes():
    nb = notebook(
        md("# T"),
        code("put(...)", glue_output("n_pieces", "1,024"), glue_output("ratio", 50)),
        md("A {glue:text}`n_pieces` pieces, {glue}`ratio` times as many."),
    )
    out = convert(nb)
    assert markdown_sources(out)[-1] == "A 1,024 pieces, 50 times as many."


def test_glue_with_format_spec_formats_as_myst_nb():
    nb = notebook(
        md("# T"),
        code("glue(...)", glue_output("x", 0.123456), glue_output("p", 0.5), glue_output("k", 3)),
        md("{glue:text}`x:.2f`, {glue:text}`p:.0%`, {glue:text}`k:03d`, {glue:text}`x:.1e`"),
    )
    assert markdown_sources(convert(nb))[-1] == "0.12, 50%, 003, 1.2e-01"


def test_figure_glue_becomes_a_figure_with_attachment_caption_and_name():
    nb = notebook(
        md("# T"),
        code("put_figure(...)", glue_output("fig_a", png=PNG)),
        md(
            "Before.\n\n```{glue:figure} fig_a\n:name: fig-a\n:alt: A curve.\n\nThe caption, "
            "with {glue:text}`n`.\n```\n\nAfter, see {numref}`fig-a`."
        ),
        code("glue('n', '3')", glue_output("n", "3")),
    )
    out = convert(nb)
    cell = out["cells"][-2]
    assert rn.source(cell) == (
        "Before.\n\n```{figure} attachment:fig_a.png\n:name: fig-a\n:alt: A curve.\n\n"
        "The caption, with 3.\n```\n\nAfter, see {numref}`fig-a`."
    )
    assert cell["attachments"] == {"fig_a.png": {"image/png": PNG}}
    # The figure is stored once, as the attachment: glue's records leave the code cells.
    assert [c["outputs"] for c in out["cells"] if c["cell_type"] == "code"] == [[], []]


def test_glue_records_leave_an_output_that_also_shows_something():
    shown = {
        "output_type": "display_data",
        "metadata": {},
        "data": {"text/plain": "<Figure>", "image/png": PNG, "application/papermill.record/image/png": PNG},
    }
    out = convert(notebook(md("# T"), code("show()", shown)))
    assert sorted(out["cells"][-1]["outputs"][0]["data"]) == ["image/png", "text/plain"]


def test_citations_become_author_year_text():
    nb = notebook(md("# T\n{cite:p}`nielsen2015`; {cite}`glorot2010,he2015`; {cite:t}`nielsen2015` shows it."))
    assert markdown_sources(convert(nb))[0] == (
        "# T\n(Nielsen, 2015); (Glorot and Bengio, 2010; He et al., 2015); Nielsen (2015) shows it."
    )


def test_bibliography_names_as_the_text_cites_them(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@article{a, author = {Yann LeCun and L{\\'e}on Bottou and Yoshua Bengio}, title = {T},"
        " year = {1998}}\n"
        "@misc{b, author = {{Data Science Stack Exchange}}, title = {Q}, year = {2020a}}\n"
        "@book{c, author = {Polyak, Boris T.}, title = {M}, year = {1964}}\n"
    )
    assert rn.bibliography(bib) == {
        "a": ("LeCun et al.", "1998"),
        "b": ("Data Science Stack Exchange", "2020a"),
        "c": ("Polyak", "1964"),
    }
    assert rn._latex_text("L{\\'e}on") == "Léon"


def test_unknown_glue_key_is_a_clear_error_naming_it():
    nb = notebook(md("# T"), md("It is {glue:text}`ch9_missing` here."))
    with pytest.raises(rn.ReaderError, match=r"ch\.ipynb, cell 1: glue key 'ch9_missing' is not in the notebook"):
        convert(nb)
    nb = notebook(md("# T"), md("```{glue:figure} ch9_fig\n:name: f\n\nC.\n```"))
    with pytest.raises(rn.ReaderError, match="glue key 'ch9_fig'"):
        convert(nb)


def test_unknown_citation_and_unsupported_glue_are_errors():
    with pytest.raises(rn.ReaderError, match="citation key 'nobody1999'"):
        convert(notebook(md("# T {cite:p}`nobody1999`")))
    with pytest.raises(rn.ReaderError, match=r"\{glue:md\} is not supported"):
        convert(notebook(md("# T"), code("g", glue_output("x", "1")), md("{glue:md}`x`")))


def test_cross_chapter_links_and_local_references():
    one = notebook(
        md(
            "(one-top)=\n# One\n\n(one-sec)=\n## A section\n\nSee {ref}`one-sec`, {numref}`fig-x`, "
            "{ref}`two-sec`, {ref}`the second <two-sec>`, {doc}`02_two`, {ref}`the ledger <claims-ledger>` "
            "and {ref}`claims-ledger`."
        )
    )
    two = notebook(md("# Two\n\n(two-sec)=\n## Second section\n\n```{figure} a.png\n:name: fig-two\n```"))
    out = convert(one, book(**{"01_one": one, "02_two": two}))
    assert markdown_sources(out)[0].endswith(
        "See {ref}`one-sec`, {numref}`fig-x`, [Second section](02_two.ipynb), [the second](02_two.ipynb), "
        "[Two](02_two.ipynb), the ledger and Claims ledger."
    )
    other = convert(
        notebook(md("# One {numref}`fig-two`, {numref}`Figure %s <fig-two>`")), book(**{"01_one": one, "02_two": two})
    )
    assert markdown_sources(other)[0] == "# One [Two](02_two.ipynb), [Figure](02_two.ipynb)"
    with pytest.raises(rn.ReaderError, match="label 'nowhere'"):
        convert(notebook(md("# T {ref}`nowhere`")))


def test_gated_solutions_become_dropdowns_and_collapsed_code():
    nb = notebook(
        md("# T\n\n```{exercise} First\n:label: ex-one\n\nDo it.\n```"),
        md("```{solution-start} ex-one\n:class: dropdown\n```\nWe compute:"),
        code("print(1)", {"output_type": "stream", "name": "stdout", "text": "1\n"}),
        md(
            "So it is 1.\n\n```{solution-end}\n```\n\n```{exercise} Second\n:label: ex-two\n\nAgain.\n```\n\n"
            "```{solution-start} ex-two\n:class: dropdown\n```"
        ),
        code("print(2)"),
        md("```{solution-end}\n```"),
        md("## Next"),
    )
    cells = convert(nb)["cells"][2:]  # after the title and the reader's note
    kinds = [(c["cell_type"], rn.source(c).split("\n")[0]) for c in cells]
    assert kinds == [
        ("markdown", ":::{dropdown} Solution to Exercise 1 (First)"),
        ("code", "print(1)"),
        ("markdown", ":::{dropdown} Solution to Exercise 1, continued"),
        ("markdown", "```{exercise} Second"),
        ("markdown", ":::{dropdown} Solution to Exercise 2 (Second)"),
        ("code", "print(2)"),
        ("markdown", "## Next"),
    ]
    assert rn.source(cells[0]) == ":::{dropdown} Solution to Exercise 1 (First)\nWe compute:\n:::\n"
    assert "So it is 1." in rn.source(cells[2]) and "solution-end" not in rn.source(cells[2])
    assert "collapsed cell below" in rn.source(cells[4])
    for c in (cells[1], cells[5]):
        assert c["metadata"]["jupyter"] == {"source_hidden": True, "outputs_hidden": True}
    assert len({c["id"] for c in cells}) == len(cells)


def test_code_cells_keep_source_and_outputs_and_hidden_inputs_collapse():
    out_a = {"output_type": "stream", "name": "stdout", "text": "a\n"}
    nb = notebook(
        md("# T"), code("x = 1\nprint('a')", out_a), code("put(x='1')", glue_output("x", "1"), tags=["remove-input"])
    )
    out = convert(nb)
    codes = [c for c in out["cells"] if c["cell_type"] == "code"]
    assert [rn.source(c) for c in codes] == ["x = 1\nprint('a')", "put(x='1')"]
    assert codes[0]["outputs"] == nb["cells"][1]["outputs"]
    assert codes[1]["outputs"] == []
    assert "jupyter" not in codes[0]["metadata"]
    assert codes[1]["metadata"]["jupyter"] == {"source_hidden": True}
    assert rn.source(out["cells"][1]) == rn.READER_NOTE


def test_fenced_blocks_match_the_closing_fence_of_their_length():
    text = "a\n````{glue:figure} k\n:name: n\n\n```python\nx\n```\ncap\n````\nb"
    (block,) = rn.fenced_blocks(text)
    assert (block["fence"], block["arg"], block["options"]) == ("````", "k", [":name: n"])
    assert block["body"] == "\n```python\nx\n```\ncap" and text[block["end"] :] == "\nb"


def test_figure_glue_inside_another_directive_and_indented():
    nb = notebook(
        md("# T"),
        code("put_figure(...)", glue_output("f", png=PNG)),
        md("````{admonition} Look\n- item\n\n  ```{glue:figure} f\n  :name: fig-f\n\n  Caption.\n  ```\n````"),
    )
    assert markdown_sources(convert(nb))[-1] == (
        "````{admonition} Look\n- item\n\n  ```{figure} attachment:f.png\n  :name: fig-f\n\n  Caption.\n  ```\n````"
    )


def shown(cell: dict) -> list:
    """A code cell's outputs without glue's records (what JupyterLab shows)."""
    outs = [
        dict(o, data={k: v for k, v in o["data"].items() if not k.startswith(rn.RECORD)}) if "data" in o else o
        for o in cell.get("outputs", [])
    ]
    return [o for o in outs if o.get("data", True)]


def test_the_chapters_convert_with_nothing_glued_left(tmp_path):
    written = rn.write_notebooks(tmp_path)
    chapters = sorted((ROOT / "chapters").glob("*.ipynb"))
    assert [p.name for p in written] == [p.name for p in chapters]
    for src, path in zip(chapters, written):
        before, after = json.loads(src.read_text()), json.loads(path.read_text())
        nbformat.validate(nbformat.from_dict(after))
        text = "\n".join(markdown_sources(after))
        for raw in ("{glue", "{cite", "{doc}", "solution-start", "solution-end"):
            assert raw not in text, f"{path.name}: {raw} left in the reader notebook"
        figures = sum(rn.source(c).count("{glue:figure}") for c in before["cells"])
        assert text.count("{figure} attachment:") == figures
        assert [(rn.source(c), shown(c)) for c in before["cells"] if c["cell_type"] == "code"] == [
            (rn.source(c), c.get("outputs")) for c in after["cells"] if c["cell_type"] == "code"
        ]
        assert rn.RECORD not in json.dumps(after), f"{path.name}: glue records left in code cells"


def test_the_wheel_carries_the_mnist_file_and_the_lab_extra(tmp_path):
    wheel = rn.build_wheel(tmp_path)
    assert wheel.name == rn.WHEEL_NAME
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        meta = z.read("vanishing-0.1.0.dist-info/METADATA").decode()
        assert z.getinfo("vanishing/_data/mnist.npz").file_size == (ROOT / "data" / "mnist.npz").stat().st_size
    assert {"vanishing/data.py", "vanishing/widgets.py", "vanishing/notebook.py"} <= names
    assert "Provides-Extra: lab" in meta and "jupyterlab-myst==" in meta.replace("_", "-")
    # The package page describes the book for a reader: what it is and how to run a chapter, not the
    # repository's build.
    description = meta.split("\n\n", 1)[1]
    assert (
        "Run a chapter yourself" in description and 'pip install "vanishing-0.1.0-py3-none-any.whl[lab]"' in description
    )
    assert "jupyter lab" in description and "make " not in description


def test_lab_pins_agree_between_requirements_and_the_extra():
    import tomllib

    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["lab"]
    reqs = [line.split("#")[0].strip() for line in (ROOT / "requirements.txt").read_text().splitlines()]
    pins = {r.split("==")[0].lower().replace("_", "-"): r for r in reqs if "==" in r}
    for req in extra:
        if "==" in req:
            name = req.split("==")[0].lower().replace("_", "-")
            assert pins.get(name, "").replace("_", "-") == req.replace("_", "-"), f"{name}: pinned differently"


def test_load_mnist_finds_the_wheels_copy_outside_a_checkout(tmp_path, monkeypatch):
    from vanishing import data

    pkg = tmp_path / "site-packages" / "vanishing"
    (pkg / "_data").mkdir(parents=True)
    (pkg / "_data" / "mnist.npz").write_bytes(b"x")
    monkeypatch.setattr(data, "DATA_DIR", tmp_path / "lib" / "data")
    monkeypatch.setattr(data, "PACKAGE_DATA_DIR", pkg / "_data")
    assert data._shipped_path() == pkg / "_data" / "mnist.npz"
    (pkg / "_data" / "mnist.npz").unlink()
    assert data._shipped_path() == pkg / "_data" / "mnist.npz"  # missing: the error names the wheel's path
    with pytest.raises(FileNotFoundError, match=re.escape("reinstall the book's wheel")):
        data.load_mnist(pkg / "_data" / "mnist.npz")
    assert data.MNIST_PATH == ROOT / "data" / "mnist.npz"  # in this checkout


@pytest.mark.parametrize("path", sorted((ROOT / "chapters").glob("*.ipynb")), ids=lambda p: p.stem)
def test_each_chapter_page_states_the_two_commands_and_its_reader_notebook_drops_them(path):
    nb = json.loads(path.read_text())
    boxes = [c for c in nb["cells"] if rn.HTML_ONLY in c.get("metadata", {}).get("tags", [])]
    assert len(boxes) == 1, f"{path.name}: expected one 'Run this chapter yourself' cell"
    text = rn.source(boxes[0])
    version = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.MULTILINE)[1]
    assert rn.WHEEL_NAME == f"vanishing-{version}-py3-none-any.whl"
    assert f'pip install "{rn.WHEEL_NAME}[lab]"' in text
    assert f"jupyter lab {path.name}" in text
    assert f'href="../_static/{rn.WHEEL_NAME}"' in text
    reader = rn.reader_notebook(nb, rn.Book.from_dir(ROOT / "chapters"), path.name)
    assert not any(rn.HTML_ONLY in c.get("metadata", {}).get("tags", []) for c in reader["cells"])


@pytest.mark.parametrize("chapter", sorted((ROOT / "chapters").glob("*.ipynb")), ids=lambda p: p.stem)
def test_no_myst_role_spans_two_lines(chapter):
    """A role whose text breaks across lines ({ref}`a section\\n<label>`) builds in Sphinx but reaches the
    reader raw in JupyterLab, whose MyST renderer reads roles line by line."""
    nb = nbformat.read(chapter, as_version=4)
    broken = [
        m.group(0)
        for cell in nb.cells
        if cell.cell_type == "markdown"
        for m in re.finditer(r"\{[\w:-]+\}`[^`]*`", cell.source)
        if "\n" in m.group(0)
    ]
    assert not broken, f"{chapter.name}: {broken}"
