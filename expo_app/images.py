"""The pixel limit of every uploaded image, checked before anything is decoded.

A PNG of a few kilobytes can claim a 6000 × 6000 canvas (36 Mpx, about 140 MB once
decoded as RGBA): the file-size limit does not protect the server, the pixel count
does. `check_pixels` reads only the image header (Pillow's `Image.open` is lazy and
`.size` decodes nothing) and refuses above MAX_IMAGE_PIXELS.

25 Mpx admits what people really upload — an A4 page scanned at 300 dpi is 8.7 Mpx,
a 24-megapixel camera photo (6000 × 4000) is 24 Mpx — and bounds one decode at
about 100 MB. Pillow's own guard is set to the same figure, so any other
`Image.open` in the application warns above it and refuses at twice it.
"""

from __future__ import annotations

import io
import warnings

from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError

from expo_app.errors import DomainError

MAX_IMAGE_PIXELS = 25_000_000

Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS


class ImageRefused(DomainError):
    """An upload that is not a readable image, or one with too many pixels."""

    status = 400
    default_message = _l("The file is not an image that can be read.")


class TooManyPixels(ImageRefused):
    """A readable image whose canvas is larger than MAX_IMAGE_PIXELS."""

    default_message = _l(
        "The image has too many pixels: at most %(count)s million (for example 5000 × 5000). "
        "Make it smaller and send it again.",
        count=MAX_IMAGE_PIXELS // 1_000_000,
    )


def check_pixels(data: bytes, *, field: str | None = None) -> None:
    """Return if `data` is an image of at most MAX_IMAGE_PIXELS pixels; ImageRefused
    (next to `field`) if it has more or cannot be read. Decodes no pixel."""
    try:
        with warnings.catch_warnings():
            # Pillow warns between 1× and 2× its limit and raises above: judge here instead.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
    except Image.DecompressionBombError:
        raise TooManyPixels(field=field) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise ImageRefused(field=field) from None
    if width * height > MAX_IMAGE_PIXELS:
        raise TooManyPixels(field=field)
