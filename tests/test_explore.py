"""explore(): controls that redraw a figure, and nothing a headless run can stall on."""

from __future__ import annotations

import re
from pathlib import Path

import ipywidgets as widgets
import nbformat
import pytest
from nbclient import NotebookClient

from course_utils.explore import explore

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_draws_once_with_the_controls_values_then_on_every_change():
    calls = []
    size = widgets.IntSlider(value=3, min=1, max=9)
    kind = widgets.Dropdown(options=["a", "b"], value="b")
    explore(lambda size, kind: calls.append((size, kind)), size=size, kind=kind)
    assert calls == [(3, "b")]
    size.value = 7
    kind.value = "a"
    assert calls == [(3, "b"), (7, "b"), (7, "a")]


def test_a_control_that_is_not_a_widget_is_refused_with_what_to_give():
    with pytest.raises(TypeError, match=r"ipywidgets widget .*not widgets: stride"):
        explore(lambda stride: None, stride=(1, 4))


def _execute(source: str) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    NotebookClient(notebook, timeout=60, kernel_name="python3").execute()
    return notebook


def test_headless_run_shows_the_first_figure_as_plain_output():
    notebook = _execute(
        "import ipywidgets as widgets\n"
        "import matplotlib.pyplot as plt\n"
        "from course_utils.explore import explore\n"
        "def show(n):\n"
        "    print('n is', n)\n"
        "    plt.plot(range(n)); plt.show()\n"
        "explore(show, n=widgets.IntSlider(value=4, min=1, max=9))\n"
    )
    outputs = notebook.cells[0].outputs
    kinds = [set(output.get("data", {})) for output in outputs]
    assert any("application/vnd.jupyter.widget-view+json" in kind for kind in kinds)
    assert any("image/png" in kind for kind in kinds), "the first figure is plain cell output"
    texts = [output.get("data", {}).get("text/plain", "") for output in outputs]
    assert any("n is 4" in text for text in texts)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_lesson_uses_ipywidgets_interact(path):
    """interact/interactive draw inside an Output widget, which can stall nbconvert."""
    sources = [cell.source for cell in nbformat.read(path, as_version=4).cells]
    offending = [s for s in sources if re.search(r"\binteract(ive)?\s*\(|@\s*interact", s)]
    assert not offending, f"{path.stem}: use course_utils.explore.explore instead"
