/* feed_health: failing feeds alert the watches that asked for it. */
#include "feed_health.h"
#include "ww_message.h"
#include "ww_feedstate.h"
#include "ww_hash.h"
#include "ww_spool.h"
#include "ww_utc.h"

#include <czmq.h>
#include <unistd.h>

/* Arrivals that say how often a feed brings new items. */
#define S_RHYTHM_ARRIVALS 21
/* Fewer gaps than this say nothing about a feed's rhythm. */
#define S_MIN_GAPS 4

typedef struct {
    json_t *feed;
    const char *key;       /* the feed's identity: its key, or its URL */
    const char *condition; /* "failing" or "silent" */
    char episode[32];      /* what makes the alert id: the streak or the last arrival */
    char detail[600];
    delivery_t *delivery;
    int made;
} s_ctx_t;

static int s_asc(const void *a, const void *b)
{
    int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;
    return x < y ? -1 : x > y ? 1 : 0;
}

int64_t feed_health_silence(const int64_t *arrivals, size_t n, int64_t now, int64_t factor, int64_t min_s,
                            int64_t *usual_gap)
{
    *usual_gap = 0;
    if (factor <= 0 || n < S_MIN_GAPS + 1)
        return 0;
    if (n > S_RHYTHM_ARRIVALS)
        n = S_RHYTHM_ARRIVALS;
    int64_t gaps[S_RHYTHM_ARRIVALS];
    size_t g = 0;
    for (size_t i = 1; i < n; i++)
        if (arrivals[i - 1] > arrivals[i])
            gaps[g++] = arrivals[i - 1] - arrivals[i];
    if (g < S_MIN_GAPS)
        return 0;
    qsort(gaps, g, sizeof gaps[0], s_asc);
    *usual_gap = gaps[g / 2];
    int64_t silent = now - arrivals[0];
    int64_t limit = *usual_gap > INT64_MAX / factor ? INT64_MAX : *usual_gap * factor;
    return silent >= limit && silent >= min_s ? silent : 0;
}

/* 90 s, 5 h, 3 d: a span as people say it. */
static void s_span(int64_t seconds, char *out, size_t len)
{
    if (seconds < 120)
        snprintf(out, len, "%lld s", (long long) seconds);
    else if (seconds < 7200)
        snprintf(out, len, "%lld min", (long long) (seconds / 60));
    else if (seconds < 3 * 86400)
        snprintf(out, len, "%lld h", (long long) (seconds / 3600));
    else
        snprintf(out, len, "%lld d", (long long) (seconds / 86400));
}

static void s_alert(const char *watch, json_t *channels, json_t *options, void *arg)
{
    s_ctx_t *c = arg;
    json_t *f = c->feed;
    char kind[32];
    snprintf(kind, sizeof kind, "feed-%s", c->condition);
    const char *parts[] = {watch, kind, c->key, c->episode};
    char alert_id[33], now[32], story[64];
    ww_hash_id(alert_id, 32, parts, 4);
    snprintf(story, sizeof story, "feed-%s", alert_id);
    ww_utc_format(time(NULL), now, sizeof now);
    const char *name = *ww_json_str(f, "title") ? ww_json_str(f, "title") : ww_json_str(f, "url");
    char title[600];
    snprintf(title, sizeof title, "Feed %s: %s", c->condition, name);
    json_t *alert =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:[], s:s, s:s, s:s}", "alert_id", alert_id,
                  "watch", watch, "kind", "feed_health", "condition", c->condition, "story_id", story, "title", title,
                  "source", name, "published", now, "published_estimated", 0, "url", ww_json_str(f, "url"), "matched",
                  "snippet", c->detail, "alerted_at", now, "article_id", "");
    if (delivery_claim(c->delivery, alert, channels, options) == 1)
        c->made++;
    json_decref(alert);
}

int feed_health_check(ww_config_t *config, watch_set_t *watches, delivery_t *delivery)
{
    const char *path = ww_config_str(config, "fetcher.state_db");
    if (!watch_set_has_health(watches) || access(path, R_OK) != 0)
        return 0;
    char err[256];
    ww_spool_t *state = ww_spool_open(path, true, err, sizeof err);
    if (!state)
        return 0;
    json_t *feeds = ww_feedstate_list(state, (int64_t) time(NULL));
    int64_t threshold = ww_config_int(config, "notifier.health_failures");
    int64_t factor = ww_config_int(config, "notifier.health_silence_factor");
    int64_t min_s = ww_config_int(config, "notifier.health_silence_min") / 1000;
    int64_t now = (int64_t) time(NULL);
    s_ctx_t ctx = {.delivery = delivery};
    size_t i;
    json_t *f;
    json_array_foreach(feeds, i, f)
    {
        ctx.feed = f;
        ctx.key = *ww_json_str(f, "key") ? ww_json_str(f, "key") : ww_json_str(f, "url");
        int64_t failures = json_integer_value(json_object_get(f, "failures"));
        if (failures >= threshold) {
            /* one alert per failure streak: a success starts a new one */
            ctx.condition = "failing";
            snprintf(ctx.episode, sizeof ctx.episode, "%lld",
                     (long long) json_integer_value(json_object_get(f, "last_success")));
            snprintf(ctx.detail, sizeof ctx.detail, "%lld polls failed in a row; last error: %s (HTTP %lld)",
                     (long long) failures, ww_json_str(f, "last_error"),
                     (long long) json_integer_value(json_object_get(f, "last_status")));
            watch_set_each_health(watches, s_alert, &ctx);
            continue;
        }
        /* polled fine but nothing new for far longer than usual: one alert
         * per silence (a new item ends it) */
        int64_t arrivals[S_RHYTHM_ARRIVALS], usual;
        size_t n = ww_feedstate_arrivals(state, ctx.key, arrivals, S_RHYTHM_ARRIVALS);
        int64_t silent = feed_health_silence(arrivals, n, now, factor, min_s, &usual);
        if (!silent)
            continue;
        char for_span[32], usual_span[32];
        s_span(silent, for_span, sizeof for_span);
        s_span(usual, usual_span, sizeof usual_span);
        ctx.condition = "silent";
        snprintf(ctx.episode, sizeof ctx.episode, "%lld", (long long) arrivals[0]);
        snprintf(ctx.detail, sizeof ctx.detail, "no new items for %s; new items usually came every %s", for_span,
                 usual_span);
        watch_set_each_health(watches, s_alert, &ctx);
    }
    json_decref(feeds);
    ww_spool_close(&state);
    return ctx.made;
}
