"""A question is scoped to a speech only when it names the speech; a quoted topic is not a name.

A speech is named by
- 《…》 or a quoted/verbatim part of its title that the speeches' own text never uses as a phrase
  (“踔厉奋发 笃行不怠” names speech 004; “全面从严治党” is a topic, however many titles contain it);
- a clause that ends in a reference to a speech or meeting — "在自评自查汇报会上", "…的那次会议上",
  "全面从严治党工作会议那篇讲话里", "“提升党建工作质量”那次讲话" — whose words single out one speech's
  name profile: its title, its date and its opening paragraph (where the meeting is named and dated).
  The clause is matched fuzzily, on character pairs and years in normal form (二〇二二年, 22年 → 2022),
  each weighed by how few speeches' profiles share it, so "会议" or "2022" alone names nothing;
- a meeting that is the subject of what it said ("一季度推进会提出了…").
A number the clause gives otherwise than the speech (第四季度 against 第一季度, 2023年 against 2022年)
rules that speech out; a clause about several speeches or meetings (各次会上, 这几篇讲话里) names none.

The naming words leave the query, so they do not pull the title line or the opening to the top; a
quoted topic stays in the query.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.lexicon import CN_DIGITS
from ingest.model import Speech
from ingest.text import SEVERAL_SPEECHES, STOPWORDS, expand_short_years, normalize, tokenize, words

_BOOK = re.compile(r"《([^》]{2,60})》")
_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{2,60})[”\"」』]")
_SEP = re.compile(r"——|—|：|:|\s+|，|,")
_PUNCT = re.compile(r"[\s\W_]+")
MIN_PART = 6  # an unquoted title part must be this long to count as naming the speech
# The end of a clause that refers to a speech or a meeting: "…那篇讲话", "…那次会议", "…会上", "…讲话中".
# Also a meeting that is the subject of what it said: "一季度推进会提出了…", "全面从严治党工作会议强调…".
_CUE = re.compile(r"(?:[那这该此](?:篇|次)(?:讲话|发言|会议|会|报告|文章)(?:上|里|中)?)|(?:讲话|发言|会议|报告|文章)(?:上|里|中)|会上"
                  r"|(?<=[\u4e00-\u9fff]{2})(?:会议|会)(?=提出|提了|讲了|强调|指出|要求|部署)")
_CLAUSE_END = "，。？！；,?!;\n"
_LEAD = re.compile(r"^(?:在|从|于|据)")
_WORDLIKE = re.compile(r"^[\u4e00-\u9fff0-9a-z]+$")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
OPENING_CHARS = 600  # of the first substantive paragraph: where a speech names and dates its meeting
MIN_EVIDENCE = 2.5  # summed weight of the shared features a naming clause needs (≈ two distinctive pairs)
MIN_SHARE = 0.5  # share of what the clause's known features could score at most that it must hold
TITLE_WEIGHT = 2.0
MARGIN = 1.5  # … and this many times the share of the runner-up


def _norm(text: str) -> str:
    return _PUNCT.sub("", normalize(text)).lower()


@lru_cache(maxsize=65536)
def _parts_of(title: str) -> tuple[str, ...]:
    parts = [title] + _SEP.split(title)
    return tuple(p for p in (_norm(x) for x in parts) if len(p) >= 4)


def title_parts(speech: Speech) -> tuple[str, ...]:
    return _parts_of(speech.title)


# How meetings are called for short: 十九大 (第十九次全国代表大会), 二十届三中全会 (第二十届中央委员会第三次
# 全体会议), 三中全会; a speech's opening gives the full name.
_NUM = f"[{CN_DIGITS}]"
_ABBREVIATIONS = (
    (re.compile(rf"(?<![\u4e00-\u9fff])({_NUM}{{1,3}})大"), r"第\1次全国代表大会"),
    (re.compile(rf"({_NUM}{{1,3}})届({_NUM})中全会"), r"第\1届中央委员会第\2次全体会议"),
    (re.compile(rf"(?<!第)({_NUM})中全会"), r"中央委员会第\1次全体会议"),
)


def expand_abbreviations(text: str) -> str:
    for rx, full in _ABBREVIATIONS:
        text = rx.sub(full, text)
    return text


def features(text: str, years: set[int] | None = None) -> set[str]:
    """Words, the character pairs inside longer words (自评自查 → 自评, 自查) and whole years of a text in
    normal form: what names are matched in. Pairs across words (工作的 → 作的) are noise and left out."""
    t = normalize(text).lower()
    if years:
        t = expand_short_years(t, years)
    found = {f"#{y}" for y in _YEAR.findall(t)}
    t = _YEAR.sub(" ", t)
    for tok in tokenize(t):
        found.add(tok)
        if len(tok) > 2:
            found.update(tok[i:i + 2] for i in range(len(tok) - 1))
    # Adjacent content words keep a little of the order: "工作|会议" is not "推进|会".
    content = [w for w in words(t) if w.strip() and w not in STOPWORDS and _WORDLIKE.match(w)]
    found.update(f"{a}|{b}" for a, b in zip(content, content[1:]))
    return found


def opening(speech: Speech) -> str:
    """The first substantive paragraph: the one that says which meeting this is."""
    for p in speech.paragraphs:
        if not p.is_heading and len(p.text) > 12:
            return p.text[:OPENING_CHARS]
    return ""


@dataclass
class _Profiles:
    title: dict[str, set[str]]  # speech id → features of its title
    any_title: set[str]  # features of some title
    feats: dict[str, set[str]]  # speech id → features of its title, date, opening and section headings
    counted: dict[str, dict[str, set[str]]]  # speech id → the numbers its profile gives (see _counted)
    weight: dict[str, float]  # feature → idf over the profiles
    years: set[int]
    body: str  # normalised text of every body paragraph (a phrase used there is a topic, not a name)


def _profile_text(s: Speech) -> str:
    heads = " ".join(p.text for p in s.paragraphs if p.is_heading)
    return f"{s.title} {s.date} {opening(s)} {heads}"


def _build_profiles(speeches: list[Speech]) -> _Profiles:
    years = {int(y) for s in speeches for y in _YEAR.findall(normalize(_profile_text(s)))}
    feats = {s.id: features(_profile_text(s), years) for s in speeches}
    title = {s.id: features(s.title, years) for s in speeches}
    df: dict[str, int] = {}
    for fs in feats.values():
        for f in fs:
            df[f] = df.get(f, 0) + 1
    n = len(speeches)
    weight = {f: math.log((n + 1) / (c + 0.5)) for f, c in df.items()}
    body = "\n".join(_norm(p.text) for s in speeches for p in s.paragraphs if not p.is_heading)
    counted = {sid: _counted(fs) for sid, fs in feats.items()}
    return _Profiles(title, set().union(*title.values()), feats, counted, weight, years, body)


_CACHE: dict[tuple, _Profiles] = {}
PROFILE_CACHE = 8  # corpora whose profiles are kept (the live one, and a few scoped subsets in tests)


def _profiles(speeches: dict[str, Speech]) -> _Profiles:
    ordered = sorted(speeches.values(), key=lambda s: s.id)
    key = tuple((s.id, s.hash, s.title, s.date) for s in ordered)
    if key not in _CACHE:
        if len(_CACHE) >= PROFILE_CACHE:
            _CACHE.clear()
        _CACHE[key] = _build_profiles(ordered)
    return _CACHE[key]


def _counted(feats: set[str]) -> dict[str, set[str]]:
    """What numbers count in a text's features: the word after a number (季度 in 1|季度) → the numbers
    before it; "#" → the years."""
    out: dict[str, set[str]] = {}
    for f in feats:
        if f.startswith("#"):
            out.setdefault("#", set()).add(f)
        elif "|" in f and (n := f.split("|", 1))[0].isdigit():
            out.setdefault(n[1], set()).add(n[0])
    return out


def _contradicts(clause: dict[str, set[str]], speech: dict[str, set[str]]) -> bool:
    """The clause gives a number the speech gives otherwise: 第四季度 does not name the 第一季度 meeting,
    nor 2023年 one dated 2022."""
    return any(slot in speech and not nums & speech[slot] for slot, nums in clause.items())


def match_clause(clause: str, prof: _Profiles) -> str | None:
    """The one speech whose profile the clause's distinctive words point to, or None. A word of the
    title counts TITLE_WEIGHT times one of the opening or the headings."""
    found = features(expand_abbreviations(clause), prof.years)
    feats = {f for f in found if f in prof.weight}
    # What a speech could score at most: a feature no title has counts once, however well it matches.
    total = sum(prof.weight[f] * (TITLE_WEIGHT if f in prof.any_title else 1.0) for f in feats)
    if total <= 0:
        return None
    counted = _counted(found)
    scored = sorted(((sum(prof.weight[f] * (TITLE_WEIGHT if f in prof.title[sid] else 1.0) for f in feats & fs), sid)
                     for sid, fs in prof.feats.items() if not _contradicts(counted, prof.counted[sid])), reverse=True)
    if not scored:
        return None
    (best, sid), second = scored[0], (scored[1][0] if len(scored) > 1 else 0.0)
    if best >= MIN_EVIDENCE and best / total >= MIN_SHARE and best >= MARGIN * second:
        return sid
    return None


def _named_by_title(text: str, speeches: dict[str, Speech], prof: _Profiles, quoted: bool,
                    book: bool = False) -> list[str]:
    """Speeches whose title holds this text (or the text holds a title part), when the speeches' body
    never uses the text as a phrase of its own (《…》 marks a title whatever the body says)."""
    q = _norm(text)
    if quoted:
        if len(q) < 4 or (q in prof.body and not book):
            return []
        return [s.id for s in speeches.values() if any(q in part or part in q for part in title_parts(s))]
    return [s.id for s in speeches.values()
            if any(len(part) >= MIN_PART and part in q and part not in prof.body for part in title_parts(s))]


def _clauses(question: str):
    """(start, end, clause text) of each clause that ends in a reference to a speech or a meeting."""
    for m in _CUE.finditer(question):
        start = max(question.rfind(ch, 0, m.start()) for ch in _CLAUSE_END) + 1
        clause = _LEAD.sub("", question[start:m.end()].strip())
        if clause and not SEVERAL_SPEECHES.search(clause):  # 各次会上: every meeting, not one
            yield start, m.end(), clause


def detect_scope(question: str, speeches: dict[str, Speech]) -> tuple[list[str] | None, str]:
    """(speech ids the question names, the question without the naming words); (None, question) if none."""
    if not speeches:
        return None, question
    prof = _profiles(speeches)
    named: list[str] = []
    cuts: list[tuple[int, int]] = []
    for m in _BOOK.finditer(question):
        hits = _named_by_title(m.group(1), speeches, prof, quoted=True, book=True)
        if hits:
            named += hits
            cuts.append(m.span())
    for start, end, clause in _clauses(question):
        sid = match_clause(clause, prof)
        if sid is None:
            hits = [h for q in _QUOTED.findall(clause) for h in _named_by_title(q, speeches, prof, quoted=True)]
            sid = hits[0] if len(set(hits)) == 1 else None
        if sid:
            named.append(sid)
            cuts.append((start, end))
    if not named:
        for m in _QUOTED.finditer(question):
            hits = _named_by_title(m.group(1), speeches, prof, quoted=True)
            if hits:
                named += hits
                cuts.append(m.span())
    if not named:
        named = _named_by_title(question, speeches, prof, quoted=False)
    if not named:
        return None, question
    cleaned = question
    for s, e in sorted(cuts, reverse=True):
        cleaned = cleaned[:s] + " " + cleaned[e:]
    cleaned = cleaned.strip(" ，,：:")
    # "一月十八日总书记在中央纪委全会上讲了什么？": the naming words are all the topic there is; keep them.
    return sorted(set(named)), cleaned if tokenize(cleaned) else question
