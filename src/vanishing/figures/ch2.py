"""Chapter 2's figures: the sigmoid's derivative, gradients of random chains by depth, the unstable
band, exploding chains, activations compared, and the explorer of a width-30 network."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from vanishing.checks import check_int, check_positive
from vanishing.experiments.layer_speeds import wide_network_bias_gradients
from vanishing.figures.reuse import KeptFigure, kept
from vanishing.figures.style import EXPLORER_FONT, EXPLORER_WIDTH, few_ticks, layer_colors
from vanishing.gradients.chain import chain_grad_biases, check_activation, draw_chain
from vanishing.networks.activations import get_activation

Array = np.ndarray


def _quantile_bands(ax, depths: Array, values: Array, color: str, label: str) -> None:
    q = np.quantile(values, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    ax.fill_between(depths, q[0], q[4], color=color, alpha=0.15, lw=0)
    ax.fill_between(depths, q[1], q[3], color=color, alpha=0.3, lw=0)
    ax.plot(depths, q[2], color=color, lw=2, label=label)


def plot_sigmoid_derivative(z_max: float = 8.0) -> plt.Figure:
    r"""The sigmoid and its derivative on :math:`[-z_{max}, z_{max}]`, with the maximum 1/4 at z = 0 marked."""
    z_max = check_positive("z_max", z_max)
    sig = get_activation("sigmoid")
    z = np.linspace(-z_max, z_max, 801)
    fig, ax = plt.subplots(figsize=(7, 3.6))
    ax.plot(z, sig.f(z), color="#2166ac", lw=2, label=r"$\sigma(z)$")
    ax.plot(z, sig.df(z), color="#b2182b", lw=2, label=r"$\sigma'(z)=\sigma(z)(1-\sigma(z))$")
    ax.axhline(0.25, color="#b2182b", ls=":", lw=1)
    ax.plot([0], [0.25], "o", color="#b2182b")
    ax.annotate(r"max $\sigma'(0)=1/4$", (0, 0.25), (1.5, 0.4), arrowprops=dict(arrowstyle="->"))
    ax.set(xlabel="weighted input $z$", ylabel="value", title="The sigmoid and its derivative", ylim=(-0.02, 1.05))
    ax.legend(loc="upper left")
    return fig


def plot_depth_distribution(log10_g: Array, log10_bound: Array, predicted_factor: float, title: str = "") -> plt.Figure:
    r"""Quantile bands of :math:`\log_{10}|\partial C/\partial b_1|` and of the bound against depth.

    ``log10_g``, ``log10_bound``: (n_draws, L).  A dashed line of slope
    :math:`\log_{10}` ``predicted_factor`` through the bound's median at depth 1 shows the predicted typical decay.
    """
    g = np.asarray(log10_g, dtype=float)
    bd = np.asarray(log10_bound, dtype=float)
    if g.ndim != 2 or bd.shape != g.shape:
        raise ValueError(f"log10_bound: expected shape {g.shape} to match log10_g, got {bd.shape}")
    depths = np.arange(1, g.shape[1] + 1)
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    _quantile_bands(ax, depths, bd, "#7570b3", r"bound $(1/4)^{L-1}\prod|w_j|\,|\sigma'(z_1)|\,|a_L-y|$ (median)")
    _quantile_bands(ax, depths, g, "#b2182b", r"$|\partial C/\partial b_1|$ (median; 50% and 90% bands)")
    m0 = np.median(bd[:, 0])
    ax.plot(
        depths,
        m0 + (depths - 1) * np.log10(predicted_factor),
        "k--",
        lw=1,
        label=rf"predicted typical decay $e^{{E\ln|w|}}/4 = {predicted_factor:.3f}$ per layer",
    )
    ax.set(
        xlabel="depth $L$ (neurons in the chain)",
        ylabel=r"$\log_{10}$ of the magnitude",
        title=title or r"$|\partial C/\partial b_1|$ of random one-neuron chains, $w_j, b_j \sim N(0,1)$",
    )
    ax.legend(loc="lower left")
    return fig


def plot_band(ws: Array, numeric: Array, closed: Array, w_star: float, width_star: float) -> plt.Figure:
    """Band width against |w|: numerical root finding (dots) and the closed form (line), maximum marked."""
    ws, numeric, closed = (np.asarray(v, dtype=float) for v in (ws, numeric, closed))
    if not (ws.shape == numeric.shape == closed.shape) or ws.ndim != 1:
        raise ValueError("numeric: ws, numeric and closed must be 1-D arrays of the same length")
    fig, ax = plt.subplots(figsize=(7, 3.8))
    ax.plot(
        ws,
        closed,
        color="#2166ac",
        lw=2,
        label=r"closed form $\frac{2}{|w|}\ln\left(\frac{|w|(1+\sqrt{1-4/|w|})}{2}-1\right)$",
    )
    step = max(1, ws.size // 40)
    ax.plot(ws[::step], numeric[::step], "o", color="#ef8a62", ms=4, label="root finding (grid + bisection)")
    ax.plot(
        [w_star], [width_star], "*", color="#b2182b", ms=14, label=f"maximum {width_star:.3f} at $|w| = {w_star:.2f}$"
    )
    ax.axvline(4, color="grey", ls=":", lw=1)
    ax.set(
        xscale="log",
        xlabel=r"$|w|$ (log scale)",
        ylabel="width of the band of inputs $a$",
        title=r"Inputs $a$ with $|w\,\sigma'(wa+b)| \geq 1$: a narrow band, only for $|w| \geq 4$",
    )
    ax.legend(loc="upper right")
    return fig


def plot_exploding(log10_tuned: Array, log10_random: dict[str, Array], floor: float = -60.0) -> plt.Figure:
    """log10 |dC/db_1| against depth: the tuned w = 100 chain and medians of random chains with large weights.

    The y axis stops at ``floor``; a curve that leaves the plot says in its legend entry where it ends.
    """
    t = np.asarray(log10_tuned, dtype=float).ravel()
    depths = np.arange(1, t.size + 1)
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    ax.plot(depths, t, color="#b2182b", lw=2.5, label="$w = 100$, biases tuned so every $z_j = 0$")
    colors = ["#ef8a62", "#e6ab02", "#1b9e77", "#2166ac", "#7570b3"]
    for (label, v), c in zip(log10_random.items(), colors):
        v = np.asarray(v, dtype=float)
        med = np.median(v, axis=0)
        if med.min() < floor:
            label += f" (off the plot: {med[-1]:.0f} at L = {med.size})"
        ax.plot(np.arange(1, v.shape[1] + 1), med, color=c, lw=1.5, label=label)
    ax.axhline(0, color="grey", lw=1)
    ax.set_ylim(floor, max(5.0, t.max() + 5))
    ax.set(
        xlabel="depth $L$",
        ylabel=r"$\log_{10}|\partial C/\partial b_1|$ (median over draws)",
        title="In a chain, exploding needs large weights AND tuned biases",
    )
    ax.legend(loc="lower left", fontsize=8)
    return fig


def plot_activation_contrast(curves: dict[str, Array]) -> plt.Figure:
    r"""Median :math:`\log_{10}|\partial C/\partial b_1|` against depth per activation (nonzero draws),
    and the fraction of draws whose gradient is exactly 0."""
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(10, 4), gridspec_kw={"width_ratios": [3, 2]})
    colors = {"sigmoid": "#b2182b", "tanh": "#2166ac", "relu": "#1b9e77"}
    for name, v in curves.items():
        v = np.asarray(v, dtype=float)
        depths = np.arange(1, v.shape[1] + 1)
        zero = np.isneginf(v)
        masked = np.where(zero, np.nan, v)
        med = np.full(v.shape[1], np.nan)
        alive = ~np.all(zero, axis=0)  # depths where some draw still has a nonzero gradient
        med[alive] = np.nanmedian(masked[:, alive], axis=0)
        ax.plot(depths, med, color=colors.get(name, "k"), lw=2, label=name)
        ax2.plot(depths, zero.mean(axis=0), color=colors.get(name, "k"), lw=2, label=name)
    ax.set(
        xlabel="depth $L$",
        ylabel=r"median $\log_{10}|\partial C/\partial b_1|$ (nonzero draws)",
        title="Decay of the gradient through the chain",
    )
    ax.legend()
    ax2.set(
        xlabel="depth $L$", ylabel="fraction of draws", ylim=(-0.02, 1.02), title=r"$\partial C/\partial b_1$ exactly 0"
    )
    ax2.legend()
    fig.tight_layout()
    return fig


def _log_boxes(ax, data: list[Array], title: str) -> None:
    """Box plots of log10 magnitudes per layer; zeros are left out and counted above the box."""
    n = len(data)
    logs, zero_frac = [], []
    for d in data:
        d = np.asarray(d, dtype=float)
        if not np.all(np.isfinite(d)):
            raise ValueError(
                "The gradients overflowed (inf or NaN) at this setting: "
                "the weights are so large that the network's arithmetic breaks down. "
                "Lower the weight scale or the depth."
            )
        nz = d[d > 0]
        zero_frac.append(1 - nz.size / max(d.size, 1))
        logs.append(np.log10(nz) if nz.size else np.array([np.nan]))
    colors = layer_colors(n)
    pos = np.arange(1, n + 1)
    q = np.array(
        [
            np.quantile(v[np.isfinite(v)], [0.05, 0.25, 0.5, 0.75, 0.95])
            if np.isfinite(v).any()
            else np.full(5, np.nan)
            for v in logs
        ]
    )
    # One collection per statistic (cheap to draw): 5-95% whisker, quartile box, median tick.
    ax.vlines(pos, q[:, 0], q[:, 4], colors=colors, lw=1.5)
    ax.vlines(pos, q[:, 1], q[:, 3], colors=colors, lw=9, alpha=0.85)
    ax.scatter(pos, q[:, 2], marker="_", s=120, color="k", zorder=3)
    lo, hi = np.nanmin(q[:, 0]), np.nanmax(q[:, 4])
    if np.isfinite(lo) and np.isfinite(hi):
        span = max(hi - lo, 0.5)
        ax.set_ylim(lo - 0.05 * span, hi + (0.25 if any(zero_frac) else 0.08) * span)
    for l, f in enumerate(zero_frac, start=1):
        if f > 0:
            pct = ">99%" if 0.99 < f < 1 else ("<1%" if f < 0.01 else f"{100 * f:.0f}%")
            ax.text(
                l,
                0.98,
                f"{pct}\n= 0",
                ha="center",
                va="top",
                fontsize=EXPLORER_FONT,
                transform=ax.get_xaxis_transform(),
            )
    ax.set(xlabel="hidden layer $l$", title=title)
    few_ticks(ax, "y", nbins=7)  # whole decades, every second one on long ranges: each tick costs a redraw
    ax.set_xticks(np.arange(1, n + 1, 1 if n <= 6 else 2))  # every tick costs a redraw time: odd layers beyond 6


def _explorer_frame() -> plt.Figure:
    """The explorer's empty frame: two panels side by side, room above them for a two-line title."""
    fig, _ = plt.subplots(1, 2, figsize=(EXPLORER_WIDTH, 4.0), sharey=False)
    fig.subplots_adjust(left=0.1, right=0.98, bottom=0.13, top=0.76, wspace=0.25)
    return fig


