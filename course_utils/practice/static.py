"""Practice rounds as plain HTML for static views: the questions, never the answers.

Same sanitiser-safe tags as :mod:`course_utils.quiz.static`; each question says which lesson
and section it comes from, with a link to that section (the ``href`` survives sanitising).
"""

from __future__ import annotations

import html
from urllib.parse import quote

from course_utils.markup import flat
from course_utils.practice.draw import Item
from course_utils.quiz.static import question_html


def section_link(lesson: str, section: str) -> str:
    """A relative link from a notebook in ``notebooks/`` to a lesson's section heading.

    JupyterLab gives a heading the id of its text with spaces replaced by hyphens.
    """
    anchor = quote(section.strip().replace(" ", "-"), safe="-._~()'!*,;:")
    return f"{lesson}.ipynb#{anchor}" if section else f"{lesson}.ipynb"


#: A link in a widget: the theme's text colour, underlined (a browser's default blue is
#: unreadable on JupyterLab's dark theme). Static copies use no style: sanitising drops it.
LINK_STYLE = "color:inherit; text-decoration:underline"


def source_html(item: Item, styled: bool = False) -> str:
    """``from 02_rnn, <a>7. Practical layers…</a>``: where a question is taught.

    ``styled`` adds :data:`LINK_STYLE` to the link (for widgets).
    """
    section = item.question.section
    target = html.escape(section_link(item.lesson, section))
    label = flat(section) if section else "the lesson"
    style = f" style='{LINK_STYLE}'" if styled else ""
    return f'<i>from {html.escape(item.lesson)}, <a href="{target}"{style}>{label}</a></i>'


def round_html(title: str, items: list[Item], intro: str, learner: str | None = None) -> str:
    """A round's questions as sanitiser-safe HTML, options in this learner's order."""
    body = "".join(
        question_html(item.question, item.lesson, learner).removesuffix("</li>")
        + f" {source_html(item)}</li>"
        for item in items
    )
    return (
        f"<blockquote><b>{flat(title)}</b> — <i>{flat(intro)} Run this cell in Jupyter to answer; "
        f"this copy shows the questions only.</i><ol>{body}</ol></blockquote>"
    )
