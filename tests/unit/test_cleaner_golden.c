/* test_cleaner_golden: every folder in tests/data/cleaner holds an input
 * document and expected.json; each expected field must match the article
 * the cleaner makes, body_contains must appear and body_excludes must not. */
#include "ww_article.h"
#include "ww_paths.h"
#include "ww_test.h"

#include <dirent.h>

static void s_check_case(ww_cleaner_t *c, const char *dir, const char *name)
{
    char path[4096], input[4096 + 512] = "";
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int) sizeof path)
        return;
    DIR *d = opendir(path);
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (!strncmp(e->d_name, "input.", 6))
            snprintf(input, sizeof input, "%s/%s", path, e->d_name);
    if (d)
        closedir(d);
    if (snprintf(path, sizeof path, "%s/%s/expected.json", dir, name) >= (int) sizeof path)
        return;
    json_t *expected = json_load_file(path, 0, NULL);
    size_t len = 0;
    char *bytes = input[0] ? ww_read_file(input, 1 << 24, &len) : NULL;
    CHECK(expected && bytes);
    if (!expected || !bytes) {
        fprintf(stderr, "case %s: missing input or expected.json\n", name);
        json_decref(expected);
        free(bytes);
        return;
    }
    json_t *fetched = json_object_get(expected, "fetched_at");
    ww_doc_info_t info = {
        .id = name, .origin = input, .fetched_at = fetched ? (time_t) json_integer_value(fetched) : 1689200000};
    char err[512];
    json_t *a = ww_cleaner_clean(c, bytes, len, &info, err, sizeof err);
    CHECK(a != NULL);
    const char *key;
    json_t *want;
    json_object_foreach(expected, key, want)
    {
        if (!a || !strcmp(key, "fetched_at"))
            continue;
        const char *body = json_string_value(json_object_get(a, "body"));
        size_t i;
        json_t *s;
        if (!strcmp(key, "body_contains")) {
            json_array_foreach(want, i, s)
            {
                bool ok = body && strstr(body, json_string_value(s));
                CHECK(ok);
                if (!ok)
                    fprintf(stderr, "  case %s: body lacks \"%s\"\n", name, json_string_value(s));
            }
        } else if (!strcmp(key, "body_excludes")) {
            json_array_foreach(want, i, s)
            {
                bool ok = body && !strstr(body, json_string_value(s));
                CHECK(ok);
                if (!ok)
                    fprintf(stderr, "  case %s: body still has \"%s\"\n", name, json_string_value(s));
            }
        } else {
            bool ok = json_equal(json_object_get(a, key), want);
            CHECK(ok);
            if (!ok) {
                char *g = json_dumps(json_object_get(a, key), JSON_ENCODE_ANY), *w = json_dumps(want, JSON_ENCODE_ANY);
                fprintf(stderr, "  case %s: %s is %s, expected %s\n", name, key, g ? g : "null", w);
                free(g);
                free(w);
            }
        }
    }
    json_decref(a);
    json_decref(expected);
    free(bytes);
}

/* The body's match form, built from the paragraphs' forms, is what folding
 * the whole body gives, on every page of the labelled extraction set. */
static void s_check_match_forms(ww_cleaner_t *c)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", ww_test_path("tests/data/extraction"));
    DIR *d = opendir(dir);
    CHECK(d != NULL);
    struct dirent *e;
    int pages = 0;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        const char *kinds[] = {"page.html", "page.md", "page.txt"};
        for (size_t k = 0; k < 3; k++) {
            char path[8192];
            snprintf(path, sizeof path, "%s/%s/%s", dir, e->d_name, kinds[k]);
            size_t len = 0;
            char *bytes = ww_read_file(path, 1 << 24, &len);
            if (!bytes)
                continue;
            char err[256];
            ww_doc_info_t info = {.id = e->d_name, .fetched_at = 1689200000};
            json_t *a = ww_cleaner_clean(c, bytes, len, &info, err, sizeof err);
            CHECK(a != NULL);
            const char *body = json_string_value(json_object_get(a, "body"));
            const char *match = json_string_value(json_object_get(json_object_get(a, "match"), "body"));
            char *whole = ww_cleaner_fold(c, body ? body : "");
            bool same = match && whole && !strcmp(match, whole);
            CHECK(same);
            if (!same)
                fprintf(stderr, "  %s: body match form differs from folding the body\n", path);
            free(whole);
            json_decref(a);
            free(bytes);
            pages++;
        }
    }
    if (d)
        closedir(d);
    CHECK(pages >= 30);
}

