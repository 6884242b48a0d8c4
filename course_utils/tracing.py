"""Trace each Keras training step once, not twice.

With the TensorFlow backend and no distribution strategy, Keras 3 creates the optimizer's
slots and the compiled metrics' variables *inside* the first trace of the training step.
TensorFlow then sees a ``tf.function`` that made variables on its first call and traces it
a second time. On a 2-core CPU that second trace cost 0.4 s for a small MLP and 4-6 s for
lesson 07's transformer: a large share of a fast-mode lesson's time.

:func:`build_state_before_tracing` makes ``fit``/``evaluate`` build that state
symbolically first, as Keras already does under a distribution strategy. Models it cannot
build that way (a custom ``train_step`` without ``call``, e.g. a GAN) keep Keras' own
behaviour. Results are unchanged: only when the variables are created moves. Under
``COURSE_STRICT=1`` such a fallback is not silent: a :class:`TracingFallback` warning names
the model's class and the error, once per class.
"""

from __future__ import annotations

import functools
import inspect
import warnings

from course_utils.messages import error_text
from course_utils.modes import is_strict

_PATCHED = "_course_builds_before_tracing"
_WARNED: set[str] = set()  # model classes whose fallback was reported


class TracingFallback(UserWarning):
    """A model could not be built before tracing; Keras traced it its own way (strict mode)."""


def _report_fallback(model: object, err: Exception) -> None:
    name = type(model).__qualname__
    if is_strict() and name not in _WARNED:
        _WARNED.add(name)
        warnings.warn(
            f"{name} could not be built before tracing ({error_text(err)}); Keras builds "
            "it while tracing instead, as it does without course_utils.",
            TracingFallback,
            stacklevel=2,
        )


def build_state_before_tracing() -> bool:
    """Install the change once; return False (and change nothing) on an unknown Keras."""
    try:
        import tensorflow as tf
        from keras.src.backend.tensorflow.trainer import TensorFlowTrainer
    except ImportError:
        return False
    original = getattr(TensorFlowTrainer, "_maybe_symbolic_build", None)
    if original is None:
        return False
    if getattr(original, _PATCHED, False):
        return True
    if list(inspect.signature(original).parameters) != ["self", "iterator", "data_batch"]:
        return False  # a Keras whose internals differ from the ones this was written for

    @functools.wraps(original)
    def maybe_symbolic_build(self, iterator=None, data_batch=None):
        if getattr(self, "_distribute_strategy", None) is not None:
            return original(self, iterator=iterator, data_batch=data_batch)
        self._distribute_strategy = tf.distribute.get_strategy()
        try:
            original(self, iterator=iterator, data_batch=data_batch)
        except Exception as err:  # noqa: BLE001 - Keras builds lazily instead, as it always did
            _report_fallback(self, err)
        finally:
            self._distribute_strategy = None

    setattr(maybe_symbolic_build, _PATCHED, True)
    TensorFlowTrainer._maybe_symbolic_build = maybe_symbolic_build
    return True
