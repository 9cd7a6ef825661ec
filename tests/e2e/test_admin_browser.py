"""The 管理 tab in headless Chromium, on the real app with a users file: an admin edits a speech's title
(shown at once in the reader's list) and deletes one after confirming (cancel keeps it); a reader
signs in without the tab and never sees a speech whose tag is restricted to others."""
from __future__ import annotations

import shutil

import pytest

from ingest.pipeline import ingest_paths
from admin.library import Library
from admin.users import Users
from shell.web.reader import NOT_OPENED
from tests.conftest import make_engine
from tests.e2e.conftest import ARTIFACTS, serve_app

pytestmark = pytest.mark.e2e
EDITED, DELETED, HIDDEN = "001_ce92dc7b0f296d48", "食堂讲话", "000_6117c26b33f13efb"
UPLOAD = "关于机关食堂管理的讲话\n同志们：\n一、加强管理\n要加强机关食堂的节约管理，杜绝浪费，每周公示菜价。\n"


@pytest.fixture(scope="module")
def admin_app(real_index, tmp_path_factory):
    root = tmp_path_factory.mktemp("admin")
    index = root / "index"
    shutil.copytree(real_index, index)
    extra = root / "files" / f"{DELETED}.txt"  # deleted in the test: its own file, not the bundled ones
    extra.parent.mkdir()
    extra.write_text(UPLOAD, encoding="utf-8")
    ingest_paths([extra], make_engine(index, "e5-small").store)
    users = Users(root / "users.json")
    users.add("boss", "admin", "boss-pw")
    users.add("reader1", "reader", "reader-pw")
    Library(index).set_meta(HIDDEN, tags="内部")
    Library(index).restrict("内部", ["editor"])
    with serve_app(index, root / "app.log", SPEECHQA_USERS=str(root / "users.json")) as url:
        yield url, index


def signed_in(browser, url, name, password):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    page = ctx.new_page()
    page.goto(url)
    page.locator("input[type=text]").fill(name)
    page.locator("input[type=password]").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_selector("#sq-question textarea", timeout=60_000)
    return ctx, page


def pick(page, stem):
    page.locator("#sq-admin-pick input").click()
    page.locator("#sq-admin-pick input").fill(stem)
    page.get_by_role("option", name=stem).click()


def test_admin_edits_and_deletes_with_confirmation(admin_app, browser):
    url, index = admin_app
    ctx, page = signed_in(browser, url, "boss", "boss-pw")
    page.get_by_role("tab", name="管理").click()
    page.wait_for_selector("#sq-admin-table")
    pick(page, EDITED)
    page.wait_for_function("document.querySelector('#sq-admin-title textarea, #sq-admin-title input').value.length > 0")
    field = page.locator("#sq-admin-title textarea, #sq-admin-title input").first
    field.fill("浏览器里改的标题")
    page.locator("#sq-admin-save").click()
    page.wait_for_selector("#sq-admin-status:has-text('已保存')", timeout=30_000)
    assert "浏览器里改的标题" in page.locator("#sq-admin-table").inner_text()
    assert make_engine(index, "e5-small").store.speeches()[EDITED].title == "浏览器里改的标题"

    pick(page, DELETED)
    page.locator("#sq-admin-delete").click()
    page.wait_for_selector("#sq-admin-confirm", state="visible")
    assert "确认删除" in page.locator("#sq-admin-confirm-text").inner_text()
    page.locator("#sq-admin-cancel").click()
    page.wait_for_selector("#sq-admin-status:has-text('已取消')")
    assert DELETED in make_engine(index, "e5-small").store.speeches()
    page.locator("#sq-admin-delete").click()
    page.locator("#sq-admin-confirm").click()
    page.wait_for_selector("#sq-admin-status:has-text('已删除')", timeout=30_000)
    assert DELETED not in page.locator("#sq-admin-table").inner_text()
    assert DELETED not in make_engine(index, "e5-small").store.speeches()
    assert list((index / "trash").rglob(f"{DELETED}.txt"))  # kept in the trash until emptied
    page.screenshot(path=str(ARTIFACTS / "admin-tab.png"), full_page=True)
    ctx.close()


def test_reader_has_no_admin_tab_and_no_restricted_speech(admin_app, browser):
    url, index = admin_app
    ctx, page = signed_in(browser, url, "reader1", "reader-pw")
    assert page.get_by_role("tab", name="管理").count() == 0
    page.get_by_role("tab", name="讲话原文").click()
    page.wait_for_function("t => document.querySelector('#sq-table')?.innerText.includes(t)", arg=EDITED)
    assert HIDDEN not in page.locator("#sq-table").inner_text()
    page.goto(url + f"?speech={HIDDEN}&p=1")
    # The load event opens the reader on the link's speech: here it says the link cannot be opened.
    page.wait_for_function("t => document.querySelector('#sq-reader')?.innerText.includes(t)", arg=NOT_OPENED,
                           timeout=60_000)
    hidden = make_engine(index, "e5-small").store.speeches()[HIDDEN]
    assert hidden.paragraphs[3].text[:20] not in page.locator("#sq-reader").inner_text()
    ctx.close()
