"""Plots: the image-grid mosaic and the live training curve's throttle and text fallback."""

import time

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from course_utils import plots  # noqa: E402


def test_mosaic_scales_each_tile_like_imshow_and_leaves_white_gaps():
    tiles = np.stack([np.arange(4.0).reshape(2, 2), 10 + 5 * np.arange(4.0).reshape(2, 2)])
    canvas = plots._mosaic(tiles, ncols=2, vmin=None, vmax=None)
    assert canvas.shape == (2, 5)  # 2 tiles of width 2 and a 1-pixel gap
    np.testing.assert_allclose(canvas[:, :2], [[0, 1 / 3], [2 / 3, 1]])
    np.testing.assert_allclose(canvas[:, 3:], [[0, 1 / 3], [2 / 3, 1]])
    assert np.isnan(canvas[:, 2]).all()


def test_mosaic_uses_fixed_limits_and_clips():
    tiles = np.array([[[-1.0, 0.5]], [[1.0, 2.0]]])
    canvas = plots._mosaic(tiles, ncols=1, vmin=0, vmax=1)
    np.testing.assert_allclose(canvas[0], [0, 0.5])
    assert np.isnan(canvas[1]).all()
    np.testing.assert_allclose(canvas[2], [1, 1])


def test_mosaic_leaves_wider_gaps_between_rows_when_asked():
    tiles = np.ones((4, 2, 3))
    canvas = plots._mosaic(tiles, ncols=2, vmin=0, vmax=1, row_gap=3)
    assert canvas.shape == (2 + 3 + 2, 3 + 1 + 3)
    assert np.isnan(canvas[2:5]).all() and not np.isnan(canvas[5:, :3]).any()


def test_image_grid_draws_grey_grids_as_one_axes_with_each_title_above_its_image():
    images = np.random.default_rng(0).random((6, 8, 8, 1))
    plain = plots.image_grid(images, ncols=3)
    titled = plots.image_grid(images, ncols=3, titles=list("abcdef"))
    assert len(plain.axes) == 1 and len(titled.axes) == 1
    texts = titled.axes[0].texts
    assert [t.get_text() for t in texts] == list("abcdef")
    drawn_rows = titled.axes[0].images[0].get_array().shape[0]
    row_gap = (drawn_rows - 2 * 8 + 1) // 2  # a top pad of row_gap - 1, two rows, one gap
    assert row_gap > 1  # titled rows stand further apart than untitled ones
    for index, text in enumerate(texts):
        row, col = divmod(index, 3)
        x, y = text.get_position()
        image_top = row_gap - 1 + row * (8 + row_gap)  # the image's first pixel row
        assert col * 9 <= x <= col * 9 + 7  # centred over its own column
        assert y == image_top - 0.5 and text.get_va() == "bottom"  # standing on the image
    plt.close("all")


def test_image_grid_gives_colour_images_an_axes_and_a_title_each():
    images = np.random.default_rng(0).random((4, 5, 5, 3))
    fig = plots.image_grid(images, ncols=2, titles=list("abcd"))
    assert [ax.get_title() for ax in fig.axes] == list("abcd")
    plt.close("all")


class _SlowCurve(plots.LiveCurve):
    """A LiveCurve whose drawing takes 20 ms and is counted instead of shown."""

    draws = 0

    def _render(self, epochs_done):
        time.sleep(0.02)
        self.draws += 1


def test_live_curve_spends_at_most_a_tenth_of_the_time_drawing():
    curve = _SlowCurve(min_interval=0)
    curve.on_train_begin()
    for epoch in range(30):  # 30 very fast epochs: drawing each would triple the run
        curve.on_epoch_end(epoch, {"loss": 1.0 / (epoch + 1)})
    curve.on_train_end()
    assert curve.draws == 2  # the first epoch, then the end (the next slot is 180 ms later)
    assert curve.history["loss"][-1] == 1 / 30


def test_live_curve_draws_a_short_fit_once_and_a_drawn_end_not_again():
    short = _SlowCurve(min_interval=60)
    short.on_train_begin()
    for epoch in range(3):  # all within the first minute: only the final figure
        short.on_epoch_end(epoch, {"loss": 1.0})
    short.on_train_end()
    assert short.draws == 1
    current = _SlowCurve(min_interval=0)
    current.on_train_begin()
    current.on_epoch_end(0, {"loss": 1.0})  # drawn at once: nothing new for the end to show
    current.on_train_end()
    assert current.draws == 1
    empty = _SlowCurve()
    empty.on_train_begin()
    empty.on_train_end()  # a fit stopped before its first epoch ended: nothing to draw
    assert empty.draws == 0


def test_live_curve_prints_a_line_outside_a_notebook(capsys):
    curve = plots.LiveCurve(title="demo")
    curve.on_train_begin()
    curve.on_epoch_end(0, {"loss": 0.5, "val_loss": 0.6})
    curve.on_train_end()
    assert "1 epoch in 0 s: loss 0.5, val_loss 0.6" in capsys.readouterr().out
    plt.close("all")


def test_live_curve_says_how_far_training_has_to_go(monkeypatch):
    clock = iter([100.0, 114.0, 114.0])
    monkeypatch.setattr(plots.time, "monotonic", lambda: next(clock))
    curve = plots.LiveCurve()
    curve.set_params({"epochs": 60, "verbose": 0, "steps": 10})
    curve.on_train_begin()
    assert curve.progress_text(20) == "epoch 20/60, about 28 s left"  # 14 s for 20 epochs
    curve._finished = True
    assert curve.progress_text(60) == "60 epochs in 14 s"


class _KeptCurve(plots.LiveCurve):
    """A LiveCurve that keeps its last figure's lines instead of showing it."""

    def _show(self, fig, line):
        self.lines = [
            (ln.get_label(), ln.get_marker(), len(ln.get_xdata())) for ln in fig.axes[0].lines
        ]
        self.title_text = fig._suptitle.get_text()


def test_a_one_epoch_fit_is_drawn_as_points():
    """A one-epoch fit used to show an empty box: a line through one point draws nothing."""
    curve = _KeptCurve(title="no mask")
    curve.set_params({"epochs": 1})
    curve.on_train_begin()
    curve.on_epoch_end(0, {"loss": 0.9, "val_loss": 1.1})
    curve.on_train_end()
    assert curve.lines == [("train", "o", 1), ("validation", "o", 1)]
    assert curve.title_text.startswith("no mask 1 epoch in")
    plt.close("all")
