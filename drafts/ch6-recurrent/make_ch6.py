"""Write chapters/06_recurrent.ipynb from the cells below (run once; the notebook is then executed)."""
import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

cells = []


def md(text):
    cells.append(new_markdown_cell(text.strip("\n")))


def code(text, tags=()):
    c = new_code_cell(text.strip("\n"))
    if tags:
        c.metadata["tags"] = list(tags)
    cells.append(c)


md(r"""
(ch6-recurrent)=
# The same matrix, again and again

The problem this book is about was first found in recurrent networks {cite:p}`hochreiter1991,bengio1994`.
A recurrent network applies the same weights at every step of a sequence, so the product that
chapter 2 multiplies through the layers becomes a power of one matrix: the gradient from a loss at
the last step $T$ to the state at an earlier step $t$ is a product of $T - t$ Jacobians that all
contain the same recurrent weights. This chapter measures that product, checks the claims Pascanu et al.
{cite:p}`pascanu2013` made about it in their own setting (chapter 5 could only test their clipping out of
it), shows why a network that remembers a bit robustly must forget its gradient {cite:p}`bengio1994`, and
compares the vanilla network with the LSTM {cite:p}`hochreiter1997,gers2000` and with the usual remedies on a
task whose answer lies many steps back.

*About 30 minutes to read.*

```{admonition} What you will learn
:class: tip
- how backpropagation through time multiplies the gradient by one Jacobian per step, and why its size
  follows a power of the recurrent matrix's largest singular value;
- what Pascanu et al.'s conditions $\sigma_{\max} < 1/\gamma$ and $\sigma_{\max} > 1/\gamma$ do and do not
  promise, and what the "cliff" of a one-unit network looks like;
- why storing a bit robustly and passing a gradient back are at odds;
- how the LSTM's cell state carries the error back without multiplying it by a weight matrix, and what
  that buys on a task that needs memory;
- how orthogonal and identity initialisation, clipping and gating compare with the same tuning budget.
```
""")

md(r"""
````{admonition} Run this chapter yourself
:class: tip dropdown run-yourself
The figures and explorers on this page come from a Jupyter notebook that you can run. Put two files
in one folder: this page's notebook (the download button at the top of the page, `.ipynb`) and the
book's Python package with its data,
<a href="../_static/vanishing-0.1.0-py3-none-any.whl" download>vanishing-0.1.0-py3-none-any.whl</a>.
Then, in a terminal in that folder (a fresh virtual environment is best:
`python3 -m venv venv && . venv/bin/activate`), run:

```bash
pip install "vanishing-0.1.0-py3-none-any.whl[lab]"
jupyter lab 06_recurrent.ipynb
```

In JupyterLab, **Run > Run All Cells** recomputes every result, and the explorers' controls move.
````
""")
cells[-1].metadata["tags"] = ["run-yourself"]

code(r"""
import time

import numpy as np

from vanishing import explorers, parallel

from vanishing.landscapes import cliff
from vanishing.experiments import recurrent_recipes as rr
from vanishing.figures import ch6 as fig6
from vanishing.figures.style import use_style
from vanishing.listing import show_source
from vanishing.notebook import Table, and_list, put, put_figure, show_claim
from vanishing.prose import sig, signed
from vanishing.networks.recurrent import RecurrentNetwork, with_largest_singular_value
from vanishing.networks.lstm import LSTM
from vanishing.gradients.through_time import (by_lag, gamma, largest_singular_value, log10_slope,
                                     state_gradient_norms)
from vanishing.training.recurrent import average_norm_threshold
from vanishing.experiments.sequence_tasks import latch_task
from vanishing.widgets import show_explorer

use_style()
notebook_start = time.perf_counter()
""", tags=["hide-input"])

md(r"""
(ch6-bptt)=
## Backpropagation through time

A vanilla recurrent network reads a sequence $x_1, \dots, x_T$ one step at a time and carries a hidden
state $h_t$ from step to step with the same weights:

$$
h_t = f(W h_{t-1} + U x_t + b), \qquad h_0 = 0, \qquad z = V h_T + c ,
$$ (ch6-rnn)

with $f$ the sigmoid or tanh and the loss $L_T$ read from $z$ at the last step. Unrolled over the
sequence, it is a feed-forward network with $T$ layers that all share $W$, $U$ and $b$.
Backpropagation through time is backpropagation on that unrolled network: the error
$\partial L_T/\partial h_t$ goes back one step at a time, multiplied by the transpose of the step's Jacobian
$J_t = \partial h_t/\partial h_{t-1} = \operatorname{diag}(f'(a_t))\,W$, and each step adds its share to the
gradients of the shared weights. This is the function that computes it, from the package the chapter
runs:
""")

code(r"""
show_source(RecurrentNetwork._backprop)
""")

