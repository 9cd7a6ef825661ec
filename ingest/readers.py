"""Files → text lines. One reader per format; every failure is an IngestError with a one-line reason."""
from __future__ import annotations

import dataclasses
import re
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .decoding import clean_text, decode_text
from .errors import IngestError
from .read_doc import read_doc
from .read_html import read_html, read_mhtml
from .read_ofd import read_ofd
from .structure import Document, Line, running_lines, split_lines

IMAGES = (".jpg", ".jpeg", ".png")  # photos and scans of printed pages: OCR (ingest/ocr.py)
MIB = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * MIB
MAX_CHARS = 2_000_000  # extracted characters; a speech has tens of thousands
DOCX_MAX_UNPACKED = 200 * MIB  # bytes all parts of a .docx may unpack to (python-docx reads them all)
DOCX_MAX_PARTS = 10_000  # entries in a .docx zip
PDF_MAX_PAGES = 2_000
PDF_MAX_SECONDS = 120.0  # time budget for extracting a PDF's text
SCAN_CHARS = 20  # a PDF page with fewer characters of text layer is a scan: OCR'd


@dataclass(frozen=True)
class Limits:
    """What a file may cost to read; anything over is refused with its reason."""
    max_bytes: int = DEFAULT_MAX_BYTES
    max_chars: int = MAX_CHARS
    docx_unpacked: int = DOCX_MAX_UNPACKED
    pdf_pages: int = PDF_MAX_PAGES
    pdf_seconds: float = PDF_MAX_SECONDS
    ocr_pages: int = 300  # scanned pages OCR'd per file (a few seconds each)
    ocr_seconds: float = 900.0  # time budget for the OCR of one file
    ocr_dpi: int = 150  # rasterisation of a scanned PDF page (also capped at 2000 pixels a side)
    ocr_pixels: int = 50_000_000  # pixels of one image or rasterised page


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")


def read_markdown(text: str) -> list[Line]:
    lines = []
    for ln in split_lines(text):
        m = _MD_HEADING.match(ln.text)
        lines.append(Line(m.group(2).strip(), len(m.group(1))) if m and m.group(2).strip() else ln)
    return lines


def check_docx(path: Path, limits: Limits) -> None:
    """Refuse a .docx whose parts would unpack to more than the limit, before python-docx reads them.
    zipfile never inflates an entry past its declared size, so the declared sizes bound the work."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise IngestError(f"{path.name}: not a readable .docx file ({type(e).__name__})") from e
    if len(infos) > DOCX_MAX_PARTS:
        raise IngestError(f"{path.name}: the .docx has {len(infos)} parts (limit {DOCX_MAX_PARTS}); not a normal document")
    unpacked = sum(i.file_size for i in infos)
    if unpacked > limits.docx_unpacked:
        raise IngestError(f"{path.name}: the .docx unpacks to {unpacked / MIB:.0f} MB, over the limit of "
                          f"{limits.docx_unpacked / MIB:.0f} MB; save the text as .txt or .docx without large images")


def docx_props(doc) -> tuple[str, str]:
    """(title, ISO created date) from the core properties. python-docx's own template carries a fixed
    created stamp, which dates no document, so a file it made without setting one gets no date."""
    props = doc.core_properties
    created = props.created
    template = "python-docx" in (props.author, props.last_modified_by) and created is not None \
        and created.isoformat().startswith("2013-12-23T23:15")
    if created is None or template:
        return (props.title or "").strip(), ""
    return (props.title or "").strip(), created.date().isoformat()


def read_docx(path: Path, limits: Limits | None = None) -> Document:
    import docx

    check_docx(path, limits or Limits())
    try:
        doc = docx.Document(str(path))
    except Exception as e:  # python-docx raises several types for a broken zip
        raise IngestError(f"{path.name}: not a readable .docx file ({type(e).__name__})") from e
    lines = []
    for para in doc.paragraphs:
        text = para.text.strip()
        if not text:
            continue
        style = (para.style.name or "") if para.style is not None else ""
        level = None
        if style.startswith("Heading") and style[7:].strip().isdigit():
            level = int(style[7:].strip())
        elif style == "Title":
            level = 0
        lines.append(Line(text, level))
    return Document(lines, *docx_props(doc))


_PAGE_NO = re.compile(r"^[-—\s第]*\d+[\s页]*(?:/\s*\d+)?[-—\s]*$")


def pdf_pages(path: Path, limits: Limits) -> list[str]:
    """The text of each page, within the page and time limits. Any pypdf failure (of whatever type: a
    damaged file can raise almost anything) is a refusal of this file only."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(f"{path.name}: the PDF is password-protected; save a copy without a password")
        count = len(reader.pages)
        if count > limits.pdf_pages:
            raise IngestError(f"{path.name}: the PDF has {count} pages, over the limit of {limits.pdf_pages}")
        started, pages, chars = time.monotonic(), [], 0
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            chars += len(pages[-1])
            if chars > limits.max_chars:
                raise IngestError(f"{path.name}: over {limits.max_chars:,} characters of text; split the file")
            if time.monotonic() - started > limits.pdf_seconds:
                raise IngestError(f"{path.name}: reading the PDF took over {limits.pdf_seconds:.0f} s "
                                  f"(at page {len(pages)} of {count}); save its text as .txt or .docx")
    except IngestError:
        raise
    except PyPdfError as e:
        raise IngestError(f"{path.name}: not a readable PDF ({type(e).__name__}: {str(e)[:80]})") from e
    except Exception as e:  # noqa: BLE001 — malformed PDFs raise KeyError, TypeError, RecursionError…
        raise IngestError(f"{path.name}: not a readable PDF ({type(e).__name__})") from e
    return pages


