"""Date normalisation for sequence-to-sequence models: human-written date -> ISO date."""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Callable, Sequence

import numpy as np

from course_utils.data.text import CharVocab

_MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


_FORMATTERS: dict[str, Callable[[dt.date], str]] = {
    "d month yyyy": lambda d: f"{d.day} {_MONTHS[d.month - 1]} {d.year}",
    "month d, yyyy": lambda d: f"{_MONTHS[d.month - 1]} {d.day}, {d.year}",
    "dd/mm/yy": lambda d: f"{d.day:02d}/{d.month:02d}/{d.year % 100:02d}",
    "yyyy.mm.dd": lambda d: f"{d.year}.{d.month:02d}.{d.day:02d}",
    "wkd, d mon yyyy": lambda d: (
        f"{_WEEKDAYS[d.weekday()][:3]}, {d.day} {_MONTHS[d.month - 1][:3]} {d.year}"
    ),
    "dth of month yyyy": lambda d: f"{_ordinal(d.day)} of {_MONTHS[d.month - 1].lower()} {d.year}",
    "MON dd yyyy": lambda d: f"{_MONTHS[d.month - 1][:3].upper()} {d.day:02d} {d.year}",
    "weekday, month d, yyyy": lambda d: (
        f"{_WEEKDAYS[d.weekday()]}, {_MONTHS[d.month - 1]} {d.day}, {d.year}"
    ),
    "d.m.yyyy": lambda d: f"{d.day}.{d.month}.{d.year}",
    "d mon yy": lambda d: f"{d.day} {_MONTHS[d.month - 1][:3]} {d.year % 100:02d}",
}

DATE_FORMATS = tuple(_FORMATTERS)
"""Format names, each shown with 3 March 1999:

``"d month yyyy"`` 3 March 1999 | ``"month d, yyyy"`` March 3, 1999 |
``"dd/mm/yy"`` 03/03/99 (day first) | ``"yyyy.mm.dd"`` 1999.03.03 |
``"wkd, d mon yyyy"`` Wed, 3 Mar 1999 | ``"dth of month yyyy"`` 3rd of march 1999 |
``"MON dd yyyy"`` MAR 03 1999 | ``"weekday, month d, yyyy"`` Wednesday, March 3, 1999 |
``"d.m.yyyy"`` 3.3.1999 | ``"d mon yy"`` 3 Mar 99.
Two-digit years mean 1950-2049 (50..99 -> 19xx, 00..49 -> 20xx)."""

FIRST_DATE, LAST_DATE = dt.date(1950, 1, 1), dt.date(2049, 12, 31)

_SPECIALS = ("<pad>", "<start>", "<end>", "<unk>")
DATE_INPUT_VOCAB = CharVocab(" ,-./" + string.digits + string.ascii_letters, _SPECIALS)
"""Encoder vocabulary (71 tokens): 0 ``<pad>``, 1 ``<start>``, 2 ``<end>``, 3 ``<unk>``, then
``" ,-./"``, digits, ``a-z``, ``A-Z``."""
DATE_OUTPUT_VOCAB = CharVocab("-" + string.digits, _SPECIALS)
"""Decoder vocabulary (15 tokens): 0 ``<pad>``, 1 ``<start>``, 2 ``<end>``, 3 ``<unk>``,
4 ``"-"``, 5..14 the digits ``0..9``."""
DATE_INPUT_LEN = 32
"""Default encoder length (the longest human forms, e.g. ``"Wednesday, September 13, 1950"``,
have 29 characters)."""
DATE_OUTPUT_LEN = 11
"""Default decoder length: 10 ISO characters plus ``<start>`` (inputs) or ``<end>`` (targets)."""


