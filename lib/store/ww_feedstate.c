/* ww_feedstate: SQLite implementation of the feed list, its health and
 * the seen items. */
#include "ww_feedstate.h"
#include "ww_db.h"

#include <czmq.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char s_schema[] =
    "CREATE TABLE IF NOT EXISTS feeds(url TEXT PRIMARY KEY, every_ms INTEGER NOT NULL DEFAULT 0, etag TEXT,"
    " last_modified TEXT, next_poll INTEGER NOT NULL DEFAULT 0, last_success INTEGER, last_error TEXT,"
    " failures INTEGER NOT NULL DEFAULT 0, items INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS seen(id TEXT PRIMARY KEY, feed TEXT NOT NULL, link TEXT, hash TEXT NOT NULL,"
    " revision INTEGER NOT NULL DEFAULT 0, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS seen_link ON seen(feed, link, hash);"
    "CREATE INDEX IF NOT EXISTS seen_first ON seen(feed, first_seen);"
    "CREATE INDEX IF NOT EXISTS seen_last ON seen(last_seen);";

/* Columns added after the first release of the feeds table. */
static const char *s_feed_columns[] = {
    "key TEXT",          "title TEXT",          "folder TEXT",           "interval_ms INTEGER NOT NULL DEFAULT 0",
    "last_poll INTEGER", "last_status INTEGER", "last_error_at INTEGER", "warnings TEXT",
    "moved_from TEXT",   "added INTEGER",
};

/* True if the feeds table has the column already. */
static bool s_has_column(sqlite3 *db, const char *column)
{
    sqlite3_stmt *st = NULL;
    bool found = false;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info('feeds') WHERE name=?1", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, column, -1, SQLITE_STATIC);
        found = sqlite3_step(st) == SQLITE_ROW;
    }
    sqlite3_finalize(st);
    return found;
}

int ww_feedstate_migrate(ww_spool_t *spool)
{
    sqlite3 *db = ww_spool_sqlite(spool);
    if (ww_db_exec(db, s_schema) < 0)
        return -1;
    if (s_has_column(db, "added")) /* the newest column: nothing to do */
        return 0;
    for (size_t i = 0; i < sizeof s_feed_columns / sizeof s_feed_columns[0]; i++) {
        char sql[160];
        snprintf(sql, sizeof sql, "ALTER TABLE feeds ADD COLUMN %s", s_feed_columns[i]);
        /* "duplicate column" on files that have it already is expected */
        sqlite3_exec(db, sql, NULL, NULL, NULL);
    }
    return ww_db_exec(db, "UPDATE feeds SET key=url WHERE key IS NULL;"
                          "CREATE UNIQUE INDEX IF NOT EXISTS feeds_key ON feeds(key);");
}

static sqlite3_stmt *s_prep(ww_spool_t *spool, const char *sql)
{
    sqlite3_stmt *st = NULL;
    sqlite3 *db = ww_spool_sqlite(spool);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        zsys_error("feed state: %s: %s", sql, sqlite3_errmsg(db));
        return NULL;
    }
    return st;
}

static void s_bind_text_or_null(sqlite3_stmt *st, int col, const char *text)
{
    if (text)
        sqlite3_bind_text(st, col, text, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, col);
}

/* Runs a prepared statement to its end; changes made, or -1. */
static int s_run(ww_spool_t *spool, sqlite3_stmt *st)
{
    if (!st)
        return -1;
    int rc = sqlite3_step(st) == SQLITE_DONE ? sqlite3_changes(ww_spool_sqlite(spool)) : -1;
    if (rc < 0)
        zsys_error("feed state: %s", sqlite3_errmsg(ww_spool_sqlite(spool)));
    sqlite3_finalize(st);
    return rc;
}

int ww_feedstate_add(ww_spool_t *spool, const char *url, int64_t every_ms, const char *title, const char *folder)
{
    sqlite3_stmt *st = s_prep(spool, "SELECT 1 FROM feeds WHERE url=?1 OR key=?1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
    bool known = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    if (known) {
        /* A feed's schedule (a pending Retry-After among it) is left as it is. */
        st = s_prep(spool, "UPDATE feeds SET every_ms=CASE WHEN ?2 < 0 THEN every_ms ELSE ?2 END,"
                           " title=coalesce(?3, title), folder=coalesce(?4, folder) WHERE url=?1 OR key=?1");
    } else
        st = s_prep(spool, "INSERT INTO feeds(url, key, every_ms, title, folder, added)"
                           " VALUES(?1, ?1, max(?2, 0), ?3, ?4, strftime('%s','now'))");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, every_ms);
    s_bind_text_or_null(st, 3, title && *title ? title : NULL);
    s_bind_text_or_null(st, 4, folder && *folder ? folder : NULL);
    int rc = s_run(spool, st);
    return rc < 0 ? -1 : !known;
}

