"""course_utils.data as a package: a cheap import, and a lesson table that says what each
lesson calls."""

import subprocess
import sys


def test_import_does_not_load_tensorflow_or_keras():
    code = (
        "import sys, course_utils.data\n"
        "heavy = [m for m in ('tensorflow', 'keras', 'sklearn', 'statsmodels', 'pandas')"
        " if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def _table_rows() -> dict[str, set[str]]:
    """The lesson table in course_utils.data's docstring: lesson number -> loaders named."""
    import re

    import course_utils.data

    rows: dict[str, set[str]] = {}
    lesson = None
    table = course_utils.data.__doc__.split("lesson ", 1)[1].split("\n\n", 1)[0]
    for line in table.splitlines():
        if line.startswith("="):
            continue
        if line[:2].isdigit():
            lesson = line[:2]
        if lesson:
            rows.setdefault(lesson, set()).update(re.findall(r":(?:func|class):`(\w+)`", line))
    return rows


def _called_in_lessons() -> dict[str, set[str]]:
    """Lesson number -> the functions and classes of course_utils.data its code imports."""
    import ast
    import json

    import course_utils.data
    from course_utils.paths import REPO_ROOT

    used: dict[str, set[str]] = {}
    for path in sorted((REPO_ROOT / "notebooks").glob("0*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            if cell["cell_type"] != "code":
                continue
            lines = "".join(cell["source"]).splitlines()
            source = "\n".join(x for x in lines if not x.lstrip().startswith(("%", "!")))
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "course_utils.data"
                ):
                    names = {
                        a.name for a in node.names if callable(getattr(course_utils.data, a.name))
                    }
                    if names:
                        used.setdefault(path.name[:2], set()).update(names)
    return used


def test_the_lesson_table_names_what_each_lesson_calls():
    assert _table_rows() == _called_in_lessons()
