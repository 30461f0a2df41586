"""Checks on the built website's HTML (_build/html), without a browser.

- Every formula is typeset when the book is built (KaTeX, with its styles and fonts in the site):
  no raw TeX is left, and no page loads a maths script, nor Font Awesome's script (inline icons).
- Every figure image carries its width and height; every icon is hidden from screen readers.
- No page loads a script, stylesheet, image or frame from outside the site.
- Every internal link and anchor resolves (a crawler over every page, instead of Sphinx linkcheck,
  which would also try the external links and needs the internet).
- Every image has a meaningful alt text, every figure a caption, every content image a figure.
- Every Binder and Colab button opens a notebook that git tracks, in the repository and on the
  branch that ``_config.yml`` names, which must be ``main``.
- The chapters-at-a-glance page lists every chapter under the number the chapter page shows.

`make test` builds the book before it runs pytest. Run alone without a build, these tests skip,
except under CI, where a missing build is a failure. ``HINGE_SITE`` points them at another build.
"""

import os
import re
import subprocess
from functools import cache
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("HINGE_SITE", ROOT / "_build" / "html"))
#: Every page of the book; _static holds the theme's own template fragments, not pages.
PAGES = sorted(p for p in SITE.rglob("*.html") if "_static" not in p.parts) if SITE.exists() else []
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())

if not PAGES:
    if os.environ.get("CI"):
        raise RuntimeError(f"no built site in {SITE}; `make test` builds it before pytest")
    pytest.skip("no built site: run `make book` first", allow_module_level=True)

CHAPTER_PAGES = sorted((SITE / "chapters").glob("*.html"))
BOOK_PAGES = [p for p in PAGES if p.parent.name == "chapters" or p.parent == SITE]
THEMED_PAGES = [p for p in BOOK_PAGES if p.name != "index.html"]  # index.html only redirects
OUTSIDE = ("http:", "https:", "//")
NOT_A_PAGE = ("mailto:", "javascript:", "data:", "tel:")


class Page(HTMLParser):
    """The parts of one HTML page the checks need: ids, links, loaded assets, images, figures."""

    def __init__(self, path: Path):
        super().__init__(convert_charrefs=True)
        self.path, self.ids, self.links, self.assets = path, set(), [], []
        self.images, self.figures, self.stack = [], [], []
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name"):
            if attrs.get(key):
                self.ids.add(attrs[key])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in ("script", "img", "iframe", "source", "video", "audio") and attrs.get("src"):
            self.assets.append(attrs["src"])
        if tag == "link" and attrs.get("href") and "stylesheet" in attrs.get("rel", "") + "icon":
            self.assets.append(attrs["href"])
        if tag == "img":
            in_figure = any(open_tag[0] == "figure" for open_tag in self.stack)
            self.images.append({**attrs, "in_figure": in_figure})
        if tag == "figure":
            self.figures.append({"id": attrs.get("id", ""), "caption": ""})
        if tag not in ("img", "br", "hr", "meta", "link", "input", "source", "wbr"):
            self.stack.append((tag, attrs))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if any(open_tag[0] == "figcaption" for open_tag in self.stack) and self.figures:
            self.figures[-1]["caption"] += data


@cache
def parsed(path: Path) -> Page:
    return Page(path)


def relative(path: Path) -> str:
    return path.relative_to(SITE).as_posix()


MATH = re.compile(r'<(span|div) class="math notranslate nohighlight"')
KATEX = re.compile(r'<span class="katex">')
#: Where TeX may still appear as text: code, and the TeX annotation of KaTeX's MathML.
NOT_PROSE = re.compile(r"<(pre|code|annotation)\b.*?</\1>", re.S)


@pytest.mark.parametrize("page", PAGES, ids=relative)
def test_every_formula_is_typeset_when_the_book_is_built(page):
    # _ext/static_maths.py: KaTeX under Node writes HTML and MathML into every span.math, div.math
    text = page.read_text()
    formulas, typeset = len(MATH.findall(text)), len(KATEX.findall(text))
    assert typeset == formulas, f"{relative(page)}: {typeset} of {formulas} formulas typeset"
    assert "math-error" not in text, f"{relative(page)} shows a formula KaTeX could not typeset"
    prose = NOT_PROSE.sub("", text)
    for delimiter in ("\\(", "\\[", "$$"):
        assert delimiter not in prose, f"{relative(page)}: raw TeX {delimiter!r} left in the text"