int ww_feedstate_remove(ww_spool_t *spool, const char *url)
{
    sqlite3_stmt *st = s_prep(spool, "DELETE FROM feeds WHERE url=?1 OR key=?1");
    if (st)
        sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
    return s_run(spool, st);
}

static json_t *s_col(sqlite3_stmt *st, int col)
{
    switch (sqlite3_column_type(st, col)) {
    case SQLITE_NULL:
        return json_null();
    case SQLITE_INTEGER:
        return json_integer(sqlite3_column_int64(st, col));
    default:
        return json_string((const char *) sqlite3_column_text(st, col));
    }
}

static const char s_feed_columns_sql[] =
    "url, key, title, folder, every_ms, interval_ms, etag, last_modified, next_poll, last_poll, last_success,"
    " last_status, last_error, last_error_at, failures, warnings, items, moved_from";

static json_t *s_feed_rows(sqlite3_stmt *st, int extra_columns, const char **extra_names)
{
    static const char *names[] = {"url",          "key",         "title",         "folder",        "every_ms",
                                  "interval_ms",  "etag",        "last_modified", "next_poll",     "last_poll",
                                  "last_success", "last_status", "last_error",    "last_error_at", "failures",
                                  "warnings",     "items",       "moved_from"};
    size_t n = sizeof names / sizeof names[0];
    json_t *list = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *o = json_object();
        for (size_t c = 0; c < n; c++)
            json_object_set_new(o, names[c], s_col(st, (int) c));
        for (int c = 0; c < extra_columns; c++)
            json_object_set_new(o, extra_names[c], s_col(st, (int) n + c));
        json_array_append_new(list, o);
    }
    sqlite3_finalize(st);
    return list;
}

json_t *ww_feedstate_list(ww_spool_t *spool, int64_t now)
{
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT %s, (SELECT count(*) FROM seen WHERE seen.feed=feeds.key AND first_seen > ?1)"
             " FROM feeds ORDER BY coalesce(folder, ''), coalesce(title, url), url",
             s_feed_columns_sql);
    sqlite3_stmt *st = s_prep(spool, sql);
    if (!st)
        return json_array();
    sqlite3_bind_int64(st, 1, now - 86400);
    const char *extra[] = {"items_last_day"};
    return s_feed_rows(st, 1, extra);
}

size_t ww_feedstate_arrivals(ww_spool_t *spool, const char *key, int64_t *out, size_t max)
{
    sqlite3_stmt *st =
        s_prep(spool, "SELECT DISTINCT first_seen FROM seen WHERE feed=?1 ORDER BY first_seen DESC LIMIT ?2");
    if (!st)
        return 0;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, (sqlite3_int64) max);
    size_t n = 0;
    while (n < max && sqlite3_step(st) == SQLITE_ROW)
        out[n++] = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

json_t *ww_feedstate_due(ww_spool_t *spool, int64_t now, int limit)
{
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT %s FROM feeds WHERE next_poll <= ?1 ORDER BY next_poll, url LIMIT ?2",
             s_feed_columns_sql);
    sqlite3_stmt *st = s_prep(spool, sql);
    if (!st)
        return json_array();
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int(st, 2, limit);
    return s_feed_rows(st, 0, NULL);
}

int64_t ww_feedstate_next_due(ww_spool_t *spool, int64_t now)
{
    sqlite3_stmt *st = s_prep(spool, "SELECT min(next_poll) FROM feeds");
    if (!st)
        return -1;
    int64_t next = -1;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        next = sqlite3_column_int64(st, 0) - now;
        if (next < 0)
            next = 0;
    }
    sqlite3_finalize(st);
    return next;
}

