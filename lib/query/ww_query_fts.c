/* ww_query_fts: translation of a parsed query into an FTS5 MATCH expression
 * for the wirewatch tokenizer (every term quoted, so FTS5 hands it to our
 * tokenizer whole and matches it as a phrase of units). */
#include "ww_query.h"
#include "ww_buf.h"
#include "ww_units.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *s_columns(ww_field_t f)
{
    switch (f) {
    case WW_F_TITLE:
        return "{title}";
    case WW_F_BODY:
        return "{body}";
    case WW_F_SOURCE:
        return "{source}";
    case WW_F_AUTHOR:
        return "{author}";
    default:
        return "{title body}";
    }
}

static bool s_positive(const ww_qnode_t *n)
{
    return n->type != WW_Q_NOT;
}

/* Adds bytes [from, to) of text, quotes doubled as inside an FTS5 string. */
static void s_escaped(ww_buf_t *b, const char *text, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        if (text[i] == '"')
            ww_buf_addc(b, '"');
        ww_buf_addc(b, text[i]);
    }
}

/* Adds bytes [from, to) of text as an FTS5 string. */
static void s_quoted(ww_buf_t *b, const char *text, size_t from, size_t to)
{
    ww_buf_addc(b, '"');
    s_escaped(b, text, from, to);
    ww_buf_addc(b, '"');
}

/* Up to this many gaps each is spelled both ways, all spellings OR'd: 32
 * phrases took 25 ms on 20,000 articles. Past it, s_approximate. */
#define S_GAPS_SPELLED 5

/* Gaps of a term (gap: room for n entries): CJK characters that a space
 * or punctuation parts. The phrase matches them whether the text parts
 * them or not (ww_query_eval, the one definition), but the index holds a
 * character where its run goes on only as the start of a bigram
 * (ww_tokenizer.h, version 2). */
static size_t s_gaps(const ww_unit_t *u, size_t n, size_t *gap)
{
    size_t g = 0;
    for (size_t i = 0; i + 1 < n; i++)
        if (ww_units_gap(&u[i], &u[i + 1]))
            gap[g++] = i;
    return g;
}

/* One spelling (g <= S_GAPS_SPELLED): the gaps whose bit is set in
 * joined written closed up. */
static void s_spelling(ww_buf_t *b, const char *text, const ww_unit_t *u, const size_t *gap, size_t g, unsigned joined)
{
    ww_buf_addc(b, '"');
    size_t from = 0;
    for (size_t k = 0; k < g; k++)
        if (joined >> k & 1) {
            s_escaped(b, text, from, u[gap[k]].start + u[gap[k]].len);
            from = u[gap[k] + 1].start;
        }
    s_escaped(b, text, from, strlen(text));
    ww_buf_addc(b, '"');
}

/* Many gaps, where spelling each both ways would make too many phrases:
 * for a term that must match, its pieces between the gaps, each a phrase,
 * all in the row (more rows than the term: adjacency across gaps is
 * lost); for one that must not, the term spelled with every gap parted or
 * every gap closed (fewer rows). Either way the whole query then matches a
 * superset of its rows, which the search checks with the watch matcher. */
static int s_approximate(ww_buf_t *b, const char *cols, const char *text, const ww_unit_t *u, const size_t *gap,
                         size_t g, bool negated)
{
    ww_buf_addc(b, '(');
    if (negated) {
        char *closed = ww_units_closed_up(text);
        if (!closed)
            return -1;
        ww_buf_printf(b, "%s : ", cols);
        s_quoted(b, text, 0, strlen(text));
        ww_buf_printf(b, " OR %s : ", cols);
        s_quoted(b, closed, 0, strlen(closed));
        free(closed);
    } else {
        size_t from = 0;
        for (size_t k = 0; k <= g; k++) {
            size_t to = k < g ? u[gap[k]].start + u[gap[k]].len : strlen(text);
            ww_buf_printf(b, "%s%s : ", k ? " AND " : "", cols);
            s_quoted(b, text, from, to);
            if (k < g)
                from = u[gap[k] + 1].start;
        }
    }
    ww_buf_addc(b, ')');
    return 0;
}

