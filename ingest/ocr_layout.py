"""OCR boxes → lines → paragraphs, as printed Chinese documents are laid out. Pure functions on
positions (no model), so every rule is unit-tested with synthetic boxes.

Rules, in character units (a CJK character is as wide as a line is high):
- boxes whose vertical spans mostly overlap are one line, read left to right;
- per page, the text frame is the left edge most lines start at and the right edge most lines run to;
- page numbers ("— 3 —", "- 3 -", "第3页", "3/10") and running headers/footers (the same first or
  last line on most pages, or an edge line in a smaller font) are dropped;
- a line indented by about two characters starts a paragraph; a centered line is a paragraph of its own
  (a title), joined with the next centered line only when it runs nearly the full width (a wrapped title);
- a line that ends clearly before the right edge ends its paragraph; in a document that indents its
  paragraphs, only when it also ends a sentence or stops well short (digits and Latin letters make a
  line wrapped by character count shorter without ending anything);
- so a paragraph continues across a page break when the page's last line runs to the edge and the next
  page does not start indented.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from .structure import Line, running_lines

MIN_SCORE = 0.5  # boxes the recogniser is less sure of are dropped (rapidocr's own default)
INDENT = 1.2  # characters of left indent that mark a first line
SHORT = 1.5  # characters short of the right edge that end a paragraph
WELL_SHORT = 0.35  # share of the line width short that ends one even without a sentence end
CENTER_TOL = 1.5  # characters of difference between the left and right gaps of a centered line
FULL = 0.85  # share of the frame a centered line fills when it is a wrapped title
EDGE_SMALL = 0.8  # an edge line this much smaller than the body is a running header/footer
EDGE_CENTERED = 0.92  # a centered edge line this much smaller is one too
TITLE_SIZE = 1.15  # lines this much larger than the body are a title (joined, and set apart)
TITLE_HEIGHT = 1.35  # the same, told by the box height of a line too short to measure (noisier)
LOST_DASH = (1.6, 2.6)  # characters of extra indent where a leading —— was not read at all
FRAME_MIN_LINES = 8  # fewer lines on a page: the document's frame is used
PARA_END = "。！？：；…”’）)!?:;"
# Dashes around a page number are often read as 一.
PAGE_NO = re.compile(r"^[-—–－_~\s·•一]*(?:第\s*)?[0-9]{1,4}\s*(?:页)?(?:\s*[/／共]\s*[0-9]{1,4}\s*页?)?[-—–－_~\s·•一]*$")
DIGITS = re.compile(r"[0-9\s]+")
# The recogniser often reads a full-width ，：；？！（） beside Chinese as its ASCII form.
_HALF = re.compile(r"(?<=[\u4e00-\u9fff“”’）》」])([,:;?!)])|([(])(?=[\u4e00-\u9fff])")
_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}


# A paragraph led by —— (a dash item, common in speeches) is read as 一 or —: at a paragraph's start, 一
# before a character that rarely follows it in a word (一是, 一年, 一些… keep theirs) is the dash.
_ONE_WORDS = "是要、，方年些切直个批手把定起致系月线体季段次项句位条份种场样般律贯向再度时同道步揽流级号举心"
_DASH_LEAD = re.compile(rf"^(?:[—一][—一]|—|一(?=[\u4e00-\u9fff])(?![{_ONE_WORDS}]))")


def dash_lead(text: str) -> str:
    """The paragraph with its leading —— restored."""
    return _DASH_LEAD.sub("——", text, count=1) if not text.startswith("一一") else "——" + text[2:]


_LONE_DASH = re.compile(r"(?<=[\u4e00-\u9fff])—(?=[\u4e00-\u9fff])")  # Chinese uses —— as one dash
_PLACEHOLDER = re.compile(r"(?=[xX]*x)(?=[xX]*X)[xX]{2,}")  # xx (a name left out): x and X look alike


def _quotes(text: str) -> str:
    """An ASCII " beside Chinese as the curly quote that closes or opens, by the quote before it."""
    out, is_open = [], False
    for i, ch in enumerate(text):
        if ch == '"' and any("\u4e00" <= c <= "\u9fff" for c in text[max(i - 1, 0):i + 2]):
            ch = "”" if is_open else "“"
        if ch in "“”":
            is_open = ch == "“"
        out.append(ch)
    return "".join(out)


