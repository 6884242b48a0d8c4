"""A practice round and the exam answered with the keyboard alone, in JupyterLab's light and
dark themes, in headless Chromium (the fixtures and helpers of ``test_browser.py``).

Screenshots: ``screenshots/practice-round-{light,dark}.png``,
``screenshots/exam-submitted-{light,dark}.png``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import test_browser as tb
from test_browser import (  # noqa: F401  (fixtures)
    _CONTRAST,
    MIN_CONTRAST,
    SHOTS,
    _run_cell,
    _use_theme,
    _wait_stored,
    browser,
    page,
    progress_dir,
    served,
)

from course_utils.quiz import load_bank
from course_utils.quiz.questions import MultipleChoice, Question, SingleChoice

pytestmark = pytest.mark.browser

ROUND_CELL = 'practice.show(["01_cnn", "03_lstm"], n=3)'
EXAM_CELL = "practice.show(exam=True)"
_READABLE = (
    ".course-practice .widget-html-content, .course-exam .widget-html-content, "
    ".course-practice button, .course-exam button, .course-practice-score"
)


def _practice_notebook() -> dict:
    cells = [
        f"from course_utils import practice\n{ROUND_CELL}",
        f"from course_utils import practice\n{EXAM_CELL}",
    ]
    return tb.code_notebook(cells, "p")


@pytest.fixture(scope="module")
def lab(tmp_path_factory, progress_dir, served) -> Iterator[str]:  # noqa: F811
    """test_browser's JupyterLab, serving the practice notebook instead."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tb, "_notebook", _practice_notebook)
        yield from tb.lab.__wrapped__(tmp_path_factory, progress_dir, served)


def _question(key: str) -> Question:
    lesson, question_id = key.split("/", 1)
    return load_bank(lesson).question(question_id)


def _typed_answer(question: Question) -> str:
    if question.kind == "numeric":
        accept = question.accept[0]
        middle = (accept.low + accept.high) / 2
        return str(int(middle)) if middle.is_integer() else repr(middle)
    return question.answers[0]


def _plain(text: str) -> str:
    """Text as the page shows it: no backticks (they become <code>), spaces collapsed."""
    return " ".join(text.replace("`", "").split())


def _wait_for_prompt(page, box, question: Question) -> None:  # noqa: F811
    """Wait until ``box`` shows ``question`` (a new round replaces the old one's views)."""
    wanted = _plain(question.prompt)[:40]
    for _ in range(100):
        if wanted in _plain(box.inner_text()):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{wanted!r} never appeared; the box shows {box.inner_text()[:200]!r}")


def _drawn_rows(page, box) -> list[str]:  # noqa: F811
    """The option rows' texts once each row shows its text ("A. ..."), not only its button."""
    for _ in range(100):
        rows = box.locator(".course-quiz-option").all_inner_texts()
        if rows and all("." in row for row in rows):
            return rows
        page.wait_for_timeout(100)
    raise AssertionError(f"the options were never drawn: {rows}")


def _answer_by_keyboard(page, box, question: Question) -> None:  # noqa: F811
    """Give the right answer with the keyboard: Space ticks, Tab moves, typing fills a box."""
    if isinstance(question, (SingleChoice, MultipleChoice)):
        buttons = box.locator(".course-quiz-choice")
        rows = _drawn_rows(page, box)
        buttons.first.focus()
        for row in rows:
            text = _plain(row.split(".", 1)[1])
            matches = [o for o in question.options if text.startswith(_plain(o.text))]
            option = max(matches, key=lambda o: len(o.text))
            if option.correct:
                page.keyboard.press("Space")
                page.wait_for_timeout(150)
            page.keyboard.press("Tab")
        return
    box.locator(".course-quiz-answer input").focus()
    page.keyboard.type(_typed_answer(question), delay=20)
    page.wait_for_timeout(300)  # the typed value reaches the kernel before any Enter


def _worst_contrast(page) -> tuple[float, str]:  # noqa: F811
    worst = (99.0, "")
    for element in page.locator(_READABLE).all():
        if not element.is_visible() or not element.inner_text().strip():
            continue
        worst = min(worst, (element.evaluate(_CONTRAST), element.inner_text()[:60]))
    return worst


def _shown(page, text: str, selector: str):  # noqa: F811
    """Run the cell holding ``text`` and wait for ``selector`` in its output."""
    cell = _run_cell(page, text)
    try:
        cell.locator(selector).first.wait_for(timeout=120_000)
    except Exception as err:  # show what the cell printed instead of a bare timeout
        page.screenshot(path=str(SHOTS / "practice-not-drawn.png"), full_page=True)
        raise AssertionError(f"{text} drew no widget:\n{cell.inner_text()[-3000:]}") from err
    return cell


