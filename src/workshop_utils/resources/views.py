"""Explore the workshop's resource guide in a notebook: search box, filters, linked results.

:func:`explore` shows an explorer with a search box, filters for type, topic,
audience and years, a live count of matches and the matching resources as
links with their summaries. Every control has a visible label and a tooltip
and is reachable with the keyboard; the count is announced to screen readers
when it changes.

Where no widget manager runs (a static notebook viewer, an HTML export, a
terminal), the explorer still shows the current list as HTML, and
``explore(mode="static", ...)`` returns a plain filtered list that displays as
HTML or Markdown.

Used in: lessons with a "further resources" section, docs/resources.md.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from .._validate import check_choice, check_int
from . import guide

__all__ = ["ResourceExplorer", "ResourceList", "explore"]

_ANY = "any"


def _html_list(items: list[guide.Resource]) -> str:
    if not items:
        return "<p><em>No resource matches. Clear a filter or shorten the search.</em></p>"
    rows = []
    for item in items:
        url = guide.link_target(item.url)  # only http(s) links with URL characters become links
        link = (f'<a href="{html.escape(url, quote=True)}" target="_blank" rel="noopener noreferrer">'
                f"{html.escape(item.title)}</a>") if url else html.escape(item.title)
        meta = f"{item.year}, {html.escape(item.type)}; for {html.escape(', '.join(item.audience))}"
        note = f" <em>Note: {html.escape(item.note)}</em>" if item.note else ""
        rows.append(f"<li>{link} ({meta}). {html.escape(item.summary)}{note}</li>")
    return "<ul>\n" + "\n".join(rows) + "\n</ul>"


def _count_text(shown: int, total: int) -> str:
    noun = "resource matches" if shown == 1 else "resources match"
    return f"{shown} of {total} {noun}"


class ResourceList:
    """A filtered list of resources that displays as HTML or Markdown, no widgets needed.

    Parameters
    ----------
    items : iterable of Resource
        The resources to show.
    total : int, optional
        The size of the list they were filtered from (for the "n of N" count).
    """

    def __init__(self, items: Iterable[guide.Resource], total: int | None = None):
        self.items = guide.check_resources("items", items)
        self.total = len(self.items) if total is None else check_int("total", total, minimum=len(self.items))

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self):
        return iter(self.items)

    def titles(self) -> list[str]:
        """The titles of the listed resources, in order."""
        return [item.title for item in self.items]

    def _repr_html_(self) -> str:
        return f"<p>{_count_text(len(self.items), self.total)}</p>\n{_html_list(self.items)}"

    def _repr_markdown_(self) -> str:
        body = "\n".join(item.to_markdown() for item in self.items) or "*No resource matches.*"
        return f"{_count_text(len(self.items), self.total)}\n\n{body}"

    def __str__(self) -> str:
        lines = [_count_text(len(self.items), self.total)]
        lines += [f"- {item.title} ({item.year}): {item.url}" for item in self.items]
        return "\n".join(lines)


class ResourceExplorer:
    """Search box, filters and live results over the resource guide (ipywidgets).

    The controls are public attributes, so a test or a lesson can drive them:
    set ``explorer.search.value = "watermark"`` and read ``explorer.matches``
    or ``explorer.results.value``.

    Parameters
    ----------
    items : iterable of Resource, optional
        What to explore; by default the shipped guide.

    Attributes
    ----------
    search : ipywidgets.Text
        Words that must all appear in the title, summary or authors.
    type_filter, audience_filter : ipywidgets.Dropdown
        One type / audience, or "any".
    topic_filter : ipywidgets.SelectMultiple
        Topics; a resource matches if it has any selected topic (none selected = all).
    years : ipywidgets.IntRangeSlider
        Inclusive range of years.
    clear_button : ipywidgets.Button
        Resets every control.
    count : ipywidgets.HTML
        "n of N resources match", in a polite live region.
    results : ipywidgets.HTML
        The matches as a list of links with summaries.
    ui : ipywidgets.VBox
        Everything above, as displayed.
    """

    def __init__(self, items: Iterable[guide.Resource] | None = None):
        import ipywidgets as widgets

        self.items = guide.load() if items is None else guide.check_resources("items", items)
        years = [item.year for item in self.items] or [guide.YEAR_MIN]
        self._year_range = (min(years), max(years))
        label = {"style": {"description_width": "8em"}, "layout": widgets.Layout(width="32em")}
        self.search = widgets.Text(
            description="Search", placeholder="words in title or summary, e.g. watermark",
            tooltip="Type words; every word must appear in the title, summary or authors",
            continuous_update=True, **label)
        self.type_filter = widgets.Dropdown(
            description="Type", options=[("any type", _ANY)] + [(k, k) for k in guide.TYPES],
            value=_ANY, tooltip="Show one kind of resource", **label)
        self.topic_filter = widgets.SelectMultiple(
            description="Topics", options=[(k, k) for k in guide.TOPICS], value=(), rows=6,
            tooltip="Select one or more topics (Ctrl or Shift to select several); none selected shows all",
            **label)
        self.audience_filter = widgets.Dropdown(
            description="For", options=[("anyone", _ANY)] + [(v, k) for k, v in guide.AUDIENCES.items()],
            value=_ANY, tooltip="Show resources for one audience", **label)
        self.years = widgets.IntRangeSlider(
            description="Years", min=self._year_range[0], max=self._year_range[1], value=self._year_range,
            step=1, continuous_update=False, tooltip="Earliest and latest year (arrow keys move a handle)",
            **label)
        self.clear_button = widgets.Button(
            description="Clear filters", tooltip="Reset the search and every filter", icon="times")
        self.count = widgets.HTML()
        self.results = widgets.HTML()
        for control in (self.search, self.type_filter, self.topic_filter, self.audience_filter, self.years):
            control.observe(self._on_change, names="value")
        self.clear_button.on_click(lambda _button: self.clear())
        self.ui = widgets.VBox(
            [widgets.HTML("<strong>Explore the resource guide</strong>"), self.search, self.type_filter,
             self.audience_filter, self.topic_filter, self.years, self.clear_button, self.count, self.results],
            layout=widgets.Layout(max_width="60em"))
        self.matches: list[guide.Resource] = []
        self.refresh()

    def _on_change(self, _change: dict[str, Any]) -> None:
        self.refresh()

    def filters(self) -> dict[str, Any]:
        """The current filters, as keyword arguments of :func:`workshop_utils.resources.search`."""
        low, high = self.years.value
        return {
            "query": self.search.value,
            "types": None if self.type_filter.value == _ANY else self.type_filter.value,
            "topics": list(self.topic_filter.value) or None,
            "audience": None if self.audience_filter.value == _ANY else self.audience_filter.value,
            "year_from": low if low > self._year_range[0] else None,
            "year_to": high if high < self._year_range[1] else None,
        }

    def refresh(self) -> None:
        """Recompute the matches and update the count and the results."""
        self.matches = guide.search(self.items, **self.filters())
        self.count.value = (f'<p role="status" aria-live="polite">'
                            f"{_count_text(len(self.matches), len(self.items))}</p>")
        self.results.value = _html_list(self.matches)

    def clear(self) -> None:
        """Reset the search box and every filter (the results update once)."""
        for control, value in ((self.search, ""), (self.type_filter, _ANY), (self.topic_filter, ()),
                               (self.audience_filter, _ANY), (self.years, self._year_range)):
            control.unobserve(self._on_change, names="value")
            control.value = value
            control.observe(self._on_change, names="value")
        self.refresh()

    def static(self) -> ResourceList:
        """The current matches as a :class:`ResourceList` (for printing or exporting)."""
        return ResourceList(self.matches, total=len(self.items))

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        # The widget for live front ends, plus HTML of the current list for viewers without a
        # widget manager (nbviewer, GitHub, HTML exports): each front end picks what it can show.
        bundle = self.ui._repr_mimebundle_(**kwargs) or {}
        bundle = dict(bundle)
        bundle["text/html"] = self.static()._repr_html_()
        bundle["text/plain"] = str(self.static())
        return bundle


def explore(
    items: Iterable[guide.Resource] | None = None,
    *,
    mode: str = "widget",
    query: str = "",
    types: str | Iterable[str] | None = None,
    topics: str | Iterable[str] | None = None,
    audience: str | Iterable[str] | None = None,
) -> ResourceExplorer | ResourceList:
    """Show the resource guide with search and filters.

    Parameters
    ----------
    items : iterable of Resource, optional
        What to explore; by default the shipped guide.
    mode : {"widget", "static"}
        ``"widget"`` returns an interactive :class:`ResourceExplorer` (it falls
        back to the static list if ipywidgets is missing); ``"static"`` returns
        a :class:`ResourceList` of the matches, which needs no widget manager.
    query, types, topics, audience
        Initial search and filters (see :func:`workshop_utils.resources.search`).
        In widget mode, ``types`` and ``audience`` must be single values.

    Returns
    -------
    ResourceExplorer or ResourceList

    Used in: lessons with a "further resources" section.
    """
    check_choice("mode", mode, ("widget", "static"))
    pool = guide.load() if items is None else guide.check_resources("items", items)
    filters = {"types": types, "topics": topics, "audience": audience}
    if mode == "widget":
        try:
            import ipywidgets  # noqa: F401
        except ImportError:
            mode = "static"
    if mode == "static":
        return ResourceList(guide.search(pool, query, **filters), total=len(pool))
    guide.search([], query, **filters)  # checks the filter values with clear messages
    explorer = ResourceExplorer(pool)
    for name, control in (("types", explorer.type_filter), ("audience", explorer.audience_filter)):
        value = filters[name]
        if value is not None:
            if not isinstance(value, str):
                raise ValueError(f"{name} must be a single value in widget mode, got {value!r}")
            control.value = value
    if topics is not None:
        explorer.topic_filter.value = (topics,) if isinstance(topics, str) else tuple(topics)
    explorer.search.value = query
    return explorer
