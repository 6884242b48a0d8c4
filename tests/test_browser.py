"""A learner's path in a real browser: JupyterLab in headless Chromium, driven by Playwright.

Starts JupyterLab from this environment on a free local port with a token and opens a notebook
that shows the welcome lesson's quiz, a fixture quiz with every course question type (one long
option, a match question), a jupyterquiz bank (code blocks, match), a flashcard deck and the
progress dashboard. It answers every question type with shuffled options, answers with the
keyboard alone, rates a flashcard, reads the dashboard, and repeats the checks of contrast in
JupyterLab's dark theme. Screenshots go
to ``screenshots/`` (git-ignored). Uses Debian's ``chromium`` when installed, else Playwright's
own Chromium; ``tools/get_browser.sh`` (run by ``make test-browser``) installs one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "screenshots"
NOTEBOOK = "browser_check.ipynb"
FIXTURES = ROOT / "tests" / "fixtures"
QUIZ_BANK = FIXTURES / "browser_quiz.yaml"
JUPYTERQUIZ_BANK = FIXTURES / "jupyterquiz_all_types.json"
DECK = FIXTURES / "deck_small.yaml"
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
OTHER_PYTHON = "00_welcome_other_python.ipynb"  # stored by a Python of another patch version
WIDTH = 1100  # a laptop: long options must wrap and stay answerable
MIN_CONTRAST = 4.5  # WCAG AA for normal text
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-proxy-server",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str | None:
    """Debian's Chromium when installed; None lets Playwright use its own downloaded one."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_server(url: str, process: subprocess.Popen, log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"JupyterLab exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"JupyterLab did not answer within {seconds:.0f} s:\n{log.read_text()[-3000:]}")


