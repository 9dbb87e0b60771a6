"""Build seed/bamex25.json, the BAMEX'25 event as an expo-event/1 document.

Deterministic and standard library only: every random choice comes from
``random.Random(2025)``, so running the script twice gives the same file.

    python seed/build_bamex25.py

Event facts (name, dates, venue, theme, organiser, days, exhibiting
companies) are public. Every person is synthetic: names are ordinary names
drawn from small per-country pools, all e-mail addresses are at example.org,
VIPs are listed by office only. Exhibitors whose description starts with
"Synthetic demo exhibitor" are made up. The document is checked against the
expo-event/1 hard rules before it is written; any violation aborts the script.
"""

from __future__ import annotations

import json
import random
import unicodedata
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().with_name("bamex25.json")

rng = random.Random(2025)


class BuildError(AssertionError):
    pass


def check(cond: object, msg: str) -> None:
    """Fail loudly (also under ``python -O``, unlike a bare assert)."""
    if not cond:
        raise BuildError(msg)


# fmt: off
# ---------------------------------------------------------------------------
# Event and days
# ---------------------------------------------------------------------------

EVENT = {
    "name": "BAMEX'25",
    "slug": "bamex25",
    "timezone": "Africa/Bamako",
    "start_date": "2025-11-11",
    "end_date": "2025-11-14",
    "venue": "Bamako Fair and Exhibition Center",
    "city": "Bamako",
    "country": "ML",
    "theme": "Africa at the Center of Global Defense Innovation",
    "organiser": (
        "Prontaron Savunma Sanayi with The Peak Defense, under the Presidency of "
        "Defense Industries of Türkiye (SSB)"
    ),
    "website": None,
}

DAYS = [
    {"date": "2025-11-11", "kinds": ["static_display", "matchmaking"],
     "opens": "09:00", "closes": "18:00"},
    {"date": "2025-11-12", "kinds": ["static_display", "matchmaking"],
     "opens": "09:00", "closes": "18:00"},
    {"date": "2025-11-13", "kinds": ["demo"], "opens": "08:00", "closes": "16:00"},
    {"date": "2025-11-14", "kinds": ["demo"], "opens": "08:00", "closes": "16:00"},
]

# ---------------------------------------------------------------------------
# Locations
# ---------------------------------------------------------------------------

LOCATIONS = [
    {"id": "hall-a", "name": "Hall A — Pavillon principal", "kind": "hall",
     "capacity": 1500, "restricted": False},
    {"id": "hall-b", "name": "Hall B", "kind": "hall", "capacity": 900, "restricted": False},
    {"id": "outdoor", "name": "Outdoor Static Display Area", "kind": "outdoor",
     "capacity": 2000, "restricted": False},
    {"id": "ceremony", "name": "Ceremony Hall", "kind": "ceremony",
     "capacity": 600, "restricted": False},
    {"id": "lounge", "name": "Business Matchmaking Lounge", "kind": "meeting_area",
     "capacity": 120, "restricted": False},
    {"id": "meet-b", "name": "Meeting Room B", "kind": "meeting_area",
     "capacity": 50, "restricted": False},
    {"id": "demo", "name": "Live Demo Zone — secured military range (outside Bamako)",
     "kind": "demo_zone", "capacity": 400, "restricted": True},
]
DEMO_ZONE = "demo"

# ---------------------------------------------------------------------------
# Exhibitors
# ---------------------------------------------------------------------------

SYNTH = "Synthetic demo exhibitor"


def exhibitor(xid, name, country, sectors, description, website=None, capacity=1):
    return {"id": xid, "name": name, "country": country, "sectors": sectors,
            "description": description, "website": website, "meeting_capacity": capacity}


EXHIBITORS = [
    exhibitor("baykar", "Baykar", "TR", ["UAVs"],
              "Turkish manufacturer of unmanned aerial vehicles, including the Bayraktar "
              "TB2 and Akıncı.", "https://baykartech.com", 3),
    exhibitor("aselsan", "Aselsan", "TR", ["Defence electronics", "Radar"],
              "Turkish defence electronics company producing radar, communication and "
              "electro-optical systems.", "https://www.aselsan.com", 3),
    exhibitor("roketsan", "Roketsan", "TR", ["Missiles"],
              "Turkish manufacturer of missile and rocket systems.",
              "https://www.roketsan.com.tr", 2),
    exhibitor("mke", "MKE (Makine ve Kimya Endüstrisi)", "TR", ["Munitions", "Small arms"],
              "Turkish state-owned manufacturer of munitions and weapons.",
              "https://www.mke.gov.tr", 2),
    exhibitor("stm", "STM", "TR", ["Naval platforms", "Engineering"],
              "Turkish defence engineering company active in naval platforms.",
              "https://www.stm.com.tr", 2),
    exhibitor("kalekalip", "Kalekalıp", "TR", ["Aerospace composites"],
              "Turkish company exhibiting aerospace composite parts.", None, 1),
    exhibitor("3e", "3E", "TR", ["Engineering"],
              "Turkish engineering company.", None, 1),
    exhibitor("sarsilmaz", "Sarsılmaz", "TR", ["Small arms"],
              "Turkish manufacturer of small arms.", None, 2),
    exhibitor("atlas", "Atlas", "TR", ["Electronics"],
              "Turkish electronics company.", None, 1),
    exhibitor("essav", "ESSAV", "TR", ["Security systems"],
              "Turkish company providing security systems.", None, 1),
    exhibitor("skydagger", "SkyDagger", "TR", ["Tactical gear"],
              "Turkish supplier of tactical gear.", None, 1),
    exhibitor("zsr", "ZSR", "TR", ["Optics"],
              "Turkish company exhibiting optical systems.", None, 1),
    exhibitor("akincilar", "Akıncılar", "TR", ["Armoured vehicles"],
              "Turkish manufacturer of armoured vehicles.", None, 2),
    exhibitor("hedef", "Hedef Defence", "TR", ["Simulation and training"],
              "Turkish company offering simulation and training systems.", None, 1),
    exhibitor("akdas", "Akdaş Firearms", "TR", ["Precision weapons", "Small arms"],
              "Turkish manufacturer of precision weapons.", None, 1),
    exhibitor("aes", "AES — Alliance des États du Sahel", "ML", ["Government"],
              "Joint booth of the Alliance of Sahel States (Alliance des États du Sahel), "
              "the confederation of Burkina Faso, Mali and Niger.", None, 2),
    exhibitor("fama", "Forces Armées Maliennes (FAMa)", "ML", ["Armed forces"],
              "Booth of the Malian Armed Forces.", None, 2),
    exhibitor("bf-army", "Burkina Faso Armed Forces", "BF", ["Armed forces"],
              "Booth of the armed forces of Burkina Faso.", None, 1),
    exhibitor("fan-niger", "Niger Armed Forces (Forces Armées Nigériennes)", "NE",
              ["Armed forces"], "Booth of the Nigerien Armed Forces.", None, 1),
    exhibitor("prontaron", "Prontaron Savunma Sanayi", "TR", ["Event organisation"],
              "Organiser of BAMEX'25; organiser's stand and visitor information.", None, 1),
    exhibitor("peak", "The Peak Defense", "TR", ["Event organisation"],
              "Co-organiser of BAMEX'25.", None, 1),
    exhibitor("ssb", "SSB — Presidency of Defense Industries (Türkiye Pavilion)", "TR",
              ["Government"],
              "Türkiye national pavilion of the Presidency of Defense Industries (SSB).",
              None, 2),
    exhibitor("sahel-logistics", "Sahel Logistics Demo Co.", "ML", ["Logistics"],
              f"{SYNTH}: field logistics and transport services.", None, 1),
    exhibitor("savanna-medical", "Savanna Field Medical Demo Co.", "ML", ["Field medical"],
              f"{SYNTH}: field hospitals and medical equipment.", None, 1),
    exhibitor("harmattan-comms", "Harmattan Communications Demo Co.", "SN",
              ["Communications", "Electronics"],
              f"{SYNTH}: tactical radio networks.", None, 1),
    exhibitor("djoliba-eng", "Djoliba Engineering Demo Co.", "ML", ["Engineering"],
              f"{SYNTH}: military construction and field engineering.", None, 1),
    exhibitor("baobab-training", "Baobab Training Systems Demo Co.", "BF",
              ["Simulation and training"],
              f"{SYNTH}: training ranges and targets.", None, 1),
    exhibitor("sudano-power", "Sudano Power Solutions Demo Co.", "ML", ["Power systems"],
              f"{SYNTH}: mobile generators and solar power for field camps.", None, 1),
    exhibitor("niger-river-water", "Niger River Water Systems Demo Co.", "NE",
              ["Water systems"],
              f"{SYNTH}: water purification units for deployed forces.", None, 1),
    exhibitor("kati-vehicle", "Kati Vehicle Services Demo Co.", "ML", ["Vehicle maintenance"],
              f"{SYNTH}: vehicle maintenance and spare parts.", None, 1),
]
EXH_BY_ID = {x["id"]: x for x in EXHIBITORS}

