"""Margins of a linear classifier ``f(x) = w^T x + b``: the quantities the chapters plot.

functional margin  m_i = y_i f(x_i)
geometric margin   m_i / ||w||      (signed distance of x_i to the boundary f(x) = 0)
margin width       2 * margin / ||w||   (distance between f(x) = -margin and f(x) = +margin)
support vectors    the points with m_i <= margin (+ tol): on the margin or violating it
"""

from __future__ import annotations

import torch

from ._checks import check_margin

__all__ = ["functional_margins", "geometric_margins", "margin_width", "support_vectors"]


def functional_margins(weight, bias, X, y) -> torch.Tensor:
    """``y * (X @ weight + bias)`` for one weight (d,) and bias: the margins m_i, shape (n,)."""
    weight = torch.as_tensor(weight, dtype=X.dtype)
    return y.to(X.dtype) * (X @ weight + torch.as_tensor(bias, dtype=X.dtype))


def geometric_margins(weight, bias, X, y) -> torch.Tensor:
    """Signed distances ``y f(x) / ||w||`` of the points to the decision boundary."""
    norm = torch.linalg.vector_norm(torch.as_tensor(weight, dtype=X.dtype))
    if norm == 0:
        raise ValueError("weight is zero, so there is no decision boundary to measure from")
    return functional_margins(weight, bias, X, y) / norm


def margin_width(weight, *, margin=1.0) -> float:
    """Width ``2 * margin / ||w||`` of the band between the two margin lines (inf if w = 0)."""
    norm = float(torch.linalg.vector_norm(torch.as_tensor(weight, dtype=torch.float64)))
    return 2 * check_margin(margin) / norm if norm > 0 else float("inf")


def support_vectors(weight, bias, X, y, *, margin=1.0, tol=1e-3) -> torch.Tensor:
    """Boolean mask (n,) of the points with ``y f(x) <= margin + tol``.

    These are the only points with a non-zero hinge subgradient (or exactly on the margin,
    where the subgradient is 0 but the SVM dual still gives them weight).
    """
    return functional_margins(weight, bias, X, y) <= check_margin(margin) + tol
