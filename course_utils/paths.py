"""Where the course's files are: the repository root and its ``data/`` folder."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The course's ``data/`` folder (override with ``COURSE_DATA_DIR``)."""
    override = os.environ.get("COURSE_DATA_DIR")
    return Path(override) if override else REPO_ROOT / "data"
