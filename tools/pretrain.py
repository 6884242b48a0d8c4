"""Pretrain lesson 08's miniature GPT and BERT once, and write them as a checkpoint.

    python tools/pretrain.py                      # the committed run (about 15 min on 2 CPU cores)
    python tools/pretrain.py --tiny --out /tmp/x  # seconds: a smoke test (tests use it)

What it does, in order: trains a byte-level BPE tokenizer on the training part of
``course_utils.data.load_stdlib_source()``; pretrains a decoder-only transformer (GPT) by
next-token prediction and an encoder-only one (BERT) by masked language modelling, each for
a fixed number of steps from a fixed seed; measures the GPT's bits per character and the
BERT's masked-token accuracy on the corpus's ``valid`` part; writes ``tokenizer.json``,
``gpt.weights.h5``, ``bert.weights.h5`` and ``provenance.json`` (script, commit, seed,
steps, corpus, shapes, times, final losses, SHA-256 of every file) plus ``SHA256SUMS``.
Lesson 08 loads the result with ``course_utils.lm.load_pretrained``.

Runs are seeded (data order, masks, initial weights); multi-threaded CPU kernels can still
make the last digits of the weights differ between machines, so checksums are of the files
written, not a promise that a re-run writes identical bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import time
from pathlib import Path

from course_utils import lm
from course_utils.data import load_stdlib_source

ROOT = Path(__file__).resolve().parent.parent

FULL = {
    "vocab": 1024,
    "config": {"vocab_size": 1024, "context": 128, "width": 128, "depth": 2, "heads": 4},
    "gpt_steps": 1000,
    "bert_steps": 1100,
    "batch": 32,
    "peak_lr": 2e-3,
}
TINY = {
    "vocab": 300,
    "config": {"vocab_size": 300, "context": 32, "width": 32, "depth": 1, "heads": 2},
    "gpt_steps": 6,
    "bert_steps": 6,
    "batch": 8,
    "peak_lr": 2e-3,
}


def git_commit() -> str:
    """HEAD, with ``+dirty`` when this script or ``course_utils/lm.py`` differ from it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "tools/pretrain.py", "course_utils/lm.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return head + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def save_compact(model, kind, config, path):
    """Save only the weights (a compiled model's file would also hold the optimizer state)."""
    twin = lm.build_lm(config, causal=kind == "gpt")
    twin.set_weights(model.get_weights())
    twin.save_weights(path)


def write_checksums(out: Path, provenance: dict) -> None:
    """Record the SHA-256 of every file in ``provenance.json`` and ``SHA256SUMS``."""
    files = ["tokenizer.json", "gpt.weights.h5", "bert.weights.h5"]
    provenance["sha256"] = {name: lm.sha256(out / name) for name in files}
    (out / "provenance.json").write_text(json.dumps(provenance, indent=2) + "\n")
    sums = provenance["sha256"].items()
    (out / "SHA256SUMS").write_text("".join(f"{d}  {n}\n" for n, d in sums))


def repack(out: Path) -> int:
    """Re-save both models' weights without optimizer state (same values, smaller files)."""
    from course_utils import setup

    setup(verbose=False)
    provenance = json.loads((out / "provenance.json").read_text())
    for kind in ("gpt", "bert"):
        config = lm.ModelConfig(**provenance["models"][kind]["config"])
        model = lm.build_lm(config, causal=kind == "gpt")
        model.load_weights(out / f"{kind}.weights.h5")
        save_compact(model, kind, config, out / f"{kind}.weights.h5")
    provenance["repacked"] = "weights re-saved without optimizer state (tools/pretrain.py --repack)"
    write_checksums(out, provenance)
    print(f"repacked {out}")
    return 0


def pretrain_one(kind, train_ids, config, steps, batch, seed, peak_lr, mask_id):
    """Build and pretrain one model; return it with its final training loss and seconds."""
    import keras

    keras.utils.set_random_seed(seed)
    model = lm.build_lm(config, causal=kind == "gpt")
    lm.compile_lm(model, steps, peak_lr=peak_lr)
    chunk = max(1, min(100, steps))
    data = lm.lm_batches(
        train_ids, kind == "gpt", config.context, batch, steps, seed, mask_id, config.vocab_size
    )
    start = time.perf_counter()

    class Report(keras.callbacks.Callback):
        def on_train_batch_end(self, step, logs=None):
            if (step + 1) % chunk == 0 or step + 1 == steps:
                print(
                    f"  {kind} step {step + 1:5d}/{steps}  loss {logs['loss']:.3f}  "
                    f"{time.perf_counter() - start:6.0f} s",
                    flush=True,
                )

    history = model.fit(data, epochs=1, verbose=0, callbacks=[Report()])
    return model, float(history.history["loss"][-1]), time.perf_counter() - start


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line's options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=lm.pretrained_dir())
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--tiny", action="store_true", help="a smoke test on a tiny budget")
    parser.add_argument("--gpt-steps", type=int)
    parser.add_argument("--bert-steps", type=int)
    parser.add_argument(
        "--only",
        choices=("gpt", "bert"),
        help="pretrain one model, keeping the folder's tokenizer and the other model",
    )
    parser.add_argument(
        "--repack",
        action="store_true",
        help="re-save the folder's weights without optimizer state and update the checksums",
    )
    return parser.parse_args(argv)


