/* bench_index: indexing and query speed of the wirewatch index on a generated
 * corpus of Chinese articles of about 4 KB, beside FTS5's trigram tokenizer on
 * the same text. Prints its figures; asserts nothing.
 *
 * usage: bench_index DOCS DIR [QUERIES [SAMPLES]]   (DOCS 0: query the index already in DIR;
 *        WW_BENCH_APPEND=1: add DOCS articles to it, for the rate at its size)
 * Articles come from bench_corpus, a character chain learnt from the sample
 * texts under SAMPLES (default tests/extraction), so short queries hit many
 * documents and long ones few, and the vocabulary grows with the archive,
 * as in news. */
#include "bench_clock.h"
#include "ww_huge_pages.h"
#include "bench_corpus.h"
#include "ww_article.h"
#include "ww_index.h"
#include "ww_query.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static unsigned s_rng = 12345;
static unsigned s_rand(void)
{
    s_rng = s_rng * 1103515245u + 12345u;
    return (s_rng >> 8) & 0xFFFFFF;
}

static int s_cmp(const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

static long long s_file_size(const char *path)
{
    struct stat st;
    long long total = 0;
    char p[600];
    const char *suffix[] = {"", "-wal"};
    for (int i = 0; i < 2; i++) {
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        if (stat(p, &st) == 0)
            total += st.st_size;
    }
    return total;
}

/* Bytes of the file's pages in use (the file less its free pages). */
static long long s_used_bytes(const char *path)
{
    sqlite3 *db;
    long long pages = 0, free_pages = 0, size = 0;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *st;
        const char *q[] = {"PRAGMA page_count", "PRAGMA freelist_count", "PRAGMA page_size"};
        long long *out[] = {&pages, &free_pages, &size};
        for (int i = 0; i < 3; i++)
            if (sqlite3_prepare_v2(db, q[i], -1, &st, NULL) == SQLITE_OK) {
                if (sqlite3_step(st) == SQLITE_ROW)
                    *out[i] = sqlite3_column_int64(st, 0);
                sqlite3_finalize(st);
            }
    }
    sqlite3_close(db);
    return (pages - free_pages) * size;
}

/* A query drawn from the text of a random document: n consecutive CJK
 * characters (the match form mixes 3-byte Han with 1-byte punctuation). */
static void s_draw(char **texts, int docs, int chars, char *out, size_t outlen)
{
    for (;;) {
        const char *t = texts[s_rand() % (unsigned) docs];
        size_t len = strlen(t), at = s_rand() % (unsigned) (len - 16);
        while (at < len && ((unsigned char) t[at] & 0xC0) == 0x80)
            at++; /* to a character boundary */
        size_t o = 0;
        int c = 0;
        while (c < chars && at + 3 <= len && (unsigned char) t[at] >= 0xE4 && (unsigned char) t[at] <= 0xE9 &&
               o + 4 < outlen) {
            memcpy(out + o, t + at, 3);
            o += 3;
            at += 3;
            c++;
        }
        out[o] = 0;
        if (c == chars)
            return;
    }
}

typedef struct {
    const char *name;
    double median_ms, p99_ms;
    int answered, asked;
    char slowest[256]; /* the query that took longest, and how long */
    double slowest_ms;
} s_stat_t;

