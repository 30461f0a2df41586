"""Measured ratios for hingelib's speed goals; run with `make bench`. Prints, never asserts.

Each timing is the median of several repeats after a warm-up, on the current torch thread count.
Goals (from the hingelib issue):
  hinge_loss fwd+bwd, N = 10^6, checks included / bare F.relu(margin - y*s).mean()  <= 1.5x
  Weston-Watkins fwd+bwd, N = 10^5, K = 10 / K * F.multi_margin_loss                 <= 1.5x
  fit_linear, 64 weight decays in one batched run / one weight decay                 <= 3x
"""

from __future__ import annotations

import statistics
import time

import torch
import torch.nn.functional as F
from sklearn.svm import SVC

import hingelib as hl


def median_seconds(run, repeats=15, warmup=3) -> float:
    for _ in range(warmup):
        run()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def forward_backward(loss_fn, scores, *args):
    def run():
        scores.grad = None
        loss_fn(scores, *args).backward()

    return run


def report(name, ours, reference, goal):
    ratio = ours / reference
    verdict = "meets" if ratio <= goal else "MISSES"
    print(f"{name:<58} {ours * 1e3:9.2f} ms {reference * 1e3:9.2f} ms {ratio:6.2f}x"
          f"  (goal <= {goal}x: {verdict})")  # fmt: skip


def bench_binary(n=10**6, margin=1.0):
    generator = torch.Generator().manual_seed(0)
    scores = torch.randn(n, generator=generator).requires_grad_(True)
    labels = torch.where(torch.rand(n, generator=generator) < 0.5, 1.0, -1.0)
    bare = median_seconds(
        forward_backward(lambda s, y: F.relu(margin - y * s).mean(), scores, labels)
    )
    ours = median_seconds(forward_backward(hl.hinge_loss, scores, labels))
    report(f"hinge_loss fwd+bwd, N={n:.0e} / bare relu expression", ours, bare, 1.5)


def bench_multiclass(n=10**5, k=10):
    generator = torch.Generator().manual_seed(0)
    scores = torch.randn(n, k, generator=generator).requires_grad_(True)
    targets = torch.randint(0, k, (n,), generator=generator)
    torch_ww = median_seconds(
        forward_backward(lambda s, t: k * F.multi_margin_loss(s, t), scores, targets)
    )
    ours = median_seconds(forward_backward(hl.multiclass_hinge_loss, scores, targets))
    report(f"Weston-Watkins fwd+bwd, N={n:.0e}, K={k} / K * multi_margin_loss", ours, torch_ww, 1.5)


def epochs_to_reach(history, reference, rel=1e-3) -> int:
    close = torch.nonzero(history.objective <= reference * (1 + rel))
    return int(close[0, 0]) if len(close) else -1


def bench_training(n=200, weight_decay=0.01, path_size=64):
    X, y = hl.overlapping_blobs(n, seed=0)
    C = 1 / (n * weight_decay)
    svc_time = median_seconds(lambda: SVC(kernel="linear", C=C, tol=1e-8).fit(X.numpy(), y.numpy()))
    svc = SVC(kernel="linear", C=C, tol=1e-8).fit(X.double().numpy(), y.numpy())
    w, b = torch.tensor(svc.coef_[0]), float(svc.intercept_[0])
    m = hl.functional_margins(w, b, X.double(), y)
    reference = weight_decay / 2 * float(w @ w) + float(torch.relu(1 - m).mean())
    probe = hl.fit_linear(X, y, weight_decay=weight_decay, schedule="pegasos", epochs=4000)
    epochs = epochs_to_reach(probe, reference)
    print(f"fit_linear (pegasos) reaches SVC's objective within 1e-3 after {epochs} epochs")
    if epochs < 0:
        return
    single = median_seconds(
        lambda: hl.fit_linear(X, y, weight_decay=weight_decay, schedule="pegasos", epochs=epochs),
        repeats=5, warmup=1,
    )  # fmt: skip
    report(
        f"one fit_linear to 1e-3 of SVC, n={n} / sklearn SVC fit", single, svc_time, float("inf")
    )
    path = torch.logspace(-3, 0, path_size)
    batched = median_seconds(
        lambda: hl.fit_linear(X, y, weight_decay=path, schedule="pegasos", epochs=epochs),
        repeats=5, warmup=1,
    )  # fmt: skip
    report(f"{path_size}-value weight-decay path, one batched run / one fit", batched, single, 3.0)
    print(f"  per model on the path: {batched / path_size * 1e3:.2f} ms")


if __name__ == "__main__":
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    print(f"{'benchmark':<58} {'ours':>12} {'reference':>12} {'ratio':>7}")
    bench_binary()
    bench_multiclass()
    bench_training()
