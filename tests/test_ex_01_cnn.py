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


_dilated_solution = (
    ex._conv2d_dilated
)  # the reference; the shown solution is run by test_shown_solutions


def test_conv2d_dilated_reference_passes():
    assert ex.conv2d_dilated.check(_dilated_solution).status == "correct"


def test_conv2d_dilated_reference_matches_keras():
    import keras

    rng = np.random.default_rng(0)
    image, kernel = rng.normal(size=(9, 11)), rng.normal(size=(3, 2))
    for stride, dilation in [(1, 1), (2, 1), (3, 1), (1, 2), (1, 3)]:
        layer = keras.layers.Conv2D(1, (3, 2), strides=stride, dilation_rate=dilation)
        layer.build((None, 9, 11, 1))
        layer.set_weights([kernel[:, :, None, None], np.zeros(1)])
        want = keras.ops.convert_to_numpy(layer(image[None, :, :, None].astype("float32")))
        got = ex._conv2d_dilated(image, kernel, stride=stride, dilation=dilation)
        np.testing.assert_allclose(got, want[0, :, :, 0], atol=1e-4)


def test_conv2d_dilated_without_dilation_is_incorrect():
    def conv2d_dilated(image, kernel, stride=1, dilation=1):  # taps next to each other
        return _dilated_solution(image, kernel, stride, 1)

    result = ex.conv2d_dilated.check(conv2d_dilated)
    assert result.status == "incorrect"
    assert "dilation=2" in result.message


def test_conv2d_dilated_flipped_kernel_is_incorrect():
    def conv2d_dilated(image, kernel, stride=1, dilation=1):
        return _dilated_solution(image, kernel[::-1, ::-1], stride, dilation)

    result = ex.conv2d_dilated.check(conv2d_dilated)
    assert result.status == "incorrect"
    assert "value at index (0, 0): expected -6.0, got 6.0" in result.message


def test_conv2d_dilated_striding_the_output_afterwards_is_correct():
    def conv2d_dilated(image, kernel, stride=1, dilation=1):  # every stride-th stride-1 output
        return _dilated_solution(image, kernel, 1, dilation)[::stride, ::stride]

    assert ex.conv2d_dilated.check(conv2d_dilated).status == "correct"


def test_conv2d_dilated_stub_is_not_attempted():
    def conv2d_dilated(image, kernel, stride=1, dilation=1):
        """Valid cross-correlation with a stride and a dilation."""
        ...

    assert ex.conv2d_dilated.check(conv2d_dilated).status == "not attempted"


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


def test_receptive_field_reference_passes():
    def receptive_field(layers):
        r, jump = 1, 1
        for kernel, stride, dilation in layers:
            r += dilation * (kernel - 1) * jump
            jump *= stride
        return r

    assert ex.receptive_field.check(receptive_field).status == "correct"
    assert ex._receptive_field([(3, 1, 1), (2, 2, 1), (3, 1, 1)]) == 8


def test_receptive_field_ignoring_the_jump_is_incorrect():
    def receptive_field(layers):  # forgets that pooling spreads the later layers out
        return 1 + sum(d * (k - 1) for k, s, d in layers)

    result = ex.receptive_field.check(receptive_field)
    assert result.status == "incorrect"
    assert "expected 8, got 6" in result.message


def test_receptive_field_ignoring_dilation_is_incorrect():
    def receptive_field(layers):
        r, jump = 1, 1
        for kernel, stride, _ in layers:
            r += (kernel - 1) * jump
            jump *= stride
        return r

    result = ex.receptive_field.check(receptive_field)
    assert result.status == "incorrect"
    assert "receptive_field([(3, 1, 2)])" in result.message
    assert "expected 5, got 3" in result.message


def test_receptive_field_stub_is_not_attempted():
    def receptive_field(layers): ...

    assert ex.receptive_field.check(receptive_field).status == "not attempted"


def test_strided_residual_block_reference_passes():
    assert ex.strided_residual_block.check(ex._strided_residual_block).status == "correct"


def test_the_lessons_res_block_does_not_downsample():
    import keras

    def strided_residual_block(x, filters, stride=1):  # the lesson's block, stride ignored
        shortcut = x
        if x.shape[-1] != filters:
            shortcut = keras.layers.Conv2D(filters, 1, use_bias=False)(x)
        h = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
        h = keras.layers.ReLU()(keras.layers.BatchNormalization()(h))
        h = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False)(h)
        h = keras.layers.BatchNormalization()(h)
        return keras.layers.ReLU()(keras.layers.Add()([shortcut, h]))

    result = ex.strided_residual_block.check(strided_residual_block)
    assert result.status == "incorrect"
    assert "stride=2) on an 8x8x16 input gives shape (None, 8, 8, 16)" in result.message


