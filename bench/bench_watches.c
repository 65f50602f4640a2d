/* bench_watches: watches matched per article at scale.
 *   bench_watches WATCHES ARTICLES DIR
 * Generates WATCHES watches from a realistic vocabulary (common two-character
 * words, rarer four-character terms, six-character phrases that almost never
 * occur, Latin words; AND, OR, NOT and phrases mixed in) and ARTICLES articles
 * of about 4 KB, compiles the matcher, and prints compile time, memory and
 * articles matched per second on one core. Writes DIR/literals.txt (the
 * literals the matcher scans for) and DIR/articles.txt (one article per line)
 * for the grep -F / ripgrep comparison in scripts/bench-watches.sh. */
#include "bench_clock.h"
#include "ww_huge_pages.h"
#include "ww_fold.h"
#include "ww_matcher.h"
#include "ww_presearch.h"
#include "ww_query.h"

#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* 400 common Han characters: combinations of two make the vocabulary */
static const char s_han[] =
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定"
    "行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其"
    "些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建"
    "月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接"
    "知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器"
    "压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议"
    "声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复"
    "容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标"
    "写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞";

static unsigned s_seed = 7;

static unsigned s_rand(unsigned n)
{
    return (unsigned) rand_r(&s_seed) % n;
}

static size_t s_nhan(void)
{
    return (sizeof s_han - 1) / 3;
}

/* The k-th Han character (3 bytes in UTF-8). */
static const char *s_char(size_t k)
{
    return s_han + 3 * (k % s_nhan());
}

#define S_VOCABULARY 50000

/* The two-character word of a rank: distinct for every rank below 400². */
static void s_word_of_rank(size_t rank, char *out)
{
    size_t n = s_nhan();
    memcpy(out, s_char(rank % n), 3);
    memcpy(out + 3, s_char((rank / n + 3 * (rank % n)) % n), 3);
    out[6] = 0;
}

/* A word as news text uses them: Zipf's law over the vocabulary (rank r
 * drawn with probability about 1/r), so a 4 KB article holds the few
 * hundred most common words and a scattering of the rest. */
static void s_text_word(char *out)
{
    double u = (double) s_rand(1000000) / 1e6;
    size_t rank = (size_t) exp(u * log((double) S_VOCABULARY)) - 1;
    s_word_of_rank(rank, out);
}

/* A word people watch: anything but the two hundred commonest. */
static void s_common_word(char *out)
{
    s_word_of_rank(200 + s_rand(S_VOCABULARY - 200), out);
}

static void s_chars(char *out, int n)
{
    for (int i = 0; i < n; i++)
        memcpy(out + 3 * i, s_char(s_rand((unsigned) s_nhan())), 3);
    out[3 * n] = 0;
}

static const char *s_latin[] = {"ferry",    "port",   "storm",  "typhoon", "market", "covid",
                                "election", "tariff", "police", "court",   "flood",  "bank"};

static void s_watch(char *out, size_t len)
{
    char a[64], b[64], c[64];
    s_common_word(a);
    s_common_word(b);
    unsigned kind = s_rand(100);
    if (kind < 30)
        snprintf(out, len, "%s", a); /* one common word */
    else if (kind < 45) {
        s_chars(c, 4);
        snprintf(out, len, "%s", c); /* a four-character term */
    } else if (kind < 65) {
        s_chars(c, 6);
        snprintf(out, len, "\"%s\"", c); /* a rare phrase */
    } else if (kind < 75)
        snprintf(out, len, "%s %s", a, b);
    else if (kind < 85)
        snprintf(out, len, "%s OR %s", a, b);
    else if (kind < 92)
        snprintf(out, len, "%s -%s", a, b);
    else
        snprintf(out, len, "%s title:%s", s_latin[s_rand(12)], a);
}

static char *s_article(size_t bytes)
{
    char *out = malloc(bytes + 64);
    size_t n = 0;
    while (n < bytes) {
        if (s_rand(20) == 0) {
            n += (size_t) snprintf(out + n, 64, " %s ", s_latin[s_rand(12)]);
            continue;
        }
        s_text_word(out + n);
        n += 6;
        if (s_rand(8) == 0) {
            memcpy(out + n, "，", 3);
            n += 3;
        }
    }
    out[n] = 0;
    return out;
}

