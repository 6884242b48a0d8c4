"""A line for the learner: HTML in Jupyter (`code` in monospace, wrapped between words only),
plain text anywhere else.

Printed text in JupyterLab's output area wraps anywhere, even inside a number ("0.69" / "31"),
and shows `backticks` literally; as HTML the same words wrap like prose.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_CODE = re.compile(r"`([^`\n]+)`")
_STYLE = "white-space:pre-wrap; word-break:normal; overflow-wrap:break-word; line-height:1.45"


@dataclass(frozen=True)
class Message:
    """Text shown as HTML by Jupyter and as itself by ``print``."""

    text: str

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:  # Jupyter's text/plain copy
        return self.text

    def _repr_html_(self) -> str:
        body = _CODE.sub(r"<code>\1</code>", html.escape(self.text, quote=False))
        return f"<div class='course-message' style='{_STYLE}'>{body}</div>"


def say(text: str) -> None:
    """Show ``text`` to the learner (rich in Jupyter, printed elsewhere)."""
    from IPython.display import display  # IPython comes with Jupyter; only needed here

    display(Message(text))
