"""Datasets for the lessons, as NumPy arrays with fixed splits under a seed.

Everything here works offline (scikit-learn, matplotlib, statsmodels and Python ship the
data, or code generates it), except :func:`load_mnist` and :func:`load_fashion_mnist`,
which need a cached copy or ``download=True``. Importing this package imports neither
TensorFlow nor Keras; the libraries that hold the data are imported when a loader runs.
Sources and licences: ``data/README.md``.

=========================  ==========================================================
lesson                     loaders
=========================  ==========================================================
01 CNN                     :func:`load_digits`, :func:`load_photo`
02 RNN, 03 LSTM            :func:`load_co2`, :func:`load_sunspots`, :func:`make_windows`,
                           :func:`adding_problem`, :func:`henon_series`
02-04, 08 (text)           :func:`load_stdlib_source`, :class:`CharVocab`, :func:`char_sequences`
04 GRU                     :func:`adding_problem`, :func:`load_docs_text`
05 autoencoders            :func:`load_digits`
06 GANs                    :func:`ring_of_gaussians`, :func:`count_modes`, :func:`load_digits`
07 transformers            :func:`date_pairs`, :func:`encode_dates`
08 pretraining             :func:`module_windows`, :func:`scramble_spans`,
                           :func:`per_class_subset`
=========================  ==========================================================
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