md(r"""
The loop runs backwards from $t = T$: `D[:, t - 1]` is $\delta_t = \partial L_T/\partial h_t \odot f'(a_t)$,
and `dH[:, t - 1] = D[:, t - 1] @ W` is $\partial L_T/\partial h_{t-1} = W^T\delta_t$. After $T - t$ steps the
error has been multiplied by $T - t$ Jacobians:

$$
\frac{\partial L_T}{\partial h_t} = \Bigl(\prod_{k=t+1}^{T} \operatorname{diag}\bigl(f'(a_k)\bigr)\,W\Bigr)^{T}
\frac{\partial L_T}{\partial h_T} .
$$ (ch6-product)

Chapter 2's product had a different weight in every layer; here every factor has the same $W$. Its
gradients are checked against finite differences in the package's tests, for random sizes, cells and
sequence lengths.
""")

md(r"""
(ch6-power)=
## The power of one matrix

Since $|f'| \le \gamma$, with $\gamma = 1$ for tanh and $\gamma = 1/4$ for the sigmoid, every factor of
{eq}`ch6-product` stretches a vector by at most $\gamma\,\sigma_{\max}(W)$, where $\sigma_{\max}$ is the
largest singular value. So

$$
\Bigl\lVert \frac{\partial L_T}{\partial h_t} \Bigr\rVert \;\le\; \bigl(\gamma\,\sigma_{\max}(W)\bigr)^{T-t}\,
\Bigl\lVert \frac{\partial L_T}{\partial h_T} \Bigr\rVert ,
$$ (ch6-bound)

a straight line on a log scale against $T - t$, with slope $\log_{10}(\gamma\,\sigma_{\max})$ per step. We
take networks of 32 units whose $W$ is a random orthogonal matrix times $\sigma$, so that every singular
value is $\sigma$, put $\gamma\sigma$ below, at and above 1, and measure the per-step norms on sequences of
the latch task (described in {ref}`ch6-long`):
""")

code(r"""
T_POWER, N_SEQ = 60, 100
X, Y = latch_task(T_POWER).sample(N_SEQ, seed=1)
power, rows = {}, []
for cell in ("tanh", "sigmoid"):
    for gs in (0.8, 1.0, 1.25):
        net = RecurrentNetwork(2, 32, 2, activation=cell, cost="softmax", recurrent_init="orthogonal",
                               recurrent_scale=gs / gamma(cell), seed=0)
        norms = by_lag(state_gradient_norms(net, X, Y))          # (sequences, lags 0..T)
        key = f"{cell}, $\\gamma\\sigma_{{\\max}} = {gs:g}$"
        power[key] = (norms, np.log10(gs), cell)
        measured = log10_slope(np.median(norms, axis=0))
        rows.append([cell, sig(largest_singular_value(net.W)), signed(np.log10(gs)), signed(measured)])
Table(["cell", r"$\sigma_{\max}(W)$", r"bound: $\log_{10}(\gamma\sigma_{\max})$ per step",
       "measured slope per step"], rows)
""")

code(r"""
slopes = {k: log10_slope(np.median(v[0], axis=0)) for k, v in power.items()}
tanh_keys = [k for k in power if power[k][2] == "tanh"]
put_figure("ch6_fig_power", fig6.plot_power({k: power[k][0] for k in tanh_keys},
                                            {k: power[k][1] for k in tanh_keys}))
put(ch6_t_power=str(T_POWER), ch6_n_seq=str(N_SEQ),
    ch6_slope_t08=signed(slopes[tanh_keys[0]]), ch6_slope_t125=signed(slopes[tanh_keys[2]]),
    ch6_bound_t08=signed(np.log10(0.8)))
""", tags=["remove-input"])

md(r"""
```{glue:figure} ch6_fig_power
:name: fig-ch6-power
:alt: Gradient norm against steps back in time on a log scale for three tanh networks. Each measured line is close to straight; the dashed bounds are straight lines with slopes log10 of 0.8, 0 and log10 of 1.25. The measured lines lie on or below their bounds; the one for gamma sigma 0.8 falls steeply, the one for 1.25 falls less or rises.

The norm of $\partial L_T/\partial h_t$ against the number of steps back, $T - t$ (median over the
sequences, log scale), for tanh networks whose $W$ has every singular value equal to $\sigma$. Solid: measured;
dashed: the bound {eq}`ch6-bound`. What to see: straight lines, as for a power of one number, never above
their bound; the measured slope is below the bound's because $\tanh'(a_k) < 1$ once the states move away
from 0.
```

On {glue:text}`ch6_n_seq` sequences of length {glue:text}`ch6_t_power`, with $\gamma\sigma_{\max} = 0.8$ the
tanh network's measured slope is {glue:text}`ch6_slope_t08` per step against the bound's
{glue:text}`ch6_bound_t08`. Above 1 the bound allows growth, and the measured slope is
{glue:text}`ch6_slope_t125`: a larger $W$ also pushes the states into the flat parts of tanh, where $f'$ is
small, so the bound is not reached. The sigmoid networks behave alike with $\sigma$ four times larger (the
table), and their slopes fall further below the bound, since $\sigma'$ reaches $1/4$ only at 0.

Pascanu et al. state the two halves of this as conditions on $\sigma_{\max}$. We test them on Gaussian
matrices $W$ with entries $N(0, g^2/n)$, for each cell, with $g$ spread so that $\gamma\sigma_{\max}$ runs from
well below 1 to several times 1, measuring how much of its size the gradient keeps many steps back (the
largest ratio over the sequences):
""")

