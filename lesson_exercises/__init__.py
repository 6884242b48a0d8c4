"""Each lesson's checked exercises: ``from lesson_exercises import ex_01_cnn as ex``.

Reference solutions live here, not in the notebooks, so a learner sees them only on request
(``ex.some_exercise.solution()``).
"""