def code_notebook(sources: list[str], id_prefix: str) -> dict:
    """A notebook of code cells, one per source, with ids ``<id_prefix>0``, ``<id_prefix>1``..."""
    return {
        "cells": [
            {"cell_type": "code", "id": f"{id_prefix}{i}", "metadata": {}, "source": source,
             "execution_count": None, "outputs": []}
            for i, source in enumerate(sources)
        ],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                    "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }  # fmt: skip


def _notebook() -> dict:
    """The notebook the test serves: one cell per thing a learner looks at."""
    cells = [  # each cell imports what it shows: a cell never depends on another
        'from course_utils import quiz\nquiz.show("00_welcome")',
        f'from course_utils import quiz\nquiz.show("{QUIZ_BANK}")',
        f'from course_utils import quiz\nquiz.show("{JUPYTERQUIZ_BANK}")',
        f'from course_utils import flashcards\nflashcards.show("{DECK}")',
        "from course_utils import dashboard\ndashboard.show()",
    ]
    return code_notebook(cells, "c")


def _serve_lessons(served: Path) -> None:
    """Byte-exact copies of the lessons in ``lessons/``, and one from another Python version."""
    folder = served / "lessons"
    folder.mkdir()
    for path in LESSONS:
        shutil.copyfile(path, folder / path.name)
    notebook = nbformat.reads(LESSONS[0].read_text(encoding="utf-8"), as_version=4)
    notebook.metadata.setdefault("language_info", {})["version"] = "3.0.0"
    other = nbformat.writes(notebook, version=nbformat.NO_CONVERT)
    (folder / OTHER_PYTHON).write_text(other + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Path:
    """The folder JupyterLab serves."""
    return tmp_path_factory.mktemp("served")


@pytest.fixture(scope="module")
def progress_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("browser-progress")


@pytest.fixture(scope="module")
def lab(tmp_path_factory, progress_dir, served) -> Iterator[str]:
    """JupyterLab on a free port; yields the URL of the served notebook with its token."""
    home = tmp_path_factory.mktemp("jupyter-home")
    settings = home / "lab-settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # Render every cell (no virtual scrolling), so the test can find cells by their text.
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    notices = home / "lab-settings" / "@jupyterlab" / "apputils-extension"
    notices.mkdir(parents=True)
    (notices / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    (served / NOTEBOOK).write_text(json.dumps(_notebook()))
    _serve_lessons(served)
    port, token = _free_port(), "course-browser-test"
    env = {
        **os.environ,
        "COURSE_PROGRESS_DIR": str(progress_dir),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "lab-settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
    }
    log = home / "lab.log"
    # ``-m jupyterlab``, not ``-m jupyter lab``: the latter runs the ``jupyter-lab`` script on
    # PATH, whose interpreter may be another environment's (a copied virtual environment).
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
        "--ip=127.0.0.1", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={served}",
        "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]  # fmt: skip
    if os.geteuid() == 0:  # CI containers run as root
        command.append("--allow-root")
    with log.open("w") as handle:
        process = subprocess.Popen(command, env=env, stdout=handle, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for_server(f"{base}/api/status?token={token}", process, log)
        yield f"{base}/lab/tree/{NOTEBOOK}?token={token}"
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright import sync_api as playwright_api
    except ImportError:
        pytest.fail("Playwright is missing: pip install -r requirements-dev.txt")
    executable = _chromium()
    SHOTS.mkdir(exist_ok=True)
    with playwright_api.sync_playwright() as driver:
        try:
            chromium = driver.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        except playwright_api.Error as err:
            pytest.fail(
                f"No Chromium could be started ({str(err).splitlines()[0]}). Run "
                "`bash tools/get_browser.sh` (what `make test-browser` does first), or install "
                "Debian's package: `sudo apt-get install chromium`."
            )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def page(lab, browser):
    tab = browser.new_page(viewport={"width": WIDTH, "height": 1000})
    tab.set_default_timeout(60_000)
    tab.goto(lab)
    tab.locator(".jp-Notebook .jp-Cell").first.wait_for()
    tab.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=120_000)
    yield tab
    tab.close()


def _run_cell(page, text: str, attempts: int = 3, seconds: float = 20):
    """Run the code cell whose source contains ``text``; return its locator.

    Right after start-up JupyterLab can show its kernel as idle before the kernel's
    connection is ready, and then quietly drops a run: the prompt stays ``[ ]:``. So the run
    is repeated (at most ``attempts`` times) until the kernel has taken it. Every cell of the
    served notebook can run twice without harm.
    """
    cell = page.locator(".jp-CodeCell", has_text=text).first
    prompt = cell.locator(".jp-InputPrompt").first
    for _ in range(attempts):
        cell.scroll_into_view_if_needed()
        cell.locator(".jp-InputArea-editor").click()
        page.keyboard.press("Shift+Enter")
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if not re.fullmatch(r"\[\s*\]:?", prompt.inner_text().strip()):
                return cell
            page.wait_for_timeout(250)
    return cell


def _shown_quiz(page, text: str):
    """Run a quiz cell and wait until its first Check button is drawn."""
    cell = _run_cell(page, text)
    try:
        cell.locator(".course-quiz-check").first.wait_for(timeout=120_000)
    except Exception as err:  # show what the cell printed instead of a bare timeout
        page.screenshot(path=str(SHOTS / "quiz-not-drawn.png"), full_page=True)
        raise AssertionError(f"{text} drew no quiz:\n{cell.inner_text()[-3000:]}") from err
    return cell


def _stored(progress_dir: Path) -> dict:
    path = progress_dir / "progress.json"
    return json.loads(path.read_text()) if path.exists() else {}


def _wait_stored(progress_dir: Path, probe, seconds: float = 10):
    """The progress file once ``probe(store)`` is truthy (the kernel saves asynchronously)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        store = _stored(progress_dir)
        try:
            if probe(store):
                return store
        except (KeyError, TypeError):
            pass
        time.sleep(0.2)
    raise AssertionError(f"the progress file never showed the change: {_stored(progress_dir)}")


def _bank(path: Path):
    from course_utils import quiz

    return quiz.load_bank(path)


def _question_box(cell, number: int):
    return cell.locator(".course-quiz-question").nth(number)


def _option_row(box, text: str):
    return box.locator(".course-quiz-option", has_text=text[:40]).first


def _choose(box, *texts: str) -> None:
    for text in texts:
        _option_row(box, text).locator(".course-quiz-choice").click()


def _check_and_read(box, verdict: str) -> None:
    box.locator(".course-quiz-check").click()
    box.locator(".course-quiz-feedback", has_text=verdict).first.wait_for()


def _learner_orders(monkeypatch, progress_dir: Path, bank) -> dict[str, list[int]]:
    """The option order the kernel's learner sees, computed here from the same learner id."""
    from course_utils.quiz.order import option_order

    monkeypatch.setenv("COURSE_PROGRESS_DIR", str(progress_dir))
    return {q.id: option_order(q, bank.quiz_id) for q in bank.questions if hasattr(q, "options")}


def test_welcome_quiz_answer_check_and_feedback(page, progress_dir):
    bank = _bank(ROOT / "data" / "quizzes" / "00_welcome.yaml")
    number, question = next(
        (i, q) for i, q in enumerate(bank.questions) if type(q).__name__ == "SingleChoice"
    )
    right = next(o.text for o in question.options if o.correct)
    wrong = next(o.text for o in question.options if not o.correct)
    box = _question_box(_shown_quiz(page, 'quiz.show("00_welcome")'), number)
    box.scroll_into_view_if_needed()
    _choose(box, wrong)
    _check_and_read(box, "✘ Not quite")
    _choose(box, right)
    _check_and_read(box, "✔ Correct")
    box.get_by_text("Attempts: 2").wait_for()
    page.screenshot(path=str(SHOTS / "welcome-quiz-feedback.png"), full_page=True)
    store = _wait_stored(progress_dir, lambda s: s["quizzes"][bank.quiz_id][question.id])
    assert store["quizzes"][bank.quiz_id][question.id]["attempts"] == 2


def test_every_question_type_with_shuffled_options(page, progress_dir, monkeypatch):
    bank = _bank(QUIZ_BANK)
    cell = _shown_quiz(page, f'quiz.show("{QUIZ_BANK}")')
    orders = _learner_orders(monkeypatch, progress_dir, bank)
    by_id = {q.id: (i, q) for i, q in enumerate(bank.questions)}

    number, single = by_id["pool"]
    box = _question_box(cell, number)
    shown = box.locator(".course-quiz-option").all_inner_texts()
    expected = [single.options[i].text for i in orders["pool"]]
    assert [t.split(".", 1)[1].split()[:3] for t in shown] == [e.split()[:3] for e in expected]
    assert box.locator(".course-quiz-explain").is_disabled(), "explanation before any attempt"
    _choose(box, single.options[2].text)
    _check_and_read(box, "✘ Not quite")
    assert box.locator(".course-quiz-explain").is_enabled()
    _choose(box, single.options[0].text)
    _check_and_read(box, "✔ Correct")

    number, multiple = by_id["gates"]
    box = _question_box(cell, number)
    _choose(box, "Forget gate", "Reset gate")
    _check_and_read(box, "✘ Not quite")
    lines = box.locator(".course-quiz-feedback").first.inner_text().splitlines()
    assert any(line.startswith("✔ Forget gate") for line in lines), lines  # a line per option
    assert any(line.startswith("✘ Reset gate") for line in lines), lines
    assert not any(".:" in line for line in lines)
    _choose(box, "Reset gate")  # untick it
    _check_and_read(box, "◐ Partly right")
    _choose(box, "Input gate")
    _check_and_read(box, "✔ Correct")

    number, _ = by_id["out-width"]
    box = _question_box(cell, number)
    box.locator(".course-quiz-answer input").fill("26")
    box.locator(".course-quiz-answer input").press("Enter")  # Enter checks
    box.locator(".course-quiz-feedback", has_text="✔ Correct").first.wait_for()

    number, _ = by_id["forget"]
    box = _question_box(cell, number)
    box.locator(".course-quiz-answer input").fill("Forget Gate")
    box.locator(".course-quiz-check").click()
    box.locator(".course-quiz-feedback", has_text="✔ Correct").first.wait_for()

    number, match = by_id["layers"]
    box = _question_box(cell, number)
    for row in box.locator(".course-quiz-match-row").all():
        label = row.inner_text().split("→")[0].strip()
        answer = next(p.answer for p in match.pairs if p.label == label)
        row.locator("select").select_option(label=answer)
    _check_and_read(box, "✔ Correct")
    page.screenshot(path=str(SHOTS / "quiz-every-type.png"), full_page=True)

    store = _wait_stored(progress_dir, lambda s: len(s["quizzes"][bank.quiz_id]) == 5)
    attempts = {q: e["attempts"] for q, e in store["quizzes"][bank.quiz_id].items()}
    assert attempts == {"pool": 2, "gates": 3, "out-width": 1, "forget": 1, "layers": 1}


def test_long_option_wraps_and_stays_answerable(page):
    cell = page.locator(".jp-CodeCell", has_text=f'quiz.show("{QUIZ_BANK}")').first
    box = _question_box(cell, 0)
    box.scroll_into_view_if_needed()
    rows = box.locator(".course-quiz-option").all()
    boxes = [row.bounding_box() for row in rows]
    heights = sorted(b["height"] for b in boxes)
    assert heights[-1] > 1.8 * heights[0], f"the long option does not wrap: {heights}"
    ordered = sorted(boxes, key=lambda b: b["y"])
    for upper, lower in zip(ordered, ordered[1:], strict=False):
        assert upper["y"] + upper["height"] <= lower["y"] + 1, "option rows overlap"
    for row, row_box in zip(rows, boxes, strict=True):
        button = row.locator(".course-quiz-choice").bounding_box()
        assert button and button["width"] > 10 and button["height"] > 10
        assert row_box["x"] <= button["x"] and button["y"] < row_box["y"] + row_box["height"]
        assert row_box["x"] + row_box["width"] <= WIDTH, "an option runs off the page"


def test_jupyterquiz_code_and_match(page, progress_dir):
    bank = _bank(JUPYTERQUIZ_BANK)
    cell = _shown_quiz(page, f'quiz.show("{JUPYTERQUIZ_BANK}")')
    number, code_question = next(
        (i, q) for i, q in enumerate(bank.questions) if q.code and "print(a + b)" in q.code
    )
    box = _question_box(cell, number)
    code = box.locator("code, pre").filter(has_text="print(a + b)").first
    code.wait_for()
    assert "monospace" in code.evaluate("e => getComputedStyle(e).fontFamily").lower()
    assert "<b>not</b>" in code.inner_text()  # shown as code, never as markup
    right = next(o.text for o in code_question.options if o.correct)
    _choose(box, right)
    _check_and_read(box, "✔ Correct")

    number, match = next(
        (i, q) for i, q in enumerate(bank.questions) if type(q).__name__ == "Match"
    )
    box = _question_box(cell, number)
    box.scroll_into_view_if_needed()
    rows = box.locator(".course-quiz-match-row").all()
    assert len(rows) == len(match.pairs)
    for row in rows:
        label = row.inner_text().split("→")[0].strip()
        answer = next(p.answer for p in match.pairs if p.label == label)
        row.locator("select").select_option(label=answer)
    _check_and_read(box, "✔")
    page.screenshot(path=str(SHOTS / "jupyterquiz-code-and-match.png"), full_page=True)


def _active_text(page) -> str:
    return page.evaluate("() => (document.activeElement || {}).innerText || ''").strip()


def _tab_to(page, text: str, limit: int = 40) -> None:
    """Press Tab until the focused element's text contains ``text``."""
    for _ in range(limit):
        if text in _active_text(page):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {text!r}; focus is on {_active_text(page)!r}")


def test_keyboard_only_answering(page, progress_dir):
    """Space ticks an option, Tab moves to Check, Enter checks; Enter in a text box checks."""
    cell = page.locator(".jp-CodeCell", has_text=f'quiz.show("{QUIZ_BANK}")').first
    cell.get_by_role("button", name="Reset").first.click()
    box = _question_box(cell, 1)  # the multiple-choice question, fresh after Reset
    deadline = time.monotonic() + 10
    while box.locator(".course-quiz-feedback").first.inner_text().strip():
        assert time.monotonic() < deadline, "Reset did not clear the feedback"
        time.sleep(0.2)
    first = box.locator(".course-quiz-choice").first
    first.focus()
    assert "☐" in _active_text(page), "the option button did not take the focus"
    page.keyboard.press("Space")
    deadline = time.monotonic() + 10
    while "☑" not in first.inner_text():
        assert time.monotonic() < deadline, f"Space did not tick the option: {first.inner_text()}"
        time.sleep(0.2)
    _tab_to(page, "Check")
    page.keyboard.press("Enter")
    box.locator(".course-quiz-feedback").filter(has_text="✔").or_(
        box.locator(".course-quiz-feedback").filter(has_text="✘")
    ).first.wait_for()
    page.screenshot(path=str(SHOTS / "quiz-keyboard.png"), full_page=True)


def test_enter_grades_what_was_typed_with_keys_0_ms_apart(page, progress_dir):
    """Enter right after fast typing grades the whole value, not its first character."""
    bank = _bank(QUIZ_BANK)
    cell = _shown_quiz(page, f'quiz.show("{QUIZ_BANK}")')  # drawn afresh: no attempts yet
    numbers = {q.id: i for i, q in enumerate(bank.questions)}
    for question, typed in (("out-width", "26"), ("forget", "forget gate")):
        box = _question_box(cell, numbers[question])
        box.get_by_text("Attempts: 0").wait_for()  # the new view, not the one it replaces
        box.scroll_into_view_if_needed()
        box.locator(".course-quiz-answer input").focus()
        page.keyboard.type(typed, delay=0)  # keys 0 ms apart, then Enter at once
        page.keyboard.press("Enter")
        box.locator(".course-quiz-feedback").filter(has_text="✔").or_(
            box.locator(".course-quiz-feedback").filter(has_text="✘")
        ).first.wait_for()
        page.wait_for_timeout(1000)  # a second, late verdict would show here
        feedback = box.locator(".course-quiz-feedback").first.inner_text()
        assert "✔ Correct" in feedback, f"{typed!r} graded as: {feedback}"
        assert box.locator(".course-quiz-attempts").first.inner_text() == "Attempts: 1"
    page.screenshot(path=str(SHOTS / "quiz-enter-0ms.png"), full_page=True)


def test_flashcard_review_with_a_rating_by_keyboard(page, progress_dir):
    cell = _run_cell(page, f'flashcards.show("{DECK}")')
    flip = cell.get_by_role("button", name="Flip")
    flip.wait_for(timeout=120_000)
    good = cell.get_by_role("button", name="Good", exact=True)
    assert good.is_disabled(), "a face-down card can be rated"
    front = cell.locator(".jp-OutputArea-output").first.inner_text().split("Q:", 1)[1]
    front = " ".join(front.split("Recall the answer")[0].split())
    flip.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("(b) => !b.disabled", arg=good.element_handle())
    _tab_to(page, "Good")
    page.keyboard.press("Enter")
    rated = cell.get_by_text("comes back in 10 minutes").first
    rated.wait_for()
    assert f"Rated Good: “{front}” comes back in 10 minutes" in rated.inner_text()
    assert cell.locator(":focus").count() == 1, "focus fell out of the flashcard widget"
    assert good.is_disabled(), "the next card, face down, can be rated"
    page.screenshot(path=str(SHOTS / "flashcard-rated.png"), full_page=True)
    store = _wait_stored(progress_dir, lambda s: s["flashcards"])
    (card,) = store["flashcards"].values()
    assert (card["state"], card["last_rating"], card["reviews"]) == ("learning", "good", 1)


def test_dashboard_shows_the_lessons(page):
    cell = _run_cell(page, "dashboard.show()")
    cell.locator(".jp-OutputArea-output", has_text="00_welcome").first.wait_for()
    text = cell.locator(".jp-OutputArea-output").first.inner_text()
    assert "01_cnn" in text and "exercises" in text
    page.screenshot(path=str(SHOTS / "dashboard.png"), full_page=True)


_CONTRAST = """(el) => {
  const rgb = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const fg = rgb(getComputedStyle(el).color);
  let node = el, bg = null;
  while (node && node.nodeType === 1) {
    const v = rgb(getComputedStyle(node).backgroundColor);
    if (v.length === 3 || (v.length === 4 && v[3] > 0.5)) { bg = v; break; }
    node = node.parentElement;
  }
  bg = bg || [255, 255, 255];
  const a = lum(fg), b = lum(bg);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""
_READABLE = (
    ".course-quiz-feedback div, .course-quiz-option .widget-html-content, "
    ".course-quiz-question > .widget-html .widget-html-content, .course-quiz-check, "
    ".course-quiz-choice, .course-quiz-attempts, "
    '.jp-CodeCell:has-text("flashcards.show") .jp-OutputArea-output .widget-html-content, '
    '.jp-CodeCell:has-text("flashcards.show") .jp-OutputArea-output button'
)


def _worst_contrast(page) -> tuple[float, str]:
    worst = (99.0, "")
    for element in page.locator(_READABLE).all():
        if not element.is_visible() or not element.inner_text().strip():
            continue
        ratio = element.evaluate(_CONTRAST)
        worst = min(worst, (ratio, element.inner_text()[:60]))
    return worst


def _use_theme(lab: str, theme: str) -> None:
    """Set JupyterLab's theme through its settings API (what Settings -> Theme saves)."""
    base, token = lab.split("/lab/tree/")[0], lab.split("token=")[1]
    request = urllib.request.Request(
        f"{base}/lab/api/settings/@jupyterlab/apputils-extension:themes?token={token}",
        data=json.dumps({"raw": json.dumps({"theme": theme})}).encode(),
        method="PUT",
        headers={"Content-Type": "application/json", "Authorization": f"token {token}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status in (200, 204)


_SIDEWAYS = """() => {
  const found = [];
  for (const quiz of document.querySelectorAll('.course-quiz')) {
    const boxes = [...quiz.querySelectorAll('*'), quiz];
    let n = quiz.parentElement;
    for (; n && !n.classList.contains('jp-OutputArea'); n = n.parentElement) boxes.push(n);
    for (const el of boxes) {
      const style = getComputedStyle(el).overflowX;
      if ((style === 'auto' || style === 'scroll') && el.scrollWidth > el.clientWidth)
        found.push(`${el.className} (${el.scrollWidth} > ${el.clientWidth})`);
    }
  }
  return found;
}"""


def _no_sideways_scrolling(page, theme: str) -> None:
    """At a laptop's and a narrow window's width no quiz box scrolls sideways."""
    for width in (WIDTH, 800):
        page.set_viewport_size({"width": width, "height": 1000})
        page.wait_for_timeout(500)
        scrolling = page.evaluate(_SIDEWAYS)
        page.screenshot(path=str(SHOTS / f"quiz-{width}-{theme}.png"))
        assert not scrolling, f"{theme}, {width} px: boxes that scroll sideways: {scrolling}"
    page.set_viewport_size({"width": WIDTH, "height": 1000})


def test_readable_in_light_and_dark_theme(page, lab):
    cell = _shown_quiz(page, f'quiz.show("{QUIZ_BANK}")')
    box = _question_box(cell, 0)
    _choose(box, box.locator(".course-quiz-option").first.inner_text().split(".", 1)[1].strip())
    box.locator(".course-quiz-check").click()
    box.locator(".course-quiz-explain").click()
    box.locator(".course-quiz-explanation div").first.wait_for()
    light, where = _worst_contrast(page)
    assert light >= MIN_CONTRAST, f"light theme: contrast {light:.2f} at {where!r}"
    _no_sideways_scrolling(page, "light")
    _use_theme(lab, "JupyterLab Dark")
    page.reload()
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'")
    cell = _shown_quiz(page, f'quiz.show("{QUIZ_BANK}")')
    box = _question_box(cell, 0)
    _choose(box, box.locator(".course-quiz-option").first.inner_text().split(".", 1)[1].strip())
    box.locator(".course-quiz-check").click()
    box.locator(".course-quiz-feedback div").first.wait_for()
    _run_cell(page, f'flashcards.show("{DECK}")').get_by_role("button", name="Flip").wait_for()
    page.wait_for_timeout(1000)  # the theme's stylesheet settles
    dark, where = _worst_contrast(page)
    page.screenshot(path=str(SHOTS / "dark-theme.png"), full_page=True)
    assert dark >= MIN_CONTRAST, f"dark theme: contrast {dark:.2f} at {where!r}"
    _no_sideways_scrolling(page, "dark")


def _api(lab: str, path: str, method: str = "GET"):
    """JupyterLab's REST API, with the test's token."""
    base, token = lab.split("/lab/tree/")[0], lab.split("token=")[1]
    request = urllib.request.Request(
        f"{base}{path}", method=method, headers={"Authorization": f"token {token}"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read()
    return json.loads(body) if body else None


def _wait_kernels_idle(lab: str, count: int, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            kernels = _api(lab, "/api/kernels")
        except OSError:  # the server can answer 500 while a kernel is still starting
            kernels = []
        if sum(k.get("execution_state") == "idle" for k in kernels) >= count:
            return
        time.sleep(0.5)
    raise AssertionError(f"kernels never all idle: {_api(lab, '/api/kernels')}")


def test_opening_a_lesson_leaves_it_unmodified(lab, browser, served):
    """JupyterLab writes the kernel's name and language_info into a notebook it opens; stored
    exactly so, a lesson stays clean (no autosave rewrites it). Stored by another Python
    patch version, it is marked modified, and saving changes that one line only."""
    base, token = lab.split("/lab/tree/")[0], lab.split("token=")[1]
    kernels_before = len(_api(lab, "/api/kernels"))
    tab = browser.new_page(viewport={"width": WIDTH, "height": 1000})
    tab.set_default_timeout(60_000)
    tab.goto(f"{base}/lab/workspaces/lessons/tree/lessons?token={token}&reset")
    names = [path.name for path in LESSONS] + [OTHER_PYTHON]
    for name in names:
        tab.locator(".jp-DirListing-item", has_text=name).first.dblclick()
        tab.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text=name).first.wait_for()
    _wait_kernels_idle(lab, kernels_before + len(names))
    tab.wait_for_timeout(4000)  # JupyterLab sets the kernel's metadata once it is connected
    dirty = tab.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.jp-mod-dirty").all_inner_texts()
    tab.screenshot(path=str(SHOTS / "lessons-opened.png"))
    assert [name.strip() for name in dirty] == [OTHER_PYTHON], dirty
    for path in LESSONS:
        assert (served / "lessons" / path.name).read_bytes() == path.read_bytes(), path.name

    other = served / "lessons" / OTHER_PYTHON
    before = other.read_text(encoding="utf-8").splitlines()
    tab.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text=OTHER_PYTHON).first.click()
    tab.keyboard.press("Control+s")
    deadline = time.monotonic() + 20
    while other.read_text(encoding="utf-8").splitlines() == before:
        assert time.monotonic() < deadline, "the save never reached the file"
        time.sleep(0.2)
    after = other.read_text(encoding="utf-8").splitlines()
    changed = [(old, new) for old, new in zip(before, after, strict=True) if old != new]
    assert len(changed) == 1 and '"version": "3.0.0"' in changed[0][0], changed
    for session in _api(lab, "/api/sessions"):
        if session["path"].startswith("lessons/"):
            _api(lab, f"/api/sessions/{session['id']}", method="DELETE")
    tab.close()
