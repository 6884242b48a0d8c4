"""The learner's progress: one JSON file of quiz scores, exercises, flashcards and practice.

The store lives at ``platformdirs.user_data_dir("dl-architectures-hands-on")/progress.json``;
set ``COURSE_PROGRESS_DIR`` to keep it elsewhere. A relative ``COURSE_PROGRESS_DIR`` is taken
relative to the working folder at the store's first use in the kernel (normally the notebook's
folder) and stays there for the rest of the session, even if the code changes folder later.
On Google Colab, keep it on Drive so it survives the session::

    from google.colab import drive; drive.mount("/content/drive")
    import os; os.environ["COURSE_PROGRESS_DIR"] = "/content/drive/MyDrive/dl-course"

Layout of the file (version 3)::

    {"version": 3,
     "quizzes": {quiz_id: {question_id: {"attempts", "best", "last", "first_seen", "last_seen"}}},
     "exercises": {lesson: {name: {"status", "last_status", "attempts", "timestamp"}}},
     "flashcards": {"lesson/card_id": {"state", "step", "stability", "difficulty", "due",
                                       "last_review", "reviews", "last_rating"}},
     "practice": {"opened": {lesson: {...}}, "rounds": {round_key: {...}}}}

Flashcard entries are FSRS card states (see :mod:`course_utils.flashcards.schedule`). Version 1
files kept Leitner boxes (``{"box", "last_seen"}``); they are migrated on reading (see
:func:`migrate_leitner`) and the old box is kept under ``"leitner"`` in the entry. Version 2
files had no ``practice`` section (lessons opened, practice rounds and the exam, see
:mod:`~course_utils.progress.rounds`); they get an empty one on reading.

What the store promises:

- Every change is a read-modify-write under a file lock (two kernels writing at once lose
  nothing), written to a temporary file in the same folder and renamed over the old one (a crash
  never leaves half a file). A ``progress.json`` that is a symbolic link (e.g. to a file on
  Google Drive) is written through: the link stays a link.
- A file that is not JSON is moved aside to ``progress.json.corrupt-<time>`` with a warning.
  Every entry is checked (types, finite scores, timezone-aware times); a bad entry is moved
  into a ``progress.json.corrupt-<time>`` file with a warning and the rest is kept.
- Sections and keys the store does not know (a file written by a newer course version) are
  kept on every save, and so is the newer version number.
- When a save fails (unwritable folder, full disk, the lock held past its timeout), the record
  is kept in memory, a :class:`ProgressWarning` says so on every failed save (and
  :func:`save_problem` gives the reason to widgets), every later save tries the disk again, and
  the records kept in memory are written as soon as saving works.

The package has four modules; this one re-exports the public names of the first three:
:mod:`~course_utils.progress.store` (the file: reading, locking, atomic writes, the memory
fallback, and :func:`load`, :func:`record_quiz`, :func:`record_exercise`, :func:`update_card`,
:func:`export`, :func:`import_`), :mod:`~course_utils.progress.entries` (the layout, the check
of every entry, the Leitner migration) and :mod:`~course_utils.progress.merging`
(:func:`merge`); :mod:`~course_utils.progress.rounds` records the practice section.
Settings such as ``LOCK_TIMEOUT_S`` are read where they are used: to change one, set it on
:mod:`course_utils.progress.store`, not here.
"""

from __future__ import annotations

from course_utils.progress.entries import (
    CARD_RATINGS,
    CARD_STATES,
    EXERCISE_STATUSES,
    LEITNER_INTERVAL_DAYS,
    MAX_STABILITY_DAYS,
    MIGRATED_DIFFICULTY,
    PRACTICE_RULES,
    ROUND_KINDS,
    SECTIONS,
    STORE_VERSION,
    BadEntry,
    ProgressWarning,
    Store,
    check_card,
    migrate_leitner,
    now,
    parse_time,
    validate,
)
from course_utils.progress.merging import merge
from course_utils.progress.store import (
    APP_NAME,
    FILE_NAME,
    LOCK_TIMEOUT_S,
    RETRY_LOCK_TIMEOUT_S,
    export,
    import_,
    load,
    record_exercise,
    record_quiz,
    save_problem,
    store_path,
    update_card,
)

__all__ = [
    "APP_NAME",
    "CARD_RATINGS",
    "CARD_STATES",
    "EXERCISE_STATUSES",
    "FILE_NAME",
    "LEITNER_INTERVAL_DAYS",
    "LOCK_TIMEOUT_S",
    "MAX_STABILITY_DAYS",
    "MIGRATED_DIFFICULTY",
    "PRACTICE_RULES",
    "RETRY_LOCK_TIMEOUT_S",
    "ROUND_KINDS",
    "SECTIONS",
    "STORE_VERSION",
    "BadEntry",
    "ProgressWarning",
    "Store",
    "check_card",
    "export",
    "import_",
    "load",
    "merge",
    "migrate_leitner",
    "now",
    "parse_time",
    "record_exercise",
    "record_quiz",
    "save_problem",
    "store_path",
    "update_card",
    "validate",
]
