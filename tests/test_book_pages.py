"""The built book (_build/html, from `make book`) in headless Chromium, offline.

Run by `make test-book`, which builds the book from fast-mode executions first. Every lesson
page renders with its figures, math is typeset, no request leaves localhost (any other host is
intercepted and fails the test), search finds a lesson-05 term, a glossary link lands on its
entry, each Colab button opens that page's lesson, a quiz question is answered wrong then right
in the page, and the quiz text keeps a contrast of at least 4.5 in light and dark modes.
Screenshots of both modes go to screenshots/ (git-ignored).
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
import test_browser as base
from test_browser import _CONTRAST, MIN_CONTRAST, ROOT, SHOTS

from course_utils.quiz import load_bank
from course_utils.quiz.questions import SingleChoice

browser = base.browser  # test_browser's Chromium fixture, used here by name
pytestmark = [pytest.mark.book, pytest.mark.browser]

HTML = ROOT / "_build" / "html"
LESSONS = sorted(path.stem for path in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep pytest's output clean
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    """_build/html served on a free local port."""
    if not (HTML / "index.html").is_file():
        pytest.fail("no built book: run `make test-book` (or `make book`) first")
    handler = functools.partial(_Quiet, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class Visit:
    """A browser page that records every request leaving localhost and every failed one."""

    def __init__(self, browser, color_scheme: str = "light") -> None:
        self.context = browser.new_context(viewport={"width": 1200, "height": 900})
        # The theme's switch stores the reader's choice as "mode" (light, dark or auto).
        self.context.add_init_script(f"localStorage.setItem('mode', '{color_scheme}');")
        self.page = self.context.new_page()
        self.outside: list[str] = []
        self.failed: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("response", self._response)

    def _route(self, route) -> None:
        url = route.request.url
        if urlparse(url).hostname in LOCAL_HOSTS or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def _response(self, response) -> None:
        # The browser asks for /favicon.ico by itself; the pages never name one.
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            self.failed.append(f"{response.status} {response.url}")

    def open(self, url: str) -> None:
        self.page.goto(url, wait_until="networkidle")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser) -> Iterator[Visit]:
    view = Visit(browser)
    yield view
    view.close()


def test_every_lesson_page_renders_offline_with_its_figures(site, visit):
    for lesson in LESSONS:
        visit.open(f"{site}/notebooks/{lesson}.html")
        assert visit.page.locator("h1").first.inner_text().strip(), lesson
        images = visit.page.locator("article img")
        broken = images.evaluate_all("(imgs) => imgs.filter(i => !i.naturalWidth).map(i => i.src)")
        assert not broken, (lesson, broken)
        if lesson not in ("09_review",):
            assert images.count() > 0, f"{lesson}: no figure"
    for page in ("index", "GLOSSARY", "results", "authoring"):
        visit.open(f"{site}/{page}.html")
    assert not visit.outside, visit.outside
    assert not visit.failed, visit.failed


def test_math_is_typeset_from_the_local_mathjax(site, visit):
    visit.open(f"{site}/notebooks/05_autoencoders.html")
    visit.page.wait_for_selector("mjx-container", timeout=15_000)
    assert visit.page.locator("mjx-container").count() > 10
    assert visit.page.evaluate("typeof MathJax.typesetPromise") == "function"
    assert not visit.outside and not visit.failed


def test_search_finds_a_lesson_05_term_offline(site, visit):
    visit.open(f"{site}/search.html?q=posterior+collapse")
    results = visit.page.locator("#search-results a")
    results.first.wait_for(timeout=15_000)
    hrefs = results.evaluate_all("(links) => links.map(a => a.getAttribute('href'))")
    assert any("05_autoencoders" in href for href in hrefs), hrefs
    visit.page.screenshot(path=str(SHOTS / "book-search.png"))
    assert not visit.outside


def test_a_glossary_link_lands_on_its_entry(site, visit):
    visit.open(f"{site}/notebooks/05_autoencoders.html")
    link = visit.page.locator('article a[href$="GLOSSARY.html#autoencoder"]').first
    link.click()
    visit.page.wait_for_url("**/GLOSSARY.html#autoencoder")
    entry = visit.page.locator("#autoencoder")
    assert entry.count() == 1 and "autoencoder" in entry.inner_text().lower()
    assert entry.evaluate("(el) => el.getBoundingClientRect().top") < 300  # scrolled to it
    visit.page.screenshot(path=str(SHOTS / "book-glossary.png"))


def test_each_colab_button_opens_its_lesson(site, visit):
    for lesson in LESSONS:
        visit.open(f"{site}/notebooks/{lesson}.html")
        hrefs = visit.page.locator('a[href^="https://colab.research.google.com/"]').evaluate_all(
            "(links) => links.map(a => a.href)"
        )
        assert len(hrefs) >= 2, lesson  # the theme's launch button and the lesson's own link
        assert all(h.endswith(f"/notebooks/{lesson}.ipynb") for h in hrefs), hrefs


def _first_single(lesson: str) -> SingleChoice:
    bank = load_bank(ROOT / "data" / "quizzes" / f"{lesson}.yaml")
    return next(q for q in bank.questions if isinstance(q, SingleChoice) and not q.code)


def _readable_contrast(page) -> float:
    worst = 99.0
    for element in page.locator(
        ".selfcheck-prompt, .selfcheck-options label, .selfcheck-feedback, .selfcheck button"
    ).all():
        if element.is_visible() and element.inner_text().strip():
            worst = min(worst, element.evaluate(_CONTRAST))
    return worst


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_quiz_answered_wrong_then_right_in_the_page(site, browser, scheme):
    view = Visit(browser, scheme)
    lesson = "01_cnn"
    question = _first_single(lesson)
    view.open(f"{site}/notebooks/{lesson}.html")
    assert view.page.evaluate("document.documentElement.dataset.theme") == scheme
    box = view.page.locator(f'.selfcheck-question[data-question="{question.id}"]')
    box.wait_for(timeout=15_000)
    wrong = next(o for o in question.options if not o.correct)
    right = next(o for o in question.options if o.correct)
    feedback = box.locator(".selfcheck-feedback")
    box.locator("label", has_text=wrong.text).first.locator("input").check()
    box.get_by_role("button", name="Check").click()
    assert feedback.inner_text().startswith("✘ Not quite")
    box.locator("label", has_text=right.text).first.locator("input").check()
    box.get_by_role("button", name="Check").click()
    assert feedback.inner_text().startswith("✔ Correct")
    assert box.locator(".selfcheck-explanation").is_visible()
    contrast = _readable_contrast(view.page)
    assert contrast >= MIN_CONTRAST, f"{scheme}: contrast {contrast:.2f}"
    box.scroll_into_view_if_needed()
    view.page.screenshot(path=str(SHOTS / f"book-quiz-{scheme}.png"))
    view.open(f"{site}/notebooks/05_autoencoders.html")
    view.page.screenshot(path=str(SHOTS / f"book-lesson-{scheme}.png"))
    view.open(f"{site}/GLOSSARY.html")
    view.page.screenshot(path=str(SHOTS / f"book-glossary-{scheme}.png"))
    view.open(f"{site}/search.html?q=posterior+collapse")
    view.page.locator("#search-results a").first.wait_for(timeout=15_000)
    view.page.screenshot(path=str(SHOTS / f"book-search-{scheme}.png"))
    assert not view.outside, view.outside
    view.close()


def test_the_published_folder_names_no_outside_script_style_or_font():
    """Static check of every file: only links may leave the site."""
    outside = []
    for path in HTML.rglob("*.html"):
        text = path.read_text(encoding="utf-8", errors="replace")
        for marker in ('<script src="http', '<link rel="stylesheet" href="http', "url(http"):
            if marker in text:
                outside.append(f"{path.relative_to(HTML)}: {marker}")
    assert not outside, outside
    assert Path(HTML / "_static" / "mathjax" / "tex-chtml.js").is_file()


def test_every_glossary_link_of_a_lesson_has_its_entry():
    glossary = (HTML / "GLOSSARY.html").read_text(encoding="utf-8")
    ids = set(re.findall(r'id="([^"]+)"', glossary))
    for lesson in LESSONS:
        page = (HTML / "notebooks" / f"{lesson}.html").read_text(encoding="utf-8")
        anchors = set(re.findall(r'href="\.\./GLOSSARY\.html#([^"]+)"', page))
        assert anchors <= ids, (lesson, sorted(anchors - ids))
        if lesson != "09_review":
            assert anchors, f"{lesson}: no glossary link"
