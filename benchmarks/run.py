"""Measured ratios for hingelib's speed goals; run with `make bench`. Prints, never asserts.

Each comparison alternates the two runs (ours, reference, ours, ...) after a warm-up, so that drift
in the machine's speed hits both alike; it prints the medians of each and of the per-pair ratios.
Goals (from the hingelib issue):
  hinge_loss fwd+bwd, N = 10^6, checks included / bare F.relu(margin - y*s).mean()  <= 1.5x
  Weston-Watkins fwd+bwd, N = 10^5, K = 10 / K * F.multi_margin_loss                 <= 1.5x
  fit_linear, 64 weight decays in one batched run / one weight decay                 <= 3x
  decision_boundary_explorer, slider change to redraw, 200 points (explorer_latency.py) <= 100 ms
  the website's explorers in Chromium, 200 points (explorer_frames.py): frame interval median
  <= 17 ms while playing, a drag redrawn within one frame, <= 100 KB added per page
  and, reported without a goal, the explorer grid's exact solve time (one thread) and worst gap
"""

from __future__ import annotations

import statistics
import time

import torch
import torch.nn.functional as F
from explorer_frames import bench_explorer_frames
from explorer_latency import bench_explorer
from sklearn.svm import SVC

import hingelib as hl


def seconds(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def compare(ours, reference, repeats=101, warmup=5):
    """Median seconds of ``ours`` and ``reference`` and the median of their paired ratios."""
    for _ in range(warmup):
        ours(), reference()
    pairs = [(seconds(ours), seconds(reference)) for _ in range(repeats)]
    ours_times, reference_times = zip(*pairs)
    ratio = statistics.median(a / b for a, b in pairs)
    return statistics.median(ours_times), statistics.median(reference_times), ratio


def forward_backward(loss_fn, scores, *args):
    def run():
        scores.grad = None
        loss_fn(scores, *args).backward()

    return run


def report(name, ours, reference, ratio, goal=None):
    if goal is None:
        verdict = "reported, no goal"
    else:
        verdict = f"goal <= {goal}x: " + ("meets" if ratio <= goal else "MISSES")
    print(f"{name:<58} {ours * 1e3:9.2f} ms {reference * 1e3:9.2f} ms {ratio:6.2f}x  ({verdict})")


def bench_binary(n=10**6, margin=1.0):
    generator = torch.Generator().manual_seed(0)
    scores = torch.randn(n, generator=generator).requires_grad_(True)
    labels = torch.where(torch.rand(n, generator=generator) < 0.5, 1.0, -1.0)
    bare = forward_backward(lambda s, y: F.relu(margin - y * s).mean(), scores, labels)
    ours = forward_backward(hl.hinge_loss, scores, labels)
    report(f"hinge_loss fwd+bwd, N={n:.0e} / bare relu expression", *compare(ours, bare), 1.5)


def bench_multiclass(n=10**5, k=10):
    generator = torch.Generator().manual_seed(0)
    scores = torch.randn(n, k, generator=generator).requires_grad_(True)
    targets = torch.randint(0, k, (n,), generator=generator)
    torch_ww = forward_backward(lambda s, t: k * F.multi_margin_loss(s, t), scores, targets)
    ours = forward_backward(hl.multiclass_hinge_loss, scores, targets)
    name = f"Weston-Watkins fwd+bwd, N={n:.0e}, K={k} / K * multi_margin_loss"
    report(name, *compare(ours, torch_ww), 1.5)


def svc_objective(X, y, weight_decay) -> float:
    """The primal objective weight_decay/2 ||w||^2 + mean hinge at scikit-learn's SVC solution."""
    svc = SVC(kernel="linear", C=1 / (len(y) * weight_decay), tol=1e-8).fit(X.numpy(), y.numpy())
    w, b = torch.tensor(svc.coef_[0]), float(svc.intercept_[0])
    hinge = torch.relu(1 - hl.functional_margins(w, b, X, y)).mean()
    return weight_decay / 2 * float(w @ w) + float(hinge)


def epochs_to_reach(objective, reference, rel=1e-3) -> int:
    """First epoch from which the objective stays within ``rel`` of the reference (-1: never)."""
    outside = torch.nonzero(objective > reference * (1 + rel))
    last_outside = int(outside[-1, 0]) if len(outside) else -1
    return last_outside + 1 if last_outside + 1 < len(objective) else -1


def bench_training(n=200, weight_decay=0.01, path_size=64, max_epochs=4000):
    X, y = hl.overlapping_blobs(n, seed=0)
    X64 = X.double()

    def pegasos(lam, epochs):
        return hl.fit_linear(X, y, weight_decay=lam, schedule="pegasos", epochs=epochs)

    svc_one = timed(lambda: svc_objective(X64, y, weight_decay))
    probe = pegasos(weight_decay, max_epochs)
    epochs = epochs_to_reach(probe.objective, svc_objective(X64, y, weight_decay))
    print(f"fit_linear (pegasos), weight decay {weight_decay}: within 1e-3 of SVC from {epochs}")
    one = timed(lambda: pegasos(weight_decay, epochs))
    report(
        f"one fit_linear ({epochs} epochs) / sklearn SVC fit, n={n}", one, svc_one, one / svc_one
    )

    path = torch.logspace(-3, 0, path_size, dtype=torch.float64)
    references = torch.tensor([svc_objective(X64, y, float(lam)) for lam in path])
    probe = pegasos(path, max_epochs)
    needed = [epochs_to_reach(probe.objective[:, i], references[i]) for i in range(path_size)]
    if min(needed) < 0:
        print(f"  {needed.count(-1)} of the path's fits miss 1e-3 within {max_epochs} epochs")
        return
    epochs = max(needed)
    print(f"{path_size}-value path {path[0]:.0e}..{path[-1]:.0e}: all within 1e-3 by {epochs}")
    batched = timed(lambda: pegasos(path, epochs))
    single = timed(lambda: pegasos(weight_decay, epochs))
    name = f"{path_size}-value path, one batched run / one fit, {epochs} epochs each"
    report(name, batched, single, batched / single, 3.0)
    svc_path = timed(lambda: [svc_objective(X64, y, float(lam)) for lam in path], repeats=3)
    name = "  per model on the path / one SVC fit per model"
    report(name, batched / path_size, svc_path / path_size, batched / svc_path)


def timed(run, repeats=5) -> float:
    """Median seconds of ``repeats`` runs after one warm-up run."""
    run()
    return statistics.median(seconds(run) for _ in range(repeats))


if __name__ == "__main__":
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    print(f"{'benchmark':<58} {'ours':>12} {'reference':>12} {'ratio':>7}")
    bench_binary()
    bench_multiclass()
    bench_training()
    bench_explorer()
    bench_explorer_frames()
