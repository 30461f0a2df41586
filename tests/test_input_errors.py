"""Bad input raises an exception whose message names the problem and the fix.

``TypeError`` for the wrong kind of object or dtype, ``ValueError`` for a wrong shape or value.
Every ``match=`` below asserts on the hint a reader needs (``2 * targets - 1``, ``squeeze``,
``.float()``, ``torch.as_tensor``, the allowed values), not only on the exception type.
"""

from __future__ import annotations

import re
from functools import partial

import pytest
import torch

import hingelib as hl

SCORES = torch.tensor([2.0, -0.5, 0.8, -1.5, 0.3])
LABELS = torch.tensor([1, -1, 1, -1, 1])
CLASS_SCORES = torch.tensor([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0]])
CLASSES = torch.tensor([0, 1])


def _fit_one_feature(scores, targets):
    """``fit_linear`` seen as a consumer of labels: the scores become a single feature column."""
    return hl.fit_linear(scores[:, None], targets, epochs=1)


#: Every callable taking (scores (N,), labels (N,)) in {-1, +1}: functions and modules.
BINARY_LOSSES = {
    "hinge_loss": hl.hinge_loss,
    "squared_hinge_loss": hl.squared_hinge_loss,
    "logistic_loss": hl.logistic_loss,
    "perceptron_loss": hl.perceptron_loss,
    "zero_one_loss": hl.zero_one_loss,
    "HingeLoss": hl.HingeLoss(),
    "SquaredHingeLoss": hl.SquaredHingeLoss(),
}


def _solve_one_feature(scores, targets):
    """``solve_linear`` seen as a consumer of labels, like ``_fit_one_feature``."""
    return hl.solve_linear(scores[:, None], targets)


def _gap_one_feature(scores, targets):
    return hl.duality_gap(scores[:, None], targets, torch.ones(1), 0.0)


#: The binary losses plus fit_linear, solve_linear and duality_gap, for the checks on labels
#: that the trainer shares.
LABEL_CONSUMERS = {
    **BINARY_LOSSES,
    "fit_linear": _fit_one_feature,
    "solve_linear": _solve_one_feature,
    "duality_gap": _gap_one_feature,
}
#: Every callable taking (scores (N, K), class indices (N,)).
MULTICLASS_LOSSES = {
    "multiclass_hinge_loss": hl.multiclass_hinge_loss,
    "crammer_singer": partial(hl.multiclass_hinge_loss, variant="crammer_singer"),
    "MultiClassHingeLoss": hl.MultiClassHingeLoss(),
}

binary_losses = pytest.mark.parametrize("loss", BINARY_LOSSES.values(), ids=list(BINARY_LOSSES))
label_consumers = pytest.mark.parametrize(
    "loss", LABEL_CONSUMERS.values(), ids=list(LABEL_CONSUMERS)
)
multiclass_losses = pytest.mark.parametrize(
    "loss", MULTICLASS_LOSSES.values(), ids=list(MULTICLASS_LOSSES)
)


# Binary labels ------------------------------------------------------------------------------


@label_consumers
@pytest.mark.parametrize(
    "targets",
    [torch.tensor([1, 0, 1, 0, 1]), torch.tensor([1.0, 0.0, 1.0, 0.0, 1.0])],
    ids=["int", "float"],
)
def test_zero_one_labels_are_rejected_with_conversion_hint(loss, targets):
    with pytest.raises(ValueError, match=r"with 2 \* (targets|y) - 1"):
        loss(SCORES, targets)


@label_consumers
@pytest.mark.parametrize(
    "targets",
    [torch.tensor([1, -1, 2, -1, 1]), torch.tensor([1.0, -1.0, 0.5, -1.0, 1.0])],
    ids=["two", "one_half"],
)
def test_labels_other_than_plus_minus_one_are_rejected_naming_both(loss, targets):
    with pytest.raises(ValueError, match=r"must be -1 or \+1.*use labels -1 and \+1"):
        loss(SCORES, targets)


@label_consumers
def test_boolean_labels_are_rejected_with_conversion_hint(loss):
    with pytest.raises(TypeError, match=r"convert with 2 \* (targets|y)\.float\(\) - 1"):
        loss(SCORES, LABELS > 0)


# Shapes --------------------------------------------------------------------------------------


