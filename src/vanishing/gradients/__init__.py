"""The chain product of w sigma' terms, its statistics and its floating-point limits.

==================  ===================================================================
``chain``           the one-neuron-per-layer network and its product of w*sigma' terms
``gaussian``        Gaussian facts about random chains
``unstable_band``   the narrow band of inputs where one chain term reaches 1
``floating``        underflow of the chain's gradient, and updates lost in rounding
``through_time``    gradients through time: per-step norms, Jacobian products, the gamma sigma_max bound
==================  ===================================================================
"""
