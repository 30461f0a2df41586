"""Properties every loss must have for every input, checked with hypothesis.

Scores come from two strategies. ``FLOATS`` are any floats in [-1e3, 1e3]. ``GRID`` values are
multiples of 1/8 in [-500, 500]: their sums, differences and squares are exact in float64, so a
statement such as "the loss is zero exactly when every margin is met" can be tested with ``==``
and samples can sit exactly on the kink ``y * s == margin``.
"""

from __future__ import annotations

import math
from functools import partial

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import hingelib as hl

DTYPE = torch.float64
FLOATS = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
GRID = st.integers(-4000, 4000).map(lambda i: i / 8)
MARGINS = st.floats(0.0, 10.0, allow_nan=False)
GRID_MARGINS = st.integers(0, 80).map(lambda i: i / 8)

BINARY = {
    "hinge": hl.hinge_loss,
    "squared_hinge": hl.squared_hinge_loss,
    "logistic": hl.logistic_loss,
    "perceptron": hl.perceptron_loss,
    "zero_one": hl.zero_one_loss,
}
WITH_MARGIN = ("hinge", "squared_hinge")
VARIANTS = hl.MULTICLASS_VARIANTS  # weston_watkins, crammer_singer
ALL_LOSSES = (*BINARY, *VARIANTS)
MARGIN_LOSSES = (*WITH_MARGIN, *VARIANTS)

property_test = settings(max_examples=200, deadline=None)


def loss_function(name: str, margin: float = 1.0):
    """The loss ``name`` as a function of (scores, targets, reduction=...)."""
    if name in VARIANTS:
        return partial(hl.multiclass_hinge_loss, variant=name, margin=margin)
    if name in WITH_MARGIN:
        return partial(BINARY[name], margin=margin)
    return BINARY[name]


@st.composite
def binary_batches(draw, values=FLOATS, kink_margin=None, max_size=20):
    """Scores (N,) and labels (N,) in {-1, +1}; with ``kink_margin``, some y*s sit on it."""
    n = draw(st.integers(1, max_size))
    scores = draw(st.lists(values, min_size=n, max_size=n))
    labels = draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=n, max_size=n))
    if kink_margin is not None:
        on_kink = draw(st.lists(st.booleans(), min_size=n, max_size=n))
        scores = [y * kink_margin if k else s for s, y, k in zip(scores, labels, on_kink)]
    return torch.tensor(scores, dtype=DTYPE), torch.tensor(labels, dtype=DTYPE)