@binary_losses
def test_column_scores_are_rejected_with_squeeze_hint(loss):
    with pytest.raises(ValueError, match=r"\(N, N\) matrix.*scores\.squeeze\(1\)"):
        loss(SCORES[:, None], LABELS)


def test_naive_hinge_formula_silently_broadcasts_column_scores_to_n_by_n():
    """Why the check exists: (N, 1) * (N,) is a valid broadcast, and the mean comes out wrong."""
    column = SCORES[:, None]
    naive = torch.clamp(1 - LABELS * column, min=0)
    assert naive.shape == (5, 5)
    assert naive.mean().item() != pytest.approx(hl.hinge_loss(SCORES, LABELS).item())
    torch.testing.assert_close(hl.hinge_loss(column.squeeze(1), LABELS), torch.tensor(0.28))


@label_consumers
def test_mismatched_lengths_are_rejected_naming_both_shapes(loss):
    with pytest.raises(ValueError, match=r"same shape \(N,\).*\(5,\).*\(4,\)"):
        loss(SCORES, LABELS[:4])


@multiclass_losses
def test_mismatched_class_target_length_is_rejected_naming_n(loss):
    with pytest.raises(ValueError, match=r"targets must have shape \(N,\) = \(2,\).*got \(3,\)"):
        loss(CLASS_SCORES, torch.tensor([0, 1, 2]))


@multiclass_losses
def test_one_dimensional_scores_are_rejected_by_multiclass_naming_n_by_k(loss):
    with pytest.raises(ValueError, match=r"shape \(N, K\), got \(5,\)"):
        loss(SCORES, torch.zeros(5, dtype=torch.long))


@multiclass_losses
def test_single_class_score_matrix_is_rejected(loss):
    with pytest.raises(ValueError, match="at least 2 classes"):
        loss(CLASS_SCORES[:, :1], torch.tensor([0, 0]))


# Dtypes and kinds of object -------------------------------------------------------------------


@binary_losses
@pytest.mark.parametrize("dtype", [torch.int64, torch.bool], ids=["int", "bool"])
def test_non_float_scores_are_rejected_with_float_hint(loss, dtype):
    with pytest.raises(TypeError, match=r"floating point.*scores\.float\(\)"):
        loss(SCORES.to(dtype), LABELS)


@multiclass_losses
@pytest.mark.parametrize("dtype", [torch.int64, torch.bool], ids=["int", "bool"])
def test_non_float_class_scores_are_rejected_with_float_hint(loss, dtype):
    with pytest.raises(TypeError, match=r"floating point.*scores\.float\(\)"):
        loss(CLASS_SCORES.to(dtype), CLASSES)


@label_consumers
@pytest.mark.parametrize("argument", ["scores", "targets"])
def test_numpy_arrays_are_rejected_with_as_tensor_hint(loss, argument):
    arrays = {"scores": SCORES, "targets": LABELS}
    arrays[argument] = arrays[argument].numpy()
    fit = loss in (_fit_one_feature, _solve_one_feature, _gap_one_feature)
    name = {"scores": "X" if fit else "scores", "targets": "y" if fit else "targets"}[argument]
    with pytest.raises(TypeError, match=re.escape(f"torch.as_tensor({name}, ")):
        loss(arrays["scores"], arrays["targets"])


@multiclass_losses
def test_numpy_class_scores_are_rejected_with_as_tensor_hint(loss):
    with pytest.raises(TypeError, match=re.escape("torch.as_tensor(scores, ")):
        loss(CLASS_SCORES.numpy(), CLASSES)


def test_numpy_class_targets_hint_gives_an_integer_dtype():
    with pytest.raises(TypeError, match=r"torch\.as_tensor\(targets, dtype=torch\.(long|int64)\)"):
        hl.multiclass_hinge_loss(CLASS_SCORES, CLASSES.numpy())


@multiclass_losses
@pytest.mark.parametrize("targets", [CLASSES.float(), CLASSES.bool()], ids=["float", "bool"])
def test_non_integer_class_targets_are_rejected_with_long_hint(loss, targets):
    with pytest.raises(TypeError, match=r"integer class indices.*targets\.long\(\)"):
        loss(CLASS_SCORES, targets)


@multiclass_losses
@pytest.mark.parametrize(
    "targets", [torch.tensor([-1, 1]), torch.tensor([0, 3])], ids=["negative", "k_or_more"]
)
def test_class_targets_outside_zero_to_k_are_rejected_naming_the_range(loss, targets):
    with pytest.raises(ValueError, match=r"class indices in \[0, 3\).*renumber the classes"):
        loss(CLASS_SCORES, targets)


