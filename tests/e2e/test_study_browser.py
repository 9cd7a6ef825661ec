"""The practice mode in headless Chromium: answer a 判断 and a 多选, see the 解析 and the score; the
wrong one is in the 错题本 after a reload."""
from __future__ import annotations

import pytest

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_app_browser import page  # noqa: F401  (fixture)

pytestmark = pytest.mark.e2e


def open_practice(page, url):
    page.goto(url)
    page.get_by_role("tab", name="学习题库").click()
    page.get_by_role("tab", name="练习").click()


def choose_types(page, keep):
    for label in page.locator("#sq-kinds label").all():
        checked = label.locator("input").is_checked()
        if checked != (label.inner_text().strip() in keep):
            label.click()


def test_practice_judge_and_multi_then_wrong_book_after_reload(app_url, page):  # noqa: F811
    url, _ = app_url
    open_practice(page, url)
    choose_types(page, {"判断", "多选"})
    page.locator("#sq-count input[type=number]").fill("2")
    page.locator("#sq-count input[type=number]").press("Enter")
    page.locator("#sq-topic textarea").fill("四风")
    page.locator("#sq-practice-start").click()
    page.wait_for_function("document.querySelector('#sq-pq').innerText.includes('第 1 / 2 题')", timeout=60_000)
    assert "判断题" in page.locator("#sq-pq").inner_text()
    page.locator("#sq-pradio label", has_text="正确").click()
    page.locator("#sq-psubmit").click()
    page.wait_for_selector("#sq-feedback .sq-feedback", timeout=30_000)
    first = page.locator("#sq-feedback").inner_text()
    assert "解析" in first and "§" in first
    page.locator("#sq-pnext").click()
    page.wait_for_function("document.querySelector('#sq-pq').innerText.includes('第 2 / 2 题')", timeout=30_000)
    multi_question = page.locator("#sq-pq").inner_text().split("\n")[-1].strip()
    assert "多选" in page.locator("#sq-pq").inner_text()
    page.locator("#sq-pcheck label").first.click()  # one option: a 多选 has two or more right ones
    page.locator("#sq-psubmit").click()
    page.wait_for_function("document.querySelector('#sq-score').innerText.includes('得分')", timeout=30_000)
    feedback = page.locator("#sq-feedback").inner_text()
    assert "回答错误" in feedback and "解析" in feedback and "§" in feedback
    link = page.locator("#sq-feedback a.sq-link").first.get_attribute("href")
    assert link.startswith("?speech=") and "#p-" in link
    score = page.locator("#sq-score").inner_text()
    assert "练习结束" in score and "/ 3" in score  # 判断 1 point + 多选 2 points
    page.screenshot(path=str(ARTIFACTS / "practice.png"), full_page=True)

    page.reload()
    page.get_by_role("tab", name="学习题库").click()
    page.get_by_role("tab", name="错题本").click()
    page.wait_for_function(f"document.querySelector('#sq-wrongbook').innerText.includes({multi_question[:20]!r})",
                           timeout=30_000)
    page.locator("#sq-wrong-export").click()
    page.wait_for_function("document.querySelector('#sq-wrong-file').innerText.includes('csv')", timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "wrongbook.png"), full_page=True)


def test_mock_exam_timer_counts_down(app_url, page):  # noqa: F811
    url, _ = app_url
    open_practice(page, url)
    page.locator("#sq-timed input").check()
    page.locator("#sq-practice-start").click()
    page.wait_for_function("document.querySelector('#sq-clock').innerText.includes('剩余时间')", timeout=60_000)
    first = page.locator("#sq-clock").inner_text()
    page.wait_for_function("t => document.querySelector('#sq-clock').innerText !== t", arg=first, timeout=30_000)

