"""Every figure of the book: one module per chapter, and the house style (:mod:`.style`).

For the explorers' redraws: :mod:`.reuse` keeps one figure per explorer and empties it before each
redraw; :mod:`.text_cache` is a renderer that keeps the layouts and glyphs of the texts it drew.

The figure functions take the mathematics' results (or call the mathematics) and return a
matplotlib Figure; none computes a verdict.
"""
