"""Disclosure labels stamped on generated images: overlay, caption or interstitial.

Platforms label synthetic and manipulated media in three broad ways, and
lesson 09 lets learners try all three on one image:

* ``"overlay"``: a band with the label drawn over the bottom of the image
  (it cannot be separated from the picture without cropping it);
* ``"caption"``: the label in a band below the image (the image itself stays
  untouched, and the caption is easy to crop off);
* ``"interstitial"``: a warning screen: the image is blurred and darkened
  behind the label, as when a platform asks "view anyway?".

:func:`stamp_label` returns a :class:`LabelledImage`: the stamped pixels, the
image without the label, and what the label says. ``save_png`` also writes
the label into the PNG file as text chunks (``Disclosure``, ``Model``,
``Software``): a simple machine-readable mark that :func:`read_disclosure`
reads back, and that anyone can strip, which is why lesson 08 teaches signed
Content Credentials. ``save_png(path, sign=content_credentials(pki, author=...))``
attaches them: :func:`content_credentials` signs the written file with C2PA
(:mod:`workshop_utils.provenance.credentials`, c2pa-python), saying who made the
image and that it is AI-generated, and keeps the text chunks. Any other function
of the written path can be passed as ``sign`` as well.

Images may be 8x8 digits (a row of 64 numbers or an 8x8 array), cartoon faces
(``(3, 32, 32)`` as the models make them), or any ``(height, width)`` or
``(height, width, 3)`` array, with values in ``[0, 1]`` or ``0..255``. Small
images are enlarged (nearest neighbour) so the label stays readable.

Used in: lessons/09_labels, lessons/10_making_responsibly, solutions/08_model_card.
"""

from __future__ import annotations

import base64
import html
import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .._validate import _describe, check_choice, check_int

__all__ = [
    "STYLES",
    "WORDINGS",
    "LabelledImage",
    "as_rgb",
    "content_credentials",
    "read_disclosure",
    "stamp_label",
]

#: The ways a label can be attached to an image.
STYLES = ("overlay", "caption", "interstitial")
#: Wordings to try: (id, text). The first three follow platform labels discussed in lesson 09
#: (Meta's "Imagined with AI", "Made with AI" and "AI info"); learners may write their own.
WORDINGS: tuple[tuple[str, str], ...] = (
    ("imagined-with-ai", "Imagined with AI"),
    ("made-with-ai", "Made with AI"),
    ("ai-info", "AI info"),
    ("ai-generated", "AI-generated image"),
    ("synthetic", "Synthetic image: made by a computer program, not a camera"),
    ("manipulated", "Manipulated media: this face was swapped"),
)
#: Longest label text accepted.
MAX_LABEL_CHARS = 120
_MIN_SIDE = 256
_INK = (255, 255, 255)
_BAND = (20, 20, 20)


def as_rgb(image: Any) -> np.ndarray:
    """The image as a ``(height, width, 3)`` ``uint8`` array (see the module docstring for what is accepted).

    Raises
    ------
    TypeError, ValueError
        If ``image`` is not an image of a shape and range described above.
    """
    if hasattr(image, "detach"):  # a torch tensor
        image = image.detach().cpu().numpy()
    try:
        array = np.asarray(image)
    except (TypeError, ValueError):
        raise TypeError(f"image must be an array of pixel values, got {_describe(image)}") from None
    if array.dtype == object or not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise TypeError(f"image must hold numbers, got an array of {array.dtype}")
    if array.ndim == 1 and array.size == 64:
        array = array.reshape(8, 8)
    if array.ndim == 3 and array.shape[0] in (1, 3) and array.shape[-1] not in (1, 3):
        array = np.moveaxis(array, 0, -1)  # channels first, as torch makes them
    if array.ndim == 3 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim == 2:
        array = np.repeat(array[..., None], 3, axis=-1)
    if array.ndim != 3 or array.shape[-1] != 3 or min(array.shape[:2]) < 1:
        raise ValueError("image must be 64 numbers (an 8x8 digit), (height, width), (height, width, 3) or "
                         f"(3, height, width); got shape {np.shape(image)}")
    values = array.astype(np.float64)
    if not np.all(np.isfinite(values)):
        raise ValueError("image contains NaN or infinite values")
    if values.min() < 0 or values.max() > 255:
        raise ValueError(f"image values must lie in [0, 1] or 0..255, got {values.min():g} to {values.max():g}")
    if np.issubdtype(array.dtype, np.floating) and values.max() <= 1.0:
        values = values * 255.0
    return np.clip(np.rint(values), 0, 255).astype(np.uint8)


