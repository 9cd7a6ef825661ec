"""OCR of scanned PDF pages and of photos (.jpg .jpeg .png) of printed speeches.

The engine is rapidocr_onnxruntime 1.4: PP-OCRv4 detection and recognition models that ship inside its
wheel, run by onnxruntime on the CPU; nothing is downloaded. PDF pages are rasterised with pypdfium2.
Every refusal is an OcrRefused with a one-line reason (readers.py prefixes the file name); the costs
are bounded by the caller's Limits (ocr_pages, ocr_seconds, ocr_dpi, ocr_pixels).
"""
from __future__ import annotations

import functools
import itertools
import logging
import math
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from .ocr_layout import MIN_SCORE, Box, TextLine, group_lines, judge, paragraphs, strip_edges
from .structure import Line

IMAGE_TYPES = (".jpg", ".jpeg", ".png")
THREADS = 2  # onnxruntime threads: the machine has two cores
MAX_SIDE = 2000  # pixels of an image's longer side the detector sees; more costs time, not accuracy
# Character height in pixels the recogniser reads best (bench/ocr.py, two pages: 26 px 1 error, 33 px
# none, 38 px 2, 43 px 3); a page off it by more than RESIZE_MARGIN is read again at that size.
TARGET_CHAR = 33
RESIZE_MARGIN = 0.15
MAX_SIDE_REREAD = 3200
DET_SIDE = 1280  # pixels of a page's longer side for text detection
PAGE_RATIO = 1.414  # height/width of an A4 page: a longer image is read in pieces this shape
MIN_CONFIDENCE = 0.6  # mean recogniser confidence below which a page is noise
MIN_CJK = 10  # Chinese characters a scan must yield to be a speech
log = logging.getLogger("speechqa")
Progress = Callable[[int, int], None]


class OcrRefused(ValueError):
    """An image or scan that cannot be read; str() is the reason."""


@functools.lru_cache(maxsize=2)
def engine(threads: int = THREADS):
    """The OCR engine, created on first use (loading the models takes a second) and kept."""
    from rapidocr_onnxruntime import RapidOCR

    # No angle classifier: printed pages are upright, and it flips some upright lines (read as empty).
    # text_score 0: every box comes back with its score, so noise can be judged; weak boxes are dropped later.
    # The detector sees the page at most DET_SIDE pixels long (half the time of a full 2000-pixel page,
    # the same boxes); the recogniser still reads the lines at full resolution.
    return RapidOCR(use_cls=False, text_score=0.0, max_side_len=MAX_SIDE * 2, det_limit_type="max",
                    det_limit_side_len=DET_SIDE, intra_op_num_threads=threads, inter_op_num_threads=1)


def _run(image, scale: float) -> list[Box]:
    """The engine on the image resized by scale; boxes in the image's own pixels."""
    import numpy as np

    if scale != 1.0:
        image = image.resize((round(image.width * scale), round(image.height * scale)), resample=3)  # bicubic
    result, _ = engine()(np.asarray(image.convert("L")))
    boxes = []
    for quad, text, score in result or []:
        xs, ys = [p[0] / scale for p in quad], [p[1] / scale for p in quad]
        boxes.append(Box(str(text), float(score), min(xs), min(ys), max(xs), max(ys)))
    return boxes


def _boxes(image) -> list[Box]:
    """The text boxes of a page; read again at another size when its characters are far from the size
    the recogniser reads best (small print, a high-resolution scan)."""
    scale = min(1.0, MAX_SIDE / max(image.size))
    boxes = _run(image, scale)
    lines = [b for b in boxes if b.score >= MIN_SCORE and b.x1 - b.x0 >= 3 * (b.y1 - b.y0)]
    if len(lines) < 3:
        return boxes
    char = statistics.median(b.y1 - b.y0 for b in lines) * scale
    better = min(scale * min(max(TARGET_CHAR / char, 0.5), 2.0), MAX_SIDE_REREAD / max(image.size))
    return _run(image, better) if abs(better / scale - 1) > RESIZE_MARGIN else boxes


