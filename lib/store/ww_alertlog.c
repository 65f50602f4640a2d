/* ww_alertlog: SQLite delivery log. */
#include "ww_alertlog.h"
#include "ww_message.h"
#include "ww_alertlog_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char s_schema[] =
    "CREATE TABLE IF NOT EXISTS alerts(seq INTEGER PRIMARY KEY, alert_id TEXT NOT NULL UNIQUE,"
    " watch TEXT NOT NULL, story_id TEXT NOT NULL, article_id TEXT NOT NULL, payload TEXT NOT NULL,"
    " created INTEGER NOT NULL DEFAULT (strftime('%s','now')));"
    "CREATE TABLE IF NOT EXISTS deliveries(seq INTEGER PRIMARY KEY, alert_id TEXT NOT NULL,"
    " channel TEXT NOT NULL, ok INTEGER NOT NULL, error TEXT, at INTEGER NOT NULL DEFAULT (strftime('%s','now')));"
    "CREATE INDEX IF NOT EXISTS deliveries_alert ON deliveries(alert_id);"
    /* ww_outbox.h: deliveries owed; payload is NULL when it is the alert's */
    "CREATE TABLE IF NOT EXISTS outbox(id INTEGER PRIMARY KEY, alert_id TEXT NOT NULL, watch TEXT NOT NULL,"
    " channel TEXT NOT NULL, spec TEXT NOT NULL, payload TEXT, state TEXT NOT NULL, attempts INTEGER NOT NULL"
    " DEFAULT 0, next_at INTEGER NOT NULL DEFAULT 0, lease_until INTEGER NOT NULL DEFAULT 0, error TEXT,"
    " created INTEGER NOT NULL DEFAULT (strftime('%s','now')), UNIQUE(alert_id, channel));"
    "CREATE INDEX IF NOT EXISTS outbox_due ON outbox(state, next_at);"
    "CREATE TABLE IF NOT EXISTS digests(watch TEXT NOT NULL, channel TEXT NOT NULL, last_sent INTEGER NOT NULL,"
    " PRIMARY KEY(watch, channel));";

ww_alertlog_t *ww_alertlog_open(const char *path, bool readonly, char *err, size_t errlen)
{
    sqlite3 *db = ww_db_open(path, readonly, readonly ? NULL : s_schema, err, errlen);
    if (!db)
        return NULL;
    ww_alertlog_t *self = calloc(1, sizeof *self);
    if (!self) {
        ww_db_close(&db);
        snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    self->db = db;
    self->stmts = ww_stmt_cache_new(db, path); /* without it, statements are compiled each time */
    return self;
}

void ww_alertlog_close(ww_alertlog_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    ww_stmt_cache_destroy(&(*self_p)->stmts);
    ww_db_close(&(*self_p)->db);
    free(*self_p);
    *self_p = NULL;
}

int ww_alertlog_claim(ww_alertlog_t *self, json_t *alert)
{
    sqlite3_stmt *st = ww_stmt_get(self->stmts, "INSERT OR IGNORE INTO alerts(alert_id, watch, story_id, article_id,"
                                                " payload) VALUES(?1,?2,?3,?4,?5)");
    if (!st)
        return -1;
    char *payload = json_dumps(alert, JSON_COMPACT);
    sqlite3_bind_text(st, 1, ww_json_str(alert, "alert_id"), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, ww_json_str(alert, "watch"), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, ww_json_str(alert, "story_id"), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, ww_json_str(alert, "article_id"), -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, payload, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? sqlite3_changes(self->db) : -1;
    ww_stmt_done(self->stmts, st);
    free(payload);
    return rc;
}

int ww_alertlog_begin(ww_alertlog_t *self)
{
    return ww_db_exec(self->db, "BEGIN IMMEDIATE");
}

int ww_alertlog_commit(ww_alertlog_t *self)
{
    return ww_db_exec(self->db, "COMMIT");
}

int ww_alertlog_rollback(ww_alertlog_t *self)
{
    return ww_db_exec(self->db, "ROLLBACK");
}

int ww_alertlog_delivered(ww_alertlog_t *self, const char *alert_id, const char *channel, bool ok, const char *error)
{
    sqlite3_stmt *st =
        ww_stmt_get(self->stmts, "INSERT INTO deliveries(alert_id, channel, ok, error) VALUES(?1,?2,?3,?4)");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, alert_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, channel, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, ok);
    if (error)
        sqlite3_bind_text(st, 4, error, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    ww_stmt_done(self->stmts, st);
    return rc;
}

static json_t *s_rows(ww_alertlog_t *self, sqlite3_stmt *st)
{
    json_t *list = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *a = json_loads((const char *) sqlite3_column_text(st, 1), 0, NULL);
        if (!a)
            continue;
        json_object_set_new(a, "seq", json_integer(sqlite3_column_int64(st, 0)));
        json_t *deliveries = json_array();
        sqlite3_stmt *d = NULL;
        if (sqlite3_prepare_v2(self->db, "SELECT channel, ok, error, at FROM deliveries WHERE alert_id=?1 ORDER BY seq",
                               -1, &d, NULL) == SQLITE_OK) {
            sqlite3_bind_text(d, 1, ww_json_str(a, "alert_id"), -1, SQLITE_STATIC);
            while (sqlite3_step(d) == SQLITE_ROW)
                json_array_append_new(
                    deliveries, json_pack("{s:s, s:b, s:s, s:I}", "channel", (const char *) sqlite3_column_text(d, 0),
                                          "ok", sqlite3_column_int(d, 1), "error",
                                          sqlite3_column_text(d, 2) ? (const char *) sqlite3_column_text(d, 2) : "",
                                          "at", (json_int_t) sqlite3_column_int64(d, 3)));
            sqlite3_finalize(d);
        }
        json_object_set_new(a, "deliveries", deliveries);
        json_array_append_new(list, a);
    }
    return list;
}

json_t *ww_alertlog_list(ww_alertlog_t *self, int64_t after, int limit)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(self->db, "SELECT seq, payload FROM alerts WHERE seq > ?1 ORDER BY seq LIMIT ?2", -1, &st,
                           NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_int64(st, 1, after);
    sqlite3_bind_int(st, 2, limit);
    json_t *list = s_rows(self, st);
    sqlite3_finalize(st);
    return list;
}

json_t *ww_alertlog_failed(ww_alertlog_t *self, int limit)
{
    /* the dead-letter list: alerts (or digests) with a delivery given up on */
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(self->db,
                           "SELECT o.id, COALESCE(o.payload, a.payload), o.channel, o.attempts, o.error FROM outbox o"
                           " LEFT JOIN alerts a ON a.alert_id=o.alert_id WHERE o.state='dead' ORDER BY o.id LIMIT ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_int(st, 1, limit);
    json_t *list = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *a = sqlite3_column_text(st, 1) ? json_loads((const char *) sqlite3_column_text(st, 1), 0, NULL) : NULL;
        if (!a)
            a = json_object();
        json_object_set_new(a, "seq", json_integer(sqlite3_column_int64(st, 0)));
        json_object_set_new(a, "failed_channel", json_string((const char *) sqlite3_column_text(st, 2)));
        json_object_set_new(a, "attempts", json_integer(sqlite3_column_int(st, 3)));
        json_object_set_new(a, "last_error",
                            json_string(sqlite3_column_text(st, 4) ? (const char *) sqlite3_column_text(st, 4) : ""));
        json_array_append_new(list, a);
    }
    sqlite3_finalize(st);
    return list;
}
