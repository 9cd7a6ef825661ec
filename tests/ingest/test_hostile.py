"""Hostile, huge and broken files: each is refused (or bounded) with a one-line reason, the store is
unchanged, and the rest of the batch goes on."""
from __future__ import annotations

import re
import tracemalloc
import zipfile

import docx
import pytest
from pypdf import PdfWriter

import ingest.pipeline as pipeline
from ingest.lock import IngestBusy, writer_lock
from ingest.pipeline import ingest_paths
from ingest.readers import IngestError, Limits, read_lines
from ingest.uploads import save_and_ingest

SPEECH = "同志们：\n要严格落实“三会一课”制度。\n"
MB = 1024 * 1024


def snapshot(engine):
    engine.store.refresh()
    return {k: (s.hash, s.source) for k, s in engine.store.speeches().items()}


def one_line(reason: str) -> bool:
    return bool(reason) and "\n" not in reason


def make_docx(path, text="同志们：要严格落实“三会一课”制度。"):
    d = docx.Document()
    d.add_paragraph(text)
    d.save(path)
    return path


def test_docx_bomb_is_refused_before_python_docx_opens_it(engine, tmp_path, monkeypatch):
    bomb = make_docx(tmp_path / "bomb.docx")
    with zipfile.ZipFile(bomb, "a", compression=zipfile.ZIP_DEFLATED) as z:
        with z.open("word/media/filler.bin", "w") as f:
            for _ in range(8):
                f.write(bytes(MB))  # 8 MB of zeros: a few KB on disk
    assert bomb.stat().st_size < 100_000
    opened = []
    monkeypatch.setattr(docx, "Document", lambda *a, **k: opened.append(a) or pytest.fail("opened"))
    before = snapshot(engine)
    (r,) = ingest_paths([bomb], engine.store, limits=Limits(docx_unpacked=4 * MB))
    assert r.status == "rejected" and re.search(r"unpacks to \d+ MB, over the limit of 4 MB", r.reason)
    assert one_line(r.reason)
    assert opened == [] and snapshot(engine) == before


def test_pdf_page_and_time_limits(engine, tmp_path):
    w = PdfWriter()
    for _ in range(12):
        w.add_blank_page(200, 200)
    pdf = tmp_path / "many.pdf"
    with open(pdf, "wb") as f:
        w.write(f)
    before = snapshot(engine)
    (r,) = ingest_paths([pdf], engine.store, limits=Limits(pdf_pages=10))
    assert r.status == "rejected" and "12 pages, over the limit of 10" in r.reason and one_line(r.reason)
    (r,) = ingest_paths([pdf], engine.store, limits=Limits(pdf_seconds=0))
    assert r.status == "rejected" and "took over 0 s" in r.reason and one_line(r.reason)
    assert snapshot(engine) == before


