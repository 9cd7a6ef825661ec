"""A three-turn conversation in the real app (headless Chromium): the follow-up is answered as the
standalone question it stands for, which the answer's "按…理解" line shows; the conversation is the
browser session's own, and 清空对话 starts a new one."""
from __future__ import annotations

import pytest

from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

WAIT = 90_000


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    yield ctx
    ctx.close()


def ask_and_wait(page, question: str, shows: str) -> None:
    """Ask, then wait until this turn's answer has finished (a send while one streams is dropped by the
    button) and check that the chat shows `shows`."""
    done = page.locator("#sq-chat .sq-answer").count()
    page.locator("#sq-question textarea").fill(question)
    page.locator("#sq-send").click()
    try:
        page.wait_for_function("n => document.querySelectorAll('#sq-chat .sq-answer').length > n", arg=done,
                               timeout=WAIT)
        assert shows in chat_text(page)
    except Exception:  # what the chat showed instead, for the failure report
        page.screenshot(path=str(ARTIFACTS / "chat-followup-failed.png"), full_page=True)
        raise AssertionError(f"the chat never showed {shows!r}; it shows: {chat_text(page)[-600:]!r}") from None


def chat_text(page) -> str:
    return page.locator("#sq-chat").inner_text()


def test_three_turns_show_how_the_follow_up_was_understood(private_app, context):
    url, _ = private_app
    page = context.new_page()
    page.goto(url)
    ask_and_wait(page, "对年轻干部的教育管理监督有什么要求？", "扣好廉洁履职")
    assert "按“" not in chat_text(page)  # typed as answered: no line
    ask_and_wait(page, "那对一把手呢？", "按“对一把手的教育管理监督有什么要求？”理解")
    ask_and_wait(page, "第二点具体怎么说？", "第二点：")
    text = chat_text(page)
    assert text.count("理解）") == 2 and "原文（《" in text
    assert page.locator("#sq-chat .sq-card").count() >= 3
    page.screenshot(path=str(ARTIFACTS / "chat-followup.png"), full_page=True)

    # Another browser session has a conversation of its own.
    other = context.browser.new_context(locale="zh-CN").new_page()
    other.goto(url)
    ask_and_wait(other, "还有吗？", "请说明您想了解哪方面的内容")
    other.context.close()

    page.locator("#sq-clear").click()
    page.wait_for_function("() => !document.querySelector('#sq-chat').innerText.includes('理解）')", timeout=WAIT)
    ask_and_wait(page, "还有吗？", "请说明您想了解哪方面的内容")
