"""Real files of every supported kind, and every kind of bad input, through the real `speechqa ingest`
(in-process, fake embedder): the message, the exit status, and `stats` before and after."""
from __future__ import annotations

import json

import pytest

from shell.cli import main

SPEECH = "关于加强党支部建设的讲话\n同志们：\n一、提高认识\n要严格落实“三会一课”制度，加强党支部标准化建设。\n二、抓好落实\n要压实“一岗双责”，层层传导压力。\n"


def cli(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def stats(capsys, index):
    code, out, _ = cli(capsys, "stats", "--json", "--index", str(index), "--embeddings", "fake")
    return json.loads(out)


def ingest(capsys, index, *paths, extra=()):
    return cli(capsys, "ingest", *map(str, paths), "--index", str(index), "--embeddings", "fake", *extra)


@pytest.fixture
def index(tmp_path, capsys):
    """A store that already holds one speech, so 'unchanged' is visible."""
    idx = tmp_path / "index"
    base = tmp_path / "base.txt"
    base.write_text("同志们：\n原有的一篇讲话。\n", encoding="utf-8")
    assert ingest(capsys, idx, base)[0] == 0
    return idx


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le"])
def test_text_encodings(tmp_path, capsys, index, encoding):
    f = tmp_path / f"s_{encoding}.txt"
    f.write_bytes(SPEECH.encode(encoding))
    code, out, err = ingest(capsys, index, f)
    assert code == 0, err
    assert f"added     s_{encoding}  6 paragraphs" in out
    assert stats(capsys, index)["speeches"] == 2
    code, out, _ = cli(capsys, "search", "三会一课", "--json", "--index", str(index), "--embeddings", "fake")
    top = json.loads(out)["results"][0]
    assert top["speech"] == f"s_{encoding}" and top["paragraph"] == 4 and "三会一课" in top["text"]
    assert top["heading"] == "一、提高认识"


def test_markdown_headings(tmp_path, capsys, index):
    f = tmp_path / "notes.md"
    f.write_text("# 总标题\n\n同志们：\n\n## 一节\n\n要落实“三会一课”。\n", encoding="utf-8")
    code, out, _ = ingest(capsys, index, f)
    assert code == 0 and "§3   一节" in out  # numbering printed for extracted text
    code, out, _ = cli(capsys, "search", "三会一课", "--json", "--index", str(index), "--embeddings", "fake")
    top = json.loads(out)["results"][0]
    # "# 总标题" before the salutation is the speech's title; "## 一节" heads what follows
    assert top["paragraph"] == 4 and top["heading"] == "一节" and top["text"] == "要落实“三会一课”。"


def test_docx_keeps_order_and_heading_styles(tmp_path, capsys, index):
    import docx

    d = docx.Document()
    d.add_heading("关于加强党支部建设的讲话", level=0)
    d.add_paragraph("同志们：")
    d.add_heading("一、提高认识", level=1)
    d.add_paragraph("要严格落实“三会一课”制度。")
    d.add_paragraph("")
    d.add_heading("二、抓好落实", level=1)
    d.add_paragraph("要压实“一岗双责”。")
    f = tmp_path / "word.docx"
    d.save(f)
    code, out, _ = ingest(capsys, index, f)
    assert code == 0 and "added     word  6 paragraphs" in out
    assert "§4   要严格落实" in out
    code, out, _ = cli(capsys, "search", "一岗双责", "--json", "--index", str(index), "--embeddings", "fake")
    top = json.loads(out)["results"][0]
    assert (top["speech"], top["paragraph"], top["heading"]) == ("word", 6, "二、抓好落实")


def make_pdf(path, pages):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    for n, lines in enumerate(pages, start=1):
        c.setFont("STSong-Light", 12)
        c.drawString(72, 800, "机关内部资料 注意保存")  # running header on every page
        y = 760
        for line in lines:
            c.drawString(72, y, line)
            y -= 20
        c.drawString(290, 40, f"- {n} -")  # page number
        c.showPage()
    c.save()


def test_pdf_lines_join_into_paragraphs_headers_and_page_numbers_dropped(tmp_path, capsys, index):
    f = tmp_path / "scan.pdf"
    make_pdf(f, [["同志们：", "要严格落实“三会一课”制度，加强党支部", "标准化建设。"],
                 ["一、抓好落实", "要压实“一岗双责”，层层传导压力，确保", "各项要求落到实处。"],
                 ["同志们，让我们共同努力。"]])
    code, out, _ = ingest(capsys, index, f)
    assert code == 0
    assert "(p.2) 要压实“一岗双责”" in out
    code, out, _ = cli(capsys, "search", "一岗双责", "--json", "--index", str(index), "--embeddings", "fake")
    top = json.loads(out)["results"][0]
    assert top["text"] == "要压实“一岗双责”，层层传导压力，确保各项要求落到实处。"
    assert top["paragraph"] == 4 and top["heading"] == "一、抓好落实"
    code, out, _ = cli(capsys, "search", "机关内部资料", "--json", "--index", str(index), "--embeddings", "fake")
    assert all("机关内部资料" not in r["text"] and "- 1 -" not in r["text"] for r in json.loads(out)["results"])


@pytest.mark.integration  # runs the OCR models
def test_pdf_without_text_layer_is_ocrd_and_refused_without_text(tmp_path, capsys, index):
    from reportlab.pdfgen import canvas

    f = tmp_path / "image.pdf"
    c = canvas.Canvas(str(f))
    c.rect(100, 100, 200, 200, fill=1)  # a page with only graphics, like a scan
    c.showPage()
    c.save()
    before = stats(capsys, index)
    code, _, err = ingest(capsys, index, f)
    # A page without a text layer is OCR'd (ingest/ocr.py); one with nothing legible is refused.
    assert code == 1 and "image.pdf: no text found on the scanned pages" in err
    assert stats(capsys, index) == before


@pytest.mark.parametrize("name, content, message", [
    ("empty.txt", b"", "the file is empty"),
    ("blank.txt", b"  \n\t\n", "the file is empty"),
    ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "looks like a binary file"),
    ("latin.txt", bytes(range(128, 256)) * 8, "cannot decode the text"),
    ("old.doc", b"\xd0\xcf\x11\xe0 legacy", "a damaged Word/WPS file"),  # OLE magic, then garbage
    ("letter.doc", b"{\\rtf1\\ansi hello}", "not a Word 97\u20132003 file but an RTF file"),
    ("old.wps", b"WPS garbage that is no OLE file", "not a readable WPS file"),
    ("broken.ofd", b"PK not really a zip", "not a readable OFD file"),
    ("menu.html", b"<html><body><a href='/'>\xe9\xa6\x96\xe9\xa1\xb5</a></body></html>", "no article text"),
    ("sheet.xls", b"abc", "unsupported file type '.xls'"),
    ("broken.docx", b"PK not really a zip", "not a readable .docx file"),
    ("broken.pdf", b"%PDF-1.4 garbage", "not a readable PDF"),
])
def test_bad_input_is_refused_with_a_reason_and_the_store_unchanged(tmp_path, capsys, index, name, content, message):
    f = tmp_path / name
    f.write_bytes(content)
    before = stats(capsys, index)
    code, out, err = ingest(capsys, index, f)
    assert code == 1
    assert err.strip().startswith("speechqa: ") and message in err and err.count("\n") == 1
    assert stats(capsys, index) == before


