"""Environment variables: the usual yes/no words, whole numbers, and plain messages otherwise."""

from __future__ import annotations

import doctest
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_utils import env, modes
from course_utils.config import EnvironmentProblem, _thread_count, check_versions, setup
from course_utils.data import canonical
from course_utils.env import ConfigurationError, env_flag, env_int


@pytest.mark.parametrize("word", ["1", "true", "TRUE", "yes", "Yes", " on ", "y"])
def test_true_words(monkeypatch, word):
    monkeypatch.setenv("COURSE_FAST", word)
    assert modes.is_fast() is True


@pytest.mark.parametrize("word", ["0", "false", "No", "off", "n", ""])
def test_false_words(monkeypatch, word):
    monkeypatch.setenv("COURSE_STRICT", word)
    assert modes.is_strict() is False


def test_allow_download_accepts_yes(monkeypatch):
    """It was silently off: only "1" counted."""
    monkeypatch.setenv("COURSE_ALLOW_DOWNLOAD", "yes")
    assert canonical._download_allowed(None) is True
    monkeypatch.setenv("COURSE_ALLOW_DOWNLOAD", "off")
    assert canonical._download_allowed(None) is False


@given(st.text(max_size=12))
def test_any_flag_value_is_a_bool_or_a_clear_error(value):
    if "\x00" in value:
        return  # the environment cannot hold NUL
    os.environ["COURSE_HYPOTHESIS_FLAG"] = value
    try:
        assert env_flag("COURSE_HYPOTHESIS_FLAG") in (True, False)
    except ConfigurationError as exc:
        assert "COURSE_HYPOTHESIS_FLAG" in str(exc) and "yes/no" in str(exc)
    finally:
        del os.environ["COURSE_HYPOTHESIS_FLAG"]


def test_unknown_flag_word_names_the_variable(monkeypatch):
    monkeypatch.setenv("COURSE_FAST", "maybe")
    with pytest.raises(ConfigurationError, match=r"COURSE_FAST='maybe' is not a yes/no value"):
        modes.is_fast()


def test_bad_seed_is_a_plain_message(monkeypatch):
    monkeypatch.setenv("COURSE_SEED", "abc")
    with pytest.raises(ConfigurationError, match=r"COURSE_SEED='abc' is not a whole number"):
        setup(verbose=False)


@pytest.mark.parametrize(("value", "words"), [("abc", "not a whole number"), ("0", "at least 1")])
def test_bad_thread_count_is_a_plain_message(monkeypatch, value, words):
    monkeypatch.setenv("COURSE_THREADS", value)
    with pytest.raises(ConfigurationError, match=words):
        _thread_count()


def test_env_int_default_and_value(monkeypatch):
    monkeypatch.delenv("COURSE_SEED", raising=False)
    assert env_int("COURSE_SEED", 42) == 42
    monkeypatch.setenv("COURSE_SEED", " 7 ")
    assert env_int("COURSE_SEED", 42) == 7


def test_version_three_is_keras_three():
    """It said "Keras 3 is installed; this course needs Keras 3"."""
    check_versions("2.16", "3")
    with pytest.raises(EnvironmentProblem, match="TensorFlow 2 is installed"):
        check_versions("2", "3")


def test_unreadable_version_is_reported():
    with pytest.raises(EnvironmentProblem, match="Could not read the versions"):
        check_versions("nightly", "3.1")


def test_doctest():
    assert doctest.testmod(env).failed == 0
