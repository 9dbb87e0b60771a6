"""Reading a PDF back the way a reader (or a search box) sees it: text per page, the
outline, and the lines of the table of contents with their page numbers."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from pypdf import PdfReader

# The top-level outline entries of a programme that has every section, in order.
PROGRAMME_SECTIONS = (
    "cover",
    "contents",
    "glance",
    "schedule",
    "floor-plan",
    "catalogue",
    "sectors",
    "delegations",
    "practical",
)
_SPACES = re.compile(r"[ \t\u00a0\u202f\u2009]+")


def normalise(text: str) -> str:
    """No-break and narrow spaces as plain ones, runs of spaces as one."""
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.splitlines())


@dataclass
class Pdf:
    reader: PdfReader
    pages: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, data: bytes) -> Pdf:
        reader = PdfReader(io.BytesIO(data))
        return cls(reader, [normalise(page.extract_text()) for page in reader.pages])

    @property
    def text(self) -> str:
        return "\n".join(self.pages)

    def flat(self, start: int = 0, end: int | None = None) -> str:
        """The text of pages [start, end) on one line: wrapped lines joined by spaces."""
        return " ".join(" ".join(self.pages[start:end]).split())

    def pages_with(self, needle: str) -> list[int]:
        return [i for i, page in enumerate(self.pages) if needle in page]

    def section_page(self, section: str) -> int:
        """The page index where a section of a complete programme starts (by its place in
        the outline, so the same in every language)."""
        top = [page for level, _, page in self.outline() if level == 0]
        assert len(top) == len(PROGRAMME_SECTIONS), "not a programme with every section"
        return top[PROGRAMME_SECTIONS.index(section)]

    def outline(self) -> list[tuple[int, str, int]]:
        """(level, title, page index) of every outline entry, in order."""
        found: list[tuple[int, str, int]] = []

        def walk(items, level: int) -> None:
            for item in items:
                if isinstance(item, list):
                    walk(item, level + 1)
                else:
                    found.append((level, item.title, self.reader.get_destination_page_number(item)))

        walk(self.reader.outline, 0)
        return found

    def contents_lines(self, page_index: int) -> list[tuple[str, int]]:
        """(title, page number) of each line of a table-of-contents page, read by position:
        the dots and number are drawn before the title, so text order alone would mislead."""
        pieces: dict[int, list[tuple[float, str]]] = {}

        def visit(text, cm, tm, font, size) -> None:
            if text.strip():
                x = tm[4] * cm[0] + cm[4]
                y = round(tm[5] * cm[3] + cm[5])
                pieces.setdefault(y, []).append((x, text))

        self.reader.pages[page_index].extract_text(visitor_text=visit)
        lines = []
        for y in sorted(pieces, reverse=True):
            line = normalise("".join(text for _, text in sorted(pieces[y])))
            match = re.fullmatch(r"(.+?)[\s.]*\.\s*(\d+)", line)
            if match:
                lines.append((match.group(1).strip(), int(match.group(2))))
        return lines
