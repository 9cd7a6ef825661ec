#!/usr/bin/env python3
"""Sanity checks for eval/dev.jsonl (development question set).

Run:  python3 eval/check_dev.py  [path/to/dev.jsonl]

Recomputes paragraphs (paragraph n = n-th non-blank line of a speech, stripped)
and asserts, for every question:
  * required fields / kinds / splits are valid, ids unique;
  * each gold quote occurs in the cited paragraph and in no other paragraph
    of the corpus;
  * each key occurs in at least one gold paragraph;
  * kind "none" has no gold and no keys, and the topic terms listed in
    ABSENT below (or, for another file, in its sidecar FILE_absent.json) do not occur anywhere in the
    corpus.
For "none" questions it also prints the longest question substrings that do
occur in the corpus, so a human can confirm the topic noun itself is absent.
For "typo" questions the quoted term must be absent from the corpus and one
character away from a key.  For "rare" questions it reports how often each key occurs in the corpus.
"""
import glob
import json
import os
import re
import sys
import unicodedata
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
KINDS = {"none", "paraphrase", "rare", "en", "typo", "numform", "plain"}

# Terms (topic nouns, years, dates) that must NOT occur in the corpus for the
# given "none" question.  Numbers are also checked after NFKC normalisation.
ABSENT = {
    'd080': ['河长制', '河长'],
    'd081': ['双拥', '拥军'],
    'd082': ['人才引进', '引进'],
    'd083': ['档案'],
    'd084': ['保密'],
    'd085': ['妇联', '妇女'],
    'd086': ['国防', '动员'],
    'd087': ['粮食', '党政同责'],
    'd088': ['食品', '药品'],
    'd089': ['生态环保', '环保督察', '督察'],
    'd090': ['网络安全'],
    'd091': ['统计', '造假'],
    'd092': ['政务公开'],
    'd093': ['双减'],
    'd094': ['医保', '医疗'],
    'd095': ['对口支援', '支援'],
    'd096': ['宗教', '民族宗教'],
    'd097': ['森林防火', '森林'],
    'd098': ['防汛'],
    'd099': ['碳达峰', '碳中和', '双碳'],
    'd100': ['耕地', '农田'],
    'd101': ['减税', '降费'],
    'd102': ['扫黑', '除恶'],
    'd103': ['禁毒', '毒品'],
    'd104': ['退役军人', '退役'],
    'd105': ['驻村', '第一书记'],
    'd106': ['非公', '两新'],
    'd107': ['电信诈骗', '诈骗'],
    'd108': ['普法', '法治宣传'],
    'd109': ['债务'],
    'd110': ['网格'],
    'd111': ['文物'],
    'd112': ['欠薪', '农民工', '工资'],
    'd113': ['机要', '密码'],
    'd114': ['援疆', '援藏'],
    'd115': ['东西部'],
    'd116': ['发展党员', '积极分子'],
    'd117': ['党费'],
    'd118': ['流动党员'],
    'd119': ['应急'],
    'd120': ['养老保险', '参保'],
    'd121': ['征地', '拆迁'],
    'd122': ['科技创新'],
    'd123': ['编制'],
    'd124': ['校园', '学校'],
    'd125': ['稳就业'],
    'd126': ['公积金'],
    'd127': ['大气污染', '大气', '环境污染'],
    'd128': ['人口普查', '普查'],
    'd129': ['交通', '运输'],
    'd130': ['数据安全', '数据'],
    'd131': ['保供', '稳价'],
    'd132': ['爱国卫生', '卫生'],
    'd133': ['公务员', '考录'],
    'd145': ['党员总数'],
    'd146': ['2019', '二〇一九', '一九年', '19年'],
    'd147': ['第3季度', '三季度'],
    'd148': ['2025', '二〇二五', '二五年', '25年'],
    'd149': ['2020', '二〇二〇', '二〇年', '20年'],
    'd150': ['十三五'],
    'd151': ['2018', '二〇一八', '一八年', '18年'],
    'd152': ['四季度', '第4季度'],
    'd153': ['3月15日', '三月十五日', '3月', '三月'],
}


def load_corpus():
    corpus = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "data", "speeches", "*.txt"))):
        stem = os.path.splitext(os.path.basename(path))[0]
        with open(path, encoding="utf-8") as f:
            corpus[stem] = [ln.strip() for ln in f if ln.strip()]
    return corpus


