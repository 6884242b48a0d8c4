"""The benchmark's table: medians and ranges over seeds, misses counted, errors shown."""

import bench


def _run(seconds, value, passed=True, error=""):
    point = {"name": "accuracy", "value": value, "target": ">= 0.9", "passed": passed}
    return {"seconds": seconds, "peak_mb": 900.0, "checkpoints": [point], "error": error}


def test_summary_and_table_over_three_seeds():
    runs = {"01_cnn": [_run(100, 0.95), _run(90, 0.85, passed=False), _run(110, 0.97)]}
    (row,) = bench.summarise(runs)
    assert row["passed"] == 2 and row["runs"] == 3
    info = {
        "cpus": 2, "processor": "x86_64", "gpu": "none", "python": "3.11",
        "tensorflow": "2.20", "keras": "3.13", "date": "2026-11-23",
    }  # fmt: skip
    table = bench.markdown([row], info, {"import course_utils": 0.03}, seeds=3, mode="default")
    expected = "| 01_cnn | 100 (90–110) | 900 (900–900) | accuracy | 0.95 (0.85–0.97) | >= 0.9 |"
    assert expected + " 2/3 | -0.42 |" in table
    assert "2 CPUs" in table and "GPU: none" in table and "3 seed(s)" in table


def test_a_failing_lesson_is_reported_not_hidden():
    runs = {"02_rnn": [_run(50, 0.5, passed=False, error="CheckpointMissed: accuracy")]}
    table = bench.markdown(bench.summarise(runs), bench.machine(), {}, seeds=1, mode="fast")
    assert "⚠ CheckpointMissed" in table and "0/1" in table


def test_pipes_in_checkpoint_names_do_not_break_the_table():
    run = _run(100, 0.95)
    run["checkpoints"][0]["name"] = "NumPy vs Keras, max |diff|"
    table = bench.markdown(bench.summarise({"05_x": [run]}), bench.machine(), {}, 1, "default")
    row = next(line for line in table.splitlines() if line.startswith("| 05_x"))
    assert "max \\|diff\\|" in row
    assert row.replace("\\|", "").count("|") == 9


def test_a_checkpoint_reported_twice_in_one_run_counts_once():
    run = _run(100, 0.95)
    run["checkpoints"].append({**run["checkpoints"][0], "value": 0.96})
    (row,) = bench.summarise({"04_x": [run, _run(90, 0.5, passed=False)]})
    assert row["values"] == [0.96, 0.5] and row["passed"] == 1 and row["runs"] == 2


def test_margin_share_measures_the_worst_seed_against_the_spread():
    assert abs(bench.margin_share([0.95, 0.97, 0.99], ">= 0.9") - 1.25) < 1e-9
    assert abs(bench.margin_share([0.2, 0.3], "<= 0.35") - 0.5) < 1e-9
    assert bench.margin_share([0.2, 0.3], ">= 0.25") < 0  # one seed misses
    assert bench.margin_share([0.5, 0.5], ">= 0.1") == float("inf")
    assert bench.margin_share([float("inf")] * 3, ">= 10") == float("inf")  # every run blew up
    both = bench.margin_share([0.8, 1.2], ">= 0.75 and <= 1.33")
    assert abs(both - 0.125) < 1e-9  # the nearer bound (0.8 - 0.75) decides
    assert bench.margin_share([], ">= 1") is None
    assert bench.margin_share([1.0], "about 1") is None


def test_merge_gathers_seeds_of_one_lesson_from_several_files(tmp_path):
    info = bench.machine()
    first = {"machine": info, "timings": {}, "mode": "default", "seeds": 2, "first_seed": 42}
    first["runs"] = {"01_cnn": [_run(100, 0.95), _run(90, 0.96)]}
    second = {**first, "seeds": 1, "first_seed": 45}
    second["runs"] = {"01_cnn": [{**_run(80, 0.5, passed=False), "seed": 45}]}
    again = {**first, "seeds": 1, "first_seed": 43}
    again["runs"] = {"01_cnn": [{**_run(70, 0.94), "seed": 43}]}
    paths = []
    for index, record in enumerate([first, second, again]):
        path = tmp_path / f"bench-{index}.json"
        path.write_text(bench.json.dumps(record))
        paths.append(path)
    table = bench.merged_table(paths)
    row = next(line for line in table.splitlines() if line.startswith("| 01_cnn"))
    # seeds 42, 43 (the later run: 70 s, 0.94) and 45: three runs, one miss
    assert "| 80 (70–100) |" in row and "0.94 (0.5–0.95)" in row and "2/3" in row
    assert "3 seed(s)" in table
