#!/usr/bin/env python3
"""Builds the labelled extraction set (tests/data/extraction/<case>/) from the
articles in articles_*.txt: each article is rendered into the shape of a real
kind of news page (portal, wire service, government site, reprint, HK, TW,
feed fragment, Markdown with front matter, plain text), in the page's own
encoding, and its gold text and metadata are written beside it.

    tests/extraction/make_set.py [OUT_DIR]

The output is committed; run this again only when articles or shapes change.
Needs the `opencc` command (traditional boilerplate) at generation time only."""

import datetime as dt
import glob
import html
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import boilerplate as bp  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CST = dt.timezone(dt.timedelta(hours=8))


# ---------------------------------------------------------------------------
# Articles

class Article:
    def __init__(self, case, header, body):
        self.case = case
        self.h = header
        self.blocks = []
        for para in [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]:
            lines = para.split("\n")
            if all(l.startswith("* ") for l in lines):
                self.blocks.append(("li", [l[2:].strip() for l in lines]))
            elif para.startswith("## "):
                self.blocks.append(("h", para[3:].strip()))
            elif para.startswith("> "):
                self.blocks.append(("quote", para[2:].strip()))
            elif para.startswith("[table "):
                rows = [r.split("|") for r in para[len("[table "):-1].split(";")]
                self.blocks.append(("table", rows))
            elif para.startswith("[img"):
                m = re.match(r"\[(imgp?) (\S+) \| (.*)\]$", para)
                self.blocks.append(("img", m.group(2), m.group(3).strip(), m.group(1) == "imgp"))
            else:
                self.blocks.append(("p", " ".join(l.strip() for l in lines)))

    def get(self, key, default=""):
        return self.h.get(key, default)

    @property
    def hant(self):
        return self.get("script").startswith("hant")

    @property
    def english(self):
        return self.get("script") == "en"

    def when(self):
        """The published instant (aware datetime); zone-less dates are China time."""
        s = self.get("date")
        for fmt in ("%a, %d %b %Y %H:%M:%S GMT",):
            try:
                return dt.datetime.strptime(s, fmt).replace(tzinfo=dt.timezone.utc)
            except ValueError:
                pass
        m = re.match(r"(\d{4})-(\d\d)-(\d\d)(?:[ T](\d\d):(\d\d)(?::(\d\d))?)?\s*(Z|[+-]\d\d:?\d\d)?$", s)
        y, mo, d, hh, mm, ss, zone = m.groups()
        tz = dt.timezone.utc if self.english else CST
        if zone == "Z":
            tz = dt.timezone.utc
        elif zone:
            sign = 1 if zone[0] == "+" else -1
            z = zone[1:].replace(":", "")
            tz = dt.timezone(sign * dt.timedelta(hours=int(z[:2]), minutes=int(z[2:])))
        return dt.datetime(int(y), int(mo), int(d), int(hh or 0), int(mm or 0), int(ss or 0), tzinfo=tz)

    def local(self):
        return self.when().astimezone(CST) if not self.english else self.when()

    def fetched(self):
        f = dt.datetime.strptime(self.get("fetched"), "%Y-%m-%d %H:%M").replace(tzinfo=CST)
        return int(f.timestamp())

    def authors(self):
        return [a for a in self.get("authors").split() if a] if not self.english else \
            [a.strip() for a in self.get("authors").split(",") if a.strip()]


def load_articles():
    arts = []
    for path in sorted(glob.glob(os.path.join(HERE, "articles_*.txt"))):
        text = open(path, encoding="utf-8").read()
        for chunk in re.split(r"^## case: ", text, flags=re.M)[1:]:
            name, rest = chunk.split("\n", 1)
            head, body = rest.split("\n---\n", 1)
            header = {}
            for line in head.strip().split("\n"):
                k, _, v = line.partition(":")
                header[k.strip()] = v.strip()
            arts.append(Article(name.strip(), header, body))
    return arts


# ---------------------------------------------------------------------------
# Script conversion of boilerplate (generation time only)

_conv_cache = {}


def converter(script):
    if not script.startswith("hant"):
        return lambda s: s
    config = "s2hk.json" if script == "hant-hk" else "s2twp.json"

    def conv(s):
        key = (config, s)
        if key not in _conv_cache:
            out = subprocess.run(["opencc", "-c", config], input=s.encode(), capture_output=True, check=True)
            _conv_cache[key] = out.stdout.decode().rstrip("\n")
        return _conv_cache[key]
    return conv


# ---------------------------------------------------------------------------
# The article's body, rendered per site

def esc(s):
    return html.escape(s, quote=False)


def gold_paragraphs(a):
    out = []
    first = True
    for b in a.blocks:
        if b[0] == "p":
            text = b[1]
            if first and a.get("dateline"):
                text = a.get("dateline") + text
            first = False
            out.append(text)
        elif b[0] in ("h", "quote"):
            out.append(b[1])
        elif b[0] == "li":
            out.extend(b[1])
        elif b[0] == "img" and b[3]:
            out.append(b[2])
        elif b[0] == "table":
            out.extend(" ".join(row) for row in b[1])
    return out


def render_body(a, indent="", p_open="<p>", img_style="figure", dateline_html=None, li_style="ul",
                h_style="h2", ad_every=0, ad_html=""):
    """HTML of the article text. img_style: how a captioned image is marked up."""
    out = []
    first = True
    n = 0
    for b in a.blocks:
        if b[0] == "p":
            text = esc(b[1])
            if first and a.get("dateline"):
                text = (dateline_html or esc(a.get("dateline"))) + text
            first = False
            out.append(f"{p_open}{indent}{text}</p>")
            n += 1
            if ad_every and n % ad_every == 0:
                out.append(ad_html)
        elif b[0] == "h":
            if h_style == "strong":
                out.append(f"{p_open}{indent}<strong>{esc(b[1])}</strong></p>")
            else:
                out.append(f"<{h_style}>{esc(b[1])}</{h_style}>")
        elif b[0] == "quote":
            out.append(f"<blockquote><p>{esc(b[1])}</p></blockquote>")
        elif b[0] == "li":
            items = "".join(f"<li>{esc(x)}</li>" for x in b[1])
            out.append(f"<{li_style}>{items}</{li_style}>")
        elif b[0] == "table":
            rows = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in b[1])
            out.append(f'<table border="1" cellpadding="4"><tbody>{rows}</tbody></table>')
        elif b[0] == "img":
            url, cap, cap_p = b[1], esc(b[2]), b[3]
            if cap_p:
                out.append(f'<div class="img_wrapper"><img src="{url}" alt=""></div>')
                out.append(f'{p_open}{indent}{cap}</p>')
            elif img_style == "sina":
                out.append(f'<div class="img_wrapper"><img src="{url}" alt="{cap}">'
                           f'<span class="img_descr">{cap}</span></div>')
            elif img_style == "center":
                out.append(f'<p style="text-align: center;"><img src="{url}" border="0"></p>'
                           f'<p class="pictext" style="text-align: center;">{cap}</p>')
            else:
                out.append(f'<figure><img src="{url}" alt="{cap}" loading="lazy"><figcaption>{cap}</figcaption></figure>')
    return "\n".join(out) + "\n"


def zh_date(d, sep=" ", pad=True):
    if pad:
        return f"{d.year}年{d.month:02d}月{d.day:02d}日{sep}{d.hour:02d}:{d.minute:02d}"
    return f"{d.year}年{d.month}月{d.day}日{sep}{d.hour:02d}:{d.minute:02d}"


def dash_date(d, seconds=False):
    s = f"{d.year}-{d.month:02d}-{d.day:02d} {d.hour:02d}:{d.minute:02d}"
    return s + (f":{d.second:02d}" if seconds else "")


def head(title, charset, extra=""):
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset else ""
    return (f"<!DOCTYPE html>\n<html>\n<head>\n{meta}\n<title>{esc(title)}</title>\n"
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="keywords" content="新闻,资讯,热点">\n{extra}\n{bp.style_block()}'
            f'<link rel="stylesheet" href="https://static.example.com/css/main.css">\n</head>\n')


# ---------------------------------------------------------------------------
# Site shapes. Each returns the page as a str; the declared charset is the
# case's "declared" (a lie) or its encoding's label.

def t_sina(a, box, conv, cs):
    d = a.local()
    site = "新浪香港" if a.hant else "新浪财经"
    editor = a.get("editor")
    credited = a.get("credited")
    by = " ".join(a.authors())
    top = ""
    if a.get("lead_origtitle"):
        top += f"<p>{conv('　　原标题：')}{esc(a.get('lead_origtitle'))}</p>\n"
    if by:
        top += f"<p>　　{conv('记者')} {esc(by)}</p>\n" if not a.hant else f"<p>　　記者 {esc(by)}</p>\n"
    tail = ""
    if credited:
        tail += f"<p>　　{conv('来源')}：{esc(credited)}</p>\n"
    body = render_body(a, indent="　　", p_open='<p cms-style="font-L">', img_style="sina")
    return (head(f"{a.get('title')}_{conv(site)}_{conv('新浪网')}", cs,
                 f'<meta property="og:type" content="news">\n<meta property="og:title" content="{esc(a.get("title"))}">\n'
                 f'<meta property="article:published_time" content="{d.isoformat()}">\n'
                 f'<meta name="mediaid" content="{conv(site)}">\n')
            + "<body>\n" + bp.script_block() + bp.nav_links(box, conv, "top-nav")
            + f'<div class="main-content w1240">\n<h1 class="main-title">{esc(a.get("title"))}</h1>\n'
            f'<div class="top-bar-wrap"><div class="date-source"><span class="date">{zh_date(d)}</span>'
            f'<a href="https://finance.example.com/" class="source ent-source">{esc(credited or conv(site))}</a></div>'
            + bp.share_bar(conv) + "</div>\n"
            f'<div class="article-content clearfix"><div class="article-content-left">\n'
            f'<div class="article" id="artibody" data-sudaclick="blk_content">\n{top}{body}{tail}'
            "<!-- news_keyword_pub,stock, -->\n<!-- 正文下iframe -->\n"
            f'<style>.appendQr_wrap{{border:1px solid #E6E6E6;padding:8px;}}</style>\n'
            f'<div class="clearfix appendQr_wrap"><div class="appendQr_normal"><img src="https://n.example.com/qr.png"></div>'
            f'<div class="appendQr_normal_txt">{conv("海量资讯、精准解读，尽在新浪财经APP")}</div></div>\n'
            f'<p class="article-editor">{conv("责任编辑")}：{esc(editor)} </p>\n</div>\n'
            f'<div class="keywords">{conv("关键词")}：<a>{conv("港口")}</a><a>{conv("物流")}</a></div>\n'
            f'<div class="blk-related"><h3>{conv("相关新闻")}</h3>' + bp.headline_list(box, conv, 5, True) + "</div>\n"
            + bp.comment_block(box, conv, "sina-comment", 3)
            + "</div>\n<div class=\"article-content-right\">\n" + bp.hot_list(box, conv)
            + f'<div class="side-ad"><a href="https://ad.example.com/">{conv("广告")}</a></div>\n'
            + bp.hot_list(box, conv, "编辑推荐", "recommend") + "</div>\n</div>\n</div>\n"
            + bp.footer(box, conv, "新浪网") + bp.script_block() + "</body>\n</html>\n")


