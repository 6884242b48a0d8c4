"""Offline time series (statsmodels) and leakage-free forecasting windows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from course_utils.data.splits import Split


def load_co2() -> tuple[np.ndarray, np.ndarray]:
    """Weekly atmospheric CO2 at Mauna Loa, March 1958 to December 2001 (statsmodels ``co2``).

    Returns ``(dates, values)``: ``dates`` is datetime64[D], shape ``(2284,)``, one Saturday
    per week; ``values`` is float32 ppm, shape ``(2284,)``, roughly 313 to 374. The 59 missing
    weeks are filled by time-weighted linear interpolation between their neighbours.
    """
    from statsmodels.datasets import co2

    series = co2.load_pandas().data["co2"].interpolate(method="time")
    dates = series.index.to_numpy().astype("datetime64[D]")
    return dates, series.to_numpy(dtype=np.float32)


def load_sunspots() -> tuple[np.ndarray, np.ndarray]:
    """Yearly mean sunspot number, 1700 to 2008 (statsmodels ``sunspots``).

    Returns ``(years, values)``: ``years`` int64, shape ``(309,)``; ``values`` float32, shape
    ``(309,)``, from 0 to about 190, with the roughly 11-year solar cycle.
    """
    from statsmodels.datasets import sunspots

    data = sunspots.load_pandas().data
    return data["YEAR"].to_numpy().astype(np.int64), data["SUNACTIVITY"].to_numpy(np.float32)


@dataclass(frozen=True, repr=False)
class WindowedSeries(Split):
    """Forecasting windows cut from one series; see :func:`make_windows`.

    ``x_*``: float32 ``(n, window, 1)`` scaled inputs. ``y_*``: float32 ``(n, horizon)``
    scaled targets. ``t_*``: int64 ``(n, horizon)``, the position in ``series`` of every
    target, so ``ws.series[ws.t_test]`` is the truth in original units and
    ``plt.plot(ws.t_test[:, 0], ws.to_values(pred, "test")[:, 0])`` draws a forecast.
    """

    t_train: np.ndarray
    t_val: np.ndarray
    t_test: np.ndarray
    series: np.ndarray
    mean: float
    std: float
    window: int
    horizon: int
    targets: str
    boundaries: tuple[int, int]

    def scale(self, values: np.ndarray) -> np.ndarray:
        """Series units -> model units: ``(values - mean) / std``."""
        return ((np.asarray(values) - self.mean) / self.std).astype(np.float32)

    def unscale(self, values: np.ndarray) -> np.ndarray:
        """Model units -> series units: ``values * std + mean``."""
        return (np.asarray(values) * self.std + self.mean).astype(np.float32)

    def to_values(self, predictions: np.ndarray, part: str = "test") -> np.ndarray:
        """Model outputs for one part (``"train"``, ``"val"`` or ``"test"``) in series units.

        ``predictions`` has the shape of ``y_<part>`` ``(n, horizon)``. For ``targets="value"``
        this is :meth:`unscale`; for ``"difference"`` the change is added to each window's last
        input value. Compare with ``series[t_<part>]``.
        """
        if part not in ("train", "val", "test"):
            raise ValueError("part must be 'train', 'val' or 'test'")
        predictions = np.asarray(predictions, dtype=np.float32).reshape(-1, self.horizon)
        if self.targets == "value":
            return self.unscale(predictions)
        last_input = self.series[getattr(self, f"t_{part}")[:, :1] - 1]
        return (last_input + predictions * self.std).astype(np.float32)

    def summary(self) -> str:
        """Shapes of every part, the scaling and the split boundaries."""
        parts = "\n".join(
            f"{p:<5}  x {getattr(self, f'x_{p}').shape}  y {getattr(self, f'y_{p}').shape}"
            for p in ("train", "val", "test")
        )
        return (
            f"{parts}\nwindow={self.window} horizon={self.horizon} targets={self.targets!r}"
            f"  mean={self.mean:.4g} std={self.std:.4g}  boundaries={self.boundaries}"
        )

    def __repr__(self) -> str:
        return f"WindowedSeries(\n{self.summary()}\n)"


def make_windows(
    series: np.ndarray,
    window: int,
    horizon: int = 1,
    val_fraction: float = 0.15,
    test_fraction: float = 0.15,
    scale: bool = True,
    targets: Literal["value", "difference"] = "value",
) -> WindowedSeries:
    """Cut a 1-D series into (past ``window`` values -> next ``horizon`` values) examples.

    **Chronological split first.** With ``N = len(series)``, the last
    ``round(N * test_fraction)`` points are the test part, the ``round(N * val_fraction)``
    before them the validation part, the rest the training part; ``boundaries`` holds the
    first index of the validation and of the test part.

    **No leakage.** Every target of a window lies inside one part, and that window belongs to
    that part. Training windows use only training indices, inputs and targets. A validation
    or test window may *look back* into earlier parts for its inputs, as a real forecast
    would (the past is known); no future value ever appears in an input. So each part has
    ``part_length - horizon + 1`` windows (training: ``N_train - window - horizon + 1``).

    **Scaling.** ``mean`` and ``std`` come from the training part only; inputs are
    ``(v - mean) / std``. With ``scale=False``, ``mean=0`` and ``std=1``.

    **Targets.** ``"value"``: the scaled future values. ``"difference"``: each future value
    minus the window's last input value, divided by ``std`` (changes, which are easier to
    learn for trending series such as CO2). :meth:`WindowedSeries.to_values` turns
    predictions back into series units either way.

    Shapes: ``x_*`` float32 ``(n, window, 1)``; ``y_*`` float32 ``(n, horizon)``;
    ``t_*`` int64 ``(n, horizon)`` (positions in ``series`` of each target).
    """
    series = np.asarray(series, dtype=np.float32).reshape(-1)
    if targets not in ("value", "difference"):
        raise ValueError("targets must be 'value' or 'difference'")
    n = len(series)
    n_test, n_val = round(n * test_fraction), round(n * val_fraction)
    val_start, test_start = n - n_val - n_test, n - n_test
    if val_start - window - horizon + 1 < 1 or min(n_val, n_test) < horizon:
        raise ValueError(
            f"series of length {n} is too short for window={window}, horizon={horizon} "
            f"with these fractions (train part: {val_start} points)"
        )
    train_part = series[:val_start]
    mean, std = (float(train_part.mean()), float(train_part.std())) if scale else (0.0, 1.0)
    scaled = (series - mean) / std

    def cut(first_target: int, end: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        starts = np.arange(first_target, end - horizon + 1)
        t = starts[:, None] + np.arange(horizon)
        x = scaled[starts[:, None] - window + np.arange(window)][..., None]
        y = scaled[t]
        if targets == "difference":
            y = (series[t] - series[starts - 1][:, None]) / std
        return x.astype(np.float32), y.astype(np.float32), t.astype(np.int64)

    x_tr, y_tr, t_tr = cut(window, val_start)
    x_va, y_va, t_va = cut(val_start, test_start)
    x_te, y_te, t_te = cut(test_start, n)
    return WindowedSeries(
        *(x_tr, y_tr, x_va, y_va, x_te, y_te, t_tr, t_va, t_te),
        series=series,
        mean=mean,
        std=std,
        window=window,
        horizon=horizon,
        targets=targets,
        boundaries=(val_start, test_start),
    )
