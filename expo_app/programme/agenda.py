"""A personal agenda PDF for a delegate or an exhibitor: one page per event day with their
meetings and the day's programme, from the same blocks as the programme."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any, BinaryIO

from flask_babel import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table
from sqlalchemy import select

from expo_app.delegations.models import Participant
from expo_app.events.models import Event, SessionKind
from expo_app.events.services import programme
from expo_app.exhibitors.admission import viewer_for
from expo_app.exhibitors.models import Exhibitor, Stand
from expo_app.extensions import db
from expo_app.matchmaking.models import Meeting
from expo_app.pdf.document import BODY, ExpoDocTemplate, Heading
from expo_app.pdf.i18n import (
    country,
    day_kinds,
    format_day,
    format_span,
    pdf_language,
    restricted_access_note,
)
from expo_app.pdf.markup import distinct_parts, esc, time_span
from expo_app.pdf.styles import styles, table_style
from expo_app.programme.builder import BuildResult


def build_personal_agenda(
    event: Event,
    person_or_exhibitor: Participant | Exhibitor,
    meetings: Sequence[Meeting],
    out: str | BinaryIO,
    lang: str = "en",
) -> BuildResult:
    """Write the agenda of one delegate (or exhibitor) to `out`: a page per day of the
    event, its meetings in time order (with whom, where) and the day's sessions."""
    with pdf_language(lang):
        return _AgendaWriter(event, person_or_exhibitor, list(meetings)).write(out, lang)


class _AgendaWriter:
    def __init__(self, event: Event, who: Participant | Exhibitor, meetings: list[Meeting]):
        self.event = event
        self.who = who
        self.is_exhibitor = isinstance(who, Exhibitor)
        self.style = styles()
        self.meetings_on: dict[Any, list[Meeting]] = defaultdict(list)
        for meeting in sorted(meetings, key=lambda m: (m.slot.start, m.id)):
            self.meetings_on[meeting.slot.start.date()].append(meeting)
        # One query for the stands of everyone met: "at the stand" when there is no table.
        exhibitor_ids = {m.exhibitor_id for m in meetings}
        self.stands_of: dict[int, list[str]] = defaultdict(list)
        if exhibitor_ids:
            for stand in db.session.execute(
                select(Stand).where(Stand.exhibitor_id.in_(exhibitor_ids)).order_by(Stand.ref)
            ).scalars():
                self.stands_of[stand.exhibitor_id].append(stand.ref)

    def write(self, out: Any, lang: str) -> BuildResult:
        name = self.who.name
        doc = ExpoDocTemplate(
            out,
            title=f"{self.event.name} — {_('Personal agenda')} — {name}",
            running_title=f"{self.event.name} · {name}",
            page_label=str,
            subject=_("Personal agenda"),
            lang=lang,
            first_template=BODY,
        )
        self.doc = doc
        story: list[Flowable] = []
        days = programme(self.event, viewer_for(self.who))
        for index, pday in enumerate(days):
            if index:
                story.append(PageBreak())
            story += self.day_page(pday)
        if not days:
            story.append(Paragraph(esc(_("Nothing scheduled yet.")), self.style["italic"]))
        doc.build(story)
        return BuildResult(pages=doc.page, passes=1)

    def who_details(self) -> str:
        """What the reader is known by besides the name: title, organisation, stand..."""
        who = self.who
        if isinstance(who, Exhibitor):
            parts = [country(who.country)]
            codes = self.stands_of.get(who.id) or [s.ref for s in who.stands]
            if codes:
                parts.append(_("Stand %(code)s", code=", ".join(codes)))
        else:
            parts = [who.title, who.organisation]
            if who.delegation is not None:
                parts.append(who.delegation.name)
            elif who.country:
                parts.append(country(who.country))
        return " · ".join(distinct_parts(parts))

    def day_page(self, pday) -> list[Flowable]:
        style, day = self.style, pday.day
        story: list[Flowable] = [
            Heading(format_day(day.date), "h1", key=f"day-{day.date.isoformat()}", toc=False),
            Paragraph(esc(_("Personal agenda of %(name)s", name=self.who.name)), style["bold"]),
            Paragraph(esc(self.who_details()), style["muted"]),
            Spacer(1, 2 * mm),
            Paragraph(
                esc(
                    day_kinds(day.kinds)
                    + (f" · {format_span(day.opens, day.closes)}" if day.opens else "")
                ),
                style["body"],
            ),
            Paragraph(esc(_("Meetings")), style["h2"]),
        ]
        meetings = self.meetings_on.get(day.date, [])
        if meetings:
            story.append(self.meetings_table(meetings))
        else:
            story.append(Paragraph(esc(_("No meetings on this day.")), style["italic"]))
        if pday.sessions:
            story += [Spacer(1, 2 * mm), Paragraph(esc(_("On the programme")), style["h2"])]
            story.append(self.sessions_table(pday.sessions))
        return story

    def meetings_table(self, meetings: list[Meeting]) -> Table:
        style = self.style
        rows: list[list[Any]] = [
            [
                Paragraph(esc(_("Time")), style["cell_head"]),
                Paragraph(esc(_("With")), style["cell_head"]),
                Paragraph(esc(_("Where")), style["cell_head"]),
            ]
        ]
        for meeting in meetings:
            if self.is_exhibitor:
                delegate = meeting.delegate
                details = [delegate.title, delegate.organisation]
                if delegate.delegation is not None:
                    details.append(delegate.delegation.name)
                other = f"<b>{esc(delegate.name)}</b>"
                extra = " · ".join(d for d in details if d)
            else:
                exhibitor = meeting.exhibitor
                other = f"<b>{esc(exhibitor.name)}</b>"
                extra = country(exhibitor.country)
            if extra:
                other += f"<br/>{esc(extra)}"
            if meeting.table is not None:
                where = _(
                    "Table %(table)s, %(place)s",
                    table=meeting.table.ref,
                    place=meeting.table.location.name,
                )
            else:
                codes = self.stands_of.get(meeting.exhibitor_id)
                where = (
                    _("At the stand (%(code)s)", code=", ".join(codes))
                    if codes
                    else _("At the exhibitor's stand")
                )
            rows.append(
                [
                    Paragraph(time_span(meeting.slot.start, meeting.slot.end), style["cell_bold"]),
                    Paragraph(other, style["cell"]),
                    Paragraph(esc(where), style["cell"]),
                ]
            )
        width = self.doc.width
        return Table(
            rows,
            colWidths=[0.23 * width, 0.42 * width, 0.35 * width],
            repeatRows=1,
            splitInRow=1,
            style=table_style(),
        )

    def sessions_table(self, sessions) -> Table:
        style = self.style
        rows = []
        for session in sessions:
            text = f"<b>{esc(session.title)}</b><br/>{esc(SessionKind.label_of(session.kind))}"
            place = esc(session.location.name)
            if session.location.restricted:
                place += f"<br/><i>{esc(restricted_access_note())}</i>"
            rows.append(
                [
                    Paragraph(time_span(session.start, session.end), style["cell"]),
                    Paragraph(text, style["cell"]),
                    Paragraph(place, style["cell"]),
                ]
            )
        width = self.doc.width
        return Table(
            rows,
            colWidths=[0.23 * width, 0.42 * width, 0.35 * width],
            splitInRow=1,
            style=table_style(header=False),
        )
