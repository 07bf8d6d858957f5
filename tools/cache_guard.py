"""Make `make book` re-execute every notebook when the shared module or the data changed.

jupyter-cache keys a notebook on its code cells only, and Sphinx re-reads only the
pages whose source changed, so after a change in src/vanishing (or data/) an
unchanged chapter would be served from stale outputs twice over. This script
hashes src/vanishing/**/*.py and data/mnist.npz, compares with the hash stored
in _build/.src-hash, and when they differ deletes the execution cache, Sphinx's
saved environment (_build/.doctrees) and the executed notebooks, so the next
build reads and executes every chapter afresh.
"""

import hashlib
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STALE = (".jupyter_cache", ".doctrees", "jupyter_execute")


def source_hash(root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    files = sorted((root / "src" / "vanishing").rglob("*.py")) + [root / "data" / "mnist.npz"]
    for path in files:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def guard(root: Path = ROOT) -> bool:
    """Clear the build's cached state if the sources changed; return True if it did."""
    build, current = root / "_build", source_hash(root)
    stamp = build / ".src-hash"
    if stamp.is_file() and stamp.read_text().strip() == current:
        print("cache_guard: src/vanishing and data unchanged; cached notebook outputs are valid")
        return False
    for name in STALE:
        shutil.rmtree(build / name, ignore_errors=True)
    print("cache_guard: src/vanishing or data changed (or first build); every chapter will be executed")
    build.mkdir(parents=True, exist_ok=True)
    stamp.write_text(current + "\n")
    return True


if __name__ == "__main__":
    guard(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT)
