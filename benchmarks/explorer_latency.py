"""Slider-to-redraw latency of ``hl.decision_boundary_explorer`` (200 points), headless.

A slider change is timed from setting the slider's value, as a reader's drag does, until the new
frame is in the figure's canvas and handed to the widget (a PNG for the image canvas; for ipympl,
the diff image it sends to the browser, with a browser simulated as connected). Beside it, a bare
redraw of the same frame without the lookup; the ratio shows what the slider adds to drawing.
The sliders move over a grid solved in advance (``hl.solve_linear``, every fit exact and
certified by its duality gap), so a slider change costs a lookup, not a fit. The grid's solve
time, with one thread, and the largest duality gap over it are reported per loss and data set.
The goal (from the widgets issue): median latency <= 100 ms for 200 points, wall-clock. The CPU
time beside it is what the same work takes on a machine that no other process is using.
"""

from __future__ import annotations

import itertools
import statistics
import time

import hingelib as hl
from hingelib._live import DATASETS, load_dataset, one_thread
from hingelib.widgets import EXPLORER_LOSSES, EXPLORER_MARGINS, EXPLORER_WEIGHT_DECAYS, GRID


def sweep(values):
    """Values as a reader drags a slider: end to end, back and forth, one step at a time."""
    return itertools.cycle([*values, *values[-2:0:-1]])


def seconds(run) -> tuple[float, float]:
    """Wall-clock and CPU seconds of ``run()``: on a shared machine the two differ."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def slider_latency(explorer, name, values, repeats):
    """Medians (wall, CPU) of slider changes and of bare redraws, alternated, and their ratio."""
    slider, steps = explorer.controls[name], sweep(values)

    def change():
        slider.value = next(steps)

    pairs = [(seconds(change), seconds(explorer.show)) for _ in range(repeats)]
    changes, bare = zip(*pairs)
    ratio = statistics.median(a[0] / b[0] for a, b in pairs)
    return (
        [statistics.median(t) for t in zip(*changes)],
        [statistics.median(t) for t in zip(*bare)],
        ratio,
    )


def row(name, latency, bare, ratio, goal_ms=100):
    verdict = "meets" if latency[0] * 1e3 <= goal_ms else "MISSES"
    print(
        f"{name:<58} {latency[0] * 1e3:9.2f} ms {bare[0] * 1e3:9.2f} ms {ratio:6.2f}x  "
        f"(goal median <= {goal_ms} ms: {verdict})"
    )
    cpu = "    CPU time of the same (what an idle machine would take)"
    print(f"{cpu:<58} {latency[1] * 1e3:9.2f} ms {bare[1] * 1e3:9.2f} ms")


def bench_grid_solve(n=200, repeats=5):
    """Median wall-clock time of one batched solve of the explorer's grid, and its worst gap."""
    print(f"explorer grid: {len(GRID)} (Delta, lambda) pairs solved exactly, n={n}, one thread")
    for dataset in DATASETS:
        X, y = load_dataset(dataset, n, 0)
        for loss in EXPLORER_LOSSES:

            def solve(X=X, y=y, loss=loss):
                with one_thread():
                    return hl.solve_linear(
                        X, y, loss=loss, margin=GRID[:, 0], weight_decay=GRID[:, 1]
                    )

            solution = solve()
            wall = statistics.median(seconds(solve)[0] for _ in range(repeats))
            relative = (solution.gap / solution.objective).max()
            print(
                f"  {dataset:<12} {loss:<14} {wall * 1e3:7.0f} ms, Newton steps <= "
                f"{int(solution.iterations.max()):3d}, largest duality gap "
                f"{float(solution.gap.max()):.1e} ({float(relative):.1e} of J)"
            )


def bench_explorer(n=200, repeats=48):
    bench_grid_solve(n)
    for canvas in ("image", "ipympl"):
        start = time.perf_counter()
        explorer = hl.decision_boundary_explorer(n=n, canvas=canvas)
        built = time.perf_counter() - start
        if canvas == "ipympl":
            explorer.figure.canvas.syncing_data_url = False  # as once a browser has connected
        solve, redraw = (
            statistics.median(seconds(run)[0] for _ in range(5))
            for run in (explorer.solve, explorer.show)
        )
        print(
            f"explorer ({canvas} canvas), n={n}, built in {built:.2f} s. A new solve of the "
            f"{len(GRID)}-pair (Delta, lambda) grid (on a loss or data change, or a click) and "
            f"redraw: {solve * 1e3:.0f} ms, {solve / redraw:.1f}x a redraw"
        )
        lam = slider_latency(explorer, "weight_decay", EXPLORER_WEIGHT_DECAYS, repeats)
        row(f"  lambda slider -> redraw / bare redraw ({canvas})", *lam)
        delta = slider_latency(explorer, "margin", EXPLORER_MARGINS, repeats)
        row(f"  Delta slider -> redraw / bare redraw ({canvas})", *delta)
        full = statistics.median(seconds(explorer.figure.canvas.draw)[0] for _ in range(9))
        print(f"  for scale: one full fig.canvas.draw() of the same figure {full * 1e3:9.2f} ms")


if __name__ == "__main__":
    bench_explorer()
