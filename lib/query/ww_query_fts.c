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

/* Adds bytes [from, to) of text as an FTS5 string (quotes doubled). */
static void s_quoted(ww_buf_t *b, const char *text, size_t from, size_t to)
{
    ww_buf_addc(b, '"');
    for (size_t i = from; i < to; i++) {
        if (text[i] == '"')
            ww_buf_addc(b, '"');
        ww_buf_addc(b, text[i]);
    }
    ww_buf_addc(b, '"');
}

/* Gaps of a term: CJK characters that a space or punctuation parts. The
 * phrase matches them whether the text parts them or not (ww_query_eval,
 * the one definition), but the index holds a character where its run goes
 * on only as the start of a bigram (ww_tokenizer.h, version 2). */
#define S_GAPS_SPELLED 3 /* up to this many: each spelled both ways, OR'd */

/* gap: room for n entries */
static size_t s_gaps(const ww_unit_t *u, size_t n, size_t *gap)
{
    size_t g = 0;
    for (size_t i = 0; i + 1 < n; i++)
        if (u[i].cjk && u[i + 1].cjk && u[i + 1].start != u[i].start + u[i].len)
            gap[g++] = i;
    return g;
}

/* One spelling: the gaps whose bit is set in joined written closed up. */
static void s_spelling(ww_buf_t *b, const char *text, const ww_unit_t *u, const size_t *gap, size_t g, unsigned joined)
{
    ww_buf_addc(b, '"');
    size_t from = 0;
    for (size_t k = 0; k <= g; k++) {
        size_t to = k < g && (joined >> k & 1) ? u[gap[k]].start + u[gap[k]].len : strlen(text);
        if (k < g && !(joined >> k & 1))
            continue;
        for (size_t i = from; i < to; i++) {
            if (text[i] == '"')
                ww_buf_addc(b, '"');
            ww_buf_addc(b, text[i]);
        }
        if (k < g)
            from = u[gap[k] + 1].start;
    }
    ww_buf_addc(b, '"');
}

/* Many gaps: the phrase in pieces joined with "+", the character before
 * each gap a prefix token: at its position the text holds either the
 * character alone or its bigram with what follows, and the next piece
 * pins what follows. */
static void s_pieces(ww_buf_t *b, const char *text, const ww_unit_t *u, size_t n, const size_t *gap, size_t g)
{
    size_t from = 0;
    for (size_t k = 0; k < g; k++) {
        const ww_unit_t *last = &u[gap[k]];
        bool alone = gap[k] == 0 || !u[gap[k] - 1].cjk || u[gap[k] - 1].start + u[gap[k] - 1].len != last->start ||
                     (k > 0 && gap[k - 1] + 1 == gap[k]);
        /* a run of two or more: its bigrams, then its last character as a
         * prefix; a lone character: only the prefix */
        size_t to = alone ? last->start : last->start + last->len;
        bool any = false; /* a unit before this one in the piece */
        for (size_t i = 0; u[i].start < to; i++)
            any |= u[i].start >= from;
        if (any) {
            s_quoted(b, text, from, to);
            ww_buf_adds(b, " + ");
        }
        s_quoted(b, text, last->start, last->start + last->len);
        ww_buf_adds(b, " * + ");
        from = u[gap[k] + 1].start;
    }
    s_quoted(b, text, from, strlen(text));
    /* the last piece one character: where the text's run goes on, that
     * character too is held only as the start of a bigram */
    if (gap[g - 1] + 2 == n)
        ww_buf_adds(b, " *");
}

/* A term: one phrase, or where CJK characters are parted, the phrase in
 * every spelling of its gaps (or in pieces, past S_GAPS_SPELLED). */
static int s_emit_term(const ww_qnode_t *n, ww_buf_t *b, char *err, size_t errlen)
{
    const char *cols = s_columns(n->field);
    size_t count = 0;
    ww_unit_t *u = ww_units(n->text, strlen(n->text), &count);
    size_t *gap = u ? malloc(count * sizeof *gap) : NULL;
    if (u && !gap) {
        free(u);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    size_t g = u ? s_gaps(u, count, gap) : 0;
    if (g == 0) {
        ww_buf_printf(b, "%s : ", cols);
        s_quoted(b, n->text, 0, strlen(n->text));
    } else if (g <= S_GAPS_SPELLED) {
        ww_buf_addc(b, '(');
        for (unsigned joined = 0; joined < 1u << g; joined++) {
            ww_buf_printf(b, "%s%s : ", joined ? " OR " : "", cols);
            s_spelling(b, n->text, u, gap, g, joined);
        }
        ww_buf_addc(b, ')');
    } else {
        ww_buf_printf(b, "%s : ", cols);
        s_pieces(b, n->text, u, count, gap, g);
    }
    free(gap);
    free(u);
    return 0;
}

static int s_emit(const ww_qnode_t *n, ww_buf_t *b, char *err, size_t errlen)
{
    switch (n->type) {
    case WW_Q_TERM:
        return s_emit_term(n, b, err, errlen);
    case WW_Q_OR:
        ww_buf_addc(b, '(');
        for (size_t i = 0; i < n->nkids; i++) {
            if (!s_positive(n->kids[i])) {
                snprintf(err, errlen, "search cannot use NOT inside OR; rewrite the query");
                return -1;
            }
            if (i)
                ww_buf_adds(b, " OR ");
            if (s_emit(n->kids[i], b, err, errlen) < 0)
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
            if (s_emit(n->kids[i], b, err, errlen) < 0)
                return -1;
        }
        if (!positives) {
            snprintf(err, errlen, "search needs at least one term that is not negated");
            return -1;
        }
        for (size_t i = 0; i < n->nkids; i++) {
            if (s_positive(n->kids[i]))
                continue;
            ww_buf_adds(b, " NOT ");
            if (s_emit(n->kids[i]->kids[0], b, err, errlen) < 0)
                return -1;
        }
        ww_buf_addc(b, ')');
        return 0;
    }
    case WW_Q_NOT:
        snprintf(err, errlen, "search needs at least one term that is not negated");
        return -1;
    }
    return -1;
}

char *ww_query_to_fts(const ww_query_t *q, char *err, size_t errlen)
{
    if (!q->root) {
        snprintf(err, errlen, "search needs at least one term besides since:/until:");
        return NULL;
    }
    ww_buf_t b;
    ww_buf_init(&b, 64 * 1024);
    if (s_emit(q->root, &b, err, errlen) < 0) {
        ww_buf_free(&b);
        return NULL;
    }
    return ww_buf_take(&b);
}
