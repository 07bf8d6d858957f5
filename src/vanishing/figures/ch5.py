"""Chapter 5's figures: every remedy's per-layer speeds on one log scale, accuracies, and the explorer."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

from vanishing.experiments.remedies import explorer_remedy, short_fit
from vanishing.figures.reuse import kept
from vanishing.figures.style import (
    CYCLE,
    EXPLORER_FONT,
    LAYER_PALETTE,
    SPEED_LABEL,
    centre_note,
    few_ticks,
    layer_color,
    log_axis,
    two_row_frame,
)
from vanishing.parallel import blas_threads

Array = np.ndarray

#: Line styles that, with the colour cycle, tell up to 16 remedies apart in print and for colour-blind readers.
_STYLES = ("-", "--", "-.", ":")
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")


#: How the explorer's title and control write each choice of initial weights (remedies.EXPLORER_INITS).
INIT_TEXTS = {"default": "$N(0, 1/n_{in})$", "xavier": "Xavier", "he": "He", "large": r"$100 \times N(0, 1/n_{in})$"}


def depth_colors(depth: int) -> list:
    """Colours of hidden layers 1..``depth``: the book's layer colours up to 8 layers, beyond that an
    ordered scale from dark (layer 1) to light (the last), so that no two layers share a colour."""
    if depth <= len(LAYER_PALETTE):
        return [layer_color(l) for l in range(1, depth + 1)]
    return [mpl.colormaps["viridis"](x) for x in np.linspace(0.0, 0.9, depth)]


def _style(i: int) -> dict:
    """Line ``i``'s colour, dash and marker: no two of the first 32 lines look alike."""
    color = CYCLE[i % len(CYCLE)] if i < len(CYCLE) else ("#000000", "#999999", "#a6761d", "#66a61e")[i // 8 - 1]
    return dict(color=color, ls=_STYLES[i % len(_STYLES)], marker=_MARKERS[i % len(_MARKERS)])


def _profiles(ax, profiles: dict[str, Array], title: str, order: list[str]) -> None:
    """Median over rows of each (n, D) array against the hidden layer, one line per entry, log scale;
    a label's style is fixed by its place in ``order``."""
    for label, g in profiles.items():
        g = np.asarray(g, dtype=float)
        if g.ndim != 2 or g.shape[1] < 1:
            raise ValueError(f"profiles: {label!r} must be an array (runs, hidden layers), got shape {g.shape}")
        with np.errstate(divide="ignore", invalid="ignore"):
            med = np.exp(np.median(np.log(g), axis=0))
        layers = np.arange(1, g.shape[1] + 1)
        ax.plot(layers, np.where(med > 0, med, np.nan), lw=1.6, ms=4, label=label, **_style(order.index(label)))
    ax.set_yscale("log")
    ax.set_xlabel("hidden layer $l$ (1 = next to the input)")
    ax.set_title(title)


def plot_remedy_speeds(at_init: dict[str, Array], in_training: dict[str, Array], *, depth: int) -> plt.Figure:
    r"""Per-layer speed of learning against the hidden layer, one line per remedy, log scale.

    Left: ``at_init`` (label -> (seeds, D) speeds of freshly initialised networks); right:
    ``in_training`` (label -> (runs, D) speeds after the first epoch).  Lines are medians over the
    rows.  A remedy keeps its colour, dash and marker in both panels, and the one legend below the
    panels lists every line of either, so it hides none.
    """
    order = list(in_training) + [k for k in at_init if k not in in_training]
    fig, (a0, a1) = plt.subplots(1, 2, figsize=(8.6, 5.8), sharey=True)
    _profiles(a0, at_init, "at initialisation", order)
    _profiles(a1, in_training, "after the first epoch", order)
    a0.set_ylabel(r"speed of learning $\|\partial C/\partial b^l\|$ (log scale, median)")
    for ax in (a0, a1):
        ax.set_xticks(range(1, depth + 1))
    handles = {}
    for ax in (a1, a0):
        for h, label in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(label, h)
    fig.legend([handles[k] for k in order], order, loc="lower center", ncol=3, fontsize=9, frameon=False)
    fig.suptitle(
        f"Each hidden layer's speed of learning, {depth} hidden layers of 30: one line per remedy", fontsize=11
    )
    fig.tight_layout(rect=(0, 0.17, 1, 0.97))
    return fig


def plot_remedy_accuracy(
    accuracies: dict[str, dict[int, Array]], *, epochs: int, n_train: int, split: str = "test"
) -> plt.Figure:
    """Accuracy after the budget on the ``split`` images, per remedy (rows) and depth (markers): mean ± std
    over seeds.

    ``accuracies``: label -> {depth: accuracies (fractions) over seeds}.
    """
    labels = list(accuracies)
    depths = sorted({d for acc in accuracies.values() for d in acc})
    fig, ax = plt.subplots(figsize=(8, 0.42 * len(labels) + 1.6))
    for j, d in enumerate(depths):
        ys = np.arange(len(labels)) + (j - (len(depths) - 1) / 2) * 0.22
        for y, label in zip(ys, labels):
            a = 100 * np.asarray(accuracies[label].get(d, []), dtype=float)
            if a.size:
                ax.errorbar(
                    a.mean(),
                    y,
                    xerr=a.std(ddof=1) if a.size > 1 else 0,
                    fmt=_MARKERS[j],
                    color=CYCLE[j],
                    capsize=3,
                    label=f"{d} hidden layers" if y == ys[0] else None,
                )
    ax.axvline(10, color="#999999", ls="--", lw=1, label="chance (10 %)")
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(f"{split} accuracy (%), mean ± std over seeds")
    ax.set_title(f"After {epochs} epochs on {n_train:,} training images")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.08), ncol=len(depths) + 1, fontsize=9)
    fig.tight_layout()
    return fig


