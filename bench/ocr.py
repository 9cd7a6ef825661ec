"""OCR accuracy and speed on a bundled speech printed to page images: an image-only PDF and a JPEG photo.

    python bench/ocr.py [--speech 000_6117c26b33f13efb] [--pages 10] [--dpi 150] [--jpeg-quality 80]

The speech (data/speeches/<id>.txt, its title from speeches.toml) is typeset on A4 pages with PIL and a
CJK font (fonts-noto-cjk; `make system-deps` installs it): the title centered, paragraphs wrapped to the
text width with a two-character first-line indent, a running header and "— n —" page numbers. The
pages are saved as an image-only PDF and page 1 as a JPEG (with --long also the whole speech as one
long JPEG, as a phone screenshot would be), each is read by ingest (OCR), and it prints
per document: character accuracy (difflib over the whole text, whitespace aside), paragraph count
ratio, share of paragraphs read verbatim (exactly, and whitespace aside), title right, seconds per page.
With --pages N the speech is repeated until it fills N pages (for the 10-page timing).
The last line is one JSON object.
"""
from __future__ import annotations

import argparse
import difflib
import json
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HEADER = "机关内部资料  注意保存"
NO_FONT = "no CJK font found (fc-list shows no Noto CJK); `make system-deps` installs fonts-noto-cjk"
CLOSING = "，。、；：？！”’）》"  # never starts a line: hangs in the margin instead


def cjk_font() -> str:
    """The path of a Noto CJK font file (.ttc/.otf), found with fc-list at run time."""
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        out = ""
    files = sorted({ln.split(":")[0].strip() for ln in out.splitlines() if "cjk" in ln.lower()})
    regular = [f for f in files if "Regular" in f] or files
    if not regular:
        raise RuntimeError(NO_FONT)
    return next((f for f in regular if "Serif" in f), regular[0])


def _font(size_px: int):
    from PIL import ImageFont

    return ImageFont.truetype(cjk_font(), size_px, index=2)  # index 2 of the .ttc: the SC (simplified) face


def wrap(text: str, font, width: float) -> list[str]:
    """Lines of at most width pixels (closing punctuation may hang past it)."""
    lines, cur = [], ""
    for ch in text:
        if cur and font.getlength(cur + ch) > width and ch not in CLOSING:
            lines.append(cur)
            cur = ""
        cur += ch
    return lines + [cur] if cur else lines


def _blank_page(size: tuple[int, int], margin: int, number: int, small):
    """A page with its running header (and rule) and its page number."""
    from PIL import Image, ImageDraw

    img = Image.new("L", size, 255)
    d = ImageDraw.Draw(img)
    w, h = size
    d.text((w / 2, margin * 0.55), HEADER, font=small, fill=90, anchor="mm")
    d.line((margin, margin * 0.7, w - margin, margin * 0.7), fill=120, width=1)
    d.text((w / 2, h - margin * 0.5), f"— {number} —", font=small, fill=0, anchor="mm")
    return img, d