def test_strided_residual_block_without_a_strided_shortcut_is_incorrect():
    import keras

    def strided_residual_block(x, filters, stride=1):  # the shortcut keeps the full size
        shortcut = x
        if x.shape[-1] != filters:
            shortcut = keras.layers.Conv2D(filters, 1)(x)
        h = keras.layers.Conv2D(filters, 3, strides=stride, padding="same")(x)
        h = keras.layers.BatchNormalization()(h)
        return keras.layers.ReLU()(keras.layers.Add()([shortcut, h]))

    result = ex.strided_residual_block.check(strided_residual_block)
    assert result.status == "incorrect"
    assert "strided_residual_block(x, 16, stride=2) on an 8x8x16 input raised" in result.message


def test_strided_residual_block_that_always_projects_is_incorrect():
    import keras

    def strided_residual_block(x, filters, stride=1):  # a projection even when nothing changes
        shortcut = keras.layers.Conv2D(filters, 1, strides=stride)(x)
        h = keras.layers.Conv2D(filters, 3, strides=stride, padding="same")(x)
        h = keras.layers.BatchNormalization()(h)
        return keras.layers.ReLU()(keras.layers.Add()([shortcut, h]))

    result = ex.strided_residual_block.check(strided_residual_block)
    assert result.status == "incorrect"
    assert "the shortcut must be x itself" in result.message


def test_strided_residual_block_stub_is_not_attempted():
    def strided_residual_block(x, filters, stride=1):
        """ReLU(shortcut(x) + F(x)), downsampled by the stride."""
        ...

    assert ex.strided_residual_block.check(strided_residual_block).status == "not attempted"


def test_repaired_model_reference_passes():
    assert ex.repaired_model.check(ex._repaired_model).status == "correct"


def test_repaired_model_still_broken_is_incorrect():
    import keras

    def repaired_model():  # the broken model itself: 8 -> 6 -> 3 -> 1 -> pool fails
        return keras.Sequential(
            [
                keras.Input((8, 8, 1)),
                keras.layers.Conv2D(32, 3, activation="relu"),
                keras.layers.MaxPooling2D(2),
                keras.layers.Conv2D(64, 3, activation="relu"),
                keras.layers.MaxPooling2D(2),
                keras.layers.Flatten(),
                keras.layers.Dense(10, activation="softmax"),
            ]
        )

    result = ex.repaired_model.check(repaired_model)
    assert result.status == "incorrect"
    # Keras 3.15 raises while building; Keras 3.13 (Colab) builds a 0x0 map without a word
    assert "repaired_model() raised" in result.message or "shrank to nothing" in result.message


def test_repaired_model_dropping_a_pool_is_incorrect():
    import keras

    def repaired_model():
        return keras.Sequential(
            [
                keras.Input((8, 8, 1)),
                keras.layers.Conv2D(32, 3, activation="relu"),
                keras.layers.MaxPooling2D(2),
                keras.layers.Conv2D(64, 3, activation="relu"),
                keras.layers.Flatten(),
                keras.layers.Dense(10, activation="softmax"),
            ]
        )

    result = ex.repaired_model.check(repaired_model)
    assert result.status == "incorrect"
    assert "keep both 2x2 max-pooling layers (found 1)" in result.message


def test_repaired_model_stub_is_not_attempted():
    def repaired_model(): ...

    assert ex.repaired_model.check(repaired_model).status == "not attempted"


# --- conv_cost -------------------------------------------------------------------------------


def _cost_solution(h, w, c_in, filters, k, stride=1, separable=False):
    out = math.ceil(h / stride) * math.ceil(w / stride)
    if separable:
        return k * k * c_in + c_in * filters + filters, out * (k * k * c_in + c_in * filters)
    return (k * k * c_in + 1) * filters, out * k * k * c_in * filters


def test_conv_cost_reference_passes_and_matches_keras_parameter_counts():
    import keras

    assert ex.conv_cost.check(_cost_solution).status == "correct"
    for separable, layer in [(False, keras.layers.Conv2D), (True, keras.layers.SeparableConv2D)]:
        built = layer(24, 3, strides=2, padding="same")
        built.build((None, 9, 11, 5))
        assert ex._conv_cost(9, 11, 5, 24, 3, stride=2, separable=separable)[0] == (
            built.count_params()
        )
        out = built.compute_output_shape((None, 9, 11, 5))
        assert out[1:3] == (math.ceil(9 / 2), math.ceil(11 / 2))


def test_conv_cost_ignoring_stride_is_incorrect():
    def conv_cost(h, w, c_in, filters, k, stride=1, separable=False):
        return _cost_solution(h, w, c_in, filters, k, 1, separable)

    assert ex.conv_cost.check(conv_cost).status == "incorrect"


def test_conv_cost_separable_as_standard_is_incorrect():
    def conv_cost(h, w, c_in, filters, k, stride=1, separable=False):
        return _cost_solution(h, w, c_in, filters, k, stride, False)

    assert ex.conv_cost.check(conv_cost).status == "incorrect"


def test_conv_cost_stub_is_not_attempted():
    def conv_cost(h, w, c_in, filters, k, stride=1, separable=False): ...

    assert ex.conv_cost.check(conv_cost).status == "not attempted"
