"""``setup()``: the one call at the top of every lesson.

It seeds Python, NumPy and Keras, sets TensorFlow's thread counts before any op runs,
imports TensorFlow with its start-up noise hidden, checks versions, makes each training
step traced once (:mod:`course_utils.tracing`), and prints a short summary of the
environment and the run mode.
"""

from __future__ import annotations

import contextlib
import os
import platform
import sys
from collections.abc import Iterator
from dataclasses import dataclass

from course_utils.env import env_flag, env_int
from course_utils.modes import is_strict, run_mode
from course_utils.tracing import build_state_before_tracing

MIN_TENSORFLOW = (2, 16)
MIN_KERAS = (3, 0)


class EnvironmentProblem(RuntimeError):
    """The environment cannot run the course; the message says how to fix it."""


@dataclass(frozen=True)
class Config:
    """What :func:`setup` found and chose."""

    seed: int
    mode: str
    strict: bool
    python: str
    tensorflow: str
    keras: str
    backend: str
    device: str
    gpus: tuple[str, ...]
    on_colab: bool
    threads: int
    trace_once: bool = True

    def summary(self) -> str:
        """One short paragraph describing the environment."""
        where = "Google Colab" if self.on_colab else "local machine"
        strict = ", strict checkpoints" if self.strict else ""
        tracing = "traced once" if self.trace_once else "stock Keras"
        return (
            f"Python {self.python} | TensorFlow {self.tensorflow} | Keras {self.keras} "
            f"(backend: {self.backend}; training steps: {tracing})\n"
            f"Device: {self.device} | {where} | {self.threads} CPU threads\n"
            f"Run mode: {self.mode}{strict} | seed {self.seed}"
        )


def version_tuple(version: str) -> tuple[int, ...]:
    """``"2.20.0rc1"`` → ``(2, 20, 0)``: the leading numeric parts of a version string."""
    parts = []
    for piece in version.split("."):
        digits = ""
        for char in piece:
            if not char.isdigit():
                break
            digits += char
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts)


def _padded(version: tuple[int, ...], length: int = 3) -> tuple[int, ...]:
    """``(3,)`` -> ``(3, 0, 0)``, so that "3" compares equal to "3.0", not below it."""
    return version + (0,) * (length - len(version))


def check_versions(tensorflow_version: str, keras_version: str) -> None:
    """Raise :class:`EnvironmentProblem` with a fix when TF < 2.16 or Keras < 3."""
    problems = []
    if not version_tuple(keras_version) or not version_tuple(tensorflow_version):
        raise EnvironmentProblem(
            f"Could not read the versions (TensorFlow {tensorflow_version!r}, Keras "
            f"{keras_version!r}). Reinstall them: `pip install -U -r requirements.txt`."
        )
    if _padded(version_tuple(keras_version)) < _padded(MIN_KERAS):
        problems.append(f"Keras {keras_version} is installed; this course needs Keras 3.")
    if _padded(version_tuple(tensorflow_version)) < _padded(MIN_TENSORFLOW):
        problems.append(
            f"TensorFlow {tensorflow_version} is installed; this course needs TensorFlow >= 2.16."
        )
    if problems:
        raise EnvironmentProblem(
            " ".join(problems)
            + " Fix: run `make lab` from the course folder (it makes a fresh .venv), or "
            "`pip install -U -r requirements.txt` in your environment, then restart the kernel."
        )


@contextlib.contextmanager
def _native_stderr_silenced() -> Iterator[None]:
    """Send file descriptor 2 to /dev/null: TensorFlow's C++ start-up logs bypass Python."""
    try:
        saved = os.dup(2)
    except OSError:  # no real stderr (some notebook front ends)
        yield
        return
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def import_tensorflow_quietly():
    """Import TensorFlow with its start-up noise hidden; return the module."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    if "tensorflow" in sys.modules:
        return sys.modules["tensorflow"]
    with _native_stderr_silenced():
        import tensorflow as tf

        tf.get_logger().setLevel("ERROR")
    return tf


def on_colab() -> bool:
    """True inside a Google Colab kernel."""
    return "google.colab" in sys.modules


def _thread_count() -> int:
    return env_int("COURSE_THREADS", default=max(1, os.cpu_count() or 1), minimum=1)


def _set_threads(tf, threads: int) -> None:
    """Thread counts can only be set before TensorFlow runs its first op."""
    with contextlib.suppress(RuntimeError):
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(min(2, threads))


def _describe_device(tf) -> tuple[str, tuple[str, ...]]:
    gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        return f"CPU ({platform.processor() or platform.machine()})", ()
    names = []
    for gpu in gpus:
        details = tf.config.experimental.get_device_details(gpu)
        names.append(details.get("device_name", gpu.name))
    return f"GPU: {', '.join(names)}", tuple(names)


def setup(seed: int = 42, verbose: bool = True) -> Config:
    """Prepare a lesson: seeds, threads, quiet TensorFlow, version guard, summary.

    ``COURSE_SEED`` in the environment overrides ``seed`` (the benchmark runs lessons under
    several seeds). Returns a :class:`Config`. Raises :class:`EnvironmentProblem` with an
    actionable message when Keras < 3 or TensorFlow < 2.16, and
    :class:`~course_utils.env.ConfigurationError` for a ``COURSE_SEED`` or
    ``COURSE_THREADS`` that is not a whole number. ``COURSE_TRACE_ONCE=0`` leaves Keras'
    tracing as it ships (:mod:`course_utils.tracing`; on by default, and the summary says
    which).
    """
    seed = env_int("COURSE_SEED", default=seed, minimum=0)
    if on_colab():
        from course_utils import colab

        colab.prepare()
    tf = import_tensorflow_quietly()
    import keras

    check_versions(tf.__version__, keras.__version__)
    trace_once = env_flag("COURSE_TRACE_ONCE", default=True) and build_state_before_tracing()
    threads = _thread_count()
    _set_threads(tf, threads)
    keras.utils.set_random_seed(seed)  # seeds Python's random, NumPy and TensorFlow
    device, gpus = _describe_device(tf)
    config = Config(
        seed=seed,
        mode=run_mode(),
        strict=is_strict(),
        python=platform.python_version(),
        tensorflow=tf.__version__,
        keras=keras.__version__,
        backend=keras.backend.backend(),
        device=device,
        gpus=gpus,
        on_colab=on_colab(),
        threads=threads,
        trace_once=trace_once,
    )
    if verbose:
        print(config.summary())
        if config.on_colab and not gpus:
            print("No GPU: Runtime → Change runtime type → a GPU, then run this cell again.")
    return config
