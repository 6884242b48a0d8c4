"""The searchable glossary: a text box that filters the terms as you type, one button per
matching term, and the chosen entry with its lessons, related terms and an "Add to my
flashcards" button.

Core ipywidgets only, the same under ipywidgets 7.7.1 (Colab) and 8: Text, Button, HTML,
HTMLMath, boxes. Keyboard: type in the box (Enter opens the first match), Tab to a term or a
related term, Enter or Space opens it (after a related term, the focus moves to "Add to my
flashcards" under ipywidgets 8, since the pressed button is replaced). Colours come from
JupyterLab's theme variables with fallbacks that read on light and dark backgrounds; nothing
is said by colour alone. Where widgets cannot run, every entry is shown as text (see
:func:`~course_utils.glossary.render.static_html`).
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w

from course_utils import progress
from course_utils.flashcards.widgets import focus
from course_utils.glossary import cards, render
from course_utils.glossary.terms import Term, search

#: At most this many matching terms are listed (keep typing to narrow the list).
MAX_SHOWN = 15
_AUTO = w.Layout(width="auto")
_TEXT_STYLE = "color:var(--jp-ui-font-color1, inherit);line-height:1.45;overflow-wrap:anywhere"
_ENTRY_STYLE = (
    "border:1px solid var(--jp-border-color1, #8a8a8a);border-radius:6px;padding:10px;"
    "background:var(--jp-layout-color1, transparent);" + _TEXT_STYLE
)
_HELP = (
    "Type to filter (synonyms and other spellings count; Enter opens the first match). "
    "Keyboard: Tab to a term, then Enter or Space."
)


def _note(text: str) -> str:
    return f"<span style='{_TEXT_STYLE}'>{html.escape(text)}</span>"


class GlossaryView:
    """The glossary widget.

    Widgets: ``search_box`` (a Text), ``matches`` (a note: how many terms match),
    ``term_buttons`` (one per listed term), ``entry`` (the chosen entry, HTMLMath),
    ``related_buttons`` (open a related term), ``add_button`` (turn the entry into a flashcard)
    and ``feedback``. ``shown`` is the listed terms, ``current`` the open entry.
    """

    def __init__(self, terms: list[Term]) -> None:
        self.terms = terms
        self._by_anchor = {t.anchor: t for t in terms}
        self.shown: list[Term] = []
        self.current: Term | None = None
        self.title = w.HTML(value=f"<h3>Glossary ({len(terms)} terms)</h3>")
        self.search_box = w.Text(
            value="",
            placeholder="Search, e.g. dropout or BPTT",
            description="Search",
            continuous_update=True,
            layout=w.Layout(width="min(30em, 95%)"),
        )
        self.search_box.add_class("course-glossary-search")
        self.search_box.observe(lambda _: self.filter(), names="value")
        self.search_box.on_msg(self._on_text_msg)  # Enter sends {"event": "submit"} (7 and 8)
        self.help = w.HTML(value=_note(_HELP))
        self.matches = w.HTML(value="")
        self.list_box = w.HBox(layout=w.Layout(flex_flow="row wrap"))
        self.term_buttons: list[w.Button] = []
        self.entry = w.HTMLMath(value="")
        self.entry.add_class("course-glossary-entry")
        self.related_label = w.HTML(value="")
        self.related_box = w.HBox(layout=w.Layout(flex_flow="row wrap"))
        self.related_buttons: list[w.Button] = []
        self.add_button = w.Button(
            description="Add to my flashcards",
            layout=w.Layout(width="auto", display="none", align_self="flex-start"),
            tooltip="Review this term with FSRS, like the lesson cards",
        )
        self.add_button.add_class("course-glossary-add")
        self.add_button.on_click(lambda _: self.add_card())
        self.feedback = w.HTML(value="")
        self.widget = w.VBox(
            [
                self.title,
                self.help,
                self.search_box,
                self.matches,
                self.list_box,
                self.entry,
                w.HBox([self.related_label, self.related_box]),
                self.add_button,
                self.feedback,
            ]
        )
        self.widget.add_class("course-glossary")
        self.filter()

    def _on_text_msg(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("event") == "submit" and self.shown:
            self.open(self.shown[0])

    def _term_button(self, term: Term) -> w.Button:
        button = w.Button(description=term.term, layout=_AUTO, tooltip=f"Show {term.term}")
        button.add_class("course-glossary-term")
        button.on_click(lambda _, term=term: self.open(term))
        return button

    def _related_button(self, term: Term) -> w.Button:
        """Opens ``term``; the pressed button is replaced, so the focus goes to the entry's
        "Add to my flashcards" button (ipywidgets 8) instead of falling out of the widget."""
        button = w.Button(description=f"→ {term.term}", layout=_AUTO, tooltip=f"Show {term.term}")
        button.add_class("course-glossary-related")

        def show(_: w.Button) -> None:
            self.open(term)
            focus(self.add_button)

        button.on_click(show)
        return button

    def filter(self) -> None:
        """List the terms that match the search box (all of them, A to Z, when it is empty)."""
        query = self.search_box.value
        found = search(query, self.terms)
        if found[:MAX_SHOWN] != self.shown or not self.term_buttons:
            # the same list keeps its buttons, so a key typed late never drops the focus
            self.shown = found[:MAX_SHOWN]
            self.term_buttons = [self._term_button(term) for term in self.shown]
            self.list_box.children = self.term_buttons
        if not query.strip():
            text = f"{len(found)} terms; the first {len(self.shown)} are listed. Type to search."
        elif not found:
            text = f"No term matches {query.strip()!r}. Try fewer letters or another spelling."
        elif len(found) > len(self.shown):
            text = f"{len(found)} terms match; the first {len(self.shown)} are listed."
        else:
            text = "1 term matches." if len(found) == 1 else f"{len(found)} terms match."
        self.matches.value = _note(text)

    def open(self, term: Term) -> None:
        """Show ``term``'s definition, lessons and related terms."""
        self.current = term
        self.entry.value = f"<div style='{_ENTRY_STYLE}'>{render.entry_html(term)}</div>"
        related = [self._by_anchor[a] for a in term.related if a in self._by_anchor]
        self.related_buttons = [self._related_button(t) for t in related]
        self.related_box.children = self.related_buttons
        self.related_label.value = _note("Related:") if related else ""
        self.add_button.layout.display = None
        added = cards.has_card(term)
        self.add_button.description = "In my flashcards ✔" if added else "Add to my flashcards"
        self.feedback.value = ""

    def add_card(self) -> None:
        """Turn the open entry into an FSRS flashcard (saved in the progress store)."""
        term = self.current
        if term is None:
            return
        new = cards.add_card(term)
        message = (
            f"✔ Added {term.term!r} to your flashcards: review it with glossary.review(); "
            "the dashboard counts it."
            if new
            else f"{term.term!r} is already in your flashcards."
        )
        problem = progress.save_problem()
        if problem:
            message += f" ⚠ Not saved: {problem}"
        self.add_button.description = "In my flashcards ✔"
        self.feedback.value = _note(message)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {
            "text/plain": f"Glossary ({len(self.terms)} terms)",
            "text/html": render.static_html(self.terms),
            "application/vnd.jupyter.widget-view+json": {
                "version_major": 2,
                "version_minor": 0,
                "model_id": self.widget.model_id,
            },
        }
