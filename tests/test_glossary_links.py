"""Glossary links in the lessons (tools/glossary_links.py, run by tools/sync_notebooks.py)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import glossary_links
import sync_notebooks

from course_utils import glossary

ROOT = Path(__file__).resolve().parent.parent

INDEX = {"dropout": "dropout", "drop out": "dropout", "hidden state": "hidden-state"}


def test_the_first_bold_use_is_linked_and_later_ones_stay_bold() -> None:
    seen: set[str] = set()
    first = glossary_links.link_first_uses("Use **dropout** here.", INDEX, seen)
    later = glossary_links.link_first_uses("And **Drop-out** again.", INDEX, seen)
    assert first == "Use [**dropout**](../GLOSSARY.md#dropout) here."
    assert later == "And **Drop-out** again."
    assert seen == {"dropout"}


def test_code_math_headings_and_unknown_bold_are_left_alone() -> None:
    text = (
        "## The **dropout** heading\n"
        "`x**dropout**y` and $a**b$ and **not a term** and ```\n**hidden state**\n```\n"
        "then **hidden state**."
    )
    linked = glossary_links.link_first_uses(text, INDEX, set())
    assert linked.replace(
        "[**hidden state**](../GLOSSARY.md#hidden-state)", "**hidden state**"
    ) == (text)
    assert linked.count("GLOSSARY.md") == 1 and linked.endswith("(../GLOSSARY.md#hidden-state).")


def test_bold_across_code_is_not_taken_for_a_term() -> None:
    assert glossary_links.bold_texts("**`Conv3D`** and **$D$**, then **hidden state**") == [
        "hidden state"
    ]


def test_linking_is_idempotent_and_follows_a_renamed_anchor() -> None:
    once = glossary_links.link_first_uses("A **dropout** layer.", INDEX, set())
    assert glossary_links.link_first_uses(once, INDEX, set()) == once
    renamed = glossary_links.link_first_uses(once, {"dropout": "drop-out-layer"}, set())
    assert renamed == "A [**dropout**](../GLOSSARY.md#drop-out-layer) layer."
    assert glossary_links.link_first_uses(once, {}, set()) == "A **dropout** layer."


def test_dead_links_are_listed_with_their_file(tmp_path: Path) -> None:
    notebook = {
        "cells": [
            {"cell_type": "markdown", "source": "[**x**](../GLOSSARY.md#dropout)"},
            {"cell_type": "markdown", "source": "see [x](../GLOSSARY.md#no-such-term)"},
            {"cell_type": "code", "source": "'../GLOSSARY.md#in-code-is-ignored'"},
        ]
    }
    (tmp_path / "lesson.ipynb").write_text(json.dumps(notebook))
    (tmp_path / "notes.md").write_text("[y](GLOSSARY.md#gone)")
    paths = [tmp_path / "lesson.ipynb", tmp_path / "notes.md"]
    dead = glossary_links.dead_links(paths, {"dropout"}, tmp_path)
    assert dead == ["lesson.ipynb: #no-such-term", "notes.md: #gone"]


def test_the_course_has_no_dead_glossary_link() -> None:
    assert sync_notebooks.dead_glossary_links() == []


def test_every_lesson_links_its_terms_once_each() -> None:
    anchors = {t.anchor for t in glossary.load()}
    for path in sorted((ROOT / "notebooks").glob("0[0-8]_*.ipynb")):  # lessons, not 09
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        linked = re.findall(r"\]\(\.\./GLOSSARY\.md#([a-z0-9-]+)\)", text)
        assert len(linked) >= 15, f"{path.stem}: only {len(linked)} glossary links"
        assert len(linked) == len(set(linked)), f"{path.stem}: a term linked twice"
        assert set(linked) <= anchors


def test_the_sync_tool_fails_on_a_dead_link(monkeypatch, capsys) -> None:
    monkeypatch.setattr(sync_notebooks, "out_of_sync", lambda write: [])
    monkeypatch.setattr(sync_notebooks, "dead_glossary_links", lambda: ["a.ipynb: #gone"])
    for args in (["sync_notebooks.py"], ["sync_notebooks.py", "--check"]):
        monkeypatch.setattr(sys, "argv", args)
        assert sync_notebooks.main() == 1
        assert "dead glossary link: a.ipynb: #gone" in capsys.readouterr().err
