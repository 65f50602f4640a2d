/* fetcher_actor: drop folder and feeds in, durable spool, raw messages out,
 * acks in. */
#include "fetcher_actor.h"
#include "drop_folder.h"
#include "feed_intake.h"
#include "feed_items.h"
#include "feed_poller.h"
#include "peer_watch.h"
#include "raw_message.h"
#include "ww_feed.h"
#include "ww_hash.h"
#include "ww_message.h"
#include "ww_service.h"
#include "ww_encoding.h"
#include "ww_feedstate.h"
#include "ww_spool.h"

#include <string.h>

typedef struct {
    ww_config_t *config;
    ww_spool_t *spool;
    drop_folder_t *drop;
    zsock_t *out;
    ww_status_t *status;
    feed_poller_t *poller;
    feed_intake_t intake;
    bool in_drop_batch; /* a spool transaction holds dropped files */
} s_fetcher_t;

/* Dropped files are spooled in one transaction per batch: one fsync for
 * hundreds of files, and none of them moved before it. */
static int s_commit_files(void *arg)
{
    s_fetcher_t *f = arg;
    if (!f->in_drop_batch)
        return 0;
    f->in_drop_batch = false;
    if (ww_spool_commit(f->spool) == 0)
        return 0;
    ww_spool_rollback(f->spool);
    return -1;
}

static int s_take_file(const char *path, const char *bytes, size_t len, char *reason, size_t reasonlen, void *arg)
{
    s_fetcher_t *f = arg;
    if (!f->in_drop_batch) {
        if (ww_spool_begin(f->spool) != 0) {
            zsys_error("fetcher: the spool cannot start a transaction; %s waits for the next scan", path);
            return -1; /* no reason: neither taken nor failed */
        }
        f->in_drop_batch = true;
    }
    if (ww_looks_binary(bytes, len)) {
        snprintf(reason, reasonlen, "binary data, not a text document");
        ww_spool_record_failure(f->spool, path, reason);
        return -1;
    }
    if (ww_feed_detect(bytes, len)) {
        char err[256];
        json_t *feed = ww_feed_parse(bytes, len, NULL, NULL, (size_t) ww_config_int(f->config, "fetcher.max_items"),
                                     err, sizeof err);
        if (!feed) {
            snprintf(reason, reasonlen, "feed file does not parse: %s", err);
            return -1;
        }
        char key[4200];
        snprintf(key, sizeof key, "file://%s", path);
        feed_items_count_t count;
        int rc = feed_items_spool(f->spool, feed, key, path, (int) ww_config_int(f->config, "fetcher.max_revisions"),
                                  time(NULL), &count);
        ww_status_counters(f->status)->in += (uint64_t) (count.added + count.revised);
        json_decref(feed);
        if (rc < 0)
            snprintf(reason, reasonlen, "the spool could not store its items");
        return rc < 0 ? -1 : 0;
    }
    char id[40];
    char *text = raw_message_text_for_file(path, bytes, len, id);
    int rc = text ? ww_spool_put(f->spool, id, text, path) : -1;
    free(text);
    if (rc == 1)
        ww_status_counters(f->status)->in++;
    return rc < 0 ? -1 : 0;
}

/* Starts polls of the feeds that are due, as far as the poller's limits
 * allow; feeds whose host is busy wait for the next round. */
static void s_start_due_feeds(s_fetcher_t *f)
{
    if (feed_poller_full(f->poller))
        return;
    int batch = (int) ww_config_int(f->config, "fetcher.concurrency") * 8;
    json_t *due = ww_feedstate_due(f->spool, (int64_t) time(NULL), batch), *feed;
    size_t i;
    json_array_foreach(due, i, feed)
    {
        if (feed_poller_start(f->poller, feed) < 0)
            ww_status_error(f->status, "feed %s: cannot start a request",
                            json_string_value(json_object_get(feed, "url")));
        if (feed_poller_full(f->poller))
            break;
    }
    json_decref(due);
}

