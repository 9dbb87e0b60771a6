"""DejaVu Sans, shipped in static/fonts, registered once with reportlab for every PDF.

The PDF core fonts (Helvetica...) only cover Latin-1: they print "Sarsılmaz" as
"Sars■lmaz". DejaVu covers Turkish (ş ğ İ ı), French and the rest of Latin.
"""

from __future__ import annotations

from pathlib import Path
from threading import Lock

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent.parent.parent / "static" / "fonts"

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"

_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}
_lock = Lock()
_registered = False


class FontMissing(RuntimeError):
    """A font file of static/fonts is not there (a broken installation)."""


def register_fonts() -> None:
    """Register the family with reportlab (idempotent, thread-safe; parsing takes ~0.1 s)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        for name, filename in _FILES.items():
            path = FONT_DIR / filename
            if not path.is_file():
                raise FontMissing(f"font file missing: {path}")
            pdfmetrics.registerFont(TTFont(name, str(path)))
        # <b> and <i> inside paragraphs pick the right face.
        pdfmetrics.registerFontFamily(
            REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
        )
        _registered = True
