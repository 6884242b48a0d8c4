"""Issue 28, checkpoints, pretrained files and cached datasets: their own errors, never raw ones.

Each test failed before the fix: ``checkpoint(name, 10**400, ...)`` raised OverflowError; an
empty, conflicted or incomplete ``provenance.json`` gave a raw JSONDecodeError or KeyError; a
table that omits the weights let damaged weights load; unreadable files gave PermissionError.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from course_utils import lm
from course_utils.checkpoint import checkpoint
from course_utils.data import DatasetUnavailable, canonical, load_mnist

# --- checkpoints -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "targets"),
    [
        (10**400, {"at_least": 0.9}),
        (-(10**400), {"at_most": 1}),
        (0.5, {"at_least": 10**400}),
        (0.5, {"at_most": -(10**400)}),
    ],
    ids=["value", "negative value", "at_least", "at_most"],
)
def test_numbers_too_large_for_a_float_are_its_documented_error(value, targets) -> None:
    with pytest.raises(ValueError, match="checkpoint 'accuracy'"):
        checkpoint("accuracy", value, **targets)


# --- pretrained files ------------------------------------------------------------------------


def _checkpoint(folder: Path, provenance_text: str | None = None) -> Path:
    folder.mkdir()
    (folder / "tokenizer.json").write_text("{}", encoding="utf-8")
    (folder / "gpt.weights.h5").write_bytes(b"weights")
    (folder / "bert.weights.h5").write_bytes(b"weights")
    names = ("tokenizer.json", "gpt.weights.h5", "bert.weights.h5")
    sums = {name: lm.sha256(folder / name) for name in names}
    text = json.dumps({"sha256": sums}) if provenance_text is None else provenance_text
    (folder / "provenance.json").write_text(text, encoding="utf-8")
    return folder


CONFLICT = '<<<<<<< HEAD\n{"sha256": {}}\n=======\n{"sha256": {"a": "b"}}\n>>>>>>> theirs\n'


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "is not valid JSON"),
        (CONFLICT, "is not valid JSON"),
        ("[1, 2]", "has no 'sha256' table"),
        ('{"models": {}}', "has no 'sha256' table"),
        ('{"sha256": ["gpt.weights.h5"]}', "has no 'sha256' table"),
        ('{"sha256": {"tokenizer.json": 7}}', "has no 'sha256' table"),
    ],
    ids=["empty", "merge conflict", "a list", "no sha256", "sha256 a list", "digest a number"],
)
def test_a_broken_provenance_is_the_loaders_own_error(tmp_path: Path, text: str, words: str):
    folder = _checkpoint(tmp_path / "ckpt", text)
    for load in (lm.verify_checksums, lm.read_provenance, lm.load_tokenizer):
        with pytest.raises(lm.PretrainedUnavailable, match=words):
            load(folder)
    with pytest.raises(lm.PretrainedUnavailable, match="git checkout -- data/pretrained"):
        lm.load_pretrained("gpt", folder)


def test_weights_missing_from_the_table_are_not_loaded_unchecked(tmp_path: Path) -> None:
    folder = _checkpoint(tmp_path / "ckpt")
    provenance = json.loads((folder / "provenance.json").read_text(encoding="utf-8"))
    del provenance["sha256"]["gpt.weights.h5"]
    (folder / "provenance.json").write_text(json.dumps(provenance), encoding="utf-8")
    (folder / "gpt.weights.h5").write_bytes(b"damaged")
    with pytest.raises(lm.PretrainedUnavailable, match="no SHA-256 for gpt.weights.h5"):
        lm.load_pretrained("gpt", folder)


def test_a_model_missing_from_the_provenance_is_the_loaders_own_error(tmp_path: Path) -> None:
    folder = _checkpoint(tmp_path / "ckpt")
    with pytest.raises(lm.PretrainedUnavailable, match="no configuration for 'gpt'"):
        lm.load_pretrained("gpt", folder)


def test_unreadable_pretrained_files_are_the_loaders_own_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _checkpoint(tmp_path / "ckpt")

    def denied(path: Path) -> str:  # what a file without read permission gives (as non-root)
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(lm, "sha256", denied)
    with pytest.raises(lm.PretrainedUnavailable, match="cannot be read.*Permission denied"):
        lm.verify_checksums(folder)
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: denied(self))
    with pytest.raises(lm.PretrainedUnavailable, match="cannot be read.*Permission denied"):
        lm.read_provenance(folder)


# --- cached datasets -------------------------------------------------------------------------


def test_an_unreadable_cached_dataset_is_the_loaders_own_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COURSE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setenv("COURSE_ALLOW_DOWNLOAD", "0")
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "mnist.npz").write_bytes(b"unreadable")

    def denied(path: Path, algorithm: str) -> str:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(canonical, "_digest", denied)
    with pytest.raises(DatasetUnavailable, match="mnist.npz cannot be read.*Permission denied"):
        load_mnist()