def t_xinhua(a, box, conv, cs):
    d = a.local()
    body = render_body(a, p_open="<p>")
    return (head(f"{a.get('title')}-{conv('新华网')}", cs,
                 f'<meta name="publishdate" content="{d.strftime("%Y-%m-%d")}">\n'
                 f'<meta name="source" content="{conv("新华网")}">\n')
            + "<body>\n" + bp.nav_links(box, conv, "nav-top") +
            f'<div class="header domPC"><div class="header-cont clearfix"><div class="header-time left">'
            f'<span class="year"><em> {d.year}</em></span><span class="day"><em> {d.month:02d}</em>/<em>{d.day:02d}</em></span>'
            f'<span class="time"> {d.hour:02d}:{d.minute:02d}:{d.second:02d}</span></div>'
            f'<div class="source">{conv("来源")}：{conv("新华网")}</div>'
            f'<div class="head-line clearfix"><h1><span class="title">{esc(a.get("title"))}</span></h1></div></div></div>\n'
            f'<div class="main clearfix"><div class="main-left left">\n'
            f'<div class="info">{dash_date(d, True)} {conv("来源")}：{conv("新华网")}</div>\n'
            f'<div id="detail"><span id="detailContent">\n{body}</span>\n'
            f'<div id="articleEdit"><span class="tiyi1 domPC"><a href="javascript:void(0);" class="advise">{conv("【纠错】")}</a></span>'
            f'<span class="editor">{conv("【责任编辑")}:{esc(a.get("editor"))}{conv("】")}</span></div>\n</div>\n'
            f'<div class="nextpage"><h3>{conv("相关阅读")}</h3>' + bp.headline_list(box, conv, 6) + "</div>\n"
            f'<div class="columBox"><div class="col-tit">{conv("推荐阅读")}</div>' + bp.headline_list(box, conv, 5, summary=True)
            + "</div>\n</div>\n<div class=\"main-right right\">" + bp.hot_list(box, conv, "新华热搜")
            + "</div></div>\n" + bp.footer(box, conv, "新华网") + bp.script_block() + "</body></html>\n")


def t_people(a, box, conv, cs):
    d = a.local()
    body = render_body(a, p_open='<p style="text-indent: 2em;">', img_style="center")
    top = ""
    if a.get("lead_origtitle"):
        top = f'<p style="text-indent: 2em;">{conv("原标题")}：{esc(a.get("lead_origtitle"))}</p>\n'
    by = " ".join(a.authors())
    byline = f'<p style="text-indent: 2em;">{conv("本报记者")} {esc(by)}</p>\n' if by else ""
    return (head(f"{a.get('title')}--{conv('社会')}--{conv('人民网')}", cs,
                 f'<meta name="publishdate" content="{d.strftime("%Y-%m-%d")}">\n'
                 f'<meta name="author" content="{esc(by)}">\n'
                 f'<meta name="source" content="{conv("来源")}：{esc(a.get("source"))}">\n')
            + "<body>\n" + bp.nav_links(box, conv, "top_nav")
            + f'<div class="path clearfix"><a href="https://www.example.com/">{conv("人民网")}</a>&gt;&gt;'
            f'<a href="https://society.example.com/">{conv("社会")}</a></div>\n'
            f'<div class="main"><div class="layout rm_txt cf"><div class="col col-1 fl">\n'
            f'<h1>{esc(a.get("title"))}</h1>\n'
            f'<div class="col-1-1 fl">{zh_date(d, "")} | {conv("来源")}：'
            f'<a href="https://paper.example.com/" target="_blank">{esc(a.get("source"))}</a></div>\n'
            f'<div class="rm_txt_con cf">\n{top}{byline}{body}'
            f'<div class="edit cf">({conv("责编")}：{esc(a.get("editor"))})</div>\n</div>\n'
            f'<div class="rm_relevant cf"><div class="title">{conv("相关新闻")}</div>' + bp.headline_list(box, conv, 4)
            + "</div>\n"
            f'<div class="box_con"><p>{conv("分享让更多人看到")}</p>' + bp.share_bar(conv) + "</div>\n"
            "</div>\n<div class=\"col col-2 fr\">" + bp.hot_list(box, conv, "热点推荐")
            + "</div></div></div>\n" + bp.footer(box, conv, "人民网") + bp.script_block() + "</body></html>\n")


def t_netease(a, box, conv, cs):
    d = a.local()
    body = render_body(a, p_open='<p id="' + f"{a.case[:3]}" + '">')
    otitle = f'<p class="otitle">（{conv("原标题")}：{esc(a.get("lead_origtitle"))}）</p>\n' if a.get("lead_origtitle") else ""
    meta = f'<meta property="article:published_time" content="{d.isoformat()}">\n' if "ev" in a.case else ""
    return (head(f"{a.get('title')}_{conv('网易新闻')}", cs, meta + f'<meta property="og:title" content="{esc(a.get("title"))}">')
            + "<body>\n" + bp.nav_links(box, conv, "N-nav-channel") +
            f'<div class="post_main"><div class="post_area">\n<h1 class="post_title">{esc(a.get("title"))}</h1>\n'
            f'<div class="post_info">{dash_date(d, True)}　{conv("来源")}: <a href="https://www.example.com/">{esc(a.get("source"))}</a>'
            f'<a class="post_jubao">{conv("举报")}</a></div>\n'
            f'<div class="post_content"><div class="post_body">\n{otitle}{body}'
            f'<div class="post_statement">{conv("本文来源")}：{esc(a.get("source"))} {conv("作者")}：{esc(" ".join(a.authors()))}'
            f'</div>\n<div class="post_author">{conv("责任编辑")}：{esc(a.get("editor"))}</div>\n</div></div>\n'
            + bp.share_bar(conv, "post_share") + "</div>\n"
            f'<div class="post_recommends"><h3>{conv("相关推荐")}</h3>' + bp.headline_list(box, conv, 6, summary=True) + "</div>\n"
            + bp.comment_block(box, conv, "tie", 5, long=True)
            + "</div>\n<div class=\"post_side\">" + bp.hot_list(box, conv, "热点新闻") + bp.hot_list(box, conv, "热门跟贴")
            + "</div>\n" + bp.footer(box, conv, "网易公司") + "</body></html>\n")


def t_sohu(a, box, conv, cs):
    d = a.local()
    body = render_body(a, h_style="strong")
    credited = a.get("credited")
    lead = f"<p>{conv('来源')}：{esc(credited)}</p>\n" if credited else ""
    by = " ".join(a.authors())
    lead += f"<p>{conv('作者')}：{esc(by)}</p>\n" if by else ""
    return (head(f"{a.get('title')}_{conv('搜狐')}", cs,
                 f'<meta property="og:release_date" content="{dash_date(d)}">\n'
                 f'<meta name="mediaid" content="{esc(a.get("source"))}">\n')
            + "<body>\n" + bp.nav_links(box, conv, "head-nav") +
            f'<div class="left main"><div class="text"><div class="text-title"><h1>{esc(a.get("title"))}</h1>\n'
            f'<div class="article-info"><span class="time" id="news-time" data-val="{int(d.timestamp() * 1000)}">{dash_date(d)}</span>'
            f'<span data-role="original-link">{conv("来源")}: <a href="https://www.example.com/">{esc(a.get("source"))}</a></span></div></div>\n'
            f'<article class="article" id="mp-editor">\n{lead}{body}'
            f'<p data-role="editor-name">{conv("责任编辑")}：<span>{esc(a.get("editor"))}</span></p>\n</article>\n'
            f'<div id="articleTransfer"><a href="https://www.example.com/?strategyid=00001" id="backsohucom" '
            f'title="{conv("点击进入搜狐首页")}"><span class="backword">{conv("返回搜狐，查看更多")}</span></a></div>\n'
            f'<div class="statement">{conv("平台声明：该文观点仅代表作者本人，搜狐号系信息发布平台，搜狐仅提供信息存储空间服务。")}</div>\n'
            f'<div class="read-num">{conv("阅读")} ({box.num(100, 99999)})</div>\n</div>\n'
            f'<div class="more-article"><div class="title">{conv("推荐阅读")}</div>' + bp.headline_list(box, conv, 8, summary=True)
            + "</div>\n" + bp.comment_block(box, conv, "comment", 3) + "</div>\n"
            + "<div class=\"sidebar right\">" + bp.hot_list(box, conv, "24小时热文") + "</div>\n"
            + bp.footer(box, conv, "搜狐") + "</body></html>\n")


