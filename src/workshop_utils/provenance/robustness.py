"""The sweeps of lesson 08, as plain functions: what survives which edit, and what matches by mistake.

- :func:`watermark_robustness`: bit accuracy of invisible-watermark's methods after each edit,
  with an "unmarked image" row (what the decoder reads from images that carry no mark).
- :func:`hash_robustness`: perceptual-hash distances of edited copies to their originals, and of
  unrelated images to the nearest known one; :meth:`HashSweep.table` applies a threshold.
- :func:`real_text_scores`, :func:`detection_rates`, :func:`text_edit_sweep`: the text watermark's
  z-scores on real text, its detection rates by length, and what edits do to it.
- :func:`credential_outcomes`: the four things a Content Credentials reader can find.

Every sweep returns its raw numbers and a :class:`ResultTable` that prints as text and shows as
HTML in a notebook. The libraries do the work; these functions only loop and count.

Used in: lessons/08_watermarks_and_provenance.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .._validate import check_int, check_number
from . import attacks as _attacks
from . import credentials, fingerprints
from . import image_watermark as _wm

__all__ = [
    "UNMARKED",
    "CredentialOutcome",
    "HashSweep",
    "ResultTable",
    "WatermarkSweep",
    "credential_outcomes",
    "detection_rates",
    "hash_robustness",
    "real_text_scores",
    "text_edit_sweep",
    "watermark_robustness",
]

#: Name of the row that decodes images which were never marked.
UNMARKED = "unmarked image"


@dataclass
class ResultTable:
    """A small table for people: a caption, column names and rows of strings.

    Attributes
    ----------
    caption : str
        What the table shows.
    columns : list of str
        Column headings.
    rows : list of list of str
        The cells.
    note : str
        A line under the table (how to read it).
    """

    caption: str
    columns: list[str]
    rows: list[list[str]]
    note: str = ""

    def __repr__(self) -> str:
        return str(self)

    def __str__(self) -> str:
        cells = [self.columns] + self.rows
        widths = [max(len(r[i]) for r in cells) for i in range(len(self.columns))]
        lines = [self.caption, "  ".join(c.ljust(w) for c, w in zip(self.columns, widths)),
                 "  ".join("-" * w for w in widths)]
        lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in self.rows]
        return "\n".join(lines + ([self.note] if self.note else []))

    def to_markdown(self) -> str:
        """The table in Markdown."""
        lines = [f"| {' | '.join(self.columns)} |", "|" + "---|" * len(self.columns)]
        lines += [f"| {' | '.join(r)} |" for r in self.rows]
        return "\n".join([f"**{self.caption}**", ""] + lines + (["", self.note] if self.note else []))

    def _repr_html_(self) -> str:
        head = "".join(f"<th scope='col' style='text-align:left'>{html.escape(c)}</th>" for c in self.columns)
        body = "".join(
            "<tr>" + f"<th scope='row' style='text-align:left'>{html.escape(r[0])}</th>"
            + "".join(f"<td style='text-align:left'>{html.escape(c)}</td>" for c in r[1:]) + "</tr>"
            for r in self.rows)
        note = f"<p><small>{html.escape(self.note)}</small></p>" if self.note else ""
        return (f"<table><caption>{html.escape(self.caption)}</caption><thead><tr>{head}</tr></thead>"
                f"<tbody>{body}</tbody></table>{note}")


# --- invisible image watermarks ----------------------------------------------------------

@dataclass
class WatermarkSweep:
    """Result of :func:`watermark_robustness`.

    Attributes
    ----------
    accuracy : dict
        ``(edit, method) -> list`` of bit accuracies, one per image (``None``: the edited
        image was too small to decode). The :data:`UNMARKED` edit holds unmarked images.
    images : list of str
        The image names, in the order of the lists.
    marked : dict
        ``(image name, method) -> PIL image``: the marked images.
    methods : tuple of str
    detect_bits, n_bits : int
        An image counts as "mark found" with at least ``detect_bits`` of ``n_bits`` right.
    """

    accuracy: dict[tuple[str, str], list[float | None]]
    images: list[str]
    marked: dict[tuple[str, str], Any]
    methods: tuple[str, ...]
    detect_bits: int
    n_bits: int

    @property
    def edits(self) -> list[str]:
        """The edits in the order they were applied (the unmarked row last)."""
        return list(dict.fromkeys(edit for edit, _ in self.accuracy))

    def mean(self, edit: str, method: str) -> float | None:
        """Mean bit accuracy over the images (``None`` if no image could be decoded)."""
        values = [v for v in self.accuracy[(edit, method)] if v is not None]
        return float(np.mean(values)) if values else None

    def found(self, edit: str, method: str) -> int:
        """How many images still gave at least ``detect_bits`` correct bits."""
        return sum(v is not None and round(v * self.n_bits) >= self.detect_bits for v in self.accuracy[(edit, method)])

    def table(self) -> ResultTable:
        """Mean bit accuracy and images with the mark found, per edit and method."""
        rows = []
        for edit in self.edits:
            row = [edit]
            for method in self.methods:
                mean = self.mean(edit, method)
                row.append("too small to read" if mean is None else
                           f"{mean:.2f} ({self.found(edit, method)}/{len(self.images)})")
            rows.append(row)
        return ResultTable(
            f"Bit accuracy after each edit ({self.n_bits}-bit message, {len(self.images)} images)",
            ["edit"] + list(self.methods), rows,
            f"Cell: mean share of bits read correctly (images with at least {self.detect_bits} of {self.n_bits} "
            f"bits right). Compare every row with the '{UNMARKED}' row: that is what the decoder reads from "
            "images that were never marked.")


def watermark_robustness(images: Mapping[str, Any], edits: Mapping[str, Callable] | None = None,
                         methods: Sequence[str] = _wm.METHODS, bits: Sequence[int] = _wm.SDXL_MESSAGE_BITS,
                         detect_bits: int = 40) -> WatermarkSweep:
    """Mark each image with each method, apply each edit, decode, and measure bit accuracy.

    Parameters
    ----------
    images : mapping of name -> image
        Images of at least 256 x 256 pixels.
    edits : mapping of name -> function, optional
        ``f(PIL image) -> PIL image``; defaults to :data:`workshop_utils.provenance.attacks.ATTACKS`.
    methods : sequence of str
        invisible-watermark methods.
    bits : sequence of 0/1
        The message.
    detect_bits : int
        Correct bits needed to count the mark as found.
    """
    if not images:
        raise ValueError("images must hold at least one image")
    edits = dict(_attacks.ATTACKS if edits is None else edits)
    if UNMARKED in edits:
        raise ValueError(f"{UNMARKED!r} is reserved for the row of unmarked images")
    message = list(bits)
    check_int("detect_bits", detect_bits, minimum=1, maximum=len(message))
    originals = {name: _wm.to_pil(image, f"images[{name!r}]") for name, image in images.items()}
    marked = {(name, m): _wm.embed(image, message, m) for name, image in originals.items() for m in methods}
    accuracy: dict[tuple[str, str], list[float | None]] = {}

    def read(image, method: str) -> float | None:
        try:
            return _wm.bit_accuracy(_wm.decode(image, len(message), method), message)
        except _wm.ImageTooSmallError:
            return None

    for edit, function in edits.items():
        for method in methods:
            accuracy[(edit, method)] = [read(function(marked[(name, method)]), method) for name in originals]
    for method in methods:
        accuracy[(UNMARKED, method)] = [read(image, method) for image in originals.values()]
    return WatermarkSweep(accuracy, list(originals), marked, tuple(methods), detect_bits, len(message))


# --- perceptual hashes -------------------------------------------------------------------------

@dataclass
class HashSweep:
    """Result of :func:`hash_robustness`.

    Attributes
    ----------
    copies : dict
        ``kind -> edit -> list`` of distances from each edited copy to its own original.
    others : dict
        ``kind -> group -> list`` of distances from each unrelated image to the nearest known image.
    kinds : tuple of str
    n_known : int
    """

    copies: dict[str, dict[str, list[int]]]
    others: dict[str, dict[str, list[int]]]
    kinds: tuple[str, ...]
    n_known: int

    def matched(self, kind: str, threshold: int) -> dict[str, float]:
        """Share of edited copies that still match their original (``edit -> share``)."""
        return {edit: float(np.mean(np.array(d) <= threshold)) for edit, d in self.copies[kind].items()}

    def false_matches(self, kind: str, threshold: int) -> dict[str, float]:
        """Share of unrelated images that match some known image (``group -> share``)."""
        return {group: float(np.mean(np.array(d) <= threshold)) for group, d in self.others[kind].items()}

    def table(self, kind: str = "dhash", threshold: int = 8) -> ResultTable:
        """What a block list with this hash and threshold would catch, and what it would hit by mistake."""
        if kind not in self.kinds:
            raise ValueError(f"kind must be one of {self.kinds}, got {kind!r}")
        check_int("threshold", threshold, minimum=0)
        rows = [[f"copy: {edit}", f"{np.mean(self.copies[kind][edit]):.1f} (max {max(self.copies[kind][edit])})",
                 f"{share:.0%} matched"] for edit, share in self.matched(kind, threshold).items()]
        rows += [[f"unrelated: {group}", f"{np.mean(self.others[kind][group]):.1f} (min {min(self.others[kind][group])})",
                  f"{share:.0%} falsely matched"] for group, share in self.false_matches(kind, threshold).items()]
        return ResultTable(f"{kind}, match when distance <= {threshold} (of {self.n_known} known images)",
                           ["image", "distance: mean (extreme)", "result"], rows,
                           "Copies are compared with their own original; unrelated images with the nearest known one.")


def hash_robustness(known: Sequence[Any], others: Mapping[str, Sequence[Any]],
                    edits: Mapping[str, Callable] | None = None,
                    kinds: Sequence[str] = ("phash", "dhash")) -> HashSweep:
    """Hash the known images, their edited copies and unrelated images, and measure distances.

    Parameters
    ----------
    known : sequence of PIL images
        The "known" images a block list would hold hashes of.
    others : mapping of group name -> sequence of PIL images
        Unrelated images, in groups (e.g. "same identity, other expression").
    edits : mapping of name -> function, optional
        Defaults to :data:`workshop_utils.provenance.attacks.COPY_EDITS`.
    kinds : sequence of str
        Hashes from :data:`workshop_utils.provenance.fingerprints.HASHES`.
    """
    if not known:
        raise ValueError("known must hold at least one image")
    edits = dict(_attacks.COPY_EDITS if edits is None else edits)
    kinds = tuple(kinds)
    known_hashes = [fingerprints.fingerprint(image, kinds) for image in known]
    copies: dict[str, dict[str, list[int]]] = {k: {} for k in kinds}
    for edit, function in edits.items():
        edited = [fingerprints.fingerprint(function(image), kinds) for image in known]
        for k in kinds:
            copies[k][edit] = [fingerprints.distance(e[k], h[k]) for e, h in zip(edited, known_hashes)]
    nearest: dict[str, dict[str, list[int]]] = {k: {} for k in kinds}
    for group, images in others.items():
        hashed = [fingerprints.fingerprint(image, kinds) for image in images]
        for k in kinds:
            nearest[k][group] = [min(fingerprints.distance(h[k], own[k]) for own in known_hashes) for h in hashed]
    return HashSweep(copies, nearest, kinds, len(known))


# --- the text watermark ----------------------------------------------------------------------

@dataclass
class RealTextScores:
    """Result of :func:`real_text_scores`: z-scores of texts written without any key.

    Attributes
    ----------
    z : numpy.ndarray
        Shape ``(keys, texts)``.
    keys : list of int
    width : int
    """

    z: np.ndarray
    keys: list[int]
    width: int

    def flagged_share(self, threshold: float = 4.0) -> float:
        """Share of (key, text) pairs with z above ``threshold``: false accusations."""
        return float(np.mean(self.z > threshold))

    @property
    def key_means(self) -> np.ndarray:
        """Mean z of all the texts under each key (near 0 for a fair detector, whatever the key)."""
        return self.z.mean(axis=1)


def real_text_scores(texts: Sequence[str], vocab, keys: Sequence[int], width: int,
                     gamma: float = 0.5) -> RealTextScores:
    """The detector's z-score for each text under each key, for texts that carry no watermark."""
    from . import text_watermark as tw

    if isinstance(texts, str) or not texts or not keys:
        raise ValueError("texts and keys must be non-empty lists")
    z = np.array([[tw.detect(t, lists).z for t in texts]
                  for lists in (tw.GreenLists(vocab, key, gamma, width) for key in keys)])
    return RealTextScores(z, list(keys), width)