code(r"""
LAG = 40
sweep = []   # (cell, gamma * sigma_max, largest ratio |dL/dh_{T-LAG}| / |dL/dh_T|)
for cell in ("tanh", "sigmoid"):
    for i, g in enumerate(np.geomspace(0.25, 3.0, 12) / gamma(cell)):
        for seed in (0, 1):
            net = RecurrentNetwork(2, 32, 2, activation=cell, cost="softmax", recurrent_scale=g, seed=10 * i + seed)
            norms = by_lag(state_gradient_norms(net, X, Y))
            sweep.append((cell, gamma(cell) * largest_singular_value(net.W), float(np.max(norms[:, LAG] / norms[:, 0]))))
gs_all = np.array([s[1] for s in sweep])
growth = np.array([s[2] for s in sweep])
below = gs_all < 1
print(f"{below.sum()} matrices with gamma*sigma_max < 1: largest ratio {sig(growth[below].max())}")
print(f"{(~below).sum()} matrices above: the gradient grew (ratio > 1) for {(growth[~below] > 1).sum()}")
""")

code(r"""
show_claim("ch6_pascanu_sufficient", ratios=growth[below], bounds=gs_all[below] ** LAG, lag=LAG)
""", tags=["remove-input"])

code(r"""
show_claim("ch6_pascanu_necessary", gamma_sigma=gs_all, growth=growth, lag=LAG)
""", tags=["remove-input"])

code(r"""
grown = growth > 1
put(ch6_lag=str(LAG), ch6_n_sweep=str(len(sweep)), ch6_n_grown=str(int(grown.sum())),
    ch6_gs_lo=sig(gs_all.min()), ch6_gs_hi=sig(gs_all.max()),
    ch6_min_gs_grown=sig(gs_all[grown].min()) if grown.any() else "none",
    ch6_n_above_not_grown=str(int(((~below) & ~grown).sum())))
""", tags=["remove-input"])

md(r"""
The sweep has {glue:text}`ch6_n_sweep` matrices, with $\gamma\sigma_{\max}$ from {glue:text}`ch6_gs_lo` to
{glue:text}`ch6_gs_hi`. The first condition is *sufficient* for vanishing: below $1/\gamma$ the bound
{eq}`ch6-bound` forces the gradient down, whatever the inputs. The second is only *necessary* for exploding:
of the matrices with $\gamma\sigma_{\max} > 1$, {glue:text}`ch6_n_above_not_grown` did not let the gradient
grow over {glue:text}`ch6_lag` steps, because $\sigma_{\max}$ bounds the stretch of the worst direction only,
and the saturated units' small $f'$ take the rest away.
""")

md(r"""
(ch6-cliff)=
## The cliff

Pascanu et al. drew the cost surface of a network with a single unit, $x_t = w\,\sigma(x_{t-1}) + b$, started
at $x_0 = 0.5$ and asked to end at $x_{50} = 0.7$. Where a small change of $(w, b)$ moves the unit from one
stable state to another, the derivative of $x_{50}$ is a product of 50 factors $w\,\sigma'(x_{t-1})$ that
are all above 1 at once: a wall. We compute the cost and its exact gradient on a grid, and run gradient
descent from a point near the wall, without and with clipping; the threshold is the median gradient norm
over the grid:
""")

code(r"""
w, b = np.meshgrid(np.linspace(2, 8, 200), np.linspace(-5, 0, 200))
surface = cliff.cliff_cost(w, b)
gnorm = np.hypot(surface.grad_w, surface.grad_b)
c_cliff = float(np.median(gnorm))
start, eta_cliff = (5.0, -2.6), 0.01
free = cliff.descend(*start, eta=eta_cliff, steps=50)
clipped = cliff.descend(*start, eta=eta_cliff, steps=50, clip=c_cliff)
step = lambda p: float(np.max(np.hypot(*np.diff(p, axis=0).T)))
end = lambda p: float(cliff.cliff_cost(*p[-1]).cost)
print(f"steepest / median gradient on the grid: {sig(gnorm.max() / c_cliff)}")
print(f"longest step: {sig(step(free))} without clipping, {sig(step(clipped))} with")
print(f"cost: {sig(end(free))} and {sig(end(clipped))} at the end, {sig(end(free[:1]))} at the start")
""")

code(r"""
put_figure("ch6_fig_cliff", fig6.plot_cliff(w, b, surface.cost, {"gradient descent": free, "clipped": clipped}))
put(ch6_cliff_jump=sig(step(free)), ch6_cliff_cost_free=sig(end(free)), ch6_cliff_cost_clip=sig(end(clipped)),
    ch6_cliff_c=sig(c_cliff))
""", tags=["remove-input"])