def render_pages(title: str, paragraphs: list[str], dpi: int = 150, pages: int | None = None,
                 body_pt: float = 16, height_in: float = 11.69) -> tuple[list, list[str]]:
    """A4 page images (grey) and the paragraphs as printed (the one the last page cuts, in part).
    With pages, the body is repeated until that many pages are full; height_in makes longer pages."""
    px = lambda pt: round(pt * dpi / 72)
    size, margin = (round(8.27 * dpi), round(height_in * dpi)), round(dpi * 1.0)
    fonts = {False: _font(px(body_pt)), True: _font(px(body_pt * 1.35))}
    pitches = {False: round(px(body_pt) * 1.6), True: round(px(body_pt * 1.35) * 1.8)}
    width = size[0] - 2 * margin
    queue = [[title, True, 0]] + [[p, False, 0] for p in paragraphs]  # text, centered, characters printed
    images, printed = [], []
    while queue and (pages is None or len(images) < pages):
        img, d = _blank_page(size, margin, len(images) + 1, _font(px(10.5)))
        y = margin
        while queue:
            text, centered, done = queue[0]
            font, pitch = fonts[centered], pitches[centered]
            first = "" if centered or done else "\u3000\u3000"  # a continued paragraph is not indented
            lines = wrap(first + text[done:], font, width)
            room = int((size[1] - margin - y) // pitch)
            if room <= 0:
                break
            for ln in lines[:room]:
                d.text(((size[0] - font.getlength(ln)) / 2 if centered else margin, y), ln, font=font, fill=0)
                y += pitch
            if room < len(lines):
                queue[0][2] += len("".join(lines[:room])) - len(first)
                break
            printed.append(text)
            queue.pop(0)
            if not queue and pages is not None:
                queue = [[p, False, 0] for p in paragraphs]
        images.append(img)
    if queue and queue[0][2]:
        printed.append(queue[0][0][:queue[0][2]])
    return images, printed


def load_speech(speech_id: str) -> tuple[str, list[str]]:
    folder = ROOT / "data" / "speeches"
    meta = tomllib.loads((folder / "speeches.toml").read_text(encoding="utf-8"))
    paras = [ln.strip() for ln in (folder / f"{speech_id}.txt").read_text(encoding="utf-8").splitlines() if ln.strip()]
    return meta.get(speech_id, {}).get("title", speech_id), paras


def squash(text: str) -> str:
    return "".join(text.split())


def score(ref: list[str], got: list[str]) -> dict:
    """Character accuracy (difflib ratio over the whole text, whitespace aside), paragraph count ratio,
    and the share of reference paragraphs found verbatim among those read (exactly / whitespace aside)."""
    a, b = squash("".join(ref)), squash("".join(got))
    exact, loose = set(got), {squash(g) for g in got}
    return {"char_accuracy": round(difflib.SequenceMatcher(None, a, b, autojunk=False).ratio(), 4),
            "paragraph_ratio": round(len(got) / len(ref), 3),
            "verbatim": round(sum(p in exact for p in ref) / len(ref), 3),
            "verbatim_ws": round(sum(squash(p) in loose for p in ref) / len(ref), 3)}


def measure(path: Path, title: str, ref: list[str], pages: int) -> dict:
    from ingest.readers import Limits, read_lines
    from ingest.structure import parse_speech

    started = time.monotonic()
    lines = read_lines(path, limits=Limits(max_bytes=200 * 1024 * 1024))
    seconds = time.monotonic() - started
    got = [ln.text for ln in lines]
    result = score(ref, got) | {"title_right": parse_speech(path.stem, lines).title == title,
                                "pages": pages, "s_per_page": round(seconds / pages, 2)}
    misses = [(p, difflib.get_close_matches(p, got, 1, 0.0)) for p in ref if p not in set(got)]
    for want, near in misses[:5]:
        print(f"  want {want[:60]}\n  got  {(near or [''])[0][:60]}", file=sys.stderr)
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--speech", default="000_6117c26b33f13efb")
    ap.add_argument("--pages", type=int, help="fill this many pages (the body repeated); default: the speech")
    ap.add_argument("--dpi", type=int, default=150, help="resolution the pages are printed at")
    ap.add_argument("--jpeg-quality", type=int, default=80)
    ap.add_argument("--long", action="store_true", help="also the whole speech as one long JPEG (a screenshot)")
    args = ap.parse_args(argv)
    from ingest.ocr import engine

    title, paras = load_speech(args.speech)
    engine()  # model loading is not part of the per-page time
    out = {"speech": args.speech, "dpi": args.dpi}
    with tempfile.TemporaryDirectory() as tmp:
        images, printed = render_pages(title, paras, args.dpi, args.pages)
        pdf = Path(tmp) / "scan.pdf"
        images[0].save(pdf, save_all=True, append_images=images[1:], resolution=args.dpi)
        out["pdf"] = measure(pdf, title, printed, len(images))
        print("pdf ", out["pdf"], file=sys.stderr)
        first, printed1 = render_pages(title, paras, args.dpi, 1)
        jpg = Path(tmp) / "photo.jpg"
        first[0].convert("RGB").save(jpg, quality=args.jpeg_quality)
        out["jpeg"] = measure(jpg, title, printed1, 1)
        print("jpeg", out["jpeg"], file=sys.stderr)
        if args.long:
            (long,), printed_all = render_pages(title, paras, args.dpi, 1, height_in=11.69 * len(images))
            jpg = Path(tmp) / "long.jpg"
            long.save(jpg, quality=args.jpeg_quality)
            out["long_jpeg"] = measure(jpg, title, printed_all, len(images))
            print("long", out["long_jpeg"], file=sys.stderr)
    print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
