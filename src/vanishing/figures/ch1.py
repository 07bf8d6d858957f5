"""Chapter 1's figures: accuracy over seeds, the layers' speeds of learning, and the explorer."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np

from vanishing.data import Split
from vanishing.experiments.expressivity import _check_k, n_parameters, sawtooth_deep, sawtooth_shallow
from vanishing.experiments.layer_speeds import short_run
from vanishing.figures.reuse import KeptFigure, kept
from vanishing.figures.style import (
    EXPLORER_FONT,
    SPEED_LABEL,
    centre_note,
    few_ticks,
    layer_color,
    log_axis,
    number_text,
    two_row_frame,
)
from vanishing.parallel import blas_threads

Array = np.ndarray

#: The y-label of a layer's speed of learning, the norm of its bias gradient.


def plot_accuracy_bands(curves: dict[str, Array], *, title: str = "") -> plt.Figure:
    """Validation accuracy per epoch: mean line and a +-1 std band per architecture.

    ``curves`` maps a label to an array (n_seeds, E+1) of accuracies (row 0 untrained, not drawn).
    """
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    palette = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a"]
    for i, (label, acc) in enumerate(curves.items()):
        acc = np.asarray(acc, dtype=float)[:, 1:]
        epochs = np.arange(1, acc.shape[1] + 1)
        m, s = acc.mean(axis=0), acc.std(axis=0, ddof=1) if acc.shape[0] > 1 else 0 * acc[0]
        ax.plot(epochs, 100 * m, color=palette[i % 4], label=f"{label} (mean of {acc.shape[0]} seeds)")
        ax.fill_between(epochs, 100 * (m - s), 100 * (m + s), color=palette[i % 4], alpha=0.2, lw=0)
    ax.set_xlabel("epoch")
    ax.set_ylabel("validation accuracy (%)")
    ax.set_title(title or "Validation accuracy per epoch (band: ±1 std over seeds)")
    ax.legend(loc="lower right")
    return fig


def plot_init_norms(
    norms_by_depth: dict[int, Array], claims: dict[int, Sequence[float]] | None = None, *, title: str = ""
) -> plt.Figure:
    """Norm vs hidden layer (log scale): mean over seeds with +-1 std bars, seeds' claims as crosses."""
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    palette = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a"]
    claims = claims or {}
    for i, (depth, norms) in enumerate(norms_by_depth.items()):
        norms = np.asarray(norms, dtype=float)
        layers = np.arange(1, depth + 1)
        m, s = norms.mean(axis=0), norms.std(axis=0, ddof=1)
        ax.errorbar(
            layers + 0.06 * (i - 1),
            m,
            yerr=s,
            marker="o",
            capsize=3,
            color=palette[i % 4],
            label=f"{depth} hidden layers ({norms.shape[0]} seeds)",
        )
        if depth in claims:
            ax.plot(
                layers[-len(claims[depth]) :] + 0.06 * (i - 1),
                claims[depth],
                "x",
                ms=9,
                mew=2,
                color=palette[i % 4],
                label=f"source book, {depth} hidden layers",
            )
    ax.set_yscale("log")
    ax.set_xticks(range(1, max(norms_by_depth) + 1))
    ax.set_xlabel("hidden layer l (1 = next to the input)")
    ax.set_ylabel(r"speed of learning $\|\partial C/\partial b^l\|$ (log scale)")
    ax.set_title(title or "Speed of learning of each hidden layer at initialisation")
    ax.legend(fontsize=8)
    return fig


def plot_training_norms(norms_by_depth: dict[int, Array], *, title: str = "") -> plt.Figure:
    """One panel per depth: each hidden layer's norm vs epoch (log scale), layer colours of the book.

    ``norms_by_depth`` maps depth to an array (E+1, depth) (``History.grad_norms``).
    """
    n = len(norms_by_depth)
    fig, axes = plt.subplots(n, 1, figsize=(7.5, 2.6 * n + 0.6), sharex=True, sharey=True, squeeze=False)
    for ax, (depth, g) in zip(axes[:, 0], norms_by_depth.items()):
        g = np.asarray(g, dtype=float)
        for l in range(depth):
            ax.plot(np.arange(g.shape[0]), g[:, l], color=layer_color(l + 1), lw=1.4, label=f"layer {l + 1}")
        ax.set_yscale("log")
        ax.set_title(f"{depth} hidden layers")
        ax.set_ylabel(r"$\|\partial C/\partial b^l\|$ (log scale)")
        ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.0, 0.5))
    axes[-1, 0].set_xlabel("epoch (one full-batch step each)")
    fig.suptitle(title or "Speed of learning of each hidden layer during training", fontsize=11)
    fig.tight_layout()
    return fig


def _divergence_message(depth: int, std: float, scaled: bool, eta: float, grad_norms) -> str:
    """What a reader sees instead of a run whose gradients or weights overflowed."""
    broken = np.flatnonzero(~np.all(np.isfinite(grad_norms), axis=1))
    when = f"at step {int(broken[0])}" if broken.size else "during the run"
    w = f"{number_text(std)}/√n_in" if scaled else number_text(std)
    return (
        f"With learning rate η\u00a0=\u00a0{number_text(eta)} and initial weight std {w}, training breaks down {when}: "
        "the weights grow until the network's arithmetic overflows, and its speeds of learning "
        "can no longer be computed. Choose a smaller learning rate or a smaller initial weight std."
    )


def _layer_legend(fig: plt.Figure, lines: list, y: float) -> None:
    """One row naming the hidden layers' colours ("layer 1", "2", ...) across the figure at height ``y``,
    outside every panel, so that it hides no curve."""
    labels = ["layer 1"] + [str(l) for l in range(2, len(lines) + 1)]
    fig.legend(
        lines,
        labels,
        loc="center",
        bbox_to_anchor=(0.5, y),
        ncol=len(lines),
        handlelength=1.3,
        columnspacing=0.9,
        handletextpad=0.4,
        fontsize=EXPLORER_FONT + 0.5,
    )


