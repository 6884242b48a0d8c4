"""course_utils.colab: setting up a Colab runtime."""

from __future__ import annotations

from course_utils import colab


def test_colab_never_installs_its_own_packages():
    assert not set(colab.NEEDED) & colab.NEVER_INSTALL
    assert not {req.lower() for req in colab.NEEDED.values()} & colab.NEVER_INSTALL
