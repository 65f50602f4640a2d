/* ww_matcher: many queries matched against one article at a time. Every
 * query's required literals (ww_presearch) go into one Vectorscan literal
 * database, or, when short, into a table of units (ww_short_literals.h);
 * an article's match form is scanned once, and only the queries
 * whose literals were seen, plus those that have no literal set, are
 * evaluated with ww_query_matches. The result is exactly that of
 * evaluating every query (the naive matcher is the test oracle).
 *
 * Queries are added, then compiled; a compiled matcher is read-only and
 * may be shared by threads that each bring their own ww_match_scratch_t. */
#ifndef WW_MATCHER_H
#define WW_MATCHER_H

#include <stdbool.h>
#include <stddef.h>

#include "ww_query.h"

typedef struct ww_matcher_t ww_matcher_t;
typedef struct ww_match_scratch_t ww_match_scratch_t;

ww_matcher_t *ww_matcher_new(void);
void ww_matcher_destroy(ww_matcher_t **self_p);

/* Adds a query (borrowed: it must outlive the matcher) under a number the
 * caller chooses. Only before ww_matcher_compile. A query not yet packed
 * (ww_query_pack) is copied into one block for evaluation speed. */
void ww_matcher_add(ww_matcher_t *self, const ww_query_t *query, size_t ref);
/* Builds the literal database. 0, or -1 with a reason in err. */
int ww_matcher_compile(ww_matcher_t *self, char *err, size_t errlen);

ww_match_scratch_t *ww_match_scratch_new(const ww_matcher_t *self);
void ww_match_scratch_destroy(ww_match_scratch_t **scratch_p);

/* Calls fn(ref) for every query the article matches. Identical queries
 * added under several refs are matched once and reported for each ref.
 * Returns how many matched, or -1 if the scan failed. Only the ref is
 * passed: a query its literal proves is never read (a cache miss each, at
 * a million watches), and the caller knows its queries by ref anyway. */
typedef void (*ww_matcher_hit_fn)(size_t ref, void *arg);
int ww_matcher_match(const ww_matcher_t *self, ww_match_scratch_t *scratch, const ww_qprep_t *prep,
                     ww_matcher_hit_fn fn, void *arg);

/* Totals since the scratch was made: articles scanned, queries evaluated
 * (the candidates a literal did not already prove), queries matched. */
void ww_match_scratch_counts(const ww_match_scratch_t *scratch, size_t *articles, size_t *evaluated, size_t *matched);

typedef struct {
    size_t queries;        /* added */
    size_t distinct;       /* of them different: identical queries are matched once */
    size_t literals;       /* distinct literals */
    size_t short_literals; /* of which found by unit lookups, not by Vectorscan */
    size_t always;         /* queries evaluated for every article */
    size_t programs;       /* queries decided by literal programs (ww_literal_program.h) */
    size_t direct;         /* queries that are one literal, reported from its list without evaluation */
    size_t database_bytes; /* Vectorscan's database and the short-literal table */
    size_t table_bytes;    /* literal-to-query tables */
    double compile_seconds;
} ww_matcher_stats_t;
void ww_matcher_stats(const ww_matcher_t *self, ww_matcher_stats_t *out);

#endif