int main(void)
{
    char err[256];
    ww_cleaner_t *c = ww_cleaner_new(20 << 20, err, sizeof err);
    CHECK(c != NULL);
    const char *dir = ww_test_path("tests/data/cleaner");
    char dirbuf[4096];
    snprintf(dirbuf, sizeof dirbuf, "%s", dir);
    DIR *d = opendir(dirbuf);
    CHECK(d != NULL);
    int cases = 0;
    struct dirent *e;
    while (c && d && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        s_check_case(c, dirbuf, e->d_name);
        cases++;
    }
    if (d)
        closedir(d);
    CHECK(cases >= 8);
    if (c)
        s_check_match_forms(c);

    /* bad input: clear errors, bounded work */
    char reason[512];
    ww_doc_info_t info = {.id = "bad"};
    CHECK(ww_cleaner_clean(c, "\x89PNG\x00\x00\x00binary", 14, &info, reason, sizeof reason) == NULL);
    CHECK(strstr(reason, "binary"));
    size_t big = (20 << 20) + 1;
    char *huge = malloc(big);
    memset(huge, 'a', big);
    CHECK(ww_cleaner_clean(c, huge, big, &info, reason, sizeof reason) == NULL && strstr(reason, "limit"));
    free(huge);
    /* 100,000 levels of nesting: parsed within bounds, text still found */
    size_t depth = 100000, n = 0;
    char *deep = malloc(depth * 11 + 64);
    for (size_t i = 0; i < depth; i++)
        n += (size_t) snprintf(deep + n, 6, "<div>");
    n += (size_t) snprintf(deep + n, 40, "<p>深层文本</p>");
    for (size_t i = 0; i < depth; i++)
        n += (size_t) snprintf(deep + n, 7, "</div>");
    json_t *a = ww_cleaner_clean(c, deep, n, &info, reason, sizeof reason);
    CHECK(a && strstr(json_string_value(json_object_get(a, "body")), "深层文本"));
    json_decref(a);
    free(deep);
    /* a 50 MB page: refused by size, saying so */
    size_t fifty = (size_t) 50 << 20;
    char *page = malloc(fifty);
    memset(page, 'x', fifty);
    CHECK(ww_cleaner_clean(c, page, fifty, &info, reason, sizeof reason) == NULL && strstr(reason, "limit"));
    /* 15 MB of tiny elements, under the limit: the parser keeps what its
     * node cap allows, says so, and the text before the cap is read */
    size_t n15 = 0, cap15 = (size_t) 15 << 20;
    n15 += (size_t) snprintf(page, 200, "<html><body><p>开头的正文段落，有标点。</p>");
    while (n15 + 16 < cap15) {
        memcpy(page + n15, "<b>字</b>", 10);
        n15 += 10;
    }
    a = ww_cleaner_clean(c, page, n15, &info, reason, sizeof reason);
    CHECK(a != NULL);
    bool capped = false;
    size_t wi;
    json_t *w;
    json_array_foreach(json_object_get(a, "warnings"), wi, w) capped |=
        strstr(json_string_value(w), "elements") != NULL;
    CHECK(capped);
    json_decref(a);
    free(page);
    /* documents with nothing to read: an article without a body */
    const char *empty[] = {"",
                           "   \n\t  ",
                           "<html><body></body></html>",
                           "<script>var a = 1;</script>",
                           "<!-- only a comment -->",
                           "---\ntitle: 只有标题\n---\n"};
    for (size_t k = 0; k < sizeof empty / sizeof *empty; k++) {
        a = ww_cleaner_clean(c, empty[k], strlen(empty[k]), &info, reason, sizeof reason);
        CHECK(a && json_is_false(json_object_get(a, "has_body")));
        json_decref(a);
    }
    /* random bytes: refused as binary, or an article, never a crash */
    srand(5);
    char noise[4096];
    for (int t = 0; t < 200; t++) {
        for (size_t k = 0; k < sizeof noise; k++)
            noise[k] = (char) (t % 2 ? 0x80 + rand() % 0x80 : rand() % 256);
        a = ww_cleaner_clean(c, noise, sizeof noise, &info, reason, sizeof reason);
        CHECK(a != NULL || reason[0]);
        json_decref(a);
    }
    /* invalid UTF-8 in a UTF-8 page becomes U+FFFD, never truncates */
    const char *broken = "<p>前半段\xff\xfe后半段内容</p>";
    a = ww_cleaner_clean(c, broken, strlen(broken), &info, reason, sizeof reason);
    CHECK(a && strstr(json_string_value(json_object_get(a, "body")), "后半段内容"));
    json_decref(a);
    /* a feed item: relative links resolve against its content's xml:base,
     * and the feed's image stands in when the text has none */
    json_t *hints =
        json_pack("{s:s, s:s, s:[{s:s, s:s}]}", "title", "港口复航", "base_url", "https://cdn.example.org/story/",
                  "images", "url", "https://img.example.org/port.jpg", "caption", "码头");
    ww_doc_info_t item = {.id = "i-1",
                          .url = "https://news.example.org/1.html",
                          .kind = "feed-item",
                          .content_type = "html",
                          .hints = hints};
    const char *content =
        "<p>港口今日恢复作业，首批货轮已经靠泊，码头工人加紧装卸。</p><img src=\"pic.jpg\" alt=\"货轮\">"
        "<p>港务部门表示，航线将在本周内全部恢复，旅客可留意官方通告。</p>";
    a = ww_cleaner_clean(c, content, strlen(content), &item, reason, sizeof reason);
    json_t *img = json_array_get(json_object_get(a, "images"), 0);
    CHECK_STR(json_string_value(json_object_get(img, "src")), "https://cdn.example.org/story/pic.jpg");
    json_decref(a);
    const char *no_image = "<p>港口今日恢复作业，首批货轮已经靠泊，码头工人加紧装卸。</p>";
    a = ww_cleaner_clean(c, no_image, strlen(no_image), &item, reason, sizeof reason);
    img = json_array_get(json_object_get(a, "images"), 0);
    CHECK_STR(json_string_value(json_object_get(img, "src")), "https://img.example.org/port.jpg");
    CHECK_STR(json_string_value(json_object_get(img, "caption")), "码头");
    json_decref(a);
    json_decref(hints);
    ww_cleaner_destroy(&c);
    WW_TEST_END();
}
