"""Access zones and badge categories: which restricted locations a person's badge admits
to, and which category (colour band) it carries, given to one person, to a whole
delegation, or by standing rule, and withdrawn the same ways.

Every change goes through `_change_zones`: it is audited with the zone names before and
after, and an accredited holder's badge is reissued, so the old code (which names the
old zones) is refused at the gates. Refusals are `ZoneError`s raised before anything is
written. Services only flush: the request path (or the CLI command) commits once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from expo_app.audit.services import record, snapshot
from expo_app.badges.services import gets_badge, reissue, revoke_printed_codes
from expo_app.delegations.models import (
    CATEGORY_ROLES,
    DELEGATION_KINDS,
    MEETING_ROLES,
    PARTICIPANT_ROLES,
    Accreditation,
    Delegation,
    DelegationKind,
    Participant,
    ParticipantRole,
    ParticipantZone,
    ZoneRule,
)
from expo_app.errors import DomainError
from expo_app.events.models import Event, Location
from expo_app.extensions import db
from expo_app.matchmaking.models import Meeting, MeetingRequest

TABLE_PAGE_SIZE = 100


class ZoneError(DomainError):
    """A zone change that cannot be made; `field` names the form field it concerns."""

    status = 422


# --------------------------------------------------------------------------- checks


def restricted_locations(event: Event) -> list[Location]:
    """The event's zones: the locations whose gate checks the badge, by name."""
    return list(
        db.session.execute(
            select(Location)
            .where(Location.event_id == event.id, Location.restricted.is_(True))
            .order_by(func.lower(Location.name), Location.id)
        ).scalars()
    )


def zone_of(event: Event, location_id: int | None, field: str = "location") -> Location:
    """The restricted location of this event with this id, else a ZoneError that says why.
    Another event's location reads as unknown: an id tells nothing about other events."""
    if location_id is None:
        raise ZoneError(_l("Choose a zone."), field=field)
    location = db.session.get(Location, location_id)
    if location is None or location.event_id != event.id:
        raise ZoneError(_l("There is no such location at this event."), field=field)
    if not location.restricted:
        raise ZoneError(
            _l(
                "%(name)s is not a restricted location: every badge admits there.",
                name=location.name,
            ),
            field=field,
        )
    return location


def _person_of(event: Event, participant: Participant) -> Participant:
    if participant.event_id != event.id:
        raise ZoneError(_l("This person is not a participant of this event."), field="person")
    return participant


def delegation_of(event: Event, delegation_id: int | None) -> Delegation:
    if delegation_id is None:
        raise ZoneError(_l("Choose a delegation."), field="delegation")
    delegation = db.session.get(Delegation, delegation_id)
    if delegation is None or delegation.event_id != event.id:
        raise ZoneError(_l("There is no such delegation at this event."), field="delegation")
    return delegation


# --------------------------------------------------------------------------- changes


def zone_names(participant: Participant) -> list[str]:
    return [zone.location.name for zone in participant.zones]


def _change_zones(participant: Participant, wanted: Sequence[Location]) -> bool:
    """Give this person exactly the `wanted` zones (kept in their order, new ones last).
    Returns whether anything changed; a change is audited and reissues the badge."""
    wanted_ids = {location.id for location in wanted}
    held = {zone.location_id: zone for zone in participant.zones}
    if wanted_ids == set(held):
        return False
    before = zone_names(participant)
    kept = [zone for zone in participant.zones if zone.location_id in wanted_ids]
    withdrawn = len(kept) < len(held)
    position = max((zone.position for zone in kept), default=-1)
    for location in wanted:
        if location.id not in held and location.id not in {zone.location_id for zone in kept}:
            position += 1
            kept.append(
                ParticipantZone(location_id=location.id, location=location, position=position)
            )
    participant.zones = kept
    db.session.flush()
    record(
        "participant.zones",
        participant,
        before={"zones": before},
        after={"zones": zone_names(participant)},
    )
    if gets_badge(participant):
        reissue(participant)
    elif withdrawn:
        revoke_printed_codes(participant)  # a badge printed before a refusal
    return True


