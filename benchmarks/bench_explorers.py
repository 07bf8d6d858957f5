"""Benchmark: CPU seconds per explorer redraw, for every explorer at its defaults and at its heaviest setting.

A redraw is what moving a control costs in JupyterLab: the explorer's figure function
(computation + building the figure, ``vanishing.widgets.render``) and the PNG that the front end
receives (``vanishing.widgets.FigurePNG``).  The heaviest setting of an explorer is the deepest
network or the longest run it offers (:data:`HEAVIEST`).  Times are CPU seconds of this process
(``time.process_time``), so that other jobs on a shared machine disturb them less than wall time;
the settings are timed in turns, round after round, so that a change of load touches them all.
Prints one line per explorer and setting (median and best of ``repeats`` rounds), then
``max_median_redraw_seconds=...`` (the slowest median over both settings of every explorer) against
the goal, :data:`GOAL` seconds.
Run: ``python benchmarks/bench_explorers.py [repeats]``.
"""

from __future__ import annotations

import statistics
import sys
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from vanishing import explorers as registry  # noqa: E402
from vanishing.figures.style import use_style  # noqa: E402
from vanishing.widgets import FigurePNG, render  # noqa: E402

#: The goal of issue 28: every explorer redraws in at most a quarter second (median).
GOAL = 0.25

#: Each explorer's heaviest setting, as changes to its defaults: the deepest network (chapters 1, 2
#: and 5 at their live sliders' maximum depth), the longest run (chapter 3: the smallest rate and
#: offset run for about 9,000 steps; chapter 4: Adam, the costliest step, for all 1,000 iterations
#: from the farthest start; chapter 6: the LSTM, whose step costs about four vanilla steps, on the
#: longest sequence, with clipping on).
HEAVIEST = {
    "ch1_layer_speeds": {"depth": 8},
    "ch2_layer_gradients": {"depth": 10},
    "ch3_saddle": {"eta": 0.01, "offset": 1e-12},
    "ch4_valley": {"method": "adam", "eta": 0.001, "start": (100.0, 100.0)},
    "ch5_remedies": {"depth": 15},
    "ch6_recurrent": {"T": 50, "cell": "LSTM", "clip": True},
}


def settings() -> dict[tuple[str, str], tuple]:
    """(explorer, "defaults" or "heaviest") -> (plot function, values) for every registered explorer."""
    found = {}
    for name, spec in registry.REGISTRY.items():
        plot = spec.figure()
        defaults = spec.values(spec.default_position())
        found[name, "defaults"] = (plot, defaults)
        found[name, "heaviest"] = (plot, defaults | HEAVIEST.get(name, {}))
    return found


def redraw_seconds(plot, values: dict) -> float:
    """CPU seconds of one redraw: the figure for ``values`` and its PNG."""
    start = time.process_time()
    fig = render(plot, values)
    FigurePNG(fig)._repr_mimebundle_()
    plt.close(fig)
    return time.process_time() - start


def main(repeats: int = 7) -> float:
    """Time every explorer's redraw ``repeats`` times in turns; print the table and the maximum median."""
    use_style()
    cases = settings()
    for plot, values in cases.values():  # warm up: imports, font caches, first compilations
        redraw_seconds(plot, values)
    times: dict[tuple[str, str], list[float]] = {key: [] for key in cases}
    for _ in range(repeats):
        for key, (plot, values) in cases.items():
            times[key].append(redraw_seconds(plot, values))
    for (name, setting), t in times.items():
        print(f"{name:20s} {setting:8s} median {statistics.median(t):.3f} s  best {min(t):.3f} s  (CPU)")
    worst = max(statistics.median(t) for t in times.values())
    verdict = "meets" if worst <= GOAL else "misses"
    print(
        f"max_median_redraw_seconds={worst:.3f} ({verdict} the goal of at most {GOAL} s at the defaults "
        "and at the heaviest setting)"
    )
    return worst


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
