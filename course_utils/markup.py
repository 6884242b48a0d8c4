"""Course text (quiz prompts, card sides, glossary definitions) as HTML.

Text is escaped, and `backticks` become ``<code>``: the markup every bank, deck and the
glossary use. :func:`inline` keeps line breaks (``<br>``, for widgets); :func:`flat` puts
everything on one line, for static copies (sanitising escapes ``<br>``).
"""

from __future__ import annotations

import html
import re

_CODE = re.compile(r"`([^`]+)`")


def inline(text: str) -> str:
    """Escape ``text`` for HTML, turning `backticks` into <code> and newlines into <br>."""
    escaped = _CODE.sub(r"<code>\1</code>", html.escape(text.strip(), quote=False))
    return escaped.replace("\n", "<br>")


def flat(text: str) -> str:
    """Like :func:`inline`, but on one line (no <br>, which sanitising escapes)."""
    return inline(" ".join(text.split()))
