"""The one URL rule: http and https addresses with a host name, nothing a browser would run."""

from __future__ import annotations

import pytest
from wtforms import Form, StringField

from expo_app.links import MAX_LENGTH, LinkRefused, WebAddress, linkable, web_address

# Addresses that must never be stored nor linked.
REFUSED = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " \tjavascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "javascript:1",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://x",
    "ftp://files.example.com",
    "mailto:sales@example.com",
    "http://[",
    "https://[::1",
    "https://example.com:99999/",
    "https://",
    "https:example.com",
    "http:/example.com",
    "//example.com",
    "https://localhost/",
    "https://bank.example.com@evil.example/",
    "https://evil.example\\@bank.example.com/",
    "https://exa mple.com",
    "https://example.com/\u202egnp.exe",
    "https://example.com/\x00",
    "https://-example.com",
    "https://example..com",
]


@pytest.mark.parametrize("text", REFUSED, ids=repr)
def test_what_is_not_an_http_address_with_a_host_is_refused(app, text):
    with pytest.raises(LinkRefused) as refused:
        web_address(text)
    assert refused.value.field == "website"
    assert str(refused.value) == "Enter a web address such as https://example.com."
    assert linkable(text) is None


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("https://www.aselsan.com", "https://www.aselsan.com"),
        ("  http://example.com/path?q=1#top  ", "http://example.com/path?q=1#top"),
        ("HTTPS://Example.COM/A", "https://Example.COM/A"),
        ("baykartech.com", "https://baykartech.com"),
        ("www.example.com:8080/fr", "https://www.example.com:8080/fr"),
        ("https://exposé.ml/", "https://exposé.ml/"),
        ("http://192.0.2.7/", "http://192.0.2.7/"),
        ("https://[2001:db8::1]:443/", "https://[2001:db8::1]:443/"),
    ],
)
def test_web_addresses_pass_and_a_missing_scheme_becomes_https(app, text, stored):
    assert web_address(text) == stored
    assert linkable(text) == stored


@pytest.mark.parametrize("text", [None, "", "   "])
def test_nothing_typed_is_no_address(app, text):
    assert web_address(text) is None
    assert linkable(text) is None


def test_an_address_longer_than_the_column_is_refused(app):
    longest = "https://example.com/" + "a" * (MAX_LENGTH - len("https://example.com/"))
    assert web_address(longest) == longest
    with pytest.raises(LinkRefused) as refused:
        web_address(longest + "a")
    assert "at most 300 characters" in str(refused.value)
    # Completing the scheme counts: what is stored must fit the column.
    with pytest.raises(LinkRefused):
        web_address("example.com/" + "a" * (MAX_LENGTH - len("example.com/")))


def test_what_is_not_text_is_never_linked(app):
    assert linkable(42) is None
    assert linkable(["https://example.com"]) is None


class SiteForm(Form):
    website = StringField(validators=[WebAddress()])


@pytest.mark.parametrize("text", ["javascript:alert(1)", "http://[", "ftp://x"], ids=repr)
def test_the_form_validator_puts_the_refusal_next_to_the_field(app, text):
    form = SiteForm(data={"website": text})
    assert not form.validate()
    assert form.website.errors == ["Enter a web address such as https://example.com."]


def test_the_form_validator_gives_the_service_the_address_as_stored(app):
    form = SiteForm(data={"website": " baykartech.com "})
    assert form.validate()
    assert form.website.data == "https://baykartech.com"
    empty = SiteForm(data={"website": ""})
    assert empty.validate() and empty.website.data is None
