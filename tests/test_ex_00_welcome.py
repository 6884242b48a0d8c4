import numpy as np

from lesson_exercises import ex_00_welcome as ex


def test_reference_passes():
    def accuracy(y_true, y_pred):
        return float(np.mean(np.asarray(y_true) == np.asarray(y_pred)))

    assert ex.accuracy.check(accuracy).status == "correct"


def test_counting_instead_of_share_is_incorrect():
    def accuracy(y_true, y_pred):
        return float(np.sum(np.asarray(y_true) == np.asarray(y_pred)))

    result = ex.accuracy.check(accuracy)
    assert result.status == "incorrect"
    assert "3" in result.message  # the first case: expected 1.0, got 3.0


def test_stub_is_not_attempted():
    def accuracy(y_true, y_pred):
        """Share of positions where y_true and y_pred agree."""
        ...  # your code here

    assert ex.accuracy.check(accuracy).status == "not attempted"
