"""Controls that redraw a figure, without anything that can stall a headless run.

``ipywidgets.interact`` draws even its first output inside an ``Output`` widget while the
cell runs. A headless executor (nbconvert, nbclient, a book build) must then route that
output itself, and nbconvert can deadlock doing so (jupyter/nbconvert#2029): a lesson's
``interact`` cell once held a headless run for 1,200 s. :func:`explore` draws the first
output as ordinary cell output, so a headless run or a saved copy shows it like any other
figure, and uses an ``Output`` widget only after a learner moves a control.

    explore(show_kernel, kernel=widgets.Dropdown(options=["edges", "blur"]))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def explore(function: Callable[..., Any], **controls: Any) -> None:
    """Show ``controls`` and ``function``'s output for their values; redraw on every change.

    Parameters
    ----------
    function : draws or prints something for keyword arguments named like the controls.
    controls : ipywidgets value widgets (``IntSlider``, ``Dropdown``, ...), one per argument
        of ``function``; their current values give the first drawing.

    The first drawing is ordinary cell output (figures, printed text) shown under display
    ids; the first time a control moves, it is blanked and the drawings go to an ``Output``
    widget below the controls, as with ``ipywidgets.interact``.
    """
    import ipywidgets as widgets
    from IPython.display import display
    from IPython.utils.capture import capture_output

    missing = [name for name, control in controls.items() if not hasattr(control, "observe")]
    if missing:
        raise TypeError(
            f"explore: give each control as an ipywidgets widget (e.g. widgets.IntSlider(...)); "
            f"not widgets: {', '.join(missing)}"
        )

    def values() -> dict[str, Any]:
        return {name: control.value for name, control in controls.items()}

    def draw() -> None:
        result = function(**values())
        if result is not None:
            display(result)

    later = widgets.Output()
    display(widgets.VBox([*controls.values(), later]))
    with capture_output() as first:
        draw()
    handles = _show_under_ids(first)

    def redraw(_change: Any = None) -> None:
        while handles:
            handles.pop().update({"text/plain": ""}, raw=True)
        with later:
            later.clear_output(wait=True)
            draw()

    for control in controls.values():
        control.observe(redraw, names="value")


def _show_under_ids(captured: Any) -> list[Any]:
    """Display captured text and rich outputs, each with a display id; return the handles."""
    import sys

    from IPython.display import display

    handles = []
    if captured.stdout:
        handles.append(display({"text/plain": captured.stdout}, raw=True, display_id=True))
    for output in captured.outputs:
        handles.append(display(output.data, raw=True, metadata=output.metadata, display_id=True))
    if captured.stderr:
        sys.stderr.write(captured.stderr)
    return [handle for handle in handles if handle is not None]