def set_zones(event: Event, participant: Participant, location_ids: Iterable[int]) -> bool:
    """One person's zones, exactly as the organiser ticked them. Returns whether they changed."""
    person = _person_of(event, participant)
    wanted: dict[int, Location] = {}
    for location_id in location_ids:
        wanted.setdefault(location_id, zone_of(event, location_id, field="zones"))
    return _change_zones(person, list(wanted.values()))


def grant(event: Event, people: Iterable[Participant], location: Location) -> list[Participant]:
    """Add a zone to each of these people; returns those who did not hold it yet."""
    changed = []
    for person in people:
        _person_of(event, person)
        current = [zone.location for zone in person.zones]
        if _change_zones(person, [*current, location]):
            changed.append(person)
    return changed


def withdraw(event: Event, people: Iterable[Participant], location: Location) -> list[Participant]:
    """Take a zone from each of these people; returns those who held it."""
    changed = []
    for person in people:
        _person_of(event, person)
        kept = [zone.location for zone in person.zones if zone.location_id != location.id]
        if _change_zones(person, kept):
            changed.append(person)
    return changed


def _members(delegation: Delegation) -> list[Participant]:
    return list(
        db.session.execute(
            select(Participant)
            .where(Participant.delegation_id == delegation.id)
            .options(selectinload(Participant.zones).joinedload(ParticipantZone.location))
            .order_by(Participant.id)
        ).scalars()
    )


def change_delegation_zone(
    event: Event, delegation_id: int | None, location_id: int | None, *, give: bool
) -> tuple[Delegation, Location, list[Participant]]:
    """Every member of a delegation gets (or loses) a zone, whatever their accreditation:
    a pending member's badge, once approved, names it. Returns who changed."""
    location = zone_of(event, location_id)
    delegation = delegation_of(event, delegation_id)
    members = _members(delegation)
    changed = (grant if give else withdraw)(event, members, location)
    return delegation, location, changed


# --------------------------------------------------------------------------- categories


def category_choice(role: str | None, field: str = "category") -> str:
    if role not in CATEGORY_ROLES:
        raise ZoneError(_l("Choose a badge category from the list."), field=field)
    return role


def _check_category(participant: Participant, role: str) -> None:
    """Refuse, before anything is written, a category this person cannot take."""
    if participant.role == role:
        return
    if participant.role not in CATEGORY_ROLES:
        raise ZoneError(
            _l(
                "%(name)s is %(role)s: that badge category follows from it.",
                name=participant.name,
                role=ParticipantRole.label_of(participant.role),
            ),
            field="category",
        )
    if role not in MEETING_ROLES and _has_meetings(participant):
        raise ZoneError(
            _l(
                "%(name)s has business meetings or requests, which only delegates and VIPs"
                " have: cancel them first.",
                name=participant.name,
            ),
            field="category",
        )


def _has_meetings(participant: Participant) -> bool:
    meeting = select(Meeting.id).where(Meeting.delegate_id == participant.id).limit(1)
    request = select(MeetingRequest.id).where(MeetingRequest.delegate_id == participant.id)
    return bool(db.session.execute(meeting).first() or db.session.execute(request.limit(1)).first())


def _change_category(participant: Participant, role: str) -> bool:
    """Give this person the badge category; audited, and an accredited holder's badge is
    reissued (the band printed on it changes). Returns whether it changed."""
    if participant.role == role:
        return False
    before = participant.role
    participant.role = role
    db.session.flush()
    record("participant.category", participant, before={"role": before}, after={"role": role})
    if gets_badge(participant):
        reissue(participant)
    return True


def set_category(event: Event, participant: Participant, role: str | None) -> bool:
    """One person's badge category (delegate, VIP, press). Returns whether it changed."""
    person = _person_of(event, participant)
    role = category_choice(role)
    _check_category(person, role)
    return _change_category(person, role)


def change_delegation_category(
    event: Event, delegation_id: int | None, role: str | None
) -> tuple[Delegation, list[Participant]]:
    """Every member of a delegation gets the category, all or none: one member who
    cannot take it (meetings, or exhibitor staff) refuses the lot, before any change."""
    role = category_choice(role)
    delegation = delegation_of(event, delegation_id)
    members = _members(delegation)
    for member in members:
        _check_category(member, role)
    return delegation, [member for member in members if _change_category(member, role)]


