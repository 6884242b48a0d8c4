"""Offline text: Python's documentation and source code as corpora, a character vocabulary."""

from __future__ import annotations

import sysconfig
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

UNKNOWN_CHAR = "\ufffd"
"""What :meth:`CharVocab.decode` writes for the ``<unk>`` id (the Unicode replacement char)."""


def load_docs_text() -> str:
    """Python's help topics (``pydoc_data.topics``) joined in sorted-topic order.

    About 465,000 characters of English technical prose and code examples (Python 3.11:
    465,126 characters, 103 distinct); topics are separated by a blank line. The exact text
    follows the installed Python version.
    """
    from pydoc_data.topics import topics

    return "\n\n".join(topics[key] for key in sorted(topics))


# The standard-library modules of the source-code corpus (lessons 02-04 and 08), pure Python
# and present in Python 3.11-3.13. Held-out parts are whole modules, so no file is split
# between training and evaluation. Order is fixed; the text follows the installed Python.
CODE_VALID_MODULES = (
    "statistics", "fractions", "calendar", "textwrap", "shlex",
    "csv", "pprint", "heapq", "queue", "string",
)  # fmt: skip
CODE_TEST_MODULES = (
    "configparser", "ipaddress", "smtplib", "tempfile", "gettext",
    "glob", "tabnanny", "sched", "colorsys", "netrc",
)  # fmt: skip
CODE_TRAIN_MODULES = (
    "argparse", "ast", "base64", "bisect", "cmd", "code", "codecs", "collections",
    "contextlib", "copy", "dataclasses", "datetime", "difflib", "dis", "enum", "filecmp",
    "fileinput", "fnmatch", "ftplib", "functools", "getopt", "gzip", "hashlib", "hmac",
    "html.parser", "http.client", "imaplib", "inspect", "json.decoder", "json.encoder",
    "keyword", "linecache", "locale", "logging", "lzma", "mailbox", "mimetypes", "numbers",
    "operator", "optparse", "os", "pathlib", "pickle", "pkgutil", "platform", "plistlib",
    "poplib", "quopri", "random", "re", "reprlib", "secrets", "selectors", "shutil",
    "socket", "socketserver", "stringprep", "struct", "subprocess", "tarfile", "threading",
    "timeit", "token", "tokenize", "trace", "traceback", "tracemalloc", "types", "typing",
    "uuid", "warnings", "wave", "weakref", "zipfile", "abc", "zipimport",
)  # fmt: skip
FILE_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class CodeCorpus:
    """Python standard-library source split by module: ``train``, ``valid`` and ``test`` text.

    ``modules`` maps each part to the module names it holds, in order. Files are joined
    with :data:`FILE_SEPARATOR`. With Python 3.11 the parts hold about 2.6 M, 0.25 M and
    0.3 M characters.
    """

    train: str
    valid: str
    test: str
    modules: dict[str, tuple[str, ...]] = field(repr=False)

    def __repr__(self) -> str:
        sizes = ", ".join(f"{part}={len(getattr(self, part)):,}" for part in self.modules)
        return f"CodeCorpus({sizes} characters)"


# Modules whose pure-Python code moved to another file in a later Python (3.12 made
# ``datetime.py`` an 8-line shim over ``_pydatetime.py``): read the code, not the shim, so the
# corpus and lesson 08's labels hold the same text on Python 3.11 and on Colab's 3.13.
MOVED_SOURCE = {"datetime": "_pydatetime"}


