"""A learning rate chosen on validation data, one per model, with the grid's table printed.

The course's rule for every comparison of models: each model gets the same data and budget,
and its own learning rate, chosen on *validation* data from a grid whose best value is not at
an edge. :func:`choose_learning_rate` trains one fresh model per rate of the grid, from the
same initial weights, prints the table and warns when the best rate is the smallest or the
largest of the grid; :func:`compare_choices` prints several models' choices side by side.

Importing this module imports neither TensorFlow nor Keras (Keras is imported on first use).
"""

from __future__ import annotations

import math
import numbers
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from course_utils.env import env_int

DIVERGED = "diverged"
"""How the tables show a rate whose run ended with a NaN or infinite score."""


@dataclass(frozen=True)
class Choice:
    """One model's learning-rate search: the grid (sorted), its scores and timings, the pick.

    ``scores[i]`` is the validation score at ``grid[i]`` as ``fit_and_score`` returned it
    (NaN or infinite for a diverged run); ``best_rate`` is the rate with the best finite
    score, ``at_edge`` whether it is the smallest or the largest rate of the grid.
    """

    name: str
    grid: tuple[float, ...]
    scores: tuple[float, ...]
    seconds: tuple[float, ...]
    best_rate: float
    at_edge: bool
    higher_is_better: bool
    score_name: str
    seed: int

    @property
    def best_index(self) -> int:
        """Position of :attr:`best_rate` in :attr:`grid`."""
        return self.grid.index(self.best_rate)

    @property
    def best_score(self) -> float:
        """The validation score of the chosen rate."""
        return self.scores[self.best_index]

    @property
    def diverged(self) -> tuple[bool, ...]:
        """For each rate, whether its run diverged (a NaN or infinite score)."""
        return tuple(not math.isfinite(score) for score in self.scores)

    def edge_advice(self) -> str:
        """What to do about the grid: empty when the best rate is inside it."""
        if not self.at_edge:
            return ""
        return _edge_advice(self.grid, self.best_index)

    def table(self) -> str:
        """The grid as a small table: rate, validation score, seconds, the chosen one marked."""
        better = "higher" if self.higher_is_better else "lower"
        lines = [
            f"learning rate for {self.name}: {self.score_name} on validation data, "
            f"{better} is better (seed {self.seed})",
            f"{'rate':>10}  {self.score_name:>16}  {'seconds':>8}",
        ]
        for i, (rate, score, seconds) in enumerate(
            zip(self.grid, self.scores, self.seconds, strict=True)
        ):
            mark = "  <- chosen" if i == self.best_index else ""
            lines.append(f"{rate:>10g}  {_format_score(score):>16}  {seconds:>8.1f}{mark}")
        if self.at_edge:
            lines.append(f"WARNING: {self.edge_advice()}")
        return "\n".join(lines)


def choose_learning_rate(
    fit_and_score: Callable[[float], float],
    grid: Iterable[float],
    *,
    name: str,
    higher_is_better: bool = False,
    seed: int | None = None,
    score_name: str = "score",
) -> Choice:
    """Train one fresh model per learning rate in ``grid``; keep the best on validation data.

    ``fit_and_score(rate)`` must build a *fresh* model, train it at ``rate`` on the training
    split with the budget the caller fixed (the same for every rate and every model compared),
    and return its score on the validation split (never the test split) as a number. Before
    each call the random seed is reset (``keras.utils.set_random_seed(seed)``), so every rate
    starts from the same initial weights and sees the same shuffles; ``seed=None`` takes the
    seed :func:`course_utils.setup` uses (``COURSE_SEED``, else 42): pass ``config.seed``.

    The grid is sorted; it needs at least 3 distinct positive rates (with fewer the best is
    always at an edge). A NaN or infinite score counts as a diverged run, the worst possible.
    The table is printed, with a warning naming the direction to extend the grid when the
    best rate is the smallest or the largest. Lower scores win unless ``higher_is_better``
    (accuracy); ties go to the smaller rate. Raises ``ValueError`` for a bad grid or when
    every rate diverged, ``TypeError`` when ``fit_and_score`` returns something that is not
    a number.
    """
    rates = _checked_grid(grid)
    seed = env_int("COURSE_SEED", default=42, minimum=0) if seed is None else int(seed)
    import keras

    scores, seconds = [], []
    for rate in rates:
        keras.utils.set_random_seed(seed)
        start = time.perf_counter()
        try:
            scores.append(_as_score(fit_and_score(rate), rate))
        except BaseException:  # an error or an interrupt: keep what was measured, re-raise
            done = ", ".join(
                f"{r:g}: {_format_score(v)}" for r, v in zip(rates, scores, strict=False)
            )
            print(f"{name}: stopped at learning rate {rate:g}; scores so far: {done or 'none'}")
            raise
        seconds.append(time.perf_counter() - start)
    finite = [i for i, score in enumerate(scores) if math.isfinite(score)]
    if not finite:
        raise ValueError(
            f"{name}: every learning rate of the grid {list(rates)} diverged (NaN or infinite "
            "validation score): extend the grid downward (smaller rates) and run it again."
        )
    sign = -1.0 if higher_is_better else 1.0
    best = min(finite, key=lambda i: (sign * scores[i], i))
    choice = Choice(
        name=name,
        grid=rates,
        scores=tuple(scores),
        seconds=tuple(seconds),
        best_rate=rates[best],
        at_edge=best in (0, len(rates) - 1),
        higher_is_better=higher_is_better,
        score_name=score_name,
        seed=seed,
    )
    print(choice.table())
    return choice


