"""The glossary in a real browser: JupyterLab in headless Chromium, driven by Playwright.

Reuses the JupyterLab and Chromium fixtures of ``tests/test_browser.py`` with a notebook of
its own: the glossary widget and ``glossary.define``. With the keyboard only, it searches the
glossary, opens a definition, opens a related term and adds a term to the flashcards, in
JupyterLab's light and dark themes, checking that every text reads with a contrast of at
least 4.5. It also follows a lesson's glossary link into ``GLOSSARY.md``. Screenshots go to
``screenshots/glossary-*.png``.
"""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator

import pytest
import test_browser as base
from test_browser import MIN_CONTRAST, ROOT, SHOTS, _run_cell, _use_theme, _wait_stored

# The JupyterLab and Chromium fixtures of test_browser, used here by name.
lab, page, progress_dir, served, browser = (
    base.lab,
    base.page,
    base.progress_dir,
    base.served,
    base.browser,
)

pytestmark = pytest.mark.browser

SHOW = "glossary.show()"
DEFINE = 'glossary.define("BPTT")'
_READABLE = (
    ".course-glossary .widget-html-content, .course-glossary .widget-htmlmath-content div, "
    ".course-glossary button, .course-glossary .widget-label, .course-glossary input"
)


def _glossary_notebook() -> dict:
    cells = [
        f"from course_utils import glossary\n{SHOW}",
        f"from course_utils import glossary\n{DEFINE}",
    ]
    return base.code_notebook(cells, "g")


@pytest.fixture(scope="module", autouse=True)
def _serve_the_glossary_notebook() -> Iterator[None]:
    """``lab`` (from test_browser) serves what ``_notebook()`` returns: the glossary cells."""
    original = base._notebook
    base._notebook = _glossary_notebook
    yield
    base._notebook = original


def _shown_glossary(page):
    """Run the glossary cell and wait until its search box is drawn."""
    cell = _run_cell(page, SHOW)
    try:
        cell.locator(".course-glossary-search input").wait_for(timeout=120_000)
    except Exception as err:  # show what the cell printed instead of a bare timeout
        page.screenshot(path=str(SHOTS / "glossary-not-drawn.png"), full_page=True)
        raise AssertionError(f"the glossary was not drawn:\n{cell.inner_text()[-3000:]}") from err
    return cell


def _search_by_keyboard(page, cell, text: str, expected: str, count: int) -> None:
    """Type ``text`` into the search box, then wait until the kernel has filtered on all of
    it (``count`` matches): every keystroke rebuilds the list, and a button replaced after
    Tab reached it would drop the keyboard focus."""
    box = cell.locator(".course-glossary-search input")
    box.focus()
    box.fill("")
    page.keyboard.type(text, delay=60)
    note = "1 term matches." if count == 1 else f"{count} terms match."
    _wait_text(cell.locator(".course-glossary"), note)
    cell.locator(".course-glossary-term", has_text=expected).first.wait_for()


def _tab_to_button(page, text: str, limit: int = 60) -> None:
    """Press Tab until a button whose text contains ``text`` has the focus."""
    probe = "() => [document.activeElement.tagName, document.activeElement.innerText || '']"
    for _ in range(limit):
        tag, label = page.evaluate(probe)
        if tag == "BUTTON" and text in label:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached the button {text!r}")


def _worst_contrast(page) -> tuple[float, str]:
    worst = (99.0, "")
    for element in page.locator(_READABLE).all():
        if not element.is_visible():
            continue
        is_input = element.evaluate("e => e.tagName === 'INPUT'")
        label = (element.input_value() if is_input else element.inner_text()).strip()
        if not label:
            continue
        worst = min(worst, (element.evaluate(base._CONTRAST), label[:60]))
    return worst


