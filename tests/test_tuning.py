"""course_utils.tuning: a learning rate per model, chosen on validation data from a grid."""

import math
import random
import time

import numpy as np
import pytest

from course_utils.tuning import Choice, choose_learning_rate, compare_choices


def scores_from(table):
    """A fit_and_score that returns fixed validation scores and records the rates it saw."""
    seen = []

    def fit_and_score(rate):
        seen.append(rate)
        return table[rate]

    fit_and_score.seen = seen
    return fit_and_score


def test_best_inside_the_grid_is_chosen_timed_and_tabled(capsys):
    table = {1e-3: 0.50, 3e-3: 0.20, 1e-2: 0.40}

    def slow_at_middle(rate):
        if rate == 3e-3:
            time.sleep(0.05)
        return table[rate]

    choice = choose_learning_rate(slow_at_middle, [1e-3, 3e-3, 1e-2], name="MLP", seed=1)
    assert choice.best_rate == 3e-3 and choice.best_score == 0.20
    assert not choice.at_edge and choice.edge_advice() == ""
    assert choice.seconds[1] >= 0.05 > choice.seconds[0]
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert "MLP" in lines[0] and "lower is better" in lines[0] and "seed 1" in lines[0]
    chosen = [line for line in lines if "<- chosen" in line]
    assert len(chosen) == 1 and chosen[0].split()[:2] == ["0.003", "0.2000"]
    assert all(f"{rate:g}" in out for rate in table)
    assert "WARNING" not in out


def test_best_at_the_low_end_warns_to_extend_downward(capsys):
    choice = choose_learning_rate(
        scores_from({0.01: 0.1, 0.1: 0.3, 1.0: 0.9}), [0.01, 0.1, 1.0], name="GRU", seed=0
    )
    assert choice.best_rate == 0.01 and choice.at_edge
    out = capsys.readouterr().out
    assert "WARNING" in out and "smallest" in out and "downward" in out
    assert "0.0001, 0.001" in choice.edge_advice()  # the next two rates below, same ratio


def test_best_at_the_high_end_with_accuracy_warns_to_extend_upward(capsys):
    accuracy = {1e-4: 0.6, 1e-3: 0.7, 1e-2: 0.8}
    choice = choose_learning_rate(
        scores_from(accuracy), accuracy, name="CNN", higher_is_better=True, seed=0
    )
    assert choice.best_rate == 1e-2 and choice.at_edge
    out = capsys.readouterr().out
    assert "higher is better" in out and "largest" in out and "upward" in out
    assert "0.1, 1" in choice.edge_advice()


def test_unsorted_grid_is_sorted_and_run_in_order(capsys):
    fit = scores_from({0.3: 2.0, 0.01: 3.0, 0.1: 1.0, 0.03: 1.5})
    choice = choose_learning_rate(fit, [0.3, 0.01, 0.1, 0.03], name="m", seed=0)
    assert fit.seen == [0.01, 0.03, 0.1, 0.3]
    assert choice.grid == (0.01, 0.03, 0.1, 0.3) and choice.scores == (3.0, 1.5, 1.0, 2.0)
    assert choice.best_rate == 0.1 and not choice.at_edge


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("higher_is_better", [False, True])
def test_a_diverged_run_counts_as_worst(capsys, bad, higher_is_better):
    good = (0.4, 0.5) if higher_is_better else (0.5, 0.4)  # 0.01 is best
    fit = scores_from({0.001: good[0], 0.01: good[1], 0.1: bad})
    choice = choose_learning_rate(
        fit, [0.001, 0.01, 0.1], name="m", higher_is_better=higher_is_better, seed=0
    )
    assert choice.best_rate == 0.01 and not choice.at_edge
    assert choice.diverged == (False, False, True)
    last_row = capsys.readouterr().out.splitlines()[-1]
    assert last_row.split() == ["0.1", "diverged", last_row.split()[2]]


def test_every_rate_diverged_is_refused_with_advice(capsys):
    fit = scores_from({0.1: math.nan, 1.0: math.inf, 10.0: math.nan})
    with pytest.raises(ValueError, match="every learning rate.*diverged.*downward"):
        choose_learning_rate(fit, [0.1, 1.0, 10.0], name="m", seed=0)


@pytest.mark.parametrize(
    ("grid", "message"),
    [
        ([0.01], "at least 3 learning rates, got 1"),
        ([0.01, 0.1], "at least 3 learning rates, got 2"),
        ([], "at least 3"),
        ([0.01, 0.1, 0.1], "repeats"),
        ([0.01, -0.1, 0.1], "positive finite"),
        ([0.01, 0.0, 0.1], "positive finite"),
        ([0.01, math.nan, 0.1], "positive finite"),
        ([0.01, "0.1", 1.0], "positive finite"),
    ],
)
def test_bad_grids_are_refused_before_training(grid, message):
    fit = scores_from({})
    with pytest.raises(ValueError, match=message):
        choose_learning_rate(fit, grid, name="m", seed=0)
    assert fit.seen == []


