"""Chapter 5's remedies: the networks they build, what is measured at initialisation, the boundary."""

import numpy as np
import pytest

from vanishing.data import load_mnist
from vanishing.experiments import rate_tuning as tuning
from vanishing.experiments import remedies as rm
from vanishing.networks.batchnorm import BatchNormNetwork
from vanishing.networks.network import Network
from vanishing.networks.residual import ResidualNetwork


@pytest.fixture(scope="module")
def mnist300():
    (X, y), _, _ = load_mnist()
    return X[:300], y[:300]


def test_build_makes_each_remedys_network():
    kinds = {k: type(rm.build(k, 3, 0)) for k in rm.REMEDIES}
    assert kinds["batchnorm"] is BatchNormNetwork and kinds["residual"] is ResidualNetwork
    assert kinds["baseline"] is Network and kinds["relu_he"] is Network
    base, large = rm.build("baseline", 3, 7), rm.build("large", 3, 7)
    for W, V in zip(base.weights, large.weights):
        np.testing.assert_array_equal(V, rm.LARGE_SCALE * W)
    assert rm.build("xavier_tanh", 2, 0).activation.name == "tanh"
    assert rm.REMEDIES["adam"].optimiser == "adam" and rm.REMEDIES["clipping"].clip == 1.0


def test_init_speeds_and_the_baselines_vanishing_ratio(mnist300):
    X, y = mnist300
    g = rm.init_speeds("baseline", 4, range(3), X, y)
    assert g.shape == (3, 4) and np.all(g > 0)
    r = rm.first_over_last(g)
    assert np.all(r < 0.05)  # each layer several times slower than the next
    assert np.all(rm.first_over_last(rm.init_speeds("residual", 4, range(3), X, y)) > 0.3)
    assert rm.layer_factor(np.array([[1.0, 2.0, 4.0, 100.0]])) == pytest.approx(0.5)
    s = rm.ratio_summary(r)
    assert s["lo"] <= s["q25"] <= s["median"] <= s["q75"] <= s["hi"]


def test_backward_gains_predict_the_per_layer_factor(mnist300):
    X, y = mnist300
    net = rm.build("baseline", 6, 0)
    chi = rm.backward_gains(net, X)
    assert chi.shape == (5,)
    speeds = rm.init_speeds("baseline", 6, [0], X, y)[0]
    measured = np.exp(np.mean(np.log(speeds[:-1] / speeds[1:])))
    assert np.sqrt(np.exp(np.mean(np.log(chi)))) == pytest.approx(measured, rel=0.2)
    assert np.all(np.abs(np.log(rm.backward_gains(rm.build("relu_he", 6, 0), X))) < np.log(1.5))
    assert np.all(rm.backward_gains(rm.build("residual", 6, 0), X)[1:] > 1)
    assert rm.backward_gains(rm.build("batchnorm", 6, 0), X).shape == (5,)


def test_layer_gain_is_the_geometric_mean_below_the_last_layer(mnist300):
    X, y = mnist300
    chi = np.array([rm.backward_gains(rm.build("baseline", 6, s), X)[:4] for s in (0, 1)])
    assert rm.layer_gain("baseline", 6, (0, 1), X) == pytest.approx(np.exp(np.mean(np.log(chi))), rel=1e-12)
    assert rm.layer_gain("baseline", 6, [0], X) < 1 / 16 < rm.layer_gain("xavier_tanh", 6, [0], X)
    speeds = rm.init_speeds("baseline", 6, (0, 1), X, y)
    assert np.sqrt(rm.layer_gain("baseline", 6, (0, 1), X)) == pytest.approx(rm.layer_factor(speeds), rel=0.2)


def test_forward_and_backward_scales_of_relu_with_he_and_xavier(mnist300):
    X, y = mnist300
    he, xavier = rm.build("relu_he", 8, 0), rm.build(rm.Remedy("x", activation="relu", init="xavier"), 8, 0)
    q_he, q_x = rm.preactivation_scales(he, X), rm.preactivation_scales(xavier, X)
    assert 0.1 < q_he[-1] / q_he[0] < 10 and q_x[-1] / q_x[0] < 0.02  # Xavier halves it per layer
    d = rm.delta_scales(he, X, y)
    assert d.shape == (8,) and np.all(d > 0)
    with pytest.raises(TypeError, match="net"):
        rm.delta_scales(rm.build("residual", 3, 0), X, y)
    with pytest.raises(TypeError, match="net"):
        rm.preactivation_scales(rm.build("batchnorm", 3, 0), X)