def t_thepaper(a, box, conv, cs):
    d = a.local()
    body = render_body(a, p_open="<p>")
    by = " ".join(a.authors())
    data = json.dumps({"props": {"pageProps": {"detailData": {"contentDetail": {
        "name": a.get("title"), "pubTime": dash_date(d), "author": by,
        "summary": "".join(gold_paragraphs(a))[:80], "html": "<p>...</p>"}}}}, "page": "/newsDetail_forward/[id]"},
        ensure_ascii=False)
    return (head(f"{a.get('title')}_{conv('澎湃新闻')}-The Paper", cs,
                 f'<meta name="Description" content="{esc("".join(gold_paragraphs(a))[:100])}">\n')
            + '<body><div id="__next"><div class="index_wrapper__9rz3z">\n'
            + bp.nav_links(box, conv, "index_headerNav__Kx2Pq") +
            f'<div class="index_leftcontent__CqOdm"><div class="index_titleBox__pf1sZ">'
            f'<h1 class="index_title__B8mhI">{esc(a.get("title"))}</h1>\n'
            f'<div class="index_left__LfzyH"><div class="ant-space"><div>{conv("澎湃新闻记者")} {esc(by)}</div>'
            f'<div class="ant-space-item"><span>{dash_date(d)}</span></div>'
            f'<div class="ant-space-item"><span>{conv("来源")}：{conv("澎湃新闻")}</span></div></div></div></div>\n'
            f'<div class="index_cententWrap__Jv8jK">\n{body}'
            f'<p class="index_editor__p2K4x">{conv("责任编辑")}：{esc(a.get("editor"))}　{conv("图片编辑")}：{conv("金洁")}</p>\n'
            f'<p class="index_editor__p2K4x">{conv("校对")}：{conv("张亮亮")}</p>\n</div>\n'
            f'<div class="index_shareBox__tTn2b">' + bp.share_bar(conv) + "</div>\n"
            f'<div class="index_relatedBox__ZyAG1"><h2>{conv("相关推荐")}</h2>' + bp.headline_list(box, conv, 6, True) + "</div>\n"
            + bp.comment_block(box, conv, "index_comment", 4) + "</div>\n"
            + '<div class="index_rightcontent__Xk7a0">' + bp.hot_list(box, conv, "热榜", "index_hot__R0qaz") + "</div>\n"
            + bp.footer(box, conv, "澎湃新闻") + "</div></div>\n"
            f'<script id="__NEXT_DATA__" type="application/json">{data}</script>\n</body></html>\n')


def t_chinanews(a, box, conv, cs):
    d = a.local()
    body = render_body(a, indent="　　", dateline_html=esc(a.get("dateline")))
    body = body.rstrip("\n")
    if body.endswith("</p>"):
        body = body[:-4] + "(完)</p>"
    return (head(f"{a.get('title')}-{conv('中新网')}", cs)
            + "<body>\n" + bp.nav_links(box, conv, "nav") +
            f'<div class="con_left"><div class="content_left_top"><h1 class="content_left_title">{esc(a.get("title"))}</h1>\n'
            f'<div class="content_left_time">{zh_date(d)}　{conv("来源")}：{esc(a.get("source"))}'
            f'<span class="share">{conv("参与互动")}</span></div></div>\n'
            f'<div class="left_zw" style="position:relative">\n{body}\n'
            f'<div id="function_code_page"></div>\n</div>\n'
            f'<div class="adEditor"><div class="left_name"><div class="left_name">{conv("【编辑")}:{esc(a.get("editor"))}{conv("】")}</div></div></div>\n'
            f'<div class="content_left_bottom"><div class="tuijian"><h3>{conv("更多精彩内容")}</h3>'
            + bp.headline_list(box, conv, 8, True) + "</div></div>\n</div>\n"
            + '<div class="con_right">' + bp.hot_list(box, conv, "精彩推荐") + "</div>\n"
            + bp.footer(box, conv, "中国新闻网") + bp.script_block() + "</body></html>\n")


def t_gov(a, box, conv, cs, br=False):
    d = a.local()
    if br:
        paras = gold_paragraphs(a)
        body = "<br>\n".join(f"&nbsp;&nbsp;&nbsp;&nbsp;{esc(p)}<br>" for p in paras)
        body = f'<div id="zoom" class="TRS_Editor">{body}</div>'
    else:
        body = '<div class="TRS_Editor">' + render_body(a, p_open='<p align="justify" style="text-indent:2em">') + "</div>"
    ed = f'<tr><td class="editor" align="right">{conv("责任编辑")}：{esc(a.get("editor"))}</td></tr>' if a.get("editor") else ""
    return (head(f"{a.get('title')}_{esc(a.get('source'))}", cs) +
            '<body leftmargin="0" topmargin="0">\n<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0">'
            f'<tr><td><img src="/images/banner.jpg" width="1000" height="120"></td></tr>'
            f'<tr><td class="nav">' + bp.nav_links(box, conv, "menu", 10) + "</td></tr></table>\n"
            '<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0"><tr>'
            f'<td class="position">{conv("当前位置")}：<a href="/">{conv("首页")}</a> &gt; <a href="/zwgk/">{conv("政务公开")}</a>'
            f' &gt; <a href="/zwgk/tzgg/">{conv("通知公告")}</a></td></tr>\n'
            f'<tr><td align="center" class="title" height="60"><b>{esc(a.get("title"))}</b></td></tr>\n'
            f'<tr><td align="center" class="info">{conv("发布时间")}：{dash_date(d)}&nbsp;&nbsp;{conv("来源")}：{esc(a.get("source"))}'
            f'&nbsp;&nbsp;{conv("浏览次数")}：{box.num(100, 9000)}&nbsp;&nbsp;【{conv("字体")}：<a>{conv("大")}</a> <a>{conv("中")}</a> <a>{conv("小")}</a>】</td></tr>\n'
            f'<tr><td class="content" id="UCAP-CONTENT">{body}</td></tr>\n{ed}'
            f'<tr><td align="right">【<a href="javascript:window.print()">{conv("打印本页")}</a>】'
            f'【<a href="javascript:window.close()">{conv("关闭窗口")}</a>】</td></tr>\n'
            f'<tr><td class="share">{conv("扫一扫在手机打开当前页")}<img src="/qr.png"></td></tr></table>\n'
            '<table width="1000" align="center"><tr><td class="links">'
            f'{conv("相关链接")}：' + "".join(f'<a href="https://www.example.gov/{i}">{conv(w)}</a> ' for i, w in
                                          enumerate(["国务院", "省政府", "市政府", "发展改革委", "财政局"]))
            + "</td></tr>\n"
            f'<tr><td class="bottom">{conv("主办")}：{esc(a.get("source"))} {conv("地址")}：{conv("青川县人民路1号")} '
            f'{conv("网站标识码")}：1234000001 {conv("备案号")}：ICP12345678{conv("号")}</td></tr></table>\n</body></html>\n')


def t_gov_br(a, box, conv, cs):
    return t_gov(a, box, conv, cs, br=True)


def t_wechat(a, box, conv, cs):
    d = a.local()
    credited = a.get("credited")
    by = " ".join(a.authors())
    paras = []
    for b in a.blocks:
        if b[0] == "p":
            paras.append(f'<p style="margin-bottom:16px;"><span style="font-size: 15px;letter-spacing: 1px;">{esc(b[1])}</span></p>')
        elif b[0] == "h":
            paras.append(f'<section style="text-align:center;"><p><strong><span style="color:#0052ff;">{esc(b[1])}</span></strong></p></section>')
        elif b[0] == "li":
            paras.extend(f'<p><span style="font-size:15px;">●&nbsp;{esc(x)}</span></p>' for x in b[1])
    body = "\n".join(paras)
    gold_li_bullets = True  # noqa: F841 (the bullet is a list marker, not text)
    head_lines = (f'<p style="text-align:center;"><span style="color:#888;font-size:12px;">{conv("点击上方蓝字，关注我们")}</span></p>\n'
                  + (f'<p><span style="color:#888;font-size:14px;">{conv("来源")}：{esc(credited)}</span></p>\n' if credited else "")
                  + (f'<p><span style="color:#888;font-size:14px;">{conv("记者")}：{esc(by)}</span></p>\n' if by else ""))
    tail_lines = (f'<p><span style="color:#888;font-size:14px;">{conv("编辑")}：{esc(a.get("editor"))}</span></p>\n'
                  f'<section><img data-src="https://mmbiz.example.com/qrcode.jpg" class="rich_pages"></section>\n'
                  f'<p style="text-align:center;"><span style="font-size:12px;">{conv("长按识别二维码关注我们")}</span></p>\n'
                  f'<p style="text-align:center;"><span style="font-size:12px;">{conv("觉得不错，请点个“在看”")}</span></p>\n')
    return (head(a.get("title"), cs,
                 f'<meta property="og:title" content="{esc(a.get("title"))}">\n'
                 f'<meta property="og:site_name" content="{conv("微信公众平台")}">\n')
            + '<body id="activity-detail" class="zh_CN">\n<div class="rich_media_wrp"><div class="rich_media_inner">\n'
            f'<h1 class="rich_media_title" id="activity-name">{esc(a.get("title"))}</h1>\n'
            f'<div id="meta_content" class="rich_media_meta_list"><span class="rich_media_meta rich_media_meta_text">{esc(by) if by else ""}</span>'
            f'<span class="rich_media_meta rich_media_meta_nickname" id="profileBt"><a id="js_name">{esc(a.get("source"))}</a></span>'
            f'<em id="publish_time" class="rich_media_meta rich_media_meta_text">{d.strftime("%Y-%m-%d %H:%M")}</em></div>\n'
            f'<div class="rich_media_content" id="js_content" style="visibility: hidden;">\n<section style="padding:0 8px;">\n'
            f'{head_lines}{body}\n{tail_lines}</section></div>\n'
            f'<div class="reward_area">{conv("喜欢作者")}</div>\n'
            f'<div id="js_pc_qr_code" class="qr_code_pc"><p>{conv("微信扫一扫")}<br>{conv("关注该公众号")}</p></div>\n'
            f'</div></div>\n<script>var ct = "{int(d.timestamp())}"; var nickname = "{esc(a.get("source"))}";</script>\n</body></html>\n')


