"""The living resource guide: papers, tools, frameworks, guides and policies, kept as data.

Modules
-------
guide
    The entries (``data/resources.json``): validate, search, add, merge suggestions, render ``docs/resources.md``.
views
    A search box with filters over the guide, live or static.
form
    A form to suggest a resource from a notebook, checked like ``workshop resources add``.

Example
-------
>>> from workshop_utils import resources
>>> bool(resources.search("watermark"))
True
"""

from .guide import (
    AUDIENCES,
    TOPICS,
    TYPES,
    Resource,
    add_resource,
    check_file,
    default_path,
    load,
    merge_suggestions,
    new_entry,
    render_markdown,
    search,
    validate_entry,
    write_markdown,
)
from .form import SuggestionForm
from .views import ResourceExplorer, ResourceList, explore

__all__ = [
    "AUDIENCES",
    "TOPICS",
    "TYPES",
    "Resource",
    "ResourceExplorer",
    "ResourceList",
    "SuggestionForm",
    "add_resource",
    "check_file",
    "default_path",
    "explore",
    "load",
    "merge_suggestions",
    "new_entry",
    "render_markdown",
    "search",
    "validate_entry",
    "write_markdown",
]
