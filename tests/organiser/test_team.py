"""The event's team page: inviting organisers, gate staff and security officers by email
(a one-time link for a new address), removing them, and every refusal leaving the
database as it was. On SQLite and on PostgreSQL."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from expo_app.accounts.models import EventOrganiser, User
from expo_app.audit.models import AuditEntry
from expo_app.events.models import Event
from expo_app.extensions import db
from tests.kit import factories as f
from tests.kit.accounts import make_account, new_client
from tests.kit.world import snapshot

NEW_PASSWORD = "harbour lantern quietly 42"


@pytest.fixture
def app(backend_app):
    """Every test here runs on SQLite and on PostgreSQL (the organiser fixtures use it)."""
    return backend_app


def _once(html: str) -> str:
    return re.search(r'name="once"[^>]*value="([^"]+)"', html).group(1)


def invite(client, expo, email: str, role: str, name: str = ""):
    page = client.get(expo.url("team"))
    assert page.status_code == 200
    data = {"email": email, "role": role, "name": name, "once": _once(page.get_data(as_text=True))}
    return client.post(expo.url("team/invite"), data=data)


def link_in(response) -> str:
    found = re.search(r'id="invitation-link"[^>]*value="([^"]+)"', response.get_data(as_text=True))
    assert found, "no invitation link on the page"
    return found.group(1).replace("http://localhost", "")


def member_ids(event) -> set[int]:
    db.session.expire_all()
    ids = db.session.execute(select(EventOrganiser.user_id).filter_by(event_id=event.id))
    found = set(ids.scalars())
    db.session.rollback()
    return found


def user(email: str) -> User:
    db.session.expire_all()
    return db.session.execute(select(User).filter_by(email=email)).scalar_one()


def actions(event) -> list[str]:
    db.session.expire_all()
    found = db.session.execute(
        select(AuditEntry.action).filter_by(event_id=event.id).order_by(AuditEntry.id)
    )
    return list(found.scalars())


def attach(account: User, event) -> None:
    db.session.add(EventOrganiser(user_id=account.id, event_id=event.id))


def test_the_team_page_lists_the_team_with_roles(app, expo, organiser):
    gate = make_account("gate@example.org", "gate", "Gate Keeper")
    attach(gate, expo.event)
    db.session.commit()
    page = organiser.get(expo.url("team")).get_data(as_text=True)
    assert "organiser@example.org" in page and "second@example.org" in page
    assert "Gate Keeper" in page and "Gate staff" in page
    assert "stranger@example.org" not in page  # an organiser of no event here


def test_a_new_gate_officer_chooses_a_password_once_and_works_at_this_events_gate_only(
    app, expo, organiser
):
    f.make_event("other-expo")
    db.session.commit()
    answer = invite(organiser, expo, "new.gate@example.org", "gate", "New Gate")
    assert answer.status_code == 200
    assert "no-store" in answer.headers["Cache-Control"]
    link = link_in(answer)
    account = user("new.gate@example.org")
    assert account.role == "gate" and account.display_name == "New Gate"
    assert not account.has_usable_password
    assert account.id in member_ids(expo.event)
    assert actions(expo.event)[-2:] == ["team.member_added", "team.invitation_made"]
    # No password opens the account before the invitation is accepted.
    anonymous = new_client(app)
    refused = anonymous.post("/login", data={"email": account.email, "password": "!"})
    assert refused.status_code == 422 and "Wrong email or password" in refused.get_data(
        as_text=True
    )

    opened = anonymous.get(link)
    assert opened.status_code == 200 and "new.gate@example.org" in opened.get_data(as_text=True)
    assert opened.headers["Referrer-Policy"] == "no-referrer"
    weak = anonymous.post(link, data={"password": "password", "confirm": "password"})
    assert weak.status_code == 422 and not user(account.email).has_usable_password
    done = anonymous.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 303 and done.headers["Location"].endswith("/login")
    assert "team.invitation_accepted" in actions(expo.event)
    # Once: the link is spent.
    assert anonymous.get(link).status_code == 404
    again = anonymous.post(link, data={"password": "another fine phrase 7", "confirm": "x"})
    assert again.status_code == 404

    gate = new_client(app, account.email, NEW_PASSWORD)
    assert gate.get(f"/e/{expo.slug}/gate/").status_code == 200
    assert gate.get("/e/other-expo/gate/").status_code == 403
    assert gate.get(expo.url("team")).status_code == 403


def test_a_new_invitation_replaces_the_link_and_an_old_or_forged_one_is_refused(
    app, expo, organiser
):
    first = link_in(invite(organiser, expo, "late@example.org", "security"))
    second = link_in(invite(organiser, expo, "late@example.org", "security"))
    anonymous = new_client(app)
    assert anonymous.get(first).status_code == 404
    assert anonymous.get(second).status_code == 200
    assert anonymous.get(second[:-3] + "abc").status_code == 404
    assert anonymous.get("/invitation/" + "x" * 400).status_code == 404


def test_an_expired_link_says_so(app, expo, organiser, monkeypatch):
    link = link_in(invite(organiser, expo, "slow@example.org", "gate"))
    monkeypatch.setitem(app.config, "EXPO_INVITATION_LIFETIME", timedelta(seconds=-1))
    answer = new_client(app).get(link)
    assert answer.status_code == 410 and "expired" in answer.get_data(as_text=True)


def test_an_existing_security_officer_joins_without_a_link(app, expo, organiser):
    other = f.make_event("other-expo")
    officer = make_account("officer@example.org", "security")
    attach(officer, other)
    db.session.commit()
    answer = invite(organiser, expo, "Officer@Example.org", "security")
    assert answer.status_code == 303
    assert officer.id in member_ids(expo.event) and officer.id in member_ids(other)
    assert "officer@example.org is now in the team." in organiser.get(
        answer.headers["Location"]
    ).get_data(as_text=True)
    signed_in = new_client(app, "officer@example.org")
    assert signed_in.get(f"/e/{expo.slug}/security/").status_code == 200


def test_a_delegates_address_is_refused_next_to_the_field(app, expo, organiser):
    make_account("delegate@example.org", "delegate")
    db.session.commit()
    organiser.get(expo.url("team"))
    before = snapshot()
    answer = invite(organiser, expo, "delegate@example.org", "gate")
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert re.search(r'id="email-error">[^<]*cannot join an event&#39;s team', page)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("email", "role", "field", "message"),
    [
        ("not an address", "gate", "email", "valid email"),
        ("a@b", "gate", "email", "valid email"),
        ("x" * 250 + "@example.org", "gate", "email", "254"),
        ("someone@example.org", "admin", "role", "Not a valid choice"),
        ("someone@example.org", "", "role", ""),
        ("exhibitor@example.org", "gate", "email", "cannot join"),
        ("stranger@example.org", "gate", "role", "another role"),
        ("second@example.org", "organiser", "email", "in the team already"),
    ],
)
def test_a_refused_invitation_leaves_the_database_unchanged(
    app, expo, organiser, email, role, field, message
):
    page = organiser.get(expo.url("team")).get_data(as_text=True)
    before = snapshot()
    answer = organiser.post(
        expo.url("team/invite"), data={"email": email, "role": role, "once": _once(page)}
    )
    assert answer.status_code == 422
    error = re.search(rf'id="{field}-error">([^<]*)<', answer.get_data(as_text=True))
    assert error and message in error.group(1)
    assert snapshot() == before


def test_a_removed_member_is_refused_at_their_next_request(app, expo, organiser, second_organiser):
    gate = make_account("gate@example.org", "gate")
    attach(gate, expo.event)
    db.session.commit()
    at_the_gate = new_client(app, "gate@example.org")
    assert at_the_gate.get(f"/e/{expo.slug}/gate/").status_code == 200
    assert second_organiser.get(expo.url("")).status_code == 200
    for account in (gate, user("second@example.org")):
        answer = organiser.post(expo.url("team/remove"), data={"member": str(account.id)})
        assert answer.status_code == 303
    # The same sessions as before the removal: refused from their next request on.
    assert at_the_gate.get(f"/e/{expo.slug}/gate/").status_code == 403
    assert second_organiser.get(expo.url("")).status_code == 403
    assert member_ids(expo.event) == {user("organiser@example.org").id}
    assert actions(expo.event)[-2:] == ["team.member_removed", "team.member_removed"]


def test_the_last_organiser_cannot_remove_themself(app, expo, organiser, second_organiser):
    me = user("organiser@example.org")
    second = user("second@example.org")
    assert (
        organiser.post(expo.url("team/remove"), data={"member": str(second.id)}).status_code == 303
    )
    before = snapshot()
    answer = organiser.post(expo.url("team/remove"), data={"member": str(me.id)})
    assert answer.status_code == 422
    assert "You are the last organiser of this event" in answer.get_data(as_text=True)
    assert snapshot() == before
    assert organiser.get(expo.url("")).status_code == 200


def test_an_organiser_who_is_not_the_last_may_leave(app, expo, organiser, second_organiser):
    me = user("organiser@example.org")
    answer = organiser.post(expo.url("team/remove"), data={"member": str(me.id)})
    assert answer.status_code == 303 and answer.headers["Location"].endswith(f"/e/{expo.slug}/")
    assert organiser.get(expo.url("")).status_code == 403


def test_removing_someone_outside_the_team_is_refused_and_changes_nothing(app, expo, organiser):
    other = f.make_event("other-expo")
    elsewhere = make_account("gate-b@example.org", "gate")
    attach(elsewhere, other)
    db.session.commit()
    stranger = user("stranger@example.org")
    before = snapshot()
    for member in (str(elsewhere.id), str(stranger.id), "999999", "-1", "9" * 40, "abc", ""):
        answer = organiser.post(expo.url("team/remove"), data={"member": member})
        assert answer.status_code == 422, member
        assert "not in this event" in answer.get_data(as_text=True)
    assert organiser.post(expo.url("team/remove"), data={}).status_code == 422
    assert snapshot() == before


def test_removing_an_invitee_from_their_only_team_ends_their_link(app, expo, organiser):
    link = link_in(invite(organiser, expo, "changed.mind@example.org", "gate"))
    invitee = user("changed.mind@example.org")
    organiser.post(expo.url("team/remove"), data={"member": str(invitee.id)})
    assert new_client(app).get(link).status_code == 404


def test_the_shell_attaches_team_accounts_by_the_same_rule(app, expo):
    slug, event_id = expo.slug, expo.event.id
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-user", "--email", "chief.gate@example.org", "--role", "gate"]
        + ["--event", slug, "--password-stdin"],
        input=f"{NEW_PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    db.session.remove()
    event = db.session.get(Event, event_id)
    assert member_ids(event) == {
        user(email).id for email in ("organiser@example.org", "second@example.org")
    } | {user("chief.gate@example.org").id}
    assert actions(event)[-1] == "team.member_added"


@pytest.mark.html_checker
def test_the_team_pages_are_valid_html(app, expo, organiser, nu_html_checker):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the same pages on PostgreSQL")
    me = user("organiser@example.org")
    documents = {}
    for lang in ("en", "fr"):
        organiser.post(f"/language/{lang}", data={"next": "/"})
        made = invite(organiser, expo, f"{lang}.gate@example.org", "gate", "Gate")
        link = link_in(made)
        anonymous = new_client(app)
        anonymous.post(f"/language/{lang}", data={"next": "/"})
        answers = {
            "team": organiser.get(expo.url("team")),
            "link": made,
            "refused invitation": invite(organiser, expo, "not an address", "gate"),
            "refused removal": organiser.post(expo.url("team/remove"), data={"member": "1x"}),
            "last organiser": organiser.post(
                expo.url("team/remove"), data={"member": str(me.id + 1)}
            ),
            "invitation": anonymous.get(link),
            "weak password": anonymous.post(link, data={"password": "a", "confirm": "b"}),
        }
        for name, answer in answers.items():
            assert answer.status_code in (200, 303, 422), (name, answer.status_code)
            if answer.status_code != 303:
                documents[f"{lang} {name}"] = answer.get_data(as_text=True)
    assert nu_html_checker(documents) == {}