# Non-finite and empty scores ------------------------------------------------------------------

NON_FINITE = pytest.mark.parametrize(
    "value", [float("nan"), float("inf"), float("-inf")], ids=["nan", "inf", "minus_inf"]
)


@binary_losses
@NON_FINITE
def test_non_finite_scores_are_rejected_with_isfinite_hint(loss, value):
    scores = SCORES.clone()
    scores[2] = value
    with pytest.raises(ValueError, match=r"NaN or infinite.*torch\.isfinite\(scores\)"):
        loss(scores, LABELS)


@multiclass_losses
@NON_FINITE
def test_non_finite_class_scores_are_rejected_with_isfinite_hint(loss, value):
    scores = CLASS_SCORES.clone()
    scores[1, 2] = value
    with pytest.raises(ValueError, match=r"NaN or infinite.*torch\.isfinite\(scores\)"):
        loss(scores, CLASSES)


def test_finite_scores_whose_sum_overflows_are_accepted():
    """The check sums first and looks element-wise only when the sum is not finite."""
    scores = torch.full((10,), 3e38)
    assert torch.isinf(scores.sum())
    torch.testing.assert_close(hl.hinge_loss(scores, torch.ones(10)), torch.tensor(0.0))
    class_scores = torch.full((10, 3), 3e38)
    assert torch.isinf(class_scores.sum())
    loss = hl.multiclass_hinge_loss(class_scores, torch.zeros(10, dtype=torch.long))
    torch.testing.assert_close(loss, torch.tensor(2.0))  # two wrong classes tied with the true one


@binary_losses
def test_empty_batch_is_rejected(loss):
    with pytest.raises(ValueError, match="empty batch.*at least one sample"):
        loss(torch.empty(0), torch.empty(0))


@multiclass_losses
def test_empty_multiclass_batch_is_rejected(loss):
    with pytest.raises(ValueError, match="empty batch.*at least one sample"):
        loss(torch.empty(0, 3), torch.empty(0, dtype=torch.long))


# Margins --------------------------------------------------------------------------------------

X = torch.tensor([[2.0, 1.0], [-1.0, -2.0], [1.5, 0.5], [-0.5, -1.5]])
Y = torch.tensor([1.0, -1.0, 1.0, -1.0])

#: Everything that takes ``margin=``, as a function of the margin.
MARGIN_TAKERS = {
    "hinge_loss": lambda m: hl.hinge_loss(SCORES, LABELS, margin=m),
    "squared_hinge_loss": lambda m: hl.squared_hinge_loss(SCORES, LABELS, margin=m),
    "multiclass_hinge_loss": lambda m: hl.multiclass_hinge_loss(CLASS_SCORES, CLASSES, margin=m),
    "HingeLoss": lambda m: hl.HingeLoss(margin=m),
    "SquaredHingeLoss": lambda m: hl.SquaredHingeLoss(margin=m),
    "MultiClassHingeLoss": lambda m: hl.MultiClassHingeLoss(margin=m),
    "fit_linear": lambda m: hl.fit_linear(X, Y, margin=m, epochs=1),
    "solve_linear": lambda m: hl.solve_linear(X, Y, margin=m),
    "duality_gap": lambda m: hl.duality_gap(X, Y, torch.ones(2), 0.0, margin=m),
    "loss_of_margin": lambda m: hl.loss_of_margin("hinge", SCORES, margin=m),
}
margin_takers = pytest.mark.parametrize(
    "with_margin", MARGIN_TAKERS.values(), ids=list(MARGIN_TAKERS)
)


@margin_takers
def test_negative_margin_is_rejected_with_non_negative_hint(with_margin):
    with pytest.raises(ValueError, match=r"margin must be >= 0.*use 1\.0"):
        with_margin(-1.0)


def test_negative_entry_in_a_batched_fit_margin_is_rejected_with_non_negative_hint():
    with pytest.raises(ValueError, match=r"margin must be >= 0.*use 1\.0"):
        hl.fit_linear(X, Y, margin=torch.tensor([1.0, -0.5]), epochs=1)


@margin_takers
def test_nan_margin_is_rejected_with_hint(with_margin):
    with pytest.raises(ValueError, match=r"margin must be a finite number >= 0, got nan.*use 1\.0"):
        with_margin(float("nan"))


