"""Run a function a little later on the kernel's event loop (widgets that wait or tick).

In a Jupyter kernel, widget callbacks and cells run inside ipykernel's asyncio loop, so a
callback can ask for another one later without threads. Outside a running loop (a plain
script, a unit test) there is nothing to wait on: :func:`call_later` then returns None and the
caller does the work at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable


def call_later(seconds: float, callback: Callable[[], object]) -> asyncio.TimerHandle | None:
    """Schedule ``callback()`` in ``seconds`` on the running loop; None when there is none."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None
    return loop.call_later(max(0.0, seconds), callback)


def cancel(handle: asyncio.TimerHandle | None) -> None:
    """Cancel a pending call from :func:`call_later` (None or an expired one is fine)."""
    if handle is not None:
        handle.cancel()
