/* ww_presearch: what an article must contain for a query to have a chance.
 * For each query, a set of literals such that any article the query matches
 * contains at least one of them somewhere in its match form (the presearcher
 * idea of Lucene Monitor): a term gives its longest piece that must appear
 * contiguously (a word, or a run of CJK characters that touch in the term);
 * AND needs only one operand's set (the one with the longest shortest
 * literal), OR needs the union, and NOT needs nothing. A query for which no
 * such set exists (only negations, only date filters) must be evaluated for
 * every article.
 *
 * Some literals are also proof: a term that is one run of CJK characters
 * matches exactly where its bytes occur (UTF-8 is self-synchronising and
 * every CJK character is a unit of its own), so a query that is such a
 * term, or an OR of such terms, without date filters, needs no evaluation
 * once its literal was seen in a field the term looks at.
 *
 * A literal found only outside the fields its term looks at (title: terms
 * and the body) makes no candidate. */
#ifndef WW_PRESEARCH_H
#define WW_PRESEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "ww_query.h"

/* Fields in which a literal's presence alone proves the query: bit 1 << f
 * for f = 0 title, 1 body, 2 source, 3 author. */
#define WW_PROVES_TITLE  1u
#define WW_PROVES_BODY   2u
#define WW_PROVES_SOURCE 4u
#define WW_PROVES_AUTHOR 8u

typedef struct {
    char **items;          /* literal bytes, NUL-terminated, owned */
    unsigned char *proves; /* per item: fields where finding it proves the query (0: evaluate) */
    unsigned char *fields; /* per item: fields where finding it can matter (same bits) */
    size_t count;
    bool always; /* no literal set exists: evaluate for every article */
} ww_literals_t;

/* The longest piece of a term's text that must appear byte for byte where
 * the term matches (one word, or a run of touching CJK characters; *cjk_run
 * says which), or NULL if the term has no unit. Caller frees. */
char *ww_presearch_term_literal(const char *text, bool *cjk_run);
/* The WW_PROVES_* bits of the fields a term with this prefix looks at. */
unsigned char ww_presearch_field_bits(ww_field_t field);

/* Fills out for q. Caller frees with ww_literals_free. */
void ww_presearch_literals(const ww_query_t *q, ww_literals_t *out);
void ww_literals_free(ww_literals_t *lits);

#endif
