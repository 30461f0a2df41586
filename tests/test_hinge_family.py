"""hingelib.hinge_family against independent references.

Carlini and Wagner's objective against a per-sample loop; their attack on linear classifiers
against the closed-form smallest flipping perturbation (and, for two classes, chapter 1's geometric
margin); the GAN losses against PyTorch's ``F.margin_ranking_loss`` and
``F.binary_cross_entropy_with_logits`` and against hingelib's binary hinge and logistic losses.
"""

import math

import pytest
import torch
import torch.nn.functional as F

import hingelib as hl


def generator(seed):
    return torch.Generator().manual_seed(seed)


def linear_model(classes, features, seed):
    torch.manual_seed(seed)
    return torch.nn.Linear(features, classes)


@pytest.fixture(scope="module")
def linear_problem():
    model = linear_model(10, 64, seed=0)
    x = torch.randn(40, 64, generator=generator(1))
    with torch.no_grad():
        y = model(x).argmax(1)  # every point classified "right": the attack has work to do
    return model, x, y


def cw_loop(scores, targets, kappa):
    out = []
    for row, t in zip(scores.tolist(), targets.tolist()):
        best_other = max(s for k, s in enumerate(row) if k != t)
        out.append(max(row[t] - best_other, -kappa))
    return torch.tensor(out)


@pytest.mark.parametrize("kappa", [0.0, 0.5, 3.0])
def test_cw_margin_is_the_clipped_multiclass_margin_of_a_loop(kappa):
    scores = 2 * torch.randn(200, 7, generator=generator(2))
    targets = torch.randint(0, 7, (200,), generator=generator(3))
    ours = hl.cw_margin(scores, targets, kappa=kappa)
    torch.testing.assert_close(ours, cw_loop(scores, targets, kappa))
    assert (ours == -kappa).any() and (ours > 0).any()  # both regions are exercised
    torch.testing.assert_close(
        hl.cw_margin(scores, targets, kappa=kappa, reduction="sum"), ours.sum()
    )


def test_cw_margin_is_a_hinge_on_the_margin_shifted_by_kappa():
    """max(m, -kappa) = max(0, kappa + m) - kappa, and for two classes m = s_y - s_other."""
    scores = torch.randn(100, 2, generator=generator(4))
    targets = torch.randint(0, 2, (100,), generator=generator(5))
    m = scores.gather(1, targets[:, None]).squeeze(1) - scores.gather(
        1, 1 - targets[:, None]
    ).squeeze(1)
    torch.testing.assert_close(hl.cw_margin(scores, targets, kappa=0.7), F.relu(0.7 + m) - 0.7)


def test_cw_margin_gradient_is_that_of_the_true_minus_the_best_other_score_then_zero():
    scores = torch.tensor([[2.0, 1.5, -1.0], [0.0, 3.0, 1.0]], requires_grad=True)
    hl.cw_margin(scores, torch.tensor([0, 0]), kappa=1.0, reduction="sum").backward()
    # row 0: margin 0.5 > -1, gradient +1 at y, -1 at the best other class; row 1: margin -3, none
    torch.testing.assert_close(scores.grad, torch.tensor([[1.0, -1.0, 0.0], [0.0, 0.0, 0.0]]))


def test_linear_flip_distance_is_the_geometric_margin_for_two_classes():
    model = linear_model(2, 5, seed=6)
    x = torch.randn(50, 5, generator=generator(7))
    with torch.no_grad():
        y = model(x).argmax(1)
        distance, nearest = hl.linear_flip_distance(model.weight, model.bias, x, y)
        w = model.weight[1] - model.weight[0]  # the binary score f = s_1 - s_0
    geometric = hl.geometric_margins(w, model.bias[1] - model.bias[0], x, 2.0 * y - 1)
    torch.testing.assert_close(distance, geometric)
    assert (nearest == 1 - y).all()


def test_linear_flip_distance_is_reached_and_not_beaten(linear_problem):
    model, x, y = linear_problem
    with torch.no_grad():
        distance, nearest = hl.linear_flip_distance(model.weight, model.bias, x, y)
        # one step of (1 + 1e-4) times the distance towards the nearest hyperplane flips
        g = model.weight[y] - model.weight[nearest]
        x_flip = x - (1 + 1e-4) * distance[:, None] * g / g.norm(dim=1, keepdim=True)
        assert (model(x_flip).argmax(1) != y).all()
        # 200 random directions at 0.999 times the distance never flip
        for seed in range(200):
            u = torch.randn(x.shape, generator=generator(100 + seed))
            x_near = x + 0.999 * distance[:, None] * u / u.norm(dim=1, keepdim=True)
            assert (model(x_near).argmax(1) == y).all()


