#!/usr/bin/env python3
"""Synthetic expo-event/1 documents of any size: valid, deterministic for a seed, stdlib only.

    python bench/generate_event.py --exhibitors 2000 --participants 50000 \
        --requests 15000 --tables 300 --out big.json

The document looks like a real expo: halls with stands (most held, some free),
demo zones, meeting areas with tables, delegations led by one of their
members, a mix of delegates, exhibitor staff, VIPs, press and organisers
(mostly approved), meeting slots on the matchmaking days, some availability
gaps, meeting requests with Zipf-like exhibitor popularity and a status mix,
and meetings placed so that every hard rule of the format holds. No Flask and
no database here, so the scheduler benchmarks can reuse it.
"""

from __future__ import annotations

import argparse
import bisect
import json
import random
import string
import sys
from datetime import date, datetime, time, timedelta
from typing import Any


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


COUNTRIES = _words(
    "ML SN CI BF NE GN MR DZ MA TN NG GH TD CM TR FR US CN IN BR ZA EG DE IT ES AE KR PK GB CA"
)
SECTORS = (
    "UAVs",
    "Radar",
    "Armoured vehicles",
    "Small arms",
    "Ammunition",
    "Communications",
    "Cyber security",
    "Training & simulation",
    "Logistics",
    "Optronics",
    "Naval systems",
    "Aviation",
    "Protective equipment",
    "Space",
    "Medical support",
    "Engineering",
)
FIRST_NAMES = _words(
    "Aminata Moussa Fatoumata Ibrahim Mariam Oumar Awa Seydou Kadiatou Bakary Aïssata Mamadou "
    "Hawa Souleymane Djénéba Cheick Ayşe Mehmet Elif Emre Claire Julien Sophie Thomas Grace "
    "Daniel Wei Li Priya Arjun Ana Pedro Nomvula Thabo Yasmine Karim Lena Jonas Giulia Marco"
)
LAST_NAMES = _words(
    "Traoré Keïta Coulibaly Diarra Touré Sangaré Cissé Konaté Maïga Dembélé Sidibé Diallo "
    "Yılmaz Kaya Demir Çelik Martin Bernard Dubois Laurent Smith Johnson Zhang Wang Sharma "
    "Patel Silva Santos Dlamini Nkosi Haddad Benali Müller Schmidt Rossi Ferrari"
)
COMPANY_HEADS = _words(
    "Sahel Atlas Niger Sirius Baobab Falcon Aegis Delta Orion Kora Tamber Horizon Savane "
    "Harmattan Djoliba Anatolia Meridian Vector Boreal Kestrel Granite Sentinel Nimbus Zenith"
)
COMPANY_TAILS = _words(
    "Defence Systems Dynamics Industries Technologies Aerospace Security Engineering "
    "Logistics Labs Optics Munitions Networks"
)
TITLES = ("Colonel", "General", "Director", "Procurement officer", "Engineer", "Advisor", None)
DELEGATION_KINDS = ("government", "military", "industry", "press", "other", None)
CURRENCIES = ("XOF", "XOF", "XOF", "EUR", "USD")


def generate_event(
    *,
    exhibitors: int = 30,
    participants: int = 300,
    requests: int = 200,
    days: int = 4,
    slots_per_day: int = 16,
    tables: int = 20,
    seed: int = 1,
    slug: str = "synthetic",
    minimal: bool = False,
) -> dict[str, Any]:
    """A valid expo-event/1 document; `minimal` leaves out optional keys left null or default."""
    if min(exhibitors, participants, requests, tables) < 0 or days < 1 or slots_per_day < 0:
        raise ValueError("counts must not be negative, and an event has at least one day")
    return _Generator(
        exhibitors, participants, requests, days, slots_per_day, tables, seed, slug
    ).document(minimal)


