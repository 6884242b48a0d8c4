"""A line for the learner: HTML in Jupyter (`code` in monospace, wrapped between words only),
plain text anywhere else; and the words such lines use for values (:func:`short`,
:func:`type_name`, :func:`error_text`).

Printed text in JupyterLab's output area wraps anywhere, even inside a number ("0.69" / "31"),
and shows `backticks` literally; as HTML the same words wrap like prose.
"""

from __future__ import annotations

import html
import re
import sys
from dataclasses import dataclass
from typing import Any

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


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def short(value: Any, limit: int = 60) -> str:
    """A short readable repr: small arrays in full, big ones by shape and dtype, and no
    memory addresses (``Generator(PCG64)``, not ``Generator(PCG64) at 0x7F3A...``). A value
    whose repr fails (an int of 5,000 digits) is described by its type."""
    np = sys.modules.get("numpy")  # no NumPy array exists unless NumPy was imported
    try:
        if np is not None and isinstance(value, np.ndarray):
            if value.size <= 8:
                return f"np.array({np.array2string(value, separator=', ')})"
            return f"<array of shape {value.shape}, dtype {value.dtype}>"
        text = _ADDRESS.sub("", repr(value))
    except Exception:
        return f"<{type_name(value)} that cannot be printed>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def type_name(value: Any) -> str:
    """``a list``, ``an int``, ``a numpy.ndarray``, ``None``."""
    if value is None:
        return "None"
    cls = type(value)
    module = cls.__module__.split(".")[0]
    name = cls.__qualname__ if module == "builtins" else f"{module}.{cls.__qualname__}"
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


def error_text(err: BaseException, limit: int = 200) -> str:
    """``TypeName: message`` of an exception (message cut at ``limit`` characters), or only
    ``TypeName`` when it has no message or its message cannot be made."""
    try:
        message = str(err)
    except Exception:
        message = "(its message cannot be printed)"
    message = message if len(message) <= limit else message[: limit - 3] + "..."
    return f"{type(err).__name__}: {message}" if message else type(err).__name__
