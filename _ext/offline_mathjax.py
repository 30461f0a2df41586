"""Serve MathJax from the book itself, so the maths renders offline and no page calls a CDN.

The MathJax 3 files come from the ``django-static-mathjax`` wheel (requirements.txt; it has no
Django dependency). We copy the one combined script that needs no further downloads
(``tex-chtml-full.js``: every TeX extension built in) and its web fonts into ``_static/mathjax``.
"""

from __future__ import annotations

import shutil
from importlib.util import find_spec
from pathlib import Path

SCRIPT = "tex-chtml-full.js"
FONTS = Path("output/chtml/fonts/woff-v2")


def mathjax_source() -> Path:
    spec = find_spec("mathjax")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "MathJax is missing: install the book's toolchain with `make book` "
            "(requirements.txt pins django-static-mathjax)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "static" / "mathjax"


def copy_mathjax(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    source, target = mathjax_source(), Path(app.outdir) / "_static" / "mathjax"
    (target / FONTS).mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / "es5" / SCRIPT, target / SCRIPT)
    shutil.copy2(source / "LICENSE", target / "LICENSE")
    for font in (source / "es5" / FONTS).glob("*.woff"):
        shutil.copy2(font, target / FONTS / font.name)


def setup(app):
    mathjax_source()  # fail early, with the fix, if the files are not installed
    app.config.mathjax_path = f"mathjax/{SCRIPT}"  # relative to _static: served by the book
    app.connect("build-finished", copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
