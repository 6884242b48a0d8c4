"""course_utils.config: version guard, the quiet import and setup()'s summary."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from course_utils.config import EnvironmentProblem, check_versions, version_tuple


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2.20.0", (2, 20, 0)),
        ("3.13.0rc1", (3, 13, 0)),
        ("2.16", (2, 16)),
        ("3.0.0.dev2024", (3, 0, 0)),
    ],
)
def test_version_tuple(text, expected):
    assert version_tuple(text) == expected


def test_current_versions_pass():
    check_versions("2.20.0", "3.13.0")


@pytest.mark.parametrize(
    ("tf", "keras", "words"),
    [("2.15.1", "3.1.0", "TensorFlow >= 2.16"), ("2.16.1", "2.15.0", "needs Keras 3")],
)
def test_old_versions_give_an_actionable_message(tf, keras, words):
    with pytest.raises(EnvironmentProblem, match=words) as info:
        check_versions(tf, keras)
    assert "make lab" in str(info.value)


def test_import_does_not_load_tensorflow():
    code = (
        "import sys, course_utils\n"
        "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_setup_seeds_reports_and_hides_native_noise():
    code = (
        "import course_utils, numpy as np\n"
        "c = course_utils.setup(seed=7)\n"
        "a = np.random.rand()\n"
        "course_utils.setup(seed=7, verbose=False)\n"
        "assert np.random.rand() == a, 'setup must reseed NumPy'\n"
        "assert c.seed == 7 and c.backend == 'tensorflow' and c.mode == 'default'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "TensorFlow" in done.stdout and "Run mode: default" in done.stdout
    assert "cuda" not in done.stderr.lower() and "oneDNN" not in done.stderr


@pytest.mark.parametrize(
    ("value", "patched", "words"), [(None, True, "traced once"), ("0", False, "stock Keras")]
)
def test_trace_once_can_be_turned_off_and_the_summary_says_which(value, patched, words):
    code = (
        "import course_utils\n"
        "from keras.src.backend.tensorflow.trainer import TensorFlowTrainer\n"
        "c = course_utils.setup()\n"
        "print('PATCHED', hasattr(TensorFlowTrainer._maybe_symbolic_build,"
        " '_course_builds_before_tracing'), c.trace_once)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "COURSE_TRACE_ONCE"}
    if value is not None:
        env["COURSE_TRACE_ONCE"] = value
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert f"PATCHED {patched} {patched}" in done.stdout
    assert f"training steps: {words}" in done.stdout