def _latest_round(progress_dir: Path, after: int) -> dict:  # noqa: F811
    def probe(store: dict) -> dict | None:
        rounds = store["practice"]["rounds"]
        practice = [r for r in rounds.values() if r["kind"] == "practice"]
        newest = max(practice, key=lambda r: r["number"])
        return newest if newest["number"] > after else None

    return probe(_wait_stored(progress_dir, probe, seconds=60))


def _answer_round(page, cell, entry: dict, progress_dir: Path) -> None:  # noqa: F811
    boxes = cell.locator(".course-practice .course-quiz-question")
    for number, key in enumerate(entry["questions"]):
        box = boxes.nth(number)
        box.scroll_into_view_if_needed()
        question = _question(key)
        _wait_for_prompt(page, box, question)
        _answer_by_keyboard(page, box, question)
        if question.kind in ("numeric", "text"):
            page.keyboard.press("Enter")  # Enter checks
        else:
            tb._tab_to(page, "Check")
            page.keyboard.press("Enter")
        box.locator(".course-quiz-feedback", has_text="✔ Correct").first.wait_for()
    total = len(entry["questions"])
    cell.get_by_text(f"Score: {total} / {total}").first.wait_for()
    _wait_stored(
        progress_dir,
        lambda s: len(s["practice"]["rounds"][f"practice-{entry['number']}"]["scores"]) == total,
    )


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_practice_round_and_exam_by_keyboard(page, lab, progress_dir, theme):  # noqa: F811
    if theme == "dark":
        _use_theme(lab, "JupyterLab Dark")
        page.reload()
        page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'")
        page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for()
    before = 0 if theme == "light" else _latest_round(progress_dir, 0)["number"]

    cell = _shown(page, ROUND_CELL, ".course-practice-new-round")
    if theme == "dark":  # the same round again, then the next one, by keyboard
        cell.locator(".course-practice-new-round").first.focus()
        page.keyboard.press("Enter")
    entry = _latest_round(progress_dir, before)
    if theme == "dark":
        cell.locator(".course-practice", has_text=f"Practice round {entry['number']}").wait_for()
    _answer_round(page, cell, entry, progress_dir)
    page.screenshot(path=str(SHOTS / f"practice-round-{theme}.png"), full_page=True)

    exam_cell = _shown(page, EXAM_CELL, ".course-exam-submit")
    store = _wait_stored(progress_dir, lambda s: s["practice"]["rounds"]["exam"]["questions"])
    keys = store["practice"]["rounds"]["exam"]["questions"]
    boxes = exam_cell.locator(".course-exam .course-quiz-question")
    assert boxes.count() == len(keys) == 20
    skipped = keys[-1]  # left unanswered: it must come back as one to review
    for number, key in enumerate(keys[:-1]):
        box = boxes.nth(number)
        box.scroll_into_view_if_needed()
        _answer_by_keyboard(page, box, _question(key))
        if _question(key).kind in ("numeric", "text"):
            page.keyboard.press("Enter")  # grades nothing in the exam
    page.wait_for_timeout(500)
    assert exam_cell.locator(".course-quiz-check:visible").count() == 0
    verdicts = exam_cell.locator(".course-quiz-feedback").all_inner_texts()
    assert not any(v.strip() for v in verdicts), f"a verdict before Submit: {verdicts}"
    exam_cell.locator(".course-exam-submit").first.focus()
    page.keyboard.press("Enter")
    result = exam_cell.locator(".course-exam-result").first
    result.wait_for()
    text = result.inner_text()
    assert "Exam score: 19 / 20" in text and "To review" in text
    lesson = skipped.split("/", 1)[0]
    link = result.locator(f"a[href^='{lesson}.ipynb#']")
    assert link.count() == 1 and _question(skipped).section in link.inner_text()
    exam_cell.locator(".course-quiz-feedback", has_text="✔ Correct").first.wait_for()
    exam_cell.locator(".course-quiz-feedback", has_text="Not answered").first.wait_for()
    store = _wait_stored(
        progress_dir,
        lambda s: s["practice"]["rounds"]["exam"]["attempts"] == (1 if theme == "light" else 2),
    )
    assert store["practice"]["rounds"]["exam"]["scores"][skipped] == 0.0
    page.wait_for_timeout(500)  # the theme's stylesheet settles
    worst, where = _worst_contrast(page)
    result.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"exam-submitted-{theme}.png"), full_page=True)
    assert worst >= MIN_CONTRAST, f"{theme} theme: contrast {worst:.2f} at {where!r}"
