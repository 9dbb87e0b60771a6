"""Who a delegate acts for: themselves, and the members of the delegation they lead.

The request path's DELEGATE level builds a Portal for every delegate page; its loaders
give 404 for a meeting, request or member of anyone the delegate does not act for, so
an id of someone else's tells nothing. A member never acts for the head.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort

from expo_app.delegations.models import Delegation, Participant
from expo_app.delegations.queries import delegation_members, led_delegations
from expo_app.events.models import Event
from expo_app.matchmaking.models import Meeting, MeetingRequest, Side
from expo_app.web.rh import of_event


@dataclass
class Portal:
    """Who is looking: the event, the signed-in delegate, and the people they act for."""

    event: Event
    me: Participant
    people: list[Participant]
    led: Delegation | None = None

    @classmethod
    def of(cls, event: Event, me: Participant) -> Portal:
        led = led_delegations(me)
        return cls(event, me, delegation_members(me, led), led[0] if led else None)

    @property
    def is_head(self) -> bool:
        return self.led is not None or len(self.people) > 1

    @property
    def ids(self) -> list[int]:
        return [person.id for person in self.people]

    @property
    def delegation(self) -> Delegation | None:
        """The delegation shown on the dashboard: the one led, else the one belonged to."""
        return self.led or self.me.delegation

    def led_delegation(self) -> Delegation:
        """The delegation this delegate heads; 404 for anyone else (members add no one)."""
        if self.led is None:
            abort(404)
        return self.led

    def person(self, ref: str | None) -> Participant:
        """One of the people this delegate acts for (themselves by default), else 404."""
        if not ref:
            return self.me
        for person in self.people:
            if person.ref == ref:
                return person
        abort(404)

    def meeting(self, meeting_id: int) -> Meeting:
        meeting = of_event(Meeting, meeting_id, self.event)
        if meeting.delegate_id not in self.ids:
            abort(404)
        return meeting

    def meeting_request(
        self, request_id: int, *, exhibitor_id: int | None = None
    ) -> MeetingRequest:
        """A request of the people acted for (with this exhibitor, when given), else 404."""
        found = of_event(MeetingRequest, request_id, self.event)
        if found.delegate_id not in self.ids:
            abort(404)
        if exhibitor_id is not None and found.exhibitor_id != exhibitor_id:
            abort(404)
        return found

    def invitation(self, request_id: int) -> MeetingRequest:
        """A request an exhibitor sent to one of the people acted for, else 404: a
        delegate's own request is withdrawn, never answered."""
        found = self.meeting_request(request_id)
        if found.invited_side != Side.DELEGATE:
            abort(404)
        return found
