"""Chapter 4's page figures build from small runs, with titles, and say how many iterations a run took."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from vanishing.figures import ch4 as fig4  # noqa: E402
from vanishing.landscapes.functions import ill_conditioned, rotated  # noqa: E402
from vanishing.training import optimizers  # noqa: E402

Q = ill_conditioned(0.001, 1.0)
X0 = np.array([1.0, 1.0])


def _run(method="gd", eta=0.5, q=Q, x0=X0, **hyper):
    return optimizers.steps_to_tol(q, x0, method=method, eta=eta, tol=1e-3, max_steps=300, **hyper)


def test_iterations_text_names_the_budget_when_a_run_did_not_converge():
    assert fig4.iterations_text(_run("newton", 1.0)) == "1"
    assert fig4.iterations_text(_run("gd", 0.5)) == "not within 20,000"
    assert fig4.iterations_text(_run("gd", 0.5), budget=300) == "not within 300"


def test_every_page_figure_builds_with_a_title():
    gd = optimizers.run(Q.grad, X0, eta=0.5, steps=20, f=Q.f)
    near = {eta: optimizers.run(Q.grad, X0, eta=eta, steps=20, f=Q.f) for eta in (0.99, 1.0, 1.01)}
    methods = {m: m for m in ("gd", "momentum", "newton", "adagrad", "rmsprop", "adam")}
    runs = {m: _run(m, 1.0 if m == "newton" else 0.1) for m in methods}
    runs["newton"] = _run("newton", 1.0)
    for m in ("gd", "momentum"):  # converged runs, as on the page
        runs[m] = runs["newton"]
    qr = rotated(Q, np.pi / 4)
    etas = np.logspace(-2, 0, 3)
    figs = [
        fig4.plot_gd_path(Q, gd, eta=0.5),
        fig4.plot_distance([1.0, 10.0], [gd, gd], 1e-3, budget=20),
        fig4.plot_stability(near, 1.0),
        fig4.plot_paths(Q, runs, methods, tol=1e-3),
        fig4.plot_sensitivity(Q, etas, {"adam": np.array([5.0, np.nan, 3.0])}, tol=1e-3, max_steps=300),
        fig4.plot_rotation(Q, qr, (runs["adagrad"], runs["adagrad"])),
        fig4.plot_layer_updates(
            {"SGD": np.array([1e-3, 1e-2, 1e-1])}, {"SGD": np.array([1e-4, 1e-3, 1e-2])}, ["r", "g", "b"]
        ),
    ]
    for f in figs:
        assert f.axes[0].get_title() or f._suptitle is not None
        plt.close(f)
    assert "after 20 iterations" in figs[0].axes[0].texts[0].get_text()
    # The titles say the function, start, tolerance and budget the figures were given.
    assert figs[0].axes[0].get_title().startswith("f = 0.001 w1² + w2²: gradient descent from (1, 1)")
    assert figs[3]._suptitle.get_text().startswith("Paths from (1, 1) to within 0.001 of the minimum of 0.001 w1²")
    assert "not within 300 iterations" in figs[4].axes[0].get_title()


def test_valley_text_writes_the_quadratic_its_figures_show():
    assert fig4.valley_text(Q) == "0.001 w1² + w2²"
    assert fig4.valley_text(ill_conditioned(0.5, 2.0)) == "0.5 w1² + 2 w2²"
    assert fig4.point_text(np.array([-1.0, 0.2])) == "(−1, 0.2)"
    with pytest.raises(ValueError, match="diagonal 2 x 2"):
        fig4.valley_text(rotated(Q, np.pi / 4))
