"""The order a learner sees options in: shuffled, seeded per learner and question.

Each learner has a random id, created once and kept in a small file next to the progress
file (``learner_id`` in the folder of :func:`course_utils.progress.store_path`), so the order
is the same after a re-run or a kernel restart and differs between learners. The order is a
Fisher-Yates shuffle driven by SHA-256 of (learner, quiz, question): the same on every
Python version and machine. Grading and progress follow the option, never its position.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import tempfile
import warnings
from pathlib import Path

from course_utils import progress
from course_utils.quiz.questions import Match, MultipleChoice, Question, SingleChoice

FILE_NAME = "learner_id"
#: Used when the progress folder cannot be written: every such learner sees the same order.
FALLBACK_ID = "shared-learner"
_ID = re.compile(r"^[0-9a-f]{32}$")
_CACHE: dict[Path, str] = {}


def _read_id(path: Path) -> str | None:
    """The id in ``path``, as another editor may have saved it (a byte-order mark, UTF-16,
    CRLF, trailing NULs); None when there is no readable id."""
    try:
        raw = path.read_bytes()[:1024]
    except OSError:
        return None
    encoding = "utf-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    text = raw.decode(encoding, errors="replace").strip(" \t\r\n\x00")
    return text if _ID.match(text) else None


def _create_id(path: Path) -> str:
    """The id in ``path``, or a new one written there atomically.

    The new file is linked into place only if none exists, so two kernels starting at once
    agree: the second finds the first one's id and keeps it. Only a file without a readable
    id is replaced.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    new = secrets.token_hex(16)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".learner_id-", text=True)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(new + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)  # create only if absent
        except FileExistsError:
            found = _read_id(path)  # another kernel was first, or a garbled file
            if found is not None:
                return found
            os.replace(tmp, path)
        except OSError:  # a file system without hard links
            os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return _read_id(path) or new


def learner_id() -> str:
    """This learner's id (created on first use); ``FALLBACK_ID`` with a warning if the
    progress folder cannot be written."""
    path = progress.store_path().parent / FILE_NAME
    if path in _CACHE:
        return _CACHE[path]
    found = _read_id(path)
    if found is None:
        try:
            found = _create_id(path)
        except OSError as err:
            warnings.warn(
                f"Cannot save a learner id in {path.parent} ({err.strerror or err}); options "
                "are shuffled the same way for everyone on this machine.",
                progress.ProgressWarning,
                stacklevel=2,
            )
            found = FALLBACK_ID
    _CACHE[path] = found
    return found


def permutation(n: int, *key: str) -> list[int]:
    """A shuffled ``list(range(n))``, fixed by ``key`` (Fisher-Yates on SHA-256 draws)."""
    seed = hashlib.sha256("\x1f".join(key).encode("utf-8")).digest()
    order = list(range(n))
    for i in range(n - 1, 0, -1):
        draw = hashlib.sha256(seed + i.to_bytes(4, "big")).digest()
        j = int.from_bytes(draw, "big") % (i + 1)
        order[i], order[j] = order[j], order[i]
    return order


def option_order(question: Question, quiz_id: str, learner: str | None = None) -> list[int]:
    """Indices of ``question.options`` in the order shown to ``learner`` (default: this one).

    For a match question: the order of its ``options`` in each dropdown.
    """
    if isinstance(question, (SingleChoice, MultipleChoice)):
        n, shuffle = len(question.options), question.shuffle
    elif isinstance(question, Match):
        n, shuffle = len(question.options), question.shuffle_options
    else:
        return []
    if not shuffle:
        return list(range(n))
    return permutation(n, learner or learner_id(), quiz_id, question.id, "options")


def pair_order(question: Match, quiz_id: str, learner: str | None = None) -> list[int]:
    """Indices of ``question.pairs`` in the order shown (rows of a match question)."""
    n = len(question.pairs)
    if not question.shuffle_pairs:
        return list(range(n))
    return permutation(n, learner or learner_id(), quiz_id, question.id, "pairs")
