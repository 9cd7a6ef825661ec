"""Saved web pages (.html/.htm, and .mhtml/.mht single-file archives) → the article only: its title
line, its date line, then its paragraphs — no navigation, menus, breadcrumbs, share buttons, related
links or footers.

The article body, title and publication date are trafilatura's (main-content extraction with its
metadata: the page's <h1>/<title>/og: tags and htmldate), not rules of ours — but for one: a credit line
(来源：…, 责任编辑：…) that a site puts inside the article as its first or last paragraph is dropped. The title and the date are
put before the body as lines, as a .txt copy of the article would have them, so ingest/header.py reads
them the same way and paragraph n is still the n-th line. Each <p> of the article is a paragraph (a
<br> inside one starts another, as Chinese sites separate paragraphs with <br>); list items and table
rows are paragraphs too; <h2>… headings keep their level.

The page's encoding: the charset its <meta> declares (GBK/GB2312 read as GB18030, their superset),
else ingest's own detection (UTF-8, UTF-16, GB18030, charset-normalizer).
"""
from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path

from .decoding import decode_text, plausible
from .errors import IngestError
from .structure import Document, Line, split_lines

_GB = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "gb18030", "euc-cn"}
# An editorial credit line that some sites put inside the article, as its first or last <p>: the source,
# editor, reviewer. trafilatura keeps them (they are article text to it); only whole lines at the body's
# two ends are dropped, so a sentence in the speech that mentions 来源 is never touched.
_CREDIT = re.compile(r"^[（(【\[]?\s*(?:来源|稿源|责任编辑|责编|编辑|审核|审校|校对|监制|签发)\s*[:：][^。！？]{0,40}[）)】\]]?$")
_CHARSET = re.compile(r"charset\s*=\s*['\"]?([\w.:-]+)", re.I)  # in <meta http-equiv content="…">


def declared_charset(data: bytes) -> str:
    """The charset the page's <meta charset> or <meta http-equiv=Content-Type> declares, or ""."""
    import lxml.html

    try:  # latin-1 maps every byte, so the markup parses whatever the real encoding is
        root = lxml.html.document_fromstring(data[:64 * 1024].decode("latin-1"))
    except Exception:  # noqa: BLE001 — no parsable markup: nothing declared
        return ""
    for meta in root.iter("meta"):
        if cs := (meta.get("charset") or "").strip():
            return cs.lower()
        if (meta.get("http-equiv") or "").lower() == "content-type" and (m := _CHARSET.search(meta.get("content") or "")):
            return m.group(1).lower()
    return ""


def decode_page(data: bytes, name: str, charset: str = "") -> str:
    """The page as text: valid UTF-8 is UTF-8 (sites declare gb2312 on UTF-8 pages too), else the
    declared charset, else ingest's detection."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    charset = charset or declared_charset(data)
    enc = "gb18030" if charset in _GB else charset
    if enc:
        try:
            text = data.decode(enc)
            if plausible(text):
                return text
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data, name)


def _block_text(el) -> str:
    for lb in el.iter("lb"):
        lb.tail = "\n" + (lb.tail or "")
    return "".join(el.itertext())


def body_lines(body) -> list[Line]:
    """trafilatura's body (<p>, <head rend="h2">, <list><item>, <table><row><cell>, <quote>…) as lines."""
    out: list[Line] = []
    for el in body:
        if el.tag == "list":
            texts = [_block_text(item) for item in el.iter("item")]
        elif el.tag == "table":
            texts = [" ".join(_block_text(c).strip() for c in row.iter("cell")) for row in el.iter("row")]
        else:
            texts = [_block_text(el)]
        level = None
        if el.tag == "head":  # h1/h2 → a top section, h3 and below → a sub-section
            rend = el.get("rend") or "h2"
            level = 1 if rend in ("h1", "h2") else 2
        out += [Line(ln.text, level) for t in texts for ln in split_lines(t)]
    return out


def article(text: str, name: str) -> Document:
    import trafilatura

    try:
        # favor_precision: a page of links only (a menu, an index page) gives no "article" of its links
        doc = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False, favor_precision=True,
                                          include_tables=True, include_links=False, deduplicate=False)
    except Exception as e:  # noqa: BLE001 — a page lxml cannot make a tree of
        raise IngestError(f"{name}: cannot read the page ({type(e).__name__})") from e
    if doc is None or doc.body is None:
        raise IngestError(f"{name}: no article text found in the page")
    body = body_lines(doc.body)
    while body and _CREDIT.match(body[-1].text):
        body.pop()
    while body and _CREDIT.match(body[0].text):
        body.pop(0)
    if not body:
        raise IngestError(f"{name}: no article text found in the page")
    title, date = (doc.title or "").strip(), (doc.date or "").strip()
    head = [Line(t) for t in (title, date) if t and not (body and body[0].text == t)]
    return Document(head + body, title, date)


def read_html(path: Path, limits=None) -> Document:
    data = path.read_bytes()
    return article(decode_page(data, path.name), path.name)


def read_mhtml(path: Path, limits=None) -> Document:
    """The first text/html part of a saved single-file page (what browsers write as .mhtml)."""
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    for part in msg.walk():
        if part.get_content_type() == "text/html":
            try:
                data = part.get_payload(decode=True) or b""
            except Exception as e:  # noqa: BLE001 — a damaged transfer encoding
                raise IngestError(f"{path.name}: the page in the archive is damaged ({type(e).__name__})") from e
            return article(decode_page(data, path.name, (part.get_content_charset() or "").lower()), path.name)
    raise IngestError(f"{path.name}: not a saved web page (.mhtml with no HTML part)")
