/* ww_spool: SQLite implementation of the fetcher's state. */
#include "ww_spool.h"
#include "ww_db.h"
#include "ww_feedstate.h"
#include "ww_stmt_cache.h"

#include <czmq.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char s_schema[] =
    "PRAGMA synchronous=FULL;"
    "CREATE TABLE IF NOT EXISTS spool(id TEXT PRIMARY KEY, message TEXT NOT NULL, origin TEXT NOT NULL,"
    " state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0, sent_ms INTEGER NOT NULL DEFAULT 0,"
    " created INTEGER NOT NULL DEFAULT (strftime('%s','now')), reason TEXT);"
    "CREATE INDEX IF NOT EXISTS spool_state ON spool(state, sent_ms);"
    /* The messages themselves, beside their rows (same rowid): a row's
     * state changes twice a message (sent, acknowledged), and with the
     * message in the row each change read its kilobytes from the file and
     * compared them page by page. Rows spooled before keep theirs in
     * spool.message; new rows hold '' there. */
    "CREATE TABLE IF NOT EXISTS spool_texts(rowid INTEGER PRIMARY KEY, message TEXT NOT NULL);"
    /* fresh items in arrival order, read from the index a few at a time */
    "CREATE INDEX IF NOT EXISTS spool_fresh ON spool(state, attempts, created);"
    "CREATE TABLE IF NOT EXISTS failures(seq INTEGER PRIMARY KEY, origin TEXT NOT NULL, reason TEXT NOT NULL,"
    " at INTEGER NOT NULL DEFAULT (strftime('%s','now')));";

struct ww_spool_t {
    sqlite3 *db;
    ww_stmt_cache_t *stmts; /* statements run per item, kept (ww_stmt_cache.h) */
};

