"""Optimisers on quadratics against closed forms, the runner, and the per-layer update norms."""

import numpy as np
import pytest

from vanishing.figures import ch4 as fig4
from vanishing.landscapes.functions import Quadratic, ill_conditioned, rotated
from vanishing.networks.network import Network
from vanishing.training import optimizers as opt


def test_gd_is_exactly_the_closed_form_per_coordinate():
    a, b, eta, k = 0.001, 1.0, 0.3, 50
    q = ill_conditioned(a, b)
    t = opt.run(q.grad, [1.0, -2.0], eta=eta, steps=k)
    expected = np.array([(1 - 2 * a * eta) ** k * 1.0, (1 - 2 * b * eta) ** k * -2.0])
    np.testing.assert_allclose(t.xs[-1], expected, rtol=1e-12)
    np.testing.assert_allclose(opt.gd_closed_form(q.H, [1.0, -2.0], eta, k), expected, rtol=1e-12)


def test_gd_at_eta_half_solves_w2_in_one_step_and_w1_shrinks_by_0999():
    q = ill_conditioned()
    t = opt.run(q.grad, [1.0, 1.0], eta=0.5, steps=3)
    assert np.all(t.xs[1:, 1] == 0.0)
    np.testing.assert_allclose(t.xs[1:, 0] / t.xs[:-1, 0], 0.999, rtol=1e-14)


def test_steps_to_shrink_matches_running():
    q = ill_conditioned()
    k = opt.steps_to_shrink(0.999, 1.0, 1e-3)
    assert k == 6905  # 0.999**6904 > 1e-3 > 0.999**6905
    assert 0.999 ** (k - 1) >= 1e-3 > 0.999**k
    assert opt.steps_to_tol(q, [1.0, 1.0], eta=0.5, tol=1e-3).converged_at == k
    assert opt.steps_to_shrink(1.0, 1.0, 1e-3) is None
    assert opt.steps_to_shrink(0.5, 1e-4, 1e-3) == 0


def test_gd_rates_of_the_seed_function():
    r = opt.gd_rates(ill_conditioned().H)
    assert r["kappa"] == pytest.approx(1000.0)
    assert r["eta_max"] == pytest.approx(1.0)
    assert r["eta_best"] == pytest.approx(2 / 2.002)
    assert r["rate_best"] == pytest.approx(999 / 1001)
    assert r["hb_beta"] == pytest.approx(((np.sqrt(1000) - 1) / (np.sqrt(1000) + 1)) ** 2)
    q = ill_conditioned()
    assert opt.run(q.grad, [1.0, 1.0], eta=1.01, steps=5000).diverged
    assert not opt.run(q.grad, [1.0, 1.0], eta=0.99, steps=5000).diverged


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_newton_reaches_the_minimum_of_any_spd_quadratic_in_one_step(seed):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((4, 4))
    q = Quadratic(A @ A.T + 0.1 * np.eye(4))
    t = opt.run(q.grad, rng.standard_normal(4), method="newton", eta=1.0, steps=1, hessian=q.hessian)
    np.testing.assert_allclose(t.xs[1], 0.0, atol=1e-10)
    assert opt.steps_to_tol(q, rng.standard_normal(4), method="newton", eta=1.0, tol=1e-8).converged_at == 1


def test_heavy_ball_on_1d_quadratic_follows_its_recurrence():
    # f = h x^2 / 2: x_{k+1} = (1 + beta - eta h) x_k - beta x_{k-1}, with x_1 = (1 - eta h) x_0.
    h, eta, beta, x0 = 3.0, 0.1, 0.7, 2.0
    t = opt.run(lambda x: h * x, [x0], method="momentum", eta=eta, steps=30, beta=beta)
    xs = [x0, (1 - eta * h) * x0]
    for _ in range(29):
        xs.append((1 + beta - eta * h) * xs[-1] - beta * xs[-2])
    np.testing.assert_allclose(t.xs[:, 0], xs, rtol=1e-12, atol=1e-15)


