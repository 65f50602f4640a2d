/* ww_stmt_cache: statements prepared once per connection and kept.
 * Compiling a statement costs more than running most of ours: the index's
 * dozen statements per article, and the delivery log's per alert (a tenth
 * of the notifier's time in a burst went to sqlite3_prepare_v2). */
#ifndef WW_STMT_CACHE_H
#define WW_STMT_CACHE_H

#include <sqlite3.h>

typedef struct ww_stmt_cache_t ww_stmt_cache_t;

/* A cache for db; what names the store in error messages (its path). */
ww_stmt_cache_t *ww_stmt_cache_new(sqlite3 *db, const char *what);
/* Finalizes every kept statement; before the connection closes. */
void ww_stmt_cache_destroy(ww_stmt_cache_t **self_p);
/* The statement for sql, ready to bind; NULL (logged) if it does not
 * compile. Give it back with ww_stmt_done, never finalize it. One use at a
 * time: a statement still being stepped is not handed out twice. */
sqlite3_stmt *ww_stmt_get(ww_stmt_cache_t *self, const char *sql);
/* Resets st and clears its bindings for its next use (NULL is ignored). */
void ww_stmt_done(ww_stmt_cache_t *self, sqlite3_stmt *st);

#endif
