"""The 问答 tab: streaming answers with source cards, a speech filter and the answer mode. Each browser
session keeps its own conversation (gr.State holding a qa.conversation.Conversation), so a follow-up
("那对一把手呢？", "第二点具体怎么说？") is read against the earlier turns; "清空对话" starts a new one."""
from __future__ import annotations

import logging

import gradio as gr

from qa.answer import MAX_QUESTION_CHARS
from qa.conversation import Conversation
from qa.model import Answer

from .access import visible_for
from .render import answer_markdown, esc, message_html
from .topics import example_questions

MODES = {"离线（不需要大模型）": "offline", "大模型": "llm"}
QUESTION_MAX = MAX_QUESTION_CHARS
log = logging.getLogger("speechqa")


def respond(engine, question: str, history: list, selected: list[str], mode_label: str,
            conversation: Conversation | None = None, request=None):
    """Yields (box, chat, markdown) updates; the turn is recorded in `conversation` (None: single-turn).
    Only the speeches the signed-in user may see are searched (`request`)."""
    question = (question or "").strip()
    if not question:
        yield "", history, gr.skip()
        return
    history = history + [{"role": "user", "content": esc(question[:QUESTION_MAX])},
                         {"role": "assistant", "content": "…"}]
    if len(question) > QUESTION_MAX:
        history[-1] = {"role": "assistant", "content": f"问题太长（{len(question)} 字），请控制在 {QUESTION_MAX} 字以内。"}
        yield "", history, ""
        return
    yield "", history, gr.skip()
    answer, text = None, ""
    try:
        scope = visible_for(engine, request, selected or None)
        if getattr(engine, "audit", None) is not None:
            engine.audit.question(getattr(request, "username", None), question, "app")
        follow = {} if conversation is None else {"history": conversation}
        for piece in engine.answerer.stream(question, scope, MODES.get(mode_label, "offline"), **follow):
            if isinstance(piece, Answer):
                answer = piece
            else:
                text += piece
                history[-1] = {"role": "assistant", "content": esc(text)}
                yield "", history, gr.skip()
    except Exception:  # the detail (URLs, paths) goes to the server log, a plain reason to the user
        log.exception("answer failed")
        history[-1] = {"role": "assistant", "content": "出错了：暂时无法回答这个问题（详情见服务器日志）。"}
        yield "", history, ""
        return
    history[-1] = {"role": "assistant", "content": message_html(answer, engine.store.speeches())}
    yield "", history, answer_markdown(answer)


def speech_choices(engine, request=None) -> list[tuple[str, str]]:
    from .access import visible_speeches

    return [(s.title, s.id) for s in sorted(visible_speeches(engine, request).values(), key=lambda s: s.id)]


def build_chat_tab(engine) -> dict:
    modes = list(MODES) if engine.llm is not None else list(MODES)[:1]
    with gr.Tab("问答", id="chat"):
        with gr.Row():
            with gr.Column(scale=4):
                chat = gr.Chatbot(label="对话", height=560, buttons=["copy"], latex_delimiters=[],
                                  elem_id="sq-chat", placeholder="在下方输入问题，例如：班子成员在分管领域要履行哪些责任？")
                with gr.Row():
                    box = gr.Textbox(show_label=False, scale=5, elem_id="sq-question", max_length=QUESTION_MAX,
                                     placeholder="输入问题（中文或英文），按回车提问")
                    send = gr.Button("提问", variant="primary", scale=1, elem_id="sq-send")
                clear = gr.Button("清空对话", elem_id="sq-clear")
                with gr.Accordion("复制答案与出处（Markdown）", open=False):
                    md = gr.Textbox(show_label=False, lines=8, buttons=["copy"], elem_id="sq-markdown",
                                    interactive=False)
            with gr.Column(scale=2):
                scope = gr.Dropdown(speech_choices(engine), multiselect=True, value=[],
                                    label="检索范围（不选即全部讲话）", elem_id="sq-scope")
                mode = gr.Radio(modes, value=modes[-1] if engine.llm is not None else modes[0], label="回答方式")
                gr.Examples(example_questions(engine.store.speeches()), inputs=box, label="示例问题")

        conversation = gr.State(Conversation())  # copied per browser session: nothing shared

    def on_ask(question, history, selected, mode_label, conv, request: gr.Request):
        for update in respond(engine, question, history, selected, mode_label, conv, request):
            yield *update, conv

    inputs = [box, chat, scope, mode, conversation]
    outputs = [box, chat, md, conversation]
    box.submit(on_ask, inputs, outputs, concurrency_limit=8, api_name=False)
    send.click(on_ask, inputs, outputs, concurrency_limit=8, api_name="ask")
    clear.click(lambda: ([], "", Conversation()), None, [chat, md, conversation])
    return {"scope": scope}