def t_hk_oncc(a, box, conv, cs):
    d = a.local()
    wk = "一二三四五六日"[d.weekday()]
    body = "\n".join(f"<p>{esc(p)}</p>" for p in gold_paragraphs(a))
    return (head(f"{a.get('title')}｜{a.get('source')}", cs)
            + "<body>\n" + bp.nav_links(box, conv, "topMenu") +
            f'<div class="breadcrumb"><a>{conv("首页")}</a> &gt; <a>{conv("港闻")}</a></div>\n'
            f'<div id="articleContent"><div class="articleHeader"><h1>{esc(a.get("title"))}</h1>\n'
            f'<span class="datetime">{d.year}年{d.month}月{d.day}日 星期{wk} {d.hour:02d}:{d.minute:02d}</span></div>\n'
            f'<div class="photo"><img src="https://hk.example.com/photo/{a.case}.jpg"><div class="caption">{conv("资料图片")}</div></div>\n'
            f'<div class="breakingNewsContent">\n{body}\n</div>\n'
            f'<div class="fontSize">{conv("字体大小")}：<a>A</a><a>A</a><a>A</a></div>\n</div>\n'
            f'<div class="relatedNews"><h2>{conv("相关新闻")}</h2>' + bp.headline_list(box, conv, 6) + "</div>\n"
            + '<div class="sideBar">' + bp.hot_list(box, conv, "即时热门") + "</div>\n"
            + f'<div class="footer"><p>{conv("版权所有")} © 2023 {esc(a.get("source"))} {conv("不得转载")}</p></div>\n</body></html>\n')


def t_rthk(a, box, conv, cs):
    d = a.local()
    body = "<br />\n<br />\n".join(esc(p) for p in gold_paragraphs(a))
    return (head(f"{a.get('title')} - {conv('香港电台')}", cs,
                 f'<meta property="og:title" content="{esc(a.get("title"))}">\n'
                 f'<meta property="og:site_name" content="RTHK">\n')
            + "<body>\n" + bp.nav_links(box, conv, "menuBar") +
            '<div class="itemWrapper"><div class="itemHeader">'
            f'<h2 class="itemTitle">{esc(a.get("title"))}</h2></div>\n'
            f'<div class="itemBody"><div class="itemFullText">{body}</div>\n'
            f'<div class="createddate">{d.strftime("%Y-%m-%d")} HKT {d.hour:02d}:{d.minute:02d}</div>\n</div>\n'
            f'<div class="itemSocialSharing">' + bp.share_bar(conv) + "</div>\n"
            f'<div class="itemRelated"><h3>{conv("相关新闻")}</h3>' + bp.headline_list(box, conv, 5) + "</div>\n</div>\n"
            + '<div class="sideMenu">' + bp.hot_list(box, conv, "最新新闻") + "</div>\n"
            + f'<div class="footer">{conv("香港电台")} © 2023</div>\n</body></html>\n')


def t_ltn(a, box, conv, cs):
    d = a.local()
    ad = (f'<div class="appE1121"><p class="before_ir">{conv("请继续往下阅读...")}</p></div>'
          f'<div id="ad-IR1" class="ad_innity"></div>')
    body = render_body(a, dateline_html=esc(a.get("dateline")), ad_every=2, ad_html=ad)
    return (head(f"{a.get('title')} - {conv('自由时报电子报')}", cs,
                 f'<meta property="og:title" content="{esc(a.get("title"))} - {conv("自由时报电子报")}">\n'
                 f'<meta property="article:published_time" content="{d.strftime("%Y-%m-%dT%H:%M:%S")}+08:00">\n'
                 f'<meta name="author" content="{conv("自由时报")}">\n')
            + "<body>\n" + bp.nav_links(box, conv, "useMobile") +
            f'<div class="whitecon article" data-page="1"><h1>{esc(a.get("title"))}</h1>\n'
            f'<div class="text boxTitle boxText" data-desc="{conv("内容页")}">\n'
            f'<span class="time">{d.strftime("%Y/%m/%d %H:%M")}</span>\n'
            f'<div class="photo boxTitle"><a><img src="https://img.example.tw/{a.case}.jpg"></a>'
            f'<p class="caption">{conv("示意图")}。（{conv("资料照")}）</p></div>\n'
            f'{body}'
            f'<p class="appE1121">{conv("不用抽 不用抢 现在用APP看新闻 保证天天中奖")}　<a>{conv("点我下载APP")}</a>　<a>{conv("按我看活动办法")}</a></p>\n'
            '</div>\n'
            f'<div class="related"><h3>{conv("相关新闻")}</h3>' + bp.headline_list(box, conv, 5) + "</div>\n</div>\n"
            + '<div class="right-col">' + bp.hot_list(box, conv, "即时新闻") + "</div>\n"
            + f'<div class="footer"><p>{conv("自由时报版权所有不得转载")} © 2023 The Liberty Times</p></div>\n</body></html>\n')


def t_cna(a, box, conv, cs):
    d = a.local()
    body = render_body(a, dateline_html=esc(a.get("dateline")))
    roc = d.year - 1911
    stamp = f"{roc}{d.month:02d}{d.day:02d}"
    body = body.rstrip("\n")
    if body.endswith("</p>"):
        body = body[:-4] + f"（{conv('编辑')}：{esc(a.get('editor'))}）{stamp}</p>"
    return (head(f"{a.get('title')} | {conv('生活')} | {conv('中央社')} CNA", cs,
                 f'<meta property="og:title" content="{esc(a.get("title"))} | {conv("生活")} | {conv("中央社")} CNA">\n'
                 f'<meta itemprop="datePublished" content="{d.strftime("%Y/%m/%d %H:%M")}">\n')
            + "<body>\n" + bp.nav_links(box, conv, "main-menu") +
            f'<div class="centralContent"><h1><span>{esc(a.get("title"))}</span></h1>\n'
            f'<div class="updatetime"><span>{d.strftime("%Y/%m/%d %H:%M")}</span>（{conv("更新")}）</div>\n'
            f'<div class="paragraph">\n{body}\n</div>\n'
            f'<div class="moreArticle"><h2>{conv("延伸阅读")}</h2>' + bp.headline_list(box, conv, 4) + "</div>\n"
            f'<div class="shareBar">' + bp.share_bar(conv) + "</div></div>\n"
            + '<div class="sideBox">' + bp.hot_list(box, conv, "熱門新聞") + "</div>\n"
            + f'<div class="footer">{conv("中央通讯社")} Copyright © 2023 {conv("本网站之文字、图片及影音，非经授权，不得转载、公开播送或公开传输及利用。")}</div>\n</body></html>\n')


def t_bbc(a, box, conv, cs):
    d = a.when().astimezone(dt.timezone.utc)
    body = render_body(a, p_open='<p dir="ltr" class="bbc-hhl7in e17g058b0">')
    ld = json.dumps({"@context": "http://schema.org", "@type": "ReportageNewsArticle", "headline": a.get("title"),
                     "datePublished": d.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                     "author": {"@type": "NewsMediaOrganization", "name": "BBC News 中文"},
                     "publisher": {"@type": "NewsMediaOrganization", "name": "BBC News 中文"}}, ensure_ascii=False)
    by = " ".join(a.authors())
    return (head(f"{a.get('title')} - BBC News 中文", cs,
                 f'<meta property="og:title" content="{esc(a.get("title"))} - BBC News 中文">\n'
                 f'<script type="application/ld+json">{ld}</script>\n')
            + '<body><div id="root"><header role="banner">' + bp.nav_links(box, conv, "bbc-1cvxiy9") + "</header>\n"
            f'<main role="main"><div class="bbc-1151pbn"><h1 id="content" class="bbc-14gqcmb">{esc(a.get("title"))}</h1>\n'
            f'<div class="bbc-1j0p1s"><span>{esc(by)}</span><span>BBC</span></div>\n'
            f'<time datetime="{d.strftime("%Y-%m-%d")}">{d.year}年{d.month}月{d.day}日</time>\n'
            f'{body}'
            f'<section aria-labelledby="related-topics"><h2 id="related-topics">{conv("相关话题")}</h2>'
            f'<ul><li><a>{conv("气候变化")}</a></li><li><a>{conv("科学")}</a></li><li><a>{conv("环境")}</a></li></ul></section>\n'
            f'<section aria-labelledby="related-content"><h2 id="related-content">{conv("相关内容")}</h2>'
            + bp.headline_list(box, conv, 4, True) + "</section>\n</div></main>\n"
            f'<div aria-labelledby="Most-Read"><h2 id="Most-Read">{conv("热读")}</h2>' + bp.headline_list(box, conv, 8) + "</div>\n"
            + f'<footer role="contentinfo"><p>© 2023 BBC. BBC{conv("对外部网站内容不负责任。")}</p></footer>\n</div></body></html>\n')


