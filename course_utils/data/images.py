"""Offline images: scikit-learn's handwritten digits and three real photographs."""

from __future__ import annotations

import numpy as np

from course_utils.data.splits import Split, split_indices

PHOTOS = ("grace_hopper", "china", "flower")
"""Names accepted by :func:`load_photo`."""

LUMINANCE = (0.299, 0.587, 0.114)
"""ITU-R BT.601 weights used to turn RGB into grayscale."""


def load_digits(seed: int = 0, val_fraction: float = 0.15, test_fraction: float = 0.2) -> Split:
    """scikit-learn's 1,797 real handwritten digits (8x8 pixels), split stratified by class.

    Returns a :class:`Split` with

    - ``x_*``: float32, shape ``(n, 8, 8, 1)``, values in ``[0, 1]`` (the original 0..16
      ink counts divided by 16);
    - ``y_*``: int64, shape ``(n,)``, labels ``0..9``.

    With the defaults the parts hold 1,167 / 270 / 360 images (65 / 15 / 20 %); every class
    keeps its share in every part. The same ``seed`` always gives the same split, and no image
    index appears in two parts (the 1,797 images are also pairwise distinct).
    """
    from sklearn.datasets import load_digits as sklearn_digits

    digits = sklearn_digits()
    x = (digits.images / 16.0).astype(np.float32)[..., np.newaxis]
    y = digits.target.astype(np.int64)
    train, val, test = split_indices(y, val_fraction, test_fraction, seed)
    return Split(x[train], y[train], x[val], y[val], x[test], y[test])


def load_photo(
    name: str = "grace_hopper", gray: bool = False, size: tuple[int, int] | None = None
) -> np.ndarray:
    """A real photograph as a float32 array with values in ``[0, 1]``.

    - ``"grace_hopper"``: 600 x 512 portrait (matplotlib sample data);
    - ``"china"``, ``"flower"``: 427 x 640 (scikit-learn ``load_sample_images``).

    Shape ``(H, W, 3)`` RGB, or ``(H, W)`` with ``gray=True`` (luminance
    ``0.299 R + 0.587 G + 0.114 B``). ``size=(h, w)`` resizes first with area averaging
    (Pillow's BOX filter), e.g. ``load_photo("china", gray=True, size=(128, 192))``.
    """
    from PIL import Image

    rgb = _photo_rgb_uint8(name)
    if size is not None:
        h, w = size
        rgb = np.asarray(Image.fromarray(rgb).resize((w, h), Image.Resampling.BOX))
    image = rgb.astype(np.float32) / 255.0
    if gray:
        image = image @ np.asarray(LUMINANCE, dtype=np.float32)
    return image


def _photo_rgb_uint8(name: str) -> np.ndarray:
    """The named photo as uint8 RGB, shape (H, W, 3)."""
    if name == "grace_hopper":
        from matplotlib import cbook
        from PIL import Image

        with Image.open(cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)) as img:
            return np.asarray(img.convert("RGB"))
    if name in ("china", "flower"):
        from sklearn.datasets import load_sample_image

        return np.asarray(load_sample_image(f"{name}.jpg"))
    raise ValueError(f"unknown photo {name!r}; choose one of {PHOTOS}")
