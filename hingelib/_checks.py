"""Input checks shared by the losses and the trainer.

Every check raises ``TypeError`` (wrong kind of object or dtype) or ``ValueError`` (wrong shape or
value) with a message that names the problem and the fix. None of them reinterprets its input.
"""

from __future__ import annotations

import torch

REDUCTIONS = ("none", "mean", "sum")


def check_choice(name: str, value: object, allowed: tuple[str, ...] | list[str]) -> str:
    """Return ``value`` if it is one of ``allowed``; otherwise raise naming the allowed values."""
    if value not in allowed:
        options = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"unknown {name} {value!r}; use one of {options}")
    return value  # type: ignore[return-value]


def check_margin(margin: float | torch.Tensor) -> float | torch.Tensor:
    """A margin Delta must be a finite number >= 0 (or a tensor of them)."""
    if isinstance(margin, bool) or not isinstance(margin, (int, float, torch.Tensor)):
        raise TypeError(f"margin must be a number such as 1.0, got {type(margin).__name__}")
    values = torch.as_tensor(margin, dtype=torch.float64)
    if not torch.isfinite(values).all():
        raise ValueError(f"margin must be finite, got {margin}")
    if (values < 0).any():
        raise ValueError(
            f"margin must be >= 0, got {margin}; the hinge max(0, margin - y*f(x)) "
            "needs a non-negative margin (use 1.0 for the standard SVM hinge)"
        )
    return margin


def check_tensor(name: str, x: object) -> torch.Tensor:
    if not isinstance(x, torch.Tensor):
        raise TypeError(
            f"{name} must be a torch.Tensor, got {type(x).__name__}; "
            f"convert with torch.as_tensor({name}, dtype=torch.float32)"
        )
    return x


def check_scores(scores: object, ndim: int) -> torch.Tensor:
    """Scores must be a floating tensor of ``ndim`` dimensions, non-empty and finite."""
    scores = check_tensor("scores", scores)
    if scores.dtype == torch.bool or not scores.is_floating_point():
        raise TypeError(
            f"scores must be floating point, got {scores.dtype}; the loss needs real-valued "
            "scores f(x) (convert with scores.float())"
        )
    if ndim == 1 and scores.ndim == 2 and scores.shape[1] == 1:
        raise ValueError(
            f"scores have shape {tuple(scores.shape)} but binary losses need shape (N,); "
            "with targets of shape (N,), y * s would silently broadcast to an (N, N) matrix. "
            "Flatten the scores with scores.squeeze(1) (or model(x).view(-1))"
        )
    if scores.ndim != ndim:
        shape = "(N,)" if ndim == 1 else "(N, K)"
        raise ValueError(f"scores must have shape {shape}, got {tuple(scores.shape)}")
    if scores.shape[0] == 0:
        raise ValueError("empty batch: scores has no samples; pass at least one sample")
    # One cheap reduction: a NaN or inf anywhere makes the sum non-finite. Only then (or when the
    # sum merely overflowed) is the element-wise test run.
    if not torch.isfinite(scores.detach().sum()) and not torch.isfinite(scores.detach()).all():
        raise ValueError(
            "scores contain NaN or infinite values; check the model's output "
            "(torch.isfinite(scores).all()) before computing the loss"
        )
    return scores


def check_binary_targets(targets: object, scores: torch.Tensor) -> torch.Tensor:
    """Targets must be labels in {-1, +1} shaped like the 1-D scores; returned in scores' dtype."""
    targets = check_tensor("targets", targets)
    if targets.dtype == torch.bool:
        raise TypeError(
            "targets are boolean; labels must be -1 or +1: convert with 2 * targets.float() - 1"
        )
    if targets.shape != scores.shape:
        raise ValueError(
            f"scores and targets must have the same shape (N,), got scores "
            f"{tuple(scores.shape)} and targets {tuple(targets.shape)}"
        )
    if not (targets.abs() == 1).all():
        values = torch.unique(targets.detach())
        hint = "; use labels -1 and +1"
        if set(values.tolist()) <= {0, 1}:
            hint = "; labels in {0, 1} must be converted to {-1, +1} with 2 * targets - 1"
        shown = values[:6].tolist()
        raise ValueError(f"targets must be -1 or +1, found values {shown}{hint}")
    return targets.to(scores.dtype)


def check_class_targets(targets: object, scores: torch.Tensor) -> torch.Tensor:
    """Targets must be integer class indices in [0, K), one per row of the (N, K) scores."""
    targets = check_tensor("targets", targets)
    if targets.dtype == torch.bool or targets.is_floating_point() or targets.is_complex():
        raise TypeError(
            f"multi-class targets must be integer class indices, got {targets.dtype}; "
            "convert with targets.long()"
        )
    n, k = scores.shape
    if targets.shape != (n,):
        raise ValueError(
            f"targets must have shape (N,) = ({n},) to match scores {tuple(scores.shape)}, "
            f"got {tuple(targets.shape)}"
        )
    if k < 2:
        raise ValueError(f"scores need at least 2 classes (columns), got {k}")
    low, high = int(targets.min()), int(targets.max())
    if low < 0 or high >= k:
        raise ValueError(
            f"targets must be class indices in [0, {k}), found values from {low} to {high}; "
            "renumber the classes 0..K-1 or give scores one column per class"
        )
    return targets.long()


def reduce(per_sample: torch.Tensor, reduction: str) -> torch.Tensor:
    """Apply a reduction: 'none' keeps the per-sample losses, 'mean' averages, 'sum' adds them."""
    if reduction == "mean":
        return per_sample.mean()
    if reduction == "sum":
        return per_sample.sum()
    return per_sample
