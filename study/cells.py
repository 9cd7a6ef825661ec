"""What every export format writes the same way: a spreadsheet-safe cell and a choice question's answer.
(Its own module so that export.py and export_office.py both use it without importing each other.)"""
from __future__ import annotations

from .model import StudyItem

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutral(cell: str) -> str:
    """A cell a spreadsheet would evaluate (=, +, -, @) gets a leading apostrophe."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def choice_answer(item: StudyItem, sep: str = "") -> str:
    return sep.join(item.answer) if item.type == "多选" else item.answer