def test_linear_flip_distance_with_kappa_reaches_a_class_that_wins_by_kappa(linear_problem):
    model, x, y = linear_problem
    with torch.no_grad():
        plain, _ = hl.linear_flip_distance(model.weight, model.bias, x, y)
        distance, nearest = hl.linear_flip_distance(model.weight, model.bias, x, y, kappa=2.0)
        g = model.weight[y] - model.weight[nearest]
        x_far = x - (1 + 1e-4) * distance[:, None] * g / g.norm(dim=1, keepdim=True)
        assert (hl.cw_margin(model(x_far), y, kappa=10.0) < -2.0).all()
        for seed in range(100):  # nothing nearer wins by kappa
            u = torch.randn(x.shape, generator=generator(300 + seed))
            x_near = x + 0.999 * distance[:, None] * u / u.norm(dim=1, keepdim=True)
            assert (hl.cw_margin(model(x_near), y, kappa=10.0) > -2.0).all()
    assert (distance > plain).all()


def test_linear_flip_distance_is_zero_for_a_misclassified_point():
    weight, bias = torch.eye(2), torch.zeros(2)
    distance, _ = hl.linear_flip_distance(
        weight, bias, torch.tensor([[0.0, 1.0]]), torch.tensor([0])
    )
    assert distance.item() == 0.0


def test_carlini_wagner_on_a_linear_model_comes_within_its_resolution_of_the_closed_form(
    linear_problem,
):
    """Within Adam's resolution of the distance to the class it reached; of the nearest class
    too, except where the runner-up in score is not the nearest in distance."""
    model, x, y = linear_problem
    with torch.no_grad():
        exact, nearest = hl.linear_flip_distance(model.weight, model.bias, x, y)
    result = hl.carlini_wagner_l2(model, x, y, c=1.0, steps=300, lr=0.01, search_steps=6)
    assert result.flipped.all()
    torch.testing.assert_close(result.distance, (result.x_adv - x).norm(dim=1))
    with torch.no_grad():
        scores, reached = model(x), model(result.x_adv).argmax(1)
        g = model.weight[y] - model.weight[reached]
        gap = scores.gather(1, y[:, None]) - scores.gather(1, reached[:, None])
        to_reached = gap.squeeze(1) / g.norm(dim=1)
    assert (reached != y).all()
    assert (result.distance >= exact - 1e-5).all()  # an attack can only be above the smallest
    assert (result.distance >= to_reached - 1e-5).all()
    # Adam's steps of about lr per coordinate limit how close it lands: lr * sqrt(64) = 0.08
    closeness = result.distance - to_reached
    assert closeness.median() < 1e-3 and closeness.max() < 0.08
    # The objective follows the best other class in score, which the max makes non-convex:
    # here 4 of 40 points end at a class other than the nearest, farther away
    elsewhere = reached != nearest
    assert 0 < elsewhere.sum() <= 8 and (to_reached[elsewhere] > exact[elsewhere]).all()
    close = ~elsewhere
    assert (result.distance[close] - exact[close]).max() < 0.08


def test_carlini_wagner_search_finds_smaller_perturbations_than_one_large_c(linear_problem):
    model, x, y = linear_problem
    once = hl.carlini_wagner_l2(model, x, y, c=100.0, steps=200, lr=0.01)
    searched = hl.carlini_wagner_l2(model, x, y, c=100.0, steps=200, lr=0.01, search_steps=5)
    assert once.flipped.all() and searched.flipped.all()
    assert (searched.distance <= once.distance + 1e-6).all()
    assert searched.distance.median() < once.distance.median()
    assert (searched.c < 100.0).all()  # every sample flipped at c = 100, so c was bisected down


def test_carlini_wagner_reports_no_flip_when_c_is_too_small(linear_problem):
    model, x, y = linear_problem
    with torch.no_grad():
        exact, _ = hl.linear_flip_distance(model.weight, model.bias, x, y)
    far = exact > 0.2  # Adam's first step, lr per coordinate whatever c, flips nearer points
    result = hl.carlini_wagner_l2(model, x[far], y[far], c=1e-6, steps=50, lr=0.01)
    assert far.sum() >= 20 and not result.flipped.any() and result.distance.isinf().all()
    torch.testing.assert_close(result.x_adv, x[far])


def test_carlini_wagner_in_a_box_stays_in_the_box_and_leaves_the_models_gradients_alone():
    model = linear_model(3, 16, seed=8)
    x = 16 * torch.rand(30, 16, generator=generator(9))
    x[:, :4] = 0.0  # pixels on the box's edge, as in the digits
    with torch.no_grad():
        y = model(x).argmax(1)
    result = hl.carlini_wagner_l2(
        model, x, y, c=10.0, steps=200, lr=0.05, bounds=(0, 16), search_steps=3
    )
    assert result.flipped.all()
    assert result.x_adv.min() >= 0.0 and result.x_adv.max() <= 16.0
    assert all(p.grad is None for p in model.parameters())


