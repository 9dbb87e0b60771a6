"""The programme on the event's public page: a PDF in the asked (or the page's) language,
kept on disk, and rebuilt as soon as the schedule or the exhibitors change."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from expo_app.extensions import db
from expo_app.models import EventSession, Exhibitor, ExhibitorSector, Stand
from expo_app.programme import cache
from tests.programme.pdftext import Pdf

URL = "/e/bamex25/programme.pdf"


@pytest.fixture
def builds(app, monkeypatch, tmp_path):
    """Cache under a temporary folder; the list of (slug, lang) of every real build."""
    monkeypatch.setitem(app.config, "PROGRAMME_CACHE_DIR", str(tmp_path / "cache"))
    done: list[tuple[str, str]] = []
    real = cache.build_programme

    def counting(event, out, lang, **kwargs):
        done.append((event.slug, lang))
        return real(event, out, lang, **kwargs)

    monkeypatch.setattr(cache, "build_programme", counting)
    return done


def get_pdf(client, url: str = URL, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    return response, Pdf.read(response.get_data())


def test_download_is_a_pdf_in_the_language_asked(bamex, client, builds):
    response, pdf = get_pdf(client, URL + "?lang=fr")
    assert "mardi 11 novembre 2025" in pdf.text
    assert "bamex25-programme-fr.pdf" in response.headers["Content-Disposition"]
    _, pdf = get_pdf(client, URL + "?lang=en")
    assert "Tuesday, November 11, 2025" in pdf.text


def test_download_defaults_to_the_language_of_the_page(bamex, client, builds):
    response, pdf = get_pdf(client, headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert "mardi 11 novembre 2025" in pdf.text
    assert "Accept-Language" in response.headers["Vary"]


def test_second_download_is_served_from_the_cache(bamex, client, builds):
    first, _ = get_pdf(client, URL + "?lang=en")
    second, _ = get_pdf(client, URL + "?lang=en")
    assert builds == [("bamex25", "en")]
    assert first.get_data() == second.get_data()
    assert first.headers["ETag"] == second.headers["ETag"]
    # A browser that has it already is told so.
    again = client.get(URL + "?lang=en", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_each_language_is_cached_on_its_own(bamex, client, builds):
    get_pdf(client, URL + "?lang=en")
    get_pdf(client, URL + "?lang=fr")
    get_pdf(client, URL + "?lang=fr")
    assert builds == [("bamex25", "en"), ("bamex25", "fr")]


def test_a_retitled_session_gives_a_new_programme(bamex, client, builds, tmp_path):
    before, pdf = get_pdf(client, URL + "?lang=en")
    assert "Opening ceremony" in pdf.text
    session = db.session.execute(select(EventSession).filter_by(ref="ses-opening")).scalar_one()
    session.title = "Grand opening ceremony"
    db.session.commit()

    after, pdf = get_pdf(client, URL + "?lang=en")
    assert "Grand opening ceremony" in pdf.text
    assert after.headers["ETag"] != before.headers["ETag"]
    assert len(builds) == 2
    # The outdated file is removed, not kept forever.
    assert len(list((tmp_path / "cache").glob("*.pdf"))) == 1


def add_a_sector() -> None:
    # Held in a name while appending: the session keeps only weak references to clean
    # objects, so a temporary could be collected halfway through the append.
    company = exhibitor("aselsan")
    company.sectors.append(ExhibitorSector(name="Space", position=9))


@pytest.mark.parametrize(
    "change",
    [
        lambda: setattr(exhibitor("aselsan"), "description", "Radars and more."),
        lambda: setattr(exhibitor("aselsan"), "name", "ASELSAN A.Ş."),
        add_a_sector,
        lambda: setattr(exhibitor("zsr"), "approval", "rejected"),
        lambda: setattr(stand("A-16"), "x_m", 30.0),
    ],
    ids=["description", "name", "sector", "approval", "stand moved"],
)
def test_any_change_to_exhibitors_or_stands_gives_a_new_programme(bamex, client, builds, change):
    before, _ = get_pdf(client, URL + "?lang=en")
    change()
    db.session.commit()
    after, _ = get_pdf(client, URL + "?lang=en")
    assert after.headers["ETag"] != before.headers["ETag"]
    assert len(builds) == 2


def test_unknown_language_or_event_is_not_found(bamex, client, builds):
    assert client.get(URL + "?lang=de").status_code == 404
    assert client.get("/e/nope/programme.pdf").status_code == 404
    assert builds == []


def exhibitor(ref: str) -> Exhibitor:
    return db.session.execute(select(Exhibitor).filter_by(ref=ref)).scalar_one()


def stand(code: str) -> Stand:
    return db.session.execute(select(Stand).filter_by(ref=code)).scalar_one()
