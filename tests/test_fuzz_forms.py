"""Every form each actor can reach, fuzzed field by field: 0 server errors, and the
database exactly as it was after every refused submission.

The forms are not listed by hand: each actor opens every page of the app (every GET
route, with event A's objects in its URL, as in the access matrix) and every form found
there is submitted once per field and per kind of bad value, the other fields keeping
what the page offers (or a plausible value), so that the bad value reaches as deep as
the form lets it. Hidden fields (versions, ids, once-tokens) are fuzzed too: an attacker
sends what they like. A refusal is a 4xx answer or a page with a field marked invalid.
After an accepted submission the world is built afresh.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from flask import Flask, got_request_exception
from werkzeug.datastructures import MultiDict

from expo_app import create_app
from tests.conftest import empty_database
from tests.kit.accounts import PASSWORD, OwnClient
from tests.kit.world import (
    ANON,
    DEL1,
    EMAILS,
    EX1,
    GATE_A,
    ORG_A,
    World,
    build_world,
    csrf_token,
    snapshot,
)

BAD_VALUES = {
    "long": "Bamako Expo " * 1000,
    "empty": "",
    "nul": "Bama\x00ko",
    "control": "Ba\x01ma\x1bko\x7f\x85\u2028",
    "right-to-left": "\u202bمعرض باماكو للدفاع\u202c \u200fשלום",
    "huge number": "9" * 5000,
    "negative number": "-2147483649",
    "broken address": "http://[",
    "wrong type": None,  # chosen by the field's type, below
}
WRONG_TYPE = {
    "number": "twelve",
    "date": "2025-13-45",
    "time": "25:61",
    "email": "not an email",
    "select": "no-such-choice",
    "checkbox": "maybe",
    "radio": "no-such-choice",
}
# What an attacker puts in hidden fields (versions, ids, tokens, `next`).
HIDDEN_KINDS = ("empty", "nul", "huge number", "negative number", "wrong type", "broken address")
# Answers that are not pages: nothing to fill in there.
NOT_HTML = ("application/pdf", "text/calendar", "application/json", "image/", "text/csv")
# Forms that end the actor's own session: fuzzing them signs the fuzzer out.
SKIPPED_ACTIONS = ("/logout",)


@dataclass
class Field:
    name: str
    kind: str  # the input type, "select" or "textarea"
    value: str | None  # what the page offers (None: nothing chosen)
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    action: str
    fields: list[Field]
    button: tuple[str, str] | None  # the named submit button pressed, if any
    multipart: bool

    @property
    def key(self) -> tuple:
        """Forms that differ only by the row they act on (a button per row) are one."""
        action = re.sub(r"/\d+(?=/|$)", "/N", urlsplit(self.action).path)
        button = self.button and (self.button[0], re.sub(r"\d+", "N", self.button[1]))
        return (action, tuple(sorted(f.name for f in self.fields)), button)


class FormFinder(HTMLParser):
    """The POST forms of a page, one per named submit button."""

    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._open: dict | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self._open = {
                    "action": urljoin(self.page_url, a.get("action") or self.page_url),
                    "fields": [],
                    "buttons": [],
                    "multipart": "multipart" in a.get("enctype", ""),
                }
            return
        if self._open is None or "form" in a:
            return
        fields, name = self._open["fields"], a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image"):
                self._open["buttons"].append((name, a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                checked = "checked" in a
                same = next((f for f in fields if f.name == name), None)
                if same is None:
                    same = Field(name, kind, None)
                    fields.append(same)
                same.options.append(a.get("value", "on"))
                if checked or (kind == "radio" and same.value is None):
                    same.value = a.get("value", "on")
            else:
                fields.append(Field(name, kind, a.get("value", "")))
        elif tag == "button" and a.get("type", "submit") == "submit" and name:
            self._open["buttons"].append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select = Field(name, "select", None)
            fields.append(self._select)
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select.options.append(value)
            if "selected" in a or (self._select.value is None and value):
                self._select.value = value
        elif tag == "textarea" and name:
            self._textarea = Field(name, "textarea", "")
            fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._open is not None:
            opened, self._open = self._open, None
            buttons = opened["buttons"] or [None]
            for button in buttons:
                self.forms.append(
                    Form(opened["action"], list(opened["fields"]), button, opened["multipart"])
                )


def forms_on(page_url: str, html: str) -> list[Form]:
    finder = FormFinder(page_url)
    finder.feed(html)
    return finder.forms


def plausible(f: Field) -> str | None:
    """What a careful person would type where the page offers nothing."""
    if f.value not in (None, ""):
        return f.value
    return {
        "email": "fuzz.person@example.org",
        "password": PASSWORD,
        "date": "2025-11-11",
        "time": "10:00",
        "datetime-local": "2025-11-11T10:00",
        "number": "1",
        "tel": "+223 20 22 00 00",
        "url": "https://example.org",
        "file": None,
        "select": next((o for o in f.options if o), None),
        "checkbox": None,
        "hidden": f.value,
    }.get(f.kind, "Fuzz")


def submission(form: Form, target: str | None, bad: str | None, kind: str):
    """The form's fields as the page offers them, `target` set to the bad value."""
    data: list[tuple[str, object]] = []
    for f in form.fields:
        if f.name == target:
            if f.kind == "file":
                data.append((f.name, (io.BytesIO(b"not an image at all"), "logo.png")))
            else:
                data.append((f.name, WRONG_TYPE.get(f.kind, "12") if bad is None else bad))
            continue
        value = plausible(f)
        if value is not None:
            data.append((f.name, value))
    if form.button:
        data.append(form.button)
    return data