# ---------------------------------------------------------------------------
# Stands: (stand id, exhibitor id or None, width, depth); laid out in rows
# ---------------------------------------------------------------------------

STAND_PLAN = {
    # location: (row width limit in m, price per m2 in EUR, stands)
    "hall-a": (42, 250, [
        ("A-01", "baykar", 9, 6), ("A-02", "aselsan", 9, 6), ("A-03", "roketsan", 9, 6),
        ("A-04", "ssb", 12, 6),
        ("A-05", "mke", 6, 6), ("A-06", "stm", 6, 6), ("A-07", "prontaron", 6, 6),
        ("A-08", "peak", 6, 6), ("A-09", "kalekalip", 6, 3), ("A-10", "3e", 6, 3),
        ("A-11", "sarsilmaz", 6, 3),
        ("A-12", "atlas", 3, 3), ("A-13", "essav", 3, 3), ("A-14", "zsr", 3, 3),
        ("A-15", "hedef", 6, 3), ("A-16", None, 6, 3),
    ]),
    "hall-b": (36, 250, [
        ("B-01", "aes", 9, 6), ("B-02", "fama", 9, 6), ("B-03", "bf-army", 6, 6),
        ("B-04", "fan-niger", 6, 6),
        ("B-05", "skydagger", 6, 3), ("B-06", "akdas", 6, 3),
        ("B-07", "harmattan-comms", 6, 3), ("B-08", "baobab-training", 6, 3),
        ("B-09", "savanna-medical", 6, 3), ("B-10", "djoliba-eng", 3, 3),
        ("B-11", None, 3, 3), ("B-12", None, 3, 3),
    ]),
    "outdoor": (60, 150, [
        ("O-01", "akincilar", 12, 6), ("O-02", "sahel-logistics", 12, 6),
        ("O-03", "kati-vehicle", 12, 6), ("O-04", "sudano-power", 9, 6),
        ("O-05", "niger-river-water", 9, 6), ("O-06", None, 12, 6),
    ]),
}
RESERVED = {"zsr", "akdas", "djoliba-eng", "niger-river-water"}
MARGIN, AISLE = 2, 4


def layout_stands() -> list[dict]:
    stands = []
    for loc, (row_limit, rate, plan) in STAND_PLAN.items():
        x, y, row_depth = MARGIN, MARGIN, 0
        for sid, xid, w, d in plan:
            if x + w > MARGIN + row_limit:  # start a new row behind an aisle
                x, y, row_depth = MARGIN, y + row_depth + AISLE, 0
            status = "available" if xid is None else (
                "reserved" if xid in RESERVED else "confirmed")
            stands.append({
                "id": sid, "location": loc, "width_m": w, "depth_m": d,
                "x_m": x, "y_m": y, "price": w * d * rate, "currency": "EUR",
                "exhibitor": xid, "status": status,
            })
            x += w
            row_depth = max(row_depth, d)
    return stands


# ---------------------------------------------------------------------------
# Sessions
# ---------------------------------------------------------------------------

def session(sid, title, kind, day, start, end, location, description=None,
            exhibitor_id=None, capacity=None):
    return {"id": sid, "title": title, "kind": kind,
            "start": f"{day}T{start}", "end": f"{day}T{end}", "location": location,
            "description": description, "exhibitor": exhibitor_id, "capacity": capacity}


D1, D2, D3, D4 = (d["date"] for d in DAYS)
MM_DESC = "Pre-arranged B2B meetings between delegations and exhibitors."

