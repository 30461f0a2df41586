"""Binary losses against independent references: torch built-ins, scikit-learn, the seed text."""

import math

import pytest
import sklearn.metrics
import torch
import torch.nn.functional as F

import hingelib as hl

# the binary example of the source text (../shared/source/hinge_loss_section.md)
SEED_SCORES = torch.tensor([1.5, -0.5, 0.8, -1.2, 0.3])
SEED_LABELS = torch.tensor([1.0, -1.0, 1.0, -1.0, 1.0])


def random_batch(n=64, seed=0, dtype=torch.float64):
    generator = torch.Generator().manual_seed(seed)
    scores = 2 * torch.randn(n, generator=generator, dtype=dtype)
    labels = torch.where(torch.rand(n, generator=generator) < 0.5, 1.0, -1.0).to(dtype)
    return scores, labels


def test_seed_example_gives_the_per_sample_losses_and_mean_it_states():
    per_sample = hl.hinge_loss(SEED_SCORES, SEED_LABELS, reduction="none")
    torch.testing.assert_close(per_sample, torch.tensor([0.0, 0.5, 0.2, 0.0, 0.7]))
    torch.testing.assert_close(hl.hinge_loss(SEED_SCORES, SEED_LABELS), torch.tensor(0.28))
    torch.testing.assert_close(
        hl.hinge_loss(SEED_SCORES, SEED_LABELS, reduction="sum"), torch.tensor(1.4)
    )


@pytest.mark.parametrize("margin", [0.0, 0.5, 1.0, 2.5])
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_hinge_equals_margin_ranking_loss_against_zero(margin, reduction):
    scores, labels = random_batch()
    expected = F.margin_ranking_loss(
        scores, torch.zeros_like(scores), labels, margin=margin, reduction=reduction
    )
    actual = hl.hinge_loss(scores, labels, margin=margin, reduction=reduction)
    torch.testing.assert_close(actual, expected)


def test_hinge_equals_scikit_learn_binary_hinge_loss():
    scores, labels = random_batch(n=200, seed=1)
    expected = sklearn.metrics.hinge_loss(labels.numpy(), scores.numpy())
    assert hl.hinge_loss(scores, labels).item() == pytest.approx(expected, rel=1e-12)


def test_logistic_equals_soft_margin_loss_and_is_stable_for_huge_margins():
    scores, labels = random_batch(seed=2)
    torch.testing.assert_close(hl.logistic_loss(scores, labels), F.soft_margin_loss(scores, labels))
    big = torch.tensor([1000.0, -1000.0], dtype=torch.float64)
    per_sample = hl.logistic_loss(big, torch.tensor([-1.0, -1.0]), reduction="none")
    torch.testing.assert_close(per_sample, torch.tensor([1000.0, 0.0], dtype=torch.float64))


def test_squared_hinge_is_the_square_of_the_hinge_and_matches_its_docstring():
    scores, labels = random_batch(seed=3)
    hinge = hl.hinge_loss(scores, labels, reduction="none", margin=1.5)
    torch.testing.assert_close(
        hl.squared_hinge_loss(scores, labels, reduction="none", margin=1.5), hinge**2
    )
    value = hl.squared_hinge_loss(torch.tensor([2.0, 0.5, -1.0]), torch.tensor([1, 1, 1]))
    assert value.item() == pytest.approx((0 + 0.25 + 4) / 3)


def test_zero_one_counts_a_zero_score_as_a_mistake_and_perceptron_is_hinge_at_margin_zero():
    scores = torch.tensor([2.0, -0.5, 0.0, 1.0])
    labels = torch.tensor([1, 1, 1, -1])
    per_sample = hl.zero_one_loss(scores, labels, reduction="none")
    torch.testing.assert_close(per_sample, torch.tensor([0.0, 1.0, 1.0, 1.0]))
    s, y = random_batch(seed=4)
    torch.testing.assert_close(hl.perceptron_loss(s, y), hl.hinge_loss(s, y, margin=0.0))


def test_integer_labels_give_the_same_loss_as_float_labels():
    as_int = hl.hinge_loss(SEED_SCORES, SEED_LABELS.long())
    torch.testing.assert_close(as_int, hl.hinge_loss(SEED_SCORES, SEED_LABELS))


# --- gradients: the subgradient the book states -------------------------------------------------


def expected_hinge_gradient(scores, labels, margin, squared=False):
    """d/ds of the mean loss: -y/N (hinge) or -2y(margin - m)/N (squared) where m < margin."""
    m = labels * scores
    slope = 2 * (margin - m) if squared else torch.ones_like(m)
    return torch.where(m < margin, -labels * slope, torch.zeros_like(m)) / len(m)


