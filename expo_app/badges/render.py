"""Drawing badges with reportlab: one class for every design and sheet of layout.py.

Fast by design, for ten thousand badges the night before: the parts every badge of
a category shares are drawn once into a PDF form; the QR matrix comes from a C++
encoder (zxing-cpp, ~0.2 ms) and goes into the page as one tiny 1-bit inline image
(~0.1 ms, where drawing its modules as rectangles costs ~2 ms); each sheet is
finished with showPage as soon as it is full and its content deflated at once.
reportlab still holds every finished page until `save()` writes the file, so memory
grows by ~4 KB a badge (plus the file itself while it is written): ~85 MB over the
imports for 10,000 A6 badges, see bench/bench_badges.py.
"""

from __future__ import annotations

import base64
import contextlib
import zlib
from collections.abc import Iterable
from typing import BinaryIO

import zxingcpp
from PIL import Image
from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFStream
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from expo_app.badges.layout import (
    BADGE_A6,
    INK,
    MUTED,
    PALE,
    WHITE,
    ZONE,
    BadgeDesign,
    BadgeFace,
    Box,
    Element,
    EventFace,
    Sheet,
    Text,
)
from expo_app.pdf.fonts import register_fonts

ELLIPSIS = "…"
SHRINK_STEP = 0.5
ASCENT = 0.76  # DejaVu's cap height ~0.73 em: a top-aligned line starts this far down
DAY_GAP = 1.2  # mm between day boxes


def qr_matrix(text: str) -> tuple[int, bytes]:
    """(side, rows of 1-bit pixels, 1 = white) of the QR code with its quiet zone."""
    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = barcode.to_image(scale=1, add_quiet_zones=True)
    side = image.shape[0]
    packed = Image.frombytes("L", (side, side), bytes(memoryview(image))).convert("1")
    return side, packed.tobytes()


def qr_operators(text: str, x: float, y: float, size: float) -> str:
    """PDF operators drawing the QR as an inline 1-bit grey image, sharp at any size."""
    side, bits = qr_matrix(text)
    data = base64.a85encode(bits, adobe=True).decode("ascii")[2:]  # drop the leading "<~"
    return (
        f"q {size:.2f} 0 0 {size:.2f} {x:.2f} {y:.2f} cm\n"
        f"BI /W {side} /H {side} /BPC 1 /CS /G /F /A85 ID\n{data}\nEI Q"
    )