md(r"""
```{glue:figure} ch6_fig_cliff
:name: fig-ch6-cliff
:alt: Filled contour plot of the log cost over the recurrent weight w from 2 to 8 and the bias b from −5 to 0, with a narrow diagonal band where the colour changes abruptly. From a star near the band, the unclipped path takes a few short steps and then leaves the plotted region in one jump; the clipped path moves in short even steps along the band.

The cost $(x_{50} - 0.7)^2$ of the one-unit network over its weight and bias ($\log_{10}$, colour), with 50
steps of gradient descent from the star, unclipped and clipped at the median gradient norm. What to see:
the narrow band where the colour jumps is the wall; the unclipped path is thrown off the plotted region
when it reaches the wall, the clipped one is not.
```

On the wall one unclipped step has length {glue:text}`ch6_cliff_jump` and the descent ends at cost
{glue:text}`ch6_cliff_cost_free`; clipped at {glue:text}`ch6_cliff_c`, it ends at
{glue:text}`ch6_cliff_cost_clip`.
""")

code(r"""
show_claim("ch6_pascanu_cliff", wall_ratio=float(gnorm.max() / c_cliff), jump=step(free), clipped_jump=step(clipped),
           cost_free=end(free), cost_clipped=end(clipped))
""", tags=["remove-input"])

md(r"""
(ch6-latch)=
## Remembering a bit makes the gradient vanish

Bengio, Simard and Frasconi {cite:p}`bengio1994` showed that the two things we want from a recurrent
network pull against each other. To store a bit *robustly*, so that noise in later inputs cannot erase it,
the state must sit in an attractor: a region that small pushes cannot leave, which means the map
$h_{t-1} \mapsto h_t$ shrinks distances there, $|\partial h_t/\partial h_{t-1}| < 1$. But then
{eq}`ch6-product` is a product of factors below 1, and the gradient with respect to the distant past
vanishes. The smallest latch is one tanh unit, $h_t = \tanh(w\,h_{t-1} + x_t)$: for $w > 1$ it has two stable
states, $\pm h^*$ with $h^* = \tanh(w h^*)$. We give it the bit as $x_1 = \pm 1$, then Gaussian noise, and
measure on many sequences whether the sign of the last state $h_T$ still holds the bit, and how much of the
gradient $\partial h_T/\partial h_1$ is left:
""")

code(r"""
T_LATCH, NOISE = 50, 0.3
rng = np.random.default_rng(2)
bits = rng.integers(0, 2, 1000)
XL = np.zeros((1000, T_LATCH, 2))
XL[:, :, 0] = rng.normal(0, NOISE, (1000, T_LATCH))
XL[:, 0, 0] = 2.0 * bits - 1
ws, stored, grad_left = (0.5, 0.9, 1.5, 2.0, 3.0, 5.0), [], []
for wv in ws:
    unit = RecurrentNetwork(2, 1, 2, cost="softmax")
    unit.params[0][:] = wv                          # W = [[w]]
    unit.params[1][:] = [[1.0, 0.0]]                # h_t = tanh(w h_{t-1} + x_t)
    A, H = unit.forward(XL)
    stored.append(float(np.mean((H[:, -1, 0] > 0) == bits)))
    grad_left.append(float(np.median(np.abs(np.prod(wv * (1 - H[:, 2:, 0] ** 2), axis=1)))))
put(ch6_latch_t=str(T_LATCH), ch6_latch_noise=f"{NOISE:g}", ch6_latch_n=f"{len(bits):,}")
Table(["$w$", f"bit still held at $T = {T_LATCH}$", r"median $|\partial h_T/\partial h_1|$"],
      [[f"{wv:g}", f"{s:.0%}", sig(g)] for wv, s, g in zip(ws, stored, grad_left)])
""")

code(r"""
show_claim("ch6_bengio_latch", stored=stored, gradient=grad_left, T=T_LATCH)
""", tags=["remove-input"])

md(r"""
On {glue:text}`ch6_latch_n` sequences of length {glue:text}`ch6_latch_t` with noise of std
{glue:text}`ch6_latch_noise`: with $w$ below 1 there is one stable state, 0, and the bit is lost; with $w$ above 1 the bit is kept, the
more reliably the larger $w$: the deeper the attractor, the more robust the memory, and the smaller the factor
$w\,(1 - h^{*2})$ at the stable state, so the faster the gradient vanishes. A network trained by gradient
descent to keep a bit has to find these attractors, and once there, it cannot see through them what
happened at step 1.
""")

md(r"""
(ch6-long)=
## Long-range dependencies: vanilla and LSTM

The task is a latch to be learnt. Each sequence has two inputs a step: the first carries a bit at step 1,
$\pm 1$, and Gaussian noise of std 1 at every later step; the second marks step 1. The network must answer
the bit at step $T$, so the answer depends on an input $T - 1$ steps back, and guessing gets 50 %.

The LSTM {cite:p}`hochreiter1997` with a forget gate {cite:p}`gers2000` keeps a second state, the cell
$c_t$, and changes it only by gated addition:

$$
c_t = f_t \odot c_{t-1} + i_t \odot g_t, \qquad h_t = o_t \odot \tanh(c_t),
$$

where the forget gate $f_t$, input gate $i_t$ and output gate $o_t$ are sigmoids of $(x_t, h_{t-1})$ and $g_t$
is a tanh of them. Along the cell, $\partial c_t/\partial c_{t-1} = \operatorname{diag}(f_t)$: no weight matrix,
no squashing derivative. With the forget gate open the error flows back unchanged, the *constant error
carousel*. At initialisation, the gradient through the vanilla network's state and through the LSTM's cell
compare so:
""")

