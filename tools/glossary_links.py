"""Glossary links in the lessons, kept by ``tools/sync_notebooks.py``.

In each lesson, the first **bold** use of a glossary term (its name or a synonym, compared
with :func:`course_utils.glossary.terms.name_key`) becomes a link to its entry,
``[**term**](../GLOSSARY.md#anchor)``; later uses stay plain bold. Links are rebuilt on every
sync (unlinked, then linked again), so a renamed anchor or a moved first use follows the
glossary. Code, math and headings are left alone. :func:`dead_links` lists every
``GLOSSARY.md#anchor`` in the notebooks and the Markdown files whose anchor no entry has.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from course_utils.glossary.render import LINK_PREFIX
from course_utils.glossary.terms import Term, name_key

#: Text the linker never touches: fenced code, inline code, display and inline math, headings.
PROTECTED = re.compile(
    r"(?s:```.*?```)|`[^`\n]*`|(?s:\$\$.*?\$\$)|\$[^$\n]+\$|^#{1,6} [^\n]*", re.M
)
BOLD = re.compile(r"(?<![\[*\\])\*\*(?P<text>[^*\s](?:[^*\n]*?[^*\s])?)\*\*(?![*\]])")
LINKED = re.compile(
    r"\[\*\*(?P<text>[^*\n]+?)\*\*\]\(" + re.escape(LINK_PREFIX) + r"(?P<anchor>[^)\s]*)\)"
)
ANY_LINK = re.compile(r"GLOSSARY\.md#(?P<anchor>[^)\s\"'>]*)")


def name_index(terms: Iterable[Term]) -> dict[str, str]:
    """Every name and synonym (folded by ``name_key``) -> the entry's anchor."""
    return {name_key(name): term.anchor for term in terms for name in term.names}


def _text_parts(markdown: str) -> Iterator[tuple[str, bool]]:
    """``markdown`` cut into (piece, editable) pairs; code, math and headings are not."""
    start = 0
    for match in PROTECTED.finditer(markdown):
        yield markdown[start : match.start()], True
        yield match.group(0), False
        start = match.end()
    yield markdown[start:], True


def bold_texts(markdown: str) -> list[str]:
    """The bold phrases of ``markdown`` outside code, math and headings, linked ones included."""
    plain = LINKED.sub(lambda m: f"**{m['text']}**", markdown)
    return [m["text"] for piece, ok in _text_parts(plain) if ok for m in BOLD.finditer(piece)]


def link_first_uses(markdown: str, index: dict[str, str], seen: set[str]) -> str:
    """``markdown`` with the first bold use of each term not in ``seen`` linked to its entry.

    ``seen`` (anchors already linked in this lesson) is updated in place.
    """
    plain = LINKED.sub(lambda m: f"**{m['text']}**", markdown)

    def link(match: re.Match[str]) -> str:
        anchor = index.get(name_key(match["text"]))
        if anchor is None or anchor in seen:
            return match.group(0)
        seen.add(anchor)
        return f"[**{match['text']}**]({LINK_PREFIX}{anchor})"

    return "".join(BOLD.sub(link, piece) if ok else piece for piece, ok in _text_parts(plain))


def link_notebook(notebook: dict, index: dict[str, str]) -> dict:
    """The notebook with its markdown cells linked (first use per lesson), in place."""
    seen: set[str] = set()
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            source = cell["source"]
            text = "".join(source) if isinstance(source, list) else source
            cell["source"] = link_first_uses(text, index, seen)
    return notebook


def _markdown_of(path: Path) -> str:
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return "\n".join(
            "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in cells
            if c["cell_type"] == "markdown"
        )
    return path.read_text(encoding="utf-8")


def dead_links(paths: Iterable[Path], anchors: set[str], root: Path) -> list[str]:
    """``"notebooks/02_rnn.ipynb: #no-such-term"`` for every glossary link with no entry."""
    dead = []
    for path in paths:
        for match in ANY_LINK.finditer(_markdown_of(path)):
            if match["anchor"] not in anchors:
                dead.append(f"{path.relative_to(root)}: #{match['anchor']}")
    return dead
