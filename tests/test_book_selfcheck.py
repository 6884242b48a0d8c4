"""The book's in-page self-check (book/_static/selfcheck.js) in Chromium, without a built book.

Parity: one table of (question, answer, expected grade) cases goes through the Python grader
(course_utils.quiz) and the page's script, and both must give the expected grade. Then the
quiz in a page: a static copy is replaced by a working one, a question answered wrong then
right, its explanation shown only after the first attempt, the options in a per-reader
order, the progress kept in the browser's storage.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
import test_browser as base
from test_browser import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import book_selfcheck  # noqa: E402

from course_utils.quiz import load_bank  # noqa: E402

browser = base.browser  # test_browser's Chromium fixture, used here by name
pytestmark = pytest.mark.browser

FIXTURES = ROOT / "tests" / "fixtures"
SCRIPT = ROOT / "book" / "_static" / "selfcheck.js"

# (bank, question id, the answer as the page gives it, expected (valid, correct, score))
CASES = [
    ("quiz_all_types", "pool", 0, (True, True, 1.0)),
    ("quiz_all_types", "pool", 1, (True, False, 0.0)),
    ("quiz_all_types", "pool", None, (False, False, 0.0)),
    ("quiz_all_types", "gates", [0, 1, 2], (True, True, 1.0)),
    ("quiz_all_types", "gates", [2, 0], (True, False, 2 / 3)),
    ("quiz_all_types", "gates", [0, 1, 3], (True, False, 1 / 3)),
    ("quiz_all_types", "gates", [0, 3], (True, False, 0.0)),
    ("quiz_all_types", "gates", [], (False, False, 0.0)),
    ("quiz_all_types", "out-width", "26", (True, True, 1.0)),
    ("quiz_all_types", "out-width", " 2.6e1 ", (True, True, 1.0)),
    ("quiz_all_types", "out-width", "52/2", (True, True, 1.0)),
    ("quiz_all_types", "out-width", "26,0", (True, True, 1.0)),
    ("quiz_all_types", "out-width", "28", (True, False, 0.0)),
    ("quiz_all_types", "out-width", "25", (True, False, 0.0)),
    ("quiz_all_types", "out-width", "26,000", (False, False, 0.0)),
    ("quiz_all_types", "out-width", "twenty-six", (False, False, 0.0)),
    ("quiz_all_types", "out-width", "", (False, False, 0.0)),
    ("quiz_all_types", "out-width", "1e999", (False, False, 0.0)),
    ("quiz_all_types", "out-width", "26/0", (False, False, 0.0)),
    ("quiz_all_types", "pi-rel", "3,14", (True, True, 1.0)),
    ("quiz_all_types", "pi-rel", "22/7", (True, True, 1.0)),
    ("quiz_all_types", "pi-rel", "3.2", (True, False, 0.0)),
    ("quiz_all_types", "small-lr", "1e-3", (True, True, 1.0)),
    ("quiz_all_types", "small-lr", "10^-3", (True, True, 1.0)),
    ("quiz_all_types", "small-lr", "10⁻³", (True, True, 1.0)),
    ("quiz_all_types", "small-lr", "5 × 10^-4", (True, True, 1.0)),
    ("quiz_all_types", "small-lr", "1 000", (True, False, 0.0)),
    ("quiz_all_types", "small-lr", "1.000,5", (True, False, 0.0)),
    ("quiz_all_types", "forget", "Forget gate", (True, True, 1.0)),
    ("quiz_all_types", "forget", "  'forget-gate.' ", (True, True, 1.0)),
    ("quiz_all_types", "forget", "FORGET_GATE", (True, True, 1.0)),
    ("quiz_all_types", "forget", "forget\u200b—gate", (True, True, 1.0)),
    ("quiz_all_types", "forget", "input gate", (True, False, 0.0)),
    ("quiz_all_types", "forget", "output gate", (True, False, 0.0)),
    ("quiz_all_types", "forget", "   ", (False, False, 0.0)),
    (
        "browser_quiz",
        "layers",
        ["slides a filter over the image", "keeps the largest value of each window"],
        (True, True, 1.0),
    ),
    (
        "browser_quiz",
        "layers",
        ["slides a filter over the image", "slides a filter over the image"],
        (True, False, 0.5),
    ),
    ("browser_quiz", "layers", ["slides a filter over the image", None], (False, False, 0.0)),
]


def _question(bank: str, question_id: str):
    return load_bank(FIXTURES / f"{bank}.yaml").question(question_id)


@pytest.fixture(scope="module")
def blank(browser):
    page = browser.new_page()
    page.route("**/*", lambda route: route.abort())  # nothing may be fetched
    page.set_content("<html><head></head><body></body></html>")
    page.add_script_tag(content=SCRIPT.read_text(encoding="utf-8"))
    yield page
    page.close()


@pytest.mark.parametrize(("bank", "question_id", "response", "expected"), CASES)
def test_page_grades_as_python_does(blank, bank, question_id, response, expected):
    question = _question(bank, question_id)
    grade = question.grade(response)
    assert (grade.valid, grade.correct, pytest.approx(grade.score)) == expected
    data = book_selfcheck.question_data(question)
    shown = blank.evaluate("([q, r]) => window.CourseSelfCheck.grade(q, r)", [data, response])
    assert (shown["valid"], shown["correct"], pytest.approx(shown["score"])) == expected
    assert shown["feedback"].split(" ")[0] == grade.feedback.split(" ")[0]  # the verdict mark


def _quiz_page(browser, tmp_path: Path, storage_state=None):
    """A page with the fixture bank's static copy, the script and the bank's data, mounted."""
    data_dir = tmp_path / "data"
    (data_dir / "quizzes").mkdir(parents=True, exist_ok=True)
    (data_dir / "flashcards").mkdir(exist_ok=True)
    shutil.copy(FIXTURES / "quiz_all_types.yaml", data_dir / "quizzes" / "99_fixture.yaml")
    shutil.copy(FIXTURES / "deck_small.yaml", data_dir / "flashcards" / "99_fixture.yaml")
    from course_utils.quiz import static_html

    static = static_html(load_bank(data_dir / "quizzes" / "99_fixture.yaml"))
    static += (
        "<div><strong>Flashcards: Fixture deck</strong> <em>(3 cards; only the fronts are "
        "shown here.)</em><ol><li>What is a neuron's receptive field?</li></ol></div>"
    )
    context = browser.new_context(storage_state=storage_state)
    page = context.new_page()
    page.route("**/*", lambda route: route.fulfill(body="<html><body></body></html>"))
    page.goto("http://book.test/notebooks/99_fixture.html")  # a same-origin page for storage
    page.set_content(f"<html><head></head><body><main>{static}</main></body></html>")
    page.add_script_tag(content=SCRIPT.read_text(encoding="utf-8"))
    page.add_script_tag(content=book_selfcheck.lesson_script("99_fixture", data_dir))
    page.evaluate("window.CourseSelfCheck.mount('99_fixture')")
    return context, page


def test_quiz_answered_wrong_then_right_in_the_page(browser, tmp_path):
    context, page = _quiz_page(browser, tmp_path)
    assert page.locator("blockquote").count() == 0  # the static copy was replaced
    box = page.locator('.selfcheck-question[data-question="pool"]')
    explanation = box.locator(".selfcheck-explanation")
    assert explanation.is_hidden()
    box.get_by_label("The mean value").check()
    box.get_by_role("button", name="Check").click()
    feedback = box.locator(".selfcheck-feedback")
    assert feedback.inner_text().startswith("✘ Not quite — That is average pooling.")
    assert explanation.is_visible()  # explanations after a first attempt
    box.get_by_label("The largest value").check()
    box.get_by_role("button", name="Check").click()
    assert feedback.inner_text().startswith("✔ Correct")
    assert feedback.get_attribute("data-verdict") == "correct"
    stored = json.loads(page.evaluate("localStorage.getItem('course-book-selfcheck')"))
    assert stored["answers"]["99_fixture/pool"] == {"attempts": 2, "score": 1}
    text = page.locator('.selfcheck-question[data-question="forget"]')
    text.locator("input").fill("")
    text.get_by_role("button", name="Check").click()
    assert text.locator(".selfcheck-feedback").inner_text().startswith("✎ Not checked")
    assert text.locator(".selfcheck-explanation").is_hidden()  # not an attempt
    context.close()


def _option_order(page, question_id: str) -> list[str]:
    labels = page.locator(f'.selfcheck-question[data-question="{question_id}"] label')
    return [label.inner_text().strip() for label in labels.all()]


def test_options_keep_a_per_reader_order(browser, tmp_path):
    context, page = _quiz_page(browser, tmp_path)
    first = _option_order(page, "gates")
    state = context.storage_state()
    context.close()
    context, page = _quiz_page(browser, tmp_path, storage_state=state)
    assert _option_order(page, "gates") == first  # the same reader, the same order
    context.close()
    bank = load_bank(FIXTURES / "quiz_all_types.yaml")
    texts = sorted(option.text for option in bank.question("gates").options)
    assert sorted(first) == texts
    orders = set()
    for seed in range(12):  # other readers see other orders
        orders.add(tuple(page_order(browser, tmp_path, seed)))
    assert len(orders) > 1


def page_order(browser, tmp_path: Path, seed: int) -> list[str]:
    """The order a reader whose stored seed is ``seed`` sees ``gates`` in."""
    state = {
        "cookies": [],
        "origins": [
            {
                "origin": "http://book.test",
                "localStorage": [
                    {"name": "course-book-selfcheck", "value": json.dumps({"reader": seed})}
                ],
            }
        ],
    }
    context, page = _quiz_page(browser, tmp_path, storage_state=state)
    order = _option_order(page, "gates")
    context.close()
    return order


def test_flashcards_flip_in_the_page(browser, tmp_path):
    context, page = _quiz_page(browser, tmp_path)
    cards = page.locator(".selfcheck-cards")
    assert cards.count() == 1 and page.locator("ol").count() == 0  # the static copy replaced
    back = cards.locator(".selfcheck-back")
    assert back.is_hidden()
    front = cards.locator(".selfcheck-front").inner_text()
    cards.get_by_role("button", name="Show the back").click()
    assert back.is_visible() and back.inner_text().strip()
    cards.get_by_role("button", name="Next card").click()
    assert back.is_hidden() and cards.locator(".selfcheck-front").inner_text() != front
    assert "card 2 of 3" in cards.locator(".selfcheck-counter").inner_text()
    context.close()
