"""Time series and forecasting windows: shapes, scaling from training data only, no leakage."""

import numpy as np
import pytest

from course_utils.data import load_co2, load_sunspots, make_windows


def test_co2_is_complete_and_weekly():
    dates, values = load_co2()
    assert dates.dtype == np.dtype("datetime64[D]") and values.dtype == np.float32
    assert dates.shape == values.shape == (2284,)
    assert str(dates[0]) == "1958-03-29" and str(dates[-1]) == "2001-12-29"
    assert np.all(np.diff(dates) == np.timedelta64(7, "D"))
    assert np.isfinite(values).all() and values.min() > 310 and values.max() < 380


def test_sunspots_yearly():
    years, values = load_sunspots()
    assert years.dtype == np.int64 and values.dtype == np.float32
    assert years[0] == 1700 and years[-1] == 2008 and np.all(np.diff(years) == 1)
    assert values.shape == (309,) and values.min() >= 0


@pytest.mark.parametrize("horizon", [1, 5])
@pytest.mark.parametrize("targets", ["value", "difference"])
def test_windows_shapes_and_targets(horizon, targets):
    series = np.arange(200, dtype=np.float32) ** 1.5
    ws = make_windows(series, window=10, horizon=horizon, targets=targets)
    val_start, test_start = ws.boundaries
    assert (val_start, test_start) == (140, 170)
    for part in ("train", "val", "test"):
        x, y, t = (getattr(ws, f"{k}_{part}") for k in "xyt")
        assert x.dtype == y.dtype == np.float32 and t.dtype == np.int64
        assert x.shape == (len(x), 10, 1) and y.shape == t.shape == (len(x), horizon)
        # the inputs are the 10 values just before the first target: no future value
        np.testing.assert_allclose(
            ws.unscale(x[:, :, 0]), series[t[:, :1] - 10 + np.arange(10)], rtol=1e-5, atol=1e-3
        )
        np.testing.assert_allclose(ws.to_values(y, part), series[t], rtol=1e-5, atol=1e-3)
    assert len(ws.x_train) == 140 - 10 - horizon + 1
    assert len(ws.x_val) == 30 - horizon + 1 and len(ws.x_test) == 30 - horizon + 1


def test_windows_scale_with_training_part_only():
    series = np.concatenate([np.zeros(70), np.full(30, 100.0)]).astype(np.float32)
    series[:70] = np.linspace(-1, 1, 70)
    ws = make_windows(series, window=5, val_fraction=0.15, test_fraction=0.15)
    assert ws.mean == pytest.approx(series[:70].mean(), abs=1e-6)
    assert ws.std == pytest.approx(series[:70].std(), rel=1e-5)
    np.testing.assert_allclose(ws.unscale(ws.scale(series)), series, atol=1e-4)
    raw = make_windows(series, window=5, scale=False)
    assert (raw.mean, raw.std) == (0.0, 1.0)


def test_no_validation_or_test_value_leaks_into_training():
    _, values = load_sunspots()
    for horizon in (1, 3):
        ws = make_windows(values, window=20, horizon=horizon)
        val_start, _ = ws.boundaries
        train_inputs = ws.t_train[:, :1] - ws.window + np.arange(ws.window)
        assert train_inputs.min() >= 0
        assert train_inputs.max() < val_start and ws.t_train.max() < val_start
        held_out_targets = set(ws.t_val.ravel()) | set(ws.t_test.ravel())
        assert held_out_targets.isdisjoint(set(train_inputs.ravel()) | set(ws.t_train.ravel()))
        assert ws.t_val.min() == val_start and ws.t_test.max() == len(values) - 1


def test_windows_reject_too_short_series():
    with pytest.raises(ValueError, match="too short"):
        make_windows(np.arange(20.0), window=15)
    with pytest.raises(ValueError, match="targets"):
        make_windows(np.arange(100.0), window=5, targets="ratio")