@st.composite
def class_batches(draw, values=FLOATS, kink_margin=None, max_size=10, max_classes=5):
    """Scores (N, K) and class indices (N,); with ``kink_margin``, some s_c - s_k sit on it."""
    n = draw(st.integers(1, max_size))
    k = draw(st.integers(2, max_classes))
    scores = torch.tensor(draw(st.lists(values, min_size=n * k, max_size=n * k)), dtype=DTYPE)
    scores = scores.reshape(n, k)
    targets = torch.tensor(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
    if kink_margin is not None:
        on_kink = draw(st.lists(st.booleans(), min_size=n * k, max_size=n * k))
        on_kink = torch.tensor(on_kink).reshape(n, k)
        on_kink[torch.arange(n), targets] = False
        true_score = scores[torch.arange(n), targets][:, None]
        scores = torch.where(on_kink, true_score - kink_margin, scores)
    return scores, targets


def batches(name: str, **options):
    return class_batches(**options) if name in VARIANTS else binary_batches(**options)


all_losses = pytest.mark.parametrize("name", ALL_LOSSES)
margin_losses = pytest.mark.parametrize("name", MARGIN_LOSSES)


# Sign and zeros -------------------------------------------------------------------------------


@all_losses
@property_test
@given(data=st.data(), margin=MARGINS)
def test_every_loss_is_non_negative_per_sample(name, data, margin):
    scores, targets = data.draw(batches(name))
    losses = loss_function(name, margin)(scores, targets, reduction="none")
    assert (losses >= 0).all()


def margins_met(name: str, scores: torch.Tensor, targets: torch.Tensor, margin: float):
    """Per sample: is every margin met? Binary ``y * s >= margin``; multi-class
    ``s_c - s_k >= margin`` for every wrong class k. Written with plain Python floats."""
    if name not in VARIANTS:
        return [y * s >= margin for s, y in zip(scores.tolist(), targets.tolist())]
    return [
        all(row[c] - s >= margin for k, s in enumerate(row) if k != c)
        for row, c in zip(scores.tolist(), targets.tolist())
    ]


@margin_losses
@property_test
@given(data=st.data(), margin=GRID_MARGINS)
def test_margin_losses_are_zero_exactly_when_every_margin_is_met(name, data, margin):
    scores, targets = data.draw(batches(name, values=GRID, kink_margin=margin))
    loss = loss_function(name, margin)
    met = torch.tensor(margins_met(name, scores, targets, margin))
    per_sample = loss(scores, targets, reduction="none")
    assert ((per_sample == 0) == met).all()
    assert ((per_sample > 0) == ~met).all()
    assert (loss(scores, targets, reduction="mean") == 0) == bool(met.all())


# Reductions and permutations ------------------------------------------------------------------


@all_losses
@property_test
@given(data=st.data())
def test_reductions_agree_with_the_per_sample_losses(name, data):
    scores, targets = data.draw(batches(name))
    loss = loss_function(name)
    per_sample = loss(scores, targets, reduction="none")
    assert per_sample.shape == (scores.shape[0],)
    torch.testing.assert_close(loss(scores, targets, reduction="sum"), per_sample.sum())
    torch.testing.assert_close(loss(scores, targets, reduction="mean"), per_sample.mean())


@all_losses
@property_test
@given(data=st.data())
def test_losses_are_invariant_to_permuting_the_samples(name, data):
    scores, targets = data.draw(batches(name))
    order = torch.tensor(data.draw(st.permutations(range(scores.shape[0]))))
    loss = loss_function(name)
    for reduction in ("mean", "sum"):
        torch.testing.assert_close(
            loss(scores[order], targets[order], reduction=reduction),
            loss(scores, targets, reduction=reduction),
        )
    torch.testing.assert_close(
        loss(scores[order], targets[order], reduction="none"),
        loss(scores, targets, reduction="none")[order],
    )  # not bit-exact: torch's softplus can differ by 1 ulp between vectorised and tail lanes


# Surrogates of the 0-1 loss -------------------------------------------------------------------

UPPER_BOUNDS_OF_ZERO_ONE = {
    "hinge (margin 1)": lambda s, y: hl.hinge_loss(s, y, margin=1.0, reduction="none"),
    "squared hinge (margin 1)": lambda s, y: hl.squared_hinge_loss(s, y, reduction="none"),
    "logistic / ln 2": lambda s, y: hl.logistic_loss(s, y, reduction="none") / math.log(2),
}


@pytest.mark.parametrize(
    "surrogate", UPPER_BOUNDS_OF_ZERO_ONE.values(), ids=list(UPPER_BOUNDS_OF_ZERO_ONE)
)
@property_test
@given(batch=binary_batches(kink_margin=0.0))
def test_surrogate_bounds_the_zero_one_loss_from_above(surrogate, batch):
    scores, targets = batch
    assert (surrogate(scores, targets) >= hl.zero_one_loss(scores, targets, reduction="none")).all()


def test_perceptron_loss_does_not_bound_the_zero_one_loss_at_a_zero_score():
    """At m = y f(x) = 0 the prediction counts as wrong (0-1 loss 1), but the perceptron pays 0."""
    scores, targets = torch.tensor([0.0]), torch.tensor([1.0])
    assert hl.perceptron_loss(scores, targets).item() == 0.0
    assert hl.zero_one_loss(scores, targets).item() == 1.0


# Multi-class ----------------------------------------------------------------------------------


@property_test
@given(batch=class_batches(), margin=MARGINS)
def test_weston_watkins_lies_between_crammer_singer_and_k_minus_one_times_it(batch, margin):
    """Every WW term is at most the CS term (the worst wrong class), and there are K - 1 terms."""
    scores, targets = batch
    k = scores.shape[1]
    ww = hl.multiclass_hinge_loss(scores, targets, margin=margin, reduction="none")
    cs = hl.multiclass_hinge_loss(
        scores, targets, margin=margin, reduction="none", variant="crammer_singer"
    )
    assert (ww >= cs).all()
    assert (ww <= (k - 1) * cs * (1 + 1e-12)).all()  # slack for the rounding of the sum


@property_test
@given(batch=class_batches(max_classes=2), margin=MARGINS)
def test_with_two_classes_weston_watkins_equals_crammer_singer(batch, margin):
    scores, targets = batch
    losses = [
        hl.multiclass_hinge_loss(scores, targets, margin=margin, reduction="none", variant=v)
        for v in VARIANTS
    ]
    torch.testing.assert_close(*losses, rtol=0, atol=0)


@property_test
@given(batch=class_batches(max_classes=2), margin=MARGINS)
def test_two_class_weston_watkins_is_the_binary_hinge_of_the_score_difference(batch, margin):
    """With f = s1 - s0 and y = +1 for class 1, -1 for class 0:
    max(0, s_other - s_c + Delta) = max(0, Delta - y f)."""
    scores, targets = batch
    f = scores[:, 1] - scores[:, 0]
    y = 2.0 * targets.to(DTYPE) - 1
    torch.testing.assert_close(
        hl.multiclass_hinge_loss(scores, targets, margin=margin, reduction="none"),
        hl.hinge_loss(f, y, margin=margin, reduction="none"),
        rtol=0,
        atol=0,
    )


@property_test
@given(batch=binary_batches(), margin=MARGINS)
def test_symmetric_two_class_scores_double_the_margin_and_the_hinge(batch, margin):
    """Scores (-f, f) put the class scores 2 f apart: WW with margin 2 Delta = 2 * hinge(Delta)."""
    f, y = batch
    scores = torch.stack([-f, f], dim=1)
    classes = (y > 0).long()
    torch.testing.assert_close(
        hl.multiclass_hinge_loss(scores, classes, margin=2 * margin, reduction="none"),
        2 * hl.hinge_loss(f, y, margin=margin, reduction="none"),
        rtol=0,
        atol=0,
    )


# Gradient -------------------------------------------------------------------------------------


@property_test
@given(data=st.data(), margin=GRID_MARGINS)
def test_mean_hinge_gradient_is_minus_y_over_n_inside_the_margin_and_zero_elsewhere(data, margin):
    """Zero also on the kink y * s == margin, where the subgradient 0 is chosen."""
    scores, targets = data.draw(binary_batches(values=GRID, kink_margin=margin))
    scores.requires_grad_(True)
    hl.hinge_loss(scores, targets, margin=margin).backward()
    n = scores.shape[0]
    inside = targets * scores.detach() < margin
    expected = torch.where(inside, -targets / n, torch.zeros_like(targets))
    torch.testing.assert_close(scores.grad, expected, rtol=0, atol=0)