# --------------------------------------------------------------------------- rules


def add_rule(
    event: Event,
    location_id: int | None,
    *,
    delegation_kind: str | None = None,
    role: str | None = None,
    category: str | None = None,
) -> tuple[ZoneRule, list[Participant]]:
    """Store a rule and give its zone and/or category to every approved person it
    matches now. Returns the rule and the people who gained something."""
    category = category or None
    if location_id is None and category is None:
        raise ZoneError(_l("Choose a zone, a badge category, or both."), field="location")
    location = zone_of(event, location_id) if location_id is not None else None
    if category is not None:
        category_choice(category)
    delegation_kind, role = delegation_kind or None, role or None
    if delegation_kind is not None and delegation_kind not in DELEGATION_KINDS:
        raise ZoneError(_l("Choose a kind of delegation from the list."), field="delegation_kind")
    if role is not None and role not in PARTICIPANT_ROLES:
        raise ZoneError(_l("Choose a role from the list."), field="role")
    if delegation_kind is None and role is None:
        raise ZoneError(
            _l("Say who gets the zone: a kind of delegation, a role, or both."),
            field="delegation_kind",
        )
    location_id = location.id if location is not None else None
    same = db.session.execute(
        select(ZoneRule.id).filter_by(
            event_id=event.id,
            location_id=location_id,
            category=category,
            delegation_kind=delegation_kind,
            role=role,
        )
    ).first()
    if same is not None:
        raise ZoneError(_l("This rule exists already."), field="location")
    matching = _approved_matching(event, delegation_kind, role)
    if category is not None:
        for person in matching:
            _check_category(person, category)
    rule = ZoneRule(
        event_id=event.id,
        location_id=location_id,
        category=category,
        delegation_kind=delegation_kind,
        role=role,
    )
    rule.location = location
    db.session.add(rule)
    db.session.flush()
    record("zone_rule.added", rule, after=snapshot(rule, _RULE_FIELDS))
    changed = []
    for person in matching:
        gained = category is not None and _change_category(person, category)
        if location is not None:
            current = [zone.location for zone in person.zones]
            gained = _change_zones(person, [*current, location]) or gained
        if gained:
            changed.append(person)
    return rule, changed


_RULE_FIELDS = ["location_id", "category", "delegation_kind", "role"]


def _approved_matching(
    event: Event, delegation_kind: str | None, role: str | None
) -> list[Participant]:
    statement = (
        select(Participant)
        .where(
            Participant.event_id == event.id,
            Participant.accreditation == Accreditation.APPROVED.value,
        )
        .options(selectinload(Participant.zones).joinedload(ParticipantZone.location))
        .order_by(Participant.id)
    )
    if delegation_kind is not None:
        statement = statement.join(Delegation, Delegation.id == Participant.delegation_id).where(
            Delegation.kind == delegation_kind
        )
    if role is not None:
        statement = statement.where(Participant.role == role)
    return list(db.session.execute(statement).scalars())


def delete_rule(event: Event, rule_id: int | None) -> ZoneRule:
    """Stop a rule for people approved from now on; the zones it gave stay."""
    rule = db.session.get(ZoneRule, rule_id) if rule_id is not None else None
    if rule is None or rule.event_id != event.id:
        raise ZoneError(_l("This rule does not exist (any more)."), field="rule")
    record("zone_rule.deleted", rule, before=snapshot(rule, _RULE_FIELDS))
    db.session.delete(rule)
    db.session.flush()
    return rule


def rule_gives(rule: ZoneRule) -> str:
    """What a rule gives, in words: its zone, its category, or both."""
    parts = []
    if rule.location is not None:
        parts.append(rule.location.name)
    if rule.category is not None:
        parts.append(
            str(_l("the %(category)s badge", category=ParticipantRole.label_of(rule.category)))
        )
    return " + ".join(parts)


