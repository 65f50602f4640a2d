/* test_matcher: the Vectorscan presearch matcher agrees with evaluating
 * every watch (the oracle) on a generated corpus with thousands of random
 * watches: CJK words and single characters, Latin words, phrases, OR, NOT,
 * field prefixes and nesting; watches in simplified script meet articles
 * in traditional script and the reverse, through the fold. */
#include "ww_fold.h"
#include "ww_matcher.h"
#include "ww_presearch.h"
#include "ww_query.h"
#include "ww_test.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* simplified / traditional pairs, so either script can be written */
static const char *s_cjk[][2] = {{"台风", "颱風"}, {"港口", "港口"}, {"码头", "碼頭"}, {"轮渡", "輪渡"},
                                 {"暴雨", "暴雨"}, {"预警", "預警"}, {"经济", "經濟"}, {"发展", "發展"},
                                 {"严防", "嚴防"}, {"死守", "死守"}, {"疫情", "疫情"}, {"防控", "防控"},
                                 {"线路", "綫路"}, {"里面", "裏面"}, {"着装", "著裝"}, {"学校", "學校"},
                                 {"停课", "停課"}, {"航运", "航運"}, {"会议", "會議"}, {"市场", "市場"}};
/* short words are looked up as units, words over eight bytes go through Vectorscan */
static const char *s_latin[] = {"ferry",  "port", "storm", "typhoon", "market",     "school",
                                "closed", "sea",  "wall",  "hk",      "evacuation", "government"};
/* sources and authors vary per article, so field prefixes decide matches */
static const char *s_sources[] = {"harbour daily", "新华社", "明報 hk", "government news"};
static const char *s_authors[] = {"", "reporter 李明", "王芳", "evacuation desk"};
#define S_NCJK   (sizeof s_cjk / sizeof s_cjk[0])
#define S_NLATIN (sizeof s_latin / sizeof s_latin[0])

static unsigned s_seed = 20261124;

static unsigned s_rand(unsigned n)
{
    return (unsigned) rand_r(&s_seed) % n;
}

static const char *s_word(int script)
{
    if (s_rand(4) == 0)
        return s_latin[s_rand(S_NLATIN)];
    return s_cjk[s_rand(S_NCJK)][script];
}

/* snprintf through a va_list: truncation of these test strings is harmless. */
static void s_fmt(char *out, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void s_fmt(char *out, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, len, fmt, ap);
    va_end(ap);
}

/* A random query; depth limits nesting. */
static void s_query(char *out, size_t len, int depth)
{
    int script = (int) s_rand(2);
    unsigned kind = depth > 2 ? s_rand(3) : s_rand(12);
    char a[256], b[256];
    switch (kind) {
    case 0:
        s_fmt(out, len, "%s", s_word(script));
        break;
    case 1: { /* one CJK character, or a piece of a word */
        const char *w = s_cjk[s_rand(S_NCJK)][script];
        s_fmt(out, len, "%.3s", w);
        break;
    }
    case 2:
        s_fmt(out, len, "\"%s %s\"", s_word(script), s_word(script));
        break;
    case 3:
        s_query(a, sizeof a, depth + 1);
        s_query(b, sizeof b, depth + 1);
        s_fmt(out, len, "(%s OR %s)", a, b);
        break;
    case 4:
        s_query(a, sizeof a, depth + 1);
        s_query(b, sizeof b, depth + 1);
        s_fmt(out, len, "%s %s", a, b);
        break;
    case 5:
        s_query(a, sizeof a, depth + 1);
        s_fmt(out, len, "%s -%s", a, s_word(script));
        break;
    case 6:
        s_fmt(out, len, "title:%s", s_word(script));
        break;
    case 7:
        s_query(a, sizeof a, depth + 1);
        s_fmt(out, len, "NOT %s", s_word(script));
        break;
    case 8:
        s_fmt(out, len, "source:%s", s_rand(2) ? "新华" : s_latin[s_rand(S_NLATIN)]);
        break;
    case 9:
        s_fmt(out, len, "author:%s", s_rand(2) ? "李明" : "evacuation");
        break;
    case 10:
        s_fmt(out, len, "body:%s", s_word(script));
        break;
    default:
        s_fmt(out, len, "%s%s", s_cjk[s_rand(S_NCJK)][script], s_cjk[s_rand(S_NCJK)][script]);
        break;
    }
}

static void s_text(char *out, size_t len, int words, int script)
{
    size_t used = 0;
    out[0] = 0;
    for (int i = 0; i < words && used + 64 < len; i++) {
        const char *sep = s_rand(3) == 0 ? "，" : (s_rand(2) ? " " : "");
        used += (size_t) snprintf(out + used, len - used, "%s%s", s_word(script), sep);
    }
}

typedef struct {
    unsigned char *hit;
} s_hits_t;

static void s_on_hit(size_t ref, void *arg)
{
    ((s_hits_t *) arg)->hit[ref]++; /* twice would be an alert sent twice: memcmp sees it */
}

/* Which of the queries match body (bit i for query i), through a matcher
 * of just these, and through the evaluator (*oracle). */
