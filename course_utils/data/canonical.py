"""Canonical datasets (MNIST, Fashion-MNIST) for online learners: cached, verified, opt-in.

Lookup order for each file: the course cache (:func:`cache_dir`), then Keras' own cache
(``$KERAS_HOME/datasets``, default ``~/.keras/datasets``), so a copy that Keras already
downloaded is reused. Nothing is downloaded unless ``download=True`` is passed or
``COURSE_ALLOW_DOWNLOAD=1`` is set. Every file is checked against a published checksum.
Whatever goes wrong is raised as one :class:`DatasetUnavailable` with a plain message.
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import os
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from course_utils.data.splits import Split
from course_utils.env import env_flag

DOWNLOAD_TIMEOUT_S = 30.0
"""Seconds a download may wait for the server to answer or to send the next bytes."""
DOWNLOAD_DEADLINE_S = 600.0
"""Seconds one file's whole download may take, however slowly the bytes keep coming."""

_KERAS_BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
_ZALANDO_BASE = (
    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"
)


def _mirrors(file: str) -> tuple[str, ...]:
    return (_KERAS_BASE + file, _ZALANDO_BASE + file)


class DatasetUnavailable(RuntimeError):
    """A canonical dataset could not be loaded; the message says why and what to do."""


@dataclass(frozen=True)
class RemoteFile:
    """One file of a dataset: where it lives in the cache, where to get it, its checksum."""

    name: str
    urls: tuple[str, ...]
    algorithm: str
    digest: str
    size: str
    n_bytes: int  # the published file's exact size: a download stops past it

    def __post_init__(self) -> None:
        insecure = [url for url in self.urls if not url.startswith("https://")]
        if insecure:
            raise ValueError(f"downloads must use https, not {insecure}")


# MNIST: the Keras-format npz and the SHA-256 that keras.datasets.mnist checks.
# Fashion-MNIST: the four gzipped IDX files; Zalando's README publishes MD5 checksums only.
DATASETS: dict[str, tuple[RemoteFile, ...]] = {
    "mnist": (
        RemoteFile(
            "mnist.npz",
            (_KERAS_BASE + "mnist.npz",),
            "sha256",
            "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
            "11 MB",
            11_490_434,
        ),
    ),
    "fashion_mnist": tuple(
        RemoteFile(f"fashion-mnist/{file}", _mirrors(file), "md5", md5, size, n_bytes)
        for file, md5, size, n_bytes in (
            ("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d", "26 MB", 26_421_880),
            ("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe", "29 kB", 29_515),
            ("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79", "4.3 MB", 4_422_102),
            ("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310", "5 kB", 5_148),
        )
    ),
}


