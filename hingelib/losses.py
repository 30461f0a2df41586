"""Binary classification losses as functions of the margin ``m = y * f(x)``.

Labels are ``y`` in {-1, +1}; scores ``f(x)`` are raw real numbers. Each public function checks its
input, forms ``m = targets * scores`` and applies one of the per-margin formulas below, which the
trainer also uses: one place for each formula.

Subgradient at the kink: where ``m == margin`` exactly, the hinge and squared hinge have gradient 0
(the point meets its margin and does not move the parameters). ``F.relu`` picks 0 there;
``torch.clamp(margin - m, min=0)`` and ``F.margin_ranking_loss`` pick ``-y`` instead.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from ._checks import REDUCTIONS, check_binary_targets, check_choice, check_margin, check_scores
from ._checks import reduce as _reduce

__all__ = [
    "hinge_loss",
    "squared_hinge_loss",
    "logistic_loss",
    "perceptron_loss",
    "modified_huber_loss",
    "zero_one_loss",
    "BINARY_LOSSES",
    "loss_of_margin",
]


def _hinge(m: torch.Tensor, margin) -> torch.Tensor:
    return F.relu(margin - m)  # relu's gradient is 0 at the kink m == margin


def _squared_hinge(m: torch.Tensor, margin) -> torch.Tensor:
    return F.relu(margin - m).square()


def _logistic(m: torch.Tensor, margin) -> torch.Tensor:
    return F.softplus(-m)  # log(1 + exp(-m)) without overflow; no margin parameter


def _perceptron(m: torch.Tensor, margin) -> torch.Tensor:
    return F.relu(-m)  # the hinge with margin 0


def _modified_huber(m: torch.Tensor, margin) -> torch.Tensor:
    # the squared hinge up to two units below the margin, then its tangent: slope -4, as the hinge's
    # linear tail but four times as steep (scikit-learn's 'modified_huber' at margin 1)
    return torch.where(m >= margin - 2, F.relu(margin - m).square(), 4 * (margin - 1 - m))


def _zero_one(m: torch.Tensor, margin) -> torch.Tensor:
    return (m <= 0).to(m.dtype)  # a score of exactly 0 is not a correct prediction


#: Per-margin formulas ``(m, margin) -> per-sample loss`` by name, as ``fit_linear(loss=...)`` and
#: ``plot_losses`` accept them. The logistic, perceptron and 0-1 losses have no margin parameter
#: and ignore it (in ``fit_linear`` it then only decides which points count as violators).
BINARY_LOSSES = {
    "hinge": _hinge,
    "squared_hinge": _squared_hinge,
    "logistic": _logistic,
    "perceptron": _perceptron,
    "modified_huber": _modified_huber,
    "zero_one": _zero_one,
}


def loss_of_margin(name: str, m: torch.Tensor, *, margin=1.0) -> torch.Tensor:
    """Per-sample loss ``name`` at margins ``m = y f(x)``, for plots: no label checks."""
    check_choice("loss", name, tuple(BINARY_LOSSES))
    return BINARY_LOSSES[name](m, check_margin(margin))


def _binary(name, scores, targets, margin, reduction):
    check_choice("reduction", reduction, REDUCTIONS)
    margin = check_margin(margin)
    scores = check_scores(scores, ndim=1)
    targets = check_binary_targets(targets, scores)
    return _reduce(BINARY_LOSSES[name](targets * scores, margin), reduction)


def hinge_loss(scores, targets, *, margin=1.0, reduction="mean"):
    """Binary hinge loss, per sample ``max(0, margin - y * f(x))``.

    Args:
        scores: float tensor (N,) of raw scores f(x).
        targets: tensor (N,) of labels in {-1, +1}.
        margin: Delta >= 0; 1.0 is the SVM hinge.
        reduction: 'none' gives the (N,) losses, 'mean' their average, 'sum' their total.
    Returns:
        The reduced loss. Gradient: ``-y`` where ``y f(x) < margin``, else 0 (0 at the kink).

    The source text's example (margins 1.5, 0.5, 0.8, 1.2, 0.3; losses 0, 0.5, 0.2, 0, 0.7):

    >>> hinge_loss(torch.tensor([1.5, -0.5, 0.8, -1.2, 0.3]), torch.tensor([1, -1, 1, -1, 1]))
    tensor(0.2800)

    Reference: Cortes and Vapnik (1995), Support-vector networks.
    """
    return _binary("hinge", scores, targets, margin, reduction)


def squared_hinge_loss(scores, targets, *, margin=1.0, reduction="mean"):
    """Squared hinge loss, per sample ``max(0, margin - y * f(x))**2``.

    Differentiable everywhere: gradient ``-2 y max(0, margin - y f(x))``, which grows with the
    violation and is 0 at the kink. Args and reductions as in :func:`hinge_loss`.

    >>> squared_hinge_loss(torch.tensor([2.0, 0.5, -1.0]), torch.tensor([1, 1, 1]))
    tensor(1.4167)
    """
    return _binary("squared_hinge", scores, targets, margin, reduction)


def logistic_loss(scores, targets, *, reduction="mean"):
    """Logistic loss on raw scores, per sample ``log(1 + exp(-y * f(x)))``, computed stably.

    This is binary cross-entropy on the logit f(x) with labels written as {-1, +1}, the same as
    ``F.soft_margin_loss``. Gradient ``-y * sigmoid(-y f(x))``: never exactly 0.

    >>> logistic_loss(torch.tensor([0.0]), torch.tensor([1]))
    tensor(0.6931)
    """
    return _binary("logistic", scores, targets, 0.0, reduction)


def perceptron_loss(scores, targets, *, reduction="mean"):
    """Perceptron loss, per sample ``max(0, -y * f(x))``: the hinge with margin 0.

    >>> perceptron_loss(torch.tensor([2.0, -0.5]), torch.tensor([1, 1]))
    tensor(0.2500)
    """
    return _binary("perceptron", scores, targets, 0.0, reduction)


def modified_huber_loss(scores, targets, *, margin=1.0, reduction="mean"):
    """Modified Huber loss (a smoothed hinge), per sample ``max(0, margin - m)**2`` where
    ``m = y * f(x) >= margin - 2`` and ``4 * (margin - 1 - m)`` below: the squared hinge near the
    margin, continued by its tangent line, so it is differentiable everywhere yet grows only
    linearly for confident mistakes. At ``margin=1`` this is scikit-learn's
    ``SGDClassifier(loss='modified_huber')``. Args and reductions as in :func:`hinge_loss`.

    >>> modified_huber_loss(torch.tensor([0.5, -3.0]), torch.tensor([1, 1]))
    tensor(6.1250)

    Reference: Zhang (2004), Solving large scale linear prediction problems using stochastic
    gradient descent algorithms.
    """
    return _binary("modified_huber", scores, targets, margin, reduction)


def zero_one_loss(scores, targets, *, reduction="mean"):
    """0-1 loss, per sample ``1 if y * f(x) <= 0 else 0``: the error rate under 'mean'.

    Piecewise constant, so its gradient is 0 almost everywhere: it is measured, never trained on.

    >>> zero_one_loss(torch.tensor([2.0, -0.5, 0.0, 1.0]), torch.tensor([1, 1, 1, -1]))
    tensor(0.7500)
    """
    return _binary("zero_one", scores, targets, 0.0, reduction)
