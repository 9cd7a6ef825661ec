"""Study benchmark: time to generate checked items over the bundled speeches (no index or model needed:
the whole-corpus scope reads the speech files), cold (corpus facts built) and warm, and a paper.

    python bench/study.py [--n 30] [--repeat 5]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.pipeline import expand, load_speech  # noqa: E402
from study.corpus import corpus_of  # noqa: E402
from study.generate import generate, source_paragraphs  # noqa: E402
from study.papers import make_paper, parse_quota  # noqa: E402

TYPES = ["判断", "多选", "填空", "选择", "简答"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    speeches = {}
    for path in expand([ROOT / "data" / "speeches"]):
        s, _ = load_speech(path)
        speeches[s.id] = s
    paras = source_paragraphs(speeches)
    t0 = time.perf_counter()
    items = generate(speeches, paras, args.n, TYPES, seed=0)
    cold = time.perf_counter() - t0
    warm = []
    for seed in range(1, args.repeat + 1):
        t0 = time.perf_counter()
        generate(speeches, paras, args.n, TYPES, seed=seed)
        warm.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    paper = make_paper(speeches, paras, parse_quota("判断=10,单选=10,多选=5,填空=5,简答=2"), "试卷", 0, "B")
    paper_s = time.perf_counter() - t0
    corpus = corpus_of(speeches)
    print(f"{len(speeches)} speeches, {sum(len(s.paragraphs) for s in speeches.values())} paragraphs, "
          f"{len(corpus.terms)} key terms, {len(corpus.enumerations)} enumerations")
    print(f"generate {len(items)} items ({', '.join(f'{t} {sum(i.type == t for i in items)}' for t in TYPES)}): "
          f"cold {cold:.2f} s, warm median {statistics.median(warm):.2f} s")
    print(f"paper B (32 items): {len(paper.items)} items in {paper_s:.2f} s")


if __name__ == "__main__":
    main()