def test_train_remedy_is_the_remedys_recipe(mnist300):
    X, y = mnist300
    h = rm.train_remedy(("clipping", 2, 0), (X, y), epochs=1, monitor_data=(X, y), record_every=10)
    assert h.meta["clip"] == 1.0 and h.meta["optimiser"] == "sgd" and h.clipped > 0.5
    h = rm.train_remedy(("adam", 2, 0, 0.01), (X, y), epochs=1, validation_data=(X, y))
    assert h.meta["eta"] == 0.01 and h.meta["optimiser"] == "adam"
    assert rm.final_accuracies([h]).shape == (1,)


def test_learned_and_erratic(mnist300):
    assert tuning.learned([0.9, 0.8]) and not tuning.learned([0.1, 0.11])
    X, y = mnist300
    data = (X[:200], y[:200])
    assert not tuning.is_erratic("baseline", 3, data)
    assert tuning.is_erratic("large", 3, data)
    assert not tuning.is_erratic("baseline", 3, data, epochs=2)
    twins = [
        rm.train_remedy(("baseline", 3, 0), data, epochs=1, monitor_data=data, record_every=20, nudge=n)
        for n in (0.0, 1e-12)
    ]
    assert not tuning.runs_apart(*twins)
    twins[1].diverged = True
    assert tuning.runs_apart(*twins)
    with pytest.raises(ValueError, match="first, second"):
        tuning.runs_apart(rm.train_remedy(("baseline", 2, 0), data, epochs=1), twins[0])


