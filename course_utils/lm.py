"""Small language models for lesson 08: a byte-level BPE tokenizer, GPT and BERT in miniature.

One definition serves the lesson, ``tools/pretrain.py`` (which pretrains the models once and
writes ``data/pretrained/``) and the tests, so the committed weights always fit the code.

- :func:`train_bpe` trains a byte-level BPE tokenizer with Hugging Face ``tokenizers``;
- :class:`ModelConfig` and :func:`build_lm` build a decoder-only (GPT, causal mask) or
  encoder-only (BERT, no mask) pre-LN transformer with Keras layers;
- :func:`mlm_mask` draws BERT's masked-language-modelling inputs (15%; 80/10/10);
- :func:`load_pretrained` loads committed weights like a downloaded checkpoint, after checking
  their SHA-256 against ``provenance.json``.

Importing this module imports neither TensorFlow nor Keras.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from course_utils.paths import data_dir

MASK_TOKEN = "[MASK]"
PRETRAINED_DIR_NAME = "data/pretrained"  # as the learner restores it with git


def pretrained_dir() -> Path:
    """The folder that holds the committed tokenizer, weights and ``provenance.json``."""
    return data_dir() / "pretrained"


def train_bpe(texts: Iterable[str], vocab_size: int) -> Any:
    """A byte-level BPE tokenizer (GPT-2 style pre-tokenizer) trained on ``texts``.

    The vocabulary holds :data:`MASK_TOKEN` (id 0), the 256 byte symbols, then the merges
    in the order they were learned, ``vocab_size`` entries in all. Encoding is lossless:
    ``tokenizer.decode(tokenizer.encode(s).ids) == s`` for any text.
    """
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=[MASK_TOKEN],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(list(texts), trainer=trainer)
    return tokenizer


def bpe_merges(tokenizer: Any) -> list[tuple[str, str]]:
    """The tokenizer's merges, in the order they were learned."""
    merges = json.loads(tokenizer.to_str())["model"]["merges"]
    return [tuple(m.split(" ", 1)) if isinstance(m, str) else tuple(m) for m in merges]


def encode(tokenizer: Any, text: str) -> np.ndarray:
    """Token ids of ``text`` as int32, shape ``(n_tokens,)``."""
    return np.asarray(tokenizer.encode(text).ids, dtype=np.int32)


@dataclass(frozen=True)
class ModelConfig:
    """Shape of a miniature transformer: ``vocab_size`` tokens, ``context`` positions,
    ``depth`` pre-LN blocks of width ``width`` with ``heads`` attention heads."""

    vocab_size: int = 1024
    context: int = 128
    width: int = 128
    depth: int = 2
    heads: int = 4
    ffn_mult: int = 4

    def n_params(self) -> int:
        """Parameters of :func:`build_lm` with this shape (embeddings and head included)."""
        d, v = self.width, self.vocab_size
        block = 2 * 2 * d + 4 * (d * d + d) + (d * self.ffn_mult * d + self.ffn_mult * d)
        block += self.ffn_mult * d * d + d
        return v * d + self.context * d + self.depth * block + 2 * d + d * v + v

    def to_dict(self) -> dict[str, int]:
        """Plain dict, for JSON."""
        return asdict(self)


def build_backbone(config: ModelConfig, causal: bool, name: str = "backbone") -> Any:
    """Token ids ``(batch, n)`` -> hidden states ``(batch, n, width)``, ``n <= context``.

    Learned token and position embeddings, ``depth`` pre-LN blocks (layer norm, multi-head
    self-attention, residual; layer norm, GELU feed-forward, residual) and a final layer
    norm. ``causal=True`` gives GPT's mask (position i sees positions <= i); ``False``
    lets every position see every other (BERT).
    """
    import keras
    from keras import layers, ops

    class AddPositions(layers.Layer):
        """Adds a learned vector per position (the first ``n`` rows of a table)."""

        def build(self, input_shape):
            self.table = self.add_weight(
                shape=(config.context, config.width), initializer="random_normal", name="table"
            )

        def call(self, x):
            n = ops.shape(x)[1]
            return x + ops.slice(self.table, (0, 0), (n, config.width))[None]

    ids = keras.Input(shape=(None,), dtype="int32", name="ids")
    tok = layers.Embedding(config.vocab_size, config.width, name="token_embedding")(ids)
    x = AddPositions(name="position_embedding")(tok)
    for i in range(config.depth):
        h = layers.LayerNormalization(epsilon=1e-5, name=f"block{i}_ln1")(x)
        h = layers.MultiHeadAttention(
            config.heads, config.width // config.heads, name=f"block{i}_attention"
        )(h, h, use_causal_mask=causal)
        x = x + h
        h = layers.LayerNormalization(epsilon=1e-5, name=f"block{i}_ln2")(x)
        h = layers.Dense(config.ffn_mult * config.width, activation="gelu", name=f"block{i}_ffn1")(
            h
        )
        x = x + layers.Dense(config.width, name=f"block{i}_ffn2")(h)
    x = layers.LayerNormalization(epsilon=1e-5, name="final_ln")(x)
    return keras.Model(ids, x, name=name)


