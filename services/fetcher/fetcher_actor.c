/* fetcher_actor: drop folder and feeds in, durable spool, raw messages out,
 * acks in. */
#include "fetcher_actor.h"
#include "drop_folder.h"
#include "feed_poller.h"
#include "raw_message.h"
#include "ww_feed.h"
#include "ww_hash.h"
#include "ww_message.h"
#include "ww_service.h"
#include "ww_encoding.h"
#include "ww_spool.h"

#include <string.h>

#define S_MAX_ITEMS_PER_FEED 500

typedef struct {
    ww_config_t *config;
    ww_spool_t *spool;
    drop_folder_t *drop;
    zsock_t *out;
    ww_status_t *status;
} s_fetcher_t;

/* Spools one message; 0 if durable (new or already known), -1 on error. */
static int s_spool(s_fetcher_t *f, json_t *msg, const char *origin)
{
    char *text = json_dumps(msg, JSON_COMPACT);
    int rc = text ? ww_spool_put(f->spool, json_string_value(json_object_get(msg, "id")), text, origin) : -1;
    free(text);
    if (rc == 1)
        ww_status_counters(f->status)->in++;
    return rc < 0 ? -1 : 0;
}

/* Every item of a parsed feed becomes one raw message. Returns new items. */
static int s_spool_feed_items(s_fetcher_t *f, json_t *feed, const char *feed_url, const char *origin)
{
    json_t *items = json_object_get(feed, "items"), *item;
    size_t i;
    int failed = 0;
    json_array_foreach(items, i, item)
    {
        json_t *msg = raw_message_for_feed_item(feed, item, feed_url, origin);
        failed += !msg || s_spool(f, msg, origin) < 0;
        json_decref(msg);
    }
    return failed ? -1 : (int) json_array_size(items);
}

static int s_take_file(const char *path, const char *bytes, size_t len, char *reason, size_t reasonlen, void *arg)
{
    s_fetcher_t *f = arg;
    if (ww_looks_binary(bytes, len)) {
        snprintf(reason, reasonlen, "binary data, not a text document");
        ww_spool_record_failure(f->spool, path, reason);
        return -1;
    }
    if (ww_feed_detect(bytes, len)) {
        char err[256];
        json_t *feed = ww_feed_parse(bytes, len, NULL, NULL, S_MAX_ITEMS_PER_FEED, err, sizeof err);
        if (!feed) {
            snprintf(reason, reasonlen, "feed file does not parse: %s", err);
            return -1;
        }
        char origin[4200];
        snprintf(origin, sizeof origin, "file://%s", path);
        int rc = s_spool_feed_items(f, feed, origin, path);
        json_decref(feed);
        return rc < 0 ? -1 : 0;
    }
    json_t *msg = raw_message_for_file(path, bytes, len);
    int rc = s_spool(f, msg, path);
    json_decref(msg);
    return rc;
}

static void s_poll_feeds(s_fetcher_t *f)
{
    json_t *feeds = ww_spool_feeds(f->spool), *feed;
    size_t i;
    time_t now = time(NULL);
    int64_t default_every = ww_config_int(f->config, "fetcher.poll_interval");
    json_array_foreach(feeds, i, feed)
    {
        if (json_integer_value(json_object_get(feed, "next_poll")) > now)
            continue;
        const char *url = json_string_value(json_object_get(feed, "url"));
        int64_t every = json_integer_value(json_object_get(feed, "every_ms"));
        if (every <= 0)
            every = default_every;
        int failures = (int) json_integer_value(json_object_get(feed, "failures"));
        feed_response_t r;
        int rc = feed_poller_get(f->config, url, json_string_value(json_object_get(feed, "etag")),
                                 json_string_value(json_object_get(feed, "last_modified")), &r);
        int new_items = 0;
        char err[512] = "";
        if (rc == 0 && r.status == 200) {
            json_t *parsed = ww_feed_parse(r.body, r.len, r.charset[0] ? r.charset : NULL,
                                           r.final_url[0] ? r.final_url : url, S_MAX_ITEMS_PER_FEED, err, sizeof err);
            if (parsed) {
                new_items = s_spool_feed_items(f, parsed, url, url);
                json_decref(parsed);
            } else
                rc = -1;
        } else if (rc < 0)
            snprintf(err, sizeof err, "%s", r.error);
        /* Failures back off exponentially (with jitter) up to a day. */
        int64_t wait_ms = every;
        if (rc < 0) {
            int shift = failures < 10 ? failures : 10;
            wait_ms = every * (1LL << shift);
            if (wait_ms > 86400000LL)
                wait_ms = 86400000LL;
            wait_ms += (int64_t) (randof(1000) * (wait_ms / 10000));
            zsys_warning("feed %s: %s", url, err);
            ww_status_error(f->status, "feed %s: %s", url, err);
        }
        ww_spool_feed_update(f->spool, url, r.etag[0] ? r.etag : NULL, r.last_modified[0] ? r.last_modified : NULL,
                             (int64_t) now + wait_ms / 1000, rc == 0, rc ? err : NULL, new_items > 0 ? new_items : 0);
        feed_response_free(&r);
    }
    json_decref(feeds);
}

typedef struct {
    s_fetcher_t *f;
} s_send_ctx_t;

