/* notifier_actor: match, record once, deliver, ack. */
#include "notifier_actor.h"
#include "ww_utc.h"
#include "delivery.h"
#include "feed_health.h"
#include "sender.h"
#include "watch_set.h"
#include "ww_alertlog.h"
#include "ww_hash.h"
#include "ww_message.h"
#include "ww_service.h"
#include "ww_snippet.h"

#include <string.h>

typedef struct {
    json_t *article; /* the indexed message being matched */
    ww_fold_t *fold;
    delivery_t *delivery;
    ww_status_t *status;
    int alerts; /* alerts delivered for this article */
} s_ctx_t;

/* A watch's --source and --language: a source matches when its name holds
 * one of the given ones (any case), a language when it is one or starts
 * with one and a hyphen (zh takes zh-Hans). No list: everything passes. */
static bool s_passes_filters(json_t *article, json_t *options)
{
    json_t *sources = json_object_get(options, "sources"), *languages = json_object_get(options, "languages");
    size_t i;
    json_t *v;
    if (json_array_size(sources)) {
        bool ok = false;
        json_array_foreach(sources, i, v) ok |=
            strcasestr(ww_json_str(article, "source"), json_string_value(v)) != NULL;
        if (!ok)
            return false;
    }
    if (json_array_size(languages)) {
        const char *lang = ww_json_str(article, "language");
        bool ok = false;
        json_array_foreach(languages, i, v)
        {
            size_t n = strlen(json_string_value(v));
            ok |= !strncasecmp(lang, json_string_value(v), n) && (lang[n] == 0 || lang[n] == '-');
        }
        if (!ok)
            return false;
    }
    return true;
}

static void s_on_hit(const char *watch, json_t *channels, json_t *options, const char *terms, void *arg)
{
    s_ctx_t *c = arg;
    json_t *a = c->article;
    if (!s_passes_filters(a, options))
        return;
    const char *story = ww_json_str(a, "story_id");
    /* One alert per watch and story: its id is a hash of both. */
    const char *parts[] = {watch, story};
    char alert_id[33];
    ww_hash_id(alert_id, 32, parts, 2);
    json_t *matched = json_array();
    const char *list[17] = {0};
    size_t n = 0;
    for (const char *t = terms; *t && n < 16; t += strlen(t) + 1) {
        json_array_append_new(matched, json_string(t));
        list[n++] = t;
    }
    char *snippet = ww_snippet(c->fold, ww_json_str(a, "body"), list, 120);
    char now[32];
    ww_utc_format(time(NULL), now, sizeof now);
    json_t *alert =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:O, s:s, s:o, s:s, s:s}", "alert_id", alert_id, "watch", watch,
                  "story_id", story, "article_id", ww_json_str(a, "stored_as"), "title", ww_json_str(a, "title"),
                  "source", ww_json_str(a, "source"), "published", ww_json_str(a, "published"), "published_estimated",
                  json_object_get(a, "published_estimated") ? json_object_get(a, "published_estimated") : json_false(),
                  "url", ww_json_str(a, "url"), "matched", matched, "snippet", snippet, "alerted_at", now);
    free(snippet);
    int claimed = delivery_claim(c->delivery, alert, channels, options);
    if (claimed == 1) {
        c->alerts++; /* counted once its batch has committed */
    } else if (claimed < 0)
        ww_status_error(c->status, "cannot %s alert %s", claimed == -1 ? "record" : "commit", alert_id);
    json_decref(alert);
}

/* Matches one article; returns how many alerts it claimed. */
static int s_match(json_t *a, watch_set_t *watches, s_ctx_t *ctx)
{
    json_t *m = json_object_get(a, "match");
    time_t published = ww_utc_parse(ww_json_str(a, "published"));
    ww_qdoc_t doc = {ww_json_str(m, "title"), ww_json_str(m, "body"), ww_json_str(m, "source"),
                     ww_json_str(m, "author"), published};
    ctx->article = a;
    ctx->alerts = 0;
    watch_set_match(watches, &doc, s_on_hit, ctx);
    return ctx->alerts;
}

/* The last stage acks: the article is now indexed and alerted. */
static void s_ack(json_t *a, int alerts, zsock_t *acks)
{
    json_t *ack = json_pack("{s:s, s:s, s:s, s:i}", "id", ww_json_str(a, "id"), "status", "done", "stage", "notifier",
                            "alerts", alerts);
    ww_message_send_within(acks, "ack", ack, WW_MESSAGE_SEND_WAIT_MS); /* a lost ack is a re-send */
    json_decref(ack);
}

/* Articles taken from one receive, matched under one commit (at most). */
#define S_BATCH 64

