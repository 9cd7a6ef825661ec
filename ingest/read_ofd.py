"""OFD (GB/T 33190, the Chinese fixed-layout format of official documents) → paragraphs in reading
order, with the title and creation date of its DocInfo.

An OFD is a zip: OFD.xml names DocInfo and the DocRoot (Document.xml), which lists the pages; each
page's Content.xml holds TextObjects (a Boundary "x y w h" in mm) with TextCode runs at X, Y inside it.
The runs are placed on the page, grouped into lines by Y (within half a character), and lines into
paragraphs: a line indented past the left margin, or after a wide gap, starts one; a line ending short
of the right margin ends one. Lines at the top or foot of most pages are running heads, dropped. No PyPI library reads this without a renderer (easyofd pulls in PyMuPDF
and reportlab to draw pages), so this is zipfile plus defusedxml (no DTDs or entities), bounded in
parts, bytes unpacked, pages and time.
"""
from __future__ import annotations

import posixpath
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import IngestError
from .structure import Document, Line, running_lines

MAX_PARTS = 10_000  # zip entries
MAX_UNPACKED = 200 * 1024 * 1024  # bytes all entries may unpack to (declared sizes; zipfile keeps to them)
MAX_PART = 20 * 1024 * 1024  # one XML part
MAX_PAGES = 2_000
MAX_SECONDS = 120.0
INDENT = 1.0  # characters past the left margin that mark a paragraph's first line
GAP = 1.8  # times the usual line spacing that separates paragraphs


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(el, name: str):
    return next((c for c in el if _local(c.tag) == name), None)


def _text(el, name: str) -> str:
    c = _child(el, name) if el is not None else None
    return (c.text or "").strip() if c is not None else ""


@dataclass(frozen=True)
class Run:
    x: float
    y: float
    size: float
    text: str

    @property
    def end(self) -> float:  # CJK glyphs are one em wide; near enough to find a short last line
        return self.x + self.size * len(self.text)


class Package:
    """The OFD zip, its parts read within the bounds."""

    def __init__(self, path: Path):
        self.name = path.name
        try:
            self.zip = zipfile.ZipFile(path)
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError) as e:
            raise IngestError(f"{path.name}: not a readable OFD file ({type(e).__name__})") from e
        if len(infos) > MAX_PARTS:
            raise IngestError(f"{path.name}: the OFD has {len(infos)} parts (limit {MAX_PARTS}); not a normal document")
        if sum(i.file_size for i in infos) > MAX_UNPACKED:
            raise IngestError(f"{path.name}: the OFD unpacks to over {MAX_UNPACKED >> 20} MB")
        self.names = {i.filename.lstrip("/"): i for i in infos}

    def xml(self, name: str):
        import defusedxml.ElementTree as ET
        from defusedxml import DefusedXmlException

        info = self.names.get(posixpath.normpath(name.lstrip("/")))
        if info is None:
            raise IngestError(f"{self.name}: the OFD has no part {name}; the file is damaged")
        if info.file_size > MAX_PART:
            raise IngestError(f"{self.name}: the OFD part {name} is over {MAX_PART >> 20} MB")
        try:
            return ET.fromstring(self.zip.read(info))
        except DefusedXmlException as e:
            raise IngestError(f"{self.name}: the OFD part {name} declares entities or a DTD; refused") from e
        except Exception as e:  # noqa: BLE001 — bad XML, bad zip data (zlib, CRC): a damaged file
            raise IngestError(f"{self.name}: the OFD part {name} is damaged ({type(e).__name__})") from e


def _floats(s: str | None, n: int) -> list[float]:
    try:
        vals = [float(v) for v in (s or "").split()]
    except ValueError:
        vals = []
    return (vals + [0.0] * n)[:n]


def page_runs(root) -> list[Run]:
    """Every TextCode of a page's Content.xml, placed on the page."""
    runs = []
    for obj in root.iter():
        if _local(obj.tag) != "TextObject":
            continue
        bx, by, _, _ = _floats(obj.get("Boundary"), 4)
        size = _floats(obj.get("Size"), 1)[0] or 3.5
        for code in obj:
            if _local(code.tag) == "TextCode" and (code.text or "").strip():
                x, y = _floats(code.get("X"), 1)[0], _floats(code.get("Y"), 1)[0]
                # XML indentation inside a run is no text: whitespace (line breaks too) becomes one space
                runs.append(Run(bx + x, by + y, size, " ".join(code.text.split())))
    return runs


