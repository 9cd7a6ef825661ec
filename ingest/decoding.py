"""Bytes → text: the encodings speeches come in (UTF-8, UTF-16, GBK/GB18030, what charset-normalizer
recognises), refusing what does not read as text; and control characters removed from any text."""
from __future__ import annotations

import re

from .errors import IngestError

PLAUSIBLE_SAMPLE = 64 * 1024  # characters looked at to decide whether a decoding reads as text
PLAUSIBLE_WINDOWS = 16  # spread over the file, so a text prefix cannot hide a binary body
# C0/C1 control characters (not tab, newline, carriage return), non-characters and lone surrogates:
# invisible in a speech, and invalid in the XML of Word exports.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def clean_text(text: str) -> str:
    """The text without control characters (line breaks and tabs kept)."""
    return _CONTROL.sub("", text)


def _sample(text: str) -> str:
    if len(text) <= PLAUSIBLE_SAMPLE:
        return text
    width, step = PLAUSIBLE_SAMPLE // PLAUSIBLE_WINDOWS, len(text) // PLAUSIBLE_WINDOWS
    return "".join(text[i * step:i * step + width] for i in range(PLAUSIBLE_WINDOWS))


def plausible(text: str) -> bool:
    """Decoded text that reads as text: printable, and mostly CJK, letters, digits or punctuation.
    Judged on a bounded sample, so a 20 MB file costs no per-character objects."""
    if not text or "\x00" in text:
        return False
    visible = [ch for ch in _sample(text) if not ch.isspace()]
    if not visible:
        return False
    printable = sum(ch.isprintable() for ch in visible) / len(visible)
    wordish = sum(("\u4e00" <= ch <= "\u9fff") or ch.isascii() or ("\u3000" <= ch <= "\u303f")
                  or ("\uff00" <= ch <= "\uffef") or ch in "“”‘’—…·"
                  or (ch.isalpha() and ord(ch) < 0x250) for ch in visible) / len(visible)
    return printable >= 0.98 and wordish >= 0.9


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 (with or without BOM), GBK/GB18030 and what
    charset-normalizer recognises; anything that does not read as text is refused."""
    if not data.strip():
        raise IngestError(f"{name}: the file is empty")
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError as e:
                raise IngestError(f"{name}: cannot decode the text as {enc.upper()} ({e.reason})") from e
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if plausible(text):
                return text
        raise IngestError(f"{name}: looks like a binary file, not text")
    try:  # GBK/GB18030 is what older office machines here write; detection misreads short texts
        text = data.decode("gb18030")
        if plausible(text):
            return text
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        # GBK is a subset of GB18030; decoding with the superset keeps rarer characters.
        enc = "gb18030" if best.encoding.lower() in ("gbk", "gb2312", "cp936") else best.encoding
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            text = ""
        if plausible(text):
            return text
    raise IngestError(f"{name}: cannot decode the text (not UTF-8, UTF-16 or GBK/GB18030); save it as UTF-8")
