"""Chapter 6's figures: gradients through time, the cliff, long-range accuracy, rates, and the explorer."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from vanishing.experiments.sequence_tasks import latch_task
from vanishing.figures.reuse import KeptFigure, kept
from vanishing.figures.style import CYCLE
from vanishing.gradients.through_time import by_lag, state_gradient_norms
from vanishing.networks.lstm import LSTM
from vanishing.networks.recurrent import RecurrentNetwork, with_largest_singular_value
from vanishing.training.recurrent import train_sgd

Array = np.ndarray
_STYLES = ("-", "--", "-.", ":")
_MARKERS = ("o", "s", "^", "D", "v", "P")


def _median_rows(name: str, values) -> Array:
    v = np.asarray(values, dtype=float)
    if v.ndim == 1:
        v = v[None]
    if v.ndim != 2 or v.shape[1] < 2:
        raise ValueError(f"{name}: expected an array (runs, lags) with at least 2 lags, got shape {v.shape}")
    with np.errstate(divide="ignore", invalid="ignore"):
        med = np.exp(np.median(np.log(v), axis=0))
    return np.where((med > 0) & np.isfinite(med), med, np.nan)


def plot_power(norms: dict[str, Array], bounds: dict[str, float]) -> plt.Figure:
    r"""Per-step gradient norms against the lag :math:`T - t`, log scale, one colour per recurrent matrix.

    ``norms``: label -> (sequences, T+1) norms ordered by lag (lag 0 first), drawn as their median
    (solid); ``bounds``: label -> the bound's slope :math:`\log_{10}(\gamma\sigma_{\max})` per step,
    drawn dashed from the median at lag 0.
    """
    if set(norms) != set(bounds):
        raise ValueError("bounds: need one slope for every curve of norms")
    fig, ax = plt.subplots(figsize=(7.0, 4.2))
    for i, (label, v) in enumerate(norms.items()):
        med = _median_rows(label, v)
        lags = np.arange(med.size)
        ax.plot(lags, med, color=CYCLE[i], lw=1.8, label=f"{label}: measured")
        ax.plot(
            lags,
            med[0] * 10.0 ** (bounds[label] * lags),
            color=CYCLE[i],
            lw=1.2,
            ls="--",
            label=rf"{label}: bound $(\gamma\sigma_{{\max}})^{{T-t}}$",
        )
    ax.set_yscale("log")
    ax.set_xlabel("steps back in time, $T - t$")
    ax.set_ylabel(r"$\Vert\partial L_T/\partial h_t\Vert$")
    ax.set_title(r"The gradient through time: a power of one matrix")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
    fig.tight_layout()
    return fig


def plot_cliff(w: Array, b: Array, cost: Array, paths: dict[str, Array]) -> plt.Figure:
    r"""The one-unit network's cost :math:`C(w, b)` as filled contours of :math:`\log_{10} C`, with paths.

    ``w``, ``b``, ``cost``: 2-D grids of one shape; ``paths``: label -> (steps + 1, 2) points
    :math:`(w, b)` of a descent, drawn with markers from a common start.
    """
    w, b, cost = (np.asarray(a, dtype=float) for a in (w, b, cost))
    if not (w.shape == b.shape == cost.shape) or w.ndim != 2:
        raise ValueError(f"cost: expected 2-D grids of one shape, got {w.shape}, {b.shape}, {cost.shape}")
    fig, ax = plt.subplots(figsize=(6.4, 4.6))
    filled = ax.contourf(w, b, np.log10(np.maximum(cost, 1e-12)), levels=20, cmap="viridis")
    fig.colorbar(filled, ax=ax, label=r"$\log_{10} C(w, b)$")
    for i, (label, p) in enumerate(paths.items()):
        p = np.asarray(p, dtype=float)
        ax.plot(
            p[:, 0],
            p[:, 1],
            color=("#b2182b", "#ffffff", "#e7298a")[i % 3],
            ls=_STYLES[i % 4],
            marker=_MARKERS[i % 6],
            ms=4,
            lw=1.8,
            markevery=max(1, len(p) // 10),
            label=label,
        )
    ax.plot(*np.asarray(next(iter(paths.values())))[0], "k*", ms=12, label="start")
    ax.set_xlim(w.min(), w.max())
    ax.set_ylim(b.min(), b.max())
    ax.set_xlabel("recurrent weight $w$")
    ax.set_ylabel("bias $b$")
    ax.set_title(r"The cliff: $x_t = w\,\sigma(x_{t-1}) + b$, cost $(x_{50} - 0.7)^2$")
    ax.legend(loc="lower left", framealpha=0.9, frameon=True, facecolor="#bbbbbb")  # shows the white line
    fig.tight_layout()
    return fig


def plot_lengths(lengths, accuracy: dict[str, Array], chance: float) -> plt.Figure:
    """Held-out accuracy against the sequence length T: mean ± std over seeds, one line per network.

    ``accuracy``: label -> (len(lengths), seeds) accuracies (fractions) at each network's best rate.
    """
    lengths = np.asarray(lengths)
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    for i, (label, a) in enumerate(accuracy.items()):
        a = np.asarray(a, dtype=float)
        if a.ndim != 2 or a.shape[0] != lengths.size:
            raise ValueError(f"accuracy: {label!r} must have shape ({lengths.size}, seeds), got {a.shape}")
        ax.errorbar(
            lengths,
            100 * a.mean(axis=1),
            yerr=100 * a.std(axis=1, ddof=1) if a.shape[1] > 1 else None,
            color=CYCLE[i],
            ls=_STYLES[i % 4],
            marker=_MARKERS[i % 6],
            capsize=3,
            label=label,
        )
    ax.axhline(100 * chance, color="k", ls=":", lw=1, label="chance")
    ax.set_xscale("log")
    ax.set_xticks(lengths, [str(t) for t in lengths])
    ax.minorticks_off()
    ax.set_ylim(0, 105)
    ax.set_xlabel("sequence length $T$ (the bit $T/2$ to $T$ steps before the answer)")
    ax.set_ylabel("held-out accuracy (%)")
    ax.set_title("Remembering one bit over a long lag")
    ax.legend(loc="lower left")
    fig.tight_layout()
    return fig


def plot_carousel(norms: dict[str, Array]) -> plt.Figure:
    r"""Median per-step gradient norms against the lag, log scale: the vanilla state's and the LSTM's.

    ``norms``: label -> (sequences, T+1) norms ordered by lag (lag 0 first).
    """
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    for i, (label, v) in enumerate(norms.items()):
        med = _median_rows(label, v)
        ax.plot(np.arange(med.size), med, color=CYCLE[i], ls=_STYLES[i % 4], lw=1.8, label=label)
    ax.set_yscale("log")
    ax.set_xlabel("steps back in time, $T - t$")
    ax.set_ylabel("gradient norm (median over sequences)")
    ax.set_title(r"Through the cell state the error is carried, not multiplied by $W$")
    ax.legend(loc="lower left")
    fig.tight_layout()
    return fig


def plot_rate_curves(etas, accuracy: dict[str, Array], chance: float) -> plt.Figure:
    """Held-out accuracy against the learning rate (the same grid for every method), mean over seeds.

    ``accuracy``: label -> (len(etas), seeds) accuracies; the best rate of each is ringed.
    """
    etas = np.asarray(etas, dtype=float)
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    for i, (label, a) in enumerate(accuracy.items()):
        a = np.asarray(a, dtype=float)
        if a.ndim != 2 or a.shape[0] != etas.size:
            raise ValueError(f"accuracy: {label!r} must have shape ({etas.size}, seeds), got {a.shape}")
        mean = 100 * a.mean(axis=1)
        ax.plot(etas, mean, color=CYCLE[i], ls=_STYLES[i % 4], marker=_MARKERS[i % 6], label=label)
        best = int(np.argmax(mean))
        ax.plot(etas[best], mean[best], "o", ms=12, mfc="none", color=CYCLE[i])
    ax.axhline(100 * chance, color="k", ls=":", lw=1, label="chance")
    ax.set_xscale("log")
    ax.set_ylim(0, 105)
    ax.set_xlabel(r"learning rate $\eta$")
    ax.set_ylabel("held-out accuracy (%), mean over seeds")
    ax.set_title("The same rate grid for every method (best rate ringed)")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
    fig.tight_layout()
    return fig


#: The explorer's fixed settings: hidden units, batch, steps and rate of its short run, clipping threshold.
EXPLORER = {"n_hidden": 12, "batch": 20, "steps": 60, "eta": 0.3, "clip": 1.0}

#: The explorer's panel margins (fractions of the 8.4 × 3.4 inch figure): fixed, as tight_layout finds them
#: for the widest tick labels, since tight_layout took a third of a redraw.
EXPLORER_MARGINS = {"left": 0.11, "right": 0.982, "bottom": 0.172, "top": 0.896, "wspace": 0.26}


def explorer_model(cell: str, sigma: float, seed: int = 0):
    """The explorer's network for the latch: a vanilla ``cell`` ("tanh", "sigmoid") or an "LSTM",
    with its recurrent matrix rescaled to largest singular value ``sigma``."""
    n = EXPLORER["n_hidden"]
    if cell == "LSTM":
        net = LSTM(2, n, 2, cost="softmax", seed=seed)
        Wh = net.params[1]
        for k in range(4):  # each gate's recurrent block gets the largest singular value sigma
            Wh[k * n : (k + 1) * n] = with_largest_singular_value(Wh[k * n : (k + 1) * n], sigma)
        return net
    net = RecurrentNetwork(2, n, 2, activation=cell, cost="softmax", recurrent_init="orthogonal", seed=seed)
    net.params[0] = with_largest_singular_value(net.params[0], sigma)
    return net


def _explorer_frame() -> plt.Figure:
    """The explorer's empty frame: two panels side by side, margins fixed (:data:`EXPLORER_MARGINS`)."""
    fig, _ = plt.subplots(1, 2, figsize=(8.4, 3.4))
    fig.subplots_adjust(**EXPLORER_MARGINS)
    return fig


