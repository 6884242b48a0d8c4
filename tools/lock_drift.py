"""Which installed packages differ from requirements.lock: the drift `make test-latest` shows.

    .venv-latest/bin/python tools/lock_drift.py      # packages whose version moved
    python tools/lock_drift.py --lock other.lock

Reads the lock's pins (``name==version`` with an optional environment marker), keeps those
whose marker holds for the running interpreter, and prints one line per package whose
installed version is not the pinned one (or that is missing). Exit status 0 either way: drift
is information, the tests decide.
"""

from __future__ import annotations

import argparse
import re
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def read_pins(text: str) -> dict[str, str]:
    """The pins of a lock file that apply to this interpreter: ``{name: version}``."""
    pins = {}
    for line in text.splitlines():
        match = PIN.match(line.strip())
        if not match:
            continue
        name, version, marker = match.groups()
        if marker and not Marker(marker).evaluate():
            continue
        pins[canonicalize_name(name)] = version
    return pins


def drift(pins: dict[str, str]) -> list[tuple[str, str, str]]:
    """(package, pinned, installed or 'missing') for every pin this environment does not match."""
    moved = []
    for name, pinned in sorted(pins.items()):
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = "missing"
        if installed != pinned:
            moved.append((name, pinned, installed))
    return moved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lock", type=Path, default=ROOT / "requirements.lock")
    args = parser.parse_args()
    moved = drift(read_pins(args.lock.read_text(encoding="utf-8")))
    print(f"{len(moved)} package(s) differ from {args.lock.name}")
    for name, pinned, installed in moved:
        print(f"  {name:<32} locked {pinned:<12} installed {installed}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
