"""Plain data types passed from ingest to the store (Speech, Paragraph, Chunk)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Paragraph:
    speech: str  # file stem
    number: int  # 1-based index over the file's non-blank lines
    heading: str  # "一、… / （一）…", empty when the paragraph sits under no heading
    text: str
    is_heading: bool = False  # the line is itself a section heading or title line
    page: int | None = None  # PDF page the paragraph starts on


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
    id: str  # file stem
    title: str
    source: str  # path it was read from
    hash: str  # content hash of the extracted text
    paragraphs: list[Paragraph] = field(default_factory=list)
    date: str = ""
    speaker: str = ""

    def paragraph(self, number: int) -> Paragraph:
        if not 1 <= number <= len(self.paragraphs):
            raise KeyError(f"{self.id} has no paragraph {number}")
        return self.paragraphs[number - 1]

    def to_dict(self) -> dict:
        return {
            "id": self.id, "title": self.title, "source": self.source, "hash": self.hash,
            "date": self.date, "speaker": self.speaker,
            "paragraphs": [[p.heading, p.text, p.is_heading, p.page] for p in self.paragraphs],
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Speech":
        s = cls(id=d["id"], title=d["title"], source=d["source"], hash=d["hash"],
                date=d.get("date", ""), speaker=d.get("speaker", ""))
        s.paragraphs = [Paragraph(s.id, i, h, t, bool(isx), pg)
                        for i, (h, t, isx, pg) in enumerate(d.get("paragraphs", []), start=1)]
        return s
