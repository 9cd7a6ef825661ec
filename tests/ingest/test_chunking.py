from ingest.chunking import chunk_paragraph
from ingest.text import sentence_spans
from ingest.model import Chunk, Paragraph


def para(text, n=1):
    return Paragraph("s", n, "", text)


def test_sentence_spans_cover_the_text_exactly():
    text = "第一句。第二句！“引号句。”第三句；没有结尾"
    spans = sentence_spans(text)
    assert "".join(text[s:e] for s, e in spans) == text
    assert text[spans[2][0]:spans[2][1]] == "“引号句。”"


def test_short_paragraph_is_one_chunk():
    (c,) = chunk_paragraph(para("短段落。"))
    assert (c.start, c.end, c.text) == (0, 4, "短段落。")


def test_long_paragraph_chunks_have_exact_offsets_and_overlap():
    text = "".join(f"这是第{i}个句子，内容比较充实而且稍长一些。" for i in range(60))
    chunks = chunk_paragraph(para(text), max_chars=120)
    assert len(chunks) > 5
    for c in chunks:
        assert text[c.start:c.end] == c.text
        assert len(c.text) <= 120
        assert c.text.endswith("。")
    assert chunks[0].start == 0 and chunks[-1].end == len(text)
    for a, b in zip(chunks, chunks[1:]):
        assert b.start < a.end  # one sentence of overlap
        assert b.start > a.start  # always progress


def test_sentence_longer_than_window_is_cut():
    text = "无" * 500
    chunks = chunk_paragraph(para(text), max_chars=120)
    assert "".join(c.text for c in chunks) == text
    assert all(len(c.text) <= 120 for c in chunks)


def test_chunk_ids_are_content_derived():
    a = Chunk("s", 3, 0, 4, "内容。")
    assert a.id == Chunk("s", 3, 0, 4, "内容。").id
    assert a.id != Chunk("s", 4, 0, 4, "内容。").id
    assert a.id != Chunk("s", 3, 0, 4, "内容！").id