def test_carlini_wagner_with_kappa_keeps_only_inputs_where_another_class_wins_by_kappa(
    linear_problem,
):
    model, x, y = linear_problem
    plain = hl.carlini_wagner_l2(model, x, y, c=10.0, steps=300, lr=0.01, search_steps=4)
    sure = hl.carlini_wagner_l2(model, x, y, c=10.0, kappa=1.0, steps=300, lr=0.01, search_steps=4)
    assert plain.flipped.all() and sure.flipped.all()
    with torch.no_grad():
        margin = hl.cw_margin(model(sure.x_adv), y, kappa=10.0)
        reached = model(sure.x_adv).argmax(1)
        g = (model.weight[y] - model.weight[reached]).norm(dim=1)
    assert (margin < -1.0).all() and (margin > -1.0 - 0.2).all()
    # a linear score moves by ||w_y - w_k|| per unit of distance: kappa costs about 1 / ||g||
    extra = sure.distance - plain.distance
    assert (extra > 0).all()
    assert ((extra * g - 1.0).abs() < 0.2).float().mean() > 0.8


def test_hinge_discriminator_loss_is_two_margin_ranking_losses_and_twice_the_binary_hinge():
    real = 2 * torch.randn(64, generator=generator(10))
    fake = 2 * torch.randn(64, generator=generator(11))
    zeros, ones = torch.zeros(64), torch.ones(64)
    ours = hl.gan_discriminator_loss(real, fake, kind="hinge")
    theirs = F.margin_ranking_loss(real, zeros, ones, margin=1.0) + F.margin_ranking_loss(
        fake, zeros, -ones, margin=1.0
    )
    torch.testing.assert_close(ours, theirs)
    both, labels = torch.cat([real, fake]), torch.cat([ones, -ones])
    torch.testing.assert_close(ours, 2 * hl.hinge_loss(both, labels))  # equal batches


def test_original_discriminator_loss_is_binary_cross_entropy_and_twice_the_logistic_loss():
    real = 3 * torch.randn(50, generator=generator(12))
    fake = 3 * torch.randn(50, generator=generator(13))
    ours = hl.gan_discriminator_loss(real, fake, kind="original")
    bce = F.binary_cross_entropy_with_logits
    theirs = bce(real, torch.ones(50)) + bce(fake, torch.zeros(50))
    torch.testing.assert_close(ours, theirs)
    both, labels = torch.cat([real, fake]), torch.cat([torch.ones(50), -torch.ones(50)])
    torch.testing.assert_close(ours, 2 * hl.logistic_loss(both, labels))


def test_unequal_batches_average_each_side_separately():
    real, fake = torch.tensor([0.0, 2.0, 2.0, 2.0]), torch.tensor([0.0])
    assert hl.gan_discriminator_loss(real, fake).item() == pytest.approx(0.25 + 1.0)


def test_generator_losses_hinge_is_minus_the_mean_score_original_is_non_saturating_bce():
    fake = torch.randn(40, generator=generator(14))
    torch.testing.assert_close(hl.gan_generator_loss(fake), -fake.mean())
    bce = F.binary_cross_entropy_with_logits(fake, torch.ones(40))
    torch.testing.assert_close(hl.gan_generator_loss(fake, kind="original"), bce)


def test_hinge_discriminator_ignores_points_beyond_its_margin():
    real = torch.tensor([2.0, 0.5, 1.0], requires_grad=True)
    fake = torch.tensor([-3.0, -0.2], requires_grad=True)
    hl.gan_discriminator_loss(real, fake).backward()
    torch.testing.assert_close(real.grad, torch.tensor([0.0, -1 / 3, 0.0]))  # 0 at the kink
    torch.testing.assert_close(fake.grad, torch.tensor([0.0, 0.5]))


def test_ring_of_gaussians_has_its_modes_on_the_circle_with_the_given_spread():
    X, mode = hl.ring_of_gaussians(8000, modes=8, radius=2.0, std=0.05, seed=0)
    assert X.shape == (8000, 2) and X.dtype == torch.float32 and mode.dtype == torch.int64
    assert torch.bincount(mode).tolist() == [1000] * 8
    angles = torch.arange(8) * 2 * math.pi / 8
    centres = 2.0 * torch.stack([angles.cos(), angles.sin()], dim=1)
    for k in range(8):
        points = X[mode == k]
        torch.testing.assert_close(points.mean(0), centres[k], atol=0.01, rtol=0)
        torch.testing.assert_close(points.std(0), torch.full((2,), 0.05), atol=0.005, rtol=0)
    again, _ = hl.ring_of_gaussians(8000, seed=0)
    other, _ = hl.ring_of_gaussians(8000, seed=1)
    assert torch.equal(X, again) and not torch.equal(X, other)