static int s_send_one(const char *id, const char *message, int attempts, void *arg)
{
    s_fetcher_t *f = arg;
    (void) attempts;
    json_t *msg = json_loads(message, 0, NULL);
    if (!msg) {
        ww_spool_ack(f->spool, id, "rejected", "spooled message is not JSON");
        return 0;
    }
    int rc = ww_message_send(f->out, "raw", msg);
    json_decref(msg);
    if (rc == 0)
        ww_status_counters(f->status)->out++;
    return rc;
}

static void s_handle_ack(s_fetcher_t *f, json_t *ack)
{
    const char *id = json_string_value(json_object_get(ack, "id"));
    const char *st = json_string_value(json_object_get(ack, "status"));
    const char *reason = json_string_value(json_object_get(ack, "reason"));
    if (strcmp(st, "done") != 0 && strcmp(st, "rejected") != 0) {
        ww_status_error(f->status, "ack for %s has unknown status %s", id, st);
        return;
    }
    if (ww_spool_ack(f->spool, id, st, reason) == 1 && !strcmp(st, "rejected")) {
        /* A dropped file already moved to done/ goes to failed/ with the reason. */
        char *origin = ww_spool_origin(f->spool, id);
        const char *base = origin ? strrchr(origin, '/') : NULL;
        if (base && !strncmp(origin, ww_config_str(f->config, "fetcher.drop_dir"),
                             strlen(ww_config_str(f->config, "fetcher.drop_dir")))) {
            char *done = zsys_sprintf("%s/done%s", ww_config_str(f->config, "fetcher.drop_dir"), base);
            if (access(done, F_OK) == 0)
                drop_folder_fail(f->drop, done, reason ? reason : "rejected by a cleaner");
            zstr_free(&done);
        }
        free(origin);
    }
}

void fetcher_actor(zsock_t *pipe, void *args)
{
    ww_config_t *config = args;
    char err[512] = "";
    s_fetcher_t f = {config, NULL, NULL, NULL, NULL};
    f.spool = ww_spool_open(ww_config_str(config, "fetcher.state_db"), false, err, sizeof err);
    f.out = ww_socket_bind(ZMQ_PUSH, config, "endpoint.raw");
    zsock_t *acks = ww_socket_bind(ZMQ_PULL, config, "endpoint.ack");
    f.status = ww_service_status(config, "fetcher");
    if (!f.spool || !f.out || !acks || !f.status) {
        zsys_error("fetcher cannot start: %s", err[0] ? err : "cannot bind its endpoints");
        ww_actor_started(pipe, false);
        goto done;
    }
    f.drop = drop_folder_new(ww_config_str(config, "fetcher.drop_dir"), ww_config_int(config, "fetcher.stable_for"),
                             (size_t) ww_config_int(config, "limits.max_document"));
    /* Feeds named in the config join the feed list. */
    char *feeds = strdup(ww_config_str(config, "fetcher.feeds"));
    for (char *save = NULL, *u = strtok_r(feeds, ", ", &save); u; u = strtok_r(NULL, ", ", &save))
        ww_spool_feed_add(f.spool, u, 0);
    free(feeds);
    ww_actor_started(pipe, true);
    zsys_info("fetcher ready (drop folder %s)", ww_config_str(config, "fetcher.drop_dir"));

    int64_t scan_every = ww_config_int(config, "fetcher.scan_interval");
    int64_t resend_ms = ww_config_int(config, "fetcher.resend_after");
    int window = (int) ww_config_int(config, "fetcher.window");
    int64_t next_scan = 0, next_feeds = 0, next_status = 0, next_send = 0;
    zpoller_t *poller = zpoller_new(pipe, acks, NULL);
    while (true) {
        void *which = zpoller_wait(poller, 50);
        if (which == pipe) {
            if (ww_actor_should_stop(pipe))
                break;
        } else if (which == acks) {
            do {
                json_t *body = NULL;
                int rc = ww_worker_recv(acks, "ack", f.status, &ww_status_counters(f.status)->acked, &body);
                if (rc == -2)
                    break;
                if (rc == 0)
                    s_handle_ack(&f, body);
                json_decref(body);
            } while (zsock_events(acks) & ZMQ_POLLIN);
            next_send = 0; /* acks free room in the window */
        } else if (zpoller_terminated(poller))
            break;
        int64_t now = zclock_mono();
        if (now >= next_scan) {
            drop_folder_scan(f.drop, s_take_file, &f);
            next_scan = now + scan_every;
            next_send = 0;
        }
        if (now >= next_feeds) {
            s_poll_feeds(&f);
            next_feeds = now + 1000;
        }
        if (now >= next_send) {
            int64_t wall = zclock_time();
            int room = window - ww_spool_in_flight(f.spool, wall, resend_ms);
            int resent = 0;
            ww_spool_send_due(f.spool, wall, resend_ms, room, s_send_one, &f, &resent);
            ww_status_counters(f.status)->resent += (uint64_t) resent;
            next_send = now + 200;
        }
        if (now >= next_status) {
            char note[128];
            snprintf(note, sizeof note, "%lld not yet acknowledged", (long long) ww_spool_pending(f.spool));
            ww_status_note(f.status, note);
            ww_status_publish(f.status);
            next_status = now + 1000;
        }
    }
    zpoller_destroy(&poller);
done:
    if (f.status)
        ww_status_remove(f.status);
    drop_folder_destroy(&f.drop);
    ww_status_destroy(&f.status);
    zsock_destroy(&acks);
    zsock_destroy(&f.out);
    ww_spool_close(&f.spool);
    ww_hash_thread_done();
}
