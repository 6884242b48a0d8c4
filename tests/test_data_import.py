"""Importing course_utils.data stays cheap: no TensorFlow, no Keras, no heavy data libraries."""

import subprocess
import sys


def test_import_does_not_load_tensorflow_or_keras():
    code = (
        "import sys, course_utils.data\n"
        "heavy = [m for m in ('tensorflow', 'keras', 'sklearn', 'statsmodels', 'pandas')"
        " if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
