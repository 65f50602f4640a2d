/* ww_literal_program: boolean programs over found literals. */
#include "ww_literal_program.h"
#include "ww_grow.h"
#include "ww_presearch.h"

#include <stdlib.h>
#include <string.h>

#define S_OP_TERM 0u
#define S_OP_AND  1u
#define S_OP_OR   2u
#define S_OP_NOT  3u
#define S_OP(w)   ((w) >> 30)
/* TERM: fields in bits 24-27, literal id below; AND/OR: arity below */
#define S_TERM(id, fields) (S_OP_TERM << 30 | (uint32_t) (fields) << 24 | (uint32_t) (id))

/* Every term decidable? Checked first so a failed build appends nothing. */
static bool s_decidable(const ww_qnode_t *n, ww_lp_exact_fn exact)
{
    if (n->type != WW_Q_TERM) {
        for (size_t i = 0; i < n->nkids; i++)
            if (!s_decidable(n->kids[i], exact))
                return false;
        return n->nkids > 0;
    }
    bool cjk_run = false;
    char *lit = ww_presearch_term_literal(n->text, &cjk_run);
    bool ok = lit && !strcmp(lit, n->text) && exact(strlen(lit), cjk_run);
    free(lit);
    return ok;
}

static bool s_push(ww_lp_buf_t *out, uint32_t word)
{
    uint32_t *words = ww_grow(out->words, &out->cap, out->count + 1, sizeof *words, 1024);
    if (!words)
        return false;
    out->words = words;
    out->words[out->count++] = word;
    return true;
}

static bool s_emit(const ww_qnode_t *n, ww_lp_intern_fn intern, void *arg, ww_lp_buf_t *out)
{
    switch (n->type) {
    case WW_Q_TERM: {
        bool cjk_run = false;
        uint32_t id = intern(ww_presearch_term_literal(n->text, &cjk_run), arg);
        return id <= WW_LP_MAX_LITERAL_ID && s_push(out, S_TERM(id, ww_presearch_field_bits(n->field)));
    }
    case WW_Q_NOT:
        return s_emit(n->kids[0], intern, arg, out) && s_push(out, S_OP_NOT << 30);
    case WW_Q_AND:
    case WW_Q_OR:
        for (size_t i = 0; i < n->nkids; i++)
            if (!s_emit(n->kids[i], intern, arg, out))
                return false;
        return s_push(out, (n->type == WW_Q_AND ? S_OP_AND : S_OP_OR) << 30 | (uint32_t) n->nkids);
    }
    return false;
}

long ww_lp_build(const ww_query_t *q, ww_lp_exact_fn exact, ww_lp_intern_fn intern, void *arg, ww_lp_buf_t *out)
{
    if (!q->root || q->since || q->until || q->terms > WW_QUERY_MAX_TERMS || !s_decidable(q->root, exact))
        return -1;
    size_t at = out->count;
    if (!s_push(out, 0))
        return -1;
    if (!s_emit(q->root, intern, arg, out)) {
        out->count = at; /* the literals interned stay; they are harmless */
        return -1;
    }
    out->words[at] = (uint32_t) (out->count - at - 1);
    return (long) at;
}

bool ww_lp_run(const uint32_t *program, const uint32_t *seen, uint32_t generation)
{
    /* a query has at most WW_QUERY_MAX_TERMS terms, so the stack is bounded */
    bool stack[2 * WW_QUERY_MAX_TERMS + 2];
    size_t top = 0;
    uint32_t n = program[0];
    for (uint32_t i = 1; i <= n; i++) {
        uint32_t w = program[i];
        switch (S_OP(w)) {
        case S_OP_TERM: {
            uint32_t s = seen[w & WW_LP_MAX_LITERAL_ID];
            stack[top++] = s >> 4 == generation && (s & (w >> 24 & 15u));
            break;
        }
        case S_OP_NOT:
            stack[top - 1] = !stack[top - 1];
            break;
        default: {
            size_t arity = w & 0xFFFFu;
            bool all = true, any = false;
            for (size_t k = top - arity; k < top; k++) {
                all &= stack[k];
                any |= stack[k];
            }
            top -= arity;
            stack[top++] = S_OP(w) == S_OP_AND ? all : any;
        }
        }
    }
    return top == 1 && stack[0];
}

void ww_lp_prefetch(const uint32_t *program, const uint32_t *seen)
{
    uint32_t n = program[0];
    for (uint32_t i = 1; i <= n; i++)
        if (S_OP(program[i]) == S_OP_TERM)
            __builtin_prefetch(&seen[program[i] & WW_LP_MAX_LITERAL_ID]);
}

void ww_lp_buf_free(ww_lp_buf_t *buf)
{
    free(buf->words);
    memset(buf, 0, sizeof *buf);
}
