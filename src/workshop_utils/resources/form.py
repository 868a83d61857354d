"""Suggest a resource to the living guide from a notebook: a form that checks like the command does.

:class:`SuggestionForm` has one labelled control per field of an entry (title,
link, year, type, topics, who it serves, a one-line summary, and optional
authors and note). *Check* lists every problem the way ``workshop resources
add`` does (:func:`~workshop_utils.resources.guide.validate_entry`, plus the
duplicate checks of :func:`~workshop_utils.resources.guide.add_resource`);
*Save suggestion* appends the entry to ``resource_suggestions.json`` in the
current folder (never to the guide itself). When a share folder is set
(:mod:`workshop_utils.sharing`), the suggestion is also added to
``<share>/resources/<participant id>.json``, so that the facilitator can
merge everyone's suggestions in one command::

    workshop resources merge <share>/resources/*.json --into reviewed.json

Stable CSS classes: ``workshop-suggest`` (the form), ``workshop-suggest-<field>``
(each control), ``workshop-suggest-check``, ``workshop-suggest-save`` and
``workshop-suggest-status``.

Used in: lessons/breakout.ipynb (the end of a live session) and lesson 10.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

from .._validate import _describe
from ..sharing import create_shared_file, participant_id, share_file, share_folder
from . import guide

__all__ = ["SuggestionForm"]

_STYLE = {"description_width": "10em"}


class SuggestionForm:
    """A form that suggests one resource at a time to the living guide.

    Parameters
    ----------
    path : path
        Where suggestions are saved; default ``resource_suggestions.json`` in the current folder.
    share : path, optional
        The share folder; default ``$WORKSHOP_SHARE_DIR`` (none: saved locally only).

    Attributes
    ----------
    saved : list of dict
        The entries saved with this form.
    status_text : str
        What the status line says.
    """

    def __init__(self, path: str | os.PathLike = guide.SUGGESTIONS_FILE, *, share: Any = None,
                 id_file: Any = None):
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"path must be a file path such as 'resource_suggestions.json', got {_describe(path)}")
        self.path = Path(path)
        folder = share_folder(share)
        self.share_path = None if folder is None else share_file(folder, "resources", participant_id(id_file))
        self.saved: list[dict[str, Any]] = []
        self.status_text = ""
        self._widget: Any = None

    def entry(self) -> dict[str, Any]:
        """The entry the form holds now, as the command would build it."""
        w = self.widget()
        return guide.new_entry(
            title=w_value(self.title), url=w_value(self.url), year=w_value(self.year), type=self.type.value or "",
            topics=list(self.topics.value), audience=list(self.audience.value), summary=w_value(self.summary),
            authors=w_value(self.authors) or None, note=w_value(self.note) or None,
        )

    def problems(self) -> list[str]:
        """Every problem with the entry: the fields (as ``validate_entry``) and a link already listed."""
        entry = self.entry()
        found = guide.validate_entry(entry)
        if not found:
            found += _duplicate(entry["url"], guide.default_path(), "the workshop's guide")
            if self.path.exists():
                found += _duplicate(entry["url"], self.path, str(self.path))
        return found

    def check(self) -> list[str]:
        """Check the entry and show the result; returns the problems (empty when it can be saved)."""
        found = self.problems()
        if found:
            self._set_status("Not yet: " + "; ".join(found), "error")
        else:
            self._set_status("✓ Looks good: press Save suggestion.", "info")
        return found

    def save(self) -> dict[str, Any] | None:
        """Save the entry (locally, and to the share folder if set); returns it, or None if it has problems."""
        try:
            entry = self.entry()
            guide.add_resource(entry, self.path)
        except (ValueError, OSError) as exc:
            self._set_status(f"Not saved: {exc}".replace("\n- ", "; ").replace(":\n", ": "), "error")
            return None
        shared = ""
        if self.share_path is not None:
            try:
                create_shared_file(self.share_path, b'{"resources": []}\n')
                guide.add_resource(entry, self.share_path)
                shared = " and shared with the facilitator"
            except (ValueError, OSError) as exc:
                shared = f" (not shared: {exc})"
        self.saved.append(entry)
        self._set_status(f"✓ Saved to {self.path.name}{shared}. The facilitator reviews suggestions before they "
                         "join the guide. Add another, or you are done.", "saved")
        self._clear()
        return entry

    # the widget

    def _set_status(self, text: str, state: str) -> None:
        self.status_text = text
        if self._widget is not None:
            for name in ("saved", "error", "info"):
                self.status.remove_class(f"workshop-status-{name}")
            self.status.add_class(f"workshop-status-{state}")
            self.status.value = f'<span role="status" aria-live="polite">{html.escape(text)}</span>'

    def _clear(self) -> None:
        for control in (self.title, self.url, self.year, self.summary, self.authors, self.note):
            control.value = ""
        self.type.value = None
        self.topics.value = ()
        self.audience.value = ()

    def widget(self) -> Any:
        """The form (built once)."""
        if self._widget is not None:
            return self._widget
        import ipywidgets as widgets

        wide = widgets.Layout(width="44em")

        def text(name: str, label: str, placeholder: str, area: bool = False) -> Any:
            kind = widgets.Textarea if area else widgets.Text
            control = kind(description=label, placeholder=placeholder, tooltip=placeholder, style=_STYLE,
                           layout=wide, continuous_update=False)
            control.add_class(f"workshop-suggest-{name}")
            return control

        self.title = text("title", "Title", "As the source gives it")
        self.url = text("url", "Link", "https://... (the original publisher, not a copy)")
        self.year = text("year", "Year", "e.g. 2020")
        self.type = widgets.Dropdown(description="Type", options=[("choose one", None)] + [(v, k) for k, v in
                                     guide.TYPES.items()], value=None, style=_STYLE, layout=wide,
                                     tooltip="What kind of resource it is")
        self.type.add_class("workshop-suggest-type")
        self.topics = widgets.SelectMultiple(description="Topics", options=[(k, k) for k in guide.TOPICS], rows=5,
                                             style=_STYLE, layout=wide,
                                             tooltip="What it is about (Ctrl or Shift to choose several)")
        self.topics.add_class("workshop-suggest-topics")
        self.audience = widgets.SelectMultiple(description="Who it serves", rows=5, style=_STYLE, layout=wide,
                                               options=[(v, k) for k, v in guide.AUDIENCES.items()],
                                               tooltip="Who it is useful for (Ctrl or Shift to choose several)")
        self.audience.add_class("workshop-suggest-audience")
        self.summary = text("summary", "One-line summary", f"In your own words, {guide.SUMMARY_MIN_CHARS}-"
                            f"{guide.SUMMARY_MAX_CHARS} characters", area=True)
        self.authors = text("authors", "Authors (optional)", "As the source names them")
        self.note = text("note", "Note (optional)", "A caveat, e.g. that the link is a write-up")
        self.check_button = widgets.Button(description="Check", icon="check", tooltip="Check the entry without saving")
        self.check_button.add_class("workshop-suggest-check")
        self.check_button.on_click(lambda _b: self.check())
        self.save_button = widgets.Button(description="Save suggestion", icon="save",
                                          tooltip=f"Add it to {self.path.name} for the facilitator")
        self.save_button.add_class("workshop-suggest-save")
        self.save_button.on_click(lambda _b: self.save())
        self.status = widgets.HTML()
        self.status.add_class("workshop-suggest-status")
        intro = widgets.HTML("<h4>Suggest a resource for the living guide</h4><p>Papers, tools, guides or projects "
                             "that helped you. Every field is checked as the <code>workshop resources add</code> "
                             "command checks it.</p>")
        self._widget = widgets.VBox([intro, self.title, self.url, self.year, self.type, self.topics, self.audience,
                                     self.summary, self.authors, self.note,
                                     widgets.HBox([self.check_button, self.save_button]), self.status])
        self._widget.add_class("workshop-suggest")
        return self._widget

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        bundle = dict(self.widget()._repr_mimebundle_())
        bundle["text/plain"] = (f"Resource suggestion form (saves to {self.path}); in a terminal use "
                                "`workshop resources add`.")
        return bundle


def w_value(control: Any) -> str:
    """A text control's value, stripped."""
    return control.value.strip()


def _duplicate(url: str, path: Path, where: str) -> list[str]:
    try:
        listed = guide.load(path) if path == guide.default_path() else guide.read_entries(path)
    except (OSError, ValueError):
        return []
    key = guide.normalise_url(url)
    for item in listed:
        other = item.url if isinstance(item, guide.Resource) else item.get("url") if isinstance(item, dict) else None
        if isinstance(other, str) and guide.normalise_url(other) == key:
            title = item.title if isinstance(item, guide.Resource) else item.get("title")
            return [f"url: already in {where} as {title!r}"]
    return []
