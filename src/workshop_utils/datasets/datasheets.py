"""Datasheets for the workshop's data sets, shown inside the lessons.

Every data set the workshop uses has a short datasheet in
``workshop_utils/data/datasheets/<name>.md`` with the sections of Gebru et
al.'s *Datasheets for Datasets*: motivation, composition, collection process,
preprocessing, uses, distribution (licence) and maintenance.

Used in: lessons and exercises that introduce a data set.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .._validate import check_plain_name

__all__ = ["REQUIRED_SECTIONS", "Datasheet", "available", "datasheet"]

REQUIRED_SECTIONS = ("Motivation", "Composition", "Collection", "Preprocessing", "Uses", "Distribution", "Maintenance")


def _folder() -> Path:
    return Path(str(resources.files("workshop_utils").joinpath("data/datasheets")))


class Datasheet:
    """A datasheet that displays as Markdown in Jupyter and as text elsewhere."""

    def __init__(self, name: str, text: str):
        self.name, self.text = name, text

    def _repr_markdown_(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text

    def sections(self) -> list[str]:
        """The level-2 headings of the datasheet."""
        return [line[3:].strip() for line in self.text.splitlines() if line.startswith("## ")]


def available() -> list[str]:
    """Names of the data sets that have a datasheet."""
    return sorted(p.stem for p in _folder().glob("*.md"))


def datasheet(name: str) -> Datasheet:
    """Return the datasheet of a data set.

    Raises
    ------
    TypeError, ValueError
        If ``name`` is not a plain name (a str without folders or ``..``).
    KeyError
        If there is no datasheet with this name; the message lists them.
    """
    check_plain_name("name", name)
    path = _folder() / f"{name}.md"
    if not path.is_file():
        raise KeyError(f"no datasheet called {name!r}; available: {available()}")
    return Datasheet(name, path.read_text(encoding="utf-8"))