ww_spool_t *ww_spool_open(const char *path, bool readonly, char *err, size_t errlen)
{
    sqlite3 *db = ww_db_open(path, readonly, readonly ? NULL : s_schema, err, errlen);
    if (!db)
        return NULL;
    ww_spool_t *self = calloc(1, sizeof *self);
    if (!self) {
        ww_db_close(&db);
        snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    self->db = db;
    self->stmts = ww_stmt_cache_new(db, path); /* without it, statements are compiled each time */
    if (!readonly && ww_feedstate_migrate(self) < 0) {
        snprintf(err, errlen, "%s: cannot create or update the feed tables", path);
        ww_spool_close(&self);
    }
    return self;
}

void ww_spool_close(ww_spool_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    ww_stmt_cache_destroy(&(*self_p)->stmts);
    ww_db_close(&(*self_p)->db);
    free(*self_p);
    *self_p = NULL;
}

static sqlite3_stmt *s_prep(ww_spool_t *self, const char *sql)
{
    return ww_stmt_get(self->stmts, sql);
}

static void s_done(ww_spool_t *self, sqlite3_stmt *st)
{
    ww_stmt_done(self->stmts, st);
}

/* Runs one statement binding id to ?1 and, if not NULL, text to ?2; its
 * changes, or -1. */
static int s_run(ww_spool_t *self, const char *sql, const char *id, const char *text)
{
    sqlite3_stmt *st = s_prep(self, sql);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if (text)
        sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? sqlite3_changes(self->db) : -1;
    s_done(self, st);
    return rc;
}

int ww_spool_put(ww_spool_t *self, const char *id, const char *message, const char *origin)
{
    /* the row and its message together, inside the caller's transaction
     * or on their own */
    if (ww_db_exec(self->db, "SAVEPOINT spool_put") != 0)
        return -1;
    int rc = s_run(self, "INSERT OR IGNORE INTO spool(id, message, origin) VALUES(?1,'',?2)", id, origin);
    if (rc == 1 &&
        s_run(self, "INSERT INTO spool_texts(rowid, message) VALUES(last_insert_rowid(), ?2)", id, message) != 1)
        rc = -1;
    if (rc < 0) {
        zsys_error("spool: cannot store %s: %s", id, sqlite3_errmsg(self->db));
        ww_db_exec(self->db, "ROLLBACK TO spool_put");
    }
    ww_db_exec(self->db, "RELEASE spool_put");
    return rc;
}

int ww_spool_send_due(ww_spool_t *self, int64_t now_ms, int64_t resend_ms, int room, ww_spool_send_fn fn, void *arg,
                      int *resent)
{
    if (resent)
        *resent = 0;
    if (room <= 0)
        return 0;
    /* Fresh items first, oldest first, then re-sends, longest waiting
     * first: two queries that each walk an index in order and stop at the
     * limit. One query ordered by both sorted every pending row, message
     * included, on every round: a burst of 20,000 spooled 4 KB articles
     * made the fetcher copy 80 MB a round. */
    sqlite3_stmt *fresh =
        s_prep(self, "SELECT s.id, COALESCE(t.message, s.message), s.attempts FROM spool s"
                     " LEFT JOIN spool_texts t ON t.rowid = s.rowid WHERE s.state='pending' AND s.attempts=0"
                     " ORDER BY s.created, s.rowid LIMIT ?1");
    sqlite3_stmt *again =
        s_prep(self, "SELECT s.id, COALESCE(t.message, s.message), s.attempts FROM spool s"
                     " LEFT JOIN spool_texts t ON t.rowid = s.rowid WHERE s.state='pending' AND s.attempts>0"
                     " AND s.sent_ms > 0 AND s.sent_ms <= ?1 ORDER BY s.sent_ms LIMIT ?2");
    sqlite3_stmt *mark = s_prep(self, "UPDATE spool SET attempts=attempts+1, sent_ms=?2 WHERE id=?1");
    if (!fresh || !again || !mark) {
        s_done(self, fresh);
        s_done(self, again);
        s_done(self, mark);
        return -1;
    }
    sqlite3_bind_int(fresh, 1, room);
    sqlite3_bind_int64(again, 1, now_ms - resend_ms);
    /* Collect first: the callback may take time and we update rows after.
     * Plain copies: the messages are kilobytes, and a JSON string for each
     * validated every byte once more. */
    struct s_due {
        char *id, *message;
        int attempts;
    } *batch = calloc((size_t) room, sizeof *batch);
    size_t n = 0;
    sqlite3_stmt *st = fresh;
    while (batch && n < (size_t) room) {
        if (sqlite3_step(st) != SQLITE_ROW) {
            if (st == again)
                break;
            st = again; /* fresh ones done: re-sends fill the room left */
            sqlite3_bind_int(again, 2, room - (int) n);
            continue;
        }
        const char *id = (const char *) sqlite3_column_text(st, 0),
                   *message = (const char *) sqlite3_column_text(st, 1);
        if (!id || !message)
            continue; /* NOT NULL columns: only out of memory gets here */
        batch[n].id = strdup(id);
        batch[n].message = strdup(message);
        batch[n].attempts = sqlite3_column_int(st, 2);
        if (!batch[n].id || !batch[n].message) {
            free(batch[n].id);
            free(batch[n].message);
            break; /* out of memory: these wait for the next round */
        }
        n++;
    }
    s_done(self, fresh);
    s_done(self, again);
    int sent = 0;
    ww_db_exec(self->db, "BEGIN");
    for (size_t i = 0; i < n; i++) {
        const char *id = batch[i].id;
        int attempts = batch[i].attempts;
        if (fn(id, batch[i].message, attempts, arg) != 0)
            break;
        sqlite3_bind_text(mark, 1, id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(mark, 2, now_ms);
        sqlite3_step(mark);
        sqlite3_reset(mark);
        sent++;
        if (attempts > 0 && resent)
            (*resent)++;
    }
    ww_db_exec(self->db, "COMMIT");
    s_done(self, mark);
    for (size_t i = 0; i < n; i++) {
        free(batch[i].id);
        free(batch[i].message);
    }
    free(batch);
    return sent;
}

char *ww_spool_origin(ww_spool_t *self, const char *id)
{
    sqlite3_stmt *st = s_prep(self, "SELECT origin FROM spool WHERE id=?1");
    if (!st)
        return NULL;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    char *origin = sqlite3_step(st) == SQLITE_ROW ? strdup((const char *) sqlite3_column_text(st, 0)) : NULL;
    s_done(self, st);
    return origin;
}

int ww_spool_resend_now(ww_spool_t *self)
{
    /* sent_ms 1: long past every timeout, and still not 0 (never sent) */
    sqlite3_stmt *st = s_prep(self, "UPDATE spool SET sent_ms=1 WHERE state='pending' AND attempts>0 AND sent_ms>1");
    if (!st)
        return -1;
    int rc = sqlite3_step(st) == SQLITE_DONE ? sqlite3_changes(self->db) : -1;
    s_done(self, st);
    return rc;
}

int ww_spool_in_flight(ww_spool_t *self, int64_t now_ms, int64_t resend_ms)
{
    sqlite3_stmt *st = s_prep(self, "SELECT count(*) FROM spool WHERE state='pending' AND attempts>0 AND sent_ms > ?1");
    if (!st)
        return 0;
    sqlite3_bind_int64(st, 1, now_ms - resend_ms);
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    s_done(self, st);
    return n;
}

int64_t ww_spool_pending(ww_spool_t *self)
{
    sqlite3_stmt *st = s_prep(self, "SELECT count(*) FROM spool WHERE state='pending'");
    if (!st)
        return 0;
    int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    s_done(self, st);
    return n;
}

int ww_spool_ack(ww_spool_t *self, const char *id, const char *status, const char *reason)
{
    sqlite3_stmt *st = s_prep(self, "UPDATE spool SET state=?2, reason=?3, message=CASE WHEN ?2='done' THEN ''"
                                    " ELSE message END WHERE id=?1 AND state='pending'");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
    if (reason)
        sqlite3_bind_text(st, 3, reason, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? sqlite3_changes(self->db) : -1;
    s_done(self, st);
    /* a done item's message is not needed again (a rejected one's is kept
     * to look at); failing to drop it only leaves the space taken */
    if (rc == 1 && !strcmp(status, "done"))
        s_run(self, "DELETE FROM spool_texts WHERE rowid=(SELECT rowid FROM spool WHERE id=?1)", id, NULL);
    return rc;
}

int ww_spool_record_failure(ww_spool_t *self, const char *origin, const char *reason)
{
    sqlite3_stmt *st = s_prep(self, "INSERT INTO failures(origin, reason) VALUES(?1, ?2)");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, origin, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, reason, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    s_done(self, st);
    return rc;
}

json_t *ww_spool_failures(ww_spool_t *self, int limit)
{
    sqlite3_stmt *st = s_prep(self, "SELECT origin, reason, at FROM failures UNION ALL"
                                    " SELECT origin, reason, created FROM spool WHERE state='rejected'"
                                    " ORDER BY 3 DESC LIMIT ?1");
    if (!st)
        return json_array();
    sqlite3_bind_int(st, 1, limit);
    json_t *list = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(
            list, json_pack("{s:s, s:s, s:I}", "origin", (const char *) sqlite3_column_text(st, 0), "reason",
                            sqlite3_column_text(st, 1) ? (const char *) sqlite3_column_text(st, 1) : "", "at",
                            (json_int_t) sqlite3_column_int64(st, 2)));
    s_done(self, st);
    return list;
}

sqlite3 *ww_spool_sqlite(ww_spool_t *self)
{
    return self->db;
}

int ww_spool_begin(ww_spool_t *self)
{
    return ww_db_exec(self->db, "BEGIN IMMEDIATE");
}

int ww_spool_commit(ww_spool_t *self)
{
    return ww_db_exec(self->db, "COMMIT");
}

int ww_spool_rollback(ww_spool_t *self)
{
    return ww_db_exec(self->db, "ROLLBACK");
}

int ww_spool_put_revision(ww_spool_t *self, const char *id, const char *message, const char *origin)
{
    if (ww_db_exec(self->db, "SAVEPOINT spool_revision") != 0)
        return -1;
    /* the upsert changes one row, new or revised, and its text goes beside it */
    const char *upsert = "INSERT INTO spool(id, message, origin) VALUES(?1,'',?2) ON CONFLICT(id) DO UPDATE"
                         " SET message='', state='pending', attempts=0, sent_ms=0, reason=NULL,"
                         " created=strftime('%s','now')";
    const char *text =
        "INSERT OR REPLACE INTO spool_texts(rowid, message) VALUES((SELECT rowid FROM spool WHERE id=?1), ?2)";
    int rc = s_run(self, upsert, id, origin) == 1 && s_run(self, text, id, message) == 1 ? 0 : -1;
    if (rc < 0) {
        zsys_error("spool: cannot store a revision of %s: %s", id, sqlite3_errmsg(self->db));
        ww_db_exec(self->db, "ROLLBACK TO spool_revision");
    }
    ww_db_exec(self->db, "RELEASE spool_revision");
    return rc;
}

json_t *ww_spool_stats(ww_spool_t *self)
{
    json_t *o = json_pack("{s:i, s:i, s:i}", "pending", 0, "done", 0, "rejected", 0);
    sqlite3_stmt *st = s_prep(self, "SELECT state, count(*) FROM spool GROUP BY state");
    if (!st)
        return o;
    while (sqlite3_step(st) == SQLITE_ROW)
        json_object_set_new(o, (const char *) sqlite3_column_text(st, 0), json_integer(sqlite3_column_int64(st, 1)));
    s_done(self, st);
    return o;
}
