"""Programme PDFs kept on disk, one per event and language, rebuilt when the data changes.

The file name carries the fingerprint of what the PDF prints (see data.fingerprint):
a request reads the data (a few queries), and builds only when no file has that name.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from flask import current_app

from expo_app.events.models import Event
from expo_app.programme.builder import build_programme
from expo_app.programme.data import fingerprint, load_programme


def cache_dir() -> Path:
    configured = current_app.config.get("PROGRAMME_CACHE_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "programme"


def translation_catalogue(lang: str) -> Path:
    return Path(current_app.root_path) / "translations" / lang / "LC_MESSAGES" / "messages.mo"


def cached_programme(event: Event, lang: str) -> tuple[Path, str]:
    """The path of the up-to-date PDF (built now if needed) and its fingerprint."""
    data = load_programme(event)
    key = fingerprint(data, lang, translation_catalogue(lang))
    folder = cache_dir()
    path = folder / f"event-{event.id}-{lang}-{key}.pdf"
    if path.is_file():
        return path, key
    folder.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as handle:
            build_programme(event, handle, lang, data=data)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    for old in folder.glob(f"event-{event.id}-{lang}-*.pdf"):
        if old != path:
            old.unlink(missing_ok=True)
    return path, key


def open_programme(event: Event, lang: str) -> tuple[BinaryIO, str]:
    """The PDF opened for reading, and its fingerprint. A file replaced by a concurrent
    rebuild between the check and the open is simply looked up again."""
    for _attempt in range(3):
        path, key = cached_programme(event, lang)
        try:
            return path.open("rb"), key
        except FileNotFoundError:
            continue
    raise RuntimeError(f"the programme of {event.slug} keeps changing while it is read")
