"""Cost surfaces: test functions, saddles, curvature, and the recurrent network's cliff.

==================  ===================================================================
``functions``       test functions, their gradients and Hessians; critical points
``saddles``         the ramp max(0, cx) in exact arithmetic; escaping a saddle
``hessian``         Hessian-vector products, Lanczos, the Hessian of a network
``cliff``           the one-unit recurrent network's cost surface, its wall, and (clipped) descent on it
==================  ===================================================================
"""
