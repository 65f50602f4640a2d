/* ww_outbox: deliveries owed, with leases, backoff, dead letters, digests. */
#include "ww_outbox.h"
#include "ww_alertlog_internal.h"
#include "ww_hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Statements are kept (ww_stmt_cache.h): given back with s_done. */
static sqlite3_stmt *s_prepare(ww_alertlog_t *self, const char *sql)
{
    return ww_stmt_get(self->stmts, sql);
}

static void s_done(ww_alertlog_t *self, sqlite3_stmt *st)
{
    ww_stmt_done(self->stmts, st);
}

int ww_outbox_put(ww_alertlog_t *self, const char *alert_id, const char *watch, const char *channel, json_t *spec,
                  bool held, int64_t now_ms)
{
    /* a held row's next_at is when it was queued: its digest's window opens then */
    sqlite3_stmt *st = s_prepare(self, "INSERT OR IGNORE INTO outbox(alert_id, watch, channel, spec, state, next_at)"
                                       " VALUES(?1,?2,?3,?4,?5,?6)");
    if (!st)
        return -1;
    char *spec_text = json_dumps(spec, JSON_COMPACT);
    sqlite3_bind_text(st, 1, alert_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, watch, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, channel, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, spec_text ? spec_text : "{}", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, held ? "held" : "pending", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, held ? now_ms : 0);
    int rc = sqlite3_step(st) == SQLITE_DONE ? sqlite3_changes(self->db) : -1;
    s_done(self, st);
    free(spec_text);
    return rc;
}

/* One digest for (watch, channel) if its interval has passed: the held
 * rows' alerts, oldest first, in one new pending row. */
static int s_digest_one(ww_alertlog_t *self, const char *watch, const char *channel, const char *spec_text,
                        int64_t every_ms, int64_t now_ms)
{
    sqlite3_stmt *st = s_prepare(self, "SELECT last_sent FROM digests WHERE watch=?1 AND channel=?2");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, watch, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, channel, -1, SQLITE_STATIC);
    int64_t last = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    s_done(self, st);
    st = s_prepare(self, "SELECT MIN(next_at) FROM outbox WHERE state='held' AND watch=?1 AND channel=?2");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, watch, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, channel, -1, SQLITE_STATIC);
    int64_t oldest = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : now_ms;
    s_done(self, st);
    /* a digest collects for its whole interval from its first alert, and
     * never follows the previous one sooner than the interval */
    int64_t window_start = last > oldest ? last : oldest;
    if (now_ms - window_start < every_ms)
        return 0;
    st = s_prepare(self, "SELECT o.id, o.alert_id, a.payload FROM outbox o JOIN alerts a ON a.alert_id=o.alert_id"
                         " WHERE o.state='held' AND o.watch=?1 AND o.channel=?2 ORDER BY o.id LIMIT 500");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, watch, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, channel, -1, SQLITE_STATIC);
    json_t *alerts = json_array();
    int64_t first = 0, last_id = 0;
    char first_alert[64] = "";
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *a = json_loads((const char *) sqlite3_column_text(st, 2), 0, NULL);
        if (!a)
            continue;
        if (!first) {
            first = sqlite3_column_int64(st, 0);
            snprintf(first_alert, sizeof first_alert, "%s", (const char *) sqlite3_column_text(st, 1));
        }
        last_id = sqlite3_column_int64(st, 0);
        json_array_append_new(alerts, a);
    }
    s_done(self, st);
    if (!json_array_size(alerts)) {
        json_decref(alerts);
        return 0;
    }
    /* the digest's id names its watch, channel and first alert: stable if
     * this transaction is repeated after a crash */
    char digest_id[33];
    const char *parts[] = {"digest", watch, channel, first_alert};
    ww_hash_id(digest_id, 32, parts, 4);
    json_t *payload = json_pack("{s:s, s:b, s:s, s:I, s:o}", "alert_id", digest_id, "digest", 1, "watch", watch,
                                "count", (json_int_t) json_array_size(alerts), "alerts", alerts);
    char *payload_text = json_dumps(payload, JSON_COMPACT);
    json_decref(payload);
    int rc = -1;
    sqlite3_stmt *ins = s_prepare(self, "INSERT OR IGNORE INTO outbox(alert_id, watch, channel, spec, payload, state)"
                                        " VALUES(?1,?2,?3,?4,?5,'pending')");
    sqlite3_stmt *mark = s_prepare(self, "UPDATE outbox SET state='digested' WHERE state='held' AND watch=?1"
                                         " AND channel=?2 AND id BETWEEN ?3 AND ?4");
    sqlite3_stmt *sent = s_prepare(self, "INSERT INTO digests(watch, channel, last_sent) VALUES(?1,?2,?3)"
                                         " ON CONFLICT(watch, channel) DO UPDATE SET last_sent=excluded.last_sent");
    if (ins && mark && sent) {
        sqlite3_bind_text(ins, 1, digest_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 2, watch, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 3, channel, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 4, spec_text, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 5, payload_text, -1, SQLITE_STATIC);
        sqlite3_bind_text(mark, 1, watch, -1, SQLITE_STATIC);
        sqlite3_bind_text(mark, 2, channel, -1, SQLITE_STATIC);
        sqlite3_bind_int64(mark, 3, first);
        sqlite3_bind_int64(mark, 4, last_id);
        sqlite3_bind_text(sent, 1, watch, -1, SQLITE_STATIC);
        sqlite3_bind_text(sent, 2, channel, -1, SQLITE_STATIC);
        sqlite3_bind_int64(sent, 3, now_ms);
        if (sqlite3_step(ins) == SQLITE_DONE && sqlite3_step(mark) == SQLITE_DONE && sqlite3_step(sent) == SQLITE_DONE)
            rc = 1;
    }
    s_done(self, ins);
    s_done(self, mark);
    s_done(self, sent);
    free(payload_text);
    return rc;
}

