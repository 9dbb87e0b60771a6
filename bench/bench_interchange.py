#!/usr/bin/env python3
"""Speed of expo-event/1 import and export on a large synthetic event, and whether it round-trips.

    python bench/bench_interchange.py                      # SQLite file in a temp dir
    python bench/bench_interchange.py --database-url postgresql+psycopg://.../scratch

Generates a document (50,000 participants, 2,000 exhibitors, 15,000 requests by
default), imports it into a fresh database, exports it, imports the export again
with --replace and exports once more, and prints the document size, validation,
import, export and replace times, and whether the two exports are equal. On a
database given by URL the tables are created if missing and the event is deleted
at the end (pass --keep to leave it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_event import generate_event  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("EXPO_DATABASE_URL"))
    parser.add_argument("--exhibitors", type=int, default=2000)
    parser.add_argument("--participants", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=15_000)
    parser.add_argument("--tables", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--slug", default="bench-interchange")
    parser.add_argument("--keep", action="store_true", help="leave the event in the database")
    args = parser.parse_args(argv)

    from expo_app import create_app
    from expo_app.events.services import get_event
    from expo_app.extensions import db
    from expo_app.interchange import (
        dump_document,
        export_event,
        import_event,
        parse_document,
        validate_document,
    )
    from expo_app.interchange.importer import delete_event_rows

    with tempfile.TemporaryDirectory(prefix="expo-bench-") as workdir:
        url = args.database_url or f"sqlite:///{workdir}/bench.sqlite3"
        started = time.perf_counter()
        document = generate_event(
            exhibitors=args.exhibitors,
            participants=args.participants,
            requests=args.requests,
            tables=args.tables,
            seed=args.seed,
            slug=args.slug,
        )
        generated = time.perf_counter() - started
        text = json.dumps(document, ensure_ascii=False, indent=2)
        counts = ", ".join(
            f"{len(document[name])} {name}"
            for name in (
                "exhibitors",
                "stands",
                "participants",
                "availability",
                "meeting_requests",
                "meetings",
            )
        )
        print(f"database        {_safe(url)}")
        print(f"document        {len(text.encode()) / 1e6:.1f} MB ({counts})")
        print(f"generate        {generated:6.2f} s")

        started = time.perf_counter()
        parsed = parse_document(text)
        print(f"parse JSON      {time.perf_counter() - started:6.2f} s")
        started = time.perf_counter()
        validate_document(parsed)
        print(f"validate        {time.perf_counter() - started:6.2f} s")

        app = create_app(test_config={"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            db.create_all()
            if get_event(args.slug) is not None:
                print(
                    f"event {args.slug!r} already in the database: pass another --slug",
                    file=sys.stderr,
                )
                return 1
            started = time.perf_counter()
            event = import_event(parsed)
            db.session.commit()  # services flush; the caller commits, as the CLI does
            print(f"import          {time.perf_counter() - started:6.2f} s  (validation included)")

            db.session.expire_all()
            started = time.perf_counter()
            first = export_event(event)
            exported = time.perf_counter() - started
            with open(os.path.join(workdir, "export.json"), "w", encoding="utf-8") as handle:
                dump_document(first, handle)
            print(f"export          {exported:6.2f} s")

            started = time.perf_counter()
            event = import_event(first, replace=True)
            db.session.commit()
            print(f"import --replace{time.perf_counter() - started:6.2f} s  (delete + import)")
            db.session.expire_all()
            second = export_event(event)
            print(f"first export == original document: {first == document}")
            print(f"export -> import -> export equal:  {first == second}")
            if not args.keep:
                delete_event_rows(event.id)
                db.session.commit()
            return 0 if first == second else 1


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


if __name__ == "__main__":
    sys.exit(main())
