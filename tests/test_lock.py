"""requirements.lock pins everything the human lists name, with hashes, as `make lock` makes it."""

from __future__ import annotations

import re
from pathlib import Path

import lock_drift
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent

LOCK = (ROOT / "requirements.lock").read_text(encoding="utf-8")


def _named(path: Path) -> set[str]:
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.add(canonicalize_name(Requirement(line).name))
    return names


def _all_pins() -> dict[str, list[str]]:
    pins: dict[str, list[str]] = {}
    for line in LOCK.splitlines():
        match = lock_drift.PIN.match(line.strip())
        if match:
            pins.setdefault(canonicalize_name(match.group(1)), []).append(match.group(2))
    return pins


def test_every_listed_requirement_is_pinned():
    pinned = _all_pins()
    for listed in ("requirements.txt", "requirements-dev.txt"):
        missing = _named(ROOT / listed) - set(pinned)
        assert not missing, f"{listed} names {sorted(missing)}: run `make lock`"


def test_every_pin_carries_a_hash():
    blocks = re.split(r"\n(?=[A-Za-z0-9])", LOCK)
    pins = [block for block in blocks if lock_drift.PIN.match(block.splitlines()[0].strip())]
    assert len(pins) > 100
    unhashed = [block.splitlines()[0] for block in pins if "--hash=sha256:" not in block]
    assert not unhashed


def test_the_lock_was_made_the_way_make_lock_makes_it():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    args = re.search(r"^LOCK_ARGS := (.+)$", makefile, re.M).group(1).split()
    header = LOCK.splitlines()[1]
    assert all(arg in header.split() for arg in args), header


def test_the_core_libraries_have_one_version_for_every_python():
    pins = _all_pins()
    for name in ("tensorflow", "keras", "numpy", "scikit-learn", "statsmodels"):
        assert len(pins[name]) == 1, f"{name}: {pins[name]}"


def test_read_pins_keeps_only_what_applies_here():
    text = (
        "numpy==2.4.6 \\\n    --hash=sha256:00\n"
        "colorama==0.4.6 ; sys_platform == 'never' \\\n"
        "scipy==1.17.1 ; python_full_version >= '3.0' \\\n"
        "    # via keras\n"
    )
    assert lock_drift.read_pins(text) == {"numpy": "2.4.6", "scipy": "1.17.1"}


def test_drift_names_moved_and_missing_packages():
    moved = lock_drift.drift({"pytest": "0.0.1", "no-such-package-here": "1.0"})
    assert ("no-such-package-here", "1.0", "missing") in moved
    assert any(name == "pytest" and pinned == "0.0.1" for name, pinned, _ in moved)