def build_lm(config: ModelConfig, causal: bool) -> Any:
    """A language model: ids -> logits ``(batch, n, vocab_size)``, backbone as layer 1.

    ``causal=True`` is the GPT (next-token prediction), ``False`` the BERT (masked tokens).
    """
    import keras

    backbone = build_backbone(config, causal)
    ids = keras.Input(shape=(None,), dtype="int32", name="ids")
    logits = keras.layers.Dense(config.vocab_size, name="lm_head")(backbone(ids))
    return keras.Model(ids, logits, name="gpt" if causal else "bert")


def build_classifier(backbone: Any, n_classes: int, name: str = "classifier") -> Any:
    """``backbone`` + mean over positions + a new ``Dense(n_classes)`` head (logits)."""
    import keras

    ids = keras.Input(shape=(None,), dtype="int32", name="ids")
    pooled = keras.layers.GlobalAveragePooling1D(name="mean_pool")(backbone(ids))
    logits = keras.layers.Dense(n_classes, name="head")(pooled)
    return keras.Model(ids, logits, name=name)


def random_windows(ids: np.ndarray, n: int, length: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` windows of ``length`` consecutive ids at random offsets, shape ``(n, length)``."""
    starts = rng.integers(0, len(ids) - length + 1, size=n)
    return ids[starts[:, None] + np.arange(length)[None, :]]


def tiled_windows(ids: np.ndarray, length: int) -> np.ndarray:
    """Non-overlapping windows of ``length + 1`` ids that share their edge token.

    Window k is ``ids[k*length : k*length + length + 1]``, so predicting each window's
    tokens 1..length from the ones before predicts every token of ``ids`` but the first
    exactly once. Shape ``((len(ids) - 1) // length, length + 1)``; the tail is dropped.
    """
    n = (len(ids) - 1) // length
    return ids[np.arange(n)[:, None] * length + np.arange(length + 1)[None, :]]


def mlm_mask(
    ids: np.ndarray,
    rng: np.random.Generator,
    mask_id: int,
    vocab_size: int,
    rate: float = 0.15,
    first_regular_id: int = 1,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """BERT's masked-language-modelling corruption of a batch of ids.

    Each position is chosen with probability ``rate``; a chosen position becomes
    ``mask_id`` 80% of the time, a random regular token (``first_regular_id`` ..
    ``vocab_size - 1``) 10%, and stays unchanged 10%. Returns ``(inputs, targets,
    weights)``: ``targets`` are the original ids, ``weights`` 1.0 at chosen positions (the
    only ones the loss counts) and 0.0 elsewhere. A fresh ``rng`` state gives fresh masks
    (RoBERTa's dynamic masking).
    """
    ids = np.asarray(ids)
    chosen = rng.random(ids.shape) < rate
    action = rng.random(ids.shape)
    inputs = ids.copy()
    inputs[chosen & (action < 0.8)] = mask_id
    random_pos = chosen & (action >= 0.8) & (action < 0.9)
    inputs[random_pos] = rng.integers(first_regular_id, vocab_size, size=int(random_pos.sum()))
    return inputs, ids.copy(), chosen.astype("float32")


def bits_per_char(model: Any, windows: np.ndarray, n_chars: int, batch_size: int = 64) -> float:
    """Held-out bits per character of a causal LM on :func:`tiled_windows` output.

    Sums the negative log2-likelihood of every predicted token and divides by ``n_chars``,
    the number of characters those tokens spell, so the number compares with a character
    model's bits per character on the same text.
    """
    total = 0.0
    for start in range(0, len(windows), batch_size):
        batch = windows[start : start + batch_size]
        logits = np.asarray(model.predict_on_batch(batch[:, :-1]), dtype="float64")
        logits -= logits.max(-1, keepdims=True)
        log_z = np.log(np.exp(logits).sum(-1))
        picked = np.take_along_axis(logits, batch[:, 1:, None].astype(int), -1)[..., 0]
        total += float((log_z - picked).sum())
    return total / math.log(2) / n_chars


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class PretrainedUnavailable(RuntimeError):
    """The committed checkpoint is missing or does not match its checksum."""


_RESTORE = (
    f"Restore it with `git checkout -- {PRETRAINED_DIR_NAME}` or rebuild everything with "
    "`python tools/pretrain.py` (minutes to an hour on a CPU)."
)


def read_provenance(folder: Path | None = None) -> dict[str, Any]:
    """``provenance.json`` of a pretrained folder (default :func:`pretrained_dir`).

    Raises :class:`PretrainedUnavailable` when it is missing, unreadable, not JSON (an empty
    file, a merge conflict) or has no ``sha256`` table of file names and hex digests.
    """
    folder = Path(folder) if folder else pretrained_dir()
    path = folder / "provenance.json"
    if not path.is_file():
        raise PretrainedUnavailable(
            f"{path} is missing. The pretrained weights come with the course repository; "
            "restore them with `git checkout -- data/pretrained` or rebuild them with "
            "`python tools/pretrain.py` (minutes to an hour on a CPU)."
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise PretrainedUnavailable(f"{path} cannot be read ({_reason(err)}). {_RESTORE}") from None
    except ValueError as err:  # JSONDecodeError, UnicodeDecodeError
        raise PretrainedUnavailable(f"{path} is not valid JSON ({err}). {_RESTORE}") from None
    sums = data.get("sha256") if isinstance(data, dict) else None
    if not isinstance(sums, dict) or not all(
        isinstance(name, str) and isinstance(digest, str) for name, digest in sums.items()
    ):
        raise PretrainedUnavailable(
            f"{path} has no 'sha256' table of file names and digests. {_RESTORE}"
        )
    return data


def _reason(err: OSError) -> str:
    return f"{type(err).__name__}: {err.strerror or err}"


def verify_checksums(folder: Path | None = None, required: Iterable[str] = ()) -> dict[str, str]:
    """Check every file listed in ``provenance.json`` against its SHA-256; return them.

    ``required`` names the files the caller will read: each must be listed (a table that
    omits a file would let it load unchecked). Raises :class:`PretrainedUnavailable` with
    what to do when a file is missing, unlisted, unreadable or differs.
    """
    folder = Path(folder) if folder else pretrained_dir()
    expected = read_provenance(folder)["sha256"]
    unlisted = [name for name in required if name not in expected]
    if unlisted:
        raise PretrainedUnavailable(
            f"{folder / 'provenance.json'} lists no SHA-256 for {', '.join(unlisted)}, so it "
            f"cannot be checked. {_RESTORE}"
        )
    for name, digest in expected.items():
        path = folder / name
        if not path.is_file():
            raise PretrainedUnavailable(
                f"{path} is missing: restore it with `git checkout -- {PRETRAINED_DIR_NAME}` "
                "or rebuild with `python tools/pretrain.py`."
            )
        try:
            actual = sha256(path)
        except OSError as err:
            raise PretrainedUnavailable(
                f"{path} cannot be read ({_reason(err)}). {_RESTORE}"
            ) from None
        if actual != digest:
            raise PretrainedUnavailable(
                f"{path} is corrupt or was changed: SHA-256 {actual[:12]}... instead of "
                f"{digest[:12]}.... Restore it with `git checkout -- {PRETRAINED_DIR_NAME}` "
                "or rebuild everything with `python tools/pretrain.py`."
            )
    return dict(expected)


def load_tokenizer(folder: Path | None = None) -> Any:
    """The committed BPE tokenizer, after its checksum is verified."""
    from tokenizers import Tokenizer

    folder = Path(folder) if folder else pretrained_dir()
    verify_checksums(folder, required=("tokenizer.json",))
    return Tokenizer.from_file(str(folder / "tokenizer.json"))


def load_pretrained(kind: str, folder: Path | None = None) -> tuple[Any, dict[str, Any]]:
    """Load ``"gpt"`` or ``"bert"`` as one loads a downloaded checkpoint.

    Verifies every checksum, builds the architecture from the recorded
    :class:`ModelConfig`, loads the weights and returns ``(model, provenance)``.
    """
    if kind not in ("gpt", "bert"):
        raise ValueError("kind must be 'gpt' or 'bert'")
    folder = Path(folder) if folder else pretrained_dir()
    weights = f"{kind}.weights.h5"
    verify_checksums(folder, required=(weights,))
    provenance = read_provenance(folder)
    try:
        config = ModelConfig(**provenance["models"][kind]["config"])
    except (KeyError, TypeError) as err:
        raise PretrainedUnavailable(
            f"{folder / 'provenance.json'} has no configuration for {kind!r} "
            f"({type(err).__name__}: {err}). {_RESTORE}"
        ) from None
    model = build_lm(config, causal=kind == "gpt")
    model.load_weights(folder / weights)
    return model, provenance


def lm_batches(
    ids: np.ndarray,
    causal: bool,
    context: int,
    batch_size: int,
    steps: int,
    seed: int,
    mask_id: int = 0,
    vocab_size: int | None = None,
) -> Any:
    """A Keras ``PyDataset`` of ``steps`` fresh pretraining batches per epoch from ``ids``.

    Every batch of every epoch is new random windows (and, for BERT, new masks: dynamic
    masking), drawn from a generator seeded by ``seed``, the epoch and the batch index, so
    a run is reproducible.
    Causal: ``(x, y)`` with ``y`` the next token of each position. Masked: ``(x, y, w)``
    with ``w`` the chosen positions scaled to mean 1 per batch, so Keras's weighted mean
    loss is the mean over chosen positions.
    """
    import keras

    vocab_size = vocab_size or int(ids.max()) + 1

    class _Batches(keras.utils.PyDataset):
        epoch = 0

        def __len__(self) -> int:
            return steps

        def on_epoch_end(self) -> None:
            self.epoch += 1

        def __getitem__(self, index: int):
            rng = np.random.default_rng([seed, self.epoch, index])
            if causal:
                w = random_windows(ids, batch_size, context + 1, rng)
                return w[:, :-1], w[:, 1:]
            w = random_windows(ids, batch_size, context, rng)
            x, y, weights = mlm_mask(w, rng, mask_id, vocab_size)
            return x, y, weights / max(weights.mean(), 1e-9)

    return _Batches()


def compile_lm(model: Any, steps: int, peak_lr: float = 1e-3, warmup: float = 0.05) -> None:
    """AdamW with a linear warm-up to ``peak_lr`` and a cosine decay over ``steps``."""
    import keras

    warmup_steps = max(1, int(warmup * steps))
    schedule = keras.optimizers.schedules.CosineDecay(
        0.0,
        max(1, steps - warmup_steps),
        alpha=0.05,
        warmup_target=peak_lr,
        warmup_steps=warmup_steps,
    )
    model.compile(
        optimizer=keras.optimizers.AdamW(schedule, weight_decay=0.01, clipnorm=1.0),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=[keras.metrics.SparseCategoricalAccuracy(name="acc")],
    )


def masked_accuracy(
    model: Any, windows: np.ndarray, mask_id: int, vocab_size: int, seed: int = 0
) -> float:
    """Share of BERT-chosen positions (:func:`mlm_mask`, fixed ``seed``) predicted right."""
    x, y, w = mlm_mask(windows, np.random.default_rng(seed), mask_id, vocab_size)
    right = chosen = 0.0
    for start in range(0, len(x), 64):
        logits = np.asarray(model.predict_on_batch(x[start : start + 64]))
        hit = logits.argmax(-1) == y[start : start + 64]
        right += float((hit * w[start : start + 64]).sum())
        chosen += float(w[start : start + 64].sum())
    return right / chosen
