"""Report the shape of the shared package: lines per module, the longest functions, import cycles.

The design's limits: no module over about 450 lines, no function or method over about 60, no
import cycles (imports inside functions count).  ``--check`` exits 1 when a limit is broken.
Usage: python tools/code_shape.py [--check]
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "src" / "vanishing"
MAX_MODULE, MAX_FUNCTION = 450, 60


def modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package."""
    out = {}
    for f in sorted(PKG.rglob("*.py")):
        parts = f.relative_to(PKG.parent).with_suffix("").parts
        out[".".join(parts).removesuffix(".__init__")] = f
    return out


def functions(tree: ast.AST) -> list[tuple[str, int]]:
    """(qualified name, number of lines) of every function and method."""
    found = []

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found.append((prefix + child.name, child.end_lineno - child.lineno + 1))
                visit(child, prefix + child.name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, prefix + child.name + ".")

    visit(tree, "")
    return found


def imports(name: str, path: Path, tree: ast.AST, known: set[str]) -> set[str]:
    """Modules of the package that ``name`` imports, anywhere in the file."""
    base = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            stem = (
                ".".join(base[: len(base) - node.level + 1] + ([node.module] if node.module else []))
                if node.level
                else (node.module or "")
            )
            cands = [stem] + [f"{stem}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            cands = [a.name for a in node.names]
        else:
            continue
        out.update(c for c in cands if c in known and c != name)
    return out


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Import cycles, each as a path that returns to its start."""
    found, done = [], set()

    def dfs(u, path):
        for v in sorted(graph[u]):
            if v in path:
                found.append(path[path.index(v) :] + [v])
            elif v not in done:
                dfs(v, path + [v])
        done.add(u)

    for m in sorted(graph):
        if m not in done:
            dfs(m, [m])
    return found


def main(argv: list[str]) -> int:
    mods = modules()
    trees = {m: ast.parse(p.read_text()) for m, p in mods.items()}
    graph = {m: imports(m, mods[m], trees[m], set(mods)) for m in mods}
    bad = []
    for m, p in mods.items():
        n = len(p.read_text().splitlines())
        longest = max(functions(trees[m]), key=lambda t: t[1], default=("-", 0))
        print(f"{m:32s}{n:5d} lines   longest: {longest[0]} ({longest[1]})")
        if n > MAX_MODULE:
            bad.append(f"{m}: {n} lines > {MAX_MODULE}")
        bad += [f"{m}.{f}: {k} lines > {MAX_FUNCTION}" for f, k in functions(trees[m]) if k > MAX_FUNCTION]
    found = cycles(graph)
    print("import cycles:", " ; ".join(" -> ".join(c) for c in found) if found else "none")
    bad += [f"cycle: {' -> '.join(c)}" for c in found]
    for b in bad:
        print("LIMIT:", b)
    return 1 if bad and "--check" in argv else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
