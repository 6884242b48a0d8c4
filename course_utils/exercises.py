"""Checked exercises, learntools-style: ``ex.check(answer)``, ``ex.hint()``, ``ex.solution()``.

Authors define exercises in ``lesson_exercises/ex_NN_name.py``::

    conv_output_size = FunctionExercise(
        lesson="01_cnn", name="conv_output_size", reference=_conv_output_size,
        cases=[((28, 3, 1, "valid"), {})],                     # (args, kwargs), edge cases first
        random_cases=lambda rng: ((int(rng.integers(5, 40)), 3, 1, "same"), {}),
        hints=["..."], solution="def conv_output_size(n, k, s, padding): ...",
    )
    answer_k = ValueExercise(lesson="01_cnn", name="answer_k", answer=26, hints=[...])

``check`` shows one line in words and returns a :class:`CheckResult` whose ``status`` is
``"not attempted"``, ``"incorrect"`` (with the precise reason and the inputs) or ``"correct"``;
each check is saved in the progress store, except a notebook's own demonstration
(``check(answer, record=False)``): only the learner's attempts count. A learner's function
that raises is reported, never re-raised (``SystemExit`` included; only ``KeyboardInterrupt``
stops a check); one that runs past ``time_limit_s`` on a case is stopped and that case is
named, even if it swallows the interruption with a bare ``except:`` (see
:func:`call_with_time_limit`); a value that cannot be compared at all (``10**5000`` against a
float, an object whose ``__array__`` raises) is a verdict too, never a traceback. How answers
are compared is in :mod:`course_utils.answers` (``compare`` and ``short`` can still be imported
from here, as lesson modules do).
"""

from __future__ import annotations

import ast
import contextlib
import copy
import ctypes
import functools
import inspect
import numbers
import signal
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from course_utils import progress
from course_utils.answers import Comparer, compare, judge
from course_utils.messages import error_text, say, short, type_name

NOT_ATTEMPTED, INCORRECT, CORRECT = progress.EXERCISE_STATUSES
_MARKS = {CORRECT: "✔ Correct", INCORRECT: "✘ Incorrect", NOT_ATTEMPTED: "○ Not attempted"}
Case = tuple[tuple[Any, ...], dict[str, Any]]


@dataclass(frozen=True)
class CheckResult:
    """The outcome of a check: ``status`` and the ``message`` that was printed."""

    status: str
    message: str

    @property
    def correct(self) -> bool:
        """True when the check passed."""
        return self.status == CORRECT

    def __str__(self) -> str:
        return self.message

    def _ipython_display_(self) -> None:
        """Show nothing as a cell's result: ``check`` has already printed the message."""


def is_stub(fn: Callable[..., Any]) -> bool:
    """True when the function's body is only a docstring, ``...``, ``pass`` or
    ``raise NotImplementedError`` (read from its source; False when there is none). A class
    is a stub when every method written in it is one; a method may also call
    ``super().__init__(...)``, as a layer's ``__init__`` stub does."""
    if inspect.isclass(fn):
        methods = [value for value in vars(fn).values() if inspect.isfunction(value)]
        return bool(methods) and all(_is_stub_function(method) for method in methods)
    return _is_stub_function(fn)


def _is_stub_function(fn: Callable[..., Any]) -> bool:
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError):
        return False
    node = tree.body[0] if tree.body else None
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    for statement in node.body:
        if isinstance(statement, ast.Pass):
            continue
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue  # a docstring or ...
        if isinstance(statement, ast.Raise) and "NotImplementedError" in ast.dump(statement):
            continue
        if isinstance(statement, ast.Expr) and _calls_super_init(statement.value):
            continue
        return False
    return True


def _calls_super_init(node: ast.expr) -> bool:
    """Whether ``node`` is ``super().__init__(...)``."""
    return isinstance(node, ast.Call) and ast.unparse(node.func) == "super().__init__"


