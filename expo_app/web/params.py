"""The parsing layer every request goes through: numbers bounded, text cleaned.

- `<int:...>` in a URL matches only ASCII digits up to the database's INTEGER maximum: a
  larger id is a 404 like any unknown one (not an OverflowError from SQLite or a
  NumericValueOutOfRange from PostgreSQL).
- `arg_int(source, name)` reads a number from the query string or a form the same way:
  out of range or not digits, it is the default (or a 404/400 when the view says so).
- A NUL byte anywhere in the path, the query string or a form is a 400 before any view
  runs: no database stores it the same way, and no person types it.
Forms clean their text themselves (`expo_app.forms.PageForm`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter

from expo_app.errors import NulInRequest

# The range of the database's INTEGER (32-bit signed on PostgreSQL): ids, versions, counts.
INT_MIN = -(2**31)
INT_MAX = 2**31 - 1
ASCII_DIGITS = frozenset("0123456789")


class BoundedIntegerConverter(IntegerConverter):
    """`<int:id>` for ids stored as INTEGER: ASCII digits, at most 2147483647."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max=None, signed=False):
        super().__init__(map, fixed_digits, min, INT_MAX if max is None else max, signed)
        if signed:
            self.regex = r"-?[0-9]{1,10}"


def parse_int(text: Any, *, lo: int = INT_MIN, hi: int = INT_MAX) -> int | None:
    """The whole number `text` says (ASCII digits, an optional minus), if within [lo, hi]."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        value = text
    else:
        if not isinstance(text, str):
            return None
        text = text.strip()
        digits = text[1:] if text[:1] in ("-", "+") else text
        if not digits or len(digits) > 12 or not set(digits) <= ASCII_DIGITS:
            return None
        value = int(text)
    return value if lo <= value <= hi else None


_ABORT = object()


def arg_int(
    source: Any,
    name: str,
    default: Any = None,
    *,
    lo: int = 1,
    hi: int = INT_MAX,
    missing: int | None = None,
    invalid: int | None = None,
) -> Any:
    """The number `source[name]` holds (request.args, request.form, request.values).

    Absent or empty: `default` (or abort(missing)); not a whole number in [lo, hi]:
    `default` (or abort(invalid), e.g. 404 for an id nobody can have)."""
    text = source.get(name) if source is not None else None
    if text is None or (isinstance(text, str) and not text.strip()):
        if missing is not None:
            abort(missing)
        return default
    value = parse_int(text, lo=lo, hi=hi)
    if value is None:
        if invalid is not None:
            abort(invalid)
        return default
    return value


MAX_PAGE = 1_000_000  # far past any list's last page, and its offset fits any database


def page_arg() -> int:
    """The list page asked for (?page=3); anything else is the first page."""
    return arg_int(request.args, "page", 1, hi=MAX_PAGE)


def int_list(values: Iterable[Any], *, lo: int = 1, hi: int = INT_MAX) -> list[int]:
    """The whole numbers among `values` (a form's getlist), in order; others are left out."""
    found = (parse_int(value, lo=lo, hi=hi) for value in values)
    return [value for value in found if value is not None]


def has_nul(*texts: str) -> bool:
    return any("\x00" in text for text in texts)


def refuse_nul() -> None:
    """400 for a NUL in the path, the query string, or a form's names and values."""
    if has_nul(request.path):
        raise NulInRequest()
    for source in (request.args, request.form):
        for key, values in source.lists():
            if has_nul(key, *values):
                raise NulInRequest()
    for storage in request.files.values():
        if has_nul(storage.filename or ""):
            raise NulInRequest()


def install(app: Flask) -> None:
    """Bind the parsing layer to the app (URL converters, request checks)."""
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.before_request(refuse_nul)
