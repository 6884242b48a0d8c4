"""Lesson 01's checked exercises: convolution output sizes, a NumPy conv2d, parameter counts."""

import math

import numpy as np

from course_utils.exercises import FunctionExercise


def _conv_output_size(n: int, k: int, s: int = 1, padding="valid") -> int:
    if padding == "same":
        return math.ceil(n / s)
    p = 0 if padding == "valid" else int(padding)
    return (n + 2 * p - k) // s + 1


def _random_size_case(rng: np.random.Generator):
    k = int(rng.integers(1, 8))
    n = int(rng.integers(k, 64))
    s = int(rng.integers(1, 5))
    padding = ["valid", "same", int(rng.integers(0, 4))][int(rng.integers(0, 3))]
    return (n, k, s, padding), {}


conv_output_size = FunctionExercise(
    lesson="01_cnn",
    name="conv_output_size",
    reference=_conv_output_size,
    cases=[
        ((28, 3, 1, "valid"), {}),
        ((28, 3, 1, "same"), {}),
        ((28, 3, 2, "valid"), {}),  # (28 - 3) / 2 is not whole: round down
        ((28, 3, 2, "same"), {}),
        ((7, 3, 2, "same"), {}),  # 'same' with a stride rounds up
        ((5, 5, 1, "valid"), {}),  # the kernel covers the whole input
        ((32, 5, 1, 2), {}),  # explicit zero padding of 2 on each side
        ((10, 3, 3, 1), {}),
        ((8, 1, 1, "valid"), {}),
    ],
    random_cases=_random_size_case,
    n_random=20,
    hints=[
        "With no padding the kernel fits in n - k + 1 positions when it moves one pixel at a "
        "time; with stride s it visits every s-th of them, starting with the first.",
        "For an integer padding p: (n + 2p - k) // s + 1 (integer division rounds down). "
        "'valid' means p = 0. Keras' 'same' pads just enough that the output has "
        "ceil(n / s) positions: math.ceil(n / s).",
    ],
    solution=(
        "import math\n\n"
        "def conv_output_size(n, k, s=1, padding='valid'):\n"
        "    if padding == 'same':\n"
        "        return math.ceil(n / s)\n"
        "    p = 0 if padding == 'valid' else int(padding)\n"
        "    return (n + 2 * p - k) // s + 1"
    ),
)


def _conv2d_valid(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    image = np.asarray(image, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    kh, kw = kernel.shape
    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i : i + kh, j : j + kw] * kernel)
    return out


def _random_conv_case(rng: np.random.Generator):
    kh, kw = (int(v) for v in rng.integers(1, 5, size=2))
    h, w = int(rng.integers(kh, 12)), int(rng.integers(kw, 12))
    return (rng.normal(size=(h, w)), rng.normal(size=(kh, kw))), {}


_ramp = np.arange(20.0).reshape(4, 5)
conv2d_valid = FunctionExercise(
    lesson="01_cnn",
    name="conv2d_valid",
    reference=_conv2d_valid,
    cases=[
        ((_ramp, np.ones((2, 2))), {}),  # a 2x2 box sum
        ((_ramp, np.array([[1.0, 0.0], [0.0, -1.0]])), {}),  # not symmetric: no flipping!
        ((_ramp, np.array([[1.0, 2.0, 3.0]])), {}),  # a 1x3 kernel: a non-square kernel
        ((_ramp, np.array([[2.0]])), {}),  # a 1x1 kernel scales the image
        ((_ramp[:3, :3], np.arange(9.0).reshape(3, 3)), {}),  # kernel as big as the image
    ],
    random_cases=_random_conv_case,
    n_random=10,
    hints=[
        "The output has shape (H - kh + 1, W - kw + 1). Loop over every output position "
        "(i, j) with two for loops.",
        "At (i, j) take the patch image[i:i+kh, j:j+kw], multiply it element-wise by the "
        "kernel and sum: np.sum(patch * kernel). Do not flip the kernel - like Keras, this "
        "is cross-correlation.",
    ],
    solution=(
        "def conv2d_valid(image, kernel):\n"
        "    kh, kw = kernel.shape\n"
        "    out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))\n"
        "    for i in range(out.shape[0]):\n"
        "        for j in range(out.shape[1]):\n"
        "            out[i, j] = np.sum(image[i:i + kh, j:j + kw] * kernel)\n"
        "    return out"
    ),
)


def _conv2d_params(kernel_h: int, kernel_w: int, in_channels: int, filters: int, use_bias=True):
    return (kernel_h * kernel_w * in_channels + int(bool(use_bias))) * filters


def _random_params_case(rng: np.random.Generator):
    k = int(rng.integers(1, 8))
    args = (k, k, int(rng.integers(1, 257)), int(rng.integers(1, 257)))
    return args, {"use_bias": bool(rng.integers(0, 2))}


conv2d_params = FunctionExercise(
    lesson="01_cnn",
    name="conv2d_params",
    reference=_conv2d_params,
    cases=[
        ((3, 3, 1, 32), {}),  # the first layer of the lesson's CNN
        ((3, 3, 32, 64), {}),  # the second: every filter sees all 32 input channels
        ((3, 3, 3, 16), {"use_bias": False}),
        ((1, 1, 64, 16), {}),  # a 1x1 convolution mixes channels only
        ((5, 3, 7, 2), {}),  # a non-square kernel
    ],
    random_cases=_random_params_case,
    n_random=10,
    hints=[
        "Each filter has one weight per kernel position per input channel, plus one bias. "
        "The size of the image does not matter at all - that is weight sharing.",
        "(kernel_h * kernel_w * in_channels + (1 if use_bias else 0)) * filters",
    ],
    solution=(
        "def conv2d_params(kernel_h, kernel_w, in_channels, filters, use_bias=True):\n"
        "    return (kernel_h * kernel_w * in_channels + (1 if use_bias else 0)) * filters"
    ),
)
