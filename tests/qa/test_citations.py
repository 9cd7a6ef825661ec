import pytest

from ingest.model import Paragraph, Speech
from qa.citations import CitationError, locate, make_citation, verify

TEXT = "要严格落实“三会一课”制度，做到 常态化；坚持抓早抓小（第一种形态）。"


@pytest.fixture
def speeches():
    s = Speech("s1", "标题", "", "h", [Paragraph("s1", 1, "", "同志们："), Paragraph("s1", 2, "一、总要求", TEXT)])
    return {"s1": s}


def test_exact_quote_is_accepted(speeches):
    assert verify(speeches, "s1", 2, "落实“三会一课”制度") == "落实“三会一课”制度"


def test_whitespace_and_width_differences_are_folded_and_the_original_returned(speeches):
    # full-width （） in the text, half-width () and extra spaces in the quote
    assert verify(speeches, "s1", 2, "抓早抓小 (第一种形态)") == "抓早抓小（第一种形态）"
    assert verify(speeches, "s1", 2, "做到常态化") == "做到 常态化"


def test_altered_quote_is_rejected(speeches):
    with pytest.raises(CitationError, match="not in s1 §2"):
        verify(speeches, "s1", 2, "要严格落实“三会两课”制度")
    with pytest.raises(CitationError):
        verify(speeches, "s1", 2, "落实“三会一课”制度。")  # punctuation other than width is not folded


def test_wrong_paragraph_number_is_rejected(speeches):
    with pytest.raises(CitationError, match="not in s1 §1"):
        verify(speeches, "s1", 1, "落实“三会一课”制度")
    with pytest.raises(CitationError, match="has no paragraph 3"):
        verify(speeches, "s1", 3, "落实")
    with pytest.raises(CitationError, match="has no paragraph 0"):
        verify(speeches, "s1", 0, "落实")


def test_unknown_source_is_rejected(speeches):
    with pytest.raises(CitationError, match="unknown source 'nope'"):
        verify(speeches, "nope", 2, "落实")


def test_empty_quote_is_rejected(speeches):
    with pytest.raises(CitationError):
        verify(speeches, "s1", 2, "  ")
    assert locate("", TEXT) is None


def test_citation_carries_title_and_heading(speeches):
    c = make_citation(speeches, 1, "s1", 2, "三会一课")
    assert (c.title, c.heading, c.paragraph, c.quote, c.marker) == ("标题", "一、总要求", 2, "三会一课", 1)
