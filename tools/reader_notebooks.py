"""Reader notebooks: the chapters as they read in JupyterLab, with myst-nb's glue pasted in.

The chapters paste computed numbers and figures into their prose with myst-nb's ``glue`` roles and
directives, which only the HTML book's build resolves.  A reader notebook is a stored, executed
chapter in which every such reference is replaced by the value the chapter stored in its outputs,
so that JupyterLab with the jupyterlab_myst extension shows the prose as the book does.  This is a
substitution of known values, not a renderer:

* ``{glue:text}`key``` and ``{glue:text}`key:fmt``` (formatted as myst-nb does) and ``{glue}`key```
  become the glued text, without the quotes of its text/plain repr;
* a ``{glue:figure}`` (or ``{glue}``) directive becomes a MyST ``{figure}`` of the glued PNG, stored
  as an attachment of the markdown cell, with the directive's caption and options (``:name:``
  included, so ``{numref}`` still works);
* ``{cite}``, ``{cite:p}`` and ``{cite:t}`` become author-year text from ``book/references.bib``,
  "(Nielsen, 2015)" and "Nielsen (2015)";
* ``{doc}`` and a ``{ref}`` to another chapter become a link to that chapter's notebook; a
  ``{ref}`` to a page that is not a chapter becomes its text;
* sphinx-exercise's gated solutions (``solution-start`` ... ``solution-end``, which span several
  cells) become a "Solution to Exercise N (title)" dropdown holding the text of the solution's
  first cell, and the solution's other cells are collapsed (see :func:`convert_solutions`).

Everything else (admonitions, ``{exercise}``, ``{numref}``, ``{eq}``, math, ``(label)=`` targets)
is left to jupyterlab_myst.  Code cells keep their source and outputs, so Run All recomputes them;
the cells whose input the book hides (tags remove-input, hide-input, remove-cell) are collapsed.

Usage (``make lab`` and ``make reader`` call it)::

    python tools/reader_notebooks.py notebooks OUT    # chapters/*.ipynb -> OUT/*.ipynb
    python tools/reader_notebooks.py wheel OUT        # the vanishing wheel, MNIST inside, -> OUT/
    python tools/reader_notebooks.py html _build/html # both, where the HTML book serves them
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"
BIB = ROOT / "book" / "references.bib"
RECORD = "application/papermill.record/"
#: Tags with which the book hides a code cell's input; the reader notebook collapses it.
HIDDEN_TAGS = {"remove-input", "hide-input", "remove-cell"}
#: The tag of the chapters' "Run this chapter yourself" box, which only the HTML book shows.
HTML_ONLY = "run-yourself"
#: What a reader runs; the same text is in README.md ("Run interactively").
WHEEL_NAME = "vanishing-0.1.0-py3-none-any.whl"
READER_NOTE = (
    "```{note}\n"
    "This is the chapter's notebook. The numbers and figures in its text are those of the book's run; "
    "**Run > Run All Cells** recomputes every output below, and the interactive figures' controls "
    "respond once their cell has run. It needs the book's package: "
    f'`pip install "{WHEEL_NAME}[lab]"` (the wheel is on the book\'s site, next to its pages).\n'
    "```"
)

ROLE = re.compile(r"\{(?P<role>[a-z]+(?::[a-z]+)?)\}`(?P<content>[^`]+)`")
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|:{3,})\{(?P<name>[a-z:-]+)\}[ \t]*(?P<arg>.*)$")
GLUE_DIRECTIVES = ("glue:figure", "glue", "glue:any")
TARGET = re.compile(r"^\((?P<label>[\w-]+)\)=[ \t]*$", re.MULTILINE)
OPTION_LABEL = re.compile(r"^:(?:name|label):[ \t]*(?P<label>[\w-]+)[ \t]*$", re.MULTILINE)
MATH_LABEL = re.compile(r"^\$\$[ \t]*\((?P<label>[\w-]+)\)[ \t]*$", re.MULTILINE)
EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.DOTALL)


class ReaderError(ValueError):
    """A reference that the reader notebook cannot resolve (the message names it)."""


def source(cell: dict) -> str:
    """A cell's source as one string (notebooks store it as a string or a list of lines)."""
    src = cell.get("source", "")
    return src if isinstance(src, str) else "".join(src)


# ------------------------------------------------------------------------------------------- glue


def glued(nb: dict) -> dict[str, dict]:
    """Every glued value of an executed notebook: key -> its MIME bundle (``text/plain``, ``image/png``)."""
    values = {}
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                values[name] = {k[len(RECORD) :]: v for k, v in out.get("data", {}).items() if k.startswith(RECORD)}
    return values