SESSIONS = [
    session("ses-opening", "Opening ceremony", "ceremony", D1, "10:00", "11:30", "ceremony",
            "Official opening of BAMEX'25.", capacity=600),
    session("ses-vip-tour", "VIP tour of the exhibition", "other", D1, "11:45", "13:00",
            "hall-a", "Guided tour of the stands for official guests and heads of "
            "delegation.", capacity=80),
    session("ses-static-a-1", "Static display — Hall A", "static_display", D1, "13:00",
            "18:00", "hall-a", "Hall A opens to all visitors after the VIP tour."),
    session("ses-static-b-1", "Static display — Hall B", "static_display", D1, "11:30",
            "18:00", "hall-b"),
    session("ses-static-o-1", "Static display — outdoor area", "static_display", D1,
            "11:30", "18:00", "outdoor", "Vehicles and equipment on outdoor display."),
    session("ses-mm-1-am", "Business matchmaking (morning)", "matchmaking", D1, "09:00",
            "12:30", "lounge", MM_DESC, capacity=120),
    session("ses-mm-1-pm", "Business matchmaking (afternoon)", "matchmaking", D1, "14:00",
            "17:30", "lounge", MM_DESC, capacity=120),
    session("ses-panel-coop", "Panel: African defence industry cooperation", "conference",
            D1, "14:00", "15:30", "ceremony",
            "Panel discussion on industrial cooperation, local production and training "
            "partnerships.", capacity=400),
    session("ses-static-a-2", "Static display — Hall A", "static_display", D2, "09:00",
            "18:00", "hall-a"),
    session("ses-static-b-2", "Static display — Hall B", "static_display", D2, "09:00",
            "18:00", "hall-b"),
    session("ses-static-o-2", "Static display — outdoor area", "static_display", D2,
            "09:00", "18:00", "outdoor"),
    session("ses-mm-2-am", "Business matchmaking (morning)", "matchmaking", D2, "09:00",
            "12:30", "lounge", MM_DESC, capacity=120),
    session("ses-mm-2-pm", "Business matchmaking (afternoon)", "matchmaking", D2, "14:00",
            "17:30", "lounge", MM_DESC, capacity=120),
    session("ses-conf-border", "Conference: unmanned systems and border security in the "
            "Sahel", "conference", D2, "10:00", "11:30", "ceremony", capacity=400),
    session("ses-conf-ssb", "Briefing: Türkiye–Africa defence industry partnerships",
            "conference", D2, "14:30", "16:00", "ceremony",
            "Presentation by the SSB pavilion.", "ssb", 400),
    session("ses-demo-baykar", "Baykar UAV flight demonstration", "demo", D3, "09:00",
            "10:00", DEMO_ZONE, "Flight demonstration of unmanned aerial vehicles.",
            "baykar"),
    session("ses-demo-aselsan", "Aselsan electro-optical and radar systems demonstration",
            "demo", D3, "10:15", "11:15", DEMO_ZONE, None, "aselsan"),
    session("ses-demo-roketsan", "Roketsan missile systems demonstration", "demo", D3,
            "11:30", "12:30", DEMO_ZONE, None, "roketsan"),
    session("ses-demo-hedef", "Hedef Defence simulation and training demonstration", "demo",
            D3, "13:30", "14:30", DEMO_ZONE, None, "hedef"),
    session("ses-demo-akincilar", "Akıncılar armoured vehicle mobility demonstration",
            "demo", D4, "08:30", "09:30", DEMO_ZONE, None, "akincilar"),
    session("ses-demo-sarsilmaz", "Sarsılmaz live firing demonstration", "demo", D4,
            "09:45", "10:45", DEMO_ZONE, None, "sarsilmaz"),
    session("ses-demo-skydagger", "SkyDagger tactical gear demonstration", "demo", D4,
            "11:00", "11:45", DEMO_ZONE, None, "skydagger"),
    session("ses-demo-akdas", "Akdaş Firearms precision shooting demonstration", "demo",
            D4, "12:00", "13:00", DEMO_ZONE, None, "akdas"),
    session("ses-closing", "Closing ceremony", "ceremony", D4, "14:00", "15:00", DEMO_ZONE,
            "Closing ceremony at the demonstration range.", capacity=400),
]
DEMO_EXHIBITORS = {s["exhibitor"] for s in SESSIONS if s["kind"] == "demo"}

# ---------------------------------------------------------------------------
# Synthetic people: name pools
# ---------------------------------------------------------------------------

NAMES = {
    "ML": (["Aminata", "Moussa", "Oumar", "Fatoumata", "Bakary", "Seydou", "Mariam", "Issa",
            "Adama", "Kadiatou", "Modibo", "Sékou", "Awa", "Souleymane", "Hawa", "Mamadou"],
           ["Traoré", "Keïta", "Coulibaly", "Diarra", "Konaté", "Sangaré", "Dembélé",
            "Touré", "Cissé", "Maïga", "Sidibé", "Doumbia"]),
    "BF": (["Issouf", "Salif", "Aïcha", "Boukary", "Rasmata", "Hamidou", "Mariam",
            "Abdoulaye", "Inoussa", "Alimata", "Karim", "Yacouba"],
           ["Ouédraogo", "Sawadogo", "Kaboré", "Compaoré", "Zongo", "Ilboudo", "Kiemdé",
            "Nikiéma", "Tapsoba", "Zoungrana"]),
    "NE": (["Abdou", "Moussa", "Hadiza", "Issoufou", "Ramatou", "Ibrahim", "Salamatou",
            "Hamadou", "Aboubacar", "Zeinabou", "Mahamadou", "Ousmane"],
           ["Hamani", "Souley", "Garba", "Idrissa", "Boubacar", "Mahamane", "Saïdou",
            "Harouna", "Amadou", "Abdoulaye"]),
    "CD": (["Jean-Pierre", "Patrick", "Grâce", "Christian", "Dieudonné", "Aimé", "Nathalie",
            "Serge", "Blaise", "Clarisse", "Fiston", "Olivier"],
           ["Mukendi", "Kalala", "Tshibangu", "Ilunga", "Mbuyi", "Kasongo", "Lukusa",
            "Nzuzi", "Mwamba", "Kabongo", "Matondo"]),
    "TG": (["Komi", "Kossi", "Yao", "Afi", "Akouvi", "Kodjo", "Edem", "Komlan", "Ama",
            "Koffi", "Sélom", "Dodzi"],
           ["Agbodjan", "Lawson", "Amegah", "Adjovi", "Kpodar", "Akakpo", "Gbeasor",
            "Tchalla", "Agbeko", "Dogbé"]),
    "GH": (["Kwame", "Kofi", "Ama", "Yaw", "Akosua", "Kwabena", "Efua", "Kojo", "Abena",
            "Kwesi", "Esi", "Nana"],
           ["Mensah", "Owusu", "Boateng", "Asante", "Osei", "Appiah", "Agyemang", "Darko",
            "Amoah", "Ofori", "Addo", "Quaye"]),
    "NG": (["Chinedu", "Ngozi", "Emeka", "Aisha", "Tunde", "Funmilayo", "Ibrahim", "Chioma",
            "Olumide", "Hauwa", "Babatunde", "Uche"],
           ["Okafor", "Adeyemi", "Bello", "Okonkwo", "Abubakar", "Balogun", "Eze",
            "Ogunleye", "Musa", "Nwosu", "Yusuf", "Adebayo"]),
    "LY": (["Mohamed", "Ahmed", "Salem", "Fatima", "Khaled", "Abdulrahman", "Ali", "Omar",
            "Nadia", "Hamza", "Asma", "Mabrouk"],
           ["Al-Tarhouni", "Al-Obeidi", "Al-Zawi", "Ben Hamid", "Al-Misrati", "Al-Fitouri",
            "Al-Warfalli", "Ben Saleh", "Al-Kabir", "Al-Mahdi"]),
    "MA": (["Youssef", "Fatima-Zahra", "Mohammed", "Khadija", "Hamza", "Salma", "Rachid",
            "Nabil", "Meriem", "Karim", "Imane", "Omar"],
           ["El Amrani", "Benali", "Bennani", "Alaoui", "Tazi", "Berrada", "El Idrissi",
            "Chraibi", "Lahlou", "Ouazzani", "Benjelloun"]),
    "SD": (["Mohamed", "Osman", "Amna", "Abdelrahman", "Hassan", "Suad", "Babiker",
            "Elfatih", "Nafisa", "Yasir", "Mustafa", "Rania"],
           ["Osman", "Elhassan", "Abdalla", "Babiker", "Elamin", "Hamad", "Idris",
            "Suleiman", "Elsheikh", "Musa"]),
    "EG": (["Ahmed", "Mohamed", "Mona", "Mahmoud", "Yasmin", "Tarek", "Sherif", "Heba",
            "Amr", "Dina", "Hany", "Karim"],
           ["Hassan", "Mostafa", "Abdel Aziz", "El-Sayed", "Fahmy", "Farouk", "Gamal",
            "Hamdy", "Ibrahim", "Mansour", "Ragab", "Zaki"]),
    "QA": (["Abdullah", "Khalid", "Hamad", "Mariam", "Nasser", "Fahad", "Jassim", "Noora",
            "Saad", "Ali", "Mohammed", "Hessa"],
           ["Al-Kuwari", "Al-Marri", "Al-Naimi", "Al-Mohannadi", "Al-Sulaiti", "Al-Hajri",
            "Al-Kaabi", "Al-Dosari", "Al-Emadi", "Al-Muftah"]),
    "SN": (["Abdoulaye", "Aïssatou", "Cheikh", "Fatou", "Mamadou", "Ndeye", "Ousmane",
            "Khady", "Ibrahima", "Mame", "Babacar", "Astou"],
           ["Diop", "Ndiaye", "Fall", "Sow", "Sarr", "Gueye", "Faye", "Diallo", "Ba",
            "Mbaye", "Seck", "Diouf"]),
    "IN": (["Rajesh", "Priya", "Arjun", "Anjali", "Vikram", "Sunita", "Rahul", "Kavita",
            "Sanjay", "Deepa", "Amit", "Neha"],
           ["Sharma", "Singh", "Kumar", "Patel", "Iyer", "Reddy", "Nair", "Gupta", "Menon",
            "Rao", "Verma", "Joshi"]),
    "TR": (["Mehmet", "Ayşe", "Çağrı", "Emre", "Zeynep", "Burak", "Elif", "Oğuz", "Selin",
            "Hakan", "Gökhan", "Şule", "İlker", "Derya", "Tolga", "Merve", "Barış", "Özge",
            "Kerem", "Ece"],
           ["Yılmaz", "Demir", "Öztürk", "Kaya", "Şahin", "Çelik", "Yıldız", "Aydın",
            "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Koç", "Kurt", "Özdemir", "Güneş",
            "Aksoy", "Polat", "Tekin"]),
}

