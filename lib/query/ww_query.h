/* ww_query: the one query language of searches and watches: words and CJK
 * strings, "exact phrases", implicit AND, OR, NOT or a leading -, parentheses,
 * field prefixes title: source: author: body:, and date filters since: and
 * until: (2022-05-01, or a span back from now such as 7d, 12h).
 *
 * Terms are normalised to the match form when parsed, so a query written in
 * traditional script or full width meets simplified text.
 * Ownership: a parsed query owns its nodes; ww_query_destroy frees them. */
#ifndef WW_QUERY_H
#define WW_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "ww_fold.h"

#define WW_QUERY_MAX_BYTES 1024
#define WW_QUERY_MAX_TERMS 64
#define WW_QUERY_MAX_DEPTH 16

typedef enum { WW_Q_TERM, WW_Q_AND, WW_Q_OR, WW_Q_NOT } ww_qtype_t;
typedef enum { WW_F_ANY, WW_F_TITLE, WW_F_BODY, WW_F_SOURCE, WW_F_AUTHOR } ww_field_t;

typedef struct ww_qnode_t ww_qnode_t;
struct ww_qnode_t {
    ww_qtype_t type;
    ww_field_t field;  /* terms: where to look */
    char *text;        /* terms: match form */
    bool phrase;       /* terms: written in quotes */
    ww_qnode_t **kids; /* AND/OR: operands; NOT: one operand */
    size_t nkids;
    struct ww_unit_t *units; /* terms: text cut into units once, at parse time */
    size_t nunits;
};

typedef struct {
    ww_qnode_t *root;    /* NULL when the query has only filters */
    time_t since, until; /* 0 when absent */
    size_t terms;        /* number of term nodes */
    bool packed;         /* made by ww_query_pack: one block */
    size_t packed_bytes;
} ww_query_t;

/* Parses text. Returns NULL with "position N: ..." in err on a syntax error,
 * an empty query, or one over the size caps. now anchors since:7d. */
ww_query_t *ww_query_parse(const char *text, ww_fold_t *fold, time_t now, char *err, size_t errlen);
void ww_query_destroy(ww_query_t **self_p);
/* A copy of q in one block of memory (ww_query_pack.c says why); free it
 * with ww_query_destroy. NULL when out of memory. */
ww_query_t *ww_query_pack(const ww_query_t *q);

/* The fields of one article, in match form, for evaluation. */
typedef struct {
    const char *title, *body, *source, *author;
    time_t published;
} ww_qdoc_t;

/* Prepared document: its units per field, computed once for many queries. */
typedef struct ww_qprep_t ww_qprep_t;
ww_qprep_t *ww_qprep_new(const ww_qdoc_t *doc);
void ww_qprep_destroy(ww_qprep_t **self_p);
/* One field of a prepared document (0 title, 1 body, 2 source, 3 author):
 * its text and units; returns the number of units. */
size_t ww_qprep_field(const ww_qprep_t *prep, int field, const char **text, const struct ww_unit_t **units);

/* True if the article satisfies the query (filters included). */
bool ww_query_matches(const ww_query_t *q, const ww_qprep_t *doc);
/* Adds to out (a NUL-separated list, capped) the positive terms that matched. */
void ww_query_matched_terms(const ww_query_t *q, const ww_qprep_t *doc, char *out, size_t outlen);

/* Translates the query to an FTS5 MATCH expression for columns
 * title, body, source, author. NULL with a reason when the query cannot be
 * searched (only negations, NOT inside OR). Caller frees. *superset (if
 * not NULL) is set when the expression may match rows the query does not
 * (a phrase with many gaps between CJK characters), which the caller must
 * then check with ww_query_matches; it never misses a row the query
 * matches. */
char *ww_query_to_fts(const ww_query_t *q, bool *superset, char *err, size_t errlen);

/* Positive terms in match form, in order, for snippets (NULL-terminated
 * array of borrowed strings; caller frees the array only). */
const char **ww_query_positive_terms(const ww_query_t *q);

#endif