def page_lines(runs: list[Run]) -> list[list[Run]]:
    """Runs grouped into lines (a run within half a character of a line's Y joins it), top to bottom,
    each line's runs left to right."""
    lines: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: (r.y, r.x)):
        if lines and abs(run.y - lines[-1][0].y) <= run.size / 2:
            lines[-1].append(run)
        else:
            lines.append([run])
    return [sorted(line, key=lambda r: r.x) for line in lines]


def paragraphs(lines: list[list[Run]], page: int, carry: Line | None = None) -> tuple[list[Line], Line | None]:
    """A page's lines joined into paragraphs, and the paragraph still open at its foot (`carry` is the
    one open from the page before: a paragraph that runs on over the page break stays one)."""
    if not lines:
        return [], carry
    left = min(ln[0].x for ln in lines)
    right = max(ln[-1].end for ln in lines)
    steps = sorted(b[0].y - a[0].y for a, b in zip(lines, lines[1:]))
    usual = steps[len(steps) // 2] if steps else 0.0
    out: list[Line] = []
    buf, start = (carry.text, carry.page) if carry else ("", page)
    prev = None
    for ln in lines:
        size = ln[0].size
        text = "".join(r.text for r in ln).strip()
        new = ln[0].x - left >= INDENT * size or (prev is not None and usual and ln[0].y - prev[0].y > GAP * usual)
        if buf and new:
            out.append(Line(buf, None, start))
            buf = ""
        if not buf:
            start = page
        buf += text
        if right - ln[-1].end > 2 * size:  # ends short of the right margin: the paragraph ends here
            out.append(Line(buf, None, start))
            buf = ""
        prev = ln
    return out, Line(buf, None, start) if buf else None


def _line_text(line: list[Run]) -> str:
    return "".join(r.text for r in line).strip()


def running_heads(pages: list[list[list[Run]]]) -> set[str]:
    """Lines at the top or foot of most pages (of three or more): running heads and footers, as the PDF
    reader drops them."""
    return running_lines([[_line_text(ln) for ln in lines[:1] + lines[-1:]] for lines in pages])


def _document(pkg: Package) -> tuple[str, object, str, str]:
    """(DocRoot path, Document.xml root, title, ISO creation date)."""
    ofd = pkg.xml("OFD.xml")
    body = _child(ofd, "DocBody")
    if body is None or not _text(body, "DocRoot"):
        raise IngestError(f"{pkg.name}: not an OFD document (OFD.xml names no DocRoot)")
    if _child(body, "Encryptions") is not None or any(n.lower().endswith("encryptions.xml") for n in pkg.names):
        raise IngestError(f"{pkg.name}: the OFD is encrypted; save a copy without a password")
    info = _child(body, "DocInfo")
    root = _text(body, "DocRoot")
    return root, pkg.xml(root), _text(info, "Title"), _text(info, "CreationDate")[:10]


def read_ofd(path: Path, limits=None) -> Document:
    pkg = Package(path)
    root, doc, title, created = _document(pkg)
    pages_el = _child(doc, "Pages")
    pages = [p for p in (pages_el if pages_el is not None else []) if _local(p.tag) == "Page"]
    if len(pages) > MAX_PAGES:
        raise IngestError(f"{path.name}: the OFD has {len(pages)} pages, over the limit of {MAX_PAGES}")
    started, laid, chars = time.monotonic(), [], 0
    for n, page in enumerate(pages, start=1):
        loc = page.get("BaseLoc") or ""
        part = loc if loc.startswith("/") else posixpath.join(posixpath.dirname(root), loc)
        laid.append(page_lines(page_runs(pkg.xml(part))))
        chars += sum(len(r.text) for ln in laid[-1] for r in ln)
        if limits is not None and chars > limits.max_chars:
            raise IngestError(f"{path.name}: over {limits.max_chars:,} characters of text; split the file")
        if time.monotonic() - started > MAX_SECONDS:
            raise IngestError(f"{path.name}: reading the OFD took over {MAX_SECONDS:.0f} s (at page {n})")
    out, carry, repeated = [], None, running_heads(laid)
    for n, lines in enumerate(laid, start=1):
        found, carry = paragraphs([ln for ln in lines if _line_text(ln) not in repeated], n, carry)
        out += found
    out += [carry] if carry else []
    if not out:
        raise IngestError(f"{path.name}: the OFD has no text (a scan?); provide the text")
    return Document(out, title, created)
