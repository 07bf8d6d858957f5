"""Chapter 3's figures: critical points, gradient vs distance to the minimum, and saddle escapes."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from vanishing.checks import finite_positive
from vanishing.figures.style import CYCLE, EXPLORER_FONT, EXPLORER_WIDTH, few_ticks, layer_colors, log_axis, number_text
from vanishing.landscapes.functions import Quadratic, classify_point, double_well
from vanishing.landscapes.saddles import predicted_escape_steps, saddle_escape
from vanishing.prose import pow10
from vanishing.training.optimizers import run

Array = np.ndarray


def _grid(landscape, extent: float, n: int) -> tuple[Array, Array, Array]:
    """Values of a 2-D landscape on an n x n grid over [-extent, extent]^2 (vectorised through f_)."""
    t = np.linspace(-extent, extent, n)
    Xg, Yg = np.meshgrid(t, t)
    if isinstance(landscape, Quadratic):
        H = landscape.H
        Z = 0.5 * (H[0, 0] * Xg**2 + 2 * H[0, 1] * Xg * Yg + H[1, 1] * Yg**2)
    else:
        Z = np.asarray(landscape.f_(np.array([Xg, Yg])), dtype=float)
    return Xg, Yg, Z


def _math(name: str) -> str:
    """A landscape's name ("x^2 - y^2") as matplotlib mathtext."""
    return "$" + name.replace(" ", r"\,") + "$"


def plot_critical_points(landscapes, extent: float = 1.0, tol: float = 1e-8):
    """One column per 2-D landscape: its surface above its contours, the critical point marked.

    Each column's titles give the function, the Hessian eigenvalues and the Hessian-test verdict at
    the critical point (the origin for all of the chapter's examples).
    """
    landscapes = list(landscapes)
    if not landscapes:
        raise ValueError("landscapes: need at least one landscape")
    extent = finite_positive("extent", extent)
    k = len(landscapes)
    # 2.2 inches a column: four columns fit the page's text width (about 7 inches) at 80 % of their
    # size, and the surfaces' shading, which a PNG stores poorly, takes half the pixels of 3.1.
    fig = plt.figure(figsize=(2.2 * k, 4.6))
    for i, land in enumerate(landscapes):
        p = np.zeros(2)
        kind = classify_point(land, p, tol)
        eig = np.linalg.eigvalsh(land.hessian(p))
        Xg, Yg, Z = _grid(land, extent, 31)
        ax = fig.add_subplot(2, k, i + 1, projection="3d")
        ax.plot_surface(Xg, Yg, Z, cmap="viridis", linewidth=0, antialiased=True, alpha=0.9)
        ax.scatter([0], [0], [land.f(p)], color="red", s=30, depthshade=False)
        ax.set_title(f"$f = ${_math(land.name)}", fontsize=10)
        ax.set_xlabel("$x$")
        ax.set_ylabel("$y$")
        ax.set_zlabel("$f$")
        ax.tick_params(labelsize=7)
        Xg, Yg, Z = _grid(land, extent, 81)
        ax2 = fig.add_subplot(2, k, k + i + 1)
        cs = ax2.contour(Xg, Yg, Z, levels=15, cmap="viridis", linewidths=0.9)
        ax2.clabel(cs, fontsize=6, fmt="%.2g")
        ax2.plot(0, 0, "o", color="red")
        ax2.set_xlabel("$x$")
        ax2.set_ylabel("$y$")
        ax2.set_aspect("equal")
        ax2.set_title(f"eigenvalues {eig[0] + 0.0:g}, {eig[1] + 0.0:g}:\n{kind}", fontsize=10)
    fig.suptitle("Critical points at the origin (red dot): surfaces (top) and contours (bottom)")
    fig.tight_layout()
    return fig


def plot_gradient_vs_gap(runs, titles=None):
    r"""For each run, :math:`\lVert\nabla f(x_k)\rVert` and :math:`f(x_k) - f^*` against k (log scale).

    ``runs`` is a list of ``(trajectory, f_star)``; zero values are drawn at
    the bottom of the axis (log scale cannot show 0) and marked as such.
    """

    runs = list(runs)
    if not runs:
        raise ValueError("runs: need at least one (trajectory, f_star) pair")
    titles = list(titles) if titles is not None else [""] * len(runs)
    fig, axes = plt.subplots(1, len(runs), figsize=(5.2 * len(runs), 3.8), squeeze=False)
    for ax, (traj, f_star), title in zip(axes[0], runs, titles):
        k = np.arange(len(traj.fs))
        gap = traj.fs - f_star
        ax.semilogy(
            k, np.where(traj.grad_norms > 0, traj.grad_norms, np.nan), color="#2166ac", label=r"$\|\nabla f(x_k)\|$"
        )
        ax.semilogy(k, np.where(gap > 0, gap, np.nan), color="#b2182b", label=r"$f(x_k) - f^*$")
        ax.set_xlabel("iteration $k$")
        ax.set_ylabel("value (log scale)")
        ax.set_title(title)
        ax.legend()
    fig.tight_layout()
    return fig


