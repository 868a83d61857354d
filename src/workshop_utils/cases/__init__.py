"""The case library: real cases of synthetic media in art, activism, industry and society.

Modules
-------
library
    The cases and threads, loaded from ``data/cases.json`` and validated.
schema
    The rules every case must follow: vocabularies and the validator.
views
    Cards, lists of cards and an explorer, live or static.
figures
    A timeline of the cases and the threads that link them.

Example
-------
>>> from workshop_utils import cases
>>> cases.get("welcome-to-chechnya").year
2020

In a notebook, ``cases.cards(["holly-plus", "bev-standing-tiktok"])`` shows
two cards, each with its content warning first.
"""

from .figures import thread_graph, timeline
from .library import (
    THREAD_DIRECTIONS,
    Case,
    CaseLibrary,
    Link,
    Source,
    Stage,
    Thread,
    all_cases,
    default_library,
    filter_cases,
    get,
    ids,
    load,
    related,
    threads,
)
from .schema import CaseLibraryError
from .views import CaseCard, CaseExplorer, CaseList, card, cards, explorer

__all__ = [
    "THREAD_DIRECTIONS",
    "Case",
    "CaseCard",
    "CaseExplorer",
    "CaseLibrary",
    "CaseLibraryError",
    "CaseList",
    "Link",
    "Source",
    "Stage",
    "Thread",
    "all_cases",
    "card",
    "cards",
    "default_library",
    "explorer",
    "filter_cases",
    "get",
    "ids",
    "load",
    "related",
    "thread_graph",
    "threads",
    "timeline",
]
