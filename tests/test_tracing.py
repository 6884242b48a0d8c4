"""course_utils.tracing: one trace per training step, same numbers, safe fallback."""

import json
import os
import subprocess
import sys

SCRIPT = """
import json, sys, warnings
import numpy as np
from course_utils.config import import_tensorflow_quietly
import_tensorflow_quietly()
import keras
from course_utils.tracing import build_state_before_tracing
if sys.argv[1] == "patched":
    assert build_state_before_tracing() and build_state_before_tracing()  # idempotent

traces = []
class Counted(keras.Model):
    def train_step(self, data):
        traces.append(1)
        return super().train_step(data)

keras.utils.set_random_seed(3)
inputs = keras.Input((8,))
outputs = keras.layers.Dense(1)(keras.layers.Dense(16, activation="relu")(inputs))
model = Counted(inputs, outputs)
model.compile("adam", "mse", metrics=["mae"])
x, y = np.random.rand(256, 8).astype("float32"), np.random.rand(256, 1).astype("float32")
model.fit(x, y, epochs=2, batch_size=64, verbose=0)

class NoCall(keras.Model):  # a custom train_step and no call(): cannot be built symbolically
    def __init__(self):
        super().__init__()
        self.net = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1)])
        self.opt = keras.optimizers.SGD(0.1)
    def train_step(self, data):
        import tensorflow as tf
        x, y = data
        with tf.GradientTape() as tape:
            loss = keras.ops.mean((self.net(x) - y) ** 2)
        grads = tape.gradient(loss, self.net.trainable_weights)
        self.opt.apply_gradients(zip(grads, self.net.trainable_weights))
        return {"loss": loss}

custom = NoCall()
custom.compile()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    logs = custom.fit(x, y, epochs=1, batch_size=64, verbose=0).history
print(json.dumps({
    "fallback_warnings": [
        str(w.message) for w in caught if w.category.__name__ == "TracingFallback"
    ],
    "traces": len(traces),
    "weights": [w.tolist() for w in model.get_weights()],
    "custom_loss": logs["loss"][-1],
}))
"""


def _run(mode: str, strict: bool = False) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "COURSE_STRICT"}
    if strict:
        env["COURSE_STRICT"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode], capture_output=True, text=True, check=True, env=env
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_build_before_tracing_traces_once_and_changes_no_number():
    patched, plain = _run("patched"), _run("plain")
    assert patched["traces"] == 1, "the training step should be traced exactly once"
    assert patched["weights"] == plain["weights"], "building earlier must not change training"
    assert patched["custom_loss"] == plain["custom_loss"]
    assert patched["fallback_warnings"] == [], "outside strict mode the fallback stays quiet"


def test_a_fallback_is_reported_under_strict():
    strict = _run("patched", strict=True)
    assert len(strict["fallback_warnings"]) == 1
    assert strict["fallback_warnings"][0].startswith("NoCall could not be built before tracing")


def test_an_unknown_keras_is_left_alone(monkeypatch):
    from keras.src.backend.tensorflow.trainer import TensorFlowTrainer

    from course_utils.tracing import build_state_before_tracing

    def different(self, data):  # a future Keras with another signature
        return data

    monkeypatch.setattr(TensorFlowTrainer, "_maybe_symbolic_build", different)
    assert build_state_before_tracing() is False
    assert TensorFlowTrainer._maybe_symbolic_build is different
