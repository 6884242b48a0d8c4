"""The course's environment variables, read with clear messages for values that make no sense.

>>> import os; os.environ["COURSE_DEMO"] = "Yes"
>>> env_flag("COURSE_DEMO")
True
"""

from __future__ import annotations

import os

TRUE_WORDS = ("1", "true", "yes", "on", "y")
FALSE_WORDS = ("0", "false", "no", "off", "n", "")


class ConfigurationError(ValueError):
    """An environment variable of the course holds a value it cannot use."""


def env_flag(name: str, default: bool = False) -> bool:
    """A yes/no variable: ``1/true/yes/on/y`` or ``0/false/no/off/n`` in any case.

    Unset gives ``default``; an empty value is "no". Anything else raises
    :class:`ConfigurationError` naming the variable, the value and the accepted words.
    """
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigurationError(
        f"{name}={raw!r} is not a yes/no value. Use one of {', '.join(TRUE_WORDS)} to turn "
        f"it on, or one of {', '.join(w for w in FALSE_WORDS if w)} (or unset it) to turn it off."
    )


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    """A whole-number variable (``COURSE_SEED=7``); unset or empty gives ``default``.

    Raises :class:`ConfigurationError` naming the variable when the value is not a whole
    number or is below ``minimum``.
    """
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(
            f"{name}={raw!r} is not a whole number (for example {name}={default})."
        ) from None
    if minimum is not None and value < minimum:
        raise ConfigurationError(f"{name}={value} is too small: it must be at least {minimum}.")
    return value
