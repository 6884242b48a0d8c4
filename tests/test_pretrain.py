"""tools/pretrain.py on a tiny budget, and the models of course_utils.lm (TensorFlow)."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from course_utils import lm

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def tiny_checkpoint(tmp_path_factory):
    out = tmp_path_factory.mktemp("pretrained")
    run = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "pretrain.py"), "--tiny", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return out


def test_tiny_run_writes_a_verifiable_checkpoint(tiny_checkpoint):
    provenance = lm.read_provenance(tiny_checkpoint)
    assert provenance["script"] == "tools/pretrain.py --tiny"
    assert set(lm.verify_checksums(tiny_checkpoint)) == {
        "tokenizer.json",
        "gpt.weights.h5",
        "bert.weights.h5",
    }
    for kind in ("gpt", "bert"):
        record = provenance["models"][kind]
        assert record["steps"] == 6 and np.isfinite(record["final_train_loss"])
        assert record["parameters"] == lm.ModelConfig(**record["config"]).n_params()
    assert 0 < provenance["models"]["gpt"]["valid_bits_per_char"] < 20
    assert 0 <= provenance["models"]["bert"]["valid_masked_accuracy"] <= 1


def test_tiny_checkpoint_loads_and_predicts(tiny_checkpoint):
    gpt, provenance = lm.load_pretrained("gpt", tiny_checkpoint)
    tokenizer = lm.load_tokenizer(tiny_checkpoint)
    config = lm.ModelConfig(**provenance["models"]["gpt"]["config"])
    ids = lm.encode(tokenizer, "def f(x):\n    return x\n")[None, : config.context]
    logits = np.asarray(gpt.predict_on_batch(ids))
    assert logits.shape == (1, ids.shape[1], config.vocab_size)
    with pytest.raises(ValueError):
        lm.load_pretrained("t5", tiny_checkpoint)


def test_corrupt_weights_are_refused(tiny_checkpoint, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(tiny_checkpoint, copy)
    data = bytearray((copy / "bert.weights.h5").read_bytes())
    data[-100] ^= 0xFF
    (copy / "bert.weights.h5").write_bytes(bytes(data))
    with pytest.raises(lm.PretrainedUnavailable, match="bert.weights.h5 is corrupt"):
        lm.load_pretrained("bert", copy)


def test_causal_model_ignores_the_future_and_bert_does_not():
    import keras

    config = lm.ModelConfig(vocab_size=50, context=16, width=16, depth=1, heads=2)
    keras.utils.set_random_seed(0)
    ids = np.random.default_rng(0).integers(1, 50, size=(1, 12)).astype("int32")
    changed = ids.copy()
    changed[0, -1] = (changed[0, -1] % 49) + 1
    for causal in (True, False):
        model = lm.build_lm(config, causal=causal)
        assert model.count_params() == config.n_params()
        a, b = np.asarray(model(ids)), np.asarray(model(changed))
        earlier = np.abs(a[0, :-1] - b[0, :-1]).max()
        assert (earlier < 1e-6) if causal else (earlier > 1e-4)
