"""Comparing a learner's answer with the expected one, in words.

:func:`compare` says why a value does not match (None when it does): arrays by type, shape,
dtype class and values within a tolerance, numbers of any type by value, lists, tuples and
dicts item by item. :func:`judge` reads the verdict of an author's own comparer or checker.
Neither ever raises: a value that cannot be compared gets a reason saying so.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

from course_utils.messages import short, type_name

_DTYPE_CLASSES = {
    "b": "booleans",
    "i": "integers",
    "u": "integers",
    "f": "floating-point numbers",
    "c": "complex numbers",
    "U": "strings",
    "S": "bytes",
    "O": "Python objects",
}

#: A custom comparison: ``compare(expected, got)`` returns None or True when they match,
#: False or a reason (str) when they do not.
Comparer = Callable[[Any, Any], "bool | str | None"]


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, (bool, np.bool_))


def _is_array_like(value: Any) -> bool:
    """Arrays from other libraries (e.g. a tf.Tensor), but not lists, strings or scalars."""
    return hasattr(value, "__array__") and not isinstance(
        value, (list, tuple, str, bytes, numbers.Number, np.bool_)
    )


def _compare_arrays(expected: np.ndarray, got: Any, atol: float, rtol: float) -> str | None:
    if not isinstance(got, np.ndarray):
        if not _is_array_like(got):
            tip = " (wrap it in np.array(...))" if isinstance(got, (list, tuple)) else ""
            return f"wrong type: expected a NumPy array, got {type_name(got)}{tip}"
        try:
            got = np.asarray(got)
        except Exception as err:
            return f"{type_name(got)} could not be read as an array ({type(err).__name__}: {err})"
    if got.shape != expected.shape:
        return f"wrong shape: expected {expected.shape}, got {got.shape}"
    want = _DTYPE_CLASSES.get(expected.dtype.kind, str(expected.dtype))
    have = _DTYPE_CLASSES.get(got.dtype.kind, str(got.dtype))
    if want != have:
        return f"wrong dtype: expected {want} ({expected.dtype}), got {have} ({got.dtype})"
    if expected.dtype.kind in "iufc":
        same = np.isclose(got, expected, atol=atol, rtol=rtol, equal_nan=True)
    else:
        same = np.asarray(got == expected, dtype=bool)
    wrong = np.argwhere(~same)
    if not len(wrong):
        return None
    index = tuple(int(i) for i in wrong[0])
    where = f"value at index {index}" if index else "value"
    count = f" ({len(wrong)} of {expected.size} values differ)" if expected.size > 1 else ""
    return (
        f"{where}: expected {short(expected[index].item())}, got {short(got[index].item())}{count}"
    )


def _numbers_close(expected: Any, got: Any, atol: float, rtol: float) -> bool:
    """Within ``atol + rtol*|expected|``; mixed types (Decimal vs float, a huge int) compare as
    complex numbers, and values too large for a float are equal only when exactly equal."""
    if got != got and expected != expected:  # both NaN
        return True
    try:
        return bool(abs(got - expected) <= atol + rtol * abs(expected))
    except (TypeError, OverflowError, ArithmeticError):
        pass
    try:
        return bool(abs(complex(got) - complex(expected)) <= atol + rtol * abs(complex(expected)))
    except (TypeError, OverflowError, ValueError, ArithmeticError):
        return bool(got == expected)


def compare(expected: Any, got: Any, *, atol: float = 1e-5, rtol: float = 1e-5) -> str | None:
    """None when ``got`` matches ``expected``, else the reason in words.

    Arrays: type, shape, dtype class (integers / floating-point / ...), then values within
    ``atol + rtol*|expected|`` (first differing index shown). Numbers of any Python or NumPy
    type compare by value; lists and tuples, and dicts, compare item by item. Never raises:
    a value that cannot be compared gets a reason saying so.
    """
    try:
        return _compare(expected, got, atol, rtol)
    except Exception as err:
        return f"your result could not be compared ({type(err).__name__}: {short(str(err))})"


def _compare(expected: Any, got: Any, atol: float, rtol: float) -> str | None:
    if isinstance(expected, np.ndarray):
        return _compare_arrays(expected, got, atol, rtol)
    if isinstance(got, np.ndarray) and got.ndim == 0 and not isinstance(expected, np.ndarray):
        got = got.item()
    if isinstance(expected, (bool, np.bool_)):
        if not isinstance(got, (bool, np.bool_)):
            return f"wrong type: expected True or False, got {type_name(got)}"
        return None if bool(got) == bool(expected) else f"expected {expected}, got {got}"
    if _is_number(expected):
        if not _is_number(got):
            return f"wrong type: expected a number, got {type_name(got)}"
        if _numbers_close(expected, got, atol, rtol):
            return None
        return f"expected {short(expected)}, got {short(got)}"
    if isinstance(expected, (list, tuple)):
        if not isinstance(got, (list, tuple)):
            return f"wrong type: expected {type_name(expected)}, got {type_name(got)}"
        if len(got) != len(expected):
            return f"wrong length: expected {len(expected)} items, got {len(got)}"
        for i, (e, g) in enumerate(zip(expected, got, strict=True)):
            reason = _compare(e, g, atol, rtol)
            if reason:
                return f"item {i}: {reason}"
        return None
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return f"wrong type: expected a dict, got {type_name(got)}"
        if set(got) != set(expected):
            missing, extra = set(expected) - set(got), set(got) - set(expected)
            return (
                f"wrong keys: missing {sorted(missing, key=repr)}, extra {sorted(extra, key=repr)}"
            )
        for key in expected:
            reason = _compare(expected[key], got[key], atol, rtol)
            if reason:
                return f"key {key!r}: {reason}"
        return None
    if (expected is None or isinstance(expected, str)) and type(got) is not type(expected):
        return f"wrong type: expected {type_name(expected)}, got {type_name(got)}"
    try:
        same = bool(expected == got)
    except Exception:  # e.g. an ambiguous truth value
        same = False
    return None if same else f"expected {short(expected)}, got {short(got)}"


def judge(outcome: Callable[[], Any], fallback: str) -> str:
    """The reason from an author's comparer or checker ("" when it says right).

    It returns None or True when right, False or a reason (str) when wrong; an array of
    booleans counts as right when all are true.
    """
    try:
        verdict = outcome()
        if isinstance(verdict, str):
            return verdict or fallback
        if verdict is None:
            return ""
        right = bool(np.all(verdict)) if isinstance(verdict, np.ndarray) else bool(verdict)
    except Exception as err:
        return f"your result could not be checked ({type(err).__name__}: {short(str(err))})"
    return "" if right else fallback
