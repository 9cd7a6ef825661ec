"""Plain data types passed from ingest to the store (Speech, Paragraph, Chunk)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import PurePath


INTERNAL_PREFIX = "~"  # the store's own bookkeeping records have ids starting with this; no speech does


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


HEADING_SEP = " / "  # between the levels of Paragraph.heading


@dataclass(frozen=True)
class Paragraph:
    speech: str  # file stem
    number: int  # 1-based index over the file's non-blank lines
    heading: str  # "一、… / （一）…", empty when the paragraph sits under no heading
    text: str
    is_heading: bool = False  # the line is itself a section heading or title line
    page: int | None = None  # PDF page the paragraph starts on

    @property
    def heading_path(self) -> tuple[str, ...]:
        """The headings the paragraph sits under, outermost first: ("一、…", "（一）…"); () under none.
        The one place that reads the stored " / " form (structure.py writes it)."""
        return tuple(self.heading.split(HEADING_SEP)) if self.heading else ()


@dataclass(frozen=True)
class Chunk:
    speech: str
    paragraph: int
    start: int  # character offsets into Paragraph.text
    end: int
    text: str

    @property
    def id(self) -> str:
        # Content-derived: re-ingesting unchanged text yields the same ids (idempotent upserts).
        return content_hash(f"{self.speech}\x1f{self.paragraph}\x1f{self.start}\x1f{self.text}")


@dataclass
class Speech:
    id: str  # the file stem, with a suffix (讲话-2) when another source already holds that stem
    title: str
    source: str  # resolved path it was read from: the speech's identity (an upload's is its kept copy)
    hash: str  # content hash of the extracted text
    paragraphs: list[Paragraph] = field(default_factory=list)
    date: str = ""  # ISO: YYYY-MM-DD, YYYY-MM or YYYY (older indexes: as speeches.toml gave it), or ""
    speaker: str = ""
    origin: str = ""  # the file name users know it by (讲话.docx), shown beside the title
    # given (speeches.toml) | stated (the file's header) | document (its properties) | inferred (its body) | ""
    date_basis: str = ""

    def __post_init__(self) -> None:
        if not self.origin and self.source:
            self.origin = PurePath(self.source).name

    def paragraph(self, number: int) -> Paragraph:
        if not 1 <= number <= len(self.paragraphs):
            raise KeyError(f"{self.id} has no paragraph {number}")
        return self.paragraphs[number - 1]

    def to_dict(self) -> dict:
        return {
            "id": self.id, "title": self.title, "source": self.source, "hash": self.hash,
            "date": self.date, "date_basis": self.date_basis, "speaker": self.speaker, "origin": self.origin,
            "paragraphs": [[p.heading, p.text, p.is_heading, p.page] for p in self.paragraphs],
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Speech":
        s = cls(id=d["id"], title=d["title"], source=d["source"], hash=d["hash"],
                date=d.get("date", ""), speaker=d.get("speaker", ""), origin=d.get("origin", ""),
                # before date_basis, only speeches.toml set a date
                date_basis=d.get("date_basis") or ("given" if d.get("date") else ""))
        s.paragraphs = [Paragraph(s.id, i, h, t, bool(isx), pg)
                        for i, (h, t, isx, pg) in enumerate(d.get("paragraphs", []), start=1)]
        return s
