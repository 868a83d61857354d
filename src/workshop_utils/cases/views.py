"""Show cases in a notebook: cards, lists of cards and a filterable explorer.

Every view works both live and static. A :class:`CaseCard` or
:class:`CaseList` displays as HTML in JupyterLab, as Markdown where only
Markdown is rendered, and as plain text in a terminal. The
:class:`CaseExplorer` is an ipywidgets panel (filters by domain, years,
technique, harm/benefit, theme and words); it also carries a static HTML
copy of the current list, so an exported notebook still shows the cases.

A content warning, when a case has one, always comes first, before the
title and summary. All text is escaped, so nothing in the data can inject
markup, and ``$`` signs are never typeset as maths.

Example
-------
>>> from workshop_utils import cases
>>> cases.explorer(domain="art", mode="static").ids
['edmond-de-belamy', 'memories-of-passersby', 'mosaic-virus', 'holly-plus', 'zizi-show', 'unsupervised-moma']

Used in: lessons 01-05 and 10 (case discussions).
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Iterable, Sequence
from typing import Any

from .._validate import check_choice
from ..reading import WORDS_PER_MINUTE, format_minutes
from . import schema
from .library import Case, CaseLibrary, Link, default_library

__all__ = ["CORE_LABEL", "CaseCard", "CaseExplorer", "CaseList", "card", "cards", "explorer", "reading_note"]

_WARNING_STYLE = (
    "border-left:5px solid #D55E00;background:rgba(213,94,0,0.10);padding:0.4em 0.7em;"
    "margin:0 0 0.6em 0;font-weight:600"
)
_CARD_STYLE = "border:1px solid rgba(127,127,127,0.5);border-radius:6px;padding:0.6em 1em;margin:0.6em 0;max-width:62em"
# MathJax must not read "$432,500 ... $7,000" as a formula.
_NO_MATHS = "tex2jax_ignore mathjax_ignore"
_MD_SPECIAL = "\\`*_[]<>$|#~"


def _h(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _md(text: Any) -> str:
    out = str(text)
    for char in _MD_SPECIAL:
        out = out.replace(char, "\\" + char)
    return out


def _md_url(url: str) -> str:
    for char, code in (("(", "%28"), (")", "%29"), (" ", "%20"), ("<", "%3C"), (">", "%3E")):
        url = url.replace(char, code)
    return url


def _safe_url(url: str) -> str:
    if not url.lower().startswith(("http://", "https://")):
        raise ValueError(f"source url must start with http:// or https://, got {url!r}")
    return url


def _techniques(case: Case) -> str:
    return ", ".join(schema.TECHNIQUES[t] for t in case.techniques)


def reading_note(case: Case) -> str:
    """E.g. "Reading time: about 2 minutes (at 200 words a minute)"."""
    return f"Reading time: {format_minutes(case.reading_minutes)} (at {WORDS_PER_MINUTE} words a minute)"


CORE_LABEL = "Core question"


class CaseCard:
    """One case, ready to display: HTML in JupyterLab, Markdown or plain text elsewhere.

    Parameters
    ----------
    case : Case
        The case to show.
    related : list of Link, optional
        Resolved links to related cases (see :func:`workshop_utils.cases.related`).
    """

    def __init__(self, case: Case, related: Sequence[Link] = ()):
        if not isinstance(case, Case):
            raise TypeError(f"case must be a workshop_utils.cases.Case, got {type(case).__name__}")
        self.case = case
        self.related = list(related)

    @property
    def id(self) -> str:
        """The case id."""
        return self.case.id

    def _explicit_and_threads(self) -> tuple[list[Link], dict[str, list[Link]]]:
        explicit = [l for l in self.related if l.thread is None]
        threads: dict[str, list[Link]] = {}
        for link in self.related:
            if link.thread is not None:
                threads.setdefault(link.note, []).append(link)
        return explicit, threads

    def _meta(self) -> list[tuple[str, str]]:
        c = self.case
        return [
            ("Domain", schema.DOMAINS[c.domain]),
            ("When", c.when),
            ("Techniques", _techniques(c)),
            ("Classification", f"{c.impact} ({schema.IMPACTS[c.impact]})"),
            ("Themes", ", ".join(schema.THEMES[t] for t in c.themes)),
        ]

    def html(self, *, heading_level: int = 3) -> str:
        """The card as an HTML fragment (an ``<article>``)."""
        c = self.case
        h, sub = f"h{heading_level}", f"h{min(heading_level + 1, 6)}"
        title_id = f"case-{c.id}-title"
        parts = [f'<article class="workshop-case {_NO_MATHS}" aria-labelledby="{title_id}" style="{_CARD_STYLE}">']
        if c.content_warning:
            parts.append(
                f'<div class="case-warning" role="note" aria-label="Content warning" style="{_WARNING_STYLE}">'
                f"\u26a0\ufe0f Content warning: {_h(c.content_warning)}</div>"
            )
        parts.append(f'<{h} id="{title_id}" style="margin-top:0.2em">{_h(c.title)} ({c.year})</{h}>')
        meta = " \u00b7 ".join(f"<strong>{_h(k)}:</strong> {_h(v)}" for k, v in self._meta())
        parts.append(f'<p style="font-size:0.92em">{meta}</p>')
        parts.append(f'<p class="case-reading-time" style="font-size:0.92em"><em>{_h(reading_note(c))}</em></p>')
        parts.append(f'<p class="case-summary">{_h(c.summary)}</p>')
        parts.append(f"<{sub}>Ethical nuance</{sub}><p>{_h(c.nuance)}</p>")
        questions = "".join(
            f'<li class="case-core-question"><strong>{CORE_LABEL}:</strong> {_h(q)}</li>' if i == c.core_question
            else f"<li>{_h(q)}</li>"
            for i, q in enumerate(c.questions, 1)
        )
        parts.append(f"<{sub}>Discussion questions</{sub}><ol>{questions}</ol>")
        explicit, threads = self._explicit_and_threads()
        if explicit or threads:
            items = [
                f"<li>{_h(l.label)} <strong>{_h(l.case.short_title)}</strong> "
                f"(<code>{_h(l.case.id)}</code>): {_h(l.note)}</li>"
                for l in explicit
            ]
            for title, links in threads.items():
                inner = "".join(
                    f"<li>{_h(l.label)} \u2192 <strong>{_h(l.case.short_title)}</strong> (<code>{_h(l.case.id)}</code>)</li>"
                    for l in links
                )
                items.append(f"<li>On the thread <em>{_h(title)}</em>:<ul>{inner}</ul></li>")
            parts.append(f"<{sub}>Related cases</{sub}><ul>{''.join(items)}</ul>")
        sources = "".join(
            f'<li><a href="{_h(_safe_url(s.url))}" target="_blank" rel="noopener noreferrer">{_h(s.outlet)}</a>'
            f"{' (' + _h(s.note) + ')' if s.note else ''}</li>"
            for s in c.sources
        )
        parts.append(f"<{sub}>Sources</{sub}><ul>{sources}</ul>")
        check = f"<strong>Fact check:</strong> {_h(c.status)} ({_h(schema.STATUSES[c.status])})."
        if c.status_note:
            check += f" {_h(c.status_note)}"
        parts.append(f'<p style="font-size:0.92em">{check}</p>')
        if c.do_not_say:
            donts = "".join(f"<li>{_h(d)}</li>" for d in c.do_not_say)
            parts.append(f'<p style="font-size:0.92em;margin-bottom:0"><strong>Do not say:</strong></p><ul style="font-size:0.92em">{donts}</ul>')
        parts.append("</article>")
        return "\n".join(parts)

    def markdown(self, *, heading_level: int = 3) -> str:
        """The card as Markdown."""
        c = self.case
        lines = []
        if c.content_warning:
            lines += [f"> \u26a0\ufe0f **Content warning:** {_md(c.content_warning)}", ""]
        lines += [f"{'#' * heading_level} {_md(c.title)} ({c.year})", ""]
        lines += [" \u00b7 ".join(f"**{k}:** {_md(v)}" for k, v in self._meta()), ""]
        lines += [f"*{_md(reading_note(c))}*", ""]
        lines += [_md(c.summary), "", f"**Ethical nuance.** {_md(c.nuance)}", "", "**Discussion questions**", ""]
        lines += [f"{i}. {f'**{CORE_LABEL}:** ' if i == c.core_question else ''}{_md(q)}"
                  for i, q in enumerate(c.questions, 1)] + [""]
        explicit, threads = self._explicit_and_threads()
        if explicit or threads:
            lines += ["**Related cases**", ""]
            lines += [f"- {_md(l.label)} **{_md(l.case.short_title)}** (`{l.case.id}`): {_md(l.note)}" for l in explicit]
            for title, links in threads.items():
                lines.append(f"- On the thread *{_md(title)}*:")
                lines += [f"    - {_md(l.label)} \u2192 **{_md(l.case.short_title)}** (`{l.case.id}`)" for l in links]
            lines.append("")
        lines += ["**Sources**", ""]
        lines += [
            f"- [{_md(s.outlet)}]({_md_url(_safe_url(s.url))}){' (' + _md(s.note) + ')' if s.note else ''}"
            for s in c.sources
        ]
        check = f"**Fact check:** {c.status} ({_md(schema.STATUSES[c.status])})."
        if c.status_note:
            check += f" {_md(c.status_note)}"
        lines += ["", check]
        if c.do_not_say:
            lines += ["", "**Do not say:**", ""] + [f"- {_md(d)}" for d in c.do_not_say]
        return "\n".join(lines) + "\n"

    def __str__(self) -> str:
        c = self.case
        wrap = textwrap.TextWrapper(width=88)
        indent = textwrap.TextWrapper(width=88, initial_indent="  - ", subsequent_indent="    ")
        lines = []
        if c.content_warning:
            lines.append(f"CONTENT WARNING: {c.content_warning}")
        lines.append(f"{c.title} ({c.year})")
        lines += wrap.wrap(" | ".join(f"{k}: {v}" for k, v in self._meta()))
        lines.append(reading_note(c))
        lines += ["", *wrap.wrap(c.summary), "", *wrap.wrap(f"Ethical nuance: {c.nuance}"), "", "Discussion questions:"]
        for i, q in enumerate(c.questions, 1):
            text = f"{CORE_LABEL}: {q}" if i == c.core_question else q
            lines += textwrap.wrap(text, 88, initial_indent=f"  {i}. ", subsequent_indent="     ")
        if self.related:
            lines += ["", "Related cases:"]
            for l in self.related:
                if l.thread:
                    text = f"{l.label} -> {l.case.short_title} ({l.case.id}) [thread: {l.note}]"
                else:
                    text = f"{l.label} {l.case.short_title} ({l.case.id}): {l.note}"
                lines += indent.wrap(text)
        lines += ["", "Sources:"] + [f"  - {s.outlet}: {s.url}" for s in c.sources]
        lines += ["", *wrap.wrap(f"Fact check: {c.status} ({schema.STATUSES[c.status]}). {c.status_note}".strip())]
        for d in c.do_not_say:
            lines += indent.wrap(f"Do not say: {d}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return self.html()

    def _repr_markdown_(self) -> str:
        return self.markdown()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))

    def __repr__(self) -> str:
        return f"<CaseCard {self.case.id!r}>"


class CaseList:
    """Several case cards shown together (e.g. the cases of one lesson).

    Parameters
    ----------
    cards : sequence of CaseCard
        The cards, in display order.
    title : str, optional
        A heading shown above the cards.
    collapsed : bool
        In HTML, show each card as a collapsed ``<details>`` block whose
        one-line summary (title, year, domain, classification and any content
        warning) stays visible.
    """

    def __init__(self, cards: Sequence[CaseCard], *, title: str = "", collapsed: bool = False):
        self.cards = list(cards)
        if not all(isinstance(c, CaseCard) for c in self.cards):
            raise TypeError("cards must be a list of CaseCard objects")
        self.title = title
        self.collapsed = bool(collapsed)

    @property
    def ids(self) -> list[str]:
        """The ids of the cases shown, in order."""
        return [c.id for c in self.cards]

    def _count(self) -> str:
        n = len(self.cards)
        return f"{n} case{'s' if n != 1 else ''}" if n else "No cases match these filters."

    def html(self) -> str:
        """The list as an HTML fragment."""
        parts = [f'<section class="workshop-case-list {_NO_MATHS}">']
        if self.title:
            parts.append(f"<h3>{_h(self.title)}</h3>")
        parts.append(f"<p><strong>{_h(self._count())}</strong></p>")
        for card in self.cards:
            if not self.collapsed:
                parts.append(card.html())
                continue
            c = card.case
            warning = (
                f' \u2014 <span style="font-weight:600">\u26a0\ufe0f Content warning: {_h(c.content_warning)}</span>'
                if c.content_warning else ""
            )
            parts.append(
                f"<details data-case-id=\"{_h(c.id)}\"><summary><strong>{_h(c.title)}</strong> ({c.year}) \u00b7 "
                f"{_h(schema.DOMAINS[c.domain])} \u00b7 {_h(c.impact)}{warning}</summary>"
                f"{card.html(heading_level=4)}</details>"
            )
        parts.append("</section>")
        return "\n".join(parts)

    def markdown(self) -> str:
        """The list as Markdown, one full card after another."""
        parts = [f"### {_md(self.title)}\n" if self.title else "", f"**{self._count()}**\n"]
        parts += [card.markdown(heading_level=4) for card in self.cards]
        return "\n---\n\n".join(p for p in parts if p)

    def __str__(self) -> str:
        head = [self.title] if self.title else []
        return "\n\n".join(head + [self._count()] + [str(c) for c in self.cards])

    def _repr_html_(self) -> str:
        return self.html()

    def _repr_markdown_(self) -> str:
        return self.markdown()

    def __len__(self) -> int:
        return len(self.cards)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))

    def __repr__(self) -> str:
        return f"<CaseList {self.ids}>"


def card(case: str | Case, library: CaseLibrary | None = None) -> CaseCard:
    """Return the card of one case, by id or :class:`~workshop_utils.cases.Case`.

    Raises
    ------
    KeyError
        If the id is not in the library; the message suggests close matches.
    """
    library = library or default_library()
    found = library.get(case.id if isinstance(case, Case) else case)
    return CaseCard(found, library.related(found.id))


def cards(case_ids: Iterable[str], *, title: str = "", library: CaseLibrary | None = None) -> CaseList:
    """Return the cards of several cases, e.g. the two to four cases of a lesson.

    Parameters
    ----------
    case_ids : iterable of str
        Case ids, in display order.
    title : str, optional
        A heading above the cards.
    """
    if isinstance(case_ids, str):
        raise TypeError("case_ids must be a list of case ids, e.g. ['holly-plus', 'bev-standing-tiktok']")
    return CaseList([card(i, library) for i in case_ids], title=title)


class CaseExplorer:
    """A filter panel (ipywidgets) over the case library, with the matching cards below.

    Every control has a visible text label and a tooltip and is usable with the
    keyboard. The callbacks run without a browser, so the explorer can be
    tested by setting widget values and reading :attr:`shown_ids`.

    Parameters
    ----------
    library : CaseLibrary, optional
        Defaults to the shipped library.
    domain, technique, impact, theme : str, optional
        Initial filter values (``"all"``/``"any"`` or ``None`` for no filter).
    years : (int, int), optional
        Initial year range; defaults to the whole library.
    text : str
        Initial search words.

    Attributes
    ----------
    domain, technique, impact, theme : ipywidgets.Dropdown
    years : ipywidgets.IntRangeSlider
    search : ipywidgets.Text
    reset : ipywidgets.Button
    results : ipywidgets.HTML
        The matching cards (collapsed, with content warnings visible).
    widget : ipywidgets.VBox
        The whole panel.
    """

    def __init__(
        self,
        library: CaseLibrary | None = None,
        *,
        domain: str | None = None,
        years: tuple[int, int] | None = None,
        technique: str | None = None,
        impact: str | None = None,
        theme: str | None = None,
        text: str = "",
    ):
        import ipywidgets as widgets

        self.library = library or default_library()
        every = list(self.library)
        first, last = min(c.year for c in every), max(c.year for c in every)
        used_techniques = [t for t in schema.TECHNIQUES if any(t in c.techniques for c in every)]
        used_themes = [t for t in schema.THEMES if any(t in c.themes for c in every)]
        style = {"description_width": "initial"}

        def wide() -> Any:
            return widgets.Layout(width="auto", min_width="17em", margin="0 1em 0.3em 0")

        def dropdown(name: str, label: str, tooltip: str, any_label: str, options: list[tuple[str, str]],
                     value: str | None):
            choices = [(any_label, "any")] + options
            allowed = [v for _, v in choices]
            chosen = "any" if value in (None, "any", "all") else check_choice(name, value, allowed)
            return widgets.Dropdown(options=choices, value=chosen, description=label, tooltip=tooltip,
                                    style=style, layout=wide())

        self.domain = dropdown("domain", "Domain", "Show cases from one domain", "All domains",
                               [(v, k) for k, v in schema.DOMAINS.items()], domain)
        self.technique = dropdown("technique", "Technique", "Show cases that use one technique", "Any technique",
                                  [(schema.TECHNIQUES[t], t) for t in used_techniques], technique)
        self.impact = dropdown("impact", "Harm / benefit", "Show benevolent, harmful or contested uses", "Any classification",
                               [(k.capitalize(), k) for k in schema.IMPACTS], impact)
        self.theme = dropdown("theme", "Theme", "Show cases about one ethical theme", "Any theme",
                              [(schema.THEMES[t], t) for t in used_themes], theme)
        if years is None:
            years = (first, last)
        if not isinstance(years, (tuple, list)) or len(years) != 2 or not first <= years[0] <= years[1] <= last:
            raise ValueError(f"years must be a (first, last) pair within {first}-{last}, got {years!r}")
        self.years = widgets.IntRangeSlider(
            value=tuple(years), min=first, max=last, step=1, description="Years", tooltip="Show cases from these years",
            continuous_update=False, style=style, layout=widgets.Layout(width="24em", margin="0 1em 0.3em 0"),
        )
        self.search = widgets.Text(value=text, description="Search", placeholder="words in the title or text",
                                   tooltip="Show cases whose text contains all these words",
                                   continuous_update=False, style=style, layout=wide())
        self.reset = widgets.Button(description="Reset filters", tooltip="Clear every filter and show all cases",
                                    icon="undo")
        self.status = widgets.HTML()
        self.results = widgets.HTML()
        for control in self._controls():
            control.observe(self._on_change, names="value")
        self.reset.on_click(self._on_reset)
        filters = widgets.HBox([self.domain, self.technique, self.impact, self.theme],
                               layout=widgets.Layout(flex_flow="row wrap"))
        bottom = widgets.HBox([self.years, self.search, self.reset], layout=widgets.Layout(flex_flow="row wrap"))
        self.widget = widgets.VBox([widgets.HTML("<strong>Filter the case library</strong>"), filters, bottom,
                                    self.status, self.results])
        self._shown: list[Case] = []
        self._on_change()

    def _controls(self) -> list[Any]:
        return [self.domain, self.technique, self.impact, self.theme, self.years, self.search]

    def matches(self) -> list[Case]:
        """The cases that match the current filter values."""
        def chosen(widget: Any) -> str | None:
            return None if widget.value == "any" else widget.value

        return self.library.filter(
            domain=chosen(self.domain), years=tuple(self.years.value), technique=chosen(self.technique),
            impact=chosen(self.impact), theme=chosen(self.theme), text=self.search.value.strip() or None,
        )

    @property
    def shown_ids(self) -> list[str]:
        """The ids of the cases currently shown."""
        return [c.id for c in self._shown]

    def as_list(self) -> CaseList:
        """The cases currently shown, as a static :class:`CaseList` of collapsed cards."""
        return CaseList([CaseCard(c, self.library.related(c.id)) for c in self._shown], collapsed=True)

    def _on_change(self, change: Any = None) -> None:
        self._shown = self.matches()
        n, total = len(self._shown), len(self.library)
        self.status.value = f'<p role="status" aria-live="polite">Showing {n} of {total} cases.</p>'
        self.results.value = self.as_list().html()

    def _on_reset(self, button: Any = None) -> None:
        for control in (self.domain, self.technique, self.impact, self.theme):
            control.value = "any"
        self.years.value = (self.years.min, self.years.max)
        self.search.value = ""

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
        bundle = self.widget._repr_mimebundle_()
        if isinstance(bundle, tuple):  # (data, metadata)
            bundle = bundle[0]
        bundle = dict(bundle)
        # Front ends with widgets show the panel; exports without them fall back to the static list.
        bundle["text/html"] = self.as_list().html()
        bundle["text/plain"] = f"Case explorer: showing {len(self._shown)} of {len(self.library)} cases: {self.shown_ids}"
        return bundle

    def __repr__(self) -> str:
        return f"<CaseExplorer showing {self.shown_ids}>"


def explorer(
    *,
    domain: str | None = None,
    years: tuple[int, int] | None = None,
    technique: str | None = None,
    impact: str | None = None,
    theme: str | None = None,
    text: str = "",
    mode: str = "live",
    library: CaseLibrary | None = None,
) -> CaseExplorer | CaseList:
    """Explore the case library, live with widgets or as a static list.

    Parameters
    ----------
    domain, technique, impact, theme : str, optional
        Filters; ``None`` means no filter. See :meth:`workshop_utils.cases.CaseLibrary.filter`.
    years : (int, int), optional
        Inclusive range of years.
    text : str
        Words that must appear in a case.
    mode : {"live", "static"}
        ``"live"`` returns a :class:`CaseExplorer` whose filters start at these
        values; ``"static"`` returns a :class:`CaseList` of the matching cards
        (for exported notebooks, printing, or when widgets are unavailable).
    library : CaseLibrary, optional
        Defaults to the shipped library.

    Returns
    -------
    CaseExplorer or CaseList
    """
    check_choice("mode", mode, ["live", "static"])
    if mode == "live":
        return CaseExplorer(library, domain=domain, years=years, technique=technique, impact=impact, theme=theme,
                            text=text)
    library = library or default_library()
    found = library.filter(domain=domain, years=years, technique=technique, impact=impact, theme=theme,
                           text=text or None)
    described = [f"{k} = {v}" for k, v in
                 [("domain", domain), ("years", years), ("technique", technique), ("impact", impact),
                  ("theme", theme), ("text", text or None)] if v is not None]
    title = "Cases" + (f" ({', '.join(described)})" if described else "")
    return CaseList([CaseCard(c, library.related(c.id)) for c in found], title=title)
