"""Training: optimiser steps, gradient clipping, and the loops that train the networks.

Two trainers, for two jobs:

* ``sgd.train`` is the source book's protocol for the plain :class:`~vanishing.networks.network.Network`
  (chapters 1 and 2): mini-batch SGD with L2 weight decay, its epoch compiled in ``compiled``;
* ``fit.fit`` trains any of chapter 5's networks (plain, residual, batch-normalised) with SGD or
  Adam and optional clipping, and records every hidden layer's speed of learning as it goes.

==================  ===================================================================
``sgd``             mini-batch SGD with L2 weight decay (the source book's), and its History
``compiled``        the same SGD epoch compiled with Numba (one call per epoch; ``sgd``'s default)
``fit``             SGD or Adam with optional clipping for any of the networks, with per-layer speeds
``compiled_steps``  ``fit``'s steps compiled for the residual and batch-normalised networks, Adam, clipping
``optimizers``      gradient descent, momentum, Adagrad, RMSProp, Adam, Newton as steps on a gradient
``clipping``        gradient-norm clipping
``recurrent``       SGD through time, clipping at Pascanu et al.'s threshold, and the rate grid
==================  ===================================================================
"""