@margin_takers
@pytest.mark.parametrize("margin", ["1.0", True], ids=["string", "bool"])
def test_non_numeric_margin_is_rejected_with_example(with_margin, margin):
    with pytest.raises(TypeError, match=r"margin must be a single number such as 1\.0"):
        with_margin(margin)


@pytest.mark.parametrize(
    "loss",
    [hl.hinge_loss, hl.squared_hinge_loss, hl.multiclass_hinge_loss, hl.HingeLoss],
    ids=["hinge_loss", "squared_hinge_loss", "multiclass_hinge_loss", "HingeLoss"],
)
def test_a_margin_tensor_is_rejected_by_the_losses_which_take_one_number(loss):
    # A (N,) margin would broadcast per sample in the binary losses but per class (along K) in
    # the multi-class one; the losses take one number, and only fit_linear takes a batch.
    margin = torch.tensor([3.0, 0.0, 0.0])
    with pytest.raises(TypeError, match=r"margin must be a single number"):
        if loss is hl.HingeLoss:
            loss(margin=margin)
        elif loss is hl.multiclass_hinge_loss:
            loss(torch.zeros(3, 3), torch.tensor([0, 1, 2]), margin=margin)
        else:
            loss(torch.zeros(3), torch.ones(3), margin=margin)


# Unknown options ------------------------------------------------------------------------------

REDUCTION_TAKERS = {
    **{
        name: partial(loss, SCORES, LABELS)
        for name, loss in BINARY_LOSSES.items()
        if not isinstance(loss, torch.nn.Module)
    },
    "multiclass_hinge_loss": partial(hl.multiclass_hinge_loss, CLASS_SCORES, CLASSES),
    "HingeLoss": hl.HingeLoss,
    "SquaredHingeLoss": hl.SquaredHingeLoss,
    "MultiClassHingeLoss": hl.MultiClassHingeLoss,
}


@pytest.mark.parametrize("with_options", REDUCTION_TAKERS.values(), ids=list(REDUCTION_TAKERS))
def test_unknown_reduction_is_rejected_listing_allowed_values(with_options):
    with pytest.raises(
        ValueError, match="unknown reduction 'avg'; use one of 'none', 'mean', 'sum'"
    ):
        with_options(reduction="avg")


@pytest.mark.parametrize(
    "with_options",
    [partial(hl.multiclass_hinge_loss, CLASS_SCORES, CLASSES), hl.MultiClassHingeLoss],
    ids=["multiclass_hinge_loss", "MultiClassHingeLoss"],
)
def test_unknown_variant_is_rejected_listing_allowed_values(with_options):
    with pytest.raises(
        ValueError, match="unknown variant 'ww'; use one of 'weston_watkins', 'crammer_singer'"
    ):
        with_options(variant="ww")


@pytest.mark.parametrize("loss", ["svm", "zero_one"])
def test_unknown_or_untrainable_loss_is_rejected_by_fit_linear_listing_allowed_values(loss):
    with pytest.raises(
        ValueError,
        match="use one of 'hinge', 'squared_hinge', 'logistic', 'perceptron', 'modified_huber'$",
    ):
        hl.fit_linear(X, Y, loss=loss, epochs=1)


def test_unknown_loss_is_rejected_by_loss_of_margin_listing_allowed_values():
    with pytest.raises(ValueError, match="unknown loss 'svm'; use one of 'hinge', .*'zero_one'"):
        hl.loss_of_margin("svm", SCORES)


def test_unknown_schedule_is_rejected_listing_allowed_values():
    with pytest.raises(
        ValueError, match="unknown schedule 'adam'; use one of 'constant', 'pegasos'"
    ):
        hl.fit_linear(X, Y, schedule="adam", epochs=1)


# fit_linear -----------------------------------------------------------------------------------


def test_pegasos_schedule_with_zero_weight_decay_is_rejected_explaining_the_step():
    with pytest.raises(
        ValueError, match=r"weight_decay must be > 0.*'pegasos'.*lr / \(weight_decay \* t\)"
    ):
        hl.fit_linear(X, Y, schedule="pegasos", weight_decay=0.0, epochs=1)


