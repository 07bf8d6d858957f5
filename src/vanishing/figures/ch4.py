"""Chapter 4's figures: contour plots with optimiser paths, the explorer, and per-layer bars."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from vanishing.figures.reuse import kept
from vanishing.figures.style import EXPLORER_FONT, EXPLORER_WIDTH, few_ticks, log_axis, number_text
from vanishing.landscapes.functions import ill_conditioned
from vanishing.prose import pow10
from vanishing.training.optimizers import Trajectory, gd_rates, run

Array = np.ndarray

#: A colour and a name for each optimiser, the same in every figure and table of chapter 4.
METHOD_COLORS = {
    "gd": "#444444",
    "momentum": "#1b9e77",
    "adagrad": "#d95f02",
    "rmsprop": "#7570b3",
    "adam": "#e7298a",
    "newton": "#2166ac",
}


METHOD_LABELS = {
    "gd": "gradient descent",
    "momentum": "heavy-ball momentum",
    "adagrad": "Adagrad",
    "rmsprop": "RMSProp",
    "adam": "Adam",
    "newton": "Newton",
}


def draw_contours(ax, q, xlim: tuple[float, float], ylim: tuple[float, float], n_levels: int = 15) -> None:
    """Contours of ``q.f`` (a 2-D :class:`~vanishing.landscapes.functions.Quadratic`) at log-spaced levels on ``ax``."""
    H = np.asarray(q.H, dtype=float)
    if H.shape != (2, 2):
        raise ValueError(f"q: expected a 2-D quadratic, got dimension {H.shape[0]}")
    w1, w2 = np.meshgrid(np.linspace(*xlim, 160), np.linspace(*ylim, 160))
    F = 0.5 * (H[0, 0] * w1**2 + 2 * H[0, 1] * w1 * w2 + H[1, 1] * w2**2)
    top = float(F.max())
    levels = top * np.logspace(-7, 0, n_levels)
    ax.contour(w1, w2, F, levels=levels, colors="#9e9e9e", linewidths=0.7)
    ax.plot(0, 0, marker="*", color="k", markersize=10, linestyle="none", label="minimum (0, 0)")
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")


def draw_path(ax, traj: Trajectory, label: str, color: str, every: int = 1, max_points: int = 150) -> None:
    """The iterates ``traj.xs`` as a line with markers; long runs are thinned to ``max_points`` markers.

    A long run is joined by a line only over its first 8 steps: a path that zig-zags across a valley
    thousands of times would otherwise fill a solid wedge.
    """
    xs = traj.xs
    stride = max(every, int(np.ceil(len(xs) / max_points)))
    joined = xs if len(xs) < 200 else xs[:8]
    ax.plot(joined[:, 0], joined[:, 1], color=color, linewidth=1.2 if len(xs) < 200 else 0.7, alpha=0.9)
    ax.plot(xs[::stride, 0], xs[::stride, 1], "o", color=color, markersize=3, label=label)
    ax.plot(xs[0, 0], xs[0, 1], "s", color="k", markersize=5)


def draw_run(ax, q, traj: Trajectory, label: str, color: str, pad: float = 0.15) -> None:
    """Contours of ``q`` in a window holding the whole path and the minimum, then the path, on ``ax``."""
    pts = np.vstack([traj.xs, np.zeros((1, 2))])
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    span = np.maximum(hi - lo, 1e-12)
    lo, hi = lo - pad * span, hi + pad * span
    draw_contours(ax, q, (float(lo[0]), float(hi[0])), (float(lo[1]), float(hi[1])))
    draw_path(ax, traj, label, color)


def _explorer_frame() -> plt.Figure:
    """The explorer's empty frame: the contour panel and the gap panel side by side, margins fixed."""
    fig, _ = plt.subplots(1, 2, figsize=(EXPLORER_WIDTH, 3.9))
    fig.subplots_adjust(left=0.12, right=0.98, bottom=0.24, top=0.78, wspace=0.36)
    return fig