int ww_outbox_make_digests(ww_alertlog_t *self, int64_t now_ms)
{
    sqlite3_stmt *st = s_prepare(self, "SELECT watch, channel, MIN(spec) FROM outbox WHERE state='held'"
                                       " GROUP BY watch, channel");
    if (!st)
        return -1;
    json_t *groups = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(groups, json_pack("[s,s,s]", (const char *) sqlite3_column_text(st, 0),
                                                (const char *) sqlite3_column_text(st, 1),
                                                (const char *) sqlite3_column_text(st, 2)));
    s_done(self, st);
    int made = 0;
    size_t i;
    json_t *g;
    json_array_foreach(groups, i, g)
    {
        const char *spec_text = json_string_value(json_array_get(g, 2));
        json_t *spec = json_loads(spec_text, 0, NULL);
        int64_t every = spec ? json_integer_value(json_object_get(spec, "digest_ms")) : 0;
        json_decref(spec);
        if (ww_db_exec(self->db, "BEGIN IMMEDIATE") != 0)
            break;
        int rc = s_digest_one(self, json_string_value(json_array_get(g, 0)), json_string_value(json_array_get(g, 1)),
                              spec_text, every > 0 ? every : 0, now_ms);
        ww_db_exec(self->db, rc < 0 ? "ROLLBACK" : "COMMIT");
        if (rc > 0)
            made++;
    }
    json_decref(groups);
    return made;
}