code(r"""
T_CEC = 40   # the longest latch of the training runs below
XC, YC = latch_task(T_CEC).sample(100, seed=3)
flows = {"vanilla tanh, $h_t$": by_lag(state_gradient_norms(rr.build("vanilla", 0), XC, YC)),
         "LSTM, $h_t$": by_lag(state_gradient_norms(rr.build("lstm", 0), XC, YC)),
         "LSTM cell, $c_t$": by_lag(state_gradient_norms(rr.build("lstm", 0), XC, YC, which="c"))}
log_flow = {k: np.log10(v[:, T_CEC - 1] / v[:, 0]) for k, v in flows.items()}
for k, v in log_flow.items():
    print(f"{k:<22} keeps {sig(10 ** np.median(v))} of the gradient {T_CEC - 1} steps back")
""")

code(r"""
put_figure("ch6_fig_carousel", fig6.plot_carousel(flows))
""", tags=["remove-input"])

md(r"""
```{glue:figure} ch6_fig_carousel
:name: fig-ch6-carousel
:alt: Gradient norm against steps back in time, log scale, for three curves. The vanilla tanh state's falls steadily over many orders of magnitude; the LSTM cell's falls much more slowly; the LSTM hidden state's lies between.

The norm of the gradient of the loss at the last step $T$ with respect to the state $T - t$ steps back
(median over the sequences, log scale) for freshly initialised networks: the vanilla network's $h_t$, and the
LSTM's $h_t$ and cell $c_t$. What to see: through the cell state the gradient falls far more slowly than through the
vanilla state, because each step multiplies it only by the forget gate.
```

Both networks are trained by SGD on fresh batches of sequences, at every rate of one grid, with the same
seeds, at several lengths (the runs go through a compiled copy of the loops shown above, which adds every
sum in a fixed order, so that a run ends the same way wherever it is repeated); each network's accuracy is the held-out accuracy at its best rate (highest mean
over the seeds). The runs of this section and the next two are started in one go, shared between two
processes:
""")

code(r"""
ETAS, LENGTHS, SEEDS = (0.003, 0.03, 0.3, 3.0), (10, 20, 40), (0, 1, 2, 3)
items = [(r, T, e, s) for r in ("vanilla", "lstm") for T in LENGTHS for e in ETAS for s in SEEDS]
items += [(r, LENGTHS[-1], e, s) for r in ("orthogonal", "irnn", "exploding") for e in ETAS for s in SEEDS]
t0 = time.perf_counter()
results = dict(zip(items, parallel.pool_map(rr.run, items, processes=2, desc="training runs")))
training_seconds = time.perf_counter() - t0
""", tags=["nbval-ignore-output", "remove-output"])

code(r"""
def acc_grid(recipe, T, clip=None):
    # (rates, seeds) held-out accuracies
    key = (lambda e, s: (recipe, T, e, s)) if clip is None else (lambda e, s: (recipe, T, e, s, clip[e]))
    return np.array([[results[key(e, s)].accuracy for s in SEEDS] for e in ETAS])


def best(grid):
    return int(np.argmax(grid.mean(axis=1)))


def pct(a):
    return f"{100 * np.mean(a):.0f} %"


by_len = {r: np.array([acc_grid(r, T)[best(acc_grid(r, T))] for T in LENGTHS]) for r in ("vanilla", "lstm")}
Table(["$T$", "vanilla tanh: accuracy (best $\\eta$)", "LSTM: accuracy (best $\\eta$)"],
      [[str(T), f"{pct(by_len['vanilla'][i])} ({ETAS[best(acc_grid('vanilla', T))]:g})",
        f"{pct(by_len['lstm'][i])} ({ETAS[best(acc_grid('lstm', T))]:g})"] for i, T in enumerate(LENGTHS)])
""")

code(r"""
put_figure("ch6_fig_lengths", fig6.plot_lengths(LENGTHS, {rr.RECIPES[r]: by_len[r] for r in ("vanilla", "lstm")},
                                                chance=0.5))
put(ch6_n_runs=f"{len(items)}", ch6_van_long=pct(by_len["vanilla"][-1]), ch6_lstm_long=pct(by_len["lstm"][-1]),
    ch6_van_short=pct(by_len["vanilla"][0]), ch6_t_long=str(LENGTHS[-1]), ch6_t_short=str(LENGTHS[0]),
    ch6_steps=str(rr.STEPS), ch6_hidden=str(rr.N_HIDDEN), ch6_batch=str(rr.BATCH),
    ch6_fb=f"{rr.FORGET_BIAS:g}", ch6_lengths=and_list([str(T) for T in LENGTHS]),
    ch6_cec_t=str(T_CEC - 1), ch6_cec_lstm=sig(10 ** np.median(log_flow["LSTM cell, $c_t$"])),
    ch6_cec_van=sig(10 ** np.median(log_flow["vanilla tanh, $h_t$"])))
""", tags=["remove-input"])

