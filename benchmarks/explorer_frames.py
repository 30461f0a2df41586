"""The website's explorers (``_ext/hinge_explorer.js``) in headless Chromium, on the built site.

For chapter 8's two explorers (200 points each):

- the frame interval while playing: the ``requestAnimationFrame`` timestamps over about 3 s,
  median and 95th percentile (goal: median at most 17 ms, a 60 Hz display's budget), and the
  component's own step + redraw time per frame (``el.explorerTiming().lastFrameMs``);
- the drag latency, over 50 real mouse moves of a dragged point: whether each move is drawn in
  the first frame after it reaches the page (goal: within one frame), the time from the move (its
  event's timestamp) to the end of that frame, how long Chromium held the move for the frame's
  start, and the component's own work in those frames. On a bare canvas page the same measure
  gives about 4 ms with no work per frame and 19 ms with 6 ms of it: Chromium aligns pointer
  moves to frames once the frames are busy;
- the page weight the explorers add to each chapter: the component's script and style plus the
  configs inlined in the page (goal: at most 100 KB).

Prints, never asserts; without a built site or Chromium it says so and skips. ``HINGE_SITE``
points it at another build, ``HINGE_CHROMIUM`` at another Chromium.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import statistics
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("HINGE_SITE", ROOT / "_build" / "html"))
CHAPTER_8 = "chapters/08_interactive_explorer.html"
ASSETS = ("_static/hinge_explorer.js", "_static/hinge_explorer.css")
CONFIG = re.compile(
    r'<script type="application/json" class="hinge-explorer-config">(.*?)</script>', re.S
)
FRAME_GOAL_MS, WEIGHT_GOAL_KB = 17.0, 100.0

#: Runs in the page: the rAF timestamps over ``ms`` while the explorer plays, and the
#: component's own step + redraw time of each frame it drew meanwhile.
PLAY = """async (el, ms) => {
    const stamps = [], work = [];
    let last = el.explorerTiming().frames;
    el.explorerSet({playing: true});
    await new Promise(done => {
        const tick = t => {
            stamps.push(t);
            const timing = el.explorerTiming();
            if (timing.frames !== last) { work.push(timing.lastFrameMs); last = timing.frames; }
            if (t - stamps[0] < ms) requestAnimationFrame(tick); else done();
        };
        requestAnimationFrame(tick);
    });
    const state = el.explorerSet({playing: false});
    return {stamps, work, epoch: state.epoch};
}"""

#: Runs in the page before a drag: for each pointermove, the time from its timestamp to the end
#: of the first frame the component drew after it. The check runs in a task queued from each
#: rAF callback, that is after every rAF callback of the frame (the component's drawing too)
#: and after the frame's rendering.
WATCH_DRAG = """el => {
    window.drags = [];  // [latency, the component's frame ms, frames waited, dispatch wait]
    el.addEventListener("pointermove", event => {
        if (!event.buttons) return;  // a hover, not a drag: nothing to redraw
        const moved = event.timeStamp, frames = el.explorerTiming().frames;
        const dispatched = performance.now() - moved;
        let waited = 0;
        const check = () => setTimeout(() => {
            waited += 1;
            if (el.explorerTiming().frames === frames) return requestAnimationFrame(check);
            const work = el.explorerTiming().lastFrameMs;
            window.drags.push([performance.now() - moved, work, waited, dispatched]);
        }, 0);
        requestAnimationFrame(check);
    }, {capture: true});
}"""


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def page_weights() -> dict[str, int]:
    """Bytes the explorers add to each chapter that has one: script, style, inline configs."""
    assets = sum((SITE / asset).stat().st_size for asset in ASSETS)
    weights = {}
    for page in sorted((SITE / "chapters").glob("*.html")):
        configs = CONFIG.findall(page.read_text(encoding="utf-8"))
        if configs:
            weights[page.name] = assets + sum(len(c.encode()) for c in configs)
    return weights


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def serve():
    handler = functools.partial(QuietHandler, directory=str(SITE))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def explorers(page):
    page.wait_for_function(
        """() => [...document.querySelectorAll("[data-explorer]")]
            .every(e => e.dataset.explorerReady === "true")"""
    )
    return page.locator("figure.hinge-explorer[data-explorer]").all()


def bench_playing(page, explorer, seconds=3.0):
    explorer.scroll_into_view_if_needed()
    if explorer.get_attribute("data-explorer") == "training":
        explorer.evaluate("e => e.explorerSet({epoch: 0})")  # play the whole run
    run = explorer.evaluate(PLAY, seconds * 1000)
    stamps = run["stamps"]
    intervals = [b - a for a, b in zip(stamps, stamps[1:])]
    median = statistics.median(intervals)
    verdict = "meets" if median <= FRAME_GOAL_MS else "MISSES"
    print(
        f"  playing {seconds:.0f} s: frame interval median {median:5.1f} ms, p95 "
        f"{percentile(intervals, 0.95):5.1f} ms over {len(intervals)} frames "
        f"(goal median <= {FRAME_GOAL_MS:g} ms: {verdict}); reached epoch {run['epoch']}"
    )
    if run["work"]:
        print(
            f"  step + redraw per frame (explorerTiming): median "
            f"{statistics.median(run['work']):5.2f} ms, p95 {percentile(run['work'], 0.95):5.2f} ms"
        )


def bench_drag(page, explorer, moves=50):
    """Drag point 0 back and forth by a few pixels, ``moves`` times, one move at a time."""
    explorer.evaluate("e => e.explorerSet({playing: false})")
    explorer.scroll_into_view_if_needed()
    point = explorer.evaluate("e => e.explorerScreenPoint(0)")
    page.evaluate("dy => window.scrollBy(0, dy)", point["y"] - 400)
    point = explorer.evaluate("e => e.explorerScreenPoint(0)")
    explorer.evaluate(WATCH_DRAG)
    page.mouse.move(point["x"], point["y"])
    page.mouse.down()
    for k in range(moves):
        page.mouse.move(point["x"] + (6 if k % 2 == 0 else 0), point["y"] + 3 * (k % 3))
        page.wait_for_timeout(40)  # one move per frame or two, as a slow hand
    page.mouse.up()
    page.wait_for_timeout(200)
    drags = page.evaluate("window.drags")
    if not drags:
        print("  drag: no frame was drawn after a pointer move (is the point draggable?)")
        return
    latencies, work, waited, dispatched = zip(*drags)
    first = sum(1 for frames in waited if frames == 1)
    verdict = "meets" if first == len(drags) else f"MISSES for {len(drags) - first}"
    print(
        f"  drag: drawn in the first frame after the move reached the page for {first} of "
        f"{len(drags)} moves (goal: within one frame: {verdict})"
    )
    print(
        f"    pointer move to that frame rendered: median {statistics.median(latencies):5.1f} ms, "
        f"p95 {percentile(latencies, 0.95):5.1f} ms; of which Chromium held the move for the "
        f"frame's start {statistics.median(dispatched):5.1f} ms (median), and the component's "
        f"frame took {statistics.median(work):4.2f} ms (median; p95 {percentile(work, 0.95):4.2f})"
    )


def bench_explorer_frames():
    print("in-browser explorers (headless Chromium, the built site)")
    if not (SITE / CHAPTER_8).is_file() or not all((SITE / a).is_file() for a in ASSETS):
        print(f"  skipped: no built site with explorers in {SITE} (run `make book`)")
        return
    for page, size in page_weights().items():
        verdict = "meets" if size / 1024 <= WEIGHT_GOAL_KB else "MISSES"
        print(
            f"  page weight the explorers add to {page:<36} {size / 1024:6.1f} KB "
            f"(goal <= {WEIGHT_GOAL_KB:g} KB: {verdict})"
        )
    chromium = os.environ.get("HINGE_CHROMIUM") or shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        chromium = None
    if chromium is None:
        print("  skipped the browser timings: no Chromium (apt-get install chromium) or Playwright")
        return
    server = serve()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"http://127.0.0.1:{server.server_port}/{CHAPTER_8}")
            for explorer in explorers(page):
                points = len(explorer.evaluate("e => e.explorerState().points"))
                print(f"chapter 8, {explorer.get_attribute('id')} ({points} points)")
                bench_playing(page, explorer)
                bench_drag(page, explorer)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    bench_explorer_frames()