def t_comments(a, box, conv, cs):
    d = a.local()
    body = render_body(a, indent="　　")
    return (head(f"{a.get('title')}-{esc(a.get('source'))}", cs)
            + "<body>\n" + bp.nav_links(box, conv) +
            f'<div class="wrap"><div class="article-box"><h1>{esc(a.get("title"))}</h1>\n'
            f'<div class="art-info">{dash_date(d)} {conv("来源")}：{esc(a.get("source"))} {conv("作者")}：{esc(" ".join(a.authors()))}</div>\n'
            f'<div class="art-con">\n{body}</div>\n'
            f'<div class="art-editor">{conv("责任编辑")}：{esc(a.get("editor"))}</div></div>\n'
            + bp.comment_block(box, conv, "reply", 8, long=True)
            + '<div class="guess"><h3>' + conv("猜你喜欢") + "</h3>" + bp.headline_list(box, conv, 10, summary=True)
            + "</div></div>\n" + bp.footer(box, conv, esc(a.get("source"))) + "</body></html>\n")


def t_multipage(a, box, conv, cs):
    d = a.local()
    body = render_body(a, indent="　　")
    return (head(f"{a.get('title')}(1)_{esc(a.get('source'))}", cs)
            + "<body>\n" + bp.nav_links(box, conv) +
            f'<div id="main"><div class="title"><h1>{esc(a.get("title"))}</h1></div>\n'
            f'<div class="time">{zh_date(d, "")}　{conv("来源")}：{esc(a.get("source"))}　{conv("作者")}：{esc(" ".join(a.authors()))}</div>\n'
            f'<div id="content">\n{body}</div>\n'
            f'<div id="pages" class="page"><a class="prev">{conv("上一页")}</a><span class="cur">1</span>'
            f'<a href="?page=2">2</a><a href="?page=3">3</a><a class="next" href="?page=2">{conv("下一页")}</a></div>\n'
            f'<div class="editor">{conv("编辑")}：{esc(a.get("editor"))}</div>\n</div>\n'
            f'<div class="side"><div class="tit">{conv("图片新闻")}</div>' + bp.headline_list(box, conv, 4) + "</div>\n"
            + bp.footer(box, conv, esc(a.get("source"))) + "</body></html>\n")


# Pinyin for the characters the text template annotates (those whose
# traditional form differs from the simplified one), written by hand.
PINYIN = {"區": "qū", "園": "yuán", "設": "shè", "遊": "yóu", "樂": "lè", "兒": "ér", "與": "yǔ", "長": "zhǎng",
          "報": "bào", "訊": "xùn", "記": "jì", "個": "gè", "規": "guī", "劃": "huà", "輪": "lún", "椅": "yǐ",
          "適": "shì", "齡": "líng", "讓": "ràng", "們": "men", "時": "shí", "見": "jiàn", "諮": "zī", "詢": "xún",
          "復": "fù", "團": "tuán", "體": "tǐ", "動": "dòng", "齊": "qí", "數": "shù", "觸": "chù", "戲": "xì",
          "為": "wéi", "傳": "chuán", "統": "tǒng", "專": "zhuān", "業": "yè", "實": "shí", "現": "xiàn",
          "級": "jí", "韆": "qiān", "鞦": "qiū", "筋": "jīn", "歡": "huān", "帶": "dài", "孫": "sūn", "場": "chǎng",
          "機": "jī", "會": "huì", "間": "jiān", "門": "mén", "單": "dān", "進": "jìn", "開": "kāi", "關": "guān",
          "說": "shuō", "對": "duì", "經": "jīng", "這": "zhè", "將": "jiāng", "還": "hái", "從": "cóng", "來": "lái",
          "幼": "yòu", "雜": "zá", "選": "xuǎn", "擇": "zé", "內": "nèi", "續": "xù", "響": "xiǎng", "親": "qīn",
          "過": "guò", "處": "chù", "裡": "lǐ", "當": "dāng", "應": "yīng", "聽": "tīng", "見": "jiàn", "難": "nán",
          "樣": "yàng", "標": "biāo", "題": "tí", "嘉": "jiā", "欣": "xīn", "鬆": "sōng", "於": "yú", "後": "hòu",
          "員": "yuán", "؟": ""}


def annotate_pinyin(text, fullwidth=False):
    out = []
    for ch in text:
        out.append(ch)
        py = PINYIN.get(ch)
        if py:
            out.append(f"（{py}）" if fullwidth else f"({py})")
    return "".join(out)


def t_text(a, box, conv, cs):
    d = a.local()
    lines = [annotate_pinyin(a.get("title")), f"{d.year}-{d.month:02d}-{d.day:02d} {d.hour:02d}:{d.minute:02d}　{a.get('source')}"]
    for i, p in enumerate(gold_paragraphs(a)):
        lines.append(annotate_pinyin(p, fullwidth=(i == 1)))
    lines.append(annotate_pinyin("版權聲明：本網所有文章，未經授權不得轉載、摘編或利用其他方式使用。違者本網將依法追究責任。"))
    for h in box.pick(bp.HEADLINES, 8):
        lines.append("- " + annotate_pinyin(conv(h)))
    return "\n".join(lines) + "\n"


def t_markdown(a, box, conv, cs):
    cats = ["新闻", a.get("source"), a.get("source") + "－国内"] if not a.hant else ["新聞", a.get("source")]
    fm = ["---", f"title: '{a.get('title')}'", "categories: "] + [f" - {c}" for c in cats] + [
        f"headimg: 'https://img.example.com/{a.case}/head.jpg'", f"author: {a.get('source')}",
        "comments: false", f"date: {a.get('date')}", f"thumbnail: 'https://img.example.com/{a.case}/thumb.jpg'", "---", ""]
    by = " ".join(a.authors())
    body = render_body(a, indent="　　", img_style="sina")
    body = f"<div>   \n<p>　　{conv('撰文')} | {esc(by)}</p>\n" + body
    body += ("<!-- news_keyword_pub,stock, -->\n\n<!-- 正文下iframe -->\n\n<!-- 总声明-->\n\n<!-- 文末二维码 start -->\n"
             "            <style>\n            .appendQr_wrap&#123;border:1px solid #E6E6E6;padding:8px;&#125;\n"
             "            .appendQr_normal&#123;float:left;&#125;\n            </style>\n"
             '            <div class="clearfix appendQr_wrap">\n'
             '                <div class="appendQr_normal"><img src="https://n.example.com/qr.png" referrerpolicy="no-referrer"></div>\n'
             f'                <div class="appendQr_normal_txt">{conv("海量资讯、精准解读，尽在新浪财经APP")}</div>\n'
             "            </div>\n<!-- 编辑姓名及工作代码 -->\n\n"
             f'<p class="article-editor">{conv("责任编辑")}：{esc(a.get("editor"))} </p>\n\n</div>\n')
    return "\n" + "\n".join(fm) + "\n" + body


def t_fragment(a, box, conv, cs):
    body = render_body(a)
    return (f'<div class="feed-content">{body}<p><a href="https://www.example.com/news/{a.case}.html">{conv("阅读全文")}</a></p>'
            f'<p><img src="https://stats.example.com/pixel.gif?id={a.case}" width="1" height="1"></p></div>\n')


def t_caixin(a, box, conv, cs):
    d = a.local()
    body = render_body(a)
    by = "、".join(a.authors())
    return (head(f"{a.get('title')}_{conv('财新网')}_{conv('财新网')}", cs,
                 f'<meta property="og:title" content="{esc(a.get("title"))}">\n<meta name="author" content="{conv("财新记者")} {esc(by)}">\n'
                 f'<meta name="description" content="{esc(gold_paragraphs(a)[0][:60])}">\n')
            + "<body>\n" + bp.nav_links(box, conv, "menu") +
            f'<div id="the_content" class="comMain"><div id="conTit"><h1>{esc(a.get("title"))}</h1>\n'
            f'<div class="artInfo">{conv("文")}｜{conv("财新")} {esc(by)}<br>{zh_date(d)} {conv("来源于")} {conv("财新网")}</div></div>\n'
            f'<div id="subhead" class="subhead">【{conv("财新网")}】{esc(gold_paragraphs(a)[0][:40])}……</div>\n'
            f'<div id="Main_Content_Val" class="text">\n{body}'
            f'<p class="bianji">{conv("责任编辑")}：{esc(a.get("editor"))} | {conv("版面编辑")}：{conv("邱祎")}</p>\n</div>\n'
            f'<div class="copyright">{conv("版权声明：财新网所刊载内容之知识产权为财新传媒及/或相关权利人专属所有或持有。未经许可，禁止进行转载、摘编、复制及建立镜像等任何使用。")}</div>\n'
            f'<div class="pay-tip">{conv("财新通会员可畅读全文")}，<a>{conv("立即订阅")}</a></div>\n'
            f'<div class="relatedNews"><h4>{conv("相关报道")}</h4>' + bp.headline_list(box, conv, 5, True) + "</div>\n</div>\n"
            + bp.footer(box, conv, "财新网") + "</body></html>\n")


def t_jsonld(a, box, conv, cs):
    d = a.local()
    body = render_body(a)
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": a.get("title"),
                     "datePublished": d.isoformat(), "dateModified": (d + dt.timedelta(hours=2)).isoformat(),
                     "author": [{"@type": "Person", "name": a.authors()[0]}],
                     "publisher": {"@type": "Organization", "name": a.get("source")}}, ensure_ascii=False)
    return (head(f"{a.get('title')} - {a.get('source')}", cs,
                 f'<meta property="og:title" content="{esc(a.get("title"))} - {esc(a.get("source"))}">\n'
                 f'<meta property="og:site_name" content="{esc(a.get("source"))}">\n'
                 f'<script type="application/ld+json">{ld}</script>\n')
            + "<body>\n<header>" + bp.nav_links(box, conv) + "</header>\n"
            f'<div class="container"><article class="news-article"><header><h1>{esc(a.get("title"))}</h1>'
            f'<div class="byline">{conv("记者")} {esc(" ".join(a.authors()))} <time datetime="{d.isoformat()}">{zh_date(d)}</time></div></header>\n'
            f'<div class="article-body" itemprop="articleBody">\n{body}</div>\n'
            f'<footer class="article-footer"><p>{conv("责任编辑")}：{esc(a.get("editor"))}</p>'
            + bp.share_bar(conv) + "</footer></article>\n"
            f'<aside class="sidebar">' + bp.hot_list(box, conv) + bp.hot_list(box, conv, "视频推荐", "video") + "</aside></div>\n"
            + bp.footer(box, conv, esc(a.get("source"))) + "</body></html>\n")


