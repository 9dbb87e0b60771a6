"""Badge layouts as data: where each piece goes, in which font, size and colour.

A `BadgeDesign` describes one badge in millimetres from its top-left corner; a
`Sheet` says how badges sit on a printed page (one A6 badge per page for badge
printers, or four on A4 with crop marks, scaled to fit the cells left by the
margins). `render.BadgeRenderer` draws any design on any sheet; changing the look
means changing the data here, not the drawing code.

Labels are bilingual data ({"en": ..., "fr": ...}): a badge is read by guards and
visitors of every language, so it prints each label in all of `design.languages`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BOLD = "DejaVuSans-Bold"
REGULAR = "DejaVuSans"

INK = "#1d2733"
MUTED = "#4a5563"
WHITE = "#ffffff"
HEADER = "#17365d"
ZONE = "#b71c1c"
PALE = "#c9d1db"


@dataclass(frozen=True)
class Box:
    """A rectangle in millimetres, x and y from the badge's top-left corner."""

    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class Text:
    """How a text is set: it shrinks down to `min_size`, wraps up to `max_lines`, then
    ends with an ellipsis."""

    font: str = REGULAR
    size: float = 9
    min_size: float | None = None
    colour: str = INK
    align: str = "left"  # left, centre, right
    max_lines: int = 1
    leading: float = 1.15
    upper: bool = False
    valign: str = "top"  # top, middle


@dataclass(frozen=True)
class Element:
    """One piece of the badge.

    kind: "rect" (a filled box), "text" (the badge's `source` field), "photo", "qr",
    "zones" (a mark per access zone) or "days" (a box per event day, filled when valid).
    fill: a colour, or "category" / "category-text" for the category's colours.
    static: the same on every badge of a category, so it is drawn once into a PDF form
    and reused (smaller files, faster printing). `no_photo`: the box when there is no photo.
    """

    kind: str
    box: Box
    source: str | None = None
    text: Text = Text()
    fill: str | None = None
    static: bool = False
    no_photo: Box | None = None


@dataclass(frozen=True)
class Category:
    """A colour band: who the holder is, seen from across a hall."""

    fill: str
    ink: str
    label: dict[str, str]


@dataclass(frozen=True)
class BadgeDesign:
    name: str
    width: float  # mm
    height: float
    elements: tuple[Element, ...]
    categories: dict[str, Category]
    labels: dict[str, dict[str, str]]
    languages: tuple[str, ...] = ("en", "fr")
    # Module size of the QR on paper is the QR box / modules; keep it above ~0.5 mm.
    qr_quiet_modules: int = 4

    def label(self, key: str, separator: str = " · ") -> str:
        """A label in every language of the badge, once when the languages agree."""
        return _in_languages(self.labels[key], self.languages, separator)

    def category_label(self, category: str, separator: str = " · ") -> str:
        return _in_languages(self.categories[category].label, self.languages, separator)


def _in_languages(words: dict[str, str], languages: tuple[str, ...], separator: str) -> str:
    chosen: list[str] = []
    for lang in languages:
        word = words.get(lang) or words["en"]
        if word not in chosen:
            chosen.append(word)
    return separator.join(chosen)


@dataclass(frozen=True)
class Sheet:
    """Badges on a page: a grid of cells inside the margins, each badge centred and scaled
    (never enlarged) to fit its cell; crop marks outside each badge's corners."""

    name: str
    page_width: float  # mm
    page_height: float
    columns: int = 1
    rows: int = 1
    margin: float = 0
    gutter: float = 0
    crop_marks: bool = False
    crop_mark_length: float = 4
    crop_mark_offset: float = 1.5

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def cells(self) -> list[tuple[float, float, float, float]]:
        """(x, y, w, h) of each cell in mm from the page's top-left, row by row."""
        width = (self.page_width - 2 * self.margin - (self.columns - 1) * self.gutter) / (
            self.columns
        )
        height = (self.page_height - 2 * self.margin - (self.rows - 1) * self.gutter) / self.rows
        return [
            (
                self.margin + column * (width + self.gutter),
                self.margin + row * (height + self.gutter),
                width,
                height,
            )
            for row in range(self.rows)
            for column in range(self.columns)
        ]


