"""The glossary as data: ``data/glossary.yaml`` read, checked and searched. No widgets.

Names are compared by :func:`name_key`, which folds case, hyphens, dashes, underscores,
slashes, punctuation and a plural ending, so ``Over-fitting``, ``overfitting`` and
``over fitting`` find the same entry, and so do ``GRUs`` and ``GRU``.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from course_utils.content import ContentError, read_document, validate
from course_utils.paths import data_dir

FILE_NAME = "glossary.yaml"


class UnknownTerm(KeyError):
    """No glossary entry has that name; the message lists the closest names."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class Place:
    """Where a term is taught: a lesson id and the heading of the section."""

    lesson: str
    section: str


@dataclass(frozen=True)
class Term:
    """One glossary entry."""

    term: str
    anchor: str
    definition: str
    lessons: tuple[Place, ...]
    synonyms: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    not_to_confuse: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """The display name, then the synonyms and other spellings."""
        return (self.term, *self.synonyms)


def glossary_path() -> Path:
    """``data/glossary.yaml`` (under ``COURSE_DATA_DIR`` when that is set)."""
    return data_dir() / FILE_NAME


_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_/]+")
_DROPPED = re.compile(r"[^\w\s]")


def _singular(word: str) -> str:
    if len(word) <= 3 or word.endswith(("ss", "us", "is", "as")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


_ACRONYM_PLURAL = re.compile(r"\b([A-Z0-9]{2,})s\b")


def name_key(text: str) -> str:
    """``text`` folded for comparing names: case, separators, punctuation and plurals."""
    singular = _ACRONYM_PLURAL.sub(r"\1", unicodedata.normalize("NFKC", text))
    folded = singular.casefold()
    words = _DROPPED.sub("", _SEPARATORS.sub(" ", folded)).split()
    return " ".join(_singular(word) for word in words)


def _compact(key: str) -> str:
    return key.replace(" ", "")


def _terms_from(raw: dict, path: Path) -> list[Term]:
    terms = [
        Term(
            term=entry["term"],
            anchor=entry["anchor"],
            definition=" ".join(entry["definition"].split()),
            lessons=tuple(Place(p["lesson"], p["section"]) for p in entry["lessons"]),
            synonyms=tuple(entry.get("synonyms", ())),
            related=tuple(entry.get("related", ())),
            not_to_confuse=entry.get("not_to_confuse", ""),
        )
        for entry in raw["terms"]
    ]
    _check_references(terms, path)
    return terms


def _check_references(terms: list[Term], path: Path) -> None:
    """Refuse repeated anchors, a name used by two entries (compared without spaces, as
    :func:`search` compares them), and related anchors that do not exist; each problem named
    with its entry."""
    problems = []
    anchors: dict[str, str] = {}
    owners: dict[str, str] = {}
    for term in terms:
        if term.anchor in anchors:
            problems.append(
                f"anchor {term.anchor!r} used by {anchors[term.anchor]!r} and {term.term!r}"
            )
        anchors[term.anchor] = term.term
        for name in dict.fromkeys(_compact(name_key(n)) for n in term.names):
            if not name:
                problems.append(f"{term.term!r}: a name with no letters")
            elif name in owners and owners[name] != term.anchor:
                problems.append(
                    f"the name {name!r} belongs to {owners[name]!r} and {term.anchor!r}"
                )
            owners.setdefault(name, term.anchor)
    for term in terms:
        for other in term.related:
            if other not in anchors:
                problems.append(f"{term.term!r}: related {other!r} is no entry's anchor")
            elif other == term.anchor:
                problems.append(f"{term.term!r}: related to itself")
    if problems:
        raise ContentError(f"{path}: " + "; ".join(problems[:10]))


_CACHE: dict[tuple[Path, float, int], list[Term]] = {}


def load(path: str | Path | None = None) -> list[Term]:
    """Every glossary entry, in the file's order (``data/glossary.yaml`` by default).

    Raises FileNotFoundError when the file is missing and ContentError, naming the entry and the
    field, when it does not follow ``data/schemas/glossary.schema.json`` or two entries share
    an anchor or a name.
    """
    target = Path(path) if path is not None else glossary_path()
    stat = target.stat()
    cached = _CACHE.get((target, stat.st_mtime, stat.st_size))
    if cached is not None:
        return list(cached)
    raw = read_document(target)
    validate(raw, "glossary", target, "terms", "term")
    terms = _terms_from(raw, target)
    _CACHE.clear()
    _CACHE[(target, stat.st_mtime, stat.st_size)] = terms
    return list(terms)


def search(query: str, terms: list[Term] | None = None) -> list[Term]:
    """The entries whose name or synonym contains ``query`` (case- and hyphen-insensitive).

    Exact matches come first, then names that start with the query, then names with a word
    that starts with it, then the rest, each group in alphabetical order. An empty query
    gives every entry, alphabetically.
    """
    pool = load() if terms is None else terms
    key = name_key(query)
    compact = _compact(key)

    def rank(term: Term) -> int | None:
        """0: a name equals the query, 1: starts with it, 2: has a word that starts with it,
        3: contains it; None: no name matches."""
        ranks = []
        for name in map(name_key, term.names):
            if name == key or _compact(name) == compact:
                return 0
            if name.startswith(key) or _compact(name).startswith(compact):
                ranks.append(1)
            elif f" {key}" in f" {name}":
                ranks.append(2)
            elif key in name:
                ranks.append(3)
        return min(ranks, default=None)

    ranked = [(r, term.term.casefold(), term) for term in pool if (r := rank(term)) is not None]
    return [term for _, _, term in sorted(ranked, key=lambda item: item[:2])]


def lookup(name: str, terms: list[Term] | None = None) -> Term:
    """The entry called ``name`` (its term, a synonym or its anchor).

    :class:`UnknownTerm` (a KeyError) with the closest names when there is none.
    """
    pool = load() if terms is None else terms
    key = name_key(str(name))
    for term in pool:
        if key and (key in map(name_key, term.names) or key == name_key(term.anchor)):
            return term
    owners = {name_key(n): term.term for term in pool for n in term.names}
    close = difflib.get_close_matches(key, list(owners), n=3, cutoff=0.6)
    found = search(str(name), pool)[:3] if key else []
    hints = list(dict.fromkeys([*(owners[c] for c in close), *(t.term for t in found)]))
    hint = f" Did you mean: {', '.join(hints)}?" if hints else " Try glossary.show() to search."
    raise UnknownTerm(f"No glossary entry for {name!r}.{hint}")
