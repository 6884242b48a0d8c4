"""The glossary's content: schema, places that exist, and coverage of the course's terms.

Coverage (issue 29): every term a lesson introduces in bold, every term a flashcard asks
about and every term of the syllabus's glossary has an entry. Bold text that is not a term is
set aside by the rules of :func:`is_term` and the reviewed :data:`NOT_TERMS` list.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import glossary_links
import pytest

from course_utils import flashcards, glossary
from course_utils.glossary.terms import name_key

ROOT = Path(__file__).resolve().parent.parent

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

#: The terms of the syllabus's glossary (``seeds/``, "Glossary"), as it names them.
SEED_GLOSSARY = [
    "Convolutional Neural Networks (CNNs)",
    "Recurrent Neural Networks (RNNs)",
    "Long Short-Term Memory (LSTM)",
    "Autoencoder",
    "Generative Adversarial Networks (GANs)",
]
#: The other concepts the syllabus names (its sections, key concepts and applications).
SEED_CONCEPTS = [
    "convolutional layer", "pooling layers", "fully connected layers", "max pooling",
    "average pooling", "feature maps", "filters", "kernels", "overfitting", "simple RNN",
    "hidden state", "vanishing gradient problem", "long-range dependencies", "memory cells",
    "gating mechanism", "GRU", "encoder", "decoder", "latent space", "bottleneck",
    "dimensionality reduction", "denoising", "anomaly detection", "generator", "discriminator",
    "minimax", "upsampling", "deconvolution", "noise vector", "transformer", "self-attention",
    "machine translation", "text summarization", "question answering", "pretraining",
    "fine-tuning", "transfer learning", "BERT", "GPT", "RoBERTa", "image classification",
    "object detection", "time series forecasting", "language modeling", "speech recognition",
    "image synthesis", "data augmentation", "feature extraction", "unsupervised learning",
    "hierarchy of features",
]  # fmt: skip

#: Reviewed bold text that is not a term: emphasis, interface words, labels of a list.
NOT_TERMS = {
    # the quiz and flashcard buttons, and the run mode's name, in lesson 00
    "again", "check", "default", "easy", "enter", "flip", "good", "hard", "open in colab", "space",
    "tab",
    # emphasis and short labels
    "1", "1,024 tokens", "2-d code", "8-d", "9s", "all", "bracket nesting", "calendar dates",
    "change", "character", "convolutional", "corrupted", "cpu", "dict", "each", "erased", "every",
    "exponentially", "fine", "first", "forget", "freshly initialised", "generate", "indented",
    "input", "its own", "judge", "keras' order", "learnable", "learned", "length", "linear",
    "no bottleneck", "normal", "not", "off", "one", "ordinary, unflipped", "output",
    "parallel computation", "per image", "quality", "read", "same", "same width", "sample",
    "short paths", "sixteen numbers", "strictly greater", "two numbers", "untouched", "untrained",
    "validation anomalies", "written", "wrong", "zero",
    # phrases that describe a run, a list item or a memory aid, not a term
    "10 labelled images per class", "3 vs 4", "40 units instead of 32", "at equal cpu time",
    "by whole modules", "compare with baselines", "couples the input and forget gates",
    "deep learning architectures, hands-on", "far fewer holes", "fine-tuning is done by many",
    "first marked value", "for very long sequences", "from scratch in numpy",
    "i, o, f, c", "in this lesson you will",
    "input, forget, candidate (keras calls it \"c\"), output",
    "inputs relative to the window's last value", "inside a string literal",
    "learn the measure too", "many-to-many, one output per step", "maximises the elbo",
    "mean of per-image psnrs", "module of origin", "more data, bigger batches, longer training",
    "no cell state and no output gate", "no next-sentence prediction", "one prediction per step",
    "only during training", "per input channel", "psnr of the pooled error",
    "ratio of the learning rates", "relative to the window's last value", "reset gate only",
    "same 60 epochs", "seconds per epoch", "strided convolutions instead of pooling",
    "sum of the two marked values", "sum over steps", "taking r1 away",
    "the autoencoders never see them", "the decoder never reads ahead", "two steps later",
    "update gate only", "you will learn to",
    # the review notebook's buttons and headings, and a few emphases in the lessons
    "and peepholes", "come back", "course-wide flashcard deck", "from memory first", "glossary",
    "how to use this notebook", "in this notebook you will", "new round", "noise", "plus",
    "show explanation", "submit", "take the exam again", 'untick "sanitize html"',
}  # fmt: skip


def is_term(text: str) -> bool:
    """Whether a bold phrase names a term, by rules: not a slogan in quotes, not a label or a
    sentence ending in ``:``, ``.``, ``?`` or ``!``, not an exercise, pitfall or lesson title,
    not a numbered item, at most five words, and not in :data:`NOT_TERMS`."""
    cleaned = " ".join(text.split()).strip().lower()
    return not (
        not cleaned
        or cleaned[0] in "\"“'`,["
        or cleaned[-1] in ":.?!"
        or re.match(r"(exercise|pitfall|lesson|next:|\d+\. |going further)", cleaned)
        or len(cleaned.split()) > 5
        or cleaned in NOT_TERMS
        or "=" in cleaned
    )


def _markdown(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def lesson_terms() -> dict[str, set[str]]:
    """Bold phrases that name terms, per lesson."""
    return {
        path.stem: {t for t in glossary_links.bold_texts(_markdown(path)) if is_term(t)}
        for path in NOTEBOOKS
    }


def _candidates(text: str) -> list[str]:
    """The names a bold phrase may be filed under: itself, without a leading article, the part
    before a parenthesis and the part inside it ("Masked language modelling (MLM)")."""
    bare = re.sub(r"^(the|a|an) ", "", text.strip(), flags=re.I)
    inside = re.findall(r"\(([^)]+)\)", bare)
    return [text, bare, re.sub(r"\s*\([^)]*\)", "", bare), *inside]


def _known_names() -> set[str]:
    return {name_key(name) for term in glossary.load() for name in term.names}


def test_the_schema_is_valid_json_schema() -> None:
    import jsonschema

    schema = json.loads((ROOT / "data" / "schemas" / "glossary.schema.json").read_text())
    jsonschema.validators.validator_for(schema).check_schema(schema)


def test_the_glossary_loads_with_unique_anchors_and_names() -> None:
    terms = glossary.load()  # schema, unique anchors and names, related anchors that exist
    assert len(terms) >= 250
    assert len({t.anchor for t in terms}) == len(terms)


def test_every_place_is_a_section_heading_of_its_lesson() -> None:
    headings = {
        path.stem: {
            line.lstrip("#").strip()
            for line in _markdown(path).splitlines()
            if re.match(r"#{2,4} ", line)
        }
        for path in NOTEBOOKS
    }
    wrong = [
        f"{t.anchor}: {p.lesson} / {p.section}"
        for t in glossary.load()
        for p in t.lessons
        if p.section not in headings.get(p.lesson, set())
    ]
    assert not wrong, f"sections that are no heading of their lesson: {wrong}"


def test_definitions_are_one_to_three_sentences() -> None:
    def sentences(text: str) -> int:
        plain = re.sub(r"\$[^$]*\$|`[^`]*`|\b(e\.g|i\.e|et al|vs)\.", "x", text)
        return len(re.findall(r"[.!?](\s|$)", plain))

    wrong = [t.anchor for t in glossary.load() if not 1 <= sentences(t.definition) <= 3]
    assert not wrong, f"definitions that are not 1-3 sentences: {wrong}"


def missing_terms(known: set[str]) -> dict[str, list[str]]:
    """Per lesson, the bold terms none of whose names is in ``known`` (folded names)."""
    missing = {
        lesson: sorted(t for t in found if not any(name_key(c) in known for c in _candidates(t)))
        for lesson, found in lesson_terms().items()
    }
    return {lesson: terms for lesson, terms in missing.items() if terms}


def test_every_bold_lesson_term_has_an_entry() -> None:
    missing = missing_terms(_known_names())
    assert not missing, f"bold lesson terms with no glossary entry: {missing}"


def test_a_missing_entry_is_reported_with_its_lesson() -> None:
    dropout = glossary.lookup("dropout")
    known = {name_key(n) for t in glossary.load() if t is not dropout for n in t.names}
    missing = missing_terms(known)
    assert "dropout" in missing["01_cnn"]
    assert set(missing) == {"01_cnn"}  # dropout is bold only in lesson 01


def test_the_rules_keep_real_terms() -> None:
    found = set().union(*lesson_terms().values())
    assert {"dropout", "hidden state", "posterior collapse", "causal mask"} <= found
    assert len(found) >= 250
    assert not is_term("not") and not is_term('"pad, then mask."') and not is_term("Time:")


@pytest.mark.parametrize("name", SEED_GLOSSARY + SEED_CONCEPTS)
def test_every_syllabus_term_has_an_entry(name: str) -> None:
    short = re.sub(r"\s*\(.*\)", "", name)
    acronym = re.search(r"\((\w+?)s?\)", name)
    assert glossary.search(short) or (acronym and glossary.lookup(acronym.group(1)))
    glossary.lookup(short)  # an exact name or synonym, not only a partial match


#: Reviewed cards that ask about no term: the shape of a lesson, and what one lesson did.
NO_TERM_CARDS = {"00_welcome/lesson-shape", "06_gans/honest-evaluation"}


def test_every_flashcard_asks_about_a_glossary_term() -> None:
    """Each card's front or topic names an entry (a whole name or synonym, as words)."""
    names = sorted(_known_names(), key=len, reverse=True)

    def names_a_term(text: str) -> bool:
        key = f" {name_key(text)} "
        return any(f" {name} " in key for name in names if len(name) > 2)

    missing = [
        f"{card.key}: {card.front}"
        for card in flashcards.load_deck("all").cards
        if card.key not in NO_TERM_CARDS and not names_a_term(f"{card.front} {card.topic}")
    ]
    assert not missing, f"cards that name no glossary term: {missing}"
