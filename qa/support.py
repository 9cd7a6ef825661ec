"""Does a passage support a sentence the LLM wrote? The test every LLM sentence must pass to be shown
(qa.reply applies it to the streamed reply).

The test (`support`): the sentence's content words — jieba search tokens with stop words out, the same
tokens the retriever ranks by — weighted by their idf over the corpus, must occur in ONE sentence of the
cited paragraph (ingest.text.answer_spans) for at least SUPPORTED of their weight; and no heavy shared word
may be negated on one side only. Why this shape:
- one sentence, not the whole paragraph: a claim stitched from words scattered over a long paragraph is
  exactly how a small model invents a requirement; the supporting sentence also becomes the verified
  quote, so the user can see the claim next to the words it rests on;
- idf weights: 加强、工作、要求 occur everywhere and prove nothing; 积分制、网格化 are what a claim is about;
  a word the corpus never uses gets the highest idf, so an invented topic sinks the claim by itself;
- SUPPORTED = 0.8: a faithful restatement keeps the paragraph's content words and changes the glue
  (the prompt asks for the paragraph's own wording), while an invented point tied to a passage number
  shares its generic words only. Seen with the bundled model on the public questions: its faithful
  points scored 0.8–1.0 against their sentence, while points that welded one sentence's subject to
  another's object (领导干部个人有关事项报告必须严格执行述职述廉制度) scored 0.68–0.78; so 0.8 (a small
  sample: a stricter bar costs a paraphrased point, a looser one shows a false requirement);
- polarity: word overlap cannot see 不得 turned into 要, so a shared word that is negated in the claim but
  not in the sentence (or the reverse) counts against the claim (POLARITY_SHARE of the weight rejects it);
- quoted words: a claim that puts words in quotes (“三会一课”) says the speech uses them; the supporting
  sentence must contain each of them (seen with the local model: a sentence about 党建联系点制度 restated
  as one about “三会一课”制度 kept 0.6 of its weight);
- words no speech uses: a word of two or more characters that occurs nowhere in the corpus (it has no
  idf) must occur in the supporting sentence. Such a word is a mistyped term (seen: 责干导向 for 实干导向,
  which kept 0.6 of its weight), an invented label (用好第二种形态 over a sentence on the first), or a
  paraphrase; the first two cannot be told from the third cheaply, and dropping a paraphrase costs one
  sentence, while showing a wrong term costs the user's trust in every quote.
A sentence whose cited passage does not support it may still be shown with another passage's citation,
but only when that passage holds it nearly word for word (MISNUMBERED): small models mistype numbers.
Tokens are matched as substrings of the sentence in normal form (ingest.text.normalize: widths and small
Chinese numerals), so jieba cutting a compound differently in the two texts does not matter.
"""
from __future__ import annotations

from dataclasses import dataclass

from ingest.text import ENUM, QUOTED, answer_spans, negated_at, normalize, tokenize

SUPPORTED = 0.8  # share of the claim's idf weight that must occur in one sentence of the passage
POLARITY_SHARE = 0.2  # share of the claim's weight negated on one side only that rejects it
DEFAULT_IDF = 1.0  # every token's weight when no corpus idf is known
MISNUMBERED = 0.9  # support that lets a sentence cite another passage than the one the model named


@dataclass(frozen=True)
class Support:
    """The sentence of a passage that supports a claim: its span in the paragraph text, and the score."""
    start: int
    end: int
    score: float


def weights(claim: str, idf: dict[str, float]) -> dict[str, float]:
    """The claim's content tokens (in normal form) and their weights; unknown words weigh the most.
    A leading enumeration marker (二是, 第三，) is structure, not content: the model renumbers points."""
    rare = max(idf.values(), default=DEFAULT_IDF)
    claim = ENUM.sub("", claim.strip())
    return {t: idf.get(t, rare) for t in dict.fromkeys(tokenize(normalize(claim)))}


def score(claim: str, w: dict[str, float], sentence: str) -> float:
    """The share of the claim's weight found in the sentence; 0 when the polarity of its words flips."""
    total = sum(w.values())
    if total <= 0:
        return 0.0
    sent = normalize(sentence).lower()
    text = normalize(claim).lower()
    found = flipped = 0.0
    for tok, wt in w.items():
        at = sent.find(tok)
        if at < 0:
            continue
        found += wt
        if negated_at(sent, at) != negated_at(text, text.find(tok)):
            flipped += wt
    if flipped >= POLARITY_SHARE * total:
        return 0.0
    return found / total


def squash(text: str) -> str:
    return "".join(normalize(text).split()).lower()


def support(claim: str, passage_text: str, idf: dict[str, float]) -> Support | None:
    """The best supporting sentence of the passage, or None. Never two sentences together: that is how
    a claim welds one sentence's subject to the next one's requirement."""
    w = weights(claim, idf)
    if not w:
        return None
    # Words the claim must share verbatim with its sentence: quoted ones, and ones no speech uses.
    quoted = [squash(q) for q in QUOTED.findall(claim)]
    quoted += [t for t in w if idf and t not in idf and len(t) >= 2]
    best: Support | None = None
    for s, e in answer_spans(passage_text):
        sent = passage_text[s:e]
        if any(q not in squash(sent) for q in quoted):
            continue
        sc = score(claim, w, sent)
        if sc >= SUPPORTED and (best is None or sc > best.score):
            best = Support(s, e, sc)
    return best


def has_content(claim: str) -> bool:
    """Whether a sentence says anything checkable (a bare "综上：" or "1." does not)."""
    return bool(tokenize(claim))
