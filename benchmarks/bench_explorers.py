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

import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from IPython.core.pylabtools import print_figure  # noqa: E402

import statistics  # noqa: E402

from vanishing import explorers as registry  # noqa: E402
from vanishing.figures.style import use_style  # noqa: E402
from vanishing.widgets import FigurePNG, render  # noqa: E402


def explorers() -> dict:
    """Every registered explorer (vanishing.explorers) at its defaults, and chapter 1's at depth 8."""
    found = {}
    for name, spec in registry.REGISTRY.items():
        plot = spec.figure()
        defaults = spec.values(spec.default_position())
        found[name] = (plot, defaults)
        if name == "ch1_layer_speeds":
            found["ch1 at depth 8"] = (plot, defaults | {"depth": 8})
    return found


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
