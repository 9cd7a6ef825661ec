"""What kind of follow-up a question is, read from its own words (no history needed), and the text
rewrites the offline resolver makes: an elliptical element put in place of the earlier question's
object, a reference to "this speech" taken out.

Kinds: "about" (哪次会议 / 什么时候 / 谁 — the speech itself), "ordinal" (第二点…), "others" (其他讲话里呢),
"more" (还有吗), "same_speech" (这篇讲话…, 同一次会上…), "ellipsis" (那对一把手呢？), "refer"
(这方面… — a pronoun for the earlier topic) and "new" (a question of its own).
"""
from __future__ import annotations

import re

from ingest.text import QUOTED, cn_small_number

from .focus import CONTENT_TAGS, segment

_ASKING = re.compile(r"什么|怎么|怎样|如何|哪|吗|多少|几[个项条点次]|为什么|为何|是否|能否|有没有|是不是")
_MEETING = re.compile(r"(?:哪|什么)(?:一)?(?:次|个|场)?(?:会议?|场合)|在哪(?:儿|里)?(?:讲|说)")
_DATE = re.compile(r"什么时候|何时|哪一?天|哪一?年|几月|日期|时间")
_TITLE = re.compile(r"题目|标题|题为|叫什么名")
_SPEAKER = re.compile(r"(?:谁|哪位|什么人)(?:讲|说|作|做|发表|主持)|讲话人|发言人|讲话者|是谁")
# "About the speech" only when it is the speech (or the meeting) that is asked about, not its content.
_ABOUT_CUE = re.compile(r"(?:讲|说|作|做|发表|召开|开)的|讲话|发言|这是|这些话|会议?是")
_ORDINAL = re.compile(r"第\s*([一二三四五六七八九十两\d]{1,3})\s*(?:点|条|项|个|方面|部分|句|要求|措施)"
                      r"|(最后)一?\s*(?:点|条|项|个方面)")
_OTHERS = re.compile(r"(?:其他|别的|其余|另外的?|其它)(?:几)?(?:篇|次|场)?(?:讲话|会议|会上|发言)")
_MORE = re.compile(r"^(?:那|那么)?(?:还有|另外还有|再)(?:吗|呢|没有|别的|其他|其它|更多|什么)?(?:的|内容|原文|要求)?"
                   r"(?:吗|呢|没有)?[？?。！!…\s]*$|^(?:别的|其他|其它|其余)(?:的)?(?:呢|吗)?[？?。！!\s]*$"
                   r"|^(?:再|继续)(?:说|讲|列|找)(?:说|讲)?(?:一些|几条|几点|点|更多)?(?:吧|吗)?[？?。！!\s]*$")
_SAME = re.compile(r"(?:在)?(?:这|该|那|同一|同|本|此)(?:一)?(?:篇|次|场|个)?(?:讲话|发言|会议|会)(?:上|里|中|当中)?"
                   r"(?:[，,]\s*)?(?:还|又|也|另外)?")
_REFER = re.compile(r"这方面|这一方面|这一点|这个问题|这项工作|这件事|上述|上面说的|刚才说的|前面说的|以上|它|其中")
_LEAD = re.compile(r"^(?:那么|那就|那|还有|另外|再问一下|再问)?\s*(?:对于|对|关于|至于|针对|如果是|要是|换成|换作|说到|谈到)?")
_TAIL = re.compile(r"(?:方面|这块|这一块|来说|而言|的话|的情况|情况|又|呢|吗|怎么样|如何|怎样|[？?。！!，,\s])*$")
_TOPIC_HINT = re.compile(r"^(?:那么|那)?\s*(?:关于|至于|说到|谈到)")
# Words that end a noun phrase naming people or bodies (the ones a question is about: 对年轻干部的…).
AGENT = re.compile(r"(?:干部|党员|书记|一把手|班子|成员|组织|支部|党委|党组|单位|部门|机关|群众|领导|同志|委员|人员"
                   r"|纪委|小组|职工|青年|负责人|团队|队伍|科室|企业|学校|个人|家属|亲属|子女|人|者)$")
_OBJECT_PREP = frozenset({"对", "关于", "针对", "就", "对于"})
_NP_TAGS = CONTENT_TAGS | {"a"}


def classify(question: str) -> str:
    """The kind of follow-up the question's own words make it, "new" when there is none."""
    q = question.strip()
    if (_MEETING.search(q) or _DATE.search(q) or _SPEAKER.search(q) or _TITLE.search(q)) and _ABOUT_CUE.search(q) and len(q) <= 30:
        return "about"
    if _ORDINAL.search(q) and len(q) <= 30:
        return "ordinal"
    if _OTHERS.search(q) and not _content_left(_OTHERS.sub("", q)):
        return "others"
    if _MORE.search(q):
        return "more"
    if _SAME.search(q) and not _names_meeting(q):
        return "same_speech"
    if elided(q):
        return "ellipsis"
    if _REFER.search(q) and not _has_topic(_REFER.sub("", q)):
        return "refer"
    return "new"


def about_what(question: str) -> str:
    """ "meeting", "date", "speaker" or "title"."""
    if _TITLE.search(question):
        return "title"
    if _SPEAKER.search(question):
        return "speaker"
    if _DATE.search(question):
        return "date"
    return "meeting"


def ordinal(question: str) -> int:
    """The point asked for: 1-based, -1 for 最后一点, 0 when none."""
    m = _ORDINAL.search(question)
    if not m:
        return 0
    if m.group(2):
        return -1
    n = m.group(1)
    return int(n) if n.isdigit() else (cn_small_number(n) or 0)


