"""Loading quiz banks: the course format, clear errors for broken banks, jupyterquiz JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from course_utils.content import ContentError
from course_utils.paths import REPO_ROOT
from course_utils.quiz import load_bank
from course_utils.quiz.questions import Match, MultipleChoice, Numeric, SingleChoice, Text

FIXTURES = Path(__file__).parent / "fixtures"
ALL_TYPES = FIXTURES / "quiz_all_types.yaml"


def test_course_bank_loads_every_type() -> None:
    bank = load_bank(ALL_TYPES)
    assert (bank.quiz_id, bank.title) == ("99_fixture", "Fixture quiz")
    kinds = [type(q) for q in bank.questions]
    assert kinds == [SingleChoice, MultipleChoice, Numeric, Numeric, Numeric, Text]
    assert bank.question("out-width").grade("28").feedback.endswith("same padding gives.")
    assert bank.question("pi-rel").grade("3.12").correct  # within 1 %
    assert not bank.question("pi-rel").grade("3.1").correct
    assert bank.question("small-lr").grade("1e-3").correct
    assert not bank.question("small-lr").grade("0.1").correct
    assert bank.question("forget").grade("Forget").correct


def test_lesson_id_resolves_to_data_quizzes() -> None:
    bank = load_bank("00_welcome")
    assert bank.source == REPO_ROOT / "data" / "quizzes" / "00_welcome.yaml"


def test_unknown_lesson_lists_available() -> None:
    with pytest.raises(FileNotFoundError, match=r"No quizzes file for '42_nothing'.*00_welcome"):
        load_bank("42_nothing")
    with pytest.raises(FileNotFoundError, match="No such file"):
        load_bank("missing/bank.yaml")


def _broken(tmp_path: Path, edit) -> Path:
    data = yaml.safe_load(ALL_TYPES.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (
            lambda d: d["questions"][0]["options"][1].pop("explanation"),
            ["question 1 (id 'pool')", "options[1].explanation", "required"],
        ),
        (
            lambda d: d["questions"][1].update(type="multi"),
            ["question 2 (id 'gates')", "type", "'multi' is not one of"],
        ),
        (
            lambda d: d["questions"][2].update(answr=26),
            ["question 3 (id 'out-width')", "'answr' was unexpected"],
        ),
        (
            lambda d: d["questions"][3].update(rel_tolerance=-1),
            ["question 4 (id 'pi-rel')", "rel_tolerance", "minimum"],
        ),
        (
            lambda d: d["questions"][5].update(answers="forget"),
            ["question 6 (id 'forget')", "answers", "not of type 'array'"],
        ),
        (lambda d: d["questions"][0].pop("id"), ["question 1", "id", "required"]),
        (lambda d: d.pop("title"), ["title", "required"]),
        (lambda d: d["questions"][0].update(id="Bad Id"), ["question 1", "id", "does not match"]),
    ],
)
def test_schema_errors_name_file_question_and_field(tmp_path: Path, edit, words) -> None:
    path = _broken(tmp_path, edit)
    with pytest.raises(ContentError) as info:
        load_bank(path)
    message = str(info.value)
    assert str(path) in message
    for word in words:
        assert word in message, message


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (
            lambda d: d["questions"][1].update(id="pool"),
            ["question 2 (id 'pool')", "id", "used by an earlier"],
        ),
        (
            lambda d: d["questions"][0]["options"][1].update(correct=True),
            ["question 1 (id 'pool')", "exactly 1 right option"],
        ),
        (
            lambda d: [o.update(correct=False) for o in d["questions"][1]["options"]],
            ["question 2 (id 'gates')", "needs a right option"],
        ),
        (
            lambda d: d["questions"][2].pop("answer"),
            ["question 3 (id 'out-width')", "needs answer or range"],
        ),
        (
            lambda d: d["questions"][4].update(range=[1, 0]),
            ["question 5 (id 'small-lr')", "low > high"],
        ),
    ],
)
def test_rules_beyond_the_schema(tmp_path: Path, edit, words) -> None:
    path = _broken(tmp_path, edit)
    with pytest.raises(ContentError) as info:
        load_bank(path)
    for word in [str(path), *words]:
        assert word in str(info.value)


def test_unparsable_yaml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("questions: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError, match="bad.yaml: cannot be parsed"):
        load_bank(path)


def test_bank_in_json_course_format(tmp_path: Path) -> None:
    path = tmp_path / "as_json.json"
    path.write_text(json.dumps(yaml.safe_load(ALL_TYPES.read_text(encoding="utf-8"))))
    assert len(load_bank(path).questions) == 6


def test_importing_quiz_does_not_import_tensorflow_or_widgets() -> None:
    code = (
        "import sys, course_utils.quiz, course_utils.progress, course_utils.flashcards; "
        "bad = [m for m in ('tensorflow', 'keras', 'ipywidgets') if m in sys.modules]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO_ROOT, timeout=120)


def test_jsonschema_is_imported_without_the_slow_iri_grammar() -> None:
    code = (
        "import sys\n"
        "from course_utils.content import import_jsonschema\n"
        "from course_utils.quiz import load_bank\n"
        "import_jsonschema()\n"
        "assert 'rfc3987_syntax' not in sys.modules, 'the IRI grammar was imported'\n"
        "assert len(load_bank('01_cnn').questions) >= 10  # banks are still validated\n"
        "import importlib.util\n"
        "if importlib.util.find_spec('rfc3987_syntax'):  # installed with JupyterLab\n"
        "    import rfc3987_syntax  # still importable afterwards\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_course_match_code_and_shuffle_fields(tmp_path: Path) -> None:
    data = yaml.safe_load(ALL_TYPES.read_text(encoding="utf-8"))
    data["questions"][0]["code"] = "keras.layers.MaxPooling2D(2)"
    data["questions"][0]["options"][0]["code"] = "np.max(window)"
    data["questions"][1]["shuffle"] = False
    data["questions"].append(
        {
            "id": "layers",
            "type": "match",
            "prompt": "Match each layer with what it does.",
            "pairs": [
                {"label": "Conv2D", "answer": "slides a filter", "explanation": "Local."},
                {"label": "Dense", "answer": "connects everything", "explanation": "Global."},
            ],
            "distractors": ["remembers the past"],
            "explanation": "Convolutions are local; dense layers are global.",
        }
    )
    path = tmp_path / "with_match.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    bank = load_bank(path)
    pool, gates, match = bank.question("pool"), bank.question("gates"), bank.question("layers")
    assert pool.code == "keras.layers.MaxPooling2D(2)" and pool.options[0].code == "np.max(window)"
    assert gates.shuffle is False and pool.shuffle is True
    assert isinstance(match, Match)
    assert match.options == ["slides a filter", "connects everything", "remembers the past"]
    assert match.grade(["slides a filter", "connects everything"]).correct
    half = match.grade({"Conv2D": "slides a filter", "Dense": "remembers the past"})
    assert half.score == 0.5 and "✔ Conv2D → slides a filter — Local." in half.feedback
    assert "Global." not in half.feedback  # a wrong pair's explanation is not given away
    data["questions"][-1]["pairs"][1]["label"] = "conv2d"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ContentError, match="id 'layers'.*two pairs have the same label"):
        load_bank(path)
