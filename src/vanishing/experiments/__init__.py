"""What the chapters measure: experiments built from the networks and trainers.

==================  ===================================================================
``layer_speeds``    how fast each hidden layer learns, at initialisation and in training
``wide``            layer gradients of 30-wide networks: the chain's questions asked of real layers
``expressivity``    deep vs shallow ReLU networks for the sawtooth function
``remedies``        chapter 5's recipes and what is measured of them (speeds, layer gains)
``sequence_tasks``  the latch and the adding problem: answers that depend on an input far back
``recurrent_recipes``  chapter 6's recurrent networks (vanilla, orthogonal, IRNN, LSTM) on the latch
==================  ===================================================================
"""