def explorer_figure(
    eta: float = 0.5, a: float = 0.001, method: str = "gd", start: tuple = (1.0, 1.0), steps: int = 1000, *, keep=None
) -> plt.Figure:
    r"""Path of ``method`` on :math:`a w_1^2 + w_2^2` from ``start`` (left) and :math:`f(w_k)` (right, log scale).

    Momentum uses Polyak's tuned :math:`\beta` for this ``a``; Adagrad, RMSProp and Adam their usual
    defaults; Newton is damped by ``eta`` (``eta = 1``: pure).  Raises ``ValueError`` with a readable
    message when the run diverges.  ``keep``: None, or the :class:`~vanishing.figures.reuse.KeptFigure` to draw on.
    """
    q = ill_conditioned(a, 1.0)
    hyper = {}
    if method == "momentum":
        hyper["beta"] = gd_rates(q.H)["hb_beta"]
    if method == "newton":
        hyper["hessian"] = q.hessian
    H = q.H
    t = run(
        lambda x: H @ x,
        start,
        method=method,
        eta=eta,
        steps=steps,
        f=lambda x: 0.5 * float(x @ H @ x),
        blowup=1e6 * max(1.0, float(np.max(np.abs(start)))),
        **hyper,
    )
    if t.diverged:
        raise ValueError(_divergence_message(method, eta, H, len(t.xs), hyper.get("beta")))
    fig = kept(keep, _explorer_frame)
    ax, bx = fig.axes
    s = 1.2 * float(np.max(np.abs(start)))
    draw_contours(ax, q, (-s, s), (-s, s))
    few_ticks(ax, "x", 3)
    few_ticks(ax, "y", 3)
    draw_path(ax, t, f"{METHOD_LABELS[method]}, η = {number_text(eta)}", METHOD_COLORS[method])
    ax.set_title("path on the contours")
    floor = 1e-30
    bx.plot(np.arange(len(t.fs)), np.maximum(t.fs, floor), color=METHOD_COLORS[method])
    log_axis(bx)  # no minor ticks (a third of the redraw) and plain-text labels (no mathtext to parse)
    few_ticks(bx)
    bx.set_xlabel("iteration $k$")
    bx.set_ylabel(r"$f(w_k) - f(w^*)$ (log scale)")
    bx.set_title("gap to the minimum")
    bx.set_ylim(bottom=max(floor, 0.5 * float(np.min(np.maximum(t.fs, floor)))))
    # The legend below the panels: inside the contour plot it would cover the path.
    fig.legend(*ax.get_legend_handles_labels(), loc="lower center", ncol=2, fontsize=EXPLORER_FONT)
    w = t.xs[-1]
    fig.suptitle(
        rf"$f = {a:.3g}\,w_1^2 + w_2^2$: {METHOD_LABELS[method]}, {t.steps:,} iterations" + "\n"
        f"from ({number_text(start[0])}, {number_text(start[1])}) to "
        f"w = ({number_text(w[0])}, {number_text(w[1])})",
        fontsize=11,
        y=0.985,
    )
    return fig


def _divergence_message(method: str, eta: float, H: Array, steps: int, beta: float | None) -> str:
    """What a reader sees instead of a run of ``method`` that diverged after ``steps`` steps on
    :math:`\frac12 w^T H w`: what happened, the largest stable rate where one is known, and what to choose."""
    lam = float(np.max(np.linalg.eigvalsh(H)))
    limits = {
        "gd": (2 / lam, f"2/λₘₐₓ = {number_text(2 / lam)}"),
        "momentum": (
            2 * (1 + (beta or 0.0)) / lam,
            f"2(1 + β)/λₘₐₓ = {number_text(2 * (1 + (beta or 0.0)) / lam)} with β = {number_text(beta or 0.0)}",
        ),
        "newton": (2.0, "2"),
    }
    text = (
        f"With learning rate η\u00a0=\u00a0{number_text(eta)}, {METHOD_LABELS[method]} overshoots along w₂, the "
        f"steep direction (curvature λₘₐₓ = {number_text(lam)}): each step lands farther from the minimum "
        f"than the one before, and after {steps:,} steps the iterate is more than {pow10(6)} times as far "
        "out as the start."
    )
    if method in limits:
        limit, formula = limits[method]
        return text + (
            f" On this function it converges only for η below {formula}. "
            f"Choose a learning rate below {number_text(limit)}."
        )
    return text + " Choose a smaller learning rate."


