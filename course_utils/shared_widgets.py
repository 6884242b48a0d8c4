"""Layouts and styles shared by many widgets, so a view opens fewer models in the browser.

Every ipywidgets widget creates a Layout model and (most kinds) a Style model of its own
unless one is passed in, and each model is one message on the kernel's output channel. A
20-question exam built that way opened about 1,000 models in one burst; past about that
many queued messages the channel drops some (ZeroMQ's high-water mark), and the view never
appears ("widget model not found" in the browser's console). Views pass these shared
instances instead. They are never changed after creation: a change would show on every
widget that shares them (a widget that must change its layout gets one of its own).
"""

from __future__ import annotations

from functools import cache

import ipywidgets as w


@cache
def _layout(traits: tuple[tuple[str, str], ...]) -> w.Layout:
    return w.Layout(**dict(traits))


def layout(**traits: str) -> w.Layout:
    """The shared Layout with these traits, e.g. ``layout(width="auto")``."""
    return _layout(tuple(sorted(traits.items())))


@cache
def style(kind: type[w.DOMWidget]) -> w.Widget:
    """The shared default Style of widgets of ``kind`` (``w.HTML``, ``w.Button``, ...).

    Read from the class's ``style`` trait, so it is the right Style class in ipywidgets 7.7
    (Colab) and 8 alike; TypeError for a kind without a style (boxes).
    """
    trait = kind.class_traits().get("style")
    if trait is None:
        raise TypeError(f"{kind.__name__} widgets have no style")
    return trait.klass()
