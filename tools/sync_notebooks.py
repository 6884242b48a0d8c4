"""Keep every lesson's header and set-up cell identical, and strip outputs.

Run ``python tools/sync_notebooks.py`` after editing a notebook: it writes the "Open in
Colab" link (cell 2) and the set-up cell (cell 3) of every ``notebooks/NN_*.ipynb`` from the
repository address configured once in ``pyproject.toml`` (``[tool.course]``), the warm-up
cell (cell 4: three questions from earlier lessons) of every lesson that has a quiz bank
and an earlier lesson, the time paragraph of each lesson's header from its content
(``tools/time_estimate.py``), clears outputs,
execution counts and widget state, stores nbformat 4.5 with stable cell ids, and rewrites the
README's Colab links. It also writes ``GLOSSARY.md`` from ``data/glossary.yaml`` and links
each lesson's first bold use of a glossary term to its entry (``tools/glossary_links.py``).

Every notebook is stored exactly as JupyterLab 4 saves it untouched, so opening a lesson does
not mark it modified (and autosave does not rewrite it): nbformat's own writer layout (sorted
keys, source as a list of lines), the kernelspec of the kernel ``make lab`` installs, and the
``language_info`` that ipykernel reports. Its Python version is the one already stored (else
this interpreter's): a learner on another patch version sees that one line change.
``--check`` changes nothing and exits 1 when a notebook, the README or the glossary is out of
sync. Both modes exit 1 when a link points at a glossary entry that does not exist.
"""

from __future__ import annotations

import argparse
import hashlib
import platform
import re
import sys
import tomllib
from pathlib import Path

import glossary_links
import nbformat
import time_estimate

from course_utils import glossary
from course_utils.glossary.render import glossary_markdown

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
BADGE_TAG = "course-badge"
SETUP_TAG = "course-setup"
WARM_UP_TAG = "course-warm-up"
QUIZZES = ROOT / "data" / "quizzes"
README_LINKS = re.compile(r"<!-- colab-links -->.*<!-- /colab-links -->", re.S)

SETUP_TEMPLATE = """\
# Set-up, the same in every lesson. On Colab it first fetches the course's code and data.
import os
import subprocess
import sys

COURSE_REPO = "{repo}"
if "google.colab" in sys.modules:
    if not os.path.isdir("/content/course"):
        clone = ["git", "clone", "-q", "--depth", "1", "--branch", "{branch}", COURSE_REPO]
        subprocess.run([*clone, "/content/course"], check=True)
    sys.path.insert(0, "/content/course")

import course_utils

config = course_utils.setup(seed=42)"""


def course_settings() -> dict[str, str]:
    """The ``[tool.course]`` table of pyproject.toml: ``repo`` and ``branch``."""
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)["tool"]["course"]


def colab_url(notebook: str, settings: dict[str, str]) -> str:
    """The Colab address that opens ``notebooks/<notebook>`` from the course repository."""
    path = settings["repo"].removeprefix("https://github.com/")
    return f"https://colab.research.google.com/github/{path}/blob/{settings['branch']}/notebooks/{notebook}"


def glossary_url(settings: dict[str, str]) -> str:
    """The address of ``GLOSSARY.md`` as GitHub renders it (one anchor per term)."""
    return f"{settings['repo']}/blob/{settings['branch']}/GLOSSARY.md"


def badge_source(notebook: str, settings: dict[str, str]) -> str:
    """Markdown for the "Open in Colab" link of one notebook: text, not a remote badge image,
    which shows as a broken image offline. A second line gives the glossary a route that
    works on Colab too: Colab cannot open the lessons' relative ``../GLOSSARY.md#term``
    links, which serve JupyterLab, GitHub and the book."""
    return (
        f"**[▶ Open in Colab]({colab_url(notebook, settings)})** (needs a network)\n"
        "\n"
        "Linked terms open the course glossary (`GLOSSARY.md`) in JupyterLab. On Colab, open "
        f"[the glossary on GitHub]({glossary_url(settings)}) or run "
        '`course_utils.glossary.define("term")` in a cell.'
    )


def setup_source(settings: dict[str, str]) -> str:
    """The set-up cell's code, identical in every lesson."""
    return SETUP_TEMPLATE.format(**settings)


def warm_up_source(lesson: str) -> str:
    """The warm-up cell's code for ``lesson``."""
    return (
        "# Warm-up: three questions from earlier lessons (those you missed first, then new ones,\n"
        "# then those answered longest ago). Answering from memory is what makes it stay.\n"
        f'course_utils.practice.warm_up("{lesson}")'
    )


def has_warm_up(lesson: str) -> bool:
    """Whether ``lesson`` gets a warm-up: it has a quiz bank and an earlier lesson has one."""
    banks = sorted(path.stem for path in QUIZZES.glob("[0-9][0-9]_*.yaml"))
    return lesson in banks and banks.index(lesson) > 0


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _tagged(cell: dict, tag: str) -> bool:
    return tag in cell.get("metadata", {}).get("tags", [])


#: The kernel ``make lab`` installs (the Makefile's KERNEL_DISPLAY_NAME) and ipykernel's default.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
#: ipykernel's ``language_info`` without its Python version (see :func:`language_info`).
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
}
PYTHON_VERSION = re.compile(r"^\d+\.\d+\.\d+\S*$")
CELL_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