def make_plan(args: argparse.Namespace) -> dict:
    """The budget: TINY or FULL, with the step counts the command line overrides."""
    plan = dict(TINY if args.tiny else FULL)
    plan["gpt_steps"] = args.gpt_steps or plan["gpt_steps"]
    plan["bert_steps"] = args.bert_steps or plan["bert_steps"]
    return plan


def get_tokenizer(args: argparse.Namespace, plan: dict, train_text: str):
    """The folder's tokenizer under ``--only``; else a BPE trained on ``train_text``, saved."""
    if args.only:
        from tokenizers import Tokenizer

        return Tokenizer.from_file(str(args.out / "tokenizer.json"))
    tokenizer = lm.train_bpe([train_text], plan["vocab"])
    tokenizer.save(str(args.out / "tokenizer.json"))
    return tokenizer


def model_record(kind, model, loss, seconds, config, plan, valid_ids, tokenizer, mask_id) -> dict:
    """A pretrained model's provenance entry: budget, training and its validation score."""
    steps = plan[f"{kind}_steps"]
    entry = {
        "objective": "next-token prediction" if kind == "gpt" else "masked tokens 15% 80/10/10",
        "config": config.to_dict(),
        "parameters": int(model.count_params()),
        "steps": steps,
        "batch": plan["batch"],
        "tokens_seen": steps * plan["batch"] * config.context,
        "peak_lr": plan["peak_lr"],
        "train_seconds": round(seconds, 1),
        "final_train_loss": round(loss, 4),
    }
    if kind == "gpt":
        windows = lm.tiled_windows(valid_ids, config.context)
        n_chars = len(tokenizer.decode(windows[:, 1:].reshape(-1).tolist()))
        entry["valid_bits_per_char"] = round(lm.bits_per_char(model, windows, n_chars), 4)
    else:
        windows = lm.tiled_windows(valid_ids, config.context)[:, 1:]
        acc = lm.masked_accuracy(model, windows, mask_id, config.vocab_size)
        entry["valid_masked_accuracy"] = round(acc, 4)
    return entry


def resave_other(out: Path, only: str, config) -> None:
    """Under ``--only``: re-save the other model's weights without optimizer state."""
    other = "bert" if only == "gpt" else "gpt"
    kept = lm.build_lm(config, causal=other == "gpt")
    kept.load_weights(out / f"{other}.weights.h5")
    save_compact(kept, other, config, out / f"{other}.weights.h5")


def provenance_record(args, plan, corpus_sizes: dict, models: dict, seconds: float) -> dict:
    """What ``provenance.json`` says of the run: script, commit, seed, machine, versions,
    corpus, tokenizer, models and time."""
    import keras
    import tensorflow as tf

    return {
        "script": "tools/pretrain.py"
        + (" --tiny" if args.tiny else "")
        + (f" (then --only {args.only})" if args.only else ""),
        "commit": git_commit(),
        "seed": args.seed,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU threads",
        "versions": {
            "python": platform.python_version(),
            "tensorflow": tf.__version__,
            "keras": keras.__version__,
        },
        "corpus": {"loader": "course_utils.data.load_stdlib_source()", **corpus_sizes},
        "tokenizer": {"kind": "byte-level BPE (tokenizers)", "vocab_size": plan["vocab"]},
        "models": models,
        "total_seconds": round(seconds, 1),
    }


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: tokenizer, then each model pretrained, scored and saved, then
    the provenance and checksums."""
    args = parse_args(argv)
    if args.repack:
        return repack(args.out)
    plan = make_plan(args)

    from course_utils import setup

    setup(seed=args.seed, verbose=False)
    corpus = load_stdlib_source()
    train_text = corpus.train[:200_000] if args.tiny else corpus.train
    valid_text = corpus.valid[:20_000] if args.tiny else corpus.valid
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    previous = json.loads((args.out / "provenance.json").read_text()) if args.only else {}
    tokenizer = get_tokenizer(args, plan, train_text)
    mask_id = tokenizer.token_to_id(lm.MASK_TOKEN)
    train_ids = lm.encode(tokenizer, train_text)
    valid_ids = lm.encode(tokenizer, valid_text)
    print(f"tokenizer: {plan['vocab']} tokens; train {len(train_ids):,} tokens", flush=True)
    config = lm.ModelConfig(**plan["config"])

    models = dict(previous.get("models", {}))
    for kind in (args.only,) if args.only else ("gpt", "bert"):
        steps = plan[f"{kind}_steps"]
        model, loss, seconds = pretrain_one(
            kind, train_ids, config, steps, plan["batch"], args.seed, plan["peak_lr"], mask_id
        )
        save_compact(model, kind, config, args.out / f"{kind}.weights.h5")
        entry = model_record(
            kind, model, loss, seconds, config, plan, valid_ids, tokenizer, mask_id
        )
        print(kind, json.dumps(entry), flush=True)
        models[kind] = entry

    if args.only:
        resave_other(args.out, args.only, config)
        models[args.only]["command"] = f"tools/pretrain.py --only {args.only}"
    corpus_sizes = {
        "train_chars": len(train_text),
        "valid_chars": len(valid_text),
        "train_tokens": len(train_ids),
        "valid_tokens": len(valid_ids),
    }
    seconds = time.perf_counter() - started + (previous.get("total_seconds", 0) if args.only else 0)
    provenance = provenance_record(args, plan, corpus_sizes, models, seconds)
    write_checksums(args.out, provenance)
    print(f"wrote {args.out} in {provenance['total_seconds']:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