class _Exercise:
    """Common parts: hints, solution, and saving and printing a result."""

    def __init__(self, lesson: str, name: str, hints: Sequence[str], solution: str) -> None:
        self.lesson = lesson
        self.name = name
        self.hints = list(hints)
        self.solution_code = solution

    def hint(self, n: Any = 1) -> None:
        """Print hint number ``n`` (1 is the gentlest) and how many hints there are."""
        total = len(self.hints)
        if isinstance(n, str) and n.strip().isdecimal():  # "2", "٢"; not "²" or "①"
            digits = n.strip()
            n = int(digits) if len(digits) <= 6 else total + 1  # thousands of digits: too many
        call = f"ex.{self.name}.hint"
        if not isinstance(n, numbers.Integral) or isinstance(n, bool):
            say(f"`hint()` takes a hint number, like `{call}(1)`; got {short(n)}.")
        elif not total:
            say(f"There are no hints for {self.name}.")
        elif not 1 <= n <= total:
            say(f"{self.name} has {total} hint(s): ask for `{call}(1)` to `{call}({total})`.")
        else:
            more = f" (next: `{call}({n + 1})`)" if n < total else ""
            say(f"Hint {n} of {total}: {self.hints[n - 1]}{more}")

    def solution(self) -> None:
        """Print the reference solution's code."""
        code = self.solution_code.strip() or "(no solution text for this exercise)"
        print(f"Solution for {self.name}:\n\n{code}")

    def _finish(self, status: str, message: str, record: bool = True) -> CheckResult:
        if status == INCORRECT and self.hints:
            message += f" Stuck? Ask for a hint with `ex.{self.name}.hint()`."
        if record:
            progress.record_exercise(self.lesson, self.name, status)
        else:
            message += " (A demonstration: not saved in your progress.)"
        result = CheckResult(status, f"{_MARKS[status]} — {message}")
        say(result.message)
        return result


class CaseTimeout(BaseException):
    """A learner's function ran past its time limit (a BaseException, so that a learner's
    ``except Exception`` cannot swallow it)."""


#: After the time limit, the timer signal repeats this often (seconds), so that a learner's
#: bare ``except:`` that swallows one CaseTimeout meets the next one outside its ``try``.
REPEAT_S = 1e-4
#: How long a stopped helper thread is given to unwind before the check goes on (seconds).
UNWIND_S = 1.0


def call_with_time_limit(fn: Callable[..., Any], args: Sequence[Any], kwargs: dict, seconds: float):
    """``fn(*args, **kwargs)``, stopped with :class:`CaseTimeout` after ``seconds``.

    A bare ``except:`` in ``fn`` cannot swallow the limit: CaseTimeout is raised again and
    again until ``fn`` is left, and a value returned after the limit is discarded. In a
    kernel's main thread on Linux and macOS (JupyterLab, Colab) a repeating timer signal
    interrupts the call (about 30 µs per call); elsewhere (Windows, other threads) the call
    runs in a helper thread, traced so that once time is up its next line raises (Python code
    there runs about 3 times slower). A CaseTimeout that lands in a finalizer while the call
    runs is dropped silently instead of printed as "Exception ignored in ...".
    """
    with _timeouts_in_finalizers_quiet():
        if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
            return _call_under_alarm(fn, args, kwargs, seconds)
        return _call_in_thread(fn, args, kwargs, seconds)


class _Alarm:
    """The SIGALRM handler of one call: raises CaseTimeout while armed, and notes it did."""

    def __init__(self) -> None:
        self.armed = True
        self.fired = False

    def __call__(self, signum: int, frame: Any) -> None:
        if self.armed and not _reporting_unraisable(frame):
            self.fired = True
            raise CaseTimeout


class _QuietTimeouts:
    """A ``sys.unraisablehook`` for the time a call runs under a limit. A CaseTimeout that
    lands in a finalizer (``__del__``, a weakref callback) cannot leave it, and Python would
    print "Exception ignored in ..." for each: those are dropped (the limit is recorded by the
    caller anyway). Anything else goes on to the hook that was there before, uninterrupted.
    """

    def __init__(self, previous: Callable[[Any], None]) -> None:
        self.previous = previous

    def __call__(self, unraisable: Any) -> None:
        if not isinstance(unraisable.exc_value, CaseTimeout):
            self.previous(unraisable)


def _reporting_unraisable(frame: Any) -> bool:
    """Whether ``frame`` runs inside :class:`_QuietTimeouts` (no CaseTimeout is raised there:
    an error in the hook itself would be printed)."""
    while frame is not None:
        if frame.f_code is _QuietTimeouts.__call__.__code__:
            return True
        frame = frame.f_back
    return False


@contextlib.contextmanager
def _timeouts_in_finalizers_quiet() -> Iterator[None]:
    previous = sys.unraisablehook
    sys.unraisablehook = _QuietTimeouts(previous)
    try:
        yield
    finally:
        sys.unraisablehook = previous


def _call_under_alarm(fn: Callable[..., Any], args: Sequence[Any], kwargs: dict, seconds: float):
    alarm = _Alarm()
    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, alarm)
    outer = signal.setitimer(signal.ITIMER_REAL, seconds, REPEAT_S)
    try:
        return fn(*args, **kwargs)
    finally:
        alarm.armed = False  # first: no signal can be raised here before this line
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer[0]:  # an enclosing time limit: give it back what is left of it
            left = max(outer[0] - (time.monotonic() - started), 1e-6)
            signal.setitimer(signal.ITIMER_REAL, left, outer[1])
        if alarm.fired:
            raise CaseTimeout


