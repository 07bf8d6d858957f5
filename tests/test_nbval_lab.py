"""tools/nbval_lab.py: strict nbval applied to the notebook JupyterLab saved after Run All."""

from __future__ import annotations

import copy
import inspect
import json

import pytest
from nbval import plugin
from tool_loader import ROOT, load_tool

nl = load_tool("nbval_lab")


def notebook(*cells) -> dict:
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": list(cells)}


def code(source: str, outputs: list, tags=(), count=1) -> dict:
    return {
        "cell_type": "code",
        "execution_count": count,
        "id": f"c{abs(hash(source)) % 10**6}",
        "metadata": {"tags": list(tags)},
        "source": source,
        "outputs": outputs,
    }


def stdout(text: str) -> dict:
    return {"output_type": "stream", "name": "stdout", "text": text}


def shown(mime: str, value) -> dict:
    return {"output_type": "display_data", "metadata": {}, "data": {mime: value}}


STORED = notebook(
    {"cell_type": "markdown", "id": "m", "metadata": {}, "source": "text"},
    code("print(1); print(2)", [stdout("1\n"), stdout("2\n")]),
    code("glue('x', 0.5)", [shown("application/papermill.record/text/plain", "0.5")]),
    code("fig", [shown("image/png", "iVBORw0KGgo="), shown("application/papermill.record/image/png", "AAAA")]),
    code("import time; time.time()", [stdout("took 3.2 s\n")], tags=["nbval-ignore-output"]),
)


def test_the_same_outputs_pass_and_streams_are_coalesced_as_nbval_does():
    run = copy.deepcopy(STORED)
    run["cells"][1]["outputs"] = [stdout("1\n2\n")]  # JupyterLab merges consecutive streams
    assert nl.differences(STORED, run) == []


def test_a_changed_number_fails_and_names_the_cell():
    run = copy.deepcopy(STORED)
    run["cells"][2]["outputs"][0]["data"]["application/papermill.record/text/plain"] = "0.6"
    (found,) = nl.differences(STORED, run)
    assert found.startswith("Cell 1: outputs differ") and "0.6" in found


def test_a_missing_or_extra_output_fails():
    run = copy.deepcopy(STORED)
    run["cells"][1]["outputs"].append({"output_type": "stream", "name": "stderr", "text": "warning\n"})
    assert nl.differences(STORED, run)[0].startswith("Cell 0: outputs differ")


def test_images_and_ignored_cells_are_not_compared_as_in_nbval():
    run = copy.deepcopy(STORED)
    run["cells"][3]["outputs"] = [shown("image/png", "other"), shown("application/papermill.record/image/png", "B")]
    run["cells"][4]["outputs"] = [stdout("took 4.0 s\n")]
    assert nl.differences(STORED, run) == []


def test_memory_addresses_are_sanitized_by_the_project_patterns():
    stored = notebook(code("obj", [shown("text/plain", "<Obj at 0x7f00aa>")]))
    run = notebook(code("obj", [shown("text/plain", "<Obj at 0x55bbcc01>")]))
    assert nl.differences(stored, run) == []


def test_a_changed_source_an_unrun_cell_or_a_missing_cell_fails():
    run = copy.deepcopy(STORED)
    run["cells"][1]["source"] = "print(3)"
    assert nl.differences(STORED, run) == ["Cell 0: its source differs from the chapter's"]
    run = copy.deepcopy(STORED)
    run["cells"][2]["execution_count"] = None
    assert nl.differences(STORED, run) == ["Cell 1: Run All did not run it"]
    run = copy.deepcopy(STORED)
    del run["cells"][4]
    assert nl.differences(STORED, run) == ["3 code cells were run, the chapter has 4"]


def test_multi_line_strings_stored_as_lists_compare_equal_to_joined_ones():
    stored = notebook(code("print(x)", [stdout(["a\n", "b\n"])]))
    run = notebook(code("print(x)", [stdout("a\nb\n")]))
    assert nl.differences(stored, run) == []


def test_skip_compare_is_nbvals_default_plus_the_glued_images():
    source = inspect.getsource(plugin.IPyNbFile.__init__)
    for key in nl.NBVAL_SKIP_COMPARE:
        assert repr(key) in source, f"nbval no longer skips {key!r}: update tools/nbval_lab.py"
    assert "application/papermill.record/image/png" in nl.SKIP_COMPARE


def test_records_name_the_chapters_checked_as_they_are_now(tmp_path, monkeypatch):
    monkeypatch.setattr(nl, "RECORDS", tmp_path / "records")
    a, b = tmp_path / "01_a.ipynb", tmp_path / "02_b.ipynb"
    for path in (a, b):
        path.write_text(json.dumps(STORED))
    assert nl.unchecked([a, b]) == [a, b]
    nl.record(a, 4)
    assert nl.unchecked([a, b]) == [b]
    a.write_text(json.dumps(notebook()))  # changed after the check: unchecked again
    assert nl.unchecked([a, b]) == [a, b]
    nl.main(["clear"])  # RECORDS is patched: clears the temporary records only
    assert not (tmp_path / "records").exists()


def test_every_stored_chapter_passes_against_itself():
    for chapter in sorted((ROOT / "chapters").glob("*.ipynb")):
        nb = json.loads(chapter.read_text())
        assert nl.differences(nb, nb) == [], chapter.name


@pytest.mark.parametrize("command", ["unknown", ""])
def test_an_unknown_command_is_refused(command):
    with pytest.raises(SystemExit):
        nl.main([command])