static s_stat_t s_run_queries(ww_index_t *ix, ww_fold_t *fold, sqlite3 *tri, char **texts, int docs, int kind, int nq,
                              const char *name)
{
    double *lat = calloc((size_t) nq, sizeof *lat);
    s_stat_t st = {name, 0, 0, 0, nq, "", 0};
    for (int i = 0; i < nq; i++) {
        char q[256], a[64], b[64];
        if (kind <= 4)
            s_draw(texts, docs, kind, q, sizeof q);
        else if (kind == 5) { /* phrase of 6 characters */
            s_draw(texts, docs, 6, a, sizeof a);
            snprintf(q, sizeof q, "\"%s\"", a);
        } else { /* boolean: two words and a negation */
            s_draw(texts, docs, 2, a, sizeof a);
            s_draw(texts, docs, 3, b, sizeof b);
            char c[64];
            s_draw(texts, docs, 2, c, sizeof c);
            snprintf(q, sizeof q, "(%s OR %s) -%s", a, b, c);
        }
        double t0 = bench_now();
        int hits = 0;
        if (ix) {
            char err[256];
            ww_query_t *qq = ww_query_parse(q, fold, 0, err, sizeof err);
            ww_search_t s = {qq, 0, 0, NULL, 20, false};
            json_t *h = qq ? ww_index_search(ix, &s, err, sizeof err) : NULL;
            hits = h ? (int) json_array_size(h) : 0;
            json_decref(h);
            ww_query_destroy(&qq);
        } else {
            sqlite3_stmt *stmt;
            char sql[512];
            snprintf(sql, sizeof sql, "SELECT rowid FROM tri WHERE tri MATCH ?1 ORDER BY rank LIMIT 20");
            if (sqlite3_prepare_v2(tri, sql, -1, &stmt, NULL) == SQLITE_OK) {
                char match[300];
                snprintf(match, sizeof match, "\"%s\"", q);
                sqlite3_bind_text(stmt, 1, kind <= 4 ? match : q, -1, SQLITE_STATIC);
                while (sqlite3_step(stmt) == SQLITE_ROW)
                    hits++;
                sqlite3_finalize(stmt);
            }
        }
        lat[i] = (bench_now() - t0) * 1000;
        st.answered += hits > 0;
        if (lat[i] > st.slowest_ms) {
            st.slowest_ms = lat[i];
            snprintf(st.slowest, sizeof st.slowest, "%s", q);
        }
    }
    qsort(lat, (size_t) nq, sizeof *lat, s_cmp);
    st.median_ms = lat[nq / 2];
    st.p99_ms = lat[(nq * 99) / 100];
    free(lat);
    return st;
}

