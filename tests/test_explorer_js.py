"""The in-browser explorers (``_ext/hinge_explorer.js``) against hingelib, and in a page.

- The JavaScript trainer, run in Node and in headless Chromium, follows ``hl.fit_linear`` epoch by
  epoch (w, b, J within 1e-9 relative) on the three data sets of the explorers, for every loss.
- Its solver matches ``hl.solve_linear`` (J within 1e-8) and, for the hinge, scikit-learn's ``SVC``
  (J within 1e-3, the issue's bound); its duality gap bounds J - min J and matches hingelib's.
- The component, on a harness page with the website's markup (opened from ``file://`` and from a
  local server, at 1280 and 390 px, light and dark): it mounts clean, holds its height, shows
  hingelib's optimum for an off-grid margin, follows a mouse drag, adds and removes points by
  button and key, moves a point by keyboard, plays, steps and pauses, names every control
  (axe-core), fits a phone and draws no text under 9 CSS px.

Debian's Chromium is driven by Playwright through ``executable_path``; without Node or Chromium the
tests skip, except under CI, where they fail.
"""

import functools
import html
import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import torch
from browser_setup import chromium, serving
from sklearn.svm import SVC

import hingelib as hl
from hingelib._live import load_dataset
from hingelib.losses import BINARY_LOSSES
from hingelib.plot import margin_numbers

