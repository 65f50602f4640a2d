/* ww_literal_program: a query decided by which of its literals an article
 * holds, without reading the article again.
 *
 * Why: after the scan the matcher knows, for every literal in its tables,
 * the fields it was found in. A term whose literal is the whole term and
 * whose presence is exact (a run of CJK characters, found byte for byte;
 * a word short enough for the unit table, found as a whole unit) is true
 * in a field exactly when its literal was found there. A query made only
 * of such terms, with AND, OR and NOT and no date filter, is then a small
 * boolean program over those findings. At 100,000 watches most evaluated
 * candidates are such queries (two words ANDed, a word without another),
 * and walking the article's occurrences of a common character for each
 * cost about 275 ns per query; the program reads a few words.
 *
 * A program is postfix: a length word, then TERM (literal id and field
 * bits), AND n, OR n and NOT words. */
#ifndef WW_LITERAL_PROGRAM_H
#define WW_LITERAL_PROGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ww_query.h"

#define WW_LP_MAX_LITERAL_ID ((1u << 24) - 1)

typedef struct {
    uint32_t *words;
    size_t count, cap;
} ww_lp_buf_t;

/* Gives a literal's id (at most WW_LP_MAX_LITERAL_ID); the literal is
 * handed over (the callee frees or keeps it). */
typedef uint32_t (*ww_lp_intern_fn)(char *literal, void *arg);

/* Appends q's program to out and returns its offset, or -1 if q cannot be
 * decided from its literals (out unchanged). exact(len, cjk_run) says
 * whether a literal of that kind is found exactly. */
typedef bool (*ww_lp_exact_fn)(size_t len, bool cjk_run);
long ww_lp_build(const ww_query_t *q, ww_lp_exact_fn exact, ww_lp_intern_fn intern, void *arg, ww_lp_buf_t *out);

/* Runs a program: seen[id] >> 4 == generation means the literal was found
 * in this article, in the fields of its low four bits. */
bool ww_lp_run(const uint32_t *program, const uint32_t *seen, uint32_t generation);

/* Asks the cache for the states of program's literals in seen, a few
 * candidates before ww_lp_run reads them: at a million watches each is a
 * miss of its own. */
void ww_lp_prefetch(const uint32_t *program, const uint32_t *seen);

void ww_lp_buf_free(ww_lp_buf_t *buf);

#endif
