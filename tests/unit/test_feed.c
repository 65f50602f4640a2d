/* test_feed: RSS 2.0 (GBK, with a hostile DTD), Atom (xml:base, xhtml),
 * RDF and JSON Feed into one item shape. */
#include "ww_feed.h"
#include "ww_paths.h"
#include "ww_test.h"

static json_t *s_parse(const char *rel, const char *base)
{
    size_t len;
    char *bytes = ww_read_file(ww_test_path(rel), 1 << 20, &len);
    char err[256] = "";
    CHECK(bytes && ww_feed_detect(bytes, len));
    json_t *f = bytes ? ww_feed_parse(bytes, len, NULL, base, 100, err, sizeof err) : NULL;
    if (!f)
        fprintf(stderr, "%s: %s\n", rel, err);
    free(bytes);
    return f;
}

static const char *s_item(json_t *f, size_t i, const char *key)
{
    return json_string_value(json_object_get(json_array_get(json_object_get(f, "items"), i), key));
}

int main(void)
{
    json_t *f = s_parse("tests/data/feeds/gbk_rss.xml", "https://gbk.example.org/feed.xml");
    CHECK(f != NULL);
    CHECK_STR(json_string_value(json_object_get(f, "title")), "GBK 频道");
    CHECK_STR(s_item(f, 0, "title"), "台风来了");
    CHECK_STR(s_item(f, 0, "link"), "https://gbk.example.org/news/1.html");      /* relative link resolved */
    CHECK(s_item(f, 0, "summary") && !strstr(s_item(f, 0, "summary"), "root:")); /* no entity expansion */
    CHECK(json_array_size(json_object_get(f, "items")) == 2);                    /* malformed item recovered */
    json_decref(f);

    f = s_parse("tests/data/feeds/atom.xml", NULL);
    CHECK_STR(json_string_value(json_object_get(f, "format")), "atom");
    CHECK_STR(s_item(f, 0, "link"), "https://atom.example.org/blog/posts/first.html"); /* xml:base */
    CHECK(s_item(f, 0, "content") && strstr(s_item(f, 0, "content"), "<b>加粗</b>"));
    CHECK_STR(s_item(f, 0, "author"), "林海");
    CHECK_STR(s_item(f, 1, "published"), "2023-07-12T09:00:00Z");
    json_decref(f);

    f = s_parse("tests/data/feeds/rdf.xml", NULL);
    CHECK_STR(json_string_value(json_object_get(f, "format")), "rdf");
    CHECK_STR(s_item(f, 0, "author"), "Ann Lee");
    CHECK_STR(s_item(f, 0, "guid"), "https://rdf.example.org/1");
    json_decref(f);

    f = s_parse("tests/data/feeds/feed.json", NULL);
    CHECK_STR(s_item(f, 0, "content"), "<p>Hello</p>");
    CHECK_STR(s_item(f, 1, "guid"), "2");
    CHECK_STR(s_item(f, 1, "content"), "plain");
    json_decref(f);

    char err[256];
    CHECK(ww_feed_parse("<html><body>no</body></html>", 28, NULL, NULL, 10, err, sizeof err) == NULL);
    CHECK(strstr(err, "not a feed"));
    CHECK(ww_feed_parse("{\"items\": [", 11, NULL, NULL, 10, err, sizeof err) == NULL);
    WW_TEST_END();
}
