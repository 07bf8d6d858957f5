"""Strict nbval on the notebooks that JupyterLab's Run All has just executed.

``make test`` checks every chapter twice under strict nbval: with this machine's kernels and with
the x86-64 baseline's.  The live JupyterLab test already executes every chapter once more on this
machine's kernels (Run > Run All Cells, tests/test_lab.py), so the first of the two nbval passes
compares the outputs of that run instead of executing the chapter a fourth time.  The comparison is
nbval's own (``nbval.plugin.IPyNbCell.compare_outputs``: the same output keys skipped, the same
sanitising patterns from tools/nbval_sanitize.cfg, streams coalesced the same way) applied to each
code cell of the chapter as stored and of the notebook JupyterLab saved right after Run All; the
cells' options come from the same tags and comments (``nbval-ignore-output``, ``nbval-skip``, ...).
A code cell whose source differs from the chapter's is a difference too: the check is of the
chapter's own code.

Each chapter that passes leaves a record in ``RECORDS`` (the SHA-256 of the chapter file it
checked).  ``python tools/nbval_lab.py unchecked`` prints the chapters without a record for their
current contents: ``make test`` runs ordinary nbval on those (all of them when JupyterLab or
Chromium could not start), so no chapter goes unchecked on this machine's kernels.

Usage::

    python tools/nbval_lab.py unchecked      # chapters/*.ipynb that Run All did not check, one per line
    python tools/nbval_lab.py clear          # forget every record (``make test`` does this first)
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import shutil
import sys
from collections import OrderedDict, defaultdict
from pathlib import Path
from types import SimpleNamespace

import nbformat
from nbval import plugin

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"
SANITIZE = ROOT / "tools" / "nbval_sanitize.cfg"
RECORDS = ROOT / "_build" / "nbval-lab"
#: nbval's default ``skip_compare`` (``IPyNbFile.__init__`` without ``--nbdime``), which is how
#: ``make nbval`` runs it, with the glued images that conftest.py adds: these output keys are not compared.
NBVAL_SKIP_COMPARE = (
    "metadata",
    "traceback",
    "prompt_number",
    "output_type",
    "name",
    "execution_count",
    "application/vnd.jupyter.widget-view+json",
    "image/png",
    "image/jpeg",
)


def _glued_images() -> tuple[str, ...]:
    """conftest.py's ``GLUED_IMAGES``: the keys under which ``glue`` stores a figure."""
    spec = importlib.util.spec_from_file_location("_root_conftest", ROOT / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.GLUED_IMAGES


SKIP_COMPARE = NBVAL_SKIP_COMPARE + _glued_images()


def _read(nb: dict) -> nbformat.NotebookNode:
    """``nb`` as nbval reads a notebook file (``nbformat.read``: multi-line strings joined)."""
    return nbformat.reads(json.dumps(nb), as_version=4)


def _cell_options(cell) -> dict:
    """nbval's options for ``cell``, from its tags and then its comments (comments win, as in nbval)."""
    options = defaultdict(bool, plugin.find_metadata_tags(cell.metadata))
    options.update(dict(plugin.find_comment_markers(cell.source)))
    options.setdefault("check", True)
    return options


def _comparer(sanitize_file: Path) -> SimpleNamespace:
    """An object on which nbval's ``IPyNbCell.compare_outputs`` runs as it does inside pytest."""
    patterns = OrderedDict(plugin.get_sanitize_patterns(sanitize_file.read_text()))
    shim = SimpleNamespace(parent=SimpleNamespace(skip_compare=SKIP_COMPARE, sanitize_patterns=patterns))
    shim.colors = plugin.nocolors
    shim.sanitize = lambda s: plugin.IPyNbCell.sanitize(shim, s)

    def mismatch(key, left, right):
        shim.comparison_traceback.append(
            f"mismatch {key!r}:\n  stored:   {plugin._trim_base64(left)!r}\n  Run All:  {plugin._trim_base64(right)!r}"
        )

    shim.format_output_compare = mismatch
    return shim


def differences(stored: dict, executed: dict, sanitize_file: Path = SANITIZE) -> list[str]:
    """Every way in which ``executed`` (a notebook as JupyterLab saved it after Run All) fails strict
    nbval against ``stored`` (the chapter as committed), one message per code cell; ``[]`` if none.

    Code cells are matched in order; their sources must be identical.  A cell tagged or commented
    ``nbval-skip`` is not compared, nor one whose stored execution count is empty (nbval's rules).
    """
    ref = [c for c in _read(stored).cells if c.cell_type == "code"]
    new = [c for c in _read(executed).cells if c.cell_type == "code"]
    if len(ref) != len(new):
        return [f"{len(new)} code cells were run, the chapter has {len(ref)}"]
    shim, found = _comparer(sanitize_file), []
    for i, (r, n) in enumerate(zip(ref, new)):
        options = _cell_options(r)
        if r.source != n.source:
            found.append(f"Cell {i}: its source differs from the chapter's")
        elif options["skip"] or not options["check"] or r.execution_count is None:
            continue
        elif n.execution_count is None:
            found.append(f"Cell {i}: Run All did not run it")
        elif not plugin.IPyNbCell.compare_outputs(
            shim, plugin.coalesce_streams(n.outputs), plugin.coalesce_streams(r.outputs)
        ):
            found.append(f"Cell {i}: outputs differ\n" + "\n".join(shim.comparison_traceback))
    return found


def digest(path: Path) -> str:
    """SHA-256 of the file at ``path``."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def record(chapter: Path, cells: int) -> None:
    """Note that ``chapter``, as it is now, passed the comparison on ``cells`` code cells."""
    RECORDS.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"chapter": chapter.name, "sha256": digest(chapter), "code_cells": cells})
    (RECORDS / f"{chapter.stem}.json").write_text(text + "\n")


def unchecked(chapters: list[Path] | None = None) -> list[Path]:
    """The chapters without a record of their current contents."""
    found = []
    for chapter in chapters if chapters is not None else sorted(CHAPTERS.glob("*.ipynb")):
        rec = RECORDS / f"{chapter.stem}.json"
        if not rec.is_file() or json.loads(rec.read_text()).get("sha256") != digest(chapter):
            found.append(chapter)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("unchecked", "clear"))
    args = parser.parse_args(argv)
    if args.command == "clear":
        shutil.rmtree(RECORDS, ignore_errors=True)
        return 0
    for chapter in unchecked():
        print(chapter.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
