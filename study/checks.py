"""Every item passes `check_item` before anyone sees it: its quotes are verbatim in the cited paragraphs,
its answer can be derived from the cited text, it gives nothing away, and its 解析 quotes its sources.
A false 判断 must differ from its source sentence in exactly one verifiable element, changed to a real
alternative; a 多选's answer letters must be exactly the options the cited text states."""
from __future__ import annotations

from ingest.model import Speech
from qa.citations import CitationError, fold, verify

from .corpus import Corpus, corpus_of
from .explain import where
from .makers.judge import elements, is_alternative
from .model import BLANK, FALSE, LETTERS, TRUE, TYPES, StudyError, StudyItem, answer_term, option_text

MIN_POINTS = 2
CHOICES = 4


def _in(needle: str, haystack: str) -> bool:
    f = fold(needle)[0]
    return bool(f) and f in fold(haystack)[0]


def cited_text(item: StudyItem, speeches: dict[str, Speech]) -> str:
    keys = dict.fromkeys((c.speech, c.paragraph) for c in item.citations)
    return "\n".join(speeches[s].paragraphs[n - 1].text for s, n in keys)


def check_item(item: StudyItem, speeches: dict[str, Speech], corpus: Corpus | None = None) -> None:
    if item.type not in TYPES:
        raise StudyError(f"unknown type {item.type}")
    if not item.citations or not item.answer.strip():
        raise StudyError("an item needs an answer and at least one citation")
    for c in item.citations:
        try:
            verify(speeches, c.speech, c.paragraph, c.quote)
        except CitationError as e:
            raise StudyError(f"citation rejected: {e}") from e
    check_explanation(item, speeches)
    corpus = corpus or corpus_of(speeches)
    {"简答": _short, "填空": _blank, "选择": _blank, "判断": _judge, "多选": _multi}[item.type](item, speeches, corpus)


def check_explanation(item: StudyItem, speeches) -> None:
    text = item.explanation or ""
    if not text.strip():
        raise StudyError("the item has no 解析")
    for c in item.citations:
        if where(c) not in text or c.quote not in text:
            raise StudyError(f"the 解析 does not quote its source {where(c)}")
    if item.type == "简答":
        if not item.points or "采分点" not in text:
            raise StudyError("a 简答 解析 needs its 采分点")
        paras = cited_text(item, speeches)
        if not all(_in(p, paras) and p in text for p in item.points):
            raise StudyError("a 采分点 is not in the cited text")


def _short(item: StudyItem, speeches, corpus) -> None:
    paras = cited_text(item, speeches)
    parts = [p for p in item.answer.split("；") if p]
    if not all(_in(p, paras) for p in parts):
        raise StudyError("the answer is not in the cited paragraphs")
    if len(parts) < MIN_POINTS:
        raise StudyError("a short-answer item needs at least two points")


def _blank(item: StudyItem, speeches, corpus) -> None:
    quotes = "".join(c.quote for c in item.citations)
    term = answer_term(item)
    if term not in quotes:
        raise StudyError("the answer is not in the quote")
    if term in item.question.replace(BLANK, ""):
        raise StudyError("the question gives the answer away")
    if BLANK not in item.question:
        raise StudyError("no blank in the question")
    filled = item.question.split("\n")[-1].replace(BLANK, term, 1)
    if filled not in quotes:
        raise StudyError("the question with its blank filled is not the quote")
    if item.type == "选择" and (len(item.options) != CHOICES or len({option_text(o) for o in item.options}) != CHOICES):
        raise StudyError("a choice item needs four different options")


def find_change(original: str, statement: str, corpus: Corpus) -> tuple[str, str]:
    """(old, new) when the statement is the original with exactly one element changed to a real
    alternative; raises StudyError otherwise."""
    pre = 0
    while pre < min(len(original), len(statement)) and original[pre] == statement[pre]:
        pre += 1
    suf = 0
    while (suf < min(len(original), len(statement)) - pre
           and original[-1 - suf] == statement[-1 - suf]):
        suf += 1
    for start, end, kind in elements(original):
        if start <= pre and end >= len(original) - suf:
            old, new = original[start:end], statement[start:len(statement) - (len(original) - end)]
            if is_alternative(kind, old, new, corpus):
                return old, new
    raise StudyError("the change in a false 判断 is not one verifiable element with a real alternative")


def _judge(item: StudyItem, speeches, corpus) -> None:
    if len(item.citations) != 1 or item.answer not in (TRUE, FALSE) or item.options:
        raise StudyError("a 判断 has one source sentence, no options, and the answer 正确 or 错误")
    quote = item.citations[0].quote
    if item.answer == TRUE:
        if fold(item.question)[0] != fold(quote)[0]:
            raise StudyError("a true 判断 must be its source sentence verbatim")
        return
    old, new = find_change(quote, item.question, corpus)
    if corpus.occurs(item.question):
        raise StudyError("the false statement occurs in the speeches")
    if old in item.question:
        raise StudyError("the false statement still contains what it changed")
    if f"“{old}”" not in item.explanation:
        raise StudyError("the 解析 of a false 判断 must name the original")


def _multi(item: StudyItem, speeches, corpus) -> None:
    n = len(item.options)
    if not 3 <= n <= len(LETTERS) or [o[:3] for o in item.options] != [f"{LETTERS[i]}. " for i in range(n)]:
        raise StudyError("a 多选 needs three or more lettered options")
    letters = item.answer
    if len(letters) < MIN_POINTS or letters != "".join(sorted(set(letters))) or any(ch not in LETTERS[:n] for ch in letters):
        raise StudyError("a 多选 answer is two or more distinct letters in order")
    texts = [option_text(o) for o in item.options]
    if len(set(texts)) != n or any(t in item.question for t in texts):
        raise StudyError("a 多选 needs different options not given in the question")
    quotes, paras = "".join(c.quote for c in item.citations), cited_text(item, speeches)
    points = {pt for e in corpus.enumerations for pt in e.points}
    for letter, text in zip(LETTERS, texts):
        if letter in letters and not _in(text, quotes):
            raise StudyError(f"option {letter} is in the answer but not in the cited text")
        if letter not in letters and (_in(text, paras) or text not in points):
            raise StudyError(f"option {letter} is not a real distractor from elsewhere in the speeches")
