"""A learner's path in a real browser: JupyterLab in headless Chromium, driven by Playwright.

Starts JupyterLab from this environment on a free local port with a token, opens the welcome
lesson, runs its quiz cell, answers a question, presses Check and reads the feedback; then
flips a flashcard, marks it known, and checks that the progress store changed. Screenshots go
to ``screenshots/`` (git-ignored). Uses Debian's ``chromium`` when installed, else Playwright's
own Chromium; ``tools/get_browser.sh`` (run by ``make test-browser``) installs one.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "screenshots"
LESSON = "notebooks/00_welcome.ipynb"
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


@pytest.fixture(scope="module")
def progress_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("browser-progress")


@pytest.fixture(scope="module")
def lab(tmp_path_factory, progress_dir) -> Iterator[str]:
    """JupyterLab on a free port; yields the URL of the welcome lesson with its token."""
    home = tmp_path_factory.mktemp("jupyter-home")
    settings = home / "lab-settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # Render every cell (no virtual scrolling), so the test can find cells by their text.
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    notices = home / "lab-settings" / "@jupyterlab" / "apputils-extension"
    notices.mkdir(parents=True)
    (notices / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    # Serve a copy: JupyterLab autosaves, and the committed notebook must stay output-free.
    served = home / "served"
    (served / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / LESSON, served / LESSON)
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
    command = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}",
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
        yield f"{base}/lab/tree/{LESSON}?token={token}"
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def page(lab):
    try:
        from playwright import sync_api as playwright_api
    except ImportError:
        pytest.fail("Playwright is missing: pip install -r requirements-dev.txt")
    executable = _chromium()
    SHOTS.mkdir(exist_ok=True)
    with playwright_api.sync_playwright() as driver:
        try:
            browser = driver.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        except playwright_api.Error as err:
            pytest.fail(
                f"No Chromium could be started ({str(err).splitlines()[0]}). Run "
                "`bash tools/get_browser.sh` (what `make test-browser` does first), or install "
                "Debian's package: `sudo apt-get install chromium`."
            )
        tab = browser.new_page(viewport={"width": 1400, "height": 1000})
        tab.set_default_timeout(60_000)
        tab.goto(lab)
        tab.locator(".jp-Notebook .jp-Cell").first.wait_for()
        yield tab
        browser.close()


def _run_cell(page, text: str):
    """Run the code cell whose source contains ``text``; return its locator."""
    cell = page.locator(".jp-CodeCell", has_text=text).first
    cell.scroll_into_view_if_needed()
    cell.locator(".jp-InputArea-editor").click()
    page.keyboard.press("Shift+Enter")
    return cell


def _first_single_choice() -> tuple[int, str, str]:
    """Index, a wrong option and the right option of the welcome quiz's first single choice."""
    bank = yaml.safe_load((ROOT / "data" / "quizzes" / "00_welcome.yaml").read_text())
    for index, question in enumerate(bank["questions"]):
        if question["type"] == "single":
            right = next(o["text"] for o in question["options"] if o["correct"])
            wrong = next(o["text"] for o in question["options"] if not o["correct"])
            return index, wrong, right
    raise AssertionError("the welcome quiz has no single-choice question")


def _stored(progress_dir: Path) -> dict:
    path = progress_dir / "progress.json"
    return json.loads(path.read_text()) if path.exists() else {}


def test_quiz_answer_check_and_feedback(page, progress_dir):
    index, wrong, right = _first_single_choice()
    cell = _run_cell(page, 'quiz.show("00_welcome")')
    check = cell.get_by_role("button", name="Check").nth(index)
    check.wait_for(timeout=120_000)

    cell.locator(".widget-radio-box label", has_text=wrong).click()
    check.click()
    cell.get_by_text("✘ Not quite").first.wait_for()

    cell.locator(".widget-radio-box label", has_text=right).click()
    check.click()
    cell.get_by_text("✔ Correct").first.wait_for()
    cell.get_by_text("Attempts: 2").first.wait_for()
    page.screenshot(path=str(SHOTS / "quiz-feedback.png"), full_page=True)

    questions = _stored(progress_dir)["quizzes"]["00_welcome"]
    assert [entry["attempts"] for entry in questions.values()] == [2]


def test_flashcard_flip_and_mark(page, progress_dir):
    before = _stored(progress_dir).get("flashcards", {})
    cell = _run_cell(page, 'flashcards.show("00_welcome")')
    flip = cell.get_by_role("button", name="Flip")
    flip.wait_for(timeout=120_000)
    flip.click()
    cell.get_by_role("button", name="Knew it").click()
    page.screenshot(path=str(SHOTS / "flashcard-marked.png"), full_page=True)

    deadline = time.monotonic() + 10
    while _stored(progress_dir).get("flashcards", {}) == before and time.monotonic() < deadline:
        time.sleep(0.2)
    after = _stored(progress_dir)["flashcards"]
    changed = {key: value for key, value in after.items() if before.get(key) != value}
    assert len(changed) == 1, f"expected one card to move, got {changed}"
    (card,) = changed.values()
    assert card["box"] == 2, "a card marked 'Knew it' moves from box 1 to box 2"