@pytest.mark.parametrize("page", PAGES, ids=relative)
def test_no_page_loads_a_maths_script_or_font_awesomes_script(page):
    scripts = [src for src in parsed(page).assets if src.split("?")[0].endswith(".js")]
    heavy = [s for s in scripts if any(n in s.lower() for n in ("mathjax", "katex", "fontawesome"))]
    assert not heavy, f"{relative(page)} loads {heavy}: maths and icons are drawn at build time"
    assert "window.MathJax" not in page.read_text()


@pytest.mark.parametrize("page", THEMED_PAGES, ids=relative)
def test_icons_are_inline_svg_hidden_from_screen_readers(page):
    text = page.read_text()
    leftover = re.findall(r'<(?:i|span) class="[^"]*\bfa-[a-z-]+[^"]*"', text)
    assert not leftover, f"{relative(page)}: Font Awesome elements left: {leftover[:3]}"
    icons = re.findall(r'<svg class="svg-inline--fa[^>]*>', text)
    assert icons and all('aria-hidden="true"' in icon for icon in icons)


def test_katex_styles_and_fonts_ship_with_the_site():
    css = (SITE / "_static" / "katex" / "katex.min.css").read_text()
    fonts = re.findall(r"url\((fonts/[^)]+)\)", css)
    assert len(fonts) >= 20 and all(f.endswith(".woff2") for f in fonts)
    missing = [f for f in fonts if not (SITE / "_static" / "katex" / f).is_file()]
    assert not missing, f"KaTeX's stylesheet names fonts the site lacks: {missing}"


@pytest.mark.parametrize("page", BOOK_PAGES, ids=relative)
def test_pages_with_maths_link_katexs_stylesheet(page):
    if MATH.search(page.read_text()):
        assert any("katex/katex.min.css" in href for href in parsed(page).assets)


def test_numbered_equations_keep_their_number_and_permalink():
    numbered = []
    for chapter in CHAPTER_PAGES:
        numbered += re.findall(
            r'<div class="math notranslate nohighlight" id="(equation-[^"]+)">\s*'
            r'<span class="eqno">\(([\d.]+)\)<a class="headerlink" href="#\1"',
            chapter.read_text(),
        )
    assert len(numbered) >= 3, "the chapters number their main equations ({eq} links to them)"


@pytest.mark.parametrize("page", BOOK_PAGES, ids=relative)
def test_every_figure_image_carries_its_size(page):
    # so that the browser reserves its box before it loads: no layout shift (_ext/site_markup.py)
    for image in parsed(page).images:
        if "_images/" in image.get("src", "") or "static-twin-frame" in image.get("class", ""):
            assert image.get("width") and image.get("height"), f"{relative(page)}: {image['src']}"


@pytest.mark.parametrize("page", PAGES, ids=relative)
def test_a_page_loads_nothing_from_outside_the_site(page):
    outside = [src for src in parsed(page).assets if src.startswith(OUTSIDE)]
    assert not outside, f"{relative(page)} loads {outside}: ship the file in _static instead"


@pytest.mark.parametrize("page", PAGES, ids=relative)
def test_no_page_carries_sphinx_thebes_unused_scripts(page):
    # _ext/no_thebe.py: they named thebe on unpkg.com and declared THEBE_JS_URL twice (an error)
    text = page.read_text()
    assert "THEBE_JS_URL" not in text and "x-thebe-config" not in text and "unpkg.com" not in text


def resolve(page: Path, href: str) -> tuple[Path, str]:
    """The file and the fragment an internal ``href`` on ``page`` points to."""
    parts = urlsplit(href)
    target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
    if target.is_dir():
        target = target / "index.html"
    return target, unquote(parts.fragment)


@pytest.mark.parametrize("page", PAGES, ids=relative)
def test_every_internal_link_and_anchor_resolves(page):
    broken = []
    for href in parsed(page).links + parsed(page).assets:
        if href.startswith(OUTSIDE + NOT_A_PAGE):
            continue
        target, fragment = resolve(page, href)
        if not target.is_file() or SITE.resolve() not in target.parents:
            broken.append(f"{href} (no file {target})")
        elif fragment and target.suffix == ".html" and fragment not in parsed(target).ids:
            broken.append(f"{href} (no id {fragment!r} in {relative(target)})")
    assert not broken, f"{relative(page)} has broken links: {broken}"


def test_a_file_name_is_not_an_alt_text():
    assert looks_like_a_file_name("../_images/5647697e.png")
    assert looks_like_a_file_name("plot.png")
    assert not looks_like_a_file_name("The objective gap falls like 1/t.")