def plot_rate_curves(
    curves: dict[str, dict[int, Array]], rates, chosen: dict[str, dict[int, float | None]]
) -> plt.Figure:
    """Validation accuracy against the learning rate (log scale), one panel per depth, one line per recipe.

    ``curves``: label -> {depth: accuracies (k,) at ``rates`` (k,); NaN for a diverged run, drawn as a
    gap}; ``chosen``: label -> {depth: the tuned rate or None}, marked with a filled, larger marker.
    A recipe keeps its colour, dash and marker in every panel; one legend below lists them all.
    """
    rates = np.asarray(rates, dtype=float)
    labels = list(curves)
    depths = sorted({d for c in curves.values() for d in c})
    fig, axes = plt.subplots(1, len(depths), figsize=(4.3 * len(depths), 5.4), sharey=True, squeeze=False)
    for ax, d in zip(axes[0], depths):
        for i, label in enumerate(labels):
            if d not in curves[label]:
                continue
            a = 100 * np.asarray(curves[label][d], dtype=float)
            if a.shape != rates.shape:
                raise ValueError(f"curves: {label!r} at depth {d} has {a.size} accuracies for {rates.size} rates")
            style = _style(i)
            ax.plot(rates, a, lw=1.4, ms=4, mfc="white", label=label, **style)
            best = chosen.get(label, {}).get(d)
            if best is not None:
                ax.plot(
                    [best],
                    [a[int(np.argmin(abs(rates - best)))]],
                    marker=style["marker"],
                    ms=8,
                    color=style["color"],
                    ls="none",
                )
        ax.axhline(10, color="#999999", ls="--", lw=1)
        ax.set_xscale("log")
        ax.set(xlabel=r"learning rate $\eta$ (log scale)", title=f"{d} hidden layers", ylim=(0, 100))
    axes[0][0].set_ylabel("validation accuracy (%), one seed")
    handles = {}
    for ax in axes[0]:
        for h, label in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(label, h)
    shown = [k for k in labels if k in handles]
    fig.legend([handles[k] for k in shown], shown, loc="lower center", ncol=3, fontsize=9, frameon=False)
    fig.suptitle(
        "Validation accuracy after the budget at each rate of the grid (filled: the rate chosen; dashed: chance)",
        fontsize=11,
    )
    fig.tight_layout(rect=(0, 0.2, 1, 0.96))
    return fig


