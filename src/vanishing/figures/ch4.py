"""Chapter 4's figures: contour plots with optimiser paths, the explorer, and per-layer bars."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

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


def explorer_figure(
    eta: float = 0.5, a: float = 0.001, method: str = "gd", start: tuple = (1.0, 1.0), steps: int = 1000
):
    r"""Path of ``method`` on :math:`a w_1^2 + w_2^2` from ``start`` (left) and :math:`f(w_k)` (right, log scale).

    Momentum uses Polyak's tuned :math:`\beta` for this ``a``; Adagrad, RMSProp and
    Adam their usual defaults; Newton is damped by ``eta`` (``eta = 1``: pure).
    Raises ``ValueError`` with a readable message when the run diverges.
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
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(EXPLORER_WIDTH, 3.9))
    fig.subplots_adjust(left=0.12, right=0.98, bottom=0.24, top=0.78, wspace=0.36)
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
