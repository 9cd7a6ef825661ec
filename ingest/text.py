"""The Chinese text rules, in one place: sentences, tokens, numerals, enumeration markers and quoted key
terms, built from the word lists of ingest/lexicon.py (stop words, numerals, measure and role words).
"""
from __future__ import annotations

import functools
import logging
import re
import threading
import unicodedata

import jieba

from .lexicon import CN_DIGITS, CN_VALUE, LIST_MEASURES, ORDER_WORDS, STOPWORDS  # noqa: F401 — importable here too

jieba.setLogLevel(logging.WARNING)

CJK = re.compile(r"[\u4e00-\u9fff]")

# -- sentences -------------------------------------------------------------------------------------
# A sentence ends at 。！？； (and their ASCII forms), plus any closing quotes/brackets after them.
_SENTENCE = re.compile(r"[^。！？；!?;]*(?:[。！？；!?;]+[”’」』）)]*|$)")
SENTENCE_END = "。！？；!?;"


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of each sentence; together they cover the text exactly."""
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.end() > m.start()]


def answer_spans(text: str) -> list[tuple[int, int]]:
    """Sentences, also split after a colon: "…即：甲；乙。" introduces what follows."""
    out = []
    for s, e in sentence_spans(text):
        cut = s
        for m in re.finditer(r"[：:]", text[s:e]):
            pos = s + m.end()
            if pos < e and e - pos > 4:
                out.append((cut, pos))
                cut = pos
        out.append((cut, e))
    return out


# -- enumeration markers ---------------------------------------------------------------------------
# "一是…" / "二要…" / "一方面，…": an enumerated point (as a paragraph or as a sentence).
ITEM = re.compile(rf"^(?:([{CN_DIGITS}]{{1,3}})[是要]|[一另]方面)")
# A sentence that continues an enumeration inside a paragraph: 一是… 第二，… 首先… 最后…
ENUM = re.compile(rf"^(?:[{CN_DIGITS}]{{1,2}}[是要]|第[{CN_DIGITS}]{{1,2}}[，,、]|首先|其次|再次|最后)")
ENUM_FIRST = re.compile(r"^(?:一[是要]|第一[，,、]|首先)")
# A sentence that announces a number of items (“六个坚持”原则, 三个方面, 以下几点): what follows may be them.
ANNOUNCES_LIST = re.compile(rf"[二三四五六七八九十两几]\s*(?:个|项|条|点|种|大)?\s*(?:方面|[{LIST_MEASURES}])|以下几")
PARALLEL_ITEMS = 3  # sentences in a row that open with the same two characters (坚持…, 坚持…) are a list
# Paragraph items other speeches number otherwise: ——… / 第一，… / 1. … / 首先… 其次… 最后…
DASH_ITEM = re.compile(r"^——")
ORDINAL_ITEM = re.compile(rf"^第([{CN_DIGITS}]{{1,3}})[，,、：:]")
ARABIC_ITEM = re.compile(r"^(\d{1,2})[.．、](?!\d)")
# "讲三点意见" / "谈五点建议" / "讲三个方面的意见" / "谈几点意见": the speech announces its parts.
OUTLINE = re.compile(rf"[讲谈提]([{CN_DIGITS}几两]+)(?:点|个方面的?)(?:意见|建议|要求|想法|体会)")
# The same, worded more loosely ("从五个方面对…提出要求", "提出以下三点要求"): enough to tell which list a
# follow-up's 第四个方面 counts in, too loose for retrieval to bring the parts back whole (as a retrieval
# unit it cost a bundled tune question its paragraph: "“五提行动”包括哪些内容？").
PARTS_ANNOUNCED = re.compile(rf"(?:[讲谈提从]|提出)(?:以下)?([{CN_DIGITS}几两]+)(?:点|个方面)[^。；！？\n]{{0,16}}?"
                             r"(?:意见|建议|要求|想法|体会)")
# A question that asks for a list: 哪几项 / 哪些 / 几个方面 / 三点 / 分别 / 其他几条.
LIST_QUESTION = re.compile(rf"哪[几些]|[二三四五六七八九十几两]\s*(?:个方面|[{LIST_MEASURES}]|方面)|分别|其[他余]")
# A question about several speeches or meetings: 各次会上, 历次会议, 这几篇讲话, 五篇讲话, 几次会议, 这些讲话.
# It names none of them (qa.scope), and its answer quotes each (qa.compose.ACROSS). (第三篇, 一篇 and the
# adverb 多次 are not it.)
SEVERAL_SPEECHES = re.compile(r"[各历][次篇场]|(?<!第)[两二三四五六七八九十\d几多]\s*篇|(?<!第)[两几多每][次场](?:讲话|发言|会议|会)"
                              r"|这些(?:讲话|发言|会议)")

# "一、…" a top-level heading; "（一）…" a sub-section.
H1_MARK = re.compile(rf"^[{CN_DIGITS}]{{1,3}}\s*、")
H2_MARK = re.compile(rf"^[（(]\s*(?:[{CN_DIGITS}]{{1,3}}|\d{{1,2}})\s*[）)]")
SUB_MARK = re.compile(rf"^[（(]([{CN_DIGITS}]{{1,2}})[）)]")

# -- quoted key terms ------------------------------------------------------------------------------
_KEY_TERM = re.compile(r"[“\"「『]([^”\"」』“]{2,8})[”\"」』]")
_NOT_A_TERM = re.compile(r"[，。、；：！？\s\d*xX]")
QUOTED = re.compile(r"[“\"「『]([^”\"」』]{1,30})[”\"」』]")


def key_terms(text: str) -> list[str]:
    """The short terms a text puts in quotes (“四风”, “三会一课”), in order: the speeches' own key terms.
    Quoted clauses, numbers and masked names (**, xx) are not terms."""
    return [t for t in _KEY_TERM.findall(text) if not _NOT_A_TERM.search(t)]


def quoted_terms(texts) -> list[str]:
    return sorted({t for text in texts for t in key_terms(text)})


# -- tokens ----------------------------------------------------------------------------------------
_WORD = re.compile(r"[\u4e00-\u9fff]|[A-Za-z0-9]")
_EVERYDAY_SHARE = 0.9  # a word more frequent than this share of the dictionary's words of its length
CORPUS_TERM_FREQ = 2000  # the frequency a corpus' quoted term is given: high enough to stay one token
_jieba_lock = threading.Lock()


def _general() -> jieba.Tokenizer:
    """jieba's general-language dictionary, never changed: nothing here calls jieba.add_word on it."""
    jieba.dt.check_initialized()
    return jieba.dt