def test_momentum_with_beta_zero_is_gd():
    q = ill_conditioned(0.1, 1.0)
    a = opt.run(q.grad, [1.0, 1.0], method="momentum", eta=0.2, steps=20, beta=0.0)
    b = opt.run(q.grad, [1.0, 1.0], method="gd", eta=0.2, steps=20)
    np.testing.assert_allclose(a.xs, b.xs)


def test_tuned_heavy_ball_beats_best_gd_by_about_sqrt_kappa():
    q = ill_conditioned()
    r = opt.gd_rates(q.H)
    gd = opt.steps_to_tol(q, [1.0, 1.0], eta=r["eta_best"], tol=1e-3).converged_at
    hb = opt.steps_to_tol(q, [1.0, 1.0], method="momentum", eta=r["hb_eta"], beta=r["hb_beta"], tol=1e-3).converged_at
    assert gd > 10 * hb


def test_adagrad_first_step_is_eta_sign_g():
    g = np.array([1e-3, -2.0, 5e4])
    x, state = opt.adagrad_step(np.zeros(3), g, {}, eta=0.3, eps=1e-12)
    np.testing.assert_allclose(x, -0.3 * np.sign(g), rtol=1e-8)
    np.testing.assert_allclose(state["G"], g**2)


def test_adam_first_step_has_size_eta_per_coordinate():
    g = np.array([1e-4, -3.0, 7e3])
    x, state = opt.adam_step(np.ones(3), g, {}, eta=0.01)
    np.testing.assert_allclose(np.abs(x - 1.0), 0.01, rtol=1e-3)
    assert state["t"] == 1


def test_rmsprop_first_step_is_eta_over_sqrt_one_minus_rho():
    g = np.array([2e-3, -4.0])
    x, _ = opt.rmsprop_step(np.zeros(2), g, {}, eta=0.1, rho=0.75, eps=1e-14)
    np.testing.assert_allclose(x, -0.1 * np.sign(g) / np.sqrt(0.25), rtol=1e-9)


def test_adagrad_ignores_diagonal_scaling_but_not_rotation():
    # On a diagonal quadratic every coordinate's Adagrad path is independent of its curvature.
    t1 = opt.steps_to_tol(ill_conditioned(0.001), [1.0, 1.0], method="adagrad", eta=0.1, tol=1e-3)
    t2 = opt.steps_to_tol(ill_conditioned(1.0), [1.0, 1.0], method="adagrad", eta=0.1, tol=1e-3)
    assert t1.converged_at == t2.converged_at
    qr = rotated(ill_conditioned(), np.pi / 4)
    x0 = np.array([0.0, np.sqrt(2.0)])  # (1, 1) in the rotated function's own axes
    assert opt.steps_to_tol(qr, x0, method="adagrad", eta=0.1, tol=1e-3, max_steps=3000).converged_at is None


def test_run_records_and_stops():
    q = ill_conditioned()
    t = opt.run(q.grad, [1.0, 1.0], eta=0.5, steps=10, f=q.f)
    assert t.steps == 10 and t.xs.shape == (11, 2) and t.fs.shape == (11,)
    assert t.fs[0] == pytest.approx(1.001)
    assert t.grad_norms[0] == pytest.approx(np.hypot(0.002, 2.0))