@pytest.mark.parametrize("loss, squared", [(hl.hinge_loss, False), (hl.squared_hinge_loss, True)])
@pytest.mark.parametrize("margin", [0.5, 1.0, 2.0])
def test_autograd_gives_the_stated_subgradient_at_random_points(loss, squared, margin):
    scores, labels = random_batch(seed=5)
    scores.requires_grad_(True)
    loss(scores, labels, margin=margin).backward()
    torch.testing.assert_close(
        scores.grad, expected_hinge_gradient(scores, labels, margin, squared)
    )


@pytest.mark.parametrize("margin", [0.5, 1.0, 2.0])
def test_gradient_is_zero_exactly_at_the_kink_unlike_clamp_and_margin_ranking_loss(margin):
    labels = torch.tensor([1.0, -1.0, 1.0, -1.0], dtype=torch.float64)
    scores = (labels * margin).requires_grad_(True)  # every y f(x) == margin exactly
    hl.hinge_loss(scores, labels, margin=margin, reduction="sum").backward()
    assert torch.equal(scores.grad, torch.zeros_like(labels))
    # The common tutorial line and PyTorch's margin_ranking_loss pick -y at the same points.
    clamp_scores = scores.detach().clone().requires_grad_(True)
    torch.clamp(margin - labels * clamp_scores, min=0).sum().backward()
    assert torch.equal(clamp_scores.grad, -labels)
    ranking_scores = scores.detach().clone().requires_grad_(True)
    zeros = torch.zeros_like(labels)
    F.margin_ranking_loss(ranking_scores, zeros, labels, margin=margin, reduction="sum").backward()
    assert torch.equal(ranking_scores.grad, -labels)


def test_logistic_gradient_is_minus_y_sigmoid_of_minus_margin():
    scores, labels = random_batch(seed=6)
    scores.requires_grad_(True)
    hl.logistic_loss(scores, labels, reduction="sum").backward()
    expected = -labels * torch.sigmoid(-labels * scores.detach())
    torch.testing.assert_close(scores.grad, expected)


# --- modules and helpers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "module, function",
    [(hl.HingeLoss, hl.hinge_loss), (hl.SquaredHingeLoss, hl.squared_hinge_loss)],
)
def test_modules_call_their_function_with_the_stored_options(module, function):
    scores, labels = random_batch(seed=7)
    layer = module(margin=0.7, reduction="sum")
    torch.testing.assert_close(
        layer(scores, labels), function(scores, labels, margin=0.7, reduction="sum")
    )
    assert "margin=0.7" in repr(layer) and "'sum'" in repr(layer)


def test_loss_of_margin_matches_the_functions_on_positive_labels():
    m = torch.linspace(-3, 3, 61, dtype=torch.float64)
    ones = torch.ones_like(m)
    for name, function in [("hinge", hl.hinge_loss), ("squared_hinge", hl.squared_hinge_loss)]:
        expected = function(m, ones, margin=1.3, reduction="none")
        torch.testing.assert_close(hl.loss_of_margin(name, m, margin=1.3), expected)
    torch.testing.assert_close(hl.loss_of_margin("logistic", m), torch.log1p(torch.exp(-m)))
    assert hl.loss_of_margin("logistic", torch.tensor([0.0])).item() == pytest.approx(math.log(2))


@pytest.mark.parametrize("seed", range(3))
def test_modified_huber_matches_scikit_learns_loss_and_gradient(seed):
    from sklearn.linear_model._sgd_fast import ModifiedHuber

    scores, labels = random_batch(seed=seed)
    scores = (3 * scores).requires_grad_()  # margins well past -1, where the tangent takes over
    per_sample = hl.modified_huber_loss(scores, labels, reduction="none")
    (grad,) = torch.autograd.grad(per_sample.sum(), scores)
    reference = ModifiedHuber()
    pairs = zip(scores.tolist(), labels.tolist())
    expected = [(reference.py_loss(p, y), reference.py_dloss(p, y)) for p, y in pairs]
    torch.testing.assert_close(per_sample.detach(), torch.tensor([e[0] for e in expected]).double())
    torch.testing.assert_close(grad, torch.tensor([e[1] for e in expected]).double())


@pytest.mark.parametrize("margin", [0.5, 1.0, 2.0])
def test_modified_huber_is_the_squared_hinge_near_the_margin_and_linear_far_below(margin):
    m = torch.linspace(margin - 2, margin + 1, 31, dtype=torch.float64)
    ones = torch.ones_like(m)
    torch.testing.assert_close(
        hl.modified_huber_loss(m, ones, margin=margin, reduction="none"),
        hl.squared_hinge_loss(m, ones, margin=margin, reduction="none"),
    )
    far = torch.tensor([margin - 3.0, margin - 10.0], dtype=torch.float64, requires_grad=True)
    (grad,) = torch.autograd.grad(hl.modified_huber_loss(far, torch.ones(2), reduction="sum"), far)
    torch.testing.assert_close(grad, torch.full((2,), -4.0, dtype=torch.float64))
