/* ww_watches: SQLite store of watches. */
#include "ww_watches.h"
#include "ww_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char s_schema[] = "CREATE TABLE IF NOT EXISTS watches(name TEXT PRIMARY KEY, query TEXT NOT NULL,"
                               " channels TEXT NOT NULL DEFAULT '[]', paused INTEGER NOT NULL DEFAULT 0,"
                               " created INTEGER NOT NULL DEFAULT (strftime('%s','now')),"
                               " options TEXT NOT NULL DEFAULT '{}');";

/* Files made before watches had options, revisions and tombstones gain the
 * columns. rev numbers every change (a put, a pause, a removal) so that a
 * notifier holding a million watches reads only what changed since its last
 * look; a removed watch stays as a tombstone for the same reason. */
static void s_migrate(sqlite3 *db)
{
    static const char *const columns[][2] = {{"options", "options TEXT NOT NULL DEFAULT '{}'"},
                                             {"rev", "rev INTEGER NOT NULL DEFAULT 0"},
                                             {"deleted", "deleted INTEGER NOT NULL DEFAULT 0"}};
    for (size_t c = 0; c < sizeof columns / sizeof columns[0]; c++) {
        sqlite3_stmt *st = NULL;
        bool has = false;
        if (sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info('watches')", -1, &st, NULL) == SQLITE_OK)
            while (sqlite3_step(st) == SQLITE_ROW)
                has |= !strcmp((const char *) sqlite3_column_text(st, 0), columns[c][0]);
        sqlite3_finalize(st);
        if (!has) {
            char sql[256];
            snprintf(sql, sizeof sql, "ALTER TABLE watches ADD COLUMN %s", columns[c][1]);
            sqlite3_exec(db, sql, NULL, NULL, NULL);
        }
    }
    sqlite3_exec(db, "CREATE INDEX IF NOT EXISTS watches_rev ON watches(rev)", NULL, NULL, NULL);
}

#define S_NEXT_REV "(SELECT COALESCE(MAX(rev), 0) + 1 FROM watches)"

struct ww_watches_t {
    sqlite3 *db;
};

ww_watches_t *ww_watches_open(const char *path, char *err, size_t errlen)
{
    sqlite3 *db = ww_db_open(path, false, s_schema, err, errlen);
    if (!db)
        return NULL;
    s_migrate(db);
    ww_watches_t *self = calloc(1, sizeof *self);
    self->db = db;
    return self;
}

void ww_watches_close(ww_watches_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    ww_db_close(&(*self_p)->db);
    free(*self_p);
    *self_p = NULL;
}

int ww_watches_put(ww_watches_t *self, const char *name, const char *query, json_t *channels, json_t *options,
                   char *err, size_t errlen)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(self->db,
                           "INSERT INTO watches(name, query, channels, options, rev) VALUES(?1, ?2, ?3, ?4, " S_NEXT_REV
                           ") ON CONFLICT(name) DO UPDATE SET query=excluded.query, channels=excluded.channels,"
                           " options=excluded.options, rev=excluded.rev, deleted=0, paused=0,"
                           " created=CASE WHEN watches.deleted THEN strftime('%s','now') ELSE watches.created END",
                           -1, &st, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "%s", sqlite3_errmsg(self->db));
        return -1;
    }
    char *ch = channels ? json_dumps(channels, JSON_COMPACT) : strdup("[]");
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, query, -1, SQLITE_STATIC);
    char *opt = options ? json_dumps(options, JSON_COMPACT) : strdup("{}");
    sqlite3_bind_text(st, 3, ch, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, opt, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    if (rc)
        snprintf(err, errlen, "%s", sqlite3_errmsg(self->db));
    sqlite3_finalize(st);
    free(ch);
    free(opt);
    return rc;
}

static int s_change(ww_watches_t *self, const char *sql, const char *name, int value)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(self->db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_bind_parameter_count(st) > 1)
        sqlite3_bind_int(st, 2, value);
    int rc = sqlite3_step(st) == SQLITE_DONE ? sqlite3_changes(self->db) > 0 : -1;
    sqlite3_finalize(st);
    return rc;
}

int ww_watches_remove(ww_watches_t *self, const char *name)
{
    return s_change(self, "UPDATE watches SET deleted=1, rev=" S_NEXT_REV " WHERE name=?1 AND deleted=0", name, 0);
}

int ww_watches_set_paused(ww_watches_t *self, const char *name, bool paused)
{
    return s_change(self, "UPDATE watches SET paused=?2, rev=" S_NEXT_REV " WHERE name=?1 AND deleted=0", name, paused);
}

/* Watches as JSON: "SELECT <every column> FROM watches " + tail, with ?1
 * (if tail has it) bound to value. NULL on error. */
static json_t *s_select(ww_watches_t *self, const char *tail, int64_t value)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT name, query, channels, paused, created, options, deleted, rev FROM watches %s",
             tail);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(self->db, sql, -1, &st, NULL) != SQLITE_OK)
        return NULL;
    if (sqlite3_bind_parameter_count(st) > 0)
        sqlite3_bind_int64(st, 1, value);
    json_t *list = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *channels = json_loads((const char *) sqlite3_column_text(st, 2), 0, NULL);
        json_t *options = json_loads((const char *) sqlite3_column_text(st, 5), 0, NULL);
        json_array_append_new(list, json_pack("{s:s, s:s, s:o, s:b, s:I, s:o, s:b, s:I}", "name",
                                              (const char *) sqlite3_column_text(st, 0), "query",
                                              (const char *) sqlite3_column_text(st, 1), "channels",
                                              channels ? channels : json_array(), "paused", sqlite3_column_int(st, 3),
                                              "created", (json_int_t) sqlite3_column_int64(st, 4), "options",
                                              options ? options : json_object(), "deleted", sqlite3_column_int(st, 6),
                                              "rev", (json_int_t) sqlite3_column_int64(st, 7)));
    }
    sqlite3_finalize(st);
    return list;
}

json_t *ww_watches_changes(ww_watches_t *self, int64_t after_rev)
{
    return s_select(self, "WHERE rev > ?1 ORDER BY rev", after_rev);
}

json_t *ww_watches_list(ww_watches_t *self)
{
    return s_select(self, "WHERE deleted=0 ORDER BY name", 0);
}