@functools.lru_cache(maxsize=8)
def _jieba_with(terms: frozenset[str]) -> jieba.Tokenizer:
    """A jieba of its own that also knows these terms: a copy of the general dictionary plus the terms
    (the copy costs ~20 ms; the general one is shared when there are no terms)."""
    base = _general()
    if not terms:
        return base
    with _jieba_lock:
        own = jieba.Tokenizer()
        own.FREQ, own.total, own.initialized = dict(base.FREQ), base.total, True
        for term in sorted(terms):
            own.add_word(term, freq=CORPUS_TERM_FREQ)
    return own


class Tokenizer:
    """Search tokens and words for one corpus: jieba with the corpus' quoted terms (“三会一课”) as one
    word each. A keyword index owns one, so how a text is cut never depends on what else the same
    process has indexed (the app after an upload, two indexes, tests in another order)."""

    def __init__(self, terms=()) -> None:
        self.terms = frozenset(terms)

    @functools.cached_property
    def _jieba(self) -> jieba.Tokenizer:  # on first use: importing this module loads no dictionary
        return _jieba_with(self.terms)

    def tokenize(self, text: str) -> list[str]:
        """Search tokens (jieba's search mode), lower-cased, without stop words and punctuation."""
        toks = []
        for tok in self._jieba.cut_for_search(text):
            tok = tok.strip().lower()
            if tok and tok not in STOPWORDS and _WORD.search(tok):
                toks.append(tok)
        return toks

    def words(self, text: str) -> list[str]:
        """jieba's plain (precise-mode) words, in order."""
        return self._jieba.lcut(text)

    def everyday(self, word: str) -> bool:
        """An everyday word of general Chinese (钱, 词, 内容, 毛病), too broad to name a topic on its
        own; rare words (厕, 河长) and the corpus' own terms are not. Judged against jieba's general
        dictionary, not the corpus."""
        floor = _everyday_floor().get(len(word))
        return floor is not None and word not in self.terms and _general().FREQ.get(word, 0) >= floor

    def lexicalized(self, phrase: str) -> bool:
        """Is the phrase one word of general Chinese (发展党员 in jieba's dictionary), not a free
        combination (nor a term of the corpus)?"""
        return phrase not in self.terms and _general().FREQ.get(phrase, 0) > 0