def compare_choices(choices: Sequence[Choice]) -> str:
    """One table for a comparison: each model's chosen rate, its validation score, its edge.

    Prints the table and returns it. The models must have been scored the same way (same
    ``score_name`` and direction); otherwise ``ValueError`` says which differ.
    """
    if not choices:
        raise ValueError("compare_choices needs at least one Choice from choose_learning_rate")
    kinds = {(c.score_name, c.higher_is_better) for c in choices}
    if len(kinds) > 1:
        raise ValueError(
            "these choices were scored differently and cannot share a table: "
            + ", ".join(f"{c.name}: {c.score_name}" for c in choices)
        )
    score_name = choices[0].score_name
    width = max(len("model"), *(len(c.name) for c in choices))
    lines = [f"{'model':<{width}}  {'chosen rate':>11}  {score_name:>16}  grid edge"]
    for c in choices:
        edge = f"AT EDGE: {_edge_direction(c)}" if c.at_edge else "no"
        lines.append(
            f"{c.name:<{width}}  {c.best_rate:>11g}  {_format_score(c.best_score):>16}  {edge}"
        )
    table = "\n".join(lines)
    print(table)
    return table


def _checked_grid(grid: Iterable[float]) -> tuple[float, ...]:
    """The grid as sorted floats, or a ``ValueError`` saying what is wrong with it."""
    values = list(grid)
    bad = [v for v in values if not isinstance(v, numbers.Real) or not math.isfinite(v) or v <= 0]
    if bad:
        raise ValueError(f"learning rates must be positive finite numbers; got {bad!r}")
    rates = tuple(sorted(float(v) for v in values))
    if len(set(rates)) != len(rates):
        raise ValueError(f"the grid repeats a learning rate: {list(rates)}")
    if len(rates) < 3:
        raise ValueError(
            f"a grid needs at least 3 learning rates, got {len(rates)} ({list(rates)}): with "
            "fewer the best one is always at an edge, so the search cannot show it is not. "
            "Try e.g. [1e-3, 3e-3, 1e-2]."
        )
    return rates


def _as_score(result: object, rate: float) -> float:
    """``fit_and_score``'s result as a float, or a ``TypeError`` saying what came back."""
    try:
        return float(result)  # plain numbers, NumPy scalars, 0-d tensors
    except (TypeError, ValueError):
        raise TypeError(
            f"fit_and_score({rate:g}) returned {type(result).__name__}; it must return the "
            "validation score as one number (e.g. history.history['val_loss'][-1])."
        ) from None


def _format_score(score: float) -> str:
    if not math.isfinite(score):
        return DIVERGED
    return f"{score:.4f}" if abs(score) < 1e4 else f"{score:.3e}"


def _edge_direction(choice: Choice) -> str:
    return "smallest rate" if choice.best_index == 0 else "largest rate"


def _edge_advice(grid: tuple[float, ...], best: int) -> str:
    """The edge warning: which edge, and two rates to add in that direction."""
    if best == 0:
        step = grid[0] / grid[1]
        extra = [grid[0] * step**2, grid[0] * step]
        where, direction = "the smallest", "downward"
    else:
        step = grid[-1] / grid[-2]
        extra = [grid[-1] * step, grid[-1] * step**2]
        where, direction = "the largest", "upward"
    suggestion = ", ".join(f"{rate:.2g}" for rate in extra)
    return (
        f"the best rate {grid[best]:g} is {where} of the grid, so a better one may lie beyond "
        f"it: extend the grid {direction} (e.g. add {suggestion}) and run the search again."
    )
