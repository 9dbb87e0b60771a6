"""An export-controlled demo holds from the programme to the gate: the one admission rule
(exhibitors/admission.py) decides who may follow it, who finds it in their agenda (web,
calendar, PDF), who reads its details on the schedule and in the programme PDF, and who
the demo-zone gate admits while it runs, online and from the offline scanner's list.

The demo: Sarsılmaz's "Live fire: SAR 127 MT" in the secured range, today 10:00-11:00,
restricted by its exhibitor to Türkiye. Aïssata (Mali) and Kemal (Türkiye) hold the demo
zone; Moussa (Senegal) holds none; Dilek is Sarsılmaz's own staff."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time

import icalendar
import pytest

from expo_app.badges import services
from expo_app.delegations.models import Delegation, FollowedSession, Participant, ParticipantZone
from expo_app.delegations.services import follow_session
from expo_app.events.models import EventSession
from expo_app.exhibitors.models import DemoAllowedCountry, DemoRequest
from expo_app.extensions import db
from expo_app.matchmaking import booking
from tests.badges.conftest import BadgeExpo, build_badge_expo, person
from tests.kit.accounts import OwnClient, make_account, new_client
from tests.programme.pdftext import Pdf

TITLE = "Live fire: SAR 127 MT"
DESCRIPTION = "Export-controlled rifle, live rounds on the 300 m range."


class Demo:
    def __init__(self, expo: BadgeExpo, session: EventSession, kemal, moussa, today):
        self.expo, self.session, self.kemal, self.moussa, self.today = (
            expo,
            session,
            kemal,
            moussa,
            today,
        )

    def at(self, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(self.today, time(hour, minute), tzinfo=UTC)

    def scan(self, who: Participant, hour: int, minute: int = 0, direction: str = "entry"):
        gate = next(g for g in services.gates(self.expo.event) if g.restricted)
        code = services.badge_code(db.session.get(Participant, who.id))
        return services.check_in(self.expo.event, code, gate, direction, now=self.at(hour, minute))


@pytest.fixture
def login(backend_app):
    """login(user or e-mail) -> a client signed in on the same database; login(None) ->
    an anonymous one."""

    def sign_in(who) -> OwnClient:
        email = getattr(who, "email", who)
        return new_client(backend_app, email)

    return sign_in


def account(who: Participant) -> str:
    return f"{who.ref.removeprefix('p-')}@badge-expo.org"


@pytest.fixture
def demo(backend_app) -> Demo:
    today = datetime.now(UTC).date()
    expo = build_badge_expo(today=today)
    event = expo.event
    turkey = Delegation(
        event_id=event.id, ref="del-tr", name="Türk Silahlı Kuvvetleri", country="TR"
    )
    senegal = Delegation(event_id=event.id, ref="del-sn", name="Armée sénégalaise", country="SN")
    db.session.add_all([turkey, senegal])
    db.session.flush()
    kemal = person(
        event, "p-kemal", "Kemal Yıldız", country="TR", delegation_id=turkey.id,
        user_id=make_account("kemal@badge-expo.org", "delegate").id,
    )  # fmt: skip
    moussa = person(
        event, "p-moussa", "Moussa Diop", country="SN", delegation_id=senegal.id,
        user_id=make_account("moussa@badge-expo.org", "delegate").id,
    )  # fmt: skip
    for holder in (kemal, expo.dilek):
        db.session.add(ParticipantZone(participant_id=holder.id, location_id=expo.zone.id))
    session = EventSession(
        event_id=event.id,
        ref="demo-sar",
        title=TITLE,
        description=DESCRIPTION,
        kind="demo",
        start=datetime.combine(today, time(10)),
        end=datetime.combine(today, time(11)),
        location_id=expo.zone.id,
        exhibitor_id=expo.exhibitor.id,
    )
    db.session.add(session)
    db.session.flush()
    request = DemoRequest(
        event_id=event.id,
        exhibitor_id=expo.exhibitor.id,
        title=TITLE,
        duration_min=60,
        status="placed",
        session_id=session.id,
    )
    request.allowed_countries.append(DemoAllowedCountry(country="TR"))
    db.session.add(request)
    db.session.commit()
    return Demo(expo, session, kemal, moussa, today)


# --- Following and the agenda ----------------------------------------------------------------


def test_only_those_admitted_can_follow_a_restricted_demo(demo):
    moussa = db.session.get(Participant, demo.moussa.id)
    aissata = db.session.get(Participant, demo.expo.alice.id)
    with pytest.raises(booking.NotAllowed, match="badge does not give access"):
        follow_session(moussa, demo.session, True)  # no demo zone
    with pytest.raises(booking.NotAllowed, match="restricted by its exhibitor"):
        follow_session(aissata, demo.session, True)  # the zone, but Mali is not on the list
    follow_session(db.session.get(Participant, demo.kemal.id), demo.session, True)
    db.session.commit()
    followers = db.session.query(FollowedSession.participant_id).all()
    assert followers == [(demo.kemal.id,)]


def test_the_web_refuses_the_follow_with_the_reason_and_writes_nothing(demo, login):
    client = login(account(demo.moussa))
    page = client.get(f"/e/{demo.expo.slug}/my/agenda").get_data(as_text=True)
    assert TITLE not in page  # not offered in the programme list either
    response = client.post(
        f"/e/{demo.expo.slug}/my/sessions/{demo.session.id}/follow",
        data={"follow": "1"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "does not give access to the zone" in response.get_data(as_text=True)
    assert db.session.query(FollowedSession).count() == 0


def test_the_agenda_web_and_calendar_hold_the_demo_only_for_those_admitted(demo, login):
    slug = demo.expo.slug
    # Aïssata followed it before Sarsılmaz restricted it: it must go from her agenda.
    db.session.add(FollowedSession(participant_id=demo.expo.alice.id, session_id=demo.session.id))
    db.session.commit()
    for who, admitted in ((demo.kemal, True), (demo.expo.alice, False), (demo.moussa, False)):
        client = login(account(who))
        page = client.get(f"/e/{slug}/my/agenda").get_data(as_text=True)
        calendar = icalendar.Calendar.from_ical(client.get(f"/e/{slug}/my/agenda.ics").data)
        summaries = [str(e.get("summary")) for e in calendar.walk("VEVENT")]
        assert (TITLE in page) is admitted, who.name
        assert any(TITLE in s for s in summaries) is admitted, who.name


def test_the_personal_agenda_pdf_names_the_demo_only_for_those_admitted(demo, login):
    slug = demo.expo.slug
    kemal = Pdf.read(login(account(demo.kemal))
                     .get(f"/e/{slug}/my/agenda.pdf").data).flat()  # fmt: skip
    moussa = Pdf.read(login(account(demo.moussa))
                      .get(f"/e/{slug}/my/agenda.pdf").data).flat()  # fmt: skip
    assert TITLE in kemal
    assert TITLE not in moussa and "Restricted demonstration" in moussa


# --- The schedule and the programme -------------------------------------------------------


def test_the_public_schedule_shows_a_restricted_demo_without_its_details(demo, login):
    url = f"/e/{demo.expo.slug}/schedule/"
    anonymous = login(None).get(url).get_data(as_text=True)
    assert "Restricted demonstration" in anonymous
    assert TITLE not in anonymous and DESCRIPTION not in anonymous
    assert "Sarsılmaz" in anonymous  # who demonstrates, and when, stays public
    outsider = login(account(demo.moussa)).get(url)
    assert TITLE not in outsider.get_data(as_text=True)
    for insider in (
        account(demo.kemal),
        demo.expo.organiser,
        demo.expo.exhibitor_user,
    ):
        page = login(insider).get(url).get_data(as_text=True)
        assert TITLE in page and DESCRIPTION in page, insider.email


def test_the_programme_pdf_shows_that_a_restricted_demo_takes_place_not_what(demo, login):
    pdf = Pdf.read(login(None).get(f"/e/{demo.expo.slug}/programme.pdf").data).flat()
    assert "Restricted demonstration" in pdf
    assert TITLE not in pdf and "SAR 127" not in pdf


# --- The gate ------------------------------------------------------------------------------


def test_during_the_demo_the_zone_gate_refuses_a_holder_not_on_its_list_and_names_it(demo):
    refused = demo.scan(demo.expo.alice, 10, 15)
    assert not refused.admitted
    assert refused.reason == "demo_restricted"
    assert refused.demo is not None and refused.demo.title == TITLE
    scan = db.session.query(services.BadgeScan).order_by(services.BadgeScan.id.desc()).first()
    assert (scan.participant_id, scan.result, scan.reason) == (
        demo.expo.alice.id,
        "refuse",
        "demo_restricted",
    )
    # The same badge enters the zone before and after the demo.
    assert demo.scan(demo.expo.alice, 9, 30).admitted
    assert demo.scan(demo.expo.alice, 11, 0).admitted
    # Leaving is always allowed.
    assert demo.scan(demo.expo.alice, 10, 20, "exit").admitted


def test_during_the_demo_those_admitted_enter(demo):
    for who in (demo.kemal, demo.expo.dilek):  # on the list; the exhibitor's own staff
        check = demo.scan(who, 10, 15)
        assert check.admitted, (who.name, check.reason)
        assert check.demo.title == TITLE
    assert demo.scan(demo.moussa, 10, 15).reason == "wrong_zone"  # no zone at all


def test_the_gate_page_names_the_demo_on_now(demo, login, monkeypatch):
    monkeypatch.setattr(services, "utcnow", lambda: demo.at(10, 30).replace(tzinfo=None))
    client = login(demo.expo.gate)
    code = services.badge_code(db.session.get(Participant, demo.expo.alice.id))
    response = client.post(
        f"/e/{demo.expo.slug}/gate/?gate={demo.expo.zone.id}",
        data={
            "code": code,
            "gate": str(demo.expo.zone.id),
            "direction": "entry",
        },
    )
    html = response.get_data(as_text=True)
    assert 'data-reason="demo_restricted"' in html
    assert f"Demonstration on now: {TITLE}" in html


# --- The offline scanner's data --------------------------------------------------------------


def test_the_offline_demo_list_gives_the_same_verdicts_as_the_online_gate(demo, login):
    listing = login(demo.expo.gate).get(f"/e/{demo.expo.slug}/gate/demos.json")
    assert listing.status_code == 200 and "no-store" in listing.headers["Cache-Control"]
    public_key = login(None).get(f"/e/{demo.expo.slug}/badges/public-key.pem").data
    demos = services.read_demo_list(json.loads(listing.data), public_key)
    gate = next(g for g in services.gates(demo.expo.event) if g.restricted)
    for who in (demo.expo.alice, demo.kemal, demo.expo.dilek, demo.moussa):
        participant = db.session.get(Participant, who.id)
        claims = services.codes.verify(
            services.badge_code(participant), services.signing_key(demo.expo.event).public_key
        )
        for hour, minute in ((9, 30), (10, 15)):
            offline = services.gate_decision(
                claims,
                event_id=demo.expo.event.id,
                gate=gate,
                today=demo.today,
                current_version=claims.badge_version,
                accredited=True,
                demo=services.listed_demo_on(demos, gate.location_id, demo.at(hour, minute)),
            )
            online = demo.scan(who, hour, minute).reason
            assert offline == online, (who.name, hour, minute)


def test_an_altered_demo_list_is_refused(demo, login):
    document = services.demo_list(demo.expo.event)
    document["demos"][0]["admitted"].append(demo.expo.alice.id)
    public_key = services.public_key_pem(demo.expo.event)
    with pytest.raises(services.BadgeError, match="not signed"):
        services.read_demo_list(document, public_key)


def test_a_new_event_built_afresh_behaves_the_same(backend_app):
    """Another event, another size: a demo restricted to a delegation (not a country)."""
    expo = build_badge_expo(slug="other-expo")
    event = expo.event
    today = datetime.now(UTC).date()
    session = EventSession(
        event_id=event.id, ref="d2", title="Closed demo", kind="demo",
        start=datetime.combine(today, time(14)), end=datetime.combine(today, time(15)),
        location_id=expo.zone.id, exhibitor_id=expo.exhibitor.id,
    )  # fmt: skip
    db.session.add(session)
    db.session.flush()
    request = DemoRequest(
        event_id=event.id, exhibitor_id=expo.exhibitor.id, title="Closed demo",
        duration_min=60, status="placed", session_id=session.id,
    )  # fmt: skip
    request.allowed_delegations.append(expo.delegation)  # Mali Air Force: Aïssata's
    db.session.add(request)
    db.session.commit()
    gate = next(g for g in services.gates(event) if g.restricted)
    at = datetime.combine(today, time(14, 30), tzinfo=UTC)
    alice = services.check_in(event, services.badge_code(expo.alice), gate, now=at)
    assert alice.admitted and alice.demo.title == "Closed demo"


def test_the_exhibitors_public_page_lists_its_demo_with_details_only_for_those_admitted(
    demo, login
):
    url = f"/e/{demo.expo.slug}/exhibitors/{demo.expo.exhibitor.ref}"
    anonymous = login(None).get(url).get_data(as_text=True)
    assert "On the programme" in anonymous and "Restricted demonstration" in anonymous
    assert TITLE not in anonymous
    assert TITLE in login(account(demo.kemal)).get(url).get_data(as_text=True)


def test_the_seeded_bamex25_has_an_export_controlled_demo_shown_as_such(app):
    from expo_app.seeding import seed

    slug = seed().event.slug
    db.session.commit()
    page = new_client(app).get(f"/e/{slug}/schedule/").get_data(as_text=True)
    assert "Restricted demonstration" in page
    assert "Roketsan missile systems demonstration" not in page
    assert "Baykar UAV flight demonstration" in page  # the others stay open
