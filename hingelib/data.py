"""Seeded 2-D toy data sets: float32 features ``X`` (n, 2) and labels ``y``.

Binary sets have float32 labels in {-1, +1}; the 3-class set has int64 labels in {0, 1, 2}, and
:func:`ring_of_gaussians`, the usual target of a 2-D GAN, the int64 index of each point's mode.
:func:`two_moons` is the one set that no line separates even without noise.
Every generator takes ``seed=`` and draws from its own ``torch.Generator``: nothing global is
seeded, and the same seed gives the same points on every run.
"""

from __future__ import annotations

import math

import torch

from ._checks import check_int, check_number

__all__ = [
    "two_blobs",
    "overlapping_blobs",
    "blobs_with_outliers",
    "three_class_blobs",
    "two_moons",
    "ring_of_gaussians",
]


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


def two_moons(n: int = 200, *, noise: float = 0.1, seed: int = 0):
    """Two interleaved half circles, scikit-learn's ``make_moons`` drawn in torch.

    Without noise, ``n // 2`` points sit evenly spaced on the upper half circle
    (cos t, sin t), t in [0, pi], labelled +1, and the rest on the lower one
    (1 - cos t, 1/2 - sin t), labelled -1; the points are shuffled, then every
    coordinate gets Gaussian noise of standard deviation ``noise``.
    """
    n, noise = _check_n(n, 2), check_number("noise", noise)
    generator = torch.Generator().manual_seed(seed)
    upper = torch.linspace(0, math.pi, n // 2, dtype=torch.float64)
    lower = torch.linspace(0, math.pi, n - n // 2, dtype=torch.float64)
    X = torch.cat(
        [
            torch.stack([upper.cos(), upper.sin()], dim=1),
            torch.stack([1 - lower.cos(), 0.5 - lower.sin()], dim=1),
        ]
    )
    y = torch.cat([torch.ones(n // 2), -torch.ones(n - n // 2)])
    order = torch.randperm(n, generator=generator)
    X = X[order] + noise * torch.randn(n, 2, generator=generator, dtype=torch.float64)
    return X.float(), y[order]


def ring_of_gaussians(
    n: int = 1000, *, modes: int = 8, radius: float = 2.0, std: float = 0.05, seed: int = 0
):
    """A mixture of ``modes`` Gaussians of standard deviation ``std``, equally weighted, with means
    ``radius (cos 2 pi k / modes, sin 2 pi k / modes)``: the usual 2-D target of a GAN.

    Returns: X (n, 2) float32 and the mode index k (n,) of each point, int64; the n points are
    split as evenly as possible over the modes.
    """
    modes = check_int("modes", modes, minimum=1)
    radius, std = check_number("radius", radius), check_number("std", std)
    angles = torch.arange(modes, dtype=torch.float64) * 2 * math.pi / modes
    centres = radius * torch.stack([angles.cos(), angles.sin()], dim=1)
    try:
        n = check_int("n", n, minimum=modes)
    except ValueError as error:
        raise ValueError(f"{error}; every mode needs at least one point") from None
    return _blobs(centres, n, std, seed)