def explorer_figure(
    depth: int, std: float, scaled: bool, eta: float, data: Split, *, steps=40, seed=0, keep: KeptFigure | None = None
) -> plt.Figure:
    """The explorer's view: norms at initialisation, norms during a short run, accuracy.

    Raises ``ValueError`` with a readable message when the run diverges (the
    explorer shows it in the plot area). ``keep``: draw on that kept figure (:mod:`.reuse`).
    """
    with blas_threads(1):
        g0, hist = short_run(depth, std, scaled, eta, data, steps=steps, seed=seed)
    if hist.diverged:
        raise ValueError(_divergence_message(depth, std, scaled, eta, hist.grad_norms))
    # Two rows, so that each panel keeps a readable size in the text column: the speeds side by side
    # (same log y-axis quantity), the layers' colours named in one row above them, the accuracy below.
    fig = kept(keep, two_row_frame)
    a0, a1, a2 = fig.axes
    layers = np.arange(1, depth + 1)
    zero = g0 <= 0
    a0.plot(layers, np.where(zero, np.nan, g0), color="#444444", lw=1, zorder=1)
    a0.scatter(layers[~zero], g0[~zero], c=[layer_color(int(l)) for l in layers[~zero]], s=30, zorder=2)
    log_axis(a0)
    a0.set_xticks(layers)
    a0.set_xlabel("hidden layer $l$")
    a0.set_ylabel(SPEED_LABEL)
    a0.set_title("at initialisation")
    if zero.any():
        centre_note(a0, f"{int(zero.sum())} layer(s) with gradient exactly 0\n(underflow): not drawn")
    steps_axis = np.arange(hist.grad_norms.shape[0])
    lines = []
    for l in range(depth):
        g = hist.grad_norms[:, l]
        lines += a1.plot(steps_axis, np.where(g > 0, g, np.nan), color=layer_color(l + 1))
    if not np.any(hist.grad_norms > 0):
        a1.text(0.5, 0.5, "every gradient is exactly 0", transform=a1.transAxes, ha="center")
    else:
        log_axis(a1)
    few_ticks(a1)
    a1.set_xlabel("full-batch step")
    a1.set_ylabel(r"$\Vert\partial C/\partial b^l\Vert$")
    a1.set_title("during training")
    _layer_legend(fig, lines, 0.895)
    a2.plot(steps_axis, 100 * hist.accuracy, color="#333333")
    a2.axhline(10, color="#999999", ls="--", lw=1)
    a2.set_ylim(0, 100)
    a2.set_yticks([0, 50, 100])
    few_ticks(a2)
    a2.set_xlabel("full-batch step")
    a2.set_ylabel("training accuracy (%)")
    a2.set_title(f"accuracy on the {data[0].shape[0]} images (dashed: chance, 10 %)")
    w = rf"$\sigma = {std:.3g}/\sqrt{{n_{{in}}}}$" if scaled else rf"$\sigma = {std:.3g}$"
    layers_text = "1 hidden layer" if depth == 1 else f"{depth} hidden layers"
    fig.suptitle(
        f"Speed of learning, {layers_text} of 30, weights {w}, " + rf"$\eta = {eta:.3g}$", fontsize=11, y=0.985
    )
    return fig


def plot_depth_vs_width(rows: list[dict], k_show: int = 3) -> plt.Figure:
    """Left: the deep and the shallow network's sawtooth for ``k_show``; right: parameters against k (log scale).

    ``rows`` is :func:`depth_table`'s output.
    """
    if not rows:
        raise ValueError("rows: need at least one row of depth_table")
    k_show = _check_k(k_show)
    fig, (a0, a1) = plt.subplots(1, 2, figsize=(11, 3.8))
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.15, top=0.85, wspace=0.28)
    deep, shallow = sawtooth_deep(k_show), sawtooth_shallow(k_show)
    x = np.linspace(0.0, 1.0, 801)
    a0.plot(
        x,
        deep.feedforward(x[:, None])[:, 0],
        color="#2166ac",
        lw=2.5,
        label=f"deep: {k_show} hidden layers of 2 ({n_parameters(deep)} parameters)",
    )
    a0.plot(
        x,
        shallow.feedforward(x[:, None])[:, 0],
        color="#e6ab02",
        lw=1.2,
        ls="--",
        label=f"shallow: 1 hidden layer of {2**k_show} ({n_parameters(shallow)} parameters)",
    )
    a0.set_xlabel("input x")
    a0.set_ylabel("network output")
    a0.set_ylim(-0.05, 1.35)
    a0.set_title(f"the same sawtooth with {2**k_show} linear pieces")
    a0.legend(loc="upper left", fontsize=8)
    ks = np.array([r["k"] for r in rows])
    a1.plot(ks, [r["params_deep"] for r in rows], "o-", color="#2166ac", label="deep network (6k + 1)")
    a1.plot(
        ks,
        [r["params_shallow_min"] for r in rows],
        "s-",
        color="#e6ab02",
        label="one hidden layer, fewest possible (3·2ᵏ − 2)",
    )
    a1.set_yscale("log")
    a1.set_xticks(ks)
    a1.set_xlabel("k (the function has 2ᵏ linear pieces)")
    a1.set_ylabel("parameters (log scale)")
    a1.set_title("parameters needed for 2ᵏ pieces")
    a1.legend(loc="upper left", fontsize=8)
    fig.suptitle("Depth buys pieces: a deep ReLU network against one hidden layer", fontsize=11)
    return fig