def occurrences(corpus, s):
    return [(stem, i) for stem, ps in corpus.items() for i, p in enumerate(ps, 1) if s in p]


def present_spans(text, full):
    """Maximal substrings (len>=2) of the CJK runs of text that occur in full."""
    spans = []
    for run in re.findall(r"[\u4e00-\u9fff0-9A-Za-z\uff10-\uff19〇]+", text):
        run = unicodedata.normalize("NFKC", run)
        i = 0
        while i < len(run):
            best = 0
            for j in range(len(run), i + 1, -1):
                if run[i:j] in full:
                    best = j - i
                    break
            if best >= 2:
                spans.append(run[i:i + best])
                i += best
            else:
                i += 1
    return spans


def main(path):
    corpus = load_corpus()
    full = "\n".join(p for ps in corpus.values() for p in ps)
    errors = []
    ids = set()
    per = Counter()
    rows = [json.loads(ln) for ln in open(path, encoding="utf-8") if ln.strip()]
    absent = dict(ABSENT)
    sidecar = os.path.splitext(path)[0] + "_absent.json"  # the fresh sets list their absent terms beside them
    if os.path.exists(sidecar):
        absent.update(json.load(open(sidecar, encoding="utf-8")))
    for q in rows:
        qid = q.get("id")
        def err(msg):
            errors.append(f"{qid}: {msg}")
        if set(q) != {"id", "question", "kind", "gold", "keys", "split"}:
            err(f"fields {sorted(q)}")
        if qid in ids:
            err("duplicate id")
        ids.add(qid)
        if q["kind"] not in KINDS:
            err(f"kind {q['kind']}")
        if q["split"] not in ("tune", "holdout"):
            err(f"split {q['split']}")
        per[(q["kind"], q["split"])] += 1
        if q["kind"] == "none":
            if q["gold"] or q["keys"]:
                err("none question with gold/keys")
            for t in absent.get(qid, []):
                for form in {t, unicodedata.normalize("NFKC", t)}:
                    if form in full:
                        err(f"absent term {form!r} occurs in corpus: {occurrences(corpus, form)[:5]}")
            print(f"[none] {qid} {q['question']}\n        in corpus: {present_spans(q['question'], full)}"
                  f"   asserted absent: {absent.get(qid, [])}")
            continue
        if not q["gold"]:
            err("answerable question without gold")
        if not 1 <= len(q["keys"]) <= 3:
            err(f"{len(q['keys'])} keys")
        gold_text = []
        for g in q["gold"]:
            ps = corpus.get(g["speech"])
            if ps is None:
                err(f"unknown speech {g['speech']}")
                continue
            n = g["paragraph"]
            if not 1 <= n <= len(ps):
                err(f"paragraph {n} out of range for {g['speech']}")
                continue
            occ = occurrences(corpus, g["quote"])
            if occ != [(g["speech"], n)]:
                err(f"quote {g['quote']!r} occurs at {occ}, expected only {(g['speech'], n)}")
            gold_text.append(ps[n - 1])
        for k in q["keys"]:
            if not any(k in t for t in gold_text):
                err(f"key {k!r} not in any gold paragraph")
        if q["kind"] == "typo":
            # the misspelt quoted term must be absent and one character off a key
            typos = re.findall(r"“([^”]+)”", q["question"])
            ok = False
            for t in typos:
                if t in full:
                    err(f"typo form {t!r} occurs in corpus")
                for k in q["keys"]:
                    if len(k) == len(t) and sum(a != b for a, b in zip(k, t)) == 1:
                        ok = True
            if not ok:
                err(f"no quoted term one character away from a key: {typos}")
        if q["kind"] == "rare":
            print(f"[rare] {qid} keys: " + ", ".join(f"{k}={full.count(k)}" for k in q["keys"]))
    print()
    kinds = sorted({k for k, _ in per})
    for k in kinds:
        print(f"{k:11s} tune={per[(k, 'tune')]:3d} holdout={per[(k, 'holdout')]:3d}")
    print(f"total {len(rows)}")
    speeches = Counter(g["speech"] for q in rows for g in q["gold"])
    print("gold paragraphs per speech:", dict(sorted(speeches.items())))
    if errors:
        print("\nERRORS:")
        for e in errors:
            print("  " + e)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "dev.jsonl")))
