"""Sphinx settings for the course book (built by ``make book``, see tools/build_book.py).

Sphinx reads the staged copy in ``_build/book-src/``: the lessons there are already executed,
and nothing here executes them. Three settings keep every page offline: the widget views'
static ``text/html`` copies are shown instead of the widgets, no widget JavaScript is loaded,
and MathJax 3 is served from ``_static/mathjax/`` (staged from the npm package, downloaded once).
"""

import tomllib
from pathlib import Path

# The course repository (pyproject.toml's [tool.course], read from the checkout this book is
# built from: the staged folder is _build/book-src/, two levels below it).
_PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
with _PYPROJECT.open("rb") as _handle:
    _COURSE = tomllib.load(_handle)["tool"]["course"]

project = "Deep Learning Architectures, hands-on"
author = "the course authors"
copyright = "the course authors, MIT licence"

extensions = ["myst_nb"]
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
suppress_warnings = ["mystnb.unknown_mime_type"]

# Executed by tools/build_book.py into .book-cache/; Sphinx only renders.
nb_execution_mode = "off"
# Widgets cannot run without a kernel: show their static text/html copy instead of the view
# (None removes the widget view from the HTML builder's priority list) ...
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None)]
# ... and load no widget JavaScript (myst-nb's default fetches it from a CDN).
nb_ipywidgets_js = {}
nb_merge_streams = True

myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]

# MathJax 3 from _static/mathjax/ (tex-chtml.js finds its fonts next to itself).
mathjax_path = "mathjax/tex-chtml.js"

html_theme = "sphinx_book_theme"
html_title = project
html_static_path = ["_static"]
html_css_files = ["book.css"]
html_js_files = ["selfcheck.js"]
html_last_updated_fmt = None
# No copy of each executed notebook under _sources/ (it would double the site's size); the
# notebooks themselves are a click away (Colab, the repository).
html_copy_source = False
html_theme_options = {
    "repository_url": _COURSE["repo"],
    "repository_branch": _COURSE["branch"],
    "path_to_docs": "",
    "launch_buttons": {"colab_url": "https://colab.research.google.com"},
    "use_repository_button": True,
    "use_download_button": False,
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
}
