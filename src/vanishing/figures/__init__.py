"""Every figure of the book: one module per chapter, and the house style (:mod:`.style`).

The figure functions take the mathematics' results (or call the mathematics) and return a
matplotlib Figure; none computes a verdict.
"""