static void s_count(size_t ref, void *arg)
{
    (void) ref;
    (*(size_t *) arg)++;
}

int main(int argc, char **argv)
{
    ww_prefer_huge_pages(argv); /* as the indexer and notifier run */
    if (argc < 4) {
        fprintf(stderr, "usage: bench_watches WATCHES ARTICLES DIR [SECONDS]\n");
        return 2;
    }
    size_t nwatches = (size_t) atol(argv[1]), narticles = (size_t) atol(argv[2]);
    const char *dir = argv[3];
    double seconds = argc > 4 ? atof(argv[4]) : 2.0; /* of matching, at least */
    char err[256], path[1024];
    ww_fold_t *fold = ww_fold_new(err, sizeof err);
    if (!fold) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    size_t mem0 = mallinfo2().uordblks;
    double t0 = bench_now();
    ww_query_t **queries = calloc(nwatches, sizeof *queries);
    ww_matcher_t *m = ww_matcher_new();
    snprintf(path, sizeof path, "%s/literals.txt", dir);
    FILE *lf = fopen(path, "w");
    for (size_t i = 0; i < nwatches; i++) {
        char text[256];
        s_watch(text, sizeof text);
        queries[i] = ww_query_parse(text, fold, 0, err, sizeof err);
        if (!queries[i])
            continue;
        ww_matcher_add(m, queries[i], i);
        ww_literals_t lits;
        ww_presearch_literals(queries[i], &lits);
        for (size_t k = 0; k < lits.count; k++)
            fprintf(lf, "%s\n", lits.items[k]);
        ww_literals_free(&lits);
    }
    fclose(lf);
    double t1 = bench_now();
    if (ww_matcher_compile(m, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    ww_match_scratch_t *scratch = ww_match_scratch_new(m);
    size_t mem1 = mallinfo2().uordblks;
    ww_matcher_stats_t st;
    ww_matcher_stats(m, &st);

    char **articles = calloc(narticles, sizeof *articles);
    snprintf(path, sizeof path, "%s/articles.txt", dir);
    FILE *af = fopen(path, "w");
    for (size_t a = 0; a < narticles; a++) {
        articles[a] = s_article(4000);
        fprintf(af, "%s\n", articles[a]);
    }
    fclose(af);
    /* the share of the time spent cutting the article into units */
    double prep_start = bench_now();
    for (size_t a = 0; a < narticles; a++) {
        ww_qdoc_t doc = {.title = "", .body = articles[a], .source = "", .author = ""};
        ww_qprep_t *prep = ww_qprep_new(&doc);
        ww_qprep_destroy(&prep);
    }
    double prep_us = (bench_now() - prep_start) * 1e6 / (double) narticles;
    fprintf(stderr, "matching from now on\n"); /* where a profiler should start */
    size_t hits = 0, done = 0;
    double start = bench_now(), elapsed = 0;
    do {
        for (size_t a = 0; a < narticles; a++) {
            ww_qdoc_t doc = {.title = "", .body = articles[a], .source = "", .author = ""};
            ww_qprep_t *prep = ww_qprep_new(&doc);
            ww_matcher_match(m, scratch, prep, s_count, &hits);
            ww_qprep_destroy(&prep);
        }
        done += narticles;
        elapsed = bench_now() - start;
    } while (elapsed < seconds);
    printf("heap: %s\n", ww_huge_pages_asked() ? "transparent huge pages (glibc.malloc.hugetlb=1)" : "4 KB pages");
    printf("watches %zu (%zu different): parse %.2f s, compile %.2f s, %zu literals, %zu evaluated for every "
           "article, %zu decided by literal programs, %zu reported straight from their literal, database %.1f MB, "
           "matcher memory %.1f MB\n",
           st.queries, st.distinct, t1 - t0, st.compile_seconds, st.literals, st.always, st.programs, st.direct,
           (double) st.database_bytes / 1048576.0, (double) (mem1 - mem0) / 1048576.0);
    size_t scanned, evaluated, matched;
    ww_match_scratch_counts(scratch, &scanned, &evaluated, &matched);
    printf("articles/s %.0f (4 KB articles, one core; per article: %.1f watches matched, %.1f evaluated, "
           "%.1f us cutting it into units)\n",
           (double) done / elapsed, (double) hits / (double) done, (double) evaluated / (double) scanned, prep_us);
    return 0;
}