GENERAL = Tokenizer()  # no corpus terms: what the module-level functions below use


def tokenize(text: str, tokenizer: Tokenizer | None = None) -> list[str]:
    return (tokenizer or GENERAL).tokenize(text)


def words(text: str, tokenizer: Tokenizer | None = None) -> list[str]:
    return (tokenizer or GENERAL).words(text)


@functools.lru_cache(maxsize=1)
def _everyday_floor() -> dict[int, float]:
    """Per word length, the general-language frequency (jieba's dictionary) above which a word is among
    the most common tenth of its length."""
    by_len: dict[int, list[int]] = {}
    for w, f in _general().FREQ.items():
        if f > 0 and len(w) <= 4:
            by_len.setdefault(len(w), []).append(f)
    return {n: sorted(v)[int(_EVERYDAY_SHARE * (len(v) - 1))] for n, v in by_len.items()}


def everyday(word: str, tokenizer: Tokenizer | None = None) -> bool:
    return (tokenizer or GENERAL).everyday(word)


def lexicalized(phrase: str, tokenizer: Tokenizer | None = None) -> bool:
    return (tokenizer or GENERAL).lexicalized(phrase)


def has_cjk(text: str) -> bool:
    return bool(CJK.search(text))


# -- numerals and normal forms -------------------------------------------------------------------------
_CN_YEAR = re.compile(r"[零〇○一二三四五六七八九]{4}(?=年)")
_CN_SMALL = re.compile(r"(?<![零〇○一二三四五六七八九十百])([一二三四五六七八九]?十[一二三四五六七八九]?|[一二三四五六七八九])"
                       r"(?=季度|月|日|号|次|届|批|轮|期|个|项|条|年度)")
# "24年" is a year; "80年代" (a decade), "18年龄", "10年来" / "5年内" (a span) are not.
NOT_A_YEAR_AFTER = "代龄级轻来间后前内"
_SHORT_YEAR = re.compile(rf"(?<![\d年])(\d{{2}})(?=年(?![{NOT_A_YEAR_AFTER}]))")
YEAR_PIVOT = 69  # POSIX strptime's %y: 69–99 are 1969–1999, 00–68 are 2000–2068


def cn_small_number(text: str) -> int | None:
    """一..九十九 written in Chinese numerals → int (None if it is not such a number)."""
    if not text:
        return None
    if "十" in text:
        tens, _, ones = text.partition("十")
        t = CN_VALUE.get(tens, None) if tens else 1
        o = CN_VALUE.get(ones, None) if ones else 0
        return None if t is None or o is None else t * 10 + o
    return CN_VALUE.get(text) if len(text) == 1 else None


def normalize(text: str) -> str:
    """The normal form specifics are matched in: NFKC (full-width digits and letters become ASCII),
    Chinese year digits (二〇二二年) and small Chinese numbers before a unit (第一季度, 三月) become Arabic.
    The result is for matching only, never shown or quoted."""
    text = unicodedata.normalize("NFKC", text)
    text = _CN_YEAR.sub(lambda m: "".join(str(CN_VALUE[c]) for c in m.group(0)), text)
    return _CN_SMALL.sub(lambda m: str(cn_small_number(m.group(1))), text)


def full_year(two_digits: int) -> int:
    """98 → 1998, 24 → 2024 (the POSIX pivot)."""
    return two_digits + (1900 if two_digits >= YEAR_PIVOT else 2000)


def expand_two_digit_years(text: str) -> str:
    """Every “98年” → “1998年”, “24年” → “2024年”, by full_year (not a decade, an age or a span)."""
    return _SHORT_YEAR.sub(lambda m: str(full_year(int(m.group(1)))), text)


