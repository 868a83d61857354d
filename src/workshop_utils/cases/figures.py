"""Figures of the case library: a timeline, and the threads that link cases.

:func:`timeline` places cases on a time axis, one row per domain; domains
differ in colour *and* marker shape *and* row, so the figure reads without
colour. :func:`thread_graph` draws the repurposing threads (the same
technique or vendor used for good, then for harm) or the disclosure and
consent spectrums as a small left-to-right graph, laid out by hand (no graph
library needed). Both return an
:class:`~workshop_utils.plotting.AccessibleFigure` whose alt text lists the
content in words.

Used in: lessons 01-05 (case discussions) and 10.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable

from .._validate import check_choice
from ..plotting import OKABE_ITO, AccessibleFigure
from . import schema
from .library import Case, CaseLibrary, default_library

__all__ = ["DOMAIN_STYLE", "ROLE_STYLE", "thread_graph", "timeline"]

#: Domain -> (colour name in OKABE_ITO, marker, marker name for alt text).
DOMAIN_STYLE: dict[str, tuple[str, str, str]] = {
    "art": ("blue", "o", "circles"),
    "activism": ("green", "s", "squares"),
    "industry": ("orange", "^", "triangles"),
    "society": ("vermillion", "D", "diamonds"),
}

#: Stage role of a repurposing thread -> (colour name in OKABE_ITO, line style, column heading).
ROLE_STYLE: dict[str, tuple[str, str, str]] = {
    "benevolent": ("green", "solid", "Benevolent use"),
    "harmful": ("vermillion", "dashed", "Harmful use"),
    "consequence": ("orange", "dotted", "Consequence"),
}

_COLOUR_WORDS = {"blue": "blue", "orange": "orange", "green": "bluish-green", "vermillion": "vermillion"}
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}


def _month(case: Case) -> int | None:
    """The month (0-11) of the case's year named in its date string, if any."""
    for month, year in re.findall(r"([A-Za-z]{3})[a-z]* (\d{4})", case.date or ""):
        if int(year) == case.year and month.lower() in _MONTHS:
            return _MONTHS[month.lower()]
    return None


def _decimal_year(case: Case) -> float:
    """The case's year plus its month (mid-month), or mid-year when no month is known."""
    month = _month(case)
    return case.year + ((month + 0.5) / 12 if month is not None else 0.5)


def _when(case: Case) -> str:
    month = _month(case)
    return f"{list(_MONTHS)[month].capitalize()} {case.year}" if month is not None else str(case.year)


def _resolve(cases: Iterable[Case | str] | None, library: CaseLibrary) -> list[Case]:
    if cases is None:
        return list(library)
    if isinstance(cases, str):
        raise TypeError("cases must be a list of case ids or Case objects, not a single string")
    resolved = [c if isinstance(c, Case) else library.get(c) for c in cases]
    if not resolved:
        raise ValueError("cases must contain at least one case")
    return resolved


