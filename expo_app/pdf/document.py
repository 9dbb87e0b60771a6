"""The page machinery every long PDF shares: page templates, running header and page
numbers, headings that are bookmarks, outline entries and contents lines."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    ActionFlowable,
    BaseDocTemplate,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from expo_app.pdf.flowables import fit_text
from expo_app.pdf.fonts import BOLD, REGULAR, register_fonts
from expo_app.pdf.styles import (
    COLUMN_GAP,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MUTED,
    PAGE_SIZE,
    PRIMARY,
    RULE,
    styles,
)

PagePainter = Callable[[Canvas, "ExpoDocTemplate"], None]

COVER = "cover"
BODY = "body"
COLUMNS = "columns"


class Heading(Paragraph):
    """A heading that the reader can jump to: a PDF bookmark and outline entry, and (with
    `toc`) a line of the table of contents. `level` 0 is a section, 1 a part of it."""

    def __init__(
        self,
        text: str,
        style_name: str,
        *,
        key: str,
        level: int = 0,
        toc: bool = True,
        closed: bool = False,
    ) -> None:
        super().__init__(escape(text), styles()[style_name])
        self.plain = text
        self.key = key
        self.level = level
        self.toc = toc
        self.closed = closed

    def split(self, avail_width, avail_height):
        # A heading moves to the next column or page whole (and its bookmark with it).
        return []

    def draw(self) -> None:
        super().draw()
        self.canv.bookmarkHorizontal(self.key, 0, self.height + 4)
        self.canv.addOutlineEntry(self.plain, self.key, level=self.level, closed=self.closed)


class Entry(Paragraph):
    """A short paragraph never cut between two columns or pages (a catalogue entry), unless
    it is taller than `max_height` and has to be."""

    def __init__(self, text, style=None, *args: Any, max_height: float = 0.0, **kw):
        # Paragraph.split makes the pieces with Paragraph's own arguments: keep them.
        super().__init__(text, style, *args, **kw)
        self.max_height = max_height

    def split(self, avail_width, avail_height):
        # The frame has just wrapped us at this width: no need to break the lines again.
        if getattr(self, "width", None) != avail_width:
            self.wrap(avail_width, avail_height)
        if self.height <= self.max_height:
            return []
        return super().split(avail_width, avail_height)


def contents() -> TableOfContents:
    """The table of contents, filled by `ExpoDocTemplate.multiBuild` from the headings."""
    style = styles()
    toc = TableOfContents(
        dotsMinLevel=0,
        tableStyle=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
    )
    toc.levelStyles = [style["toc0"], style["toc1"]]
    return toc


class ExpoDocTemplate(BaseDocTemplate):
    """A4 pages in three templates: `cover` (bare), `body` (one frame) and `columns` (two),
    the last two with the running header (document title, current section) and page number.

    Page numbers are physical: the cover is page 1, so the contents, the outline and a
    PDF viewer's page box all agree.
    """

    def __init__(
        self,
        out: Any,
        *,
        title: str,
        running_title: str,
        page_label: Callable[[int], str],
        author: str = "",
        subject: str = "",
        lang: str = "en",
        cover_painter: PagePainter | None = None,
        first_template: str = COVER,
        **kwargs: Any,
    ) -> None:
        register_fonts()
        super().__init__(
            out,
            pagesize=PAGE_SIZE,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=title,
            author=author,
            subject=subject,
            creator="Expo",
            lang=lang,
            # Same data, same bytes: no timestamps or random ids in the file.
            invariant=1,
            # No Helvetica anywhere: every page starts in DejaVu.
            initialFontName=REGULAR,
            **kwargs,
        )
        self.running_title = running_title
        self.page_label = page_label
        self.cover_painter = cover_painter
        self.section: str | None = None
        self.subsection: str | None = None
        self.first_subsection: str | None = None  # of the current page
        self.page_has_text = False

        width, height = PAGE_SIZE
        # No side padding: text, tables and drawings line up with the running header.
        flush = {"leftPadding": 0, "rightPadding": 0}
        body = Frame(
            self.leftMargin, self.bottomMargin, self.width, self.height, id="body", **flush
        )
        column_width = (self.width - COLUMN_GAP) / 2
        left = Frame(
            self.leftMargin, self.bottomMargin, column_width, self.height, id="left", **flush
        )
        right = Frame(
            self.leftMargin + column_width + COLUMN_GAP,
            self.bottomMargin,
            column_width,
            self.height,
            id="right",
            **flush,
        )
        cover = Frame(0, 0, width, height, id="cover", **flush)
        self.column_width = column_width
        templates = [
            PageTemplate(COVER, [cover], onPage=self._paint_cover),
            PageTemplate(BODY, [body], onPageEnd=self._decorate),
            PageTemplate(COLUMNS, [left, right], onPageEnd=self._decorate),
        ]
        # The document starts on the first template.
        templates.sort(key=lambda template: template.id != first_template)
        self.addPageTemplates(templates)

    def beforeDocument(self) -> None:
        self.section = self.subsection = self.first_subsection = None

    def beforePage(self) -> None:
        # The part carried over from the previous page, unless a new one starts at the top.
        self.first_subsection = self.subsection
        self.page_has_text = False

    def afterFlowable(self, flowable) -> None:
        if not isinstance(flowable, Heading):
            if not isinstance(flowable, (Spacer, ActionFlowable)):
                self.page_has_text = True
            return
        if flowable.toc:
            self.notify(
                "TOCEntry", (flowable.level, escape(flowable.plain), self.page, flowable.key)
            )
        if flowable.level == 0:
            self.section, self.subsection, self.first_subsection = flowable.plain, None, None
        elif flowable.level == 1:
            self.subsection = flowable.plain
            if not self.page_has_text or self.first_subsection is None:
                self.first_subsection = flowable.plain
            self.page_has_text = True

    def _paint_cover(self, canvas: Canvas, doc: ExpoDocTemplate) -> None:
        canvas.showOutline()
        if self.cover_painter is not None:
            self.cover_painter(canvas, doc)

    def _decorate(self, canvas: Canvas, doc: ExpoDocTemplate) -> None:
        """Running header (title left, section right), a rule, and the page number."""
        width, height = PAGE_SIZE
        top = height - MARGIN_TOP + 8 * mm
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN_X, top - 2.5 * mm, width - MARGIN_X, top - 2.5 * mm)
        canvas.setFillColor(PRIMARY)
        canvas.setFont(BOLD, 8)
        canvas.drawString(MARGIN_X, top, self.running_title)
        # Like a dictionary: the first and last part of the section on this page.
        parts = [self.first_subsection, self.subsection]
        span = " – ".join(dict.fromkeys(part for part in parts if part))
        where = " · ".join(part for part in (self.section, span) if part)
        if where:
            canvas.setFillColor(MUTED)
            canvas.setFont(REGULAR, 8)
            room = width - 2 * MARGIN_X - canvas.stringWidth(self.running_title, BOLD, 8) - 20
            canvas.drawRightString(width - MARGIN_X, top, fit_text(where, REGULAR, 8, room))
        canvas.setFillColor(MUTED)
        canvas.setFont(REGULAR, 8)
        canvas.drawRightString(width - MARGIN_X, MARGIN_BOTTOM - 9 * mm, self.page_label(doc.page))
        canvas.restoreState()
