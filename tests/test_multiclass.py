"""Multi-class hinge losses against PyTorch's MultiMarginLoss, scikit-learn and CS231n's example."""

import pytest
import sklearn.metrics
import torch
import torch.nn.functional as F

import hingelib as hl


def random_problem(n=50, k=4, seed=0):
    generator = torch.Generator().manual_seed(seed)
    scores = 3 * torch.randn(n, k, generator=generator, dtype=torch.float64)
    return scores, torch.randint(0, k, (n,), generator=generator)


def test_cs231n_example_gives_the_per_sample_losses_it_states():
    # CS231n's linear-classification notes: scores (3.2, 5.1, -1.7) for the true class 0 -> 2.9.
    scores = torch.tensor([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]])
    per_sample = hl.multiclass_hinge_loss(scores, torch.tensor([0, 1, 2]), reduction="none")
    torch.testing.assert_close(per_sample, torch.tensor([2.9, 0.0, 12.9]))


@pytest.mark.parametrize("k", [2, 3, 10])
@pytest.mark.parametrize("margin", [0.5, 1.0, 3.0])
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_weston_watkins_is_k_times_pytorch_multi_margin_loss(k, margin, reduction):
    scores, targets = random_problem(k=k, seed=k)
    ours = hl.multiclass_hinge_loss(scores, targets, margin=margin, reduction=reduction)
    theirs = F.multi_margin_loss(scores, targets, margin=margin, reduction=reduction)
    torch.testing.assert_close(ours, k * theirs)


@pytest.mark.parametrize("k", [3, 5])
def test_crammer_singer_equals_scikit_learn_multiclass_hinge_loss(k):
    scores, targets = random_problem(n=200, k=k, seed=10 + k)
    expected = sklearn.metrics.hinge_loss(targets.numpy(), scores.numpy(), labels=list(range(k)))
    ours = hl.multiclass_hinge_loss(scores, targets, variant="crammer_singer")
    assert ours.item() == pytest.approx(expected, rel=1e-12)


def test_weston_watkins_gradient_is_plus_one_per_violating_class_and_minus_count_on_true():
    scores, targets = random_problem(seed=3)
    scores.requires_grad_(True)
    hl.multiclass_hinge_loss(scores, targets, reduction="sum").backward()
    s = scores.detach()
    violating = (s - s.gather(1, targets[:, None]) + 1.0 > 0).double()
    violating[torch.arange(len(targets)), targets] = 0.0
    expected = violating.clone()
    expected[torch.arange(len(targets)), targets] = -violating.sum(dim=1)
    torch.testing.assert_close(scores.grad, expected)


def test_gradient_is_zero_for_a_class_exactly_on_its_margin_in_both_variants():
    # Class 1 sits exactly on the margin (s_1 - s_0 + 1 == 0): no term, no gradient.
    for variant in hl.MULTICLASS_VARIANTS:
        scores = torch.tensor([[2.0, 1.0, -5.0]], dtype=torch.float64, requires_grad=True)
        hl.multiclass_hinge_loss(scores, torch.tensor([0]), variant=variant).backward()
        assert torch.equal(scores.grad, torch.zeros_like(scores)), variant


def test_crammer_singer_gradient_goes_to_the_worst_wrong_class_only():
    scores = torch.tensor([[1.0, 1.5, 0.8, -2.0]], dtype=torch.float64, requires_grad=True)
    hl.multiclass_hinge_loss(scores, torch.tensor([0]), variant="crammer_singer").backward()
    torch.testing.assert_close(
        scores.grad, torch.tensor([[-1.0, 1.0, 0.0, 0.0]], dtype=torch.float64)
    )


def test_module_form_uses_the_stored_variant():
    scores, targets = random_problem(seed=4)
    layer = hl.MultiClassHingeLoss(margin=2.0, variant="crammer_singer", reduction="none")
    expected = hl.multiclass_hinge_loss(
        scores, targets, margin=2.0, variant="crammer_singer", reduction="none"
    )
    torch.testing.assert_close(layer(scores, targets), expected)
    assert "crammer_singer" in repr(layer)


def test_module_form_passes_p_2_on_and_matches_pytorch_multi_margin_loss():
    scores, targets = random_problem(k=4, seed=9)
    layer = hl.MultiClassHingeLoss(margin=1.5, p=2)
    module = torch.nn.MultiMarginLoss(p=2, margin=1.5)
    torch.testing.assert_close(layer(scores, targets), 4 * module(scores, targets))
    assert "p=2" in repr(layer)


@pytest.mark.parametrize("k", [2, 3, 10])
@pytest.mark.parametrize("margin", [0.5, 1.0, 3.0])
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_squared_weston_watkins_is_k_times_pytorch_multi_margin_loss_with_p_2(k, margin, reduction):
    scores, targets = random_problem(k=k, seed=20 + k)
    ours = hl.multiclass_hinge_loss(scores, targets, margin=margin, reduction=reduction, p=2)
    module = torch.nn.MultiMarginLoss(p=2, margin=margin, reduction=reduction)
    torch.testing.assert_close(ours, k * module(scores, targets))


def test_squared_variants_square_each_hinge_term_and_their_gradients_match_pytorch():
    scores, targets = random_problem(seed=7)
    cs = hl.multiclass_hinge_loss(scores, targets, variant="crammer_singer", reduction="none")
    cs_2 = hl.multiclass_hinge_loss(
        scores, targets, variant="crammer_singer", reduction="none", p=2
    )
    torch.testing.assert_close(cs_2, cs**2)
    ours, theirs = (scores.clone().requires_grad_(True) for _ in range(2))
    hl.multiclass_hinge_loss(ours, targets, p=2).backward()
    (4 * F.multi_margin_loss(theirs, targets, p=2)).backward()  # K = 4
    torch.testing.assert_close(ours.grad, theirs.grad)


@pytest.mark.parametrize("p", [0, 3, True, 1.5])
def test_module_form_rejects_a_power_other_than_1_or_2_and_names_both(p):
    with pytest.raises(ValueError, match=r"p must be 1 \(the hinge\) or 2"):
        hl.MultiClassHingeLoss(p=p)