def timeline(
    cases: Iterable[Case | str] | None = None,
    *,
    title: str = "Cases of synthetic media over time",
    library: CaseLibrary | None = None,
) -> AccessibleFigure:
    """Draw cases on a timeline, one row per domain.

    Each domain has its own row, Okabe-Ito colour and marker shape. Within a
    row, labels are stacked on as many levels as needed so they do not overlap.

    Parameters
    ----------
    cases : iterable of Case or str, optional
        The cases to draw (ids or Case objects); all cases by default.
    title : str
        Axes title.
    library : CaseLibrary, optional
        Where to look up ids; defaults to the shipped library.

    Returns
    -------
    AccessibleFigure
        Its alt text names every case with its date, grouped by domain.
    """
    from matplotlib.figure import Figure
    from matplotlib.textpath import TextPath

    library = library or default_library()
    chosen = _resolve(cases, library)
    domains = [d for d in schema.DOMAINS if any(c.domain == d for c in chosen)]
    x_min = min(c.year for c in chosen)
    x_max = max(c.year for c in chosen) + 1
    width_in, axes_in, font = 11.0, 9.4, 7  # figure width; axes width left after the row labels
    data_per_point = (x_max - x_min + 0.6) / (axes_in * 72)

    def label_width(text: str) -> float:
        return TextPath((0, 0), text, size=font).get_extents().width * data_per_point

    # Pack labels into levels per row (greedy interval packing), bottom row = last domain.
    placed: dict[str, list[tuple[Case, float, int]]] = {}
    for domain in domains:
        ends: list[float] = []
        rows = []
        for case in sorted((c for c in chosen if c.domain == domain), key=_decimal_year):
            x = _decimal_year(case)
            level = next((i for i, end in enumerate(ends) if end < x), len(ends))
            end = x + (12 * data_per_point) + label_width(case.short_title)
            if level == len(ends):
                ends.append(end)
            else:
                ends[level] = end
            rows.append((case, x, level))
        placed[domain] = rows
    level_step = 0.42
    heights = {d: max(l for _, _, l in placed[d]) + 1 for d in domains}
    bases, y = {}, 0.0
    for domain in reversed(domains):
        bases[domain] = y
        y += heights[domain] * level_step + 0.5

    fig = Figure(figsize=(width_in, 1.6 + 0.75 * y), layout="constrained")
    ax = fig.add_subplot(1, 1, 1)
    described = []
    for domain in domains:
        colour_name, marker, marker_name = DOMAIN_STYLE[domain]
        colour = OKABE_ITO[colour_name]
        base = bases[domain]
        band_top = base + heights[domain] * level_step - level_step / 2 + 0.2
        ax.axhspan(base - level_step / 2 - 0.1, band_top, color=colour, alpha=0.06, linewidth=0)
        xs = [x for _, x, _ in placed[domain]]
        ys = [base + level * level_step for _, _, level in placed[domain]]
        ax.scatter(xs, ys, marker=marker, s=42, color=colour, edgecolors="black", linewidths=0.5, zorder=3,
                   label=f"{schema.DOMAINS[domain]} ({marker_name})")
        for (case, x, level), y_pt in zip(placed[domain], ys):
            ax.annotate(case.short_title, (x, y_pt), xytext=(5, 0), textcoords="offset points", fontsize=font,
                        va="center", ha="left")
        names = "; ".join(f"{c.short_title} ({_when(c)})" for c, _, _ in placed[domain])
        described.append(f"{schema.DOMAINS[domain]}, {_COLOUR_WORDS[colour_name]} {marker_name} "
                         f"({len(placed[domain])}): {names}")
    ax.set_yticks([bases[d] + (heights[d] - 1) * level_step / 2 for d in domains])
    ax.set_yticklabels([schema.DOMAINS[d].replace(" and ", "\nand ") for d in domains], fontsize=9)
    ax.set_xlim(x_min - 0.1, x_max + 0.5)  # matches data_per_point
    ax.set_ylim(-0.5, y - 0.2)
    ax.set_xticks(range(x_min, x_max + 1))
    ax.grid(axis="x", color="0.85", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.set_xlabel("year (points placed by month where the date is known)")
    ax.set_title(title)
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncol=len(domains), fontsize=8, frameon=False)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    alt = (
        f"Timeline '{title}' of {len(chosen)} cases from {min(c.year for c in chosen)} to "
        f"{max(c.year for c in chosen)}, one row per domain, each with its own colour and marker. "
        + ". ".join(described) + "."
    )
    return AccessibleFigure(fig, alt)


