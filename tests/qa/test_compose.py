"""Which sentences of a retrieved paragraph the offline answer shows (qa.compose.fragments_for)."""
from qa.compose import fragments_for
from qa.model import Passage

INTRO = "《决定》提出需要遵循的“三个坚持”原则，是宝贵经验的科学总结。"
ITEMS = ["坚持党的全面领导，这是最大政治优势，要把党的领导贯穿改革全过程。",
         "坚持以人民为中心，要尊重人民主体地位和首创精神。",
         "坚持系统观念，要统筹兼顾、辩证施策。"]
WEIGHTS = {"原则": 2.0, "遵循": 2.0}


def _texts(text: str) -> list[str]:
    return [text[f.start:f.end] for f in fragments_for(Passage("s", "t", 1, "", text), WEIGHTS)]


def test_unnumbered_items_after_a_sentence_that_announces_them_are_shown():
    shown = _texts(INTRO + "".join(ITEMS) + "这些原则必须坚持。")
    assert shown[0] == INTRO
    assert all(any(s.startswith(item[:8]) for s in shown) for item in ITEMS)


def test_sentences_that_merely_open_alike_are_no_list_without_an_announcement():
    intro = "《决定》提出需要遵循的原则，是宝贵经验的科学总结。"
    assert _texts(intro + "".join(ITEMS)) == [intro]


def test_two_alike_sentences_are_no_list():
    assert _texts(INTRO + "".join(ITEMS[:2])) == [INTRO]


def test_an_english_question_picks_the_sentence_whose_words_gloss_to_its_words():
    from qa.crosslingual import gloss_coverage

    text = "要坚持实事求是。坚决压减会议和文件数量。要加强学习。"
    spans = fragments_for(Passage("s", "t", 1, "", text), {}, keyword=gloss_coverage("How will meetings and documents be cut?"))
    assert [text[f.start:f.end] for f in spans] == ["坚决压减会议和文件数量。"]


def test_the_budget_goes_to_the_best_sentences_first_not_the_earliest():
    from qa.compose import Depth

    weak = "关于学校的工作，我们在过去一年里做了很多具体的事情，也取得了一些进展，这里不一一列举了。"
    best = "学校的家校合作做到了家长开放日常态化。"
    text = weak + weak.replace("一年", "两年") + best
    frags = fragments_for(Passage("s", "t", 1, "", text), {"学校": 1.0, "家校合作": 2.0},
                          Depth(sentences=3, share=0.3, budget=60))
    assert best in [text[f.start:f.end] for f in frags]


def test_the_best_passage_shows_more_of_itself_than_the_others_do():
    from qa.compose import NEAR, Reach, compose

    best = Passage("a", "甲", 1, "", "团干部要对党忠诚。团干部要联系青年。团干部要担当实干。团干部要做青年友。", score=1.0)
    others = [Passage(s, s, 1, "", f"团干部要学习{s}。团干部要锻炼{s}。", score=0.9) for s in "乙丙丁"]
    idf = {"团干部": 3.0, "要求": 1.0}
    led, _ = compose("对团干部提出了哪些要求？", [best, *others], idf, reach=NEAR)
    plain, _ = compose("对团干部提出了哪些要求？", [best, *others], idf, reach=Reach())
    assert "做青年友" in led
    assert "做青年友" not in plain  # without a lead, the best passage shows its best three like the rest
