"""Every chapter has the parts the book promises its readers (STYLE.md, "The chapters").

Learning objectives at the top, key takeaways at the bottom, at least two exercises each with a
solution, a caption and a name on every figure, and every paper in references.bib cited somewhere.
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))


def cells(notebook, kind):
    return [c for c in json.loads(notebook.read_text())["cells"] if c["cell_type"] == kind]


def markdown(notebook) -> str:
    return "\n".join("".join(c["source"]) for c in cells(notebook, "markdown"))


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda path: path.name)
def test_a_chapter_opens_with_its_title_and_learning_objectives(notebook):
    first = "".join(cells(notebook, "markdown")[0]["source"])
    assert first.startswith("# "), f"{notebook.name}: the first cell is the chapter's # title"
    assert "Learning objectives" in first, f"{notebook.name}: objectives belong in the first cell"


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda path: path.name)
def test_a_chapter_ends_with_key_takeaways(notebook):
    last = "".join(cells(notebook, "markdown")[-1]["source"])
    assert "## Key takeaways" in last, f"{notebook.name}: end on a '## Key takeaways' cell"


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda path: path.name)
def test_a_chapter_has_two_exercises_each_with_a_solution(notebook):
    text = markdown(notebook)
    exercises = re.findall(r"```\{exercise\}.*\n:label: (\S+)", text)
    solved = set(re.findall(r"```\{solution(?:-start)?\} (\S+)", text))
    assert len(exercises) >= 2, f"{notebook.name}: {len(exercises)} exercise(s)"
    assert not set(exercises) - solved, (
        f"{notebook.name}: no solution for {set(exercises) - solved}"
    )


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda path: path.name)
def test_every_figure_cell_has_a_caption_and_a_name(notebook):
    for cell in cells(notebook, "code"):
        figure = cell["metadata"].get("mystnb", {}).get("figure")
        if figure is not None:
            assert figure.get("caption") and figure.get("name"), f"{notebook.name}: {figure}"
            assert "hide-input" in cell["metadata"].get("tags", []), f"{notebook.name}: {figure}"


def test_every_paper_in_the_bibliography_is_cited():
    keys = re.findall(r"^@\w+\{([^,]+),", (ROOT / "references.bib").read_text(), re.M)
    text = (ROOT / "intro.md").read_text() + "".join(markdown(nb) for nb in CHAPTERS)
    cited = {
        k.strip()
        for group in re.findall(r"\{cite[:\w]*\}`([^`]+)`", text)
        for k in group.split(",")
    }
    assert not set(keys) - cited, f"cited nowhere: {sorted(set(keys) - cited)}"