def plot_escape(
    landscape, deltas, eta: float, *, radius: float = 1.0, lam_min: float = -1.0, small: float = 1e-2, x0: float = 1.0
):
    r"""Gradient norm along gradient descent started at :math:`(x_0, \delta)` for several :math:`\delta`.

    Left: linear scale (the plateau: the gradient sits near zero for a long
    time); right: log scale, with dashed vertical lines at the predicted
    escape steps :math:`\ln(r/\delta)/\ln(1+\eta|\lambda_{min}|)` and a grey band
    where :math:`\lVert\nabla f\rVert <` ``small``.
    """

    deltas = list(deltas)
    if not deltas:
        raise ValueError("deltas: need at least one offset")
    fig, (a0, a1) = plt.subplots(1, 2, figsize=(11.0, 4.0))
    colors = [CYCLE[i % len(CYCLE)] for i in range(len(deltas))]  # deltas are not layers
    for d, col in zip(deltas, colors):
        esc = saddle_escape(landscape, d, eta, x0=x0, radius=radius, lam_min=lam_min, small=small)
        g = esc.trajectory.grad_norms
        a0.plot(g, color=col, label=f"δ = {d:.0e}")
        a1.semilogy(
            g, color=col, label=f"δ = {d:.0e}: escapes at k = {esc.escape_step} (predicted {esc.predicted:.1f})"
        )
        a1.axvline(esc.predicted, color=col, ls="--", lw=1)
    a1.axhspan(a1.get_ylim()[0], small, color="0.88", zorder=0, label=rf"$\Vert\nabla f\Vert < {small:g}$")
    a0.set_ylabel(r"$\Vert\nabla f(x_k)\Vert$ (linear scale)")
    a1.set_ylabel(r"$\Vert\nabla f(x_k)\Vert$ (log scale)")
    for ax in (a0, a1):
        ax.set_xlabel("iteration $k$")
    a0.set_title("the plateau: gradient near zero, then escape")
    a1.set_title("same runs, log scale (dashed: predicted escape)")
    handles, labels = a1.get_legend_handles_labels()
    fig.legend(handles, labels, fontsize=8, loc="lower center", ncol=2, frameon=False)  # below: hides no curve
    fig.suptitle(
        f"Gradient descent from $(1, \\delta)$ on $f = ${_math(landscape.name)}, $\\eta = {eta:g}$, "
        f"escape: $|y| \\geq {radius:g}$"
    )
    fig.tight_layout(rect=(0, 0.13, 1, 1))
    return fig


def _divergence_message(eta: float, steps: int, blowup: float) -> str:
    """What a reader sees instead of gradient descent on the double well leaving every bounded region."""
    return (
        f"With learning rate η\u00a0=\u00a0{number_text(eta)}, each step of gradient descent overshoots "
        f"the minimum it heads for, by more than the step before: after {steps:,} steps "
        f"the iterate is more than {pow10(np.log10(blowup))} from the origin and still "
        "growing. On this function the iterates stay bounded only for η\u00a0below\u00a02, and settle "
        "in a minimum only for η\u00a0below\u00a01. Choose a learning rate below 2, or below 1 to "
        "see the escape end in a minimum."
    )


def saddle_explorer_figure(eta: float = 0.1, offset: float = 1e-6, *, x0: float = 1.0, max_steps: int = 20_000):
    r"""The explorer's figure: gradient descent on :func:`double_well` from :math:`(x_0, \text{offset})`.

    Left: the trajectory on the contour plot;
    right: :math:`\lVert\nabla f\rVert` and :math:`f - f^*` (:math:`f^* = -1/4`) per
    iteration on a log scale, with the predicted and measured escape
    (first :math:`|y_k| \ge 1/2`).  Runs until :math:`f - f^* < 10^{-12}` or for three times the
    predicted escape time (at most ``max_steps``).  Raises ``ValueError`` with
    a readable message if the run diverges (large ``eta``).
    """

    land = double_well()
    eta, offset = finite_positive("eta", eta), finite_positive("offset", offset)
    radius, blowup = 0.5, 1e6
    pred = predicted_escape_steps(offset, eta, -1.0, radius)
    steps = int(min(max_steps, 3 * pred + 10 / eta + 50))
    traj = run(
        land.grad,
        [x0, offset],
        method="gd",
        eta=eta,
        steps=steps,
        f=land.f,
        blowup=blowup,
        stop=lambda p: land.f(p) - land.f_star < 1e-12,
    )
    if traj.diverged:
        raise ValueError(_divergence_message(eta, len(traj.xs), blowup))
    fig, (a0, a1) = plt.subplots(1, 2, figsize=(EXPLORER_WIDTH, 4.3), gridspec_kw={"width_ratios": [1, 1.25]})
    fig.subplots_adjust(left=0.09, right=0.98, bottom=0.3, top=0.8, wspace=0.3)  # fixed: tight_layout is slow
    _draw_saddle_path(a0, land, traj)
    _draw_saddle_gap(a1, land, traj, pred, radius)
    # One legend below both panels: inside either it would cover contours or curves.
    handles = [h for ax in (a0, a1) for h in ax.get_legend_handles_labels()[0]]
    fig.legend(
        handles,
        [h.get_label() for h in handles],
        loc="lower center",
        ncol=2,
        fontsize=EXPLORER_FONT,
        columnspacing=1.2,
        handlelength=1.8,
    )
    note = "" if eta < 1 else "\n(η ≥ 1: the minima are unstable, gradient descent keeps bouncing)"
    fig.suptitle(
        f"Gradient descent on $f = ${_math(land.name)} from (1, δ), δ = {number_text(offset)}, "
        + rf"$\eta = {eta:.3g}$"
        + note,
        fontsize=11,
        y=0.985,
    )
    return fig


