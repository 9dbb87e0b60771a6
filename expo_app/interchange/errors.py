"""The one error an expo-event/1 document can cause: where it is wrong, and why."""

from __future__ import annotations


class InterchangeError(ValueError):
    """A document refused on import; `path` is a JSON path such as `participants[12].delegation`.

    `$` names the document as a whole (unreadable JSON, or a refusal by the database).
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"

    def __reduce__(self):
        return (type(self), (self.path, self.reason))