int main(int argc, char **argv)
{
    ww_prefer_huge_pages(argv); /* as the indexer and notifier run */
    if (argc < 3) {
        fprintf(stderr, "usage: %s DOCS DIR [QUERIES [SAMPLES]]\n", argv[0]);
        return 2;
    }
    int docs = atoi(argv[1]), nq = argc > 3 ? atoi(argv[3]) : 200;
    const char *dir = argv[2], *samples = argc > 4 ? argv[4] : "tests/extraction";
    char err[256], path[512], tripath[512];
    snprintf(path, sizeof path, "%s/index.db", dir);
    snprintf(tripath, sizeof tripath, "%s/trigram.db", dir);
    bool reuse = docs == 0; /* measure queries on the index a previous run left in DIR */
    /* WW_BENCH_APPEND=1: add DOCS new articles to the index in DIR, for the
     * rate at an archive's size without building it again */
    bool append = !reuse && getenv("WW_BENCH_APPEND") && strcmp(getenv("WW_BENCH_APPEND"), "0") != 0;
    if (!reuse && !append) {
        remove(path);
        remove(tripath);
    }
    ww_cleaner_t *cleaner = ww_cleaner_new(1 << 20, err, sizeof err);
    ww_fold_t *fold = ww_fold_new(err, sizeof err);
    ww_index_t *ix = ww_index_open(path, false, err, sizeof err);
    if (!cleaner || !fold || !ix) {
        fprintf(stderr, "bench_index: %s (does %s exist?)\n", err, dir);
        return 1;
    }
    /* appended articles are new ones: their own ids, and texts from another
     * seed (the same texts would be reprints) */
    int first = append ? (int) ww_index_count(ix) : 0;
    bench_corpus_t *corpus = bench_corpus_new(samples, 12345u + (unsigned) first);
    if (!corpus)
        return 1;
    /* WW_BENCH_TRIGRAM=0 leaves the trigram index out (it doubles the time) */
    bool with_tri = !append && (!getenv("WW_BENCH_TRIGRAM") || strcmp(getenv("WW_BENCH_TRIGRAM"), "0") != 0);
    sqlite3 *tri = NULL;
    sqlite3_open(tripath, &tri);
    sqlite3_exec(tri,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                 "CREATE VIRTUAL TABLE tri USING fts5(body, tokenize='trigram')",
                 NULL, NULL, NULL);
    /* Keep a sample of texts for drawing queries; generate the rest on the fly. */
    int keep = docs < 2000 ? docs : 2000;
    char **texts = calloc(2000, sizeof *texts);
    long long text_bytes = 0;
    double clean_s = 0, index_s = 0, tri_s = 0;
    int failed = 0, not_new = 0; /* upserts: a rate over these would mean nothing */
    double index_s_before = 0;   /* index_s at the last progress line */
    sqlite3_stmt *tri_ins;
    sqlite3_prepare_v2(tri, "INSERT INTO tri(rowid, body) VALUES(?1, ?2)", -1, &tri_ins, NULL);
    if (reuse) {
        /* queries are drawn from stored articles' match forms */
        sqlite3 *db;
        sqlite3_stmt *st;
        sqlite3_open(path, &db);
        sqlite3_prepare_v2(db, "SELECT id FROM articles ORDER BY random() LIMIT 2000", -1, &st, NULL);
        keep = 0;
        while (sqlite3_step(st) == SQLITE_ROW && keep < 2000) {
            json_t *stored = ww_index_get(ix, (const char *) sqlite3_column_text(st, 0));
            const char *body = json_string_value(json_object_get(stored, "body"));
            if (body)
                texts[keep++] = ww_fold_text(fold, body);
            json_decref(stored);
        }
        sqlite3_finalize(st);
        sqlite3_close(db);
        docs = keep;
    }
    ww_index_begin(ix);
    sqlite3_exec(tri, "BEGIN", NULL, NULL, NULL);
    for (int d = 0; d < docs && !reuse; d++) {
        char *text = bench_corpus_text(corpus, 4000);
        char id[32], doc[4200];
        /* appended ids name the archive's size too: a run that took
         * reprints left their ids behind as aliases */
        if (append)
            snprintf(id, sizeof id, "bench-%d+%d", first, d);
        else
            snprintf(id, sizeof id, "bench-%d", d);
        snprintf(doc, sizeof doc, "标题%d\n\n%s", first + d, text);
        double t0 = bench_now();
        ww_doc_info_t info = {.id = id, .fetched_at = 1689200000};
        json_t *a = ww_cleaner_clean(cleaner, doc, strlen(doc), &info, err, sizeof err);
        double t1 = bench_now();
        ww_upsert_result_t r;
        /* near-duplicates looked up as the indexer does */
        if (ww_index_upsert(ix, a, 5, &r) != 0)
            failed++;
        else if (r.outcome != WW_UPSERT_NEW)
            not_new++;
        double t2 = bench_now();
        const char *m = json_string_value(json_object_get(json_object_get(a, "match"), "body"));
        if (with_tri) {
            sqlite3_bind_int(tri_ins, 1, d + 1);
            sqlite3_bind_text(tri_ins, 2, m, -1, SQLITE_STATIC);
            sqlite3_step(tri_ins);
            sqlite3_reset(tri_ins);
        }
        double t3 = bench_now();
        clean_s += t1 - t0;
        index_s += t2 - t1;
        tri_s += t3 - t2;
        text_bytes += (long long) strlen(text);
        if (d < keep)
            texts[d] = strdup(m);
        json_decref(a);
        free(text);
        if ((d + 1) % 1000 == 0) {
            double t4 = bench_now();
            ww_index_commit(ix);
            ww_index_begin(ix);
            index_s += bench_now() - t4;
            t4 = bench_now();
            sqlite3_exec(tri, "COMMIT; BEGIN", NULL, NULL, NULL);
            tri_s += bench_now() - t4;
        }
        if ((d + 1) % 10000 == 0) { /* the rate falls as the archive grows: show where */
            fprintf(stderr, "  %d documents: the last 10,000 at %.0f documents/s\n", d + 1,
                    10000 / (index_s - index_s_before));
            index_s_before = index_s;
        }
    }
    double t4 = bench_now();
    ww_index_commit(ix);
    index_s += bench_now() - t4;
    t4 = bench_now();
    sqlite3_exec(tri, "COMMIT", NULL, NULL, NULL);
    tri_s += bench_now() - t4;
    sqlite3_finalize(tri_ins);
    /* what the indexer does while no articles wait: merge index segments */
    double merge_s = 0;
    if (!reuse) {
        t4 = bench_now();
        int did;
        while ((did = ww_index_merge(ix, 256)) == 1)
            ;
        merge_s = bench_now() - t4;
    }
    sqlite3_exec(tri, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
    ww_index_close(&ix);
    sqlite3 *tmp;
    sqlite3_open(path, &tmp);
    sqlite3_exec(tmp, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
    sqlite3_close(tmp);
    ix = ww_index_open(path, true, err, sizeof err);

    if (failed || not_new)
        printf("WARNING: of %d articles %d were not stored and %d not stored as new (reprints or re-sends);"
               " the rates below do not measure indexing\n",
               docs, failed, not_new);
    printf("heap: %s\n", ww_huge_pages_asked() ? "transparent huge pages (glibc.malloc.hugetlb=1)" : "4 KB pages");
    if (reuse)
        printf("queries on the existing index in %s (%.1f MB)\n", dir, (double) s_file_size(path) / 1e6);
    else if (append)
        printf("appended %d documents to an archive of %d: %.0f documents/s indexed\n", docs, first, docs / index_s);
    else
        printf("corpus: %d documents, %.1f MB of text (%.0f bytes each)\n", docs, (double) text_bytes / 1e6,
               (double) text_bytes / docs);
    if (!reuse && !append) {
        printf("cleaning (match form included): %.0f documents/s\n", docs / clean_s);
        long long used = s_used_bytes(path);
        printf("wirewatch index: %.0f documents/s indexed; file %.1f MB, %.1f MB in use = %.2fx the text"
               " (articles and their packed texts included; the rest are free pages later writes reuse)\n",
               docs / index_s, (double) s_file_size(path) / 1e6, (double) used / 1e6,
               (double) used / (double) text_bytes);
        printf("idle merging of the index afterwards: %.1f s (queries below run on the merged index)\n", merge_s);
        if (with_tri)
            printf("trigram index:   %.0f documents/s indexed; file %.1f MB = %.2fx the text\n", docs / tri_s,
                   (double) s_file_size(tripath) / 1e6, (double) s_file_size(tripath) / (double) text_bytes);
        else
            printf("trigram index:   left out (WW_BENCH_TRIGRAM=0)\n");
    }
    const char *names[] = {"", "1 char", "2 chars", "3 chars", "4 chars", "phrase (6 chars)", "boolean"};
    s_stat_t ours[7];
    /* The first search after opening reads the index's pages from the
     * file, the rest mostly from memory: timed on its own, so that it is
     * not the p99 of the first kind below (935 ms at 809,000 articles). */
    s_stat_t cold = s_run_queries(ix, fold, NULL, texts, keep, 2, 1, "first");
    printf("\nfirst search after opening the index (2 characters): %.1f ms\n", cold.median_ms);
    printf("\n%-18s %28s   %28s\n", "query", "wirewatch median/p99 answered", "trigram median/p99 answered");
    for (int k = 1; k <= 6; k++) {
        unsigned seed = s_rng;
        s_stat_t a = ours[k] = s_run_queries(ix, fold, NULL, texts, keep, k, nq, names[k]);
        s_rng = seed; /* the same queries for both */
        s_stat_t b = with_tri ? s_run_queries(NULL, fold, tri, texts, keep, k, nq, names[k]) : (s_stat_t){0};
        printf("%-18s %8.2f ms %8.2f ms %4d/%-4d   %8.2f ms %8.2f ms %4d/%-4d\n", names[k], a.median_ms, a.p99_ms,
               a.answered, a.asked, b.median_ms, b.p99_ms, b.answered, b.asked);
    }
    printf("\nslowest wirewatch query of each kind:\n");
    for (int k = 1; k <= 6; k++)
        printf("  %-18s %.1f ms  %s\n", names[k], ours[k].slowest_ms, ours[k].slowest);
    for (int d = 0; d < keep; d++)
        free(texts[d]);
    free(texts);
    ww_index_close(&ix);
    sqlite3_close(tri);
    ww_fold_destroy(&fold);
    ww_cleaner_destroy(&cleaner);
    bench_corpus_destroy(&corpus);
    return 0;
}
