"""Notebooks are committed clean, and every lesson starts the same way."""

from __future__ import annotations

import platform
import re
from pathlib import Path

import nbformat
import pytest
import sync_notebooks

ROOT = Path(__file__).resolve().parent.parent

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
EXPECTED = [
    "00_welcome",
    "01_cnn",
    "02_rnn",
    "03_lstm",
    "04_gru",
    "05_autoencoders",
    "06_gans",
    "07_transformers",
    "08_pretraining",
    "09_review",
]


def _load(path: Path) -> dict:
    return sync_notebooks.loads(path.read_text(encoding="utf-8"))


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found"
    assert {p.stem for p in NOTEBOOKS} <= set(EXPECTED), "unexpected notebook name"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_outputs_or_widget_state(path):
    notebook = _load(path)
    assert "widgets" not in notebook["metadata"], "widget state stored in metadata"
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "code":
            assert not cell["outputs"], f"cell {index} has stored outputs"
            assert cell["execution_count"] is None, f"cell {index} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_nbformat_4_5_with_unique_cell_ids(path):
    """JupyterLab upgrades a 4.4 notebook (no cell ids) on open and marks it modified."""
    notebook = _load(path)
    assert (notebook["nbformat"], notebook["nbformat_minor"]) == (4, 5)
    ids = [cell.get("id") for cell in notebook["cells"]]
    assert all(isinstance(i, str) and sync_notebooks.CELL_ID.match(i) for i in ids), ids
    assert len(set(ids)) == len(ids), "duplicate cell ids"


def test_cell_ids_unique_across_the_course():
    """A book of every lesson reports a repeated id (e.g. each lesson's set-up cell) as a
    duplicate target, so ids are unique course-wide, not only within a notebook."""
    owners: dict[str, str] = {}
    for path in NOTEBOOKS:
        for cell in _load(path)["cells"]:
            assert cell["id"] not in owners, (
                f"{cell['id']} in {owners.get(cell['id'])} and {path.name}"
            )
            owners[cell["id"]] = path.name