def test_initial_grad_norm_is_the_median_at_the_initial_parameters(mnist300):
    X, y = mnist300
    large = rm.initial_grad_norm("large", 3, (X, y), batches=20)
    base = rm.initial_grad_norm("baseline", 3, (X, y), batches=20)
    assert large > 10 * base > 0
    assert rm.initial_grad_norm("baseline", 3, (X, y), batches=20) == base  # the parameters are not trained
    with pytest.raises(ValueError, match="batches"):
        rm.initial_grad_norm("baseline", 3, (X, y), batches=0)


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: rm.get_remedy("dropout"), ValueError, "remedy: unknown remedy"),
        (lambda: rm.get_remedy(3), TypeError, "remedy"),
        (lambda: rm.build("baseline", 0), ValueError, "depth"),
        (lambda: rm.build("baseline", 2, seed=0.5), TypeError, "seed"),
        (lambda: rm.build("baseline", 2, width=0), ValueError, "width"),
        (lambda: rm.Remedy("x", kind="dense"), ValueError, "kind"),
        (lambda: rm.Remedy("x", weight_scale=0.0), ValueError, "weight_scale"),
        (lambda: rm.Remedy("x", eta=-1.0), ValueError, "eta"),
        (lambda: rm.init_speeds("baseline", 2, [], np.ones((2, 784)), np.zeros(2, int)), ValueError, "seeds"),
        (lambda: rm.first_over_last([1.0]), ValueError, "norms"),
        (lambda: rm.ratio_summary([1.0, 0.0]), ValueError, "ratios"),
        (lambda: rm.layer_factor(np.ones((2, 2))), ValueError, "norms"),
        (lambda: rm.train_remedy(("baseline", 2), (np.ones((2, 784)), np.zeros(2, int)), epochs=1), TypeError, "item"),
        (
            lambda: rm.train_remedy(("baseline", 2, 0, 0.0), (np.ones((2, 784)), np.zeros(2, int)), epochs=1),
            ValueError,
            "eta",
        ),
        (lambda: rm.final_accuracies([]), ValueError, "histories"),
        (lambda: tuning.learned([1.5]), ValueError, "accuracies"),
        (
            lambda: tuning.is_erratic("baseline", 2, (np.ones((20, 784)), np.zeros(20, int)), tolerance=0.0),
            ValueError,
            "tolerance",
        ),
        (lambda: rm.backward_gains("net", np.ones((2, 784))), TypeError, "net"),
        (lambda: rm.layer_gain("baseline", 2, [0], np.ones((2, 784))), ValueError, "depth"),
        (lambda: rm.layer_gain("baseline", 4, [], np.ones((2, 784))), ValueError, "seeds"),
    ],
)
def test_bad_inputs(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_tuned_rate_and_largest_trained_rate():
    rates = (0.01, 0.1, 1.0, 3.0)
    assert tuning.tuned_rate(rates, [0.5, 0.9, 0.9, 0.3]) == 0.1  # a tie goes to the smaller rate
    assert tuning.tuned_rate(rates, [0.1, 0.11, np.nan, 0.1]) is None  # at chance everywhere: nothing to choose
    assert tuning.largest_trained_rate(rates, [0.5, 0.9, 0.85, 0.3]) == 1.0  # keeps 90 % of its best
    assert tuning.largest_trained_rate(rates, [0.5, 0.9, np.nan, 0.3]) == 0.1  # a diverged run does not train
    assert tuning.largest_trained_rate(rates, [0.1, 0.1, 0.1, 0.1]) is None
    # an erratic rate cannot tell: left out as a candidate and as the best
    assert tuning.largest_trained_rate(rates, [0.5, 0.9, 0.85, 0.95], erratic=[0, 0, 0, 1]) == 1.0
    assert tuning.largest_trained_rate(rates, [0.5, 0.9, 0.85, 0.95], erratic=[1, 1, 1, 1]) is None
    with pytest.raises(ValueError, match="erratic"):
        tuning.largest_trained_rate(rates, [0.5, 0.9, 0.85, 0.95], erratic=[0, 1])
    with pytest.raises(ValueError, match="rates"):
        tuning.tuned_rate(rates, [0.5, 0.9])
    with pytest.raises(ValueError, match="accuracies"):
        tuning.tuned_rate(rates, [0.5, 0.9, 1.5, 0.1])


def test_compiled_training_matches_the_numpy_loop_and_stores_final_accuracies():
    (X, y), val, _ = load_mnist()
    data = (X[:200], y[:200])
    runs = [
        rm.train_remedy(
            ("xavier_tanh", 3, 1, 0.03),
            data,
            epochs=2,
            monitor_data=data,
            record_every=10,
            compiled=c,
            final_data={"train": data},
        )
        for c in (False, True)
    ]
    np.testing.assert_allclose(runs[0].speeds, runs[1].speeds, rtol=1e-9)
    assert runs[0].meta["final"]["train"] == runs[1].meta["final"]["train"]
    assert np.isnan(runs[1].max_grad_norm) and runs[0].mean_grad_norm > 0
    res = rm.train_remedy(("residual", 3, 1), data, epochs=1, compiled=True)
    assert res.meta["compiled"] and res.mean_grad_norm > 0  # by the compiled steps, which measure the norm


def test_layer_steps_sgd_is_the_gradient_and_adam_about_one():
    (X, y), _, _ = load_mnist()
    data = (X[:300], y[:300])
    step, grad = rm.layer_steps("baseline", 3, data, eta=0.1, steps=20)
    np.testing.assert_allclose(step, grad, rtol=1e-6)
    step, grad = rm.layer_steps("adam", 3, data, eta=0.01, steps=20)
    assert step.shape == (3,) and np.all(step > 0.05) and np.all(step < 1.5)
    with pytest.raises(TypeError, match="plain or residual"):
        rm.layer_steps("batchnorm", 3, data, eta=0.01)


def test_accuracy_after_budget_is_the_last_epochs_validation_accuracy_or_nan():
    (X, y), val, _ = load_mnist()
    data = (X[:200], y[:200])
    kw = dict(epochs=2, monitor_data=data, record_every=5, compiled=True)
    for item in (("baseline", 3, 1, 0.3), ("large", 3, 1, 100.0)):
        per_epoch = rm.train_remedy(item, data, validation_data=val, **kw)
        final = rm.train_remedy(item, data, final_data={"validation": val}, **kw)
        assert np.array_equal(per_epoch.accuracy[-1], tuning.accuracy_after_budget(final), equal_nan=True)
    assert final.diverged and np.isnan(tuning.accuracy_after_budget(final))  # the large weights at rate 100
    with pytest.raises(ValueError, match="split: the run has no final accuracy on 'test'"):
        tuning.accuracy_after_budget(final, "test")
