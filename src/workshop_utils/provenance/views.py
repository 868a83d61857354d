"""What lesson 08 shows: figures with alt text, a manifest viewer and a hash-threshold explorer.

Figures are :class:`workshop_utils.plotting.AccessibleFigure` objects whose alt text
is written from the numbers they plot. The two widgets fall back to static HTML
where no widget manager runs. matplotlib and ipywidgets are imported only when
a figure or a widget is made.

Used in: lessons/08_watermarks_and_provenance.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .._validate import check_int, check_number
from ..plotting import AccessibleFigure, new_figure

__all__ = ["manifest_viewer", "threshold_explorer", "tradeoff_figure", "watermark_figure"]


def watermark_figure(original: Any, marked: Any, amplify: float = 20.0, method: str = "dwtDct") -> AccessibleFigure:
    """The original, the marked image, and their difference amplified ``amplify`` times.

    The alt text reports the largest change of any pixel value and the PSNR.
    """
    check_number("amplify", amplify, minimum=1.0)
    before = np.asarray(original.convert("RGB"), dtype=float)
    after = np.asarray(marked.convert("RGB"), dtype=float)
    if before.shape != after.shape:
        raise ValueError(f"original and marked must have the same size, got {before.shape} and {after.shape}")
    difference = np.abs(after - before)
    mse = float(np.mean(difference ** 2))
    psnr = float("inf") if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)
    fig, axes = new_figure(3, width=3.2, height=3.4)
    panels = [(before / 255, "generated"), (after / 255, f"watermarked ({method})"),
              (np.clip(difference * amplify / 255, 0, 1), f"difference x{amplify:g}")]
    for ax, (image, title) in zip(axes, panels):
        ax.imshow(image)
        ax.set_title(title)
        ax.axis("off")
    alt = (f"Three {before.shape[1]}x{before.shape[0]} images: the generated sheet, the watermarked copy, which "
           f"looks the same, and their difference amplified {amplify:g} times. No pixel value changed by more "
           f"than {difference.max():.0f} of 255; PSNR {psnr:.1f} dB.")
    return AccessibleFigure(fig, alt)


def tradeoff_figure(rates: Mapping[float, Mapping[int, float]], perplexity: Mapping[float, float],
                    reference: float | None = None) -> AccessibleFigure:
    """Detection rate against passage length for each delta (left) and perplexity for each delta (right).

    Parameters
    ----------
    rates : mapping delta -> (length -> share detected)
    perplexity : mapping delta -> perplexity under the unwatermarked model
    reference : float, optional
        Perplexity of real text, drawn as a line.
    """
    if not rates or set(rates) != set(perplexity):
        raise ValueError("rates and perplexity need the same, non-empty set of deltas")
    fig, (left, right) = new_figure(2, width=4.4, height=3.4)
    deltas = sorted(rates)
    markers = "osD^vP"
    for i, delta in enumerate(deltas):
        lengths = sorted(rates[delta])
        left.plot(lengths, [100 * rates[delta][n] for n in lengths], marker=markers[i % len(markers)],
                  label=f"delta {delta:g}")
    left.set(xlabel="characters tested", ylabel="passages detected (%)", ylim=(-3, 103),
             title="Longer passages are easier to detect")
    left.legend(fontsize=8)
    right.bar([f"{d:g}" for d in deltas], [perplexity[d] for d in deltas], color="#0072B2")
    if reference is not None:
        right.axhline(reference, color="#D55E00", linestyle="--", label="real text")
        right.legend(fontsize=8)
    right.set(xlabel="delta", ylabel="perplexity (unwatermarked model)", title="A larger delta costs quality")
    longest = max(max(rates[d]) for d in deltas)
    parts = [f"delta {d:g}: {100 * rates[d].get(longest, 0):.0f}% of {longest}-character passages detected, "
             f"perplexity {perplexity[d]:.2f}" for d in deltas]
    alt = "Watermark trade-off. " + "; ".join(parts) + "."
    return AccessibleFigure(fig, alt)


def manifest_viewer(outcomes: Sequence[Any]):
    """Choose a case and read its Content Credentials as a person would (a dropdown and a table).

    Parameters
    ----------
    outcomes : sequence of robustness.CredentialOutcome
        From :func:`workshop_utils.provenance.robustness.credential_outcomes`.
    """
    import ipywidgets as widgets

    if not outcomes:
        raise ValueError("outcomes must hold at least one case")
    by_case = {o.case: o for o in outcomes}
    choice = widgets.Dropdown(options=list(by_case), description="File:", style={"description_width": "initial"},
                              layout=widgets.Layout(width="420px"))
    table = widgets.HTML()

    def show(_=None) -> None:
        table.value = by_case[choice.value].report._repr_html_()

    choice.observe(show, names="value")
    show()
    every = "".join(f"<p><strong>File:</strong> {html.escape(case)}</p>{outcome.report._repr_html_()}"
                    for case, outcome in by_case.items())
    return _with_static_html(widgets.VBox([choice, table]), lambda: every)


def threshold_explorer(sweep: Any, kind: str = "dhash", threshold: int = 8):
    """A slider over the match threshold that recomputes what a hash list catches and hits by mistake.

    Parameters
    ----------
    sweep : robustness.HashSweep
        From :func:`workshop_utils.provenance.robustness.hash_robustness`.
    kind : str
        The hash to start with.
    threshold : int
        The threshold to start with.
    """
    import ipywidgets as widgets

    check_int("threshold", threshold, minimum=0, maximum=64)
    kinds = widgets.ToggleButtons(options=list(sweep.kinds), value=kind, description="hash:")
    slider = widgets.IntSlider(value=threshold, min=0, max=32, description="threshold:",
                               style={"description_width": "initial"})
    table = widgets.HTML()

    def show(_=None) -> None:
        table.value = sweep.table(kinds.value, slider.value)._repr_html_()

    kinds.observe(show, names="value")
    slider.observe(show, names="value")
    show()
    return _with_static_html(
        widgets.VBox([widgets.HBox([kinds, slider]), table]),
        lambda: f"<p><strong>Hash:</strong> {html.escape(kinds.value)}, <strong>threshold:</strong> "
                f"{slider.value}</p>{table.value}")


def _with_static_html(box: Any, render: Any) -> Any:
    """Give a widget a static HTML copy of what it shows, for viewers without a widget manager."""
    live = box._repr_mimebundle_

    def bundle(**kwargs: Any) -> dict:
        data = dict(live(**kwargs) or {})
        data["text/html"] = render()
        return data

    box._repr_mimebundle_ = bundle
    return box
