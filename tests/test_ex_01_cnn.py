import math

import numpy as np

from lesson_exercises import ex_01_cnn as ex


def test_conv_output_size_reference_passes():
    def conv_output_size(n, k, s=1, padding="valid"):
        if padding == "same":
            return math.ceil(n / s)
        p = 0 if padding == "valid" else int(padding)
        return (n + 2 * p - k) // s + 1

    assert ex.conv_output_size.check(conv_output_size).status == "correct"


def test_conv_output_size_ignoring_same_padding_is_incorrect():
    def conv_output_size(n, k, s=1, padding="valid"):
        p = 0 if padding in ("valid", "same") else int(padding)
        return (n + 2 * p - k) // s + 1

    result = ex.conv_output_size.check(conv_output_size)
    assert result.status == "incorrect"
    assert "conv_output_size(28, 3, 1, 'same')" in result.message
    assert "expected 28, got 26" in result.message


def test_conv_output_size_rounding_same_down_is_incorrect():
    def conv_output_size(n, k, s=1, padding="valid"):
        if padding == "same":
            return n // s
        p = 0 if padding == "valid" else int(padding)
        return (n + 2 * p - k) // s + 1

    result = ex.conv_output_size.check(conv_output_size)
    assert result.status == "incorrect"
    assert "conv_output_size(7, 3, 2, 'same')" in result.message
    assert "expected 4, got 3" in result.message


def test_conv_output_size_stub_is_not_attempted():
    def conv_output_size(n, k, s=1, padding="valid"): ...  # your code here

    assert ex.conv_output_size.check(conv_output_size).status == "not attempted"


def test_conv2d_valid_reference_passes():
    def conv2d_valid(image, kernel):
        kh, kw = kernel.shape
        out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))
        for i in range(out.shape[0]):
            for j in range(out.shape[1]):
                out[i, j] = np.sum(image[i : i + kh, j : j + kw] * kernel)
        return out

    assert ex.conv2d_valid.check(conv2d_valid).status == "correct"


def test_conv2d_valid_flipped_kernel_is_incorrect():
    def conv2d_valid(image, kernel):  # true convolution: flips the kernel
        flipped = kernel[::-1, ::-1]
        kh, kw = kernel.shape
        out = np.zeros((image.shape[0] - kh + 1, image.shape[1] - kw + 1))
        for i in range(out.shape[0]):
            for j in range(out.shape[1]):
                out[i, j] = np.sum(image[i : i + kh, j : j + kw] * flipped)
        return out

    result = ex.conv2d_valid.check(conv2d_valid)
    assert result.status == "incorrect"
    assert "value at index (0, 0): expected -6.0, got 6.0" in result.message


def test_conv2d_valid_same_shape_is_incorrect():
    def conv2d_valid(image, kernel):  # keeps the input's size
        kh, kw = kernel.shape
        padded = np.pad(image, ((0, kh - 1), (0, kw - 1)))
        out = np.zeros(image.shape)
        for i in range(out.shape[0]):
            for j in range(out.shape[1]):
                out[i, j] = np.sum(padded[i : i + kh, j : j + kw] * kernel)
        return out

    result = ex.conv2d_valid.check(conv2d_valid)
    assert result.status == "incorrect"
    assert "wrong shape: expected (3, 4), got (4, 5)" in result.message


def test_conv2d_valid_stub_is_not_attempted():
    def conv2d_valid(image, kernel):
        """Valid, stride-1 cross-correlation."""
        ...

    assert ex.conv2d_valid.check(conv2d_valid).status == "not attempted"


def test_conv2d_params_reference_passes():
    def conv2d_params(kernel_h, kernel_w, in_channels, filters, use_bias=True):
        return (kernel_h * kernel_w * in_channels + (1 if use_bias else 0)) * filters

    assert ex.conv2d_params.check(conv2d_params).status == "correct"


def test_conv2d_params_forgetting_input_channels_is_incorrect():
    def conv2d_params(kernel_h, kernel_w, in_channels, filters, use_bias=True):
        return (kernel_h * kernel_w + (1 if use_bias else 0)) * filters

    result = ex.conv2d_params.check(conv2d_params)
    assert result.status == "incorrect"
    assert "conv2d_params(3, 3, 32, 64)" in result.message
    assert "expected 18496, got 640" in result.message


def test_conv2d_params_ignoring_use_bias_is_incorrect():
    def conv2d_params(kernel_h, kernel_w, in_channels, filters, use_bias=True):
        return (kernel_h * kernel_w * in_channels + 1) * filters

    result = ex.conv2d_params.check(conv2d_params)
    assert result.status == "incorrect"
    assert "use_bias=False" in result.message
    assert "expected 432, got 448" in result.message


def test_conv2d_params_stub_is_not_attempted():
    def conv2d_params(kernel_h, kernel_w, in_channels, filters, use_bias=True):
        raise NotImplementedError

    assert ex.conv2d_params.check(conv2d_params).status == "not attempted"


def test_reference_matches_keras_formulas():
    assert ex._conv_output_size(28, 3, 2, "same") == 14
    assert ex._conv2d_params(3, 3, 1, 32) == 320