_used_names: set[str] = set()
_used_emails: set[str] = set()


def ascii_slug(text: str) -> str:
    text = text.replace("ı", "i").replace("İ", "I")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    out = "".join(c if c.isalnum() or c == "-" else ("-" if c in " '" else "") for c in text)
    return out.strip("-")


def person_name(country: str) -> str:
    firsts, lasts = NAMES[country]
    while True:
        name = f"{rng.choice(firsts)} {rng.choice(lasts)}"
        if name not in _used_names:
            _used_names.add(name)
            return name


def unique_email(local: str) -> str:
    candidate, n = local, 1
    while f"{candidate}@example.org" in _used_emails:
        n += 1
        candidate = f"{local}{n}"
    email = f"{candidate}@example.org"
    _used_emails.add(email)
    return email


def person_email(name: str) -> str:
    first, _, last = name.partition(" ")
    return unique_email(f"{ascii_slug(first)}.{ascii_slug(last)}")


PARTICIPANTS: list[dict] = []


def add_participant(name, email, role, organisation=None, title=None, country=None,
                    delegation=None, exhibitor_id=None, accreditation="approved", zones=None):
    pid = f"p-{len(PARTICIPANTS) + 1:03d}"
    PARTICIPANTS.append({
        "id": pid, "name": name, "email": email, "role": role,
        "organisation": organisation, "title": title, "country": country,
        "delegation": delegation, "exhibitor": exhibitor_id,
        "accreditation": accreditation, "zones": list(zones or []),
    })
    return pid


# Organisers ---------------------------------------------------------------

for org, title, country in [
    ("Prontaron Savunma Sanayi", "Event director", "TR"),
    ("The Peak Defense", "Exhibitor relations and matchmaking", "TR"),
    ("Prontaron Savunma Sanayi", "Accreditation and protocol (Bamako office)", "ML"),
]:
    n = person_name(country)
    add_participant(n, person_email(n), "organiser", org, title, country, zones=[DEMO_ZONE])

# VIPs, by office only -----------------------------------------------------

for office, local, org, country in [
    ("Prime Minister of Mali", "vip.pm-mali", "Government of Mali", "ML"),
    ("Minister of Defence and Veterans Affairs of Mali", "vip.mod-mali",
     "Ministère de la Défense et des Anciens Combattants", "ML"),
    ("Chief of General Staff of the Malian Armed Forces", "vip.cgs-mali",
     "Forces Armées Maliennes", "ML"),
    ("Minister of Defence of Burkina Faso", "vip.mod-burkina", "Government of Burkina Faso",
     "BF"),
    ("Minister of Defence of Niger", "vip.mod-niger", "Government of Niger", "NE"),
    ("President of SSB (Türkiye)", "vip.ssb-president",
     "Presidency of Defense Industries (SSB)", "TR"),
    ("Ambassador of Türkiye to Mali", "vip.ambassador-tr-mali", "Embassy of Türkiye in Bamako",
     "TR"),
]:
    add_participant(office, unique_email(local), "vip", org, None, country, zones=[DEMO_ZONE])

# Delegations and delegates ------------------------------------------------

FR_TITLES = [
    "Colonel, Direction du Matériel",
    "Lieutenant-colonel, État-major général des armées",
    "Commandant, Direction des Transmissions",
    "Capitaine, Génie militaire",
    "Chef de bataillon, Direction du Commissariat",
    "Conseiller technique, Cabinet du Ministre",
    "Chargé des acquisitions",
    "Colonel-major, Armée de l'Air",
    "Chef de division, Logistique",
    "Lieutenant-colonel, Direction du Renseignement",
]
EN_TITLES = [
    "Colonel, Defence Logistics",
    "Procurement officer",
    "Lieutenant Colonel, Army Signals",
    "Major, Air Force Engineering",
    "Technical adviser",
    "Director of Procurement",
    "Wing Commander, Air Staff",
    "Commander, Naval Engineering",
    "Deputy Director, Defence Industry",
    "Captain, Military Intelligence",
]
HEAD_TITLE = {
    ("fr", "military"): "Général de brigade, chef de délégation",
    ("fr", "government"): "Secrétaire général, chef de délégation",
    ("en", "military"): "Brigadier General, Head of delegation",
    ("en", "government"): "Director General, Head of delegation",
}

