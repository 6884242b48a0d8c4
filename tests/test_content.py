"""course_utils.content: broken and hostile files refused quickly with a short ContentError."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml

from course_utils import content
from course_utils.content import ContentError
from course_utils.quiz import load_bank

FIXTURES = Path(__file__).parent / "fixtures"


ALL_TYPES = FIXTURES / "quiz_all_types.yaml"


#: The classic "billion laughs": 9 levels of 9 aliases, about 340 bytes, 387 million strings.
ALIAS_BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]\n"
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_alias_bomb_is_refused_in_well_under_a_second(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert len(ALIAS_BOMB) < 400
    path = _write(tmp_path, "bomb.yaml", ALIAS_BOMB)
    events = 0
    real_parse = yaml.parse

    def counting_parse(*args: object, **kwargs: object):  # noqa: ANN202
        nonlocal events
        for event in real_parse(*args, **kwargs):
            events += 1
            yield event

    monkeypatch.setattr(yaml, "parse", counting_parse)
    start = time.perf_counter()
    with pytest.raises(ContentError) as info:
        load_bank(path)
    elapsed = time.perf_counter() - start
    assert "refused" in str(info.value) and "aliases are expanded" in str(info.value)
    assert len(str(info.value)) < 300
    assert events < 200  # refused while reading, long before anything is expanded
    assert elapsed < 1.0  # in practice about a millisecond


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("deep_flow.yaml", "[" * 5000 + "]" * 5000),
        ("deep_block.yaml", "".join(" " * i + "a:\n" for i in range(5000))),
        ("deep.json", "[" * 100_000 + "]" * 100_000),
        ("deep_objects.json", '{"a":' * 100_000 + "1" + "}" * 100_000),
    ],
)
def test_deep_nesting_is_a_short_bank_error_not_a_recursion_error(
    tmp_path: Path, name: str, text: str
) -> None:
    with pytest.raises(ContentError) as info:
        load_bank(_write(tmp_path, name, text))
    assert name in str(info.value) and len(str(info.value)) < 400


def test_many_aliases_are_refused(tmp_path: Path) -> None:
    text = "a: &a 1\nb: [" + ", ".join(["*a"] * (content.MAX_ALIASES + 1)) + "]\n"
    with pytest.raises(ContentError, match="more than 1000 aliases"):
        load_bank(_write(tmp_path, "aliases.yaml", text))


def test_a_huge_file_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(content, "MAX_BYTES", 1000)
    path = _write(tmp_path, "huge.yaml", "questions: []\n" + "#" * 2000 + "\n")
    with pytest.raises(ContentError, match=r"2,015 bytes is more than the 1,000 allowed"):
        load_bank(path)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("lesson: 99_x\ntitle: A\ntitle: B\nquestions: []\n", "duplicate key 'title' on line 3"),
        (
            ALL_TYPES.read_text(encoding="utf-8").replace(
                "    answer: 26\n", "    answer: 26\n    answer: 27\n"
            ),
            "duplicate key 'answer'",
        ),
    ],
)
def test_duplicate_yaml_keys_are_refused(tmp_path: Path, text: str, where: str) -> None:
    with pytest.raises(ContentError, match=where):
        load_bank(_write(tmp_path, "dup.yaml", text))


def test_duplicate_json_keys_are_refused(tmp_path: Path) -> None:
    data = yaml.safe_load(ALL_TYPES.read_text(encoding="utf-8"))
    text = json.dumps(data).replace('"title": "Fixture quiz"', '"title": "A", "title": "B"')
    with pytest.raises(ContentError, match="duplicate key 'title'"):
        load_bank(_write(tmp_path, "dup.json", text))


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("answer: 26\n", "answer: .nan\n", ["id 'out-width'", "answer: nan is not a finite"]),
        ("tolerance: 0\n", "tolerance: .inf\n", ["id 'out-width'", "tolerance: inf"]),
        ("range: [0.0001, 0.01]", "range: [0.01, 0.0001]", ["id 'small-lr'", "low > high"]),
        ("range: [28, 28]", "range: [28, .nan]", ["id 'out-width'", "ranges[0].range"]),
        ("answers: [forget gate, forget]", "answers: ['.', ' - ']", ["id 'forget'", "no answer"]),
    ],
)
def test_course_questions_no_answer_can_satisfy_are_refused(
    tmp_path: Path, old: str, new: str, words: list[str]
) -> None:
    text = ALL_TYPES.read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(ContentError) as info:
        load_bank(_write(tmp_path, "bad.yaml", text.replace(old, new, 1)))
    for word in words:
        assert word in str(info.value), str(info.value)


def test_yaml_is_read_with_the_c_loader_when_installed() -> None:
    if yaml.__with_libyaml__:
        assert issubclass(content._LOADER, yaml.CSafeLoader)
    assert issubclass(content._LOADER, yaml.constructor.SafeConstructor)


def _big_bank(n: int) -> str:
    question = (
        "  - id: q{i}\n    type: single\n    prompt: Question {i}?\n"
        "    explanation: Because.\n    options:\n"
        "      - {{text: Right {i}, correct: true, explanation: Yes.}}\n"
        "      - {{text: Wrong {i}, correct: false, explanation: No.}}\n"
    )
    return "lesson: 99_big\ntitle: Big\nquestions:\n" + "".join(
        question.format(i=i) for i in range(n)
    )


def test_a_10000_question_bank_loads_and_its_widgets_are_built_page_by_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COURSE_PROGRESS_DIR", str(tmp_path / "progress"))
    from course_utils import quiz
    from course_utils.quiz.widgets import PAGE_SIZE

    view = quiz.show(_write(tmp_path, "big.yaml", _big_bank(10_000)))
    assert len(view.questions) == 10_000 and view.pages == 10_000 // PAGE_SIZE
    assert len(view.questions.built()) == PAGE_SIZE  # only the first page exists
    assert view.page_label.value == "Questions 1–20 of 10,000 (page 1 of 500)"
    view.next_button.click()
    assert len(view.questions.built()) == 2 * PAGE_SIZE
    assert view.page_box.children[0] is view.questions[PAGE_SIZE].widget
    assert view.previous_button.disabled is False
    static = view._repr_mimebundle_()["text/html"]
    assert "9,900 more questions" in static
