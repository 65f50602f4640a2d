/* test_query: the query language: parsing, errors with positions,
 * evaluation against match forms, and the FTS5 translation. */
#include "ww_query.h"
#include "ww_test.h"
#include "ww_units.h"
#include "ww_utf8.h"

#include <stdlib.h>
#include <string.h>

static ww_fold_t *s_fold;

static bool s_matches(const char *query, const char *title, const char *body, const char *source)
{
    char err[256];
    ww_query_t *q = ww_query_parse(query, s_fold, 1700000000, err, sizeof err);
    if (!q) {
        fprintf(stderr, "parse %s: %s\n", query, err);
        return false;
    }
    char *t = ww_fold_text(s_fold, title), *b = ww_fold_text(s_fold, body), *s = ww_fold_text(s_fold, source);
    ww_qdoc_t doc = {t, b, s, "", 1690000000};
    ww_qprep_t *p = ww_qprep_new(&doc);
    bool m = ww_query_matches(q, p);
    ww_qprep_destroy(&p);
    ww_query_destroy(&q);
    free(t);
    free(b);
    free(s);
    return m;
}

static const char *s_error(const char *query)
{
    static char err[256];
    ww_query_t *q = ww_query_parse(query, s_fold, 0, err, sizeof err);
    if (q) {
        ww_query_destroy(&q);
        return "(parsed)";
    }
    return err;
}

static const char *s_fts(const char *query)
{
    static char out[1024];
    char err[256];
    ww_query_t *q = ww_query_parse(query, s_fold, 0, err, sizeof err);
    char *f = q ? ww_query_to_fts(q, NULL, err, sizeof err) : NULL;
    snprintf(out, sizeof out, "%s", f ? f : err);
    free(f);
    ww_query_destroy(&q);
    return out;
}

typedef struct {
    ww_unit_t items[4096];
    size_t count;
} s_unit_list_t;

static int s_collect_unit(const ww_unit_t *u, void *arg)
{
    s_unit_list_t *l = arg;
    if (l->count < 4096)
        l->items[l->count++] = *u;
    return 0;
}

/* The units as ww_units.h defines them, written plainly through the
 * general decoder: the oracle for the fast paths of ww_units.c. */
static void s_reference_units(const char *text, size_t len, s_unit_list_t *out)
{
    size_t i = 0, word_start = 0;
    bool in_word = false;
    while (i < len) {
        uint32_t cp;
        size_t k = ww_utf8_decode(text + i, len - i, &cp);
        bool cjk = ww_is_cjk(cp), word = !cjk && ww_is_word_char(cp);
        if (in_word && (!word || i + k - word_start > 255)) {
            s_collect_unit(&(ww_unit_t){(uint32_t) word_start, (uint16_t) (i - word_start), false}, out);
            in_word = false;
        }
        if (word && !in_word) {
            in_word = true;
            word_start = i;
        }
        if (cjk)
            s_collect_unit(&(ww_unit_t){(uint32_t) i, (uint16_t) k, true}, out);
        i += k;
    }
    if (in_word)
        s_collect_unit(&(ww_unit_t){(uint32_t) word_start, (uint16_t) (len - word_start), false}, out);
}

static bool s_same_units(const ww_unit_t *a, size_t na, const s_unit_list_t *b)
{
    bool same = na == b->count;
    for (size_t i = 0; same && i < na; i++)
        same = a[i].start == b->items[i].start && a[i].len == b->items[i].len && a[i].cjk == b->items[i].cjk;
    return same;
}

/* ww_units and ww_units_each (what the FTS5 tokenizer uses) give exactly
 * the units of the plain definition on random bytes, random UTF-8 of every
 * length, and pieces of Han, kana, Hangul, Latin and punctuation. */
static int s_test_units_fast_path(void)
{
    static const char *pieces[] = {"台风",  "颱風", "㐀",  "䷀",       "𠀀", "の",      "한",
                                   "école", "ABC",  "x1",  "，",       "。", " ",       "\xE4\xB8",
                                   "\xE9",  "\xFF", "a-b", "\xC3\xA9", "〇", "ｆｕｌｌ"};
    unsigned seed = 11;
    int bad = 0;
    char text[2048];
    for (int round = 0; round < 3000; round++) {
        size_t n = 0, want = (size_t) (rand_r(&seed) % 400);
        while (n < want) {
            if (round % 3 == 0)
                text[n++] = (char) (rand_r(&seed) % 255 + 1); /* any byte but NUL */
            else {
                const char *p = pieces[rand_r(&seed) % (sizeof pieces / sizeof *pieces)];
                size_t k = strlen(p);
                if (n + k >= sizeof text)
                    break;
                memcpy(text + n, p, k);
                n += k;
            }
        }
        if (round % 7 == 0) /* long words are cut at 255 bytes */
            for (size_t i = 0; i < 600 && n < sizeof text - 1; i++)
                text[n++] = 'w';
        text[n] = 0;
        s_unit_list_t *slow = calloc(1, sizeof *slow), *reference = calloc(1, sizeof *reference);
        ww_units_each(text, n, s_collect_unit, slow);
        s_reference_units(text, n, reference);
        size_t count = 0;
        ww_unit_t *fast = ww_units(text, n, &count);
        bad += !s_same_units(fast, count, slow) || !s_same_units(slow->items, slow->count, reference);
        free(fast);
        free(slow);
        free(reference);
    }
    return bad;
}

