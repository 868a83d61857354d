"""Show the helper library's code inside a lesson, so learners read real code.

Lessons call the library instead of pasting helper code into every notebook;
:func:`show_source` then displays the code being called, so nothing is
hidden from the reader.

Used in: lessons that train models (e.g. lessons/01_what_is_synthetic_media).
"""

from __future__ import annotations

import inspect
import textwrap
from typing import Any

__all__ = ["SourceCode", "show_source"]


class SourceCode:
    """Python source that displays as a highlighted code block in Jupyter."""

    def __init__(self, code: str, name: str):
        self.code, self.name = code, name

    def _repr_markdown_(self) -> str:
        return f"```python\n{self.code.rstrip()}\n```"

    def __repr__(self) -> str:
        return self.code


def show_source(obj: Any) -> SourceCode:
    """Return the source code of a function, class or module for display.

    Parameters
    ----------
    obj : function, class, method or module
        Something defined in Python source.

    Returns
    -------
    SourceCode
        Displays as a code block in a notebook and as plain text elsewhere.

    Raises
    ------
    TypeError
        If ``obj`` has no Python source (e.g. a built-in or a number).
    """
    try:
        code = inspect.getsource(obj)
    except (TypeError, OSError):
        raise TypeError(
            f"show_source needs a function, class or module written in Python; got {obj!r}"
        ) from None
    return SourceCode(textwrap.dedent(code), getattr(obj, "__qualname__", str(obj)))