def test_huge_gbk_text_is_refused_with_bounded_memory(engine, tmp_path):
    line = "要严格落实“三会一课”制度，加强党支部标准化建设，压实管党治党政治责任。\n"
    big = tmp_path / "big.txt"
    big.write_bytes((line * (19 * MB // len(line.encode("gbk")))).encode("gbk"))
    assert 18 * MB < big.stat().st_size < 20 * MB
    before = snapshot(engine)
    tracemalloc.start()
    try:
        (r,) = ingest_paths([big], engine.store)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert r.status == "rejected" and "over the limit of 2,000,000" in r.reason and one_line(r.reason)
    # The file is 19 MB and its text ~20 MB as a str: the work is a few copies, not an object per character.
    assert peak < 120 * MB, peak / MB
    assert snapshot(engine) == before


def test_encrypted_pdf_is_refused_and_the_batch_goes_on(engine, tmp_path):
    w = PdfWriter()
    w.add_blank_page(200, 200)
    w.encrypt(user_password="secret", owner_password="owner", algorithm="AES-256")
    locked = tmp_path / "locked.pdf"
    with open(locked, "wb") as f:
        w.write(f)
    good = tmp_path / "good.txt"
    good.write_text(SPEECH, encoding="utf-8")
    reports = ingest_paths([locked, good], engine.store)
    assert [r.status for r in reports] == ["rejected", "added"]
    assert "password-protected" in reports[0].reason and one_line(reports[0].reason)


@pytest.mark.parametrize("error", [RuntimeError("boom in /srv/secret/path"), RecursionError(), KeyError("/Root")])
def test_an_unexpected_reader_error_rejects_only_that_upload(engine, tmp_path, monkeypatch, error):
    real = pipeline.read_document

    def flaky(path, *a, **k):
        if path.suffix == ".pdf":
            raise error
        return real(path, *a, **k)

    monkeypatch.setattr(pipeline, "read_document", flaky)
    files = []
    for name, text in (("a.txt", SPEECH), ("b.pdf", ""), ("c.txt", SPEECH.replace("三会一课", "一岗双责"))):
        files.append(tmp_path / "in" / name)
        files[-1].parent.mkdir(exist_ok=True)
        files[-1].write_text(text or "x", encoding="utf-8")
    uploads = tmp_path / "index" / "uploads"
    reports = save_and_ingest(files, engine.store, uploads)
    assert [(r.path, r.status) for r in reports] == [("a.txt", "added"), ("b.pdf", "rejected"), ("c.txt", "added")]
    assert reports[1].reason == f"b.pdf: cannot read the file ({type(error).__name__})"
    speeches = engine.store.speeches()
    assert set(speeches) == {"a", "c"}
    from pathlib import Path
    assert all(Path(s.source).is_file() for s in speeches.values())  # earlier files keep valid sources
    assert not (uploads / "b.pdf").exists()


def test_upload_writes_only_under_the_ingest_lock(engine, tmp_path, monkeypatch):
    """Every store write of an upload (the speech, and any later re-commit) happens while the lock is
    held, and what it records as the source exists at that moment."""
    store = engine.store
    real_put, seen = store.put_speech, []

    def put(speech, chunks, *a, **k):
        from pathlib import Path
        try:
            with writer_lock(store.lock_path):
                held = False
        except IngestBusy:
            held = True
        seen.append((held, Path(speech.source).is_file()))
        return real_put(speech, chunks, *a, **k)

    monkeypatch.setattr(store, "put_speech", put)
    src = tmp_path / "in" / "讲话.txt"
    src.parent.mkdir()
    src.write_text(SPEECH, encoding="utf-8")
    (r,) = save_and_ingest([src], store, tmp_path / "index" / "uploads")
    assert r.status == "added" and seen and all(held and exists for held, exists in seen), seen


def test_control_characters_are_cleaned_at_read_time_for_every_format(tmp_path):
    dirty = "同志们：\x01\n要严格\x08落实“三会一课”\x7f制度。\x1b[31m\n\x02\n"
    txt = tmp_path / "a.txt"
    txt.write_text(dirty, encoding="utf-8")
    md = tmp_path / "b.md"
    md.write_text("# 标题\x07\n" + dirty, encoding="utf-8")
    for f in (txt, md):
        lines = read_lines(f)
        text = "".join(ln.text for ln in lines)
        assert not any(ord(c) < 32 or 0x7f <= ord(c) <= 0x9f for c in text), text
        assert "要严格落实“三会一课”制度。[31m" in text
        d = docx.Document()
        for ln in lines:
            d.add_paragraph(ln.text)  # python-docx refuses control characters: the Word exports crash
        d.save(tmp_path / f"{f.stem}.docx")


def test_a_file_of_nothing_but_control_characters_has_no_text(tmp_path):
    f = tmp_path / "c.txt"
    f.write_text("\x01\x02\n\x03\n", encoding="utf-8")
    with pytest.raises(IngestError, match="no text"):
        read_lines(f)


def test_pdf_protected_only_against_editing_is_read(engine, tmp_path):
    """AES with an empty open password (common for official PDFs): pypdf needs `cryptography` for it."""
    from pypdf import PdfReader

    from tests.ingest.test_formats import make_pdf

    plain = tmp_path / "plain.pdf"
    make_pdf(plain, [["同志们：", "要严格落实“三会一课”制度。"]])
    w = PdfWriter(clone_from=PdfReader(plain))
    w.encrypt(user_password="", owner_password="owner", algorithm="AES-256")
    protected = tmp_path / "protected.pdf"
    with open(protected, "wb") as f:
        w.write(f)
    (r,) = ingest_paths([protected], engine.store)
    assert r.status == "added", r.reason
    assert any("三会一课" in p.text for p in engine.store.speeches()["protected"].paragraphs)