def _wait_text(locator, text: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while text not in locator.inner_text():
        assert time.monotonic() < deadline, f"{text!r} never appeared in {locator.inner_text()!r}"
        time.sleep(0.2)


def test_search_and_open_a_definition_by_keyboard(page, progress_dir):
    cell = _shown_glossary(page)
    _search_by_keyboard(page, cell, "bptt", "backpropagation through time", 2)
    _tab_to_button(page, "backpropagation through time")
    page.keyboard.press("Enter")
    entry = cell.locator(".course-glossary-entry")
    _wait_text(entry, "Taught in:")
    assert "backpropagation through time" in entry.inner_text()
    _tab_to_button(page, "→ truncated BPTT")  # a related term, by keyboard too
    page.keyboard.press("Space")
    _wait_text(entry, "Backpropagating only through the last")
    _tab_to_button(page, "Add to my flashcards")  # where the focus went (ipywidgets 8)
    page.keyboard.press("Enter")
    _wait_text(cell, "Added 'truncated BPTT' to your flashcards")
    _wait_stored(progress_dir, lambda s: s["flashcards"]["glossary/truncated-bptt"])
    page.screenshot(path=str(SHOTS / "glossary-light.png"), full_page=True)


def test_enter_in_the_search_box_opens_the_first_match(page):
    cell = _shown_glossary(page)
    _search_by_keyboard(page, cell, "over-fitting", "over-fitting", 1)
    page.wait_for_timeout(300)  # the typed value reaches the kernel before Enter does
    page.keyboard.press("Enter")
    _wait_text(cell.locator(".course-glossary-entry"), "training loss keeps falling")
    focused = page.evaluate("() => document.activeElement.value")
    assert focused == "over-fitting", "Enter moved the focus out of the search box"


def test_define_shows_one_entry_in_the_cell(page):
    cell = _run_cell(page, DEFINE)
    output = cell.locator(".jp-OutputArea-output").first
    output.wait_for(timeout=120_000)
    _wait_text(output, "backpropagation through time")
    assert "Taught in:" in output.inner_text()


def test_readable_in_light_and_dark_theme(page, lab):
    cell = _shown_glossary(page)
    _search_by_keyboard(page, cell, "dropout", "recurrent dropout", 2)
    cell.locator(".course-glossary-term", has_text="dropout").first.click()
    _wait_text(cell.locator(".course-glossary-entry"), "Taught in:")
    light, where = _worst_contrast(page)
    assert light >= MIN_CONTRAST, f"light theme: contrast {light:.2f} at {where!r}"
    _use_theme(lab, "JupyterLab Dark")
    page.reload()
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'")
    _accept_dialogs(page)
    cell = _shown_glossary(page)
    _search_by_keyboard(page, cell, "gru", "gated recurrent unit", 1)
    _tab_to_button(page, "gated recurrent unit")
    page.keyboard.press("Enter")
    _wait_text(cell.locator(".course-glossary-entry"), "Taught in:")
    page.wait_for_timeout(1000)  # the theme's stylesheet settles
    dark, where = _worst_contrast(page)
    page.screenshot(path=str(SHOTS / "glossary-dark.png"), full_page=True)
    _use_theme(lab, "JupyterLab Light")
    assert dark >= MIN_CONTRAST, f"dark theme: contrast {dark:.2f} at {where!r}"


def _accept_dialogs(page, rounds: int = 3) -> None:
    """Accept what JupyterLab may ask after a reload (seen once after the other tests of this
    module: a modal dialog over the notebook), as a learner would press its default button."""
    page.wait_for_timeout(2000)
    accept = page.locator(".jp-Dialog .jp-mod-accept")
    for _ in range(rounds):
        if not accept.count():
            return
        accept.first.click()
        page.wait_for_timeout(500)


def _put(lab: str, path: str, model: dict) -> None:
    """Save a file into the served folder through Jupyter's contents API."""
    base_url, token = lab.split("/lab/tree/")[0], lab.split("token=")[1]
    request = urllib.request.Request(
        f"{base_url}/api/contents/{path}?token={token}",
        data=json.dumps(model).encode(),
        method="PUT",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status in (200, 201)


def test_a_lesson_link_opens_the_glossary_in_jupyterlab(page, lab):
    """A lesson's link, ``../GLOSSARY.md#dropout``, opens GLOSSARY.md in JupyterLab's Markdown
    viewer, scrolled to the entry."""
    glossary_text = (ROOT / "GLOSSARY.md").read_text(encoding="utf-8")
    _put(lab, "GLOSSARY.md", {"type": "file", "format": "text", "content": glossary_text})
    _put(lab, "notebooks", {"type": "directory"})
    lesson = {
        "cells": [{"cell_type": "markdown", "id": "m0", "metadata": {},
                   "source": "Use [**dropout**](../GLOSSARY.md#dropout) here."}],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                    "name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5,
    }  # fmt: skip
    _put(lab, "notebooks/links.ipynb", {"type": "notebook", "content": lesson})
    page.goto(lab.replace(base.NOTEBOOK, "notebooks/links.ipynb"))
    link = page.locator(".jp-RenderedMarkdown a", has_text="dropout").first
    link.wait_for(timeout=60_000)
    page.wait_for_timeout(2000)
    if page.locator(".jp-Dialog").count():  # a start-up dialog would take the click
        page.keyboard.press("Escape")
    link.click()
    page.locator(".lm-TabBar-tab", has_text="GLOSSARY.md").first.wait_for(timeout=60_000)
    heading = page.locator(".jp-RenderedMarkdown h3", has_text="dropout").first
    heading.wait_for(timeout=60_000)
    page.wait_for_timeout(2000)  # the Markdown viewer scrolls to the fragment
    page.screenshot(path=str(SHOTS / "glossary-link.png"))
    box, height = heading.bounding_box(), page.viewport_size["height"]
    assert box is not None and 0 <= box["y"] < height / 2, f"#dropout is not in view: {box}"