def _cell(cell_type: str, source: str, tag: str, lesson: str) -> dict:
    """A generated cell, tagged ``tag``; its id names the lesson so that ids are unique
    across the course (a book of all lessons reports repeated ids as duplicate targets)."""
    cell = {
        "cell_type": cell_type,
        "id": f"{lesson}-{tag}",
        "metadata": {"tags": [tag]},
        "source": source,
    }
    if cell_type == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def synced(notebook: dict, name: str, settings: dict[str, str]) -> dict:
    """Return ``notebook`` with its header cells regenerated and outputs stripped."""
    generated = (BADGE_TAG, SETUP_TAG, WARM_UP_TAG)
    cells = [c for c in notebook["cells"] if not any(_tagged(c, tag) for tag in generated)]
    lesson = name.removesuffix(".ipynb")
    header = [
        _cell("markdown", badge_source(name, settings), BADGE_TAG, lesson),
        _cell("code", setup_source(settings), SETUP_TAG, lesson),
    ]
    if has_warm_up(lesson):
        header.append(_cell("code", warm_up_source(lesson), WARM_UP_TAG, lesson))
    cells = cells[:1] + header + cells[1:]
    title = dict(cells[0])
    paragraph = time_estimate.time_paragraph({"cells": cells}, Path(name).stem)
    title["source"] = time_estimate.with_time_paragraph(_source(title), paragraph)
    cells[0] = title
    seen: set[str] = set()
    for index, cell in enumerate(cells):
        cell["id"] = _stable_id(cell, name, index, seen)
        seen.add(cell["id"])
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        cell["source"] = _source(cell)
    metadata = dict(notebook.get("metadata", {}))
    metadata.pop("widgets", None)
    metadata["kernelspec"] = dict(KERNELSPEC)
    metadata["language_info"] = language_info(metadata.get("language_info"))
    return {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}


def language_info(stored: object) -> dict:
    """What the kernel reports as ``language_info``, with the stored Python version kept.

    A valid stored version is kept so that ``--check`` gives the same answer on every
    machine; a notebook without one gets this interpreter's.
    """
    version = stored.get("version") if isinstance(stored, dict) else None
    if not (isinstance(version, str) and PYTHON_VERSION.match(version)):
        version = platform.python_version()
    return {**LANGUAGE_INFO, "version": version}


def _stable_id(cell: dict, notebook: str, index: int, taken: set[str]) -> str:
    """The cell's id (nbformat 4.5): kept when valid and unused, else made from its content.

    A kept id never changes, so JupyterLab does not mark a freshly opened notebook as
    modified, and a diff shows moved cells as moved. A new cell gets an id derived from the
    notebook's name, its position and its text when it is first synced.
    """
    current = cell.get("id")
    if isinstance(current, str) and CELL_ID.match(current) and current not in taken:
        return current
    text = f"{notebook}:{index}:{_source(cell)}".encode()
    candidate = hashlib.sha1(text).hexdigest()[:12]
    while candidate in taken:
        candidate = hashlib.sha1(candidate.encode()).hexdigest()[:12]
    return candidate


def loads(text: str) -> dict:
    """Read a notebook (sources joined into strings, as nbformat reads them)."""
    return nbformat.reads(text, as_version=nbformat.NO_CONVERT)


def dumps(notebook: dict) -> str:
    """Serialise a notebook the way it is committed: as Jupyter's contents API saves it."""
    text = nbformat.writes(nbformat.from_dict(notebook), version=nbformat.NO_CONVERT)
    return text if text.endswith("\n") else text + "\n"


def readme_links(settings: dict[str, str]) -> str:
    """The README's block of Colab links, one per lesson notebook."""
    lines = ["<!-- colab-links -->"]
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        lines.append(f"- [{path.stem}]({colab_url(path.name, settings)})")
    lines.append("<!-- /colab-links -->")
    return "\n".join(lines)


def out_of_sync(write: bool) -> list[str]:
    """Sync (``write=True``) or list the files that differ from their synced form."""
    settings = course_settings()
    terms = glossary.load()
    index = glossary_links.name_index(terms)
    stale = []
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        text = path.read_text(encoding="utf-8")
        notebook = synced(loads(text), path.name, settings)
        wanted = dumps(glossary_links.link_notebook(notebook, index))
        if text != wanted:
            stale.append(str(path.relative_to(ROOT)))
            if write:
                path.write_text(wanted, encoding="utf-8")
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    wanted = README_LINKS.sub(lambda _: readme_links(settings), text)
    if text != wanted:
        stale.append("README.md")
        if write:
            readme.write_text(wanted, encoding="utf-8")
    stale += _stale_glossary(terms, write)
    return stale


def _stale_glossary(terms: list[glossary.Term], write: bool) -> list[str]:
    """``["GLOSSARY.md"]`` when it differs from what ``data/glossary.yaml`` gives (rewritten
    when ``write``), else ``[]``."""
    path = ROOT / "GLOSSARY.md"
    wanted = glossary_markdown(terms)
    if path.is_file() and path.read_text(encoding="utf-8") == wanted:
        return []
    if write:
        path.write_text(wanted, encoding="utf-8")
    return ["GLOSSARY.md"]


def dead_glossary_links() -> list[str]:
    """Glossary links in the lessons, the README and docs/ whose anchor has no entry."""
    anchors = {term.anchor for term in glossary.load()}
    paths = [
        *sorted(NOTEBOOKS.glob("*.ipynb")),
        ROOT / "README.md",
        *sorted((ROOT / "docs").glob("*.md")),
    ]
    return glossary_links.dead_links([p for p in paths if p.is_file()], anchors, ROOT)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if stale")
    args = parser.parse_args()
    stale = out_of_sync(write=not args.check)
    verb = "out of sync" if args.check else "synced"
    for name in stale:
        print(f"{verb}: {name}")
    dead = dead_glossary_links()
    for link in dead:
        print(f"dead glossary link: {link}", file=sys.stderr)
    if args.check and stale:
        print("Run `python tools/sync_notebooks.py` to fix.", file=sys.stderr)
        return 1
    return 1 if dead else 0


if __name__ == "__main__":
    sys.exit(main())
