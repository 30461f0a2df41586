"""``{chapter-overview}``: every chapter's summary and learning goals, read from the chapter itself.

Each chapter notebook opens with one markdown cell: its ``# title``, a ``**In short.**`` paragraph,
an introduction, and ``**Learning objectives.** After this chapter you can`` followed by a bullet
list. The directive renders, for every chapter in ``_toc.yml`` order, a card with the chapter's
number and link, that paragraph and that list, so the overview page and the chapters never disagree.
The page is rebuilt whenever a chapter changes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from docutils import nodes
from docutils.statemachine import StringList
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective

SUMMARY = "**In short.**"
GOALS = "**Learning objectives.** After this chapter you can"
CHAPTER_FOLDER = "chapters/"


def toc_files(entry) -> list[str]:
    """Every ``file:`` in a _toc.yml entry and below it, in reading order."""
    found = [entry["file"]] if "file" in entry else []
    for key in ("parts", "chapters", "sections"):
        for child in entry.get(key, []):
            found += toc_files(child)
    return found


def chapter_intro(notebook: Path) -> dict:
    """The title, summary and learning goals of a chapter notebook's first markdown cell."""
    cells = json.loads(notebook.read_text())["cells"]
    first = "".join(next(c for c in cells if c["cell_type"] == "markdown")["source"])
    paragraphs = re.split(r"\n\s*\n", first.strip())
    title, summary = paragraphs[0], paragraphs[1] if len(paragraphs) > 1 else ""
    if not title.startswith("# ") or not summary.startswith(SUMMARY) or GOALS not in first:
        raise ExtensionError(
            f"{notebook}: the first cell must be '# Title', then a paragraph starting "
            f"'{SUMMARY}', then '{GOALS}' and a bullet list"
        )
    goals_block = re.split(r"\n\s*\n", first.split(GOALS, 1)[1].strip())[0]
    goals = [line for line in goals_block.splitlines() if line.strip()]
    if not goals or not goals[0].startswith("- "):
        raise ExtensionError(f"{notebook}: '{GOALS}' must be followed by a '- ' bullet list")
    for text in (summary, goals_block):
        if "{doc}" in text or "{ref}" in text:
            raise ExtensionError(
                f"{notebook}: the summary and goals are shown on another page too, so they cannot "
                "hold {doc} or {ref} links relative to the chapter; move the link to the intro"
            )
    return {
        "title": title[2:].strip(),
        "summary": summary[len(SUMMARY) :].strip(),
        "goals": goals,
    }


class ChapterOverview(SphinxDirective):
    """Cards with each chapter's number, title link, summary and learning goals."""

    has_content = False

    def run(self):
        root = Path(self.env.srcdir)
        toc = yaml.safe_load((root / self.config.external_toc_path).read_text())
        chapters = [f for f in toc_files(toc) if f.startswith(CHAPTER_FOLDER)]
        lines = []
        for number, page in enumerate(chapters, start=1):
            notebook = (root / page).with_suffix(".ipynb")
            self.env.note_dependency(str(notebook))
            intro = chapter_intro(notebook)
            lines += [
                f"::::{{card}} Chapter {number} · {{doc}}`{intro['title']} </{page}>`",
                ":class-card: chapter-overview-card",
                "",
                intro["summary"],
                "",
                "**Learning goals.** After this chapter you can",
                "",
                *intro["goals"],
                "::::",
                "",
            ]
        container = nodes.container(classes=["chapter-overview"])
        self.state.nested_parse(StringList(lines, source=self.get_source_info()[0]), 0, container)
        return [container]


def setup(app):
    app.add_directive("chapter-overview", ChapterOverview)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
