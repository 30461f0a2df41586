"""The markup every page ends with (``_ext/site_markup.py``): inline icons, sized figures, names
that contain what controls show, bibliography list items."""

import sys
from pathlib import Path

import pytest
from sphinx.errors import ExtensionError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))

import site_markup  # noqa: E402 (the extension's folder is not a package)

if not site_markup.ICONS.is_dir():
    pytest.skip("Font Awesome's SVGs are not installed: run `npm ci`", allow_module_level=True)


def test_an_icon_becomes_inline_svg_hidden_from_screen_readers_keeping_its_classes():
    page = (
        '<script defer src="../_static/scripts/fontawesome.js?digest=1"></script>\n'
        '<i class="theme-switch fa-solid fa-sun fa-lg" data-mode="light" title="Light"></i>'
        '<span class="fab fa-github"></span>'
    )
    svg = site_markup.inline_icons(page)
    assert "fontawesome.js" not in svg and "<i " not in svg and "<span" not in svg
    sun, github = svg.split("</svg>")[:2]
    assert 'class="svg-inline--fa theme-switch fa-sun fa-lg"' in sun and 'data-mode="light"' in sun
    assert 'aria-hidden="true"' in sun and 'focusable="false"' in sun and "title" not in sun
    assert 'viewBox="0 0 ' in github and "<path" in github


def test_text_that_merely_looks_like_an_icon_class_is_left_alone():
    page = '<span class="fast-track"></span><span class="fa-solid"></span>'
    assert site_markup.inline_icons(page) == page


def test_an_unknown_icon_fails_the_build_with_the_fix():
    with pytest.raises(ExtensionError, match="npm ci"):
        site_markup.inline_icons('<i class="fa-solid fa-no-such-icon"></i>')


def test_figure_images_get_their_pixel_size(tmp_path):
    from PIL import Image

    (tmp_path / "_images").mkdir()
    Image.new("RGB", (640, 360)).save(tmp_path / "_images" / "plot.png")
    page = '<img alt="a plot" src="_images/plot.png" /><img alt="logo" src="logo.svg">'
    sized = site_markup.size_images(page, tmp_path)
    assert sized.startswith('<img width="640" height="360" alt="a plot"')
    assert sized.endswith('<img alt="logo" src="logo.svg">'), "only figures (_images/)"
    assert site_markup.size_images(sized, tmp_path) == sized, "a second rewrite changes nothing"


def test_controls_are_named_by_what_they_show_and_citations_are_list_items():
    page = (
        '<button class="btn search-button-field search-button__button" title="Search" '
        'aria-label="Search"><span>Search</span><kbd>Ctrl</kbd>+<kbd>K</kbd></button>'
        '<button class="btn search-button" title="Search" aria-label="Search"></button>'
        '<summary aria-label="Toggle hidden content"><p>Show code cell source</p></summary>'
        '<div role="list"><div class="citation" role="doc-biblioentry"></div></div>'
    )
    fixed = site_markup.name_controls(page)
    assert fixed.count('aria-label="Search"') == 1, "the icon-only button keeps its name"
    assert "<summary>" in fixed and "Toggle hidden content" not in fixed
    assert 'role="listitem"' in fixed and "doc-biblioentry" not in fixed
