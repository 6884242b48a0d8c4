"""Google Colab: install only what Colab lacks, never touching its own packages.

Colab preinstalls TensorFlow, Keras and ipywidgets 7.7.1; upgrading any of them breaks the
runtime (ipywidgets 8 breaks widgets there), so this module pip-installs a package only when
its module cannot be imported, and never one of ``NEVER_INSTALL``.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys

# import name -> pip requirement, for what the course needs beyond Colab's stock image
NEEDED = {
    "yaml": "PyYAML",
    "jsonschema": "jsonschema",
    "platformdirs": "platformdirs",
    "filelock": "filelock",
    "statsmodels": "statsmodels",
    "sklearn": "scikit-learn",
    "tqdm": "tqdm",
    "fsrs": "fsrs>=6.0",
    "tokenizers": "tokenizers>=0.19",
}
NEVER_INSTALL = {"tensorflow", "keras", "ipywidgets"}


def missing_requirements() -> list[str]:
    """The pip requirements whose modules cannot be imported here."""
    return [req for name, req in NEEDED.items() if importlib.util.find_spec(name) is None]


def prepare() -> None:
    """Install what is missing (quietly) and say what was done."""
    missing = missing_requirements()
    if missing:
        print(f"Installing what Colab lacks: {', '.join(missing)}")
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", *missing], check=True)
