/* bench_watch_add: how long a watch added to a large watch set takes to
 * take effect in the notifier's watch set.
 *   bench_watch_add WATCHES DIR
 * Fills DIR/watches.db with WATCHES watches in one transaction, loads them
 * (the notifier's start), then five times: adds one watch through the
 * store as `wirewatch watch add` does, refreshes the set as the notifier's
 * loop does, and matches an article holding the new watch's term. Prints
 * the start-up time and each add's time until the watch fired. */
#include "watch_set.h"
#include "ww_watches.h"

#include <czmq.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void s_on_hit(const char *name, json_t *channels, json_t *options, const char *terms, void *arg)
{
    (void) channels;
    (void) options;
    (void) terms;
    if (!strncmp(name, "added-", 6))
        (*(int *) arg)++;
}

static int s_fill(const char *path, long count)
{
    sqlite3 *db = NULL;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        return -1;
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    sqlite3_stmt *st = NULL;
    sqlite3_prepare_v2(db, "INSERT INTO watches(name, query, rev) VALUES(?1, ?2, ?3)", -1, &st, NULL);
    static const char han[] = "港口渡轮台风暴雨码头航道灯塔海关物流集装箱船舶停航复航预警防汛学校医院市场银行";
    size_t nhan = (sizeof han - 1) / 3;
    for (long i = 0; i < count; i++) {
        char name[32], query[96];
        snprintf(name, sizeof name, "w%07ld", i);
        /* two Han characters and a number: distinct, realistic in shape */
        snprintf(query, sizeof query, "%.3s%.3s%ld OR \"%.3s%.3s\" %ld", han + 3 * (i % nhan),
                 han + 3 * ((i / nhan) % nhan), i, han + 3 * ((i / 7) % nhan), han + 3 * ((i / 3) % nhan), i);
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, query, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 3, i + 1);
        if (sqlite3_step(st) != SQLITE_DONE)
            return -1;
    }
    sqlite3_finalize(st);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(db);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_watch_add WATCHES DIR\n");
        return 2;
    }
    long count = atol(argv[1]);
    char path[1024], err[256];
    snprintf(path, sizeof path, "%s/watches.db", argv[2]);
    remove(path);
    ww_watches_t *store = ww_watches_open(path, err, sizeof err); /* creates the schema */
    ww_fold_t *fold = ww_fold_new(err, sizeof err);
    if (!store || !fold || s_fill(path, count) != 0) {
        fprintf(stderr, "cannot prepare %s: %s\n", path, err);
        return 1;
    }
    zsys_set_logstream(NULL);
    int64_t t0 = zclock_usecs();
    watch_set_t *set = watch_set_new(store, fold);
    size_t live = watch_set_refresh(set);
    printf("start: %zu watches loaded, parsed and compiled in %.2f s\n", live, (double) (zclock_usecs() - t0) / 1e6);
    static const char *terms[] = {"瞭望塔", "救生艇", "引航员", "防波堤", "浮标灯"};
    for (int k = 0; k < 5; k++) {
        char name[32], body[256];
        snprintf(name, sizeof name, "added-%d", k);
        snprintf(body, sizeof body, "今日新闻：%s 已经投入使用", terms[k]);
        int64_t start = zclock_usecs();
        if (ww_watches_put(store, name, terms[k], NULL, NULL, err, sizeof err) != 0)
            return 1;
        int fired = 0;
        watch_set_refresh(set);
        ww_qdoc_t doc = {"", body, "", "", 0};
        watch_set_match(set, &doc, s_on_hit, &fired);
        printf("add watch %d to %ld: took effect in %.1f ms (fired: %s)\n", k + 1, count,
               (double) (zclock_usecs() - start) / 1000.0, fired ? "yes" : "NO");
    }
    watch_set_destroy(&set);
    ww_watches_close(&store);
    ww_fold_destroy(&fold);
    return 0;
}
