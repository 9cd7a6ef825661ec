"""Small OFD packages made in code, laid out as 公文 are: one TextObject a line at its own Boundary,
16 pt (5.6 mm) characters, body lines indented two characters at a paragraph's start and wrapped at
the right margin (28 characters); a centered title."""
from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

NS = "http://www.ofdspec.org/2016"
SIZE = 5.6  # mm, one character
LEFT, WIDTH = 26.0, 28  # left margin (mm), characters a line
STEP = 10.0  # mm between lines


def ofd_xml(title: str, date: str, extra: str = "") -> str:
    info = (f"<ofd:Title>{title}</ofd:Title>" if title else "") + (f"<ofd:CreationDate>{date}</ofd:CreationDate>" if date else "")
    return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD">'
            f"<ofd:DocBody><ofd:DocInfo><ofd:DocID>0a1b</ofd:DocID>{info}</ofd:DocInfo>"
            f"<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>{extra}</ofd:DocBody></ofd:OFD>")


def document_xml(pages: int) -> str:
    refs = "".join(f'<ofd:Page ID="{n + 10}" BaseLoc="Pages/Page_{n}/Content.xml"/>' for n in range(pages))
    return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{NS}"><ofd:CommonData>'
            f'<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData>'
            f"<ofd:Pages>{refs}</ofd:Pages></ofd:Document>")


def text_object(n: int, x: float, y: float, text: str, split: bool = False) -> str:
    """One line; `split` writes it as two TextCode runs (as producers often do), the second to the right."""
    box = f'Boundary="{x} {y} {SIZE * len(text) + 1} {SIZE + 1}"'
    if split and len(text) > 4:
        half = len(text) // 2
        codes = (f'<ofd:TextCode X="0" Y="{SIZE}">{escape(text[:half])}</ofd:TextCode>'
                 f'<ofd:TextCode X="{SIZE * half}" Y="{SIZE}">{escape(text[half:])}</ofd:TextCode>')
    else:
        codes = f'<ofd:TextCode X="0" Y="{SIZE}">{escape(text)}</ofd:TextCode>'
    return f'<ofd:TextObject ID="{n}" {box} Font="3" Size="{SIZE}">{codes}</ofd:TextObject>'


def layout(paragraphs: list[str], title: str = "") -> list[tuple[float, str]]:
    """(x, text) of each line: the title centered, each paragraph indented two characters, wrapped."""
    lines = []
    if title:
        lines.append((LEFT + SIZE * (WIDTH - len(title)) / 2, title))
    for p in paragraphs:
        first = WIDTH - 2
        lines.append((LEFT + 2 * SIZE, p[:first]))
        lines += [(LEFT, p[i:i + WIDTH]) for i in range(first, len(p), WIDTH)]
    return lines


def content_xml(lines: list[tuple[float, str]]) -> str:
    # Written in reverse order: reading order must come from the positions, not the XML order.
    objs = [text_object(n, x, 40 + i * STEP, t, split=n % 2 == 0) for n, (i, (x, t)) in enumerate(enumerate(lines))]
    return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}"><ofd:Content>'
            f'<ofd:Layer ID="1">{"".join(reversed(objs))}</ofd:Layer></ofd:Content></ofd:Page>')


def make_ofd(path: Path, pages: list[list[tuple[float, str]]], title: str = "", date: str = "",
             extra_body: str = "", parts: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", ofd_xml(title, date, extra_body))
        z.writestr("Doc_0/Document.xml", document_xml(len(pages)))
        for n, lines in enumerate(pages):
            z.writestr(f"Doc_0/Pages/Page_{n}/Content.xml", content_xml(lines))
        for name, data in (parts or {}).items():
            z.writestr(name, data)
    return path
