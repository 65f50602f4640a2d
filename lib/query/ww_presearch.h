/* ww_presearch: what an article must contain for a query to have a chance.
 * For each query, a set of literals such that any article the query matches
 * contains at least one of them somewhere in its match form (the presearcher
 * idea of Lucene Monitor): a term gives its longest piece that must appear
 * contiguously (a word, or a run of CJK characters that touch in the term);
 * AND needs only one operand's set (the one with the longest shortest
 * literal), OR needs the union, and NOT needs nothing. A query for which no
 * such set exists (only negations, only date filters) must be evaluated for
 * every article. */
#ifndef WW_PRESEARCH_H
#define WW_PRESEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "ww_query.h"

typedef struct {
    char **items; /* literal bytes, NUL-terminated, owned */
    size_t count;
    bool always; /* no literal set exists: evaluate for every article */
} ww_literals_t;

/* Fills out for q. Caller frees with ww_literals_free. */
void ww_presearch_literals(const ww_query_t *q, ww_literals_t *out);
void ww_literals_free(ww_literals_t *lits);

#endif
