"""OCR with the real bundled model (rapidocr_onnxruntime): a scanned PDF, a PNG photo, a PDF mixing a text
page and a scanned page, and images that are refused. The pages are typeset by bench/ocr.py with a Noto
CJK font (`make system-deps` installs fonts-noto-cjk; without it these tests fail, they do not skip)."""
from __future__ import annotations

import json

import pytest

from bench.ocr import load_speech, render_pages, score
from ingest.readers import IngestError, read_lines
from ingest.structure import parse_speech
from shell.cli import main

pytestmark = pytest.mark.integration
SPEECH = "003_4957c2c23b1f7b8a"


@pytest.fixture(scope="module")
def printed():
    """The start of a bundled speech (its title, then six paragraphs, the last one running on to page 2):
    page images and the text as printed."""
    title, paras = load_speech(SPEECH)
    images, text = render_pages(title, paras[:6], dpi=150)
    assert len(images) == 2
    return title, images, text


@pytest.fixture(scope="module")
def photo(tmp_path_factory):
    """A photo of the top of a page (title and three paragraphs) as PNG with an alpha channel, which
    must not read as black; and its text."""
    from PIL import ImageOps

    title, paras = load_speech(SPEECH)
    images, text = render_pages(title, paras[:3], dpi=150)
    bottom = ImageOps.invert(images[0]).crop((0, 0, images[0].width, images[0].height - 150)).getbbox()[3]
    path = tmp_path_factory.mktemp("ocr") / "photo.png"
    images[0].crop((0, 0, images[0].width, bottom + 100)).convert("RGBA").save(path)
    return path, text


@pytest.fixture(scope="module")
def scanned_pdf(printed, tmp_path_factory):
    title, images, text = printed
    path = tmp_path_factory.mktemp("ocr") / "scan.pdf"
    images[0].save(path, save_all=True, append_images=images[1:], resolution=150)
    return path, read_lines(path)


def test_scanned_pdf_reads_as_its_paragraphs_in_page_order(printed, scanned_pdf):
    title, _, text = printed
    path, lines = scanned_pdf
    got = score(text, [ln.text for ln in lines])
    assert got["char_accuracy"] >= 0.97 and 0.9 <= got["paragraph_ratio"] <= 1.1, got
    # Not all verbatim: this speech's xx placeholders read as XX, and its ASCII colons as full-width ones.
    assert got["verbatim_ws"] >= 0.5, got
    assert parse_speech("scan", lines).title == title
    # The last paragraph runs on to page 2 (no indent there): one paragraph, starting on page 1.
    assert len(lines) == len(text) and {ln.page for ln in lines} == {1}
    assert score(text[-1:], [lines[-1].text])["char_accuracy"] >= 0.97
    every = "".join(ln.text for ln in lines)
    assert "机关内部资料" not in every and "— 1 —" not in every and "—1—" not in every


def test_png_photo_through_the_cli_with_page_progress(photo, tmp_path, capsys):
    path, text = photo
    got = score(text, [ln.text for ln in read_lines(path)])
    assert got["char_accuracy"] >= 0.97 and got["paragraph_ratio"] == 1.0, got
    code = main(["ingest", str(path), "--index", str(tmp_path / "index"), "--embeddings", "fake"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "OCR photo.png: page 1/1" in out.err and f"added     photo  {len(text)} paragraphs" in out.out


def test_mixed_pdf_text_page_then_scanned_page_in_order(photo, tmp_path):
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    image, text = photo
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "mixed.pdf"
    c = canvas.Canvas(str(path))  # A4 at 72 pt per inch
    c.setFont("STSong-Light", 12)
    c.drawString(72, 760, "同志们：")
    c.drawString(72, 740, "这一页有文字层，下一页是扫描件。")
    c.showPage()
    reader = ImageReader(str(image))
    w, h = reader.getSize()
    c.drawImage(reader, 0, 842 - 595 * h / w, width=595, height=595 * h / w)  # the photo on top of page 2
    c.showPage()
    c.save()
    lines = read_lines(path)
    assert [ln.text for ln in lines[:2]] == ["同志们：", "这一页有文字层，下一页是扫描件。"]
    assert [ln.page for ln in lines[:2]] == [1, 1] and {ln.page for ln in lines[2:]} == {2}
    got = score(text, [ln.text for ln in lines[2:]])
    assert got["char_accuracy"] >= 0.97 and got["paragraph_ratio"] == 1.0, got


def _blank_with_shapes():
    from PIL import Image, ImageDraw

    img = Image.new("L", (800, 600), 255)
    ImageDraw.Draw(img).rectangle((100, 100, 400, 300), outline=0, width=3)
    return img


def test_image_without_text_is_refused_with_its_reason(tmp_path, capsys):
    path = tmp_path / "shapes.jpg"
    _blank_with_shapes().save(path, quality=80)
    with pytest.raises(IngestError, match=r"^shapes\.jpg: no text found in the image$"):
        read_lines(path)
    code = main(["ingest", str(path), "--index", str(tmp_path / "index"), "--embeddings", "fake"])
    err = capsys.readouterr().err
    assert code == 1 and "shapes.jpg: no text found in the image" in err
    assert json.loads(_stats(tmp_path, capsys))["speeches"] == 0


def _stats(tmp_path, capsys) -> str:
    main(["stats", "--json", "--index", str(tmp_path / "index"), "--embeddings", "fake"])
    return capsys.readouterr().out


def test_blurred_noise_is_refused_as_noise(tmp_path):
    from PIL import ImageDraw, ImageFilter, ImageFont

    from bench.ocr import cjk_font

    img = _blank_with_shapes()
    font = ImageFont.truetype(cjk_font(), 32, index=2)
    for row in range(8):
        ImageDraw.Draw(img).text((40, 40 + row * 55), "要严格落实三会一课制度加强党支部标准化建设", font=font, fill=0)
    path = tmp_path / "blurred.png"
    img.filter(ImageFilter.GaussianBlur(5)).save(path)
    with pytest.raises(IngestError, match=r"^blurred\.png: the OCR result is mostly noise \(mean confidence 0\.\d\d"):
        read_lines(path)


def test_image_only_pdf_without_text_is_refused(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "graphics.pdf"
    c = canvas.Canvas(str(path))
    c.rect(100, 100, 200, 200, fill=1)
    c.showPage()
    c.save()
    with pytest.raises(IngestError, match=r"^graphics\.pdf: no text found on the scanned pages$"):
        read_lines(path)
