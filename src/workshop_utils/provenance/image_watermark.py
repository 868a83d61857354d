"""Invisible image watermarks with the ``invisible-watermark`` library (``import imwatermark``).

Stable Diffusion's reference scripts marked every saved image with this
library's ``dwtDct`` method, and diffusers' SDXL pipelines embed a fixed
48-bit message with it (:data:`SDXL_MESSAGE_BITS`). ``dwtDctSvd`` is the
library's slower, sturdier method. This module only converts images and checks
arguments: embedding and decoding are the library's own.

The library needs at least 256 x 256 = 65,536 pixels and works on OpenCV's BGR
``uint8`` arrays. We accept PIL images, RGB ``uint8`` arrays ``(H, W, 3)`` or
the workshop's float arrays ``(3, H, W)`` in [0, 1], and return PIL images.

``imwatermark`` imports torch when it is imported (for a method we do not use),
so it is imported inside the functions, on first use.

Used in: lessons/08_watermarks_and_provenance, :mod:`workshop_utils.provenance.robustness`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from math import comb
from typing import Any

import numpy as np

from .._validate import check_choice, check_int

__all__ = [
    "METHODS",
    "MIN_PIXELS",
    "SDXL_MESSAGE_BITS",
    "ImageTooSmallError",
    "bit_accuracy",
    "decode",
    "embed",
    "match_p_value",
    "to_pil",
]

#: The 48-bit message of diffusers' ``StableDiffusionXLWatermarker`` (copied there from Stability AI's scripts).
SDXL_MESSAGE_BITS: tuple[int, ...] = tuple(int(b) for b in bin(0b101100111110110010010000011110111011000110011110)[2:])
#: The library's two methods that need no neural network (its third, rivaGan, needs onnxruntime).
METHODS = ("dwtDct", "dwtDctSvd")
#: invisible-watermark refuses images with fewer pixels than this (rows x columns).
MIN_PIXELS = 256 * 256

_INSTALL_HINT = ("Run `make lab` again, or `pip install opencv-python-headless PyWavelets` and then "
                 "`pip install --no-deps invisible-watermark==0.2.0` (without --no-deps pip would also "
                 "install opencv-python and a CUDA build of torch).")


class ImageTooSmallError(ValueError):
    """The image has fewer than :data:`MIN_PIXELS` pixels, so the library can neither mark nor read it."""


@lru_cache(maxsize=1)
def _library() -> tuple[Any, Any]:
    """imwatermark's encoder and decoder classes (the first call costs about 2 s if torch is not loaded yet)."""
    try:
        from imwatermark import WatermarkDecoder, WatermarkEncoder
    except ImportError as exc:
        raise ImportError(f"invisible-watermark could not be imported ({exc}). {_INSTALL_HINT}") from exc
    return WatermarkEncoder, WatermarkDecoder


def to_pil(image: Any, name: str = "image"):
    """A PIL RGB image from a PIL image, an ``(H, W, 3)`` uint8 array or a ``(3, H, W)`` float array in [0, 1].

    Parameters
    ----------
    image : PIL.Image.Image or array-like
        The picture.
    name : str
        The argument's name, for error messages.

    Returns
    -------
    PIL.Image.Image
        In RGB mode (a copy when a conversion was needed).
    """
    from PIL import Image

    if isinstance(image, Image.Image):
        return image.convert("RGB")
    if hasattr(image, "detach"):  # a torch tensor
        image = image.detach().cpu().numpy()
    array = np.asarray(image)
    if array.ndim == 3 and array.shape[0] == 3 and array.shape[-1] != 3:
        array = array.transpose(1, 2, 0)
    if array.ndim != 3 or array.shape[-1] != 3:
        raise ValueError(f"{name} must be a PIL image or an RGB array of shape (H, W, 3) or (3, H, W); "
                         f"got shape {array.shape}")
    if array.dtype != np.uint8:
        if not np.issubdtype(array.dtype, np.floating) or array.min() < 0 or array.max() > 1:
            raise ValueError(f"{name}: an array that is not uint8 must hold floats in [0, 1]")
        array = np.round(array * 255).astype(np.uint8)
    return Image.fromarray(np.ascontiguousarray(array), "RGB")