int ww_feedstate_record(ww_spool_t *spool, int64_t now, const ww_feed_outcome_t *o)
{
    sqlite3_stmt *st =
        s_prep(spool, "UPDATE feeds SET etag=CASE WHEN ?2 THEN coalesce(?3, etag) ELSE etag END,"
                      " last_modified=CASE WHEN ?2 THEN coalesce(?4, last_modified) ELSE last_modified END,"
                      " next_poll=?5, interval_ms=?6, last_poll=?7, last_status=?8,"
                      " last_success=CASE WHEN ?2 THEN ?7 ELSE last_success END,"
                      " last_error=CASE WHEN ?2 THEN last_error ELSE ?9 END,"
                      " last_error_at=CASE WHEN ?2 THEN last_error_at ELSE ?7 END,"
                      " failures=CASE WHEN ?2 THEN 0 ELSE failures+1 END,"
                      " warnings=CASE WHEN ?2 THEN ?10 ELSE warnings END,"
                      " title=coalesce(title, ?11), items=items+?12 WHERE url=?1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, o->url, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, o->ok);
    s_bind_text_or_null(st, 3, o->etag && *o->etag ? o->etag : NULL);
    s_bind_text_or_null(st, 4, o->last_modified && *o->last_modified ? o->last_modified : NULL);
    sqlite3_bind_int64(st, 5, o->next_poll);
    sqlite3_bind_int64(st, 6, o->interval_ms);
    sqlite3_bind_int64(st, 7, now);
    if (o->http_status)
        sqlite3_bind_int64(st, 8, o->http_status);
    s_bind_text_or_null(st, 9, o->error);
    s_bind_text_or_null(st, 10, o->warnings && *o->warnings ? o->warnings : NULL);
    s_bind_text_or_null(st, 11, o->title && *o->title ? o->title : NULL);
    sqlite3_bind_int(st, 12, o->new_items);
    if (s_run(spool, st) < 0)
        return -1;
    if (!o->moved_to || !strcmp(o->moved_to, o->url))
        return 0;
    /* A permanent redirect: poll the new URL from now on, keep the key. If
     * the new URL is a feed of its own already, this one is its duplicate. */
    st = s_prep(spool, "UPDATE OR IGNORE feeds SET url=?2, moved_from=?1 WHERE url=?1");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, o->url, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, o->moved_to, -1, SQLITE_STATIC);
    if (s_run(spool, st) == 0)
        zsys_warning("feed %s moved to %s, which is also in the feed list", o->url, o->moved_to);
    return 0;
}

ww_seen_t ww_feedstate_seen(ww_spool_t *spool, const char *feed_key, const char *item_id, const char *link,
                            const char *content_hash, int *revision)
{
    *revision = 0;
    sqlite3_stmt *st = s_prep(spool, "SELECT hash, revision FROM seen WHERE id=?1");
    if (!st)
        return WW_SEEN_NEW;
    sqlite3_bind_text(st, 1, item_id, -1, SQLITE_STATIC);
    ww_seen_t verdict = WW_SEEN_NEW;
    if (sqlite3_step(st) == SQLITE_ROW) {
        verdict = strcmp((const char *) sqlite3_column_text(st, 0), content_hash) ? WW_SEEN_CHANGED : WW_SEEN_SAME;
        *revision = sqlite3_column_int(st, 1) + (verdict == WW_SEEN_CHANGED);
    }
    sqlite3_finalize(st);
    if (verdict != WW_SEEN_NEW || !link || !*link)
        return verdict;
    st = s_prep(spool, "SELECT 1 FROM seen WHERE feed=?1 AND link=?2 AND hash=?3 LIMIT 1");
    if (!st)
        return verdict;
    sqlite3_bind_text(st, 1, feed_key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, link, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, content_hash, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        verdict = WW_SEEN_ALIAS;
    sqlite3_finalize(st);
    return verdict;
}

int ww_feedstate_remember(ww_spool_t *spool, const char *feed_key, const char *item_id, const char *link,
                          const char *content_hash, int revision, int64_t now)
{
    /* last_seen is refreshed at most daily: a feed polled every few minutes
     * would otherwise rewrite every item on every poll. */
    sqlite3_stmt *st =
        s_prep(spool, "INSERT INTO seen(id, feed, link, hash, revision, first_seen, last_seen)"
                      " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?6) ON CONFLICT(id) DO UPDATE SET"
                      " hash=excluded.hash, revision=excluded.revision, last_seen=excluded.last_seen"
                      " WHERE seen.hash != excluded.hash OR seen.last_seen < excluded.last_seen - 86400");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, item_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, feed_key, -1, SQLITE_STATIC);
    s_bind_text_or_null(st, 3, link && *link ? link : NULL);
    sqlite3_bind_text(st, 4, content_hash, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, revision);
    sqlite3_bind_int64(st, 6, now);
    return s_run(spool, st) < 0 ? -1 : 0;
}

int ww_feedstate_forget_before(ww_spool_t *spool, int64_t cutoff)
{
    sqlite3_stmt *st = s_prep(spool, "DELETE FROM seen WHERE last_seen < ?1");
    if (st)
        sqlite3_bind_int64(st, 1, cutoff);
    return s_run(spool, st);
}
