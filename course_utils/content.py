"""Reading course content: the YAML/JSON files under ``data/`` (quiz banks, flashcard decks,
the glossary), parsed safely and checked against the JSON Schemas in ``data/schemas``.

:mod:`course_utils.quiz.bank`, :mod:`course_utils.flashcards.deck` and
:mod:`course_utils.glossary.terms` read their files here and raise one error type,
:class:`ContentError`. Errors name the file, the item (index and id) and the field, e.g.
``01_cnn.yaml: question 3 (id 'pooling'): options[1].explanation: ...``.
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


class ContentError(ValueError):
    """A content file (quiz bank, flashcard deck, glossary) that does not follow its format."""


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
    """The lesson ids that have a file in ``data/<folder>``, sorted.

    Hidden files (macOS ``._01_cnn.yaml``, editors' lock files) and folders are not lessons.
    """
    base = data_dir() / folder
    if not base.is_dir():
        return []
    return sorted(
        {
            p.stem
            for p in base.iterdir()
            if p.suffix.lower() in SUFFIXES and not p.name.startswith(".") and p.is_file()
        }
    )


#: Limits that keep a hostile or broken file from hanging the kernel (issue 19). A lesson bank
#: is about 20 KB, 6 levels deep and uses no aliases; a 10,000-question bank is about 6 MB.
MAX_BYTES = 20_000_000
MAX_DEPTH = 40
MAX_ALIASES = 1_000
MAX_NODES = 2_000_000  # nodes after expanding every alias


def _limit(path: Path, what: str) -> ContentError:
    return ContentError(f"{path}: refused: {what}.")


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when installed
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class _Builder:
    """Builds Python objects straight from YAML parser events, as ``yaml.safe_load`` would,
    checking the limits on the way (one pass and no node tree: several times faster than
    ``yaml.load`` with the C loader for a big bank).

    Every node is weighed as it would be after aliases are expanded (an alias weighs what
    its anchor weighs), so a 330-byte "billion laughs" is refused after a few hundred events.
    Duplicate keys are refused; so are merge keys (``<<``) and explicit collection tags,
    which no bank needs.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.resolver = yaml.resolver.Resolver()
        self.constructor = yaml.constructor.SafeConstructor()
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.aliases = 0
        self.total = 0

    def _refuse(self, event: Any, what: str) -> ContentError:
        return _limit(self.path, f"{what} (line {event.start_mark.line + 1})")

    def _scalar(self, event: Any) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == "tag:yaml.org,2002:merge":
            raise self._refuse(event, "merge keys (<<) are not supported")
        construct = self.constructor.yaml_constructors.get(tag)
        if construct is None:
            raise self._refuse(event, f"the tag {tag} is not supported")
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        return construct(self.constructor, node)

    def _start(self, event: Any, stack: list[list[Any]]) -> None:
        if event.tag not in (None, "!", _MAP, _SEQ):
            raise self._refuse(event, f"the tag {event.tag} is not supported")
        if len(stack) >= MAX_DEPTH:
            raise _limit(self.path, f"nested deeper than {MAX_DEPTH} levels")
        container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
        if event.anchor is not None:
            self.anchors[event.anchor] = (container, 1)
        stack.append([container, event.anchor, 1, None, True])  # ..., size, key, expects key

    def _alias(self, event: Any) -> tuple[Any, int]:
        self.aliases += 1
        if self.aliases > MAX_ALIASES:
            raise _limit(self.path, f"more than {MAX_ALIASES} aliases (*name)")
        if event.anchor not in self.anchors:
            raise self._refuse(event, f"the alias *{event.anchor} has no anchor")
        return self.anchors[event.anchor]

    def _add(self, frame: list[Any], value: Any, event: Any) -> None:
        if isinstance(frame[0], list):
            frame[0].append(value)
            return
        if not frame[4]:  # a value for the pending key
            frame[0][frame[3]] = value
            frame[4] = True
            return
        try:
            duplicate = value in frame[0]
        except TypeError:
            raise self._refuse(event, "a mapping key that is not a plain value") from None
        if duplicate:
            line = event.start_mark.line + 1
            raise ContentError(f"{self.path}: duplicate key {value!r} on line {line}")
        frame[3], frame[4] = value, False

    def build(self, text: str) -> Any:
        """The document in ``text``; ContentError for anything refused."""
        stack: list[list[Any]] = []
        documents = 0
        root: Any = None
        for event in yaml.parse(text, Loader=_LOADER):
            if isinstance(event, yaml.CollectionStartEvent):
                self._start(event, stack)
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                value, anchor, size, *_ = stack.pop()
                if anchor is not None:
                    self.anchors[anchor] = (value, size)
            elif isinstance(event, yaml.AliasEvent):
                value, size = self._alias(event)
            elif isinstance(event, yaml.ScalarEvent):
                value, size = self._scalar(event), 1
                if event.anchor is not None:
                    self.anchors[event.anchor] = (value, 1)
            else:
                if isinstance(event, yaml.DocumentStartEvent):
                    documents += 1
                    if documents > 1:
                        raise self._refuse(event, "more than one YAML document")
                continue
            self.total += size
            if self.total > MAX_NODES:
                raise _limit(self.path, f"more than {MAX_NODES:,} values once aliases are expanded")
            if stack:
                stack[-1][2] += size
                self._add(stack[-1], value, event)
            else:
                root = value
        return root


def _depth(data: Any) -> int:
    """Nesting depth of lists and dicts, without recursion."""
    deepest, todo = 0, [(data, 1)]
    while todo:
        item, depth = todo.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, depth)
            if depth <= MAX_DEPTH:
                todo.extend((x, depth + 1) for x in item)
    return deepest


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ContentError(f"duplicate key {key!r}")
        result[key] = value
    return result


