"""How the checked-in files here were made (run once; the tests read the files, they never run this).

  .venv/bin/python tests/data/formats/make.py     # needs LibreOffice (soffice) on PATH

- speech-001.doc: data/speeches/001 (one paragraph a line) → .docx (python-docx) → Word 97 (.doc) by
  LibreOffice; the .doc reader must give back every line verbatim.
- headings.doc: a title (Title style), a date line, a salutation, two numbered headings (Heading 1)
  and ten body paragraphs; core-property title set (a .doc's properties are not read).
- tiny.doc: the same with one body paragraph: antiword says its "text stream is too small", so only
  LibreOffice reads it (the fallback).
- speech-002.wps: data/speeches/002 written in the Word 97 binary format under a .wps name, as WPS
  Office writes its .wps files (made by LibreOffice, not by WPS).
- news-gbk.html / news-utf8.html: pages laid out like two kinds of Chinese news/government sites
  (top bar with 登录, nav menu, breadcrumb, info line with 来源, share buttons, 责任编辑, related
  links, footer), the body being data/speeches/003 (GBK, <p> paragraphs) and 000 (UTF-8, one <div>
  with <br> between paragraphs, the site's usual markup).
"""
from __future__ import annotations

import html
import shutil
import subprocess
import tempfile
from pathlib import Path

import docx

HERE = Path(__file__).parent
SPEECHES = HERE.parents[2] / "data" / "speeches"


def speech(prefix: str) -> list[str]:
    f = next(SPEECHES.glob(f"{prefix}_*.txt"))
    return [ln.strip() for ln in f.read_text(encoding="utf-8").splitlines() if ln.strip()]


def to_doc(d: docx.document.Document, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp, Path(name).stem + ".docx")
        d.save(src)
        subprocess.run(["soffice", "--headless", "--convert-to", "doc", "--outdir", tmp, str(src)], check=True,
                       capture_output=True)
        shutil.copyfile(Path(tmp, Path(name).stem + ".doc"), HERE / name)


def plain(lines: list[str]) -> docx.document.Document:
    d = docx.Document()
    for ln in lines:
        d.add_paragraph(ln)
    return d


def headings(body: int) -> docx.document.Document:
    d = docx.Document()
    d.core_properties.title = "党支部建设讲话（文件属性）"
    d.add_heading("关于加强党支部建设的讲话", 0)
    d.add_paragraph("（2023年3月5日）")
    d.add_paragraph("同志们：")
    d.add_heading("一、提高认识", 1)
    for i in range(body):
        d.add_paragraph(f"要严格落实“三会一课”制度，加强党支部标准化建设，这是第{i + 1}段。")
    d.add_heading("二、抓好落实", 1)
    d.add_paragraph("要压实“一岗双责”，层层传导压力。")
    return d


CHROME_TOP = """<div class="topbar"><a href="/">首页</a> | <a href="/login">登录</a> | <a href="/register">注册</a> |
<a href="/m">手机版</a> | <a href="/en">English</a></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>
<li><a href="/xwzx">新闻中心</a></li><li><a href="/bsfw">办事服务</a></li><li><a href="/hdjl">互动交流</a></li></ul></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/xwzx">新闻中心</a> &gt; 领导讲话</div>"""
CHROME_FOOT = """<div class="editor">责任编辑：王五</div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a> <a href="#">打印本页</a>
<a href="#">关闭窗口</a></div></div>
<div class="related"><h3>相关新闻</h3><ul><li><a href="/a1">市委常委会召开会议研究部署重点工作</a></li>
<li><a href="/a2">市政府召开第十五次常务会议</a></li></ul></div>
<div class="footer"><p>主办单位：某某市人民政府办公室　承办：某某市大数据中心</p>
<p>网站标识码：1234567890　备案号：某ICP备12345678号</p><p>联系我们 | 网站地图 | 隐私声明 | 使用帮助</p></div>"""


def page(title: str, date: str, paragraphs: str, charset: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{html.escape(title)}_领导讲话_某某市人民政府门户网站</title></head><body>
{CHROME_TOP}
<div class="article"><h1>{html.escape(title)}</h1>
<div class="info">发布时间：{date} 09:30　来源：某某日报　作者：本报记者　浏览次数：2345　字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a></div>
<div class="TRS_Editor">{paragraphs}</div>
{CHROME_FOOT}
</body></html>"""


def main() -> None:
    to_doc(plain(speech("001")), "speech-001.doc")
    to_doc(headings(10), "headings.doc")
    to_doc(headings(1), "tiny.doc")
    to_doc(plain(speech("002")), "speech-002.doc")
    Path(HERE / "speech-002.doc").rename(HERE / "speech-002.wps")
    body = "\n".join(f"<p>{html.escape(ln)}</p>" for ln in speech("003"))
    (HERE / "news-gbk.html").write_bytes(page("落实全面从严治党责任 努力提升党建工作质量", "2022-02-18", body,
                                              "gb2312").encode("gb18030"))
    body = "<br>\n".join(f"　　{html.escape(ln)}" for ln in speech("000"))
    (HERE / "news-utf8.html").write_text(page("在2022年党建工作和政治生态建设自评自查汇报会上的讲话", "2022-12-28",
                                              f"<p>{body}</p>", "utf-8"), encoding="utf-8")


if __name__ == "__main__":
    main()