/* Takes the articles waiting (up to S_BATCH), matches them with their
 * claims in one transaction and, once it has committed, acks them. When
 * the commit fails nothing is acked, so they all come again. */
static void s_handle_waiting(zsock_t *in, watch_set_t *watches, s_ctx_t *ctx, zsock_t *acks)
{
    json_t *batch[S_BATCH];
    int alerts[S_BATCH];
    size_t n = 0;
    while (n < S_BATCH) {
        json_t *body = NULL;
        int rc = ww_worker_recv(in, "indexed", ctx->status, &ww_status_counters(ctx->status)->in, &body);
        if (rc == 0)
            batch[n++] = body;
        else if (rc != -1)
            break; /* interrupted, or nothing more waiting */
    }
    if (!n)
        return;
    bool batched = delivery_batch_begin(ctx->delivery) == 0;
    for (size_t i = 0; i < n; i++)
        alerts[i] = s_match(batch[i], watches, ctx);
    int rc = batched ? delivery_batch_end(ctx->delivery) : 0;
    if (rc != 0)
        ww_status_error(ctx->status, "cannot commit the alerts of %zu articles; they come again", n);
    for (size_t i = 0; i < n; i++) {
        if (rc == 0) {
            ww_status_counters(ctx->status)->out += (uint64_t) alerts[i];
            s_ack(batch[i], alerts[i], acks);
        }
        json_decref(batch[i]);
    }
}

void notifier_actor(zsock_t *pipe, void *args)
{
    ww_config_t *config = args;
    char err[512] = "";
    ww_fold_t *fold = ww_fold_new(err, sizeof err);
    ww_watches_t *store = ww_watches_open(ww_config_str(config, "notifier.watches_db"), err, sizeof err);
    ww_alertlog_t *log = ww_alertlog_open(ww_config_str(config, "notifier.alerts_db"), false, err, sizeof err);
    zsock_t *in = ww_socket_connect(ZMQ_PULL, config, "endpoint.indexed");
    zsock_t *acks = ww_socket_connect(ZMQ_PUSH, config, "endpoint.ack");
    ww_status_t *status = ww_service_status(config, "notifier");
    watch_set_t *watches = NULL;
    delivery_t *delivery = NULL;
    sender_t *sender = fold && store && log ? sender_new(config, err, sizeof err) : NULL;
    if (!fold || !store || !log || !in || !acks || !status || !sender) {
        zsys_error("notifier cannot start: %s", err[0] ? err : "sockets failed");
        ww_actor_started(pipe, false);
        goto done;
    }
    watches = watch_set_new(store, fold);
    delivery = delivery_new(config, log, sender);
    watch_set_refresh(watches);
    ww_actor_started(pipe, true);
    zsys_info("notifier ready");
    s_ctx_t ctx = {NULL, fold, delivery, status, 0};
    int64_t reload_ms = ww_config_int(config, "notifier.reload_interval");
    /* woken at least this often to reload watches and publish status */
    int wait_ms = reload_ms < 250 ? (int) reload_ms : 250;
    zpoller_t *poller = zpoller_new(pipe, in, NULL);
    int64_t next_status = 0, next_reload = 0, next_health = 0;
    int64_t health_ms = ww_config_int(config, "notifier.health_interval");
    ww_drain_t drain = {0};
    while (!ww_drain_over(&drain)) {
        void *which = ww_drain_wait(&drain, poller, pipe, wait_ms, config, "notifier");
        if (which == in) {
            if (zclock_mono() >= next_reload) {
                watch_set_refresh(watches);
                next_reload = zclock_mono() + reload_ms;
            }
            s_handle_waiting(in, watches, &ctx, acks);
        } else if (zpoller_terminated(poller))
            break;
        if (zclock_mono() >= next_reload) {
            watch_set_refresh(watches);
            next_reload = zclock_mono() + reload_ms;
        }
        if (zclock_mono() >= next_health) {
            feed_health_check(config, watches, delivery);
            next_health = zclock_mono() + health_ms;
        }
        ww_status_tick(status, &next_status, &acks, (const char *const[]){"endpoint.ack"}, 1);
    }
    zpoller_destroy(&poller);
done:
    if (status)
        ww_status_remove(status);
    delivery_destroy(&delivery);
    sender_destroy(&sender); /* lets its transfers in flight finish */
    watch_set_destroy(&watches);
    ww_status_destroy(&status);
    zsock_destroy(&acks);
    zsock_destroy(&in);
    ww_alertlog_close(&log);
    ww_watches_close(&store);
    ww_fold_destroy(&fold);
    ww_hash_thread_done();
}
