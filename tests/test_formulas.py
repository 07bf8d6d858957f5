"""The sources' formulas as written, against backpropagation."""

import numpy as np
import pytest

from vanishing.claims import formulas
from vanishing.experiments import wide
from vanishing.gradients import chain as ch


def test_no_bias_formula_is_exact():
    rng = np.random.default_rng(7)
    for L in (2, 3, 8, 20):
        w = rng.standard_normal((5, L)) * 1.5
        assert ch.relative_error(formulas.no_bias_formula(w), formulas.no_bias_backprop(w)) < 1e-12


def test_unrolled_formula_has_one_extra_derivative():
    d = ch.draw_chain(10, 7, seed=11)
    bp = ch.backprop_grad_biases(*d)
    t = ch.chain_terms(*d)
    for l in (1, 3, 6):
        written = formulas.unrolled_delta_as_written(*d, l=l)
        sp_last = ch.check_activation("sigmoid").df(t.z[:, -1])
        assert ch.relative_error(written, bp[:, l - 1] * sp_last) < 1e-12


@pytest.mark.parametrize("act", ["sigmoid", "tanh"])
def test_matrix_formulas_hold_with_g_read_as_the_derivative(act):
    rng = np.random.default_rng(3)
    net = wide.wide_network(3, 1.0, act, 12, 4, width=6, seed=2)
    err = formulas.matrix_formula_errors(net, rng.random((1, 12)), np.eye(4)[[1]])
    assert err["weight"] < 1e-12 and err["derivative"] < 1e-12
    assert err["literal"] > 1e-3  # g as the activation itself, as the text defines it, is wrong


@pytest.mark.parametrize(
    "call, exc, name",
    [
        (lambda: formulas.no_bias_forward(np.ones((2, 1))), ValueError, "w"),
        (
            lambda: formulas.unrolled_delta_as_written(np.ones((1, 3)), np.ones((1, 3)), np.ones(1), np.ones(1), l=3),
            ValueError,
            "l",
        ),
        (
            lambda: formulas.matrix_formula_errors(
                wide.wide_network(1, 1.0, "sigmoid", 3, 2), np.ones((2, 3)), np.ones((2, 2))
            ),
            ValueError,
            "x",
        ),
    ],
)
def test_bad_input(call, exc, name):
    with pytest.raises(exc, match=f"^{name}"):
        call()