def plot_gradient_explorer(
    depth: int,
    weight_scale: float,
    activation: str,
    X: Array,
    Y: Array,
    n_draws: int = 1000,
    n_nets: int = 1,
    seed: int = 0,
    keep: KeptFigure | None = None,
) -> plt.Figure:
    r"""Distribution of per-layer gradient magnitudes: one-neuron chain (left) and a 30-wide network (right).

    Chain: ``n_draws`` chains of ``depth`` hidden neurons plus an output neuron,
    :math:`w \sim N(0, s^2)`, :math:`b \sim N(0, 1)`; shows :math:`|\partial C/\partial b_l|`
    per hidden layer.  Wide network: :func:`wide_network_bias_gradients` on ``X``, ``Y``.
    Box: quartiles, whiskers: 5% and 95%, log10 scale.  ``keep``: draw on that kept figure
    (:mod:`vanishing.figures.reuse`).
    """
    depth = check_int("depth", depth, 1)
    weight_scale = check_positive("weight_scale", weight_scale)
    act = check_activation(activation)
    d = draw_chain(n_draws, depth + 1, weight_std=weight_scale, seed=seed)
    with np.errstate(over="ignore", invalid="ignore"):
        chain = np.abs(chain_grad_biases(d.w, d.b, d.x, d.y, act.name))[:, :depth]
    wide = wide_network_bias_gradients(depth, weight_scale, act.name, X, Y, n_nets=n_nets, seed=seed)
    fig = kept(keep, _explorer_frame)
    ax1, ax2 = fig.axes
    _log_boxes(ax1, [chain[:, l] for l in range(depth)], f"1 neuron a layer, {n_draws:,} chains")
    nets = "" if n_nets == 1 else f", {n_nets} networks"
    _log_boxes(ax2, wide, f"30 neurons a layer, {X.shape[0]:,} inputs{nets}")
    ax1.set_ylabel(r"$\log_{10}|\partial C/\partial b|$ per neuron")
    lo = min(ax1.get_ylim()[0], ax2.get_ylim()[0])
    hi = max(ax1.get_ylim()[1], ax2.get_ylim()[1])
    for ax in (ax1, ax2):  # one scale for both panels, so the two can be compared by eye
        ax.set_ylim(lo, hi)
    layers = "1 hidden layer" if depth == 1 else f"{depth} hidden layers"
    fig.suptitle(
        f"{act.name}, {layers}, weight std ${weight_scale:.3g}/\\sqrt{{n_{{in}}}}$\n"
        "boxes: quartiles, whiskers: 5 % and 95 %",
        fontsize=11,
        y=0.98,
    )
    return fig