def test_a_score_that_is_not_a_number_is_refused_by_name():
    with pytest.raises(TypeError, match=r"fit_and_score\(0.001\) returned dict"):
        choose_learning_rate(lambda rate: {"loss": 1.0}, [1e-3, 1e-2, 1e-1], name="m", seed=0)


def test_a_failing_run_keeps_the_scores_already_measured(capsys):
    def fit_and_score(rate):
        if rate == 0.1:
            raise RuntimeError("out of memory")
        return rate

    with pytest.raises(RuntimeError, match="out of memory"):
        choose_learning_rate(fit_and_score, [0.1, 0.001, 0.01], name="MLP", seed=0)
    out = capsys.readouterr().out
    assert "MLP: stopped at learning rate 0.1; scores so far: 0.001: 0.0010, 0.01: 0.0100" in out


def test_every_rate_starts_from_the_same_random_state():
    import keras

    draws = []

    def fit_and_score(rate):
        layer = keras.layers.Dense(3)
        layer.build((None, 4))
        draws.append(
            (
                np.random.random(3),  # noqa: NPY002 - the global state Keras seeds
                random.random(),
                keras.ops.convert_to_numpy(keras.random.uniform((3,))),
                keras.ops.convert_to_numpy(layer.kernel),
            )
        )
        np.random.random(100)  # noqa: NPY002 - training consumes random numbers
        return rate

    choose_learning_rate(fit_and_score, [1e-3, 1e-2, 1e-1], name="m", seed=3)
    first = draws[0]
    for later in draws[1:]:
        for a, b in zip(first, later, strict=True):
            np.testing.assert_array_equal(a, b)
    keras.utils.set_random_seed(3)
    np.testing.assert_array_equal(first[0], np.random.random(3))  # noqa: NPY002 - given seed


def test_seed_none_takes_the_course_seed(monkeypatch, capsys):
    monkeypatch.setenv("COURSE_SEED", "7")
    choice = choose_learning_rate(lambda rate: rate, [1e-3, 1e-2, 1e-1], name="m")
    assert choice.seed == 7 and "seed 7" in capsys.readouterr().out


def test_a_real_keras_model_end_to_end(capsys):
    import keras

    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 4)).astype("float32")
    y = x @ np.array([1.0, -2.0, 0.5, 3.0], dtype="float32") + 0.1 * rng.normal(size=256)
    x_train, y_train, x_val, y_val = x[:192], y[:192], x[192:], y[192:]

    def fit_and_score(rate):
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
        model.compile(optimizer=keras.optimizers.SGD(rate), loss="mse")
        history = model.fit(
            x_train, y_train, validation_data=(x_val, y_val), epochs=3, batch_size=32, verbose=0
        )
        return history.history["val_loss"][-1]

    choice = choose_learning_rate(
        fit_and_score, [1e-2, 1e-1, 2.0], name="Dense(1)", seed=0, score_name="val MSE"
    )
    assert choice.best_rate == 0.1 and not choice.at_edge
    assert choice.scores[0] > choice.scores[1]  # too small: under-trained in 3 epochs
    assert choice.diverged[2] or choice.scores[2] > choice.scores[1]  # too large: unstable
    assert "val MSE" in capsys.readouterr().out


def make_choice(name, best_index, score_name="val bpc", higher=False):
    grid = (0.001, 0.003, 0.01)
    return Choice(
        name=name,
        grid=grid,
        scores=(2.0, 1.5, 1.8),
        seconds=(1.0, 1.0, 1.0),
        best_rate=grid[best_index],
        at_edge=best_index in (0, 2),
        higher_is_better=higher,
        score_name=score_name,
        seed=42,
    )


def test_compare_choices_prints_one_row_per_model(capsys):
    table = compare_choices([make_choice("LSTM(128)", 1), make_choice("SimpleRNN(128)", 2)])
    assert capsys.readouterr().out.strip() == table
    header, lstm, rnn = table.splitlines()
    assert "chosen rate" in header and "val bpc" in header and "grid edge" in header
    assert lstm.split() == ["LSTM(128)", "0.003", "1.5000", "no"]
    assert rnn.split()[:3] == ["SimpleRNN(128)", "0.01", "1.8000"]
    assert "AT EDGE: largest rate" in rnn


def test_compare_choices_refuses_mixed_scores_and_nothing():
    with pytest.raises(ValueError, match="scored differently"):
        compare_choices([make_choice("a", 1), make_choice("b", 1, score_name="val loss")])
    with pytest.raises(ValueError, match="scored differently"):
        compare_choices([make_choice("a", 1), make_choice("b", 1, higher=True)])
    with pytest.raises(ValueError, match="at least one"):
        compare_choices([])