@pytest.mark.parametrize(
    "weight_decay", [-0.1, torch.tensor([0.1, -0.1])], ids=["number", "tensor_entry"]
)
def test_negative_weight_decay_is_rejected(weight_decay):
    with pytest.raises(ValueError, match="weight_decay must be >= 0, got -0.1"):
        hl.fit_linear(X, Y, weight_decay=weight_decay, epochs=1)


@pytest.mark.parametrize("epochs", [0, -3])
def test_non_positive_epochs_are_rejected(epochs):
    with pytest.raises(ValueError, match="epochs must be at least 1"):
        hl.fit_linear(X, Y, epochs=epochs)


@pytest.mark.parametrize("lr", [0.0, -0.1])
def test_non_positive_learning_rate_is_rejected(lr):
    with pytest.raises(ValueError, match="lr must be > 0"):
        hl.fit_linear(X, Y, lr=lr, epochs=1)


def test_weight_decay_and_margin_tensors_of_different_lengths_are_rejected_with_fix():
    with pytest.raises(
        ValueError, match="same length to be paired, got 2 and 3; pass one of them as a number"
    ):
        hl.fit_linear(
            X,
            Y,
            weight_decay=torch.tensor([0.1, 0.2]),
            margin=torch.tensor([0.5, 1.0, 2.0]),
            epochs=1,
        )


def test_integer_features_are_rejected_with_float_hint():
    with pytest.raises(TypeError, match=r"X must be floating point.*X\.float\(\)"):
        hl.fit_linear(X.long(), Y, epochs=1)


def test_features_with_nan_are_rejected():
    features = X.clone()
    features[1, 0] = float("nan")
    with pytest.raises(ValueError, match="X contains NaN or infinite values; remove or impute"):
        hl.fit_linear(features, Y, epochs=1)


@pytest.mark.parametrize(
    "y, error", [(Y[:3], ValueError), (Y.numpy(), TypeError)], ids=["length", "numpy"]
)
def test_fit_linear_label_errors_name_y(y, error):
    with pytest.raises(error, match=r"\by\b"):
        hl.fit_linear(X, y, epochs=1)


# solve_linear and duality_gap -----------------------------------------------------------------

EXACT = {
    "solve_linear": lambda **kw: hl.solve_linear(X, Y, **kw),
    "duality_gap": lambda **kw: hl.duality_gap(X, Y, torch.ones(2), 0.0, **kw),
}
exact = pytest.mark.parametrize("exact", EXACT.values(), ids=list(EXACT))


@exact
@pytest.mark.parametrize("weight_decay", [0.0, -0.1, torch.tensor([0.1, 0.0])])
def test_the_exact_fit_rejects_a_weight_decay_that_is_not_positive_saying_why(exact, weight_decay):
    with pytest.raises(ValueError, match=r"weight_decay must be > 0.*infinitely far.*1e-3"):
        exact(weight_decay=weight_decay)


@exact
@pytest.mark.parametrize("loss", ["perceptron", "zero_one", "svm"])
def test_the_exact_fit_rejects_other_losses_listing_the_solvable_ones(exact, loss):
    allowed = "use one of 'hinge', 'squared_hinge', 'logistic', 'modified_huber'$"
    with pytest.raises(ValueError, match=f"unknown loss '{loss}'; {allowed}"):
        exact(loss=loss)


def test_the_exact_fit_pairs_settings_as_fit_linear_does_and_checks_its_tolerance():
    with pytest.raises(ValueError, match="same length to be paired, got 2 and 3"):
        hl.solve_linear(X, Y, weight_decay=torch.tensor([0.1, 0.2]), margin=torch.ones(3))
    with pytest.raises(ValueError, match="tol must be > 0"):
        hl.solve_linear(X, Y, tol=0.0)
    with pytest.raises(TypeError, match=r"X must be floating point.*X\.float\(\)"):
        hl.solve_linear(X.long(), Y)


@pytest.mark.parametrize(
    "weight, bias",
    [(torch.ones(3), 0.0), (torch.ones(2, 2, 2), 0.0), (torch.ones(2), torch.ones(2, 1))],
)
def test_duality_gap_rejects_weights_that_do_not_match_the_features_naming_the_shapes(weight, bias):
    with pytest.raises(ValueError, match=r"weight must have shape \(d,\) or \(B, d\) with d = 2"):
        hl.duality_gap(X, Y, weight, bias)


