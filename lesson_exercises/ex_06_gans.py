"""Lesson 06's checked exercises: the discriminator loss, the non-saturating generator loss,
and counting the modes a generator covers."""

from __future__ import annotations

import numpy as np

from course_utils.exercises import FunctionExercise

LESSON = "06_gans"


# --- 1. the discriminator's loss -------------------------------------------------------------


def _discriminator_loss(d_real, d_fake):
    d_real = np.asarray(d_real, dtype=np.float64)
    d_fake = np.asarray(d_fake, dtype=np.float64)
    return float(-np.mean(np.log(d_real)) - np.mean(np.log(1.0 - d_fake)))


def _probabilities(n: int, rng: np.random.Generator, low: float = 0.02, high: float = 0.98):
    return rng.uniform(low, high, size=n)


def _random_discriminator_case(rng: np.random.Generator):
    n_real, n_fake = int(rng.integers(1, 40)), int(rng.integers(1, 40))
    return (_probabilities(n_real, rng), _probabilities(n_fake, rng)), {}


discriminator_loss = FunctionExercise(
    lesson=LESSON,
    name="discriminator_loss",
    reference=_discriminator_loss,
    cases=[
        ((np.array([0.5]), np.array([0.5])), {}),  # a clueless discriminator: 2 ln 2
        ((np.array([0.9, 0.8]), np.array([0.1, 0.3])), {}),
        ((np.array([0.99, 0.999]), np.array([0.001, 0.01])), {}),  # a confident, right one
        ((np.array([0.2, 0.4, 0.6]), np.array([0.7])), {}),  # batches of different sizes
        ((np.array([0.3, 0.6]), np.array([0.9, 0.95, 0.8, 0.7])), {}),  # fooled by the fakes
    ],
    random_cases=_random_discriminator_case,
    hints=[
        "The discriminator wants D(x) -> 1 on real samples and D(G(z)) -> 0 on fakes: "
        "binary cross-entropy with label 1 for the first batch and label 0 for the second.",
        "With label 1 the cross-entropy of a probability p is -log(p); with label 0 it is "
        "-log(1 - p). Average each batch separately, then add the two averages.",
        "`-np.mean(np.log(d_real)) - np.mean(np.log(1 - d_fake))`, returned as a float.",
    ],
    solution=(
        "def discriminator_loss(d_real, d_fake):\n"
        "    real_term = -np.mean(np.log(d_real))  # label 1: real samples\n"
        "    fake_term = -np.mean(np.log(1.0 - d_fake))  # label 0: generated samples\n"
        "    return float(real_term + fake_term)"
    ),
)


# --- 2. the non-saturating generator loss ------------------------------------------------------


def _generator_loss(d_fake):
    return float(-np.mean(np.log(np.asarray(d_fake, dtype=np.float64))))


def _random_generator_case(rng: np.random.Generator):
    return (_probabilities(int(rng.integers(1, 50)), rng, 0.001, 0.999),), {}


generator_loss = FunctionExercise(
    lesson=LESSON,
    name="generator_loss",
    reference=_generator_loss,
    cases=[
        ((np.array([0.5]),), {}),  # ln 2
        ((np.array([0.01, 0.02]),), {}),  # the discriminator sees through the fakes: big loss
        ((np.array([0.9, 0.99]),), {}),  # the fakes fool it: small loss
        ((np.array([0.1, 0.5, 0.9, 0.3]),), {}),
    ],
    random_cases=_random_generator_case,
    hints=[
        "The non-saturating loss trains the generator as if its fakes were labelled *real*: "
        "binary cross-entropy with label 1 on D(G(z)).",
        "That is -mean(log D(G(z))). It is NOT the minimax form mean(log(1 - D(G(z)))), whose "
        "gradient vanishes when the discriminator is confident.",
    ],
    solution=("def generator_loss(d_fake):\n    return float(-np.mean(np.log(d_fake)))"),
)


# --- 3. counting covered modes -----------------------------------------------------------------


def _count_covered_modes(samples, centres, radius, min_share=0.01):
    samples = np.asarray(samples, dtype=np.float64).reshape(-1, 2)
    centres = np.asarray(centres, dtype=np.float64).reshape(-1, 2)
    if len(samples) == 0:
        return 0
    distances = np.linalg.norm(samples[:, None, :] - centres[None, :, :], axis=-1)
    shares = (distances <= radius).mean(axis=0)
    return int((shares >= min_share).sum())


def _ring(modes: int, radius: float = 2.0):
    angles = 2 * np.pi * np.arange(modes) / modes
    return radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def _around(centres, counts, std, rng):
    parts = [c + rng.normal(0, std, size=(k, 2)) for c, k in zip(centres, counts, strict=True)]
    return np.concatenate(parts) if parts else np.zeros((0, 2))


def _random_modes_case(rng: np.random.Generator):
    modes = int(rng.integers(3, 10))
    centres = _ring(modes)
    counts = rng.integers(0, 40, size=modes) * (rng.random(modes) < 0.7)
    samples = _around(centres, counts, 0.03, rng)
    stray = rng.uniform(-3, 3, size=(int(rng.integers(0, 30)), 2))  # between the modes
    samples = np.concatenate([samples, stray]) if len(samples) else stray
    return (samples, centres, 0.1), {"min_share": float(rng.choice([0.01, 0.05, 0.1]))}


_rng = np.random.default_rng(6)
_eight = _ring(8)
count_covered_modes = FunctionExercise(
    lesson=LESSON,
    name="count_covered_modes",
    reference=_count_covered_modes,
    cases=[
        ((_around(_eight, [50] * 8, 0.02, _rng), _eight, 0.1), {}),  # every mode: 8
        ((_around(_eight, [400, 0, 0, 0, 0, 0, 0, 0], 0.02, _rng), _eight, 0.1), {}),  # collapse
        ((np.zeros((100, 2)), _eight, 0.1), {}),  # all samples at the centre of the ring: 0
        # three modes, one of them holding only 2 of 300 samples (0.7% < 1%): it does not count
        ((_around(_eight, [149, 149, 2, 0, 0, 0, 0, 0], 0.02, _rng), _eight, 0.1), {}),
        ((np.array([[2.0, 0.1], [2.0, -0.1]]), _eight, 0.1), {}),  # exactly on the edge: inside
        ((np.zeros((0, 2)), _eight, 0.1), {}),  # no samples: 0
        ((_around(_eight, [30] * 8, 0.02, _rng), _eight, 0.1), {"min_share": 0.2}),
    ],
    random_cases=_random_modes_case,
    hints=[
        "Compute the distance from every sample to every centre: an (n_samples, n_modes) "
        "array. Broadcasting `samples[:, None, :] - centres[None, :, :]` gives the differences.",
        "A mode is covered when the share of ALL samples within `radius` of its centre "
        "(distance <= radius) is at least `min_share`. Averaging a boolean column over the "
        "samples gives that share directly.",
        "Return an int, and 0 when there are no samples at all (a mean over nothing is NaN).",
    ],
    solution=(
        "def count_covered_modes(samples, centres, radius, min_share=0.01):\n"
        "    samples = np.asarray(samples, dtype=float).reshape(-1, 2)\n"
        "    if len(samples) == 0:\n"
        "        return 0\n"
        "    d = np.linalg.norm(samples[:, None, :] - centres[None, :, :], axis=-1)\n"
        "    shares = (d <= radius).mean(axis=0)  # one share per mode\n"
        "    return int((shares >= min_share).sum())"
    ),
)
