#!/usr/bin/env python3
"""The fetcher against a real HTTP server on 127.0.0.1: every feed format,
GBK/GB18030/Big5 feeds with characters outside GB2312 and Big5, a 304
round, redirects (301 moving the feed, 302 not, a loop), 429 with
Retry-After, a server that stalls, a gzip bomb, a DTD reaching for a local
file, billion laughs, truncated XML, JSON Feeds with wrong types, GUIDs that
change, an item that is corrected, and OPML import/export with folders.

The fetcher runs as its own process (wirewatch-fetcher); what it did is read
from its spool file and from `wirewatch feeds list --json`.

usage: test_fetcher_http.py BIN_DIR
Prints one line per check and a closing "N passed, N failed".
"""
import gzip
import http.server
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET

BIN = sys.argv[1]
WW = os.path.join(BIN, "wirewatch")

from e2e import check, failed, setup, stop, summary, wait_for  # noqa: E402
FETCHER = os.path.join(BIN, "wirewatch-fetcher")
setup(BIN, wait=30)


SECRET_TEXT = "TOPSECRET-XXE-MARKER"
RSS_ITEM = "<item><title>{t}</title><link>{l}</link><guid>{g}</guid><description>{d}</description></item>"


def rss(title, items, decl="UTF-8", extra_ns=""):
    body = "".join(RSS_ITEM.format(t=t, l=l, g=g, d=d) for t, l, g, d in items)
    return (f'<?xml version="1.0" encoding="{decl}"?>\n<rss version="2.0"{extra_ns}><channel>'
            f"<title>{title}</title>{body}</channel></rss>")


class Feeds:
    """What the server serves, and what it saw."""
    lock = threading.Lock()
    hits = {}
    conditional_304 = 0
    in_flight = 0
    max_in_flight = 0
    guid_version = 0
    revision_version = 0
    secret_path = ""
    bomb = b""


