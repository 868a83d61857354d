"""Perceptual hashes with ImageHash: fingerprints that survive small changes to a picture.

A perceptual hash turns an image into a short bit string (64 bits here; 42 for
``colorhash``) such that similar-looking images get similar strings. Two images
*match* when the Hamming distance between their hashes is at most a threshold.
ImageHash computes the hashes; this module names them and compares them.

Used in: lessons/08_watermarks_and_provenance, :mod:`workshop_utils.provenance.robustness`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .._validate import check_choice, check_int

__all__ = ["HASHES", "HashMatch", "best_match", "distance", "fingerprint", "hash_image"]

#: The hashes offered: ImageHash's average, perceptual, difference and wavelet hashes (64 bits) and colorhash (42).
HASHES = ("phash", "dhash", "ahash", "whash", "colorhash")
_FUNCTIONS = {"phash": "phash", "dhash": "dhash", "ahash": "average_hash", "whash": "whash", "colorhash": "colorhash"}


def hash_image(image: Any, kind: str = "dhash"):
    """The ImageHash hash of one PIL image.

    Parameters
    ----------
    image : PIL.Image.Image
        The picture.
    kind : str
        One of :data:`HASHES`.

    Returns
    -------
    imagehash.ImageHash
        Subtract two hashes (``a - b``) for their Hamming distance; ``str(h)`` is its hex form.
    """
    import imagehash
    from PIL import Image

    check_choice("kind", kind, HASHES)
    if not isinstance(image, Image.Image):
        raise TypeError(f"image must be a PIL image, got {type(image).__name__}")
    return getattr(imagehash, _FUNCTIONS[kind])(image)


def fingerprint(image: Any, kinds: Iterable[str] = HASHES) -> dict[str, Any]:
    """Several hashes of one image: ``{kind: hash}``."""
    return {kind: hash_image(image, kind) for kind in kinds}


def distance(a: Any, b: Any) -> int:
    """Hamming distance between two ImageHash hashes of the same kind (the number of differing bits)."""
    if not (hasattr(a, "hash") and hasattr(b, "hash")):
        raise TypeError("a and b must be ImageHash hashes (from hash_image)")
    if a.hash.shape != b.hash.shape:
        raise ValueError(f"a and b are hashes of different sizes ({a.hash.size} and {b.hash.size} bits): "
                         "compare hashes of the same kind")
    return int(a - b)


@dataclass(frozen=True)
class HashMatch:
    """The known hash closest to a query.

    Attributes
    ----------
    name : str
        The known item's name.
    distance : int
        Hamming distance to it.
    matched : bool
        Whether the distance is at most the threshold.
    """

    name: str
    distance: int
    matched: bool


def best_match(query: Any, known: Mapping[str, Any], threshold: int) -> HashMatch:
    """Compare one hash with a list of known hashes (``name -> hash``); a match needs distance <= ``threshold``."""
    check_int("threshold", threshold, minimum=0)
    if not known:
        raise ValueError("known must hold at least one hash")
    name, nearest = min(((n, distance(query, h)) for n, h in known.items()), key=lambda item: item[1])
    return HashMatch(name, nearest, nearest <= threshold)
