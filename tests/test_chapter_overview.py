"""The {chapter-overview} directive reads each chapter's title, summary and goals, or says how to
fix the chapter's first cell."""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "_ext"))
from chapter_overview import chapter_intro, toc_files  # noqa: E402 (the folder is not a package)
from sphinx.errors import ExtensionError  # noqa: E402

GOOD = """# Margins

**In short.** The margin $m = y\\,f(x)$ measures
how far a point is on the right side.

An introduction.

**Learning objectives.** After this chapter you can

- compute $m$;
- explain it.

More text.
"""


def notebook(tmp_path, first_cell: str) -> Path:
    path = tmp_path / "chapter.ipynb"
    cells = [{"cell_type": "markdown", "source": first_cell.splitlines(True), "metadata": {}}]
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4}))
    return path


def test_the_title_summary_and_goals_are_read_from_the_first_cell(tmp_path):
    intro = chapter_intro(notebook(tmp_path, GOOD))
    assert intro["title"] == "Margins"
    assert (
        intro["summary"]
        == "The margin $m = y\\,f(x)$ measures\nhow far a point is on the right side."
    )
    assert intro["goals"] == ["- compute $m$;", "- explain it."]


@pytest.mark.parametrize(
    "broken, fix",
    [
        (GOOD.replace("**In short.** ", ""), "In short."),
        (GOOD.replace("# Margins", "Margins"), "# Title"),
        (GOOD.replace("- compute", "* compute").replace("- explain", "* explain"), "bullet list"),
        (GOOD.replace("how far", "how far ({doc}`02_hinge_loss`)"), "move the link"),
    ],
)
def test_a_first_cell_in_another_shape_is_refused_with_the_fix(tmp_path, broken, fix):
    with pytest.raises(ExtensionError, match=fix.replace("(", r"\(").replace(".", r"\.")):
        chapter_intro(notebook(tmp_path, broken))


def test_toc_files_follow_parts_and_chapters_in_order():
    toc = {
        "root": "intro",
        "parts": [
            {"chapters": [{"file": "a"}]},
            {"chapters": [{"file": "b", "sections": [{"file": "c"}]}]},
        ],
    }
    assert toc_files({"file": "intro", **toc}) == ["intro", "a", "b", "c"]
