"""Margins of a linear classifier ``f(x) = w^T x + b``: the quantities the chapters plot.

functional margin  m_i = y_i f(x_i)
geometric margin   m_i / ||w||      (signed distance of x_i to the boundary f(x) = 0)
margin width       2 * margin / ||w||   (distance between f(x) = -margin and f(x) = +margin)
support vectors    the points with dual weight alpha_i > 0 (chapter 1); at the SVM's optimum they
                   are among the points with m_i <= margin, which ``support_vectors`` returns
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
    """Boolean mask (n,) of the points with ``y f(x) <= margin + tol``: on the margin or inside it.

    At the SVM's optimum this set holds every support vector (dual weight alpha_i > 0): the points
    with ``m < margin`` have alpha_i = C, and those on the margin may have any alpha_i in [0, C], so
    a margin point with alpha_i = 0 is returned too. Away from the optimum it is just the points
    that meet their margin at most, the ones the hinge's gradient (``m < margin``) and its kink see.
    """
    return functional_margins(weight, bias, X, y) <= check_margin(margin) + tol
