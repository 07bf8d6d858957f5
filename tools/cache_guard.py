"""Clear the book's execution cache when the shared module or the data changed.

jupyter-cache keys a notebook on its code cells only, so a change in
src/vanishing (or data/) would otherwise be served from stale cached outputs.
This script hashes src/vanishing/**/*.py and data/mnist.npz, compares with the
hash stored beside the cache, and deletes the cache when they differ.
"""

import hashlib
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "_build" / ".jupyter_cache"
STAMP = ROOT / "_build" / ".src-hash"


def source_hash() -> str:
    digest = hashlib.sha256()
    files = sorted((ROOT / "src" / "vanishing").rglob("*.py")) + [ROOT / "data" / "mnist.npz"]
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def main() -> None:
    current = source_hash()
    if STAMP.is_file() and STAMP.read_text().strip() == current:
        print("cache_guard: src/vanishing and data unchanged; cached notebook outputs are valid")
        return
    if CACHE.exists():
        shutil.rmtree(CACHE)
        print("cache_guard: src/vanishing or data changed; cleared the execution cache")
    STAMP.parent.mkdir(parents=True, exist_ok=True)
    STAMP.write_text(current + "\n")


if __name__ == "__main__":
    main()
