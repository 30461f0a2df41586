"""Seeded 2-D toy data sets: float32 features ``X`` (n, 2) and labels ``y``.

Binary sets have float32 labels in {-1, +1}; the 3-class set has int64 labels in {0, 1, 2}.
Every generator takes ``seed=`` and draws from its own ``torch.Generator``: nothing global is
seeded, and the same seed gives the same points on every run.
"""

from __future__ import annotations

import math

import torch

from ._checks import check_int

__all__ = ["two_blobs", "overlapping_blobs", "blobs_with_outliers", "three_class_blobs"]


def _check_n(n: int, classes: int) -> int:
    try:
        return check_int("n", n, minimum=classes)
    except ValueError as error:
        raise ValueError(f"{error}; every class needs at least one point") from None


def _blobs(centres: torch.Tensor, n: int, std: float, seed: int):
    """``n`` points split as evenly as possible over ``centres``, shuffled; labels are indices."""
    generator = torch.Generator().manual_seed(seed)
    labels = torch.arange(n) % len(centres)
    labels = labels[torch.randperm(n, generator=generator)]
    noise = torch.randn(n, centres.shape[1], generator=generator)
    return (centres[labels] + std * noise).float(), labels


def two_blobs(n: int = 100, *, seed: int = 0, centre=(2.0, 2.0), std: float = 1.0):
    """The classic separable pair: +1 around ``centre``, -1 around ``-centre``, unit variance."""
    centre = torch.tensor(centre, dtype=torch.float64)
    X, index = _blobs(torch.stack([centre, -centre]), _check_n(n, 2), std, seed)
    return X, 1.0 - 2.0 * index.float()  # index 0 -> +1, index 1 -> -1


def overlapping_blobs(n: int = 100, *, seed: int = 0):
    """Two blobs at (0.75, 0.75) and (-0.75, -0.75), unit variance: no line separates them."""
    return two_blobs(n, seed=seed, centre=(0.75, 0.75))


def blobs_with_outliers(n: int = 100, *, n_outliers: int = 5, seed: int = 0):
    """:func:`two_blobs` with ``n_outliers`` points deep inside the -1 blob labelled +1.

    The mislabelled points are the -1 points farthest from the boundary x1 + x2 = 0, the
    confident mistakes that separate the hinge, squared hinge and logistic losses.
    """
    X, y = two_blobs(n, seed=seed)
    negatives = torch.nonzero(y < 0).squeeze(1)
    if not 0 <= check_int("n_outliers", n_outliers) <= len(negatives):
        raise ValueError(f"n_outliers must be between 0 and {len(negatives)}, got {n_outliers}")
    depth = -(X[negatives].sum(dim=1))  # distance-like depth inside the -1 side
    flipped = negatives[torch.argsort(depth, descending=True)[:n_outliers]]
    y = y.clone()
    y[flipped] = 1.0
    return X, y


def three_class_blobs(n: int = 150, *, seed: int = 0, radius: float = 2.5, std: float = 1.0):
    """Three blobs on a circle of ``radius`` at angles 90, 210 and 330 degrees; labels 0, 1, 2."""
    angles = torch.tensor([90.0, 210.0, 330.0], dtype=torch.float64) * math.pi / 180
    centres = radius * torch.stack([angles.cos(), angles.sin()], dim=1)
    return _blobs(centres, _check_n(n, 3), std, seed)
