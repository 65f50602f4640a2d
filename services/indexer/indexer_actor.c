/* indexer_actor: batched idempotent upserts, then fan-out to notifiers. */
#include "indexer_actor.h"
#include "ww_index.h"
#include "ww_hash.h"
#include "ww_message.h"
#include "ww_service.h"

#include <string.h>

static const char *s_outcome(ww_upsert_t o)
{
    switch (o) {
    case WW_UPSERT_NEW:
        return "new";
    case WW_UPSERT_UPDATED:
        return "updated";
    case WW_UPSERT_UNCHANGED:
        return "unchanged";
    case WW_UPSERT_REPRINT:
        return "reprint";
    }
    return "new";
}

/* Writes a batch in one transaction, then sends each article on. A batch
 * that fails is retried one article at a time so one bad article cannot
 * hold back the others. */
static void s_write_batch(ww_index_t *index, json_t *batch, zsock_t *out, zsock_t *pipe, int forward_wait_ms,
                          ww_config_t *config, ww_status_t *status)
{
    int distance = (int) ww_config_int(config, "indexer.simhash_distance");
    size_t n = json_array_size(batch);
    ww_upsert_result_t *results = calloc(n ? n : 1, sizeof *results);
    bool *ok = calloc(n ? n : 1, sizeof *ok);
    bool batch_ok = ww_index_begin(index) == 0;
    for (size_t i = 0; i < n && batch_ok; i++)
        batch_ok = ww_index_upsert(index, json_array_get(batch, i), distance, &results[i]) == 0;
    if (batch_ok && ww_index_commit(index) == 0) {
        for (size_t i = 0; i < n; i++)
            ok[i] = true;
    } else {
        ww_index_rollback(index);
        for (size_t i = 0; i < n; i++) {
            json_t *a = json_array_get(batch, i);
            ok[i] = ww_index_begin(index) == 0 && ww_index_upsert(index, a, distance, &results[i]) == 0 &&
                    ww_index_commit(index) == 0;
            if (!ok[i]) {
                ww_index_rollback(index);
                ww_status_error(status, "cannot index %s", json_string_value(json_object_get(a, "id")));
                zsys_error("cannot index %s", json_string_value(json_object_get(a, "id")));
            }
        }
    }
    size_t unsent = 0;
    for (size_t i = 0; i < n; i++) {
        if (!ok[i])
            continue; /* not acked: the fetcher re-sends it after its timeout */
        if (unsent) {
            unsent++;
            continue;
        }
        json_t *a = json_array_get(batch, i);
        json_object_set_new(a, "story_id", json_string(results[i].story_id));
        json_object_set_new(a, "stored_as", json_string(results[i].article_id));
        json_object_set_new(a, "index_outcome", json_string(s_outcome(results[i].outcome)));
        json_object_set_new(a, "new_story", json_boolean(results[i].new_story));
        if (ww_message_send_unless(out, "indexed", a, forward_wait_ms, pipe) == 0)
            ww_status_counters(status)->out++;
        else
            unsent++; /* nobody takes them now: stop trying for this batch */
    }
    if (unsent) {
        /* indexed, but not acknowledged: the fetcher re-sends them, and
         * the index finds them unchanged and passes them on then */
        zsys_warning("indexer: %zu articles indexed but not passed on: no notifier is taking them", unsent);
        ww_status_error(status, "%zu articles not passed on: no notifier is taking them", unsent);
    }
    free(results);
    free(ok);
}

/* Pages of segment merging per step while idle: tens of milliseconds, so
 * an article that arrives meanwhile waits little. */
#define S_MERGE_PAGES 256
/* How long the input must have been quiet before merging starts. */
#define S_MERGE_IDLE_MS 1000

/* Merges index segments step by step, each in its own transaction, until
 * there is nothing left to merge or input (or a command) arrives. false
 * when done. */
static bool s_merge_while_idle(ww_index_t *index, zsock_t *in, zsock_t *pipe)
{
    while (!(zsock_events(in) & ZMQ_POLLIN) && !(zsock_events(pipe) & ZMQ_POLLIN)) {
        if (ww_index_begin(index) != 0)
            return true;
        int did = ww_index_merge(index, S_MERGE_PAGES);
        if (did < 0) {
            ww_index_rollback(index);
            return false; /* logged; retried after the next batch */
        }
        if (ww_index_commit(index) != 0)
            return true;
        if (did == 0)
            return false;
    }
    return true;
}

void indexer_actor(zsock_t *pipe, void *args)
{
    ww_config_t *config = args;
    char err[512];
    ww_index_t *index = ww_index_open(ww_config_str(config, "indexer.index_db"), false, err, sizeof err);
    zsock_t *in = ww_socket_bind(ZMQ_PULL, config, "endpoint.clean");
    zsock_t *out = ww_socket_bind(ZMQ_PUSH, config, "endpoint.indexed");
    zsock_t *presence = NULL;
    ww_status_t *status = ww_service_status(config, "indexer");
    if (!index || !in || !out || !status) {
        zsys_error("indexer cannot start: %s", index ? "cannot bind its endpoints" : err);
        ww_actor_started(pipe, false);
        goto done;
    }
    /* Sends nothing: while this connection stands the fetcher knows the
     * indexer is there, and when it closes (a crash, a kill) the fetcher
     * re-sends what was in flight at once (its peer_watch), since what the
     * indexer held is lost. */
    presence = ww_socket_connect(ZMQ_PUSH, config, "endpoint.ack");
    if (!presence)
        zsys_warning("indexer: cannot connect to endpoint.ack; if it dies, the fetcher re-sends only on its timeout");
    ww_actor_started(pipe, true);
    zsys_info("indexer ready (%s)", ww_config_str(config, "indexer.index_db"));
    int batch_max = (int) ww_config_int(config, "indexer.batch");
    zpoller_t *poller = zpoller_new(pipe, in, NULL);
    int64_t next_status = 0, last_write = 0;
    bool merge_pending = true; /* a restart may find segments to merge */
    ww_drain_t drain = {0};
    while (!ww_drain_over(&drain)) {
        void *which = ww_drain_wait(&drain, poller, pipe, 250, config, "indexer");
        if (which == in) {
            json_t *batch = json_array();
            do {
                json_t *body = NULL;
                int rc = ww_worker_recv(in, "clean", status, &ww_status_counters(status)->in, &body);
                if (rc == -2 || rc == -3)
                    break;
                if (rc == 0)
                    json_array_append_new(batch, body);
            } while ((int) json_array_size(batch) < batch_max && (zsock_events(in) & ZMQ_POLLIN));
            if (json_array_size(batch)) {
                s_write_batch(index, batch, out, pipe,
                              /* a drain has its own deadline: no long waits then */
                              ww_draining(&drain) ? WW_MESSAGE_SEND_WAIT_MS : WW_MESSAGE_FORWARD_WAIT_MS, config,
                              status);
                merge_pending = true;
                last_write = zclock_mono();
            }
            json_decref(batch);
        } else if (zpoller_terminated(poller))
            break;
        else if (merge_pending && !ww_draining(&drain) && zclock_mono() - last_write >= S_MERGE_IDLE_MS)
            merge_pending = s_merge_while_idle(index, in, pipe);
        ww_status_tick(status, &next_status, &out, (const char *const[]){"endpoint.indexed"}, 1);
    }
    zpoller_destroy(&poller);
done:
    if (status)
        ww_status_remove(status);
    ww_status_destroy(&status);
    zsock_destroy(&presence);
    zsock_destroy(&out);
    zsock_destroy(&in);
    ww_index_close(&index);
    ww_hash_thread_done();
}