class _Generator:
    def __init__(
        self,
        exhibitors: int,
        participants: int,
        requests: int,
        days: int,
        slots_per_day: int,
        tables: int,
        seed: int,
        slug: str,
    ) -> None:
        self.rng = random.Random(seed)
        self.n_exhibitors = exhibitors
        self.n_participants = participants
        self.n_requests = requests
        self.n_days = days
        self.slots_per_day = slots_per_day
        self.n_tables = tables
        self.slug = slug
        self.start = date(2025, 11, 11)

    def document(self, minimal: bool) -> dict[str, Any]:
        doc = {
            "format": "expo-event/1",
            "event": self.event(),
            "days": self.days(),
            "locations": self.locations(),
            "sessions": [],
            "exhibitors": self.exhibitors(),
            "stands": self.stands(),
            "delegations": [],
            "participants": [],
            "meeting_slots": self.slots(),
            "meeting_tables": self.tables(),
        }
        doc["sessions"] = self.sessions()
        doc["participants"], doc["delegations"] = self.people()
        doc["availability"] = self.availability()
        doc["meeting_requests"] = self.requests()
        doc["meetings"] = self.meetings()
        if minimal:
            _strip_optional(doc)
        return doc

    # The event and its places.

    def event(self) -> dict[str, Any]:
        end = self.start + timedelta(days=self.n_days - 1)
        return {
            "name": f"Synthetic Expo {self.slug}",
            "slug": self.slug,
            "timezone": "Africa/Bamako",
            "start_date": self.start.isoformat(),
            "end_date": end.isoformat(),
            "venue": "Parc des expositions",
            "city": "Bamako",
            "country": "ML",
            "theme": "Security and development in the Sahel",
            "organiser": "Synthetic organising committee",
            "website": None,
        }

    def days(self) -> list[dict[str, Any]]:
        self.day_dates = [self.start + timedelta(days=i) for i in range(self.n_days)]
        self.matchmaking_days = []
        result = []
        for i, day in enumerate(self.day_dates):
            if self.n_days == 1:
                kinds = ["static_display", "matchmaking", "demo"]
            elif i == 0:
                kinds = ["static_display", "demo"]
            else:
                kinds = ["static_display", "matchmaking"] + (["demo"] if i % 2 == 0 else [])
            if "matchmaking" in kinds:
                self.matchmaking_days.append(day)
            result.append(
                {"date": day.isoformat(), "kinds": kinds, "opens": "09:00", "closes": "18:00"}
            )
        return result

    def locations(self) -> list[dict[str, Any]]:
        self.n_free_stands = max(2, self.n_exhibitors // 10)
        n_stands = self.n_exhibitors + self.n_free_stands
        self.halls = [f"hall-{_letters(i).lower()}" for i in range(max(1, -(-n_stands // 150)))]
        self.meeting_areas = [f"meeting-{i + 1}" for i in range(max(1, -(-self.n_tables // 100)))]
        result = [
            {
                "id": hall,
                "name": f"Hall {hall[5:].upper()}",
                "kind": "hall",
                "capacity": 2000,
                "restricted": False,
            }
            for hall in self.halls
        ]
        result += [
            {
                "id": "outdoor",
                "name": "Outdoor display",
                "kind": "outdoor",
                "capacity": None,
                "restricted": False,
            },
            {
                "id": "demo-1",
                "name": "Live demonstration ground",
                "kind": "demo_zone",
                "capacity": 800,
                "restricted": False,
            },
            {
                "id": "ceremony",
                "name": "Ceremony hall",
                "kind": "ceremony",
                "capacity": 600,
                "restricted": False,
            },
        ]
        result += [
            {
                "id": area,
                "name": f"Business meeting area {area[8:]}",
                "kind": "meeting_area",
                "capacity": 400,
                "restricted": False,
            }
            for area in self.meeting_areas
        ]
        result += [
            {
                "id": "vip-lounge",
                "name": "VIP lounge",
                "kind": "other",
                "capacity": 80,
                "restricted": True,
            },
            {
                "id": "press-centre",
                "name": "Press centre",
                "kind": "other",
                "capacity": 60,
                "restricted": True,
            },
        ]
        return result

    def exhibitors(self) -> list[dict[str, Any]]:
        rng = self.rng
        result = []
        self.exhibitor_ids = []
        self.capacity: dict[str, int] = {}
        for i in range(self.n_exhibitors):
            ref = f"e-{i + 1:04d}"
            name = f"{rng.choice(COMPANY_HEADS)} {rng.choice(COMPANY_TAILS)} {i + 1}"
            capacity = rng.choices((1, 2, 3), weights=(80, 15, 5))[0]
            sectors = rng.sample(SECTORS, rng.randint(0, 3))
            item = {
                "id": ref,
                "name": name,
                "country": rng.choice(COUNTRIES),
                "sectors": sectors,
                "description": f"{name} supplies {', '.join(sectors) or 'services'}."
                if rng.random() < 0.8
                else None,
                "website": f"https://{ref}.example.com" if rng.random() < 0.7 else None,
                "meeting_capacity": capacity,
            }
            if rng.random() < 0.3:
                item["description_fr"] = f"{name} : fournisseur de solutions de défense."
            result.append(item)
            self.exhibitor_ids.append(ref)
            self.capacity[ref] = capacity
        return result

    def stands(self) -> list[dict[str, Any]]:
        rng = self.rng
        n_stands = self.n_exhibitors + self.n_free_stands
        holders: list[str | None] = list(self.exhibitor_ids) + [None] * self.n_free_stands
        rng.shuffle(holders)
        self.stand_of: dict[str, str] = {}
        result = []
        for k in range(n_stands):
            hall = self.halls[k // 150]
            place = k % 150
            width = rng.choice((3, 3, 6, 4.5))
            currency = rng.choice(CURRENCIES)
            price: float | int | None = int(width * 3 * 75_000) if currency == "XOF" else None
            if currency != "XOF":
                price = round(width * 3 * 115.5, 2)
            if rng.random() < 0.1:
                price = currency = None
            holder = holders[k]
            ref = f"{hall[5:].upper()}-{place + 1:03d}"
            if holder is not None:
                self.stand_of.setdefault(holder, ref)
            result.append(
                {
                    "id": ref,
                    "location": hall,
                    "width_m": width,
                    "depth_m": 3,
                    "x_m": (place % 10) * 7.5,
                    "y_m": (place // 10) * 5.0,
                    "price": price,
                    "currency": currency,
                    "exhibitor": holder,
                    "status": "available"
                    if holder is None
                    else rng.choice(("confirmed", "confirmed", "reserved")),
                }
            )
        return result

    def sessions(self) -> list[dict[str, Any]]:
        rng = self.rng
        result = []

        def add(day: date, start: str, end: str, **fields: Any) -> None:
            result.append(
                {
                    "id": f"sess-{len(result) + 1:03d}",
                    "title": fields.pop("title"),
                    "kind": fields.pop("kind"),
                    "start": f"{day.isoformat()}T{start}",
                    "end": f"{day.isoformat()}T{end}",
                    "location": fields.pop("location"),
                    "description": fields.pop("description", None),
                    "exhibitor": fields.pop("exhibitor", None),
                    "capacity": fields.pop("capacity", None),
                }
            )

        for i, day in enumerate(self.day_dates):
            if i == 0:
                add(
                    day,
                    "10:00",
                    "11:30",
                    title="Opening ceremony",
                    kind="ceremony",
                    location="ceremony",
                    capacity=600,
                    description="Official opening in the presence of the authorities.",
                )
            add(
                day,
                "09:00",
                "18:00",
                title="Static display",
                kind="static_display",
                location=self.halls[0],
            )
            if day in self.matchmaking_days and self.slots_per_day:
                add(
                    day,
                    "09:00",
                    "17:00",
                    title="B2B matchmaking",
                    kind="matchmaking",
                    location=self.meeting_areas[0],
                )
            if self.exhibitor_ids and (i == 0 or i % 2 == 0):
                for hour in (11, 15):
                    exhibitor = rng.choice(self.exhibitor_ids)
                    add(
                        day,
                        f"{hour}:00",
                        f"{hour}:45",
                        title=f"Live demonstration by {exhibitor}",
                        kind="demo",
                        location="demo-1",
                        exhibitor=exhibitor,
                        capacity=300,
                    )
            add(
                day,
                "14:00",
                "15:00",
                title=f"Conference, day {i + 1}",
                kind="conference",
                location="ceremony",
                capacity=400,
            )
        return result

    # People.

    def people(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        rng = self.rng
        n = self.n_participants
        staff = min(2 * self.n_exhibitors, int(n * 0.3)) if self.n_exhibitors else 0
        organisers = min(n - staff, max(1, n // 100)) if n else 0
        press = (n * 3) // 100
        vip = (n * 3) // 100
        delegates = max(0, n - staff - organisers - press - vip)
        roles = (
            ["exhibitor_staff"] * staff
            + ["organiser"] * organisers
            + ["press"] * press
            + ["vip"] * vip
            + ["delegate"] * delegates
        )[:n]
        rng.shuffle(roles)
        n_delegations = max(1, (delegates + vip) // 25) if delegates + vip else 0
        delegations = []
        for d in range(n_delegations):
            country = rng.choice(COUNTRIES)
            kind = rng.choice(DELEGATION_KINDS)
            delegations.append(
                {
                    "id": f"d-{d + 1:04d}",
                    "name": f"Delegation {d + 1} ({country})",
                    "country": country,
                    "kind": kind,
                    "head": None,
                }
            )
        participants = []
        self.requesters: list[str] = []
        self.accreditation: dict[str, str] = {}
        staff_exhibitors = self.exhibitor_ids * 2
        for i, role in enumerate(roles):
            ref = f"p-{i + 1:05d}"
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            delegation = exhibitor = None
            zones: list[str] = []
            organisation = None
            accreditation = rng.choices(("approved", "pending", "rejected"), (88, 8, 4))[0]
            if role in ("delegate", "vip"):
                self.requesters.append(ref)
                if rng.random() < 0.85:
                    group = delegations[rng.randrange(n_delegations)]
                    delegation = group["id"]
                    organisation = group["name"]
                    if group["head"] is None and rng.random() < 0.97:
                        group["head"] = ref
                if role == "vip" or rng.random() < 0.02:
                    zones = ["vip-lounge"]
            elif role == "exhibitor_staff":
                exhibitor = staff_exhibitors[i % len(staff_exhibitors)]
                organisation = exhibitor
            elif role == "organiser":
                accreditation = "approved"
                zones = ["vip-lounge", "press-centre"]
                organisation = "Organising committee"
            else:
                zones = ["press-centre"]
                organisation = f"{rng.choice(COMPANY_HEADS)} News"
            self.accreditation[ref] = accreditation
            participants.append(
                {
                    "id": ref,
                    "name": f"{first} {last}",
                    "email": f"{_ascii(first)}.{_ascii(last)}.{i + 1}@example.org",
                    "role": role,
                    "organisation": organisation,
                    "title": rng.choice(TITLES),
                    "country": rng.choice(COUNTRIES) if rng.random() < 0.95 else None,
                    "delegation": delegation,
                    "exhibitor": exhibitor,
                    "accreditation": accreditation,
                    "zones": zones,
                }
            )
        return participants, delegations

    # Matchmaking.

    def slots(self) -> list[dict[str, Any]]:
        minutes = 30 if self.slots_per_day <= 20 else max(1, (14 * 60) // self.slots_per_day)
        self.slot_ids = []
        result = []
        for day in self.matchmaking_days:
            start = datetime.combine(day, time(9, 0))
            for _ in range(self.slots_per_day):
                end = start + timedelta(minutes=minutes)
                ref = f"s-{start:%m%d-%H%M}"
                result.append(
                    {"id": ref, "start": f"{start:%Y-%m-%dT%H:%M}", "end": f"{end:%Y-%m-%dT%H:%M}"}
                )
                self.slot_ids.append(ref)
                start = end
        return result

    def tables(self) -> list[dict[str, Any]]:
        self.table_ids = [f"t-{k + 1:03d}" for k in range(self.n_tables)]
        return [
            {"id": ref, "location": self.meeting_areas[k // 100]}
            for k, ref in enumerate(self.table_ids)
        ]

    def availability(self) -> list[dict[str, Any]]:
        rng = self.rng
        self.unavailable: set[tuple[str, str]] = set()
        result = []
        if not self.slot_ids:
            return result
        parties = [("participant", ref) for ref in self.requesters if rng.random() < 0.08]
        parties += [("exhibitor", ref) for ref in self.exhibitor_ids if rng.random() < 0.1]
        for kind, ref in parties:
            for slot in rng.sample(self.slot_ids, min(len(self.slot_ids), rng.randint(1, 3))):
                self.unavailable.add((ref, slot))
                entry = {"slot": slot, "participant": None, "exhibitor": None}
                entry[kind] = ref
                result.append(entry)
        return result

    def requests(self) -> list[dict[str, Any]]:
        rng = self.rng
        self.request_list: list[dict[str, Any]] = []
        if not self.requesters or not self.exhibitor_ids:
            return self.request_list
        # Zipf-like popularity: a few exhibitors draw most of the requests.
        popularity = list(self.exhibitor_ids)
        rng.shuffle(popularity)
        cumulative, total = [], 0.0
        for rank in range(len(popularity)):
            total += 1.0 / (rank + 1) ** 0.9
            cumulative.append(total)
        pairs: set[tuple[str, str]] = set()
        for k in range(self.n_requests):
            for _ in range(8):
                delegate = self.requesters[rng.randrange(len(self.requesters))]
                exhibitor = popularity[
                    min(bisect.bisect(cumulative, rng.random() * total), len(popularity) - 1)
                ]
                if (delegate, exhibitor) not in pairs:
                    break
            pairs.add((delegate, exhibitor))
            self.request_list.append(
                {
                    "id": f"r-{k + 1:05d}",
                    "delegate": delegate,
                    "exhibitor": exhibitor,
                    "requested_by": "delegate" if rng.random() < 0.7 else "exhibitor",
                    "status": rng.choices(
                        ("accepted", "pending", "declined", "cancelled"), (55, 25, 12, 8)
                    )[0],
                    "priority": rng.choices((1, 2, 3), (50, 30, 20))[0],
                    "message": "We would like to discuss a partnership."
                    if rng.random() < 0.3
                    else None,
                }
            )
        return self.request_list

    def meetings(self) -> list[dict[str, Any]]:
        """Place most accepted requests greedily, keeping every hard rule."""
        rng = self.rng
        result: list[dict[str, Any]] = []
        if not self.slot_ids:
            return result
        n_slots, n_tables = len(self.slot_ids), self.n_tables
        delegate_busy: set[tuple[str, str]] = set()
        exhibitor_load: dict[tuple[str, str], int] = {}
        tables_used = [0] * n_slots
        for request in self.request_list:
            delegate, exhibitor = request["delegate"], request["exhibitor"]
            if request["status"] != "accepted" or self.accreditation[delegate] != "approved":
                continue
            if rng.random() < 0.15:  # left for the scheduler
                continue
            for _ in range(12):
                s = rng.randrange(n_slots)
                slot = self.slot_ids[s]
                load = exhibitor_load.get((exhibitor, slot), 0)
                if (
                    (delegate, slot) in delegate_busy
                    or load >= self.capacity[exhibitor]
                    or (delegate, slot) in self.unavailable
                    or (exhibitor, slot) in self.unavailable
                    or (n_tables and tables_used[s] >= n_tables)
                ):
                    continue
                table = None
                if n_tables:
                    table = self.table_ids[(tables_used[s] + s) % n_tables]
                    tables_used[s] += 1
                delegate_busy.add((delegate, slot))
                exhibitor_load[(exhibitor, slot)] = load + 1
                result.append({"request": request["id"], "slot": slot, "table": table})
                break
        return result


# Keys each list may leave out, with the value that leaving them out means.
OPTIONAL_DEFAULTS: dict[str, dict[str, Any]] = {
    "event": {
        "venue": None,
        "city": None,
        "country": None,
        "theme": None,
        "organiser": None,
        "website": None,
    },
    "days": {"opens": None, "closes": None},
    "locations": {"capacity": None, "restricted": False},
    "sessions": {"description": None, "exhibitor": None, "capacity": None},
    "exhibitors": {
        "sectors": [],
        "description": None,
        "description_fr": None,
        "website": None,
        "meeting_capacity": 1,
    },
    "stands": {
        "x_m": None,
        "y_m": None,
        "price": None,
        "currency": None,
        "exhibitor": None,
        "status": "available",
    },
    "delegations": {"kind": None, "head": None},
    "participants": {
        "organisation": None,
        "title": None,
        "country": None,
        "delegation": None,
        "exhibitor": None,
        "accreditation": "pending",
        "zones": [],
    },
    "availability": {"participant": None, "exhibitor": None},
    "meeting_requests": {"priority": 1, "message": None},
    "meetings": {"table": None},
}


def _strip_optional(doc: dict[str, Any]) -> None:
    for name, defaults in OPTIONAL_DEFAULTS.items():
        items = [doc[name]] if name == "event" else doc[name]
        for item in items:
            for key, default in defaults.items():
                if key in item and item[key] == default:
                    del item[key]


def _letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: hall codes."""
    code = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        code = string.ascii_uppercase[rest] + code
    return code


_ASCII = str.maketrans("ÀÂÄÇÉÈÊËÎÏÔÖÛÜàâäçéèêëîïôöûüıİşŞğĞ", "AAACEEEEIIOOUUaaaceeeeiioouuiIsSgG")


def _ascii(name: str) -> str:
    return name.translate(_ASCII).lower()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exhibitors", type=int, default=30)
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--days", type=int, default=4)
    parser.add_argument("--slots-per-day", type=int, default=16)
    parser.add_argument("--tables", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--slug", default="synthetic")
    parser.add_argument(
        "--minimal",
        action="store_true",
        help="leave out optional keys that are null or hold the default",
    )
    parser.add_argument("--indent", type=int, default=None, help="pretty-print with this indent")
    parser.add_argument("--out", default="-", help="output file (default: - for stdout)")
    args = parser.parse_args(argv)
    try:
        document = generate_event(
            exhibitors=args.exhibitors,
            participants=args.participants,
            requests=args.requests,
            days=args.days,
            slots_per_day=args.slots_per_day,
            tables=args.tables,
            seed=args.seed,
            slug=args.slug,
            minimal=args.minimal,
        )
    except ValueError as exc:
        parser.error(str(exc))
    text = json.dumps(document, ensure_ascii=False, indent=args.indent)
    if args.out == "-":
        sys.stdout.write(text + "\n")
    else:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
        counts = ", ".join(
            f"{len(document[name])} {name}"
            for name in ("exhibitors", "participants", "meeting_requests", "meetings")
        )
        print(f"wrote {args.out}: {counts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
