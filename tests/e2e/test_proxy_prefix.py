"""The app behind nginx under a path prefix with a login, as deploy/ sets it up: Debian's nginx runs
deploy/nginx-speechqa.conf (only the app's port changed), the app runs with --root-path /speechqa and
SPEECHQA_AUTH, and headless Chromium logs in, asks, gets an answer with a source card and opens the
cited paragraph — every request staying under the prefix."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.e2e.conftest import CHROMIUM, FLAGS
from tests.integration.helpers import free_port, start_server, wait_http

pytestmark = pytest.mark.e2e
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PREFIX = "/speechqa"
USER, PASSWORD = "unit-admin", "试一试-s3cret"
ARTIFACTS = ROOT / "test-artifacts"

if not Path(NGINX).exists():
    pytest.fail("Debian's nginx is not installed (make system-deps installs it)", pytrace=False)
if not Path(CHROMIUM).exists():
    pytest.fail("Debian's chromium is not installed (make system-deps installs it)", pytrace=False)


def nginx_conf(folder: Path, listen: int, app_port: int) -> Path:
    snippet = (ROOT / "deploy" / "nginx-speechqa.conf").read_text(encoding="utf-8")
    assert "http://127.0.0.1:7860/" in snippet
    (folder / "speechqa.conf").write_text(snippet.replace("127.0.0.1:7860", f"127.0.0.1:{app_port}"))
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must write the temp folders below
    temps = "\n".join(f"  {kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi",
                                                                            "uwsgi", "scgi"))
    conf = folder / "nginx.conf"
    conf.write_text(f"""{user}worker_processes 1;
daemon off;
pid {folder / 'nginx.pid'};
error_log {folder / 'error.log'};
events {{ worker_connections 256; }}
http {{
  access_log {folder / 'access.log'};
{temps}
  server {{
    listen 127.0.0.1:{listen};
    include {folder / 'speechqa.conf'};
  }}
}}
""")
    return conf


@pytest.fixture(scope="module")
def proxied(real_index, tmp_path_factory):
    """(base URL under the prefix, nginx folder): the app on its own port, nginx in front of it."""
    work = tmp_path_factory.mktemp("proxy")
    index = work / "index"
    shutil.copytree(real_index, index)
    app_port, proxy_port = free_port(), free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False",
           "SPEECHQA_AUTH": f"{USER}:{PASSWORD}"}
    app = start_server([sys.executable, "-m", "shell.cli", "serve", "--index", str(index), "--port", str(app_port),
                        "--root-path", PREFIX], work / "app.log", env=env, cwd=ROOT)
    conf = nginx_conf(work, proxy_port, app_port)
    check = subprocess.run([NGINX, "-t", "-p", str(work), "-c", str(conf)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    proxy = start_server([NGINX, "-p", str(work), "-c", str(conf)], work / "nginx.out")
    try:
        wait_http(f"http://127.0.0.1:{app_port}/", timeout=180, proc=app)
        wait_http(f"http://127.0.0.1:{proxy_port}{PREFIX}/", timeout=30, proc=proxy)
        yield f"http://127.0.0.1:{proxy_port}{PREFIX}/", work
    finally:
        for proc in (proxy, app):
            proc.terminate()
            proc.wait(timeout=30)


def test_prefix_without_slash_redirects_and_the_api_needs_the_login(proxied):
    base, _ = proxied
    bare = base.rstrip("/")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as e:
        opener.open(bare, timeout=10)
    assert e.value.code == 301 and e.value.headers["Location"] == base
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(base + "config", timeout=10)
    assert e.value.code == 401


def test_log_in_ask_and_read_through_the_prefix(proxied):
    from playwright.sync_api import sync_playwright

    base, work = proxied
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
            urls: list[str] = []
            page.on("request", lambda r: urls.append(r.url))
            page.goto(base)
            # a wrong password is refused, the right one lets in
            page.locator("input[type=text]").fill(USER)
            page.locator("input[type=password]").fill("wrong")
            page.get_by_role("button", name="登录").click()
            page.wait_for_selector("text=凭据不正确", timeout=30_000)
            assert page.locator("#sq-question").count() == 0
            page.locator("input[type=text]").fill(USER)
            page.locator("input[type=password]").fill(PASSWORD)
            page.get_by_role("button", name="登录").click()
            page.wait_for_selector("#sq-question textarea", timeout=60_000)
            page.locator("#sq-question textarea").fill("如何织密“不能腐”的笼子？")
            page.locator("#sq-send").click()
            page.wait_for_selector("#sq-chat .sq-card", timeout=90_000)
            card = page.locator("#sq-chat .sq-card").first
            summary = card.locator("summary").inner_text()
            assert summary.startswith("[1]") and "§17" in summary
            assert "在局党建暨党风廉政建设工作会议上的讲话" in summary
            page.screenshot(path=str(ARTIFACTS / "proxy-prefix-answer.png"), full_page=True)
            # the card's link opens the paragraph in the reader, still under the prefix
            href = card.locator("a.sq-link").first.get_attribute("href")
            assert href.startswith("?speech=002_d78a8ffa42bed171&p=17")
            page.goto(base + href)
            page.wait_for_selector("#sq-reader #p-17", timeout=30_000)
            assert page.url.startswith(base)
            outside = [u for u in urls if not u.startswith(base)]
            assert outside == [], outside[:5]
        finally:
            browser.close()
    # and nginx saw the app's API calls under the prefix
    log = (work / "access.log").read_text()
    assert f"POST {PREFIX}/login" in log and f"{PREFIX}/gradio_api/queue/data" in log
