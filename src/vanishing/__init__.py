"""Shared code of the book *Vanishing and exploding gradients*.

One concept a module: ``activations``, ``network``, ``training``, ``data``,
``chain``, ``landscapes``, ``optimizers``, ``plots``, ``widgets``.
"""

__version__ = "0.1.0"
