"""Counting the SQL statements a block of code runs (a page's queries must not grow with
the data)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import event as sa_event

from expo_app.extensions import db

_NOT_QUERIES = ("BEGIN", "PRAGMA", "SAVEPOINT", "RELEASE")


@contextmanager
def count_queries() -> Iterator[Callable[[], int]]:
    """Count the SQL statements run inside the block: `with count_queries() as n: ...; n()`."""
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(_NOT_QUERIES):
            statements.append(statement)

    engine = db.engine
    sa_event.listen(engine, "before_cursor_execute", before)
    try:
        yield lambda: len(statements)
    finally:
        sa_event.remove(engine, "before_cursor_execute", before)
