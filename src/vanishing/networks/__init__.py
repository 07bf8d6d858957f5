"""The networks and their backward passes.

==================  ===================================================================
``activations``     sigmoid, tanh, ReLU, identity and their derivatives
``network``         the fully connected network: forward pass, backpropagation, flat views
``residual``        the network with skip connections between hidden layers of equal width
``batchnorm``       the network with batch normalisation before each hidden activation
``recurrent``       the vanilla recurrent network h_t = f(W h_{t-1} + U x_t + b), backprop through time
``lstm``            the LSTM with a forget gate, backprop through time (the constant error carousel)
``saturation``      how saturated each hidden layer is (the share of units with f'(z) near 0)
``readout``         batches of sequences checked, and the recurrent networks' read-out and loss
==================  ===================================================================
"""