def detection_rates(texts: Sequence[str], lists, lengths: Sequence[int] = (200, 400, 800),
                    threshold: float = 4.0) -> dict[int, float]:
    """Share of ``texts`` detected when only their first ``length`` characters are tested (``length -> share``)."""
    from . import text_watermark as tw

    if isinstance(texts, str) or not texts:
        raise ValueError("texts must be a non-empty list of strings")
    return {int(n): float(np.mean([tw.detect(t[:n], lists, threshold).watermarked for t in texts]))
            for n in lengths}


@dataclass
class EditSweep:
    """Result of :func:`text_edit_sweep`: ``edit -> list`` of z-scores."""

    z: dict[str, list[float]] = field(default_factory=dict)
    threshold: float = 4.0

    def table(self) -> ResultTable:
        """Mean z and the share still detected, per edit."""
        rows = [[edit, f"{np.mean(z):+.1f}", f"{np.mean(np.array(z) > self.threshold):.0%}"]
                for edit, z in self.z.items()]
        return ResultTable("What edits do to the watermark", ["text", "mean z", f"detected (z > {self.threshold:g})"],
                           rows)


def text_edit_sweep(texts: Sequence[str], lists, edits: Mapping[str, Callable[[str, int], str]],
                    threshold: float = 4.0) -> EditSweep:
    """Detect the watermark in ``texts`` after each edit (``f(text, i) -> edited text``; ``i`` seeds randomness)."""
    from . import text_watermark as tw

    check_number("threshold", threshold)
    sweep = EditSweep(threshold=threshold)
    sweep.z["unedited"] = [tw.detect(t, lists).z for t in texts]
    for name, edit in edits.items():
        sweep.z[name] = [tw.detect(edit(t, i), lists).z for i, t in enumerate(texts)]
    return sweep