# id, country, name, kind, size, language, organisations of its members
DELEGATION_PLAN = [
    ("del-ml", "ML", "Mali — Ministère de la Défense et des Anciens Combattants",
     "government", 10, "fr",
     ["Ministère de la Défense et des Anciens Combattants", "Forces Armées Maliennes"]),
    ("del-bf", "BF", "Burkina Faso — Forces Armées Nationales", "military", 8, "fr",
     ["Forces Armées Nationales du Burkina Faso"]),
    ("del-ne", "NE", "Niger — Ministère de la Défense nationale", "government", 8, "fr",
     ["Ministère de la Défense nationale", "Forces Armées Nigériennes"]),
    ("del-cd", "CD", "DR Congo — Forces Armées de la République Démocratique du Congo",
     "military", 6, "fr", ["FARDC"]),
    ("del-tg", "TG", "Togo — Forces Armées Togolaises", "military", 5, "fr",
     ["Forces Armées Togolaises"]),
    ("del-gh", "GH", "Ghana Armed Forces", "military", 6, "en", ["Ghana Armed Forces"]),
    ("del-ng", "NG", "Nigeria — Ministry of Defence", "government", 7, "en",
     ["Ministry of Defence", "Defence Headquarters"]),
    ("del-ly", "LY", "Libya — Ministry of Defence", "government", 5, "en",
     ["Ministry of Defence"]),
    ("del-ma", "MA", "Morocco — Forces Armées Royales", "military", 6, "fr",
     ["Forces Armées Royales"]),
    ("del-sd", "SD", "Sudan — Sudanese Armed Forces", "military", 5, "en",
     ["Sudanese Armed Forces"]),
    ("del-eg", "EG", "Egypt — Ministry of Defence", "government", 6, "en",
     ["Ministry of Defence"]),
    ("del-qa", "QA", "Qatar Armed Forces", "military", 4, "en", ["Qatar Armed Forces"]),
    ("del-sn", "SN", "Senegal — Forces Armées Sénégalaises", "military", 6, "fr",
     ["Forces Armées Sénégalaises"]),
    ("del-in", "IN", "India — Ministry of Defence", "government", 6, "en",
     ["Ministry of Defence"]),
]
# fmt: on

DELEGATIONS: list[dict] = []
delegate_ids: list[str] = []
head_ids: set[str] = set()
delegation_kind: dict[str, str] = {}
for did, country, dname, kind, size, lang, orgs in DELEGATION_PLAN:
    titles = list(FR_TITLES if lang == "fr" else EN_TITLES)
    rng.shuffle(titles)
    head = None
    for i in range(size):
        n = person_name(country)
        title = HEAD_TITLE[(lang, kind)] if i == 0 else titles[(i - 1) % len(titles)]
        org = orgs[0] if i == 0 else rng.choice(orgs)
        pid = add_participant(n, person_email(n), "delegate", org, title, country, did)
        delegate_ids.append(pid)
        if i == 0:
            head = pid
            head_ids.add(pid)
    delegation_kind[did] = kind
    DELEGATIONS.append({"id": did, "name": dname, "country": country, "kind": kind, "head": head})

P_BY_ID = {p["id"]: p for p in PARTICIPANTS}

# accreditation: heads approved; a few pending, three rejected
others = [pid for pid in delegate_ids if pid not in head_ids]
picked = rng.sample(others, 13)
for pid in picked[:10]:
    P_BY_ID[pid]["accreditation"] = "pending"
for pid in picked[10:]:
    P_BY_ID[pid]["accreditation"] = "rejected"
# demo-zone badges: most approved military delegates, about half of government ones
for pid in delegate_ids:
    p = P_BY_ID[pid]
    if p["accreditation"] != "approved":
        continue
    share = 0.85 if delegation_kind[p["delegation"]] == "military" else 0.5
    if pid in head_ids or rng.random() < share:
        p["zones"] = [DEMO_ZONE]

# Exhibitor staff ----------------------------------------------------------

STAFF_TITLES = [
    "Stand manager",
    "Business development manager",
    "Export sales manager",
    "Technical specialist",
    "Regional sales manager",
    "Project engineer",
]
ARMY_STAFF_TITLES = ["Liaison officer", "Protocol officer", "Stand coordinator"]
STAFF_COUNT = {
    "baykar": 3,
    "aselsan": 3,
    "roketsan": 3,
    "ssb": 2,
    "prontaron": 2,
    "peak": 2,
    "akincilar": 2,
    "mke": 2,
    "stm": 2,
    "aes": 2,
    "fama": 2,
}
staff_ids = []
for x in EXHIBITORS:
    count = STAFF_COUNT.get(x["id"], rng.choice([1, 1, 2]))
    country = x["country"] if x["country"] in NAMES else "TR"
    pool = ARMY_STAFF_TITLES if x["sectors"] in (["Armed forces"], ["Government"]) else STAFF_TITLES
    for i in range(count):
        n = person_name(country)
        title = (
            "Demonstration team leader"
            if (i == 0 and x["id"] in DEMO_EXHIBITORS)
            else rng.choice(pool)
        )
        pid = add_participant(
            n, person_email(n), "exhibitor_staff", x["name"], title, country, None, x["id"]
        )
        staff_ids.append(pid)
P_BY_ID = {p["id"]: p for p in PARTICIPANTS}
pending_pool = [pid for pid in staff_ids if not P_BY_ID[pid]["title"].startswith("Demonstration")]
for pid in rng.sample(pending_pool, 3):
    P_BY_ID[pid]["accreditation"] = "pending"
for pid in staff_ids:
    p = P_BY_ID[pid]
    if p["exhibitor"] in DEMO_EXHIBITORS and p["accreditation"] == "approved":
        p["zones"] = [DEMO_ZONE]

# Press ----------------------------------------------------------------------

for country, org, title, accr, zones in [
    ("ML", "Freelance", "Journalist", "approved", []),
    ("SN", "Synthetic Demo News Service", "Correspondent", "approved", []),
    ("TR", "Synthetic Demo Defence Review", "Photographer (press pool)", "approved", [DEMO_ZONE]),
    ("GH", "Freelance", "Video journalist", "pending", []),
]:
    n = person_name(country)
    add_participant(
        n, person_email(n), "press", org, title, country, accreditation=accr, zones=zones
    )

P_BY_ID = {p["id"]: p for p in PARTICIPANTS}

