"""The Chinese text rules of ingest/text.py (no model, no store)."""
import pytest

from ingest.text import expand_short_years, expand_two_digit_years, full_year


@pytest.mark.parametrize("text, years, expected", [
    ("24年的工作", {2024}, "2024年的工作"),
    ("24年底", {2024}, "2024年底"),
    ("80年代的事", {1980, 2024}, "80年代的事"),  # a decade
    ("18年龄段", {2018}, "18年龄段"),  # an age
    ("10年来", {2010}, "10年来"),  # a span of years
    ("24年", {2024, 1924}, "24年"),  # two candidates: left alone
])
def test_a_short_year_is_expanded_only_when_it_is_a_year(text, years, expected):
    assert expand_short_years(text, years) == expected


@pytest.mark.parametrize("text, expected", [
    ("98年", "1998年"), ("24年", "2024年"), ("69年", "1969年"), ("68年", "2068年"),
    ("80年代", "80年代"), ("24年来", "24年来"),
])
def test_two_digit_years_take_the_century_of_the_posix_pivot(text, expected):
    assert expand_two_digit_years(text) == expected
    assert full_year(98) == 1998 and full_year(5) == 2005