def plain_text(text: str, fmt: str = "") -> str:
    """A glued text/plain value as ``{glue:text}`` shows it: myst-nb's ``format_plain_text``."""
    try:
        value = ast.literal_eval(text)
    except (SyntaxError, ValueError):
        value = text
    if not fmt:
        return str(value)
    kind = fmt[-1]
    if kind == "s":
        value = str(value)
    elif kind in "bcdoxX":
        value = int(value)
    elif kind in "eEfFgGn%":
        value = float(value)
    return format(value, fmt)


def glued_text(values: dict, key: str, where: str) -> str:
    """The text of glue ``key`` (``key`` or ``key:fmt``); a ReaderError names a missing key."""
    key, _, fmt = key.strip().partition(":")
    if key not in values:
        raise ReaderError(
            f"{where}: glue key {key!r} is not in the notebook's stored outputs (run the chapter so that it glues it)"
        )
    if "text/plain" not in values[key]:
        raise ReaderError(f"{where}: glue key {key!r} has no text to paste")
    return plain_text(values[key]["text/plain"], fmt)


def glue_figure(block: dict, values: dict, attachments: dict, where: str) -> str:
    """A ``{glue:figure}`` block as a MyST ``{figure}`` of the glued PNG (stored in ``attachments``)."""
    key = block["arg"].strip()
    if key not in values:
        raise ReaderError(
            f"{where}: glue key {key!r} is not in the notebook's stored outputs (run the chapter so that it glues it)"
        )
    if "image/png" not in values[key]:
        if block["name"] == "glue" and "text/plain" in values[key]:
            return plain_text(values[key]["text/plain"])
        raise ReaderError(f"{where}: glue key {key!r} is not a PNG figure")
    png = values[key]["image/png"]
    attachments[f"{key}.png"] = {"image/png": png if isinstance(png, str) else "".join(png)}
    fence, indent = block["fence"], block["indent"]
    caption = block["body"].strip("\n").split("\n")
    lines = [f"{fence}{{figure}} attachment:{key}.png", *block["options"], "", *caption, fence]
    return "\n".join(indent + line if line else line for line in lines)


def fenced_blocks(text: str, names: tuple[str, ...] = GLUE_DIRECTIVES):
    """The fenced directives called one of ``names`` in a markdown text, also inside other directives.

    A block is ``{start, end, indent, fence, name, arg, options (lines ':key: value'), body}``;
    ``start`` and ``end`` are character offsets of its first and last line (without the newline).
    """
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i].rstrip("\n"))
        if not m or m["name"] not in names:
            i += 1  # other directives are searched inside too
            continue
        fence = m["fence"]
        close = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        j = i + 1
        while j < len(lines) and not close.match(lines[j].rstrip("\n")):
            j += 1
        inner = [line.rstrip("\n")[len(m["indent"]) :] for line in lines[i + 1 : j]]
        k = 0
        while k < len(inner) and re.match(r"^:[\w-]+:", inner[k]):
            k += 1
        end = offsets[j] + len(lines[j].rstrip("\n")) if j < len(lines) else len(text)
        yield {
            "start": offsets[i],
            "end": end,
            "indent": m["indent"],
            "fence": fence,
            "name": m["name"],
            "arg": m["arg"],
            "options": inner[:k],
            "body": "\n".join(inner[k:]),
        }
        i = j + 1


# -------------------------------------------------------------------------------------- citations


def bibliography(path: Path = BIB) -> dict[str, tuple[str, str]]:
    """key -> (authors as the text cites them, year): "Nielsen", "Glorot and Bengio", "He et al."."""
    from pybtex.database import (
        parse_file,  # Jupyter Book's dependency (sphinxcontrib-bibtex)
    )

    entries = {}
    for key, entry in parse_file(str(path)).entries.items():
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        last = [" ".join(p.last_names).replace("{", "").replace("}", "") for p in people]
        if not last:
            names = entry.fields.get("title", key)
        elif len(last) <= 2:
            names = " and ".join(last)
        else:
            names = f"{last[0]} et al."
        entries[key] = (_latex_text(names), entry.fields.get("year", "n.d."))
    return entries


def _latex_text(s: str) -> str:
    """The few LaTeX accents of a .bib name as Unicode ("L{\\'e}on" -> "Léon")."""
    accents = {"'": "\u0301", "`": "\u0300", '"': "\u0308", "^": "\u0302", "~": "\u0303"}
    s = re.sub(r"\{?\\([\'`\"^~])\{?(\w)\}?\}?", lambda m: m[2] + accents[m[1]], s)
    return unicodedata.normalize("NFC", s.replace("{", "").replace("}", ""))