# ---------------------------------------------------------------------------
# Matchmaking: slots, tables, availability
# ---------------------------------------------------------------------------

MEETING_SLOTS = []
for day in (D1, D2):
    for first, last in (("09:00", "12:30"), ("14:00", "17:30")):
        t = datetime.fromisoformat(f"{day}T{first}")
        stop = datetime.fromisoformat(f"{day}T{last}")
        while t < stop:
            end = t + timedelta(minutes=30)
            MEETING_SLOTS.append(
                {
                    "id": f"s-{t:%m%d}-{t:%H%M}",
                    "start": f"{t:%Y-%m-%dT%H:%M}",
                    "end": f"{end:%Y-%m-%dT%H:%M}",
                }
            )
            t = end

MEETING_TABLES = [
    {"id": f"T{i:02d}", "location": "lounge" if i <= 8 else "meet-b"} for i in range(1, 13)
]

CEREMONY_SLOTS = ["s-1111-1000", "s-1111-1030", "s-1111-1100"]
AVAILABILITY = []
head_of = {d["id"]: d["head"] for d in DELEGATIONS}
for did in ("del-ml", "del-bf", "del-ne", "del-gh", "del-qa"):
    for sid in CEREMONY_SLOTS:
        AVAILABILITY.append({"slot": sid, "participant": head_of[did]})
for xid in ("ssb", "prontaron"):
    for sid in CEREMONY_SLOTS:
        AVAILABILITY.append({"slot": sid, "exhibitor": xid})
# SSB presents its briefing on the afternoon of the 12th
for sid in ("s-1112-1430", "s-1112-1500", "s-1112-1530"):
    AVAILABILITY.append({"slot": sid, "exhibitor": "ssb"})

# ---------------------------------------------------------------------------
# Meeting requests and meetings
# ---------------------------------------------------------------------------

REQUEST_WEIGHT = {
    "baykar": 8,
    "aselsan": 7,
    "roketsan": 5,
    "mke": 4,
    "stm": 3,
    "akincilar": 4,
    "sarsilmaz": 3,
    "hedef": 2,
    "prontaron": 0.3,
    "peak": 0.3,
    "ssb": 1,
    "aes": 0.5,
    "fama": 0.5,
    "bf-army": 0.3,
    "fan-niger": 0.3,
}
MESSAGES_DELEGATE = [
    "We would like to discuss training and maintenance support.",
    "Interested in your product range for border surveillance.",
    "Request for a technical presentation and indicative prices.",
    "Nous souhaitons discuter d'une coopération en matière de formation.",
    "Demande de présentation technique de vos systèmes.",
    "Intéressés par vos solutions de surveillance des frontières.",
    None,
    None,
    None,
]
MESSAGES_EXHIBITOR = [
    "We would be glad to present our latest systems to your delegation.",
    "Nous serions heureux de présenter nos solutions à votre délégation.",
    None,
]

requesters = [
    pid for pid in delegate_ids if P_BY_ID[pid]["accreditation"] in ("approved", "pending")
]
ex_ids = [x["id"] for x in EXHIBITORS]
ex_weights = [REQUEST_WEIGHT.get(xid, 1.5) for xid in ex_ids]
N_REQUESTS = 100
pairs: list[tuple[str, str]] = []
seen_pairs: set[tuple[str, str]] = set()
while len(pairs) < N_REQUESTS:
    pair = (rng.choice(requesters), rng.choices(ex_ids, ex_weights)[0])
    if pair not in seen_pairs:
        seen_pairs.add(pair)
        pairs.append(pair)
statuses = ["accepted"] * 58 + ["pending"] * 22 + ["declined"] * 12 + ["cancelled"] * 8
rng.shuffle(statuses)

MEETING_REQUESTS = []
for i, ((pid, xid), status) in enumerate(zip(pairs, statuses, strict=True), start=1):
    by = "exhibitor" if rng.random() < 0.2 else "delegate"
    msg = rng.choice(MESSAGES_EXHIBITOR if by == "exhibitor" else MESSAGES_DELEGATE)
    MEETING_REQUESTS.append(
        {
            "id": f"r-{i:04d}",
            "delegate": pid,
            "exhibitor": xid,
            "requested_by": by,
            "status": status,
            "priority": rng.choice([1, 1, 2, 2, 3]),
            "message": msg,
        }
    )

unavailable = {(a["slot"], a.get("participant") or a.get("exhibitor")) for a in AVAILABILITY}
schedulable = [
    r
    for r in MEETING_REQUESTS
    if r["status"] == "accepted" and P_BY_ID[r["delegate"]]["accreditation"] == "approved"
]
# Leave some accepted requests of approved delegates for the automatic scheduler.
TARGET_MEETINGS = 36
MEETINGS = []
busy_delegate: set[tuple[str, str]] = set()
exhibitor_load: Counter = Counter()
busy_table: set[tuple[str, str]] = set()
for r in rng.sample(schedulable, len(schedulable)):
    if len(MEETINGS) == TARGET_MEETINGS:
        break
    slots = [s["id"] for s in MEETING_SLOTS]
    rng.shuffle(slots)
    for sid in slots:
        d, x = r["delegate"], r["exhibitor"]
        if (sid, d) in busy_delegate or (sid, d) in unavailable or (sid, x) in unavailable:
            continue
        if exhibitor_load[(sid, x)] >= EXH_BY_ID[x]["meeting_capacity"]:
            continue
        free = [t["id"] for t in MEETING_TABLES if (sid, t["id"]) not in busy_table]
        if not free:
            continue
        table = free[0]
        busy_delegate.add((sid, d))
        exhibitor_load[(sid, x)] += 1
        busy_table.add((sid, table))
        MEETINGS.append({"request": r["id"], "slot": sid, "table": table})
        break
MEETINGS.sort(key=lambda m: (m["slot"], m["table"]))

STANDS = layout_stands()

DOC = {
    "format": "expo-event/1",
    "event": EVENT,
    "days": DAYS,
    "locations": LOCATIONS,
    "sessions": SESSIONS,
    "exhibitors": EXHIBITORS,
    "stands": STANDS,
    "delegations": DELEGATIONS,
    "participants": PARTICIPANTS,
    "meeting_slots": MEETING_SLOTS,
    "meeting_tables": MEETING_TABLES,
    "availability": AVAILABILITY,
    "meeting_requests": MEETING_REQUESTS,
    "meetings": MEETINGS,
}

# ---------------------------------------------------------------------------
# Validation: the expo-event/1 contract and the hard rules
# ---------------------------------------------------------------------------