static unsigned s_match_few(ww_fold_t *fold, const char **queries, size_t n, const char *body, unsigned *oracle,
                            size_t *programs, size_t *direct)
{
    char err[256];
    ww_matcher_t *m = ww_matcher_new();
    ww_query_t *q[16];
    for (size_t i = 0; i < n; i++) {
        q[i] = ww_query_parse(queries[i], fold, 0, err, sizeof err);
        ww_matcher_add(m, q[i], i);
    }
    unsigned got = 0;
    unsigned char hit[16] = {0};
    s_hits_t h = {hit};
    if (ww_matcher_compile(m, err, sizeof err) == 0) {
        ww_matcher_stats_t st;
        ww_matcher_stats(m, &st);
        *programs = st.programs;
        *direct = st.direct;
        ww_match_scratch_t *s = ww_match_scratch_new(m);
        char *folded = ww_fold_text(fold, body);
        ww_qdoc_t d = {.title = "", .body = folded};
        ww_qprep_t *p = ww_qprep_new(&d);
        ww_matcher_match(m, s, p, s_on_hit, &h);
        *oracle = 0;
        for (size_t i = 0; i < n; i++) {
            got |= (unsigned) hit[i] << i;
            *oracle |= (unsigned) ww_query_matches(q[i], p) << i;
        }
        ww_qprep_destroy(&p);
        free(folded);
        ww_match_scratch_destroy(&s);
    }
    ww_matcher_destroy(&m);
    for (size_t i = 0; i < n; i++)
        ww_query_destroy(&q[i]);
    return got;
}

/* CJK runs of three or more characters are found where their first pair
 * occurs (ww_short_literals.h): runs sharing a pair, characters outside
 * the BMP (four UTF-8 bytes), a run ending the text, a run the text cuts
 * short, and literal programs over them. */
static void s_test_runs(ww_fold_t *fold)
{
    const char *queries[] = {"北京理工大学",         "北京理工",           "北京大学", "𠀀𠀁𠀂", "港珠澳大桥",
                             "北京理工 -港珠澳大桥", "北京大学 OR 𠀀𠀁𠀂", "大学"};
    size_t n = sizeof queries / sizeof *queries, programs = 0, direct = 0;
    unsigned oracle = 0;
    unsigned got =
        s_match_few(fold, queries, n, "记者在北京理工大学见到了𠀀𠀁𠀂，港珠澳大", &oracle, &programs, &direct);
    CHECK(got == oracle);
    CHECK(got == (1u << 0 | 1u << 1 | 1u << 3 | 1u << 5 | 1u << 6 | 1u << 7));
    CHECK(programs == 2); /* the AND NOT and the OR: decided without the text */
    CHECK(direct == 6);   /* the single terms: reported from their literal's list */
    got = s_match_few(fold, queries, n, "北京大学", &oracle, &programs, &direct);
    CHECK(got == oracle && got == (1u << 2 | 1u << 6 | 1u << 7));
    got = s_match_few(fold, queries, n, "北京理工大学和港珠澳大桥", &oracle, &programs, &direct);
    CHECK(got == oracle && got == (1u << 0 | 1u << 1 | 1u << 4 | 1u << 7));
}

