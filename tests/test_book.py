"""The book's tooling (tools/build_book.py and its helpers), without Sphinx or a kernel.

The cache decides what to execute again; the staged pages keep the lessons' glossary links
and point other links where they work; conf.py keeps every page offline; MathJax comes from
its pinned package; the Results page finds the checkpoints it plots; the self-check scripts
carry each lesson's bank and deck.
"""

from __future__ import annotations

import io
import json
import re
import sys
import tarfile
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import book_results  # noqa: E402
import book_selfcheck  # noqa: E402
import build_book  # noqa: E402


def _course(tmp_path: Path) -> Path:
    """A tiny course: two lessons, shared code and data, a lock file."""
    (tmp_path / "notebooks").mkdir(parents=True)
    for name in ("00_a", "01_b"):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"print('{name}')")])
        nbformat.write(nb, tmp_path / "notebooks" / f"{name}.ipynb")
    (tmp_path / "course_utils").mkdir()
    (tmp_path / "course_utils" / "x.py").write_text("X = 1\n")
    (tmp_path / "data" / "quizzes").mkdir(parents=True)
    (tmp_path / "data" / "quizzes" / "01_b.yaml").write_text("questions: []\n")
    (tmp_path / "requirements.lock").write_text("numpy==2.0\n")
    return tmp_path


def _fill_cache(course: Path, cache: Path) -> None:
    """Pretend every lesson was executed with the current key."""
    cache.mkdir(parents=True, exist_ok=True)
    shared = build_book.inputs_digest(course)
    for nb in build_book.lessons(course / "notebooks"):
        (cache / nb.name).write_bytes(nb.read_bytes())
        key = build_book.lesson_key(nb, shared)
        (cache / f"{nb.stem}.json").write_text(json.dumps({"key": key, "seconds": 1.0}))


def _stale_names(course: Path, cache: Path) -> list[str]:
    notebooks = build_book.lessons(course / "notebooks")
    return [nb.name for nb in build_book.stale(notebooks, cache, course)]


def test_cache_executes_missing_lessons_then_nothing(tmp_path):
    course = _course(tmp_path / "course")
    cache = tmp_path / "cache"
    assert _stale_names(course, cache) == ["00_a.ipynb", "01_b.ipynb"]
    _fill_cache(course, cache)
    assert _stale_names(course, cache) == []


def test_cache_reexecutes_only_the_edited_lesson(tmp_path):
    course = _course(tmp_path / "course")
    cache = tmp_path / "cache"
    _fill_cache(course, cache)
    path = course / "notebooks" / "01_b.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source = "print('changed')"
    nbformat.write(nb, path)
    assert _stale_names(course, cache) == ["01_b.ipynb"]


@pytest.mark.parametrize(
    "edit",
    [
        "course_utils/x.py",
        "data/quizzes/01_b.yaml",
        "requirements.lock",
        "course_utils/new_module.py",
    ],
)
def test_cache_reexecutes_every_lesson_when_shared_inputs_change(tmp_path, edit):
    course = _course(tmp_path / "course")
    cache = tmp_path / "cache"
    _fill_cache(course, cache)
    (course / edit).write_text("changed\n")
    assert _stale_names(course, cache) == ["00_a.ipynb", "01_b.ipynb"]