def layer_bars(ax, values: dict, colors: list, log: bool = True) -> None:
    """Grouped bars: one group per key of ``values`` (label -> (n_layers,) array), one bar per layer."""
    labels = list(values)
    n = len(next(iter(values.values())))
    width = 0.8 / n
    for l in range(n):
        ax.bar(
            np.arange(len(labels)) + (l - (n - 1) / 2) * width,
            [values[k][l] for k in labels],
            width,
            color=colors[l],
            label=f"hidden layer {l + 1}",
        )
    ax.set_xticks(np.arange(len(labels)), labels)
    if log:
        ax.set_yscale("log")


def iterations_text(traj: Trajectory, budget: int = 20_000) -> str:
    """The iterations ``traj`` took to converge, as the page writes them: ``"3,628"`` or ``"not within 20,000"``."""
    return f"{traj.converged_at:,}" if traj.converged_at is not None else f"not within {budget:,}"


def valley_text(q) -> str:
    """The 2-D diagonal quadratic ``q`` (f = ½ wᵀHw) as a title writes it: ``"0.001 w1² + w2²"``."""
    H = np.asarray(q.H)
    if H.shape != (2, 2) or H[0, 1] or H[1, 0]:
        raise ValueError(f"q: expected a diagonal 2 x 2 Hessian, got {H.tolist()}")
    return " + ".join(
        ("" if c == 1 else number_text(c) + " ") + f"w{i}²" for i, c in enumerate(np.diag(H) / 2, start=1)
    )


def point_text(w) -> str:
    """A 2-D point as a title writes it: ``"(1, 1)"``."""
    return f"({number_text(w[0])}, {number_text(w[1])})"


def plot_gd_path(q, gd: Trajectory, eta: float) -> plt.Figure:
    """Gradient descent's path (learning rate ``eta``) on the contours of the 2-D quadratic ``q``,
    with its last iterate written out."""
    fig, ax = plt.subplots(figsize=(7, 4.5))
    draw_contours(ax, q, (-0.2, 1.2), (-1.2, 1.2))
    draw_path(ax, gd, f"gradient descent, η = {eta:g}, {gd.steps} iterations", METHOD_COLORS["gd"])
    ax.annotate(
        f"after {gd.steps} iterations:\nw = ({gd.xs[-1, 0]:.3f}, {gd.xs[-1, 1]:g})",
        gd.xs[-1],
        xytext=(0.25, 0.55),
        arrowprops=dict(arrowstyle="->"),
    )
    ax.set_title(f"f = {valley_text(q)}: gradient descent from {point_text(gd.xs[0])}, η = {eta:g}")
    ax.legend(loc="lower left")
    return fig


def plot_distance(starts, runs: list[Trajectory], tol: float, budget: int = 1000) -> plt.Figure:
    """Distance to the minimum ‖w_k‖ against k (log scale) for one run per start scale in ``starts``,
    with the tolerance ``tol`` and the iteration ``budget`` marked."""
    fig, ax = plt.subplots(figsize=(7, 4))
    for s, t, shade in zip(starts, runs, ("#252525", "#737373", "#bdbdbd")):
        ax.semilogy(np.linalg.norm(t.xs, axis=1), color=shade, label=f"start ({s:g}, {s:g})")
    ax.axhline(tol, color="#b2182b", linestyle="--", label=f"tolerance {tol:g}")
    ax.axvline(budget, color="#2166ac", linestyle=":", label=f"{budget} iterations")
    ax.set_xlabel("iteration k")
    ax.set_ylabel("distance to the minimum ‖w_k‖ (log scale)")
    ax.set_title("Gradient descent, η = 0.5: straight lines on a log scale")
    ax.legend()
    return fig


def plot_stability(near: dict, eta_max: float) -> plt.Figure:
    """Gradient norms (log scale) of gradient descent for three learning rates (``near``: η -> run)
    just below, at and above the stable limit ``eta_max``."""
    fig, ax = plt.subplots(figsize=(7, 4))
    for (eta, t), color in zip(near.items(), ("#1b9e77", "#7570b3", "#b2182b")):
        ax.semilogy(t.grad_norms, color=color, label=f"η = {eta:g}")
    ax.set_xlabel("iteration k")
    ax.set_ylabel("gradient norm ‖∇f(w_k)‖ (log scale)")
    ax.set_title(f"Gradient descent just below, at and just above η = 2/λmax = {eta_max:g}")
    ax.legend()
    return fig