def read_document(path: Path) -> Any:
    """Parse a YAML or JSON file safely; anything wrong becomes a short ContentError.

    Refused: files over ``MAX_BYTES``, nesting deeper than ``MAX_DEPTH``, more than
    ``MAX_ALIASES`` YAML aliases or ``MAX_NODES`` values once aliases are expanded, and
    duplicate keys. YAML is read with libyaml's C parser when it is installed, and built
    by :class:`_Builder` (what ``yaml.safe_load`` builds, checked on the way).
    """
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _limit(path, f"{size:,} bytes is more than the {MAX_BYTES:,} allowed")
        text = path.read_bytes()[: MAX_BYTES + 1].decode("utf-8-sig")  # a BOM, as YAML allows
        if path.suffix.lower() == ".json":
            data = json.loads(text, object_pairs_hook=_no_duplicate_keys)
        else:
            data = _Builder(path).build(text)
    except ContentError as err:
        message = str(err)
        raise (
            err if message.startswith(str(path)) else ContentError(f"{path}: {message}")
        ) from None
    except RecursionError:
        raise _limit(path, f"nested deeper than {MAX_DEPTH} levels") from None
    except (json.JSONDecodeError, yaml.YAMLError, UnicodeDecodeError) as err:
        detail = str(err)
        detail = detail if len(detail) <= 300 else detail[:300] + " ..."
        raise ContentError(f"{path}: cannot be parsed: {detail}") from None
    if _depth(data) > MAX_DEPTH:
        raise _limit(path, f"nested deeper than {MAX_DEPTH} levels")
    return data


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


@cache
def _fast_check(schema_name: str) -> Any:
    """A compiled ``fastjsonschema`` check (about 20 times faster on a big bank), or None.

    Only a fast "valid": when it finds a problem, ``jsonschema`` says what and where.
    fastjsonschema comes with nbformat (JupyterLab, nbval); without it jsonschema does all.
    """
    try:
        import fastjsonschema
    except ImportError:
        return None
    schema_path = REPO_ROOT / "data" / "schemas" / f"{schema_name}.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    try:
        return fastjsonschema.compile(schema)
    except Exception:  # noqa: BLE001 - an unsupported schema feature: use jsonschema alone
        return None


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
    """Check ``data`` against ``data/schemas/<schema_name>.schema.json``; ContentError if not."""
    fast = _fast_check(schema_name)
    if fast is not None:
        try:
            fast(data)
            return
        except Exception:  # noqa: BLE001, S110 - jsonschema below says what is wrong
            pass
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
    raise ContentError(
        f"{path} does not follow {schema_name}.schema.json:\n" + "\n".join(lines) + more
    )
