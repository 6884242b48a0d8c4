"""The glossary as text: one entry in Markdown or HTML, every entry as a static list, and the
generated ``GLOSSARY.md``. No widgets.

The static HTML uses only tags that survive sanitising (nbconvert's and JupyterLab's "Sanitize
HTML": ``strong b em code ul li``, no attributes), so an executed notebook or an export shows
every entry as text.
"""

from __future__ import annotations

import html
from itertools import groupby

from course_utils.glossary.terms import Term
from course_utils.markup import flat

#: The link a lesson's markdown uses for a term: ``../GLOSSARY.md#<anchor>``.
LINK_PREFIX = "../GLOSSARY.md#"
GENERATED_NOTE = (
    "<!-- Generated from data/glossary.yaml by `python tools/sync_notebooks.py`; "
    "edit the YAML, not this file. -->"
)


def places(term: Term) -> str:
    """``"02_rnn (8. Dropout in recurrent layers); 03_lstm (...)"``."""
    return "; ".join(f"{p.lesson} ({p.section})" for p in term.lessons)


def entry_markdown(term: Term, names: dict[str, str] | None = None) -> str:
    """One entry as Markdown (what ``glossary.define`` shows; math as ``$...$``).

    ``names`` maps anchors to display names, for the related terms.
    """
    lines = [f"**{term.term}**" + (f" (also: {', '.join(term.synonyms)})" if term.synonyms else "")]
    lines.append(term.definition)
    lines.append(f"*Taught in:* {places(term)}")
    if term.related:
        lines.append("*Related:* " + ", ".join((names or {}).get(a, a) for a in term.related))
    if term.not_to_confuse:
        lines.append(f"*Not to be confused with:* {term.not_to_confuse}")
    return "\n\n".join(lines)


def entry_text(term: Term, names: dict[str, str] | None = None) -> str:
    """One entry as plain text (``names``: anchors to display names, for related terms)."""
    also = f" (also: {', '.join(term.synonyms)})" if term.synonyms else ""
    text = f"{term.term}{also}: {term.definition}\nTaught in: {places(term)}"
    if term.related:
        text += "\nRelated: " + ", ".join((names or {}).get(a, a) for a in term.related)
    if term.not_to_confuse:
        text += f"\nNot to be confused with: {term.not_to_confuse}"
    return text


def entry_html(term: Term) -> str:
    """One entry as HTML for the widget (math left as ``$...$`` for HTMLMath)."""
    also = (
        f" <em>(also: {html.escape(', '.join(term.synonyms), quote=False)})</em>"
        if term.synonyms
        else ""
    )
    parts = [
        f"<b>{html.escape(term.term, quote=False)}</b>{also}",
        f"<div>{flat(term.definition)}</div>",
        f"<div><em>Taught in:</em> {html.escape(places(term), quote=False)}</div>",
    ]
    if term.not_to_confuse:
        parts.append(f"<div><em>Not to be confused with:</em> {flat(term.not_to_confuse)}</div>")
    return "".join(parts)


def static_html(terms: list[Term]) -> str:
    """Every entry, alphabetically, for views without widgets (sanitising keeps it whole)."""
    items = "".join(
        f"<li><b>{html.escape(t.term, quote=False)}</b>: {flat(t.definition)} "
        f"<em>(taught in {html.escape(places(t), quote=False)})</em></li>"
        for t in sorted(terms, key=lambda t: t.term.casefold())
    )
    return (
        f"<strong>Glossary</strong> <em>({len(terms)} terms. Run this cell in Jupyter to "
        f"search them.)</em><ul>{items}</ul>"
    )


def _initial(term: Term) -> str:
    first = term.term[0].upper()
    return first if first.isalpha() and first.isascii() else "#"


def _letter_slug(letter: str) -> str:
    return "other" if letter == "#" else letter.lower()


def _letter_title(letter: str) -> str:
    return "Symbols and numbers" if letter == "#" else letter


def glossary_markdown(terms: list[Term]) -> str:
    """``GLOSSARY.md``: every entry under an ``<a id="anchor"></a>`` and a heading, A to Z."""
    names = {t.anchor: t.term for t in terms}
    ordered = sorted(terms, key=lambda t: (_initial(t) != "#", t.term.casefold()))
    letters = [letter for letter, _ in groupby(ordered, _initial)]
    lines = [
        GENERATED_NOTE,
        "",
        "# Glossary",
        "",
        f"The course's {len(terms)} terms, each in a few sentences of our own, with the lessons "
        "that teach it. In a notebook, `from course_utils import glossary; glossary.show()` "
        'searches them, and `glossary.define("dropout")` shows one.',
        "",
        " · ".join(f"[{_letter_title(x)}](#letter-{_letter_slug(x)})" for x in letters),
    ]
    for letter, group in groupby(ordered, _initial):
        slug, title = _letter_slug(letter), _letter_title(letter)
        lines += ["", f'<a id="letter-{slug}"></a>', "", f"## {title}"]
        for term in group:
            lines += ["", f'<a id="{term.anchor}"></a>', "", f"### {term.term}", ""]
            lines.append(term.definition)
            details = []
            if term.synonyms:
                details.append(f"*Also:* {', '.join(term.synonyms)}")
            details.append(
                "*Taught in:* "
                + "; ".join(
                    f"[{p.lesson}](notebooks/{p.lesson}.ipynb) ({p.section})" for p in term.lessons
                )
            )
            if term.related:
                details.append(
                    "*Related:* " + ", ".join(f"[{names[a]}](#{a})" for a in term.related)
                )
            if term.not_to_confuse:
                details.append(f"*Not to be confused with:* {term.not_to_confuse}")
            lines += [""] + [f"- {d}" for d in details]
    return "\n".join(lines) + "\n"
