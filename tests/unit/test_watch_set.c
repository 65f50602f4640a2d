/* test_watch_set: the notifier's watch set over a real watches file, as the
 * CLI changes it while the set is in use: watches added, replaced, paused,
 * resumed and removed take effect at the next refresh (the delta matcher),
 * and still after the base has been rebuilt in the background. */
#include "feed_health.h"
#include "watch_set.h"
#include "ww_test.h"
#include "ww_watches.h"

#include <czmq.h>
#include <stdio.h>
#include <string.h>

#define BASE_WATCHES 5000

typedef struct {
    char names[64][64];
    int count;
} s_fired_t;

static void s_on_hit(const char *name, json_t *channels, json_t *options, const char *terms, void *arg)
{
    (void) channels;
    (void) options;
    (void) terms;
    s_fired_t *f = arg;
    if (f->count < 64)
        snprintf(f->names[f->count++], 64, "%s", name);
}

static bool s_fired(const s_fired_t *f, const char *name)
{
    for (int i = 0; i < f->count; i++)
        if (!strcmp(f->names[i], name))
            return true;
    return false;
}

static ww_fold_t *s_fold;

/* Matches the article's match form, as the cleaner would send it. */
static s_fired_t s_match(watch_set_t *set, const char *body)
{
    s_fired_t fired = {.count = 0};
    char *folded = ww_fold_text(s_fold, body);
    ww_qdoc_t doc = {"", folded, "", "", 0};
    watch_set_refresh(set);
    watch_set_match(set, &doc, s_on_hit, &fired);
    free(folded);
    return fired;
}

static void s_put(ww_watches_t *store, const char *name, const char *query)
{
    char err[256];
    CHECK(ww_watches_put(store, name, query, NULL, NULL, err, sizeof err) == 0);
}

/* Feed silence: far longer than the usual gap between new items, and at
 * least the minimum; too little history says nothing. */
static void s_test_silence(void)
{
    const int64_t now = 1800000000, hour = 3600;
    int64_t hourly[21], usual = -1;
    for (int i = 0; i < 21; i++)
        hourly[i] = now - 30 * hour - i * hour; /* every hour, until 30 h ago */
    CHECK(feed_health_silence(hourly, 21, now, 10, 6 * hour, &usual) == 30 * hour && usual == hour);
    CHECK(feed_health_silence(hourly, 21, now - 25 * hour, 10, 6 * hour, &usual) == 0);  /* 5 h: not yet */
    CHECK(feed_health_silence(hourly, 21, now, 0, 6 * hour, &usual) == 0);               /* factor 0: off */
    CHECK(feed_health_silence(hourly, 4, now, 10, 6 * hour, &usual) == 0 && usual == 0); /* 3 gaps: too few */
    int64_t fast[8];
    for (int i = 0; i < 8; i++)
        fast[i] = now - 2 * hour - i * 300; /* every 5 min, then 2 h of nothing */
    CHECK(feed_health_silence(fast, 8, now, 10, 6 * hour, &usual) == 0 && usual == 300); /* under the minimum */
    CHECK(feed_health_silence(fast, 8, now, 10, hour, &usual) == 2 * hour);
    int64_t bursts[] = {now - 40 * hour, now - 40 * hour, now - 41 * hour, now - 42 * hour,
                        now - 42 * hour, now - 43 * hour, now - 44 * hour};
    /* equal times are one arrival: the gaps are the 4 hourly ones */
    CHECK(feed_health_silence(bursts, 7, now, 10, 6 * hour, &usual) == 40 * hour && usual == hour);
}

