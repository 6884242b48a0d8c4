"""Canonical datasets: cached copies, checksums, opt-in downloads, clear failures, no network."""

import dataclasses
import gzip
import hashlib
import io
import struct
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from course_utils.data import (
    DatasetUnavailable,
    cache_dir,
    canonical,
    load_fashion_mnist,
    load_mnist,
)


@pytest.fixture(autouse=True)
def offline(monkeypatch, tmp_path):
    """An empty course cache, an empty Keras cache, downloads off and no network at all."""
    monkeypatch.setenv("COURSE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.delenv("COURSE_ALLOW_DOWNLOAD", raising=False)
    for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.setenv(proxy, "http://127.0.0.1:9")

    def no_network(url, *args, **kwargs):
        raise urllib.error.URLError("network is blocked in tests")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    return tmp_path / "cache"


def fake_mnist_bytes(n_train: int = 200, n_test: int = 30) -> bytes:
    rng = np.random.default_rng(0)
    buffer = io.BytesIO()
    np.savez(
        buffer,
        x_train=rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        y_train=np.arange(n_train, dtype=np.uint8) % 10,
        x_test=rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        y_test=np.arange(n_test, dtype=np.uint8) % 10,
    )
    return buffer.getvalue()


def expect_checksum(monkeypatch, dataset: str, contents: list[bytes]) -> None:
    files = tuple(
        dataclasses.replace(f, digest=hashlib.new(f.algorithm, data).hexdigest())
        for f, data in zip(canonical.DATASETS[dataset], contents, strict=True)
    )
    monkeypatch.setitem(canonical.DATASETS, dataset, files)


def test_cache_dir_follows_the_environment(offline):
    assert cache_dir() == offline


def test_cached_mnist_loads_as_a_split(monkeypatch, offline):
    data = fake_mnist_bytes()
    offline.mkdir()
    (offline / "mnist.npz").write_bytes(data)
    expect_checksum(monkeypatch, "mnist", [data])
    split = load_mnist(val_fraction=0.1)
    assert split.x_train.shape == (180, 28, 28, 1) and split.x_val.shape == (20, 28, 28, 1)
    assert split.x_test.shape == (30, 28, 28, 1)
    assert split.x_train.dtype == np.float32 and split.y_train.dtype == np.int64
    assert split.x_train.min() >= 0.0 and split.x_train.max() <= 1.0
    assert np.bincount(split.y_val, minlength=10).tolist() == [2] * 10


def test_keras_cache_is_reused(monkeypatch, offline, tmp_path):
    data = fake_mnist_bytes()
    keras_copy = tmp_path / "keras" / "datasets" / "mnist.npz"
    keras_copy.parent.mkdir(parents=True)
    keras_copy.write_bytes(data)
    expect_checksum(monkeypatch, "mnist", [data])
    assert load_mnist().x_test.shape == (30, 28, 28, 1)
    assert not offline.exists()


def test_missing_file_fails_fast_and_says_what_to_do(offline):
    with pytest.raises(DatasetUnavailable) as info:
        load_mnist()
    message = str(info.value)
    assert "No cached copy" in message and "Downloads are off" in message
    assert str(offline / "mnist.npz") in message
    assert "download=True" in message and "COURSE_ALLOW_DOWNLOAD=1" in message
    assert "load_digits()" in message
    assert isinstance(info.value, RuntimeError)


def test_download_disallowed_by_default(monkeypatch):
    calls = []
    monkeypatch.setattr(urllib.request, "urlopen", lambda *a, **k: calls.append(a))
    with pytest.raises(DatasetUnavailable):
        load_fashion_mnist()
    assert calls == []


def test_offline_download_fails_with_a_clear_message(monkeypatch, offline):
    monkeypatch.setenv("COURSE_ALLOW_DOWNLOAD", "1")
    with pytest.raises(DatasetUnavailable) as info:
        load_mnist()
    message = str(info.value)
    assert "Download failed" in message and "could not be reached" in message
    assert "load_digits()" in message
    assert not offline.exists() or not any(offline.iterdir())


def test_corrupt_cached_file_is_reported_and_kept(monkeypatch, offline):
    offline.mkdir()
    cached = offline / "mnist.npz"
    cached.write_bytes(b"not really an npz")
    with pytest.raises(DatasetUnavailable) as info:
        load_mnist()
    assert "does not match its sha256 checksum" in str(info.value)
    assert "left in place" in str(info.value)
    assert cached.read_bytes() == b"not really an npz"


def test_download_writes_atomically_after_checking(monkeypatch, offline, capsys):
    data = fake_mnist_bytes()
    expect_checksum(monkeypatch, "mnist", [data])
    offline.mkdir()
    (offline / "mnist.npz").write_bytes(b"corrupt")
    seen = []

    def fake_urlopen(url, timeout):
        seen.append((url, timeout))
        return io.BytesIO(data)

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    split = load_mnist(download=True)
    assert split.x_test.shape == (30, 28, 28, 1)
    assert seen == [(canonical.DATASETS["mnist"][0].urls[0], canonical.DOWNLOAD_TIMEOUT_S)]
    assert (offline / "mnist.npz").read_bytes() == data
    aside = [p for p in offline.iterdir() if ".corrupt-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes() == b"corrupt"
    assert "moved it aside" in capsys.readouterr().out
    assert not [p for p in offline.iterdir() if p.name.endswith(".part")]


def test_download_with_wrong_checksum_keeps_nothing(monkeypatch, offline):
    monkeypatch.setattr(urllib.request, "urlopen", lambda url, timeout: io.BytesIO(b"junk"))
    with pytest.raises(DatasetUnavailable, match="checksum does not match"):
        load_mnist(download=True)
    assert list(offline.iterdir()) == []


def test_download_timeout_is_reported(monkeypatch):
    def slow(url, timeout):
        raise TimeoutError("timed out")

    monkeypatch.setattr(urllib.request, "urlopen", slow)
    with pytest.raises(DatasetUnavailable, match="timed out after 30 s"):
        load_mnist(download=True)


def idx_gz(array: np.ndarray) -> bytes:
    header = bytes([0, 0, 8, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return gzip.compress(header + array.astype(np.uint8).tobytes())


def test_cached_fashion_mnist_loads(monkeypatch, offline):
    rng = np.random.default_rng(1)
    arrays = [
        rng.integers(0, 256, (100, 28, 28)),
        np.arange(100) % 10,
        rng.integers(0, 256, (20, 28, 28)),
        np.arange(20) % 10,
    ]
    contents = [idx_gz(a) for a in arrays]
    expect_checksum(monkeypatch, "fashion_mnist", contents)
    for file, data in zip(canonical.DATASETS["fashion_mnist"], contents, strict=True):
        (offline / file.name).parent.mkdir(parents=True, exist_ok=True)
        (offline / file.name).write_bytes(data)
    split = load_fashion_mnist(val_fraction=0.2)
    assert split.x_train.shape == (80, 28, 28, 1) and split.x_val.shape == (20, 28, 28, 1)
    np.testing.assert_array_equal(split.y_test, arrays[3])
    np.testing.assert_allclose(split.x_test[..., 0] * 255, arrays[2], atol=1e-3)


def test_every_mirror_is_https():
    urls = [url for files in canonical.DATASETS.values() for f in files for url in f.urls]
    assert urls and all(url.startswith("https://") for url in urls)
    with pytest.raises(ValueError, match="https"):
        dataclasses.replace(canonical.DATASETS["mnist"][0], urls=("http://example.org/m.npz",))


def test_download_stops_past_the_expected_size(monkeypatch, offline):
    """300 MB were accepted for an 11 MB file; now the download stops at the published size."""
    file = dataclasses.replace(canonical.DATASETS["mnist"][0], n_bytes=1000)
    monkeypatch.setitem(canonical.DATASETS, "mnist", (file,))
    sent = []

    class Endless(io.RawIOBase):
        def read1(self, n: int = -1) -> bytes:
            sent.append(n)
            return b"x" * 400

    monkeypatch.setattr(urllib.request, "urlopen", lambda url, timeout: Endless())
    with pytest.raises(DatasetUnavailable, match="more than the expected 1,000 bytes"):
        load_mnist(download=True)
    assert len(sent) == 3  # 400, 800, then 1,200 > 1,000: stopped
    assert not [p for p in offline.iterdir() if p.name.endswith(".part")]


def test_download_has_an_overall_deadline(monkeypatch, offline):
    """A slow drip of bytes never hit the per-read timeout; the deadline ends it."""
    clock = iter(range(0, 10_000, 100))
    monkeypatch.setattr(canonical.time, "monotonic", lambda: next(clock))
    monkeypatch.setattr(canonical, "DOWNLOAD_DEADLINE_S", 250.0)

    class Drip(io.RawIOBase):
        def read1(self, n: int = -1) -> bytes:
            return b"x"

    monkeypatch.setattr(urllib.request, "urlopen", lambda url, timeout: Drip())
    with pytest.raises(DatasetUnavailable, match="did not finish within 250 s"):
        load_mnist(download=True)


def test_read_only_cache_with_a_corrupt_file_gives_one_clear_error(monkeypatch, offline):
    """It raised a raw PermissionError from moving the corrupt file aside."""
    offline.mkdir()
    (offline / "mnist.npz").write_bytes(b"corrupt")

    def refuse(self, target):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(canonical.Path, "rename", refuse)
    with pytest.raises(DatasetUnavailable) as info:
        load_mnist(download=True)
    message = str(info.value)
    assert "cannot be moved aside" in message and "not writable" in message
    assert "COURSE_CACHE_DIR" in message
    assert (offline / "mnist.npz").read_bytes() == b"corrupt"


# --- A cached file that cannot be read -----------------------------------------------------------


def test_an_unreadable_cached_dataset_is_the_loaders_own_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COURSE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setenv("COURSE_ALLOW_DOWNLOAD", "0")
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "mnist.npz").write_bytes(b"unreadable")

    def denied(path: Path, algorithm: str) -> str:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(canonical, "_digest", denied)
    with pytest.raises(DatasetUnavailable, match="mnist.npz cannot be read.*Permission denied"):
        load_mnist()