def read_scans(path: Path, limits: Limits, progress=None, pages: list[int] | None = None,
               alone: bool = True) -> list[Line]:
    """OCR of an image file, or of the given PDF pages; a refusal is this file's IngestError."""
    from .ocr import OcrRefused, ocr_image, ocr_pdf

    try:
        return ocr_pdf(path, pages, limits, progress, alone) if pages else ocr_image(path, limits, progress)
    except OcrRefused as e:
        raise IngestError(f"{path.name}: {e}") from e


def read_pdf(path: Path, limits: Limits | None = None, progress=None) -> list[Line]:
    """Text pages as pypdf reads them, pages with (almost) no text layer OCR'd; in page order."""
    limits = limits or Limits()
    pages = pdf_pages(path, limits)
    scans = [n for n, p in enumerate(pages, start=1) if len("".join(p.split())) < SCAN_CHARS]
    texts = [(n, p) for n, p in enumerate(pages, start=1) if n not in set(scans)]
    lines = text_layer_lines(texts)
    if scans:
        lines += read_scans(path, limits, progress, scans, alone=not texts)
    return sorted(lines, key=lambda ln: ln.page)  # stable: each page's paragraphs keep their order


def text_layer_lines(pages: list[tuple[int, str]]) -> list[Line]:
    """(page number, text) of text pages → paragraphs; a gap in the numbers (a scan) ends a paragraph."""
    stripped = [[ln.strip() for ln in p.splitlines() if ln.strip()] for _, p in pages]
    repeated = running_lines([ls[:1] + ls[-1:] for ls in stripped])
    lines: list[Line] = []
    buf, buf_page, last = "", None, None
    for pno, p in pages:
        if buf and last is not None and pno != last + 1:
            lines.append(Line(buf, None, buf_page))
            buf, buf_page = "", None
        last = pno
        kept = [t for t in (raw.strip() for raw in p.splitlines()) if t and t not in repeated and not _PAGE_NO.match(t)]
        # Wrapped lines run the full width; a clearly shorter line ends its paragraph (or is a heading).
        full = max((len(t) for t in kept), default=0)
        for t in kept:
            if buf_page is None:
                buf_page = pno
            buf += t
            # A line ending in sentence punctuation (or a short heading-like line) closes a paragraph.
            if t[-1] in "。！？：:；!?\"”" or (len(t) < 0.6 * full and t[-1] not in "，、,（(“"):
                lines.append(Line(buf, None, buf_page))
                buf, buf_page = "", None
    if buf:
        lines.append(Line(buf, None, buf_page))
    return lines


def read_plain(path: Path, limits: Limits) -> list[Line]:
    """.txt and .md: decoded (ingest's encodings), bounded in characters; .md headings kept."""
    text = decode_text(path.read_bytes(), path.name)
    if len(text) > limits.max_chars:
        raise IngestError(f"{path.name}: {len(text):,} characters, over the limit of {limits.max_chars:,}; split the file")
    return read_markdown(text) if path.suffix.lower() == ".md" else split_lines(text)


# Extension → reader(path, limits) giving lines or a Document. SUPPORTED (ingest, uploads, the app's
# file pickers) is read from here, so a format is added in this one place.
READERS = {
    ".txt": read_plain, ".md": read_plain, ".docx": read_docx, ".pdf": read_pdf,
    ".doc": read_doc, ".wps": read_doc, ".ofd": read_ofd,
    ".html": read_html, ".htm": read_html, ".mhtml": read_mhtml, ".mht": read_mhtml,
} | {ext: read_scans for ext in IMAGES}
PAGED = (".pdf",) + IMAGES  # readers that report progress(done, total) page by page (OCR is slow)
SUPPORTED = tuple(READERS)


def read_document(path: Path, limits: Limits | None = None, progress=None) -> Document:
    """The file's lines (control characters removed, once, here, for every format) and its own
    properties, within the limits. progress(done, total) is called after each OCR'd page."""
    limits = limits or Limits()
    max_bytes = limits.max_bytes
    path = Path(path)
    if not path.exists():
        raise IngestError(f"{path}: no such file")
    if path.is_dir():
        raise IngestError(f"{path}: is a directory")
    ext = path.suffix.lower()
    if ext not in READERS:
        raise IngestError(f"{path.name}: unsupported file type '{ext or '(none)'}' (supported: {', '.join(SUPPORTED)})")
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(f"{path.name}: {size / 1e6:.1f} MB is over the size limit of {max_bytes / 1e6:.0f} MB")
    if size == 0:
        raise IngestError(f"{path.name}: the file is empty")
    doc = READERS[ext](path, limits, progress) if ext in PAGED else READERS[ext](path, limits)
    doc = doc if isinstance(doc, Document) else Document(doc)
    lines = [dataclasses.replace(ln, text=t) for ln in doc.lines if (t := clean_text(ln.text).strip())]
    if sum(len(ln.text) for ln in lines) > limits.max_chars:
        raise IngestError(f"{path.name}: over {limits.max_chars:,} characters of text; split the file")
    if not lines:
        raise IngestError(f"{path.name}: the file has no text")
    return Document(lines, clean_text(doc.title).strip(), doc.date)


def read_lines(path: Path, max_bytes: int = DEFAULT_MAX_BYTES, limits: Limits | None = None,
               progress=None) -> list[Line]:
    """The file's lines (see read_document)."""
    return read_document(path, limits or Limits(max_bytes=max_bytes), progress).lines