def test_duality_gap_takes_weights_only_as_tensors():
    with pytest.raises(TypeError, match=r"weight must be a torch.Tensor.*torch.as_tensor"):
        hl.duality_gap(X, Y, [1.0, 1.0], 0.0)


# Data generators ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "generate, n, minimum",
    [
        (hl.two_blobs, 1, 2),
        (hl.overlapping_blobs, 1, 2),
        (hl.blobs_with_outliers, 1, 2),
        (hl.three_class_blobs, 2, 3),
    ],
    ids=["two_blobs", "overlapping_blobs", "blobs_with_outliers", "three_class_blobs"],
)
def test_too_few_points_for_every_class_are_rejected(generate, n, minimum):
    with pytest.raises(ValueError, match=f"n must be at least {minimum}, got {n}; every class"):
        generate(n)


@pytest.mark.parametrize("n_outliers", [-1, 6], ids=["negative", "more_than_negatives"])
def test_n_outliers_outside_the_negative_class_size_is_rejected_naming_the_range(n_outliers):
    with pytest.raises(ValueError, match=f"n_outliers must be between 0 and 5, got {n_outliers}"):
        hl.blobs_with_outliers(10, n_outliers=n_outliers)


def test_non_integer_n_outliers_is_rejected_naming_the_argument():
    with pytest.raises(TypeError, match="n_outliers"):
        hl.blobs_with_outliers(10, n_outliers=1.5)


def test_a_diverging_fit_raises_and_says_to_lower_the_step():  # never a NaN as a result
    X, y = hl.two_blobs(50, seed=0)
    with pytest.raises(ValueError, match=r"pegasos.*squared hinge.*use schedule='constant'"):
        hl.fit_linear(X, y, loss="squared_hinge", schedule="pegasos", weight_decay=0.01, epochs=50)
    with pytest.raises(ValueError, match=r"diverged.*lower lr \(got 50"):
        hl.fit_linear(X, y, loss="squared_hinge", lr=50.0, epochs=50)


def test_a_diverging_multiclass_fit_raises():
    X, y = hl.three_class_blobs(60, seed=0)
    with pytest.raises(ValueError, match="diverged"):
        hl.fit_linear_multiclass(X, y, lr=1e30, epochs=20)


def test_a_batched_run_keeps_the_settings_that_diverged():
    X, y = hl.two_blobs(50, seed=0)
    diverged = hl.fit_linear(
        X, y, loss="squared_hinge", lr=50.0, epochs=50, weight_decay=torch.tensor([0.01, 0.1])
    )
    assert not torch.isfinite(diverged.objective[-1]).all()


# Squared multi-class hinge, two moons, fit_network -------------------------------------------


@pytest.mark.parametrize("p", [0, 3, 1.5, True], ids=["zero", "three", "float", "bool"])
def test_a_multiclass_hinge_power_other_than_one_or_two_is_rejected_naming_both(p):
    with pytest.raises(ValueError, match=r"p must be 1 \(the hinge\) or 2 \(the squared hinge\)"):
        hl.multiclass_hinge_loss(CLASS_SCORES, CLASSES, p=p)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"n": 1}, ValueError, "n must be at least 2, got 1; every class"),
        ({"noise": -0.1}, ValueError, "noise must be >= 0"),
        ({"noise": "0.1"}, TypeError, "noise must be a single number"),
    ],
    ids=["one_point", "negative_noise", "text_noise"],
)
def test_two_moons_rejects_bad_sizes_and_noise_naming_the_argument(kwargs, error, match):
    with pytest.raises(error, match=match):
        hl.two_moons(**kwargs)


def _network_problem():
    """A fixed problem: the model's initial weights too, not the global RNG's state at the time
    (under another test order, a start that met every margin gave the squared hinge no gradient
    and so nothing to diverge)."""
    X = torch.randn(20, 3, generator=torch.Generator().manual_seed(0))
    with torch.random.fork_rng():
        torch.manual_seed(0)
        model = torch.nn.Linear(3, 2)
    return model, X, (X[:, 0] > 0).long()


