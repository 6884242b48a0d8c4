"""The documentation corpus, the character vocabulary and next-character windows."""

import doctest

import numpy as np
import pytest

from course_utils.data import (
    CharVocab,
    char_sequences,
    dates,
    load_docs_text,
    load_stdlib_source,
    split_text,
    text,
)
from course_utils.data.text import UNKNOWN_CHAR


@pytest.fixture(scope="module")
def corpus() -> str:
    return load_docs_text()


def test_corpus_is_large_english_text(corpus):
    assert 400_000 < len(corpus) < 600_000
    assert "for" in corpus and "lambda" in corpus
    assert corpus == load_docs_text()


def test_vocab_round_trip(corpus):
    vocab = CharVocab.from_text(corpus)
    assert len(vocab) == len(set(corpus)) + 1 and vocab.chars == "".join(sorted(set(corpus)))
    ids = vocab.encode(corpus)
    assert ids.dtype == np.int32 and ids.shape == (len(corpus),)
    assert ids.min() >= 1 and ids.max() == len(vocab) - 1
    assert vocab.decode(ids) == corpus


def test_unknown_chars_use_the_fallback_id():
    vocab = CharVocab.from_text("abc")
    assert vocab.unknown_id == 0 and vocab.token_id("a") == 1
    np.testing.assert_array_equal(vocab.encode("axc"), [1, 0, 3])
    assert vocab.decode(vocab.encode("axc")) == f"a{UNKNOWN_CHAR}c"
    assert vocab.encode("").shape == (0,)


def test_special_tokens_and_decode_stops_at_end():
    vocab = CharVocab("ab", specials=("<pad>", "<start>", "<end>", "<unk>"))
    assert vocab.tokens[:4] == ("<pad>", "<start>", "<end>", "<unk>") and len(vocab) == 6
    assert vocab.decode([1, 4, 5, 2, 4, 0]) == "ab"
    with pytest.raises(ValueError):
        CharVocab("aa")


def test_split_text_is_chronological(corpus):
    train, val, test = split_text(corpus)
    assert train + val + test == corpus
    assert len(val) == len(test) == round(len(corpus) * 0.1)


def test_char_sequences_shift_by_one():
    ids = np.arange(50, dtype=np.int32)
    x, y = char_sequences(ids, seq_len=10, step=3)
    assert x.shape == y.shape == ((50 - 10 - 1) // 3 + 1, 10) and x.dtype == np.int32
    np.testing.assert_array_equal(x[1], np.arange(3, 13))
    np.testing.assert_array_equal(y, x + 1)
    x, _ = char_sequences(ids, seq_len=10)
    assert len(x) == 4 and x[-1, 0] == 30
    with pytest.raises(ValueError):
        char_sequences(ids[:5], seq_len=10)


def test_docstring_examples():
    for module in (text, dates):
        assert doctest.testmod(module).failed == 0


def test_stdlib_source_corpus_is_split_by_whole_modules():
    corpus = load_stdlib_source()
    modules = corpus.modules
    assert not set(modules["train"]) & set(modules["valid"])
    assert not set(modules["train"]) & set(modules["test"])
    assert not set(modules["valid"]) & set(modules["test"])
    assert len(corpus.train) > 2_000_000
    assert 150_000 < len(corpus.valid) < 400_000
    assert 150_000 < len(corpus.test) < 400_000
    assert corpus.test.startswith('"""Configuration file parser.')
    assert "def " in corpus.valid and "class " in corpus.train
    assert repr(corpus).startswith("CodeCorpus(train=")


def test_stdlib_source_missing_file_says_what_to_do(monkeypatch, tmp_path):
    monkeypatch.setattr(text.sysconfig, "get_paths", lambda: {"stdlib": str(tmp_path)})
    with pytest.raises(FileNotFoundError, match="load_docs_text"):
        text.stdlib_source_path("argparse")


def test_moved_source_is_read_where_the_code_now_lives(monkeypatch, tmp_path):
    """Python 3.12+ keeps datetime's code in _pydatetime.py; datetime.py is a shim there."""
    (tmp_path / "datetime.py").write_text("from _pydatetime import *\n")
    monkeypatch.setattr(text.sysconfig, "get_paths", lambda: {"stdlib": str(tmp_path)})
    assert text.stdlib_source_path("datetime") == tmp_path / "datetime.py"  # 3.11: no move
    (tmp_path / "_pydatetime.py").write_text("class date: ...\n")
    assert text.stdlib_source_path("datetime") == tmp_path / "_pydatetime.py"


def test_every_topic_module_has_real_code():
    from course_utils.data.labels import TOPIC_MODULES

    for module in TOPIC_MODULES:
        assert len(text.stdlib_source_path(module).read_text(encoding="utf-8")) > 20_000, module