int main(void)
{
    char err[256];
    s_fold = ww_fold_new(err, sizeof err);
    CHECK(s_test_units_fast_path() == 0);
    const char *body = "要始终坚持严防死守，按照要求打好疫情防控主动仗。Harbour Daily reports on sea-wall repairs.";
    CHECK(s_matches("严防死守", "", body, ""));
    CHECK(s_matches("嚴防死守", "", body, ""));                         /* traditional query, simplified text */
    CHECK(s_matches("严防死守", "", "全面嚴(yán)防死守", "") == false); /* the cleaner strips pinyin, not the matcher */
    CHECK(s_matches("严防死守", "", "全面嚴防死守", ""));
    CHECK(s_matches("疫情 防控", "", body, "")); /* implicit AND */
    CHECK(!s_matches("疫情 上海", "", body, ""));
    CHECK(s_matches("上海 OR 疫情", "", body, ""));
    CHECK(!s_matches("疫情 -防控", "", body, ""));
    CHECK(s_matches("疫情 NOT 上海", "", body, ""));
    CHECK(s_matches("\"sea wall\"", "", body, ""));   /* phrase across punctuation */
    CHECK(s_matches("HARBOUR", "", body, ""));        /* case folded */
    CHECK(s_matches("ｈａｒｂｏｕｒ", "", body, "")); /* width folded */
    CHECK(!s_matches("harb", "", body, ""));          /* words are whole words */
    CHECK(s_matches("title:港口", "港口恢复作业", body, ""));
    CHECK(!s_matches("title:疫情", "港口恢复作业", body, ""));
    CHECK(s_matches("source:新浪财经", "", body, "新浪财经"));
    CHECK(s_matches("(上海 OR 北京) OR (疫情 防控)", "", body, ""));
    CHECK(s_matches("“严防死守”", "", body, ""));   /* typographic quotes */
    CHECK(!s_matches("京理", "", "北京 理工", "")); /* CJK across a space is not a substring */
    CHECK(s_matches("北京 理工", "", "北京理工大学", ""));
    CHECK(s_matches("-上海", "", body, "")); /* only a negation */
    CHECK(!s_matches("疫情 since:2024-01-01", "", body, ""));
    CHECK(s_matches("疫情 since:2023-01-01", "", body, ""));

    CHECK(strstr(s_error(""), "empty query"));
    CHECK(strstr(s_error("   "), "empty query"));
    CHECK(strstr(s_error("(疫情"), "position 4: expected ')'"));
    /* an error after an AND or OR has begun frees the tree once (found by
     * fuzz_query: a double free) */
    CHECK(strstr(s_error("a OR - \"c T \"c d\""), "position"));
    CHECK(strstr(s_error("a b c \"d"), "position"));
    CHECK(strstr(s_error("a OR b OR \"c"), "position"));
    CHECK(strstr(s_error("疫情)"), "position 3: unexpected ')'"));
    CHECK(strstr(s_error("\"严防"), "closing"));
    CHECK(strstr(s_error("title:"), "after the field name"));
    CHECK(strstr(s_error("since:someday"), "since:/until:"));
    CHECK(strstr(s_error("，。"), "expected a word"));
    char longq[2000];
    memset(longq, 'a', sizeof longq - 1);
    longq[sizeof longq - 1] = 0;
    CHECK(strstr(s_error(longq), "limit"));
    char deep[100] = "";
    for (int i = 0; i < 20; i++)
        strncat(deep, "(", sizeof deep - strlen(deep) - 1);
    CHECK(strstr(s_error(deep), "nest"));

    CHECK_STR(s_fts("严防死守"), "{title body} : \"严防死守\"");
    CHECK_STR(s_fts("a OR title:b"), "({title body} : \"a\" OR {title} : \"b\")");
    CHECK_STR(s_fts("疫情 -上海"), "({title body} : \"疫情\" NOT {title body} : \"上海\")");
    CHECK(strstr(s_fts("-上海"), "not negated"));
    /* CJK characters a space parts: every spelling, parted or touching */
    CHECK_STR(s_fts("\"防 汛\""), "({title body} : \"防 汛\" OR {title body} : \"防汛\")");
    { /* a negated phrase of 40 gaps: spelled all parted or all touching */
        char q[512], closed[256];
        size_t qn = (size_t) snprintf(q, sizeof q, "疫情 -\""), cn = 0;
        const char *han = "一二三四五六七八九十";
        for (int i = 0; i < 41; i++) {
            const char *one = han + i % 10 * 3;
            qn += (size_t) snprintf(q + qn, sizeof q - qn, "%.3s%s", one, i < 40 ? " " : "\"");
            cn += (size_t) snprintf(closed + cn, sizeof closed - cn, "%.3s", one);
        }
        const char *f = s_fts(q);
        CHECK(strstr(f, " NOT (") && strstr(f, closed) && strstr(f, "一 二 三"));
    }
    CHECK(strstr(s_fts("a OR -b"), "NOT inside OR"));
    CHECK(strstr(s_error("say \"\""), "no letters")); /* an empty phrase */
    ww_fold_destroy(&s_fold);
    WW_TEST_END();
}