def plot_paths(q, runs: dict, methods: dict, tol: float) -> plt.Figure:
    """Six panels, each the path of one optimiser on the contours of ``q`` at its own scale.

    ``runs``: setting name -> :class:`Trajectory`, each run from the same start until within ``tol`` of
    the minimum; ``methods``: setting name -> optimiser key of :data:`METHOD_LABELS`; the panels are the
    settings named after gd, momentum, newton, adagrad, rmsprop and adam, in that order.
    """
    fig, axes = plt.subplots(2, 3, figsize=(11, 7))
    for ax, name in zip(axes.flat, ("gd", "momentum", "newton", "adagrad", "rmsprop", "adam")):
        m = methods[name]
        draw_run(ax, q, runs[name], "path", METHOD_COLORS[m])
        k = runs[name].converged_at
        ax.set_title(f"{METHOD_LABELS[m]}: {k:,} iteration{'s' if k != 1 else ''}", fontsize=10)
    start = point_text(runs["gd"].xs[0])
    fig.suptitle(
        f"Paths from {start} to within {number_text(tol)} of the minimum of {valley_text(q)} (each panel its own scale)"
    )
    fig.tight_layout()
    return fig


def plot_sensitivity(q, etas: Array, iterations: dict, tol: float, max_steps: int, marked: float = 0.1) -> plt.Figure:
    """Iterations to converge within ``tol`` against the learning rate on ``q``, log-log, one line per
    optimiser (``iterations``: method -> (len(etas),) counts, NaN where it did not converge within
    ``max_steps``)."""
    fig, ax = plt.subplots(figsize=(7, 4))
    for m, v in iterations.items():
        label = METHOD_LABELS[m] + (" (tuned β)" if m == "momentum" else "")
        ax.loglog(etas, v, "o-", color=METHOD_COLORS[m], label=label)
    ax.axvline(marked, color="k", linestyle=":", label=f"η = {marked:g} (the table's)")
    ax.set_xlabel("learning rate η (log scale)")
    ax.set_ylabel(f"iterations to within {number_text(tol)} (log scale)")
    ax.set_title(f"Sensitivity to η on {valley_text(q)} (gaps: not within {max_steps:,} iterations)")
    ax.legend(fontsize=8)
    return fig


def plot_rotation(q, q_rotated, runs: tuple[Trajectory, Trajectory]) -> plt.Figure:
    """Adagrad's path on ``q`` (left) and on the same valley rotated by 45° (right); ``runs`` holds the two runs."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    panels = ((q, f"axis-aligned: {valley_text(q)}"), (q_rotated, "the same function rotated by 45°"))
    for ax, (qq, title), t in zip(axes, panels, runs):
        draw_contours(ax, qq, (-1.6, 1.6), (-1.6, 1.6))
        draw_path(ax, t, f"Adagrad, η = 0.1 ({iterations_text(t)} it.)", METHOD_COLORS["adagrad"])
        ax.set_title(title)
        ax.legend(loc="lower left", fontsize=8)
    fig.suptitle("Adagrad from the same start, before and after rotating the valley")
    return fig


def plot_layer_updates(bias_updates: dict, rms_updates: dict, colors: list) -> plt.Figure:
    """Two panels of per-layer bars, one group per optimiser: the norms of the bias updates (left) and
    the RMS update of all of a layer's parameters (right); each dict maps a label to (3,) values."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    layer_bars(axes[0], bias_updates, colors)
    axes[0].set_ylabel("‖Δb^l‖ after the step (log scale)")
    axes[0].set_title("Bias updates per hidden layer")
    layer_bars(axes[1], rms_updates, colors)
    axes[1].set_ylabel("RMS of Δ(W^l, b^l) per parameter (log scale)")
    axes[1].set_title("All parameters of the layer, per parameter")
    for ax in axes:
        ax.set_ylim(top=ax.get_ylim()[1] * 8)  # room for the legend above the bars
    axes[0].legend(loc="upper left")
    fig.subplots_adjust(wspace=0.35)
    fig.suptitle("[784, 30, 30, 30, 10] sigmoid network at initialisation, 1,000 MNIST images")
    return fig
