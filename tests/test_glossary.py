"""course_utils.glossary: loading and refusing files, search, define, static copies, cards and
the widget (driven through ``.value`` and ``.click()``, as under ipywidgets 7.7.1 and 8)."""

from __future__ import annotations

import ast
import html
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import bleach
import ipywidgets as w
import pytest
from fsrs import Rating

from course_utils import dashboard, glossary, progress
from course_utils.content import ContentError
from course_utils.flashcards import schedule
from course_utils.glossary import cards, render
from course_utils.glossary.terms import name_key
from course_utils.glossary.widgets import GlossaryView

ENTRY = """\
  - term: {term}
    anchor: {anchor}
    definition: >-
      A definition long enough for the schema, in one sentence.
    lessons:
      - {{lesson: 02_rnn, section: "Dropout in recurrent layers"}}
"""


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "glossary.yaml"
    path.write_text("terms:\n" + body, encoding="utf-8")
    return path


def _text(value: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", value))


def _submit(text: w.Text) -> None:
    """What the front end sends when Enter is pressed in a Text (ipywidgets 7 and 8)."""
    text._handle_custom_msg({"event": "submit"}, [])


# -- the data ------------------------------------------------------------------------------


def test_name_key_folds_case_hyphens_punctuation_and_plurals() -> None:
    assert name_key("Over-fitting") == name_key("over fitting") == name_key("OVER_FITTING")
    assert name_key("GRUs") == name_key("GRU")
    assert name_key("mini-batches") == name_key("mini-batch")
    assert name_key("probabilities") == name_key("probability")
    assert name_key("loss") == "loss" and name_key("bias") == "bias"
    assert name_key("encoder–decoder") == name_key("encoder-decoder")


def test_a_file_that_breaks_the_schema_names_the_entry(tmp_path: Path) -> None:
    bad = ENTRY.format(term="dropout", anchor="Not A Slug")
    with pytest.raises(ContentError, match=r"term 1: anchor: 'Not A Slug' does not match"):
        glossary.load(_write(tmp_path, bad))


def test_repeated_anchors_names_and_unknown_related_terms_are_refused(tmp_path: Path) -> None:
    twice = ENTRY.format(term="dropout", anchor="dropout") + ENTRY.format(
        term="other", anchor="dropout"
    )
    with pytest.raises(ContentError, match="anchor 'dropout' used by 'dropout' and 'other'"):
        glossary.load(_write(tmp_path, twice))
    same_name = ENTRY.format(term="Drop-out", anchor="a") + ENTRY.format(term="dropout", anchor="b")
    with pytest.raises(ContentError, match="the name 'dropout' belongs to 'a' and 'b'"):
        glossary.load(_write(tmp_path, same_name))
    related = ENTRY.format(term="dropout", anchor="dropout") + "    related: [nowhere]\n"
    with pytest.raises(ContentError, match="related 'nowhere' is no entry's anchor"):
        glossary.load(_write(tmp_path, related))


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        glossary.load(tmp_path / "none.yaml")


def test_search_finds_synonyms_and_other_spellings() -> None:
    assert glossary.search("BPTT")[0].anchor == "backpropagation-through-time"
    assert glossary.search("bptt")[0].anchor == "backpropagation-through-time"
    assert glossary.search("overfitting")[0].anchor == "overfitting"
    assert glossary.search("over fitting")[0].anchor == "overfitting"
    assert glossary.search("minibatch")[0].anchor == "mini-batch"
    assert glossary.search("drop-out")[0].anchor == "dropout"
    assert glossary.search("GRUs")[0].anchor == "gru"


def test_search_ranks_exact_then_prefix_then_word_then_inside() -> None:
    found = [t.anchor for t in glossary.search("att")]
    assert found[0] == "attention"  # a name starts with it: "attention"
    assert found.index("self-attention") < found.index("flatten")  # word start before inside
    assert [t.anchor for t in glossary.search("dropout")][:2] == ["dropout", "recurrent-dropout"]
    assert glossary.search("no such thing at all") == []


def test_an_empty_search_lists_every_term_alphabetically() -> None:
    terms = glossary.search("  ")
    assert len(terms) == len(glossary.load())
    names = [t.term.casefold() for t in terms]
    assert names == sorted(names)


def test_lookup_by_name_synonym_or_anchor() -> None:
    assert glossary.lookup("LSTM").anchor == "lstm"
    assert glossary.lookup("long-short-term-memory").anchor == "lstm"
    assert glossary.lookup("kv-cache").term == "key-value cache"


def test_define_an_unknown_term_suggests_the_closest() -> None:
    with pytest.raises(glossary.UnknownTerm) as caught:
        glossary.define("dropuot")
    assert "No glossary entry for 'dropuot'. Did you mean: dropout" in str(caught.value)
    with pytest.raises(KeyError, match="glossary.show"):
        glossary.define("")


def test_define_shows_one_entry_as_markdown_and_text() -> None:
    shown = glossary.define("drop-out")
    markdown = shown._repr_markdown_()
    assert markdown.startswith("**dropout** (also: drop-out")
    assert "*Taught in:* 01_cnn (5. A real CNN on handwritten digits)" in markdown
    assert "*Related:* over-fitting" in markdown  # related terms by their names
    assert repr(shown).startswith("dropout (also: drop-out")
    assert "Related: over-fitting, recurrent dropout, regularisation" in repr(shown)


def test_the_static_copy_lists_every_entry_and_survives_sanitising() -> None:
    terms = glossary.load()
    page = render.static_html(terms)
    assert page.count("<li>") == len(terms)
    assert "<b>dropout</b>: During training only" in page
    cleaned = bleach.clean(page, tags=bleach.ALLOWED_TAGS, attributes=bleach.ALLOWED_ATTRIBUTES)
    assert cleaned == page  # nbconvert's and JupyterLab's sanitiser keep it whole


def test_glossary_markdown_has_one_anchor_and_heading_per_term() -> None:
    terms = glossary.load()
    text = render.glossary_markdown(terms)
    anchors = re.findall(r'<a id="([a-z0-9-]+)"></a>\n\n### ', text)
    assert sorted(anchors) == sorted(t.anchor for t in terms)
    assert "[over-fitting](#overfitting)" in text  # related links stay inside the page
    assert "[01_cnn](notebooks/01_cnn.ipynb)" in text
    assert text == (Path(__file__).resolve().parent.parent / "GLOSSARY.md").read_text()


def test_importing_the_glossary_imports_no_widget_and_no_tensorflow() -> None:
    code = (
        "import sys, course_utils; from course_utils import glossary; glossary.define('GRU'); "
        "print(sorted(m for m in sys.modules if m.startswith(('ipywidgets', 'tensorflow'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert ast.literal_eval(out.stdout) == []


# -- cards ---------------------------------------------------------------------------------


def test_adding_a_term_makes_a_new_fsrs_card_once() -> None:
    term = glossary.lookup("dropout")
    assert cards.add_card(term) is True
    entry = progress.load()["flashcards"]["glossary/dropout"]
    assert schedule.is_new(entry) and entry["reviews"] == 0
    assert cards.add_card(term) is False  # kept as it is
    assert progress.load()["flashcards"]["glossary/dropout"] == entry


def test_added_terms_make_a_deck_that_fsrs_schedules() -> None:
    for name in ("dropout", "BPTT"):
        cards.add_card(glossary.lookup(name))
    view = glossary.review(seed=1)
    fronts = sorted(card.front for card in view.deck.cards)
    assert fronts == ["What is backpropagation through time?", "What is dropout?"]
    view.flip()
    view.rate(Rating.Good)
    rated = [k for k, e in progress.load()["flashcards"].items() if e.get("reviews") == 1]
    assert len(rated) == 1 and rated[0].startswith("glossary/")


def test_a_card_whose_term_left_the_glossary_is_skipped() -> None:
    progress.update_card("glossary/gone", lambda _: cards.new_card(datetime.now(UTC)))
    assert [c.id for c in cards.deck(glossary.load()).cards] == []


def test_the_dashboard_counts_glossary_cards() -> None:
    now = datetime.now(UTC)
    cards.add_card(glossary.lookup("dropout"))
    cards.add_card(glossary.lookup("GRU"))
    due = schedule.review(None, Rating.Good, now - timedelta(days=5))
    progress.update_card("glossary/gru", lambda _: due)
    view = dashboard.show()
    assert (view.glossary.total, view.glossary.due, view.glossary.new) == (2, 1, 1)
    line = "Glossary cards: 2 terms added, 0 learned, 1 due now, 1 new"
    assert line in repr(view) and line in view._repr_html_()
    page = view._repr_html_()
    sanitised = bleach.clean(page, tags=bleach.ALLOWED_TAGS, attributes=bleach.ALLOWED_ATTRIBUTES)
    assert sanitised == page


def test_the_dashboard_says_when_no_term_was_added() -> None:
    assert "Glossary cards: none yet" in repr(dashboard.show())


# -- the widget ----------------------------------------------------------------------------


@pytest.fixture
def view() -> GlossaryView:
    return glossary.show()


def test_the_widget_is_made_of_core_widgets(view: GlossaryView) -> None:
    assert isinstance(view.search_box, w.Text) and isinstance(view.entry, w.HTMLMath)
    assert all(isinstance(b, w.Button) for b in view.term_buttons)
    assert len(view.term_buttons) == 15  # the first 15 of all terms, A to Z
    assert "terms; the first 15 are listed" in _text(view.matches.value)


def test_typing_filters_the_list_with_synonyms(view: GlossaryView) -> None:
    view.search_box.value = "bptt"
    assert [b.description for b in view.term_buttons] == [
        "backpropagation through time",
        "truncated BPTT",
    ]
    assert _text(view.matches.value) == "2 terms match."
    view.search_box.value = "bpt"
    kept = view.term_buttons[0]
    view.search_box.value = "bptt"  # the same matches: the same buttons, focus kept
    assert view.term_buttons[0] is kept
    view.search_box.value = "henon"
    assert _text(view.matches.value) == "1 term matches."
    view.search_box.value = "zzzz"
    assert view.term_buttons == []
    assert "No term matches 'zzzz'" in _text(view.matches.value)


def test_clicking_a_term_shows_definition_lessons_and_related(view: GlossaryView) -> None:
    view.search_box.value = "dropout"
    view.term_buttons[0].click()
    shown = _text(view.entry.value)
    assert shown.startswith("dropout (also: drop-out, Dropout layer)")
    assert "Taught in: 01_cnn (5. A real CNN on handwritten digits)" in shown
    assert [b.description for b in view.related_buttons] == [
        "→ over-fitting",
        "→ recurrent dropout",
        "→ regularisation",
    ]
    view.related_buttons[1].click()
    assert view.current is not None and view.current.anchor == "recurrent-dropout"


def test_a_related_term_moves_the_focus_to_add_under_ipywidgets_8(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    focused: list[str] = []
    # raising=False: ipywidgets 7.7.1 (Colab) has no focus() to replace
    monkeypatch.setattr(
        w.Button, "focus", lambda self: focused.append(self.description), raising=False
    )
    view = glossary.show()
    view.open(glossary.lookup("dropout"))
    assert focused == []  # a term from the list keeps the focus where it is
    view.related_buttons[0].click()
    assert focused == ["Add to my flashcards"]


def test_enter_in_the_search_box_opens_the_first_match(view: GlossaryView) -> None:
    view.search_box.value = "over-fitting"
    _submit(view.search_box)
    assert view.current is not None and view.current.anchor == "overfitting"
    view.search_box.value = "zzzz"
    _submit(view.search_box)  # nothing matches: nothing changes, no error
    assert view.current.anchor == "overfitting"


def test_add_to_my_flashcards_saves_a_card_and_says_so(view: GlossaryView) -> None:
    assert view.add_button.layout.display == "none"  # no entry open yet
    view.search_box.value = "GRU"
    view.term_buttons[0].click()
    assert view.add_button.layout.display is None
    assert view.add_button.description == "Add to my flashcards"
    view.add_button.click()
    assert "glossary/gru" in progress.load()["flashcards"]
    assert _text(view.feedback.value).startswith("✔ Added 'gated recurrent unit'")
    assert view.add_button.description == "In my flashcards ✔"
    view.add_button.click()
    assert "already in your flashcards" in _text(view.feedback.value)
    again = glossary.show()
    again.open(glossary.lookup("GRU"))
    assert again.add_button.description == "In my flashcards ✔"


def test_the_widget_shows_every_entry_as_text_without_widgets(view: GlossaryView) -> None:
    bundle = view._repr_mimebundle_()
    assert bundle["text/plain"].startswith("Glossary (")
    assert "<b>dropout</b>" in bundle["text/html"]
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == view.widget.model_id


def test_the_widget_needs_no_focus_method_as_under_ipywidgets_7(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delattr(w.DOMWidget, "focus", raising=False)  # absent in 7.7.1
    view = glossary.show()
    view.search_box.value = "GAN"
    _submit(view.search_box)
    view.add_button.click()
    assert view.current is not None and view.current.anchor == "generative-adversarial-network"