def _call_in_thread(fn: Callable[..., Any], args: Sequence[Any], kwargs: dict, seconds: float):
    outcome: dict[str, Any] = {}
    expired = threading.Event()

    def stop_here(frame: Any, event: str, arg: Any) -> Any:
        # Not raised here: an error in a trace function turns tracing off. Scheduled instead,
        # at every line, so the first line outside the learner's ``try`` raises it.
        if expired.is_set():
            ctypes.pythonapi.PyThreadState_SetAsyncExc(
                ctypes.c_ulong(threading.get_ident()), ctypes.py_object(CaseTimeout)
            )
        return stop_here

    def on_call(frame: Any, event: str, arg: Any) -> Any:
        return stop_here(frame, event, arg) if expired.is_set() else None

    def run() -> None:
        sys.settrace(on_call)
        try:
            outcome["value"] = fn(*args, **kwargs)
        except BaseException as err:  # handed to the caller below
            outcome["error"] = err
        finally:
            sys.settrace(None)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        expired.set()
        frame = sys._current_frames().get(worker.ident)
        while frame is not None and frame.f_code is not run.__code__:
            frame.f_trace = stop_here  # the running frames raise at their next line
            frame = frame.f_back
        worker.join(UNWIND_S)
        raise CaseTimeout
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def call_repr(name: str, args: Sequence[Any], kwargs: dict[str, Any]) -> str:
    """``name(1, 2, k='v')`` with short reprs of the arguments."""
    parts = [short(a) for a in args] + [f"{k}={short(v)}" for k, v in kwargs.items()]
    return f"{name}({', '.join(parts)})"


class FunctionExercise(_Exercise):
    """An exercise whose answer is a function, checked against ``reference`` on ``cases``
    (edge cases, in order) and ``n_random`` cases drawn by ``random_cases(rng)`` with a
    NumPy generator seeded with ``seed``. Each call of the learner's function may take at
    most ``time_limit_s`` seconds."""

    def __init__(
        self,
        lesson: str,
        name: str,
        reference: Callable[..., Any],
        cases: Sequence[Case],
        random_cases: Callable[[np.random.Generator], Case] | None = None,
        n_random: int = 5,
        hints: Sequence[str] = (),
        solution: str = "",
        compare: Comparer | None = None,
        atol: float = 1e-5,
        rtol: float = 1e-5,
        seed: int = 0,
        time_limit_s: float = 20.0,
    ) -> None:
        super().__init__(lesson, name, hints, solution)
        for case in cases:
            args_kwargs = len(case) == 2 and isinstance(case[1], dict)
            if not (args_kwargs and isinstance(case[0], (tuple, list))):
                raise TypeError(
                    f"{name}: each case must be (args tuple, kwargs dict), not {case!r}"
                )
        self.reference = reference
        self.cases = [(tuple(args), dict(kwargs)) for args, kwargs in cases]
        self.random_cases = random_cases
        self.n_random = n_random if random_cases else 0
        self.compare = compare
        self.atol, self.rtol, self.seed = atol, rtol, seed
        self.time_limit_s = time_limit_s

    def _outcome(
        self, fn: Callable[..., Any], args: tuple, kwargs: dict, expected: Any
    ) -> tuple[Any, str | None]:
        """The learner's result on one case and why it is wrong (None when right); run under
        the time limit, since comparing may call the result's own code (``__array__``)."""
        got = fn(*args, **kwargs)
        if got is None and expected is not None:
            return got, None
        if self.compare is None:
            return got, compare(expected, got, atol=self.atol, rtol=self.rtol)
        mismatch = f"expected {short(expected)}, got {short(got)}"
        return got, judge(functools.partial(self.compare, expected, got), mismatch)

    def inputs(self) -> list[Case]:
        """Every (args, kwargs) the check tries: the fixed cases, then the seeded random ones."""
        rng = np.random.default_rng(self.seed)
        drawn = [self.random_cases(rng) for _ in range(self.n_random)] if self.random_cases else []
        return self.cases + [(tuple(a), dict(k)) for a, k in drawn]

    def check(self, fn: Any, *, record: bool = True) -> CheckResult:
        """Check the learner's function; shows one line and returns the result.

        ``record=False``: a notebook's own demonstration, not saved in the learner's progress.
        """
        finish = functools.partial(self._finish, record=record)
        if fn is ... or fn is None:
            return finish(NOT_ATTEMPTED, f"write {self.name}, then check({self.name}).")
        if not callable(fn):
            return finish(
                INCORRECT,
                f"expected a function, got {type_name(fn)}. Pass the function itself, "
                f"without calling it: check({self.name}).",
            )
        if is_stub(fn):
            return finish(
                NOT_ATTEMPTED, f"{self.name} is still a placeholder; replace ... with your code."
            )
        inputs = self.inputs()
        for number, (args, kwargs) in enumerate(inputs):
            call = call_repr(self.name, args, kwargs)
            expected = self.reference(*copy.deepcopy(args), **copy.deepcopy(kwargs))
            try:
                given = copy.deepcopy(args), copy.deepcopy(kwargs)
                got, reason = call_with_time_limit(
                    self._outcome, (fn, *given, expected), {}, self.time_limit_s
                )
            except CaseTimeout:
                return finish(
                    INCORRECT,
                    f"{call} was still running after {self.time_limit_s:g} s and was stopped "
                    "(an endless loop, or a loop that never reaches its return?).",
                )
            except NotImplementedError:
                return finish(NOT_ATTEMPTED, f"{self.name} raises NotImplementedError.")
            except KeyboardInterrupt:
                raise
            except BaseException as err:  # SystemExit, a learner's own BaseException
                return finish(INCORRECT, f"{call} raised {error_text(err)}")
            if number == 0 and got is None and expected is not None:
                return finish(
                    NOT_ATTEMPTED, f"{call} returned None. Did you forget to return the result?"
                )
            if reason:
                return finish(INCORRECT, f"for {call}: {reason}.")
        n_fixed = len(self.cases)
        return finish(
            CORRECT,
            f"{self.name} gives the expected result on all {len(inputs)} inputs "
            f"({n_fixed} chosen cases, {len(inputs) - n_fixed} random).",
        )


