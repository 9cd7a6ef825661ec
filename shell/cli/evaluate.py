"""`speechqa eval [FILE…]`: search and answer figures over question files (jsonl)."""
from __future__ import annotations

import json

from .common import UsageError, add_common, add_llm_flags, engine_from, require_index


def add(sub) -> None:
    p = sub.add_parser("eval", help="score search and answers over a questions file (jsonl)")
    p.add_argument("file", nargs="?", default="eval/questions.jsonl")
    p.add_argument("--json", action="store_true")
    p.add_argument("--search-only", action="store_true", help="skip the answer metrics")
    p.add_argument("--split", choices=["tune", "holdout"], help="only the questions of this split")
    add_common(p)
    add_llm_flags(p)
    p.set_defaults(run=run)


def print_report(report: dict) -> None:
    s = report["search"]
    print(f"search  ({s['questions']} answerable questions)")
    print(f"  hit@5     {s['hit@5']:.3f}\n  recall@5  {s['recall@5']:.3f}\n  mrr@10    {s['mrr@10']:.3f}\n"
          f"  p50       {s['search_p50_ms']:.1f} ms")
    for m in s["misses"]:
        print(f"  missed {m['id']}: {', '.join(f'{a}§{b}' for a, b in m['missing'])}")
    if "ask" not in report:
        return
    a = report["ask"]
    print(f"ask  ({a['questions']} questions, {a['unanswerable']} without gold; mode {a['mode']})")
    print(f"  refused when the speeches are silent  {a['refusal_accuracy']:.3f}\n"
          f"  answerable questions refused          {a['answerable_refused']}\n"
          f"  key-term coverage                     {a['key_coverage']:.3f}\n"
          f"  citations verbatim                    {a['citations_verbatim']:.3f}\n"
          f"  answers citing a gold paragraph       {a['cites_gold']:.3f}\n"
          f"  sentences dropped per answer          {a['dropped_per_answer']:.2f}\n"
          f"  p50                                   {a['ask_p50_ms']:.1f} ms")
    if a.get("risk_coverage"):
        print("  risk–coverage (answerable answered / unanswerable refused):")
        for row in a["risk_coverage"]:
            print(f"    {row['setting']:<28} {row['answered']:.3f} / {row['refused']:.3f}")
    for m in a["problems"]:
        print(f"  {m['id']}: {m['problem']}")


def run(args) -> int:
    from qa.evaluate import eval_answers, eval_search, load_questions

    engine = engine_from(args)
    require_index(engine)
    try:
        questions = load_questions(args.file)
    except FileNotFoundError:
        raise UsageError(f"{args.file}: no such file") from None
    except ValueError as e:
        raise UsageError(str(e)) from None
    if args.split:
        questions = [q for q in questions if q.get("split") == args.split]
    engine.retriever.search("warm up", 1)
    report = {"search": eval_search(engine.retriever, questions)}
    if not args.search_only:
        engine.answerer.ask("warm up")
        report["ask"] = eval_answers(engine.answerer, engine.store.speeches(), questions, args.mode)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print_report(report)
    return 0
