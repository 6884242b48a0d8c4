"""Date normalisation pairs: every human form names the same day as its ISO target."""

import datetime as dt
import re

import numpy as np
import pytest

from course_utils.data import (
    DATE_FORMATS,
    DATE_INPUT_VOCAB,
    DATE_OUTPUT_VOCAB,
    date_pairs,
    decode_dates,
    encode_dates,
)

# An independent parser per format (strptime; %b, %B and %a ignore case).
PATTERNS = {
    "d month yyyy": "%d %B %Y",
    "month d, yyyy": "%B %d, %Y",
    "dd/mm/yy": "%d/%m/%y",
    "yyyy.mm.dd": "%Y.%m.%d",
    "wkd, d mon yyyy": "%a, %d %b %Y",
    "dth of month yyyy": "%d of %B %Y",
    "MON dd yyyy": "%b %d %Y",
    "weekday, month d, yyyy": "%A, %B %d, %Y",
    "d.m.yyyy": "%d.%m.%Y",
    "d mon yy": "%d %b %y",
}


def parse(human: str, fmt: str) -> dt.date:
    human = re.sub(r"^(\d+)(st|nd|rd|th)", r"\1", human, flags=re.IGNORECASE)
    parsed = dt.datetime.strptime(human, PATTERNS[fmt]).date()
    if "%y" in PATTERNS[fmt]:  # two-digit years mean 1950-2049
        year = parsed.year % 100
        parsed = parsed.replace(year=1900 + year if year >= 50 else 2000 + year)
    return parsed


def test_every_format_has_a_parser():
    assert set(PATTERNS) == set(DATE_FORMATS)


@pytest.mark.parametrize("fmt", DATE_FORMATS)
def test_human_form_names_the_iso_day(fmt):
    pairs = date_pairs(300, seed=3, formats=[fmt])
    for human, iso in pairs:
        day = dt.date.fromisoformat(iso)
        assert dt.date(1950, 1, 1) <= day <= dt.date(2049, 12, 31)
        assert parse(human, fmt) == day, (human, iso)
        if "%a" in PATTERNS[fmt] or "%A" in PATTERNS[fmt]:
            assert human[:3].lower() == day.strftime("%a").lower()


def test_pairs_are_deterministic_varied_and_restrictable():
    pairs = date_pairs(2000, seed=0)
    assert pairs == date_pairs(2000, seed=0) and pairs != date_pairs(2000, seed=1)
    humans = [h for h, _ in pairs]
    assert any(h.isupper() for h in humans) and any(h.islower() for h in humans)
    assert len({iso[:4] for _, iso in pairs}) > 90
    only = date_pairs(200, formats=["yyyy.mm.dd"])
    assert all(re.fullmatch(r"\d{4}\.\d\d\.\d\d", h) for h, _ in only)
    with pytest.raises(ValueError, match="unknown formats"):
        date_pairs(5, formats=["klingon"])


def test_encode_dates_teacher_forcing():
    pairs = date_pairs(500, seed=2)
    x_enc, x_dec, y = encode_dates(pairs)
    assert x_enc.shape == (500, 32) and x_dec.shape == y.shape == (500, 11)
    assert x_enc.dtype == x_dec.dtype == y.dtype == np.int32
    assert (x_dec[:, 0] == 1).all() and (y[:, -1] == 2).all()
    np.testing.assert_array_equal(x_dec[:, 1:], y[:, :-1])
    assert decode_dates(y) == [iso for _, iso in pairs]
    assert [DATE_INPUT_VOCAB.decode(row) for row in x_enc] == [h for h, _ in pairs]
    assert DATE_INPUT_VOCAB.unknown_id not in x_enc
    assert (x_enc[:, -1] == 0).all()  # padding id
    assert len(DATE_OUTPUT_VOCAB) == 15


def test_encode_dates_rejects_too_long_inputs():
    with pytest.raises(ValueError, match="limit is 5"):
        encode_dates([("3 March 1999", "1999-03-03")], input_len=5)
