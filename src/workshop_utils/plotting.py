"""Plots that everyone can read: colour-blind-safe colours and alt text.

Every helper returns an :class:`AccessibleFigure`: a matplotlib figure plus a
text description. In Jupyter it displays as an image whose ``alt`` attribute
is that description, so screen-reader users get the same information; the
description is also the plain-text fallback in static renderings.

Colours come from the Okabe-Ito palette, which stays distinguishable with
the common forms of colour blindness; real and generated data also differ in
marker shape, not only in colour.

Used in: every lesson that shows data, samples or training curves.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ._validate import check_array_2d, check_int

__all__ = [
    "OKABE_ITO",
    "AccessibleFigure",
    "image_grid",
    "loss_curves",
    "new_figure",
    "scatter_2d",
    "snapshots_2d",
]

#: Okabe & Ito (2008) colour-blind-safe palette.
OKABE_ITO: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
_CYCLE = [OKABE_ITO[k] for k in ("blue", "orange", "green", "vermillion", "purple", "sky", "black")]


@dataclass
class AccessibleFigure:
    """A matplotlib figure with a text description (alt text).

    Attributes
    ----------
    figure : matplotlib.figure.Figure
        The figure. It is closed for pyplot, so it is shown only once.
    alt : str
        What the figure shows, in words.
    """

    figure: Any
    alt: str

    def png_bytes(self, dpi: int = 90) -> bytes:
        """Render the figure as PNG bytes."""
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
        return buffer.getvalue()

    def _repr_mimebundle_(self, include=None, exclude=None):
        encoded = base64.b64encode(self.png_bytes()).decode("ascii")
        alt = html.escape(self.alt, quote=True)
        return (
            {
                "text/html": f'<img src="data:image/png;base64,{encoded}" alt="{alt}" title="{alt}">',
                "image/png": encoded,
                "text/plain": f"[Figure] {self.alt}",
            },
            {"image/png": {"alt": self.alt}},
        )

    def save(self, path: str | Path, dpi: int = 120) -> Path:
        """Save the figure as an image and its alt text beside it (``.txt``)."""
        path = Path(path)
        self.figure.savefig(path, dpi=dpi, bbox_inches="tight")
        path.with_suffix(".txt").write_text(self.alt + "\n", encoding="utf-8")
        return path


def new_figure(ncols: int = 1, width: float = 4.5, height: float = 4.0):
    """Create a figure with ``ncols`` axes using the workshop's style.

    The figure is detached from pyplot so that Jupyter does not display it a
    second time; display the returned :class:`AccessibleFigure` instead.

    Returns
    -------
    (Figure, list of Axes)
    """
    from matplotlib.figure import Figure

    check_int("ncols", ncols, minimum=1)
    fig = Figure(figsize=(width * ncols, height), layout="constrained")
    axes = [fig.add_subplot(1, ncols, i + 1) for i in range(ncols)]
    for ax in axes:
        ax.set_prop_cycle(color=_CYCLE)
    return fig, axes


def scatter_2d(
    real=None,
    generated=None,
    *,
    title: str = "",
    centers=None,
    limit: float = 3.0,
    ax=None,
    max_points: int = 2000,
    alt: str | None = None,
) -> AccessibleFigure:
    """Scatter real points (blue dots) and generated points (orange crosses).

    Parameters
    ----------
    real, generated : array-like of shape (n, 2), optional
        Points to draw; at least one must be given.
    title : str
        Axes title.
    centers : array-like of shape (k, 2), optional
        Mode centres, drawn as black rings.
    limit : float
        Axis limits are ``[-limit, limit]``.
    ax : matplotlib Axes, optional
        Draw into existing axes instead of a new figure.
    max_points : int
        Draw at most this many points of each set.
    alt : str, optional
        Replace the automatic description.

    Returns
    -------
    AccessibleFigure
    """
    if real is None and generated is None:
        raise ValueError("scatter_2d needs real or generated points (or both); got neither")
    if ax is None:
        fig, (ax,) = new_figure()
    else:
        fig = ax.figure
    described = []
    if real is not None:
        pts = check_array_2d("real", real, columns=2)[:max_points]
        ax.scatter(pts[:, 0], pts[:, 1], s=6, c=OKABE_ITO["blue"], marker="o", alpha=0.5, label="real")
        described.append(f"{len(pts)} real points as blue dots")
    if generated is not None:
        pts = check_array_2d("generated", generated, columns=2)[:max_points]
        ax.scatter(pts[:, 0], pts[:, 1], s=10, c=OKABE_ITO["orange"], marker="x", alpha=0.7, label="generated")
        described.append(f"{len(pts)} generated points as orange crosses")
    if centers is not None:
        c = check_array_2d("centers", centers, columns=2)
        ax.scatter(c[:, 0], c[:, 1], s=120, facecolors="none", edgecolors="black", linewidths=1, label="modes")
        described.append(f"{len(c)} mode centres as black rings")
    ax.set_xlim(-limit, limit)
    ax.set_ylim(-limit, limit)
    ax.set_aspect("equal")
    ax.legend(loc="upper right", fontsize=8)
    if title:
        ax.set_title(title)
    text = alt or f"Scatter plot{': ' + title if title else ''}. Shows " + ", ".join(described) + "."
    return AccessibleFigure(fig, text)


def loss_curves(history, *, title: str = "Training losses", smooth: int = 25, ax=None) -> AccessibleFigure:
    """Plot every loss in a :class:`~workshop_utils.training.History`.

    Parameters
    ----------
    history : History
        A training history.
    title : str
        Axes title.
    smooth : int
        Width of the moving average drawn over the raw (faint) curve.
    ax : matplotlib Axes, optional
        Draw into existing axes.

    Returns
    -------
    AccessibleFigure
    """
    if not hasattr(history, "losses") or not hasattr(history, "steps"):
        raise TypeError(f"history must be a training History, got {type(history).__name__}")
    check_int("smooth", smooth, minimum=1)
    if ax is None:
        fig, (ax,) = new_figure(width=6, height=3.5)
    else:
        fig = ax.figure
    styles = ["-", "--", ":", "-."]
    described = []
    for i, (name, values) in enumerate(history.losses.items()):
        colour = _CYCLE[i % len(_CYCLE)]
        values = np.asarray(values, dtype=float)
        ax.plot(history.steps, values, color=colour, alpha=0.25, linewidth=0.8)
        k = min(smooth, len(values))
        smoothed = np.convolve(values, np.ones(k) / k, mode="valid") if k else values
        ax.plot(history.steps[k - 1:], smoothed, color=colour, linestyle=styles[i % 4], label=name)
        if len(values):
            described.append(f"{name} from {values[0]:.3g} to {values[-1]:.3g}")
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.set_title(title)
    if history.losses:
        ax.legend(fontsize=8)
    summary = "; ".join(described) if described else "no losses recorded"
    return AccessibleFigure(fig, f"Line chart '{title}' over {history.n_steps} steps: {summary}.")


def image_grid(
    images,
    *,
    ncols: int = 8,
    title: str = "",
    cmap: str = "gray_r",
    value_range: tuple[float, float] | None = None,
    alt: str | None = None,
    size: float = 0.7,
) -> AccessibleFigure:
    """Show images in a grid.

    Parameters
    ----------
    images : array-like
        Shape ``(n, h, w)`` greyscale, ``(n, h, w, 3)`` colour, or torch layout
        ``(n, 1, h, w)`` / ``(n, 3, h, w)``.
    ncols : int
        Images per row.
    title : str
        Figure title.
    cmap : str
        Colour map for greyscale images.
    value_range : (float, float), optional
        Display range; defaults to the data's min and max.
    alt : str, optional
        Replace the automatic description.
    size : float
        Inches per image.

    Returns
    -------
    AccessibleFigure
    """
    if hasattr(images, "detach"):
        images = images.detach().cpu().numpy()
    array = np.asarray(images, dtype=float)
    if array.ndim == 4 and array.shape[1] in (1, 3) and array.shape[-1] not in (1, 3):
        array = array.transpose(0, 2, 3, 1)
    if array.ndim == 4 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim not in (3, 4) or (array.ndim == 4 and array.shape[-1] != 3) or len(array) == 0:
        raise ValueError(
            "images must have shape (n, h, w), (n, h, w, 3), (n, 1, h, w) or (n, 3, h, w) "
            f"with n >= 1; got {np.shape(images)}"
        )
    check_int("ncols", ncols, minimum=1)
    n = len(array)
    cols = min(ncols, n)
    rows = -(-n // cols)
    lo, hi = value_range if value_range is not None else (float(array.min()), float(array.max()))
    from matplotlib.figure import Figure

    fig = Figure(figsize=(size * cols, size * rows + (0.4 if title else 0)), layout="constrained")
    for i in range(rows * cols):
        ax = fig.add_subplot(rows, cols, i + 1)
        ax.axis("off")
        if i < n:
            img = array[i]
            if img.ndim == 3:
                ax.imshow(np.clip((img - lo) / max(hi - lo, 1e-12), 0, 1))
            else:
                ax.imshow(img, cmap=cmap, vmin=lo, vmax=hi)
    if title:
        fig.suptitle(title)
    kind = "colour" if array.ndim == 4 else "greyscale"
    h, w = array.shape[1:3]
    text = alt or f"Grid of {n} {kind} images, {h}x{w} pixels each, in {rows} row(s){': ' + title if title else ''}."
    return AccessibleFigure(fig, text)



def snapshots_2d(
    snapshots: list[tuple[str, object]],
    *,
    real=None,
    centers=None,
    limit: float = 3.0,
    alt: str | None = None,
) -> AccessibleFigure:
    """Draw several sets of generated points side by side (e.g. over training).

    Parameters
    ----------
    snapshots : list of (str, array-like of shape (n, 2))
        A title and the generated points for each panel.
    real : array-like of shape (n, 2), optional
        Real points drawn faintly in every panel.
    centers : array-like of shape (k, 2), optional
        Mode centres drawn in every panel.
    limit : float
        Axis limits are ``[-limit, limit]``.
    alt : str, optional
        Replace the automatic description.

    Returns
    -------
    AccessibleFigure
    """
    if not isinstance(snapshots, (list, tuple)) or not snapshots:
        raise ValueError("snapshots must be a non-empty list of (title, points) pairs")
    fig, axes = new_figure(ncols=len(snapshots), width=3.2, height=3.2)
    for ax, item in zip(axes, snapshots):
        if not isinstance(item, (list, tuple)) or len(item) != 2:
            raise ValueError(f"each snapshot must be a (title, points) pair; got {item!r:.60}")
        title, points = item
        scatter_2d(real, points, centers=centers, title=str(title), limit=limit, ax=ax, max_points=1000)
        ax.get_legend().remove()
    titles = "; ".join(str(t) for t, _ in snapshots)
    text = alt or (
        f"{len(snapshots)} scatter plots side by side of generated points (orange crosses)"
        f"{' over real points (blue dots)' if real is not None else ''}. Panels: {titles}."
    )
    return AccessibleFigure(fig, text)
