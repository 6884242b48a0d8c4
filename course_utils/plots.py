"""Figures a teacher would draw on the board, made from data and models.

Every function draws with matplotlib and returns the figure, so a lesson can save or tweak
it. ``LiveCurve`` is a Keras callback that redraws the training curves while ``fit`` runs.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure


def image_grid(
    images: np.ndarray,
    titles: Sequence[str] | None = None,
    ncols: int = 8,
    cmap: str = "gray",
    size: float = 1.4,
    suptitle: str | None = None,
    vmin: float | None = None,
    vmax: float | None = None,
) -> Figure:
    """Show images ``(N, H, W)``, ``(N, H, W, 1)`` or ``(N, H, W, 3)`` in a grid.

    Each image gets its own colour scale unless ``vmin``/``vmax`` fix it; ``titles`` (one per
    image) are written above the images. Grey-level grids are drawn as one mosaic (one axes
    instead of N: a titled grid of 32 draws about five times faster); colour images get an
    axes each.
    """
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    count = len(images)
    ncols = max(1, min(ncols, count))
    nrows = int(np.ceil(count / ncols))
    title_room = 0.0 if titles is None else 0.25  # inches above each row
    figsize = (size * ncols, (size + title_room) * nrows + 0.3)
    if images.ndim == 3:
        height, width, gap = images.shape[1], images.shape[2], 1
        row_gap = gap + int(np.ceil(height * title_room / size))  # in image pixels
        fig, ax = plt.subplots(figsize=figsize)
        palette = plt.get_cmap(cmap).with_extremes(bad="white")  # the gaps between tiles
        canvas = _mosaic(images, ncols, vmin, vmax, gap=gap, row_gap=row_gap)
        top_pad = np.full((row_gap - gap, canvas.shape[1]), np.nan)  # room for the first titles
        ax.imshow(np.vstack([top_pad, canvas]), cmap=palette, vmin=0, vmax=1)
        ax.axis("off")
        for index, title in enumerate(titles or []):
            row, col = divmod(index, ncols)
            x = col * (width + gap) + (width - 1) / 2  # the centre of the tile
            y = (row_gap - gap) + row * (height + row_gap) - 0.5  # the top edge of the image
            ax.text(x, y, title, ha="center", va="bottom", fontsize=8)
    else:
        fig, axes = plt.subplots(nrows, ncols, figsize=figsize, squeeze=False)
        for index, ax in enumerate(axes.flat):
            ax.axis("off")
            if index >= count:
                continue
            ax.imshow(images[index], cmap=cmap, vmin=vmin, vmax=vmax)
            if titles is not None:
                ax.set_title(titles[index], fontsize=8)
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout()
    return fig


def _mosaic(
    images: np.ndarray,
    ncols: int,
    vmin: float | None,
    vmax: float | None,
    gap: int = 1,
    row_gap: int | None = None,
) -> np.ndarray:
    """Tiles ``(N, H, W)`` → one ``(rows·(H+row_gap)-row_gap, ncols·(W+gap)-gap)`` array.

    Each tile is scaled to [0, 1] as ``imshow`` would scale it alone: ``vmin``/``vmax`` when
    given, otherwise the tile's own minimum/maximum. Gaps (``row_gap`` between rows, ``gap``
    by default) are NaN (drawn in white).
    """
    row_gap = gap if row_gap is None else row_gap
    count, height, width = images.shape
    nrows = int(np.ceil(count / ncols))
    canvas = np.full((nrows * (height + row_gap) - row_gap, ncols * (width + gap) - gap), np.nan)
    for index, image in enumerate(images.astype(float)):
        low = image.min() if vmin is None else vmin
        high = image.max() if vmax is None else vmax
        scaled = (image - low) / (high - low) if high > low else np.zeros_like(image)
        row, col = divmod(index, ncols)
        top, left = row * (height + row_gap), col * (width + gap)
        canvas[top : top + height, left : left + width] = np.clip(scaled, 0, 1)
    return canvas


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, title: str = "") -> Figure:
    """Confusion matrix (rows: true class, columns: predicted), counts in each cell."""
    from sklearn.metrics import ConfusionMatrixDisplay

    display = ConfusionMatrixDisplay.from_predictions(y_true, y_pred, colorbar=False)
    display.ax_.set_title(title or "Confusion matrix (rows: true, columns: predicted)")
    display.figure_.set_size_inches(4.8, 4.8)
    return display.figure_


def attention_heatmap(
    weights: np.ndarray,
    query_labels: Sequence[str],
    key_labels: Sequence[str],
    title: str = "",
    ax: plt.Axes | None = None,
) -> Figure:
    """Heatmap of attention weights ``(queries, keys)``: row i says where query i looks; a
    colour bar gives the weight each colour stands for."""
    if ax is None:
        fig, ax = plt.subplots(figsize=(0.32 * len(key_labels) + 1.5, 0.32 * len(query_labels) + 1))
    else:
        fig = ax.figure
    image = ax.imshow(weights, cmap="viridis", vmin=0, aspect="auto")
    fig.colorbar(image, ax=ax, label="attention weight", fraction=0.046, pad=0.02)
    ax.set_xticks(range(len(key_labels)), labels=list(key_labels), fontsize=7)
    ax.set_yticks(range(len(query_labels)), labels=list(query_labels), fontsize=7)
    ax.set_xlabel("keys (attended to)")
    ax.set_ylabel("queries (attending)")
    ax.set_title(title)
    return fig


def _callback_base():
    import keras

    return keras.callbacks.Callback


def _duration(seconds: float) -> str:
    """``"7 s"``, ``"2 min 5 s"``: a rounded duration for progress lines."""
    seconds = max(0, round(seconds))
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


class LiveCurve(_callback_base()):
    """A Keras callback that redraws loss and metric curves in place during ``fit``.

    ``model.fit(..., callbacks=[LiveCurve()])``. In a notebook the figure updates in one
    output area (first after ``min_interval`` seconds of training, then at most every
    ``min_interval`` seconds, and at the end); elsewhere it prints one line per update. A fit
    shorter than ``min_interval`` is drawn once, at the end. Redrawing never takes more than
    about a tenth of the training time: after a draw that took ``d`` seconds the next waits at
    least ``9 d``. The title says how far training has gone and how long it still needs
    ("epoch 22/60, about 7 s left"; at the end "60 epochs in 21 s"); epochs are drawn as
    points when there are few of them, so a one-epoch fit shows its values too. The finished
    figure stays in the notebook as the record of the run.
    """

    #: Fits with at most this many epochs draw a marker on every epoch.
    MARKERS_UP_TO = 20

    def __init__(
        self, metrics: Sequence[str] | None = None, title: str = "", min_interval: float = 1.0
    ):
        super().__init__()
        self.metrics = list(metrics) if metrics else None
        self.title = title
        self.min_interval = min_interval
        self.history: dict[str, list[float]] = {}
        self._handle = None
        self._next_draw = 0.0
        self._drawn = 0
        self._started = 0.0
        self._finished = False

    def on_train_begin(self, logs=None):
        self.history = {}
        self._started = time.monotonic()
        self._next_draw = self._started + self.min_interval
        self._drawn = 0
        self._finished = False

    def on_epoch_end(self, epoch, logs=None):
        for name, value in (logs or {}).items():
            self.history.setdefault(name, []).append(float(value))
        if time.monotonic() >= self._next_draw:
            self._draw(epoch + 1)

    def on_train_end(self, logs=None):
        epochs_done = len(next(iter(self.history.values()), []))
        self._finished = True
        if epochs_done > self._drawn:
            self._draw(epochs_done)

    def progress_text(self, epochs_done: int) -> str:
        """``"epoch 22/60, about 7 s left"`` while training, ``"60 epochs in 21 s"`` at the end."""
        elapsed = time.monotonic() - self._started
        total = (getattr(self, "params", None) or {}).get("epochs")
        if self._finished or not total:
            unit = "epoch" if epochs_done == 1 else "epochs"
            return f"{epochs_done} {unit} in {_duration(elapsed)}"
        left = elapsed / max(epochs_done, 1) * (total - epochs_done)
        return f"epoch {epochs_done}/{total}, about {_duration(left)} left"

    def _names(self) -> list[str]:
        names = self.metrics or [n for n in self.history if not n.startswith("val_")]
        return [n for n in names if n in self.history and n != "learning_rate"]

    def _draw(self, epochs_done: int) -> None:
        start = time.monotonic()
        self._render(epochs_done)
        self._drawn = epochs_done
        spent = time.monotonic() - start
        self._next_draw = time.monotonic() + max(self.min_interval, 9 * spent)

    def _render(self, epochs_done: int) -> None:
        names = self._names()
        if not names:
            return
        fig, axes = plt.subplots(1, len(names), figsize=(4.2 * len(names), 3.0), squeeze=False)
        marker = "o" if epochs_done <= self.MARKERS_UP_TO else None
        epochs = range(1, epochs_done + 1)
        for ax, name in zip(axes.flat, names, strict=True):
            ax.plot(epochs, self.history[name], marker=marker, label="train")
            if f"val_{name}" in self.history:
                values = self.history[f"val_{name}"]
                ax.plot(epochs, values, marker=marker, label="validation")
            ax.set_xlabel("epoch")
            ax.set_ylabel(name)
            if epochs_done <= 1:
                ax.set_xticks([1])
            ax.legend()
        latest = ", ".join(f"{n} {self.history[n][-1]:.4g}" for n in self.history)
        where = self.progress_text(epochs_done)
        fig.suptitle(f"{self.title} {where}: {latest}".strip(), fontsize=9)
        fig.tight_layout()
        self._show(fig, f"{where}: {latest}")
        plt.close(fig)

    def _show(self, fig: Figure, line: str) -> None:
        try:
            from IPython import get_ipython
            from IPython.display import display
        except ImportError:
            get_ipython = None
        if get_ipython is None or get_ipython() is None:
            print(line)
            return
        if self._handle is None:
            self._handle = display(fig, display_id=True)
        else:
            self._handle.update(fig)
