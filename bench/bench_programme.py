#!/usr/bin/env python3
"""Time to build the PDF programme of a large event (2,000 exhibitors, 400 sessions).

    python bench/bench_programme.py                 # both languages, temp SQLite database
    python bench/bench_programme.py --exhibitors 500 --sessions 100 --keep-pdf out/

Generates the event with bench/generate_event.py, tops its schedule up to the number of
sessions asked for, imports it into a fresh SQLite database, then builds the programme
in English and French and prints, per language, the build time, pages, passes and size.
The target is under 15 seconds per build.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_event import generate_event  # noqa: E402

TARGET_SECONDS = 15.0
TOPICS = (
    "Product presentation",
    "Technical briefing",
    "Live demonstration",
    "Round table",
    "Workshop",
    "Press briefing",
)


def top_up_sessions(document: dict, total: int, seed: int = 1) -> None:
    """Add sessions (presentations, demos, round tables) until the schedule holds `total`."""
    rng = random.Random(seed)
    sessions = document["sessions"]
    places = [loc["id"] for loc in document["locations"] if loc["kind"] != "other"]
    exhibitors = [e["id"] for e in document["exhibitors"]]
    first = date.fromisoformat(document["event"]["start_date"])
    days = [first + timedelta(days=i) for i in range(len(document["days"]))]
    n = len(sessions)
    while len(sessions) < total:
        n += 1
        day = days[n % len(days)]
        start_minutes = 9 * 60 + rng.randrange(0, 16) * 30
        length = rng.choice((30, 45, 60))
        end_minutes = start_minutes + length
        topic = rng.choice(TOPICS)
        exhibitor = rng.choice(exhibitors) if exhibitors and topic != "Round table" else None
        sessions.append(
            {
                "id": f"bench-{n:04d}",
                "title": f"{topic} {n}" + (f" ({exhibitor})" if exhibitor else ""),
                "kind": "demo" if topic == "Live demonstration" else "conference",
                "start": f"{day.isoformat()}T{start_minutes // 60:02d}:{start_minutes % 60:02d}",
                "end": f"{day.isoformat()}T{end_minutes // 60:02d}:{end_minutes % 60:02d}",
                "location": rng.choice(places),
                "description": "Presentation of systems and services, followed by questions.",
                "exhibitor": exhibitor,
                "capacity": 100,
            }
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exhibitors", type=int, default=2000)
    parser.add_argument("--sessions", type=int, default=400)
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--lang", action="append", choices=("en", "fr"))
    parser.add_argument("--keep-pdf", type=Path, help="copy the PDFs into this folder")
    args = parser.parse_args(argv)
    languages = args.lang or ["en", "fr"]

    from expo_app import create_app
    from expo_app.events.services import get_event
    from expo_app.extensions import db
    from expo_app.interchange import import_event
    from expo_app.programme.builder import build_programme
    from expo_app.programme.data import load_programme

    with tempfile.TemporaryDirectory(prefix="expo-bench-programme-") as workdir:
        work = Path(workdir)
        document = generate_event(
            exhibitors=args.exhibitors,
            participants=args.participants,
            requests=0,
            tables=20,
            slug="bench-programme",
        )
        top_up_sessions(document, args.sessions)
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'bench.sqlite3'}"})
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            import_event(document)
            db.session.commit()
            print(
                f"event           {len(document['exhibitors'])} exhibitors, "
                f"{len(document['stands'])} stands, {len(document['sessions'])} sessions, "
                f"{len(document['delegations'])} delegations "
                f"(imported in {time.perf_counter() - started:.1f} s)"
            )
            event = get_event("bench-programme")
            failed = False
            for lang in languages:
                db.session.expire_all()
                out = work / f"programme-{lang}.pdf"
                started = time.perf_counter()
                data = load_programme(event)
                loaded = time.perf_counter() - started
                result = build_programme(event, str(out), lang, data=data)
                seconds = time.perf_counter() - started
                verdict = "ok" if seconds < TARGET_SECONDS else f"SLOW (target {TARGET_SECONDS}s)"
                print(
                    f"programme {lang}    {seconds:6.2f} s (data {loaded:.2f} s), "
                    f"{result.pages} pages, {result.passes} passes, "
                    f"{out.stat().st_size / 1e6:.2f} MB  {verdict}"
                )
                failed |= seconds >= TARGET_SECONDS
                if args.keep_pdf:
                    args.keep_pdf.mkdir(parents=True, exist_ok=True)
                    shutil.copy(out, args.keep_pdf / out.name)
            db.session.remove()
            db.engine.dispose()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
