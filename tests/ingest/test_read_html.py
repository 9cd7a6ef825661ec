"""Saved web pages: the article's paragraphs verbatim, its title and date line first, and nothing of the
site around it (navigation, login, breadcrumb, 来源 line, share buttons, 责任编辑, related links, footer)."""
from __future__ import annotations

import json
import shutil
from email.message import EmailMessage
from pathlib import Path

import pytest

from ingest.readers import IngestError, read_document
from shell.cli import main

DATA = Path(__file__).parents[1] / "data" / "formats"
SPEECHES = Path(__file__).parents[2] / "data" / "speeches"
BODY = ["同志们：", "今天召开全市党建工作会议，主要任务是总结2022年党建工作，部署2023年重点任务。", "一、提高政治站位",
        "要严格落实“三会一课”制度，加强党支部标准化规范化建设，推动全面从严治党向纵深发展。", "二、压实工作责任",
        "要压实“一岗双责”，层层传导压力，确保各项任务落地见效。各级党组织书记要切实履行第一责任人职责。",
        "同志们，让我们更加紧密地团结在一起，奋力谱写新时代党建工作新篇章！"]
# Every line of the site around the article: none may become a paragraph, nor part of one.
CHROME = ["首页", "登录", "注册", "手机版", "政务公开", "新闻中心", "互动交流", "当前位置", "来源：", "浏览次数", "责任编辑",
          "分享到", "微信", "微博", "相关新闻", "市委召开常委会议", "主办单位", "版权所有", "备案号", "网站地图"]


def news_page(charset: str | None = "utf-8") -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    body = "\n".join(f"<p>{p}</p>" for p in BODY)
    return f"""<!DOCTYPE html><html lang="zh-CN"><head>{meta}
<title>在全市党建工作会议上的讲话_要闻_某某市人民政府网</title></head><body>
<div class="top"><a href="/">首页</a> | <a href="/login">登录</a> | <a href="/reg">注册</a> | <a href="/m">手机版</a></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zw">政务公开</a></li><li><a href="/news">新闻中心</a></li>
<li><a href="/hd">互动交流</a></li></ul></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/news">新闻中心</a> &gt; 要闻</div>
<div class="article"><h1>在全市党建工作会议上的讲话</h1>
<div class="info"><span>发布时间：2023-03-05 10:30</span> <span>来源：某某日报</span> <span>浏览次数：1234</span></div>
<div class="content">{body}</div>
<div class="editor">责任编辑：张三</div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div></div>
<div class="related"><h3>相关新闻</h3><ul><li><a href="/a">市委召开常委会议</a></li><li><a href="/b">市政府召开常务会议</a></li></ul></div>
<div class="footer"><p>主办单位：某某市人民政府办公室  版权所有</p><p>备案号：京ICP备12345678号</p><p>联系我们 | 网站地图</p></div>
</body></html>"""


def texts(path) -> list[str]:
    return [ln.text for ln in read_document(path).lines]


def no_chrome(lines: list[str]) -> None:
    leaked = [(w, ln) for ln in lines for w in CHROME if w in ln]
    assert not leaked, f"site chrome in the text: {leaked}"


@pytest.mark.parametrize("charset, encoding", [("utf-8", "utf-8"), ("gbk", "gbk"), ("gb2312", "gb18030"), (None, "gbk")])
def test_the_article_only_title_and_date_first(tmp_path, charset, encoding):
    f = tmp_path / "news.html"
    f.write_bytes(news_page(charset).encode(encoding))
    got = texts(f)
    assert got == ["在全市党建工作会议上的讲话", "2023-03-05", *BODY]
    no_chrome(got)


def test_credit_lines_inside_the_article_are_dropped_at_its_ends_only(tmp_path):
    inner = ("<p>（来源：某某日报）</p>" + "".join(f"<p>{p}</p>" for p in BODY)
             + "<p>关于来源：本段提到来源二字，仍是讲话。</p><p>（来源：某某日报）</p><p>责任编辑：张三</p><p>审核：李四</p>")
    page = news_page().replace('<div class="editor">责任编辑：张三</div>', "")
    f = tmp_path / "credits.html"
    assert "\n".join(f"<p>{p}</p>" for p in BODY) in page
    f.write_text(page.replace("\n".join(f"<p>{p}</p>" for p in BODY), inner), encoding="utf-8")
    got = texts(f)
    assert got == ["在全市党建工作会议上的讲话", "2023-03-05", *BODY, "关于来源：本段提到来源二字，仍是讲话。"]


def speech(prefix: str) -> list[str]:
    f = next(SPEECHES.glob(f"{prefix}_*.txt"))
    return [ln.strip() for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()]


@pytest.mark.parametrize("name, prefix, title, date", [
    ("news-gbk.html", "003", "落实全面从严治党责任 努力提升党建工作质量", "2022-02-18"),  # <p> paragraphs, gb2312 declared
    ("news-utf8.html", "000", "在2022年党建工作和政治生态建设自评自查汇报会上的讲话", "2022-12-28"),  # <br> between
])
def test_saved_pages_give_the_speech_verbatim(tmp_path, capsys, name, prefix, title, date):
    assert main(["extract", str(DATA / name), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    lines = [p["text"] for p in got["paragraphs"]]
    assert lines == [title, date, *speech(prefix)]
    assert (got["title"], got["date"], got["date_basis"]) == (title, date, "stated")
    no_chrome(lines)


def test_ingest_numbers_as_extract_and_reingest_is_unchanged(tmp_path, capsys):
    f = tmp_path / "page.htm"
    shutil.copyfile(DATA / "news-gbk.html", f)
    idx = ["--index", str(tmp_path / "index"), "--embeddings", "fake"]
    assert main(["ingest", str(f), *idx]) == 0 and "added     page  23 paragraphs" in capsys.readouterr().out
    assert main(["ingest", str(f), *idx]) == 0 and "unchanged page  23 paragraphs" in capsys.readouterr().out
    assert main(["search", "四风", "--json", *idx]) == 0
    top = json.loads(capsys.readouterr().out)["results"][0]
    assert main(["extract", str(f), "--json"]) == 0
    paragraphs = json.loads(capsys.readouterr().out)["paragraphs"]
    assert paragraphs[top["paragraph"] - 1]["text"] == top["text"]


def test_mhtml_reads_its_html_part(tmp_path):
    msg = EmailMessage()
    msg["Subject"] = "在全市党建工作会议上的讲话"
    msg["Snapshot-Content-Location"] = "http://example.invalid/news/1.html"
    msg.set_content(news_page("gbk").encode("gbk"), maintype="text", subtype="html", cte="quoted-printable")
    msg.replace_header("Content-Type", 'text/html; charset="gbk"')
    msg.make_mixed()
    msg.add_attachment(b"\x89PNG fake", maintype="image", subtype="png", filename="logo.png")
    f = tmp_path / "saved.mhtml"
    f.write_bytes(msg.as_bytes())
    assert texts(f) == ["在全市党建工作会议上的讲话", "2023-03-05", *BODY]


def test_pages_without_an_article_are_refused(tmp_path):
    f = tmp_path / "menu.html"
    f.write_text("<html><body><ul><li><a href='/'>首页</a></li></ul></body></html>", encoding="utf-8")
    with pytest.raises(IngestError, match="no article text found in the page"):
        read_document(f)
    m = tmp_path / "mail.mht"
    m.write_bytes(b"Subject: x\r\nContent-Type: text/plain\r\n\r\nhello\r\n")
    with pytest.raises(IngestError, match="no HTML part"):
        read_document(m)
