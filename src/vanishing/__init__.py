"""Shared code of the book *Vanishing and exploding gradients*.

Three kinds of code, kept apart so that a reader knows where to look:

**Mathematics** (NumPy, SciPy, tqdm and, in ``fused``, Numba; usable without a display)

==================  ===================================================================
``activations``     sigmoid, tanh, ReLU, identity and their derivatives
``network``         the fully connected network: forward pass, backpropagation, flat views
``training``        mini-batch SGD with L2 weight decay, and its History
``fused``           the same SGD epoch compiled with Numba (one call per epoch; training's default)
``data``            the shipped MNIST file, hash-checked
``checks``          argument checks shared by these modules
``chain``           the one-neuron-per-layer network and its product of w*sigma' terms
``floating``        underflow of the chain's gradient, and updates lost in rounding
``gaussian``        Gaussian facts about random chains
``unstable_band``   the narrow band of inputs where one chain term reaches 1
``wide``            layer gradients of 30-wide networks: the chain's questions asked of real layers
``layer_speeds``    how fast each hidden layer learns, at initialisation and in training
``stats``           small-sample statistics over seeds
``prose``           numbers as the text writes them (significant digits, powers of ten, ranges)
``expressivity``    deep vs shallow ReLU networks for the sawtooth function
``landscapes``      test functions, their gradients and Hessians; critical points
``saddles``         the ramp max(0, cx) in exact arithmetic; escaping a saddle
``optimizers``      gradient descent, momentum, Adagrad, RMSProp, Adam, Newton
``hessian``         Hessian-vector products, Lanczos, the Hessian of a network
``normalisation``   the network with batch normalisation before each hidden activation
``residual``        the network with skip connections between hidden layers of equal width
``clipping``        gradient-norm clipping
``fitting``         mini-batch SGD or Adam with optional clipping for any of the networks
``remedies``        chapter 5's recipes and what is measured of them (speeds, layer gains)
``rnn_readout``     batches of sequences checked, and the read-out and loss at the last step
``recurrent``       the vanilla recurrent network h_t = f(W h_{t-1} + U x_t + b), backprop through time
``lstm``            the LSTM with a forget gate, backprop through time (the constant error carousel)
``rnn_jacobians``   gradients through time: per-step norms, Jacobian products, the gamma sigma_max bound
``sequence_tasks``  the latch and the adding problem: answers that depend on an input far back
``rnn_training``    SGD through time, with clipping at Pascanu et al.'s threshold, and the rate grid
``cliff``           the one-unit recurrent network's cost surface, its wall, and (clipped) descent on it
``rnn_recipes``     chapter 6's recurrent networks (vanilla, orthogonal, IRNN, LSTM) and one run on the latch
==================  ===================================================================

**Run infrastructure**: ``parallel`` (process pools, BLAS threads, run configs).  Nothing
mathematical imports it.

**Figures**: ``figures.style`` (the house style) and ``figures.ch1`` ... ``figures.ch6``, one
module per chapter; ``explorers`` registers the book's explorers (each a figure function and its
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