def rule_description(rule: ZoneRule) -> str:
    """The whole rule in words: what it gives, and to whom."""
    gives = rule_gives(rule)
    kind = DelegationKind.label_of(rule.delegation_kind) if rule.delegation_kind else None
    role = ParticipantRole.label_of(rule.role) if rule.role else None
    if kind and role:
        text = _l(
            "%(zone)s for people with the role %(role)s in delegations of the kind %(kind)s",
            zone=gives,
            role=role,
            kind=kind,
        )
    elif kind:
        text = _l("%(zone)s for members of delegations of the kind %(kind)s", zone=gives, kind=kind)
    else:
        text = _l("%(zone)s for everyone with the role %(role)s", zone=gives, role=role)
    return str(text)


def rules(event: Event) -> list[ZoneRule]:
    return list(
        db.session.execute(
            select(ZoneRule)
            .where(ZoneRule.event_id == event.id)
            .options(joinedload(ZoneRule.location))
            .order_by(ZoneRule.id)
        ).scalars()
    )


def grant_by_rules(participant: Participant) -> list[Location]:
    """The zones and category the event's rules give a person on approval (none unless
    approved). Calling it again changes nothing. Returns the zones they gained. A rule's
    category that the person cannot take (they have meetings) is left out, not refused:
    approving someone never fails because of a rule."""
    if participant.accreditation != Accreditation.APPROVED:
        return []
    matching = [rule for rule in rules(participant.event) if rule.matches(participant)]
    for rule in matching:
        if rule.category is not None:
            try:
                _check_category(participant, rule.category)
            except ZoneError:
                continue
            _change_category(participant, rule.category)
            break
    held = set(participant.zone_location_ids)
    gained = [
        rule.location
        for rule in matching
        if rule.location is not None and rule.location.restricted and rule.location_id not in held
    ]
    unique = list({location.id: location for location in gained}.values())
    if unique:
        _change_zones(participant, [zone.location for zone in participant.zones] + unique)
    return unique


# --------------------------------------------------------------------------- at a glance


@dataclass
class ZoneRow:
    person: Participant
    zone_ids: frozenset[int]


@dataclass
class ZoneTable:
    """Restricted locations across, people down: who holds which zone."""

    locations: list[Location]
    holders: dict[int, int]  # location id -> people holding it (within the filter)
    rows: list[ZoneRow]
    total: int
    page: int
    pages: int
    delegations: list[tuple[int, str]]


def zone_table(event: Event, *, delegation_id: int | None = None, page: int = 1) -> ZoneTable:
    """One page of people with their zones: those holding any, or with a delegation chosen,
    all its members (so that who lacks a zone shows too). Queries do not grow with the data."""
    statement = (
        select(Participant)
        .where(Participant.event_id == event.id)
        .options(selectinload(Participant.zones), joinedload(Participant.delegation))
        .order_by(func.lower(Participant.name), Participant.id)
    )
    counted = (
        select(ParticipantZone.location_id, func.count())
        .join(Participant, Participant.id == ParticipantZone.participant_id)
        .where(Participant.event_id == event.id)
        .group_by(ParticipantZone.location_id)
    )
    if delegation_id:
        statement = statement.where(Participant.delegation_id == delegation_id)
        counted = counted.where(Participant.delegation_id == delegation_id)
    else:
        statement = statement.where(
            Participant.id.in_(select(ParticipantZone.participant_id).distinct())
        )
    result = db.paginate(
        statement, page=max(page, 1), per_page=TABLE_PAGE_SIZE, error_out=False, count=True
    )
    return ZoneTable(
        locations=restricted_locations(event),
        holders={location_id: count for location_id, count in db.session.execute(counted)},
        rows=[ZoneRow(person, frozenset(person.zone_location_ids)) for person in result.items],
        total=result.total or 0,
        page=result.page,
        pages=result.pages,
        delegations=delegation_choices(event),
    )


def delegation_choices(event: Event) -> list[tuple[int, str]]:
    """(id, name) of the event's delegations, by name: for filters and choices."""
    rows = db.session.execute(
        select(Delegation.id, Delegation.name)
        .where(Delegation.event_id == event.id)
        .order_by(func.lower(Delegation.name), Delegation.id)
    ).all()
    return [(row[0], row[1]) for row in rows]
