"""course_utils.lm: the tokenizer, windows, BERT's masking, checksums, and pretrained files
that are broken, incomplete or unreadable."""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from course_utils import lm

TEXT = "def get(self):\n    return self.value\n\ndef set(self, value):\n    self.value = value\n"


def test_bpe_round_trip_and_merges_in_order():
    tokenizer = lm.train_bpe([TEXT * 20], vocab_size=1 + 256 + 12)
    assert tokenizer.get_vocab_size() == 1 + 256 + 12
    assert tokenizer.token_to_id(lm.MASK_TOKEN) == 0
    merges = lm.bpe_merges(tokenizer)
    assert len(merges) == 12 and all(len(m) == 2 for m in merges)
    for text in (TEXT, "ünïcode ✓ and tabs\t\n", ""):
        assert tokenizer.decode(lm.encode(tokenizer, text).tolist()) == text
    ids = lm.encode(tokenizer, TEXT)
    assert ids.dtype == np.int32 and len(ids) < len(TEXT.encode())


def test_windows():
    ids = np.arange(100, dtype=np.int32)
    tiled = lm.tiled_windows(ids, 10)
    assert tiled.shape == (9, 11)
    assert (tiled[1:, 0] == tiled[:-1, -1]).all()  # neighbours share their edge token
    predicted = tiled[:, 1:].reshape(-1)
    assert (predicted == np.arange(1, 91)).all()  # every token but the first, once
    windows = lm.random_windows(ids, 50, 7, np.random.default_rng(0))
    assert windows.shape == (50, 7) and (np.diff(windows, axis=1) == 1).all()
    assert windows.max() <= 99


def test_mlm_mask_rates_and_targets():
    ids = np.random.default_rng(1).integers(1, 500, size=(400, 128))
    inputs, targets, weights = lm.mlm_mask(ids, np.random.default_rng(2), 0, 500)
    chosen = weights.astype(bool)
    assert (targets == ids).all() and weights.dtype == np.float32
    assert abs(chosen.mean() - 0.15) < 0.005
    assert (inputs[~chosen] == ids[~chosen]).all()
    masked = (inputs[chosen] == 0).mean()
    same = (inputs[chosen] == ids[chosen]).mean()
    assert abs(masked - 0.8) < 0.02 and abs(same - 0.1) < 0.02
    assert inputs[chosen & (inputs != 0)].min() >= 1  # random tokens are never the mask


def test_mlm_mask_is_dynamic_and_seeded():
    ids = np.arange(1, 1001).reshape(10, 100)
    a = lm.mlm_mask(ids, np.random.default_rng(5), 0, 2000)
    b = lm.mlm_mask(ids, np.random.default_rng(5), 0, 2000)
    c = lm.mlm_mask(ids, np.random.default_rng(6), 0, 2000)
    assert all((x == y).all() for x, y in zip(a, b, strict=True))
    assert not (a[2] == c[2]).all()


def _fake_checkpoint(folder):
    folder.mkdir()
    (folder / "tokenizer.json").write_text("{}")
    (folder / "gpt.weights.h5").write_bytes(b"weights")
    sums = {name: lm.sha256(folder / name) for name in ("tokenizer.json", "gpt.weights.h5")}
    (folder / "provenance.json").write_text(json.dumps({"sha256": sums}))
    return sums


def test_checksums_accept_intact_and_reject_corrupt_or_missing(tmp_path):
    folder = tmp_path / "ckpt"
    sums = _fake_checkpoint(folder)
    assert lm.verify_checksums(folder) == sums
    (folder / "gpt.weights.h5").write_bytes(b"weightz")
    with pytest.raises(lm.PretrainedUnavailable, match="corrupt"):
        lm.verify_checksums(folder)
    (folder / "gpt.weights.h5").unlink()
    with pytest.raises(lm.PretrainedUnavailable, match="missing"):
        lm.verify_checksums(folder)
    shutil.rmtree(folder)
    with pytest.raises(lm.PretrainedUnavailable, match="provenance.json is missing"):
        lm.verify_checksums(folder)


def test_committed_checkpoint_matches_its_checksums():
    provenance = lm.read_provenance()
    sums = lm.verify_checksums()
    assert set(sums) == {"tokenizer.json", "gpt.weights.h5", "bert.weights.h5"}
    listed = (lm.pretrained_dir() / "SHA256SUMS").read_text().split("\n")
    assert sorted(line for line in listed if line) == sorted(f"{d}  {n}" for n, d in sums.items())
    for kind in ("gpt", "bert"):
        record = provenance["models"][kind]
        config = lm.ModelConfig(**record["config"])
        assert record["parameters"] == config.n_params()
        assert record["steps"] > 100 and record["tokens_seen"] > 1_000_000
    assert (
        provenance["script"].startswith("tools/pretrain.py")
        and "--tiny" not in provenance["script"]
    )
    for key in ("commit", "seed", "created", "corpus", "total_seconds"):
        assert key in provenance


def test_import_does_not_pull_in_tensorflow():
    import subprocess
    import sys

    code = "import sys, course_utils.lm; print('tensorflow' in sys.modules, 'keras' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"


# --- Broken, incomplete or unreadable pretrained files -------------------------------------------


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
