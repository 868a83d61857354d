"""Everyday edits that a copy of a picture goes through, as plain functions.

Each function takes a PIL image and returns a new PIL image. They are what an
upload, a screenshot or a quick edit does to a file: recompression, resizing,
cropping, noise, a slight rotation, a caption. Pillow does all the work.

:data:`ATTACKS` names the edits of lesson 08's watermark table and
:data:`COPY_EDITS` those of its perceptual-hash table.

Used in: lessons/08_watermarks_and_provenance, :mod:`workshop_utils.provenance.robustness`.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import numpy as np

from .._validate import check_choice, check_int, check_number

__all__ = [
    "ATTACKS",
    "COPY_EDITS",
    "crop",
    "gaussian_noise",
    "jpeg",
    "png_roundtrip",
    "recolour",
    "resize_and_back",
    "rotate",
    "screenshot",
    "text_overlay",
]

_SUBSAMPLING = {"4:4:4": 0, "4:2:2": 1, "4:2:0": 2}


def _check_image(image: Any, name: str = "image"):
    from PIL import Image

    if not isinstance(image, Image.Image):
        raise TypeError(f"{name} must be a PIL image, got {type(image).__name__}")
    return image


def png_roundtrip(image):
    """Save as PNG and read back (lossless: the pixels do not change)."""
    from PIL import Image

    buffer = io.BytesIO()
    _check_image(image).save(buffer, "PNG")
    return Image.open(io.BytesIO(buffer.getvalue())).convert(image.mode)


def jpeg(image, quality: int = 90, subsampling: str = "4:2:0"):
    """Save as JPEG at ``quality`` with chroma ``subsampling``, and read back.

    Parameters
    ----------
    image : PIL.Image.Image
        The picture.
    quality : int
        1 (worst) to 95 (best).
    subsampling : {"4:2:0", "4:2:2", "4:4:4"}
        ``"4:2:0"``, Pillow's default, stores colour at half the resolution in each
        direction; ``"4:4:4"`` keeps colour at full resolution.
    """
    from PIL import Image

    check_int("quality", quality, minimum=1, maximum=95)
    check_choice("subsampling", subsampling, _SUBSAMPLING)
    buffer = io.BytesIO()
    _check_image(image).convert("RGB").save(buffer, "JPEG", quality=quality, subsampling=_SUBSAMPLING[subsampling])
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")


def resize_and_back(image, scale: float = 0.5):
    """Resize by ``scale`` (bicubic), then back to the original size."""
    from PIL import Image

    check_number("scale", scale, minimum=0.0, strict_minimum=True)
    width, height = _check_image(image).size
    small = image.resize((max(1, round(width * scale)), max(1, round(height * scale))), Image.BICUBIC)
    return small.resize((width, height), Image.BICUBIC)


def crop(image, fraction: float = 0.1, where: str = "top-left", restore: str = "none"):
    """Cut away ``fraction`` of the width and of the height.

    Parameters
    ----------
    image : PIL.Image.Image
        The picture.
    fraction : float
        Share of each side removed, in [0, 1).
    where : {"top-left", "centre"}
        Keep the top-left part (the pixel grid stays where it was) or a centred part.
    restore : {"none", "pad", "resize"}
        Return the smaller crop as it is, pad it with black back to the original size
        (in its original place), or resize it back to the original size.
    """
    from PIL import Image

    check_number("fraction", fraction, minimum=0.0, maximum=0.99)
    check_choice("where", where, ("top-left", "centre"))
    check_choice("restore", restore, ("none", "pad", "resize"))
    width, height = _check_image(image).size
    kept_w, kept_h = round(width * (1 - fraction)), round(height * (1 - fraction))
    left, top = (0, 0) if where == "top-left" else ((width - kept_w) // 2, (height - kept_h) // 2)
    part = image.crop((left, top, left + kept_w, top + kept_h))
    if restore == "none":
        return part
    if restore == "pad":
        canvas = Image.new(image.mode, (width, height))
        canvas.paste(part, (left, top))
        return canvas
    return part.resize((width, height), Image.BICUBIC)


def gaussian_noise(image, sigma: float = 5.0, seed: int = 0):
    """Add Gaussian noise with standard deviation ``sigma`` grey levels (of 255), repeatably."""
    from PIL import Image

    check_number("sigma", sigma, minimum=0.0)
    array = np.asarray(_check_image(image).convert("RGB"), dtype=np.float32)
    noisy = array + np.random.default_rng(seed).normal(0.0, sigma, array.shape)
    return Image.fromarray(np.clip(np.round(noisy), 0, 255).astype(np.uint8), "RGB")


def rotate(image, degrees: float = 1.0):
    """Rotate about the centre by ``degrees`` (bicubic), keeping the size; the corners become black."""
    from PIL import Image

    check_number("degrees", degrees)
    return _check_image(image).rotate(degrees, resample=Image.BICUBIC, expand=False)


def screenshot(image, display_scale: float = 1.25, blur: float = 0.6, fmt: str = "PNG",
               back_to_original_size: bool = False):
    """Imitate a screenshot: shown at ``display_scale`` (bilinear), slightly blurred, saved as PNG or JPEG (q85).

    With ``back_to_original_size`` the screenshot is resized to the original size, as a
    verifier who knew that size could do; otherwise it keeps its own size.
    """
    from PIL import Image, ImageFilter

    check_number("display_scale", display_scale, minimum=0.0, strict_minimum=True)
    check_number("blur", blur, minimum=0.0)
    check_choice("fmt", fmt, ("PNG", "JPEG"))
    width, height = _check_image(image).size
    shown = image.convert("RGB").resize((round(width * display_scale), round(height * display_scale)),
                                        Image.BILINEAR)
    if blur > 0:
        shown = shown.filter(ImageFilter.GaussianBlur(blur))
    buffer = io.BytesIO()
    shown.save(buffer, fmt, **({"quality": 85} if fmt == "JPEG" else {}))
    shot = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    return shot.resize((width, height), Image.BICUBIC) if back_to_original_size else shot


def recolour(image, saturation: float = 1.8, posterize_bits: int = 4):
    """A colour filter: saturation multiplied by ``saturation``, then ``posterize_bits`` bits per channel."""
    from PIL import ImageEnhance, ImageOps

    check_number("saturation", saturation, minimum=0.0)
    check_int("posterize_bits", posterize_bits, minimum=1, maximum=8)
    vivid = ImageEnhance.Color(_check_image(image).convert("RGB")).enhance(saturation)
    return ImageOps.posterize(vivid, posterize_bits)


def text_overlay(image, text: str = "SHOCKING!", band: float = 0.16):
    """A meme-style caption: a red band across the bottom ``band`` of the picture, with white ``text``."""
    from PIL import ImageDraw

    check_number("band", band, minimum=0.0, maximum=1.0)
    captioned = _check_image(image).convert("RGB")
    width, height = captioned.size
    top = round(height * (1 - band))
    draw = ImageDraw.Draw(captioned)
    draw.rectangle([0, top, width, height], fill=(200, 30, 30))
    draw.text((width // 20, top + (height - top) // 4), str(text), fill=(255, 255, 255))
    return captioned


#: The named edits of the lesson's watermark table: name -> function of one image.
ATTACKS: dict[str, Callable] = {
    "none (PNG)": png_roundtrip,
    "JPEG q90, 4:2:0": lambda im: jpeg(im, 90, "4:2:0"),
    "JPEG q70, 4:2:0": lambda im: jpeg(im, 70, "4:2:0"),
    "JPEG q50, 4:2:0": lambda im: jpeg(im, 50, "4:2:0"),
    "JPEG q90, 4:4:4": lambda im: jpeg(im, 90, "4:4:4"),
    "JPEG q70, 4:4:4": lambda im: jpeg(im, 70, "4:4:4"),
    "resize 0.5x and back": lambda im: resize_and_back(im, 0.5),
    "crop 10% (as is)": lambda im: crop(im, 0.1, "top-left", "none"),
    "crop 10%, padded back": lambda im: crop(im, 0.1, "top-left", "pad"),
    "crop 10%, resized back": lambda im: crop(im, 0.1, "top-left", "resize"),
    "noise sigma 5": lambda im: gaussian_noise(im, 5.0),
    "noise sigma 10": lambda im: gaussian_noise(im, 10.0),
    "rotate 1 deg": lambda im: rotate(im, 1.0),
    "rotate 5 deg": lambda im: rotate(im, 5.0),
    "screenshot (PNG, own size)": lambda im: screenshot(im, fmt="PNG"),
    "screenshot (PNG, resized back)": lambda im: screenshot(im, fmt="PNG", back_to_original_size=True),
    "screenshot (JPEG q85, resized back)": lambda im: screenshot(im, fmt="JPEG", back_to_original_size=True),
}

#: The named edits of the lesson's perceptual-hash table: what re-uploads and re-edits do.
COPY_EDITS: dict[str, Callable] = {
    "JPEG q50": lambda im: jpeg(im, 50),
    "resize 0.5x": lambda im: resize_and_back(im, 0.5),
    "recolour": recolour,
    "text overlay": text_overlay,
    "crop 10% (centre)": lambda im: crop(im, 0.1, "centre", "resize"),
    "rotate 5 deg": lambda im: rotate(im, 5.0),
}