def date_pairs(
    n: int, seed: int = 0, formats: Sequence[str] | None = None, case_variants: bool = True
) -> list[tuple[str, str]]:
    """``n`` pairs ``(human, iso)``, e.g. ``("3rd of march 1999", "1999-03-03")``.

    Days are drawn uniformly from 1950-01-01 to 2049-12-31 and formats uniformly from
    ``formats`` (default: all of ``DATE_FORMATS``; pass a subset to hold a format family out).
    With ``case_variants`` a written-out month or weekday is kept as is (half the time),
    lower-cased or upper-cased (a quarter each). Same ``seed``, same pairs.
    """
    names = DATE_FORMATS if formats is None else tuple(formats)
    unknown = set(names) - set(DATE_FORMATS)
    if unknown or not names:
        raise ValueError(f"unknown formats {sorted(unknown)}; choose from {DATE_FORMATS}")
    rng = np.random.default_rng(seed)
    days = rng.integers(FIRST_DATE.toordinal(), LAST_DATE.toordinal(), size=n, endpoint=True)
    chosen = rng.integers(len(names), size=n)
    cases = rng.choice(3, size=n, p=[0.5, 0.25, 0.25])
    pairs = []
    for day, k, case in zip(days.tolist(), chosen.tolist(), cases.tolist(), strict=True):
        date = dt.date.fromordinal(day)
        human = _FORMATTERS[names[k]](date)
        if case_variants:
            human = (human, human.lower(), human.upper())[case]
        pairs.append((human, date.isoformat()))
    return pairs


def encode_dates(
    pairs: Sequence[tuple[str, str]],
    input_len: int = DATE_INPUT_LEN,
    output_len: int = DATE_OUTPUT_LEN,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Teacher-forcing arrays for an encoder-decoder model.

    Returns int32 ``(x_enc, x_dec, y)``:

    - ``x_enc`` ``(n, input_len)``: the human form in ``DATE_INPUT_VOCAB`` ids, padded with 0;
    - ``x_dec`` ``(n, output_len)``: ``<start>`` (1) then the ISO characters, padded with 0;
    - ``y`` ``(n, output_len)``: the ISO characters then ``<end>`` (2), padded with 0 -
      ``x_dec`` shifted left by one step, what the decoder must predict at each position.

    For 1999-03-03: ``x_dec = [1, 6, 14, 14, 14, 4, 5, 8, 4, 5, 8]``,
    ``y = [6, 14, 14, 14, 4, 5, 8, 4, 5, 8, 2]``.
    """
    humans, isos = zip(*pairs, strict=True) if len(pairs) else ((), ())
    x_enc = _encode_padded(DATE_INPUT_VOCAB, humans, input_len)
    body = _encode_padded(DATE_OUTPUT_VOCAB, isos, output_len - 1)
    x_dec = np.zeros((len(pairs), output_len), dtype=np.int32)
    x_dec[:, 0] = DATE_OUTPUT_VOCAB.token_id("<start>")
    x_dec[:, 1:] = body
    y = np.pad(body, ((0, 0), (0, 1)))
    y[np.arange(len(pairs)), [len(iso) for iso in isos]] = DATE_OUTPUT_VOCAB.token_id("<end>")
    return x_enc, x_dec, y


def _encode_padded(vocab: CharVocab, texts: Sequence[str], length: int) -> np.ndarray:
    """int32 ``(len(texts), length)``: each text's ids, then 0 (``<pad>``)."""
    lengths = np.array([len(t) for t in texts], dtype=np.int64)
    if len(texts) and lengths.max() > length:
        longest = texts[int(lengths.argmax())]
        raise ValueError(f"{longest!r} has {len(longest)} characters; the limit is {length}")
    out = np.zeros((len(texts), length), dtype=np.int32)
    rows = np.repeat(np.arange(len(texts)), lengths)
    cols = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    out[rows, cols] = vocab.encode("".join(texts))
    return out


def decode_dates(ids: np.ndarray) -> list[str]:
    """Decoder ids ``(n, length)``, e.g. ``predictions.argmax(-1)``, as strings cut at ``<end>``.

    >>> decode_dates([[6, 14, 14, 14, 4, 5, 8, 4, 5, 8, 2]])
    ['1999-03-03']
    """
    return [DATE_OUTPUT_VOCAB.decode(row) for row in np.atleast_2d(ids)]
