"""Input checks shared by the losses, the trainer and the data generators.

Every check raises ``TypeError`` (wrong kind of object or dtype) or ``ValueError`` (wrong shape or
value) with a message that names the argument, the problem and the fix. None reinterprets input.
"""

from __future__ import annotations

import torch

REDUCTIONS = ("none", "mean", "sum")


def check_choice(name: str, value: object, allowed, why: str = "") -> str:
    """Return ``value`` if it is one of ``allowed``; otherwise raise naming the allowed values."""
    if not isinstance(value, str) or value not in allowed:
        options = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"unknown {name} {value!r}{why}; use one of {options}")
    return value


def check_int(name: str, value: object, minimum: int | None = None) -> int:
    """A Python int, >= ``minimum`` if one is given."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return value


def check_number(name: str, value: object, *, positive: bool = False) -> float:
    """A finite Python number (or 0-d tensor) that is >= 0, or > 0 when ``positive``."""
    is_scalar_tensor = isinstance(value, torch.Tensor) and value.ndim == 0
    if isinstance(value, bool) or not (isinstance(value, (int, float)) or is_scalar_tensor):
        raise TypeError(f"{name} must be a single number such as 1.0, got {value!r}")
    number = float(value)
    bound = "> 0" if positive else ">= 0"
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"{name} must be a finite number {bound}, got {number}")
    if number < 0 or (positive and number == 0):
        raise ValueError(f"{name} must be {bound}, got {number}")
    return number


def check_margin(margin: object) -> float:
    """The margin Delta of ``max(0, Delta - y f(x))``: one finite number >= 0."""
    try:
        return check_number("margin", margin)
    except ValueError as error:
        raise ValueError(
            f"{error}; the hinge max(0, margin - y*f(x)) needs a finite margin >= 0 "
            "(use 1.0 for the standard SVM hinge)"
        ) from None


def check_tensor(name: str, x: object, dtype: str = "torch.float32") -> torch.Tensor:
    if not isinstance(x, torch.Tensor):
        raise TypeError(
            f"{name} must be a torch.Tensor, got {type(x).__name__}; "
            f"convert with torch.as_tensor({name}, dtype={dtype})"
        )
    return x


def check_scores(scores: object, ndim: int, name: str = "scores") -> torch.Tensor:
    """Scores must be a floating tensor of ``ndim`` dimensions, non-empty and finite."""
    scores = check_tensor(name, scores)
    if scores.dtype == torch.bool or not scores.is_floating_point():
        raise TypeError(
            f"{name} must be floating point, got {scores.dtype}; convert with {name}.float()"
        )
    if ndim == 1 and scores.ndim == 2 and scores.shape[1] == 1:
        raise ValueError(
            f"{name} have shape {tuple(scores.shape)} but binary losses need shape (N,); "
            "with targets of shape (N,), y * s would silently broadcast to an (N, N) matrix. "
            f"Flatten with {name}.squeeze(1) (or model(x).view(-1))"
        )
    if scores.ndim != ndim:
        shape = "(N,)" if ndim == 1 else "(N, K)"
        raise ValueError(f"{name} must have shape {shape}, got {tuple(scores.shape)}")
    if scores.shape[0] == 0:
        raise ValueError(f"empty batch: {name} has no samples; pass at least one sample")
    # One cheap reduction: a NaN or inf anywhere makes the sum non-finite. Only then (or when the
    # sum merely overflowed) is the element-wise test run.
    if not torch.isfinite(scores.detach().sum()) and not torch.isfinite(scores.detach()).all():
        raise ValueError(
            f"{name} contain NaN or infinite values; check where they come from "
            f"(torch.isfinite({name}).all()) before computing the loss"
        )
    return scores


def check_binary_targets(
    targets: object, scores: torch.Tensor, name: str = "targets", scores_name: str = "scores"
) -> torch.Tensor:
    """Labels in {-1, +1}, one per score; returned in the scores' dtype."""
    targets = check_tensor(name, targets)
    if targets.dtype == torch.bool:
        raise TypeError(
            f"{name} is boolean; labels must be -1 or +1: convert with 2 * {name}.float() - 1"
        )
    if targets.shape != scores.shape:
        raise ValueError(
            f"{scores_name} and {name} must have the same shape (N,), got "
            f"{tuple(scores.shape)} and {tuple(targets.shape)}; flatten with .view(-1) "
            "or check that both come from the same batch"
        )
    smallest, largest = torch.aminmax(targets.detach().abs())  # one fast pass: all |y| == 1?
    if smallest != 1 or largest != 1:
        values = torch.unique(targets.detach())
        hint = "; use labels -1 and +1"
        if set(values.tolist()) <= {0, 1}:
            hint = f"; labels in {{0, 1}} must be converted to {{-1, +1}} with 2 * {name} - 1"
        raise ValueError(f"{name} must be -1 or +1, found values {values[:6].tolist()}{hint}")
    return targets.to(scores.dtype)


def check_class_indices(targets: object, name: str = "targets") -> torch.Tensor:
    """An integer tensor (of class indices)."""
    targets = check_tensor(name, targets, dtype="torch.long")
    if targets.dtype == torch.bool or targets.is_floating_point() or targets.is_complex():
        raise TypeError(
            f"multi-class {name} must be integer class indices, got {targets.dtype}; "
            f"convert with {name}.long()"
        )
    return targets


def check_class_targets(
    targets: object, scores: torch.Tensor, name: str = "targets", scores_name: str = "scores"
) -> torch.Tensor:
    """Integer class indices in [0, K), one per row of the (N, K) scores."""
    targets = check_class_indices(targets, name)
    n, k = scores.shape
    if targets.shape != (n,):
        raise ValueError(
            f"{name} must have shape (N,) = ({n},) to match {scores_name} "
            f"{tuple(scores.shape)}, got {tuple(targets.shape)}"
        )
    if k < 2:
        raise ValueError(f"{scores_name} need at least 2 classes (columns), got {k}")
    low, high = int(targets.min()), int(targets.max())
    if low < 0 or high >= k:
        raise ValueError(
            f"{name} must be class indices in [0, {k}), found values from {low} to {high}; "
            f"renumber the classes 0..K-1 or give {scores_name} one column per class"
        )
    return targets.long()


def reduce(per_sample: torch.Tensor, reduction: str) -> torch.Tensor:
    """Apply a reduction: 'none' keeps the per-sample losses, 'mean' averages, 'sum' adds them."""
    if reduction == "mean":
        return per_sample.mean()
    if reduction == "sum":
        return per_sample.sum()
    return per_sample