def t_ifeng(a, box, conv, cs):
    d = a.local()
    body = render_body(a)
    credited = a.get("credited")
    data = json.dumps({"docData": {"title": a.get("title"), "newsTime": dash_date(d, True), "source": credited,
                                   "editorName": a.get("editor"), "contentData": {"contentList": [{"data": "..."}]}},
                       "nav": bp.NAV[:6]}, ensure_ascii=False)
    return (head(f"{a.get('title')}_{conv('凤凰网资讯')}_{conv('凤凰网')}", cs,
                 f'<meta property="og:title" content="{esc(a.get("title"))}">\n'
                 f'<meta name="og:time " property="og:time " content="{dash_date(d, True)}">\n')
            + '<body><div id="root"><div class="index_topNav_X1f2q">' + bp.nav_links(box, conv, "index_nav_3kdPo") + "</div>\n"
            f'<div class="index_artical_b1qU8"><div class="index_leftContent_3lF0o">\n'
            f'<div class="index_titleBox_BkQ6x"><h1 class="index_topic_4I6c0">{esc(a.get("title"))}</h1>\n'
            f'<div class="index_info_2BUwx"><span class="index_time_3Rcrn">{zh_date(d)}:{d.second:02d}</span>'
            f'<span class="index_source_3bXlC">{conv("来自")}<a>{esc(credited)}</a></span></div></div>\n'
            f'<div class="index_main_content_j-HoG"><div class="index_text_D0U1y">\n{body}</div></div>\n'
            f'<div class="index_articleSource_2jfDB">{conv("原标题")}：{esc(a.get("title"))} {conv("来源")}：{esc(credited)}</div>\n'
            f'<div class="index_artEditor_1sJkN">[{conv("责任编辑")}：{esc(a.get("editor"))} PN098]</div>\n'
            f'<div class="index_bottom_3GWX9">{conv("不代表凤凰网观点")}</div>\n'
            f'<div class="index_recommend_1DZLf"><h4>{conv("为你推荐")}</h4>' + bp.headline_list(box, conv, 6, summary=True) + "</div>\n"
            + bp.comment_block(box, conv, "index_comment", 3) + "</div>\n"
            + '<div class="index_rightContent_2fy5z">' + bp.hot_list(box, conv, "大家都在看", "index_hot_1mA0c") + "</div></div>\n"
            + bp.footer(box, conv, "凤凰网") + f"</div>\n<script>var allData = {data};</script>\n</body></html>\n")


def t_cctv(a, box, conv, cs):
    d = a.local()
    body = render_body(a, indent="　　", dateline_html=esc(a.get("dateline")))
    return (head(f"{a.get('title')}_{conv('新闻频道')}_{conv('央视网')}(cctv.com)", cs,
                 f'<meta name="publishdate" content="{d.strftime("%Y-%m-%d %H:%M:%S")}">\n')
            + "<body>\n" + bp.nav_links(box, conv, "nav_list") +
            f'<div class="column_wrapper"><div class="col_w660"><div class="cnt_bd"><h1>{esc(a.get("title"))}</h1>\n'
            f'<div class="info">{conv("来源")}：{conv("央视网")} | {zh_date(d)}</div>\n'
            f'<div class="function">{conv("分享到")}：<a>{conv("微信")}</a><a>{conv("微博")}</a> {conv("字号")}：<a>{conv("大")}</a><a>{conv("中")}</a><a>{conv("小")}</a></div>\n'
            f'<div class="content_area" id="content_area">\n{body}</div>\n'
            f'<div class="zebian"><span>{conv("编辑")}：{esc(a.get("editor"))}</span><span>{conv("责任编辑")}：{conv("刘亮")}</span></div>\n'
            "</div></div>\n"
            '<div class="col_w300">' + bp.hot_list(box, conv, "热点新闻") + "</div></div>\n"
            + bp.footer(box, conv, "中央广播电视总台") + "</body></html>\n")


def t_en_wire(a, box, conv, cs):
    d = a.when().astimezone(dt.timezone.utc)
    body = render_body(a, p_open='<p data-testid="paragraph">')
    return (head(f"{a.get('title')} | Harbour Wire", cs,
                 f'<meta property="og:title" content="{esc(a.get("title"))}">\n'
                 f'<meta property="article:published_time" content="{d.strftime("%Y-%m-%dT%H:%M:%SZ")}">\n'
                 f'<meta name="author" content="{esc(a.get("authors"))}">\n')
            + '<body><header class="site-header"><nav><a href="/world">World</a> <a href="/business">Business</a> '
            '<a href="/markets">Markets</a> <a href="/sustainability">Sustainability</a> <a href="/legal">Legal</a></nav></header>\n'
            f'<main><article><header><h1>{esc(a.get("title"))}</h1>'
            f'<div class="byline">By <a rel="author">{esc(a.get("authors"))}</a></div>'
            f'<time datetime="{d.strftime("%Y-%m-%dT%H:%M:%SZ")}">{d.strftime("%B %-d, %Y %-I:%M %p")} UTC</time></header>\n'
            f'<div class="article-body">\n{body}</div>\n'
            '<p class="trust">Reporting by Maria Keane; Editing by Sam Holt</p>\n'
            '<p class="trust">Our Standards: The Harbour Wire Trust Principles.</p>\n'
            '<div class="read-next"><h2>Read Next</h2><ul><li><a>Freight rates climb as ports clear backlog</a></li>'
            '<li><a>Union leaders meet ministers over wage talks</a></li><li><a>Exporters count cost of strike</a></li></ul></div>\n'
            '</article></main>\n<footer><p>All quotes delayed a minimum of 15 minutes. © 2023 Harbour Wire. All rights reserved.</p>'
            "</footer></body></html>\n")


def t_en_blog(a, box, conv, cs):
    d = a.when()
    body = render_body(a)
    return (head(f"{a.get('title')} – {a.get('source')}", cs,
                 f'<meta property="og:site_name" content="{esc(a.get("source"))}">\n')
            + '<body class="post-template-default single"><div id="page" class="site">\n'
            '<header id="masthead" class="site-header"><p class="site-title"><a href="/">Slow Kitchen</a></p>'
            '<nav class="main-navigation"><ul><li><a>Recipes</a></li><li><a>Bread</a></li><li><a>About</a></li>'
            '<li><a>Newsletter</a></li></ul></nav></header>\n'
            f'<div id="content" class="site-content"><main id="main"><article class="post type-post">\n'
            f'<header class="entry-header"><h1 class="entry-title">{esc(a.get("title"))}</h1>'
            f'<div class="entry-meta">Posted on <time class="entry-date published" datetime="{d.strftime("%Y-%m-%d")}">'
            f'{d.strftime("%B %-d, %Y")}</time> by <span class="author vcard">{esc(a.get("authors"))}</span></div></header>\n'
            f'<div class="entry-content">\n{body}</div>\n'
            '<footer class="entry-footer"><span class="cat-links">Posted in Bread</span> <span class="tags-links">Tagged sourdough, baking</span></footer>\n'
            '</article>\n<div id="comments" class="comments-area"><h2 class="comments-title">3 thoughts on this post</h2>'
            '<ol class="comment-list"><li class="comment"><div class="comment-content"><p>This is so true. My starter sulks every winter '
            'and I have learned to keep it on top of the fridge where it is warmer.</p></div></li>'
            '<li class="comment"><div class="comment-content"><p>Which mill do you buy from? I have been looking for a good '
            'stone-ground flour for months and would love a recommendation.</p></div></li></ol>'
            '<div id="respond"><h3>Leave a Reply</h3><form><textarea></textarea></form></div></div>\n'
            '</main><aside id="secondary" class="widget-area"><section class="widget"><h2>Recent Posts</h2><ul>'
            '<li><a>The best rye bread I have ever made</a></li><li><a>Why I stopped buying bread flour</a></li></ul></section></aside></div>\n'
            '<footer class="site-footer"><p>Proudly powered by a blog engine. © 2023 Slow Kitchen</p></footer></div></body></html>\n')


def t_en_news(a, box, conv, cs):
    d = a.when()
    body = render_body(a)
    return (head(f"{a.get('title')} - {a.get('source')}", cs,
                 f'<meta property="og:title" content="{esc(a.get("title"))}">\n'
                 f'<meta property="og:site_name" content="{esc(a.get("source"))}">\n')
            + '<body><div class="ad-banner">Advertisement</div><header><nav><a>News</a> <a>Local</a> <a>Sports</a> '
            '<a>Opinion</a> <a>Obituaries</a> <a>Subscribe</a></nav></header>\n'
            f'<div class="story"><h1 class="headline">{esc(a.get("title"))}</h1>\n'
            f'<div class="byline">By {esc(a.get("authors"))}, Staff Writer</div>\n'
            f'<div class="dateline">Published <time datetime="{d.isoformat()}">Feb. 28, 2023 at 7:30 p.m. EST</time></div>\n'
            f'<div class="story-body">\n{body}'
            '<div class="inline-ad">Advertisement - story continues below</div>\n</div>\n'
            '<div class="newsletter-signup"><h3>Sign up for our newsletter</h3><p>Get the latest local news delivered to your inbox every morning.</p></div>\n'
            '<div class="most-popular"><h3>Most Popular</h3><ol><li><a>Bridge closure to last through summer</a></li>'
            '<li><a>High school team wins state title</a></li><li><a>New bakery opens downtown</a></li></ol></div>\n'
            '</div><footer><p>© 2023 The Riverside Courier. All rights reserved. Terms of Service. Privacy Policy.</p></footer></body></html>\n')


