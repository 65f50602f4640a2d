/* ww_tokenizer: FTS5 tokenizer registration and the tokenize callback. */
#include "ww_tokenizer.h"
#include "ww_units.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* sqlite3.h declares the FTS5 API only through fts5.h-like definitions in
 * the amalgamation; Debian's header includes them. */

typedef struct {
    int version; /* 1 or 2, as ww_tokenizer.h describes */
} s_tok_t;

static int s_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
    (void) ctx;
    int version = 1;
    if (argc > 0) {
        if (strcmp(argv[0], "2") != 0)
            return SQLITE_ERROR; /* a version this build does not know */
        version = 2;
    }
    s_tok_t *t = calloc(1, sizeof *t);
    if (!t)
        return SQLITE_NOMEM;
    t->version = version;
    *out = (Fts5Tokenizer *) t;
    return SQLITE_OK;
}

static void s_delete(Fts5Tokenizer *t)
{
    free(t);
}

/* The CJK characters one call has emitted on their own (version 2): open
 * addressing over the character's bytes. When it fills, characters not in
 * it are emitted again, which costs space, never a match. */
#define S_SEEN_SLOTS 4096
#define S_SEEN_MAX   3000

typedef struct {
    uint32_t key[S_SEEN_SLOTS]; /* the character's UTF-8 bytes; 0 empty */
    int count;
} s_seen_t;

/* True the first time a character is offered (or once the set is full). */
static bool s_first_time(s_seen_t *s, const char *bytes, size_t len)
{
    if (len < 3 || len > 4) /* a CJK unit is one character of 3 or 4 bytes */
        return true;
    /* byte by byte: a memcpy of a variable length went through the library,
     * and the load of its result stalled on the store (three quarters of
     * the tokenizer's time; bench_index went from 1,497 to 1,727 documents/s
     * without it) */
    const unsigned char *b = (const unsigned char *) bytes;
    uint32_t key =
        (uint32_t) b[0] | (uint32_t) b[1] << 8 | (uint32_t) b[2] << 16 | (len == 4 ? (uint32_t) b[3] << 24 : 0);
    uint32_t h = (key * 2654435761u) >> 20;
    for (;; h = (h + 1) & (S_SEEN_SLOTS - 1)) {
        if (s->key[h] == key)
            return false;
        if (s->key[h] == 0)
            break;
    }
    if (s->count >= S_SEEN_MAX)
        return true;
    s->key[h] = key;
    s->count++;
    return true;
}

typedef struct {
    const char *text;
    void *ctx;
    int (*emit)(void *, int, const char *, int, int, int);
    int query;      /* tokenizing a query */
    int version;    /* of the table's tokenizer */
    ww_unit_t prev; /* the previous unit, held back one step */
    int have_prev;
    int joined;     /* the held unit touches the CJK unit before it */
    s_seen_t *seen; /* version 2 documents, made at their first CJK unit */
} s_run_t;

/* Version 1: every unit a token at its own position, with its bigram
 * colocated; a query walks bigrams and ends on its last character. */
static int s_flush_v1(s_run_t *r, const ww_unit_t *u, const ww_unit_t *next, int bigram)
{
    int start = (int) u->start, end = (int) (u->start + u->len);
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

/* Version 2: inside a CJK run only the bigram has the position; a
 * character is a token of its own where a phrase may need it (the first
 * and last of a run, beside other units) and at its first occurrence, which
 * is all a one-character query needs to find the row. Half the tokens of
 * version 1 were those characters. */
static int s_flush_v2(s_run_t *r, const ww_unit_t *u, const ww_unit_t *next, int bigram)
{
    int start = (int) u->start, end = (int) (u->start + u->len);
    const char *at = r->text + u->start;
    if (!u->cjk)
        return r->emit(r->ctx, 0, at, (int) u->len, start, end);
    if (r->query) {
        if (bigram)
            return r->emit(r->ctx, 0, at, (int) (u->len + next->len), start, (int) (next->start + next->len));
        /* A query's run of two or more characters is its bigrams; its last
         * character is a token only if the phrase goes on after it, where
         * the text, too, has it on its own (the end of a run). */
        if (r->joined && !next)
            return SQLITE_OK;
        return r->emit(r->ctx, 0, at, (int) u->len, start, end);
    }
    if (!r->seen && !(r->seen = calloc(1, sizeof *r->seen)))
        return SQLITE_NOMEM;
    bool first = s_first_time(r->seen, at, u->len);
    if (!bigram)
        return r->emit(r->ctx, 0, at, (int) u->len, start, end);
    int rc = r->emit(r->ctx, 0, at, (int) (u->len + next->len), start, (int) (next->start + next->len));
    if (rc == SQLITE_OK && (!r->joined || first))
        rc = r->emit(r->ctx, FTS5_TOKEN_COLOCATED, at, (int) u->len, start, end);
    return rc;
}

/* Emits the held unit, now that we know what follows it. */
static int s_flush(s_run_t *r, const ww_unit_t *next)
{
    const ww_unit_t *u = &r->prev;
    /* Only units that touch make a bigram: CJK text separated by a space or
     * punctuation is two runs, as it is for the matcher's unit walk too. */
    int bigram = next && ww_units_touch(u, next);
    int rc = r->version == 2 ? s_flush_v2(r, u, next, bigram) : s_flush_v1(r, u, next, bigram);
    r->joined = bigram;
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
    s_tok_t *tok = (s_tok_t *) t;
    s_run_t r = {
        .text = text, .ctx = ctx, .emit = emit, .query = (flags & FTS5_TOKENIZE_QUERY) != 0, .version = tok->version};
    int rc = ww_units_each(text, (size_t) len, s_unit, &r);
    if (rc == 0 && r.have_prev)
        rc = s_flush(&r, NULL);
    free(r.seen);
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