def test_fit_network_rejects_a_loss_module_and_names_its_functional_form():
    model, X, y = _network_problem()
    with pytest.raises(TypeError, match=r"F\.cross_entropy for nn\.CrossEntropyLoss\(\)"):
        hl.fit_network(model, X, y, loss=torch.nn.CrossEntropyLoss(), lr=0.1)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"lr": [0.1, 0.2]}, "lr has 2 entries for 3 models; give one each"),
        ({"lr": 0.1, "weight_decay": -1.0}, "weight_decay must be >= 0"),
        ({"lr": 0.0}, "lr must be > 0"),
        ({"lr": 0.1, "batch_size": 0}, "batch_size must be at least 1"),
    ],
    ids=["lr_per_model", "negative_decay", "zero_lr", "empty_batches"],
)
def test_fit_network_settings_are_checked_one_per_model(kwargs, match):
    model, X, y = _network_problem()
    models = [model, torch.nn.Linear(3, 2), torch.nn.Linear(3, 2)]
    with pytest.raises(ValueError, match=match):
        hl.fit_network(models, X, y, loss=torch.nn.functional.cross_entropy, **kwargs)


def test_fit_network_rejects_integer_inputs_and_untensored_targets_with_the_conversion():
    model, X, y = _network_problem()
    loss = torch.nn.functional.cross_entropy
    with pytest.raises(TypeError, match=r"X must be floating point.*X\.float\(\)"):
        hl.fit_network(model, X.long(), y, loss=loss, lr=0.1)
    with pytest.raises(TypeError, match=r"torch\.as_tensor\(y\)"):
        hl.fit_network(model, X, y.tolist(), loss=loss, lr=0.1)
    with pytest.raises(ValueError, match="one target per row"):
        hl.fit_network(model, X, y[:5], loss=loss, lr=0.1)


def test_fit_network_rejects_models_of_different_architectures():
    model, X, y = _network_problem()
    loss = torch.nn.functional.cross_entropy
    with pytest.raises(ValueError, match="share one architecture"):
        hl.fit_network([model, torch.nn.Linear(3, 4)], X, y, loss=loss, lr=0.1)


def test_a_diverging_single_network_raises_and_says_to_lower_lr():
    model, X, y = _network_problem()
    squared = partial(hl.multiclass_hinge_loss, p=2)
    with pytest.raises(ValueError, match=r"diverged.*lower lr \(got 1e\+06\)"):
        hl.fit_network(model, X * 100, y, loss=squared, lr=1e6, epochs=20, momentum=0.9)


def _dual_problem():
    X, y = hl.two_moons(20, seed=0)
    return hl.rbf_kernel(X, gamma=1.0), y


@pytest.mark.parametrize(
    "K, match",
    [
        (torch.ones(3, 4), r"square kernel matrix.*rbf_kernel\(X, X"),
        (torch.tensor([[1.0, 0.5], [0.4, 1.0]]), r"symmetric.*\(K \+ K\.T\) / 2"),
    ],
)
def test_solve_dual_rejects_a_kernel_matrix_that_is_not_square_and_symmetric(K, match):
    with pytest.raises(ValueError, match=match):
        hl.solve_dual(K, torch.tensor([1.0, -1.0, 1.0, -1.0])[: len(K)], C=1.0)


def test_solve_dual_checks_labels_and_settings_naming_the_fix():
    K, y = _dual_problem()
    with pytest.raises(ValueError, match=r"2 \* y - 1"):
        hl.solve_dual(K, (y + 1) / 2, C=1.0)
    with pytest.raises(ValueError, match="single class.*both labels"):
        hl.solve_dual(K, torch.ones(len(y)), C=1.0)
    with pytest.raises(ValueError, match="same shape"):
        hl.solve_dual(K, y[:5], C=1.0)
    with pytest.raises(ValueError, match="C must be > 0"):
        hl.solve_dual(K, y, C=0.0)
    with pytest.raises(TypeError, match="C must be a single number"):
        hl.solve_dual(K, y, C="1")
    with pytest.raises(ValueError, match="tol must be > 0"):
        hl.solve_dual(K, y, C=1.0, tol=0.0)
    with pytest.raises(ValueError, match="max_steps must be at least 1"):
        hl.solve_dual(K, y, C=1.0, max_steps=0)
    with pytest.raises(TypeError, match=r"torch\.as_tensor\(K"):
        hl.solve_dual(K.numpy(), y, C=1.0)
    with pytest.raises(TypeError, match=r"K\.float\(\)"):
        hl.solve_dual(K.long(), y, C=1.0)


