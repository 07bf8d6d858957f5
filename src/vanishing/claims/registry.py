"""One registry of every claim the book checks.

A claim is a record: the source that makes it (a citation key of ``book/references.bib``), its
text (quoted or paraphrased), the chapter section that shows the computation (a MyST label) and
the function that judges it.  A judge function takes what the chapter measured, as keyword
arguments, and returns a :class:`Judgement`: the computed value as text, a verdict, and the rule
that gave the verdict in one or two sentences.

Claims are declared next to their judge functions, one module per chapter (``claims.ch1`` ...),
with the :func:`claim` decorator::

    @claim("ch4_grad1000", source="dsse82383", section="ch4-valley",
           text="For f = 0.001 w1² + w2², at a point with equal coordinates, ...")
    def grad1000(*, ratio: float) -> Judgement:
        ...

A chapter then asks for the value and the verdict with one call (``vanishing.notebook.show_claim``),
and the claims ledger page is generated from :data:`REGISTRY`.  Adding a claim to the book is one
registry entry plus that one call.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from vanishing.claims.verdicts import OUTCOMES


@dataclass(frozen=True)
class Source:
    """A text the book answers or cites: its citation key, how the prose names it, what it is."""

    key: str
    name: str
    description: str


#: The sources, in the order the ledger lists them.  ``name`` is how every page names the source.
SOURCES: dict[str, Source] = {
    s.key: s
    for s in (
        Source(
            "nielsen2015",
            "Nielsen's chapter 5",
            "Michael Nielsen's *Neural Networks and Deep Learning*, chapter 5 (\"Why are deep neural "
            "networks hard to train?\"), in a reader's summary: deeper networks on MNIST, the speed of "
            "learning of each layer, and the product of $w_j\\sigma'(z_j)$ terms.",
        ),
        Source(
            "dsse82383",
            "Stack Exchange question 82383",
            'Data Science Stack Exchange question 82383, "Vanishing gradient and gradient zero" '
            "(does a vanishing gradient not mean we are at the optimum?), with its first answer "
            "(an ill-conditioned quadratic, Adagrad, the one-neuron-per-layer network) and comments.",
        ),
        Source(
            "dsse82456",
            "Stack Exchange answer 82456",
            "Answer 82456 to the same question: critical points and the Hessian, the ramp "
            "$\\max\\{0, cx\\}$, convergence of gradient descent, machine epsilon, and the sigmoid "
            "chain without biases.",
        ),
        Source(
            "glorot2010",
            "Glorot and Bengio (2010)",
            'Xavier Glorot and Yoshua Bengio, "Understanding the difficulty of training deep feedforward '
            'neural networks" (AISTATS 2010): saturation of sigmoid layers, and an initialisation that '
            "keeps the variances of activations and gradients across layers.",
        ),
        Source(
            "he2015",
            "He et al. (2015)",
            'Kaiming He, Xiangyu Zhang, Shaoqing Ren and Jian Sun, "Delving deep into rectifiers" '
            "(ICCV 2015): the initialisation that preserves variance in deep ReLU networks.",
        ),
        Source(
            "ioffe2015",
            "Ioffe and Szegedy (2015)",
            'Sergey Ioffe and Christian Szegedy, "Batch normalization" (ICML 2015): normalising each '
            "layer's inputs over the mini-batch.",
        ),
        Source(
            "he2016",
            "He et al. (2016)",
            'Kaiming He, Xiangyu Zhang, Shaoqing Ren and Jian Sun, "Deep residual learning for image '
            'recognition" (CVPR 2016): layers that add their input to their output.',
        ),
        Source(
            "kingma2015",
            "Kingma and Ba (2015)",
            'Diederik P. Kingma and Jimmy Ba, "Adam: A method for stochastic optimization" (ICLR 2015): '
            "steps scaled per parameter by running estimates of the gradient's first and second moments.",
        ),
        Source(
            "pascanu2013",
            "Pascanu et al. (2013)",
            'Razvan Pascanu, Tomas Mikolov and Yoshua Bengio, "On the difficulty of training recurrent '
            "neural networks\" (ICML 2013): exploding gradients and clipping the gradient's norm.",
        ),
        Source(
            "bengio1994",
            "Bengio, Simard and Frasconi (1994)",
            'Yoshua Bengio, Patrice Simard and Paolo Frasconi, "Learning long-term dependencies with gradient '
            'descent is difficult" (IEEE Transactions on Neural Networks, 1994): storing information robustly '
            "makes the gradient with respect to the distant past vanish.",
        ),
        Source(
            "hochreiter1997",
            "Hochreiter and Schmidhuber (1997)",
            'Sepp Hochreiter and Jürgen Schmidhuber, "Long short-term memory" (Neural Computation, 1997): '
            "the constant error carousel, and time lags that backpropagation through time cannot bridge.",
        ),
    )
}


@dataclass(frozen=True)
class Judgement:
    """What the book computed for a claim (``value``), its ``verdict``, and the ``rule`` that gave it."""

    value: str
    verdict: str
    rule: str

    def __post_init__(self) -> None:
        if self.verdict not in OUTCOMES:
            raise ValueError(f"verdict: must be one of {OUTCOMES}, got {self.verdict!r}")
        if not self.value or not self.rule:
            raise ValueError("value, rule: a judgement states what was computed and how it was judged")


@dataclass(frozen=True)
class Claim:
    """One claim: ``key`` ("ch<N>_<name>"), ``source`` (citation key), ``text``, ``section``, ``judge``."""

    key: str
    source: str
    text: str
    section: str
    judge: Callable[..., Judgement]
    #: Empty for a rule that can return every verdict; otherwise why it can return only two.
    two_valued: str = ""

    @property
    def chapter(self) -> int:
        """The number of the chapter that checks the claim."""
        return int(self.key.split("_", 1)[0][2:])

    @property
    def glue_prefix(self) -> str:
        """Prefix of the glue keys of the value and verdict: ``ch<N>_claim_<name>``."""
        ch, name = self.key.split("_", 1)
        return f"{ch}_claim_{name}"


#: Every claim, by key, in the order declared.
REGISTRY: dict[str, Claim] = {}

_KEY = re.compile(r"^ch[0-9]+_[a-z0-9_]+$")


def claim(key: str, *, source: str, text: str, section: str, two_valued: str = "") -> Callable:
    """Decorator: register the decorated judge function as the claim ``key``.

    A verdict rule must be able to return every verdict; a rule that by its nature cannot (a yes/no
    question with no middle ground) says why in ``two_valued``, and the unit tests then ask it for
    two verdicts only."""
    if not isinstance(key, str) or not _KEY.match(key):
        raise ValueError(f"key: expected 'ch<N>_<name>' in lower case, got {key!r}")
    if key in REGISTRY:
        raise ValueError(f"key: claim {key!r} is registered twice")
    if source not in SOURCES and not re.match(r"^[a-z]+[0-9]{4}[a-z]?$", source):
        raise ValueError(f"source: expected a citation key, got {source!r}")
    if not text or not section:
        raise ValueError("text, section: a claim needs its text and the label of its section")
    if not isinstance(two_valued, str):
        raise TypeError(f"two_valued: expected the reason as a string, got {type(two_valued).__name__}")

    def register(judge: Callable[..., Judgement]) -> Callable[..., Judgement]:
        REGISTRY[key] = Claim(key, source, text, section, judge, two_valued)
        return judge

    return register


def judge(key: str, **measured) -> Judgement:
    """Judge the claim ``key`` on the chapter's measurements (keyword arguments of its judge)."""
    if key not in REGISTRY:
        raise KeyError(f"key: no claim {key!r} in the registry")
    result = REGISTRY[key].judge(**measured)
    if not isinstance(result, Judgement):
        raise TypeError(f"the judge of {key!r} must return a Judgement, got {type(result).__name__}")
    return result


def claims_of(chapter: int) -> list[Claim]:
    """The claims a chapter checks, in the order declared."""
    return [c for c in REGISTRY.values() if c.chapter == chapter]