def fuzz_cases(form: Form):
    """(field, kind, value) for every field but the CSRF token and every bad value."""
    for f in form.fields:
        if f.name == "csrf_token":
            continue
        for kind, bad in BAD_VALUES.items():
            if f.kind == "file" and kind != "wrong type":
                continue
            if f.kind == "hidden" and kind not in HIDDEN_KINDS:
                continue
            yield f.name, kind, bad


def page_routes(app: Flask, world: World) -> list[str]:
    """Every GET page of the app, with event A's objects in the URL."""
    urls = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or "GET" not in (rule.methods or ()):
            continue
        urls.add(world.url(rule.endpoint, rule.rule))
    return sorted(urls)


class Fuzzer:
    """One actor's view of the app: its pages, its forms, and a world to rebuild."""

    def __init__(self, app: Flask, served: Flask, actor: str) -> None:
        self.app, self.served, self.actor = app, served, actor
        self.client: OwnClient
        self.crashes: list[str] = []
        got_request_exception.connect(self._crashed, served)
        self.rebuild()

    def _crashed(self, _sender, exception, **_extra) -> None:
        self.crashes.append(f"{exception.__class__.__name__}: {str(exception)[:120]}")

    def rebuild(self) -> None:
        empty_database(self.app)
        with self.app.app_context():
            self.world = build_world()
        self.sign_in()
        self.initial = self._snapshot()

    def sign_in(self) -> None:
        self.cache: dict[tuple, Form | None] = {}
        self.client = OwnClient(self.served, self.served.response_class, use_cookies=True)
        if self.actor != ANON:
            token = csrf_token(self.client)
            answer = self.client.post(
                "/login",
                data={"email": EMAILS[self.actor], "password": PASSWORD, "csrf_token": token},
            )
            assert answer.status_code == 302, (self.actor, answer.status_code)

    def page(self, url: str):
        """The page, signing in again if a fuzzed form ended the session."""
        response = self.client.get(url)
        if response.status_code in (302, 303) and "/login" in response.headers["Location"]:
            self.sign_in()
            response = self.client.get(url)
        return response

    def forms(self) -> dict[tuple, tuple[str, Form]]:
        """Every distinct form of every page this actor may open, with its page."""
        found: dict[tuple, tuple[str, Form]] = {}
        for url in page_routes(self.served, self.world):
            response = self.client.get(url)
            kind = response.headers.get("Content-Type", "")
            body = response.get_data(as_text=not kind.startswith(NOT_HTML))
            response.close()
            if response.status_code != 200 or kind.startswith(NOT_HTML):
                continue
            for form in forms_on("http://localhost" + url, body):
                if urlsplit(form.action).path.endswith(SKIPPED_ACTIONS):
                    continue
                found.setdefault(form.key, (url, form))
        return found

    def fresh(self, url: str, key: tuple) -> Form | None:
        """The same form as the page offers it now (its CSRF and once-tokens hold until
        the world is rebuilt or the actor signs in again: a refusal consumes nothing)."""
        if (url, key) in self.cache:
            return self.cache[(url, key)]
        response = self.page(url)
        body = response.get_data(as_text=True)
        response.close()
        form = next((f for f in forms_on("http://localhost" + url, body) if f.key == key), None)
        self.cache[(url, key)] = form
        return form

    def submit(self, url: str, key: tuple, target: str, kind: str, bad) -> str | None:
        """One fuzzed submission; a problem as text, or None."""
        form = self.fresh(url, key)
        if form is None:  # an accepted submission took it away: start again
            self.rebuild()
            form = self.fresh(url, key)
        if form is None:
            return None
        action = urlsplit(form.action)
        path = action.path + (f"?{action.query}" if action.query else "")
        before = self.initial  # every change is undone by a rebuild, below
        response = self.client.post(
            path,
            data=MultiDict(submission(form, target, bad, kind)),
            content_type="multipart/form-data" if form.multipart else None,
        )
        status, body = response.status_code, response.get_data()
        response.close()
        where = f"{self.actor}: POST {path} {target}={kind!r}"
        if status >= 500:
            return f"{where} -> {status} {self.crashes[-1] if self.crashes else ''}"
        refused = status >= 400 or b'aria-invalid="true"' in body or b'class="error"' in body
        after = self._snapshot()
        if refused and after != before:
            changed = [t for t in after if after[t] != before[t]]
            return f"{where} was refused ({status}) but changed {changed}"
        if after != self.initial:
            self.rebuild()
        return None

    def _snapshot(self):
        """Every row, but the sign-in records: when a session was last seen is the
        session's bookkeeping, not what a submission wrote."""
        with self.app.app_context():
            rows = snapshot()
        rows.pop("sign_ins", None)
        return rows