_MISSING = object()


class ValueExercise(_Exercise):
    """An exercise whose answer is a value: compared with ``answer`` (within ``atol`` and
    ``rtol``), or judged by ``checker(value)`` returning None/True when right and False or a
    reason (str) when wrong. The judging may take at most ``time_limit_s`` seconds (it can
    run the learner's code: a ``__eq__``, an ``__array__``)."""

    #: The default time limit of one check, in seconds.
    TIME_LIMIT_S = 20.0

    def __init__(
        self,
        lesson: str,
        name: str,
        answer: Any = _MISSING,
        checker: Callable[[Any], bool | str | None] | None = None,
        hints: Sequence[str] = (),
        solution: str = "",
        atol: float = 1e-6,
        rtol: float = 1e-6,
        time_limit_s: float | None = None,
    ) -> None:
        super().__init__(lesson, name, hints, solution)
        if (answer is _MISSING) == (checker is None):
            raise TypeError(f"{name}: give exactly one of answer= or checker=")
        self.answer, self.checker = answer, checker
        self.atol, self.rtol = atol, rtol
        self.time_limit_s = self.TIME_LIMIT_S if time_limit_s is None else time_limit_s

    def check(self, value: Any, *, record: bool = True) -> CheckResult:
        """Check the learner's value; shows one line and returns the result.

        ``record=False``: a notebook's own demonstration, not saved in the learner's progress.
        """
        finish = functools.partial(self._finish, record=record)
        if value is ... or value is None:
            return finish(NOT_ATTEMPTED, f"set {self.name} to your answer, then check it.")
        try:
            reason = call_with_time_limit(self._reason, (value,), {}, self.time_limit_s)
        except CaseTimeout:
            return finish(
                INCORRECT,
                f"checking {self.name} was still running after {self.time_limit_s:g} s and was "
                "stopped (an endless loop in your code?).",
            )
        except KeyboardInterrupt:
            raise
        except BaseException as err:  # SystemExit, a learner's own BaseException
            return finish(INCORRECT, f"{self.name}: your answer raised {error_text(err)}.")
        if reason:
            return finish(INCORRECT, f"{self.name}: {reason}.")
        return finish(CORRECT, f"{self.name} is right.")

    def _reason(self, value: Any) -> str | None:
        """Why ``value`` is wrong (None or "" when right)."""
        if self.checker is not None:
            return judge(lambda: self.checker(value), f"{short(value)} is not right")
        return compare(self.answer, value, atol=self.atol, rtol=self.rtol)


class BuilderExercise(ValueExercise):
    """A ValueExercise whose answer is a function that builds something (a model, a block)
    or a class (a layer): ``checker`` receives the function or class itself and calls it; an
    untouched stub (see :func:`is_stub`) is 'not attempted', not 'incorrect'. The whole check,
    building included, may take at most ``time_limit_s`` seconds (default 60)."""

    TIME_LIMIT_S = 60.0

    def check(self, value: Any, *, record: bool = True) -> CheckResult:
        """Check the learner's builder function; shows one line and returns the result."""
        if callable(value) and is_stub(value):
            return self._finish(
                NOT_ATTEMPTED,
                f"{self.name} is still a placeholder; replace ... with your code.",
                record,
            )
        return super().check(value, record=record)
