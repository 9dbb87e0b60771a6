"""Access zones from the organiser's workspace: granted to one person, to a whole
delegation, or by a rule (now and on each later approval); every change is audited with
the zone names and reissues an accredited holder's badge, so the old code is refused at
the gate and the new one admits. Bad input is a message next to its field and changes
nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from expo_app import create_app
from expo_app.audit.models import AuditEntry
from expo_app.badges import services as badges
from expo_app.delegations import zones
from expo_app.delegations.models import Delegation, Participant, ZoneRule
from expo_app.extensions import db
from tests.kit import factories as f
from tests.kit.accounts import PASSWORD, OwnClient
from tests.kit.world import csrf_token, snapshot

# A static-display day of the test expo, before any demo runs in the demo zone.
AT_THE_GATE = datetime(2025, 11, 11, 10, tzinfo=UTC)


def zones_of(person: Participant) -> list[str]:
    db.session.expire_all()
    return zones.zone_names(db.session.get(Participant, person.id))


def version_of(person: Participant) -> int:
    db.session.expire_all()
    return db.session.get(Participant, person.id).badge_version


def at_gate(expo, code: str, location=None):
    gate = badges.gate_named(expo.event, str(location.id) if location else None)
    return badges.check_in(expo.event, code, gate, now=AT_THE_GATE)


def code_of(person: Participant) -> str:
    db.session.expire_all()
    return badges.badge_code(db.session.get(Participant, person.id))


@pytest.fixture
def approved(expo) -> Participant:
    person = f.make_delegate(expo.event, "approved", delegation=expo.delegation)
    db.session.commit()
    return person


# --- One person ----------------------------------------------------------------------------


def test_an_organiser_grants_and_withdraws_one_persons_zone(organiser, expo):
    person = expo.pending[0]
    page = organiser.get(expo.url(f"zones/people/{person.id}")).get_data(as_text=True)
    assert "Demo zone" in page and "Hall A" not in page  # only restricted locations
    sent = organiser.post(expo.url(f"zones/people/{person.id}"), data={"zones": expo.zone.id})
    assert sent.status_code == 303
    assert zones_of(person) == ["Demo zone"]
    table = organiser.get(expo.url("zones/")).get_data(as_text=True)
    assert person.name in table and "1 holder" in table
    organiser.post(expo.url(f"zones/people/{person.id}"), data={})
    assert zones_of(person) == []
    assert "Nobody holds a zone yet." in organiser.get(expo.url("zones/")).get_data(as_text=True)


def test_the_accreditation_queue_shows_each_persons_zones_and_leads_to_them(organiser, expo):
    person = expo.pending[1]
    organiser.post(
        expo.url(f"zones/people/{person.id}?back=accreditation"), data={"zones": expo.zone.id}
    )
    queue = organiser.get(expo.url("accreditation")).get_data(as_text=True)
    assert "Zones: Demo zone" in queue
    assert f"/zones/people/{person.id}?back=accreditation" in queue


def test_a_zone_granted_in_the_web_ui_reissues_the_badge(organiser, expo, approved):
    old_code = code_of(approved)
    assert at_gate(expo, old_code, expo.zone).reason == "wrong_zone"
    organiser.post(expo.url(f"zones/people/{approved.id}"), data={"zones": expo.zone.id})
    assert version_of(approved) == 2
    new_code = code_of(approved)
    refused = at_gate(expo, old_code, expo.zone)
    assert (refused.admitted, refused.reason) == (False, "revoked")
    assert at_gate(expo, old_code).reason == "revoked"  # not even at the main entrance
    admitted = at_gate(expo, new_code, expo.zone)
    assert (admitted.admitted, admitted.reason) == (True, "ok")
    assert admitted.zones == ["Demo zone"]


def test_a_zone_withdrawn_in_the_web_ui_shuts_the_old_badge_out_of_the_zone(
    organiser, expo, approved
):
    zones.set_zones(expo.event, approved, [expo.zone.id])
    db.session.commit()
    old_code = code_of(approved)
    assert at_gate(expo, old_code, expo.zone).admitted
    organiser.post(expo.url(f"zones/people/{approved.id}"), data={})
    assert at_gate(expo, old_code, expo.zone).reason == "revoked"
    assert at_gate(expo, code_of(approved), expo.zone).reason == "wrong_zone"
    assert at_gate(expo, code_of(approved)).admitted  # the main entrance still admits


def test_a_badge_printed_before_a_refusal_does_not_open_a_zone_withdrawn_since(
    organiser, expo, approved
):
    zones.set_zones(expo.event, approved, [expo.zone.id])
    db.session.commit()
    old_code = code_of(approved)
    organiser.post(
        expo.url("accreditation"),
        data={"act": f"reject-{approved.id}", f"reason-{approved.id}": "Missing papers"},
    )
    organiser.post(expo.url(f"zones/people/{approved.id}"), data={})
    organiser.post(expo.url("accreditation"), data={"act": f"approve-{approved.id}"})
    assert at_gate(expo, old_code, expo.zone).reason == "revoked"
    assert at_gate(expo, code_of(approved), expo.zone).reason == "wrong_zone"


def test_a_zone_change_is_audited_with_the_zone_names_before_and_after(organiser, expo, approved):
    second = f.make_location(expo.event, "demo_zone", name="VIP lounge", restricted=True)
    db.session.commit()
    organiser.post(expo.url(f"zones/people/{approved.id}"), data={"zones": expo.zone.id})
    organiser.post(
        expo.url(f"zones/people/{approved.id}"), data={"zones": [second.id, expo.zone.id]}
    )
    entries = (
        db.session.execute(
            select(AuditEntry).filter_by(action="participant.zones").order_by(AuditEntry.id)
        )
        .scalars()
        .all()
    )
    assert [(e.before, e.after) for e in entries] == [
        ({"zones": []}, {"zones": ["Demo zone"]}),
        ({"zones": ["Demo zone"]}, {"zones": ["Demo zone", "VIP lounge"]}),
    ]
    assert {e.entity_id for e in entries} == {approved.id}
    assert all(e.user_id is not None for e in entries)  # the organiser who did it
    reissues = db.session.execute(select(AuditEntry).filter_by(action="badge.reissue")).all()
    assert len(reissues) == 2
    # Saving the same zones again changes nothing and records nothing.
    organiser.post(
        expo.url(f"zones/people/{approved.id}"), data={"zones": [second.id, expo.zone.id]}
    )
    assert version_of(approved) == 3
    assert db.session.query(AuditEntry).filter_by(action="participant.zones").count() == 2


# --- A whole delegation --------------------------------------------------------------------


def test_a_whole_delegation_gets_a_zone_and_loses_it(organiser, expo, approved):
    members = [*expo.pending, approved]
    outsider = f.make_delegate(expo.event, "approved")
    db.session.commit()
    sent = organiser.post(
        expo.url("zones/delegation"),
        data={
            "bulk-delegation": expo.delegation.id,
            "bulk-location": expo.zone.id,
            "bulk-act": "grant",
        },
    )
    assert sent.status_code == 303
    page = organiser.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Demo zone granted to 4 members of Mali." in page
    assert all(zones_of(member) == ["Demo zone"] for member in members)
    assert zones_of(outsider) == []
    # Only the accredited member had a badge to reissue.
    assert version_of(approved) == 2 and version_of(expo.pending[0]) == 1
    organiser.post(
        expo.url("zones/delegation"),
        data={
            "bulk-delegation": expo.delegation.id,
            "bulk-location": expo.zone.id,
            "bulk-act": "withdraw",
        },
    )
    assert all(zones_of(member) == [] for member in members)
    assert version_of(approved) == 3


def test_the_table_filtered_by_delegation_shows_who_lacks_the_zone(organiser, expo):
    zones.set_zones(expo.event, expo.pending[0], [expo.zone.id])
    db.session.commit()
    page = organiser.get(expo.url(f"zones/?delegation={expo.delegation.id}"))
    html = page.get_data(as_text=True)
    assert "3 people" in html and "1 holder" in html
    assert "does not hold Demo zone" in html and "holds Demo zone" in html
    assert 'class="table-scroll tall zone-table" role="region"' in html  # scrolls on a phone


# --- Rules -----------------------------------------------------------------------------------


def test_a_rule_gives_its_zone_to_approved_people_now_and_to_each_one_approved_later(
    organiser, expo, approved
):
    expo.delegation.kind = "military"
    civilians = Delegation(event_id=expo.event.id, ref="del-sn", name="Senegal", country="SN")
    civilians.kind = "government"
    db.session.add(civilians)
    db.session.flush()
    civilian = f.make_delegate(expo.event, "approved", delegation=civilians)
    db.session.commit()
    sent = organiser.post(
        expo.url("zones/rules"),
        data={"rule-delegation_kind": "military", "rule-role": "", "rule-location": expo.zone.id},
    )
    assert sent.status_code == 303
    page = organiser.get(expo.url("zones/")).get_data(as_text=True)
    assert "The rule is saved: Demo zone granted to 1 approved person now." in page
    assert "Demo zone for members of delegations of the kind Military" in page
    assert zones_of(approved) == ["Demo zone"]
    assert zones_of(civilian) == [] and zones_of(expo.pending[0]) == []
    # Approved later, in the accreditation queue: the rule applies, and the badge admits.
    newcomer = expo.pending[0]
    organiser.post(expo.url("accreditation"), data={"act": f"approve-{newcomer.id}"})
    assert zones_of(newcomer) == ["Demo zone"]
    assert at_gate(expo, code_of(newcomer), expo.zone).admitted
    assert zones_of(expo.pending[1]) == []  # still waiting: nothing yet


def test_a_rule_by_role_matches_people_without_a_delegation(organiser, expo):
    reporter = f.make_delegate(expo.event, "approved")
    reporter.role = "press"
    db.session.commit()
    organiser.post(
        expo.url("zones/rules"),
        data={"rule-delegation_kind": "", "rule-role": "press", "rule-location": expo.zone.id},
    )
    assert zones_of(reporter) == ["Demo zone"]
    assert "Demo zone for everyone with the role Press" in organiser.get(
        expo.url("zones/")
    ).get_data(as_text=True)


def test_a_deleted_rule_keeps_the_zones_it_gave_and_gives_no_more(organiser, expo, approved):
    expo.delegation.kind = "military"
    db.session.commit()
    organiser.post(
        expo.url("zones/rules"),
        data={"rule-delegation_kind": "military", "rule-role": "", "rule-location": expo.zone.id},
    )
    rule = db.session.execute(select(ZoneRule)).scalar_one()
    sent = organiser.post(expo.url("zones/rules/delete"), data={"rule": rule.id})
    assert sent.status_code == 303
    assert db.session.execute(select(ZoneRule)).first() is None
    assert zones_of(approved) == ["Demo zone"]
    organiser.post(expo.url("accreditation"), data={"act": f"approve-{expo.pending[0].id}"})
    assert zones_of(expo.pending[0]) == []


# --- Bad input -----------------------------------------------------------------------------


@pytest.fixture
def elsewhere(expo):
    """Another event with its own restricted zone, delegation and person."""
    other = f.make_event("other-expo")
    zone = f.make_location(other, "demo_zone", name="Their zone", restricted=True)
    delegation = Delegation(event_id=other.id, ref="del-x", name="Theirs", country="FR")
    db.session.add(delegation)
    db.session.flush()
    person = f.make_delegate(other, "approved", delegation=delegation)
    db.session.commit()
    return zone, delegation, person


def refused(response, field_id: str, message: str) -> None:
    """A 422 page with the message next to its field."""
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field_id}-error">{message}' in html, html


def test_a_zone_that_is_not_one_of_this_events_zones_changes_nothing(
    organiser, expo, approved, elsewhere
):
    their_zone = elsewhere[0]
    before = snapshot()
    url = expo.url(f"zones/people/{approved.id}")
    cases = [
        (their_zone.id, "There is no such location at this event."),
        (999999, "There is no such location at this event."),
        (expo.hall.id, "Hall A is not a restricted location: every badge admits there."),
        ("two", "Invalid choice(s): one or more data inputs could not be coerced."),
    ]
    for sent, message in cases:
        refused(organiser.post(url, data={"zones": [expo.zone.id, sent]}), "zones", message)
    assert snapshot() == before


def test_a_person_or_delegation_of_another_event_changes_nothing(organiser, expo, elsewhere):
    their_zone, their_delegation, their_person = elsewhere
    before = snapshot()
    assert organiser.get(expo.url(f"zones/people/{their_person.id}")).status_code == 404
    posted = organiser.post(
        expo.url(f"zones/people/{their_person.id}"), data={"zones": expo.zone.id}
    )
    assert posted.status_code == 404
    with pytest.raises(zones.ZoneError) as error:
        zones.set_zones(expo.event, their_person, [expo.zone.id])
    assert error.value.field == "person"
    db.session.rollback()
    bulk = expo.url("zones/delegation")
    refused(
        organiser.post(
            bulk,
            data={
                "bulk-delegation": their_delegation.id,
                "bulk-location": expo.zone.id,
                "bulk-act": "grant",
            },
        ),
        "bulk-delegation",
        "There is no such delegation at this event.",
    )
    refused(
        organiser.post(
            bulk,
            data={
                "bulk-delegation": expo.delegation.id,
                "bulk-location": their_zone.id,
                "bulk-act": "grant",
            },
        ),
        "bulk-location",
        "There is no such location at this event.",
    )
    refused(
        organiser.post(
            bulk, data={"bulk-delegation": "", "bulk-location": "", "bulk-act": "grant"}
        ),
        "bulk-location",
        "Choose a zone.",
    )
    assert snapshot() == before


def test_a_rule_that_names_nobody_or_no_zone_changes_nothing(organiser, expo, approved, elsewhere):
    expo.delegation.kind = "military"
    db.session.commit()
    before = snapshot()
    rules = expo.url("zones/rules")
    refused(
        organiser.post(
            rules, data={"rule-delegation_kind": "", "rule-role": "", "rule-location": expo.zone.id}
        ),
        "rule-delegation_kind",
        "Say who gets the zone: a kind of delegation, a role, or both.",
    )
    refused(
        organiser.post(
            rules, data={"rule-delegation_kind": "military", "rule-location": expo.hall.id}
        ),
        "rule-location",
        "Hall A is not a restricted location: every badge admits there.",
    )
    refused(
        organiser.post(
            rules, data={"rule-delegation_kind": "military", "rule-location": elsewhere[0].id}
        ),
        "rule-location",
        "There is no such location at this event.",
    )
    assert (
        organiser.post(
            rules, data={"rule-delegation_kind": "navy", "rule-location": expo.zone.id}
        ).status_code
        == 422
    )
    assert snapshot() == before
    organiser.post(rules, data={"rule-delegation_kind": "military", "rule-location": expo.zone.id})
    again = snapshot()
    refused(
        organiser.post(
            rules, data={"rule-delegation_kind": "military", "rule-location": expo.zone.id}
        ),
        "rule-location",
        "This rule exists already.",
    )
    refused(
        organiser.post(expo.url("zones/rules/delete"), data={"rule": 999999}),
        "rule",
        "This rule does not exist (any more).",
    )
    assert snapshot() == again


def test_every_zone_form_needs_its_csrf_token(app, expo, approved):
    protected = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": app.config["SECRET_KEY"],
        }
    )
    person, zone, delegation = approved.id, expo.zone.id, expo.delegation.id
    base = expo.url()
    db.session.remove()  # no open transaction while the other app writes (SQLite's lock)
    client = OwnClient(protected, protected.response_class, use_cookies=True)
    token = csrf_token(client)
    client.post(
        "/login",
        data={"email": "organiser@example.org", "password": PASSWORD, "csrf_token": token},
    )
    before = snapshot()
    forms = {
        f"zones/people/{person}": {"zones": zone},
        "zones/delegation": {
            "bulk-delegation": delegation,
            "bulk-location": zone,
            "bulk-act": "grant",
        },
        "zones/rules": {"rule-role": "delegate", "rule-location": zone},
        "zones/rules/delete": {"rule": 1},
    }
    for path, data in forms.items():
        assert client.post(base + path, data=data).status_code == 400, path
    assert snapshot() == before
    token = csrf_token(client)
    sent = client.post(base + f"zones/people/{person}", data={"zones": zone, "csrf_token": token})
    assert sent.status_code == 303
    assert zones.zone_names(db.session.get(Participant, person)) == ["Demo zone"]


# --- In the browser, and as HTML -----------------------------------------------------------


@pytest.fixture
def bamex(app) -> str:
    from expo_app.seeding import seed

    slug = seed().event.slug
    db.session.commit()
    db.session.remove()  # no open transaction while the server works (SQLite lock)
    return slug


@pytest.mark.browser
def test_the_zones_page_works_and_fits_a_phone(bamex, live_server, new_page):
    from playwright.sync_api import expect

    from tests.kit.axe import assert_fits_the_screen, axe_violations
    from tests.kit.browser import PHONE

    page = new_page(viewport=PHONE, locale="en-GB")
    page.goto(f"{live_server}/login")
    page.locator("#email").fill("organiser@example.org")
    page.locator("#password").fill("organiser-demo-2025")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{live_server}/e/{bamex}/manage/zones/")
    page.locator("#rule-delegation_kind").select_option("military")
    page.locator("#rule-location").select_option(index=1)
    page.get_by_role("button", name="Save the rule").click()
    expect(page.locator(".flash-success")).to_contain_text("The rule is saved")
    page.locator("#bulk-delegation").select_option(
        label="Mali — Ministère de la Défense et des Anciens Combattants"
    )
    page.locator("#bulk-location").select_option(index=1)
    page.get_by_role("button", name="Grant to every member").click()
    expect(page.locator(".flash-success")).to_contain_text("members of Mali")
    expect(page.locator(".zone-table tbody tr").first).to_contain_text("✓")
    assert axe_violations(page) == []
    assert_fits_the_screen(page, "the zones table at 360 px")
    page.locator(".zone-table a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Badge of")
    assert axe_violations(page) == []
    assert_fits_the_screen(page, "a person's zones at 360 px")


@pytest.mark.html_checker
def test_the_zone_pages_are_valid_html(app, bamex, nu_html_checker):
    from tests.kit.accounts import new_client

    organiser = new_client(app)
    organiser.post(
        "/login", data={"email": "organiser@example.org", "password": "organiser-demo-2025"}
    )
    person = db.session.execute(select(Participant).filter_by(accreditation="approved")).scalars()
    person_id = next(iter(person)).id
    base = f"/e/{bamex}/manage/zones"
    pages = {
        "table": organiser.get(f"{base}/"),
        "person": organiser.get(f"{base}/people/{person_id}"),
        "refused person": organiser.post(f"{base}/people/{person_id}", data={"zones": "x"}),
        "refused rule": organiser.post(f"{base}/rules", data={"rule-location": ""}),
        "refused bulk": organiser.post(f"{base}/delegation", data={"bulk-act": "grant"}),
        "queue": organiser.get(f"/e/{bamex}/manage/accreditation"),
    }
    assert {name: page.status_code for name, page in pages.items()} == {
        "table": 200,
        "person": 200,
        "refused person": 422,
        "refused rule": 422,
        "refused bulk": 422,
        "queue": 200,
    }
    documents = {name: page.get_data(as_text=True) for name, page in pages.items()}
    assert nu_html_checker(documents) == {}


# --- Badge categories --------------------------------------------------------------------


def test_a_category_given_to_one_person_changes_the_band_reissues_and_is_audited(
    organiser, expo, approved
):
    old_code = code_of(approved)
    page = organiser.get(expo.url(f"zones/people/{approved.id}")).get_data(as_text=True)
    assert "Badge category" in page
    sent = organiser.post(expo.url(f"zones/people/{approved.id}"), data={"category": "vip"})
    assert sent.status_code == 303
    db.session.expire_all()
    person = db.session.get(Participant, approved.id)
    assert badges.category_of(person) == "vip" and person.badge_version == 2
    assert at_gate(expo, old_code).reason == "revoked"
    scan = at_gate(expo, code_of(approved))
    assert scan.admitted and scan.category_name == "VIP"
    entry = db.session.execute(
        select(AuditEntry).where(AuditEntry.action == "participant.category")
    ).scalar_one()
    assert (entry.before, entry.after) == ({"role": "delegate"}, {"role": "vip"})


def test_a_delegation_gets_a_category_in_bulk_all_or_nothing(organiser, expo, approved):
    other = f.make_delegate(expo.event, "approved", delegation=expo.delegation)
    exhibitor = f.make_exhibitor(expo.event)
    f.make_request(expo.event, other, exhibitor, status="pending")  # press may not meet
    db.session.commit()
    before = snapshot()
    form = {"bulk-delegation": expo.delegation.id, "bulk-category": "press", "bulk-act": "category"}
    refused(
        organiser.post(expo.url("zones/delegation"), data=form),
        "bulk-category",
        f"{other.name} has business meetings or requests",
    )
    assert snapshot() == before  # nobody changed, not even the members who could
    form["bulk-category"] = "vip"
    assert organiser.post(expo.url("zones/delegation"), data=form).status_code == 303
    db.session.expire_all()
    members = db.session.execute(
        select(Participant.role).where(Participant.delegation_id == expo.delegation.id)
    ).scalars()
    assert set(members) == {"vip"}


def test_a_rule_gives_a_category_on_approval_and_staff_keep_theirs(organiser, expo):
    expo.delegation.kind = "military"
    db.session.commit()
    rule = {"rule-delegation_kind": "military", "rule-role": "", "rule-category": "vip"}
    assert organiser.post(expo.url("zones/rules"), data=rule).status_code == 303
    page = organiser.get(expo.url("zones/")).get_data(as_text=True)
    assert "the VIP badge for members of delegations of the kind Military" in page
    newcomer = f.make_delegate(expo.event, "pending", delegation=expo.delegation)
    db.session.commit()
    organiser.post(expo.url("accreditation"), data={"act": f"approve-{newcomer.id}"})
    db.session.expire_all()
    assert db.session.get(Participant, newcomer.id).role == "vip"
    refused(
        organiser.post(expo.url("zones/rules"), data={"rule-delegation_kind": "military"}),
        "rule-location",
        "Choose a zone, a badge category, or both.",
    )
    assert (
        organiser.post(
            expo.url(f"zones/people/{newcomer.id}"), data={"category": "organiser"}
        ).status_code
        == 422
    )
