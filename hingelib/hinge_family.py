"""The hinge beyond classifiers: Carlini and Wagner's margin attack, and the losses of GANs.

PyTorch ships the hinge losses of ranking, metric learning and multi-label classification (chapter 9
checks them against their formulas). Two members of the family it does not ship:

- **Carlini and Wagner's margin objective** (the untargeted form of their f_6, with kappa as in
  their L2 attack): with the multi-class margin ``m = s_y - max_{k != y} s_k`` of the scores
  s = f(x + delta),

      cw_margin = max(m, -kappa) = max(0, kappa + m) - kappa,

  a hinge that the attacker pays until another class wins by ``kappa``. Their L2 attack minimises
  ``||delta||^2 + c * cw_margin`` per sample, with Adam.
- **The GAN losses**, on the discriminator's raw scores D(x) of real points and D(G(z)) of generated
  ones. Hinge (Lim and Ye 2017; Miyato et al. 2018): D pays ``mean max(0, 1 - D(x)) + mean max(0,
  1 + D(G(z)))``, the binary hinge with y = +1 for real and -1 for generated points, and G pays
  ``-mean D(G(z))``. Original (Goodfellow et al. 2014): D pays the logistic loss the same way,
  ``mean softplus(-D(x)) + mean softplus(D(G(z)))``, and G the non-saturating
  ``mean softplus(-D(G(z)))``.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

from ._checks import (
    REDUCTIONS,
    check_choice,
    check_class_targets,
    check_int,
    check_number,
    check_scores,
    check_tensor,
)
from ._checks import reduce as _reduce
from .multiclass import margin_over_best_other

__all__ = [
    "GAN_LOSSES",
    "AttackResult",
    "cw_margin",
    "carlini_wagner_l2",
    "linear_flip_distance",
    "gan_discriminator_loss",
    "gan_generator_loss",
]

GAN_LOSSES = ("hinge", "original")


def cw_margin(scores, targets, *, kappa=0.0, reduction="none"):
    """Carlini and Wagner's untargeted objective: ``max(s_y - max_{k != y} s_k, -kappa)``.

    Args: scores (N, K) float, the logits; targets (N,) class indices in [0, K); kappa >= 0, how
        far another class must win before the attacker stops paying; reduction as for the losses.
    Returns: the reduced objective. Gradient: that of ``s_y - s_k`` (k the best other class) while
        the margin is above -kappa, 0 beyond.

    >>> cw_margin(torch.tensor([[3.0, 1.0, 2.5], [0.0, 2.0, 1.0]]), torch.tensor([0, 0]), kappa=1.0)
    tensor([ 0.5000, -1.0000])

    Reference: Carlini and Wagner (2017), Towards evaluating the robustness of neural networks.
    """
    check_choice("reduction", reduction, REDUCTIONS)
    kappa = check_number("kappa", kappa)
    scores = check_scores(scores, ndim=2)
    targets = check_class_targets(targets, scores)
    return _reduce(margin_over_best_other(scores, targets).clamp(min=-kappa), reduction)


@dataclass
class AttackResult:
    """What :func:`carlini_wagner_l2` found, per sample.

    x_adv: the closest flipping input found (x itself where none flipped); distance:
    ``||x_adv - x||_2`` (inf where none flipped); flipped: bool, another class won by more than
    kappa; c: the last constant tried.
    """

    x_adv: torch.Tensor
    distance: torch.Tensor
    flipped: torch.Tensor
    c: torch.Tensor


def carlini_wagner_l2(
    model, x, targets, *, c=1.0, kappa=0.0, steps=200, lr=0.05, bounds=None, search_steps=0
) -> AttackResult:
    """Carlini and Wagner's L2 attack: minimise ``||delta||^2 + c * cw_margin(model(x + delta))``.

    Adam on delta, from delta = 0, for ``steps`` steps; of all iterates where another class
    beats ``targets`` by more than kappa (for kappa = 0: the prediction changed), the closest to
    x is kept. With ``bounds=(lo, hi)``, x + delta =
    lo + (hi - lo) (tanh(w) + 1) / 2 stays in the box (their change of variables). After the run
    at ``c``, each of ``search_steps`` more runs restarts from x with a per-sample c: times 10
    until the sample flips, then bisection between the largest c that failed and the smallest
    that flipped (their binary search).

    Args: model maps (N, ...) inputs to (N, K) scores, each row depending on its own input only
        (no batch norm in training mode); x (N, ...) float; targets (N,) class indices; c > 0;
        kappa >= 0; steps >= 1; search_steps >= 0; lr > 0; bounds None or (lo, hi), lo < hi.
    Returns: an :class:`AttackResult`. An attack finds an upper bound on the smallest flipping
        perturbation, not the smallest itself: the objective follows the best other class in
        score, not necessarily the nearest in distance (it is not convex even for a linear
        model), and Adam's steps of about lr per coordinate set its resolution. The model's own
        gradients are left untouched.
    """
    x = check_tensor("x", x)
    if not x.is_floating_point() or x.ndim < 2:
        raise ValueError(f"x must be a float tensor (N, ...), got {x.dtype} {tuple(x.shape)}")
    kappa = check_number("kappa", kappa)
    c = torch.full((len(x),), check_number("c", c, positive=True), dtype=x.dtype)
    lr = check_number("lr", lr, positive=True)
    steps, search_steps = check_int("steps", steps, 1), check_int("search_steps", search_steps, 0)
    start, to_input = _box(x, bounds)
    with torch.no_grad():
        targets = check_class_targets(targets, check_scores(model(x), ndim=2, name="model(x)"))
    best = x.clone()
    distance = torch.full((len(x),), float("inf"), dtype=x.dtype)
    low, high = torch.zeros_like(c), torch.full_like(c, float("inf"))
    for _ in range(1 + search_steps):
        w = start.clone().requires_grad_(True)
        adam = torch.optim.Adam([w], lr=lr)
        flipped_now = torch.zeros(len(x), dtype=torch.bool)
        for _ in range(steps):
            x_adv = to_input(w)
            scores = model(x_adv)
            size = (x_adv - x).flatten(1).square().sum(1)
            with torch.no_grad():  # their test: another class wins by more than kappa
                flips = margin_over_best_other(scores, targets) < -kappa
                closer = flips & (size.sqrt() < distance)
                best[closer], distance[closer] = x_adv[closer], size[closer].sqrt()
                flipped_now |= flips
            objective = size + c * cw_margin(scores, targets, kappa=kappa)
            (w.grad,) = torch.autograd.grad(objective.sum(), w)
            adam.step()
        high = torch.where(flipped_now, torch.minimum(high, c), high)
        low = torch.where(flipped_now, low, torch.maximum(low, c))
        c = torch.where(high.isinf(), 10 * c, (low + high) / 2)
    return AttackResult(best, distance, distance.isfinite(), c)


def _box(x, bounds):
    """The start of the optimised variable and the map from it to the input."""
    if bounds is None:
        return torch.zeros_like(x), lambda delta: x + delta
    try:
        lo, hi = (float(b) for b in bounds)
    except (TypeError, ValueError):
        raise TypeError(
            f"bounds must be None or a pair of numbers (lo, hi), got {bounds!r}"
        ) from None
    if not -float("inf") < lo < hi < float("inf"):
        raise ValueError(f"bounds must be (lo, hi) with lo < hi, got {bounds}")
    if x.min() < lo or x.max() > hi:
        raise ValueError(
            f"x lies outside bounds {bounds} (from {x.min():.3g} to {x.max():.3g}); "
            "attack inputs inside the box, or widen it"
        )
    unit = (2 * (x - lo) / (hi - lo) - 1).clamp(-1 + 1e-6, 1 - 1e-6)  # atanh(+-1) is infinite
    return torch.atanh(unit), lambda w: lo + (hi - lo) * (torch.tanh(w) + 1) / 2


def linear_flip_distance(weight, bias, x, targets, *, kappa=0.0):
    """The smallest L2 change of x after which another class of a linear classifier beats the
    class ``targets`` by at least kappa (for kappa = 0: the argmax changes); no box.

    For scores s = W x + b the region where some class k has s_k - s_y >= kappa is a union of
    half-spaces, so the distance to it is ``min_{k != y} (s_y - s_k + kappa) / ||w_y - w_k||``,
    0 where x is already in it. The minimising k can change with kappa.

    Args: weight (K, d), bias (K,), x (N, d), targets (N,) class indices; kappa >= 0.
    Returns: (distance (N,), nearest other class (N,)).
    """
    kappa = check_number("kappa", kappa)
    weight, bias, x = (
        check_tensor(n, t) for n, t in (("weight", weight), ("bias", bias), ("x", x))
    )
    if weight.ndim != 2 or bias.shape != weight.shape[:1] or x.ndim != 2:
        raise ValueError(
            f"need weight (K, d), bias (K,) and x (N, d), got {tuple(weight.shape)}, "
            f"{tuple(bias.shape)} and {tuple(x.shape)} (nn.Linear's .weight and .bias fit)"
        )
    scores = x @ weight.T + bias
    targets = check_class_targets(targets, scores)
    gaps = scores.gather(1, targets[:, None]) - scores + kappa  # s_y - s_k + kappa, (N, K)
    norms = (weight[targets][:, None, :] - weight[None, :, :]).norm(dim=2)
    ratio = torch.where(norms > 0, gaps / norms, torch.where(gaps > 0, float("inf"), 0.0))
    ratio = ratio.masked_fill(F.one_hot(targets, len(weight)).bool(), float("inf"))
    distance, nearest = ratio.min(dim=1)
    return distance.clamp(min=0), nearest


def gan_discriminator_loss(real_scores, fake_scores, *, kind="hinge"):
    """The discriminator's loss on its scores of real and generated points (see the module doc).

    hinge: ``mean max(0, 1 - D(x)) + mean max(0, 1 + D(G(z)))``; original: ``mean softplus(-D(x))
    + mean softplus(D(G(z)))``, the binary cross-entropy of Goodfellow et al. (2014).

    >>> gan_discriminator_loss(torch.tensor([2.0, 0.5]), torch.tensor([-1.5, 0.0]))
    tensor(0.7500)
    """
    check_choice("kind", kind, GAN_LOSSES)
    real = check_scores(real_scores, ndim=1, name="real_scores")
    fake = check_scores(fake_scores, ndim=1, name="fake_scores")
    if kind == "hinge":
        return F.relu(1 - real).mean() + F.relu(1 + fake).mean()
    return F.softplus(-real).mean() + F.softplus(fake).mean()


def gan_generator_loss(fake_scores, *, kind="hinge"):
    """The generator's loss: hinge ``-mean D(G(z))``; original, non-saturating,
    ``mean softplus(-D(G(z)))`` (not the minimax ``-mean softplus(D(G(z)))``)."""
    check_choice("kind", kind, GAN_LOSSES)
    fake = check_scores(fake_scores, ndim=1, name="fake_scores")
    return -fake.mean() if kind == "hinge" else F.softplus(-fake).mean()
