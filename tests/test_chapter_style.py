"""The second edition's reading standards, measured on the committed chapters (STYLE.md, "The
chapters"): teaching code first, nothing to scroll sideways, figures readable on a phone.

- At most 5% of the code lines a page shows are checks or glue (``assert``, ``assert_close``,
  ``hl.glue``); those belong in the next cell, tagged ``remove-input``.
- No code line and no printed line a page shows is wider than a code cell holds at 1280 px: 77
  columns, 74 in a folded (``hide-input``) cell or an exercise's solution, whose boxes are narrower
  (measured in Chromium; ``tests/test_browser.py`` checks that none scrolls).
- Every figure was shown with ``hl.show_figure``, which records its smallest text on a 390 px phone,
  and that text is at least 9 CSS px.

``python tests/test_chapter_style.py`` prints these measures for every chapter.
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Every chapter meets these standards (the second edition revised chapters 1-5, then 6-10).
REVISED = sorted(path.stem for path in (ROOT / "chapters").glob("*.ipynb"))
MAX_CHECK_SHARE = 0.05
MAX_COLUMNS = 77
MAX_COLUMNS_IN_A_BOX = 74  # a hide-input cell's or a solution's frame takes the difference
MIN_FIGURE_TEXT_PX = 9.0
CHECK_LINE = re.compile(
    r"^\s*(assert\b|torch\.testing\.assert|np\.testing\.|numpy\.testing\.|hl\.glue\(|glue\()"
)
HIDDEN_INPUT = {"remove-input", "remove-cell"}
HIDDEN_OUTPUT = {"remove-output", "remove-cell"}


def all_cells(name: str) -> list:
    return json.loads((ROOT / "chapters" / f"{name}.ipynb").read_text())["cells"]


def code_cells(name: str) -> list:
    return [c for c in all_cells(name) if c["cell_type"] == "code"]


def boxed_code_cells(name: str) -> list:
    """The code cells the page shows in a box: folded (hide-input) or inside a solution."""
    boxed, in_solution = [], False
    for cell in all_cells(name):
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            if "{solution-start}" in source:
                in_solution = True
            if "{solution-end}" in source:
                in_solution = "{solution-start}" in source.split("{solution-end}")[-1]
        elif in_solution or "hide-input" in tags(cell):
            boxed.append(cell)
    return boxed


def tags(cell) -> set:
    return set(cell["metadata"].get("tags", []))


def shown_code_lines(name: str, cells=None) -> list[str]:
    lines = []
    for cell in code_cells(name) if cells is None else cells:
        if not HIDDEN_INPUT & tags(cell):
            lines += [line for line in "".join(cell["source"]).splitlines() if line.strip()]
    return lines


def twin(cell) -> bool:
    """A live explorer's cell: the website shows its in-browser explorer instead of its output."""
    return any(tag.startswith("twin-") for tag in tags(cell))


def shown_printed_lines(name: str, cells=None) -> list[str]:
    lines = []
    for cell in code_cells(name) if cells is None else cells:
        if HIDDEN_OUTPUT & tags(cell) or twin(cell):
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if out["output_type"] == "stream":
                lines += "".join(out["text"]).splitlines()
            elif "text/plain" in data and not {"image/png", "text/html"} & set(data):
                lines += "".join(data["text/plain"]).splitlines()
    return lines


def figure_text_sizes(name: str) -> list:
    """hingelib.smallest_text_px of every PNG the page shows (None: not shown by show_figure)."""
    sizes = []
    for cell in code_cells(name):
        if HIDDEN_OUTPUT & tags(cell):
            continue
        for out in cell.get("outputs", []):
            if "image/png" in out.get("data", {}):
                sizes.append(out.get("metadata", {}).get("hingelib", {}).get("smallest_text_px"))
    return sizes


def check_share(name: str) -> float:
    lines = shown_code_lines(name)
    return sum(bool(CHECK_LINE.match(line)) for line in lines) / max(len(lines), 1)


@pytest.mark.parametrize("name", REVISED)
def test_at_most_5_percent_of_shown_code_lines_are_checks_or_glue(name):
    checks = [line for line in shown_code_lines(name) if CHECK_LINE.match(line)]
    assert check_share(name) <= MAX_CHECK_SHARE, (
        f"{name}: {len(checks)} shown check lines ({check_share(name):.1%}); move them to a "
        f"remove-input cell after the code they check: {checks[:5]}"
    )


@pytest.mark.parametrize("name", REVISED)
def test_no_shown_code_or_printed_line_is_wider_than_its_cell(name):
    boxed = boxed_code_cells(name)
    for cells, limit in ((None, MAX_COLUMNS), (boxed, MAX_COLUMNS_IN_A_BOX)):
        lines = shown_code_lines(name, cells) + shown_printed_lines(name, cells)
        wide = [line for line in lines if len(line) > limit]
        where = "in a folded cell or a solution" if cells else "in a cell"
        assert not wide, f"{name}: {len(wide)} lines over {limit} columns {where}: {wide[:3]}"


def test_the_solution_boxes_are_found():
    # the box limit must not pass for want of boxes: chapter 1 has solutions with code
    assert any("hide-input" not in tags(cell) for cell in boxed_code_cells("01_geometric_margin"))


@pytest.mark.parametrize("name", REVISED)
def test_every_figure_is_readable_on_a_phone(name):
    sizes = figure_text_sizes(name)
    assert None not in sizes, f"{name}: show every figure with hl.show_figure(fig)"
    small = [size for size in sizes if size < MIN_FIGURE_TEXT_PX]
    assert not small, f"{name}: figure text of {small} CSS px at 390 px; at least 9 needed"


def report() -> str:
    rows = [
        "chapter                shown code lines  checks  widest/in a box  smallest figure text"
    ]
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        name = path.stem
        lines = shown_code_lines(name)
        widest = max(map(len, lines + shown_printed_lines(name)), default=0)
        boxed = boxed_code_cells(name)
        in_box = shown_code_lines(name, boxed) + shown_printed_lines(name, boxed)
        widest = f"{widest}/{max(map(len, in_box), default=0)}"
        sizes = [s for s in figure_text_sizes(name) if s is not None]
        smallest = f"{min(sizes):.1f} px" if sizes else "not recorded"
        rows.append(
            f"{name:28s}{len(lines):>11d}  {check_share(name):6.1%}  {widest:>15s}  {smallest}"
        )
    return "\n".join(rows)


if __name__ == "__main__":
    print(report())