/* How a query is being translated: whether the node at hand is under a
 * NOT, and whether anything was approximated. */
typedef struct {
    ww_buf_t *b;
    bool negated;
    bool superset;
    char *err;
    size_t errlen;
} s_ctx_t;

/* A term: one phrase, or where CJK characters are parted, the phrase in
 * every spelling of its gaps (or approximated, past S_GAPS_SPELLED). */
static int s_emit_term(const ww_qnode_t *n, s_ctx_t *c)
{
    const char *cols = s_columns(n->field);
    size_t count = 0;
    ww_unit_t *u = ww_units(n->text, strlen(n->text), &count);
    size_t *gap = u ? malloc(count * sizeof *gap) : NULL;
    if (u && !gap) {
        free(u);
        snprintf(c->err, c->errlen, "out of memory");
        return -1;
    }
    size_t g = u ? s_gaps(u, count, gap) : 0;
    int rc = 0;
    if (g == 0) {
        ww_buf_printf(c->b, "%s : ", cols);
        s_quoted(c->b, n->text, 0, strlen(n->text));
    } else if (g <= S_GAPS_SPELLED) {
        ww_buf_addc(c->b, '(');
        for (unsigned joined = 0; joined < 1u << g; joined++) {
            ww_buf_printf(c->b, "%s%s : ", joined ? " OR " : "", cols);
            s_spelling(c->b, n->text, u, gap, g, joined);
        }
        ww_buf_addc(c->b, ')');
    } else if (s_approximate(c->b, cols, n->text, u, gap, g, c->negated) == 0)
        c->superset = true;
    else {
        snprintf(c->err, c->errlen, "out of memory");
        rc = -1;
    }
    free(gap);
    free(u);
    return rc;
}

static int s_emit(const ww_qnode_t *n, s_ctx_t *c)
{
    ww_buf_t *b = c->b;
    switch (n->type) {
    case WW_Q_TERM:
        return s_emit_term(n, c);
    case WW_Q_OR:
        ww_buf_addc(b, '(');
        for (size_t i = 0; i < n->nkids; i++) {
            if (!s_positive(n->kids[i])) {
                snprintf(c->err, c->errlen, "search cannot use NOT inside OR; rewrite the query");
                return -1;
            }
            if (i)
                ww_buf_adds(b, " OR ");
            if (s_emit(n->kids[i], c) < 0)
                return -1;
        }
        ww_buf_addc(b, ')');
        return 0;
    case WW_Q_AND: {
        size_t positives = 0;
        ww_buf_addc(b, '(');
        for (size_t i = 0; i < n->nkids; i++) {
            if (!s_positive(n->kids[i]))
                continue;
            if (positives++)
                ww_buf_adds(b, " AND ");
            if (s_emit(n->kids[i], c) < 0)
                return -1;
        }
        if (!positives) {
            snprintf(c->err, c->errlen, "search needs at least one term that is not negated");
            return -1;
        }
        for (size_t i = 0; i < n->nkids; i++) {
            if (s_positive(n->kids[i]))
                continue;
            ww_buf_adds(b, " NOT ");
            c->negated = !c->negated;
            int rc = s_emit(n->kids[i]->kids[0], c);
            c->negated = !c->negated;
            if (rc < 0)
                return -1;
        }
        ww_buf_addc(b, ')');
        return 0;
    }
    case WW_Q_NOT:
        snprintf(c->err, c->errlen, "search needs at least one term that is not negated");
        return -1;
    }
    return -1;
}

char *ww_query_to_fts(const ww_query_t *q, bool *superset, char *err, size_t errlen)
{
    if (superset)
        *superset = false;
    if (!q->root) {
        snprintf(err, errlen, "search needs at least one term besides since:/until:");
        return NULL;
    }
    ww_buf_t b;
    ww_buf_init(&b, 64 * 1024);
    s_ctx_t c = {&b, false, false, err, errlen};
    if (s_emit(q->root, &c) < 0) {
        ww_buf_free(&b);
        return NULL;
    }
    if (superset)
        *superset = c.superset;
    return ww_buf_take(&b);
}
