"""Write the claims ledger, book/claims.md, from the chapters' glued claim values and verdicts.

Every numeric or factual claim of the three source texts is listed below (CLAIMS), with the
chapter notebook and glue key that check it.  A chapter glues, for a claim ``<short>``,
``ch<N>_claim_<short>_value`` (what the book computes, a string) and
``ch<N>_claim_<short>_verdict`` ("holds", "holds with nuance" or "does not hold"), and shows
them in a section with a MyST label.  This script finds those keys in the notebooks that
``_toc.yml`` lists (a notebook outside the book cannot be glued from), the label of the section
whose markdown shows each verdict, and writes one table row per claim:

    | claim | {glue:text}`/chapters/NN.ipynb::key_value:s` | {glue:text}`...::key_verdict:s` | {ref}`label` |

Claims with no key in the book yet are listed under "Not yet checked".  ``make book`` runs
this before building, so the ledger always matches the table of contents; the file is
rewritten only when its content changes.

Usage: python tools/claims_ledger.py [--check] [--toc PATH]
    --check: exit 1 if book/claims.md is stale; --toc: another toc (a private build's).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LEDGER = ROOT / "book" / "claims.md"
TOC = ROOT / "_toc.yml"

# Source texts: letter -> (file in the seeds, short title, one-line description).
SEEDS = {
    "A": ("000_a5a74b8e244a0c7b.txt", "why deep networks are hard to train",
          "a summary of chapter 5 of *Neural Networks and Deep Learning* {cite}`nielsen2015`: deeper networks on MNIST, the speed of learning per layer, and the product of $w_j\\sigma'(z_j)$ terms."),
    "B": ("001_14fba90c2085574f.txt", "is a vanishing gradient the zero gradient we want?",
          "a question-and-answer thread: the question, its first answer (an ill-conditioned quadratic, Adagrad, the one-neuron-per-layer network) and the comments under it."),
    "C": ("002_b6ccee3db70bda29.txt", "optima, saddles and machine epsilon",
          "a second answer to the same question: critical points and the Hessian, $\\max\\{0, cx\\}$, convergence of gradient descent, machine epsilon, and the sigmoid chain without biases."),
}
# (seed, claim text, [(notebook, key prefix), ...] candidates in order of preference)
CLAIMS = [
 ("A", "A [784, 30, 10] sigmoid network reaches 0.9648 accuracy on MNIST.", [("01", "acc1")]),
 ("A", "Adding a second hidden layer, [784, 30, 30, 10], improves accuracy to 0.9690.", [("01", "acc2")]),
 ("A", "A third hidden layer, [784, 30, 30, 30, 10], makes accuracy drop to 0.9657.", [("01", "acc3")]),
 ("A", "With two hidden layers the second layer learns much faster than the first: ‖g₁‖ = 0.07, ‖g₂‖ = 0.31.", [("01", "norms2")]),
 ("A", "With three hidden layers the speeds are 0.012, 0.06 and 0.283: earlier layers are slower.", [("01", "norms3")]),
 ("A", "The deeper the network, the smaller the gradients of its early layers (the vanishing gradient).", [("01", "vanish")]),
 ("A", "Early layers can get stuck, learning almost nothing, while later layers learn.", [("01", "stuck")]),
 ("A", "Instead of vanishing, the gradients of early layers may explode.", [("02", "weights_explode"), ("01", "explode")]),
 ("A", "∂C/∂b₁ is a product of terms wⱼσ′(zⱼ), one per later layer, times ∂C/∂a_L and σ′(z₁).", [("02", "formula"), ("02", "chain")]),
 ("A", "The sigmoid's derivative peaks at 1/4.", [("02", "sigma_peak")]),
 ("A", "Weights are initialised from a Gaussian with mean 0 and standard deviation 1.", [("02", "init_gaussian")]),
 ("A", "The weights are less than 1.", [("02", "weights_below_1")]),
 ("A", "So the terms |wⱼσ′(zⱼ)| are less than 1/4.", [("02", "terms_below_quarter")]),
 ("A", "The product of these terms is a tiny gradient.", [("02", "tiny_product")]),
 ("A", "With weights initialised above 1, the terms grow exponentially backwards and the gradient explodes.", [("02", "weights_explode")]),
 ("A", "The choice of activation function, weight initialisation, optimisation algorithm and architecture can each cause unstable gradients.", [("04", "optunstable"), ("02", "activations")]),
 ("B", "For f(w₁, w₂) = 0.001w₁² + w₂², at a point with similar coordinates, the w₂ gradient component is 1000 times the w₁ one.", [("04", "grad1000")]),
 ("B", "With learning rate 0.5, gradient descent makes very little progress in w₁.", [("04", "w1little")]),
 ("B", "It reached the minimum after 1000 iterations.", [("04", "reached1000")]),
 ("B", "From a point farther away it would not have reached the minimum at all.", [("04", "farther")]),
 ("B", "Adagrad, with a learning rate per coordinate, avoids this slow-down.", [("04", "adagrad")]),
 ("B", "A small gradient does not mean the parameters are near a minimum or a critical point.", [("03", "small_grad"), ("03", "notmin")]),
 ("B", "In the one-neuron-per-layer network, δˡ = wˡ⁺¹ g(zˡ) δˡ⁺¹, so ∂C/∂wˡ is a product over all later layers.", [("02", "seed001_delta")]),
 ("B", "The gradient of an early weight tends to zero when any later weight or activation derivative does.", [("02", "any_zero"), ("03", "any_zero")]),
 ("B", "The effect grows with the number of later layers.", [("02", "depth"), ("01", "depth")]),
 ("B", "(comment) The point where the last weight w^L = 0 is a critical point of C.", [("03", "wl0"), ("03", "critical")]),
 ("C", "A zero gradient does not imply a local optimum: with an indefinite Hessian the point is a saddle.", [("03", "saddle")]),
 ("C", "f_c(x) = max{0, cx} has gradient c at every x > 0, however far from its minimum.", [("03", "maxcx"), ("03", "relu")]),
 ("C", "For p = 10⁹⁹⁹⁹ and c = 10⁻⁹⁰ the gradient f′_c(p) is 10⁻⁹⁹.", [("03", "e99"), ("03", "gradvalue")]),
 ("C", "With a suitable step size, gradient descent's gradients tend to zero and every limit point is stationary.", [("03", "converge"), ("03", "stationary")]),
 ("C", "Updates smaller than machine epsilon cannot be performed, so the iteration stalls once the gradient is that small.", [("02", "machine_epsilon"), ("03", "epsilon")]),
 ("C", "A small gradient means very slow weight updates.", [("03", "slow"), ("04", "slow")]),
 ("C", "For the chain without biases, dF/dw₁ = ∏ᵢ₌₂ᴸ wᵢ ∏ᵢ₌₂ᴸ σ′(wᵢoᵢ₋₁).", [("02", "seed002_formula")]),
 ("C", "Since σ(t) ∈ [0, 1], σ′(t) ∈ [0, 1].", [("02", "sigma_range")]),
 ("C", "When σ is close to 0 or 1, σ′ is close to 0 (saturation).", [("02", "saturation"), ("02", "saturate")]),
]



def toc_notebooks(toc_path: Path = TOC) -> dict[str, Path]:
    """Chapter notebooks listed in the toc, by two-digit number ("01" -> chapters/01_....ipynb)."""
    text = toc_path.read_text()
    found = {}
    for name in re.findall(r"file:\s*(chapters/[0-9]{2}_[\w-]+?)(?:\.ipynb)?\s*$", text, re.M):
        path = ROOT / f"{name}.ipynb"
        if path.is_file():
            found[path.name[:2]] = path
    return found


def scan(nb_path: Path) -> tuple[set[str], dict[str, str | None]]:
    """Claim keys (without _value/_verdict) glued in ``nb_path`` and the label shown before each."""
    nb = json.loads(nb_path.read_text())
    ch = "ch" + str(int(nb_path.name[:2]))
    keyre = r"(" + ch + r"_claim_[A-Za-z0-9_]+?)_(?:value|verdict)"
    glued: dict[str, set[str]] = {}
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            for key, part in re.findall(r'glue\(\s*f?["\'](' + ch + r'_claim_[A-Za-z0-9_]+?)_(value|verdict)["\']',
                                        "".join(cell["source"])):
                glued.setdefault(key, set()).add(part)
    keys = {k for k, parts in glued.items() if parts == {"value", "verdict"}}
    label, where = None, {}
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for line in "".join(cell["source"]).splitlines():
            m = re.match(r"^\(([\w-]+)\)=\s*$", line)
            if m:
                label = m.group(1)
            for key in re.findall(keyre, line):
                where.setdefault(key, label)
    return keys, where


def ledger(notebooks: dict[str, Path]) -> tuple[str, list[str], list[str]]:
    """The page text, the claims not checked yet, and claim keys found but not in CLAIMS."""
    found: dict[str, tuple[Path, str | None]] = {}
    for path in notebooks.values():
        keys, where = scan(path)
        for key in keys:
            found[key] = (path, where.get(key))
    used: set[str] = set()
    rows: dict[str, list[str]] = {s: [] for s in SEEDS}
    missing: list[str] = []
    for seed, text, candidates in CLAIMS:
        hit = next((k for k in (f"ch{int(n)}_claim_{short}" for n, short in candidates) if k in found), None)
        if hit is None:
            missing.append(f"({seed}) {text}")
            continue
        used.add(hit)
        path, label = found[hit]
        doc = f"/chapters/{path.name}"
        link = f"{{ref}}`{label}`" if label else f"{{doc}}`/chapters/{path.stem}`"
        cell = text.replace("|", "\\|")
        rows[seed].append(f"| {cell} | {{glue:text}}`{doc}::{hit}_value:s` "
                          f"| {{glue:text}}`{doc}::{hit}_verdict:s` | {link} |")
    out = [HEADER]
    for seed, (fname, title, desc) in SEEDS.items():
        out.append(f"\n## Source {seed}: {title}\n\n`{fname}`, {desc}\n")
        if rows[seed]:
            out.append("| Claim | Computed | Verdict | Shown in |\n|---|---|---|---|")
            out.extend(rows[seed])
        else:
            out.append("No claim of this source is checked by a chapter of this build yet.")
    if missing:
        out.append("\n## Not yet checked\n\nThese claims of the sources have no computed value in "
                   "the chapters of this build:\n")
        out.extend(f"- {m}" for m in missing)
    return "\n".join(out) + "\n", missing, sorted(set(found) - used)


HEADER = """(claims-ledger)=
# Claims ledger

Each row is one numeric or factual claim made by the three source texts this
book answers, beside the value the book computes for it, the verdict, and a
link to the section that shows the computation. Nothing in the *Computed* and
*Verdict* columns is typed here: both are pasted from the chapters' own
computations with myst-nb's `glue`, so this page changes when a chapter's
results change.

A verdict is one of **holds**, **holds with nuance** (true only under
conditions the source does not state, or only approximately) and **does not
hold**; the linked section gives the reasoning. Claims are paraphrased; the
source files are named under each heading."""


def main(argv: list[str]) -> int:
    toc = Path(argv[argv.index("--toc") + 1]) if "--toc" in argv else TOC
    text, missing, unused = ledger(toc_notebooks(toc))
    current = LEDGER.read_text() if LEDGER.is_file() else ""
    if "--check" in argv:
        return 0 if current == text else 1
    if current != text:
        LEDGER.write_text(text)
        print(f"claims_ledger: wrote {LEDGER.relative_to(ROOT)}")
    print(f"claims_ledger: {len(CLAIMS) - len(missing)} of {len(CLAIMS)} claims checked by the chapters in _toc.yml")
    if unused:
        print(f"claims_ledger: claim keys glued but not in the ledger (add them to CLAIMS): {unused}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