def t_hard_comments(a, box, conv, cs):
    """A two-paragraph story under a comment thread longer than itself; no
    class name says comment."""
    d = a.local()
    body = render_body(a)
    comments = []
    for i, c in enumerate(bp.COMMENTS * 2):
        comments.append(f'<div class="css-8x1k2"><div class="css-u3a9"><span>{conv("用户")}{box.num(1000, 9999)}</span>'
                        f'<span>{box.num(1, 12)}{conv("小时前")}</span></div><p class="css-p0q1">{conv(c)}</p>'
                        f'<div class="css-r7t2"><span>{box.num(1, 500)}</span></div></div>')
    return (head(f"{a.get('title')}_{esc(a.get('source'))}", cs)
            + "<body>\n" + bp.nav_links(box, conv, "css-h1n2") +
            f'<div class="css-m4a1"><div class="css-t9x8"><h1>{esc(a.get("title"))}</h1>'
            f'<div class="css-i2o3"><span>{dash_date(d)}</span> <span>{esc(a.get("source"))}</span> <span>{conv("记者")} {esc(" ".join(a.authors()))}</span></div></div>\n'
            f'<div class="css-b5c6">\n{body}<p class="css-e1d2">{conv("责任编辑")}：{esc(a.get("editor"))}</p></div>\n'
            f'<div class="css-k0z9"><h3>{conv("全部")}（{len(comments)}）</h3>' + "\n".join(comments) + "</div>\n"
            + "</div>\n" + bp.footer(box, conv, esc(a.get("source"))) + "</body></html>\n")


def t_hard_inline_related(a, box, conv, cs):
    """Related links and summaries inside the article between paragraphs."""
    d = a.local()
    heads = box.pick(bp.HEADLINES, 6)
    def box_html():
        items = "".join(f'<li><a href="https://news.example.com/r/{i}.html">{conv(h)}</a>'
                        f'<span>{conv(h)}。{conv("记者从有关部门获悉，相关工作正在推进，详情点击查看。")}</span></li>'
                        for i, h in enumerate(heads[:3]))
        return f'<div style="border:1px solid #ddd;padding:10px"><ul>{items}</ul></div>'
    parts = []
    for i, b in enumerate(a.blocks):
        parts.append(f"<p>{esc(b[1])}</p>")
        if i == 1:
            parts.append(f'<p><a href="https://news.example.com/x/1.html">{conv("相关阅读")}：{conv(heads[4])}</a></p>')
        if i == 2:
            parts.append(box_html())
    body = "\n".join(parts)
    return (head(f"{a.get('title')} - {esc(a.get('source'))}", cs,
                 f'<meta property="og:title" content="{esc(a.get("title"))}">\n')
            + "<body>\n" + bp.nav_links(box, conv) +
            f'<div class="wrap"><h1>{esc(a.get("title"))}</h1><p class="meta">{zh_date(d)} {conv("来源")}：{esc(a.get("source"))}</p>\n'
            f'<div class="content">\n{body}\n'
            f'<p>{conv("更多精彩内容，请下载青川日报客户端")}</p>\n'
            f'<p>{conv("责任编辑")}：{esc(a.get("editor"))}</p></div>\n'
            + bp.hot_list(box, conv) + "</div>\n" + bp.footer(box, conv, esc(a.get("source"))) + "</body></html>\n")


def t_hard_old_cms(a, box, conv, cs):
    """Nested layout tables, font tags, text as br-separated lines in a cell,
    a sidebar cell of notices with summaries, no class names."""
    d = a.local()
    paras = gold_paragraphs(a)
    body = "<br>\n".join(f"&nbsp;&nbsp;&nbsp;&nbsp;<font size=\"3\">{esc(p)}</font><br>" for p in paras)
    side = "".join(f'<tr><td><a href="/tzgg/{i}.htm">{conv(h)}</a><br><font color="#666">{conv(h)}，'
                   f'{conv("请相关单位按照要求认真做好各项工作，确保按时完成任务。")}</font></td></tr>'
                   for i, h in enumerate(box.pick(bp.HEADLINES, 8)))
    return (head(f"{a.get('title')}", cs)
            + '<body bgcolor="#ffffff"><table width="980" align="center"><tr><td colspan="2">'
            + bp.nav_links(box, conv, "x", 12) + "</td></tr>\n"
            '<tr><td width="700" valign="top"><table width="100%">'
            f'<tr><td align="center"><font size="5"><b>{esc(a.get("title"))}</b></font></td></tr>'
            f'<tr><td align="center"><font color="#999">{conv("时间")}：{dash_date(d)}　{conv("来源")}：{esc(a.get("source"))}</font></td></tr>'
            f'<tr><td>{body}</td></tr>'
            f'<tr><td align="right">{conv("编辑")}：{esc(a.get("editor"))}</td></tr>'
            '</table></td>\n'
            f'<td width="280" valign="top"><table width="100%"><tr><td><b>{conv("通知公告")}</b></td></tr>{side}</table></td></tr>\n'
            f'<tr><td colspan="2" align="center">{conv("主办单位")}：{esc(a.get("source"))}　{conv("技术支持")}：{conv("青川网络公司")}</td></tr></table>\n'
            "</body></html>\n")


def t_hard_flash(a, box, conv, cs):
    """One sentence of news in a portal page full of summaries."""
    d = a.local()
    body = render_body(a)
    return (head(f"{a.get('title')}_{esc(a.get('source'))}", cs)
            + "<body>\n" + bp.nav_links(box, conv) +
            f'<div class="main"><div class="left"><h1>{esc(a.get("title"))}</h1>'
            f'<div class="info">{dash_date(d)}　{esc(a.get("source"))}</div>\n<div class="text">{body}</div>\n'
            f'<div class="editor">{conv("编辑")}：{esc(a.get("editor"))}</div>\n'
            f'<div class="list-box"><h2>{conv("最新快讯")}</h2>' + bp.headline_list(box, conv, 10, True, summary=True) + "</div>\n"
            "</div>\n" + bp.hot_list(box, conv) + "</div>\n" + bp.footer(box, conv, esc(a.get("source"))) + "</body></html>\n")


def t_hard_interview(a, box, conv, cs):
    """Questions and answers with bold speaker names."""
    d = a.local()
    parts = []
    for b in a.blocks:
        text = b[1]
        if "：" in text[:8]:
            who, rest = text.split("：", 1)
            parts.append(f"<p><strong>{esc(who)}：</strong>{esc(rest)}</p>")
        else:
            parts.append(f"<p>{esc(text)}</p>")
    body = "\n".join(parts)
    return (head(f"{a.get('title')}-{esc(a.get('source'))}", cs)
            + "<body>\n" + bp.nav_links(box, conv) +
            f'<article><h1>{esc(a.get("title"))}</h1><div class="byline">{conv("记者")} {esc(" ".join(a.authors()))} | {zh_date(d)}</div>\n'
            f'<div class="article-content">{body}</div>\n<div class="editor">（{conv("编辑")}：{esc(a.get("editor"))}）</div></article>\n'
            + bp.hot_list(box, conv) + bp.footer(box, conv, esc(a.get("source"))) + "</body></html>\n")


def t_hard_table(a, box, conv, cs):
    d = a.local()
    body = render_body(a, h_style="h3")
    return (head(f"{a.get('title')}", cs, f'<meta name="og:site_name" content="{esc(a.get("source"))}">')
            + "<body>\n" + bp.nav_links(box, conv) +
            f'<div class="article"><h1>{esc(a.get("title"))}</h1><div class="time">{zh_date(d)}</div>\n'
            f'<div class="text">{body}<p>{conv("编辑")}：{esc(a.get("editor"))}</p></div></div>\n'
            + bp.hot_list(box, conv) + bp.footer(box, conv, esc(a.get("source"))) + "</body></html>\n")


def t_hard_summary(a, box, conv, cs):
    """An editor's summary box above the text that repeats its opening."""
    d = a.local()
    body = render_body(a, indent="　　")
    first = gold_paragraphs(a)[0]
    return (head(f"{a.get('title')}_{esc(a.get('source'))}", cs)
            + "<body>\n" + bp.nav_links(box, conv) +
            f'<div class="detail"><h1>{esc(a.get("title"))}</h1><div class="pubtime">{zh_date(d)}</div>\n'
            f'<div class="digest"><b>{conv("【摘要】")}</b>{esc(first[:60])}……</div>\n'
            f'<div class="detail-text">\n{body}</div>\n<div class="edit">{conv("责任编辑")}：{esc(a.get("editor"))}</div></div>\n'
            + bp.hot_list(box, conv) + bp.footer(box, conv, esc(a.get("source"))) + "</body></html>\n")


def t_hard_next(a, box, conv, cs):
    """The next article's headline and opening paragraph below this one."""
    d = a.local()
    body = render_body(a)
    return (head(f"{a.get('title')}_{esc(a.get('source'))}", cs)
            + "<body>\n" + bp.nav_links(box, conv) +
            f'<div id="article"><h1>{esc(a.get("title"))}</h1><div class="info">{zh_date(d)} {conv("作者")}：{esc(" ".join(a.authors()))}</div>\n'
            f'<div id="text">\n{body}<p>{conv("编辑")}：{esc(a.get("editor"))}</p></div></div>\n'
            f'<div><span>{conv("下一篇")}</span><h2><a href="/next.html">{conv("多地推进养老服务设施建设 社区食堂受欢迎")}</a></h2>'
            f'<p>{conv("记者从民政部门了解到，今年以来各地加快推进社区养老服务设施建设，新建社区食堂一百余家，老年人用餐更加方便，不少社区还提供送餐上门服务。")}</p></div>\n'
            + bp.footer(box, conv, esc(a.get("source"))) + "</body></html>\n")


