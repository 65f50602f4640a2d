/* ww_stmt_cache: a small list of prepared statements, looked up by text. */
#include "ww_stmt_cache.h"

#include <czmq.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* More than any store uses; beyond it statements are compiled each time. */
#define S_MAX 64

struct ww_stmt_cache_t {
    sqlite3 *db;
    char *what;
    struct {
        char *sql;
        sqlite3_stmt *st;
        bool busy; /* handed out, not yet given back */
    } kept[S_MAX];
    int count;
};

ww_stmt_cache_t *ww_stmt_cache_new(sqlite3 *db, const char *what)
{
    ww_stmt_cache_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->db = db;
    self->what = strdup(what ? what : "database");
    if (!self->what) {
        free(self);
        return NULL;
    }
    return self;
}

void ww_stmt_cache_destroy(ww_stmt_cache_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    ww_stmt_cache_t *self = *self_p;
    for (int i = 0; i < self->count; i++) {
        sqlite3_finalize(self->kept[i].st);
        free(self->kept[i].sql);
    }
    free(self->what);
    free(self);
    *self_p = NULL;
}

sqlite3_stmt *ww_stmt_get(ww_stmt_cache_t *self, const char *sql)
{
    for (int i = 0; self && i < self->count; i++)
        if (!self->kept[i].busy && (self->kept[i].sql == sql || !strcmp(self->kept[i].sql, sql))) {
            self->kept[i].busy = true;
            return self->kept[i].st;
        }
    sqlite3_stmt *st = NULL;
    if (!self)
        return NULL; /* no cache: it could not be allocated, and was reported */
    if (sqlite3_prepare_v3(self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        zsys_error("%s: %s: %s", self->what, sql, sqlite3_errmsg(self->db));
        sqlite3_finalize(st);
        return NULL;
    }
    char *copy = self->count < S_MAX ? strdup(sql) : NULL;
    if (!copy)
        zsys_warning("%s: statement cache full; %s is compiled each time", self->what, sql);
    else {
        self->kept[self->count].sql = copy;
        self->kept[self->count].st = st;
        self->kept[self->count++].busy = true;
    }
    return st; /* not kept when the list is full: ww_stmt_done finalizes it */
}

void ww_stmt_done(ww_stmt_cache_t *self, sqlite3_stmt *st)
{
    if (!st)
        return;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    for (int i = 0; self && i < self->count; i++)
        if (self->kept[i].st == st) {
            self->kept[i].busy = false;
            return;
        }
    sqlite3_finalize(st);
}
