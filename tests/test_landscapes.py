"""Landscapes: formulas against finite differences, the Hessian test, the ramp and the saddle escape."""

import math
from fractions import Fraction

import numpy as np
import pytest

from vanishing.figures import ch3 as fig3
from vanishing.landscapes import functions as ls
from vanishing.landscapes import saddles
from vanishing.training.optimizers import run

FORMULA_LANDSCAPES = [
    ls.monkey_saddle(),
    ls.quartic(1),
    ls.quartic(-1),
    ls.double_well(),
    ls.bowl(),
    ls.saddle(),
    ls.saddle(0.5, 2.0),
]
POINTS = [np.array([0.3, -0.7]), np.array([-1.2, 0.4]), np.array([0.05, 1.1])]


def fd_grad(f, x, h=1e-6):
    e = np.eye(x.size)
    return np.array([(f(x + h * e[i]) - f(x - h * e[i])) / (2 * h) for i in range(x.size)])


def fd_hess(grad, x, h=1e-6):
    e = np.eye(x.size)
    H = np.column_stack([(grad(x + h * e[i]) - grad(x - h * e[i])) / (2 * h) for i in range(x.size)])
    return H


@pytest.mark.parametrize("land", FORMULA_LANDSCAPES, ids=lambda l: l.name)
@pytest.mark.parametrize("x", POINTS, ids=["p0", "p1", "p2"])
def test_gradient_matches_finite_differences_of_f(land, x):
    np.testing.assert_allclose(land.grad(x), fd_grad(land.f, x), rtol=1e-7, atol=1e-8)


@pytest.mark.parametrize("land", FORMULA_LANDSCAPES, ids=lambda l: l.name)
@pytest.mark.parametrize("x", POINTS, ids=["p0", "p1", "p2"])
def test_hessian_matches_finite_differences_of_gradient(land, x):
    H = land.hessian(x)
    np.testing.assert_allclose(H, fd_hess(land.grad, x), rtol=1e-7, atol=1e-8)
    np.testing.assert_allclose(H, H.T)


def test_closed_forms():
    m = ls.monkey_saddle()
    assert m.f([1.0, 1.0]) == -2.0
    np.testing.assert_array_equal(m.grad([1.0, 2.0]), [3.0 - 12.0, -12.0])
    d = ls.double_well()
    assert d.f(d.minimum) == d.f_star == -0.25
    np.testing.assert_array_equal(d.grad([0.0, 1.0]), [0.0, 0.0])
    np.testing.assert_array_equal(d.hessian([0.0, 0.0]), np.diag([1.0, -1.0]))
    np.testing.assert_array_equal(ls.saddle(0.5, 0.5).hessian([1.0, 1.0]), np.diag([1.0, -1.0]))


def test_ramp_values_gradient_and_minimum():
    r = ls.ramp(1e-90)
    assert r.f([2.0]) == 2e-90 and r.f([-5.0]) == 0.0
    assert r.grad([1e300])[0] == 1e-90 and r.grad([-1.0])[0] == 0.0 and r.grad([0.0])[0] == 0.0
    assert r.f_star == 0.0
    np.testing.assert_array_equal(r.hessian([3.0]), [[0.0]])


@pytest.mark.parametrize(
    "H, kind",
    [
        (np.diag([2.0, 2.0]), "minimum"),
        (np.diag([-1.0, -3.0]), "maximum"),
        (np.diag([2.0, -2.0]), "saddle"),
        (np.diag([2.0, 0.0]), "degenerate"),
        (np.diag([-2.0, 0.0]), "degenerate"),
        (np.zeros((2, 2)), "degenerate"),
        (np.diag([1.0, 0.0, -1.0]), "saddle"),  # indefinite even with a zero eigenvalue
        (np.array([[1.0, 2.0], [2.0, 1.0]]), "saddle"),  # eigenvalues 3, -1
        (np.array([[5.0]]), "minimum"),
    ],
)
def test_classification_of_known_hessians(H, kind):
    assert ls.classify_critical_point(H) == kind


def test_classification_of_the_chapter_examples_and_tolerance():
    o = np.zeros(2)
    assert [
        ls.classify_point(l, o)
        for l in (ls.bowl(), ls.saddle(), ls.monkey_saddle(), ls.quartic(1), ls.quartic(-1), ls.double_well())
    ] == ["minimum", "saddle", "degenerate", "degenerate", "degenerate", "saddle"]
    assert ls.classify_point(ls.double_well(), [0.0, 1.0]) == "minimum"
    assert ls.classify_point(ls.bowl(), [0.1, 0.0]) == "not critical"
    assert ls.classify_critical_point(np.diag([1.0, 1e-9]), tol=1e-8) == "degenerate"
    assert ls.classify_critical_point(np.diag([1.0, 1e-9]), tol=0.0) == "minimum"


