"""The header as the file publishes it: title lines, date line, speaker, occasion, 来源 — over every header
shape of the 21 corpus2 texts (their first lines, copied here), shapes of our own wording, and the five
bundled speeches."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.header import closing_date, is_salutation, read_header, to_iso
from ingest.pipeline import load_speech
from ingest.structure import parse_speech, split_lines
from tests.conftest import SPEECHES

CORPUS2 = Path("/work/shared/corpus2")  # the real files, when this machine has them

# file: (first lines up to and including the one that ends the header; a body line is cut to 70
# characters), then title, header date (ISO), speaker, header length. Truth: corpus2/README.md.
CORPUS2_HEADERS = {
    "dev01": (["政府工作报告", "——2023年3月5日在第十四届全国人民代表大会第一次会议上", "国务院总理\u3000李克强", "各位代表："],
              "政府工作报告", "2023-03-05", "国务院总理 李克强", 3),
    "dev02": (["2019年中华人民共和国国务院政府工作报告", "各位代表："],
              "2019年中华人民共和国国务院政府工作报告", "2019", "", 1),  # the year the title opens with
    "dev03": (["2025年重庆市政府工作报告", "来源：重庆日报", "——2025年1月19日在重庆市第六届人民代表大会第三次会议上",
               "重庆市人民政府市长 胡衡华", "各位代表："],
              "2025年重庆市政府工作报告", "2025-01-19", "重庆市人民政府市长 胡衡华", 4),
    "dev04": (["决胜全面建成小康社会 夺取新时代中国特色社会主义伟大胜利", "——在中国共产党第十九次全国代表大会上的报告",
               "（2017年10月18日）", "习\u3000近\u3000平", "同志们："],
              "决胜全面建成小康社会 夺取新时代中国特色社会主义伟大胜利", "2017-10-18", "习近平", 4),
    "dev05": (["坚定不移沿着中国特色社会主义道路前进 为全面建成小康社会而奋斗", "同志们："],
              "坚定不移沿着中国特色社会主义道路前进 为全面建成小康社会而奋斗", "", "", 1),
    "dev06": (["在中国科学院第十九次院士大会、中国工程院第十四次院士大会上的讲话", "（2018年5月28日）", "习近平",
               "各位院士，同志们，朋友们："],
              "在中国科学院第十九次院士大会、中国工程院第十四次院士大会上的讲话", "2018-05-28", "习近平", 3),
    "dev07": (["在北京大学师生座谈会上的讲话", "（2018年5月2日）", "习近平", "各位同学，各位老师，同志们："],
              "在北京大学师生座谈会上的讲话", "2018-05-02", "习近平", 3),
    "dev08": (["在纪念五四运动100周年大会上的讲话", "来源：学习强国", "习近平", "共青团员们，青年朋友们，同志们："],
              "在纪念五四运动100周年大会上的讲话", "", "习近平", 3),
    "dev09": (["在中央政治局常委会会议研究应对新型冠状病毒肺炎疫情工作时的讲话", "（2020年2月3日）", "习近平",
               "武汉新型冠状病毒肺炎疫情发生后，1月7日，我主持召开中央政治局常委会会议时，就对新型冠状病毒肺炎疫情防控工作提出了要求。"],
              "在中央政治局常委会会议研究应对新型冠状病毒肺炎疫情工作时的讲话", "2020-02-03", "习近平", 3),
    "dev10": (["在纪念辛亥革命110周年大会上的讲话", "习近平", "同志们，朋友们："],
              "在纪念辛亥革命110周年大会上的讲话", "", "习近平", 2),
    "dev11": (["在庆祝中国共产主义青年团成立100周年大会上的讲话", "（2022年5月10日）", "共青团员们，青年朋友们，同志们："],
              "在庆祝中国共产主义青年团成立100周年大会上的讲话", "2022-05-10", "", 2),
    "dev12": (["在党的二十届三中全会第二次全体会议上的讲话", "（2024年7月18日）", "习近平",
               "这次全会，听取了中央政治局工作报告，分析了当前形势和任务，审议通过了《中共中央关于进一步全面深化改革、推进中国式现代化的决定》"],
              "在党的二十届三中全会第二次全体会议上的讲话", "2024-07-18", "习近平", 3),
    "dev13": (["胡锦涛在庆祝清华大学建校100周年大会上的讲话", "老师们，同学们，同志们，朋友们："],
              "胡锦涛在庆祝清华大学建校100周年大会上的讲话", "", "胡锦涛", 1),  # 4月24日 only in the body
    "dev14": (["谱写新时代中国宪法实践新篇章", "——纪念现行宪法公布施行40周年", "习近平",
               "今年是我国现行宪法公布施行40周年。40年来，现行宪法有力推动和加强了社会主义法治建设。"],
              "谱写新时代中国宪法实践新篇章——纪念现行宪法公布施行40周年", "", "习近平", 3),
    "dev15": (["十八大以来党风廉政建设新思想新观点新举措", "吴桂韩", "2017年08月22日09:55 来源：人民网-理论频道",
               "党的十八大以来，以习近平同志为核心的党中央把党风廉政建设和反腐败斗争作为全面从严治党的重要内容。"],
              "十八大以来党风廉政建设新思想新观点新举措", "2017-08-22", "吴桂韩", 3),
    "dev16": (["习近平的创新思维方法在浙江的探索与实践", "来源：浙江日报", "作者：浙江省中国特色社会主义理论体系研究中心",
               "创新思维方法，就是敢于打破思维定式，解放思想、超越陈规，因时制宜、与时俱进。"],
              "习近平的创新思维方法在浙江的探索与实践", "", "浙江省中国特色社会主义理论体系研究中心", 3),
    "dev17": (["求真务实 创先争优 再铸辉煌", "——九届二次教代会学校工作报告", "马德尧", "各位领导、各位代表、教工同志们：大家好！"],
              "求真务实 创先争优 再铸辉煌——九届二次教代会学校工作报告", "", "马德尧", 3),
    # README names the three speakers of its three parts; no header line names them.
    "dev18": (["2019年度绍兴一中领导班子个人述职述廉述德述法报告", "1.孙洪亮（党委副书记、纪委书记）"],
              "2019年度绍兴一中领导班子个人述职述廉述德述法报告", "", "", 1),  # 2019年度: the year covered
    "dev19": (["家长开放日讲话稿", "2020年10月29日上午", "各位家长大家好！"], "家长开放日讲话稿", "2020-10-29", "", 2),
    # The source sets both lines in the title's typeface: a title and its subtitle.
    "dev20": (["自认“小节无害” 终致人生“翻车”", "云南省广南县委原常委、常务副县长高燕文严重违纪违法案剖析",
               "高燕文，男，1975年11月出生，1995年7月参加工作，1997年10月加入中国共产党。"],
              "自认“小节无害” 终致人生“翻车”——云南省广南县委原常委、常务副县长高燕文严重违纪违法案剖析", "", "", 2),
    "dev21": (["心生攀比入歧途 不知收敛坠深渊", "胡秀军，男，1972年6月出生，1996年7月参加工作，2001年12月加入中国共产党。"],
              "心生攀比入歧途 不知收敛坠深渊", "", "", 1),
}

# Shapes in our own wording: lines, then title, date, speaker, occasion, source, header length.
SYNTHETIC = [
    (["在全省水利工作会议上的讲话", "（二〇一九年一月十日）", "张　明　华", "各位委员，同志们："],
     "在全省水利工作会议上的讲话", "2019-01-10", "张明华", "在全省水利工作会议上", "", 3),
    (["深化改革 激发活力", "——在市委全会第三次会议上的报告", "2022.10.23", "市委书记 王建国", "同志们："],
     "深化改革 激发活力", "2022-10-23", "市委书记 王建国", "在市委全会第三次会议上的报告", "", 4),
    (["以高质量党建引领高质量发展", "——2021年12月8日在集团公司年度工作会议上", "董事长　刘卫东", "各位代表，同志们："],
     "以高质量党建引领高质量发展", "2021-12-08", "董事长 刘卫东", "在集团公司年度工作会议上", "", 3),
    (["关于加强基层治理的几点思考", "（中共某县委理论学习中心组）", "二〇二〇年一月", "基层治理是国家治理的基石，" * 6],
     "关于加强基层治理的几点思考", "2020-01", "中共某县委理论学习中心组", "", "", 3),
    (["2024年全县教育工作报告", "同志们："], "2024年全县教育工作报告", "2024", "", "", "", 1),
    (["2023年度班子述职报告", "各位领导："], "2023年度班子述职报告", "", "", "", "", 1),
    (["李明在全市安全生产会议上的讲话", "女士们、先生们、朋友们："],
     "李明在全市安全生产会议上的讲话", "", "李明", "在全市安全生产会议上", "", 1),
    (["乡村振兴的实践路径", "作者：赵晓东", "来源：某某日报", "2019-05-06 08:30", "乡村振兴战略实施以来，各地积极探索。"],
     "乡村振兴的实践路径", "2019-05-06", "赵晓东", "", "某某日报", 4),
    (["开学典礼致辞", "（2021年9月1日，杭州）", "亲爱的同学们：大家上午好！"], "开学典礼致辞", "2021-09-01", "", "", "", 2),
    (["奋斗正当时", "奋进新征程", "新华社北京3月1日电", "各位来宾："], "奋斗正当时——奋进新征程", "", "", "", "", 3),
    (["王建国同志在全县经济工作会议上的讲话", "发布时间：2021-02-20", "各位代表："],
     "王建国同志在全县经济工作会议上的讲话", "2021-02-20", "王建国", "在全县经济工作会议上", "", 2),
    (["坚持人民至上", "来源：某某网 2022年3月4日", "周立波", "正文的第一段很长，" * 8],
     "坚持人民至上", "2022-03-04", "周立波", "", "某某网 2022年3月4日", 3),
    (["树立和践行正确政绩观※", "李明", "各位代表："], "树立和践行正确政绩观", "", "李明", "", "", 2),  # a note mark
    (["在全县教育大会上的讲话①", "同志们："], "在全县教育大会上的讲话", "", "", "在全县教育大会上", "", 1),
    (["同志们：", "今天召开会议。"], "", "", "", "", "", 0),
    (["这次会议的主要任务是总结去年工作，部署今年任务，动员全系统干部职工进一步统一思想、凝聚共识、真抓实干。"],
     "", "", "", "", "", 0),
]


@pytest.mark.parametrize("name", sorted(CORPUS2_HEADERS))
def test_corpus2_headers(name):
    lines, title, date, speaker, end = CORPUS2_HEADERS[name]
    h = read_header(lines)
    assert (h.title, h.date, h.speaker, h.end) == (title, date, speaker, end)
    assert "来源" not in h.title and "来源" not in h.speaker


@pytest.mark.parametrize("case", SYNTHETIC, ids=[c[0][0][:8] for c in SYNTHETIC])
def test_synthetic_headers(case):
    lines, title, date, speaker, occasion, source, end = case
    h = read_header(lines)
    assert (h.title, h.date, h.speaker, h.occasion, h.source, h.end) == (title, date, speaker, occasion, source, end)


@pytest.mark.skipif(not CORPUS2.is_dir(), reason="corpus2 is not on this machine")
@pytest.mark.parametrize("name", sorted(CORPUS2_HEADERS))
def test_corpus2_files_as_ingested(name):
    """The real file begins with the lines above; ingest gives its title, date and speaker."""
    path = CORPUS2 / f"{name}.txt"
    lines, title, date, speaker, end = CORPUS2_HEADERS[name]
    texts = [t.strip() for t in path.read_text(encoding="utf-8").splitlines() if t.strip()]
    assert texts[:end] == lines[:end] and texts[end].startswith(lines[end][:20])
    s, _ = load_speech(path, meta={})
    assert (s.title, s.speaker) == (title, speaker)
    expected = {"dev17": ("2011", "inferred"),  # "2011年是国家十二五规划的开局之年"
                "dev18": ("2020-01-16", "stated")}.get(name, (date, "stated" if date else ""))
    assert (s.date, s.date_basis) == expected
    assert [p.number for p in s.paragraphs] == list(range(1, len(texts) + 1))
    assert all(p.is_heading and p.heading == "" for p in s.paragraphs[:end])


def test_bundled_speeches_titles_from_the_file_and_from_speeches_toml():
    by_file = {f.stem: load_speech(f, meta={})[0] for f in sorted(SPEECHES.glob("*.txt"))}
    # four start with 同志们： and state no title: they are called by their file name
    assert {k: s.title for k, s in by_file.items()} == {
        "000_6117c26b33f13efb": "000_6117c26b33f13efb", "001_ce92dc7b0f296d48": "001_ce92dc7b0f296d48",
        "002_d78a8ffa42bed171": "002_d78a8ffa42bed171", "003_4957c2c23b1f7b8a": "003_4957c2c23b1f7b8a",
        "004_9825695c093ec318": "踔厉奋发\xa0笃行不怠——坚定不移推进全面从严治党向纵深发展"}  # as published (NBSP)
    assert all(s.speaker == "" for s in by_file.values())
    with_toml = {f.stem: load_speech(f)[0] for f in sorted(SPEECHES.glob("*.txt"))}
    assert with_toml["002_d78a8ffa42bed171"].title == "在局党建暨党风廉政建设工作会议上的讲话"
    assert with_toml["004_9825695c093ec318"].title == by_file["004_9825695c093ec318"].title


def test_speeches_toml_overrides_the_header(tmp_path):
    text = "在全县大会上的讲话\n（2021年2月20日）\n王建国\n同志们：\n正文。"
    s = parse_speech("x", split_lines(text), meta={"title": "人工标题", "date": "2023年2月1日", "speaker": "张三"})
    assert (s.title, s.date, s.date_basis, s.speaker) == ("人工标题", "2023-02-01", "given", "张三")
    s = parse_speech("x", split_lines(text))
    assert (s.title, s.date, s.date_basis, s.speaker) == ("在全县大会上的讲话", "2021-02-20", "stated", "王建国")


def test_header_date_beats_the_body():
    text = "在全县大会上的讲话\n（2021年2月20日）\n同志们：\n2023年是全面贯彻落实的开局之年，要做好2023年工作。"
    s = parse_speech("x", split_lines(text))
    assert (s.date, s.date_basis) == ("2021-02-20", "stated")


def test_salutations():
    for line in ("同志们：", "同志们:", "各位代表：", "老师们，同学们，同志们，朋友们：", "各位家长大家好！",
                 "各位领导、各位代表、教工同志们：大家好！", "尊敬的各位来宾："):
        assert is_salutation(line), line
    for line in ("来源：重庆日报", "大会的主题是：", "同志们，让我们团结起来。", "作者：张三"):
        assert not is_salutation(line), line


def test_iso_dates():
    assert [to_iso(x) for x in ("2023年2月1日", "2023-2-1", "二〇二三年二月", "2023年", "２０２２年１０月２３日",
                                "2022.10.23", "春季", "")] == [
        "2023-02-01", "2023-02-01", "2023-02", "2023", "2022-10-23", "2022-10-23", "", ""]


def test_closing_date_line():
    assert closing_date(["正文。", "某某单位", "2020年1月16日"]) == ("2020-01-16", "2020年1月16日")
    assert closing_date(["正文。", "（新华社北京4月24日电）"]) == ("", "")  # no year
    assert closing_date(["2019年以来，我们做了很多工作。"]) == ("", "")


# eval/corpus3 (real public texts checked in with the question set, read here as ingest reads them):
# file → title, date, date basis, speaker. Truth: eval/corpus3/README.md (c3_03's second line is the
# page's subtitle; c3_07 dates itself （1月13日下午4点，…） without a year; c3_08's 2021 is its body's).
CORPUS3 = Path(__file__).resolve().parents[2] / "eval" / "corpus3"
CORPUS3_HEADERS = {
    "c3_01": ("2026年吉林省政府工作报告", "2026-01-27", "stated", "省长 胡玉亭"),
    "c3_02": ("2026年西藏自治区政府工作报告", "2026-01-31", "stated", "自治区主席 嘎玛泽登"),
    "c3_03": ("李强作的政府工作报告（摘登）——过去一年全面建设社会主义现代化国家迈出坚实步伐", "", "", ""),
    "c3_04": ("弘扬“四气” 提振精神 只争朝夕 狠抓落实", "", "", "盛阅春"),
    "c3_05": ("在2018年干部教育培训秋季学期开学典礼上的讲话提纲", "2018-09-03", "stated", "马卫光"),
    "c3_07": ("不忘初心担使命 传承博雅谱新篇 奋力开创绍兴一中高水平发展新局面", "", "", "绍兴一中党委书记、校长 王琛"),
    "c3_08": ("2021年度班子及个人述职述廉述德述法报告", "2021", "inferred", "王琛"),
    "c3_09": ("中国共产党第二十届中央纪律检查委员会第三次全体会议公报", "2024-01-10", "stated", ""),
    "c3_11": ("坚定不移全面从严治党", "", "", "赵乐际"),
    "c3_13": ("深刻把握新时代新征程全面从严治党新的重大命题", "", "", "中共中央党史和文献研究院院务会理论学习中心组"),
}


@pytest.mark.parametrize("name", sorted(CORPUS3_HEADERS))
def test_corpus3_files_as_ingested(name):
    s, _ = load_speech(CORPUS3 / f"{name}.txt", meta={})
    assert (s.title, s.date, s.date_basis, s.speaker) == CORPUS3_HEADERS[name]


@pytest.mark.parametrize("lines, date, speaker, end", [
    # a whole line in brackets that opens with a date is the document's date line (题注), whatever it adds
    (["某某公报", "（2024年1月10日某某会议通过）", "会议于1月8日举行，听取了工作报告。"], "2024-01-10", "", 2),
    # when and where without a year: still the header, so the speaker line after it is read
    (["某某讲话", "（1月13日下午4点，行政楼会议室）", "党委书记、校长  王 琛", "同志们："], "", "党委书记、校长 王琛", 3),
])
def test_bracketed_date_lines_and_a_spaced_name_after_a_role(lines, date, speaker, end):
    h = read_header(lines)
    assert (h.date, h.speaker, h.end) == (date, speaker, end)
