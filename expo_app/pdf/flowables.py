"""Small drawings shared by the PDFs: a hall's floor plan to scale, colour legends."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from expo_app.pdf.fonts import BOLD, REGULAR
from expo_app.pdf.styles import INK, MUTED, WHITE, tint

# Free space drawn around the stands, in metres.
HALL_PADDING_M = 2.0
SCALE_BAR_HEIGHT = 16.0


def fit_text(text: str, font: str, size: float, room: float) -> str:
    """The text, shortened with an ellipsis until it fits in `room` points ('' if nothing does)."""
    if stringWidth(text, font, size) <= room:
        return text
    while text and stringWidth(text + "…", font, size) > room:
        text = text[:-1]
    return text.rstrip() + "…" if text else ""


def _drawing(width: float, height: float) -> Drawing:
    """A drawing whose text state starts in DejaVu (reportlab would start in Helvetica)."""
    drawing = Drawing(width, height)
    drawing.initialFontName = REGULAR
    return drawing


@dataclass(frozen=True)
class StandBox:
    """A stand as the plan draws it: code, position and size in metres, and its holder."""

    code: str
    x_m: float | None
    y_m: float | None
    width_m: float
    depth_m: float
    holder: str | None = None  # the name to print; None for a free stand or a private holder
    held: bool = False

    @property
    def taken(self) -> bool:
        return self.held or self.holder is not None

    @property
    def placed(self) -> bool:
        return self.x_m is not None and self.y_m is not None


def floor_plan(
    stands: Sequence[StandBox],
    colour: colors.Color,
    max_width: float,
    max_height: float,
    *,
    metres_label: str = "m",
) -> Drawing:
    """The hall from above, to scale: x runs right and y runs down from the hall's top-left
    corner, as on the organiser's plan. Held stands are filled with the hall's colour, free
    ones left white; each is labelled with its code, and its holder where there is room."""
    placed = [stand for stand in stands if stand.placed]
    hall_w = max((s.x_m + s.width_m for s in placed), default=10.0) + HALL_PADDING_M
    hall_h = max((s.y_m + s.depth_m for s in placed), default=10.0) + HALL_PADDING_M
    scale = min(max_width / hall_w, (max_height - SCALE_BAR_HEIGHT) / hall_h)
    width, height = hall_w * scale, hall_h * scale
    drawing = _drawing(width, height + SCALE_BAR_HEIGHT)
    top = height + SCALE_BAR_HEIGHT
    drawing.add(
        Rect(
            0,
            SCALE_BAR_HEIGHT,
            width,
            height,
            fillColor=tint(colour, 0.93),
            strokeColor=MUTED,
            strokeWidth=0.8,
        )
    )
    fill = tint(colour, 0.6)
    for stand in placed:
        x = stand.x_m * scale
        w = stand.width_m * scale
        d = stand.depth_m * scale
        y = top - stand.y_m * scale - d
        drawing.add(
            Rect(
                x,
                y,
                w,
                d,
                fillColor=fill if stand.taken else WHITE,
                strokeColor=colour,
                strokeWidth=0.7,
                strokeDashArray=None if stand.taken else [2, 1.5],
            )
        )
        _label(drawing, stand, x, y, w, d)
    _scale_bar(drawing, scale, width, metres_label)
    return drawing


def _label(drawing: Drawing, stand: StandBox, x: float, y: float, w: float, d: float) -> None:
    """The code, as large as the stand allows (3 to 9 pt), and under it the holder's name on
    as many lines (up to 3) as the stand has room for; the block is centred."""
    room = w - 4
    size = max(min(9.0, d * 0.42, room / max(stringWidth(stand.code, BOLD, 1), 1)), 3.0)
    holder_size = min(size * 0.8, 6.5)
    line_height = holder_size * 1.15
    lines: list[str] = []
    if stand.holder and holder_size >= 3.5:
        fitting = int((d - size - 4) // line_height)
        lines = wrap_text(stand.holder, REGULAR, holder_size, room, min(fitting, 3))
    block = size + (1.5 + line_height * len(lines) if lines else 0)
    baseline = y + (d + block) / 2 - size * 0.78
    centre = x + w / 2
    drawing.add(
        String(
            centre,
            baseline,
            stand.code,
            fontName=BOLD,
            fontSize=size,
            fillColor=INK,
            textAnchor="middle",
        )
    )
    for n, line in enumerate(lines):
        drawing.add(
            String(
                centre,
                baseline - 1.5 - line_height * (n + 1) + holder_size * 0.15,
                line,
                fontName=REGULAR,
                fontSize=holder_size,
                fillColor=INK,
                textAnchor="middle",
            )
        )


def wrap_text(text: str, font: str, size: float, room: float, max_lines: int) -> list[str]:
    """Words on at most `max_lines` lines of `room` points; the last one ellipsized if cut."""
    if max_lines < 1:
        return []
    lines: list[str] = []
    words = text.split()
    while words and len(lines) < max_lines:
        line = words.pop(0)
        while words and stringWidth(f"{line} {words[0]}", font, size) <= room:
            line = f"{line} {words.pop(0)}"
        lines.append(line)
    if words:
        lines[-1] = fit_text(f"{lines[-1]} {' '.join(words)}", font, size, room)
        # fit_text keeps what fits; make the cut visible even when the line itself fitted.
        if not lines[-1].endswith("…"):
            lines[-1] = fit_text(lines[-1] + " …", font, size, room)
    lines = [fit_text(line, font, size, room) for line in lines]
    return [line for line in lines if line]


def _scale_bar(drawing: Drawing, scale: float, width: float, unit: str) -> None:
    """A bar of a round length (1, 2, 5, 10... m) near 70 points long, bottom left."""
    metres = 1.0
    for candidate in (1, 2, 5, 10, 20, 50, 100, 200, 500):
        metres = candidate
        if candidate * scale >= 50:
            break
    length = metres * scale
    y = 5
    drawing.add(Line(0, y, length, y, strokeColor=INK, strokeWidth=1.2))
    for tick in (0, length):
        drawing.add(Line(tick, y - 2.5, tick, y + 2.5, strokeColor=INK, strokeWidth=1))
    drawing.add(
        String(
            length + 4, y - 2.5, f"{metres:g} {unit}", fontName=REGULAR, fontSize=7, fillColor=MUTED
        )
    )


def legend(items: Iterable[tuple[colors.Color, colors.Color, str, bool]], width: float) -> Drawing:
    """A row of swatches: (fill, stroke, label, dashed) each; wraps onto more rows if needed."""
    entries = list(items)
    row_height, gap, swatch = 13.0, 14.0, 9.0
    rows: list[list[tuple]] = [[]]
    used = 0.0
    for entry in entries:
        needed = swatch + 4 + stringWidth(entry[2], REGULAR, 7.5) + gap
        if rows[-1] and used + needed > width:
            rows.append([])
            used = 0.0
        rows[-1].append(entry)
        used += needed
    drawing = _drawing(width, row_height * len(rows))
    for r, row in enumerate(rows):
        x = 0.0
        y = row_height * (len(rows) - r - 1) + 2
        for fill, stroke, label, dashed in row:
            drawing.add(
                Rect(
                    x,
                    y,
                    swatch,
                    swatch,
                    fillColor=fill,
                    strokeColor=stroke,
                    strokeWidth=0.7,
                    strokeDashArray=[2, 1.5] if dashed else None,
                )
            )
            drawing.add(
                String(
                    x + swatch + 4, y + 1.5, label, fontName=REGULAR, fontSize=7.5, fillColor=INK
                )
            )
            x += swatch + 4 + stringWidth(label, REGULAR, 7.5) + gap
    return drawing
