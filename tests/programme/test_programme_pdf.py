"""The printed programme of BAMEX'25, read back from the PDF as a visitor would read it."""

from __future__ import annotations

import io
import re
from datetime import datetime

import pytest
from babel.dates import format_date
from sqlalchemy import event as sa_event
from sqlalchemy import select

from expo_app.events.services import programme as programme_days
from expo_app.extensions import db
from expo_app.models import EventSession, Exhibitor, ExhibitorSector, Stand
from expo_app.programme.builder import build_programme
from expo_app.programme.data import sort_key
from tests.kit import factories as f
from tests.programme.conftest import programme_of

LANGS = ["en", "fr"]


def approved_exhibitors(event) -> list[Exhibitor]:
    return list(
        db.session.execute(
            select(Exhibitor).where(
                Exhibitor.event_id == event.id, Exhibitor.approval == "approved"
            )
        ).scalars()
    )


def stand_codes(exhibitor: Exhibitor) -> list[str]:
    return [stand.ref for stand in exhibitor.stands]


@pytest.mark.parametrize("lang", LANGS)
def test_every_day_and_every_session_is_in_the_programme(bamex, programme, lang):
    pdf = programme(lang)
    text = pdf.flat()
    days = programme_days(bamex)
    assert len(days) == 4
    for pday in days:
        # The day as a reader writes it in that language, e.g. "mardi 11 novembre 2025".
        assert format_date(pday.day.date, "full", locale=lang) in text
        for session in pday.sessions:
            assert session.title in text, session.title


@pytest.mark.parametrize("lang", LANGS)
def test_every_exhibitor_is_in_the_catalogue_with_its_stand_code(bamex, programme, lang):
    pdf = programme(lang)
    start = pdf.section_page("catalogue")
    catalogue = pdf.flat(start)
    for exhibitor in approved_exhibitors(bamex):
        at = catalogue.find(exhibitor.name)
        assert at >= 0, exhibitor.name
        entry = catalogue[at : at + len(exhibitor.name) + 30]
        for code in stand_codes(exhibitor):
            assert code in entry, (exhibitor.name, code, entry)


def test_catalogue_runs_from_a_to_z_ignoring_case_and_accents(bamex, programme):
    pdf = programme("en")
    catalogue = pdf.flat(pdf.section_page("catalogue"), pdf.section_page("sectors"))
    names = sorted((e.name for e in approved_exhibitors(bamex)), key=sort_key)
    positions = [catalogue.find(name) for name in names]
    assert positions == sorted(positions)
    assert (
        catalogue.index("Akdaş Firearms")
        < catalogue.index("Akıncılar")
        < catalogue.index("Aselsan")
    )


def test_french_programme_speaks_french_dates_countries_and_descriptions(bamex, programme):
    baykar = db.session.execute(select(Exhibitor).filter_by(ref="baykar")).scalar_one()
    baykar.description_fr = "Constructeur turc de drones, dont le Bayraktar TB2."
    db.session.commit()

    french = programme("fr").flat()
    assert "mardi 11 novembre 2025" in french
    assert "vendredi 14 novembre 2025" in french
    assert "Turquie" in french  # Türkiye, in French
    assert "Exposition statique" in french and "Démonstrations en direct" in french
    # Location and session kinds: the models' labels, in the PDF's language.
    assert "Hall d’exposition" in french and "Zone de démonstration" in french
    assert "Cérémonie" in french and "Exhibition hall" not in french
    assert "Constructeur turc de drones, dont le Bayraktar TB2." in french
    assert "Turkish manufacturer of unmanned aerial vehicles" not in french

    english = programme("en").flat()
    assert "Tuesday, November 11, 2025" in english and "Türkiye" in english
    assert "Turkish manufacturer of unmanned aerial vehicles" in english
    assert "Constructeur turc" not in english


def test_french_description_falls_back_to_english_when_missing(bamex, programme):
    french = programme("fr").flat()
    assert "Turkish manufacturer of missile and rocket systems." in french


def test_turkish_and_french_letters_survive_in_the_embedded_font(bamex, programme):
    pdf = programme("en")
    for word in ("Kalekalıp", "Sarsılmaz", "Akıncılar", "Akdaş", "Endüstrisi", "États"):
        assert word in pdf.text, word
    fonts = set()
    for page in pdf.reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and all("DejaVuSans" in name for name in fonts), fonts


@pytest.mark.parametrize("lang", LANGS)
def test_contents_page_numbers_are_the_pages_where_sections_start(bamex, programme, lang):
    pdf = programme(lang)
    lines = pdf.contents_lines(1)
    outline = {title: page for _, title, page in pdf.outline()}
    assert len(lines) == 7 + 4 + 3  # sections, days, halls
    for title, number in lines:
        # The heading is printed on that page, and the bookmark of that name leads there.
        assert title in pdf.pages[number - 1], (title, number)
        assert outline[title] == number - 1, (title, number, outline[title])
        # Page numbers printed in the footer are the same numbers.
        assert pdf.pages[number - 1].rstrip().endswith(str(number))


def test_outline_bookmarks_every_section_day_hall_letter_and_sector(bamex, programme):
    pdf = programme("en")
    entries = pdf.outline()
    top = [title for level, title, _ in entries if level == 0]
    assert top == [
        "BAMEX'25",
        "Contents",
        "Days at a glance",
        "Schedule",
        "Floor plan",
        "Exhibitor catalogue",
        "Index by sector",
        "Delegations",
        "Practical information",
    ]
    titles = {title for _, title, _ in entries}
    assert {"Hall A — Pavillon principal", "Hall B", "Outdoor Static Display Area"} <= titles
    assert {"A", "K", "0–9", "UAVs", "Small arms"} <= titles
    # Every bookmark lands on a page that shows what it names.
    for _, title, page in entries[1:]:
        assert title in pdf.pages[page], title