@pytest.mark.parametrize(
    "bad, match",
    [
        (np.ones(3), "hessian"),
        (np.ones((2, 3)), "hessian"),
        (np.array([[1.0, np.nan], [np.nan, 1.0]]), "hessian"),
        (np.array([[1.0, 2.0], [0.0, 1.0]]), "hessian"),
        (np.zeros((0, 0)), "hessian"),
    ],
)
def test_classify_rejects_bad_hessians(bad, match):
    with pytest.raises(ValueError, match=match):
        ls.classify_critical_point(bad)


@pytest.mark.parametrize("tol", [-1.0, float("nan"), "a", True])
def test_classify_rejects_bad_tol(tol):
    with pytest.raises(ValueError, match="^tol"):
        ls.classify_critical_point(np.eye(2), tol=tol)


def test_landscapes_reject_bad_points_and_parameters():
    with pytest.raises(ValueError, match="^x"):
        ls.monkey_saddle().f([np.inf, 0.0])
    with pytest.raises(ValueError, match="^x"):
        ls.double_well().grad([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="^x"):
        ls.ramp(1.0).grad([np.nan])
    for bad in (0.0, -1.0, float("inf"), float("nan")):
        with pytest.raises(ValueError, match="^c"):
            ls.ramp(bad)
        with pytest.raises(ValueError, match="^a"):
            ls.saddle(bad, 1.0)
        with pytest.raises(ValueError, match="^b"):
            ls.saddle(1.0, bad)
    with pytest.raises(ValueError, match="^sign"):
        ls.quartic(2)


# --------------------------------------------------------------------------- the ramp
def test_ramp_steps_closed_form_matches_gradient_descent():
    # dyadic eta and c make every float step exact, so the run must match the formula exactly
    for x0, eta, c in [(10.3, 0.25, 0.5), (1.0, 0.5, 0.5), (7.0, 0.125, 2.0), (3.3, 1.0, 0.0625)]:
        r = ls.ramp(c)
        k = saddles.ramp_gd_steps(x0, eta, c)
        assert k == math.ceil(Fraction(x0) / (Fraction(eta) * Fraction(c)))
        traj = run(r.grad, [x0], eta=eta, steps=10 * k + 10, stop=lambda p: p[0] <= 0)
        assert traj.converged_at == k


def test_ramp_steps_beyond_floats_and_edge_cases():
    assert saddles.ramp_gd_steps(10**9999, 1, Fraction(1, 10**90)) == 10**10089
    assert saddles.ramp_gd_steps(-3.0, 0.1, 1.0) == 0
    assert saddles.ramp_gd_steps(0, 0.1, 1.0) == 0
    assert saddles.ramp_gd_steps(1, Fraction(1, 3), 3) == 1
    assert saddles.log10_int(10**10089) == pytest.approx(10089.0, abs=1e-9)
    assert saddles.log10_int(2 * 10**5000) == pytest.approx(5000 + math.log10(2), abs=1e-9)
    assert saddles.log10_int(1000) == pytest.approx(3.0)


def test_ramp_steps_bad_input():
    with pytest.raises(ValueError, match="^x0"):
        saddles.ramp_gd_steps(float("inf"), 0.1, 1.0)
    with pytest.raises(ValueError, match="^eta"):
        saddles.ramp_gd_steps(1.0, 0.0, 1.0)
    with pytest.raises(ValueError, match="^c"):
        saddles.ramp_gd_steps(1.0, 0.1, -1.0)
    with pytest.raises(TypeError, match="^x0"):
        saddles.ramp_gd_steps("1", 0.1, 1.0)
    with pytest.raises(ValueError, match="^n"):
        saddles.log10_int(0)


# --------------------------------------------------------------------------- saddle escape
@pytest.mark.parametrize("delta", [1e-2, 1e-5, 1e-10])
@pytest.mark.parametrize("eta", [0.01, 0.1, 0.5, 1.5])
def test_escape_from_quadratic_saddle_matches_prediction_within_one_step(delta, eta):
    # (x^2 - y^2)/2: y_k = delta (1 + eta)^k exactly, so escape = ceil(prediction) up to rounding.
    esc = saddles.saddle_escape(ls.saddle(0.5, 0.5), delta, eta)
    assert esc.predicted == pytest.approx(math.log(1 / delta) / math.log(1 + eta))
    assert abs(esc.escape_step - esc.predicted) <= 1.0
    assert esc.escape_step >= esc.predicted - 1e-9


@pytest.mark.parametrize("delta", [1e-2, 1e-6, 1e-10])
@pytest.mark.parametrize("eta", [0.01, 0.1, 0.5])
def test_escape_from_double_well_saddle_within_five_percent(delta, eta):
    # The quartic term slows the growth of y, so the linear prediction is a lower bound, within 5 %.
    esc = saddles.saddle_escape(ls.double_well(), delta, eta, radius=0.5)
    assert esc.predicted <= esc.escape_step <= 1.05 * esc.predicted + 1


def test_plateau_counts_small_gradient_iterations():
    esc = saddles.saddle_escape(ls.saddle(0.5, 0.5), 1e-8, 0.1, small=1e-2)
    g = esc.trajectory.grad_norms[: esc.escape_step]
    assert esc.plateau_steps == int(np.sum(g < 1e-2)) > 0
    # on the quadratic saddle ||grad|| = ||x_k||: below 1e-2 from (0.9^k < 1e-2) until 1.1^k 1e-8 > 1e-2
    assert abs(esc.plateau_steps - (math.log(1e6) / math.log(1.1) - math.log(100) / -math.log(0.9))) < 3


def test_escape_bad_input():
    s = ls.saddle(0.5, 0.5)
    with pytest.raises(ValueError, match="^eta"):
        saddles.saddle_escape(s, 1e-3, 0.0)
    with pytest.raises(ValueError, match="^delta"):
        saddles.saddle_escape(s, -1e-3, 0.1)
    with pytest.raises(ValueError, match="^lam_min"):
        saddles.predicted_escape_steps(1e-3, 0.1, 1.0)
    with pytest.raises(ValueError, match="^max_steps"):
        saddles.saddle_escape(s, 1e-3, 0.1, max_steps=0)
    with pytest.raises(ValueError, match="^x0"):
        saddles.saddle_escape(s, 1e-3, 0.1, x0=float("nan"))


# --------------------------------------------------------------------------- figures
def test_figures_draw_and_explorer_reports_divergence():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = fig3.saddle_explorer_figure(0.1, 1e-6)
    assert len(fig.axes) == 2
    plt.close(fig)
    with pytest.raises(ValueError, match="overshoots"):
        fig3.saddle_explorer_figure(3.0, 1e-3)
    with pytest.raises(ValueError, match="^offset"):
        fig3.saddle_explorer_figure(0.1, 0.0)
    fig = fig3.plot_critical_points([ls.bowl(), ls.monkey_saddle()])
    assert len(fig.axes) == 4
    plt.close(fig)
    with pytest.raises(ValueError, match="^landscapes"):
        fig3.plot_critical_points([])


def test_existing_quadratic_api_unchanged():
    q = ls.ill_conditioned()
    np.testing.assert_array_equal(q.H, np.diag([0.002, 2.0]))
    assert q.f([1.0, 1.0]) == pytest.approx(1.001)
    r = ls.rotated(q, 0.3)
    assert np.allclose(np.linalg.eigvalsh(r.H), [0.002, 2.0])


@pytest.mark.parametrize("x0, eta, c", [(1.0, 0.1, 3.0), (7.3, 0.3, 0.2), (123.4, 0.5, 1.0)])
def test_ramp_float_steps_within_one_of_the_exact_count(x0, eta, c):
    exact = saddles.ramp_gd_steps(x0, eta, c)
    k = saddles.ramp_float_steps(x0, eta, c)
    assert k is not None and abs(k - exact) <= 1


def test_ramp_float_steps_none_when_the_budget_is_short_and_bad_input():
    assert saddles.ramp_float_steps(1.0, 0.1, 1.0, extra=-5) is None
    with pytest.raises(ValueError, match="eta"):
        saddles.ramp_float_steps(1.0, 0.0, 1.0)


def test_mnist_curvature_figure_draws_the_given_values():
    ritz, norms = np.array([-1.0, 0.5, 2.0]), np.array([0.01, 0.05, 0.25])
    fig = fig3.plot_mnist_curvature(ritz, norms)
    a0, a1 = fig.axes
    np.testing.assert_array_equal(a0.lines[0].get_ydata(), ritz)
    assert [p.get_height() for p in a1.patches] == list(norms)
    assert "$" in a1.get_ylabel()