def test_cache_ignores_bytecode_and_follows_mode_and_seed(tmp_path, monkeypatch):
    course = _course(tmp_path / "course")
    cache = tmp_path / "cache"
    _fill_cache(course, cache)
    (course / "course_utils" / "__pycache__").mkdir()
    (course / "course_utils" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    assert _stale_names(course, cache) == []
    monkeypatch.setenv("COURSE_SEED", "43")
    assert len(_stale_names(course, cache)) == 2
    monkeypatch.delenv("COURSE_SEED")
    monkeypatch.setenv("COURSE_FAST", "1")
    assert len(_stale_names(course, cache)) == 2
    assert build_book.mode() == "fast"
    monkeypatch.setenv("COURSE_FAST", "0")
    assert build_book.mode() == "default"


def test_a_half_written_cache_entry_is_stale(tmp_path):
    course = _course(tmp_path / "course")
    cache = tmp_path / "cache"
    _fill_cache(course, cache)
    (cache / "00_a.json").unlink()  # the run stopped before its key was written
    assert _stale_names(course, cache) == ["00_a.ipynb"]


def test_execute_records_outputs_time_and_key(tmp_path, monkeypatch):
    """One real execution through nbclient (a two-line notebook, no TensorFlow)."""
    course = _course(tmp_path / "course")
    notebook = course / "notebooks" / "00_a.ipynb"
    cache = tmp_path / "cache" / "fast"
    seconds = build_book.execute(notebook, cache, "k1")
    executed = nbformat.read(cache / "00_a.ipynb", as_version=4)
    assert executed.cells[0].outputs[0]["text"] == "00_a\n"
    meta = json.loads((cache / "00_a.json").read_text())
    assert meta["key"] == "k1" and meta["seconds"] == pytest.approx(seconds, abs=0.1)
    assert build_book.cached(notebook, "k1", cache)
    assert not build_book.cached(notebook, "k2", cache)


def test_glossary_page_has_one_target_per_term():
    text = (ROOT / "GLOSSARY.md").read_text(encoding="utf-8")
    page = build_book.glossary_page(text)
    anchors = re.findall(r'^<a id="([^"]+)"></a>$', text, flags=re.M)
    targets = re.findall(r"^\(([^)\s]+)\)=$", page, flags=re.M)
    assert targets == anchors and len(set(targets)) == len(targets) > 200
    assert "<a id=" not in page


def test_every_lesson_glossary_link_has_a_target_in_the_book():
    targets = set(
        re.findall(
            r"^\(([^)\s]+)\)=$",
            build_book.glossary_page((ROOT / "GLOSSARY.md").read_text(encoding="utf-8")),
            flags=re.M,
        )
    )
    linked = set()
    for path in build_book.lessons():
        text = path.read_text(encoding="utf-8")
        linked |= set(re.findall(r"\.\./GLOSSARY\.md#([^)\s\"\\]+)", text))
    assert linked and linked <= targets


def test_outside_links_go_to_results_or_the_repository():
    text = (
        "See [Results](../docs/RESULTS.md), [the script](../tools/pretrain.py), "
        "[**term**](../GLOSSARY.md#term) and [lesson 01](01_cnn.ipynb)."
    )
    fixed = build_book.book_links(text, "https://github.com/o/r", "main")
    assert "[Results](../results.md)" in fixed
    assert "[the script](https://github.com/o/r/blob/main/tools/pretrain.py)" in fixed
    assert "[**term**](../GLOSSARY.md#term)" in fixed and "[lesson 01](01_cnn.ipynb)" in fixed


def test_book_notebook_fixes_markdown_cells_only():
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("[x](../tools/a.py)"),
            nbformat.v4.new_code_cell("# [x](../tools/a.py)"),
        ]
    )
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    fixed = json.loads(build_book.book_notebook(nbformat.writes(nb), "https://g/o/r", "b"))
    assert "widgets" not in fixed["metadata"]
    assert fixed["cells"][0]["source"] == "[x](https://g/o/r/blob/b/tools/a.py)"
    assert "".join(fixed["cells"][1]["source"]) == "# [x](../tools/a.py)"


def test_lesson_map_is_the_readmes_table():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = build_book.lesson_map(readme).splitlines()
    assert table[0].startswith("| #") and len(table) == 2 + len(build_book.lessons())
    assert all(row.count("|") == 5 for row in table)  # four columns
    assert "[`05_autoencoders`](notebooks/05_autoencoders.ipynb)" in table[7]
    index = (ROOT / "book" / "index.md").read_text(encoding="utf-8")
    assert build_book.LESSON_MAP in index


def test_index_lists_every_lesson_in_its_toctree():
    index = (ROOT / "book" / "index.md").read_text(encoding="utf-8")
    listed = re.findall(r"^notebooks/(\S+)$", index, flags=re.M)
    assert listed == [path.stem for path in build_book.lessons()]


def _conf() -> dict:
    """book/conf.py's settings, as Sphinx reads them from the staged folder (no Sphinx needed)."""
    path = ROOT / "book" / "conf.py"
    staged = build_book.SOURCE / "conf.py"  # conf.py finds pyproject.toml from there
    settings: dict = {"__file__": str(staged)}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), settings)
    return settings


def test_conf_keeps_pages_offline_and_never_executes():
    conf = _conf()
    assert conf["nb_execution_mode"] == "off"
    assert conf["nb_ipywidgets_js"] == {}
    assert ("html", "application/vnd.jupyter.widget-view+json", None) in conf[
        "nb_mime_priority_overrides"
    ]
    assert not conf["mathjax_path"].startswith(("http:", "https:", "//"))
    staged = build_book.MATHJAX_FILES[0].removeprefix("es5/")
    assert conf["mathjax_path"] == f"mathjax/{staged}"
    options = conf["html_theme_options"]
    assert options["launch_buttons"] == {"colab_url": "https://colab.research.google.com"}
    assert options["repository_url"] == build_book.course_settings()["repo"]
    for name in (*conf["html_css_files"], *conf["html_js_files"]):
        assert (ROOT / "book" / "_static" / name).is_file()


def _fake_mathjax(path: Path) -> None:
    with tarfile.open(path, "w:gz") as archive:
        for name in (
            "package/es5/tex-chtml.js",
            "package/es5/output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff",
            "package/es5/tex-svg-full.js",
            "package/es5/input/tex/extensions/ams.js",
        ):
            data = name.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


