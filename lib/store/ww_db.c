/* ww_db: SQLite connection setup shared by all stores. */
#include "ww_db.h"
#include "ww_fts_stats.h"
#include "ww_tokenizer.h"

#include <czmq.h>
#include <stdio.h>

sqlite3 *ww_db_open(const char *path, bool readonly, const char *schema, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    int flags = readonly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    flags |= SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot open %s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 10000);
    if (ww_tokenizer_register(db) != SQLITE_OK || ww_fts_stats_register(db) != SQLITE_OK) {
        snprintf(err, errlen, "cannot register the FTS5 tokenizer on %s", path);
        sqlite3_close(db);
        return NULL;
    }
    if (!readonly) {
        char *msg = NULL;
        /* 8 KB pages (for a new file; an existing one keeps its own): a
         * stored article of 2-3 KB left a third of a 4 KB page empty.
         * secure_delete off: Debian builds SQLite with it on, so every page
         * FTS5's merges free was overwritten with zeros first (8 % of the
         * indexer's time, measured); what lingers in free pages is public
         * news and our own bookkeeping, and later writes reuse them. */
        if (sqlite3_exec(db,
                         "PRAGMA page_size=8192; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                         " PRAGMA foreign_keys=ON; PRAGMA secure_delete=OFF;",
                         NULL, NULL, &msg) != SQLITE_OK ||
            (schema && sqlite3_exec(db, schema, NULL, NULL, &msg) != SQLITE_OK)) {
            snprintf(err, errlen, "cannot prepare %s: %s", path, msg ? msg : sqlite3_errmsg(db));
            sqlite3_free(msg);
            sqlite3_close(db);
            return NULL;
        }
    }
    return db;
}

void ww_db_close(sqlite3 **db_p)
{
    if (db_p && *db_p) {
        sqlite3_close(*db_p);
        *db_p = NULL;
    }
}

int ww_db_exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        zsys_error("sqlite: %s: %s", sql, msg ? msg : "error");
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}