def citation(role: str, keys: str, bib: dict, where: str) -> str:
    """``{cite:p}`a,b``` -> "(A, 2010; B and C, 2015)"; ``{cite:t}`a``` -> "A (2010)"."""
    found = []
    for key in (k.strip() for k in keys.split(",")):
        if key not in bib:
            raise ReaderError(f"{where}: citation key {key!r} is not in {BIB.relative_to(ROOT)}")
        found.append(bib[key])
    if role == "cite:t":
        return "; ".join(f"{names} ({year})" for names, year in found)
    return "(" + "; ".join(f"{names}, {year}" for names, year in found) + ")"


# ---------------------------------------------------------------------------- cross-references


def labels_of(nb: dict) -> set[str]:
    """Labels a notebook defines: ``(label)=`` targets, ``:name:``/``:label:`` options, ``$$ (label)``."""
    text = "\n".join(source(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    return {m["label"] for pattern in (TARGET, OPTION_LABEL, MATH_LABEL) for m in pattern.finditer(text)}


def headings(text: str) -> dict[str, str]:
    """``(label)=`` -> the text of the heading right after it."""
    return {m[1]: m[2].strip() for m in re.finditer(r"^\(([\w-]+)\)=[ \t]*\n#+[ \t]+(.+)$", text, re.MULTILINE)}


def title_of(nb: dict) -> str:
    """A notebook's first level-1 heading."""
    for cell in nb["cells"]:
        m = re.search(r"^#[ \t]+(.+)$", source(cell), re.MULTILINE)
        if cell["cell_type"] == "markdown" and m:
            return m[1].strip()
    raise ReaderError("notebook without a '# title' heading")


class Book:
    """What a reader notebook needs from the rest of the book: chapters' labels and titles, the bibliography."""

    def __init__(self, notebooks: dict[str, dict], bib: dict | None = None, pages: dict[str, str] | None = None):
        #: chapter name (file stem) -> its title; label -> (chapter name, heading text)
        self.titles = {name: title_of(nb) for name, nb in notebooks.items()}
        self.labels = {}
        for name, nb in notebooks.items():
            text = "\n".join(source(c) for c in nb["cells"] if c["cell_type"] == "markdown")
            for label in labels_of(nb):
                self.labels[label] = (name, headings(text).get(label, self.titles[name]))
        #: labels of the book's other pages (book/*.md) -> heading text
        self.pages = (
            pages
            if pages is not None
            else {k: v for md in sorted((ROOT / "book").glob("*.md")) for k, v in headings(md.read_text()).items()}
        )
        self.bib = bib if bib is not None else bibliography()

    @classmethod
    def from_dir(cls, folder: Path = CHAPTERS) -> Book:
        return cls({p.stem: json.loads(p.read_text()) for p in sorted(folder.glob("*.ipynb"))})

    def ref(self, content: str, local: set[str], where: str, role: str = "ref") -> str | None:
        """A ``{ref}`` (``{numref}``, ``{eq}``) to another chapter -> a link to its notebook; to
        another page -> plain text.  None for a label of this notebook (jupyterlab_myst resolves it).
        """
        m = EXPLICIT.match(content)
        text, label = (m["text"], m["target"].strip()) if m else (None, content.strip())
        if label in local or (role != "ref" and label not in self.labels):
            return None
        if label in self.labels:
            chapter, heading = self.labels[label]
            return f"[{text or heading}]({chapter}.ipynb)"
        if text or label in self.pages:
            return text or self.pages[label]
        raise ReaderError(f"{where}: {{{role}}} label {label!r} is defined nowhere in the book")

    def doc(self, content: str, where: str) -> str:
        """``{doc}`02_x``` or ``{doc}`text <02_x>``` -> a link to that chapter's notebook."""
        m = EXPLICIT.match(content)
        text, target = (m["text"], m["target"].strip()) if m else (None, content.strip())
        name = Path(target).name.removesuffix(".ipynb")
        if name not in self.titles:
            if text:
                return text
            raise ReaderError(f"{where}: {{doc}} {target!r} is not a chapter")
        return f"[{text or self.titles[name]}]({name}.ipynb)"


# -------------------------------------------------------------------------------------- the cells


def convert_markdown(text: str, values: dict, book: Book, local: set[str], attachments: dict, where: str) -> str:
    """One markdown cell's source with glue, citations and cross-chapter links substituted."""
    out, last = [], 0
    for block in fenced_blocks(text):
        out += [text[last : block["start"]], glue_figure(block, values, attachments, where)]
        last = block["end"]
    text = "".join(out) + text[last:]

    def role(m: re.Match) -> str:
        name, content = m["role"], m["content"]
        if name in ("glue", "glue:text", "glue:any"):
            return glued_text(values, content, where)
        if name in ("cite", "cite:p", "cite:t"):
            return citation(name, content, book.bib, where)
        if name == "doc":
            return book.doc(content, where)
        if name in ("ref", "numref", "eq"):  # a label of another chapter: a link to it
            return book.ref(re.sub(r"\s*(%s|\{number\})", "", content), local, where, name) or m[0]
        return m[0]

    text = ROLE.sub(role, text)
    left = re.search(r"\{glue[^}]*\}", text)
    if left:
        raise ReaderError(f"{where}: {left[0]} is not supported by the reader notebooks (left as raw syntax)")
    return text


GATE = re.compile(
    r"^(`{3,}|:{3,})\{solution-(?P<kind>start|end)\}[ \t]*(?P<label>[\w-]*)[ \t]*\n"
    r"(?::[\w-]+:.*\n)*\1[ \t]*(?:\n|$)",
    re.MULTILINE,
)
EXERCISE = re.compile(r"^(`{3,}|:{3,})\{exercise\}[ \t]*(?P<title>.*)\n(?P<opts>(?::[\w-]+:.*\n)*)", re.MULTILINE)


def exercise_numbers(cells: list[dict]) -> dict[str, tuple[int, str]]:
    """Exercise label -> (its number in the notebook, its title), as jupyterlab_myst numbers them."""
    numbers = {}
    texts = (source(c) for c in cells if c["cell_type"] == "markdown")
    for n, m in enumerate((m for text in texts for m in EXERCISE.finditer(text)), start=1):
        label = re.search(r":label:[ \t]*([\w-]+)", m["opts"])
        if label:
            numbers[label[1]] = (n, m["title"].strip())
    return numbers


def convert_solutions(cells: list[dict]) -> list[dict]:
    """Gated solutions as closed dropdowns and collapsed code cells; returns the new list of cells.

    sphinx-exercise's ``solution-start`` ... ``solution-end`` gates span several cells (text, code,
    text), and jupyterlab_myst parses each cell alone, so the gates would not pair up (it shows an
    empty "Start of Solution" box, the solution's cells open, and an empty box for the end).  The
    reader notebook splits a markdown cell at its gates, so that each cell lies wholly inside or
    outside a solution; the solution's markdown becomes closed ``{dropdown}`` boxes, "Solution to
    Exercise N (title)" then "Solution to Exercise N, continued", and its code cells are collapsed
    (input and outputs), as the book folds the whole solution away.
    """
    numbers = exercise_numbers(cells)
    out, head = [], None  # head: the title of the solution we are in, None outside a solution
    for cell in cells:
        text = source(cell)
        if cell["cell_type"] != "markdown" or not GATE.search(text):
            if head and cell["cell_type"] == "code":
                _collapse(cell, outputs=True)
            elif head and text.strip():
                cell = {**cell, "source": _dropdown(f"{head.split(' (')[0]}, continued", text)}
            if cell["cell_type"] == "code" or text.strip():
                out.append(cell)
            continue
        pieces, pos, first = [], 0, False
        for m in GATE.finditer(text):
            pieces.append((text[pos : m.start()], head, first))
            head, first = None, m["kind"] == "start"
            if first:
                number, title = numbers.get(m["label"], (None, ""))
                head = (f"Solution to Exercise {number}" if number else "Solution") + (f" ({title})" if title else "")
            pos = m.end()
        pieces.append((text[pos:], head, first))
        for k, (piece, in_solution, is_first) in enumerate(pieces):
            if not piece.strip() and not is_first:
                continue
            if in_solution:
                title = in_solution if is_first else f"{in_solution.split(' (')[0]}, continued"
                piece = _dropdown(title, piece)
            else:
                piece = piece.strip("\n")
            new = {**cell, "metadata": json.loads(json.dumps(cell.get("metadata", {}))), "source": piece}
            new["id"] = f"{cell.get('id', 'cell')}-{k}"[:64]
            if "attachments" in cell:
                new["attachments"] = {n: a for n, a in cell["attachments"].items() if f"attachment:{n}" in piece}
            out.append(new)
    return out


def _dropdown(title: str, body: str) -> str:
    """A closed MyST dropdown around ``body``; its fence is longer than any colon fence inside."""
    fence = ":" * max([3] + [len(m[0]) + 1 for m in re.finditer(r"^:{3,}", body, re.MULTILINE)])
    body = body.strip() or "The solution's code is in the collapsed cell below: click its ••• to open it."
    return f"{fence}{{dropdown}} {title}\n{body}\n{fence}\n"


def _collapse(cell: dict, outputs: bool = False) -> None:
    """Collapse a cell's input in JupyterLab (and its outputs, if ``outputs``)."""
    jupyter = cell.setdefault("metadata", {}).setdefault("jupyter", {})
    jupyter["source_hidden"] = True
    if outputs:
        jupyter["outputs_hidden"] = True


def _drop_records(cell: dict) -> None:
    """Drop glue's records from a code cell's outputs: their values are pasted into the text (a figure
    as the markdown cell's attachment), JupyterLab has no renderer for them, and Run All records
    them again. An output left with no data goes."""
    outputs = []
    for out in cell.get("outputs", []):
        if "data" in out:
            out["data"] = {k: v for k, v in out["data"].items() if not k.startswith(RECORD)}
            if not out["data"]:
                continue
        outputs.append(out)
    if "outputs" in cell:
        cell["outputs"] = outputs


def reader_notebook(nb: dict, book: Book, name: str = "notebook") -> dict:
    """The reader notebook of the executed chapter ``nb`` (a new dict; ``nb`` is not changed)."""
    nb = json.loads(json.dumps(nb))
    values = glued(nb)
    local = labels_of(nb)
    for i, cell in enumerate(nb["cells"]):
        where = f"{name}, cell {i}"
        if cell["cell_type"] == "markdown":
            attachments = dict(cell.get("attachments", {}))
            cell["source"] = convert_markdown(source(cell), values, book, local, attachments, where)
            if attachments:
                cell["attachments"] = attachments
        elif cell["cell_type"] == "code":
            _drop_records(cell)
            if HIDDEN_TAGS & set(cell.get("metadata", {}).get("tags", [])):
                _collapse(cell)
    # The book's "Run this chapter yourself" box tells a reader of the HTML pages how to get here.
    nb["cells"] = [c for c in convert_solutions(nb["cells"]) if HTML_ONLY not in c.get("metadata", {}).get("tags", [])]
    nb["cells"].insert(1, {"cell_type": "markdown", "id": "reader-note", "metadata": {}, "source": READER_NOTE})
    return nb


def write_notebooks(out: Path, folder: Path = CHAPTERS) -> list[Path]:
    """The reader notebook of every ``folder/*.ipynb`` into ``out``; returns the written paths."""
    out.mkdir(parents=True, exist_ok=True)
    book = Book.from_dir(folder)
    written = []
    for path in sorted(folder.glob("*.ipynb")):
        nb = reader_notebook(json.loads(path.read_text()), book, path.name)
        target = out / path.name
        target.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
        written.append(target)
    return written


# -------------------------------------------------------------------------------------- the wheel


def build_wheel(out: Path) -> Path:
    """The ``vanishing`` wheel with ``data/mnist.npz`` inside the package (``vanishing/_data``).

    Built from a staged copy of pyproject.toml, PACKAGE_README.md (its description) and src/ (the
    repository's layout keeps the data file in data/), with this Python's setuptools and no network.
    """
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        stage = Path(tmp) / "vanishing"
        shutil.copytree(
            ROOT / "src", stage / "src", ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
        )
        for name in ("pyproject.toml", "PACKAGE_README.md"):
            shutil.copy2(ROOT / name, stage / name)
        (stage / "src" / "vanishing" / "_data").mkdir()
        shutil.copy2(ROOT / "data" / "mnist.npz", stage / "src" / "vanishing" / "_data" / "mnist.npz")
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--quiet",
                "--no-deps",
                "--no-build-isolation",
                "--wheel-dir",
                tmp,
                str(stage),
            ],
            check=True,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )  # setuptools' "beta" notices
        wheel = Path(tmp) / WHEEL_NAME
        if not wheel.is_file():
            raise RuntimeError(f"pip wheel did not produce {WHEEL_NAME}: {sorted(p.name for p in Path(tmp).iterdir())}")
        target = out / WHEEL_NAME
        shutil.copy2(wheel, target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["notebooks", "wheel", "html"])
    parser.add_argument("out", type=Path, nargs="?", default=ROOT / "_build" / "html")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    if args.what == "notebooks":
        paths = write_notebooks(args.out)
    elif args.what == "wheel":
        paths = [build_wheel(args.out)]
    else:
        if not (args.out / "index.html").is_file():
            parser.error(f"{args.out} holds no built book (index.html is missing): run the book build first")
        paths = write_notebooks(args.out / "_sources" / "chapters") + [build_wheel(args.out / "_static")]
    for p in paths:
        print(f"reader: wrote {p}")
    print(f"reader: {len(paths)} files in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
