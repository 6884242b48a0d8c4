"""Benchmark every lesson: wall time, peak memory and every checkpoint, over seeds.

    python tools/bench.py --seeds 3            # all lessons, default (learner's) mode
    python tools/bench.py --seeds 1 01_cnn     # one lesson
    python tools/bench.py --seeds 2 --first-seed 45 06_gans   # seeds 45 and 46 only
    python tools/bench.py --merge results/bench-*.json   # one table from saved runs

The table gives, per checkpoint, the margin as a share of the spread: how far the worst seed's
value lies from the target, in units of the values' range over the seeds (``max - min``). A
margin of 0.3 means the target sits inside a third of a spread from the worst value: one more
seed could well miss it. ``∞`` means every seed printed the same value.

Each run executes a notebook in a fresh kernel with ``COURSE_RESULTS`` and ``COURSE_SEED``
set, then prints a markdown table (median and min-max over seeds) and writes the same data
as JSON under ``results/``. It also times ``import course_utils`` and the set-up cell.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
PEAK_MARK = "BENCH_PEAK_RSS_KB"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
PEAK_CELL = (
    f"import resource\nprint('{PEAK_MARK}', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
)


def machine() -> dict:
    """CPU count, processor, GPU (if ``nvidia-smi`` finds one) and package versions."""
    gpu = ""
    if shutil.which("nvidia-smi"):
        query = ["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"]
        done = subprocess.run(query, capture_output=True, text=True)
        gpu = ", ".join(line.strip() for line in done.stdout.splitlines() if line.strip())
    versions = {}
    for package in ("tensorflow", "keras", "ipywidgets"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return {
        "cpus": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
        "gpu": gpu or "none",
        "python": platform.python_version(),
        **versions,
        "date": dt.date.today().isoformat(),
    }


def time_import_and_setup() -> dict[str, float]:
    """Seconds for ``import course_utils`` and for the set-up cell, each in a new process."""
    timings = {}
    snippets = {
        "import course_utils": "import course_utils",
        "set-up cell": "import course_utils; course_utils.setup(verbose=False)",
    }
    for name, code in snippets.items():
        timed = f"import time; t = time.perf_counter(); {code}; print(time.perf_counter() - t)"
        done = subprocess.run(
            [sys.executable, "-c", timed], capture_output=True, text=True, check=True
        )
        timings[name] = float(done.stdout.strip().splitlines()[-1])
    return timings


def run_notebook(path: Path, seed: int, fast: bool) -> dict:
    """Execute one notebook in a fresh kernel; return wall time, peak memory, checkpoints."""
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(PEAK_CELL))
    with tempfile.TemporaryDirectory() as scratch:
        results = Path(scratch) / "checkpoints.jsonl"
        env = {"COURSE_RESULTS": str(results), "COURSE_SEED": str(seed), "COURSE_LESSON": path.stem}
        env["COURSE_PROGRESS_DIR"] = str(Path(scratch) / "progress")  # not the learner's store
        env["COURSE_FAST"] = "1" if fast else "0"
        saved = {name: os.environ.get(name) for name in env}
        os.environ.update(env)
        error = ""
        start = time.perf_counter()
        try:
            client = NotebookClient(
                notebook,
                timeout=1800,
                kernel_name="python3",
                resources={"metadata": {"path": str(NOTEBOOKS)}},
            )
            client.execute()
        except Exception as exc:  # a failing lesson is reported in the table, not fatal
            last_line = ANSI.sub("", str(exc)).strip().splitlines()[-1]
            error = f"{type(exc).__name__}: {last_line[:200]}"
        finally:
            seconds = time.perf_counter() - start
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
        checkpoints = (
            [json.loads(line) for line in results.read_text().splitlines()]
            if results.exists()
            else []
        )
    return {
        "seed": seed,
        "seconds": round(seconds, 1),
        "peak_mb": _peak_mb(notebook),
        "checkpoints": checkpoints,
        "error": error,
    }


def _peak_mb(notebook) -> float | None:
    for output in notebook.cells[-1].get("outputs", []):
        text = output.get("text", "")
        if PEAK_MARK in text:
            return round(int(text.split()[-1]) / 1024, 0)
    return None


def _spread(values: list[float], digits: str = ".4g") -> str:
    if not values:
        return "-"
    median = statistics.median(values)
    if len(values) == 1:
        return format(median, digits)
    return f"{median:{digits}} ({min(values):{digits}}–{max(values):{digits}})"


def margin_share(values: list[float], target: str) -> float | None:
    """Distance from the worst value to the target, divided by the values' spread.

    ``target`` is a checkpoint's description (``">= 0.9"``, ``"<= 1e-05"`` or both joined by
    ``" and "``). Negative when some value misses; ``inf`` when every value is the same and
    meets the target; ``None`` without values or a readable target.
    """
    if not values:
        return None
    margins = []
    for part in target.split(" and "):
        sign, _, bound = part.strip().partition(" ")
        try:
            limit = float(bound)
        except ValueError:
            return None
        if sign == ">=":
            margins.append(min(values) - limit)
        elif sign == "<=":
            margins.append(limit - max(values))
        else:
            return None
    margin = min(margins)
    if max(values) == min(values):  # also when every value is infinite
        return float("inf") if margin >= 0 else float("-inf")
    return margin / (max(values) - min(values))


def _format_share(share: float | None) -> str:
    if share is None:
        return "-"
    if math.isinf(share):
        return "∞" if share > 0 else "-∞"
    return f"{share:.2g}"


def _last(points: list[dict], name: str) -> dict | None:
    """The last report of checkpoint ``name`` in one run (a lesson may report it twice)."""
    return next((p for p in reversed(points) if p["name"] == name), None)


def summarise(runs: dict[str, list[dict]]) -> list[dict]:
    """One row per lesson checkpoint: time, memory and value spread over the seeds."""
    rows = []
    for lesson, lesson_runs in runs.items():
        names: dict[str, str] = {}
        for run in lesson_runs:
            for point in run["checkpoints"]:
                names.setdefault(point["name"], point["target"])
        base = {
            "lesson": lesson,
            "seconds": [r["seconds"] for r in lesson_runs],
            "peak_mb": [r["peak_mb"] for r in lesson_runs if r["peak_mb"] is not None],
            "errors": [r["error"] for r in lesson_runs if r["error"]],
        }
        for name, target in names.items() or [("(no checkpoint)", "")]:
            points = [_last(r["checkpoints"], name) for r in lesson_runs]
            points = [p for p in points if p is not None]
            rows.append(
                {
                    **base,
                    "checkpoint": name,
                    "target": target,
                    "values": [p["value"] for p in points],
                    "passed": sum(p["passed"] for p in points),
                    "runs": len(lesson_runs),
                }
            )
    return rows


def markdown(rows: list[dict], info: dict, timings: dict[str, float], seeds: int, mode: str) -> str:
    """The benchmark as a markdown table with the machine and versions above it."""
    lines = [
        f"Machine: {info['cpus']} CPUs ({info['processor']}), GPU: {info['gpu']}; "
        f"Python {info['python']}, TensorFlow {info['tensorflow']}, Keras {info['keras']}; "
        f"{info['date']}; {seeds} seed(s), {mode} mode.",
        "",
        ", ".join(f"{name}: {seconds:.2f} s" for name, seconds in timings.items()),
        "",
        "| lesson | time, s | peak memory, MB | checkpoint | value | target | met "
        "| margin / spread |",
        "|---|---|---|---|---|---|---|---|",
    ]
    shown = set()
    for row in rows:
        first = row["lesson"] not in shown
        shown.add(row["lesson"])
        lesson = row["lesson"] + (
            " ⚠ " + "; ".join(row["errors"]) if row["errors"] and first else ""
        )
        lines.append(
            "| "
            + " | ".join(
                [
                    lesson if first else "",
                    _spread(row["seconds"], ".0f") if first else "",
                    _spread(row["peak_mb"], ".0f") if first else "",
                    row["checkpoint"].replace("|", "\\|"),
                    _spread(row["values"]),
                    row["target"],
                    f"{row['passed']}/{row['runs']}",
                    _format_share(margin_share(row["values"], row["target"])),
                ]
            )
            + " |"
        )
    return "\n".join(lines)


def merged_table(paths: list[Path]) -> str:
    """One table from several saved runs (one lesson or seed at a time); later runs win.

    Runs of the same lesson are gathered across files by seed, so seeds 42-44 from one pass
    and 45-46 from another make one five-seed row; a seed run twice keeps its later run.
    """
    records = [json.loads(path.read_text()) for path in sorted(paths)]
    by_seed: dict[str, dict[int, dict]] = {}
    for record in records:
        for lesson, lesson_runs in record["runs"].items():
            for index, run in enumerate(lesson_runs):
                seed = run.get("seed", record.get("first_seed", 42) + index)
                by_seed.setdefault(lesson, {})[seed] = run
    runs = {lesson: [seeds[s] for s in sorted(seeds)] for lesson, seeds in by_seed.items()}
    last = records[-1]
    seeds = max(len(lesson_runs) for lesson_runs in runs.values())
    ordered = dict(sorted(runs.items()))
    return markdown(summarise(ordered), last["machine"], last["timings"], seeds, last["mode"])


def record_times(paths: list[Path], target: Path) -> dict[str, float]:
    """Write each lesson's median default-mode seconds over the saved runs to ``target``.

    ``tools/time_estimate.py`` reads the file for the compute time in every lesson's header.
    """
    records = [json.loads(path.read_text()) for path in sorted(paths)]
    if any(record["mode"] != "default" for record in records):
        raise SystemExit("--record-times takes default-mode runs only (not --fast)")
    seconds: dict[str, list[float]] = {}
    for record in records:
        for lesson, lesson_runs in record["runs"].items():
            seconds.setdefault(lesson, []).extend(run["seconds"] for run in lesson_runs)
    medians = {lesson: round(statistics.median(values)) for lesson, values in seconds.items()}
    merged = json.loads(target.read_text()) if target.exists() else {}
    merged.update(medians)
    target.write_text(json.dumps(dict(sorted(merged.items())), indent=1) + "\n")
    return medians


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*", help="notebook stems (default: all)")
    parser.add_argument("--seeds", type=int, default=1, help="seeds per lesson (42, 43, ...)")
    parser.add_argument("--first-seed", type=int, default=42, help="the first seed (42)")
    parser.add_argument("--fast", action="store_true", help="COURSE_FAST=1 budgets")
    parser.add_argument("--merge", nargs="+", type=Path, help="saved JSON runs to tabulate")
    parser.add_argument(
        "--record-times",
        action="store_true",
        help="with --merge: write median seconds per lesson to data/compute_seconds.json",
    )
    args = parser.parse_args()
    if args.merge:
        print(merged_table(args.merge))
        if args.record_times:
            record_times(args.merge, ROOT / "data" / "compute_seconds.json")
        return 0
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if args.lessons:
        paths = [p for p in paths if p.stem in args.lessons]
    info = machine()
    timings = time_import_and_setup()
    runs: dict[str, list[dict]] = {}
    for path in paths:
        for seed in range(args.first_seed, args.first_seed + args.seeds):
            print(f"running {path.stem} with seed {seed} ...", file=sys.stderr, flush=True)
            runs.setdefault(path.stem, []).append(run_notebook(path, seed, args.fast))
    mode = "fast" if args.fast else "default"
    rows = summarise(runs)
    table = markdown(rows, info, timings, args.seeds, mode)
    print(table)
    out = ROOT / "results"
    out.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    record = {
        "machine": info,
        "timings": timings,
        "mode": mode,
        "seeds": args.seeds,
        "first_seed": args.first_seed,
        "runs": runs,
    }
    (out / f"bench-{stamp}.json").write_text(json.dumps(record, indent=1))
    (out / f"bench-{stamp}.md").write_text(table + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