md(r"""
```{glue:figure} ch6_fig_lengths
:name: fig-ch6-lengths
:alt: Held-out accuracy in per cent against the sequence length 10, 20 and 40 on a log axis, for the vanilla tanh network and the LSTM, with error bars over three seeds and a dotted chance line at 50 per cent.

Held-out accuracy on the latch against its length $T$, at each network's best rate of the same grid (mean and
standard deviation over the seeds; the dotted line is chance). Both networks have {glue:text}`ch6_hidden`
units and are trained for {glue:text}`ch6_steps` updates on batches of {glue:text}`ch6_batch` sequences. What
to see: whether, and where, each network falls to chance as the bit moves further back.
```

The lengths are {glue:text}`ch6_lengths`. At $T =$ {glue:text}`ch6_t_short` the vanilla network reaches
{glue:text}`ch6_van_short`; at $T =$ {glue:text}`ch6_t_long` it reaches {glue:text}`ch6_van_long`, and the
LSTM (forget-gate bias {glue:text}`ch6_fb` at the start, so that the gate begins mostly open)
{glue:text}`ch6_lstm_long`. At initialisation, {glue:text}`ch6_cec_t` steps back, the LSTM's cell keeps
{glue:text}`ch6_cec_lstm` of the gradient and the vanilla state {glue:text}`ch6_cec_van`. Hochreiter and
Schmidhuber's setting was larger: lags of hundreds to thousands of steps, and training until a criterion was
met; ours is a small budget of updates and lags of tens of steps, short enough for a vanilla network to
learn the latch now and then. The claim is judged on both halves, accuracy and gradient flow:
""")

code(r"""
show_claim("ch6_hochreiter_lstm", lstm_acc=by_len["lstm"][-1], vanilla_acc=by_len["vanilla"][-1],
           lstm_log_flow=log_flow["LSTM cell, $c_t$"], vanilla_log_flow=log_flow["vanilla tanh, $h_t$"],
           T=LENGTHS[-1])
""", tags=["remove-input"])

md(r"""
(ch6-clipping)=
## Clipping, in Pascanu et al.'s setting

Chapter 5 could test gradient clipping only on feed-forward networks. Here is its own setting: a
recurrent network whose gradient explodes, trained by SGD on long sequences. We take the vanilla tanh
network with $W$ three times larger, $N(0, 9/n)$, past the point where gradients grow (see
{ref}`ch6-power`), on the longest latch. Pascanu et al. set the threshold from "the average norm over a sufficiently
large number of updates"; we take, for each rate, the mean gradient norm over all updates of the unclipped
runs at that rate, then train again with clipping at that threshold, with the same rates and seeds:
""")

code(r"""
thresholds = {e: average_norm_threshold([results["exploding", LENGTHS[-1], e, s].mean_norm for s in SEEDS]) for e in ETAS}
clip_items = [("exploding", LENGTHS[-1], e, s, thresholds[e]) for e in ETAS for s in SEEDS]
results.update(zip(clip_items, parallel.pool_map(rr.run, clip_items, processes=2, progress=False)))
free_grid, clip_grid = acc_grid("exploding", LENGTHS[-1]), acc_grid("exploding", LENGTHS[-1], clip=thresholds)
Table([r"$\eta$", "threshold $c$", "accuracy, not clipped", "accuracy, clipped"],
      [[f"{e:g}", sig(thresholds[e]), pct(free_grid[i]), pct(clip_grid[i])] for i, e in enumerate(ETAS)])
""")

code(r"""
show_claim("ch6_pascanu_clipping", clipped=clip_grid[best(clip_grid)], unclipped=free_grid[best(free_grid)],
           threshold=thresholds[ETAS[best(clip_grid)]], T=LENGTHS[-1])
""", tags=["remove-input"])

md(r"""
(ch6-remedies)=
## Remedies through time, with the same budget

Chapter 5's remedies have recurrent counterparts. An orthogonal $W$ {cite:p}`saxe2014` has every singular value
1, so the linear part of {eq}`ch6-product` neither shrinks nor grows; Le et al.'s IRNN {cite:p}`le2015`
uses ReLU units and $W = I$, so that at the start the state is copied from step to step; clipping bounds
the step; gating is the LSTM. Each is trained on the longest latch with the same rate grid, the same seeds
and the same number of updates, and reported at its best rate:
""")

code(r"""
methods = {"vanilla": acc_grid("vanilla", LENGTHS[-1]), "exploding": free_grid, "exploding, clipped": clip_grid,
           "orthogonal": acc_grid("orthogonal", LENGTHS[-1]), "irnn": acc_grid("irnn", LENGTHS[-1]),
           "lstm": acc_grid("lstm", LENGTHS[-1])}
label = lambda k: rr.RECIPES.get(k, "vanilla tanh, W × 3, clipped")
Table([f"network, $T = {LENGTHS[-1]}$", r"best $\eta$", f"accuracy at best $\eta$ ({len(SEEDS)} seeds)",
       "runs that solve it (at least 90 %)"],
      [[label(k), f"{ETAS[best(g)]:g}", pct(g[best(g)]), f"{int(np.sum(g[best(g)] >= 0.9))} of {len(SEEDS)}"]
       for k, g in methods.items()])
""")