def test_sync_keeps_existing_cell_ids():
    path = NOTEBOOKS[0]
    once = sync_notebooks.synced(_load(path), path.name, sync_notebooks.course_settings())
    once["cells"][-1]["id"] = "kept-id"
    twice = sync_notebooks.synced(once, path.name, sync_notebooks.course_settings())
    assert [c["id"] for c in twice["cells"]] == [c["id"] for c in once["cells"]]
    assert twice["cells"][-1]["id"] == "kept-id"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_kernelspec_is_python3(path):
    assert _load(path)["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_exactly_as_jupyter_saves_it(path):
    """Byte for byte what the contents API writes (nbformat's layout), so a save is a no-op."""
    text = path.read_text(encoding="utf-8")
    saved = nbformat.writes(nbformat.reads(text, as_version=4), version=nbformat.NO_CONVERT)
    assert text == saved + "\n" * (not saved.endswith("\n"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_kernel_metadata_is_what_the_running_kernel_sets(path):
    """JupyterLab replaces kernelspec and language_info on open; equal ones leave it clean."""
    from ipykernel.ipkernel import IPythonKernel

    metadata = _load(path)["metadata"]
    assert metadata["kernelspec"] == sync_notebooks.KERNELSPEC
    reported = dict(IPythonKernel.language_info)
    stored = dict(metadata["language_info"])
    assert sync_notebooks.PYTHON_VERSION.match(stored.pop("version"))
    reported.pop("version")
    assert stored == reported


def test_makefile_installs_the_kernel_the_notebooks_name():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    name = sync_notebooks.KERNELSPEC["display_name"]
    assert f"KERNEL_DISPLAY_NAME := {name}\n" in makefile
    assert '--name python3 --display-name "$(KERNEL_DISPLAY_NAME)"' in makefile


def test_sync_keeps_the_stored_python_version_and_fills_a_missing_one():
    path = NOTEBOOKS[0]
    settings = sync_notebooks.course_settings()
    notebook = _load(path)
    notebook["metadata"]["language_info"] = {"name": "python", "version": "3.12.1"}
    kept = sync_notebooks.synced(notebook, path.name, settings)["metadata"]["language_info"]
    assert kept == {**sync_notebooks.LANGUAGE_INFO, "version": "3.12.1"}
    notebook["metadata"]["language_info"] = {"name": "python"}
    filled = sync_notebooks.synced(notebook, path.name, settings)["metadata"]["language_info"]
    assert filled["version"] == platform.python_version()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_standard_header_and_setup_cell(path):
    cells = _load(path)["cells"]
    settings = sync_notebooks.course_settings()
    assert cells[0]["cell_type"] == "markdown" and cells[0]["source"].startswith("# "), (
        "the first cell must be the title"
    )
    assert cells[1]["source"] == sync_notebooks.badge_source(path.name, settings)
    assert cells[2]["source"] == sync_notebooks.setup_source(settings)
    assert "course_utils.setup(" in cells[2]["source"]


def test_header_gives_colab_a_route_to_the_glossary():
    """Colab cannot follow the lessons' relative ``../GLOSSARY.md#term`` links: the header
    links the glossary as GitHub renders it, at the configured repository and branch."""
    settings = {"repo": "https://github.com/someone/course", "branch": "dev"}
    badge = sync_notebooks.badge_source("01_cnn.ipynb", settings)
    assert "(https://github.com/someone/course/blob/dev/GLOSSARY.md)" in badge
    assert 'glossary.define("' in badge
    assert (ROOT / "GLOSSARY.md").is_file()


def test_every_notebook_and_the_readme_are_in_sync():
    stale = sync_notebooks.out_of_sync(write=False)
    assert not stale, f"run `python tools/sync_notebooks.py`: {stale}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_image_that_needs_the_network(path):
    """Offline, a remote image (the Colab badge was one) shows as a broken image."""
    for cell in _load(path)["cells"]:
        if cell["cell_type"] == "markdown":
            remote = re.findall(
                r"!\[[^\]]*\]\((https?://[^)]+)\)|<img[^>]+src=.https?:", cell["source"]
            )
            assert not remote, f"{cell['id']}: {remote}"


def test_setup_cell_is_identical_everywhere():
    sources = {_load(p)["cells"][2]["source"] for p in NOTEBOOKS}
    assert len(sources) == 1


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_warm_up_cell_after_the_setup_cell_in_every_lesson_but_the_first(path):
    """Lessons 01-08 open with three questions from earlier lessons; 00 and the review,
    which has no quiz bank of its own, do not."""
    cells = _load(path)["cells"]
    warm_ups = [c for c in cells if sync_notebooks.WARM_UP_TAG in c["metadata"].get("tags", [])]
    if path.stem in ("00_welcome", "09_review"):
        assert not warm_ups and not sync_notebooks.has_warm_up(path.stem)
        return
    assert warm_ups == [cells[3]]
    assert cells[3]["source"] == sync_notebooks.warm_up_source(path.stem)
    assert cells[3]["source"].endswith(f'course_utils.practice.warm_up("{path.stem}")')


def test_sync_inserts_the_warm_up_once_and_moves_it_back_after_the_setup_cell():
    path = ROOT / "notebooks" / "05_autoencoders.ipynb"
    settings = sync_notebooks.course_settings()
    notebook = _load(path)
    moved = notebook["cells"].pop(3)
    notebook["cells"].append(moved)  # a warm-up cell dragged to the end by hand
    synced = sync_notebooks.synced(notebook, path.name, settings)
    assert synced == sync_notebooks.synced(_load(path), path.name, settings)
    tags = [c["metadata"].get("tags", []) for c in synced["cells"]]
    assert sum(sync_notebooks.WARM_UP_TAG in t for t in tags) == 1
