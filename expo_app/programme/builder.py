"""The event programme and exhibitor catalogue as a PDF, in English or French.

Cover, contents, days at a glance, the schedule day by day and place by place, the
floor plan of every hall, the exhibitors A to Z with an index by sector, the
delegations, and practical information; running headers, page numbers, an outline.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, BinaryIO

from flask_babel import gettext as _
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
)

from expo_app.events.models import DayKind, Event, EventSession, Location, LocationKind, SessionKind
from expo_app.exhibitors.models import Exhibitor
from expo_app.links import linkable
from expo_app.pdf.document import BODY, COLUMNS, Entry, ExpoDocTemplate, Heading, contents
from expo_app.pdf.flowables import StandBox, floor_plan, legend
from expo_app.pdf.fonts import BOLD, ITALIC, REGULAR
from expo_app.pdf.i18n import (
    country,
    day_kinds,
    format_date_range,
    format_day,
    format_hm,
    pdf_language,
    restricted_access_note,
)
from expo_app.pdf.markup import attr, esc, nobreak, time_span
from expo_app.pdf.styles import (
    INK,
    MARGIN_X,
    MUTED,
    PAGE_SIZE,
    PRIMARY,
    WHITE,
    hex_of,
    location_colour,
    shade,
    styles,
    table_style,
    tint,
)
from expo_app.programme.data import ProgrammeData, initial, load_programme, sort_key

# The time column of the schedule: as wide as its longest time span, within these bounds.
TIME_COLUMN_RANGE = (20 * mm, 40 * mm)
# Ceremonies and conferences named per day in the days at a glance.
HIGHLIGHTS = 4
# Events of up to this many days list them on the cover.
COVER_DAYS = 6
# Height kept free above a floor plan on its page: headings, summary, legend.
PLAN_HEADROOM = 150


@dataclass(frozen=True)
class BuildResult:
    pages: int
    passes: int


def build_programme(
    event: Event,
    out: str | BinaryIO,
    lang: str = "en",
    *,
    data: ProgrammeData | None = None,
) -> BuildResult:
    """Write the programme of `event` to `out` (a path or a binary file) in `lang`."""
    with pdf_language(lang):
        if data is None:
            data = load_programme(event)
        return ProgrammeWriter(data, lang).write(out)


class ProgrammeWriter:
    """Turns the loaded data into the story of flowables, section by section."""

    def __init__(self, data: ProgrammeData, lang: str) -> None:
        self.data = data
        self.event = data.event
        self.lang = lang
        self.style = styles()
        self.colour_of = {
            location.id: location_colour(index) for index, location in enumerate(data.locations)
        }
        self.time_column = self.measure_time_column()

    def measure_time_column(self) -> float:
        style = self.style["cell_bold"]
        spans = {
            f"{format_hm(s.start)} – {format_hm(s.end)}" for d in self.data.days for s in d.sessions
        }
        widest = max(
            (stringWidth(span, style.fontName, style.fontSize) for span in spans), default=0
        )
        low, high = TIME_COLUMN_RANGE
        return min(max(widest + 10, low), high)

    def write(self, out: Any) -> BuildResult:
        title = f"{self.event.name} — {_('Programme and exhibitor catalogue')}"
        doc = ExpoDocTemplate(
            out,
            title=title,
            running_title=self.event.name,
            page_label=str,
            author=self.event.organiser or "",
            subject=_("Programme and exhibitor catalogue"),
            lang=self.lang,
            cover_painter=self.paint_cover,
        )
        self.doc = doc
        story: list[Flowable] = [Spacer(1, 1), NextPageTemplate(BODY), PageBreak()]
        story += self.contents_section()
        story += self.glance_section()
        story += self.schedule_section()
        story += self.floor_plan_section()
        story += self.catalogue_section()
        story += self.sector_index_section()
        story += self.delegations_section()
        story += self.practical_section()
        passes = doc.multiBuild(story)
        return BuildResult(pages=doc.page, passes=passes)

    # Cover and contents.

    def paint_cover(self, canvas: Canvas, doc: ExpoDocTemplate) -> None:
        event, style = self.event, self.style
        width, height = PAGE_SIZE
        text_width = width - 2 * MARGIN_X
        band = 118 * mm
        canvas.saveState()
        canvas.bookmarkPage("cover")
        canvas.addOutlineEntry(event.name, "cover", level=0)
        canvas.setFillColor(PRIMARY)
        canvas.rect(0, height - band, width, band, stroke=0, fill=1)
        # A stripe in the colours of the places, the same colours as the plans and schedule.
        colours = [self.colour_of[loc.id] for loc in self.data.locations] or [PRIMARY]
        step = width / len(colours)
        for index, colour in enumerate(colours):
            canvas.setFillColor(colour)
            canvas.rect(index * step, height - band - 4 * mm, step + 0.5, 4 * mm, stroke=0, fill=1)

        def put(markup: str, paragraph_style, top: float, gap: float) -> float:
            """Draw a paragraph with its top at `top`; the top of the next one."""
            paragraph = Paragraph(markup, paragraph_style)
            _, used = paragraph.wrap(text_width, top)
            paragraph.drawOn(canvas, MARGIN_X, top - used)
            return top - used - gap

        kicker = style["cover_label"].clone("kicker", textColor=tint(PRIMARY, 0.6))
        y = put(
            esc(_("Programme and exhibitor catalogue")).upper(), kicker, height - 30 * mm, 4 * mm
        )
        y = put(esc(event.name), style["cover_title"], y, 5 * mm)
        if event.theme:
            put(esc(event.theme), style["cover_theme"], y, 0)

        facts = [(_("Dates"), esc(format_date_range(event.start_date, event.end_date)))]
        place = ", ".join(
            part for part in (event.venue, event.city, country(event.country)) if part
        )
        if place:
            facts.append((_("Venue"), esc(place)))
        if event.organiser:
            facts.append((_("Organiser"), esc(event.organiser)))
        if event.website:
            facts.append((_("Website"), esc(event.website)))
        if 0 < len(self.data.days) <= COVER_DAYS:
            lines = [
                f"<b>{esc(format_day(p.day.date))}</b> · " + esc(day_kinds(p.day.kinds))
                for p in self.data.days
            ]
            facts.append((_("Days"), "<br/>".join(lines)))
        y = height - band - 18 * mm
        for label, markup in facts:
            y = put(esc(label).upper(), style["cover_label"], y, 1 * mm)
            y = put(markup, style["cover_text"], y, 3 * mm)

        figures = [
            (len(self.data.days), _("Days")),
            (sum(len(d.sessions) for d in self.data.days), _("sessions")),
            (len(self.data.exhibitors), _("exhibitors")),
            (len(self.data.delegations), _("delegations")),
        ]
        cell = text_width / len(figures)
        canvas.setStrokeColor(tint(PRIMARY, 0.7))
        canvas.line(MARGIN_X, 40 * mm, width - MARGIN_X, 40 * mm)
        for index, (number, label) in enumerate(figures):
            x = MARGIN_X + index * cell
            canvas.setFillColor(PRIMARY)
            canvas.setFont(style["h1"].fontName, 22)
            canvas.drawString(x, 28 * mm, str(number))
            canvas.setFillColor(MUTED)
            canvas.setFont(style["body"].fontName, 9)
            canvas.drawString(x, 23 * mm, label.lower())
        canvas.restoreState()

    def contents_section(self) -> list[Flowable]:
        return [Heading(_("Contents"), "h1", key="contents", toc=False), contents(), PageBreak()]

    # Days at a glance.

    def glance_section(self) -> list[Flowable]:
        style = self.style
        rows: list[list[Any]] = [
            [
                Paragraph(esc(_("Day")), style["cell_head"]),
                Paragraph(esc(_("Opening hours")), style["cell_head"]),
                Paragraph(esc(_("What happens")), style["cell_head"]),
                Paragraph(esc(_("Highlights")), style["cell_head"]),
            ]
        ]
        for pday in self.data.days:
            day = pday.day
            major = [s for s in pday.sessions if s.kind in ("ceremony", "conference")]
            highlights = [f"{time_span(s.start, s.end)} {esc(s.title)}" for s in major[:HIGHLIGHTS]]
            if len(major) > HIGHLIGHTS:
                highlights.append(esc(_("and %(num)d more", num=len(major) - HIGHLIGHTS)))
            demos = sum(1 for s in pday.sessions if s.kind == "demo")
            if demos:
                highlights.append(esc(_("Live demonstrations: %(num)d", num=demos)))
            rows.append(
                [
                    Paragraph(esc(format_day(day.date)), style["cell_bold"]),
                    Paragraph(
                        time_span(day.opens, day.closes) if day.opens else "–", style["cell"]
                    ),
                    Paragraph("<br/>".join(_kind_tag(kind) for kind in day.kinds), style["cell"]),
                    Paragraph("<br/>".join(highlights) or "–", style["cell"]),
                ]
            )
        width = self.doc.width
        table = _table(
            rows,
            colWidths=[0.22 * width, 0.19 * width, 0.22 * width, 0.37 * width],
            repeatRows=1,
            style=table_style(),
        )
        intro = _(
            "On static display days the halls and outdoor areas are open to visitors; on "
            "business matchmaking days delegations and exhibitors hold pre-booked meetings; "
            "live demonstration days are given over to demonstrations of equipment."
        )
        return [
            Heading(_("Days at a glance"), "h1", key="glance"),
            Paragraph(esc(intro), style["muted"]),
            Spacer(1, 4 * mm),
            table,
            PageBreak(),
        ]

    # The schedule.

    def schedule_section(self) -> list[Flowable]:
        style = self.style
        story: list[Flowable] = [
            Heading(_("Schedule"), "h1", key="schedule"),
            Paragraph(
                esc(_("All times are local time (%(zone)s).", zone=self.event.timezone)),
                style["muted"],
            ),
        ]
        for index, pday in enumerate(self.data.days):
            if index:
                story.append(PageBreak())
            day = pday.day
            story.append(
                Heading(format_day(day.date), "h2", key=f"day-{day.date.isoformat()}", level=1)
            )
            what = day_kinds(day.kinds)
            if day.opens and day.closes:
                what += " · " + _(
                    "Open %(opens)s – %(closes)s",
                    opens=format_hm(day.opens),
                    closes=format_hm(day.closes),
                )
            story.append(Paragraph(esc(what), style["muted"]))
            if not pday.sessions:
                story.append(Paragraph(esc(_("Nothing scheduled yet.")), style["italic"]))
            for location, sessions in pday.by_location:
                story += self.location_block(location, sessions)
        return story

    def location_block(self, location: Location, sessions: list[EventSession]) -> list[Flowable]:
        style = self.style
        colour = hex_of(self.colour_of.get(location.id, PRIMARY))
        heading = (
            f'<font color="{colour}">■</font> {esc(location.name)} '
            f'<font name="{REGULAR}" size="8" color="{hex_of(MUTED)}">'
            f"{esc(LocationKind.label_of(location.kind))}</font>"
        )
        block: list[Flowable] = [Paragraph(heading, style["h3"])]
        if location.restricted:
            block.append(Paragraph("⚠ " + esc(restricted_access_note()), style["note"]))
        rows = [
            [
                Paragraph(time_span(s.start, s.end), style["cell_bold"]),
                Paragraph(self.session_text(s), style["cell"]),
            ]
            for s in sessions
        ]
        table = _table(
            rows,
            colWidths=[self.time_column, self.doc.width - self.time_column],
            style=table_style(header=False),
        )
        block.append(table)
        return block

    def session_text(self, session: EventSession) -> str:
        muted = hex_of(MUTED)
        parts = [f"<b>{esc(session.title)}</b>"]
        meta = esc(SessionKind.label_of(session.kind))
        if session.exhibitor is not None:
            meta += " · " + esc(_("Presented by %(name)s", name=session.exhibitor.name))
            codes = [s.ref for s in self.data.stands_of.get(session.exhibitor.id, [])]
            if codes:
                meta += " · " + esc(_("Stand %(code)s", code=", ".join(codes)))
        parts.append(f'<font size="7.5" color="{muted}">{meta}</font>')
        if session.description:
            parts.append(esc(session.description))
        return "<br/>".join(parts)

    # The floor plan.

    def floor_plan_section(self) -> list[Flowable]:
        style = self.style
        stands_by_hall: dict[int, list] = defaultdict(list)
        for stand in self.data.stands:
            stands_by_hall[stand.location_id].append(stand)
        halls = [loc for loc in self.data.locations if stands_by_hall.get(loc.id)]
        if not halls:
            return []
        story: list[Flowable] = [
            PageBreak(),
            Heading(_("Floor plan"), "h1", key="floor-plan"),
            Paragraph(
                esc(
                    _(
                        "Stands are drawn to scale, labelled with their code; taken stands are "
                        "filled with the colour of their hall."
                    )
                ),
                style["muted"],
            ),
        ]
        for index, hall in enumerate(halls):
            if index:
                story.append(PageBreak())
            stands = stands_by_hall[hall.id]
            colour = self.colour_of[hall.id]
            free = sum(1 for s in stands if s.exhibitor_id is None)
            boxes = [
                StandBox(
                    code=s.ref,
                    x_m=s.x_m,
                    y_m=s.y_m,
                    width_m=s.width_m,
                    depth_m=s.depth_m,
                    holder=self.data.holder_names.get(s.exhibitor_id),
                    held=s.exhibitor_id is not None,
                )
                for s in stands
            ]
            story += [
                Heading(hall.name, "h2", key=f"plan-{hall.id}", level=1),
                Paragraph(
                    esc(_("%(total)d stands, %(free)d available", total=len(stands), free=free)),
                    style["muted"],
                ),
                Spacer(1, 2 * mm),
                legend(
                    [
                        (tint(colour, 0.6), colour, _("Stand taken"), False),
                        (WHITE, colour, _("Stand available"), True),
                    ],
                    self.doc.width,
                ),
                Spacer(1, 3 * mm),
                floor_plan(boxes, colour, self.doc.width, self.doc.height - PLAN_HEADROOM),
            ]
            unplaced = [b.code for b in boxes if not b.placed]
            if unplaced:
                story.append(
                    Paragraph(
                        esc(_("Not on the plan: %(codes)s", codes=", ".join(unplaced))),
                        style["muted"],
                    )
                )
            story += [Spacer(1, 4 * mm), self.stand_list(boxes, colour)]
        return story

    def stand_list(self, boxes: list[StandBox], colour) -> Table:
        """Every stand of the hall with its holder's name, in three columns (column by
        column), for the names the plan has no room for. Plain strings, not paragraphs:
        a hall of 150 stands must not cost a second."""
        columns, size = 3, 7.5
        code_width = 15 * mm
        name_width = self.doc.width / columns - code_width
        per_column = -(-len(boxes) // columns)
        cells: list[list[str | Paragraph]] = [[] for _ in range(per_column)]
        commands: list[tuple] = [
            ("TEXTCOLOR", (0, 0), (-1, -1), INK),
            ("FONTSIZE", (0, 0), (-1, -1), size),
            ("LEADING", (0, 0), (-1, -1), size * 1.25),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ]
        for index, box in enumerate(sorted(boxes, key=lambda b: b.code)):
            row, column = index % per_column, 2 * (index // per_column)
            name: str | Paragraph
            if box.holder and stringWidth(box.holder, REGULAR, size) > name_width - 8:
                name = Paragraph(esc(box.holder), self.style["small"])  # the rare long name
            elif box.holder:
                name = box.holder
            else:
                name = _("taken") if box.taken else _("available")
                commands += [
                    ("FONTNAME", (column + 1, row), (column + 1, row), ITALIC),
                    ("TEXTCOLOR", (column + 1, row), (column + 1, row), MUTED),
                ]
            cells[row] += [box.code, name]
        for row in cells:
            row += [""] * (2 * columns - len(row))
        for column in range(0, 2 * columns, 2):
            commands += [
                ("FONTNAME", (column, 0), (column, -1), BOLD),
                ("TEXTCOLOR", (column, 0), (column, -1), shade(colour)),
            ]
        style = table_style(header=False, zebra=False)
        for command in commands:
            style.add(*command)
        return _table(cells, colWidths=[code_width, name_width] * columns, style=style)

    # The exhibitors A to Z, and by sector.

    def catalogue_section(self) -> list[Flowable]:
        style = self.style
        story: list[Flowable] = [
            NextPageTemplate(COLUMNS),
            PageBreak(),
            Heading(_("Exhibitor catalogue"), "h1", key="catalogue", closed=True),
        ]
        if not self.data.exhibitors:
            story.append(Paragraph(esc(_("No exhibitor yet.")), style["italic"]))
            return story
        letter = None
        for exhibitor in self.data.exhibitors:
            first = initial(exhibitor.name)
            if first != letter:
                letter = first
                story.append(
                    Heading(letter, "letter", key=f"letter-{sort_key(letter)}", level=1, toc=False)
                )
            story.append(
                Entry(
                    self.catalogue_entry(exhibitor),
                    style["entry"],
                    max_height=self.doc.height * 0.9,
                )
            )
        return story

    def stand_codes(self, exhibitor: Exhibitor) -> str:
        """'A-01' in the colour of its hall; several codes separated by commas."""
        return ", ".join(
            f'<font color="{hex_of(shade(self.colour_of.get(s.location_id, PRIMARY)))}">'
            f"{nobreak(s.ref)}</font>"
            for s in self.data.stands_of.get(exhibitor.id, [])
        )

    def catalogue_entry(self, exhibitor: Exhibitor) -> str:
        muted = hex_of(MUTED)
        head = f"<b>{esc(exhibitor.name)}</b>"
        codes = self.stand_codes(exhibitor)
        if codes:
            head += f" <b>· {_stand_label()}&nbsp;{codes}</b>"
        parts = [head]
        meta = [country(exhibitor.country)] + exhibitor.sector_names
        parts.append(f'<font size="7.5" color="{muted}">{esc(" · ".join(meta))}</font>')
        description = exhibitor.description_in(self.lang)
        if description:
            parts.append(esc(description))
        if exhibitor.website:
            parts.append(_web_link(exhibitor.website))
        return "<br/>".join(parts)

    def sector_index_section(self) -> list[Flowable]:
        style = self.style
        sectors = self.data.sectors()
        if not sectors:
            return []
        story: list[Flowable] = [
            PageBreak(),
            Heading(_("Index by sector"), "h1", key="sectors", closed=True),
        ]
        for number, (sector, exhibitors) in enumerate(sectors.items()):
            story.append(Heading(sector, "h3", key=f"sector-{number}", level=1, toc=False))
            for exhibitor in exhibitors:
                codes = self.stand_codes(exhibitor)
                text = esc(exhibitor.name) + (f" <b>· {codes}</b>" if codes else "")
                story.append(Paragraph(text, style["index_entry"]))
        return story

    # Delegations and practical information.

    def delegations_section(self) -> list[Flowable]:
        style = self.style
        story: list[Flowable] = [
            NextPageTemplate(BODY),
            PageBreak(),
            Heading(_("Delegations"), "h1", key="delegations"),
        ]
        if not self.data.delegations:
            story.append(Paragraph(esc(_("No delegation registered yet.")), style["italic"]))
            return story
        by_country: dict[str, list[str]] = defaultdict(list)
        for delegation in self.data.delegations:
            by_country[delegation.country].append(delegation.name)
        names = {code: country(code) for code in by_country}
        story.append(
            Paragraph(
                esc(
                    _(
                        "Delegations: %(delegations)d · Countries represented: %(countries)d",
                        delegations=len(self.data.delegations),
                        countries=len(by_country),
                    )
                ),
                style["muted"],
            )
        )
        story.append(Spacer(1, 3 * mm))
        rows: list[list[Any]] = [
            [
                Paragraph(esc(_("Country")), style["cell_head"]),
                Paragraph(esc(_("Delegation")), style["cell_head"]),
            ]
        ]
        for code in sorted(by_country, key=lambda c: sort_key(names[c])):
            rows.append(
                [
                    Paragraph(esc(names[code]), style["cell_bold"]),
                    Paragraph(
                        "<br/>".join(esc(n) for n in sorted(by_country[code], key=sort_key)),
                        style["cell"],
                    ),
                ]
            )
        story.append(
            _table(
                rows,
                colWidths=[0.3 * self.doc.width, 0.7 * self.doc.width],
                repeatRows=1,
                style=table_style(),
            )
        )
        return story

    def practical_section(self) -> list[Flowable]:
        style, event = self.style, self.event
        story: list[Flowable] = [
            PageBreak(),
            Heading(_("Practical information"), "h1", key="practical"),
        ]
        place = [part for part in (event.venue, event.city, country(event.country)) if part]
        if place:
            story += [
                Paragraph(esc(_("Venue")), style["h3"]),
                Paragraph(esc(", ".join(place)), style["body"]),
            ]
        story += [
            Paragraph(esc(_("Dates")), style["h3"]),
            Paragraph(esc(format_date_range(event.start_date, event.end_date)), style["body"]),
            Paragraph(esc(_("Opening hours")), style["h3"]),
        ]
        rows: list[list[Any]] = [
            [
                Paragraph(esc(_("Day")), style["cell_head"]),
                Paragraph(esc(_("Opening hours")), style["cell_head"]),
                Paragraph(esc(_("What happens")), style["cell_head"]),
            ]
        ]
        for pday in self.data.days:
            day = pday.day
            rows.append(
                [
                    Paragraph(esc(format_day(day.date)), style["cell"]),
                    Paragraph(
                        time_span(day.opens, day.closes) if day.opens else "–", style["cell"]
                    ),
                    Paragraph(esc(day_kinds(day.kinds)), style["cell"]),
                ]
            )
        width = self.doc.width
        story += [
            _table(
                rows,
                colWidths=[0.36 * width, 0.22 * width, 0.42 * width],
                repeatRows=1,
                style=table_style(),
            ),
            Spacer(1, 2 * mm),
            Paragraph(
                esc(_("All times are local time (%(zone)s).", zone=event.timezone)), style["muted"]
            ),
        ]
        if self.data.locations:
            story += [CondPageBreak(60 * mm), Paragraph(esc(_("Places")), style["h3"])]
            rows = [
                [
                    Paragraph(esc(_("Place")), style["cell_head"]),
                    Paragraph(esc(_("Kind")), style["cell_head"]),
                    Paragraph(esc(_("Access")), style["cell_head"]),
                ]
            ]
            for location in self.data.locations:
                colour = hex_of(self.colour_of[location.id])
                access = (
                    f'<font color="{hex_of(style["note"].textColor)}">'
                    f"{esc(restricted_access_note())}</font>"
                    if location.restricted
                    else esc(_("Open to all visitors"))
                )
                rows.append(
                    [
                        Paragraph(
                            f'<font color="{colour}">■</font> {esc(location.name)}', style["cell"]
                        ),
                        Paragraph(esc(LocationKind.label_of(location.kind)), style["cell"]),
                        Paragraph(access, style["cell"]),
                    ]
                )
            story.append(
                _table(
                    rows,
                    colWidths=[0.45 * width, 0.2 * width, 0.35 * width],
                    repeatRows=1,
                    style=table_style(),
                )
            )
        if event.organiser or event.website:
            story.append(Paragraph(esc(_("Organiser")), style["h3"]))
            if event.organiser:
                story.append(Paragraph(esc(event.organiser), style["body"]))
            if event.website:
                story.append(Paragraph(_web_link(event.website), style["body"]))
        return story


def _table(rows: list[list[Any]], **options: Any) -> Table:
    """A table whose rows may split across pages too (a country with many delegations)."""
    return Table(rows, splitInRow=1, **options)


def _kind_tag(kind: str) -> str:
    return f'<font color="{hex_of(PRIMARY)}">●</font> {esc(DayKind.label_of(kind))}'


def _stand_label() -> str:
    return esc(_("Stand"))


def _web_link(url: str) -> str:
    """The address without its scheme, clickable only if it passes the URL rule (a PDF
    link to 'javascript:' or 'file:' is not something a printed programme should carry;
    a row stored before the rule is printed as text)."""
    shown = esc(url.removeprefix("https://").removeprefix("http://").rstrip("/"))
    href = linkable(url)
    if href is None:
        return shown
    return f'<a href="{attr(href)}" color="{hex_of(PRIMARY)}">{shown}</a>'