def test_layer_update_norms_gd_and_adam():
    net = Network([20, 6, 5, 3], seed=0)
    rng = np.random.default_rng(1)
    X = rng.random((8, 20))
    Y = np.eye(3)[rng.integers(0, 3, 8)]
    gd = opt.layer_update_norms(net, X, Y, method="gd", eta=0.5)
    _, grad_b = net.gradients(X, Y)
    np.testing.assert_allclose(gd[0], [0.5 * np.linalg.norm(g) for g in grad_b], rtol=1e-12)
    adam = opt.layer_update_norms(net, X, Y, method="adam", eta=0.01, steps=2, part="all")
    assert adam.shape == (2, 3)
    n_params = [W.size + b.size for W, b in zip(net.weights, net.biases)]
    np.testing.assert_allclose(adam[0], 0.01 * np.sqrt(n_params), rtol=1e-3)
    before = net.get_flat().copy()
    opt.layer_update_norms(net, X, Y, method="adagrad", eta=0.1, steps=3)
    np.testing.assert_array_equal(net.get_flat(), before)  # net untouched


@pytest.mark.parametrize(
    "kwargs, exc, name",
    [
        (dict(method="momentum", beta=1.0), ValueError, "beta"),
        (dict(method="momentum", beta=-0.1), ValueError, "beta"),
        (dict(method="adagrad", eps=0.0), ValueError, "eps"),
        (dict(method="rmsprop", rho=1.5), ValueError, "rho"),
        (dict(method="adam", beta1=1.0), ValueError, "beta1"),
        (dict(method="adam", beta2=float("nan")), ValueError, "beta2"),
        (dict(method="adam", eps=-1e-8), ValueError, "eps"),
        (dict(method="sgdx"), ValueError, "method"),
        (dict(method="newton"), TypeError, "hessian"),
        (dict(method="newton", hessian=3.0), TypeError, "hessian"),
        (dict(method="gd", beta=0.9), TypeError, "hyper"),
        (dict(method="gd", eta=0.0), ValueError, "eta"),
        (dict(method="gd", steps=0), ValueError, "steps"),
    ],
)
def test_bad_input(kwargs, exc, name):
    q = ill_conditioned()
    args = dict(eta=0.1, steps=3)
    args.update(kwargs)
    with pytest.raises(exc, match=name):
        opt.run(q.grad, [1.0, 1.0], **args)


def test_bad_input_helpers():
    q = ill_conditioned()
    with pytest.raises(ValueError, match="hessian"):
        opt.run(q.grad, [1.0, 1.0], method="newton", eta=1.0, steps=1, hessian=lambda x: np.zeros((2, 2)))
    with pytest.raises(ValueError, match="H"):
        opt.gd_rates(np.diag([1.0, -1.0]))
    with pytest.raises(ValueError, match="tol"):
        opt.steps_to_tol(q, [1.0, 1.0], eta=0.1, tol=0)
    with pytest.raises(ValueError, match="k"):
        opt.gd_closed_form(q.H, [1.0, 1.0], 0.1, -1)
    with pytest.raises(ValueError, match="part"):
        opt.layer_update_norms(Network([4, 3, 2]), np.zeros((2, 4)), np.zeros((2, 2)), eta=0.1, part="x")
    with pytest.raises(ValueError, match="method"):
        opt.layer_update_norms(Network([4, 3, 2]), np.zeros((2, 4)), np.zeros((2, 2)), eta=0.1, method="newton")


def test_explorer_figure_defaults_and_divergence():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = fig4.explorer_figure()
    assert len(fig.axes) == 2 and "0.368" in fig._suptitle.get_text()  # where the run ends
    plt.close(fig)
    for method in ("momentum", "adagrad", "rmsprop", "adam", "newton"):
        plt.close(fig4.explorer_figure(method=method, eta=0.1, start=(1.0, -0.5), steps=50))
    with pytest.raises(ValueError, match="overshoots") as err:  # a reader's message, with advice
        fig4.explorer_figure(eta=1.5, method="gd")
    assert "Choose a learning rate below 1." in str(err.value) and "e+" not in str(err.value)


def test_iterations_vs_eta_marks_failures_nan():
    q = ill_conditioned()
    k = opt.iterations_vs_eta(q, [1.0, 1.0], [0.5, 1.5], method="gd", tol=1e-3, max_steps=8000)
    assert k[0] == 6905 and np.isnan(k[1])
