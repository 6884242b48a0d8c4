"""Lesson 01's checked exercises: output sizes and parameter counts (the two warm-ups), then
transfers: a strided, dilated conv2d with loops, receptive fields with dilation, a
downsampling residual block (Keras is imported only when that one is checked), a repair, and
the cost of a strided, optionally depthwise-separable convolution."""

import math

import numpy as np

from course_utils.exercises import BuilderExercise, FunctionExercise


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
        "Padding p adds p pixels on each side, so the kernel slides over n + 2p pixels: count its "
        "positions as in hint 1, with integer division (it rounds down) for the stride. 'valid' "
        "means p = 0. Keras' 'same' pads just enough to give one output per s input pixels, "
        "rounded up (math.ceil). Check: n = 28, k = 3, s = 1 gives 26 with 'valid' and 28 with "
        "'same'; n = 7, s = 2, 'same' gives 4.",
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


def _conv2d_dilated(
    image: np.ndarray, kernel: np.ndarray, stride: int = 1, dilation: int = 1
) -> np.ndarray:
    image = np.asarray(image, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    kh, kw = kernel.shape
    span_h, span_w = dilation * (kh - 1) + 1, dilation * (kw - 1) + 1
    out = np.zeros(
        ((image.shape[0] - span_h) // stride + 1, (image.shape[1] - span_w) // stride + 1)
    )
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            top, left = i * stride, j * stride
            patch = image[top : top + span_h : dilation, left : left + span_w : dilation]
            out[i, j] = np.sum(patch * kernel)
    return out


def _random_dilated_case(rng: np.random.Generator):
    kh, kw = (int(v) for v in rng.integers(1, 4, size=2))
    stride, dilation = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    span_h, span_w = dilation * (kh - 1) + 1, dilation * (kw - 1) + 1
    h, w = int(rng.integers(span_h, span_h + 9)), int(rng.integers(span_w, span_w + 9))
    image, kernel = rng.normal(size=(h, w)), rng.normal(size=(kh, kw))
    return (image, kernel), {"stride": stride, "dilation": dilation}


_ramp = np.arange(20.0).reshape(4, 5)
_grid = np.arange(49.0).reshape(7, 7)
_corners = np.array([[1.0, 0.0], [0.0, -1.0]])  # not symmetric: flipping it changes the sign
conv2d_dilated = FunctionExercise(
    lesson="01_cnn",
    name="conv2d_dilated",
    reference=_conv2d_dilated,
    cases=[
        ((_ramp, np.ones((2, 2))), {}),  # stride 1, dilation 1: the lesson's convolution
        ((_ramp, _corners), {}),  # no flipping: cross-correlation, like Keras
        ((_grid, _corners), {"dilation": 2}),  # taps two pixels apart: a 3x3 span
        ((_grid, np.ones((2, 2))), {"stride": 2}),  # (7 - 2) / 2 is not whole: round down
        ((_grid, np.arange(9.0).reshape(3, 3)), {"stride": 2, "dilation": 2}),  # 5x5 span
        ((_ramp, np.array([[1.0, 2.0]])), {"dilation": 3}),  # a 1x2 kernel spanning 4 columns
        ((_ramp[:3, :3], _corners), {"dilation": 2}),  # the span covers the whole image: 1x1
        ((_grid, np.array([[2.0]])), {"stride": 3}),  # a 1x1 kernel with a stride subsamples
    ],
    random_cases=_random_dilated_case,
    n_random=15,
    hints=[
        "With dilation d a kernel of k taps covers d(k - 1) + 1 input pixels along that axis, "
        "and 'valid' means that whole span must fit in the image. Count the output positions with "
        "the output-size formula of section 2, that span in place of k, and the stride.",
        "Output (i, j) starts at input row i times the stride and column j times the stride. "
        "From there take every d-th pixel of the span, in both directions: a slice with a step "
        "gives exactly kh x kw pixels. Multiply them element by element with the kernel "
        "(no flipping) and add up. Check: a 7x7 image, a 2x2 kernel, stride 2 gives a 3x3 "
        "output; dilation 2 on a 3x3 image gives a single number.",
    ],
    solution=(
        "def conv2d_dilated(image, kernel, stride=1, dilation=1):\n"
        "    kh, kw = kernel.shape\n"
        "    span_h, span_w = dilation * (kh - 1) + 1, dilation * (kw - 1) + 1\n"
        "    out = np.zeros(((image.shape[0] - span_h) // stride + 1,\n"
        "                    (image.shape[1] - span_w) // stride + 1))\n"
        "    for i in range(out.shape[0]):\n"
        "        for j in range(out.shape[1]):\n"
        "            top, left = i * stride, j * stride\n"
        "            patch = image[top:top + span_h:dilation, left:left + span_w:dilation]\n"
        "            out[i, j] = np.sum(patch * kernel)\n"
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
        "Per filter: kernel_h x kernel_w weights for every input channel, plus its bias when "
        "use_bias is on; then one such set per filter. Check with Keras: Conv2D(32, 3) on 3 input "
        "channels has 896 parameters, and 864 with use_bias=False.",
    ],
    solution=(
        "def conv2d_params(kernel_h, kernel_w, in_channels, filters, use_bias=True):\n"
        "    return (kernel_h * kernel_w * in_channels + (1 if use_bias else 0)) * filters"
    ),
)


def _receptive_field(layers) -> int:
    r, jump = 1, 1
    for kernel, stride, dilation in layers:
        r += dilation * (kernel - 1) * jump
        jump *= stride
    return r


def _random_layers(rng: np.random.Generator):
    layers = []
    for _ in range(int(rng.integers(1, 7))):
        if rng.random() < 0.3:
            layers.append((2, 2, 1))  # a pooling layer
        else:
            layers.append(
                (
                    int(rng.choice([1, 3, 5, 7])),
                    int(rng.choice([1, 1, 2])),
                    int(rng.choice([1, 2, 4])),
                )
            )
    return (layers,), {}


receptive_field = FunctionExercise(
    lesson="01_cnn",
    name="receptive_field",
    reference=_receptive_field,
    cases=[
        (([],), {}),  # no layer: one pixel sees itself
        (([(3, 1, 1)],), {}),
        (([(3, 1, 1), (2, 2, 1), (3, 1, 1)],), {}),  # conv -> pool -> conv: 8
        (([(3, 1, 1), (3, 1, 1), (2, 2, 1), (3, 1, 1), (2, 2, 1)],), {}),  # the lesson's CNN: 12
        (([(3, 1, 2)],), {}),  # one dilated 3-tap kernel spans 5 pixels
        (([(3, 1, 1), (3, 1, 2), (3, 1, 4)],), {}),  # dilations 1, 2, 4: 15 (WaveNet-style)
        (([(3, 2, 1), (3, 2, 1)],), {}),  # strided convolutions
        (([(1, 1, 1), (1, 1, 1)],), {}),  # 1x1 convolutions see one pixel
    ],
    random_cases=_random_layers,
    n_random=15,
    hints=[
        "Track two numbers from the input upwards: r, the receptive field (1 pixel at the "
        "input), and jump, the distance in input pixels between two neighbouring units of "
        "the current layer (1 at the input).",
        "A layer with kernel k adds (k - 1) neighbouring units to the field, each `jump` "
        "input pixels apart; dilation d spreads the taps d units apart, so it adds "
        "d * (k - 1) * jump. Then the stride multiplies the jump.",
        "Both updates happen once per layer, in this order: first grow r using the current jump, "
        "then let the layer's stride multiply the jump. Worked example, conv 3 -> pool 2 -> conv "
        "3: r = 1 + 2 = 3, then 3 + 1 = 4 (and the jump becomes 2), then 4 + 2 * 2 = 8.",
    ],
    solution=(
        "def receptive_field(layers):\n"
        "    r, jump = 1, 1\n"
        "    for kernel, stride, dilation in layers:\n"
        "        r += dilation * (kernel - 1) * jump\n"
        "        jump *= stride\n"
        "    return r"
    ),
)


def _strided_residual_block(x, filters: int, stride: int = 1):
    import keras

    shortcut = x
    if stride != 1 or x.shape[-1] != filters:
        shortcut = keras.layers.Conv2D(filters, 1, strides=stride, use_bias=False)(x)
        shortcut = keras.layers.BatchNormalization()(shortcut)
    h = keras.layers.Conv2D(filters, 3, strides=stride, padding="same", use_bias=False)(x)
    h = keras.layers.ReLU()(keras.layers.BatchNormalization()(h))
    h = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False)(h)
    h = keras.layers.BatchNormalization()(h)
    return keras.layers.ReLU()(keras.layers.Add()([shortcut, h]))


#: (filters, stride) the check builds on an 8x8x16 input, with the output shape it expects.
_BLOCK_CASES = {(16, 1): (8, 8, 16), (32, 1): (8, 8, 32), (16, 2): (4, 4, 16), (32, 2): (4, 4, 32)}


def _check_strided_residual_block(block) -> str | None:
    """None when ``block(x, filters, stride)`` is a residual block that can downsample; else
    the reason in words."""
    import keras

    x = keras.Input((8, 8, 16))
    models = {}
    for (filters, stride), expected in _BLOCK_CASES.items():
        call = f"strided_residual_block(x, {filters}, stride={stride}) on an 8x8x16 input"
        try:
            out = block(x, filters, stride=stride)
        except Exception as err:  # shapes that do not fit end up here
            return f"{call} raised {type(err).__name__}: {err}"
        if out is None:
            return f"{call} returned None; return the block's output tensor"
        if tuple(out.shape) != (None, *expected):
            return (
                f"{call} gives shape {tuple(out.shape)}, expected {(None, *expected)}: the "
                "stride divides the height and width, and there are `filters` channels"
            )
        models[filters, stride] = keras.Model(x, out)
    model = models[16, 1]
    if not any(isinstance(layer, keras.layers.Add) for layer in model.layers):
        return "no Add layer: the shortcut must be added to the branch (keras.layers.Add)"
    if not any(isinstance(layer, keras.layers.BatchNormalization) for layer in model.layers):
        return "no BatchNormalization layer in the block"
    for layer in model.layers:  # silence the branch: every convolution outputs zeros
        if isinstance(layer, keras.layers.Conv2D):
            layer.set_weights([np.zeros_like(w) for w in layer.get_weights()])
    sample = np.random.default_rng(0).normal(size=(2, 8, 8, 16)).astype("float32")
    got = keras.ops.convert_to_numpy(model(sample, training=False))
    if not np.allclose(got, np.maximum(sample, 0), atol=1e-4):
        return (
            "with stride 1, 16 filters and the branch's convolutions set to zero, the block "
            "should return ReLU(x): the shortcut must be x itself when neither the size nor "
            "the channels change (no projection, and the ReLU after the addition)"
        )
    return None


strided_residual_block = BuilderExercise(
    lesson="01_cnn",
    name="strided_residual_block",
    checker=_check_strided_residual_block,
    hints=[
        "Start from the lesson's res_block and ask what must change when the block halves the "
        "height and width: the branch has to shrink the map, and so does the shortcut, or the "
        "Add layer gets two shapes that differ.",
        "Give the branch's first 3x3 convolution the stride (strides=stride); the second one "
        "keeps stride 1. The shortcut stays x only when the stride is 1 and the channels match; "
        "otherwise it becomes a 1x1 convolution with filters filters and the same stride "
        "(optionally followed by BatchNormalization). Check: on 8x8x16, stride 2 and 32 filters "
        "give (None, 4, 4, 32).",
    ],
    solution=(
        "def strided_residual_block(x, filters, stride=1):\n"
        "    shortcut = x\n"
        "    if stride != 1 or x.shape[-1] != filters:\n"
        "        shortcut = keras.layers.Conv2D(filters, 1, strides=stride, use_bias=False)(x)\n"
        "        shortcut = keras.layers.BatchNormalization()(shortcut)\n"
        "    h = keras.layers.Conv2D(filters, 3, strides=stride, padding='same',\n"
        "                            use_bias=False)(x)\n"
        "    h = keras.layers.ReLU()(keras.layers.BatchNormalization()(h))\n"
        "    h = keras.layers.Conv2D(filters, 3, padding='same', use_bias=False)(h)\n"
        "    h = keras.layers.BatchNormalization()(h)\n"
        "    return keras.layers.ReLU()(keras.layers.Add()([shortcut, h]))"
    ),
)


def _repaired_model():
    import keras

    return keras.Sequential(
        [
            keras.Input((8, 8, 1)),
            keras.layers.Conv2D(32, 3, padding="same", activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Conv2D(64, 3, padding="same", activation="relu"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )


def _check_repaired_model(make_model) -> str | None:
    """None when ``make_model()`` keeps the broken model's layers and builds on 8x8x1 digits."""
    import keras

    try:
        model = make_model()
    except Exception as err:
        return f"repaired_model() raised {type(err).__name__}: {err}"
    if not isinstance(model, keras.Model):
        return "repaired_model() must return a Keras model"
    try:  # some Keras versions find a size that does not fit only when the model runs
        return _inspect_repaired(model)
    except Exception as err:
        first_line = str(err).strip().splitlines()[0] if str(err).strip() else ""
        return f"repaired_model() raised {type(err).__name__} when run: {first_line}"


def _inspect_repaired(model) -> str | None:
    """The checks of :func:`_check_repaired_model` on a model that was built."""
    import keras

    for layer in model.layers:  # some Keras versions let a map shrink to 0x0 without an error
        shape = getattr(getattr(layer, "output", None), "shape", None)
        if shape is not None and any(size == 0 for size in tuple(shape)[1:]):
            return (
                f"after layer {layer.name!r} the feature map has shape {tuple(shape)}: it "
                "shrank to nothing, so the sizes still do not fit"
            )
    convs = [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]
    pools = [layer for layer in model.layers if isinstance(layer, keras.layers.MaxPooling2D)]
    if [layer.filters for layer in convs] != [32, 64]:
        found = [layer.filters for layer in convs]
        return f"keep the two convolutions with 32 and 64 filters (found filters {found})"
    if len(pools) != 2:
        return f"keep both 2x2 max-pooling layers (found {len(pools)}); fix the sizes instead"
    if any(tuple(layer.kernel_size) != (3, 3) for layer in convs):
        return "keep the 3x3 kernels; the fix is elsewhere"
    if tuple(model.input_shape) != (None, 8, 8, 1):
        return f"the model must read 8x8x1 digits, not {model.input_shape}"
    if tuple(model.output_shape) != (None, 10):
        return (
            f"the output must be 10 class probabilities, shape (None, 10), not {model.output_shape}"
        )
    probe = model(np.zeros((2, 8, 8, 1), dtype="float32"))
    if tuple(probe.shape) != (2, 10):
        return f"on two digits the model returns shape {tuple(probe.shape)}, expected (2, 10)"
    return None


repaired_model = BuilderExercise(
    lesson="01_cnn",
    name="repaired_model",
    checker=_check_repaired_model,
    hints=[
        "Follow the height through the broken model with the output-size formula: 8 -> conv "
        "3x3 valid -> ? -> pool 2 -> ? -> conv 3x3 valid -> ? -> pool 2 -> ?. Where does it "
        "reach zero?",
        "8 -> 6 -> 3 -> 1 -> 0: the last pooling has nothing left to pool. Every 'valid' 3x3 "
        "convolution eats a 1-pixel border; on an 8x8 input that is too much.",
        "Keep every layer and give both convolutions padding='same': 8 -> 8 -> 4 -> 4 -> 2, "
        "then Flatten gives 2 x 2 x 64 = 256 features for the Dense layer.",
    ],
    solution=(
        "def repaired_model():\n"
        "    return keras.Sequential([\n"
        "        keras.Input((8, 8, 1)),\n"
        "        keras.layers.Conv2D(32, 3, padding='same', activation='relu'),\n"
        "        keras.layers.MaxPooling2D(2),\n"
        "        keras.layers.Conv2D(64, 3, padding='same', activation='relu'),\n"
        "        keras.layers.MaxPooling2D(2),\n"
        "        keras.layers.Flatten(),\n"
        "        keras.layers.Dense(10, activation='softmax'),\n"
        "    ])"
    ),
)


def _conv_cost(
    h: int, w: int, c_in: int, filters: int, k: int, stride: int = 1, separable: bool = False
) -> tuple[int, int]:
    out = math.ceil(h / stride) * math.ceil(w / stride)  # 'same' padding
    if separable:
        return k * k * c_in + c_in * filters + filters, out * (k * k * c_in + c_in * filters)
    return (k * k * c_in + 1) * filters, out * k * k * c_in * filters


def _random_cost_case(rng: np.random.Generator):
    h, w = int(rng.integers(1, 65)), int(rng.integers(1, 65))
    args = (h, w, int(rng.integers(1, 129)), int(rng.integers(1, 257)), int(rng.choice([1, 3, 5])))
    return args, {"stride": int(rng.integers(1, 4)), "separable": bool(rng.integers(0, 2))}


conv_cost = FunctionExercise(
    lesson="01_cnn",
    name="conv_cost",
    reference=_conv_cost,
    cases=[
        ((56, 56, 64, 128, 3), {}),  # the lesson's example
        ((56, 56, 64, 128, 3), {"separable": True}),
        ((56, 56, 64, 128, 3), {"stride": 2}),  # a quarter of the positions
        ((7, 7, 16, 32, 3), {"stride": 2, "separable": True}),  # ceil(7 / 2) = 4
        ((8, 8, 1, 32, 1), {}),  # a 1x1 convolution
        ((5, 9, 3, 4, 5), {"stride": 3}),  # height and width differ
    ],
    random_cases=_random_cost_case,
    n_random=15,
    hints=[
        "With 'same' padding and stride s the output has ceil(h / s) by ceil(w / s) positions; "
        "the cost of each output position does not depend on the stride.",
        "Standard: every output value of every filter needs one multiply-add per kernel position "
        "per input channel. Separable, per position: the depthwise part runs one k x k filter "
        "over each input channel, and the pointwise 1x1 part needs one multiply-add per input "
        "channel for every filter. Check: h = w = 8, c_in = 3, filters = 4, k = 3 costs 6912 "
        "multiply-adds standard and 2496 separable.",
        "Parameters do not depend on h, w or the stride. Keras' SeparableConv2D has no bias "
        "in its depthwise part and one bias per filter after the pointwise part; Conv2D has "
        "one bias per filter. Return the pair (parameters, multiply-adds) as integers.",
    ],
    solution=(
        "import math\n\n"
        "def conv_cost(h, w, c_in, filters, k, stride=1, separable=False):\n"
        "    out = math.ceil(h / stride) * math.ceil(w / stride)\n"
        "    if separable:\n"
        "        params = k * k * c_in + c_in * filters + filters\n"
        "        return params, out * (k * k * c_in + c_in * filters)\n"
        "    return (k * k * c_in + 1) * filters, out * k * k * c_in * filters"
    ),
)

#: The exercises of this lesson, in the order it sets them (read by the progress dashboard).
EXERCISES = (
    conv_output_size,
    conv2d_dilated,
    conv2d_params,
    receptive_field,
    strided_residual_block,
    repaired_model,
    conv_cost,
)