def t_hard_video(a, box, conv, cs):
    d = a.local()
    body = render_body(a)
    return (head(f"{a.get('title')}-{esc(a.get('source'))}", cs)
            + "<body>\n" + bp.nav_links(box, conv) +
            f'<div class="video-page"><h1>{esc(a.get("title"))}</h1><div class="date">{dash_date(d)}</div>\n'
            f'<div class="player"><video src="https://v.example.com/{a.case}.mp4" controls>{conv("您的浏览器不支持视频播放")}</video>'
            f'<div class="player-tip">{conv("视频加载中，请稍候")}……</div></div>\n'
            f'<div class="video-desc">{body}</div>\n<p class="video-editor">{conv("视频编辑")}：{esc(a.get("editor"))}</p>\n'
            f'<div class="more-video"><h3>{conv("更多视频")}</h3>' + bp.headline_list(box, conv, 8, True) + "</div></div>\n"
            + bp.footer(box, conv, esc(a.get("source"))) + "</body></html>\n")


def t_hard_gallery(a, box, conv, cs):
    d = a.local()
    body = render_body(a, p_open='<p style="text-align:center">')
    return (head(f"{a.get('title')}_{esc(a.get('source'))}", cs)
            + "<body>\n" + bp.nav_links(box, conv) +
            f'<div class="pic-article"><h1>{esc(a.get("title"))}</h1><div class="info">{zh_date(d)} {conv("摄影")} {esc(a.get("authors"))}</div>\n'
            f'<div class="pic-content">\n{body}</div>\n<p>{conv("责任编辑")}：{esc(a.get("editor"))}</p></div>\n'
            f'<div class="pic-more"><h3>{conv("更多图集")}</h3>' + bp.headline_list(box, conv, 6) + "</div>\n"
            + bp.footer(box, conv, esc(a.get("source"))) + "</body></html>\n")


def t_hard_tw_news(a, box, conv, cs):
    """ETtoday-like: related links and photo credits inside the story, a
    reminder line and a news list at its end."""
    d = a.local()
    parts = []
    for i, b in enumerate(a.blocks):
        text = esc(b[1])
        if i == 0:
            text = esc(a.get("dateline")) + text
            parts.append(f'<p><img src="https://img.example.tw/{a.case}.jpg"></p><p>▲{conv("示意图")}。（{conv("图")}／{conv("记者")}{esc(a.authors()[0])}{conv("摄")}）</p>')
        parts.append(f"<p>{text}</p>")
        if i == 1:
            parts.append(f'<p>►{conv("相关新闻")}：<a href="/n/1.htm">{conv(bp.HEADLINES[3])}</a></p>')
    body = "\n".join(parts)
    return (head(f"{a.get('title')} | {esc(a.get('source'))} | {conv('生活')}", cs,
                 f'<meta property="og:title" content="{esc(a.get("title"))} | {esc(a.get("source"))}">\n'
                 f'<meta property="article:published_time" content="{d.isoformat()}">\n'
                 f'<meta property="og:site_name" content="{esc(a.get("source"))}">\n')
            + "<body>\n" + bp.nav_links(box, conv) +
            f'<div class="subject_article"><header><h1 class="title">{esc(a.get("title"))}</h1>'
            f'<time class="date" datetime="{d.isoformat()}">{d.strftime("%Y年%m月%d日 %H:%M")}</time></header>\n'
            f'<div class="story" itemprop="articleBody">\n{body}\n'
            f'<p>{conv("【更多新闻】")}</p><p>►<a>{conv(bp.HEADLINES[5])}</a></p><p>►<a>{conv(bp.HEADLINES[7])}</a></p>\n'
            f'<p>●《{esc(a.get("source"))}》{conv("提醒您：理性购屋，量力而为。")}</p></div></div>\n'
            + bp.hot_list(box, conv) + bp.footer(box, conv, esc(a.get("source"))) + "</body></html>\n")


TEMPLATES = {name[2:]: fn for name, fn in globals().items() if name.startswith("t_")}

ENCODINGS = {"utf-8": ("utf-8", "utf-8"), "gbk": ("gbk", "gb2312"), "big5": ("big5hkscs", "big5")}


# The outlet a page presents as its own: what its site name, publisher or
# own source line says (not the outlet a reprint credits). None: the same
# as the article's "source" header.
SITE = {
    "sina": lambda a: "新浪香港" if a.hant else "新浪财经",
    "xinhua": lambda a: "新华网",
    "thepaper": lambda a: "澎湃新闻",
    "rthk": lambda a: "RTHK",
    "cna": lambda a: "中央社",
    "ifeng": lambda a: "凤凰网",
    "caixin": lambda a: "财新网",
    "cctv": lambda a: "央视网",
    "fragment": lambda a: None,
    "netease": lambda a: "网易新闻",
    "chinanews": lambda a: "中新网",
    "ltn": lambda a: "自由時報電子報",
}
# Shapes that show no byline, so no authors can be known from the page.
NO_BYLINE = {"ifeng", "cctv", "hk_oncc", "rthk", "gov", "gov_br", "fragment", "hard_flash", "hard_table",
             "hard_video", "hard_old_cms", "hard_summary", "hard_inline_related"}


def language(a):
    if a.english:
        return "en"
    return "zh-Hant" if a.hant else "zh-Hans"


def portalize(page, box, conv):
    """The same page inside a large portal's frame: mega menu, channel blocks of
    headlines, tickers, inline scripts and styles, as portal pages of 100-300 KB
    are. For the speed benchmark only; the article itself is unchanged."""
    head_junk = "".join(bp.script_block(f"/* module {i} */ var m{i} = " + json.dumps(bp.HEADLINES, ensure_ascii=False) + ";")
                        for i in range(12))
    menu = "".join(bp.nav_links(box, conv, f"mega-menu-{i}", 20) for i in range(20))
    channels = "".join(f'<div class="channel-block" id="ch{i}"><h2>{conv(bp.NAV[i % len(bp.NAV)])}</h2>'
                       + bp.headline_list(box, conv, 20, True) + "</div>\n" for i in range(14))
    tickers = "".join(bp.hot_list(box, conv, f"排行{i}", f"rank-{i}") for i in range(8))
    page = page.replace("</head>", bp.style_block() * 20 + head_junk + "</head>", 1)
    page = page.replace("<body>", "<body>\n" + menu, 1) if "<body>" in page else menu + page
    return page.replace("</body>", channels + tickers + "</body>", 1) if "</body>" in page else page + channels


def build(a, out_dir, portal_dir=None):
    py_codec, label = ENCODINGS[a.get("encoding", "utf-8")]
    declared = a.get("declared") or label
    box = bp.Box(a.case)
    conv = converter(a.get("script"))
    page = TEMPLATES[a.get("template")](a, box, conv, declared)
    # Characters a legacy encoding lacks (such as the copyright sign in
    # GBK) appear as character references, as sites write them; the
    # article's own text must encode as it is.
    "".join(gold_paragraphs(a)).encode(py_codec)
    data = page.encode(py_codec, errors="xmlcharrefreplace")
    kind = {"text": "txt", "markdown": "md"}.get(a.get("template"), "html")
    if portal_dir:
        if kind == "html":
            big = portalize(page, bp.Box(a.case + "/portal"), conv).encode(py_codec, errors="xmlcharrefreplace")
            with open(os.path.join(portal_dir, f"{a.case}.html"), "wb") as f:
                f.write(big)
        return
    case_dir = os.path.join(out_dir, a.case)
    os.makedirs(case_dir, exist_ok=True)
    with open(os.path.join(case_dir, f"page.{kind}"), "wb") as f:
        f.write(data)
    has_date = a.get("template") != "fragment"
    shape = a.get("template")
    site = SITE[shape](a) if shape in SITE else a.get("source")
    gold = {
        "title": a.get("title") if shape != "fragment" else None,
        "published": a.when().astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if has_date else None,
        "body": gold_paragraphs(a),
        "authors": [] if shape in NO_BYLINE else a.authors(),
        "source": site,
        "credited_source": a.get("credited") or (a.get("source") if site != a.get("source") and shape in
                                                   ("netease", "chinanews") else None),
        "editor": a.get("editor") or None,
        "original_title": a.get("lead_origtitle") or None,
        "language": language(a),
        "encoding": {"utf-8": "UTF-8", "gbk": "GB18030", "big5": "BIG5-HKSCS"}[a.get("encoding", "utf-8")],
        "site_shape": a.get("template"),
        "url": f"https://news.example.com/{a.case.replace('_', '/')}.html",
        "fetched_at": a.fetched(),
    }
    with open(os.path.join(case_dir, "gold.json"), "w", encoding="utf-8") as f:
        json.dump(gold, f, ensure_ascii=False, indent=2)
        f.write("\n")


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--portal":
        # tests/extraction/make_set.py --portal DIR: the HTML pages inside a
        # large portal's frame, for scripts/bench-clean.sh
        portal_dir = os.path.abspath(sys.argv[2])
        os.makedirs(portal_dir, exist_ok=True)
        for a in load_articles():
            build(a, None, portal_dir)
        return
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "data", "extraction")
    out_dir = os.path.abspath(out_dir)
    if os.path.isdir(out_dir):
        shutil.rmtree(out_dir)
    os.makedirs(out_dir)
    arts = load_articles()
    for a in arts:
        build(a, out_dir)
    print(f"{len(arts)} cases in {out_dir}")


if __name__ == "__main__":
    main()
