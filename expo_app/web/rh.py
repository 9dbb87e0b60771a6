"""The one path every event page takes, in the shape of Indico's RH.

    resolve the event  ->  ask the access level  ->  run the view  ->  commit once
                                                                  \\-> roll back on any error

A view decorated with `event_page(level)` gets the event (and the level's actor: the
exhibitor, or the delegate's portal) and returns a response. Services only flush; this
path commits a POST that succeeded (a response under 400) and rolls back everything
else, so a GET can never write and a refusal never leaves half a change. A `DomainError`
no view handled becomes a message page with its status (never a 500). `of_event` loads
an object of this event or gives 404, so an id of another event tells nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, flash, g, make_response, redirect, request
from sqlalchemy import select

from expo_app.errors import DomainError, error_page
from expo_app.events.models import Event
from expo_app.extensions import db, login_manager
from expo_app.web.access import Access, GoFirst, NotThere, NotYours, SignInFirst

T = TypeVar("T")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def event_or_404(slug: str) -> Event:
    event = db.session.execute(select(Event).filter_by(slug=slug)).scalar_one_or_none()
    if event is None:
        abort(404)
    return event


def of_event(model: type[T], object_id: Any, event: Event | None = None, **where: Any) -> T:
    """The `model` row with this id at this event (and matching `where`), else 404."""
    event = event if event is not None else g.event
    found = db.session.get(model, object_id) if object_id is not None else None
    if found is None or getattr(found, "event_id", None) != event.id:
        abort(404)
    for name, value in where.items():
        if getattr(found, name) != value:
            abort(404)
    return found


def in_transaction(view: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run a view as one unit of work: commit a write that succeeded, else roll back."""
    try:
        response = view(*args, **kwargs)
    except DomainError as error:
        db.session.rollback()
        return error_page(str(error), error.status)
    except BaseException:
        db.session.rollback()
        raise
    response = make_response(response)
    if request.method in SAFE_METHODS or response.status_code >= 400:
        db.session.rollback()  # reads never write; a refused form leaves nothing behind
        return response
    try:
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return response


def page(view: Callable[..., Any]) -> Callable[..., Any]:
    """The transaction half of the path, for the few pages outside an event (sign-in)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        return in_transaction(view, *args, **kwargs)

    return wrapped


def event_page(level: Access) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a view of /e/<slug>/...: it receives (event, [actor], **url values)."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(slug: str, **kwargs: Any) -> Any:
            event = event_or_404(slug)
            g.event = event
            from flask_login import current_user

            try:
                actor = level(current_user, event)
            except SignInFirst:
                return login_manager.unauthorized()
            except NotYours:
                abort(403)
            except NotThere:
                abort(404)
            except GoFirst as step:
                if step.message:
                    flash(str(step.message), step.category)
                return redirect(step.url(event))
            g.actor = actor
            args = (event, actor) if level.passes_actor else (event,)
            return in_transaction(view, *args, **kwargs)

        wrapped.access = level  # read by the route table and the access tests
        return wrapped

    return decorator