def explorer_figure(
    T: int = 50, sigma: float = 1.0, cell: str = "tanh", clip: bool = False, *, keep: KeptFigure | None = None
) -> plt.Figure:
    """Explorer 6.1: per-step gradient norms at the start (left) and a short SGD run's cost (right)
    on the latch of length ``T``. A run that diverges raises a ``ValueError`` with a readable message.
    ``keep``: draw on that kept figure (:mod:`vanishing.figures.reuse`)."""
    task = latch_task(int(T))
    net = explorer_model(cell, float(sigma))
    X, Y = task.sample(50, seed=1)
    which = "c" if cell == "LSTM" else "h"
    norms = np.median(by_lag(state_gradient_norms(net, X, Y, which=which)), axis=0)
    run = train_sgd(
        net,
        task,
        eta=EXPLORER["eta"],
        steps=EXPLORER["steps"],
        batch_size=EXPLORER["batch"],
        clip=EXPLORER["clip"] if clip else None,
        seed=0,
        test_size=200,
        compiled=True,  # the same arithmetic in a fixed order: the same bits on every CPU, and faster
    )
    if run.diverged:
        raise ValueError(
            f"Training diverged at update {run.diverged_at} of {EXPLORER['steps']}: the gradient "
            f"exploded. Turn clipping on, or lower the largest singular value."
        )
    fig = kept(keep, _explorer_frame)
    a1, a2 = fig.axes
    with np.errstate(divide="ignore"):
        a1.plot(np.arange(norms.size), np.where(norms > 0, norms, np.nan), color=CYCLE[0], lw=1.8)
    a1.set_yscale("log")
    a1.set_xlabel("steps back in time, $T - t$")
    a1.set_ylabel(
        r"$\Vert\partial L_T/\partial c_t\Vert$" if which == "c" else r"$\Vert\partial L_T/\partial h_t\Vert$"
    )
    a1.set_title(rf"{cell}, $\sigma_{{\max}} = {sigma:.3g}$, $T = {int(T)}$")
    a2.plot(np.arange(1, run.costs.size + 1), run.costs, color=CYCLE[1], lw=1.2)
    a2.axhline(task.baseline_cost, color="k", ls=":", lw=1, label="guessing ($\\ln 2$)")
    a2.set_xlabel("update")
    a2.set_ylabel("batch cost")
    a2.set_title(f"SGD, {'clipped' if clip else 'not clipped'}: accuracy {run.test_accuracy:.0%}")
    a2.legend(loc="upper right")
    return fig


__all__ = [
    "plot_power",
    "plot_cliff",
    "plot_lengths",
    "plot_carousel",
    "plot_rate_curves",
    "explorer_figure",
    "explorer_model",
    "EXPLORER",
]
