"""vanishing.listing: a function's own source, shown on the page."""

import inspect

import numpy as np
import pytest

from vanishing import listing
from vanishing.listing import show_source
from vanishing.networks.network import Network


def test_a_method_is_shown_with_its_name_file_and_lines():
    shown = show_source(Network._backprop)
    lines, first = inspect.getsourcelines(Network._backprop)
    assert shown.qualname == "vanishing.networks.network.Network._backprop"
    assert shown.path == "vanishing/networks/network.py"
    assert (shown.first, shown.last) == (first, first + len(lines) - 1)
    assert shown.code.startswith("def _backprop(")  # dedented out of the class
    md = shown._repr_markdown_()
    assert md.startswith("`vanishing.networks.network.Network._backprop`, from `vanishing/networks/network.py`, lines ")
    assert "```python\ndef _backprop(" in md and md.rstrip().endswith("```")
    assert repr(shown).splitlines()[1].startswith("def _backprop(")


def test_functions_classes_and_bound_methods_are_shown():
    assert show_source(listing.show_source).qualname == "vanishing.listing.show_source"
    assert show_source(listing.Listing).code.startswith("class Listing")
    assert show_source(Network([2, 3, 1])._backprop).qualname == "vanishing.networks.network.Network._backprop"


def test_what_has_no_source_in_the_package_is_refused():
    with pytest.raises(TypeError, match="obj"):
        show_source(len)
    with pytest.raises(TypeError, match="obj"):
        show_source(3)
    with pytest.raises(ValueError, match="not part of the vanishing package"):
        show_source(np.linalg.norm)


# --------------------------------------------------------------------------- the chapters' listings
import json  # noqa: E402
import re  # noqa: E402
from pathlib import Path  # noqa: E402
from unittest import mock  # noqa: E402

from vanishing.experiments import layer_speeds  # noqa: E402
from vanishing.gradients import chain  # noqa: E402
from vanishing.networks.batchnorm import BatchNormNetwork  # noqa: E402
from vanishing.networks.recurrent import RecurrentNetwork  # noqa: E402
from vanishing.networks.residual import ResidualNetwork  # noqa: E402
from vanishing.training import optimizers  # noqa: E402

CHAPTERS = Path(__file__).resolve().parents[1] / "chapters"
SHOWN = re.compile(r"show_source\(([\w.]+)\)")


def _ch1_speeds():
    rng = np.random.default_rng(0)
    layer_speeds.init_norms(2, [0], rng.random((5, 784)), np.arange(5))


def _ch1_training():
    rng = np.random.default_rng(0)
    layer_speeds.full_batch_run(2, (rng.random((5, 784)), np.arange(5)), epochs=2)


def _ch2_chains():
    """Chapter 2's chain computations: the product checked against backprop, and the depth distribution."""
    d = chain.draw_chain(3, 4, seed=1)
    chain.relative_error(chain.chain_grad_b1(*d), chain.backprop_grad_biases(*d)[:, 0])
    chain.log10_grad_b1_by_depth(*d)


def _ch6_norms():
    from vanishing.experiments.sequence_tasks import latch_task
    from vanishing.gradients.through_time import state_gradient_norms
    from vanishing.networks.recurrent import RecurrentNetwork

    X, Y = latch_task(5).sample(3, seed=1)
    state_gradient_norms(RecurrentNetwork(2, 4, 2, cost="softmax"), X, Y)


def _ch4_run(method):
    return lambda: optimizers.run(lambda x: np.array([0.002, 2.0]) * x, [1.0, 1.0], method=method, eta=0.1, steps=3)


def _ch5_remedies():
    """Chapter 5's speeds at initialisation of the batch-normalised and residual networks."""
    from vanishing.experiments import remedies

    rng = np.random.default_rng(0)
    for remedy in ("batchnorm", "residual"):
        remedies.init_speeds(remedy, 2, [0], rng.random((5, 784)), np.arange(5))


#: Each listing a chapter shows -> (where the function lives, the chapter's own computation that must call it).
RUNS = {
    "Network._backprop": (Network, "_backprop", _ch1_speeds),
    "sgd_step": (layer_speeds, "sgd_step", _ch1_training),
    "chain.chain_terms": (chain, "chain_terms", _ch2_chains),
    "chain.chain_grad_b1": (chain, "chain_grad_b1", _ch2_chains),
    "momentum_step": (optimizers, "momentum_step", _ch4_run("momentum")),
    "adam_step": (optimizers, "adam_step", _ch4_run("adam")),
    "BatchNormNetwork._forward": (BatchNormNetwork, "_forward", _ch5_remedies),
    "BatchNormNetwork._backprop": (BatchNormNetwork, "_backprop", _ch5_remedies),
    "ResidualNetwork._forward": (ResidualNetwork, "_forward", _ch5_remedies),
    "ResidualNetwork._backprop": (ResidualNetwork, "_backprop", _ch5_remedies),
    "RecurrentNetwork._backprop": (RecurrentNetwork, "_backprop", _ch6_norms),
}


def shown_in_chapters() -> dict[str, list[str]]:
    """Listed name -> the chapters whose code cells call ``show_source`` on it."""
    found: dict[str, list[str]] = {}
    for path in sorted(CHAPTERS.glob("*.ipynb")):
        cells = json.loads(path.read_text())["cells"]
        for cell in cells:
            if cell["cell_type"] == "code":
                for name in SHOWN.findall("".join(cell["source"])):
                    found.setdefault(name, []).append(path.stem)
    return found


def test_every_listing_in_a_chapter_is_checked_here():
    shown = shown_in_chapters()
    assert shown, "no chapter shows a listing"
    assert set(shown) <= set(RUNS), f"listings without a check that the chapter runs them: {set(shown) - set(RUNS)}"


@pytest.mark.parametrize("name", sorted(RUNS))
def test_each_listed_function_is_the_one_the_chapter_runs(name):
    """Replace the listed function by a counting wrapper and run the chapter's computation: it must
    go through the very function the page shows."""
    owner, attr, computation = RUNS[name]
    original = getattr(owner, attr)
    with mock.patch.object(owner, attr, autospec=True, side_effect=original) as spy:
        if owner is optimizers:  # the optimiser table holds the functions themselves
            with mock.patch.dict(optimizers.STEPS, {k: spy for k, v in optimizers.STEPS.items() if v is original}):
                computation()
        else:
            computation()
    assert spy.call_count > 0, f"{name}: shown on the page, but the chapter's computation never calls it"