def test_days_at_a_glance_say_what_happens_each_day(bamex, programme):
    pdf = programme("en")
    glance = pdf.pages[pdf.section_page("glance")]
    flat = " ".join(glance.split())
    assert "Static display" in flat and "Business matchmaking" in flat
    assert "Live demonstrations" in flat
    assert "Opening ceremony" in flat


def test_demo_sessions_name_their_exhibitor_and_the_restricted_access(bamex, programme):
    pdf = programme("en")
    [page] = pdf.pages_with("Baykar UAV flight demonstration")
    flat = " ".join(pdf.pages[page].split())
    assert "Live Demo Zone" in flat
    assert "Access with an authorised badge only." in flat
    assert "Presented by Baykar · Stand A-01" in flat
    # Unrestricted places carry no such note.
    [opening_page] = [
        p for p in pdf.pages_with("Opening ceremony") if "Ceremony Hall" in pdf.pages[p]
    ]
    assert "authorised badge" not in pdf.pages[opening_page]


def test_floor_plan_labels_every_stand_of_every_hall(bamex, programme):
    pdf = programme("en")
    stands = db.session.execute(select(Stand).where(Stand.event_id == bamex.id)).scalars()
    plan = pdf.flat(pdf.section_page("floor-plan"), pdf.section_page("catalogue"))
    for stand in stands:
        assert re.search(rf"\b{re.escape(stand.ref)}\b", plan), stand.ref
    assert "Kalekalıp" in plan  # holders are named where the stand is large enough


def test_delegations_and_practical_information_are_listed(bamex, programme):
    french = programme("fr")
    delegations = french.flat(french.section_page("delegations"))
    for country in ("Burkina Faso", "Égypte", "Inde", "Maroc", "Sénégal"):
        assert country in delegations, country
    assert "Ghana Armed Forces" in delegations
    practical = french.flat(french.section_page("practical"))
    assert "Bamako Fair and Exhibition Center" in practical
    assert "08:00 – 16:00" in practical and "09:00 – 18:00" in practical


def test_same_data_gives_the_same_bytes(bamex):
    first, second = io.BytesIO(), io.BytesIO()
    build_programme(bamex, first, "en")
    build_programme(bamex, second, "en")
    assert first.getvalue() == second.getvalue()


def test_an_event_with_nothing_yet_still_prints(app):
    event = f.make_event("empty-expo")
    db.session.commit()
    pdf = programme_of(event, "en")
    assert "Test Expo" in pdf.text
    assert "Nothing scheduled yet." in pdf.text
    assert "No exhibitor yet." in pdf.text


def count_selects(work) -> int:
    statements: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    engine = db.engine
    sa_event.listen(engine, "before_cursor_execute", record)
    try:
        work()
    finally:
        sa_event.remove(engine, "before_cursor_execute", record)
    return len(statements)


def grow(event, hall, exhibitors: int) -> None:
    for n in range(exhibitors):
        exhibitor = f.make_exhibitor(event, f"Company {n}")
        exhibitor.sectors = [ExhibitorSector(name=f"Sector {n % 3}", position=0)]
        stand = f.make_stand(event, hall, f"H-{n:03d}")
        stand.exhibitor_id, stand.status = exhibitor.id, "confirmed"
        stand.x_m, stand.y_m = 3.0 * (n % 10), 4.0 * (n // 10)
        db.session.add(
            EventSession(
                event_id=event.id,
                ref=f"demo-{n}",
                title=f"Demo {n}",
                kind="demo",
                start=datetime(2025, 11, 11, 9 + n % 8),
                end=datetime(2025, 11, 11, 10 + n % 8),
                location_id=hall.id,
                exhibitor_id=exhibitor.id,
            )
        )
    db.session.commit()


def test_query_count_does_not_grow_with_exhibitors_and_sessions(app):
    small = f.make_event("small-expo")
    grow(small, f.make_location(small, "hall", name="Hall S"), 3)
    large = f.make_event("large-expo")
    grow(large, f.make_location(large, "hall", name="Hall L"), 40)

    def build(event):
        db.session.expire_all()
        return count_selects(lambda: build_programme(event, io.BytesIO(), "en"))

    assert build(small) == build(large) <= 10


def test_unknown_language_is_refused(bamex):
    from expo_app.pdf.i18n import UnknownLanguage

    with pytest.raises(UnknownLanguage):
        build_programme(bamex, io.BytesIO(), "de")


def test_awkward_data_prints_as_written(app):
    """Markup characters, a description longer than a column, a stand without a place."""
    event = f.make_event("awkward-expo")
    hall = f.make_location(event, "hall", name="Hall <A> & B")
    wordy = f.make_exhibitor(event, "R&D <Systems> Ltd")
    wordy.description = " ".join(["Very long description of radar & sensors."] * 400)
    placed = f.make_stand(event, hall, "A-01")
    placed.exhibitor_id, placed.status = wordy.id, "confirmed"
    loose = f.make_stand(event, hall, "A-99")
    loose.x_m = loose.y_m = None
    db.session.commit()

    pdf = programme_of(event, "en")
    text = pdf.flat()
    assert "R&D <Systems> Ltd · Stand A-01" in text
    assert "Hall <A> & B" in text
    # All of it, over several columns (a sentence cut by a page break reads with the
    # running header in between, hence the allowance of one per page).
    assert text.count("Very long description of radar & sensors.") >= 400 - len(pdf.pages)
    assert len(pdf.pages_with("Very long description")) >= 2
    assert "Not on the plan: A-99" in text
