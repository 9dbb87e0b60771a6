#!/usr/bin/env python3
"""Badge printing speed and memory: `expo badges` for 10,000 badges beside a bare reportlab loop.

    python bench/bench_badges.py                 # 10,000 A6 badges, SQLite in a temp dir
    python bench/bench_badges.py --count 2000 --layout a4-4up --sample 40

Builds a synthetic event (bench/generate_event.py, imported with the interchange
importer) with exactly COUNT approved participants, then runs, each in a process of
its own so that its peak memory (ru_maxrss) is its own:

- `expo badges` itself (database, signing, layout, forms, QR, streaming), at a
  quarter of COUNT and at COUNT, to show how memory grows with the count;
- a bare reportlab loop that draws the same texts and the same QR (zxing-cpp, one
  1-bit inline image) on plain pages: the floor that our machinery adds to.

Then it renders a sample of pages (pypdfium2), reads their QR codes back (zxing-cpp)
and verifies every code against the event's public key. Targets (issue 7): 10,000
badges in < 20 s and < 250 MB peak on a 2-core machine, every sampled QR decodable.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

SECRET = "bench-badges-secret"
TARGET_SECONDS = 20.0
TARGET_MB = 250.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# --- children: each prints one JSON line ----------------------------------------------------


def child_expo(args) -> dict:
    """`expo badges` as a person runs it (the click command, in this process)."""
    os.environ["EXPO_DATABASE_URL"] = args.database_url
    os.environ["EXPO_SECRET_KEY"] = SECRET
    from expo_app.cli import main

    before = peak_mb()
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        stderr, sys.stderr = sys.stderr, quiet  # the progress bar
        try:
            main.main(
                ["badges", "--event", args.slug, "--out", args.out, "--layout", args.layout],
                standalone_mode=False,
            )
        finally:
            sys.stderr = stderr
    return {"seconds": time.perf_counter() - started, "peak_mb": peak_mb(), "start_mb": before}


def child_bare(args) -> dict:
    """The same texts and QR codes, drawn straight on a reportlab canvas: no database,
    no layout data, no forms."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from expo_app.badges import codes
    from expo_app.badges.render import qr_operators
    from expo_app.pdf.fonts import BOLD, REGULAR, register_fonts

    texts = json.loads(Path(args.texts).read_text(encoding="utf-8"))
    before = peak_mb()
    started = time.perf_counter()
    register_fonts()
    key = Ed25519PrivateKey.generate()
    key_id = codes.key_id_of(key.public_key())
    canvas = Canvas(args.out, pagesize=(105 * mm, 148 * mm), pageCompression=1)
    for index, text in enumerate(texts):
        claims = codes.BadgeClaims(key_id, 1, index + 1, 1, (), (7,) if index % 2 else ())
        canvas.setFillColorRGB(0.09, 0.21, 0.36)
        canvas.rect(0, 125 * mm, 105 * mm, 23 * mm, stroke=0, fill=1)
        canvas.setFillColorRGB(1, 1, 1)
        canvas.setFont(BOLD, 14)
        canvas.drawString(6 * mm, 138 * mm, text["event"])
        canvas.setFont(REGULAR, 8.5)
        canvas.drawString(6 * mm, 130 * mm, text["when"])
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setFont(BOLD, 18)
        canvas.drawString(6 * mm, 112 * mm, text["name"])
        canvas.setFont(REGULAR, 8.5)
        canvas.drawString(6 * mm, 100 * mm, text["title"])
        canvas.setFont(BOLD, 9.5)
        canvas.drawString(6 * mm, 93 * mm, text["organisation"])
        canvas.setFont(REGULAR, 9)
        canvas.drawString(6 * mm, 85 * mm, text["where"])
        canvas.addLiteral(qr_operators(codes.sign(claims, key), 65 * mm, 25 * mm, 36 * mm))
        canvas.setFillColorRGB(0.12, 0.37, 0.66)
        canvas.rect(0, 0, 105 * mm, 21 * mm, stroke=0, fill=1)
        canvas.setFillColorRGB(1, 1, 1)
        canvas.setFont(BOLD, 20)
        canvas.drawCentredString(52.5 * mm, 8 * mm, text["category"])
        canvas.showPage()
    canvas.save()
    return {"seconds": time.perf_counter() - started, "peak_mb": peak_mb(), "start_mb": before}


# --- the parent -----------------------------------------------------------------------------


def build_event(url: str, count: int, slug: str) -> None:
    """A synthetic event with exactly `count` approved participants (plus a few pending)."""
    from generate_event import generate_event
    from sqlalchemy import update

    from expo_app import create_app
    from expo_app.delegations.models import Participant
    from expo_app.extensions import db
    from expo_app.interchange import import_event

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(directory=str(HERE.parent / "migrations"), revision="heads")
        document = generate_event(
            exhibitors=max(10, count // 50),
            participants=int(count * 1.15) + 10,
            requests=0,
            tables=10,
            slug=slug,
        )
        event = import_event(document)
        db.session.flush()
        ids = (
            db.session.execute(
                db.select(Participant.id)
                .where(Participant.event_id == event.id)
                .order_by(Participant.id)
            )
            .scalars()
            .all()
        )
        if len(ids) < count:
            raise SystemExit(f"the generator made only {len(ids)} participants")
        approved, pending = ids[:count], ids[count:]
        db.session.execute(
            update(Participant).where(Participant.id.in_(approved)).values(accreditation="approved")
        )
        if pending:
            db.session.execute(
                update(Participant)
                .where(Participant.id.in_(pending))
                .values(accreditation="pending")
            )
        db.session.commit()


def badge_texts(url: str, slug: str, path: Path) -> int:
    """The words the badges print, for the bare loop (so both draw the same texts)."""
    from expo_app import create_app
    from expo_app.badges import services
    from expo_app.events.services import get_event
    from expo_app.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET})
    with app.app_context():
        event = get_event(slug)
        printer = services.BadgePrinter(event)
        face = printer.event_face()
        ids = services.holder_ids(event)
        texts = [
            {
                "event": face.name,
                "when": face.when,
                "name": badge.name,
                "title": badge.title,
                "organisation": badge.organisation,
                "where": badge.where_from,
                "category": badge.category.upper(),
            }
            for badge in printer.faces(ids)
        ]
        db.session.commit()  # the signing key made on the way
    path.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    return len(texts)