static int s_send_one(const char *id, const char *message, int attempts, void *arg)
{
    s_fetcher_t *f = arg;
    (void) attempts;
    /* A PUSH socket with no cleaner connected, or with full queues, would
     * block the whole fetcher (and its stop); the item waits in the spool. */
    if (!(zsock_events(f->out) & ZMQ_POLLOUT))
        return -1;
    /* Sent as spooled: the fetcher wrote it as a JSON object (a dropped
     * file's with raw_message_text_for_file, a feed item's with
     * json_dumps), and the cleaner decodes and checks it anyway. Only a row
     * that is plainly not one (a damaged file) is refused here, since a
     * message the cleaner cannot read is never acknowledged. */
    size_t len = strlen(message);
    if (len < 2 || message[0] != '{' || message[len - 1] != '}') {
        ww_spool_ack(f->spool, id, "rejected", "spooled message is not a JSON object");
        return 0;
    }
    int rc = ww_message_send_text(f->out, "raw", message, len);
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
    s_fetcher_t f = {.config = config};
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
        if (ww_feedstate_add(f.spool, u, -1, NULL, NULL) < 0)
            zsys_error("fetcher: cannot add feed %s from the config", u);
    free(feeds);
    f.poller = feed_poller_new(config);
    feed_intake_init(&f.intake, config, f.spool, f.status);
    ww_actor_started(pipe, true);
    zsys_info("fetcher ready (drop folder %s)", ww_config_str(config, "fetcher.drop_dir"));

    /* A cleaner, indexer or notifier that goes away loses what it held:
     * what is in flight is re-sent at once, not after resend_after. */
    peer_watch_t *lost_raw = peer_watch_new(f.out, "raw"), *lost_ack = peer_watch_new(acks, "ack");
    if (!lost_raw || !lost_ack)
        zsys_warning("fetcher: cannot watch its peers; what a lost one held waits for fetcher.resend_after");
    int64_t scan_every = ww_config_int(config, "fetcher.scan_interval");
    int64_t resend_ms = ww_config_int(config, "fetcher.resend_after");
    int window = (int) ww_config_int(config, "fetcher.window");
    int64_t next_scan = 0, next_feeds = 0, next_status = 0, next_send = 0, next_forget = 0;
    /* One wait covers the feed transfers and both sockets: curl waits on the
     * sockets' descriptors too, and their events are checked after every
     * wake (ZMQ_FD only signals that events may have changed). */
    struct curl_waitfd fds[4] = {{.fd = zsock_fd(pipe), .events = CURL_WAIT_POLLIN},
                                 {.fd = zsock_fd(acks), .events = CURL_WAIT_POLLIN}};
    unsigned nfds = 2;
    if (lost_raw)
        fds[nfds++] = (struct curl_waitfd){.fd = peer_watch_fd(lost_raw), .events = CURL_WAIT_POLLIN};
    if (lost_ack)
        fds[nfds++] = (struct curl_waitfd){.fd = peer_watch_fd(lost_ack), .events = CURL_WAIT_POLLIN};
    ww_drain_t drain = {0};
    while (true) {
        if (zsys_interrupted)
            ww_drain_begin(&drain, config, "fetcher");
        /* a drain takes nothing new and ends once all that was sent is
         * acknowledged (or at its deadline: the rest is re-sent later) */
        if (ww_draining(&drain) &&
            (zclock_mono() >= drain.until || ww_spool_in_flight(f.spool, zclock_time(), resend_ms) == 0))
            break;
        bool pipe_ready = zsock_events(pipe) & ZMQ_POLLIN, acks_ready = zsock_events(acks) & ZMQ_POLLIN;
        int active_before = feed_poller_active(f.poller);
        if (!pipe_ready && !acks_ready)
            feed_poller_run(f.poller, 50, fds, nfds, feed_intake_fetched, &f.intake);
        else
            feed_poller_run(f.poller, 0, NULL, 0, feed_intake_fetched, &f.intake);
        feed_intake_commit(&f.intake);
        if (feed_poller_active(f.poller) < active_before)
            next_feeds = 0; /* polls ended: their slots go to the next due feeds now */
        if (zsock_events(pipe) & ZMQ_POLLIN) {
            if (ww_actor_should_stop(pipe))
                ww_drain_begin(&drain, config, "fetcher");
        }
        if (zsock_events(acks) & ZMQ_POLLIN) {
            /* one transaction for the acks at hand: a lost ack only means
             * an idempotent re-send, so they need not be durable one by one */
            bool in_tx = ww_spool_begin(f.spool) == 0;
            int taken = 0;
            do {
                json_t *body = NULL;
                int rc = ww_worker_recv(acks, "ack", f.status, &ww_status_counters(f.status)->acked, &body);
                if (rc == -2 || rc == -3)
                    break;
                if (rc == 0)
                    s_handle_ack(&f, body);
                json_decref(body);
            } while (++taken < 4096 && (zsock_events(acks) & ZMQ_POLLIN));
            if (in_tx)
                ww_spool_commit(f.spool);
            next_send = 0; /* acks free room in the window */
        }
        int lost = peer_watch_lost(lost_raw) + peer_watch_lost(lost_ack);
        if (lost && !ww_draining(&drain)) {
            int due = ww_spool_resend_now(f.spool);
            if (due >= 0)
                zsys_info("fetcher: %d peer connection%s closed; re-sending the %d items in flight now", lost,
                          lost == 1 ? "" : "s", due);
            next_send = 0;
        }
        int64_t now = zclock_mono();
        if (ww_draining(&drain))
            continue;
        if (now >= next_scan) {
            drop_folder_scan(f.drop, s_take_file, s_commit_files, &f);
            next_scan = now + scan_every;
            next_send = 0;
        }
        if (now >= next_feeds) {
            s_start_due_feeds(&f);
            next_feeds = now + 250;
        }
        if (now >= next_forget) {
            int64_t keep_s = ww_config_int(config, "fetcher.forget_after") / 1000;
            int forgotten = ww_feedstate_forget_before(f.spool, (int64_t) time(NULL) - keep_s);
            if (forgotten > 0)
                zsys_info("fetcher: forgot %d items absent from their feeds for %lld days", forgotten,
                          (long long) (keep_s / 86400));
            next_forget = now + 3600 * 1000;
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
            ww_status_note_peers(f.status, note, &f.out, (const char *const[]){"endpoint.raw"}, 1);
            ww_status_publish(f.status);
            next_status = now + 1000;
        }
    }
    peer_watch_destroy(&lost_raw);
    peer_watch_destroy(&lost_ack);
done:
    feed_poller_destroy(&f.poller);
    if (f.status)
        ww_status_remove(f.status);
    drop_folder_destroy(&f.drop);
    ww_status_destroy(&f.status);
    zsock_destroy(&acks);
    zsock_destroy(&f.out);
    ww_spool_close(&f.spool);
    ww_hash_thread_done();
}
