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
# (seed, the claim paraphrased, [(chapter number, claim short name), ...] in order of preference).
# The same computation may answer two claims; a claim no chapter checks is listed as not checked.
CLAIMS = [
 ("A", "A [784, 30, 10] sigmoid network reaches 0.9648 accuracy on MNIST.", [("01", "acc1")]),
 ("A", "A second hidden layer, [784, 30, 30, 10], improves accuracy to 0.9690.", [("01", "acc2")]),
 ("A", "A third hidden layer, [784, 30, 30, 30, 10], makes accuracy drop to 0.9657.", [("01", "acc3")]),
 ("A", "So two hidden layers help and three hurt.", [("01", "depth")]),
 ("A", "Deep networks can solve a problem with dramatically fewer parameters than shallow ones.", [("01", "fewer_params")]),
 ("A", "Early layers can get stuck, learning almost nothing, while later layers learn well.", [("01", "stuck")]),
 ("A", "In a network with two hidden layers, the second layer learns much faster than the first.", [("01", "second_faster")]),
 ("A", "The speeds of learning ‖g₁‖, ‖g₂‖ of the two hidden layers are 0.07 and 0.31.", [("01", "norms2")]),
 ("A", "With three hidden layers the speeds are 0.012, 0.06 and 0.283: earlier layers are slower.", [("01", "norms3")]),
 ("A", "The deeper the network, the smaller the gradients of its early layers (the vanishing gradient).", [("01", "deeper_slower")]),
 ("A", "Instead of vanishing, the gradients of early layers may explode.", [("02", "may_explode")]),
 ("A", "∂C/∂b₁ is σ′(z₁) times one factor wⱼσ′(zⱼ) per later layer times ∂C/∂a_L.", [("02", "seed000_formula"), ("02", "formula"), ("02", "chain")]),
 ("A", "The sigmoid's derivative peaks at 1/4.", [("02", "sigma_peak")]),
 ("A", "Weights are initialised from a Gaussian with mean 0 and standard deviation 1.", [("02", "init_gaussian")]),
 ("A", "The weights are less than 1.", [("02", "weights_below_1")]),
 ("A", "So the terms |wⱼσ′(zⱼ)| are less than 1/4.", [("02", "terms_below_quarter")]),
 ("A", "The product of these terms is a tiny gradient.", [("02", "tiny_product")]),
 ("A", "With weights initialised above 1, the terms grow exponentially backwards and the gradient explodes.", [("02", "weights_explode")]),
 ("A", "The activation function, weight initialisation, optimisation algorithm and architecture can each cause unstable gradients.", [("04", "optunstable"), ("02", "activations")]),
 ("B", "(question) Stopping when the parameters change by less than ε is the same situation as a vanishing gradient.", [("03", "stop_rule")]),
 ("B", "A relatively low gradient (component) does not mean the parameters are near a critical point.", [("03", "low_gradient")]),
 ("B", "For f(w₁, w₂) = 0.001w₁² + w₂², at a point with similar coordinates, the w₂ gradient component is 1000 times the w₁ one.", [("04", "grad1000")]),
 ("B", "With learning rate 0.5, gradient descent improves w₁ very little per step.", [("04", "w1little")]),
 ("B", "It reached the minimum after 1000 iterations.", [("04", "reached1000")]),
 ("B", "From a point farther away it would not have reached the minimum at all.", [("04", "farther")]),
 ("B", "Adagrad, with a learning rate per coordinate, avoids this slow-down.", [("04", "adagrad")]),
 ("B", "In the one-neuron-per-layer network, backpropagation is δˡ = wˡ⁺¹ g(zˡ) δˡ⁺¹.", [("02", "seed001_recursion")]),
 ("B", "Unrolled, as written: δˡ = wˡ⁺¹⋯wᴸ g(zˡ)g(zˡ⁺¹)⋯g(zᴸ) δᴸ, so ∂C/∂wˡ = δˡaˡ⁻¹ depends on every later layer.", [("02", "seed001_delta")]),
 ("B", "The gradient of an early weight tends to zero when any later weight or activation derivative does.", [("03", "later_zero"), ("02", "any_zero"), ("03", "any_zero")]),
 ("B", "The effect becomes more important as the number of later layers grows.", [("01", "deeper_slower")]),
 ("B", "(comment) The point where the last weight w^L = 0 is a critical point of C.", [("03", "wl_zero")]),
 ("C", "At a local optimum p, ∇F(p) = 0 and the Hessian D²F(p) is definite.", [("03", "definite")]),
 ("C", "A zero gradient does not imply a local optimum: with an indefinite Hessian the point is a saddle.", [("03", "zero_grad_saddle")]),
 ("C", "For one parameter, F has a local optimum at p if F′(p) = 0 and F″(p) ≠ 0.", [("03", "q1_condition")]),
 ("C", "f_c(x) = max{0, cx} has a gradient as small as we like (c) far from its minimum.", [("03", "ramp")]),
 ("C", "For p = 10⁹⁹⁹⁹ and c = 10⁻⁹⁰, f′_c(p) = 10⁻⁹⁹.", [("03", "ramp_figure")]),
 ("C", "With a suitable step size, ∇F(p_k) → 0 along gradient descent and every limit point is stationary.", [("03", "gd_stationary")]),
 ("C", "Updates smaller than machine epsilon cannot be performed.", [("02", "machine_epsilon")]),
 ("C", "So the algorithm effectively stops once ‖∇F(p)‖ ≤ ε.", [("03", "machine_eps")]),
 ("C", "Even above ε, a small gradient gives very slow weight updates.", [("04", "slow"), ("04", "w1little")]),
 ("C", "For the chain without biases, dF/dw₁ = ∏ᵢ₌₂ᴸ wᵢ ∏ᵢ₌₂ᴸ σ′(wᵢoᵢ₋₁).", [("02", "seed002_formula")]),
 ("C", "Since σ(t) ∈ [0, 1], σ′(t) ∈ [0, 1].", [("02", "sigma_range")]),
 ("C", "When σ is close to 0 or 1, σ′ is close to 0, and a product of such factors runs into machine precision.", [("02", "saturation"), ("02", "underflow")]),
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
    # A key counts when both parts are glued: seen in a stored glue output, a literal glue() call,
    # or pasted in markdown (a chapter that pastes a key it never glues does not build).
    glued: dict[str, set[str]] = {}
    partre = re.compile(r"(" + ch + r"_claim_[A-Za-z0-9_]+?)_(value|verdict)\b")
    for cell in nb["cells"]:
        names = "".join(cell["source"])
        for out in cell.get("outputs", []):
            names += " " + str(out.get("metadata", {}).get("scrapbook", {}).get("name", ""))
        for key, part in partre.findall(names):
            glued.setdefault(key, set()).add(part)
    keys = {k for k, parts in glued.items() if parts == {"value", "verdict"}}
    label, where, pending = None, {}, None
    for cell in nb["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        for line in "".join(cell["source"]).splitlines():
            m = re.match(r"^\(([\w-]+)\)=\s*$", line)
            if m:
                label = pending = m.group(1)
                continue
            h = re.match(r"^#+\s+(.*)$", line)
            if h and pending:
                TITLES[pending] = plain_title(h.group(1))
                pending = None
            for key in re.findall(keyre, line):
                where.setdefault(key, label)
    return keys, where


#: Section titles by label, as plain text (filled by scan()).
TITLES: dict[str, str] = {}


def plain_title(heading: str) -> str:
    """A heading as plain link text: inline math $...$ loses its TeX markup."""
    def untex(m: re.Match) -> str:
        t = re.sub(r"\\[,;!]", " ", m.group(1))
        t = re.sub(r"\\([A-Za-z]+)", r"\1", t)
        return t.replace("{", "").replace("}", "").strip()
    return re.sub(r"\$([^$]+)\$", untex, heading).replace("`", "").replace("*", "").strip()


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
        chapter = f"Ch. {int(path.name[:2])}"
        if label and label in TITLES:
            text_ = TITLES[label].replace("<", "\\<")
            link = f"{{ref}}`{chapter}: {text_} <{label}>`"
        elif label:
            link = f"{chapter}: {{ref}}`{label}`"
        else:
            link = f"{{doc}}`{chapter} </chapters/{path.stem}>`"
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
