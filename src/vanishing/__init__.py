"""Shared code of the book *Vanishing and exploding gradients*.

Three kinds of code, kept apart so that a reader knows where to look:

**Mathematics** (NumPy, SciPy, tqdm and, in ``training.compiled``, Numba; usable without a display),
in five subpackages, each with its own module map:

==================  ===================================================================
``networks``        the networks and their backward passes: feed-forward, residual, batch-norm,
                    recurrent, LSTM, and their activations
``training``        optimiser steps, clipping, and the two trainers (``sgd``: the source book's
                    protocol for the plain network; ``fit``: any network, SGD or Adam)
``gradients``       the chain product of w*sigma' terms, its statistics, its floating-point limits,
                    and the gradient through time
``landscapes``      test functions, saddles, Hessians, and the recurrent network's cliff
``experiments``     what the chapters measure: layer speeds, wide networks, depth's worth,
                    chapter 5's remedies, the sequence tasks and chapter 6's recipes
==================  ===================================================================

and four small modules beside them: ``data`` (the shipped MNIST file, hash-checked), ``checks``
(argument checks), ``stats`` (small-sample statistics over seeds) and ``prose`` (numbers as the
text writes them).

**Run infrastructure**: ``parallel`` (process pools, BLAS threads, run configs).  Only the
experiments import it, to spread their runs; networks, training and the closed forms never do.

**Figures**: ``figures.style`` (the house style) and ``figures.ch1`` ... ``figures.ch6``, one
module per chapter; ``explorers.chapters`` registers the book's explorers (each a figure function and its
controls, with the grid of values the HTML book precomputes); ``widgets`` binds controls to
figure functions (``show_explorer`` builds a registered explorer's live controls); ``notebook``
puts computed numbers, tables and claim boxes on the page, and ``listing`` shows the package's
own source where a chapter's text walks through it.

**Claims**: ``claims.registry`` (every claim the book checks: its source, its text, the section
that shows it and the function that judges it), ``claims.verdicts`` (the verdict rules) and
``claims.formulas`` (the sources' formulas as written), ``claims.checks`` (argument checks of
the judge functions); ``claims.ch1`` ... ``claims.ch5`` and ``claims.ch2_layers`` hold the claims.
"""

__version__ = "0.1.0"