def thread_graph(kind: str = "repurposing", *, library: CaseLibrary | None = None) -> AccessibleFigure:
    """Draw the threads of one kind as a left-to-right graph.

    For ``kind="repurposing"`` every thread is a row: benevolent uses on the
    left, harmful uses and their consequences to the right, with arrows in
    between. Stage boxes differ in colour *and* border style, and columns are
    headed in words. For ``"disclosure"`` and ``"consent"`` the spectrum runs
    from left (most) to right (least).

    Parameters
    ----------
    kind : {"repurposing", "disclosure", "consent"}
        Which threads to draw.
    library : CaseLibrary, optional
        Defaults to the shipped library.

    Returns
    -------
    AccessibleFigure
        Its alt text lists every thread in words, stage by stage.
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    check_choice("kind", kind, schema.THREAD_KINDS)
    library = library or default_library()
    threads = library.threads(kind)
    if not threads:
        raise ValueError(f"the library has no threads of kind {kind!r}")
    n_cols = max(len(t.stages) for t in threads)
    col_w, box_h, line_h, gap = 3.2, 0.34, 0.17, 0.55
    wrapped = {(t.id, j): textwrap.wrap(s.label, 40) for t in threads for j, s in enumerate(t.stages)}

    def header_h(thread_id: str, j: int) -> float:
        return len(wrapped[thread_id, j]) * line_h + 0.14

    heights = [max(len(s.cases) * box_h + header_h(t.id, j) for j, s in enumerate(t.stages)) + 0.45 for t in threads]
    total_h = sum(heights) + gap * (len(threads) - 1)
    spectrum_colours = [OKABE_ITO[k] for k in ("blue", "sky", "green", "orange", "vermillion", "purple")]
    fig = Figure(figsize=(col_w * n_cols * 1.05 + 0.4, total_h * 0.95 + 1.3), layout="constrained")
    ax = fig.add_subplot(1, 1, 1)
    ax.set_xlim(0, n_cols * col_w)
    ax.set_ylim(0, total_h + 0.6)
    ax.axis("off")
    if kind == "repurposing":
        roles = [r for r in ROLE_STYLE if any(s.role == r for t in threads for s in t.stages)]
        for i, role in enumerate(roles):
            ax.text((i + 0.5) * col_w, total_h + 0.35, ROLE_STYLE[role][2], ha="center", va="center",
                    fontsize=11, fontweight="bold", color=OKABE_ITO[ROLE_STYLE[role][0]])
    else:
        ax.text(n_cols * col_w / 2, total_h + 0.35, f"{threads[0].title}  (left: most \u2192 right: least)",
                ha="center", va="center", fontsize=11, fontweight="bold")
    described = []
    top = total_h
    for thread, height in zip(threads, heights):
        if kind == "repurposing":
            ax.text(0.05, top - 0.02, thread.title, ha="left", va="top", fontsize=9, fontstyle="italic")
        boxes = []
        for j, stage in enumerate(thread.stages):
            if kind == "repurposing":
                colour_name, linestyle, _ = ROLE_STYLE[stage.role]
                colour = OKABE_ITO[colour_name]
            else:
                colour, linestyle = spectrum_colours[j % len(spectrum_colours)], "solid"
            x0 = j * col_w + 0.2
            head = header_h(thread.id, j)
            inner_h = len(stage.cases) * box_h + head
            y0 = top - 0.32 - inner_h
            ax.add_patch(FancyBboxPatch((x0, y0), col_w - 0.6, inner_h, boxstyle="round,pad=0.02,rounding_size=0.08",
                                        facecolor=colour, alpha=0.12, edgecolor="none"))
            ax.add_patch(FancyBboxPatch((x0, y0), col_w - 0.6, inner_h, boxstyle="round,pad=0.02,rounding_size=0.08",
                                        facecolor="none", edgecolor=colour, linewidth=1.6, linestyle=linestyle))
            ax.text(x0 + 0.08, y0 + inner_h - 0.06, "\n".join(wrapped[thread.id, j]), fontsize=7, va="top", ha="left",
                    color="0.25", linespacing=1.3)
            for k, case_id in enumerate(stage.cases):
                ax.text(x0 + 0.18, y0 + inner_h - head - 0.17 - k * box_h, "\u2022 " + library.get(case_id).short_title,
                        fontsize=8.5, va="center", ha="left")
            boxes.append((x0, y0, inner_h))
        for (xa, ya, ha_), (xb, yb, hb) in zip(boxes, boxes[1:]):
            y_arrow = min(ya + ha_ / 2, yb + hb / 2)
            ax.add_patch(FancyArrowPatch((xa + col_w - 0.6, y_arrow), (xb, y_arrow), arrowstyle="-|>",
                                         mutation_scale=16, linewidth=1.4, color="0.2"))
        steps = " \u2192 ".join(
            f"{stage.label} ({', '.join(library.get(c).short_title for c in stage.cases)})" for stage in thread.stages
        )
        described.append(f"{thread.title} [via {thread.via}]: {steps}")
        top -= height + gap
    if kind == "repurposing":
        intro = (f"Graph of {len(threads)} repurposing threads, read left to right: benevolent uses "
                 "(bluish-green, solid boxes), then harmful uses (vermillion, dashed boxes)"
                 + (" and consequences (orange, dotted boxes)" if "consequence" in roles else "")
                 + ", joined by arrows")
    else:
        intro = f"Graph of the {kind} spectrum, from most (left) to least (right), boxes joined by arrows"
    alt = intro + ". " + ". ".join(described) + "."
    return AccessibleFigure(fig, alt)