def cuts(image) -> list[int]:
    """Rows to cut a long image at (a whole speech in one picture) into page-shaped pieces, each at the
    blankest row near a page's height, so that no piece is shrunk until its text is illegible."""
    import numpy as np

    step = round(image.width * PAGE_RATIO)
    if image.height <= step * 1.2:
        return []
    ink = (np.asarray(image.convert("L")) < 128).sum(axis=1)
    rows, top = [], 0
    while image.height - top > step * 1.2:
        window = ink[top + step * 2 // 3: top + step]
        rows.append(top + step * 2 // 3 + int(np.flatnonzero(window == window.min())[-1]))
        top = rows[-1]
    return rows


def recognize(image) -> list[Box]:
    """The text boxes of a page or of a long image (read piece by piece), in the image's pixels."""
    edges = [0, *cuts(image), image.height]
    boxes = []
    for top, bottom in zip(edges, edges[1:]):
        piece = image.crop((0, top, image.width, bottom)) if len(edges) > 2 else image
        boxes += [Box(b.text, b.score, b.x0, b.y0 + top, b.x1, b.y1 + top) for b in _boxes(piece)]
    return boxes


def _flatten(image):
    """RGB or grey on white: a transparent background would otherwise turn black."""
    from PIL import Image

    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB") if image.mode not in ("RGB", "L") else image


def load_image(path: Path, limits):
    """The image, upright (EXIF orientation applied), within the pixel limit."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(path) as im:
            w, h = im.size
            if w * h > limits.ocr_pixels:
                raise OcrRefused(f"the image is {w}×{h} pixels, over the limit of {limits.ocr_pixels:,}")
            im.load()
            return _flatten(ImageOps.exif_transpose(im))
    except OcrRefused:
        raise
    except Image.DecompressionBombError as e:
        raise OcrRefused(f"the image has too many pixels (over the limit of {limits.ocr_pixels:,})") from e
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as e:  # truncated or not an image at all
        raise OcrRefused(f"not a readable image ({type(e).__name__})") from e


def _render_scale(width_pt: float, height_pt: float, limits) -> float:
    """Pixels per point: the DPI limit, no longer side than MAX_SIDE, no more pixels than the limit."""
    scale = min(limits.ocr_dpi / 72, MAX_SIDE / max(width_pt, height_pt, 1.0))
    return min(scale, math.sqrt(limits.ocr_pixels / max(width_pt * height_pt, 1.0)))


def pdf_images(path: Path, numbers: list[int], limits) -> Iterator:
    """The given pages (1-based) rasterised in grey, one at a time."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception as e:  # noqa: BLE001 — pdfium refuses a damaged file with PdfiumError or OSError
        raise OcrRefused(f"cannot rasterise the PDF for OCR ({type(e).__name__})") from e
    try:
        for n in numbers:
            page = pdf[n - 1]
            try:
                scale = _render_scale(*page.get_size(), limits)
                yield page.render(scale=scale, grayscale=True).to_pil()
            except Exception as e:  # noqa: BLE001 — one damaged page is this file's refusal
                raise OcrRefused(f"cannot rasterise page {n} for OCR ({type(e).__name__})") from e
            finally:
                page.close()
    finally:
        pdf.close()


def _noisy(boxes: list[Box]) -> bool:
    found = [b for b in boxes if b.text.strip()]
    return bool(found) and sum(b.score for b in found) / len(found) < MIN_CONFIDENCE


def ocr_pdf(path: Path, numbers: list[int], limits, progress: Progress | None = None,
            alone: bool = True) -> list[Line]:
    """Paragraphs of the given scanned pages, each with its page number. A noisy page is left out; when
    the scans are the whole document (alone), a result that is no speech is refused with its reason."""
    if len(numbers) > limits.ocr_pages:
        raise OcrRefused(f"{len(numbers)} scanned pages to OCR, over the limit of {limits.ocr_pages}; split the file")
    started, every, pages = time.monotonic(), [], []
    for i, image in enumerate(pdf_images(path, numbers, limits), start=1):
        boxes = recognize(image)
        every += boxes
        if _noisy(boxes):
            log.warning("%s: page %d left out, its OCR result is noise", path.name, numbers[i - 1])
            boxes = []
        pages.append(group_lines([b for b in boxes if b.score >= MIN_SCORE]))
        if progress:
            progress(i, len(numbers))
        if i < len(numbers) and time.monotonic() - started > limits.ocr_seconds:
            raise OcrRefused(f"OCR took over {limits.ocr_seconds:.0f} s (at page {numbers[i - 1]}, {i} of "
                             f"{len(numbers)} scanned pages); split the file or provide its text")
    if alone and (reason := judge(every, MIN_CONFIDENCE, MIN_CJK)):
        raise OcrRefused(reason.replace("in the image", "on the scanned pages"))
    return _runs(strip_edges(pages), numbers)


def _runs(pages: list[list[TextLine]], numbers: list[int]) -> list[Line]:
    """Paragraphs per run of consecutive page numbers: text pages between scans break a paragraph."""
    out: list[Line] = []
    for _, run in itertools.groupby(zip(pages, numbers, itertools.count()), key=lambda t: t[1] - t[2]):
        run = list(run)
        out += paragraphs([p for p, _, _ in run], [n for _, n, _ in run])
    return out


def ocr_image(path: Path, limits, progress: Progress | None = None) -> list[Line]:
    """Paragraphs of a photo or scan of a page."""
    image = load_image(path, limits)
    boxes = recognize(image)
    if progress:
        progress(1, 1)
    if reason := judge(boxes, MIN_CONFIDENCE, MIN_CJK):
        raise OcrRefused(reason)
    return paragraphs(strip_edges([group_lines([b for b in boxes if b.score >= MIN_SCORE])]))