def run_child(mode: str, **options: str) -> dict:
    command = [sys.executable, __file__, "--child", mode]
    for name, value in options.items():
        command += [f"--{name.replace('_', '-')}", str(value)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{mode} run failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def check_sample(url: str, slug: str, pdf: Path, sample: int) -> tuple[int, int, int]:
    """(pages sampled, QR codes read, codes verified) over pages spread through the file."""
    import pypdfium2
    import zxingcpp

    from expo_app import create_app
    from expo_app.badges import codes, services
    from expo_app.events.services import get_event

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET})
    with app.app_context():
        public_key = services.signing_key(get_event(slug)).public_key
    document = pypdfium2.PdfDocument(str(pdf))
    pages = len(document)
    chosen = sorted({round(i * (pages - 1) / max(1, sample - 1)) for i in range(sample)})
    read = verified = 0
    for number in chosen:
        image = document[number].render(scale=150 / 72, grayscale=True).to_pil()
        for barcode in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
            read += 1
            try:
                codes.verify(barcode.text, public_key)
                verified += 1
            except codes.InvalidCode:
                pass
    document.close()
    return len(chosen), read, verified


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--layout", default="a6", choices=["a6", "a4-4up"])
    parser.add_argument("--sample", type=int, default=30, help="pages whose QR codes are read")
    parser.add_argument("--child", choices=["expo", "bare"], help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--slug", default="bench-badges", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--texts", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        result = child_expo(args) if args.child == "expo" else child_bare(args)
        print(json.dumps(result))
        return 0

    with tempfile.TemporaryDirectory(prefix="expo-bench-badges-") as workdir:
        work = Path(workdir)
        started = time.perf_counter()
        quarter = max(1, args.count // 4)
        runs = []
        for count in (quarter, args.count):
            url = f"sqlite:///{work}/badges-{count}.sqlite3"
            build_event(url, count, args.slug)
            runs.append((count, url))
        print(f"synthetic events built in {time.perf_counter() - started:.1f} s", flush=True)

        results = {}
        for count, url in runs:
            out = work / f"expo-{count}.pdf"
            results[count] = run_child(
                "expo", database_url=url, slug=args.slug, out=out, layout=args.layout
            )
            results[count]["size_mb"] = out.stat().st_size / 2**20
        count, url = runs[-1]
        texts = work / "texts.json"
        written = badge_texts(url, args.slug, texts)
        assert written == count, (written, count)
        bare = run_child("bare", texts=texts, out=work / "bare.pdf")
        bare["size_mb"] = (work / "bare.pdf").stat().st_size / 2**20
        sampled, read, verified = check_sample(url, args.slug, work / f"expo-{count}.pdf",
                                               args.sample)  # fmt: skip

    per_sheet = 4 if args.layout == "a4-4up" else 1
    print(f"\nBadges, {args.layout} layout, {os.cpu_count()} cores, SQLite")
    print(f"{'run':<28}{'badges':>8}{'seconds':>10}{'ms/badge':>10}{'peak MB':>10}{'PDF MB':>9}")
    rows = [(f"expo badges ({n:,})", n, results[n]) for n, _ in runs]
    rows.append(("bare reportlab loop (A6)", count, bare))
    for label, n, figures in rows:
        print(
            f"{label:<28}{n:>8,}{figures['seconds']:>10.2f}{figures['seconds'] / n * 1000:>10.2f}"
            f"{figures['peak_mb']:>10.0f}{figures['size_mb']:>9.1f}"
        )
    small, big = results[quarter], results[count]
    growth = (big["peak_mb"] - small["peak_mb"]) / max(1, count - quarter) * 1024
    print(f"\nmemory after imports: {big['start_mb']:.0f} MB; growth {growth:.1f} KB per badge")
    print(f"QR check: {sampled} pages sampled ({per_sheet} badge(s) each), "
          f"{read} QR codes read, {verified} verified")  # fmt: skip
    ok_time = big["seconds"] < TARGET_SECONDS
    ok_memory = big["peak_mb"] < TARGET_MB
    ok_codes = read == verified == sampled * per_sheet if args.layout == "a6" else read == verified
    print(
        f"targets for {count:,}: time < {TARGET_SECONDS:.0f} s {'OK' if ok_time else 'MISSED'}, "
        f"peak < {TARGET_MB:.0f} MB {'OK' if ok_memory else 'MISSED'}, "
        f"every sampled QR decodes and verifies {'OK' if ok_codes else 'MISSED'}"
    )
    return 0 if ok_time and ok_memory and ok_codes else 1


if __name__ == "__main__":
    sys.exit(main())
