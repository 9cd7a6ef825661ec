"""The 原文摘编 and 对比 tabs of the real app in headless Chromium (Debian's chromium through Playwright)."""
from __future__ import annotations

import os
from pathlib import Path

import docx
import pytest

from tests.conftest import ROOT
from tests.e2e.conftest import ARTIFACTS
from tests.digest.conftest import grep

pytestmark = pytest.mark.e2e
DOCS = ROOT / "docs"


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1500, "height": 1000}, locale="zh-CN", accept_downloads=True)
    pg = ctx.new_page()
    yield pg
    ctx.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)
    if os.environ.get("SPEECHQA_SCREENSHOTS"):  # refresh the README's pictures (the top of the tab)
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(DOCS / f"screenshot-{Path(name).stem}.png"), full_page=False)


def download_docx(page, selector: str, tmp_path: Path) -> docx.Document:
    link = page.locator(f'{selector} a[download$=".docx"]').first
    with page.expect_download() as info:
        link.click()
    path = tmp_path / "download.docx"
    info.value.save_as(str(path))
    return docx.Document(str(path))


def open_tab(page, url: str, name: str) -> None:
    page.goto(url)
    page.get_by_role("tab", name=name).click()


def run_topic(page, tab: str, topic: str) -> None:
    """Type a topic into the digest or compare tab ("digest" / "compare") and run it."""
    page.locator(f"#sq-{tab}-topic textarea").fill(topic)
    page.locator(f"#sq-{tab}-go").click()


def test_digest_tab_untick_reorder_download(app_url, page, tmp_path):
    url, _ = app_url
    open_tab(page, url, "原文摘编")
    run_topic(page, "digest", "一岗双责")
    page.wait_for_selector("#sq-digest-preview .sq-excerpt", timeout=60_000)
    expected = len(grep("一岗双责"))
    assert page.locator("#sq-digest-preview .sq-excerpt").count() == expected
    text = page.locator("#sq-digest-preview").inner_text()
    assert f"共{expected}段，出自5篇讲话" in text and "——《" in text and "（推断）" in text
    first_key = page.locator("#sq-digest-preview .sq-excerpt").first.get_attribute("data-key")
    # untick the first excerpt: the preview and the downloads keep the rest
    page.locator("#sq-digest-keep label").first.click()
    page.wait_for_function(f"document.querySelectorAll('#sq-digest-preview .sq-excerpt').length == {expected - 1}",
                           timeout=30_000)
    # move the (now) last excerpt up by one
    keys = [el.get_attribute("data-key") for el in page.locator("#sq-digest-preview .sq-excerpt").all()]
    assert first_key not in keys
    page.locator("#sq-digest-move input").click()
    page.get_by_role("option").nth(expected - 1).click()
    page.locator("#sq-digest-up").click()
    page.wait_for_function(
        f"document.querySelectorAll('#sq-digest-preview .sq-excerpt')[{expected - 3}].dataset.key == '{keys[-1]}'",
        timeout=30_000)
    page.wait_for_function("document.querySelector('#sq-digest-files').innerText.includes('docx')", timeout=30_000)
    assert ".md" in page.locator("#sq-digest-files").inner_text()
    shot(page, "digest.png")
    doc = download_docx(page, "#sq-digest-files", tmp_path)
    sources = [p.text for p in doc.paragraphs if p.text.startswith("——《")]
    assert len(sources) == expected - 1
    para = {k: int(k.split("§")[1]) for k in keys}
    assert sources[-2].split("）§")[1].startswith(str(para[keys[-1]]))  # the moved excerpt, one place up


def test_digest_tab_absent_topic(app_url, page):
    url, _ = app_url
    open_tab(page, url, "原文摘编")
    run_topic(page, "digest", "足球比赛")
    page.wait_for_function("document.querySelector('#sq-digest-preview').innerText.includes('没有谈到')",
                           timeout=60_000)
    assert "讲话中没有谈到“足球比赛”" in page.locator("#sq-digest-preview").inner_text()
    assert page.locator("#sq-digest-preview .sq-excerpt").count() == 0


def test_compare_tab_columns_silent_new_terms_pairs_chart(app_url, page, tmp_path):
    url, _ = app_url
    open_tab(page, url, "对比")
    run_topic(page, "compare", "四风")
    page.wait_for_selector("#sq-compare-result table.sq-compare", timeout=60_000)
    heads = page.locator("#sq-compare-result th").all_inner_texts()
    # The app's index may hold a speech another test uploaded (no date): it comes last, as undated.
    dated = [h for h in heads if "日期不详" not in h]
    assert len(dated) == 5 and "2022年初（推断）" in dated[0] and "2023年初（推断）" in dated[-1]
    assert heads[:5] == dated
    assert page.locator("#sq-compare-result svg.sq-chart rect").count() == len(heads)
    assert page.locator("#sq-compare-result mark.sq-new").count() >= 1
    pair = page.locator("#sq-compare-result details.sq-pair").first
    assert not pair.locator(".sq-diff").is_visible()
    pair.locator("summary").click()
    assert pair.locator(".sq-diff").is_visible()
    page.wait_for_function("document.querySelector('#sq-compare-files').innerText.includes('docx')", timeout=30_000)
    shot(page, "compare.png")
    doc = download_docx(page, "#sq-compare-files", tmp_path)
    assert len(doc.tables[0].rows) == len(heads)  # the chart: one row per speech
    # a topic some speeches never mention: they are shown as silent
    run_topic(page, "compare", "巡察")
    # Three of the bundled speeches speak of 巡察: the other two, and any uploaded speech, are silent.
    silent = len(heads) - 3
    page.wait_for_function(f"document.querySelectorAll('#sq-compare-result td.sq-silent').length == {silent}",
                           timeout=60_000)
    assert page.locator("#sq-compare-result th").count() == len(heads)