CATEGORIES = {
    "vip": Category("#b8860b", "#000000", {"en": "VIP", "fr": "VIP"}),
    "delegation": Category("#1f5fa8", WHITE, {"en": "Delegation", "fr": "Délégation"}),
    "exhibitor": Category("#2e7d32", WHITE, {"en": "Exhibitor", "fr": "Exposant"}),
    "press": Category("#e65100", "#000000", {"en": "Press", "fr": "Presse"}),
    "organiser": Category("#6a1b9a", WHITE, {"en": "Organiser", "fr": "Organisateur"}),
    "security": Category("#212121", WHITE, {"en": "Security", "fr": "Sécurité"}),
}

LABELS = {
    "valid": {"en": "Valid", "fr": "Valable"},
    "access": {"en": "Access", "fr": "Accès"},
    "general": {"en": "General areas only", "fr": "Zones publiques seulement"},
}

# A6 portrait, 105 x 148 mm.
BADGE_A6 = BadgeDesign(
    name="a6",
    width=105,
    height=148,
    categories=CATEGORIES,
    labels=LABELS,
    elements=(
        Element("rect", Box(0, 0, 105, 23), fill=HEADER, static=True),
        Element(
            "text",
            Box(6, 4, 93, 9),
            "event_name",
            Text(BOLD, 14, min_size=8, colour=WHITE),
            static=True,
        ),
        Element(
            "text",
            Box(6, 12.5, 93, 8),
            "event_when",
            Text(REGULAR, 8.5, min_size=6, colour=WHITE),
            static=True,
        ),
        Element("photo", Box(6, 28, 26, 33)),
        Element(
            "text",
            Box(35, 28, 64, 16),
            "name",
            Text(BOLD, 18, min_size=10, max_lines=2, leading=1.1),
            no_photo=Box(6, 28, 93, 16),
        ),
        Element(
            "text",
            Box(35, 45, 64, 8),
            "title",
            Text(REGULAR, 8.5, min_size=7, colour=MUTED, max_lines=2),
            no_photo=Box(6, 45, 93, 8),
        ),
        Element(
            "text",
            Box(35, 54, 64, 5),
            "organisation",
            Text(BOLD, 9.5, min_size=7),
            no_photo=Box(6, 54, 93, 5),
        ),
        Element(
            "text",
            Box(6, 63, 93, 5),
            "where_from",
            Text(REGULAR, 9, min_size=7),
        ),
        Element(
            "text",
            Box(6, 70, 93, 4),
            "access_label",
            Text(BOLD, 6.5, colour=MUTED, upper=True),
            static=True,
        ),
        Element("zones", Box(6, 74.5, 93, 10), text=Text(BOLD, 11, min_size=7, colour=WHITE)),
        Element(
            "text",
            Box(6, 89, 56, 4),
            "valid_label",
            Text(BOLD, 6.5, colour=MUTED, upper=True),
            static=True,
        ),
        Element("days", Box(6, 93.5, 56, 12), text=Text(BOLD, 9, min_size=6)),
        Element(
            "text",
            Box(6, 117, 56, 4),
            "reference",
            Text(REGULAR, 6.5, colour=MUTED),
        ),
        Element("qr", Box(65, 87, 36, 36)),
        Element("rect", Box(0, 127, 105, 21), fill="category", static=True),
        Element(
            "text",
            Box(4, 131.5, 97, 12),
            "category_label",
            Text(
                BOLD,
                20,
                min_size=10,
                colour="category-text",
                align="centre",
                upper=True,
                valign="middle",
            ),
            static=True,
        ),
    ),
)

SHEETS = {
    "a6": Sheet("a6", 105, 148),
    "a4-4up": Sheet("a4-4up", 210, 297, columns=2, rows=2, margin=10, gutter=8, crop_marks=True),
}
DESIGNS = {"a6": BADGE_A6}
LAYOUT_NAMES = tuple(SHEETS)


@dataclass
class BadgeFace:
    """What one badge shows, already in words: the renderer knows nothing of the database."""

    category: str
    name: str
    title: str = ""
    organisation: str = ""
    where_from: str = ""
    zones: list[str] = field(default_factory=list)
    valid_days: frozenset = frozenset()
    reference: str = ""
    code: str = ""
    photo: str | None = None  # a JPEG file


@dataclass(frozen=True)
class EventFace:
    """The event's part of every badge."""

    name: str
    when: str
    days: tuple = ()  # every day of the event (datetime.date), in order
