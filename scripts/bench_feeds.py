#!/usr/bin/env python3
"""Fetcher benchmark, driven by scripts/bench-feeds.sh.

  bench_feeds.py parse BENCH_FEED_BIN DIR SECONDS
      writes realistic feeds into DIR (Chinese news RSS 2.0 with
      content:encoded, the same in GBK, Atom, RDF and JSON Feed), then prints
      items parsed per second by wirewatch's parser (BENCH_FEED_BIN) and by
      python3-feedparser on the same files, and the ratio.
  bench_feeds.py poll BIN_DIR DIR FEEDS
      serves FEEDS feeds on 127.0.0.1 under distinct *.localhost host names,
      imports them, runs wirewatch-fetcher and prints the wall time until
      every feed has been read once.
"""
import http.server
import json
import os
import random
import sqlite3
import subprocess
import sys
import threading
import time

WORDS = ("疫情 防控 经济 发展 改革 开放 台风 暴雨 港口 航运 科技 创新 教育 医疗 交通 能源 市场 金融 "
         "政策 会议 城市 农村 环境 保护 文化 旅游 体育 赛事 安全 生产").split()


def sentence(rng, n=30):
    return "".join(rng.choice(WORDS) for _ in range(n // 2)) + "。"


def article_html(rng):
    paras = "".join(f"<p>{sentence(rng, 60)}{sentence(rng, 40)}</p>" for _ in range(6))
    return (f'<div class="article">{paras}<p class="editor">责任编辑：张三</p>'
            f'<img src="/img/{rng.randint(1, 999)}.jpg" alt="图"/></div>')


def make_feeds(out):
    rng = random.Random(7)
    files = []
    items = []
    for i in range(50):
        items.append((sentence(rng, 16), f"/news/{i}.html", f"guid-{i}", article_html(rng),
                      f"Mon, 0{1 + i % 9} Jan 2024 10:{i % 60:02d}:00 +0800"))
    rss_items = "".join(
        f"<item><title>{t}</title><link>{l}</link><guid isPermaLink=\"false\">{g}</guid>"
        f"<description><![CDATA[{c[:300]}]]></description><content:encoded><![CDATA[{c}]]></content:encoded>"
        f"<dc:creator>记者 李四</dc:creator><pubDate>{d}</pubDate><category>国内</category>"
        f"<enclosure url=\"/img/{g}.jpg\" type=\"image/jpeg\" length=\"1000\"/></item>"
        for t, l, g, c, d in items)
    rss = ('<?xml version="1.0" encoding="{enc}"?><rss version="2.0" '
           'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
           "<channel><title>新闻频道</title><link>https://news.example.org/</link><language>zh-cn</language>"
           f"{rss_items}</channel></rss>")
    for name, enc, codec in (("rss-utf8.xml", "UTF-8", "utf-8"), ("rss-gbk.xml", "GBK", "gbk")):
        path = os.path.join(out, name)
        with open(path, "wb") as f:
            f.write(rss.format(enc=enc).encode(codec))
        files.append(path)
    atom_entries = "".join(
        f"<entry><title>{t}</title><id>urn:uuid:{g}</id><link href=\"{l}\"/><updated>2024-01-0{1 + k % 9}T10:00:00Z"
        f"</updated><author><name>王五</name></author><summary>{t}</summary>"
        f"<content type=\"html\"><![CDATA[{c}]]></content></entry>"
        for k, (t, l, g, c, d) in enumerate(items))
    path = os.path.join(out, "atom.xml")
    with open(path, "w") as f:
        f.write('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
                f'xml:base="https://atom.example.org/"><title>Atom 频道</title>{atom_entries}</feed>')
    files.append(path)
    rdf_items = "".join(
        f"<item rdf:about=\"https://rdf.example.org{l}\"><title>{t}</title><link>https://rdf.example.org{l}</link>"
        f"<description>{t}</description><dc:date>2024-01-01T10:00:00+08:00</dc:date></item>"
        for t, l, g, c, d in items)
    path = os.path.join(out, "rdf.xml")
    with open(path, "w") as f:
        f.write('<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
                f'<channel rdf:about="https://rdf.example.org/"><title>RDF</title></channel>{rdf_items}</rdf:RDF>')
    files.append(path)
    path = os.path.join(out, "feed.json")
    with open(path, "w") as f:
        json.dump({"version": "https://jsonfeed.org/version/1.1", "title": "JSON 频道",
                   "items": [{"id": g, "url": l, "title": t, "content_html": c,
                              "date_published": "2024-01-01T10:00:00+08:00", "authors": [{"name": "王五"}]}
                             for t, l, g, c, d in items]}, f, ensure_ascii=False)
    files.append(path)
    return files


def feedparser_rates(files, seconds):
    import feedparser
    rates = {}
    for path in files:
        data = open(path, "rb").read()
        start = time.perf_counter()
        items = 0
        while True:
            items += len(feedparser.parse(data).entries)
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                break
        rates[path] = (items, elapsed)
    return rates


def parse_bench(bench_bin, out, seconds):
    files = make_feeds(out)
    r = subprocess.run([bench_bin, str(seconds), *files], capture_output=True, text=True, check=True)
    ours = {}
    for line in r.stdout.splitlines()[:-1]:
        path, rate = line.split()[0], float(line.split()[1])
        ours[path] = rate
    theirs = feedparser_rates(files, seconds)
    print(f"{'file':14s} {'wirewatch':>12s} {'feedparser':>12s} {'ratio':>7s}")
    ours_items = ours_time = their_items = their_time = 0.0
    for path in files:
        items, elapsed = theirs[path]
        name = os.path.basename(path)
        if items == 0:  # feedparser 6 does not read JSON Feed
            print(f"{name:14s} {ours[path]:10.0f}/s {'(none)':>12s} {'-':>7s}  not in the ratio")
            continue
        rate = items / elapsed
        print(f"{name:14s} {ours[path]:10.0f}/s {rate:10.0f}/s {ours[path] / rate:6.1f}x")
        # the same weighting on both sides: equal time per file
        ours_items += ours[path] * seconds
        ours_time += seconds
        their_items += items
        their_time += elapsed
    ratio = (ours_items / ours_time) / (their_items / their_time)
    print(f"parse: wirewatch {ours_items / ours_time:.0f} items/s, feedparser {their_items / their_time:.0f} items/s "
          f"on the files both read: {ratio:.1f}x (floor 30x)")


class FeedHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    body = b""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *a):
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024


def poll_bench(bin_dir, out, count):
    rng = random.Random(3)
    items = "".join(f"<item><title>{sentence(rng, 12)}</title><link>https://p.example.org/{i}</link>"
                    f"<guid>{i}</guid><description>{sentence(rng, 80)}</description></item>" for i in range(10))
    FeedHandler.body = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>poll</title>{items}'
                        "</channel></rss>").encode()
    server = Server(("127.0.0.1", 0), FeedHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    opml = os.path.join(out, "poll.opml")
    with open(opml, "w") as f:
        f.write('<opml version="2.0"><body>' + "".join(
            f'<outline type="rss" text="f{i}" xmlUrl="http://feed{i}.localhost:{port}/feed/{i}"/>'
            for i in range(count)) + "</body></opml>")
    data = os.path.join(out, "poll-data")
    env = dict(os.environ, WIREWATCH_DATA=data, WIREWATCH_FETCHER_ALLOW_PRIVATE_ADDRESSES="true")
    env.pop("WIREWATCH_CONFIG", None)
    subprocess.run([os.path.join(bin_dir, "wirewatch"), "feeds", "import", opml], env=env, check=True,
                   capture_output=True)
    start = time.perf_counter()
    fetcher = subprocess.Popen([os.path.join(bin_dir, "wirewatch-fetcher")], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    db = os.path.join(data, "fetcher.db")
    done = failed = 0
    try:
        while time.perf_counter() - start < 120:
            time.sleep(0.05)
            try:
                con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
                done, failed = con.execute("SELECT count(last_success), sum(failures > 0) FROM feeds").fetchone()
                con.close()
            except sqlite3.Error:
                continue
            if done + (failed or 0) >= count:
                break
        elapsed = time.perf_counter() - start
        try:
            with open(f"/proc/{fetcher.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            cpu = float("nan")
    finally:
        fetcher.terminate()
        fetcher.wait(timeout=30)
        server.shutdown()
    print(f"poll: {done} of {count} feeds read ({failed or 0} failed) in {elapsed:.2f} s "
          f"(fetcher CPU {cpu:.2f} s), "
          f"{count * 10} items spooled, fetcher defaults (concurrency 32, 2 per host) (floor: 1,000 feeds in 10 s)")


if __name__ == "__main__":
    if sys.argv[1] == "parse":
        parse_bench(sys.argv[2], sys.argv[3], float(sys.argv[4]))
    else:
        poll_bench(sys.argv[2], sys.argv[3], int(sys.argv[4]))