def test_missing_path_and_oversize(tmp_path, capsys, index):
    before = stats(capsys, index)
    code, _, err = ingest(capsys, index, tmp_path / "nope.txt")
    assert code == 1 and "no such file" in err
    big = tmp_path / "big.txt"
    big.write_bytes(("同志们：\n" + "内容。" * 200_000).encode("utf-8"))  # ~1.8 MB
    code, _, err = ingest(capsys, index, big, extra=("--max-mb", "1"))
    assert code == 1 and "over the size limit of 1 MB" in err
    assert stats(capsys, index) == before


def test_batch_ingests_good_files_and_reports_bad_ones(tmp_path, capsys, index):
    good = tmp_path / "good.txt"
    good.write_text(SPEECH, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    code, out, err = ingest(capsys, index, good, tmp_path / "empty.txt", tmp_path / "missing.txt")
    assert code == 1 and "2 files rejected" in err
    assert "added     good" in out and "rejected  " in out
    assert stats(capsys, index)["speeches"] == 2


def test_duplicate_content_under_another_name_is_reported(tmp_path, capsys, index):
    a = tmp_path / "a.txt"
    a.write_text(SPEECH, encoding="utf-8")
    b = tmp_path / "b.txt"
    b.write_bytes(SPEECH.encode("gbk"))  # same text, other encoding and name
    code, out, _ = ingest(capsys, index, a, b)
    assert code == 0 and "duplicate b" in out.replace("  ", " ") and "same text as 'a'" in out
    assert stats(capsys, index)["speeches"] == 2


def test_second_ingest_at_once_stops_with_a_clear_message(tmp_path, capsys, index):
    from ingest.lock import writer_lock

    f = tmp_path / "new.txt"
    f.write_text(SPEECH, encoding="utf-8")
    before = stats(capsys, index)
    with writer_lock(index / "ingest.lock"):
        code, _, err = ingest(capsys, index, f)
    assert code == 1 and "another ingest is running on this index" in err
    assert stats(capsys, index) == before
    assert ingest(capsys, index, f)[0] == 0  # the lock is released


def test_docx_core_properties_fill_what_the_text_leaves_empty(tmp_path, capsys):
    import datetime

    import docx

    d = docx.Document()
    d.add_paragraph("同志们：")
    d.add_paragraph("要严格落实“三会一课”制度。")
    plain = tmp_path / "plain.docx"
    d.save(plain)  # python-docx's template: its fixed 2013 created stamp dates nothing
    d.core_properties.title = "党支部建设讲话"
    d.core_properties.created = datetime.datetime(2023, 3, 5, 9, 0)
    d.core_properties.last_modified_by = "张三"
    f = tmp_path / "props.docx"
    d.save(f)
    code, out, _ = cli(capsys, "extract", str(f), "--json")
    got = json.loads(out)
    assert code == 0 and (got["title"], got["date"], got["date_basis"]) == ("党支部建设讲话", "2023-03-05", "document")
    assert [p["text"] for p in got["paragraphs"]] == ["同志们：", "要严格落实“三会一课”制度。"]
    code, out, _ = cli(capsys, "extract", str(plain), "--json")
    assert (json.loads(out)["title"], json.loads(out)["date"]) == ("plain", None)
    d.paragraphs[0].insert_paragraph_before("关于加强党支部建设的讲话")
    d.paragraphs[0].insert_paragraph_before("（2021年2月20日）")
    d.save(f)  # the text's own title and date win over the properties
    code, out, _ = cli(capsys, "extract", str(f), "--json")
    got = json.loads(out)
    assert (got["title"], got["date"], got["date_basis"]) == ("关于加强党支部建设的讲话", "2021-02-20", "stated")


def test_extract_refuses_bad_input_with_one_line(tmp_path, capsys):
    for name, content in (("gone.doc", None), ("x.xls", b"abc"), ("broken.docx", b"PK no zip"), ("empty.html", b"")):
        f = tmp_path / name
        if content is not None:
            f.write_bytes(content)
        code, out, err = cli(capsys, "extract", str(f), "--index", str(tmp_path / "i"), "--chroma-url", "http://127.0.0.1:1")
        assert code == 1 and out == "" and err.startswith("speechqa: ") and err.count("\n") == 1, (name, err)


def test_extract_listing_numbers_paragraphs(tmp_path, capsys):
    f = tmp_path / "s.md"
    f.write_text("# 总标题\n\n同志们：\n\n## 一节\n\n要落实“三会一课”。\n", encoding="utf-8")
    code, out, _ = cli(capsys, "extract", str(f))
    assert code == 0
    assert out.splitlines() == ["总标题  日期不详", "§1   总标题", "§2   同志们：", "§3   一节", "§4   要落实“三会一课”。  [一节]",
                                "4 paragraphs"]