code(r"""
put_figure("ch6_fig_rates", fig6.plot_rate_curves(ETAS, {label(k): g for k, g in methods.items()}, chance=0.5))
irnn_div = sum(results["irnn", LENGTHS[-1], e, s].diverged for e in ETAS for s in SEEDS)
put(ch6_etas=and_list([f"{e:g}" for e in ETAS]), ch6_n_seeds=str(len(SEEDS)),
    ch6_irnn_fate=f"diverges in {irnn_div} of {len(ETAS) * len(SEEDS)} runs" if irnn_div else "does not diverge")
""", tags=["remove-input"])

md(r"""
```{glue:figure} ch6_fig_rates
:name: fig-ch6-rates
:alt: Held-out accuracy in per cent against the learning rate on a log axis, one line per network, each with its best rate ringed, and a dotted chance line at 50 per cent.

Held-out accuracy on the longest latch against the learning rate, mean over the seeds, for every
method on the same grid ($\eta$ = {glue:text}`ch6_etas`); each method's best rate is ringed. What to see:
how much each method gains over the vanilla network at its own best rate, and how sensitive it is to the rate.
```

A run *solves* the latch when its held-out accuracy is at least 90 %. With {glue:text}`ch6_n_seeds` seeds
per rate, two methods are told apart only when one solves it in at least half the seeds more than the
other; otherwise the comparison is undecided, and the table says how many runs solved the task rather than
a mean alone. The IRNN's ReLU units are unbounded: with the identity as $W$ and
noisy inputs its states and gradients grow along the sequence, and on this grid of rates it
{glue:text}`ch6_irnn_fate`; Le et al. trained it with much smaller rates and with clipping.
""")

md(r"""
(ch6-explorer)=
## Explore: length, singular value, cell and clipping

The explorer draws, for the chosen sequence length, largest singular value of the recurrent weights, cell
and clipping, the per-step gradient norms of a fresh network on the latch (left: through $h_t$, or the cell
$c_t$ for the LSTM) and the batch cost of a short SGD run of {glue:text}`ch6_explorer_steps` updates at
$\eta =$ {glue:text}`ch6_explorer_eta` (right). Things to try: move $\sigma_{\max}$ across $1/\gamma$ with
the tanh and the sigmoid cell and watch the line on the left flatten as it grows, never steeper upwards than
the bound allows; switch to the LSTM and compare the
cell's line; with a large $\sigma_{\max}$ turn clipping off and on.
""")

code(r"""
# its figure function and controls are in vanishing.explorers.chapters
controls = show_explorer("ch6_recurrent")
""")
cells[-1].metadata["mystnb"] = {"image": {"alt": (
    "Explorer figure at its defaults, a tanh network whose recurrent weights have largest singular value 1, on "
    "the latch of length 50, without clipping: left, the norm of the gradient against the steps back in time on "
    "a log scale, falling along a nearly straight line; right, the batch cost of a short SGD run against the "
    "update, with the cost of guessing as a dotted line.")}}

md(r"""
**Explorer 6.1.** Per-step gradient norms $\Vert\partial L_T/\partial h_t\Vert$ (or $\Vert\partial L_T/\partial c_t\Vert$
for the LSTM) of a fresh network on the latch (left), and the batch cost of a short SGD run (right), for the
chosen length, largest singular value, cell and clipping. What to see: below $1/\gamma$ the left line falls
straight, above it flattens or rises; the LSTM's cell line stays flat longer.
""")

code(r"""
spec = explorers.get("ch6_recurrent")
put(ch6_explorer_steps=str(fig6.EXPLORER["steps"]), ch6_explorer_eta=f"{fig6.EXPLORER['eta']:g}")
""", tags=["remove-input"])

md(r"""
(ch6-takeaways)=
## Key takeaways

- Backpropagation through time multiplies the error by one Jacobian $\operatorname{diag}(f'(a_t))\,W$ per
  step, always with the same $W$; its norm follows a straight line on a log scale, with slope at most
  $\log_{10}(\gamma\sigma_{\max})$ per step.
- $\gamma\sigma_{\max} < 1$ is sufficient for the long-term gradient to vanish; $\gamma\sigma_{\max} > 1$ is
  only necessary for it to explode.
- On the one-unit network's wall an unclipped step jumps away ({glue:text}`ch6_cliff_jump` in one step),
  and clipping keeps it short.
- A memory that resists noise is an attractor, and an attractor contracts: robust storage and a
  long-term gradient exclude each other in a vanilla network.
- The LSTM's cell is changed by gated addition, so its gradient is multiplied only by the forget gate: at
  initialisation it keeps {glue:text}`ch6_cec_lstm` of the gradient {glue:text}`ch6_cec_t` steps back, the
  vanilla state {glue:text}`ch6_cec_van`. On the latch of length {glue:text}`ch6_t_long`, within this
  chapter's budget, it reaches {glue:text}`ch6_lstm_long` against the vanilla network's
  {glue:text}`ch6_van_long`.
""")