def full_width(text: str) -> str:
    """Slips of the recogniser mended: ASCII punctuation next to Chinese in its full-width form, as
    Chinese text prints it; a lone — between Chinese as ——; a mixed-case xX placeholder as xx."""
    text = _HALF.sub(lambda m: _FULL[m.group(0)], text)
    text = _quotes(text) if '"' in text else text
    return _PLACEHOLDER.sub(lambda m: m.group(0).lower(), _LONE_DASH.sub("——", text))


@dataclass(frozen=True)
class Box:
    """One recognised text box, axis-aligned, in page pixels."""
    text: str
    score: float
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class TextLine:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def wide(self) -> bool:
        """Long enough for its width to measure the character size."""
        return sum(0.5 if ch.isascii() else 1.0 for ch in self.text) >= 4

    @property
    def size(self) -> float:
        """Character size: the width per character (a CJK one is square, a Latin one or digit about
        half), steadier than the box height; the height for a line too short to tell."""
        units = sum(0.5 if ch.isascii() else 1.0 for ch in self.text)
        return (self.x1 - self.x0) / units if self.wide else self.height


@dataclass(frozen=True)
class Frame:
    left: float
    right: float
    char: float  # the body text's character size

    def indent(self, ln: TextLine) -> float:
        return (ln.x0 - self.left) / self.char

    def gap(self, ln: TextLine) -> float:
        return (self.right - ln.x1) / self.char

    @property
    def width(self) -> float:
        return (self.right - self.left) / self.char


def _join(a: str, b: str) -> str:
    """Concatenated, with a space only between two Latin words or numbers (Chinese has none)."""
    return f"{a} {b}" if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum() else a + b


def group_lines(boxes: list[Box]) -> list[TextLine]:
    """Boxes → lines, top to bottom: a box joins the line its vertical span overlaps by over half."""
    rows: list[list[Box]] = []
    for b in sorted(boxes, key=lambda b: (b.y0 + b.y1) / 2):
        for row in reversed(rows[-3:]):
            top, bottom = min(r.y0 for r in row), max(r.y1 for r in row)
            overlap = min(bottom, b.y1) - max(top, b.y0)
            if overlap > 0.5 * min(bottom - top, b.y1 - b.y0):
                row.append(b)
                break
        else:
            rows.append([b])
    lines = []
    for row in rows:
        row.sort(key=lambda b: b.x0)
        text = ""
        for b in row:
            text = _join(text, b.text.strip())
        lines.append(TextLine(full_width(text), min(b.x0 for b in row), min(b.y0 for b in row),
                              max(b.x1 for b in row), max(b.y1 for b in row)))
    return [ln for ln in lines if ln.text]