# --- Content Credentials ------------------------------------------------------------------------

@dataclass
class CredentialOutcome:
    """One case of :func:`credential_outcomes`: what was done to the file, and what a reader finds."""

    case: str
    report: credentials.CredentialReport
    png: bytes


def credential_outcomes(image: Any, pki: credentials.TestPKI, *, author: str,
                        stranger: credentials.TestPKI | None = None) -> tuple[list[CredentialOutcome], ResultTable]:
    """Sign ``image`` and read it back in the four situations that matter, trusting ``pki``'s root.

    The cases: signed by you (Trusted); signed by a signer nobody on your trust list
    vouches for (Valid, untrusted); pixels edited with the manifest put back (Invalid);
    re-saved by an editor (no manifest).

    Returns
    -------
    (list of CredentialOutcome, ResultTable)
    """
    stranger = stranger or credentials.make_test_pki("Unknown Image Studio", organisation="Unknown Studio Ltd")
    signed = credentials.sign_image(image, pki, author=author)
    cases = [
        ("signed by the workshop's generator", signed),
        ("signed by an unknown signer", credentials.sign_image(image, stranger, author=author)),
        ("pixels edited, manifest put back", credentials.tamper_pixels_keep_manifest(signed)),
        ("re-saved by an image editor", credentials.strip_metadata(signed)),
    ]
    outcomes = [CredentialOutcome(case, credentials.read_credentials(png, pki.root_pem), png) for case, png in cases]
    rows = [[o.case, o.report.state, o.report.verdict, "; ".join(o.report.failures) or "none"] for o in outcomes]
    table = ResultTable("What a Content Credentials reader finds (trusting only the workshop's root certificate)",
                        ["what happened to the file", "state", "what it means", "problems reported"], rows)
    return outcomes, table