def _bgr(image: Any, method: str, name: str) -> np.ndarray:
    check_choice("method", method, METHODS)
    pil = to_pil(image, name)
    width, height = pil.size
    if width * height < MIN_PIXELS:
        raise ImageTooSmallError(
            f"{name} is {width}x{height} = {width * height:,} pixels; invisible-watermark needs at least "
            f"{MIN_PIXELS:,} (e.g. 256x256). Draw the image larger, or pad a cropped copy back to at least "
            "that size before decoding.")
    return np.ascontiguousarray(np.asarray(pil)[:, :, ::-1])  # RGB -> OpenCV's BGR


def _check_bits(bits: Sequence[int], name: str = "bits") -> list[int]:
    try:
        values = [int(b) for b in bits]
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a sequence of 0s and 1s, got {type(bits).__name__}") from None
    if not values or any(b not in (0, 1) for b in values):
        raise ValueError(f"{name} must be a non-empty sequence of 0s and 1s")
    return values


def embed(image: Any, bits: Sequence[int] = SDXL_MESSAGE_BITS, method: str = "dwtDct"):
    """A copy of ``image`` that carries the message ``bits``, made by invisible-watermark.

    Parameters
    ----------
    image : PIL.Image.Image or array-like
        At least 256 x 256 pixels (see :func:`to_pil` for the accepted forms).
    bits : sequence of 0/1
        The message; by default SDXL's 48 bits.
    method : {"dwtDct", "dwtDctSvd"}
        ``dwtDct`` is what Stable Diffusion's scripts used.

    Returns
    -------
    PIL.Image.Image
        The marked image (RGB).

    Raises
    ------
    ImageTooSmallError
        If the image has fewer than 65,536 pixels.
    """
    from PIL import Image

    bgr = _bgr(image, method, "image")
    message = _check_bits(bits)
    encoder_class, _ = _library()
    encoder = encoder_class()
    encoder.set_watermark("bits", message)
    marked = encoder.encode(bgr, method)
    return Image.fromarray(np.ascontiguousarray(marked[:, :, ::-1]), "RGB")


def decode(image: Any, n_bits: int = len(SDXL_MESSAGE_BITS), method: str = "dwtDct") -> np.ndarray:
    """The ``n_bits`` message bits invisible-watermark reads from ``image``.

    Parameters
    ----------
    image : PIL.Image.Image or array-like
        At least 256 x 256 pixels.
    n_bits : int
        Length of the message to read.
    method : {"dwtDct", "dwtDctSvd"}
        Must be the method that embedded the mark.

    Returns
    -------
    numpy.ndarray
        ``uint8`` array of 0s and 1s. An unmarked image also decodes to *some* bits.
    """
    check_int("n_bits", n_bits, minimum=1)
    bgr = _bgr(image, method, "image")
    _, decoder_class = _library()
    return np.asarray(decoder_class("bits", n_bits).decode(bgr, method), dtype=np.uint8)


def bit_accuracy(decoded: Sequence[int], bits: Sequence[int] = SDXL_MESSAGE_BITS) -> float:
    """Share of the message's bits that were read correctly.

    Parameters
    ----------
    decoded : sequence of 0/1
        What :func:`decode` returned.
    bits : sequence of 0/1
        The message that was embedded.

    Returns
    -------
    float
        In [0, 1]. Random bits would give about 0.5, but an unmarked image need not
        decode to random bits (see the lesson's "unmarked image" row).
    """
    decoded_bits, message = np.asarray(_check_bits(decoded, "decoded")), np.asarray(_check_bits(bits))
    if decoded_bits.shape != message.shape:
        raise ValueError(f"decoded has {decoded_bits.size} bits but the message has {message.size}")
    return float(np.mean(decoded_bits == message))


def match_p_value(n_correct: int, n_bits: int = len(SDXL_MESSAGE_BITS)) -> float:
    """Chance of reading at least ``n_correct`` of ``n_bits`` bits right if every bit were a fair coin.

    Parameters
    ----------
    n_correct, n_bits : int
        Bits read correctly, and the message length.

    Returns
    -------
    float
        The binomial tail. It assumes an unmarked image decodes to random bits, which
        is false for flat images (they decode to mostly zeros): compare with unmarked
        images instead of trusting this number alone.
    """
    check_int("n_bits", n_bits, minimum=1)
    check_int("n_correct", n_correct, minimum=0, maximum=n_bits)
    return sum(comb(n_bits, k) for k in range(n_correct, n_bits + 1)) / 2**n_bits
