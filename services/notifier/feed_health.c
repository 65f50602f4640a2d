/* feed_health: failing feeds alert the watches that asked for it. */
#include "feed_health.h"
#include "ww_message.h"
#include "ww_feedstate.h"
#include "ww_hash.h"
#include "ww_spool.h"
#include "ww_utc.h"

#include <czmq.h>
#include <unistd.h>

typedef struct {
    json_t *feed;
    delivery_t *delivery;
    int made;
} s_ctx_t;

static void s_alert(const char *watch, json_t *channels, json_t *options, void *arg)
{
    s_ctx_t *c = arg;
    json_t *f = c->feed;
    const char *key = *ww_json_str(f, "key") ? ww_json_str(f, "key") : ww_json_str(f, "url");
    char streak[32];
    snprintf(streak, sizeof streak, "%lld", (long long) json_integer_value(json_object_get(f, "last_success")));
    const char *parts[] = {watch, "feed-failing", key, streak};
    char alert_id[33], now[32], story[64];
    ww_hash_id(alert_id, 32, parts, 4);
    snprintf(story, sizeof story, "feed-%s", alert_id);
    ww_utc_format(time(NULL), now, sizeof now);
    const char *name = *ww_json_str(f, "title") ? ww_json_str(f, "title") : ww_json_str(f, "url");
    char title[600], detail[1200];
    snprintf(title, sizeof title, "Feed failing: %s", name);
    snprintf(detail, sizeof detail, "%lld polls failed in a row; last error: %s (HTTP %lld)",
             (long long) json_integer_value(json_object_get(f, "failures")), ww_json_str(f, "last_error"),
             (long long) json_integer_value(json_object_get(f, "last_status")));
    json_t *alert = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:[], s:s, s:s, s:s}", "alert_id",
                              alert_id, "watch", watch, "kind", "feed_health", "story_id", story, "title", title,
                              "source", name, "published", now, "published_estimated", 0, "url", ww_json_str(f, "url"),
                              "matched", "snippet", detail, "alerted_at", now, "article_id", "");
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
    ww_spool_close(&state);
    int64_t threshold = ww_config_int(config, "notifier.health_failures");
    s_ctx_t ctx = {NULL, delivery, 0};
    size_t i;
    json_t *f;
    json_array_foreach(feeds, i, f)
    {
        if (json_integer_value(json_object_get(f, "failures")) < threshold)
            continue;
        ctx.feed = f;
        watch_set_each_health(watches, s_alert, &ctx);
    }
    json_decref(feeds);
    return ctx.made;
}
