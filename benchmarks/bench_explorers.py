"""Benchmark: seconds per explorer redraw, for every chapter's explorer.

A redraw is what moving a slider costs: the chapter's plot function at the
default values (computation + building the figure) plus rendering the PNG that
the notebook front end receives.  "redraw" is the explorer's own single render
(vanishing.widgets.FigurePNG); "inline" is IPython's retina display with a tight
bounding box, which the default view uses once.  Prints one line per explorer
and path, the median and best of ``repeats`` runs in wall seconds, and as its
last line the slowest explorer's median redraw, ``max_median_redraw_seconds=...``
(the goal: at most 0.25 s at the defaults).
Run: ``python benchmarks/bench_explorers.py``.
"""

from __future__ import annotations

import functools
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from IPython.core.pylabtools import print_figure  # noqa: E402

import statistics  # noqa: E402

from vanishing.data import load_mnist, one_hot  # noqa: E402
from vanishing.figures import ch1, ch2, ch3, ch4, ch5  # noqa: E402
from vanishing.figures.style import use_style  # noqa: E402
from vanishing.widgets import FigurePNG, render  # noqa: E402


def explorers() -> dict:
    (X, y), (Xv, yv), _ = load_mnist()
    return {
        "ch1 depth/std/eta": (functools.partial(ch1.explorer_figure, data=(X[:300], y[:300]), steps=40),
                              dict(depth=4, std=1.0, scaled=True, eta=3.0)),
        "ch1 at depth 8": (functools.partial(ch1.explorer_figure, data=(X[:300], y[:300]), steps=40),
                           dict(depth=8, std=1.0, scaled=True, eta=3.0)),
        "ch2 chain/30-wide": (functools.partial(ch2.plot_gradient_explorer, X=Xv[:1000],
                                                Y=one_hot(yv[:1000], 10)),
                              dict(depth=5, weight_scale=1.0, activation="sigmoid")),
        "ch3 saddle": (ch3.saddle_explorer_figure, dict(eta=0.1, offset=1e-6)),
        "ch4 ill-conditioned": (ch4.explorer_figure, dict(eta=0.5, a=0.001, method="gd", start=(1.0, 1.0))),
        "ch5 remedies": (functools.partial(ch5.explorer_figure, data=(X[:200], y[:200]), steps=40),
                         dict(depth=10, init="default", scale=1.0, eta=1.0, activation="sigmoid", remedy="none")),
        "ch5 at depth 15, batch norm": (functools.partial(ch5.explorer_figure, data=(X[:200], y[:200]), steps=40),
                                        dict(depth=15, init="default", scale=1.0, eta=1.0, activation="sigmoid",
                                             remedy="batch norm")),
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


def main(repeats: int = 5) -> None:
    use_style()
    medians = {}
    for name, (plot, values) in explorers().items():
        for fmt in ("redraw", "inline"):
            walls = [time_redraw(plot, values, fmt)[1] for _ in range(repeats)]
            print(f"{name:22s} {fmt:6s} median {statistics.median(walls):.3f} s  best {min(walls):.3f} s")
            if fmt == "redraw" and " at depth " not in name:
                medians[name] = statistics.median(walls)
    print(f"max_median_redraw_seconds={max(medians.values()):.3f}")


if __name__ == "__main__":
    main()
