"""The course glossary: ``data/glossary.yaml``, searchable in a notebook.

In a notebook, as the last line of a cell::

    from course_utils import glossary
    glossary.show()              # search box, definitions, related terms, "Add to my flashcards"
    glossary.define("dropout")   # one entry in the cell's output (synonyms work: "BPTT")
    glossary.review()            # the terms you added, as FSRS flashcards

Each lesson links the first use of a term to its entry in ``GLOSSARY.md`` (generated from the
YAML by ``tools/sync_notebooks.py``). ipywidgets is imported only by :func:`show` and
:func:`review`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from course_utils.glossary.render import entry_markdown, entry_text
from course_utils.glossary.terms import Place, Term, UnknownTerm, load, lookup, search

if TYPE_CHECKING:
    from course_utils.flashcards.widgets import FlashcardView
    from course_utils.glossary.widgets import GlossaryView

__all__ = [
    "Definition",
    "Place",
    "Term",
    "UnknownTerm",
    "define",
    "load",
    "lookup",
    "review",
    "search",
    "show",
]


class Definition:
    """One entry for a cell's output: Markdown (math rendered) where Jupyter can, else text."""

    def __init__(self, term: Term, names: dict[str, str]) -> None:
        self.term = term
        self._names = names

    def __repr__(self) -> str:
        return entry_text(self.term, self._names)

    def _repr_markdown_(self) -> str:
        return entry_markdown(self.term, self._names)


def define(term: str, path: str | Path | None = None) -> Definition:
    """The glossary entry for ``term`` (its name, a synonym or its anchor), to show in a cell.

    An unknown name raises :class:`UnknownTerm` naming the closest entries.
    """
    terms = load(path)
    return Definition(lookup(term, terms), {t.anchor: t.term for t in terms})


def show(path: str | Path | None = None) -> GlossaryView:
    """The searchable glossary widget; displays as the cell's result."""
    from course_utils.glossary.widgets import GlossaryView

    return GlossaryView(load(path))


def review(seed: int | None = None, path: str | Path | None = None) -> FlashcardView:
    """The flashcard trainer for the glossary terms you added with "Add to my flashcards"."""
    from datetime import date

    from course_utils.flashcards.widgets import FlashcardView
    from course_utils.glossary.cards import deck

    chosen = date.today().toordinal() if seed is None else seed
    return FlashcardView(deck(load(path)), chosen)
