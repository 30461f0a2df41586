"""Thin ``torch.nn.Module`` wrappers: the module holds the options, the function the maths."""

from __future__ import annotations

import torch

from ._checks import REDUCTIONS, check_choice, check_margin
from .losses import hinge_loss, squared_hinge_loss
from .multiclass import MULTICLASS_VARIANTS, multiclass_hinge_loss

__all__ = ["HingeLoss", "SquaredHingeLoss", "MultiClassHingeLoss"]


class HingeLoss(torch.nn.Module):
    """Module form of :func:`hingelib.hinge_loss`: ``HingeLoss(margin=1.0)(scores, targets)``."""

    loss_function = staticmethod(hinge_loss)

    def __init__(self, *, margin: float = 1.0, reduction: str = "mean"):
        super().__init__()
        self.margin = check_margin(margin)
        self.reduction = check_choice("reduction", reduction, REDUCTIONS)

    def forward(self, scores: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        return self.loss_function(scores, targets, margin=self.margin, reduction=self.reduction)

    def extra_repr(self) -> str:
        return f"margin={self.margin}, reduction={self.reduction!r}"


class SquaredHingeLoss(HingeLoss):
    """Module form of :func:`hingelib.squared_hinge_loss`."""

    loss_function = staticmethod(squared_hinge_loss)


class MultiClassHingeLoss(HingeLoss):
    """Module form of :func:`hingelib.multiclass_hinge_loss` (Weston-Watkins by default)."""

    def __init__(self, *, margin=1.0, reduction="mean", variant="weston_watkins", p=1):
        super().__init__(margin=margin, reduction=reduction)
        self.variant = check_choice("variant", variant, MULTICLASS_VARIANTS)
        if isinstance(p, bool) or p not in (1, 2):
            raise ValueError(f"p must be 1 (the hinge) or 2 (the squared hinge), got {p!r}")
        self.p = p

    def forward(self, scores: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        return multiclass_hinge_loss(
            scores,
            targets,
            margin=self.margin,
            reduction=self.reduction,
            variant=self.variant,
            p=self.p,
        )

    def extra_repr(self) -> str:
        return f"{super().extra_repr()}, variant={self.variant!r}, p={self.p}"