json_t *ww_outbox_take(ww_alertlog_t *self, int64_t now_ms, int64_t lease_ms, int limit)
{
    sqlite3_stmt *st = s_prepare(self, "SELECT o.id, o.alert_id, o.watch, o.channel, o.spec, o.attempts,"
                                       " COALESCE(o.payload, a.payload) FROM outbox o LEFT JOIN alerts a"
                                       " ON a.alert_id=o.alert_id WHERE o.state='pending' AND o.next_at<=?1"
                                       " AND o.lease_until<=?1 ORDER BY o.next_at, o.id LIMIT ?2");
    sqlite3_stmt *lease =
        s_prepare(self, "UPDATE outbox SET lease_until=?2 WHERE id=?1 AND state='pending' AND lease_until<=?3");
    if (!st || !lease) {
        s_done(self, st);
        s_done(self, lease);
        return NULL;
    }
    sqlite3_bind_int64(st, 1, now_ms);
    sqlite3_bind_int(st, 2, limit);
    json_t *rows = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        /* a replica may have leased it since the select: take only what
         * this update wins */
        sqlite3_reset(lease);
        sqlite3_bind_int64(lease, 1, sqlite3_column_int64(st, 0));
        sqlite3_bind_int64(lease, 2, now_ms + lease_ms);
        sqlite3_bind_int64(lease, 3, now_ms);
        if (sqlite3_step(lease) != SQLITE_DONE || sqlite3_changes(self->db) != 1)
            continue;
        json_t *spec = json_loads((const char *) sqlite3_column_text(st, 4), 0, NULL);
        const char *payload_text = (const char *) sqlite3_column_text(st, 6);
        json_t *payload = payload_text ? json_loads(payload_text, 0, NULL) : NULL;
        json_array_append_new(
            rows,
            json_pack("{s:I, s:s, s:s, s:s, s:o, s:i, s:o}", "id", (json_int_t) sqlite3_column_int64(st, 0), "alert_id",
                      (const char *) sqlite3_column_text(st, 1), "watch", (const char *) sqlite3_column_text(st, 2),
                      "channel", (const char *) sqlite3_column_text(st, 3), "spec", spec ? spec : json_object(),
                      "attempts", sqlite3_column_int(st, 5), "payload", payload ? payload : json_object()));
    }
    s_done(self, st);
    s_done(self, lease);
    return rows;
}

int ww_outbox_result(ww_alertlog_t *self, int64_t id, bool ok, const char *error, int64_t retry_at_ms)
{
    sqlite3_stmt *st =
        s_prepare(self, "UPDATE outbox SET attempts=attempts+1, state=?2, next_at=?3, lease_until=0, error=?4"
                        " WHERE id=?1 RETURNING alert_id, channel");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, ok ? "done" : retry_at_ms > 0 ? "pending" : "dead", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, ok ? 0 : retry_at_ms);
    if (error)
        sqlite3_bind_text(st, 4, error, -1, SQLITE_TRANSIENT);
    int rc = -1;
    char *alert_id = NULL, *channel = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        alert_id = strdup((const char *) sqlite3_column_text(st, 0));
        channel = strdup((const char *) sqlite3_column_text(st, 1));
        rc = 0;
    }
    s_done(self, st);
    if (rc == 0)
        rc = ww_alertlog_delivered(self, alert_id, channel, ok, error);
    free(alert_id);
    free(channel);
    return rc;
}

int ww_outbox_retry(ww_alertlog_t *self, const char *alert_id)
{
    sqlite3_stmt *st = s_prepare(self, "UPDATE outbox SET state='pending', attempts=0, next_at=0, lease_until=0"
                                       " WHERE state='dead' AND (?1 IS NULL OR alert_id=?1)");
    if (!st)
        return -1;
    if (alert_id)
        sqlite3_bind_text(st, 1, alert_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? sqlite3_changes(self->db) : -1;
    s_done(self, st);
    return rc;
}

json_t *ww_outbox_counts(ww_alertlog_t *self)
{
    json_t *counts = json_pack("{s:i, s:i, s:i, s:i}", "pending", 0, "held", 0, "dead", 0, "done", 0);
    sqlite3_stmt *st = s_prepare(self, "SELECT state, COUNT(*) FROM outbox GROUP BY state");
    while (st && sqlite3_step(st) == SQLITE_ROW)
        json_object_set_new(counts, (const char *) sqlite3_column_text(st, 0),
                            json_integer(sqlite3_column_int64(st, 1)));
    s_done(self, st);
    return counts;
}
