"""The compiled steps of fit (vanishing.training.compiled_steps): fit's NumPy steps, to round-off."""

import numpy as np
import pytest

from vanishing.data import one_hot
from vanishing.networks.batchnorm import BatchNormNetwork
from vanishing.networks.network import Network
from vanishing.networks.residual import ResidualNetwork
from vanishing.training import compiled_steps
from vanishing.training.fit import _parameters, fit

#: How far the compiled run may drift from the NumPy one, relative to each parameter array's largest
#: entry, after two epochs (measured: about 1e-15 for SGD, 1e-13 for Adam, whose first steps divide
#: a gradient by its own size; BLAS kernels differ in the last bits).
AGREE = 1e-10


def _problem(n=300, n_in=12, n_out=4, seed=3):
    rng = np.random.default_rng(seed)
    return rng.random((n, n_in)), rng.integers(0, n_out, n)


def _net(kind, activation="sigmoid"):
    sizes = [12, 6, 6, 6, 4]
    if kind == "batchnorm":
        return BatchNormNetwork(sizes, activation=activation, seed=1)
    return (ResidualNetwork if kind == "residual" else Network)(sizes, activation=activation, seed=1)


def _both(net, data, **kw):
    """``net`` fitted with the compiled steps and with NumPy's, from the same start and shuffles."""
    out = []
    for fast in (True, False):
        twin = net.copy()
        h = fit(twin, data, epochs=2, batch_size=10, seed=4, monitor_data=data, record_every=6, compiled=fast, **kw)
        out.append((twin, h))
    return out


def _drift(a, b) -> float:
    pa, pb = _parameters(a)[0], _parameters(b)[0]
    return max(float(np.max(np.abs(p - q)) / np.max(np.abs(q))) for p, q in zip(pa, pb))


@pytest.mark.parametrize("kind", ["plain", "residual", "batchnorm"])
@pytest.mark.parametrize(
    "kw",
    [
        dict(optimiser="sgd", eta=0.5, lmbda=3.0, clip=1.0),
        dict(optimiser="adam", eta=0.01, lmbda=3.0),
        dict(optimiser="adam", eta=0.01, clip=0.5),
        dict(optimiser="sgd", eta=0.5),
    ],
)
def test_compiled_steps_agree_with_fits_numpy_steps(kind, kw):
    (a, ha), (b, hb) = _both(_net(kind), _problem(), **kw)
    assert ha.meta["compiled"] and not hb.meta["compiled"]
    assert _drift(a, b) < AGREE
    np.testing.assert_allclose(ha.speeds, hb.speeds, rtol=AGREE)
    assert ha.meta["steps_run"] == hb.meta["steps_run"] == 60
    assert ha.clipped == hb.clipped  # the same steps clipped
    norms = [ha.max_grad_norm, ha.mean_grad_norm]
    if kind == "plain" and kw["optimiser"] == "sgd" and "clip" not in kw:  # the fused kernel: not measured
        assert np.isnan(norms).all()
    else:
        np.testing.assert_allclose(norms, [hb.max_grad_norm, hb.mean_grad_norm], rtol=1e-12)
    if kind == "batchnorm":
        for p, q in zip(a.running_means + a.running_vars, b.running_means + b.running_vars):
            np.testing.assert_allclose(p, q, rtol=AGREE)


def test_clipping_is_exercised_and_bounds_every_step():
    (a, h), _ = _both(_net("plain"), _problem(), optimiser="sgd", eta=0.5, clip=0.05)
    assert 0.5 < h.clipped <= 1.0 and h.max_grad_norm > 0.05


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_other_hidden_activations_agree(activation):
    for kind in ("residual", "batchnorm"):
        (a, _), (b, _) = _both(_net(kind, activation), _problem(), optimiser="adam", eta=0.01)
        assert _drift(a, b) < AGREE


def test_batch_norm_leaves_out_a_last_batch_of_one_row_as_numpy_does():
    (a, ha), (b, hb) = _both(_net("batchnorm"), _problem(n=291), optimiser="sgd", eta=0.5)
    assert ha.meta["steps_run"] == hb.meta["steps_run"] == 58
    assert _drift(a, b) < AGREE


def test_a_non_finite_gradient_under_clipping_stops_the_run_as_numpy_does():
    X, y = _problem()
    for fast in (True, False):
        net = _net("plain")
        net.weights[0][0, 0] = np.inf
        h = fit(net, (X, y), epochs=2, clip=1.0, compiled=fast, validation_data=(X, y))
        assert h.diverged and h.meta["steps_run"] == 0 and "diverged in epoch 1" in h.message


def test_a_run_that_blows_up_without_clipping_is_reported_diverged():
    X, y = _problem()
    h = fit(_net("residual", "relu"), (X, y), epochs=3, eta=1e3, optimiser="sgd", compiled=True, validation_data=(X, y),
            monitor_data=(X, y), record_every=5)  # fmt: skip
    assert h.diverged and h.epochs_run < 3


def test_covers_the_three_networks_and_not_a_quadratic_cost():
    assert all(compiled_steps.covers(_net(k)) for k in ("plain", "residual", "batchnorm"))
    assert not compiled_steps.covers(Network([3, 2], cost="quadratic"))


def test_warm_up_compiles_once_then_costs_nothing():
    compiled_steps.warm_up()
    assert compiled_steps.warm_up() < 0.05


@pytest.mark.parametrize(
    "make, run, error, message",
    [
        (dict(optimiser="rmsprop"), None, ValueError, "optimiser"),
        (dict(eta=np.nan), None, ValueError, "eta"),
        (dict(decay="0"), None, ValueError, "decay"),
        (dict(clip=-1.0), None, ValueError, "clip"),
        (dict(clip=True), None, ValueError, "clip"),
        ({}, dict(batch_size=0), ValueError, "batch_size"),
        ({}, dict(X=np.zeros((5, 3))), ValueError, "X: expected shape"),
        ({}, dict(rows=np.arange(5) * 1.0), TypeError, "order"),
    ],
)
def test_bad_arguments_name_themselves(make, run, error, message):
    X, y = _problem(n=30)
    args = dict(X=X, Y=one_hot(y, 4), rows=np.arange(30), batch_size=10) | (run or {})
    with pytest.raises(error, match=message):
        steps = compiled_steps.Steps(_net("plain"), **(dict(optimiser="sgd", eta=0.1, decay=0.0, clip=None) | make))
        steps.run(**args)


def test_a_network_of_another_kind_is_refused_by_name():
    with pytest.raises(TypeError, match="net: expected"):
        compiled_steps.covers("a network")
    with pytest.raises(ValueError, match="net: its activations or its cost"):
        compiled_steps.Steps(Network([3, 2], cost="quadratic"), optimiser="sgd", eta=0.1, decay=0.0, clip=None)
    with pytest.raises(ValueError, match="batch_size: batch statistics"):
        X, y = _problem(n=30)
        steps = compiled_steps.Steps(_net("batchnorm"), optimiser="sgd", eta=0.1, decay=0.0, clip=None)
        steps.run(X, one_hot(y, 4), np.arange(30), 1)
