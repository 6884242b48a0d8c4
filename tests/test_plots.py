"""Image grids: a fast mosaic for plain grey-level grids, one axes per image otherwise."""

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


def test_image_grid_one_axes_for_a_plain_grid_one_per_image_with_titles():
    images = np.random.default_rng(0).random((6, 8, 8, 1))
    plain = plots.image_grid(images, ncols=3)
    titled = plots.image_grid(images, ncols=3, titles=list("abcdef"))
    assert len(plain.axes) == 1
    assert len(titled.axes) == 6
    assert [ax.get_title() for ax in titled.axes] == list("abcdef")
    plt.close("all")
