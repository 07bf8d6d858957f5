"""The package's own source on the page: the code a chapter runs, shown where its text explains it.

``show_source(Network._backprop)`` as the last line of a cell shows the function's source, as the
installed package holds it, as a highlighted Python block under a one-line caption naming the
function and its file.  The output is Markdown, which the HTML book (myst-nb) and JupyterLab both
render with syntax highlighting, so the listing reads the same in both, and because nbval
compares stored outputs with a fresh run, a listing can never drift from the code that computed the
chapter's numbers.  Like ``notebook``, this is a Jupyter-side module: the mathematics never imports it.
"""

from __future__ import annotations

import inspect
import textwrap
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent


class Listing:
    """Source lines of one function, method or class, with where they come from.

    ``qualname``: the dotted name a reader can look up (``vanishing.networks.network.Network._backprop``);
    ``path``: the file relative to the package's parent (``vanishing/networks/network.py``); ``first``: the
    number of the first line in that file; ``code``: the source, dedented.
    """

    def __init__(self, qualname: str, path: str, first: int, code: str) -> None:
        self.qualname, self.path, self.first, self.code = qualname, path, first, code

    @property
    def last(self) -> int:
        """The number of the last line shown."""
        return self.first + self.code.count("\n") - (1 if self.code.endswith("\n") else 0)

    def caption(self) -> str:
        return f"`{self.qualname}`, from `{self.path}`, lines {self.first}–{self.last}"

    def _repr_markdown_(self) -> str:
        fence = "````" if "```" in self.code else "```"
        return f"{self.caption()}:\n\n{fence}python\n{self.code.rstrip()}\n{fence}\n"

    def __repr__(self) -> str:
        return f"# {self.qualname} ({self.path}, lines {self.first}-{self.last})\n{self.code.rstrip()}"


def _unwrap(obj):
    """The plain function behind a method, property, staticmethod, classmethod or Numba dispatcher."""
    if isinstance(obj, property):
        obj = obj.fget
    obj = getattr(obj, "__func__", obj)
    obj = getattr(obj, "py_func", obj)  # a Numba-compiled function keeps its Python source here
    return inspect.unwrap(obj)


def show_source(obj) -> Listing:
    """The :class:`Listing` of ``obj``, a function, method or class of the ``vanishing`` package.

    Raises ``TypeError`` for anything without Python source (a builtin, a number) and ``ValueError``
    for code from outside the package: the book shows only the code it runs.
    """
    target = _unwrap(obj)
    if not (inspect.isfunction(target) or inspect.isclass(target)):
        raise TypeError(f"obj: expected a function, method or class of the vanishing package, got {type(obj).__name__}")
    try:
        file = Path(inspect.getsourcefile(target)).resolve()
        lines, first = inspect.getsourcelines(target)
    except (OSError, TypeError) as err:
        raise TypeError(f"obj: no Python source for {target!r} ({err})") from None
    if PACKAGE_ROOT not in file.parents:
        raise ValueError(f"obj: {target.__module__}.{target.__qualname__} is not part of the vanishing package")
    path = file.relative_to(PACKAGE_ROOT.parent).as_posix()
    return Listing(f"{target.__module__}.{target.__qualname__}", path, first, textwrap.dedent("".join(lines)))
