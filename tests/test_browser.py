"""The website's static twins work in a real browser: each slider swaps the frame, the player plays.

Chapter 8 is opened from the built site in headless Chromium (Debian's package, driven by
Playwright's sync API) through a local HTTP server. For every static twin on the page, each slider
is moved (by keyboard, then by setting its value and firing ``input``), and the image must change:
a new frame URL, different PNG bytes and different pixels on screen. The animation's step and play
buttons must advance the epoch and the image. The page must log no console error, fail no request
and fetch nothing from outside the site. Screenshots at phone and desktop widths are saved to
``_build/screenshots/``.

``HINGE_SITE`` points the tests at another build (default ``_build/html``). Without a build or
without Chromium they skip, except under CI, where both are failures.
"""

import functools
import os
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("HINGE_SITE", ROOT / "_build" / "html"))
SCREENSHOTS = SITE.parent / "screenshots"
CHAPTER = "chapters/08_interactive_explorer.html"
WIDTHS = {"phone": 390, "desktop": 1280}
#: Errors every page of the site logs, whatever it shows: the theme's, not the twins'. sphinx-thebe
#: declares its configuration script twice, and pydata-sphinx-theme finds no default light or dark
#: mode in the page and falls back to "auto". Anything else fails the tests.
THEME_ERRORS = {
    "Identifier 'THEBE_JS_URL' has already been declared",
    "Got invalid theme mode: . Resetting to auto.",
}


def unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        raise RuntimeError(reason)
    pytest.skip(reason, allow_module_level=True)


if not (SITE / CHAPTER).is_file():
    unavailable(f"no built chapter 8 in {SITE}: run `make book` first (or set HINGE_SITE)")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    unavailable("Chromium is not installed: `apt-get install chromium` (Debian's package)")

from playwright.sync_api import sync_playwright  # noqa: E402 (after the skips: pinned, but heavy)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # no line per request in the test output
        pass

    def send_error(self, code, message=None, explain=None):
        if self.path == "/favicon.ico":  # the browser asks on its own; the book has none
            self.send_response(204)
            self.end_headers()
            return
        super().send_error(code, message, explain)


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
        chromium = playwright.chromium.launch(executable_path=CHROMIUM)
        yield chromium
        chromium.close()


class Visit:
    """A page of the site in a fresh browser context, recording what went wrong while it ran."""

    def __init__(self, browser, site_url: str, width: int):
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        self.page, self.site = self.context.new_page(), site_url
        self.errors, self.failed, self.outside = [], [], []
        self.page.on("console", self.on_console)
        self.page.on("pageerror", self.on_page_error)
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        self.page.on("response", self.on_response)
        self.page.on("request", self.on_request)

    def on_console(self, message):
        if message.type == "error" and message.text not in THEME_ERRORS:
            self.errors.append(message.text)

    def on_page_error(self, error):
        if str(error) not in THEME_ERRORS:
            self.errors.append(str(error))

    def on_response(self, response):
        if response.status >= 400:
            self.failed.append(f"{response.url} (HTTP {response.status})")

    def on_request(self, request):
        if not request.url.startswith((self.site, "data:", "blob:")):
            self.outside.append(request.url)

    def open(self, path: str = CHAPTER):
        self.page.goto(self.site + path, wait_until="networkidle")
        return self.page

    def check_clean(self):
        assert not self.errors, f"console errors: {self.errors}"
        assert not self.failed, f"failed requests: {self.failed}"
        assert not self.outside, f"requests that leave the site (no CDN allowed): {self.outside}"


@pytest.fixture
def visit(browser, site_url):
    visits = []

    def open_visit(width: int = WIDTHS["desktop"]) -> Visit:
        visits.append(Visit(browser, site_url, width))
        return visits[-1]

    yield open_visit
    for opened in visits:
        opened.context.close()


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
    assert twins.count() >= 2, "chapter 8 should show the explorer's and the animation's twins"
    return [twins.nth(i) for i in range(twins.count())]


def test_chapter_8_loads_cleanly_and_offline(visit):
    opened = visit()
    page = opened.open()
    for twin in twins_of(page):
        assert twin.locator(".static-twin-controls").is_visible(), "the script shows the controls"
        note = twin.locator("figcaption.static-twin-note").inner_text()
        assert "Binder" in note and "Colab" in note and "rocket" in note
    assert page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count() == 0
    opened.check_clean()


def test_every_slider_of_every_twin_changes_the_image(visit):
    opened = visit()
    page = opened.open()
    for twin in twins_of(page):
        sliders = twin.locator('input[type="range"]')
        assert sliders.count() >= 1
        for i in range(sliders.count()):
            slider, name = sliders.nth(i), twin.get_attribute("id")
            output = twin.locator("output").nth(i)
            low, high = int(slider.get_attribute("min")), int(slider.get_attribute("max"))
            assert high > low, f"{name}: slider {i} has a single value"
            before = frame_shown(page, twin)
            shown_before = output.inner_text()
            slider.focus()
            page.keyboard.press("ArrowLeft" if int(slider.input_value()) == high else "ArrowRight")
            after_key = frame_shown(page, twin)
            assert_changed(before, after_key, f"{name}, slider {i}, arrow key")
            assert output.inner_text() != shown_before, f"{name}: the value shown did not change"
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


def test_the_animation_steps_and_plays(visit):
    opened = visit()
    page = opened.open()
    players = [twin for twin in twins_of(page) if twin.locator("button[data-play]").count()]
    assert players, "chapter 8 should show the training animation's twin"
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
        play.click()
        assert play.get_attribute("aria-pressed") == "true"
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
        assert play.get_attribute("aria-pressed") == "false"
        paused = epoch.inner_text()
        assert_changed(before, frame_shown(page, twin), "play")
        page.wait_for_timeout(600)  # several frame intervals: a paused player stays put
        assert epoch.inner_text() == paused
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        twin.screenshot(path=SCREENSHOTS / "08_animation_played.png")
    opened.check_clean()


@pytest.mark.parametrize("device", WIDTHS)
def test_chapter_8_fits_phone_and_desktop_screens(visit, device):
    opened = visit(WIDTHS[device])
    page = opened.open()
    for twin in twins_of(page):
        twin.scroll_into_view_if_needed()
        box, img = twin.bounding_box(), twin.locator("img.static-twin-frame").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTHS[device] + 0.5, device
        assert img["width"] <= box["width"] + 0.5, f"{device}: the frame overflows its figure"
        for slider in twin.locator('input[type="range"]').all():
            assert slider.bounding_box()["width"] >= 80, f"{device}: slider too narrow to use"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")  # sticky header and sidebar at the top of the shot
    page.screenshot(path=SCREENSHOTS / f"08_interactive_explorer_{device}.png", full_page=True)
    first = twins_of(page)[0]
    first.locator('input[type="range"]').first.focus()
    page.keyboard.press("End")
    frame_shown(page, first)
    first.screenshot(path=SCREENSHOTS / f"08_twin_moved_{device}.png")
    opened.check_clean()


def frame_path(src: str) -> Path:
    return SITE / urlsplit(src).path.lstrip("/")


def test_a_page_loads_only_the_frames_it_shows(visit):
    opened = visit()
    page = opened.open()
    loaded = page.evaluate("performance.getEntriesByType('resource').map(entry => entry.name)")
    frames = [url for url in loaded if "/_static/twins/" in url]
    assert len(frames) == len(twins_of(page)), f"one frame per twin on load, got {frames}"
    for url in frames:
        assert frame_path(url).stat().st_size < 40_000, f"{url}: a frame should stay small"
    opened.check_clean()
