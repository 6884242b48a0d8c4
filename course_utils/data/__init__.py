"""Datasets for the lessons, as NumPy arrays with fixed splits under a seed.

Everything here works offline (scikit-learn, matplotlib, statsmodels and Python ship the
data, or code generates it), except :func:`load_mnist` and :func:`load_fashion_mnist`,
which need a cached copy or ``download=True``. Importing this package imports neither
TensorFlow nor Keras; the libraries that hold the data are imported when a loader runs.
Sources and licences: ``data/README.md``.

=====================  ==============================================================
lesson                 loaders it calls
=====================  ==============================================================
00 welcome             :func:`load_digits`
01 CNN                 :func:`load_digits`, :func:`load_photo`
02 RNN                 :func:`load_co2`, :func:`make_windows`, :func:`adding_problem`,
                       :func:`henon_series`, :func:`load_stdlib_source`,
                       :class:`CharVocab`, :func:`char_sequences`
03 LSTM                :func:`load_co2`, :func:`make_windows`, :func:`adding_problem`,
                       :func:`load_stdlib_source`, :class:`CharVocab`,
                       :func:`char_sequences`
04 GRU                 :func:`adding_problem`, :func:`load_stdlib_source`,
                       :class:`CharVocab`, :func:`char_sequences`
05 autoencoders        :func:`load_digits`
06 GANs                :func:`ring_of_gaussians`, :func:`ring_centres`,
                       :func:`count_modes`, :func:`mode_shares`, :func:`load_digits`
07 transformers        :func:`date_pairs`, :func:`encode_dates`, :func:`decode_dates`
08 pretraining         :func:`load_stdlib_source`, :func:`module_windows`,
                       :func:`per_class_subset`
=====================  ==============================================================

Not called by a lesson, kept for learners' own experiments ("going further", as
``data/README.md`` lists them): :func:`scramble_spans` (named in 08's going-further cell),
:func:`load_sunspots` (a second real series), :func:`load_docs_text` (the corpus to use
where Python's sources are stripped; :func:`load_stdlib_source` says so when it fails) and
the canonical :func:`load_mnist` / :func:`load_fashion_mnist` (online, opt-in).
"""

from course_utils.data.canonical import (
    DatasetUnavailable,
    cache_dir,
    load_fashion_mnist,
    load_mnist,
)
from course_utils.data.dates import (
    DATE_FORMATS,
    DATE_INPUT_LEN,
    DATE_INPUT_VOCAB,
    DATE_OUTPUT_LEN,
    DATE_OUTPUT_VOCAB,
    date_pairs,
    decode_dates,
    encode_dates,
)
from course_utils.data.images import PHOTOS, load_digits, load_photo
from course_utils.data.labels import (
    TOPIC_MODULES,
    module_windows,
    per_class_subset,
    scramble_spans,
)
from course_utils.data.nonlinear import henon_series
from course_utils.data.series import WindowedSeries, load_co2, load_sunspots, make_windows
from course_utils.data.splits import Split, split_indices
from course_utils.data.tasks import (
    ADDING_BASELINE_MSE,
    adding_problem,
    count_modes,
    mode_shares,
    ring_centres,
    ring_of_gaussians,
)
from course_utils.data.text import (
    CharVocab,
    CodeCorpus,
    char_sequences,
    load_docs_text,
    load_stdlib_source,
    split_text,
)

__all__ = [
    "ADDING_BASELINE_MSE",
    "DATE_FORMATS",
    "DATE_INPUT_LEN",
    "DATE_INPUT_VOCAB",
    "DATE_OUTPUT_LEN",
    "DATE_OUTPUT_VOCAB",
    "PHOTOS",
    "TOPIC_MODULES",
    "CharVocab",
    "CodeCorpus",
    "DatasetUnavailable",
    "Split",
    "WindowedSeries",
    "adding_problem",
    "cache_dir",
    "char_sequences",
    "count_modes",
    "date_pairs",
    "decode_dates",
    "encode_dates",
    "henon_series",
    "load_co2",
    "load_digits",
    "load_docs_text",
    "load_fashion_mnist",
    "load_mnist",
    "load_photo",
    "load_stdlib_source",
    "load_sunspots",
    "make_windows",
    "mode_shares",
    "module_windows",
    "per_class_subset",
    "ring_centres",
    "ring_of_gaussians",
    "scramble_spans",
    "split_indices",
    "split_text",
]
