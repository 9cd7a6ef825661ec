"""OFD packages made in code (tests/ingest/ofd_maker.py): paragraphs in reading order, DocInfo's title
and date, and hostile or broken packages refused with a reason."""
from __future__ import annotations

import json
import zipfile

import pytest

import ingest.read_ofd as read_ofd
from ingest.readers import IngestError, read_document
from shell.cli import main

from .ofd_maker import layout, make_ofd

P1 = "同志们："
P2 = "要严格落实“三会一课”制度，加强党支部标准化规范化建设，推动全面从严治党向纵深发展，确保各项要求落到实处。"
P3 = "一、压实工作责任"
P4 = "要压实“一岗双责”，层层传导压力，各级党组织书记要切实履行第一责任人职责，做到真管真严、敢管敢严、长管长严。"


def texts(path):
    return [ln.text for ln in read_document(path).lines]


def test_lines_join_into_paragraphs_in_reading_order(tmp_path):
    f = make_ofd(tmp_path / "a.ofd", [layout([P1, P2, P3, P4], title="关于加强党支部建设的讲话")])
    assert texts(f) == ["关于加强党支部建设的讲话", P1, P2, P3, P4]


def test_a_paragraph_running_over_the_page_break_stays_one(tmp_path):
    lines = layout([P1, P2, P4])
    cut = 2  # P2 opens at the foot of page 1; its last line is the first of page 2
    f = make_ofd(tmp_path / "b.ofd", [lines[:cut], lines[cut:]])
    doc = read_document(f)
    assert [ln.text for ln in doc.lines] == [P1, P2, P4]
    assert [ln.page for ln in doc.lines] == [1, 1, 2]


def test_docinfo_title_and_date_when_the_text_states_none(tmp_path, capsys):
    f = make_ofd(tmp_path / "公文.ofd", [layout([P1, P2])], title="党建工作讲话", date="2023-03-05")
    assert main(["extract", str(f), "--json", "--index", str(tmp_path / "unused")]) == 0
    got = json.loads(capsys.readouterr().out)
    assert (got["title"], got["date"], got["date_basis"]) == ("党建工作讲话", "2023-03-05", "document")
    assert [p["text"] for p in got["paragraphs"]] == [P1, P2]
    assert not (tmp_path / "unused").exists()  # extract never touches an index
    stated = make_ofd(tmp_path / "c.ofd", [layout(["（2022年1月5日）", P1, P2], title="关于加强党支部建设的讲话")],
                      title="属性标题", date="2023-03-05")
    assert main(["extract", str(stated), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert (got["title"], got["date"], got["date_basis"]) == ("关于加强党支部建设的讲话", "2022-01-05", "stated")


def test_ingest_and_reingest_give_the_same_paragraphs(tmp_path, capsys):
    f = make_ofd(tmp_path / "d.ofd", [layout([P1, P2, P3, P4])])
    idx = tmp_path / "index"
    args = ["ingest", str(f), "--index", str(idx), "--embeddings", "fake"]
    assert main(args) == 0 and "added     d  4 paragraphs" in capsys.readouterr().out
    assert main(args) == 0 and "unchanged d  4 paragraphs" in capsys.readouterr().out


@pytest.mark.parametrize("what, build, message", [
    ("no DocRoot", lambda f: _zip(f, {"OFD.xml": b'<OFD xmlns="http://www.ofdspec.org/2016"><DocBody/></OFD>'}),
     "OFD.xml names no DocRoot"),
    ("missing page", lambda f: _drop(make_ofd(f, [layout([P1])]), "Doc_0/Pages/Page_0/Content.xml"),
     "has no part Doc_0/Pages/Page_0/Content.xml"),
    ("encrypted", lambda f: make_ofd(f, [layout([P1])], extra_body="<ofd:Encryptions>Encryptions.xml</ofd:Encryptions>"),
     "the OFD is encrypted"),
    ("no text", lambda f: make_ofd(f, [[]]), "the OFD has no text"),
    ("bad XML", lambda f: _zip(f, {"OFD.xml": b"<OFD><DocBody>"}), "the OFD part OFD.xml is damaged"),
])
def test_broken_packages_are_refused(tmp_path, what, build, message):
    f = tmp_path / "x.ofd"
    build(f)
    with pytest.raises(IngestError, match=message):
        read_document(f)


def _zip(path, parts):
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def _drop(path, name):
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist() if n != name}
    return _zip(path, parts)


def test_entities_are_refused(tmp_path):
    """An entity expansion (billion laughs) in a part never expands: the part is refused."""
    bomb = (b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;">]>'
            b'<OFD><DocBody><DocRoot>&b;</DocRoot></DocBody></OFD>')
    f = _zip(tmp_path / "bomb.ofd", {"OFD.xml": bomb})
    with pytest.raises(IngestError, match="declares entities or a DTD; refused"):
        read_document(f)


def test_bounds_on_parts_and_unpacked_size(tmp_path, monkeypatch):
    f = make_ofd(tmp_path / "many.ofd", [layout([P1])], parts={f"Res/{n}.xml": b"<a/>" for n in range(30)})
    monkeypatch.setattr(read_ofd, "MAX_PARTS", 20)
    with pytest.raises(IngestError, match="parts \\(limit 20\\)"):
        read_document(f)
    monkeypatch.setattr(read_ofd, "MAX_PARTS", 10_000)
    big = make_ofd(tmp_path / "big.ofd", [layout([P1])], parts={"Res/zeros.bin": bytes(3_000_000)})
    monkeypatch.setattr(read_ofd, "MAX_UNPACKED", 2_000_000)
    with pytest.raises(IngestError, match="unpacks to over"):
        read_document(big)


def test_a_document_date_is_shown_as_the_files_own_everywhere(tmp_path, capsys):
    from digest.dates import infer_date
    from ingest.pipeline import load_speech

    f = make_ofd(tmp_path / "e.ofd", [layout([P1, P2])], title="党建工作讲话", date="2023-03-05T10:00:00")
    speech, _ = load_speech(f)
    assert (speech.date, speech.date_basis) == ("2023-03-05", "document")
    assert infer_date(speech).display() == "2023-03-05"  # digests: not 推断, not re-read from the text
    idx = ["--index", str(tmp_path / "index"), "--embeddings", "fake"]
    assert main(["ingest", str(f), *idx]) == 0
    capsys.readouterr()
    assert main(["stats", *idx]) == 0
    assert "党建工作讲话  2023-03-05（文件属性）" in capsys.readouterr().out


def test_xml_indentation_inside_a_run_is_no_line_break(tmp_path):
    """As in an OFD written by a Java producer: TextCode text wrapped and indented in the XML."""
    f = make_ofd(tmp_path / "w.ofd", [[(40.0, "同志们："), (40.0, "你好呀，OFD\n                    Reader&Writer！")]])
    assert texts(f) == ["同志们：", "你好呀，OFD Reader&Writer！"]  # the second line is one run (ofd_maker)


def test_running_heads_on_most_pages_are_dropped(tmp_path):
    head = (LEFT_HEAD, "某某局文件内部资料")
    pages = [[head, *layout([P1])], [head, *layout([P2])], [head, *layout([P4])]]
    f = make_ofd(tmp_path / "h.ofd", pages)
    assert texts(f) == [P1, P2, P4]
    two = make_ofd(tmp_path / "two.ofd", pages[1:])  # two pages: too few to tell a running head
    assert texts(two) == ["某某局文件内部资料", P2, "某某局文件内部资料", P4]


LEFT_HEAD = 60.0