def ordinal_text(question: str) -> str:
    """第二点 / 第三条 / 最后一点, as typed."""
    m = _ORDINAL.search(question)
    return re.sub(r"\s+", "", m.group(0)) if m else ""


def elided(question: str) -> bool:
    """An element with the rest of the question left out: "那对一把手呢？", "党支部方面呢？"."""
    q = question.strip()
    if _ASKING.search(re.sub(r"[呢吗][？?。！!\s]*$", "", q)):
        return False
    ends = re.search(r"(?:呢|的话|怎么样|又如何|如何)[？?。！!\s]*$", q)
    return bool(ends) and len(q) <= 30 and bool(element(q))


def element(question: str) -> str:
    """The new element of an elliptical question: 那对一把手呢？ → 一把手."""
    q = _LEAD.sub("", question.strip(), count=1)
    return _TAIL.sub("", q).strip()


def topic_hint(question: str) -> bool:
    """关于…呢: the element is a topic, not a person or body (党支部方面呢 is still a body)."""
    return bool(_TOPIC_HINT.search(question))


def without_speech_reference(question: str) -> str:
    """这篇讲话还对作风建设提了什么要求？ → 对作风建设提了什么要求？"""
    rest = _SAME.sub("", question, count=1).strip(" ，,：:")
    return rest or question


def _names_meeting(q: str) -> bool:
    """在第一季度推进会上… names a meeting itself (qa.scope reads that); 这次会上 does not."""
    m = _SAME.search(q)
    return bool(m) and m.start() > 0 and bool(re.search(r"[\u4e00-\u9fff]{2}$", q[:m.start()]))


def _content_left(text: str) -> bool:
    return bool(re.sub(r"[那么呢吗里中上的在是有还？?。！!，,\s]", "", text))


def _has_topic(text: str) -> bool:
    return any(e - s >= 2 for s, e, _ in noun_phrases(text))


def noun_phrases(question: str) -> list[tuple[int, int, bool]]:
    """(start, end, names people or a body) of the question's noun phrases, in order. Quoted terms are
    phrases of their own; a phrase right after an interrogative (什么|要求) names the kind of answer."""
    spans: list[tuple[int, int, bool]] = [(m.start(), m.end(), False) for m in QUOTED.finditer(question)]
    masked = QUOTED.sub(lambda m: "，" * len(m.group(0)), question)
    pos, start, after_wh, prev_wh = 0, None, False, False
    for word, tag in segment(masked) + [("。", "w")]:
        s, pos = pos, pos + len(word)
        if tag in _NP_TAGS and word not in "，":
            if start is None:
                start, after_wh = s, prev_wh
            prev_wh = False
            continue
        if start is not None and not after_wh:
            text = question[start:s]
            spans.append((start, s, bool(AGENT.search(text))))
        start = None
        # 哪|三|点|意见: numerals and measure words keep the interrogative's hold on the noun after them
        prev_wh = bool(re.match(r"什么|哪|多少|几", word)) or (prev_wh and tag in ("m", "q", "a", "ad", "u"))
    return sorted(spans)


def replace_object(previous: str, new: str, topic: bool) -> str | None:
    """The earlier question with its object replaced by the new element, or None when it has none.
    A person or body replaces the earlier one (对年轻干部的教育… + 一把手 → 对一把手的教育…); a topic
    replaces the whole object after 对/关于 (对年轻干部的教育管理监督 + 作风建设 → 对作风建设), else the
    last topic phrase (怎样加强作风建设 + 廉洁自律 → 怎样加强廉洁自律)."""
    spans = noun_phrases(previous)
    if not spans:
        return None
    quoted = QUOTED.fullmatch(new)
    if quoted:
        target = next(((s, e) for s, e, _ in spans if QUOTED.fullmatch(previous[s:e])), None)
    elif not topic and AGENT.search(new):
        target = next(((s, e) for s, e, agent in spans if agent), None)
    else:
        target = _object_span(previous, spans) or next(((s, e) for s, e, agent in reversed(spans) if not agent), None)
    if target is None:
        target = spans[0][:2]
    s, e = target
    return previous[:s] + new + previous[e:]


def _object_span(question: str, spans: list[tuple[int, int, bool]]) -> tuple[int, int] | None:
    """对X的Y有什么要求: the span X的Y after the preposition, when the element is a topic."""
    words = segment(question)
    pos = 0
    for word, tag in words:
        pos += len(word)
        if tag == "p" and word in _OBJECT_PREP:
            after = [sp for sp in spans if sp[0] >= pos]
            if not after or after[0][0] - pos > 1:
                return None
            s, e = after[0][:2]
            for ns, ne, _ in after[1:]:
                if question[e:ns] == "的":
                    e = ne
                else:
                    break
            return s, e
    return None


def object_phrase(question: str) -> str | None:
    """What the question is about: the object after 对/关于 (年轻干部的教育管理监督), else its last topic
    phrase (作风建设 of 党员干部要怎样加强作风建设)."""
    spans = noun_phrases(question)
    target = _object_span(question, spans) or next(((s, e) for s, e, agent in reversed(spans) if not agent), None)
    if target is None and spans:
        target = spans[-1][:2]
    return question[target[0]:target[1]] if target else None


def replace_reference(question: str, previous: str) -> str | None:
    """这方面有什么具体措施？ after 党员干部要怎样加强作风建设？ → 作风建设方面有什么具体措施？"""
    obj = object_phrase(previous)
    m = _REFER.search(question)
    if not obj or not m:
        return None
    ref = m.group(0)
    new = obj + ("方面" if "方面" in ref else "") if ref.startswith("这") or ref in ("上述", "以上") else obj
    return question[:m.start()] + new + question[m.end():]
