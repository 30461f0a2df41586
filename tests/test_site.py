"""Checks on the built website (_build/html): the maths is served by the site itself.

`make test` builds the book before it runs pytest. Run alone without a build, these tests skip,
except under CI, where a missing build is a failure.
"""

import os
import re
from pathlib import Path

import pytest

SITE = Path(__file__).resolve().parents[1] / "_build" / "html"
PAGES = sorted(SITE.rglob("*.html")) if SITE.exists() else []

if not PAGES:
    if os.environ.get("CI"):
        raise RuntimeError(f"no built site in {SITE}; `make test` builds it before pytest")
    pytest.skip("no built site: run `make book` first", allow_module_level=True)

CHAPTER_PAGES = [p for p in PAGES if p.parent.name == "chapters" or p.name == "intro.html"]


@pytest.mark.parametrize("page", CHAPTER_PAGES, ids=lambda p: p.name)
def test_mathjax_is_loaded_from_the_site_itself(page):
    sources = re.findall(r'<script[^>]+src="([^"]*mathjax[^"]*)"', page.read_text(), re.I)
    assert sources, f"{page.name} loads no MathJax"
    for source in sources:
        assert not source.startswith(("http:", "https:", "//")), source
        assert (page.parent / source.split("?")[0]).resolve().is_file(), source


def test_mathjax_fonts_ship_with_the_site():
    fonts = list((SITE / "_static" / "mathjax" / "output" / "chtml" / "fonts").rglob("*.woff"))
    assert len(fonts) >= 20