# fmt: off
KEYS = {
    "event": ["name", "slug", "timezone", "start_date", "end_date", "venue", "city",
              "country", "theme", "organiser", "website"],
    "days": ["date", "kinds", "opens", "closes"],
    "locations": ["id", "name", "kind", "capacity", "restricted"],
    "sessions": ["id", "title", "kind", "start", "end", "location", "description",
                 "exhibitor", "capacity"],
    "exhibitors": ["id", "name", "country", "sectors", "description", "website",
                   "meeting_capacity"],
    "stands": ["id", "location", "width_m", "depth_m", "x_m", "y_m", "price", "currency",
               "exhibitor", "status"],
    "delegations": ["id", "name", "country", "kind", "head"],
    "participants": ["id", "name", "email", "role", "organisation", "title", "country",
                     "delegation", "exhibitor", "accreditation", "zones"],
    "meeting_slots": ["id", "start", "end"],
    "meeting_tables": ["id", "location"],
    "meeting_requests": ["id", "delegate", "exhibitor", "requested_by", "status", "priority",
                         "message"],
    "meetings": ["request", "slot", "table"],
}
TOP_KEYS = ["format", "event", "days", "locations", "sessions", "exhibitors", "stands",
            "delegations", "participants", "meeting_slots", "meeting_tables", "availability",
            "meeting_requests", "meetings"]
COUNTRIES = {"ML", "TR", "BF", "NE", "CD", "TG", "GH", "NG", "LY", "MA", "SD", "EG", "QA",
             "SN", "IN"}
# fmt: on


def minutes(hhmm: str) -> time:
    return time.fromisoformat(hhmm)


def overlaps(a_start, a_end, b_start, b_end) -> bool:
    return a_start < b_end and b_start < a_end