def test_mathjax_keeps_only_the_script_and_its_fonts(tmp_path, monkeypatch):
    tarball = tmp_path / f"mathjax-{build_book.MATHJAX_VERSION}.tgz"
    _fake_mathjax(tarball)
    import base64
    import hashlib

    digest = base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    monkeypatch.setattr(build_book, "MATHJAX_INTEGRITY", f"sha512-{digest}")
    files = build_book.mathjax_files(tmp_path)
    assert sorted(files) == ["output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff", "tex-chtml.js"]


def test_mathjax_with_the_wrong_hash_is_refused(tmp_path):
    tarball = tmp_path / f"mathjax-{build_book.MATHJAX_VERSION}.tgz"
    _fake_mathjax(tarball)
    with pytest.raises(SystemExit, match="integrity"):
        build_book.mathjax_files(tmp_path)
    assert not tarball.exists()  # fetched again next time


def test_write_if_changed_keeps_unchanged_files(tmp_path):
    path = tmp_path / "a" / "b.md"
    assert build_book.write_if_changed(path, b"x")
    assert not build_book.write_if_changed(path, b"x")
    assert build_book.write_if_changed(path, b"y") and path.read_bytes() == b"y"


def test_results_plots_the_checkpoints_the_lessons_print():
    """Each bits-per-character checkpoint the Results page plots is one its lesson prints."""
    for lesson, name in book_results.BPC_CHECKPOINTS.items():
        source = (ROOT / "notebooks" / f"{lesson}.ipynb").read_text(encoding="utf-8")
        assert json.dumps(name)[1:-1] in source, (lesson, name)


def test_results_page_from_a_cache(tmp_path):
    (tmp_path / "02_rnn.json").write_text(json.dumps({"key": "k", "seconds": 12.5}))
    record = {"name": book_results.BPC_CHECKPOINTS["02_rnn"], "value": 3.1}
    (tmp_path / "02_rnn.checkpoints.jsonl").write_text(json.dumps(record) + "\n")
    files = book_results.results_page(tmp_path)
    assert book_results.bits_per_character(tmp_path) == {"02_rnn": 3.1}
    assert book_results.execution_seconds(tmp_path) == {"02_rnn": 12.5}
    page = files["results.md"].decode()
    assert "results_time.svg" in page and "results_bpc.svg" in page
    assert "| lesson | time, s |" in page  # the bench table of docs/RESULTS.md
    assert not page.count("\n# ") and page.startswith("# Results")
    assert files["results_bpc.svg"] == book_results.results_page(tmp_path)["results_bpc.svg"]


def test_selfcheck_script_carries_the_bank_and_deck():
    script = book_selfcheck.lesson_script("01_cnn", ROOT / "data")
    prefix = (
        "window.courseSelfCheck = window.courseSelfCheck || {};\n"
        'window.courseSelfCheck["01_cnn"] = '
    )
    assert script.startswith(prefix)
    data = json.loads(script.removeprefix(prefix).rstrip().removesuffix(";"))
    from course_utils.flashcards.deck import load_deck
    from course_utils.quiz import load_bank

    bank = load_bank(ROOT / "data" / "quizzes" / "01_cnn.yaml")
    assert [q["id"] for q in data["quiz"]["questions"]] == [q.id for q in bank.questions]
    assert {q["kind"] for q in data["quiz"]["questions"]} <= {
        "single",
        "multiple",
        "numeric",
        "text",
        "match",
    }
    deck = load_deck(ROOT / "data" / "flashcards" / "01_cnn.yaml")
    assert len(data["deck"]["cards"]) == len(deck.cards)
    assert book_selfcheck.lesson_script("99_none", ROOT / "data").endswith('["99_none"] = {};\n')


def test_mathjax_is_downloaded_once_and_checked(tmp_path, monkeypatch):
    source = tmp_path / "served.tgz"
    _fake_mathjax(source)
    import base64
    import hashlib

    digest = base64.b64encode(hashlib.sha512(source.read_bytes()).digest()).decode()
    monkeypatch.setattr(build_book, "MATHJAX_INTEGRITY", f"sha512-{digest}")
    monkeypatch.setattr(build_book, "MATHJAX_URL", source.as_uri())
    cache = tmp_path / "cache"
    assert "tex-chtml.js" in build_book.mathjax_files(cache)
    source.unlink()  # a second build reads the cache, not the network
    assert "tex-chtml.js" in build_book.mathjax_files(cache)
    assert not list(cache.glob("*.part"))


@pytest.mark.parametrize("problem", ["missing", "too large"])
def test_a_failed_download_says_what_to_do(tmp_path, monkeypatch, problem):
    source = tmp_path / "served.tgz"
    if problem == "too large":
        source.write_bytes(b"x" * 100)
        monkeypatch.setattr(build_book, "MATHJAX_MAX_BYTES", 10)
    monkeypatch.setattr(build_book, "MATHJAX_URL", source.as_uri())
    message = "larger than 10 bytes" if problem == "too large" else "Cannot download"
    with pytest.raises(SystemExit, match=message):
        build_book.mathjax_files(tmp_path / "cache")
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").iterdir())
