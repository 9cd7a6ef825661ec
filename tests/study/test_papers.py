import pytest

from study.generate import source_paragraphs
from study.model import StudyError
from study.papers import make_paper, parse_quota

QUOTA = "判断=5,单选=4,多选=2,填空=3,简答=1"


def paper(world, seed=1, variant="A", **kw):
    engine, speeches = world
    return make_paper(speeches, source_paragraphs(speeches, engine.retriever, **kw), parse_quota(QUOTA),
                      "试卷", seed, variant)


def test_quota_parsing():
    assert parse_quota(QUOTA) == {"判断": 5, "选择": 4, "多选": 2, "填空": 3, "简答": 1}
    assert parse_quota("选择=2") == {"选择": 2}
    for bad in ("判断", "论述=2", "判断=x", "判断=-1", ""):
        with pytest.raises(StudyError):
            parse_quota(bad)


def test_same_seed_same_paper_variants_differ(world):
    a1, a2, b = paper(world), paper(world), paper(world, variant="B")
    assert [it.to_json() for it in a1.items] == [it.to_json() for it in a2.items]
    assert [len(s.items) for s in a1.sections] == [5, 4, 2, 3, 1] == [len(s.items) for s in b.sections]
    assert [s.type for s in a1.sections] == ["判断", "选择", "多选", "填空", "简答"]
    assert not {it.question for it in a1.items} & {it.question for it in b.items}
    assert a1.total == 5 * 1 + 4 * 1 + 2 * 2 + 3 * 1 + 1 * 5
    assert a1.sections[2].heading(2) == "三、多选题（每题2分，共4分）"
    other = paper(world, seed=2)
    assert [it.question for it in other.items] != [it.question for it in a1.items]


def test_topic_paper_says_when_a_quota_cannot_be_met(world):
    engine, speeches = world
    p = make_paper(speeches, source_paragraphs(speeches, engine.retriever, topic="三会一课"), {"简答": 50},
                   "试卷", 0, "A")
    assert p.short["简答"] == len(p.items) < 50