def _edge(values: list[float], char: float) -> float:
    """The smallest value that at least a quarter of the values lie within 0.6 characters above."""
    values = sorted(values)
    need = max(1, len(values) // 4)
    for i, v in enumerate(values):
        if sum(1 for w in values[i:] if w - v <= 0.6 * char) >= need:
            return v
    return values[0]


def frame_of(lines: list[TextLine]) -> Frame:
    char = statistics.median(ln.size for ln in lines)
    left = _edge([ln.x0 for ln in lines], char)
    right = -_edge([-ln.x1 for ln in lines], char)
    return Frame(left, max(right, left + char), max(char, 1.0))


def _running(pages: list[list[TextLine]], index: int) -> set[str]:
    """Texts (digits aside) that stand first (index 0) or last (-1) on most pages of three or more."""
    # Digits aside: a running footer often carries the page number (第3页 共10页).
    return running_lines([[DIGITS.sub("", p[index].text)] if p else [] for p in pages], share=0.5, least=2) - {""}


def strip_edges(pages: list[list[TextLine]]) -> list[list[TextLine]]:
    """Each page without its page numbers, running headers and footers."""
    heads, foots = _running(pages, 0), _running(pages, -1)
    body = [ln.size for p in pages for ln in p]
    typical = statistics.median(body) if body else 0.0
    out = []
    for page in pages:
        keep = list(page)
        frame = frame_of(page) if page else None
        for _ in range(2):  # a header and a page number may both stand at one edge
            for pos, running in ((0, heads), (-1, foots)):
                if len(keep) < 1:
                    break
                ln = keep[pos]
                # Smaller than the body; or a little smaller and centered (never a body line).
                small = len(page) >= 3 and (ln.size <= EDGE_SMALL * typical or (
                    ln.wide and ln.size <= EDGE_CENTERED * typical and _centered(ln, frame)))
                if PAGE_NO.match(ln.text) or DIGITS.sub("", ln.text) in running or small:
                    keep.pop(pos)
        out.append(keep)
    return out


def _centered(ln: TextLine, f: Frame) -> bool:
    left, right = f.indent(ln), f.gap(ln)
    return left >= 2 and right >= 2 and abs(left - right) <= CENTER_TOL


def _big(ln: TextLine, f: Frame) -> bool:
    return ln.size >= (TITLE_SIZE if ln.wide else TITLE_HEIGHT) * f.char


def _starts(prev: TextLine, pf: Frame, cur: TextLine, cf: Frame, indents: bool) -> bool:
    """Whether cur starts a new paragraph after prev (each measured against its own page's frame)."""
    if _big(prev, pf) or _big(cur, cf):
        return not (_big(prev, pf) and _big(cur, cf))
    if _centered(cur, cf) or _centered(prev, pf):
        wrapped_title = _centered(cur, cf) and _centered(prev, pf) and (prev.x1 - prev.x0) >= FULL * (pf.right - pf.left)
        return not wrapped_title
    if cf.indent(cur) >= INDENT:
        return True
    if pf.gap(prev) < SHORT:
        return False
    return not indents or prev.text[-1] in PARA_END or pf.gap(prev) >= WELL_SHORT * pf.width


def paragraphs(pages: list[list[TextLine]], numbers: list[int | None] | None = None) -> list[Line]:
    """Lines of consecutive pages (edges already stripped) → paragraphs, each with the page it starts on."""
    numbers = numbers or [None] * len(pages)
    every = [ln for p in pages for ln in p]
    if not every:
        return []
    whole = frame_of(every)
    frames = [frame_of(p) if len(p) >= FRAME_MIN_LINES else whole for p in pages]
    flat = [(ln, f, n) for p, f, n in zip(pages, frames, numbers) for ln in p]
    indents = sum(1 for ln, f, _ in flat if INDENT <= f.indent(ln) <= 4 and not _centered(ln, f)) >= 2
    out: list[Line] = []
    text, page = "", None
    prev = None
    for ln, f, n in flat:
        if prev is not None and _starts(prev[0], prev[1], ln, f, indents):
            out.append(Line(dash_lead(text), None, page))
            text = ""
        if not text:
            page = n
            if indents and LOST_DASH[0] <= f.indent(ln) - 2 <= LOST_DASH[1] and not _centered(ln, f):
                text = "——"  # the dash item's —— left no box: its text starts two characters further in
        text = _join(text, ln.text)
        prev = (ln, f)
    if text:
        out.append(Line(dash_lead(text), None, page))
    return out


def judge(boxes: list[Box], min_confidence: float, min_cjk: int) -> str:
    """Why the recognised text is not worth keeping ('' when it is): nothing found, low confidence
    (noise, a photo that is not of text), or too few Chinese characters."""
    texts = [b for b in boxes if b.text.strip()]
    if not texts:
        return "no text found in the image"
    mean = sum(b.score for b in texts) / len(texts)
    if mean < min_confidence:
        return f"the OCR result is mostly noise (mean confidence {mean:.2f}, needs {min_confidence:.2f}); scan it more clearly"
    cjk = sum(1 for b in texts if b.score >= MIN_SCORE for ch in b.text if "\u4e00" <= ch <= "\u9fff")
    if cjk < min_cjk:
        return f"the OCR found only {cjk} Chinese characters (needs {min_cjk}); not a scan of a speech?"
    return ""
