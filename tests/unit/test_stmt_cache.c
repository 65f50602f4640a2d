/* test_stmt_cache: a statement given back is handed out again, reset and
 * unbound; one still in use is not handed out twice; SQL that does not
 * compile gives NULL; a full cache still answers, compiling each time. */
#include "ww_stmt_cache.h"
#include "ww_test.h"

#include <stdio.h>

static int s_count_rows(ww_stmt_cache_t *cache, const char *sql)
{
    sqlite3_stmt *st = ww_stmt_get(cache, sql);
    if (!st)
        return -1;
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW)
        n++;
    ww_stmt_done(cache, st);
    return n;
}

int main(void)
{
    sqlite3 *db = NULL;
    CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "CREATE TABLE t(x INTEGER); INSERT INTO t VALUES(1),(2),(3);", NULL, NULL, NULL) ==
          SQLITE_OK);
    ww_stmt_cache_t *cache = ww_stmt_cache_new(db, "test.db");
    CHECK(cache != NULL);

    const char *by_x = "SELECT x FROM t WHERE x >= ?1";
    sqlite3_stmt *first = ww_stmt_get(cache, by_x);
    CHECK(first != NULL);
    sqlite3_bind_int(first, 1, 2);
    CHECK(sqlite3_step(first) == SQLITE_ROW && sqlite3_column_int(first, 0) == 2);
    /* still being stepped: a second use gets a statement of its own */
    sqlite3_stmt *second = ww_stmt_get(cache, by_x);
    CHECK(second != NULL && second != first);
    ww_stmt_done(cache, second);
    ww_stmt_done(cache, first);
    /* given back: the same statement again, reset and with no bindings
     * (an unbound ?1 is NULL, and x >= NULL holds for no row) */
    sqlite3_stmt *again = ww_stmt_get(cache, by_x);
    CHECK(again == first || again == second);
    CHECK(sqlite3_step(again) == SQLITE_DONE);
    ww_stmt_done(cache, again);

    CHECK(ww_stmt_get(cache, "SELECT nothing FROM nowhere") == NULL);
    ww_stmt_done(cache, NULL); /* ignored */

    /* more distinct statements than it keeps: each still runs */
    char sql[64];
    int right = 0;
    for (int i = 0; i < 100; i++) {
        snprintf(sql, sizeof sql, "SELECT x FROM t WHERE x <= %d", i % 4);
        right += s_count_rows(cache, sql) == i % 4;
    }
    CHECK(right == 100);
    ww_stmt_cache_destroy(&cache);
    CHECK(cache == NULL);

    /* no cache at all (it could not be allocated): nothing is handed out */
    CHECK(ww_stmt_get(NULL, by_x) == NULL);
    CHECK(sqlite3_close(db) == SQLITE_OK); /* every statement was finalized */
    WW_TEST_END();
}
