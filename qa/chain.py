"""The LLM answer path as an LCEL chain: passages → prompt → chat model → text → the checking step.

    chain = build_chain(HybridRetriever(retriever=engine.retriever), ChatOpenAI(...))
    out = chain.invoke({"question": "严肃党内政治生活有什么要求？"})
    out["answer"].text, out["citations"]            # checked text and verified citations
    for piece in chain.stream({"question": …}): …    # {"text": …} pieces, each shown only after its check

The answerer (qa.llm.LLMAnswerer) runs `answer_chain` over the passages it already retrieved and judged
answerable; `build_chain` puts the LangChain retriever in front for use in other LangChain apps.
"""
from __future__ import annotations

from operator import itemgetter

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableGenerator, RunnableLambda, RunnablePassthrough
from pydantic import ConfigDict

from ingest.text import answer_spans

from .model import Passage
from .retrieve import Retriever
from .reply import ReplyChecker

MAX_PASSAGES = 4
WINDOW = 320  # characters of each paragraph the model sees (around its best matching chunk)

SYSTEM = """你是讲话内容问答助手，只能依据用户给出的编号讲话段落回答，不得使用段落以外的知识。
规则：
1. 一律用中文回答（英文问题也用中文回答）。简明地分点列出，每个要点只写一句话。
2. 每个要点尽量沿用段落原文的说法，不要添加段落中没有的内容。
3. 每个要点末尾必须用方括号写出所依据段落的编号，例如 [1] 或 [2]。
4. 全部要点之后，另起一行写“引用：”，再为每个用到的编号写一行：[编号] “从该段落逐字照抄的一句原文”。
5. 如果这些段落不能回答问题，只输出：无法回答

输出格式示例：
1. 要压实主体责任，层层传导压力。[1]
2. 要加强日常监督。[2]
引用：
[1] “层层传导压力”
[2] “要加强日常监督”"""

# Bare numbered texts: small models copy titles and headings back instead of answering.
PROMPT = ChatPromptTemplate.from_messages([("system", SYSTEM), ("human", "段落：\n\n{passages}\n\n问题：{question}")])


class HybridRetriever(BaseRetriever):
    """The hybrid search as a public LangChain retriever: each Document is one paragraph, its metadata
    carry the citation fields (speech, paragraph, title, heading) and the best matching chunk's offsets."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    retriever: Retriever
    k: int = 5
    speeches: list[str] | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [Document(page_content=p.text,
                         metadata={"speech": p.speech, "title": p.title, "paragraph": p.paragraph,
                                   "heading": p.heading, "score": p.score, "chunk": p.chunk})
                for p in self.retriever.search(query, self.k, self.speeches)]


def window(p: Passage, size: int = WINDOW) -> str:
    """The part of a long paragraph the model needs: sentences around the best dense chunk."""
    if len(p.text) <= size:
        return p.text
    center = (p.chunk[0] + p.chunk[1]) // 2 if p.chunk else 0
    spans = answer_spans(p.text)
    s = max(0, min(center - size // 2, len(p.text) - size))
    start = max((a for a, _ in spans if a <= s), default=0)
    end = min((b for _, b in spans if b >= start + size), default=len(p.text))
    return p.text[start:end]


def format_passages(passages: list[Passage]) -> str:
    return "\n\n".join(f"[{i}] {window(p)}" for i, p in enumerate(passages, start=1))


def to_passage(doc: Document) -> Passage:
    """A Passage from one of HybridRetriever's Documents (its metadata carry the citation fields)."""
    m = doc.metadata
    chunk = m.get("chunk")
    return Passage(m["speech"], m.get("title", m["speech"]), int(m["paragraph"]), m.get("heading", ""),
                   doc.page_content, float(m.get("score", 0.0)), chunk=tuple(chunk) if chunk else None)


def answer_chain(chat, question: str, passages: list[Passage], speeches: dict, idf: dict[str, float]) -> Runnable:
    """prompt | chat | StrOutputParser | checking step, for these passages; input {"question": …}."""
    checker = ReplyChecker(question, passages, speeches, idf)
    inputs = RunnableLambda(lambda x: {"question": x["question"], "passages": format_passages(passages)})
    return inputs | PROMPT | chat | StrOutputParser() | RunnableGenerator(checker.transform)


def build_chain(retriever, chat, speeches: dict | None = None, idf: dict[str, float] | None = None) -> Runnable:
    """retriever → passages → answer_chain. `retriever` is a qa.retrieve.HybridRetriever (any retriever
    whose Documents carry speech/paragraph/title/heading works when speeches and idf are given)."""
    def answer(x: dict) -> Runnable:
        passages = [to_passage(d) for d in x["docs"][:MAX_PASSAGES]]
        live = speeches if speeches is not None else retriever.retriever.speeches()
        weights = idf if idf is not None else retriever.retriever.idf()
        return answer_chain(chat, x["question"], passages, live, weights)

    return RunnablePassthrough.assign(docs=itemgetter("question") | retriever) | RunnableLambda(answer)