def expand_short_years(text: str, years: set[int]) -> str:
    """“24年” → “2024年” when exactly one known year of the corpus ends in those two digits."""
    def repl(m: re.Match) -> str:
        cands = [y for y in years if y % 100 == int(m.group(1))]
        return str(cands[0]) if len(cands) == 1 else m.group(0)

    return _SHORT_YEAR.sub(repl, text)


def contains_number(haystack: str, needle: str) -> bool:
    """needle occurs in haystack with no digit right before or after a digit at its edges
    (so “1月” is not found inside “11月”, nor “2022” inside “20221”). Both in normal form."""
    start = 0
    while (pos := haystack.find(needle, start)) >= 0:
        before = haystack[pos - 1] if pos > 0 else ""
        after = haystack[pos + len(needle)] if pos + len(needle) < len(haystack) else ""
        ok_before = not (needle[:1].isdigit() and before.isdigit())
        ok_after = not (needle[-1:].isdigit() and after.isdigit())
        if ok_before and ok_after:
            return True
        start = pos + 1
    return False


# -- counted number words (study: a 判断 may change one) -------------------------------------------------
# "两个" "八项" "二十大": a Chinese number of two or more with a counting unit; "一个" is too often not a count.
NUMBER_WORD = re.compile(r"(?<![零〇一二三四五六七八九十百千两第])(二十|十[一二三四五六七八九]?|[两二三四五六七八九])"
                         r"(个|项|种|次|大|条|张|级|支|类|点)")


# -- negation (an LLM sentence must not flip what the speech says) -------------------------------------
# Words that deny what follows. A bare 不 counts unless it begins a common non-negating word (不断, 不仅…).
NEGATION = re.compile(r"不得|不能|不要|不可|不准|不许|不应|不是|没有|严禁|禁止|切勿|决不|绝不|并非|杜绝|未|勿|莫|没"
                      r"|不(?![断仅少同管论但久])")
NEGATION_REACH = 4  # characters before a word in which a negation word applies to it


def negated_at(text: str, pos: int) -> bool:
    """Whether a negation word stands within NEGATION_REACH characters before position pos."""
    return bool(NEGATION.search(text[max(0, pos - NEGATION_REACH):pos]))


# -- words that refer to the documents, their speakers and the question's scope ---------------------------
# A question names the document it asks about (…报告里, 这篇文章, 会上), its speaker's role (总理, 纪委书记,
# 校长) or its occasion; none of these is a topic the passages must contain (qa.terms strips them from a
# focus phrase that is not found as written). The lists live in ingest/lexicon.py.
from .lexicon import DOCUMENT_DEICTICS, DOCUMENT_WORDS, ROLE_WORDS, WORDING_WORDS  # noqa: E402

_REFERENCES = frozenset(DOCUMENT_WORDS) | frozenset(DOCUMENT_DEICTICS) | frozenset(ROLE_WORDS) \
    | frozenset(WORDING_WORDS)
# A word ending in a role (纪委书记, 国务院总理, 市委常委): the role names who spoke, what stands before it
# (纪委, 国务院) may still be a topic.
ROLE_SUFFIX = re.compile(r"(?:副?(?:总?书记|主席|总理|委员长|[部省市县区镇乡村厅局处科校院所行社站队组]长|主任)|常委)$")


def without_references(words: list[str]) -> list[str]:
    """A phrase's words without those that refer to the documents, speakers, roles or wording, at either edge
    (政府工作|报告 → 政府工作; 纪委书记 → 纪委); [] when nothing else is left."""
    w = [x for x in words if x]
    while w and w[-1] in _REFERENCES:
        w.pop()
    while w and w[0] in _REFERENCES:
        w.pop(0)
    if w:
        cut = ROLE_SUFFIX.sub("", w[-1])
        for doc in sorted(DOCUMENT_WORDS, key=len, reverse=True):
            if len(doc) >= 2 and cut.endswith(doc) and len(cut) > len(doc):
                cut = cut[: -len(doc)]
                break
        w = w[:-1] + ([cut] if cut else [])
    return w