def _draw_saddle_path(a0, land, traj) -> None:
    """The explorer's left panel: the trajectory ``traj`` on the contours of ``land``."""
    Xg, Yg, Z = _grid(land, 1.6, 81)
    a0.contour(Xg, Yg, Z, levels=np.linspace(-0.2, 1.5, 10), cmap="viridis", linewidths=0.8)
    style = ".-" if len(traj.xs) <= 400 else "-"  # markers on thousands of points are slow to draw
    a0.plot(traj.xs[:, 0], traj.xs[:, 1], style, color="#b2182b", ms=2, lw=0.8, label="gradient descent")
    a0.plot(0, 0, "kx", ms=8, label="saddle (0, 0)")
    a0.plot([0, 0], [-1, 1], "o", color="#1b9e77", ms=5, label="minima (0, ±1)")
    a0.set_xlim(-1.6, 1.6)
    a0.set_ylim(-1.6, 1.6)
    a0.set_aspect("equal")
    a0.set_xticks([-1, 0, 1])
    a0.set_yticks([-1, 0, 1])
    a0.set_xlabel("$x$")
    a0.set_ylabel("$y$")
    a0.set_title("path on the contours")


def _draw_saddle_gap(a1, land, traj, pred: float, radius: float) -> None:
    """The explorer's right panel: gradient norm and gap to the minimum per iteration, with the
    predicted escape step ``pred`` and the measured one (first :math:`|y_k| \\ge` ``radius``)."""
    k = np.arange(len(traj.fs))
    gn, gap = traj.grad_norms, traj.fs - land.f_star
    a1.plot(k, np.where(gn > 0, gn, np.nan), color="#2166ac", label=r"$\Vert\nabla f(x_k)\Vert$")
    a1.plot(k, np.where(gap > 0, gap, np.nan), color="#b2182b", label=r"$f(x_k) - f^*$,  $f^* = -1/4$")
    a1.axvline(pred, color="0.4", ls="--", lw=1, label=f"predicted escape (|y| = 1/2): k = {pred:,.0f}")
    esc = np.flatnonzero(np.abs(traj.xs[:, 1]) >= radius)
    if esc.size:
        a1.axvline(esc[0], color="#1b9e77", ls=":", lw=1.5, label=f"measured: |y| ≥ 1/2 at k = {esc[0]:,}")
    few_ticks(a1)
    log_axis(a1)  # decade labels in plain text (10⁻³): no mathtext to parse, no e-notation
    a1.set_xlabel("iteration $k$")
    a1.set_ylabel("value (log scale)")
    a1.set_title("gradient norm and gap to the minimum")


def plot_mnist_curvature(ritz_values, layer_norms):
    r"""Two panels at one point of an MNIST network: its Hessian's Ritz values, and its hidden layers'
    gradient norms :math:`\lVert\partial C/\partial b^l\rVert` (log scale), ``layer_norms`` (n_hidden,)."""
    ritz, norms = np.asarray(ritz_values, dtype=float), np.asarray(layer_norms, dtype=float)
    fig, (a0, a1) = plt.subplots(1, 2, figsize=(11, 3.8))
    a0.plot(ritz, "o", ms=4, color=CYCLE[0])
    a0.axhline(0, color="k", lw=0.8)
    a0.set(
        xlabel="Ritz value index (ascending)",
        ylabel="Ritz value (curvature)",
        title=f"{ritz.size} Lanczos Ritz values of the Hessian at initialisation",
    )
    layers = [f"layer {l}" for l in range(1, norms.size + 1)]
    a1.bar(layers, norms, color=layer_colors(norms.size))
    a1.set_yscale("log")
    a1.set(ylabel=r"$\Vert\partial C/\partial b^l\Vert$ (log scale)", title="hidden-layer gradient norms, same point")
    fig.tight_layout()
    return fig