def cache_dir() -> Path:
    """Where downloads go: ``$COURSE_CACHE_DIR``, else the platform's user cache folder
    for ``dl-architectures-hands-on`` (e.g. ``~/.cache/dl-architectures-hands-on``)."""
    override = os.environ.get("COURSE_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("dl-architectures-hands-on"))


def load_mnist(seed: int = 0, val_fraction: float = 0.1, download: bool | None = None) -> Split:
    """MNIST: 70,000 handwritten digits, 28x28 (needs a cached copy or ``download=True``).

    ``x_*`` float32 ``(n, 28, 28, 1)`` in ``[0, 1]``; ``y_*`` int64 ``(n,)`` labels 0..9.
    The official 10,000 test images are the test part; ``val_fraction`` of the 60,000
    training images (stratified, under ``seed``) is the validation part: 54,000 / 6,000 /
    10,000 by default. File: ``mnist.npz`` (Keras format, SHA-256 checked), 11 MB.
    Raises :class:`DatasetUnavailable` when it cannot (offline: use ``load_digits()``).
    """
    (path,) = _ensure("mnist", download)
    try:
        with np.load(path, allow_pickle=False) as f:
            arrays = f["x_train"], f["y_train"], f["x_test"], f["y_test"]
    except (OSError, ValueError, KeyError) as exc:
        raise DatasetUnavailable(f"{path} is not a readable MNIST npz file ({exc}).") from exc
    return _to_split(*arrays, seed=seed, val_fraction=val_fraction)


def load_fashion_mnist(
    seed: int = 0, val_fraction: float = 0.1, download: bool | None = None
) -> Split:
    """Fashion-MNIST: 70,000 28x28 photos of clothes in 10 classes (Zalando Research).

    Same shapes, split and options as :func:`load_mnist`; labels 0..9 are T-shirt/top,
    trouser, pullover, dress, coat, sandal, shirt, sneaker, bag, ankle boot. Files: the four
    gzipped IDX files in ``fashion-mnist/`` (MD5 checked, as published by Zalando), 30 MB.
    """
    paths = _ensure("fashion_mnist", download)
    try:
        x_train, y_train, x_test, y_test = (_read_idx(paths[i]) for i in (0, 1, 2, 3))
    except (OSError, ValueError, EOFError) as exc:
        raise DatasetUnavailable(f"a Fashion-MNIST file is not readable ({exc}).") from exc
    return _to_split(x_train, y_train, x_test, y_test, seed=seed, val_fraction=val_fraction)


def _to_split(
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_test: np.ndarray,
    y_test: np.ndarray,
    seed: int,
    val_fraction: float,
) -> Split:
    """uint8 images (n, 28, 28) and labels -> a Split with a stratified validation part."""
    from sklearn.model_selection import train_test_split

    def images(x: np.ndarray) -> np.ndarray:
        return (np.asarray(x, dtype=np.float32) / 255.0)[..., np.newaxis]

    y_train, y_test = np.asarray(y_train, np.int64), np.asarray(y_test, np.int64)
    train, val = train_test_split(
        np.arange(len(y_train)), test_size=val_fraction, stratify=y_train, random_state=seed
    )
    train, val = np.sort(train), np.sort(val)
    parts = (x_train[train], y_train[train]), (x_train[val], y_train[val]), (x_test, y_test)
    return Split(*(a for x, y in parts for a in (images(x), y)))


def _read_idx(path: Path) -> np.ndarray:
    """A gzipped IDX file of unsigned bytes (the MNIST file format) as a uint8 array."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    if len(data) < 4 or data[:3] != b"\x00\x00\x08":
        raise ValueError(f"{path} is not an IDX file of unsigned bytes")
    ndim = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def _keras_cache() -> Path:
    return Path(os.environ.get("KERAS_HOME", Path.home() / ".keras")) / "datasets"


def _digest(path: Path, algorithm: str) -> str:
    h = hashlib.new(algorithm)
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _download_allowed(download: bool | None) -> bool:
    return env_flag("COURSE_ALLOW_DOWNLOAD") if download is None else download


def _ensure(dataset: str, download: bool | None) -> list[Path]:
    """Verified local paths of every file of ``dataset``, downloading only if allowed."""
    return [_ensure_file(dataset, file, _download_allowed(download)) for file in DATASETS[dataset]]


def _ensure_file(dataset: str, file: RemoteFile, allowed: bool) -> Path:
    target = cache_dir() / file.name
    candidates = (target, _keras_cache() / file.name)
    corrupt = []
    for candidate in candidates:
        if candidate.is_file():
            try:
                actual = _digest(candidate, file.algorithm)
            except OSError as exc:
                corrupt.append(f"{candidate} cannot be read ({exc.strerror or exc}).")
                continue
            if actual == file.digest:
                return candidate
            corrupt.append(
                f"{candidate} does not match its {file.algorithm} checksum "
                f"(got {actual}, expected {file.digest}); the file was left in place."
            )
    if not allowed:
        missing = (
            f"No cached copy of {file.name} (looked for {' and '.join(map(str, candidates))})."
        )
        problem = " ".join(corrupt) or missing
        raise _unavailable(dataset, problem + " Downloads are off (the default).", target)
    if target.is_file():
        aside = target.with_name(f"{target.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            target.rename(aside)
        except OSError as exc:
            raise _unavailable(
                dataset,
                f"{target} fails its checksum and cannot be moved aside ({exc.strerror or exc}): "
                f"the cache folder {target.parent} is not writable. Delete that file, make the "
                "folder writable, or set COURSE_CACHE_DIR to a writable folder.",
                target,
            ) from None
        print(f"{target} failed its checksum; moved it aside to {aside}, downloading again.")
    errors = _download(file, target)
    if errors:
        raise _unavailable(dataset, "Download failed: " + "; ".join(errors) + ".", target)
    return target


def _download(file: RemoteFile, target: Path) -> list[str]:
    """Try each URL in turn; write to a temporary file, verify, rename. Returns the errors."""
    errors = []
    for url in file.urls:
        tmp: Path | None = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            print(f"Downloading {url} ({file.size}) to {target} ...", flush=True)
            h = hashlib.new(file.algorithm)
            received = 0
            deadline = time.monotonic() + DOWNLOAD_DEADLINE_S
            with (
                urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_S) as response,
                tempfile.NamedTemporaryFile(
                    dir=target.parent, prefix=f".{target.name}.", suffix=".part", delete=False
                ) as out,
            ):
                tmp = Path(out.name)
                while chunk := response.read1(1 << 16):
                    received += len(chunk)
                    if received > file.n_bytes:
                        raise _TooLarge(f"{url} sent more than the expected {file.n_bytes:,} bytes")
                    if time.monotonic() > deadline:
                        raise _TooSlow(
                            f"{url} did not finish within {DOWNLOAD_DEADLINE_S:.0f} s "
                            f"({received:,} of {file.n_bytes:,} bytes)"
                        )
                    h.update(chunk)
                    out.write(chunk)
            if h.hexdigest() != file.digest:
                errors.append(f"{url} gave a file whose checksum does not match")
                continue
            os.replace(tmp, target)
            tmp = None
            return []
        except (_TooLarge, _TooSlow) as exc:
            errors.append(str(exc))
        except TimeoutError:
            errors.append(f"{url} timed out after {DOWNLOAD_TIMEOUT_S:.0f} s")
        except urllib.error.URLError as exc:
            errors.append(f"{url} could not be reached ({exc.reason})")
        except (OSError, http.client.HTTPException) as exc:
            errors.append(f"{url} failed ({exc})")
        finally:
            if tmp is not None:
                tmp.unlink(missing_ok=True)
    return errors


class _TooLarge(Exception):
    """The server sent more bytes than the published file has."""


class _TooSlow(Exception):
    """The whole download took longer than :data:`DOWNLOAD_DEADLINE_S`."""


def _unavailable(dataset: str, problem: str, target: Path) -> DatasetUnavailable:
    loader = f"load_{dataset}"
    sizes = ", ".join(f.size for f in DATASETS[dataset])
    return DatasetUnavailable(
        f"{dataset} is not available. {problem}\n"
        f"The file belongs at {target} (set COURSE_CACHE_DIR to move the cache folder).\n"
        f"To download {dataset} ({sizes}), run course_utils.data.{loader}(download=True) or set "
        f"COURSE_ALLOW_DOWNLOAD=1, with internet access.\n"
        f"Offline? Use course_utils.data.load_digits(), real handwritten digits that need "
        f"no download."
    )
