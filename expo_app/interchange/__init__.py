"""expo-event/1: one JSON document holds a whole event (import, export, backup, benchmarks).

- `parse_document(text)` reads JSON; `validate_document(doc)` checks it against the
  project's JSON Schema (expo-event-1.schema.json) and every rule between objects;
  both raise `InterchangeError` naming the JSON path and the reason.
- `import_event(doc, replace=False, progress=None)` stores a valid document in one
  transaction; `load_event_file(path or "-")` reads and imports a file.
- `export_event(event)` gives the document back; `dump_document(doc, fp)` writes it.
"""

from expo_app.interchange.errors import InterchangeError
from expo_app.interchange.exporter import dump_document, export_event
from expo_app.interchange.importer import import_event, load_event_file
from expo_app.interchange.validate import (
    FORMAT,
    load_schema,
    parse_document,
    validate_document,
)

__all__ = [
    "FORMAT",
    "InterchangeError",
    "dump_document",
    "export_event",
    "import_event",
    "load_event_file",
    "load_schema",
    "parse_document",
    "validate_document",
]
