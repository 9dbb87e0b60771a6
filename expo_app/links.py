"""The one rule for a website address, wherever one comes in and wherever one is linked.

A website reaches the database from the exhibitor forms, the event setup, the
organiser's CSV import and the expo-event/1 importer; it leaves as an `href` on
public pages and as a link in the programme PDF. `web_address` is the rule for the
way in, `linkable` the same rule for the way out, so a row written before the rule
(or straight into the database) is shown as text, never as a link that runs script.

Only http and https addresses with a real host name pass: no `javascript:`,
`data:`, `ftp:` or whatever a browser might run or hand to another program. A
browser ignores tabs and line breaks inside a URL and acts on `\\` like `/`, and
`https://bank.example@evil.example` goes to evil.example: none of them passes either.
An address typed without a scheme ("baykartech.com", "www.baykartech.com/en") is
completed to https://, as the exhibitor forms always did; one with another scheme is
refused, never completed.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from expo_app.errors import DomainError

MAX_LENGTH = 300  # the size of the website columns
SCHEMES = ("http", "https")

# "name:" at the start: a scheme, unless what follows the colon is a port ("example.com:8080").
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_HOST_AND_PORT = re.compile(r"^[^:/?#]+:\d+(?:[/?#]|$)")


class LinkRefused(DomainError):
    """A website address the URL rule does not accept."""

    status = 400
    default_field = "website"
    default_message = _l("Enter a web address such as https://example.com.")


def web_address(text: str | None) -> str | None:
    """The address as stored: None when empty, else an http(s) URL with a host name.

    Surrounding spaces are trimmed, a missing scheme becomes https:// and the scheme is
    written in lower case; anything else is kept as typed. LinkRefused otherwise.
    """
    if text is None:
        return None
    if not isinstance(text, str):
        raise LinkRefused()
    value = text.strip()
    if not value:
        return None
    if not _SCHEME.match(value) or _HOST_AND_PORT.match(value):
        value = "https://" + value
    if len(value) > MAX_LENGTH:
        raise LinkRefused(_l("A web address has at most %(max)s characters.", max=MAX_LENGTH))
    if any(_hidden(char) for char in value) or "\\" in value:
        raise LinkRefused()
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not one
    except ValueError:  # "http://[" and other broken hosts
        raise LinkRefused() from None
    if parts.scheme not in SCHEMES or "@" in parts.netloc or not _real_host(parts.hostname):
        raise LinkRefused()
    return parts.scheme + value[len(parts.scheme) :]


def linkable(value: Any) -> str | None:
    """The address to put in an `href`, or None when the value does not pass the rule
    (show it as text then). The same completion as `web_address`: "example.com" links
    to https://example.com."""
    if not isinstance(value, str):
        return None
    try:
        return web_address(value)
    except LinkRefused:
        return None


class WebAddress:
    """WTForms validator: the URL rule as a message next to the field. The field's data
    becomes the address as stored (completed scheme), so the service gets what it keeps."""

    def __call__(self, form: Any, field: Any) -> None:
        try:
            field.data = web_address(field.data)
        except LinkRefused as refusal:
            raise ValidationError(str(refusal)) from None


def _hidden(char: str) -> bool:
    # Spaces, control and format characters (zero-width, bidi overrides), unassigned code
    # points: nothing a reader sees, all things a browser may drop or act on.
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn")


def _real_host(host: str | None) -> bool:
    """A domain name with at least two labels ("example.com", "exposé.ml"), or an IP address."""
    if not host:
        return False
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    labels = host.split(".")
    return len(labels) >= 2 and all(
        0 < len(label) <= 63
        and not label.startswith("-")
        and not label.endswith("-")
        and all(char.isalnum() or char == "-" for char in label)
        for label in labels
    )