int main(void)
{
    s_test_silence();
    char dir[] = "/tmp/ww-watchset-XXXXXX", path[256], err[256];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/watches.db", dir);
    ww_fold_t *fold = s_fold = ww_fold_new(err, sizeof err);
    ww_watches_t *store = ww_watches_open(path, err, sizeof err);
    ww_watches_t *cli = ww_watches_open(path, err, sizeof err); /* another connection, as the CLI would be */
    CHECK(fold && store && cli);

    /* a base of watches that never match the articles below */
    for (int i = 0; i < BASE_WATCHES; i++) {
        char name[32], query[64];
        snprintf(name, sizeof name, "base-%05d", i);
        snprintf(query, sizeof query, "\"ferry%d\" OR 码头%d号", i, i);
        s_put(cli, name, query);
    }
    s_put(cli, "typhoon", "台风");
    watch_set_t *set = watch_set_new(store, fold);
    CHECK(watch_set_refresh(set) == BASE_WATCHES + 1);
    s_fired_t f = s_match(set, "颱風今晚登陸");
    CHECK(f.count == 1 && s_fired(&f, "typhoon")); /* traditional article, simplified watch */
    f = s_match(set, "码头7号 today");
    CHECK(f.count == 1 && s_fired(&f, "base-00007"));

    /* added at runtime: fires on the next article */
    s_put(cli, "lighthouse", "灯塔 -维修");
    f = s_match(set, "海岛灯塔今晚亮灯");
    CHECK(f.count == 1 && s_fired(&f, "lighthouse"));
    f = s_match(set, "海岛灯塔维修");
    CHECK(f.count == 0);

    /* replaced: the old query no longer fires, the new one does */
    s_put(cli, "typhoon", "暴雨");
    f = s_match(set, "台风");
    CHECK(f.count == 0);
    f = s_match(set, "暴雨红色预警");
    CHECK(f.count == 1 && s_fired(&f, "typhoon"));

    /* paused, resumed, removed; a base watch removed too */
    CHECK(ww_watches_set_paused(cli, "lighthouse", true) == 1);
    CHECK(s_match(set, "灯塔").count == 0);
    CHECK(ww_watches_set_paused(cli, "lighthouse", false) == 1);
    f = s_match(set, "灯塔");
    CHECK(f.count == 1 && s_fired(&f, "lighthouse"));
    CHECK(ww_watches_remove(cli, "lighthouse") == 1);
    CHECK(ww_watches_remove(cli, "base-00007") == 1);
    CHECK(s_match(set, "灯塔 码头7号").count == 0);
    CHECK(watch_set_refresh(set) == BASE_WATCHES);

    /* enough changes for a background rebuild of the base; wait for the swap */
    for (int i = 0; i < 2500; i++) {
        char name[32], query[64];
        snprintf(name, sizeof name, "late-%05d", i);
        snprintf(query, sizeof query, "渡轮%d号", i);
        s_put(cli, name, query);
    }
    CHECK(watch_set_refresh(set) == BASE_WATCHES + 2500);
    f = s_match(set, "渡轮2499号 停航");
    CHECK(f.count == 1 && s_fired(&f, "late-02499")); /* from the delta while the base is rebuilt */
    s_put(cli, "during-rebuild", "航道");
    size_t base = 0, delta = 0;
    for (int i = 0; i < 400 && delta != 1; i++) { /* the rebuild finishes within seconds */
        zclock_sleep(50);
        watch_set_refresh(set);
        watch_set_sizes(set, &base, &delta);
    }
    CHECK(base >= BASE_WATCHES + 2500 && delta == 1); /* swapped: only the latest watch is in the delta */
    f = s_match(set, "渡轮2499号 码头8号 航道");
    CHECK(f.count == 3 && s_fired(&f, "late-02499") && s_fired(&f, "base-00008") && s_fired(&f, "during-rebuild"));
    CHECK(s_match(set, "码头7号 灯塔").count == 0); /* removed watches stay removed after the swap */
    CHECK(ww_watches_remove(cli, "late-02499") == 1);
    CHECK(s_match(set, "渡轮2499号").count == 0);

    watch_set_destroy(&set);
    ww_watches_close(&cli);
    ww_watches_close(&store);
    ww_fold_destroy(&fold);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
    WW_TEST_END();
}
