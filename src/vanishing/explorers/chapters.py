"""The book's explorers, one entry per chapter: the figure function, its data and its controls.

A chapter shows an explorer with ``show_explorer("<name>")`` (:mod:`vanishing.widgets`); the
HTML book's build precomputes its figures over the controls' grids.  Adding an explorer to the
book is one :func:`register` call here and that one call in its chapter.

Grids: depth takes every value of its live range; initial weight std, learning rate and the
other log-scale quantities take 5 to 7 values, the default among them, chosen so that every
setting the chapter's text suggests trying is there (chapter 1: std 30; chapter 3: eta above 1
and above 2; chapter 4: eta just above 1, and 1.9 for momentum); a choice or a checkbox takes
every option. Chapter 5's explorer has five controls, so its depth and rate grids are thinned
(3 depths, 2 rates) to keep every combination within the budget (:data:`FRAME_BUDGET`).
"""

from __future__ import annotations

import functools

from vanishing.data import load_mnist, one_hot
from vanishing.experiments.remedies import EXPLORER_REMEDIES
from vanishing.explorers.controls import Choice, LogRange, Steps, Toggle
from vanishing.explorers.registry import Explorer, register
from vanishing.figures import ch1 as fig1
from vanishing.figures import ch2 as fig2
from vanishing.figures import ch3 as fig3
from vanishing.figures import ch4 as fig4
from vanishing.figures import ch5 as fig5
from vanishing.figures import ch6 as fig6
from vanishing.figures.reuse import KeptFigure
from vanishing.training.optimizers import STEPS

#: Frames the HTML book precomputes in all: each costs 0.1 to 0.4 s of CPU and 10 to 45 kB with its
#: CSV, and the build adds about 4 minutes on 2 cores (2,135 frames: 430 s of CPU, measured
#: 2026-12-03); the book is 78 MB of its 80 MB.
FRAME_BUDGET = 2200

#: Chapter 1's explorer trains on the first 300 training images, chapter 2's uses 1,000 validation images.
CH1_IMAGES, CH2_IMAGES = 300, 1000


def _ch1_figure():
    (X, y), _, _ = load_mnist()
    return functools.partial(fig1.explorer_figure, data=(X[:CH1_IMAGES], y[:CH1_IMAGES]), steps=40, keep=KeptFigure())


def _ch2_figure():
    _, (X, y), _ = load_mnist()
    return functools.partial(
        fig2.plot_gradient_explorer, X=X[:CH2_IMAGES], Y=one_hot(y[:CH2_IMAGES], 10), keep=KeptFigure()
    )


register(
    Explorer(
        "ch1_layer_speeds",
        _ch1_figure,
        {
            "depth": Steps("hidden layers", 4, 1, 8),
            "std": LogRange("initial weight std", 1.0, 0.01, 100.0, grid=(0.01, 0.1, 1.0, 10.0, 30.0, 100.0)),
            "scaled": Toggle("std ÷ √n_in (Nielsen's default)", True),
            "eta": LogRange("learning rate η", 3.0, 0.01, 10.0, grid=(0.01, 0.1, 1.0, 3.0, 10.0)),
        },
    )
)

register(
    Explorer(
        "ch2_layer_gradients",
        _ch2_figure,
        {
            "depth": Steps("hidden layers", 5, 1, 10),
            "weight_scale": LogRange("weight scale s", 1.0, 0.01, 100.0, grid=(0.01, 0.1, 0.3, 1.0, 3.0, 10.0, 100.0)),
            "activation": Choice.of("activation", ("sigmoid", "tanh", "relu"), "sigmoid"),
        },
    )
)

register(
    Explorer(
        "ch3_saddle",
        lambda: fig3.saddle_explorer_figure,
        {
            "eta": LogRange("learning rate η", 0.1, 0.01, 3.0, grid=(0.01, 0.03, 0.1, 0.3, 1.0, 1.5, 3.0)),
            "offset": LogRange("offset δ", 1e-6, 1e-12, 1e-1, grid=(1e-12, 1e-9, 1e-6, 1e-3, 1e-1)),
        },
    )
)

#: Chapter 4's starting points, as the dropdown writes them.
CH4_STARTS = (
    ("(1, 1)", (1.0, 1.0)),
    ("(10, 10)", (10.0, 10.0)),
    ("(100, 100)", (100.0, 100.0)),
    ("(1, -0.5)", (1.0, -0.5)),
    ("(-1, 0.2)", (-1.0, 0.2)),
)

register(
    Explorer(
        "ch4_valley",
        lambda: functools.partial(fig4.explorer_figure, keep=KeptFigure()),
        {
            "eta": LogRange("learning rate η", 1.0, 1e-3, 3.0, step=0.01, grid=(0.001, 0.01, 0.1, 0.5, 1.0, 1.1, 1.9)),
            "a": LogRange("coefficient a", 0.001, 1e-4, 1.0, grid=(1e-4, 1e-3, 1e-2, 0.1, 1.0)),
            "method": Choice.of("optimiser", tuple(STEPS), "momentum", fig4.METHOD_LABELS),
            "start": Choice("start", CH4_STARTS, (1.0, 1.0)),
        },
    )
)

#: Chapter 5's explorer trains on the first 200 training images.
CH5_IMAGES = 200


def _ch5_figure():
    (X, y), _, _ = load_mnist()
    return functools.partial(fig5.explorer_figure, data=(X[:CH5_IMAGES], y[:CH5_IMAGES]), steps=40, keep=KeptFigure())


#: Chapter 5's initial weights, as the dropdown writes them (values: remedies.EXPLORER_INITS).
CH5_INITS = (
    ("N(0, 1/n_in), Nielsen's", "default"),
    ("Xavier", "xavier"),
    ("He", "he"),
    ("100 × N(0, 1/n_in), chapter 2's", "large"),
)

# Five controls: the depth and rate grids are thinned (the chapter's 5 and 10 hidden layers and 15;
# eta 0.1 and 1) so that the HTML book holds every combination of all five within its size and
# build-time budget (360 frames); the live sliders cover the full ranges.
register(
    Explorer(
        "ch5_remedies",
        _ch5_figure,
        {
            "depth": Steps("hidden layers", 10, 1, 15, grid=(5, 10, 15)),
            "init": Choice("initial weights", CH5_INITS, "default"),
            "eta": LogRange("learning rate η", 1.0, 1e-4, 10.0, grid=(0.1, 1.0)),
            "activation": Choice.of("activation", ("sigmoid", "tanh", "relu"), "sigmoid"),
            "remedy": Choice.of("remedy", tuple(EXPLORER_REMEDIES), "none"),
        },
    )
)

#: Chapter 6's sequence lengths, as the dropdown writes them: a short and a long one, so that its
#: 60 frames fit the budget.
CH6_LENGTHS = (("10", 10), ("50", 50))

register(
    Explorer(
        "ch6_recurrent",
        lambda: functools.partial(fig6.explorer_figure, keep=KeptFigure()),
        {
            "T": Choice("sequence length T", CH6_LENGTHS, 50),
            "sigma": LogRange("largest singular value σₘₐₓ", 1.0, 0.1, 10.0, grid=(0.25, 0.5, 1.0, 2.0, 4.0)),
            "cell": Choice.of("cell", ("tanh", "sigmoid", "LSTM"), "tanh"),
            "clip": Toggle("clip the gradient", False),
        },
    )
)