def test_rbf_kernel_and_fourier_features_reject_bad_input_naming_the_argument():
    X = torch.zeros(4, 2)
    with pytest.raises(ValueError, match="gamma must be > 0"):
        hl.rbf_kernel(X, gamma=0.0)
    with pytest.raises(ValueError, match="same number of features"):
        hl.rbf_kernel(X, torch.zeros(3, 5), gamma=1.0)
    with pytest.raises(TypeError, match=r"X must be floating point.*X\.float\(\)"):
        hl.rbf_kernel(X.long(), gamma=1.0)
    with pytest.raises(ValueError, match="n_features must be at least 1"):
        hl.random_fourier_features(X, n_features=0, gamma=1.0)
    with pytest.raises(TypeError, match="seed must be an int"):
        hl.random_fourier_features(X, n_features=5, gamma=1.0, seed=1.5)
    with pytest.raises(ValueError, match="gamma must be > 0"):
        hl.random_fourier_features(X, n_features=5, gamma=-1.0)


def test_cw_margin_and_attack_reject_bad_input_naming_the_fix():
    with pytest.raises(ValueError, match=r"shape \(N, K\)"):
        hl.cw_margin(SCORES, LABELS)
    with pytest.raises(TypeError, match=r"targets\.long\(\)"):
        hl.cw_margin(CLASS_SCORES, CLASSES.float())
    with pytest.raises(ValueError, match="kappa must be >= 0"):
        hl.cw_margin(CLASS_SCORES, CLASSES, kappa=-1.0)
    with pytest.raises(ValueError, match="unknown reduction"):
        hl.cw_margin(CLASS_SCORES, CLASSES, reduction="avg")
    model, x = torch.nn.Linear(4, 3), torch.rand(2, 4)
    with pytest.raises(ValueError, match="c must be > 0"):
        hl.carlini_wagner_l2(model, x, CLASSES, c=0.0)
    with pytest.raises(ValueError, match="steps must be at least 1"):
        hl.carlini_wagner_l2(model, x, CLASSES, steps=0)
    with pytest.raises(ValueError, match="search_steps must be at least 0"):
        hl.carlini_wagner_l2(model, x, CLASSES, search_steps=-1)
    with pytest.raises(ValueError, match=r"class indices in \[0, 3\)"):
        hl.carlini_wagner_l2(model, x, torch.tensor([0, 3]))
    with pytest.raises(ValueError, match="lo < hi"):
        hl.carlini_wagner_l2(model, x, CLASSES, bounds=(1, 0))
    with pytest.raises(TypeError, match=r"pair of numbers \(lo, hi\)"):
        hl.carlini_wagner_l2(model, x, CLASSES, bounds=16)
    with pytest.raises(ValueError, match="outside bounds.*widen it"):
        hl.carlini_wagner_l2(model, 20 * x + 1, CLASSES, bounds=(0, 16))
    with pytest.raises(ValueError, match=r"float tensor \(N, \.\.\.\)"):
        hl.carlini_wagner_l2(model, x[0], CLASSES)


def test_linear_flip_distance_rejects_mismatched_shapes_naming_nn_linear():
    with pytest.raises(ValueError, match=r"nn\.Linear's \.weight and \.bias"):
        hl.linear_flip_distance(torch.zeros(3, 4), torch.zeros(4), torch.zeros(2, 4), CLASSES)
    with pytest.raises(TypeError, match=r"torch\.as_tensor\(weight"):
        hl.linear_flip_distance([[1.0]], torch.zeros(1), torch.zeros(2, 1), CLASSES)


def test_gan_losses_reject_unknown_kinds_and_column_scores():
    with pytest.raises(ValueError, match="unknown kind 'wasserstein'.*'hinge', 'original'"):
        hl.gan_discriminator_loss(SCORES, SCORES, kind="wasserstein")
    with pytest.raises(ValueError, match=r"fake_scores\.squeeze\(1\)"):
        hl.gan_generator_loss(SCORES[:, None])
    with pytest.raises(ValueError, match=r"real_scores\.squeeze\(1\)"):
        hl.gan_discriminator_loss(SCORES[:, None], SCORES)


def test_ring_of_gaussians_needs_a_point_per_mode():
    with pytest.raises(ValueError, match="every mode needs at least one point"):
        hl.ring_of_gaussians(4, modes=8)
    with pytest.raises(ValueError, match="modes must be at least 1"):
        hl.ring_of_gaussians(10, modes=0)
    with pytest.raises(ValueError, match="std must be >= 0"):
        hl.ring_of_gaussians(10, std=-0.1)