def stdlib_source_path(module: str) -> Path:
    """The ``.py`` file of a standard-library module (``"json.decoder"``, ``"logging"``).

    For a module in :data:`MOVED_SOURCE` the file that holds its code is returned when this
    Python has it (``datetime`` -> ``_pydatetime.py`` from Python 3.12 on).
    """
    root = Path(sysconfig.get_paths()["stdlib"])
    moved = MOVED_SOURCE.get(module)
    if moved and (root / f"{moved}.py").is_file():
        return root / f"{moved}.py"
    relative = Path(*module.split("."))
    for candidate in (root / relative.with_suffix(".py"), root / relative / "__init__.py"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(
        f"the standard-library source of {module!r} is not under {root}; this Python was "
        "installed without its .py files (some slim images strip them). Use load_docs_text() "
        "instead, or install the full Python standard library."
    )


def load_stdlib_source() -> CodeCorpus:
    """Python's own standard-library source code as a corpus, split by whole modules.

    The modules are fixed (:data:`CODE_TRAIN_MODULES`, :data:`CODE_VALID_MODULES`,
    :data:`CODE_TEST_MODULES`) and read from the running Python's ``Lib`` folder, so the
    corpus is on every machine, Colab included, offline. Lessons 02-04 and 08 all measure
    bits per character on ``valid`` / ``test`` of this corpus, so their numbers compare.
    """
    parts = {
        "train": CODE_TRAIN_MODULES,
        "valid": CODE_VALID_MODULES,
        "test": CODE_TEST_MODULES,
    }
    texts = {
        part: FILE_SEPARATOR.join(stdlib_source_path(m).read_text(encoding="utf-8") for m in names)
        for part, names in parts.items()
    }
    return CodeCorpus(**texts, modules=parts)


class CharVocab:
    """A fixed mapping between characters and integer ids.

    Ids ``0 .. len(specials) - 1`` are the special tokens, in order; the characters follow in
    the order of ``chars``. The default ``specials=("<unk>",)`` makes id 0 the fallback for
    any character not in the vocabulary. ``decode`` stops at ``"<end>"``, drops ``"<pad>"``
    and ``"<start>"``, and writes ``<unk>`` as ``UNKNOWN_CHAR``.

    >>> vocab = CharVocab.from_text("hello")
    >>> vocab.encode("hex")        # "x" is unknown -> 0
    array([2, 1, 0], dtype=int32)
    """

    def __init__(self, chars: Iterable[str], specials: Sequence[str] = ("<unk>",)) -> None:
        self.chars = "".join(chars)
        self.specials = tuple(specials)
        if len(set(self.chars)) != len(self.chars) or "<unk>" not in self.specials:
            raise ValueError("chars must be distinct and specials must include '<unk>'")
        self.tokens = self.specials + tuple(self.chars)
        self.unknown_id = self.specials.index("<unk>")
        codes = np.array([ord(c) for c in self.chars], dtype=np.int64)
        order = np.argsort(codes)
        self._codes = codes[order]
        self._ids = (order + len(self.specials)).astype(np.int32)

    @classmethod
    def from_text(cls, text: str, specials: Sequence[str] = ("<unk>",)) -> CharVocab:
        """The vocabulary of every distinct character in ``text``, sorted by code point."""
        return cls(sorted(set(text)), specials)

    def __len__(self) -> int:
        return len(self.tokens)

    def __repr__(self) -> str:
        return f"CharVocab({len(self)} tokens: {len(self.specials)} special, {self.chars!r})"

    def token_id(self, token: str) -> int:
        """The id of one special token (``"<pad>"``) or one character."""
        return self.tokens.index(token)

    def encode(self, text: str) -> np.ndarray:
        """int32 ids, shape ``(len(text),)``; unknown characters become ``unknown_id``."""
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        if not len(self._codes):
            return np.full(len(codes), self.unknown_id, dtype=np.int32)
        pos = np.minimum(np.searchsorted(self._codes, codes), len(self._codes) - 1)
        known = self._codes[pos] == codes
        return np.where(known, self._ids[pos], self.unknown_id).astype(np.int32)

    def decode(self, ids: Iterable[int]) -> str:
        """Characters for ``ids`` (stops at ``<end>``; drops ``<pad>`` and ``<start>``)."""
        out = []
        for i in np.asarray(ids).reshape(-1).tolist():
            token = self.tokens[i]
            if token == "<end>":
                break
            if token in ("<pad>", "<start>"):
                continue
            out.append(UNKNOWN_CHAR if token == "<unk>" else token)
        return "".join(out)


def split_text(
    text: str, val_fraction: float = 0.1, test_fraction: float = 0.1
) -> tuple[str, str, str]:
    """Cut ``text`` chronologically: the first part trains, the next validates, the last tests.

    Sizes are ``round(len * fraction)`` for validation and test; the training part is the rest.
    """
    n = len(text)
    val_start = n - round(n * val_fraction) - round(n * test_fraction)
    test_start = n - round(n * test_fraction)
    return text[:val_start], text[val_start:test_start], text[test_start:]


def char_sequences(
    ids: np.ndarray, seq_len: int, step: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Next-character examples: ``x[i] = ids[s:s+seq_len]``, ``y[i] = ids[s+1:s+seq_len+1]``.

    Window starts ``s = 0, step, 2*step, ...`` (default ``step = seq_len``: no overlap).
    Returns ``(x, y)``, both int32 of shape ``(n, seq_len)`` with
    ``n = (len(ids) - seq_len - 1) // step + 1``.
    """
    step = seq_len if step is None else step
    ids = np.asarray(ids, dtype=np.int32)
    if len(ids) < seq_len + 1:
        raise ValueError(f"need at least seq_len + 1 = {seq_len + 1} ids, got {len(ids)}")
    windows = np.lib.stride_tricks.sliding_window_view(ids, seq_len + 1)[::step]
    return np.ascontiguousarray(windows[:, :-1]), np.ascontiguousarray(windows[:, 1:])
