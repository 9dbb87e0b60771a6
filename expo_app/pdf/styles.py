"""The look shared by every PDF: colours, paragraph styles, table styles, page geometry."""

from __future__ import annotations

from functools import cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import TableStyle

from expo_app.pdf.fonts import BOLD, ITALIC, REGULAR, register_fonts

PAGE_SIZE = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 22 * mm  # room for the running header
MARGIN_BOTTOM = 18 * mm  # room for the page number
COLUMN_GAP = 8 * mm

INK = colors.HexColor("#1d2733")
MUTED = colors.HexColor("#5b6675")
RULE = colors.HexColor("#c9d1db")
PRIMARY = colors.HexColor("#17365d")
ACCENT = colors.HexColor("#c0392b")  # restricted access, warnings
PALE = colors.HexColor("#eef2f7")
WHITE = colors.white

# One colour per hall or location, in a fixed order (Tableau 10, print-safe and distinct).
_LOCATION_PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#b07aa1",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#9c755f",
    "#ff9da7",
    "#bab0ac",
)


def location_colour(index: int) -> colors.Color:
    """The strong colour of the index-th location (borders, swatches, stand codes)."""
    return colors.HexColor(_LOCATION_PALETTE[index % len(_LOCATION_PALETTE)])


def tint(colour: colors.Color, amount: float = 0.75) -> colors.Color:
    """The colour mixed with white (amount 1 = white): fills that dark text stays readable on."""
    return colors.Color(
        colour.red + (1 - colour.red) * amount,
        colour.green + (1 - colour.green) * amount,
        colour.blue + (1 - colour.blue) * amount,
    )


def shade(colour: colors.Color, amount: float = 0.3) -> colors.Color:
    """The colour mixed with black: small text in a location's colour that stays legible."""
    return colors.Color(
        colour.red * (1 - amount), colour.green * (1 - amount), colour.blue * (1 - amount)
    )


def hex_of(colour: colors.Color) -> str:
    """'#rrggbb', for colours inside paragraph markup (<font color=...>)."""
    return "#" + colour.hexval()[2:]


@cache
def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles by name; fonts are registered on first use."""
    register_fonts()
    body = ParagraphStyle(
        "body", fontName=REGULAR, fontSize=9, leading=12, textColor=INK, alignment=TA_LEFT
    )

    def derive(name: str, parent: ParagraphStyle = body, **values) -> ParagraphStyle:
        return ParagraphStyle(name, parent=parent, **values)

    result = {
        "body": body,
        "small": derive("small", fontSize=7.5, leading=9.5),
        "muted": derive("muted", fontSize=8, leading=10.5, textColor=MUTED),
        "italic": derive("italic", fontName=ITALIC, textColor=MUTED),
        "bold": derive("bold", fontName=BOLD),
        "cell": derive("cell", fontSize=8.5, leading=11),
        "cell_bold": derive("cell_bold", fontName=BOLD, fontSize=8.5, leading=11),
        "cell_right": derive("cell_right", fontSize=8.5, leading=11, alignment=TA_RIGHT),
        "cell_head": derive("cell_head", fontName=BOLD, fontSize=8, leading=10, textColor=WHITE),
        "cover_title": derive(
            "cover_title", fontName=BOLD, fontSize=34, leading=40, textColor=WHITE
        ),
        "cover_theme": derive(
            "cover_theme", fontName=ITALIC, fontSize=15, leading=20, textColor=WHITE
        ),
        "cover_label": derive(
            "cover_label", fontName=BOLD, fontSize=8, leading=10, textColor=MUTED, spaceBefore=10
        ),
        "cover_text": derive("cover_text", fontSize=12, leading=16),
        "h1": derive(
            "h1",
            fontName=BOLD,
            fontSize=18,
            leading=22,
            textColor=PRIMARY,
            spaceAfter=8,
            keepWithNext=1,
        ),
        "h2": derive(
            "h2",
            fontName=BOLD,
            fontSize=13,
            leading=16,
            textColor=PRIMARY,
            spaceBefore=10,
            spaceAfter=5,
            keepWithNext=1,
        ),
        "h3": derive(
            "h3",
            fontName=BOLD,
            fontSize=10,
            leading=13,
            spaceBefore=8,
            spaceAfter=3,
            keepWithNext=1,
        ),
        "letter": derive(
            "letter",
            fontName=BOLD,
            fontSize=16,
            leading=20,
            textColor=PRIMARY,
            spaceBefore=6,
            spaceAfter=3,
            keepWithNext=1,
        ),
        "entry": derive("entry", fontSize=8.5, leading=11, spaceAfter=7),
        "index_entry": derive(
            "index_entry", fontSize=7.5, leading=9.5, leftIndent=14, firstLineIndent=-6
        ),
        "note": derive(
            "note",
            fontName=ITALIC,
            fontSize=8.5,
            leading=11,
            textColor=ACCENT,
            spaceAfter=3,
            keepWithNext=1,
        ),
        "centre": derive("centre", alignment=TA_CENTER),
        "toc0": derive("toc0", fontName=BOLD, fontSize=10.5, leading=16, spaceBefore=5),
        "toc1": derive("toc1", fontSize=9.5, leading=13, leftIndent=14),
    }
    return result


def table_style(header: bool = True, zebra: bool = True) -> TableStyle:
    """A light grid: a dark header row, hairlines between rows, every other row shaded."""
    commands: list[tuple] = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
    ]
    if header:
        commands += [("BACKGROUND", (0, 0), (-1, 0), PRIMARY)]
    if zebra:
        commands += [("ROWBACKGROUNDS", (0, 1 if header else 0), (-1, -1), [WHITE, PALE])]
    return TableStyle(commands)
