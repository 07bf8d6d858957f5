"""Benchmark: seconds per explorer redraw, for every chapter's explorer.

A redraw is what moving a slider costs: the chapter's plot function at the
default values (computation + building the figure) plus rendering the PNG that
the notebook front end receives.  "redraw" is the explorer's own single render
(vanishing.widgets.FigurePNG); "inline" is IPython's retina display with a tight
bounding box, which the default view uses once.  Prints one line per explorer
and path, best of ``repeats`` runs, CPU and wall seconds.
Run: ``python benchmarks/bench_explorers.py``.
"""

from __future__ import annotations

import functools
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from IPython.core.pylabtools import print_figure  # noqa: E402

from vanishing import chain, experiments, landscapes, optimizers  # noqa: E402
from vanishing.data import load_mnist, one_hot  # noqa: E402
from vanishing.plots import use_style  # noqa: E402
from vanishing.widgets import FigurePNG, render  # noqa: E402


def explorers() -> dict:
    (X, y), (Xv, yv), _ = load_mnist()
    return {
        "ch1 depth/std/eta": (functools.partial(experiments.explorer_figure, data=(X[:300], y[:300]), steps=40),
                              dict(depth=4, std=1.0, scaled=True, eta=3.0)),
        "ch1 at depth 8": (functools.partial(experiments.explorer_figure, data=(X[:300], y[:300]), steps=40),
                           dict(depth=8, std=1.0, scaled=True, eta=3.0)),
        "ch2 chain/30-wide": (functools.partial(chain.plot_gradient_explorer, X=Xv[:1000],
                                                Y=one_hot(yv[:1000], 10)),
                              dict(depth=5, weight_scale=1.0, activation="sigmoid")),
        "ch3 saddle": (landscapes.saddle_explorer_figure, dict(eta=0.1, offset=1e-6)),
        "ch4 ill-conditioned": (optimizers.explorer_figure, dict(eta=0.5, a=0.001, method="gd", start=(1.0, 1.0))),
    }


def time_redraw(plot, values, fmt: str) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fig = render(plot, values)
    if fmt == "redraw":
        FigurePNG(fig)._repr_mimebundle_()
    else:
        print_figure(fig, "retina")
    plt.close(fig)
    return time.process_time() - cpu, time.perf_counter() - wall


def main(repeats: int = 3) -> None:
    use_style()
    for name, (plot, values) in explorers().items():
        for fmt in ("redraw", "inline"):
            best = min((time_redraw(plot, values, fmt) for _ in range(repeats)), key=lambda t: t[1])
            print(f"{name:22s} {fmt:6s} cpu {best[0]:.3f} s  wall {best[1]:.3f} s")


if __name__ == "__main__":
    main()
