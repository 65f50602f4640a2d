/* ww_db: opening a SQLite file the way every wirewatch store wants it: WAL,
 * a busy timeout so readers and the single writer never fail on a lock,
 * foreign keys on, and the wirewatch FTS5 tokenizer registered. */
#ifndef WW_DB_H
#define WW_DB_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

/* Opens (creating unless readonly) and applies schema (may be NULL).
 * NULL with a reason naming the file in err. */
sqlite3 *ww_db_open(const char *path, bool readonly, const char *schema, char *err, size_t errlen);
void ww_db_close(sqlite3 **db_p);
/* Runs SQL without results; 0 or -1 (logged). */
int ww_db_exec(sqlite3 *db, const char *sql);

#endif