def page(path, port):
    base = f"http://127.0.0.1:{port}"
    n = Feeds.hits.get(path, 0)
    if path == "/rss2.xml":
        return 200, {"Content-Type": "application/rss+xml; charset=utf-8"}, rss(
            "RSS 2.0 台", [("暴雨预警 &amp; 停课", "/news/rain.html", "rss2-1",
                            "&lt;p&gt;暴雨&nbsp;红色预警&lt;/p&gt;"),
                           ("港口复航", f"{base}/news/port.html", "rss2-2", "港口恢复作业")],
            extra_ns=' xmlns:media="http://search.yahoo.com/mrss/"').replace(
            "</item></channel>",
            '<media:content url="/img/port.jpg" medium="image"><media:description>码头'
            "</media:description></media:content><category>港口</category></item></channel>").encode()
    if path == "/rss091.xml":
        return 200, {"Content-Type": "text/xml"}, (
            '<?xml version="1.0"?><rss version="0.91"><channel><title>Old</title>'
            "<item><title>Ninety-one item</title><link>http://old.example.org/91</link>"
            "<description>text &amp; more</description></item></channel></rss>").encode()
    if path == "/rdf.xml":
        return 200, {"Content-Type": "application/rdf+xml"}, (
            '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            '<channel rdf:about="http://rdf.example.org/"><title>RDF channel</title></channel>'
            '<item rdf:about="http://rdf.example.org/a"><title>RDF item one</title>'
            "<link>http://rdf.example.org/a</link><dc:creator>Ann Lee</dc:creator>"
            "<dc:date>2024-03-01T08:00:00+08:00</dc:date></item></rdf:RDF>").encode()
    if path == "/atom.xml":
        return 200, {"Content-Type": "application/atom+xml"}, (
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
            'xml:base="http://atom.example.org/blog/"><title type="html">Atom &amp;lt;feed&amp;gt;</title>'
            '<entry><title>Atom text entry</title><id>urn:atom:1</id><link href="posts/one.html"/>'
            '<updated>2024-03-02T10:00:00Z</updated><content type="text">a &lt; b and 台风</content></entry>'
            '<entry xml:base="http://other.example.org/x/"><title type="xhtml">'
            '<div xmlns="http://www.w3.org/1999/xhtml">Atom <b>xhtml</b> entry</div></title>'
            '<id>urn:atom:2</id><link rel="alternate" href="two.html"/><link rel="enclosure" '
            'href="/audio.mp3" type="audio/mpeg" length="1234"/>'
            '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>粗<b>体</b></p></div></content>'
            "<author><name>林海</name></author></entry></feed>").encode()
    if path == "/feed.json":
        return 200, {"Content-Type": "application/feed+json"}, json.dumps({
            "version": "https://jsonfeed.org/version/1.1", "title": "JSON 频道",
            "items": [{"id": "j1", "url": "https://json.example.org/1", "title": "JSON item 一",
                       "content_html": "<p>正文</p>", "date_published": "2024-03-03T09:00:00+08:00",
                       "authors": [{"name": "王五"}], "tags": ["科技"]},
                      {"id": 2, "content_text": "plain <text>", "url": "/2"}]}).encode()
    if path == "/badtypes.json":
        return 200, {"Content-Type": "application/json"}, json.dumps({
            "version": "https://jsonfeed.org/version/1", "title": 42,
            "items": [{"id": "b1", "title": 7, "url": ["not", "a", "string"], "content_html": "<p>kept</p>"},
                      "not an object", {"id": "b3", "title": "Fine item", "tags": "notalist"}]}).encode()
    if path == "/items-object.json":
        return 200, {"Content-Type": "application/json"}, json.dumps({
            "version": "https://jsonfeed.org/version/1.1", "items": {"id": "x"}}).encode()
    if path == "/gbk.xml":  # charset only in the XML declaration
        return 200, {"Content-Type": "text/xml"}, rss(
            "GBK 频道", [("朱镕基谈改革", "http://gbk.example.org/1", "gbk-1", "镕字在 GBK 而不在 GB2312")],
            decl="gbk").encode("gbk")
    if path == "/gb18030.xml":  # charset in the HTTP header, a 4-byte character
        return 200, {"Content-Type": "application/xml; charset=GB18030"}, rss(
            "GB18030", [("生僻字𠀀出现", "http://gb.example.org/1", "gb-1", "四字节")],
            decl="GB18030").encode("gb18030")
    if path == "/big5.xml":  # labelled big5, holds an HKSCS character
        return 200, {"Content-Type": "text/xml; charset=big5"}, rss(
            "Big5 頻道", [("電綫桿倒塌", "http://big5.example.org/1", "b5-1", "香港綫路")],
            decl="big5").encode("big5hkscs")
    if path == "/etag.xml":
        return 200, {"Content-Type": "text/xml", "ETag": '"v1"'}, rss(
            "ETag", [("Conditional item", "http://etag.example.org/1", "e-1", "x")]).encode()
    if path == "/moved.xml":
        return 301, {"Location": f"{base}/new-home.xml"}, b""
    if path == "/new-home.xml":
        return 200, {"Content-Type": "text/xml"}, rss(
            "New home", [("Moved item", "http://moved.example.org/1", "m-1", "x")]).encode()
    if path == "/temporary.xml":
        return 302, {"Location": "/etag.xml"}, b""
    if path == "/loop-a":
        return 302, {"Location": "/loop-b"}, b""
    if path == "/loop-b":
        return 302, {"Location": "/loop-a"}, b""
    if path == "/busy.xml":
        return 429, {"Retry-After": "120"}, b"slow down"
    if path == "/stall.xml":
        time.sleep(6)
        return 200, {"Content-Type": "text/xml"}, rss("late", []).encode()
    if path == "/bomb.xml":
        return 200, {"Content-Type": "text/xml", "Content-Encoding": "gzip"}, Feeds.bomb
    if path == "/xxe.xml":
        return 200, {"Content-Type": "text/xml"}, (
            f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{Feeds.secret_path}">]>'
            '<rss version="2.0"><channel><title>XXE</title><item><title>XXE item &xxe;</title>'
            "<link>http://xxe.example.org/1</link><description>before &xxe; after</description>"
            "</item></channel></rss>").encode()
    if path == "/laughs.xml":
        ents = '<!ENTITY lol "lol">' + "".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
        return 200, {"Content-Type": "text/xml"}, (
            f'<?xml version="1.0"?><!DOCTYPE rss [{ents}]><rss version="2.0"><channel><title>Laughs</title>'
            "<item><title>Laugh &lol9; item</title><link>http://laughs.example.org/1</link></item>"
            "<item><title>Second laugh item</title><link>http://laughs.example.org/2</link></item>"
            "</channel></rss>").encode()
    if path == "/truncated.xml":
        return 200, {"Content-Type": "text/xml"}, (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Cut</title>'
            "<item><title>Whole item</title><link>http://cut.example.org/1?a=1&b=2</link></item>"
            "<item><title>Cut item</title><link>http://cut.example.org/2</link><description>half").encode()
    if path == "/html-page":
        return 200, {"Content-Type": "text/html"}, b"<html><body><p>not a feed</p></body></html>"
    if path == "/gone.xml":
        return 404, {}, b"not here"
    if path == "/guid.xml":  # the CMS renumbers its GUIDs after the first poll
        guid = "cms-1" if n == 0 else f"cms-1-renumbered-{n}"
        return 200, {"Content-Type": "text/xml"}, rss(
            "GUIDs", [("Same story", "http://guid.example.org/story", guid, "unchanged body")]).encode()
    if path == "/revision.xml":  # the story is corrected after the first poll
        body = "初稿：风力十二级" if n == 0 else "更正：风力十三级"
        return 200, {"Content-Type": "text/xml"}, rss(
            "Revisions", [("Corrected story", "http://rev.example.org/1", "rev-1", body)]).encode()
    if path.startswith("/many/"):
        return 200, {"Content-Type": "text/xml"}, rss(path, [(f"item of {path}", f"http://many{path}", path, "x")]).encode()
    return 404, {}, b"unknown"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        path = self.path
        # The stalling handler outlives the fetcher's timeout: not counted.
        counted = path != "/stall.xml"
        with Feeds.lock:
            Feeds.in_flight += counted
            Feeds.max_in_flight = max(Feeds.max_in_flight, Feeds.in_flight)
        try:
            if path == "/etag.xml" and self.headers.get("If-None-Match") == '"v1"':
                with Feeds.lock:
                    Feeds.conditional_304 += 1
                self.send_response(304)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            status, headers, body = page(path, self.server.server_address[1])
            with Feeds.lock:
                Feeds.hits[path] = Feeds.hits.get(path, 0) + 1
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with Feeds.lock:
                Feeds.in_flight -= counted

    def log_message(self, *a):
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # the fetcher hangs up on the stalling and oversized answers on purpose