def _enlarge(rgb: np.ndarray, min_side: int) -> np.ndarray:
    factor = max(1, -(-min_side // min(rgb.shape[:2])))  # ceiling division
    return np.repeat(np.repeat(rgb, factor, axis=0), factor, axis=1)


def _font(size: int):
    from PIL import ImageFont

    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1 has one fixed-size bitmap font
        return ImageFont.load_default()


def _wrap(draw, text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _text_block(draw, lines: list[str], font, box: tuple[int, int, int, int], line_height: int) -> None:
    left, top, right, bottom = box
    y = top + max(0, (bottom - top - line_height * len(lines)) // 2)
    for line in lines:
        x = left + max(0, (right - left - int(draw.textlength(line, font=font))) // 2)
        draw.text((x, y), line, font=font, fill=_INK)
        y += line_height


@dataclass
class LabelledImage:
    """An image with a disclosure label stamped on it.

    Attributes
    ----------
    pixels : numpy.ndarray
        The labelled image, ``(height, width, 3)`` ``uint8``.
    original : numpy.ndarray
        The image without the label, enlarged the same way.
    text : str
        What the label says.
    style : str
        One of :data:`STYLES`.
    model : str
        The model card's name of the model that made the image ('' if not given).
    alt : str
        A description of the image for screen readers.
    """

    pixels: np.ndarray
    original: np.ndarray
    text: str
    style: str
    model: str = ""
    alt: str = ""
    details: dict[str, str] = field(default_factory=dict)

    def metadata(self) -> dict[str, str]:
        """The text chunks written into the PNG file (the machine-readable disclosure)."""
        data = {"Disclosure": self.text, "Label-Style": self.style,
                "Software": "Synthetic Media Workshop (workshop_utils.responsible.labels)"}
        if self.model:
            data["Model"] = self.model
        data.update(self.details)
        return data

    def png_bytes(self) -> bytes:
        """The labelled image as PNG, with :meth:`metadata` as text chunks."""
        from PIL import Image
        from PIL.PngImagePlugin import PngInfo

        info = PngInfo()
        for key, value in self.metadata().items():
            info.add_itxt(key, value)
        buffer = io.BytesIO()
        Image.fromarray(self.pixels).save(buffer, format="PNG", pnginfo=info)
        return buffer.getvalue()

    def save_png(self, path: str | os.PathLike, *, sign: Callable[[Path], Any] | None = None) -> Path:
        """Write the labelled PNG (with its disclosure text chunks) to ``path``.

        Parameters
        ----------
        path : str or PathLike
            A ``.png`` file in an existing folder.
        sign : callable, optional
            Called as ``sign(path)`` after the file is written, e.g.
            :func:`content_credentials` to attach signed Content Credentials.

        Returns
        -------
        Path
            The file written.
        """
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"path must be a file path, got {_describe(path)}")
        target = Path(path)
        if target.suffix.lower() != ".png":
            raise ValueError(f"path must end in .png, got {str(path)!r}")
        if not target.parent.is_dir():
            raise FileNotFoundError(f"path: the folder {target.parent} does not exist")
        if sign is not None and not callable(sign):
            raise TypeError(f"sign must be a function that signs the written file, got {_describe(sign)}")
        target.write_bytes(self.png_bytes())
        if sign is not None:
            sign(target)
        return target

    def label_changed_pixels(self) -> float:
        """The share of pixels the label changed (0 for a caption band, which adds pixels instead)."""
        if self.pixels.shape != self.original.shape:
            return 0.0
        return float(np.any(self.pixels != self.original, axis=-1).mean())

    def _repr_html_(self) -> str:
        encoded = base64.b64encode(self.png_bytes()).decode("ascii")
        alt = html.escape(self.alt or f"An image labelled '{self.text}' ({self.style})", quote=True)
        return f'<img src="data:image/png;base64,{encoded}" alt="{alt}" title="{alt}" style="image-rendering:pixelated">'

    def __repr__(self) -> str:
        return f"LabelledImage({self.style!r}, {self.text!r}, {self.pixels.shape[1]}x{self.pixels.shape[0]} pixels)"


def stamp_label(image: Any, text: str = "AI-generated image", style: str = "overlay", *, model: str = "",
                alt: str = "", min_side: int = _MIN_SIDE) -> LabelledImage:
    """Stamp a disclosure label on an image.

    Parameters
    ----------
    image : array-like
        The generated image (see :func:`as_rgb`).
    text : str
        What the label says (1 to 120 characters), e.g. one of :data:`WORDINGS`.
    style : {"overlay", "caption", "interstitial"}
        How the label is attached (see the module docstring).
    model : str
        The model card's name of the model that made the image; written into
        the PNG's metadata so the output points to its card.
    alt : str
        A description of the image for screen readers.
    min_side : int
        Small images are enlarged until their shorter side is at least this
        many pixels.

    Returns
    -------
    LabelledImage

    Examples
    --------
    >>> import numpy as np
    >>> labelled = stamp_label(np.zeros(64), "AI-generated image", "caption")
    >>> labelled.pixels.shape[0] > labelled.original.shape[0]
    True
    """
    from PIL import Image, ImageDraw, ImageFilter

    if not isinstance(text, str):
        raise TypeError(f"text must be the label's words (a str), got {_describe(text)}")
    text = " ".join(text.split())
    if not text:
        raise ValueError("text must not be empty: a label has to say something, e.g. 'AI-generated image'")
    if len(text) > MAX_LABEL_CHARS:
        raise ValueError(f"text must be at most {MAX_LABEL_CHARS} characters (a label, not a paragraph), "
                         f"got {len(text)}")
    check_choice("style", style, STYLES)
    for name, value in (("model", model), ("alt", alt)):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be text (a str), got {_describe(value)}")
    check_int("min_side", min_side, minimum=8, maximum=2048)
    original = _enlarge(as_rgb(image), min_side)
    height, width = original.shape[:2]
    size = max(12, width // 16)
    font = _font(size)
    line_height = int(size * 1.3)
    probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    lines = _wrap(probe, text, font, width - 2 * (size // 2))
    band = line_height * len(lines) + size
    if style == "caption":
        canvas = Image.new("RGB", (width, height + band), _BAND)
        canvas.paste(Image.fromarray(original), (0, 0))
        _text_block(ImageDraw.Draw(canvas), lines, font, (0, height, width, height + band), line_height)
    elif style == "overlay":
        canvas = Image.fromarray(original.copy())
        top = max(0, height - band)
        shade = Image.new("RGB", (width, height - top), _BAND)
        canvas.paste(Image.blend(canvas.crop((0, top, width, height)), shade, 0.8), (0, top))
        _text_block(ImageDraw.Draw(canvas), lines, font, (0, top, width, height), line_height)
    else:  # interstitial: the image is hidden behind the warning
        blurred = Image.fromarray(original).filter(ImageFilter.GaussianBlur(radius=max(4, width // 12)))
        canvas = Image.blend(blurred, Image.new("RGB", (width, height), _BAND), 0.6)
        draw = ImageDraw.Draw(canvas)
        small = _font(max(10, size * 3 // 4))
        _text_block(draw, lines, font, (0, 0, width, height - line_height), line_height)
        _text_block(draw, ["(view anyway?)"], small, (0, height - 2 * line_height, width, height), line_height)
    return LabelledImage(np.asarray(canvas, dtype=np.uint8), original, text, style, model, alt)


def read_disclosure(source: str | os.PathLike | bytes) -> dict[str, str]:
    """The text chunks of a PNG file or PNG bytes (e.g. what :meth:`LabelledImage.save_png` wrote).

    Returns
    -------
    dict
        Key to text; empty when the file carries no text (e.g. it was stripped).
    """
    from PIL import Image, UnidentifiedImageError

    if isinstance(source, (bytes, bytearray)):
        stream: Any = io.BytesIO(source)
    elif isinstance(source, (str, os.PathLike)):
        stream = Path(source)
        if not stream.is_file():
            raise FileNotFoundError(f"source: no file at {stream}")
    else:
        raise TypeError(f"source must be a PNG file path or PNG bytes, got {_describe(source)}")
    try:
        with Image.open(stream) as picture:
            picture.load()
            return {str(k): str(v) for k, v in getattr(picture, "text", {}).items()}
    except UnidentifiedImageError:
        raise ValueError("source is not an image file that Pillow can read") from None


def content_credentials(pki: Any, *, author: str, title: str | None = None) -> Callable[[Path], Path]:
    """A ``sign`` function for :meth:`LabelledImage.save_png` that attaches Content Credentials.

    The returned function re-writes the PNG at the given path, signed with C2PA
    by ``pki``: the manifest names ``author``, a ``c2pa.created`` action and the
    IPTC digital source type "trained algorithmic media" (AI-generated). The
    disclosure text chunks stay in the file, so :func:`read_disclosure` still
    reads them; :func:`workshop_utils.provenance.credentials.read_credentials`
    reads the manifest.

    Parameters
    ----------
    pki : workshop_utils.provenance.credentials.TestPKI
        Signing material, e.g. ``credentials.make_test_pki()`` (a test
        certificate: readers will say "Valid", not "Trusted").
    author : str
        Who made the image, as the manifest should say.
    title : str, optional
        The manifest's title; by default the file name.

    Returns
    -------
    callable
        ``sign(path) -> path``.

    Raises
    ------
    TypeError, ValueError
        If ``author`` is empty or ``title`` is not text (checked now, before any file is written).
    """
    from ..provenance import credentials

    if not isinstance(author, str) or not author.strip():
        raise ValueError(f"author must be a non-empty name, got {_describe(author)}")
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be text, got {_describe(title)}")
    if not isinstance(pki, credentials.TestPKI):
        raise TypeError(f"pki must be signing material from credentials.make_test_pki(), got {_describe(pki)}")

    def sign(path: Path) -> Path:
        path = Path(path)
        signed = credentials.sign_image(path.read_bytes(), pki, author=author, title=title or path.name)
        path.write_bytes(signed)
        return path

    return sign
