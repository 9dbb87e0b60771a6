"""Small helpers shared by the models of every domain."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint


def utcnow() -> datetime:
    """Naive UTC: timestamps are stored without zone, the same on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


def choice_check(column: str, values: Iterable[str], name: str | None = None) -> CheckConstraint:
    """A CHECK constraint that keeps a string column inside its closed set of values."""
    quoted = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=name or f"{column}_valid")


class Choice(StrEnum):
    """A closed set of stored values with their labels in one place.

    Members compare equal to their stored strings, so columns keep plain strings (the
    database CHECKs them) while code and templates name the state instead of spelling it.
    A subclass gives its labels as `_labels = {member value: lazy_gettext(...)}` after the
    class body (see `set_labels`).
    """

    @property
    def label(self) -> str:
        return str(type(self)._label_map().get(self.value, self.value))

    @classmethod
    def _label_map(cls) -> dict[str, Any]:
        return cls.__dict__.get("_labels_", {})

    @classmethod
    def values(cls) -> tuple[str, ...]:
        return tuple(member.value for member in cls)

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(value, label) pairs for a form's select, in declaration order."""
        return [(member.value, member.label) for member in cls]

    @classmethod
    def label_of(cls, value: str | None) -> str:
        """The label of a stored value; an unknown value is shown as it is."""
        if value is None:
            return ""
        try:
            return cls(value).label
        except ValueError:
            return value


def set_labels(choice: type[Choice], labels: dict[str, Any]) -> None:
    """Attach the labels of a Choice (kept out of the Enum body, where they would be members)."""
    missing = set(choice.values()) - set(labels)
    if missing:
        raise ValueError(f"{choice.__name__}: no label for {sorted(missing)}")
    type.__setattr__(choice, "_labels_", dict(labels))
