"""Speech dates: given in speeches.toml, or inferred from the text with the sentence that shows it."""
from __future__ import annotations

from digest.dates import by_date, infer_date
from ingest.model import Paragraph, Speech
from ingest.pipeline import expand, load_speech
from tests.conftest import SPEECHES


def bundled() -> dict[str, Speech]:
    return {s.id: s for s in (load_speech(f)[0] for f in expand([SPEECHES]))}


def speech(lines: list[str], date: str = "", sid: str = "s") -> Speech:
    sp = Speech(sid, "标题", f"/{sid}.txt", "h" + sid + str(hash(tuple(lines))), date=date)
    sp.paragraphs = [Paragraph(sid, i, "", t) for i, t in enumerate(lines, start=1)]
    return sp


def test_bundled_speeches_are_dated_from_their_text_with_evidence():
    got = {sid: infer_date(s) for sid, s in bundled().items()}
    expected = {
        "003_4957c2c23b1f7b8a": "2022年初",  # reviews 2021, plans "推动2022年…"
        "001_ce92dc7b0f296d48": "2022年4月",  # "局2022年第一季度党建工作例会"
        "000_6117c26b33f13efb": "2022年末",  # "汇报了2022年…自评自查情况", "今年11月份"
        "002_d78a8ffa42bed171": "2023年初",  # "2023年是…开局之年"
        "004_9825695c093ec318": "不早于2022年10月",  # "学习贯彻党的二十大精神", no year stated
    }
    assert {sid: d.label for sid, d in got.items()} == expected
    for sid, d in got.items():
        assert d.inferred and d.display().endswith("（推断）")
        text = "".join(p.text for p in bundled()[sid].paragraphs)
        assert d.evidence.strip("…") in text  # the evidence is the speech's own words
    assert "第一季度" in got["001_ce92dc7b0f296d48"].evidence
    assert "2023年是" in got["002_d78a8ffa42bed171"].evidence
    assert "二十大精神" in got["004_9825695c093ec318"].evidence


def test_order_is_by_date_and_unknown_dates_go_last():
    order = [s.id for s, _ in by_date(list(bundled().values()))]
    assert order == ["003_4957c2c23b1f7b8a", "001_ce92dc7b0f296d48", "004_9825695c093ec318",
                     "000_6117c26b33f13efb", "002_d78a8ffa42bed171"]
    undated = speech(["同志们：", "要加强学习。"], sid="z")
    assert [s.id for s, _ in by_date([undated, bundled()["002_d78a8ffa42bed171"]])][-1] == "z"
    assert infer_date(undated).display() == "日期不详"


def test_a_given_date_wins_and_is_not_labelled_inferred():
    d = infer_date(speech(["2021年，我们取得了成绩。"], date="2023-02-15", sid="g"))
    assert (d.label, d.inferred, d.key) == ("2023-02-15", False, (2023, 2, 15))


def test_chinese_year_digits_and_quarters():
    d = infer_date(speech(["今天召开二〇二一年第四季度党建工作例会。"], sid="q"))
    assert (d.label, d.key[:2]) == ("2022年1月", (2022, 1))  # just after the fourth quarter
    d = infer_date(speech(["回顾2020年，我们……", "2021年是建党一百周年之年，要做好工作。"], sid="p"))
    assert d.label == "2021年初" and "2021年是" in d.evidence


HISTORICAL = [
    "1919年，五四运动爆发，开启了新民主主义革命。",
    "100年前，中国共产党诞生了。",
    "1937年，毛泽东同志为陕北公学成立题词。",
    "截至2018年末，全市常住人口达到300万人。",
    "回顾1921年，我们党只有50多名党员。",
    "2016年，中央巡视组分3轮开展巡视。",
    "1975年，他出生在一个普通农村家庭。",
    "扎实做好2020年奥运会、残奥会备战工作。",
]


def test_a_historical_year_in_the_body_never_dates_the_speech():
    for n, sentence in enumerate(HISTORICAL):
        d = infer_date(speech(["同志们：", sentence, "要加强学习。"], sid=f"h{n}"))
        assert d.label == "" and d.display() == "日期不详", sentence
    d = infer_date(speech(["同志们：", *HISTORICAL, "刚才，大家汇报了2022年党建工作情况。"], sid="hx"))
    assert d.label == "2022年末" and "汇报了2022年" in d.evidence  # only the sentence tied to the speech counts


def test_a_year_the_speech_ties_to_itself_dates_it():
    cases = {"今天，我们召开2023年第二季度工作例会。": "2023年7月",
             "刚才，同志们宣读了2024年党建工作要点。": "2024年初",
             "三、推动2021年全面从严治党工作再上新台阶": "2021年初"}
    for n, (sentence, label) in enumerate(cases.items()):
        assert infer_date(speech(["同志们：", sentence], sid=f"t{n}")).label == label, sentence


def test_the_header_date_comes_first_and_is_not_inferred():
    lines = ["在全县大会上的讲话", "（2021年2月20日）", "同志们：", "2023年是全面贯彻落实的开局之年。"]
    d = infer_date(speech(lines, sid="hd"))  # a record without date_basis (an older index) reads its header
    assert (d.label, d.inferred, d.basis, d.key) == ("2021-02-20", False, "stated", (2021, 2, 20))
    assert d.display() == "2021-02-20"
    title_year = infer_date(speech(["2025年全市政府工作报告", "各位代表：", "2024年，我们攻坚克难。"], sid="ty"))
    assert (title_year.label, title_year.inferred) == ("2025", False)


def test_ingest_stores_iso_dates_and_their_basis():
    got = {sid: (s.date, s.date_basis) for sid, s in bundled().items()}
    assert got == {"000_6117c26b33f13efb": ("2022", "inferred"), "001_ce92dc7b0f296d48": ("2022-04", "inferred"),
                   "002_d78a8ffa42bed171": ("2023", "inferred"), "003_4957c2c23b1f7b8a": ("2022", "inferred"),
                   "004_9825695c093ec318": ("", "")}  # 不早于2022年10月 is a bound, not a date: not stored


def test_an_old_record_opens_with_defaults():
    old = {"id": "a", "title": "t", "source": "/a.txt", "hash": "h", "date": "2023年2月1日", "paragraphs": []}
    s = Speech.from_dict(old)
    assert (s.date, s.date_basis, s.speaker) == ("2023年2月1日", "given", "")
    assert Speech.from_dict({**old, "date": ""}).date_basis == ""
    assert Speech.from_dict(s.to_dict()).date_basis == "given"