def spool_messages(db):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        # new rows keep their message beside them, in spool_texts
        rows = con.execute("SELECT s.id, COALESCE(t.message, s.message), s.origin FROM spool s"
                           " LEFT JOIN spool_texts t ON t.rowid = s.rowid").fetchall()
    finally:
        con.close()
    return [(i, json.loads(m), o) for i, m, o in rows if m]


def main():
    data = tempfile.mkdtemp(prefix="ww-fetch-http-")
    secret = os.path.join(data, "secret.txt")
    with open(secret, "w") as f:
        f.write(SECRET_TEXT)
    Feeds.secret_path = secret
    Feeds.bomb = gzip.compress(b"<rss>" + b" " * (40 << 20), 9)
    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    env = dict(os.environ, WIREWATCH_DATA=data, WIREWATCH_FETCHER_ALLOW_PRIVATE_ADDRESSES="true",
               WIREWATCH_FETCHER_POLL_INTERVAL="1s", WIREWATCH_FETCHER_POLL_MIN="1s",
               WIREWATCH_FETCHER_POLL_MAX="2s", WIREWATCH_FETCHER_MAX_BACKOFF="3s",
               WIREWATCH_FETCHER_HTTP_TIMEOUT="1500ms", WIREWATCH_FETCHER_CONNECT_TIMEOUT="1s",
               WIREWATCH_LIMITS_MAX_DOCUMENT="1MB", WIREWATCH_FETCHER_PER_HOST="2")
    env.pop("WIREWATCH_CONFIG", None)

    def ww(*args):
        return subprocess.run([WW, *args], env=env, capture_output=True, text=True, timeout=60)

    names = ["rss2.xml", "rss091.xml", "rdf.xml", "atom.xml", "feed.json", "badtypes.json", "items-object.json",
             "gbk.xml", "gb18030.xml", "big5.xml", "etag.xml", "moved.xml", "temporary.xml", "loop-a", "busy.xml",
             "stall.xml", "bomb.xml", "xxe.xml", "laughs.xml", "truncated.xml", "html-page", "gone.xml",
             "guid.xml", "revision.xml"]
    for n in names:
        r = ww("feeds", "add", f"{base}/{n}")
        if r.returncode != 0:
            print(r.stderr)
    check(ww("feeds", "add", "file:///etc/passwd").returncode != 0, "feeds add refuses a file:// URL")

    # OPML: import with folders, export again
    opml = os.path.join(data, "import.opml")
    with open(opml, "w") as f:
        f.write(f'<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>'
                f'<outline text="新闻"><outline text="港澳"><outline type="rss" text="Many one" '
                f'xmlUrl="{base}/many/1"/></outline><outline type="rss" text="Many two" xmlUrl="{base}/many/2"/>'
                f'</outline><outline type="rss" text="Top" xmlUrl="{base}/many/3"/>'
                f'<outline type="rss" text="FTP" xmlUrl="ftp://example.org/feed"/></body></opml>')
    r = ww("feeds", "import", opml)
    check(r.returncode == 0 and "3 feeds added" in r.stdout and "1 skipped" in r.stdout,
          f"feeds import: 3 added, the ftp:// one skipped ({r.stdout.strip()})")
    bad_opml = os.path.join(data, "bad.opml")
    with open(bad_opml, "w") as f:
        f.write("<html>no</html>")
    r = ww("feeds", "import", bad_opml)
    check(r.returncode != 0 and "bad.opml" in r.stderr and "OPML" in r.stderr,
          "a file that is not OPML is refused with its name and the reason")
    exported = ww("feeds", "export").stdout
    try:
        root = ET.fromstring(exported)
        news = [o for o in root.iter("outline") if o.get("text") == "新闻"]
        nested = news and [o for o in news[0].iter("outline") if o.get("text") == "港澳"]
        check(root.get("version") == "2.0" and news and nested and
              any(o.get("xmlUrl") == f"{base}/many/1" for o in nested[0]),
              "feeds export writes OPML 2.0 with nested folders")
    except ET.ParseError as e:
        check(False, f"feeds export is XML ({e})")

    log = open(os.path.join(data, "fetcher.log"), "w")
    fetcher = subprocess.Popen([FETCHER], env=env, stdout=log, stderr=log)
    try:
        db = os.path.join(data, "fetcher.db")

        def feeds():
            r = ww("feeds", "list", "--json")
            return {f["key"]: f for f in json.loads(r.stdout)} if r.returncode == 0 else {}

        def feed(name):
            return feeds().get(f"{base}/{name}", {})

        def polled_all():
            fs = feeds()
            return len(fs) == len(names) + 3 and all(f.get("last_poll") for f in fs.values())

        check(wait_for(polled_all, 30), "every feed was polled")
        msgs = spool_messages(db)
        titles = {m["hints"].get("title", ""): m for _, m, _ in msgs}

        def has_title(t):
            return t in titles

        # formats
        check(has_title("暴雨预警 & 停课") and has_title("港口复航"), "RSS 2.0 items, escaped title decoded")
        rain = titles.get("暴雨预警 & 停课", {})
        check(rain.get("url") == f"{base}/news/rain.html", "RSS relative link resolved against the feed URL")
        check("暴雨\u00a0红色预警" in rain.get("body", ""), "&nbsp; in an RSS description is not lost")
        port = titles.get("港口复航", {}).get("hints", {})
        check(port.get("images", [{}])[0].get("url") == f"{base}/img/port.jpg" and
              port["images"][0].get("caption") == "码头" and port.get("categories") == ["港口"],
              "media:content image with caption, and category")
        check(has_title("Ninety-one item"), "RSS 0.91 item")
        rdf = titles.get("RDF item one", {})
        check(rdf.get("hints", {}).get("author") == "Ann Lee" and
              rdf.get("hints", {}).get("published") == "2024-03-01T08:00:00+08:00", "RSS 1.0 (RDF) with dc:")
        atom1 = titles.get("Atom text entry", {})
        check(atom1.get("url") == "http://atom.example.org/blog/posts/one.html", "Atom xml:base resolves links")
        check(atom1.get("body") == "a &lt; b and 台风", "Atom text content escaped as HTML")
        atom2 = titles.get("Atom xhtml entry", {})
        check(atom2.get("url") == "http://other.example.org/x/two.html" and "<b>体</b>" in atom2.get("body", ""),
              "Atom xhtml title and content, entry-level xml:base")
        check(atom2.get("hints", {}).get("enclosures", [{}])[0].get("length") == 1234 and
              atom2["hints"]["author"] == "林海", "Atom enclosure link and author")
        j1 = titles.get("JSON item 一", {})
        check(j1.get("hints", {}).get("author") == "王五" and j1.get("body") == "<p>正文</p>", "JSON Feed 1.1 item")
        check(any(m.get("url") == f"{base}/2" and m.get("body") == "plain &lt;text&gt;" for _, m, _ in msgs),
              "JSON Feed numeric id, relative url and content_text")
        # encodings
        check(has_title("朱镕基谈改革"), "GBK feed (declared in XML only): 镕 decoded")
        check(has_title("生僻字𠀀出现"), "GB18030 feed (HTTP charset): four-byte character decoded")
        check(has_title("電綫桿倒塌"), "Big5 label read as Big5-HKSCS: 綫 decoded")
        # bad input, each a clear error on the feed's health
        bt = feed("badtypes.json")
        check(has_title("Fine item") and any(m.get("body") == "<p>kept</p>" for _, m, _ in msgs) and
              "\"title\" is a number" in (bt.get("warnings") or ""),
              "JSON Feed with wrong types: good fields kept, the wrong ones named in the warnings")
        check("\"items\" array" in (feed("items-object.json").get("last_error") or ""),
              "JSON Feed whose items is an object: a clear error")
        xxe_items = [m for _, m, _ in msgs if "xxe.example.org" in m.get("url", "")]
        check(xxe_items and not any(SECRET_TEXT in json.dumps(m) for _, m, _ in msgs),
              "a DTD reaching for a local file: the item is read, the file is not")
        check(has_title("Second laugh item") and not any("lollol" in json.dumps(m) for _, m, _ in msgs),
              "billion laughs: no expansion, the rest of the feed is read")
        check(has_title("Whole item") and has_title("Cut item") and
              "malformed XML" in (feed("truncated.xml").get("warnings") or ""),
              "truncated XML: items recovered and the damage reported")
        check(titles.get("Whole item", {}).get("url") == "http://cut.example.org/1?a=1&b=2",
              "an unescaped & in a link survives")
        check("not a feed" in (feed("html-page").get("last_error") or ""), "an HTML page: 'not a feed'")
        check("404" in (feed("gone.xml").get("last_error") or ""), "HTTP 404 named on the feed")
        check(wait_for(lambda: "Timeout" in (feed("stall.xml").get("last_error") or ""), 15),
              "a stalling server: a timeout on the feed's health")
        check("limit" in (feed("bomb.xml").get("last_error") or ""),
              "a gzip bomb stops at the decoded-size limit")
        check("redirect loop" in (feed("loop-a").get("last_error") or ""), "a redirect loop is refused")
        busy = feed("busy.xml")
        check("429" in (busy.get("last_error") or "") and busy.get("next_poll", 0) - busy.get("last_poll", 0) >= 120,
              "429 with Retry-After: 120 waits at least 120 s")
        check(busy.get("failures", 0) >= 1, "consecutive failures counted")
        # redirects
        moved = feed("moved.xml")
        check(moved.get("url") == f"{base}/new-home.xml" and moved.get("moved_from") == f"{base}/moved.xml",
              "301 moves the feed to its new URL")
        check(feed("temporary.xml").get("url") == f"{base}/temporary.xml" and has_title("Conditional item"),
              "302 is followed but the feed keeps its URL")
        # a 304 round, GUID changes, revisions: later polls
        check(wait_for(lambda: Feeds.conditional_304 >= 1, 15), "a later poll is conditional and answered 304")
        etag = feed("etag.xml")
        check(etag.get("failures") == 0 and etag.get("last_status") == 304 and etag.get("etag") == '"v1"',
              "after a 304 the feed is healthy and keeps its ETag")
        check(wait_for(lambda: Feeds.hits.get("/guid.xml", 0) >= 3 and Feeds.hits.get("/revision.xml", 0) >= 2, 15),
              "feeds are polled again at their interval")
        time.sleep(0.5)
        msgs = spool_messages(db)
        check(len([m for _, m, _ in msgs if m.get("url") == "http://guid.example.org/story"]) == 1,
              "a GUID that changes while link and content stay makes no new article")
        rev = [m for _, m, _ in msgs if m.get("url") == "http://rev.example.org/1"]
        check(len(rev) == 1 and rev[0].get("update") is True and rev[0].get("revision") == 1 and
              "十三级" in rev[0].get("body", ""), "a corrected item flows again as revision 1 of the same id")
        # (two feeds may carry the same item: the indexer groups those; one feed never sends it twice)
        all_items = [(origin, m["url"], m["hints"].get("title", "")) for _, m, origin in msgs]
        dupes = sorted({x for x in all_items if all_items.count(x) > 1})
        check(not dupes, f"no feed's item spooled twice {dupes}")
        check(Feeds.max_in_flight <= 2, f"at most 2 requests at once to one host (saw {Feeds.max_in_flight})")
        listing = ww("feeds", "list")
        check(listing.returncode == 0 and "FAILING" in listing.stdout and "items in the last day" in listing.stdout,
              "feeds list shows health in text")
        # the fetcher keeps going: a feed added now is polled
        ww("feeds", "add", f"{base}/many/late")
        check(wait_for(lambda: feed("many/late").get("last_success") is not None, 10) and fetcher.poll() is None,
              "after all the bad feeds the fetcher still runs and takes a new feed")
        check(ww("feeds", "rm", f"{base}/many/late").returncode == 0 and "many/late" not in
              json.dumps(list(feeds())), "feeds rm")
    finally:
        rc = stop(fetcher, timeout=15)
        check(rc == 0, "the fetcher stops cleanly on SIGTERM")
        server.shutdown()
        log.close()
        if failed():
            print(open(os.path.join(data, "fetcher.log")).read()[-3000:])
    shutil.rmtree(data, ignore_errors=True)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
