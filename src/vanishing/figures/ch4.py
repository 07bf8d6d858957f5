"""Chapter 4's figures: contour plots with optimiser paths, the explorer, and per-layer bars."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from ..landscapes import ill_conditioned
from ..optimizers import Trajectory, gd_rates, run
from .style import log_axis

Array = np.ndarray

#: A colour and a name for each optimiser, the same in every figure and table of chapter 4.
METHOD_COLORS = {"gd": "#444444", "momentum": "#1b9e77", "adagrad": "#d95f02", "rmsprop": "#7570b3",
                 "adam": "#e7298a", "newton": "#2166ac"}



METHOD_LABELS = {"gd": "gradient descent", "momentum": "heavy-ball momentum", "adagrad": "Adagrad",
                 "rmsprop": "RMSProp", "adam": "Adam", "newton": "Newton"}


def draw_contours(ax, q, xlim: tuple[float, float], ylim: tuple[float, float], n_levels: int = 15) -> None:
    """Contours of ``q.f`` (a 2-D :class:`~vanishing.landscapes.Quadratic`) at log-spaced levels on ``ax``."""
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



def explorer_figure(eta: float = 0.5, a: float = 0.001, method: str = "gd", start: tuple = (1.0, 1.0),
                    steps: int = 1000):
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
    t = run(lambda x: H @ x, start, method=method, eta=eta, steps=steps, f=lambda x: 0.5 * float(x @ H @ x),
            blowup=1e6 * max(1.0, float(np.max(np.abs(start)))), **hyper)
    if t.diverged:
        rates = gd_rates(H)
        raise ValueError(f"{t.message}\nFor gradient descent on this function the largest stable learning "
                         f"rate is 2/lambda_max = {rates['eta_max']:.3g}.")
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(10.0, 4.0))
    s = 1.2 * float(np.max(np.abs(start)))
    draw_contours(ax, q, (-s, s), (-s, s))
    draw_path(ax, t, f"{METHOD_LABELS[method]}, η = {eta:.3g}", METHOD_COLORS[method])
    ax.set_title(rf"$f = {a:.3g}\,w_1^2 + w_2^2$: {steps} iterations from ({start[0]:g}, {start[1]:g})")
    ax.legend(loc="lower left")
    floor = 1e-30
    bx.plot(np.arange(len(t.fs)), np.maximum(t.fs, floor), color=METHOD_COLORS[method])
    log_axis(bx)  # no minor ticks (a third of the redraw) and plain-text labels (no mathtext to parse)
    bx.set_xlabel("iteration $k$")
    bx.set_ylabel(r"$f(w_k) - f(w^*)$ (log scale)")
    w = t.xs[-1]
    bx.set_title(f"after {t.steps} iterations: w = ({w[0]:.3g}, {w[1]:.3g})")
    bx.set_ylim(bottom=max(floor, 0.5 * float(np.min(np.maximum(t.fs, floor)))))
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.13, top=0.9, wspace=0.25)
    return fig



def layer_bars(ax, values: dict, colors: list, log: bool = True) -> None:
    """Grouped bars: one group per key of ``values`` (label -> (n_layers,) array), one bar per layer."""
    labels = list(values)
    n = len(next(iter(values.values())))
    width = 0.8 / n
    for l in range(n):
        ax.bar(np.arange(len(labels)) + (l - (n - 1) / 2) * width, [values[k][l] for k in labels], width,
               color=colors[l], label=f"hidden layer {l + 1}")
    ax.set_xticks(np.arange(len(labels)), labels)
    if log:
        ax.set_yscale("log")
