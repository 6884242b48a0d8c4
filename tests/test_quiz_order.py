"""course_utils.quiz.order: options shown shuffled, seeded per learner and question, and the
learner id that seeds them."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest
import yaml

from course_utils import progress
from course_utils.paths import REPO_ROOT
from course_utils.quiz import load_bank, order
from course_utils.quiz.questions import Option, SingleChoice

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def progress_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COURSE_PROGRESS_DIR", str(tmp_path / "progress"))
    monkeypatch.setattr(order, "_CACHE", {})
    return tmp_path / "progress"


def _question(n: int = 4, qid: str = "q", shuffle: bool = True) -> SingleChoice:
    options = [Option(f"option {i}", i == 0, "why") for i in range(n)]
    return SingleChoice(qid, "?", ".", options=options, shuffle=shuffle)


def test_the_learner_id_is_created_once_next_to_the_progress_file(progress_dir: Path) -> None:
    first = order.learner_id()
    path = progress.store_path().parent / order.FILE_NAME
    assert path == progress_dir / "learner_id" and path.read_text().strip() == first
    assert len(first) == 32 and first != order.FALLBACK_ID
    order._CACHE.clear()  # a kernel restart
    assert order.learner_id() == first
    assert [p.name for p in progress_dir.iterdir()] == ["learner_id"]  # no temporary files


def test_the_order_survives_a_new_kernel(progress_dir: Path) -> None:
    question = load_bank(FIXTURES / "quiz_all_types.yaml").question("pool")
    here = order.option_order(question, "99_fixture")
    code = (
        "from course_utils.quiz import load_bank, order\n"
        "q = load_bank('tests/fixtures/quiz_all_types.yaml').question('pool')\n"
        "print(order.option_order(q, '99_fixture'))\n"
    )
    env = {"COURSE_PROGRESS_DIR": str(progress_dir), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True, text=True
    )
    assert out.stdout.strip() == str(here), out.stderr


def test_different_learners_see_different_orders(tmp_path: Path) -> None:
    questions = [_question(4, f"q{i}") for i in range(40)]
    a = [order.option_order(q, "quiz", learner="a" * 32) for q in questions]
    b = [order.option_order(q, "quiz", learner="b" * 32) for q in questions]
    assert sum(x != y for x, y in zip(a, b, strict=True)) > 25  # 1 - 1/24 of them expected


def test_a_garbled_id_file_is_replaced(progress_dir: Path) -> None:
    progress_dir.mkdir(parents=True)
    (progress_dir / "learner_id").write_text("not an id\n")
    new = order.learner_id()
    assert len(new) == 32 and (progress_dir / "learner_id").read_text().strip() == new


def test_an_unwritable_folder_falls_back_to_a_fixed_seed_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    monkeypatch.setenv("COURSE_PROGRESS_DIR", str(blocker / "progress"))
    with pytest.warns(progress.ProgressWarning, match="shuffled the same way for everyone"):
        assert order.learner_id() == order.FALLBACK_ID
    assert order.option_order(_question(), "quiz") == order.permutation(
        4, order.FALLBACK_ID, "quiz", "q", "options"
    )


def test_shuffle_false_keeps_the_bank_order() -> None:
    assert order.option_order(_question(6, shuffle=False), "quiz", "x" * 32) == list(range(6))


def test_shuffle_false_is_read_from_a_course_bank(tmp_path: Path) -> None:
    data = yaml.safe_load((FIXTURES / "quiz_all_types.yaml").read_text(encoding="utf-8"))
    data["questions"][0]["shuffle"] = False
    path = tmp_path / "ordered.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    question = load_bank(path).question("pool")
    assert question.shuffle is False
    assert order.option_order(question, "99_fixture", "c" * 32) == [0, 1, 2]


@pytest.mark.parametrize("k", [2, 3, 4, 5])
def test_the_right_option_lands_in_each_position_equally_often(k: int) -> None:
    """Chi-square over 3,000 questions: each of the k positions about 3000/k times.

    The critical values are the 0.999 quantiles of chi-square with k-1 degrees of freedom,
    so a fair shuffle passes with probability 0.999 (and, the keys being fixed, always).
    """
    n = 3000
    counts = Counter(
        order.permutation(k, "learner", "quiz", f"q{i}", "options").index(0) for i in range(n)
    )
    expected = n / k
    chi2 = sum((counts[p] - expected) ** 2 / expected for p in range(k))
    critical = {2: 10.83, 3: 13.82, 4: 16.27, 5: 18.47}[k]
    assert chi2 < critical, counts


def test_the_permutation_is_fixed_by_its_key() -> None:
    """SHA-256 draws, not Python's random: the same order on every Python version."""
    assert order.permutation(5, "a", "b") == order.permutation(5, "a", "b") == [1, 4, 0, 3, 2]
    assert sorted(order.permutation(30, "x")) == list(range(30))


# --- The learner id, however other kernels and editors left it -----------------------------------


def _id_path() -> Path:
    return progress.store_path().parent / order.FILE_NAME


def test_a_kernel_that_finds_an_id_written_meanwhile_keeps_it() -> None:
    """Kernel B found no id, then kernel A wrote one: B must use A's, not replace it."""
    path = _id_path()
    path.parent.mkdir(parents=True)
    path.write_text("a" * 32 + "\n", encoding="ascii")
    assert order._create_id(path) == "a" * 32
    assert path.read_text(encoding="ascii").strip() == "a" * 32


def test_kernels_creating_the_id_at_once_agree() -> None:
    path = _id_path()
    path.parent.mkdir(parents=True)
    start, found = threading.Barrier(6), []

    def kernel() -> None:
        start.wait()
        found.append(order._read_id(path) or order._create_id(path))

    for _ in range(10):
        path.unlink(missing_ok=True)
        start.reset()
        found.clear()
        threads = [threading.Thread(target=kernel) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(set(found)) == 1, found


@pytest.mark.parametrize(
    "content",
    [
        b"\xef\xbb\xbf" + b"b" * 32 + b"\r\n",
        b"b" * 32 + b"\r\n",
        b"b" * 32 + b"\x00\x00",
        ("b" * 32 + "\n").encode("utf-16"),
    ],
    ids=["BOM and CRLF", "CRLF", "trailing NUL", "utf-16"],
)
def test_an_id_file_saved_by_another_editor_is_kept(content: bytes) -> None:
    path = _id_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    order._CACHE.clear()
    assert order.learner_id() == "b" * 32
    assert path.read_bytes() == content