def fit_lines(text: str, style: Text, width: float, height: float) -> tuple[list[str], float]:
    """The lines and font size that set `text` inside width x height (points): the style's
    size, smaller down to min_size when needed, then an ellipsis."""
    if style.upper:
        text = text.upper()
    size = style.size
    smallest = style.min_size or style.size
    while True:
        room = max(1, min(style.max_lines, int(height // (size * style.leading)) or 1))
        lines, fits = _wrap(text, style.font, size, width, room)
        if fits or size - SHRINK_STEP < smallest:
            break
        size -= SHRINK_STEP
    if not fits:
        lines = lines[:room]
        lines[-1] = _ellipsize(lines[-1], style.font, size, width)
    return lines, size


def _wrap(text: str, font: str, size: float, width: float, room: int) -> tuple[list[str], bool]:
    words = text.split()
    if not words:
        return [""], True
    lines: list[str] = []
    current = words[0]
    for word in words[1:]:
        candidate = f"{current} {word}"
        if stringWidth(candidate, font, size) <= width:
            current = candidate
        else:
            lines.append(current)
            current = word
    lines.append(current)
    fits = len(lines) <= room and all(stringWidth(line, font, size) <= width for line in lines)
    if not fits and len(lines) > room:
        lines = lines[: room - 1] + [" ".join(lines[room - 1 :])]
    return lines, fits


def _ellipsize(line: str, font: str, size: float, width: float) -> str:
    if stringWidth(line, font, size) <= width:
        return line
    while line and stringWidth(line + ELLIPSIS, font, size) > width:
        line = line[:-1]
    return line.rstrip() + ELLIPSIS


class BadgeRenderer:
    """Writes badges to a PDF, sheet after sheet, as they come.

    with BadgeRenderer(handle, event_face, SHEETS["a6"]) as renderer:
        for face in faces:
            renderer.draw(face)
    """

    def __init__(
        self,
        out: BinaryIO | str,
        event: EventFace,
        sheet: Sheet,
        design: BadgeDesign = BADGE_A6,
        title: str = "Badges",
    ) -> None:
        register_fonts()
        self.event = event
        self.sheet = sheet
        self.design = design
        self.canvas = Canvas(
            out,
            pagesize=(sheet.page_width * mm, sheet.page_height * mm),
            pageCompression=1,
            invariant=1,
        )
        self.canvas.setTitle(title)
        self.canvas.setCreator("Expo")
        self.cells = sheet.cells()
        self.slot = 0
        self.badges = 0
        self.pages = 0
        self._forms: dict[str, str] = {}
        self._colours: dict[str, HexColor] = {}

    # -- the public side

    def __enter__(self) -> BadgeRenderer:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.close()

    def draw_all(self, faces: Iterable[BadgeFace]) -> int:
        for face in faces:
            self.draw(face)
        return self.badges

    def draw(self, face: BadgeFace) -> None:
        canvas = self.canvas
        x, y, scale = self._placement(self.cells[self.slot])
        canvas.saveState()
        canvas.translate(x * mm, (self.sheet.page_height - y) * mm)  # badge's top-left
        if scale != 1:
            canvas.scale(scale, scale)
        canvas.doForm(self._form(face.category))
        for element in self.design.elements:
            if not element.static:
                self._draw_element(element, face)
        canvas.restoreState()
        if self.sheet.crop_marks:
            self._crop_marks(x, y, self.design.width * scale, self.design.height * scale)
        self.badges += 1
        self.slot += 1
        if self.slot == self.sheet.per_page:
            self._end_page()

    def close(self) -> int:
        """Finish the last sheet and write the file; the number of pages."""
        if self.slot or not self.pages:
            self._end_page()
        self.canvas.save()
        return self.pages

    # -- placement

    def _placement(self, cell: tuple[float, float, float, float]) -> tuple[float, float, float]:
        cx, cy, cw, ch = cell
        scale = min(1.0, cw / self.design.width, ch / self.design.height)
        width, height = self.design.width * scale, self.design.height * scale
        return cx + (cw - width) / 2, cy + (ch - height) / 2, scale

    def _end_page(self) -> None:
        self.canvas.showPage()
        self._compress_last_page()
        self.pages += 1
        self.slot = 0

    def _compress_last_page(self) -> None:
        """Deflate the finished page's content now rather than at save time.

        reportlab keeps every page's content as text until `save()`; compressed at once,
        a badge page weighs ~1 KB instead of ~4 KB while the rest of the run goes on.
        The result is the same PDF stream reportlab itself would write (FlateDecode).
        """
        pages = getattr(getattr(self.canvas._doc, "Pages", None), "pages", None)
        page = pages[-1] if pages else None
        stream = getattr(page, "stream", None)
        if not isinstance(stream, str) or getattr(page, "Contents", None):
            return
        dictionary = PDFDictionary({"Filter": PDFName("FlateDecode")})
        page.Contents = PDFStream(dictionary, zlib.compress(stream.encode("utf-8")), [])
        page.stream = None

    def _crop_marks(self, x: float, y: float, w: float, h: float) -> None:
        canvas = self.canvas
        page_h = self.sheet.page_height
        gap, length = self.sheet.crop_mark_offset, self.sheet.crop_mark_length
        lines = []
        for cx, sx in ((x, -1), (x + w, 1)):
            for cy, sy in ((y, -1), (y + h, 1)):
                # one horizontal and one vertical mark, pointing away from the badge
                lines.append((cx + sx * gap, cy, cx + sx * (gap + length), cy))
                lines.append((cx, cy + sy * gap, cx, cy + sy * (gap + length)))
        canvas.saveState()
        canvas.setLineWidth(0.25)
        canvas.setStrokeColor(self._colour("#000000"))
        canvas.lines(
            [(x1 * mm, (page_h - y1) * mm, x2 * mm, (page_h - y2) * mm) for x1, y1, x2, y2 in lines]
        )
        canvas.restoreState()

    # -- the shared part of a category, drawn once

    def _form(self, category: str) -> str:
        name = self._forms.get(category)
        if name is None:
            name = f"badge-{self.design.name}-{category}"
            canvas = self.canvas
            width, height = self.design.width * mm, self.design.height * mm
            canvas.beginForm(name, lowerx=0, lowery=-height, upperx=width, uppery=0)
            statics = BadgeFace(category=category, name="")
            for element in self.design.elements:
                if element.static:
                    self._draw_element(element, statics)
            canvas.endForm()
            self._forms[category] = name
        return name

    # -- elements

    def _draw_element(self, element: Element, face: BadgeFace) -> None:
        kind = element.kind
        if kind == "rect":
            self._rect(element.box, self._fill(element.fill, face.category))
        elif kind == "text":
            box = element.box if face.photo or not element.no_photo else element.no_photo
            self._text(self._value(element.source, face), element.text, box, face.category)
        elif kind == "photo":
            if face.photo:
                self._photo(element.box, face.photo)
        elif kind == "qr":
            if face.code:
                self._qr(element.box, face.code)
        elif kind == "zones":
            self._zones(element, face)
        elif kind == "days":
            self._days(element, face)
        else:
            raise ValueError(f"unknown badge element {kind!r}")

    def _value(self, source: str | None, face: BadgeFace) -> str:
        design, event = self.design, self.event
        fixed = {
            "event_name": event.name,
            "event_when": event.when,
            "category_label": design.category_label(face.category)
            if face.category in design.categories
            else "",
            "access_label": design.label("access"),
            "valid_label": design.label("valid"),
        }
        if source in fixed:
            return fixed[source]
        return str(getattr(face, source or "", "") or "")

    def _colour(self, value: str) -> HexColor:
        colour = self._colours.get(value)
        if colour is None:
            colour = self._colours[value] = HexColor(value)
        return colour

    def _fill(self, fill: str | None, category: str) -> HexColor:
        if fill == "category":
            return self._colour(self.design.categories[category].fill)
        if fill == "category-text":
            return self._colour(self.design.categories[category].ink)
        return self._colour(fill or "#000000")

    @staticmethod
    def _corner(box: Box) -> tuple[float, float, float, float]:
        """Box in points, bottom-left based, in the badge's frame (y grows upwards, top = 0)."""
        return box.x * mm, -(box.y + box.h) * mm, box.w * mm, box.h * mm

    def _rect(self, box: Box, colour: HexColor, radius: float = 0) -> None:
        x, y, w, h = self._corner(box)
        self.canvas.setFillColor(colour)
        if radius:
            self.canvas.roundRect(x, y, w, h, radius, stroke=0, fill=1)
        else:
            self.canvas.rect(x, y, w, h, stroke=0, fill=1)

    def _text(self, value: str, style: Text, box: Box, category: str) -> None:
        if not value:
            return
        x, y, w, h = self._corner(box)
        lines, size = fit_lines(value, style, w, h)
        canvas = self.canvas
        canvas.setFillColor(self._fill(style.colour, category))
        canvas.setFont(style.font, size)
        step = size * style.leading
        block = size * ASCENT + step * (len(lines) - 1)
        top = y + h - (size * ASCENT if style.valign == "top" else (h - block) / 2 + size * ASCENT)
        for index, line in enumerate(lines):
            baseline = top - index * step
            if style.align == "centre":
                canvas.drawCentredString(x + w / 2, baseline, line)
            elif style.align == "right":
                canvas.drawRightString(x + w, baseline, line)
            else:
                canvas.drawString(x, baseline, line)

    def _photo(self, box: Box, path: str) -> None:
        x, y, w, h = self._corner(box)
        # A photo gone from the disk leaves the box empty rather than stop the printing.
        with contextlib.suppress(OSError):
            self.canvas.drawImage(path, x, y, w, h, preserveAspectRatio=True, anchor="n")

    def _qr(self, box: Box, code: str) -> None:
        x, y, w, h = self._corner(box)
        size = min(w, h)
        self.canvas.addLiteral(qr_operators(code, x + (w - size) / 2, y + (h - size) / 2, size))

    def _zones(self, element: Element, face: BadgeFace) -> None:
        box, style = element.box, element.text
        if not face.zones:
            muted = Text(style.font, style.size * 0.8, style.min_size, MUTED, valign="middle")
            self._text(self.design.label("general"), muted, box, face.category)
            return
        gap = 2
        width = (box.w - gap * (len(face.zones) - 1)) / len(face.zones)
        for index, zone in enumerate(face.zones):
            mark = Box(box.x + index * (width + gap), box.y, width, box.h)
            self._rect(mark, self._colour(ZONE), radius=1.2 * mm)
            inner = Box(mark.x + 1.5, mark.y + 0.8, mark.w - 3, mark.h - 1.6)
            mark_style = Text(
                style.font, style.size, style.min_size, WHITE, "centre", upper=True, valign="middle"
            )
            self._text(zone, mark_style, inner, face.category)

    def _days(self, element: Element, face: BadgeFace) -> None:
        days = self.event.days
        if not days:
            return
        box, style = element.box, element.text
        width = min(12.0, (box.w - DAY_GAP * (len(days) - 1)) / len(days))
        canvas = self.canvas
        ink, pale, white = self._colour(INK), self._colour(PALE), self._colour(WHITE)
        for index, day in enumerate(days):
            cell = Box(box.x + index * (width + DAY_GAP), box.y, width, box.h)
            x, y, w, h = self._corner(cell)
            valid = day in face.valid_days
            if valid:
                canvas.setFillColor(ink)
                canvas.roundRect(x, y, w, h, 1 * mm, stroke=0, fill=1)
            else:
                canvas.setStrokeColor(pale)
                canvas.setLineWidth(0.8)
                canvas.roundRect(x, y, w, h, 1 * mm, stroke=1, fill=0)
                canvas.line(x + 1, y + 1, x + w - 1, y + h - 1)
            canvas.setFillColor(white if valid else pale)
            size = min(style.size * 1.5, w * 0.55)
            canvas.setFont(style.font, size)
            canvas.drawCentredString(x + w / 2, y + h * 0.42, str(day.day))
            canvas.setFont(style.font, size * 0.42)
            month = f"{day.month:02d}/{day.year % 100:02d}"
            canvas.drawCentredString(x + w / 2, y + h * 0.13, month)
