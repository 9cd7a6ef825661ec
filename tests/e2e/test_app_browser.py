"""The real app in headless Chromium (Debian's chromium, driven by Playwright): ask, refuse, read, upload."""
from __future__ import annotations


import pytest

from tests.conftest import make_engine
from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    pg = ctx.new_page()
    dialogs = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.dialogs = dialogs
    yield pg
    ctx.close()


def ask(page, question: str) -> None:
    page.locator("#sq-question textarea").fill(question)
    page.locator("#sq-send").click()


def test_answer_streams_with_source_cards(app_url, page, real_index):
    url, _ = app_url
    page.goto(url)
    ask(page, "如何织密“不能腐”的笼子？")
    page.wait_for_selector("#sq-chat .sq-card", timeout=60_000)
    card = page.locator("#sq-chat .sq-card").first
    summary = card.locator("summary").inner_text()
    assert "§17" in summary and "在局党建暨党风廉政建设工作会议上的讲话" in summary
    card.locator("summary").click()
    para = make_engine(real_index, "e5-small").store.speeches()["002_d78a8ffa42bed171"].paragraphs[16].text
    assert para[:30] in card.inner_text()
    assert card.locator("mark").count() >= 1
    # the markers in the answer match the card numbers
    marks = page.locator("#sq-chat .sq-mark").all_inner_texts()
    assert "[1]" in marks and summary.startswith("[1]")
    page.screenshot(path=str(ARTIFACTS / "chat-answer.png"), full_page=True)


def test_unanswerable_question_is_refused(app_url, page):
    url, _ = app_url
    page.goto(url)
    ask(page, "怎样申请公共租赁住房？")
    page.wait_for_selector("#sq-chat .sq-related", timeout=60_000)
    text = page.locator("#sq-chat").inner_text()
    assert "讲话中没有出现“" in text and "可能相关" in text  # the refusal names what was checked
    assert page.locator("#sq-chat .sq-card").count() == 0
    page.screenshot(path=str(ARTIFACTS / "chat-refusal.png"), full_page=True)


def test_citation_link_opens_the_paragraph_in_the_reader(app_url, page):
    url, _ = app_url
    page.goto(url + "?speech=002_d78a8ffa42bed171&p=17#p-17")
    page.wait_for_selector("#sq-reader #p-17", timeout=30_000)
    hit = page.locator("#sq-reader .sq-hit")
    assert hit.count() == 1 and "§17" in hit.inner_text()
    page.screenshot(path=str(ARTIFACTS / "reader.png"), full_page=True)


def test_upload_is_searchable_at_once_and_rendered_as_text(private_app, page, tmp_path):
    url, index = private_app
    f = tmp_path / "upload_test_speech.txt"
    f.write_text("关于机关食堂管理的讲话\n同志们：\n"
                 "要加强机关食堂的节约管理，杜绝浪费，每周公示菜价。<script>window.__xss=1</script>"
                 "<img src=x onerror=\"window.__xss=2\">\n", encoding="utf-8")
    bad = tmp_path / "blank.txt"
    bad.write_text(" \n\n", encoding="utf-8")
    page.goto(url)
    page.get_by_role("tab", name="导入讲话").click()
    page.locator("#sq-files input[type=file]").set_input_files([str(f), str(bad)])
    # both files are on the server once the component lists them
    page.wait_for_function("document.querySelector('#sq-files').innerText.includes('blank')", timeout=30_000)
    page.locator("#sq-import").click()
    page.wait_for_function("document.querySelector('#sq-report').innerText.includes('已添加')", timeout=120_000)
    report = page.locator("#sq-report").inner_text()
    assert "upload_test_speech.txt" in report and "已拒绝" in report and "the file is empty" in report
    assert (index / "uploads" / "upload_test_speech.txt").exists()
    page.get_by_role("tab", name="问答").click()
    ask(page, "机关食堂怎样节约管理？")
    page.wait_for_selector("#sq-chat .sq-card", timeout=60_000)
    card = page.locator("#sq-chat .sq-card").first
    assert "关于机关食堂管理的讲话" in card.locator("summary").inner_text()
    card.locator("summary").click()
    assert "<script>window.__xss=1</script>" in card.inner_text()  # shown as text
    assert page.evaluate("window.__xss") is None and page.dialogs == []
    page.screenshot(path=str(ARTIFACTS / "upload-answer.png"), full_page=True)


def test_two_users_see_only_their_own_answers(app_url, browser):
    url, _ = app_url
    pages = []
    for q in ("如何控制“三公经费”？", "养老资金是怎样监管的？"):
        ctx = browser.new_context()
        pg = ctx.new_page()
        pg.goto(url)
        pages.append((pg, q))
    for pg, q in pages:
        ask(pg, q)
    for pg, q in pages:
        pg.wait_for_selector("#sq-chat .sq-card", timeout=60_000)
    t0, t1 = (pg.locator("#sq-chat").inner_text() for pg, _ in pages)
    assert "三公经费" in t0 and "养老资金" not in t0
    assert "养老资金" in t1 and "三公经费" not in t1
    for pg, _ in pages:
        pg.context.close()


def test_clear_chat(app_url, page):
    url, _ = app_url
    page.goto(url)
    ask(page, "怎样落实“一岗双责”？")
    page.wait_for_selector("#sq-chat .sq-card", timeout=60_000)
    page.locator("#sq-clear").click()
    page.wait_for_function("() => document.querySelectorAll('#sq-chat .sq-card').length === 0", timeout=30_000)


def test_study_tab_previews_and_offers_downloads(app_url, page):
    url, _ = app_url
    page.goto(url)
    page.get_by_role("tab", name="学习题库").click()
    page.locator("#sq-topic textarea").fill("四风")
    page.locator("#sq-make").click()
    page.wait_for_selector("#sq-preview .sq-item", timeout=60_000)
    assert page.locator("#sq-preview .sq-item").count() == 10
    text = page.locator("#sq-preview").inner_text()
    assert "【填空】" in text and "【选择】" in text and "【简答】" in text
    page.wait_for_function("document.querySelector('#sq-downloads').innerText.includes('docx')", timeout=30_000)
    names = page.locator("#sq-downloads").inner_text()
    assert "题库" in names and "csv" in names
    page.screenshot(path=str(ARTIFACTS / "study.png"), full_page=True)
