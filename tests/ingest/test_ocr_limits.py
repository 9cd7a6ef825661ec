"""Hostile and broken images and scans: refused with a one-line reason before the OCR costs anything
(pixels, pages), or bounded by the time budget."""
from __future__ import annotations

import pytest
from PIL import Image

from ingest.ocr import MAX_SIDE, _render_scale
from ingest.readers import IngestError, Limits, read_lines


def graphics_pdf(path, pages: int):
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for _ in range(pages):
        c.rect(100, 100, 200, 200, fill=1)  # no text layer: a scan to OCR
        c.showPage()
    c.save()
    return path


def test_image_over_the_pixel_limit_is_refused_before_decoding(tmp_path):
    path = tmp_path / "big.png"
    Image.new("L", (400, 300), 255).save(path)
    with pytest.raises(IngestError, match=r"^big\.png: the image is 400×300 pixels, over the limit of 100,000$"):
        read_lines(path, limits=Limits(ocr_pixels=100_000))


@pytest.mark.parametrize("name, data", [
    ("garbage.jpg", b"\xff\xd8\xff\xe0 not really a jpeg" * 10),
    ("text.png", "同志们：这不是图片。".encode() * 10),
])
def test_unreadable_image_is_refused(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(IngestError, match=rf"^{name}: not a readable image \(\w+\)$"):
        read_lines(path)


def test_truncated_image_is_refused(tmp_path):
    path = tmp_path / "cut.jpg"
    Image.effect_noise((600, 600), 60).save(path, quality=90)
    path.write_bytes(path.read_bytes()[:4000])
    with pytest.raises(IngestError, match=r"^cut\.jpg: not a readable image \(OSError\)$"):
        read_lines(path)


def test_too_many_scanned_pages_are_refused_before_any_ocr(tmp_path):
    path = graphics_pdf(tmp_path / "scans.pdf", 3)
    with pytest.raises(IngestError, match=r"^scans\.pdf: 3 scanned pages to OCR, over the limit of 2; split the file$"):
        read_lines(path, limits=Limits(ocr_pages=2))


@pytest.mark.integration  # runs the OCR models
def test_ocr_time_budget_stops_after_the_page_that_overran(tmp_path):
    path = graphics_pdf(tmp_path / "slow.pdf", 3)
    with pytest.raises(IngestError, match=r"^slow\.pdf: OCR took over 0 s \(at page 1, 1 of 3 scanned pages\)"):
        read_lines(path, limits=Limits(ocr_seconds=0.0))


def test_rasterisation_is_capped_in_dpi_side_and_pixels():
    limits = Limits()
    a4 = _render_scale(595, 842, limits)
    assert max(595, 842) * a4 <= MAX_SIDE and a4 <= limits.ocr_dpi / 72
    huge = _render_scale(14400, 14400, limits)  # a 200-inch page
    assert 14400 * huge <= MAX_SIDE
    assert (14400 * _render_scale(14400, 14400, Limits(ocr_pixels=10_000))) ** 2 <= 10_000 * 1.01


def test_a_long_image_is_cut_into_page_shaped_pieces_at_blank_rows():
    from PIL import ImageDraw

    from ingest.ocr import cuts

    img = Image.new("L", (1000, 5000), 255)
    d = ImageDraw.Draw(img)
    for y in range(0, 5000, 50):
        d.rectangle((100, y, 900, y + 30), fill=0)  # a "line of text" every 50 rows
    rows = cuts(img)
    assert len(rows) == 3 and all(1000 < b - a <= 1414 for a, b in zip([0, *rows], rows))
    assert all(img.getpixel((500, r)) == 255 for r in rows)  # cut between lines, never through one
    assert cuts(Image.new("L", (1240, 1754), 255)) == []  # an A4 page is read whole