def explorer_figure(
    depth: int, init: str, eta: float, activation: str, remedy: str, data: tuple, *, steps=40, seed=0, keep=None
) -> plt.Figure:
    """The explorer's view of ``remedy`` (a key of :data:`vanishing.experiments.remedies.EXPLORER_REMEDIES`) on a
    network with ``depth`` hidden layers of 30, that ``activation`` and initial weights ``init`` (a key
    of :data:`vanishing.experiments.remedies.EXPLORER_INITS`): each hidden layer's speed at initialisation and
    during ``steps`` full-batch steps at rate ``eta`` on ``data`` = (X (m, 784), labels (m,)), and the
    accuracy on ``data``.

    Raises ``ValueError`` with a readable message when the run diverges (the explorer shows it).
    ``keep``: draw on that kept figure (:mod:`vanishing.figures.reuse`).
    """
    r = explorer_remedy(remedy, activation=activation, init=init, eta=eta)
    with blas_threads(1):
        h = short_fit(r, depth, data, steps=steps, seed=seed)
    if h.diverged:
        raise ValueError(h.message)
    # Two rows, as chapter 1's explorer, at the width the page shows it: the two speed panels side by
    # side, the first and last layers' colours named in one row above them, the accuracy below.
    fig = kept(keep, two_row_frame)
    a0, a1, a2 = fig.axes
    layers, g0 = np.arange(1, depth + 1), h.speeds[0]
    colors = depth_colors(depth)
    shown = g0 > 0
    a0.plot(layers[shown], g0[shown], color="#444444", lw=1, zorder=1)
    a0.scatter(layers[shown], g0[shown], c=[colors[l - 1] for l in layers[shown]], s=30, zorder=2)
    if shown.any():
        log_axis(a0)
    if not shown.all():
        centre_note(a0, f"{int((~shown).sum())} layer(s) with\ngradient exactly 0: not drawn")
    few_ticks(a0)
    a0.set(xlabel="hidden layer $l$", ylabel=SPEED_LABEL, title="at initialisation")
    lines = [a1.plot(h.steps, np.where(h.speeds[:, l] > 0, h.speeds[:, l], np.nan), color=colors[l], lw=1.2)[0]
             for l in range(depth)]  # fmt: skip
    if np.any(h.speeds > 0):
        log_axis(a1)
    few_ticks(a1)
    a1.set(xlabel="full-batch step", ylabel=SPEED_LABEL, title="during training")
    ends = [lines[0], lines[-1]] if depth > 1 else lines
    fig.legend(ends, [f"layer {l}" for l in sorted({1, depth})], loc="center", bbox_to_anchor=(0.5, 0.895),
               ncol=2, fontsize=EXPLORER_FONT + 0.5)  # fmt: skip
    a2.plot(h.steps, 100 * h.train_accuracy, color="#333333")
    a2.axhline(10, color="#999999", ls="--", lw=1)
    a2.set(ylim=(0, 100), yticks=[0, 50, 100], xlabel="full-batch step", ylabel="training accuracy (%)")
    a2.set_title(f"accuracy on the {len(data[1])} images (dashed: chance, 10 %)")
    few_ticks(a2)
    fig.suptitle(
        f"{depth} hidden layers, {activation}, {INIT_TEXTS[init]} weights, " + rf"$\eta = {eta:.3g}$, "
        f"remedy: {remedy}",
        fontsize=11,
        y=0.985,
    )
    return fig