ROOT = Path(__file__).resolve().parents[1]
SCRIPT, STYLE = ROOT / "_ext" / "hinge_explorer.js", ROOT / "_ext" / "hinge_explorer.css"
RUN_MATHS = ROOT / "tests" / "js" / "run_maths.js"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DATASETS = ("separable", "overlapping", "outliers")
LOSSES = ("hinge", "squared_hinge", "logistic")
#: An off-grid margin and weight decay: neither is one of the old explorer's precomputed values.
MARGIN, WEIGHT_DECAY, LR, EPOCHS = 0.73, 0.0137, 0.1, 300
PARITY = 1e-9  # the bound, relative, at every epoch
#: Solver settings: the slider ranges' ends (Delta 0.1 and 3, lambda 1e-4 and 1) and off-grid ones.
SOLVER_SETTINGS = ((0.1, 1e-4), (3.0, 1.0), (0.1, 1.0), (3.0, 1e-4), (0.73, 0.0137))
NODE = shutil.which("node")
CHROMIUM = (
    os.environ.get("HINGE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
)


def unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        raise RuntimeError(reason)
    pytest.skip(reason)


@functools.cache
def dataset(name: str):
    X, y = load_dataset(name, 200, 0)
    return X.double(), y


def as_points(X, y) -> list:
    return [[a, b, c] for (a, b), c in zip(X.tolist(), y.tolist())]


@functools.cache
def reference_run(name: str, loss: str):
    X, y = dataset(name)
    return hl.fit_linear(
        X, y, loss=loss, margin=MARGIN, weight_decay=WEIGHT_DECAY, lr=LR, epochs=EPOCHS
    )


def train_call(name: str, loss: str) -> dict:
    """The trainLinear arguments of fit_linear's run: same data, settings and start."""
    run = reference_run(name, loss)
    args = {"points": as_points(*dataset(name)), "loss": loss, "delta": MARGIN}
    args |= {"lambda": WEIGHT_DECAY, "lr": LR, "epochs": EPOCHS}
    return {"fn": "trainLinear", "args": args | {"w0": run.weight[0].tolist(), "b0": 0.0}}


def run_node(calls: list) -> list:
    if NODE is None:
        unavailable("Node is not installed (the book's toolchain has Node 20)")
    done = subprocess.run(
        [NODE, str(RUN_MATHS)], input=json.dumps(calls), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def parity_errors(result: dict, name: str, loss: str) -> dict:
    """The largest relative error over the epochs of (w, b), of J and the violators' mismatches."""
    run = reference_run(name, loss)
    theta = np.column_stack([np.array(result["w"]), np.array(result["b"])])
    expected = torch.column_stack([run.weight, run.bias]).numpy()
    scale = np.abs(expected).max(axis=1)
    objective = np.abs(np.array(result["objective"]) - run.objective.numpy())
    return {
        "theta": float((np.abs(theta - expected).max(axis=1) / scale).max()),
        "objective": float((objective / run.objective.numpy()).max()),
        "violators": int((np.array(result["violators"]) != run.violators.numpy()).sum()),
    }


def check_parity(results: list, cases: list, where: str) -> None:
    worst = {}
    for result, (name, loss) in zip(results, cases):
        assert result["diverged"] is None and len(result["w"]) == EPOCHS + 1, (name, loss)
        errors = parity_errors(result, name, loss)
        assert errors["theta"] <= PARITY and errors["objective"] <= PARITY, (name, loss, errors)
        assert errors["violators"] == 0, (name, loss, errors)
        worst[loss] = max(worst.get(loss, 0.0), errors["theta"], errors["objective"])
    print(f"{where}: largest relative error per loss over {EPOCHS} epochs: {worst}")


def test_node_trainer_follows_fit_linear_epoch_by_epoch_for_every_loss_and_data_set():
    cases = [(name, loss) for name in DATASETS for loss in LOSSES]
    check_parity(run_node([train_call(*case) for case in cases]), cases, "Node")


def test_node_step_is_one_epoch_of_the_trainer():
    call = train_call("overlapping", "logistic")
    run = reference_run("overlapping", "logistic")
    state = {"w": run.weight[5].tolist(), "b": float(run.bias[5]), "epoch": 5}
    (stepped,) = run_node([{"fn": "step", "args": call["args"] | {"state": state}}])
    assert stepped["epoch"] == 6
    np.testing.assert_allclose(stepped["w"], run.weight[6].numpy(), rtol=1e-12)
    np.testing.assert_allclose(stepped["objective"], float(run.objective[6]), rtol=1e-12)


def test_node_losses_take_torchs_gradient_at_the_kink_and_the_softplus_threshold():
    margins = [MARGIN, MARGIN - 1e-3, MARGIN + 1e-3, -19.5, -20.0, -20.5, -35.0, 0.0, 3.0]
    calls = [
        {"fn": fn, "args": [loss, m, MARGIN]}
        for loss in LOSSES
        for m in margins
        for fn in ("trainingLoss", "trainingSlope")
    ]
    results = iter(run_node(calls))
    for loss in LOSSES:
        m = torch.tensor(margins, dtype=torch.float64, requires_grad=True)
        values = BINARY_LOSSES[loss](m, MARGIN)
        (slopes,) = torch.autograd.grad(values.sum(), m)
        for value, slope in zip(values.tolist(), slopes.tolist()):
            assert next(results) == pytest.approx(value, rel=1e-15, abs=0), loss
            assert next(results) == pytest.approx(slope, rel=1e-15, abs=0), loss


def svc_objective(X, y, margin, weight_decay) -> float:
    """J at scikit-learn's SVC fit: SVC(C = 1 / (N lambda Delta)) at margin 1, scaled by Delta."""
    svc = SVC(kernel="linear", C=1 / (len(y) * weight_decay * margin), tol=1e-6)
    svc.fit(X.numpy(), y.numpy())
    w = torch.from_numpy(margin * svc.coef_[0])
    b = margin * float(svc.intercept_[0])
    m = y.double() * (X @ w + b)
    return float(weight_decay / 2 * w @ w + torch.relu(margin - m).mean())


@functools.cache
def solver_results():
    """solveLinear and dualityGap in Node for every data set, loss and setting, with references."""
    cases, calls = [], []
    for name in DATASETS:
        X, y = dataset(name)
        points = as_points(X, y)
        for loss in LOSSES:
            for margin, lam in SOLVER_SETTINGS:
                args = {"points": points, "loss": loss, "delta": margin, "lambda": lam}
                cases.append((name, loss, margin, lam))
                calls.append({"fn": "solveLinear", "args": args})
    return cases, run_node(calls)


@functools.cache
def reference_solutions(name: str, loss: str):
    """hl.solve_linear at every one of SOLVER_SETTINGS, in one batched run."""
    margins, weight_decays = (
        torch.tensor(column, dtype=torch.float64) for column in zip(*SOLVER_SETTINGS)
    )
    return hl.solve_linear(*dataset(name), loss=loss, margin=margins, weight_decay=weight_decays)


def test_node_solver_finds_solve_linears_optimum_certified_for_every_setting():
    cases, results = solver_results()
    worst = 0.0
    for (name, loss, margin, lam), result in zip(cases, results):
        expected = reference_solutions(name, loss)[SOLVER_SETTINGS.index((margin, lam))]
        assert result["converged"], (name, loss, margin, lam, result)
        assert result["gap"] <= 1e-9 * result["objective"] + 1e-15
        difference = abs(result["objective"] - float(expected.objective))
        assert difference <= 1e-8 * float(expected.objective), (name, loss, margin, lam)
        # J within 1e-9 of the optimum puts w within sqrt(2 gap / lambda) of the unique optimum
        w_error = np.abs(np.array(result["w"]) - expected.weight.numpy()).max()
        assert w_error <= 1e-3 * max(1.0, float(expected.weight.norm())), (name, loss, margin, lam)
        worst = max(worst, difference / float(expected.objective))
    print(f"solveLinear vs solve_linear: largest relative difference in J {worst:.1e}")


def test_node_solver_meets_scikit_learns_svc_for_the_hinge():
    cases, results = solver_results()
    worst = 0.0
    for (name, loss, margin, lam), result in zip(cases, results):
        if loss != "hinge":
            continue
        X, y = dataset(name)
        reference = svc_objective(X, y, margin, lam)
        assert result["objective"] <= reference * (1 + 1e-9), (name, margin, lam)  # an optimum
        relative = (reference - result["objective"]) / reference
        assert relative <= 1e-3, (name, margin, lam, result["objective"], reference)
        worst = max(worst, relative)
    print(f"solveLinear vs SVC (hinge): SVC's J exceeds ours by at most {worst:.1e} relative")


def awkward_data_sets() -> dict:
    """Point sets a reader can make by dragging: two points, every point on one spot, duplicates,
    far apart and separable, fully overlapping, one point against 199, large scale, on a line."""
    rng = np.random.default_rng(0)
    y = np.where(np.arange(200) % 2, 1.0, -1.0)
    noise = rng.standard_normal((200, 2))
    sets = {
        "two points": ([[0.0, 0.0], [1.0, 1.0]], [1.0, -1.0]),
        "one spot": (np.tile([0.3, -0.2], (50, 1)), y[:50]),
        "duplicates": (np.repeat([[0, 0], [1, 0.5], [2, 1]], 20, axis=0), y[:60]),
        "far apart": (20 * y[:, None] + noise, y),
        "overlapping": (noise, y),
        "one against many": (noise, np.where(np.arange(200) == 0, 1.0, -1.0)),
        "large scale": (50 * (noise + y[:, None] * [1, 0]), y),
        "on a line": (
            np.arange(100)[:, None] / 10 * [1, 2],
            np.where(np.arange(100) < 50, -1.0, 1.0),
        ),
    }
    return {name: np.column_stack([X, labels]).tolist() for name, (X, labels) in sets.items()}


def test_node_solver_converges_on_awkward_data_for_every_setting_the_sliders_allow():
    cases, calls = [], []
    for name, points in awkward_data_sets().items():
        for loss in LOSSES:
            for margin in (0.1, 0.37, 3.0):
                for lam in (1e-4, 3e-3, 1.0):
                    cases.append((name, loss, margin, lam))
                    args = {"points": points, "loss": loss, "delta": margin, "lambda": lam}
                    calls.append({"fn": "solveLinear", "args": args})
    for case, result in zip(cases, run_node(calls)):
        assert result["converged"] and np.isfinite(result["objective"]), (case, result)


def test_node_solver_refuses_one_class_and_names_the_problem():
    X, y = dataset("separable")
    points = [p for p in as_points(X, y) if p[2] == 1]
    done = subprocess.run(
        [NODE or "node", str(RUN_MATHS)],
        input=json.dumps(
            [
                {
                    "fn": "solveLinear",
                    "args": {"points": points, "loss": "hinge", "delta": 1.0, "lambda": 0.01},
                }
            ]
        ),
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0 and "both classes" in done.stderr


def test_node_duality_gap_bounds_the_distance_to_the_optimum_and_matches_hingelib():
    calls, cases = [], []
    for name in DATASETS:
        X, y = dataset(name)
        for loss in LOSSES:
            run = reference_run(name, loss)
            for epoch in (0, 3, 30, EPOCHS):
                w, b = run.weight[epoch], float(run.bias[epoch])
                args = {"points": as_points(X, y), "loss": loss, "delta": MARGIN}
                args |= {"lambda": WEIGHT_DECAY, "w": w.tolist(), "b": b}
                calls.append({"fn": "dualityGap", "args": args})
                cases.append((name, loss, w, b, float(run.objective[epoch])))
    for (name, loss, w, b, objective), gap in zip(cases, run_node(calls)):
        X, y = dataset(name)
        kwargs = {"loss": loss, "margin": MARGIN, "weight_decay": WEIGHT_DECAY}
        best = reference_solutions(name, loss)[-1].objective  # min J <= best
        assert gap >= objective - float(best) - 1e-12, (name, loss)
        expected = float(hl.duality_gap(X, y, w, b, **kwargs))
        assert gap == pytest.approx(expected, rel=1e-6, abs=1e-12), (name, loss)


def test_node_duality_gap_is_never_above_j():
    # u = 0 is a dual point with D = 0: before it, epoch 0 of the squared hinge had a "bound"
    # thousands of times J
    X, y = dataset("separable")
    calls, cases = [], []
    for loss in LOSSES:
        run = hl.fit_linear(X, y, loss=loss, margin=0.73, weight_decay=0.0023, lr=0.1, epochs=3)
        for epoch in range(4):
            args = {"points": as_points(X, y), "loss": loss, "delta": 0.73, "lambda": 0.0023}
            args |= {"w": run.weight[epoch].tolist(), "b": float(run.bias[epoch])}
            calls.append({"fn": "dualityGap", "args": args})
            cases.append(
                (loss, run.weight[epoch], float(run.bias[epoch]), float(run.objective[epoch]))
            )
    for (loss, w, b, objective), gap in zip(cases, run_node(calls)):
        assert 0 <= gap <= objective * (1 + 1e-12), loss
        expected = hl.duality_gap(X, y, w, b, loss=loss, margin=0.73, weight_decay=0.0023)
        assert gap == pytest.approx(float(expected), rel=1e-6, abs=1e-12), loss


def test_node_margin_numbers_count_as_hingelib_does():
    X, y = dataset("overlapping")
    fit = hl.solve_linear(X, y, margin=MARGIN, weight_decay=WEIGHT_DECAY)
    calls = [
        {
            "fn": "marginNumbers",
            "args": {
                "points": as_points(X, y),
                "w": fit.weight.tolist(),
                "b": float(fit.bias),
                "delta": MARGIN,
                "loss": loss,
            },
        }
        for loss in LOSSES
    ]
    for loss, numbers in zip(LOSSES, run_node(calls)):
        expected = margin_numbers(X, y, fit.weight, fit.bias, margin=MARGIN, loss=loss)
        assert numbers["marginWidth"] == pytest.approx(expected["margin_width"], rel=1e-12)
        assert numbers["supportVectors"] == expected["support_vectors"]
        assert numbers["violators"] == expected["violators"]


# ------------------------------------------------------------------ the browser


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        unavailable("Chromium is not installed: `apt-get install chromium` (Debian's package)")
    with chromium(CHROMIUM) as browser:
        yield browser


def test_chromium_trainer_follows_fit_linear_on_every_data_set(browser):
    cases = [("separable", "hinge"), ("overlapping", "squared_hinge"), ("outliers", "logistic")]
    cases += [("overlapping", "hinge"), ("outliers", "hinge")]
    page = browser.new_page()
    page.add_script_tag(path=str(SCRIPT))
    calls = [train_call(*case)["args"] for case in cases]
    results = page.evaluate("calls => calls.map(c => HingeExplorer.trainLinear(c))", calls)
    page.close()
    check_parity(results, cases, "Chromium")


def config(kind: str, name: str) -> dict:
    """An explorer's config as the website writes it: hingelib's data, fit_linear's start."""
    X, y = dataset(name)
    w0 = hl.fit_linear(X, y, epochs=1).weight[0].tolist()
    return {
        "kind": kind,
        "title": f"A {kind} explorer on the {name} data",
        "points": as_points(X, y),
        "w0": w0,
        "b0": 0.0,
        "loss": "hinge",
        "losses": ["hinge", "logistic"],
        "delta": 1.0,
        "lambda": 0.01,
        "lr": 0.1,
        "epochs": 200 if kind == "training" else 2000,
    }


def figure(name: str, kind: str, settings: dict) -> str:
    title = html.escape(settings["title"])
    return f"""
<figure class="hinge-explorer" id="explorer-{name}" data-explorer="{kind}" aria-label="{title}">
  <script type="application/json" class="hinge-explorer-config">{json.dumps(settings)}</script>
  <noscript><img src="poster.png" alt="{title}" width="400" height="672"></noscript>
  <figcaption class="hinge-explorer-note">{title}. What to try.</figcaption>
</figure>"""


#: The theme's mode as pydata-sphinx-theme sets it, before the page paints.
THEME = "document.documentElement.dataset.theme = location.hash.slice(1) || 'light';"


@pytest.fixture(scope="module")
def harness(tmp_path_factory):
    """A page with one explorer of each kind, as the website marks them up, and its copies of the
    script and the style sheet."""
    folder = tmp_path_factory.mktemp("explorer")
    for source in (SCRIPT, STYLE):
        shutil.copy(source, folder / source.name)
    body = figure("boundary", "boundary", config("boundary", "separable"))
    body += "\n<p>Between the explorers.</p>" + figure(
        "training", "training", config("training", "overlapping")
    )
    (folder / "index.html").write_text(f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Explorer harness</title><link rel="icon" href="data:,"><script>{THEME}</script>
<link rel="stylesheet" href="hinge_explorer.css"><script defer src="hinge_explorer.js"></script>
<style>body {{ margin: 0; font: 16px/1.65 system-ui, sans-serif; }}
/* what the book's theme (Bootstrap's reboot, pydata-sphinx-theme) sets on every page */
*, ::before, ::after {{ box-sizing: border-box; }} p {{ margin: 0 0 1.15rem; }}
dl, ol, ul {{ margin: 0 0 1rem; }} label {{ display: inline-block; }}
dl[class]:not(.option-list, .field-list, .footnote, .glossary, .simple) {{ margin-bottom: 3rem; }}
button, select {{ line-height: inherit; margin: 0; }} figure {{ margin: 0 0 1rem; }}
main {{ max-width: 688px; margin: 0 auto; padding: 0 24px; }}
html[data-theme="dark"] body {{ background: #121212; color: #ddd; }}</style></head>
<body><main><h1>Explorer harness</h1><p>A paragraph before.</p>{body}
<p>A paragraph after.</p></main></body></html>""")
    return folder


@pytest.fixture(scope="module")
def served(harness):
    with serving(harness) as url:
        yield url


#: Records every canvas font size set (in CSS px), whoever sets it.
RECORD_CANVAS_FONTS = """
window.__canvasFonts = [];
const slot = Object.getOwnPropertyDescriptor(CanvasRenderingContext2D.prototype, "font");
Object.defineProperty(CanvasRenderingContext2D.prototype, "font", {
  get() { return slot.get.call(this); },
  set(value) { window.__canvasFonts.push(parseFloat(value)); slot.set.call(this, value); },
});
"""


class Visit:
    """The harness in a fresh context: console errors and requests outside the page recorded."""

    def __init__(self, browser, base: str, width: int, mode: str = "light", **options):
        self.context = browser.new_context(viewport={"width": width, "height": 900}, **options)
        self.context.add_init_script(RECORD_CANVAS_FONTS)
        self.page, self.base = self.context.new_page(), base
        self.errors, self.outside = [], []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("request", self.on_request)
        self.page.goto(f"{base}index.html#{mode}", wait_until="load")
        self.page.wait_for_function(
            "[...document.querySelectorAll('[data-explorer]')]"
            ".every(e => e.dataset.explorerReady === 'true')"
        )

    def on_request(self, request):
        if not request.url.startswith((self.base, "data:", "blob:")):
            self.outside.append(request.url)

    def state(self, name: str) -> dict:
        return self.page.evaluate(f"document.getElementById('explorer-{name}').explorerState()")

    def set(self, name: str, values: dict) -> dict:
        return self.page.evaluate(
            f"v => document.getElementById('explorer-{name}').explorerSet(v)", values
        )

    def explorer(self, name: str):
        return self.page.locator(f"#explorer-{name}")

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, served):
    opened = []

    def open_visit(width=1280, mode="light", base=served, **options):
        opened.append(Visit(browser, base, width, mode, **options))
        return opened[-1]

    yield open_visit
    for v in opened:
        v.close()


def canvas_pixel(visit: Visit, name: str, selector: str, x: float, y: float) -> list:
    """The RGBA of a canvas at (x, y) CSS px."""
    return visit.page.evaluate(
        """([name, selector, x, y]) => {
            const c = document.querySelector(`#explorer-${name} ${selector}`);
            const r = c.width / c.clientWidth;
            return [...c.getContext("2d").getImageData(x * r, y * r, 1, 1).data];
        }""",
        [name, selector, x, y],
    )


#: A point of the plot's background: inside the plane's box, at its centre's height, left edge.
def background_pixel(visit: Visit) -> list:
    return canvas_pixel(visit, "boundary", ".hx-canvas[role=img]", 300, 12)


@pytest.mark.parametrize(
    "origin, width, mode",
    [
        ("file", 1280, "light"),
        ("file", 390, "dark"),
        ("http", 1280, "dark"),
        ("http", 390, "light"),
    ],
)
def test_every_explorer_mounts_clean_from_file_and_server_in_every_view(
    visit, harness, origin, mode, width
):
    base = harness.as_uri() + "/" if origin == "file" else None
    v = visit(width, mode, **({"base": base} if base else {}))
    assert v.errors == [] and v.outside == []
    for name, kind in (("boundary", "boundary"), ("training", "training")):
        state = v.state(name)
        assert state["kind"] == kind and len(state["points"]) == 200
    pixel = background_pixel(v)  # the canvas reads the theme's colours
    assert pixel[:3] == ([255, 255, 255] if mode == "light" else [22, 25, 29])


def test_the_canvas_redraws_in_the_new_colours_when_the_theme_switches(visit):
    v = visit()
    assert background_pixel(v)[:3] == [255, 255, 255]
    v.page.evaluate("document.documentElement.dataset.theme = 'dark'")
    v.page.wait_for_timeout(100)
    assert background_pixel(v)[:3] == [22, 25, 29]


@pytest.mark.parametrize("width", [1280, 390])
def test_the_figure_reserves_the_explorers_height_before_the_script_runs(visit, served, width):
    heights = "[...document.querySelectorAll('figure')].map(f => f.getBoundingClientRect().height)"
    built = visit(width).page.evaluate(heights)
    bare = visit(width, base=served)
    bare.context.route("**/hinge_explorer.js", lambda route: route.abort())
    bare.page.reload(wait_until="load")
    assert bare.page.evaluate("document.querySelector('[data-explorer-ready]')") is None
    assert bare.page.evaluate(heights) == pytest.approx(built, abs=1)


def assert_same_optimum(state: dict, fit) -> None:
    """The explorer shows fit's optimum: J within 1e-8, and w within what both certificates
    allow (J is lambda-strongly convex in w: ||w - w*||^2 <= 2 gap / lambda)."""
    assert state["converged"] and state["objective"] == pytest.approx(
        float(fit.objective), rel=1e-8
    )
    radius = sum(
        np.sqrt(2 * max(gap, 0.0) / state["lambda"]) for gap in (state["gap"], float(fit.gap))
    )
    assert np.abs(np.subtract(state["w"], fit.weight.numpy())).max() <= radius + 1e-9


def test_an_off_grid_margin_shows_hingelibs_optimum_for_it(visit):
    v = visit()
    state = v.set("boundary", {"delta": MARGIN})
    X, y = dataset("separable")
    fit = hl.solve_linear(X, y, margin=MARGIN, weight_decay=0.01)
    assert state["shown"] == "optimum"
    assert_same_optimum(state, fit)
    assert state["b"] == pytest.approx(float(fit.bias), abs=1e-4)
    slider = v.explorer("boundary").get_by_label("Margin Δ")
    assert slider.get_attribute("aria-valuetext") == "0.73"
    v.explorer("boundary").get_by_label("Loss", exact=True).select_option("logistic")
    state = v.state("boundary")
    fit = hl.solve_linear(X, y, loss="logistic", margin=MARGIN, weight_decay=0.01)
    assert state["loss"] == "logistic" and state["supportVectors"] is None
    assert_same_optimum(state, fit)
    v.set("boundary", {"loss": "squared_hinge"})
    assert v.explorer("boundary").get_by_label("Loss", exact=True).input_value() == "squared_hinge"


def test_invalid_settings_are_refused_with_the_valid_range(visit):
    v = visit()
    for values, words in (
        ({"delta": 5}, "0.1 to 3"),
        ({"lambda": 0}, "0.0001 to 1"),
        ({"loss": "zero_one"}, "hinge, squared_hinge, logistic"),
        ({"points": [[0, 0, 1], [1, 1, 1]]}, "both classes"),
        ({"margin": 1}, "sets delta"),
    ):
        with pytest.raises(Exception, match=words):
            v.set("boundary", values)
    assert v.state("boundary")["delta"] == 1.0


def test_dragging_a_point_across_the_band_moves_it_and_retrains_the_classifier(visit):
    v = visit()
    before = v.state("boundary")
    X, y = dataset("separable")
    scores = (X @ torch.tensor(before["w"], dtype=torch.float64) + before["b"]) * y
    i = int(torch.argmax(torch.where(y > 0, scores, -torch.inf)))  # the surest +1 point
    j = int(torch.argmax(torch.where(y < 0, scores, -torch.inf)))  # the surest -1 point
    start = v.page.evaluate(
        f"document.getElementById('explorer-boundary').explorerScreenPoint({i})"
    )
    end = v.page.evaluate(f"document.getElementById('explorer-boundary').explorerScreenPoint({j})")
    v.page.mouse.move(start["x"], start["y"])
    v.page.mouse.down()
    v.page.mouse.move((start["x"] + end["x"]) / 2, (start["y"] + end["y"]) / 2, steps=5)
    mid = v.state("boundary")  # retrained during the drag, before the button is released
    v.page.mouse.move(end["x"], end["y"], steps=5)
    v.page.mouse.up()
    after = v.state("boundary")
    assert mid["points"][i] != before["points"][i] and mid["w"] != before["w"]
    np.testing.assert_allclose(after["points"][i][:2], X[j].numpy(), atol=0.05)
    assert after["points"][i][2] == 1 and after["selected"] == i
    moved = torch.tensor(after["points"])
    assert_same_optimum(after, hl.solve_linear(moved[:, :2], moved[:, 2], weight_decay=0.01))
    assert np.abs(np.subtract(after["w"], before["w"])).max() > 0.01
    assert v.errors == []


def test_points_are_added_and_removed_by_buttons_keys_and_clicks(visit):
    v = visit()
    explorer = v.explorer("boundary")
    explorer.get_by_role("button", name="Add +1").click()
    state = v.state("boundary")
    assert len(state["points"]) == 201 and state["points"][-1][2] == 1 and state["selected"] == 200
    explorer.get_by_role("button", name="Remove point").click()
    assert len(v.state("boundary")["points"]) == 200
    plane = explorer.locator("canvas[tabindex]")
    plane.focus()
    plane.press("-")
    state = v.state("boundary")
    assert len(state["points"]) == 201 and state["points"][-1][2] == -1
    plane.press("Delete")
    assert len(v.state("boundary")["points"]) == 200
    box = plane.bounding_box()
    explorer.get_by_label("A click adds").select_option("-1")
    plane.click(position={"x": box["width"] / 2, "y": 12})  # empty plane near the top
    state = v.state("boundary")
    assert len(state["points"]) == 201 and state["points"][-1][2] == -1
    v.set("boundary", {"delta": 2.0})
    explorer.get_by_role("button", name="Reset").click()
    state = v.state("boundary")
    assert len(state["points"]) == 200 and state["delta"] == 1.0


def test_the_last_point_of_a_class_is_not_removed_and_the_reader_is_told(visit):
    from playwright.sync_api import expect

    v = visit()
    v.set("boundary", {"points": [[1, 1, 1], [2, 1, 1], [-1, -1, -1]]})
    plane = v.explorer("boundary").locator("canvas[tabindex]")
    plane.focus()
    for key in ("n", "n", "n", "Delete"):  # the third point, the only -1
        plane.press(key)
    state = v.state("boundary")
    assert len(state["points"]) == 3 and "Each class needs a point" in state["message"]
    message = v.explorer("boundary").locator(".hx-message")
    expect(message).to_contain_text("Each class needs a point")  # drawn at the next frame


def test_a_point_is_selected_and_moved_with_the_keyboard(visit):
    v = visit()
    plane = v.explorer("boundary").locator("canvas[tabindex]")
    plane.focus()
    plane.press("n")
    plane.press("n")
    before = v.state("boundary")
    assert before["selected"] == 1
    plane.press("ArrowRight")
    plane.press("Shift+ArrowUp")
    after = v.state("boundary")
    step = np.subtract(after["points"][1][:2], before["points"][1][:2])
    assert step[0] > 0 and step[1] == pytest.approx(5 * step[0])
    assert after["points"][0] == before["points"][0]
    plane.press("n")
    assert v.state("boundary")["selected"] == 2
    plane.press("Escape")
    assert v.state("boundary")["selected"] == -1


def test_tab_leaves_the_plane_even_with_a_point_selected_and_equals_adds_a_point(visit):
    v = visit()
    plane = v.explorer("boundary").locator("canvas[tabindex]")
    plane.focus()
    plane.press("n")
    v.page.keyboard.press("Tab")  # no trap: Tab moves on, N and P walk the points
    assert v.page.evaluate("document.activeElement.tagName") != "CANVAS"
    assert v.state("boundary")["selected"] == 0
    plane.focus()
    plane.press("Shift+Tab")
    assert v.page.evaluate("document.activeElement.tagName") != "CANVAS"
    plane.focus()
    plane.press("=")  # "+" without Shift
    state = v.state("boundary")
    assert len(state["points"]) == 201 and state["points"][-1][2] == 1


def test_play_runs_gradient_descent_step_adds_an_epoch_and_pause_stops(visit):
    v = visit()
    explorer = v.explorer("boundary")
    explorer.get_by_role("button", name="Play").click()
    v.page.wait_for_timeout(250)
    first = v.state("boundary")
    v.page.wait_for_timeout(250)
    second = v.state("boundary")
    assert first["playing"] and first["shown"] == "descent"
    assert 0 < first["epoch"] < second["epoch"]
    timing = v.page.evaluate("document.getElementById('explorer-boundary').explorerTiming()")
    print(f"boundary explorer, 200 points: last frame {timing['lastFrameMs']:.2f} ms")
    explorer.get_by_role("button", name="Pause").click()
    paused = v.state("boundary")
    v.page.wait_for_timeout(150)
    assert not paused["playing"] and v.state("boundary")["epoch"] == paused["epoch"]
    explorer.get_by_role("button", name="Step").click()
    stepped = v.state("boundary")
    assert stepped["epoch"] == paused["epoch"] + 1 and stepped["gap"] > 0
    X, y = dataset("separable")
    run = hl.fit_linear(X, y, weight_decay=0.01, lr=0.1, epochs=stepped["epoch"])
    np.testing.assert_allclose(stepped["w"], run.weight[-1].numpy(), rtol=1e-9)
    explorer.get_by_role("button", name="Solve").click()
    solved = v.state("boundary")
    assert solved["shown"] == "optimum" and solved["converged"]


def test_a_diverging_run_stops_and_names_the_fix(visit):
    v = visit()
    X, y = dataset("overlapping")  # spread out, where the squared hinge is steep
    far = [[10 * a, 10 * b, c] for a, b, c in as_points(X, y)]
    v.set("boundary", {"points": far, "loss": "squared_hinge", "lr": 1.0, "playing": True})
    v.page.wait_for_function(
        "!document.getElementById('explorer-boundary').explorerState().playing"
    )
    state = v.state("boundary")
    assert "lower the learning rate" in state["message"] and np.isfinite(state["objective"])


@pytest.mark.parametrize("loss", ["squared_hinge", "hinge"])
def test_an_oscillating_descent_stops_and_names_the_fix(visit, loss):
    # lr 1 at Delta 3, lambda 1: fit_linear's iterates alternate, J going up from its start
    v = visit()
    X, y = dataset("separable")
    run = hl.fit_linear(X, y, loss=loss, margin=3.0, weight_decay=1.0, lr=1.0, epochs=4)
    assert run.objective[1] > run.objective[0] * 1.05  # the 2-cycle hingelib also takes
    v.set("boundary", {"loss": loss, "delta": 3.0, "lambda": 1.0, "lr": 1.0, "playing": True})
    v.page.wait_for_function(
        "!document.getElementById('explorer-boundary').explorerState().playing"
    )
    state = v.state("boundary")
    assert state["shown"] == "descent" and state["epoch"] < 20 and not state["converged"]
    assert "J rose" in state["message"] and "lower the learning rate" in state["message"]
    message = v.explorer("boundary").locator(".hx-message")
    assert "lower the learning rate" in message.inner_text()
    state = v.set("training", {"delta": 0.5, "lambda": 1.0, "lr": 1.0, "playing": True})
    v.page.wait_for_function(
        "!document.getElementById('explorer-training').explorerState().playing"
    )
    state = v.state("training")
    assert state["models"][0]["rose"] is not None and state["epoch"] < 200
    assert "lower the learning rate" in state["message"].lower()


def test_play_shows_an_odd_number_of_epochs_a_frame(visit):
    v = visit()
    v.set("boundary", {"playing": True})
    v.page.wait_for_timeout(300)
    state = v.set("boundary", {"playing": False})
    assert state["epoch"] % 9 == 0 and state["epoch"] > 0  # 2000 / 240 rounds to 8, shown as 9


def test_during_descent_the_rings_are_the_points_inside_the_margin_not_support_vectors(visit):
    v = visit()
    X, y = dataset("separable")
    fit = hl.solve_linear(X, y, weight_decay=0.01)
    optimum = margin_numbers(X, y, fit.weight, fit.bias, margin=1.0, loss="hinge")
    state = v.state("boundary")
    assert state["ringed"] == state["supportVectors"] == optimum["support_vectors"]
    legend = v.explorer("boundary").locator(".hx-legend")
    assert "support vectors" in legend.inner_text()
    state = v.set("boundary", {"epoch": 0})
    w, b = torch.tensor(state["w"], dtype=torch.float64), state["b"]
    inside = int(((X @ w + b) * y < 1.0).sum())
    assert state["ringed"] == inside and state["supportVectors"] == optimum["support_vectors"]
    gap = hl.duality_gap(X, y, w, b, weight_decay=0.01)  # the iterate's gap, not the optimum's
    assert state["gap"] == pytest.approx(float(gap), rel=1e-6) and not state["converged"]
    readouts = v.explorer("boundary").locator(".hx-readouts").inner_text()
    assert f"m < Δ (ringed)\n{inside}\n" in readouts and "Support vectors" not in readouts
    assert "not support vectors" in legend.inner_text() and "Dotted" in legend.inner_text()
    state = v.set("training", {"epoch": 5})
    for i, model in enumerate(state["models"]):
        title = v.explorer("training").locator(".hx-panel-title").nth(i).inner_text()
        assert model["ringed"] == model["active"]
        if model["loss"] == "hinge":
            assert f"{model['ringed']} of 200 points have a gradient" in title
    legend = v.explorer("training").locator(".hx-legend").inner_text()
    assert "Ringed: the points with m < Δ" in legend and "Dotted: each loss's optimum" in legend


def test_the_logistic_loss_says_every_point_pulls_and_that_delta_only_moves_the_band(visit):
    for width in (1280, 390):
        v = visit(width)
        v.set("boundary", {"loss": "logistic"})
        v.page.wait_for_timeout(50)
        readouts = v.explorer("boundary").locator(".hx-readouts").inner_text()
        assert "all (α > 0)" in readouts and "none" not in readouts
        legend = v.explorer("boundary").locator(".hx-legend")
        assert "does not depend on it" in legend.inner_text()
        cut = v.page.evaluate(
            """() => [...document.querySelectorAll(".hx-legend, .hx-readout")]
                .filter(e => e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth)
                .map(e => e.textContent)"""
        )
        assert cut == [], width
        v.set("boundary", {"epoch": 3})
        assert v.page.evaluate(
            "[...document.querySelectorAll('.hx-legend')]"
            ".every(e => e.scrollHeight <= e.clientHeight + 1)"
        )


def test_a_zero_w_optimum_draws_no_boundary_and_reports_no_width(visit):
    v = visit()
    state = v.set("boundary", {"points": [[0, 0, 1], [0, 0, -1], [0, 0, 1]]})
    assert state["noBoundary"] and state["marginWidth"] is None and state["converged"]
    assert state["b"] == pytest.approx(1.0, abs=1e-3)
    explorer = v.explorer("boundary")
    assert "w = 0: no boundary" in explorer.locator(".hx-legend").inner_text()
    assert "Margin width\n—\n" in explorer.locator(".hx-readouts").inner_text()
    background = canvas_pixel(v, "boundary", "canvas[tabindex]", 60, 60)
    assert background[:3] == [255, 255, 255]  # no band drawn


def test_the_training_readouts_give_each_loss_one_row(visit):
    v = visit(1280)
    tops = (
        v.explorer("training")
        .locator(".hx-readout")
        .evaluate_all(
            "rs => rs.map(r => [r.firstChild.textContent,"
            " Math.round(r.getBoundingClientRect().top)])"
        )
    )
    top = dict(tops)
    assert top["hinge: J"] == top["hinge: gap"] < top["logistic: J"] == top["logistic: gap"]
    assert top["Epoch"] == top["Points"] > top["logistic: J"]


def test_the_selected_point_is_drawn_in_the_focus_colour(visit):
    v = visit()
    plane = v.explorer("boundary").locator("canvas[tabindex]")
    plane.focus()
    plane.press("n")
    at = v.page.evaluate("document.getElementById('explorer-boundary').explorerScreenPoint(0)")
    box = plane.bounding_box()
    pixel = canvas_pixel(
        v, "boundary", "canvas[tabindex]", at["x"] - box["x"], at["y"] - box["y"] - 11
    )
    assert np.abs(np.subtract(pixel[:3], [0, 114, 178])).max() <= 40, pixel


def test_reduced_motion_play_stops_where_play_would(visit):
    v = visit(reduced_motion="reduce")
    v.set("boundary", {"loss": "squared_hinge"})
    v.explorer("boundary").get_by_role("button", name="Play").click()
    state = v.state("boundary")
    assert not state["playing"] and state["converged"] and 0 < state["epoch"] < 2000


def test_the_caption_says_the_boundary_explorer_shows_the_optimum():
    import sys

    sys.path.insert(0, str(ROOT / "_ext"))
    from explorer_registry import NOTE

    assert "optimum" in NOTE and "gradient descent" in NOTE and "trains in your" not in NOTE


def test_the_training_explorer_scrubs_steps_and_plays_its_epochs(visit):
    v = visit()
    X, y = dataset("overlapping")
    runs = [hl.fit_linear(X, y, loss=loss, epochs=200) for loss in ("hinge", "logistic")]
    state = v.set("training", {"epoch": 50})
    for model, run in zip(state["models"], runs):
        np.testing.assert_allclose(model["w"], run.weight[50].numpy(), rtol=1e-9)
        assert model["objective"] == pytest.approx(float(run.objective[50]), rel=1e-9)
        assert model["active"] == int(run.violators[50])
    title = v.explorer("training").locator(".hx-panel-title").first.inner_text()
    assert f"epoch 50: {int(runs[0].violators[50])} of 200 points have a gradient" in title
    assert (
        "every point has a gradient"
        in v.explorer("training").locator(".hx-panel-title").last.inner_text()
    )
    explorer = v.explorer("training")
    explorer.get_by_role("button", name="Step", exact=True).click()
    assert v.state("training")["epoch"] == 51
    explorer.get_by_role("button", name="Step back").click()
    assert v.state("training")["epoch"] == 50
    epoch = explorer.get_by_label("Epoch", exact=True)
    epoch.focus()
    epoch.press("ArrowRight")
    assert v.state("training")["epoch"] == 51
    explorer.get_by_role("button", name="Play").click()
    v.page.wait_for_timeout(200)
    playing = v.state("training")
    assert playing["playing"] and playing["epoch"] > 51
    state = v.set("training", {"delta": MARGIN, "playing": False, "epoch": 10})
    margin_run = hl.fit_linear(X, y, loss="hinge", margin=MARGIN, epochs=10)
    np.testing.assert_allclose(state["w"], margin_run.weight[10].numpy(), rtol=1e-9)


def test_reduced_motion_play_shows_the_end_state_at_once(visit):
    v = visit(reduced_motion="reduce")
    v.explorer("training").get_by_role("button", name="Play").click()
    state = v.state("training")
    assert not state["playing"] and state["epoch"] == 200
    v.explorer("boundary").get_by_role("button", name="Play").click()
    state = v.state("boundary")
    assert not state["playing"] and state["epoch"] > 0


def test_the_readouts_are_announced_once_the_reader_stops(visit):
    v = visit()
    live = v.explorer("boundary").locator("[aria-live=polite]")
    assert live.count() == 1
    v.page.wait_for_timeout(800)
    for delta in (0.5, 0.6, 0.7):
        v.set("boundary", {"delta": delta})
    announced = live.inner_text()
    assert "0.70" not in announced  # not at every change ...
    v.page.wait_for_timeout(900)
    assert "Δ 0.70" in live.inner_text()  # ... but once the changes stop


@pytest.mark.parametrize("width", [1280, 390])
def test_every_control_is_named_and_nothing_overflows_or_is_too_small(visit, width):
    v = visit(width)
    if not AXE.is_file():
        unavailable(f"{AXE} is missing: run `npm ci` in the repository")
    v.page.add_script_tag(path=str(AXE))
    violations = v.page.evaluate(
        """async () => (await axe.run({include: [["figure.hinge-explorer"]]},
            {runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})).violations
            .map(x => x.id + ": " + x.nodes.map(n => n.target).join(" "))"""
    )
    assert violations == []
    unnamed = v.page.evaluate(
        """() => [...document.querySelectorAll(
              "figure.hinge-explorer :is(button, input, select, canvas[tabindex])")]
            .filter(c => !(c.labels && c.labels.length) && !c.textContent.trim()
                         && !c.getAttribute("aria-label")).map(c => c.outerHTML)"""
    )
    assert unnamed == []
    sizes = v.page.evaluate(
        """() => [...document.querySelectorAll("figure.hinge-explorer *")]
            .filter(e => e.childNodes.length && [...e.childNodes].some(
                n => n.nodeType === 3 && n.textContent.trim()) && e.offsetParent)
            .map(e => parseFloat(getComputedStyle(e).fontSize))"""
    )
    canvas_fonts = v.page.evaluate("window.__canvasFonts")
    assert sizes and min(sizes) >= 9 and canvas_fonts and min(canvas_fonts) >= 9
    right = v.page.evaluate(
        """() => Math.max(document.documentElement.scrollWidth, ...[...document.querySelectorAll(
            "figure.hinge-explorer *")].map(e => e.getBoundingClientRect().right))"""
    )
    assert right <= width
    overflowing = v.page.evaluate(
        """() => [...document.querySelectorAll(".hx-root, .hx-root > *")]
            .filter(e => e.scrollHeight > e.clientHeight + 1).map(e => e.className)"""
    )
    assert overflowing == []
    cut = v.page.evaluate(
        """() => [...document.querySelectorAll(".hx-readout, .hx-readout span, .hx-button")]
            .filter(e => e.scrollWidth > e.clientWidth).map(e => e.textContent)"""
    )
    assert cut == []  # no readout or button label ends in an ellipsis
    if width == 390:  # the panels stack on a phone
        boxes = (
            v.explorer("boundary")
            .locator(".hx-panel")
            .evaluate_all("ps => ps.map(p => p.getBoundingClientRect().top)")
        )
        assert boxes[1] > boxes[0] + 200
