"""Fixed train/validation/test splits: the ``Split`` container and the index splitter."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, repr=False)
class Split:
    """A dataset cut into training, validation and test parts (NumPy arrays).

    ``split.train`` is ``(x_train, y_train)``, so ``model.fit(*split.train,
    validation_data=split.val)`` works. ``print(split)`` shows shapes, dtypes and ranges.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray

    @property
    def train(self) -> tuple[np.ndarray, np.ndarray]:
        return self.x_train, self.y_train

    @property
    def val(self) -> tuple[np.ndarray, np.ndarray]:
        return self.x_val, self.y_val

    @property
    def test(self) -> tuple[np.ndarray, np.ndarray]:
        return self.x_test, self.y_test

    def summary(self) -> str:
        """One line per part: shapes, dtypes, the range of ``x`` and the number of classes."""
        lines = []
        for part in ("train", "val", "test"):
            x, y = getattr(self, part)
            x_range = f" in [{x.min():.3g}, {x.max():.3g}]" if x.size else ""
            lines.append(
                f"{part:<5}  x {x.shape} {x.dtype}{x_range}  y {y.shape} {y.dtype}"
                f"  ({len(np.unique(y))} classes)"
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"Split(\n{self.summary()}\n)"


def split_indices(
    y: np.ndarray, val_fraction: float, test_fraction: float, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stratified, shuffled indices ``(train, val, test)`` into ``y`` (each sorted, int64).

    ``test_fraction`` and ``val_fraction`` are fractions of the *whole* dataset; the class
    proportions of ``y`` are kept in every part (scikit-learn ``train_test_split``, rounding
    the held-out parts up). The same ``seed`` always gives the same indices.
    """
    from sklearn.model_selection import train_test_split

    if not (0 < test_fraction < 1 and 0 < val_fraction < 1 and val_fraction + test_fraction < 1):
        raise ValueError(
            "need 0 < val_fraction, test_fraction and val_fraction + test_fraction < 1"
        )
    index = np.arange(len(y))
    rest, test = train_test_split(index, test_size=test_fraction, stratify=y, random_state=seed)
    train, val = train_test_split(
        rest,
        test_size=val_fraction / (1.0 - test_fraction),
        stratify=y[rest],
        random_state=seed,
    )
    return np.sort(train), np.sort(val), np.sort(test)
