/* ww_tokenizer: FTS5 tokenizer registration and the tokenize callback. */
#include "ww_tokenizer.h"
#include "ww_units.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* sqlite3.h declares the FTS5 API only through fts5.h-like definitions in
 * the amalgamation; Debian's header includes them. */

typedef struct {
    int dummy; /* FTS5 wants a tokenizer object; ours has no state */
} s_tok_t;

static int s_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
    (void) ctx;
    (void) argv;
    (void) argc;
    s_tok_t *t = calloc(1, sizeof *t);
    if (!t)
        return SQLITE_NOMEM;
    *out = (Fts5Tokenizer *) t;
    return SQLITE_OK;
}

static void s_delete(Fts5Tokenizer *t)
{
    free(t);
}

typedef struct {
    const char *text;
    void *ctx;
    int (*emit)(void *, int, const char *, int, int, int);
    int query;      /* tokenizing a query */
    ww_unit_t prev; /* the previous unit, held back one step */
    int have_prev;
} s_run_t;

/* Emits the held unit, now that we know what follows it. */
static int s_flush(s_run_t *r, const ww_unit_t *next)
{
    const ww_unit_t *u = &r->prev;
    int start = (int) u->start, end = (int) (u->start + u->len);
    int bigram = u->cjk && next && next->cjk && next->start == u->start + u->len;
    /* Only units that touch make a bigram: CJK text separated by a space or
     * punctuation is two runs, as it is for the matcher's unit walk too. */
    if (r->query) {
        if (bigram)
            return r->emit(r->ctx, 0, r->text + u->start, (int) (u->len + next->len), start,
                           (int) (next->start + next->len));
        return r->emit(r->ctx, 0, r->text + u->start, (int) u->len, start, end);
    }
    int rc = r->emit(r->ctx, 0, r->text + u->start, (int) u->len, start, end);
    if (rc == SQLITE_OK && bigram)
        rc = r->emit(r->ctx, FTS5_TOKEN_COLOCATED, r->text + u->start, (int) (u->len + next->len), start,
                     (int) (next->start + next->len));
    return rc;
}

static int s_unit(const ww_unit_t *u, void *arg)
{
    s_run_t *r = arg;
    if (r->have_prev) {
        int rc = s_flush(r, u);
        if (rc != SQLITE_OK)
            return rc;
    }
    r->prev = *u;
    r->have_prev = 1;
    return 0;
}

static int s_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int len,
                      int (*emit)(void *, int, const char *, int, int, int))
{
    (void) t;
    s_run_t r = {text, ctx, emit, (flags & FTS5_TOKENIZE_QUERY) != 0, {0, 0, false}, 0};
    int rc = ww_units_each(text, (size_t) len, s_unit, &r);
    if (rc == 0 && r.have_prev)
        rc = s_flush(&r, NULL);
    return rc;
}

fts5_api *ww_fts5_api(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_pointer(st, 1, (void *) &api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    return api;
}

int ww_tokenizer_register(sqlite3 *db)
{
    fts5_api *api = ww_fts5_api(db);
    if (!api)
        return SQLITE_ERROR;
    static fts5_tokenizer tok = {s_create, s_delete, s_tokenize};
    return api->xCreateTokenizer(api, "wirewatch", NULL, &tok, NULL);
}
