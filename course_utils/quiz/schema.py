"""Reading YAML/JSON documents and checking them against the JSON Schemas in ``data/schemas``.

Shared by quiz banks and flashcard decks. Errors name the file, the item (index and id) and
the field, e.g. ``01_cnn.yaml: question 3 (id 'pooling'): options[1].explanation: ...``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from course_utils.paths import REPO_ROOT, data_dir

SUFFIXES = (".yaml", ".yml", ".json")


class BankError(ValueError):
    """A quiz bank or flashcard deck that does not follow its format."""


def find(folder: str, name: str | Path) -> Path:
    """Resolve a lesson id (``"01_cnn"`` -> ``data/<folder>/01_cnn.yaml``) or a file path."""
    candidate = Path(name).expanduser()
    if candidate.suffix.lower() in SUFFIXES or candidate.is_file():
        if not candidate.is_file():
            raise FileNotFoundError(f"No such file: {candidate}")
        return candidate
    base = data_dir() / folder
    for suffix in SUFFIXES:
        if (base / f"{name}{suffix}").is_file():
            return base / f"{name}{suffix}"
    available = ", ".join(lesson_ids(folder)) or "none"
    raise FileNotFoundError(f"No {folder} file for {name!r} in {base} (available: {available}).")


def lesson_ids(folder: str) -> list[str]:
    """The lesson ids that have a file in ``data/<folder>``, sorted."""
    base = data_dir() / folder
    if not base.is_dir():
        return []
    return sorted({p.stem for p in base.iterdir() if p.suffix.lower() in SUFFIXES})


def read_document(path: Path) -> Any:
    """Parse a YAML or JSON file; a syntax error becomes a BankError naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
        if path.suffix.lower() == ".json":
            return json.loads(text)
        return yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError, UnicodeDecodeError) as err:
        raise BankError(f"{path}: cannot be parsed: {err}") from None


def import_jsonschema() -> Any:
    """``jsonschema``, imported without its optional IRI checker.

    When ``rfc3987_syntax`` is installed (JupyterLab pulls it in), jsonschema imports it to
    check the ``iri`` format, and it builds a grammar at import time: about 1.5 s in every
    lesson's quiz cell. Our schemas use no formats, so the import is skipped, for this
    import only (a later ``import rfc3987_syntax`` elsewhere works as usual).
    """
    if "jsonschema" in sys.modules:
        return sys.modules["jsonschema"]
    skip = "rfc3987_syntax" not in sys.modules
    if skip:
        sys.modules["rfc3987_syntax"] = None  # makes `import rfc3987_syntax` raise ImportError
    try:
        import jsonschema
    finally:
        if skip:
            del sys.modules["rfc3987_syntax"]
    return jsonschema


@cache
def _validator(schema_name: str) -> Any:
    jsonschema = import_jsonschema()  # imported on first use: it is slow to import
    schema_path = REPO_ROOT / "data" / "schemas" / f"{schema_name}.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def describe_location(data: Any, path: Sequence[Any], item_key: str | None, item_word: str) -> str:
    """Words for a location in a document: ``question 3 (id 'x'): options[1].text``.

    Items are ``data[item_key]``, or ``data`` itself when ``item_key`` is None.
    """
    prefix = [] if item_key is None else [item_key]
    items = data if item_key is None else data.get(item_key) if isinstance(data, dict) else None
    parts: list[str] = []
    rest = list(path)
    n = len(prefix)
    if rest[:n] == prefix and len(rest) > n and isinstance(rest[n], int):
        index = rest[n]
        item = items[index] if isinstance(items, list) and index < len(items) else None
        item_id = item.get("id") if isinstance(item, dict) else None
        parts.append(f"{item_word} {index + 1}" + (f" (id {item_id!r})" if item_id else ""))
        rest = rest[n + 1 :]
    field = ""
    for step in rest:
        field += f"[{step}]" if isinstance(step, int) else f".{step}" if field else str(step)
    if field:
        parts.append(field)
    return ": ".join(parts) or "top level"


def validate(data: Any, schema_name: str, path: Path, item_key: str | None, item_word: str) -> None:
    """Check ``data`` against ``data/schemas/<schema_name>.schema.json``; BankError if invalid."""
    errors = sorted(
        _validator(schema_name).iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]
    )
    if not errors:
        return
    lines = []
    for err in errors[:5]:
        location = list(err.absolute_path)
        if err.validator == "required" and isinstance(err.instance, dict):
            missing = [p for p in err.validator_value if p not in err.instance]
            location += missing[:1]
        where = describe_location(data, location, item_key, item_word)
        lines.append(f"  {where}: {err.message}")
    more = f"\n  ... and {len(errors) - 5} more" if len(errors) > 5 else ""
    raise BankError(
        f"{path} does not follow {schema_name}.schema.json:\n" + "\n".join(lines) + more
    )