md(r"""
(ch6-exercises)=
## Exercises

```{exercise} The linear regime
:label: ch6-ex-linear

With zero input and zero bias a tanh network stays at $h = 0$, where $\tanh' = 1$. Show that then
$\partial h_T/\partial h_t = W^{T-t}$, and check with `jacobian_product_norms` that for $W = \sigma Q$ ($Q$
orthogonal) the largest singular value of the product is exactly $\sigma^{T-t}$.
```
""")

md(r"""
```{solution-start} ch6-ex-linear
:class: dropdown
```
Every factor is $\operatorname{diag}(\tanh'(0))\,W = W$, and $\lVert(\sigma Q)^k\rVert = \sigma^k$ since $Q^k$ is
orthogonal:
""")

code(r"""
from vanishing.gradients.through_time import jacobian_product_norms

net = RecurrentNetwork(2, 8, 2, recurrent_init="orthogonal", recurrent_scale=0.9, seed=5)
prod = by_lag(jacobian_product_norms(net.step_jacobians(np.zeros((30, 2)))))
print("agrees with 0.9^k to 12 digits:", bool(np.allclose(prod, 0.9 ** np.arange(31), rtol=1e-12)))
""")

md(r"""
```{solution-end}
```

```{exercise} Where does the sigmoid's bound bite?
:label: ch6-ex-sigmoid

For the sigmoid network of {ref}`ch6-power` with $\gamma\sigma_{\max} = 1$, the measured slope is below 0.
Compute the mean of $\sigma'(a_t)$ over the sequences and steps, and explain the gap.
```
""")

md(r"""
```{solution-start} ch6-ex-sigmoid
:class: dropdown
```
""")

code(r"""
net = RecurrentNetwork(2, 32, 2, activation="sigmoid", cost="softmax", recurrent_init="orthogonal",
                       recurrent_scale=4.0, seed=0)
A, _ = net.forward(X)
print(f"mean sigma'(a_t): {net.activation.df(A).mean():.3f} (at most 0.25)")
""")

md(r"""
The sigmoid's states sit near 1/2, not 0, so $W h$ is not small and most $\sigma'(a_t)$ are well below their
peak of 1/4: every factor of the product stretches less than $\gamma\sigma_{\max}$, and the bound is loose.

```{solution-end}
```

```{exercise} A deeper attractor
:label: ch6-ex-latch

For the one-unit latch, compute the stable state $h^*$ of $h = \tanh(w h)$ for $w = 1.5$ and $w = 3$ and the
factor $w(1 - h^{*2})$ per step. Predict $|\partial h_{50}/\partial h_1|$ without noise and compare with the table of
{ref}`ch6-latch`.
```
""")

md(r"""
```{solution-start} ch6-ex-latch
:class: dropdown
```
""")

code(r"""
for wv in (1.5, 3.0):
    h = 1.0
    for _ in range(200):              # iterate to the stable state
        h = np.tanh(wv * h)
    factor = wv * (1 - h ** 2)
    print(f"w = {wv:g}: h* = {h:.3f}, factor {factor:.3f}, factor^49 = {sig(factor ** 49)}")
""")

md(r"""
The factor is below 1 for both, and far smaller for $w = 3$: the deeper attractor forgets faster. The noise
moves the state off $h^*$ a little, so the table's medians are close to these powers but not equal to them.

```{solution-end}
```

```{exercise} Clipping keeps the direction
:label: ch6-ex-clip

Pascanu et al. rescale the whole gradient, so its direction is kept. Take one batch of the latch of length
40 and the exploding network; compute the gradient, clip it at half its norm, and check that the cosine
between the two is 1.
```
""")

md(r"""
```{solution-start} ch6-ex-clip
:class: dropdown
```
""")

code(r"""
from vanishing.training.clipping import clip_by_global_norm, global_norm

net = rr.build("exploding", 0)
Xb, Yb = latch_task(40).sample(20, seed=9)
g = net.gradients(Xb, Yb)
gc, norm, scale = clip_by_global_norm(g, 0.5 * global_norm(g))   # a threshold half its norm
flat, flatc = np.concatenate([a.ravel() for a in g]), np.concatenate([a.ravel() for a in gc])
cos = flat @ flatc / (np.linalg.norm(flat) * np.linalg.norm(flatc))
print(f"norm {sig(norm)}, scaled by {sig(scale)}; cosine is 1 to 12 digits: {abs(cos - 1) < 1e-12}")
""")

md(r"""
Every parameter's gradient is multiplied by the same factor, so the step points the same way and is only
shorter. Clipping changes how far a step goes on the wall, never where it points.

```{solution-end}
```
""")

code(r"""
import resource

total_seconds = time.perf_counter() - notebook_start
cpu = sum(resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
          for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
print(f"notebook executed in {total_seconds:.0f} s (CPU {cpu:.0f} s, with the pool's workers): "
      f"training runs {training_seconds:.0f} s")
""", tags=["nbval-ignore-output", "remove-cell"])

nb = new_notebook(cells=cells)
nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
nb.metadata["language_info"] = {"name": "python"}
nb.metadata["mystnb"] = {"execution_timeout": 1800}
nbformat.write(nb, "/work/wt-ch6/chapters/06_recurrent.ipynb")
print("written", len(cells), "cells")
