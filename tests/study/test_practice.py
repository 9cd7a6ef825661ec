import json

import pytest

from study.model import StudyError
from study.practice import WrongBook, grade
from tests.study.conftest import items_for

ALL = ("判断", "多选", "填空", "选择", "简答")


@pytest.fixture(scope="module")
def by_type(world):
    items = items_for(world, n=10, types=ALL, seed=4)
    return {t: next(it for it in items if it.type == t) for t in ALL}


def test_grading(by_type):
    j, m, f, c, s = (by_type[t] for t in ALL)
    assert grade(j, j.answer).correct and not grade(j, "正确" if j.answer == "错误" else "错误").correct
    picked = [o for o in m.options if o[0] in m.answer]
    assert grade(m, picked).correct and not grade(m, picked[:-1]).correct
    assert not grade(m, m.options).correct
    assert grade(c, next(o for o in c.options if o[0] == c.answer)).correct and not grade(c, None).correct
    assert grade(f, f" “{f.answer}” ").correct and not grade(f, "").correct
    full = grade(s, "；".join(s.points))
    assert full.correct and full.share == 1.0
    assert not grade(s, "不知道").correct and grade(s, "不知道").share == 0


def test_wrong_book_survives_a_new_instance_and_masters_items(tmp_path, by_type):
    book = WrongBook(tmp_path, "user-12345678")
    book.record(by_type["判断"], correct=False)
    book.record(by_type["多选"], correct=False)
    book.record(by_type["多选"], correct=False)
    book.record(by_type["填空"], correct=True)  # right first time: never in the book
    again = WrongBook(tmp_path, "user-12345678")  # as after a restart
    items = again.items()
    assert [it.to_record() for it in items] == [by_type["判断"].to_record(), by_type["多选"].to_record()]
    assert json.loads((tmp_path / "user-12345678.json").read_text("utf-8"))[1]["wrong"] == 2
    again.record(by_type["判断"], correct=True)
    assert [it.type for it in WrongBook(tmp_path, "user-12345678").items()] == ["多选"]
    assert WrongBook(tmp_path, "someone-else-1").items() == []


def test_wrong_book_rejects_bad_user_ids_and_damaged_files(tmp_path):
    for bad in ("../../etc/passwd", "short", "", "a/b" * 5):
        with pytest.raises(StudyError):
            WrongBook(tmp_path, bad)
    (tmp_path / "damaged-user-1.json").write_text("{not json", "utf-8")
    assert WrongBook(tmp_path, "damaged-user-1").items() == []