int main(void)
{
    char err[256];
    ww_fold_t *fold = ww_fold_new(err, sizeof err);
    CHECK(fold != NULL);
    if (!fold)
        WW_TEST_END();

    /* presearch literals */
    ww_query_t *q = ww_query_parse("严防死守 OR (港口 -台风)", fold, 0, err, sizeof err);
    ww_literals_t lits;
    ww_presearch_literals(q, &lits);
    CHECK(!lits.always && lits.count == 2);
    ww_literals_free(&lits);
    ww_query_destroy(&q);
    q = ww_query_parse("-台风", fold, 0, err, sizeof err);
    ww_presearch_literals(q, &lits);
    CHECK(lits.always);
    ww_literals_free(&lits);
    ww_query_destroy(&q);
    q = ww_query_parse("\"sea wall\" 台风", fold, 0, err, sizeof err);
    ww_presearch_literals(q, &lits);
    CHECK(!lits.always && lits.count == 1); /* one operand of the AND suffices */
    ww_literals_free(&lits);
    ww_query_destroy(&q);

    enum { WATCHES = 4000, ARTICLES = 400 };
    ww_query_t **queries = calloc(WATCHES, sizeof *queries);
    ww_matcher_t *m = ww_matcher_new();
    size_t parsed = 0;
    for (size_t i = 0; i < WATCHES; i++) {
        char text[1024];
        s_query(text, sizeof text, 0);
        queries[i] = ww_query_parse(text, fold, 0, err, sizeof err);
        if (queries[i]) {
            ww_matcher_add(m, queries[i], i);
            parsed++;
        }
    }
    CHECK(parsed > WATCHES * 9 / 10);
    CHECK(ww_matcher_compile(m, err, sizeof err) == 0);
    ww_matcher_stats_t st;
    ww_matcher_stats(m, &st);
    CHECK(st.queries == parsed && st.literals > 0 && st.always < parsed / 2);
    CHECK(st.distinct < st.queries); /* identical watches were merged: the agreement covers that too */
    ww_match_scratch_t *scratch = ww_match_scratch_new(m);
    CHECK(scratch != NULL);

    unsigned char *oracle = calloc(WATCHES, 1), *fast = calloc(WATCHES, 1);
    size_t agree = 0, total_hits = 0;
    for (int a = 0; a < ARTICLES; a++) {
        int script = a % 2; /* every other article is traditional */
        char title[512], body[4096];
        s_text(title, sizeof title, 4, script);
        s_text(body, sizeof body, 60 + (int) s_rand(60), script);
        char *ftitle = ww_fold_text(fold, title), *fbody = ww_fold_text(fold, body);
        char *fsource = ww_fold_text(fold, s_sources[a % 4]), *fauthor = ww_fold_text(fold, s_authors[(a / 4) % 4]);
        ww_qdoc_t doc = {.title = ftitle, .body = fbody, .source = fsource, .author = fauthor, .published = 0};
        ww_qprep_t *prep = ww_qprep_new(&doc);
        memset(oracle, 0, WATCHES);
        memset(fast, 0, WATCHES);
        size_t expected = 0;
        for (size_t i = 0; i < WATCHES; i++)
            if (queries[i] && ww_query_matches(queries[i], prep)) {
                oracle[i] = 1;
                expected++;
            }
        s_hits_t hits = {fast};
        int got = ww_matcher_match(m, scratch, prep, s_on_hit, &hits);
        agree += got == (int) expected && memcmp(oracle, fast, WATCHES) == 0;
        total_hits += expected;
        ww_qprep_destroy(&prep);
        free(ftitle);
        free(fbody);
        free(fsource);
        free(fauthor);
    }
    CHECK(agree == ARTICLES);
    size_t scanned, evaluated, matched;
    ww_match_scratch_counts(scratch, &scanned, &evaluated, &matched);
    CHECK(scanned == ARTICLES && matched == total_hits);
    /* the presearch pays even on this tiny vocabulary: under half the evaluations */
    CHECK(evaluated * 2 < parsed * ARTICLES);
    CHECK(total_hits > ARTICLES); /* the corpus does match watches: the comparison means something */
    printf("%zu watches, %zu literals (%zu short), %zu always evaluated; %zu hits over %d articles; %zu evaluations; "
           "agreement %zu/%d\n",
           st.queries, st.literals, st.short_literals, st.always, total_hits, ARTICLES, evaluated, agree, ARTICLES);

    s_test_runs(fold);

    /* simplified watch, traditional article and the reverse */
    ww_matcher_t *small = ww_matcher_new();
    ww_query_t *simp = ww_query_parse("线路 着装", fold, 0, err, sizeof err);
    ww_query_t *trad = ww_query_parse("颱風", fold, 0, err, sizeof err);
    ww_matcher_add(small, simp, 0);
    ww_matcher_add(small, trad, 1);
    CHECK(ww_matcher_compile(small, err, sizeof err) == 0);
    ww_match_scratch_t *ss = ww_match_scratch_new(small);
    unsigned char two[2] = {0, 0};
    s_hits_t h2 = {two};
    char *t1 = ww_fold_text(fold, "香港綫路調整，員工著裝要求"), *t2 = ww_fold_text(fold, "台风来袭");
    ww_qdoc_t d1 = {.title = "", .body = t1}, d2 = {.title = "", .body = t2};
    ww_qprep_t *p1 = ww_qprep_new(&d1), *p2 = ww_qprep_new(&d2);
    CHECK(ww_matcher_match(small, ss, p1, s_on_hit, &h2) == 1 && two[0] == 1);
    two[0] = two[1] = 0;
    CHECK(ww_matcher_match(small, ss, p2, s_on_hit, &h2) == 1 && two[1] == 1);
    ww_qprep_destroy(&p1);
    ww_qprep_destroy(&p2);
    /* an empty matcher (the notifier's second one, before any watch is
     * added at runtime) compiles and matches nothing */
    ww_matcher_t *empty = ww_matcher_new();
    CHECK(ww_matcher_compile(empty, err, sizeof err) == 0);
    ww_match_scratch_t *es = ww_match_scratch_new(empty);
    CHECK(es != NULL);
    p1 = ww_qprep_new(&d1);
    CHECK(es && ww_matcher_match(empty, es, p1, s_on_hit, &h2) == 0);
    ww_qprep_destroy(&p1);
    ww_match_scratch_destroy(&es);
    ww_matcher_destroy(&empty);
    free(t1);
    free(t2);
    ww_match_scratch_destroy(&ss);
    ww_matcher_destroy(&small);
    ww_query_destroy(&simp);
    ww_query_destroy(&trad);

    ww_match_scratch_destroy(&scratch);
    ww_matcher_destroy(&m);
    for (size_t i = 0; i < WATCHES; i++)
        ww_query_destroy(&queries[i]);
    free(queries);
    free(oracle);
    free(fast);
    ww_fold_destroy(&fold);
    WW_TEST_END();
}
