/* test_frontmatter: the fast reader of simple front matter gives libyaml's
 * result on every block it accepts, over thousands of generated blocks
 * (quotes, colons, comments, lists, indentation, CRLF, Chinese text), and
 * accepts the everyday shapes; the document split finds the body. */
#include "ww_frontmatter.h"
#include "ww_test.h"

static unsigned s_seed = 99;
static unsigned s_rand(unsigned n)
{
    s_seed = s_seed * 1103515245u + 12345u;
    return ((s_seed >> 8) & 0xFFFFFF) % n;
}

static const char *const s_keys[] = {"title", "date",   "author", "categories", "tags", "headimg", "comments",
                                     "draft", "source", "x-y",    "a.b",        "_k",   "title"};
static const char *const s_values[] = {
    "plain words",
    "'single quoted'",
    "\"double quoted\"",
    "'it''s'",
    "Tue, 17 Oct 2023 02:30:00 GMT",
    "2023-07-21 09:00:00 +0800",
    "新浪财经",
    "'蔡奇主持召开会议：要求'",
    "a # comment",
    "a#b",
    "k: v",
    "'unclosed",
    "\"esc \\\" q\"",
    "[1, 2]",
    "{a: 1}",
    "- x",
    "|",
    ">",
    "&anchor v",
    "*alias",
    "!tag v",
    "value:",
    "http://x.example/a?b=c#d",
    "false",
    "123",
    "~",
    "null",
    "  padded  ",
    "'trailing' junk",
    "\"x\" # c",
    "%percent",
    "@at",
    "`tick`",
    "yes",
    "a\tb",
    "é",
};
static const char *const s_items[] = {"金融", "'q item'", "\"dq\"", "plain item", "x: y", "", "- nested", "# c"};

static size_t s_block(char *out, size_t max)
{
    size_t n = 0;
    int lines = 1 + (int) s_rand(8);
    for (int l = 0; l < lines && n + 300 < max; l++) {
        unsigned kind = s_rand(10);
        const char *nl = s_rand(8) == 0 ? "\r\n" : "\n";
        if (kind == 0)
            n += (size_t) snprintf(out + n, max - n, "# a comment%s", nl);
        else if (kind == 1)
            n += (size_t) snprintf(out + n, max - n, "%s", s_rand(2) ? nl : "   \n");
        else if (kind == 2) {
            n += (size_t) snprintf(out + n, max - n, "%s:%s%s", s_keys[s_rand(13)], s_rand(3) ? "" : "  ", nl);
            int items = (int) s_rand(4);
            const char *indent = s_rand(3) == 0 ? "" : s_rand(2) ? " " : "  ";
            for (int i = 0; i < items; i++)
                n += (size_t) snprintf(out + n, max - n, "%s%s %s%s", s_rand(12) ? indent : "   ",
                                       s_rand(15) ? "-" : "-x", s_items[s_rand(8)], nl);
        } else if (kind == 3)
            n += (size_t) snprintf(out + n, max - n, "  indented: %s%s", s_values[s_rand(36)], nl);
        else
            n += (size_t) snprintf(out + n, max - n, "%s:%s%s%s", s_keys[s_rand(13)], s_rand(12) ? " " : "",
                                   s_values[s_rand(36)], nl);
    }
    return n;
}

int main(void)
{
    char block[8192];
    int accepted = 0, compared = 0, differ = 0;
    for (int t = 0; t < 20000; t++) {
        size_t n = s_block(block, sizeof block);
        block[n] = 0;
        json_t *fast = json_object(), *slow = json_object();
        char err[256];
        if (ww_frontmatter_read_simple(block, n, fast)) {
            accepted++;
            bool same = ww_frontmatter_read_yaml(block, n, slow, err, sizeof err) == 0 && json_equal(fast, slow);
            if (!same && differ++ < 5) {
                char *a = json_dumps(fast, 0), *b = json_dumps(slow, 0);
                fprintf(stderr, "differs on:\n%s\n  fast %s\n  yaml %s\n", block, a, b);
                free(a);
                free(b);
            }
        }
        compared++;
        json_decref(fast);
        json_decref(slow);
    }
    printf("%d blocks, %d read without libyaml, %d differ\n", compared, accepted, differ);
    CHECK(differ == 0);
    CHECK(accepted > 2000);

    /* the everyday shape is read without libyaml */
    const char *seed_like = "title: '港口恢复夜间作业'\ncategories: \n - 金融\n - 新浪财经\nauthor: 新浪财经\n"
                            "comments: false\ndate: Wed, 11 Aug 2021 11:51:41 GMT\n";
    json_t *m = json_object();
    CHECK(ww_frontmatter_read_simple(seed_like, strlen(seed_like), m));
    CHECK_STR(json_string_value(json_object_get(m, "title")), "港口恢复夜间作业");
    CHECK(json_array_size(json_object_get(m, "categories")) == 2);
    CHECK_STR(json_string_value(json_object_get(m, "comments")), "false");
    json_decref(m);

    /* the split: body after the closing line; none without an opening one */
    const char *doc = "\n---\ntitle: t\n---\n<p>body</p>";
    json_t *meta = NULL;
    size_t body = 0;
    char err[256];
    CHECK(ww_frontmatter_parse(doc, strlen(doc), &meta, &body, err, sizeof err) == 0);
    CHECK(meta && !strcmp(doc + body, "<p>body</p>"));
    json_decref(meta);
    CHECK(ww_frontmatter_parse("<p>no</p>", 9, &meta, &body, err, sizeof err) == 1);
    const char *broken = "---\ntitle: [unclosed\n---\nbody";
    CHECK(ww_frontmatter_parse(broken, strlen(broken), &meta, &body, err, sizeof err) == -1);
    CHECK(strstr(err, "YAML") != NULL && !strcmp(broken + body, "body"));
    WW_TEST_END();
}