@pytest.fixture
def served(app) -> Flask:
    """The test database behind an app with CSRF on (as in production) and throttles
    wide open: the fuzzer signs in again and again from one address."""
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": app.config["SECRET_KEY"],
            "EXPO_SIGN_IN_LIMIT": "100000 per minute",
            "EXPO_SIGN_IN_ADDRESS_LIMIT": "100000 per minute",
            "EXPO_REGISTRATION_LIMIT": "100000 per minute",
            # A crash is an answer to count, with its exception, not a stop.
            "PROPAGATE_EXCEPTIONS": False,
        }
    )


@pytest.mark.parametrize("actor", [ANON, ORG_A, EX1, DEL1, GATE_A])
def test_no_form_gives_a_server_error_or_a_half_written_change(app, served, actor):
    fuzzer = Fuzzer(app, served, actor)
    forms = fuzzer.forms()
    assert forms, f"{actor} reaches no form at all"
    problems, tried = [], 0
    for key, (url, form) in sorted(forms.items()):
        for target, kind, bad in fuzz_cases(form):
            tried += 1
            problem = fuzzer.submit(url, key, target, kind, bad)
            if problem:
                problems.append(problem)
    print(f"{actor}: {len(forms)} forms, {tried} submissions")
    assert not problems, f"{len(problems)} of {tried} submissions:\n" + "\n".join(problems)
