"""Build the course book (``make book``): every lesson executed once, then Sphinx, offline.

1. **Execute.** Each notebook runs in the course's own environment (nbclient, the ``python3``
   kernel) in the learner's default mode, or in fast mode under ``COURSE_FAST=1``, into
   ``.book-cache/<mode>/`` (never into ``notebooks/``). A lesson is executed again only when
   its key changes: the notebook's text, every file of ``course_utils/``,
   ``lesson_exercises/`` and ``data/`` (any lesson may read any of them: warm-ups and 09 draw
   on earlier lessons' banks, 00's dashboard lists every lesson), the pinned versions
   (``requirements.lock``) and the mode and seed. Runs use a progress store of their own.
2. **Stage.** ``_build/book-src/`` gets ``book/`` (conf.py, pages), the executed lessons
   under ``notebooks/`` (so their ``../GLOSSARY.md#term`` links land on the glossary page),
   the glossary with one target per term, the Results page and its figures, and MathJax 3
   (``tex-chtml.js`` and its fonts only) from the npm package ``mathjax``, downloaded from
   the registry once and checked against its pinned hash. Files are written
   only when their content changes, so Sphinx rebuilds only what changed.
3. **Sphinx** (``.venv-book``, ``requirements-book.txt``) builds ``_build/html`` with
   ``nb_execution_mode = "off"``: it never executes anything.

``python tools/build_book.py --execute-only`` stops after step 1; ``--no-execute`` builds from
the cache as it is (a lesson missing from it is an error); ``--fetch-only`` only fetches
MathJax (the one step that needs the network, done once).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
import urllib.request
from collections.abc import Iterable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from book_results import results_page  # noqa: E402  (tools/book_results.py)
from book_selfcheck import lesson_script  # noqa: E402  (tools/book_selfcheck.py)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
BOOK = ROOT / "book"
CACHE = ROOT / ".book-cache"
BUILD = ROOT / "_build"
SOURCE = BUILD / "book-src"
HTML = BUILD / "html"
BOOK_PY = ROOT / ".venv-book" / "bin" / "python"

#: Folders every lesson may read (hashed into every lesson's key).
SHARED_INPUTS = ("course_utils", "lesson_exercises", "data")
#: Files whose content decides what the kernel computes besides the code (package versions).
VERSION_FILES = ("requirements.lock",)
#: Environment variables that change what a lesson computes.
MODE_VARIABLES = ("COURSE_FAST", "COURSE_SEED")
#: Skipped when hashing: caches and editor files, which change nothing a lesson computes.
IGNORED_PARTS = {"__pycache__", ".ipynb_checkpoints"}

#: MathJax 3, from npm, pinned by version and by the registry's integrity hash.
MATHJAX_VERSION = "3.2.2"
MATHJAX_URL = f"https://registry.npmjs.org/mathjax/-/mathjax-{MATHJAX_VERSION}.tgz"
#: The 3.2.2 tarball is 6.1 MB; anything far larger is not it.
MATHJAX_MAX_BYTES = 20_000_000
DOWNLOAD_DEADLINE_S = 120.0
MATHJAX_INTEGRITY = "sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw=="  # noqa: E501
#: The only parts of the package the pages load (about 1.6 MB of its 24 MB).
MATHJAX_FILES = ("es5/tex-chtml.js", "es5/output/chtml/fonts/woff-v2/")

CELL_TIMEOUT = 900
#: Where the landing page (book/index.md) shows the README's table of lessons.
LESSON_MAP = "<!-- lesson-map -->"
#: A lesson's link to a course file outside notebooks/ other than the glossary: ``](../x)``.
OUTSIDE_LINK = re.compile(r"\]\(\.\./(?!GLOSSARY\.md)(?P<target>[^)\s]+)\)")


def mode() -> str:
    """``"fast"`` under ``COURSE_FAST=1``, else ``"default"`` (the learner's run)."""
    return "fast" if os.environ.get("COURSE_FAST", "0") not in ("", "0") else "default"


def lessons(folder: Path = NOTEBOOKS) -> list[Path]:
    """The course's notebooks, in order (``NN_name.ipynb``)."""
    return sorted(folder.glob("[0-9][0-9]_*.ipynb"))


def _files(root: Path, names: Iterable[str]) -> Iterator[Path]:
    for name in names:
        path = root / name
        if path.is_file():
            yield path
        elif path.is_dir():
            for file in sorted(path.rglob("*")):
                if file.is_file() and not IGNORED_PARTS.intersection(file.parts):
                    yield file


def inputs_digest(root: Path = ROOT) -> str:
    """One hash of everything besides the notebook that a lesson's outputs depend on."""
    digest = hashlib.sha256()
    for file in _files(root, (*SHARED_INPUTS, *VERSION_FILES)):
        digest.update(file.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    for name in MODE_VARIABLES:
        digest.update(f"{name}={os.environ.get(name, '')}\0".encode())
    return digest.hexdigest()


def lesson_key(notebook: Path, shared: str) -> str:
    """The cache key of one lesson: its text and the shared inputs' digest."""
    return hashlib.sha256(notebook.read_bytes() + shared.encode()).hexdigest()


def cached(notebook: Path, key: str, cache: Path) -> bool:
    """Whether ``cache`` holds ``notebook`` executed from exactly this key."""
    meta = cache / f"{notebook.stem}.json"
    if not (cache / notebook.name).is_file() or not meta.is_file():
        return False
    return json.loads(meta.read_text(encoding="utf-8")).get("key") == key


def stale(notebooks: Iterable[Path], cache: Path, root: Path = ROOT) -> list[Path]:
    """The notebooks whose executed copy in ``cache`` is missing or out of date."""
    shared = inputs_digest(root)
    return [nb for nb in notebooks if not cached(nb, lesson_key(nb, shared), cache)]


def execute(notebook: Path, cache: Path, key: str) -> float:
    """Run ``notebook`` in a fresh kernel into ``cache``; return the seconds it took.

    The kernel starts in ``notebooks/`` with a progress store of its own; each checkpoint is
    also written to ``<stem>.checkpoints.jsonl`` (``COURSE_RESULTS``) for the Results page.
    """
    import nbformat
    from nbclient import NotebookClient

    cache.mkdir(parents=True, exist_ok=True)
    results = cache / f"{notebook.stem}.checkpoints.jsonl"
    results.unlink(missing_ok=True)
    nb = nbformat.read(notebook, as_version=4)
    with tempfile.TemporaryDirectory(prefix="book-progress-") as progress:
        saved = {k: os.environ.get(k) for k in ("COURSE_PROGRESS_DIR", "COURSE_RESULTS")}
        os.environ.update(COURSE_PROGRESS_DIR=progress, COURSE_RESULTS=str(results))
        start = time.monotonic()
        try:
            client = NotebookClient(
                nb,
                timeout=CELL_TIMEOUT,
                kernel_name="python3",
                resources={"metadata": {"path": str(notebook.parent)}},
            )
            client.execute()
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
        seconds = time.monotonic() - start
    nbformat.write(nb, cache / notebook.name)
    meta = {"key": key, "seconds": round(seconds, 1), "mode": cache.name}
    (cache / f"{notebook.stem}.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    return seconds


def execute_stale(cache: Path) -> list[str]:
    """Execute every lesson whose cached copy is out of date; return their names."""
    todo = stale(lessons(), cache)
    shared = inputs_digest()
    for notebook in todo:
        print(f"executing {notebook.name} ({cache.name} mode) ...", flush=True)
        seconds = execute(notebook, cache, lesson_key(notebook, shared))
        print(f"  {notebook.name}: {seconds:.0f} s", flush=True)
    if not todo:
        print(f"every lesson is up to date in {cache.relative_to(ROOT)}")
    return [nb.name for nb in todo]


def course_settings() -> dict[str, str]:
    """pyproject.toml's ``[tool.course]``: the repository (``repo``) and ``branch``."""
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)["tool"]["course"]


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` unless ``path`` already holds it (keeps mtimes for Sphinx's rebuild)."""
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def glossary_page(markdown: str) -> str:
    """GLOSSARY.md with each ``<a id="x"></a>`` turned into a MyST target ``(x)=``, so a
    lesson's ``../GLOSSARY.md#x`` link resolves to that entry in the book."""
    lines = []
    for line in markdown.splitlines():
        if line.startswith('<a id="') and line.endswith('"></a>'):
            line = f"({line[len('<a id=') + 1 : -len('></a>') - 1]})="
        lines.append(line)
    return "\n".join(lines) + "\n"


def book_links(markdown: str, repo: str, branch: str) -> str:
    """A lesson's links to files outside the book, made to work in the book: the Results
    (``docs/RESULTS.md``) go to the Results page, any other file of the course to the
    repository."""

    def fix(match: re.Match[str]) -> str:
        target = match["target"]
        if target.startswith("docs/RESULTS.md"):
            return "](../results.md)"
        return f"]({repo}/blob/{branch}/{target})"

    return OUTSIDE_LINK.sub(fix, markdown)


def book_notebook(text: str, repo: str, branch: str) -> str:
    """An executed lesson (JSON) with its Markdown cells' links fixed by :func:`book_links`,
    without the widgets' saved state (the book shows their static copies)."""
    notebook = json.loads(text)
    notebook.get("metadata", {}).pop("widgets", None)
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            source = cell["source"]
            joined = source if isinstance(source, str) else "".join(source)
            cell["source"] = book_links(joined, repo, branch)
    return json.dumps(notebook, ensure_ascii=False, indent=1) + "\n"


def lesson_map(readme: str, columns: int = 4) -> str:
    """The README's table of lessons (its "## Lessons" section's table), first ``columns``
    columns (number, notebook, what you build, data: the page is narrower than GitHub's)."""
    section = readme.split("\n## Lessons\n", 1)[-1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    cells = [re.split(r"(?<!\\)\|", row)[1 : columns + 1] for row in rows]
    return "\n".join("|" + "|".join(row) + "|" for row in cells)


def fetch(url: str, max_bytes: int, deadline_s: float) -> bytes:
    """The body at ``url``: at most ``max_bytes``, within ``deadline_s`` seconds in all.

    SystemExit with a plain explanation when there is no network, the server refuses, the
    body is larger than expected or the download is too slow.
    """
    start = time.monotonic()
    chunks, size = [], 0
    try:
        with urllib.request.urlopen(url, timeout=min(30.0, deadline_s)) as response:
            while chunk := response.read(1 << 16):
                size += len(chunk)
                if size > max_bytes:
                    raise SystemExit(f"{url}: larger than {max_bytes:,} bytes; not used")
                if time.monotonic() - start > deadline_s:
                    raise SystemExit(f"{url}: not downloaded within {deadline_s:g} s")
                chunks.append(chunk)
    except (OSError, ValueError) as err:  # URLError, HTTPError and timeouts are OSErrors
        raise SystemExit(
            f"Cannot download {url} ({err}). The book needs MathJax once, from the npm "
            "registry; run `make book` again with a network (it is kept in .book-cache/)."
        ) from err
    return b"".join(chunks)


def mathjax_files(cache: Path = CACHE) -> dict[str, bytes]:
    """MathJax's ``tex-chtml.js`` and its fonts, by path under ``_static/mathjax/``.

    The package is downloaded from the npm registry once (no ``npm`` needed), checked
    against its pinned integrity hash, and kept in the cache.
    """
    tarball = cache / f"mathjax-{MATHJAX_VERSION}.tgz"
    if not tarball.is_file():
        data = fetch(MATHJAX_URL, MATHJAX_MAX_BYTES, DOWNLOAD_DEADLINE_S)
        cache.mkdir(parents=True, exist_ok=True)
        partial = tarball.with_suffix(".part")
        partial.write_bytes(data)
        partial.replace(tarball)
    algorithm, expected = MATHJAX_INTEGRITY.split("-", 1)
    actual = base64.b64encode(hashlib.new(algorithm, tarball.read_bytes()).digest()).decode()
    if actual != expected:
        tarball.unlink()
        raise SystemExit(f"{tarball.name}: integrity mismatch (got {algorithm}-{actual})")
    files = {}
    with tarfile.open(tarball) as archive:
        for member in archive.getmembers():
            name = member.name.removeprefix("package/")
            if member.isfile() and name.startswith(MATHJAX_FILES):
                handle = archive.extractfile(member)
                assert handle is not None
                files[name.removeprefix("es5/")] = handle.read()
    return files


def stage(cache: Path, source: Path = SOURCE) -> None:
    """Assemble Sphinx's source folder from ``book/``, the cache, the glossary, the results
    and the authoring guide (``docs/AUTHORING.md``)."""
    wanted: dict[str, bytes] = {}
    for file in _files(BOOK, ["."]):
        wanted[file.relative_to(BOOK).as_posix()] = file.read_bytes()
    course = course_settings()
    for notebook in lessons(cache):
        text = book_notebook(notebook.read_text(encoding="utf-8"), course["repo"], course["branch"])
        wanted[f"notebooks/{notebook.name}"] = text.encode()
        script = lesson_script(notebook.stem, ROOT / "data")
        wanted[f"_static/selfcheck/{notebook.stem}.js"] = script.encode()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    index = wanted["index.md"].decode().replace(LESSON_MAP, lesson_map(readme))
    wanted["index.md"] = index.encode()
    glossary = (ROOT / "GLOSSARY.md").read_text(encoding="utf-8")
    wanted["GLOSSARY.md"] = glossary_page(glossary).encode()
    wanted["authoring.md"] = (ROOT / "docs" / "AUTHORING.md").read_bytes()
    for name, data in results_page(cache).items():
        wanted[name] = data
    for name, data in mathjax_files().items():
        wanted[f"_static/mathjax/{name}"] = data
    for name, data in wanted.items():
        write_if_changed(source / name, data)
    for file in list(_files(source, ["."])):
        if file.relative_to(source).as_posix() not in wanted:
            file.unlink()


def sphinx(source: Path = SOURCE, html: Path = HTML) -> None:
    """Build ``html`` from ``source`` with the book's environment (incremental)."""
    if not BOOK_PY.is_file():
        raise SystemExit("no .venv-book: run `make book` (it installs requirements-book.txt)")
    doctrees = BUILD / "doctrees"
    command = [str(BOOK_PY), "-m", "sphinx", "-b", "html", "-q", "-d", str(doctrees)]
    subprocess.run([*command, str(source), str(html)], check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--execute-only", action="store_true", help="only refresh the cache")
    group.add_argument("--no-execute", action="store_true", help="build from the cache as is")
    group.add_argument("--fetch-only", action="store_true", help="only fetch MathJax (once)")
    args = parser.parse_args()
    if args.fetch_only:
        mathjax_files()
        return 0
    cache = CACHE / mode()
    start = time.monotonic()
    if not args.no_execute:
        execute_stale(cache)
    missing = [nb.name for nb in lessons() if not (cache / nb.name).is_file()]
    if missing:
        print(f"not executed yet ({cache.name} mode): {', '.join(missing)}", file=sys.stderr)
        return 1
    if args.execute_only:
        return 0
    stage(cache)
    sphinx()
    print(f"book: {HTML.relative_to(ROOT)}/index.html ({time.monotonic() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
