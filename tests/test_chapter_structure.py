"""Every chapter has the parts the book promises its readers (STYLE.md, "The chapters").

A one-paragraph summary and learning objectives at the top, key takeaways at the bottom, at least
two exercises each with a solution, a caption, a name and an alt text on every figure, and every
paper in references.bib cited somewhere.
"""

import itertools
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


def first_cell(notebook) -> str:
    return "".join(cells(notebook, "markdown")[0]["source"])


IN_SHORT = "**In short.** "
OBJECTIVES = "**Learning objectives.** After this chapter you can"
MAX_SUMMARY_WORDS = 45
MIN_ALT_WORDS = 8


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda path: path.name)
def test_a_chapter_opens_with_its_title_and_learning_objectives(notebook):
    first = first_cell(notebook)
    assert first.startswith("# "), f"{notebook.name}: the first cell is the chapter's # title"
    assert "Learning objectives" in first, f"{notebook.name}: objectives belong in the first cell"


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda path: path.name)
def test_a_chapter_is_summarised_in_short_right_after_its_title(notebook):
    # the "chapters at a glance" page extracts this paragraph: title, blank line, one paragraph
    title, blank, *rest = first_cell(notebook).split("\n")
    assert title.startswith("# ") and blank == "", f"{notebook.name}: '# Title', then a blank line"
    assert rest and rest[0].startswith(IN_SHORT), (
        f"{notebook.name}: the line after the title's blank line must start with {IN_SHORT!r}"
    )
    paragraph = " ".join(itertools.takewhile(str.strip, rest))
    words = paragraph.removeprefix(IN_SHORT).split()
    assert 0 < len(words) <= MAX_SUMMARY_WORDS, (
        f"{notebook.name}: the summary has {len(words)} words, at most {MAX_SUMMARY_WORDS} allowed"
    )


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda path: path.name)
def test_the_learning_objectives_are_a_list_right_after_their_lead_in(notebook):
    # extracted with the summary: the lead-in line, a blank line, then "- " items
    lines = first_cell(notebook).split("\n")
    assert OBJECTIVES in lines, f"{notebook.name}: no line {OBJECTIVES!r}"
    after = lines[lines.index(OBJECTIVES) + 1 :]
    assert after[:1] == [""] and after[1:2] and after[1].startswith("- "), (
        f"{notebook.name}: a blank line and a '- ' list must follow {OBJECTIVES!r}"
    )


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
def test_every_solution_start_is_closed_before_the_next_one(notebook):
    """sphinx-exercise stops the whole build on a gated solution left open."""
    text = markdown(notebook)
    gates = re.findall(r"```\{solution-(start|end)\}", text)
    open_gate = False
    for gate in gates:
        assert (gate == "start") != open_gate, (
            f"{notebook.name}: a solution-{gate} without its partner; close each "
            "solution-start with ```{solution-end}``` before the next exercise"
        )
        open_gate = gate == "start"
    assert not open_gate, f"{notebook.name}: the last solution-start has no solution-end"


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda path: path.name)
def test_every_figure_cell_has_a_caption_and_a_name(notebook):
    for cell in cells(notebook, "code"):
        figure = cell["metadata"].get("mystnb", {}).get("figure")
        if figure is not None:
            assert figure.get("caption") and figure.get("name"), f"{notebook.name}: {figure}"
            assert "hide-input" in cell["metadata"].get("tags", []), f"{notebook.name}: {figure}"


def shown_images(notebook):
    """The code cells whose output includes a PNG that the page shows."""
    for cell in cells(notebook, "code"):
        removed = {"remove-cell", "remove-output"} & set(cell["metadata"].get("tags", []))
        outputs = cell.get("outputs", [])
        if not removed and any("image/png" in out.get("data", {}) for out in outputs):
            yield cell


def normalised(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


@pytest.mark.parametrize("notebook", CHAPTERS, ids=lambda path: path.name)
def test_every_image_has_an_alt_text_that_is_not_its_file_name_or_caption(notebook):
    # without mystnb.image.alt the page's <img> gets the image's file name as its alt text
    for cell in shown_images(notebook):
        mystnb = cell["metadata"].get("mystnb", {})
        name = mystnb.get("figure", {}).get("name", f"cell {cell.get('id')}")
        alt = mystnb.get("image", {}).get("alt")
        where = f"{notebook.name}, {name}"
        assert isinstance(alt, str), f"{where}: set metadata.mystnb.image.alt to a description"
        assert len(alt.split()) >= MIN_ALT_WORDS, f"{where}: alt text too short to describe"
        file_name = re.search(r"\.(png|jpe?g|gif|svg)\b", alt, re.I)
        assert not file_name, f"{where}: alt text is a file name"
        assert "$" not in alt, f"{where}: alt text is read aloud as plain text, not LaTeX"
        caption = normalised(mystnb.get("figure", {}).get("caption", ""))
        assert normalised(alt) not in caption, f"{where}: describe the image, not the caption"


def test_every_paper_in_the_bibliography_is_cited():
    keys = re.findall(r"^@\w+\{([^,]+),", (ROOT / "references.bib").read_text(), re.M)
    text = (ROOT / "intro.md").read_text() + "".join(markdown(nb) for nb in CHAPTERS)
    cited = {
        k.strip()
        for group in re.findall(r"\{cite[:\w]*\}`([^`]+)`", text)
        for k in group.split(",")
    }
    assert not set(keys) - cited, f"cited nowhere: {sorted(set(keys) - cited)}"
