"""Multi-class hinge losses on scores ``s`` of shape (N, K) with class-index targets ``c``.

Weston-Watkins (the textbook and CS231n form) adds up every wrong class that comes within the
margin; Crammer-Singer charges only the worst wrong class:

    WW:  sum_{k != c} max(0, s_k - s_c + margin) ** p
    CS:  max(0, margin + max_{k != c} s_k - s_c) ** p

with p = 1 (the hinge) or p = 2 (its square). PyTorch's ``F.multi_margin_loss`` is Weston-Watkins
divided by K (the number of classes, wrong or not), for p = 1 and p = 2 alike; scikit-learn's
``hinge_loss`` with more than two classes is Crammer-Singer with p = 1.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from ._checks import REDUCTIONS, check_choice, check_class_targets, check_margin, check_scores
from ._checks import reduce as _reduce

__all__ = ["multiclass_hinge_loss", "MULTICLASS_VARIANTS"]

MULTICLASS_VARIANTS = ("weston_watkins", "crammer_singer")


def multiclass_hinge_loss(
    scores, targets, *, margin=1.0, reduction="mean", variant="weston_watkins", p=1
):
    """Multi-class hinge loss; per sample WW or CS as in the module docstring.

    Args:
        scores: float tensor (N, K), one column per class.
        targets: integer tensor (N,) of class indices in [0, K).
        margin: Delta >= 0.
        reduction: 'none' gives the (N,) losses, 'mean' their average, 'sum' their total.
        variant: 'weston_watkins' (no division by K) or 'crammer_singer'.
        p: 1 for the hinge, 2 for the squared hinge (``nn.MultiMarginLoss(p=2)`` times K).
    Returns:
        The reduced loss. Subgradient: a wrong class k within the margin gets +1 (WW) and the
        true class -1 per such k; a class exactly on its margin gets 0. Under CS, ties for the
        worst wrong class share the +1 equally.

    >>> import torch
    >>> s = torch.tensor([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0]])
    >>> multiclass_hinge_loss(s, torch.tensor([0, 1]), reduction="none")
    tensor([2.9000, 0.0000])
    >>> multiclass_hinge_loss(s, torch.tensor([0, 1]), reduction="none", p=2)
    tensor([8.4100, 0.0000])

    References: Weston and Watkins (1999); Crammer and Singer (2001).
    """
    check_choice("reduction", reduction, REDUCTIONS)
    check_choice("variant", variant, MULTICLASS_VARIANTS)
    margin = check_margin(margin)
    if isinstance(p, bool) or p not in (1, 2):
        raise ValueError(f"p must be 1 (the hinge) or 2 (the squared hinge), got {p!r}")
    scores = check_scores(scores, ndim=2)
    targets = check_class_targets(targets, scores)
    per_sample = per_sample_multiclass_hinge(scores, targets, margin, variant, p=p)
    return _reduce(per_sample, reduction)


def per_sample_multiclass_hinge(scores, targets, margin, variant, p=1) -> torch.Tensor:
    """The (N,) per-sample losses on checked input; the trainer calls this directly."""
    true_score = scores.gather(1, targets[:, None])
    is_true = F.one_hot(targets, scores.shape[1]).bool()
    if variant == "weston_watkins":
        per_class = F.relu(scores - true_score + margin).masked_fill(is_true, 0.0)
        return (per_class if p == 1 else per_class.square()).sum(dim=1)
    hinge = F.relu(margin - margin_over_best_other(scores, targets))
    return hinge if p == 1 else hinge.square()


def margin_over_best_other(scores, targets) -> torch.Tensor:
    """The multi-class margin ``s_y - max_{k != y} s_k`` (N,) on checked input: positive when
    the true class wins. Crammer-Singer's hinge is ``max(0, margin - m)``; Carlini and Wagner's
    attack (``hinge_family``) drives it below ``-kappa``."""
    is_true = F.one_hot(targets, scores.shape[1]).bool()
    best_other = scores.masked_fill(is_true, float("-inf")).amax(dim=1)
    return scores.gather(1, targets[:, None])[:, 0] - best_other