def validate(doc: dict) -> None:
    check(list(doc) == TOP_KEYS, f"top-level keys/order: {list(doc)}")
    check(doc["format"] == "expo-event/1", "format")
    for name, keys in KEYS.items():
        items = [doc[name]] if name == "event" else doc[name]
        for i, obj in enumerate(items):
            check(list(obj) == keys, f"{name}[{i}] keys/order: {list(obj)}")
    for i, a in enumerate(doc["availability"]):
        check(
            a.get("slot") and len(a) == 2 and (("participant" in a) != ("exhibitor" in a)),
            f"availability[{i}]: slot and exactly one of participant/exhibitor",
        )

    ids = {}
    for name in (
        "locations",
        "sessions",
        "exhibitors",
        "stands",
        "delegations",
        "participants",
        "meeting_slots",
        "meeting_tables",
        "meeting_requests",
    ):
        lst = [o["id"] for o in doc[name]]
        dup = [k for k, c in Counter(lst).items() if c > 1]
        check(not dup, f"duplicate ids in {name}: {dup}")
        check(all(isinstance(k, str) and k for k in lst), f"non-string id in {name}")
        ids[name] = {o["id"]: o for o in doc[name]}
    loc, exh, par = ids["locations"], ids["exhibitors"], ids["participants"]
    slots, tables, reqs = ids["meeting_slots"], ids["meeting_tables"], ids["meeting_requests"]

    ev = doc["event"]
    check(ev["country"] in COUNTRIES, "event country")
    start, end = date.fromisoformat(ev["start_date"]), date.fromisoformat(ev["end_date"])
    day_dates = [date.fromisoformat(d["date"]) for d in doc["days"]]
    check(
        day_dates == [start + timedelta(days=i) for i in range((end - start).days + 1)],
        "one day entry per event day",
    )
    days = {d["date"]: d for d in doc["days"]}
    for d in doc["days"]:
        check(
            d["kinds"] and set(d["kinds"]) <= {"static_display", "matchmaking", "demo"},
            f"day {d['date']} kinds",
        )
        check(minutes(d["opens"]) < minutes(d["closes"]), f"day {d['date']} opens/closes")

    for lo in doc["locations"]:
        check(
            lo["kind"] in {"hall", "outdoor", "demo_zone", "meeting_area", "ceremony", "other"},
            f"location {lo['id']} kind",
        )
        check(isinstance(lo["restricted"], bool), f"location {lo['id']} restricted")

    # sessions
    by_loc = defaultdict(list)
    for s in doc["sessions"]:
        where = f"session {s['id']}"
        check(
            s["kind"]
            in {"ceremony", "static_display", "matchmaking", "demo", "conference", "other"},
            f"{where}: kind",
        )
        check(s["location"] in loc, f"{where}: unknown location")
        check(s["exhibitor"] is None or s["exhibitor"] in exh, f"{where}: unknown exhibitor")
        a, b = datetime.fromisoformat(s["start"]), datetime.fromisoformat(s["end"])
        check(len(s["start"]) == 16 and len(s["end"]) == 16, f"{where}: time format")
        check(b > a, f"{where}: end must be after start")
        check(a.date() == b.date(), f"{where}: spans midnight")
        day = days.get(a.date().isoformat())
        check(day is not None, f"{where}: not on an event day")
        check(
            minutes(day["opens"]) <= a.time() and b.time() <= minutes(day["closes"]),
            f"{where}: outside the day's opening hours",
        )
        for kind in ("demo", "matchmaking", "static_display"):
            if s["kind"] == kind:
                check(kind in day["kinds"], f"{where}: {kind} session on a non-{kind} day")
        if s["kind"] == "demo":
            check(s["exhibitor"] is not None, f"{where}: demo without exhibitor")
            check(loc[s["location"]]["kind"] == "demo_zone", f"{where}: demo outside zone")
        if s["kind"] == "matchmaking":
            check(loc[s["location"]]["kind"] == "meeting_area", f"{where}: not meeting area")
        for other in by_loc[s["location"]]:
            check(
                not overlaps(a, b, other[0], other[1]),
                f"{where}: overlaps {other[2]} in {s['location']}",
            )
        by_loc[s["location"]].append((a, b, s["id"]))

    # exhibitors
    for x in doc["exhibitors"]:
        check(x["country"] in COUNTRIES, f"exhibitor {x['id']} country")
        check(isinstance(x["sectors"], list) and x["sectors"], f"exhibitor {x['id']} sectors")
        check(
            isinstance(x["meeting_capacity"], int) and 1 <= x["meeting_capacity"] <= 3,
            f"exhibitor {x['id']} meeting_capacity",
        )
    check(len(doc["exhibitors"]) == 30, "exactly 30 exhibitors")

    # stands
    held = Counter()
    by_loc_stands = defaultdict(list)
    for st in doc["stands"]:
        where = f"stand {st['id']}"
        check(st["location"] in loc, f"{where}: unknown location")
        check(st["status"] in {"available", "reserved", "confirmed"}, f"{where}: status")
        check(st["currency"] == "EUR" and isinstance(st["price"], int), f"{where}: price")
        if st["exhibitor"] is None:
            check(st["status"] == "available", f"{where}: free stand must be available")
        else:
            check(st["exhibitor"] in exh, f"{where}: unknown exhibitor")
            check(st["status"] in {"reserved", "confirmed"}, f"{where}: taken but available")
            held[st["exhibitor"]] += 1
        r1 = (st["x_m"], st["y_m"], st["x_m"] + st["width_m"], st["y_m"] + st["depth_m"])
        check(min(r1) >= 0 and st["width_m"] > 0 and st["depth_m"] > 0, f"{where}: geometry")
        for other_id, r2 in by_loc_stands[st["location"]]:
            check(
                not (r1[0] < r2[2] and r2[0] < r1[2] and r1[1] < r2[3] and r2[1] < r1[3]),
                f"{where}: overlaps stand {other_id}",
            )
        by_loc_stands[st["location"]].append((st["id"], r1))
    check(all(held[x] == 1 for x in exh), "every exhibitor holds exactly one stand")

    # delegations
    for d in doc["delegations"]:
        check(d["country"] in COUNTRIES, f"delegation {d['id']} country")
        check(
            d["kind"] in {"government", "military", "industry", "press", "other"},
            f"delegation {d['id']} kind",
        )
        check(
            d["head"] in par and par[d["head"]]["delegation"] == d["id"],
            f"delegation {d['id']}: head is not one of its participants",
        )

    # participants
    emails = Counter(p["email"].lower() for p in doc["participants"])
    check(all(c == 1 for c in emails.values()), "participant emails not unique")
    for p in doc["participants"]:
        where = f"participant {p['id']}"
        check(
            p["email"] == p["email"].lower()
            and p["email"].endswith("@example.org")
            and p["email"].isascii(),
            f"{where}: email",
        )
        check(
            p["role"] in {"delegate", "exhibitor_staff", "organiser", "press", "vip"},
            f"{where}: role",
        )
        check(p["accreditation"] in {"pending", "approved", "rejected"}, f"{where}: accr")
        check(p["country"] is None or p["country"] in COUNTRIES, f"{where}: country")
        check(
            p["delegation"] is None or p["delegation"] in ids["delegations"],
            f"{where}: unknown delegation",
        )
        check(p["exhibitor"] is None or p["exhibitor"] in exh, f"{where}: unknown exhibitor")
        if p["role"] == "exhibitor_staff":
            check(p["exhibitor"] is not None, f"{where}: exhibitor_staff without exhibitor")
        if p["role"] == "delegate":
            check(p["delegation"] is not None, f"{where}: delegate without delegation")
        check(all(z in loc for z in p["zones"]), f"{where}: unknown zone")
        check(all(loc[z]["restricted"] for z in p["zones"]), f"{where}: zone not restricted")
        if p["accreditation"] != "approved":
            check(not p["zones"], f"{where}: zones on a non-approved badge")
    for did in ids["delegations"]:
        n = sum(p["delegation"] == did for p in doc["participants"])
        check(4 <= n <= 10, f"delegation {did}: {n} delegates")
    for x in exh:
        n = sum(p["exhibitor"] == x for p in doc["participants"])
        check(1 <= n <= 3, f"exhibitor {x}: {n} staff")

    # slots and tables
    spans = []
    for s in doc["meeting_slots"]:
        a, b = datetime.fromisoformat(s["start"]), datetime.fromisoformat(s["end"])
        check(b > a, f"slot {s['id']}: end must be after start")
        check(
            "matchmaking" in days[a.date().isoformat()]["kinds"],
            f"slot {s['id']}: not on a matchmaking day",
        )
        spans.append((a, b, s["id"]))
    spans.sort()
    for (_, b1, s1), (a2, _, s2) in zip(spans, spans[1:], strict=False):
        check(b1 <= a2, f"slots {s1} and {s2} overlap")
    for t in doc["meeting_tables"]:
        check(
            t["location"] in loc and loc[t["location"]]["kind"] == "meeting_area",
            f"table {t['id']}: location is not a meeting_area",
        )

    # availability
    blocked = set()
    for i, a in enumerate(doc["availability"]):
        check(a["slot"] in slots, f"availability[{i}]: unknown slot")
        if "participant" in a:
            check(a["participant"] in par, f"availability[{i}]: unknown participant")
            key = ("p", a["slot"], a["participant"])
        else:
            check(a["exhibitor"] in exh, f"availability[{i}]: unknown exhibitor")
            key = ("x", a["slot"], a["exhibitor"])
        check(key not in blocked, f"availability[{i}]: duplicate")
        blocked.add(key)

    # requests
    for r in doc["meeting_requests"]:
        where = f"request {r['id']}"
        check(
            r["delegate"] in par and par[r["delegate"]]["role"] == "delegate",
            f"{where}: delegate is not a delegate participant",
        )
        check(r["exhibitor"] in exh, f"{where}: unknown exhibitor")
        check(r["requested_by"] in {"delegate", "exhibitor"}, f"{where}: requested_by")
        check(r["status"] in {"pending", "accepted", "declined", "cancelled"}, f"{where}: status")
        check(r["priority"] in (1, 2, 3), f"{where}: priority")

    # meetings: hard rules 1-6
    per_request = Counter()
    per_delegate = Counter()
    per_exhibitor = Counter()
    per_table = Counter()
    for i, m in enumerate(doc["meetings"]):
        where = f"meetings[{i}]"
        check(m["request"] in reqs, f"{where}: unknown request")
        check(m["slot"] in slots, f"{where}: unknown slot")
        check(m["table"] in tables, f"{where}: unknown or missing table")
        r = reqs[m["request"]]
        d, x, s = r["delegate"], r["exhibitor"], m["slot"]
        check(r["status"] == "accepted", f"{where}: request not accepted")  # rule 1
        per_request[m["request"]] += 1
        check(per_request[m["request"]] == 1, f"{where}: request has two meetings")
        per_delegate[(s, d)] += 1
        check(per_delegate[(s, d)] == 1, f"{where}: delegate double-booked")  # rule 2
        per_exhibitor[(s, x)] += 1
        check(
            per_exhibitor[(s, x)] <= exh[x]["meeting_capacity"], f"{where}: exhibitor over capacity"
        )  # rule 3
        per_table[(s, m["table"])] += 1
        check(per_table[(s, m["table"])] == 1, f"{where}: table double-booked")  # rule 4
        check(
            ("p", s, d) not in blocked and ("x", s, x) not in blocked,
            f"{where}: party unavailable in slot",
        )  # rule 5
        check(par[d]["accreditation"] == "approved", f"{where}: delegate not approved")  # 6


validate(DOC)

with OUT.open("w", encoding="utf-8") as fh:
    json.dump(DOC, fh, ensure_ascii=False, indent=2)
    fh.write("\n")

with OUT.open(encoding="utf-8") as fh:
    check(json.load(fh) == DOC, "round trip through JSON changed the document")

print(f"wrote {OUT}: " + ", ".join(f"{k}={len(v)}" for k, v in DOC.items() if isinstance(v, list)))