def test_the_crawler_finds_a_broken_anchor(tmp_path):
    page = tmp_path / "page.html"
    page.write_text('<p id="here"></p><a href="#here">ok</a><a href="#gone">broken</a>')
    ids = parsed(page).ids
    assert [resolve(page, h)[1] in ids for h in parsed(page).links] == [True, False]


def looks_like_a_file_name(text: str) -> bool:
    return "_images/" in text or bool(re.fullmatch(r"\S+\.(png|jpe?g|svg|gif|webp)", text))


@pytest.mark.parametrize("page", BOOK_PAGES, ids=relative)
def test_every_image_has_a_meaningful_alt_text(page):
    for image in parsed(page).images:
        alt, src = (image.get("alt") or "").strip(), image.get("src", "")
        assert alt, f"{relative(page)}: {src} has no alt text"
        assert not looks_like_a_file_name(alt), f"{relative(page)}: {src} has alt {alt!r}"
        if "_images/" in src or "static-twin-frame" in image.get("class", ""):  # the figures
            assert len(alt.split()) >= 8, f"{relative(page)}: {src}: describe it, not {alt!r}"


@pytest.mark.parametrize("page", BOOK_PAGES, ids=relative)
def test_every_figure_has_a_caption_and_every_plot_is_a_figure(page):
    for figure in parsed(page).figures:
        caption = " ".join(figure["caption"].split())
        assert len(caption.split()) >= 5, f"{relative(page)}: figure {figure['id']} {caption!r}"
    for image in parsed(page).images:
        if "_images/" in image.get("src", ""):
            assert image["in_figure"], f"{relative(page)}: {image['src']} has no figure caption"


def git_tracked(path: str) -> bool:
    result = subprocess.run(
        ["git", "ls-files", "--error-unmatch", path], cwd=ROOT, capture_output=True, text=True
    )
    return result.returncode == 0


def launch_targets(href: str) -> tuple[str, str, str] | None:
    """(repository, branch, notebook path) of a Binder or Colab launch link, else None."""
    binder = re.fullmatch(
        r"https://mybinder\.org/v2/gh/([^/]+/[^/]+)/([^?]+)\?urlpath=lab/tree/(.+)", href
    )
    colab = re.fullmatch(
        r"https://colab\.research\.google\.com/github/([^/]+/[^/]+)/blob/([^/]+)/(.+)", href
    )
    match = binder or colab
    return (match[1], unquote(match[2]), unquote(match[3])) if match else None


@pytest.mark.parametrize("page", CHAPTER_PAGES, ids=relative)
def test_binder_and_colab_buttons_open_this_chapters_notebook_on_main(page):
    repository = urlsplit(CONFIG["repository"]["url"]).path.strip("/")
    assert CONFIG["repository"]["branch"] == "main"
    launches = [
        href
        for href in parsed(page).links
        if href.startswith(("https://mybinder", "https://colab"))
    ]
    assert {urlsplit(h).netloc for h in launches} == {"mybinder.org", "colab.research.google.com"}
    notebook = PurePosixPath("chapters", page.name).with_suffix(".ipynb").as_posix()
    for href in launches:
        assert launch_targets(href) == (repository, "main", notebook), href
        assert git_tracked(notebook), f"{notebook} is not in the repository: `git add` it"


def test_launch_links_are_parsed_strictly():
    assert launch_targets("https://mybinder.org/v2/gh/a/b/main?urlpath=lab/tree/c.ipynb") == (
        "a/b",
        "main",
        "c.ipynb",
    )
    assert (
        launch_targets("https://colab.research.google.com/github/a/b/blob/dev/c.ipynb")[1] == "dev"
    )
    assert launch_targets("https://colab.research.google.com/drive/123") is None


def test_the_overview_lists_every_chapter_under_its_number():
    overview = (SITE / "overview.html").read_text()
    for chapter in CHAPTER_PAGES:
        title = re.search(
            r'<h1>.*?<span class="section-number">(\d+)\. </span>(.*?)<a', chapter.read_text(), re.S
        )
        assert title, f"{chapter.name}: no numbered title"
        number, name = title[1], re.sub(r"<[^>]+>", "", title[2]).strip()
        link = f'Chapter {number} · <a class="reference internal" href="chapters/{chapter.name}">'
        assert link in overview, f"overview.html: no '{link}' for {name}"
