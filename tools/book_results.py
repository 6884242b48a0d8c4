"""The book's Results page: two figures from the book's own executions, then the bench tables.

* Time per lesson: the seconds each lesson took when the book executed it (this build's
  mode), next to the benchmark's median (``data/compute_seconds.json``, default mode, from
  ``make bench``).
* Bits per character on held-out standard-library source across lessons 02, 03, 04 and 08:
  the values the lessons printed in this build (their checkpoints, recorded through
  ``COURSE_RESULTS``), one corpus across the course.
* ``docs/RESULTS.md`` (the bench tables), so the numbers have one source.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: The checkpoint each language-model lesson prints for held-out bits per character.
BPC_CHECKPOINTS = {
    "02_rnn": "SimpleRNN(128) bits per character, validation modules",
    "03_lstm": "LSTM(128) bits per character, evaluation text",
    "04_gru": "GRU(128) bits per character, evaluation text",
    "08_pretraining": "pretrained GPT, held-out bits per character",
}


def checkpoints(cache: Path, lesson: str) -> dict[str, float]:
    """The checkpoints ``lesson`` printed when the book executed it, by name."""
    path = cache / f"{lesson}.checkpoints.jsonl"
    if not path.is_file():
        return {}
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return {record["name"]: record["value"] for record in records}


def execution_seconds(cache: Path) -> dict[str, float]:
    """Seconds each lesson took in the book's execution, by lesson."""
    seconds = {}
    for meta in sorted(cache.glob("[0-9][0-9]_*.json")):
        seconds[meta.stem] = json.loads(meta.read_text(encoding="utf-8"))["seconds"]
    return seconds


def bits_per_character(cache: Path) -> dict[str, float]:
    """Held-out bits per character by lesson, for the lessons that printed it."""
    found = {}
    for lesson, name in BPC_CHECKPOINTS.items():
        value = checkpoints(cache, lesson).get(name)
        if value is not None:
            found[lesson] = value
    return found


def bench_results(text: str) -> str:
    """``docs/RESULTS.md`` without its title (the page has its own)."""
    return re.sub(r"\A# [^\n]*\n", "", text).strip()


def _svg(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buffer.getvalue()


def figures(cache: Path) -> dict[str, bytes]:
    """The two figures as SVG, by file name (an empty dict when nothing was executed)."""
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.hashsalt"] = "course-book"  # the same figure, the same bytes
    import matplotlib.pyplot as plt

    out = {}
    build = execution_seconds(cache)
    bench = json.loads((ROOT / "data" / "compute_seconds.json").read_text(encoding="utf-8"))
    if build:
        names = sorted(set(build) | set(bench))
        fig, ax = plt.subplots(figsize=(8, 3.2))
        x = range(len(names))
        ax.bar(
            [i - 0.2 for i in x],
            [bench.get(n, 0) for n in names],
            0.4,
            label="benchmark median (default mode)",
        )
        ax.bar([i + 0.2 for i in x], [build.get(n, 0) for n in names], 0.4, label="this build")
        ax.set_xticks(list(x), names, rotation=30, ha="right")
        ax.set_ylabel("seconds")
        ax.set_title(f"Time per lesson (this build: {cache.name} mode)")
        ax.legend(loc="upper left")
        ax.set_ylim(0, 1.25 * max([*build.values(), *bench.values()]))
        out["results_time.svg"] = _svg(fig)
        plt.close(fig)
    bpc = bits_per_character(cache)
    if bpc:
        fig, ax = plt.subplots(figsize=(6, 3))
        ax.bar(list(bpc), list(bpc.values()), color="tab:green")
        for i, value in enumerate(bpc.values()):
            ax.text(i, value, f"{value:.3f}", ha="center", va="bottom")
        ax.set_ylabel("bits per character (lower is better)")
        ax.set_ylim(0, 1.15 * max(bpc.values()))
        ax.set_title(f"Held-out standard-library source ({cache.name} mode)")
        out["results_bpc.svg"] = _svg(fig)
        plt.close(fig)
    return out


def results_page(cache: Path) -> dict[str, bytes]:
    """``results.md`` and its figures, by path in the book's source folder."""
    pictures = figures(cache)
    parts = [
        "# Results\n",
        f"The figures come from the executions this book was built from ({cache.name} mode; "
        "`make book` publishes the learner's default mode, CI builds from fast mode, whose "
        "tiny budgets do not reach the targets). The tables below are the benchmark "
        "(`make bench`), as docs/RESULTS.md keeps them.\n",
    ]
    if "results_time.svg" in pictures:
        parts.append(
            "```{figure} results_time.svg\n:alt: seconds per lesson\n\n"
            "Wall-clock seconds per lesson, kernel start included: the benchmark's median "
            "(default mode) and this build's run.\n```\n"
        )
    if "results_bpc.svg" in pictures:
        parts.append(
            "```{figure} results_bpc.svg\n:alt: bits per character by lesson\n\n"
            "Bits per character on held-out standard-library source, as each lesson printed "
            "it in this build: SimpleRNN (02), LSTM (03), GRU (04), pretrained GPT (08).\n```\n"
        )
    parts.append("## The benchmark\n")
    parts.append(bench_results((ROOT / "docs" / "RESULTS.md").read_text(encoding="utf-8")) + "\n")
    files = {"results.md": "\n".join(parts).encode()}
    files.update(pictures)
    return files
