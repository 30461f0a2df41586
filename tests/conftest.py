"""Shared settings: a non-interactive matplotlib backend and float64 helpers for exact checks."""

import matplotlib

matplotlib.use("Agg")
