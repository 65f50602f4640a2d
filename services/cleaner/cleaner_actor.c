/* cleaner_actor: raw document in, clean article (or rejection) out. */
#include "cleaner_actor.h"
#include "ww_utc.h"
#include "ww_article.h"
#include "ww_base64.h"
#include "ww_hash.h"
#include "ww_message.h"
#include "ww_service.h"

#include <string.h>

static const char *s_get(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* Cleans one raw message; sends the article on, or a rejection back. */
static void s_handle(ww_cleaner_t *cleaner, json_t *raw, zsock_t *out, zsock_t *acks, zsock_t *pipe,
                     int forward_wait_ms, ww_status_t *status)
{
    const char *id = s_get(raw, "id");
    size_t len = 0;
    unsigned char *decoded = NULL;
    const char *bytes;
    if (s_get(raw, "body_base64")) {
        decoded = ww_base64_decode(s_get(raw, "body_base64"), &len);
        bytes = (const char *) decoded;
    } else {
        bytes = s_get(raw, "body");
        len = strlen(bytes);
    }
    ww_doc_info_t info = {
        .id = id,
        .url = s_get(raw, "url"),
        .origin = s_get(raw, "origin"),
        .kind = s_get(raw, "kind"),
        .http_charset = s_get(raw, "http_charset"),
        .forced_encoding = s_get(raw, "encoding"),
        .content_type = s_get(raw, "content_type"),
        .fetched_at = ww_utc_parse(s_get(raw, "fetched_at")),
        .hints = json_object_get(raw, "hints"),
    };
    char err[512] = "";
    json_t *article = bytes ? ww_cleaner_clean(cleaner, bytes, len, &info, err, sizeof err) : NULL;
    if (!bytes)
        snprintf(err, sizeof err, "body could not be decoded");
    free(decoded);
    if (article) {
        if (ww_message_send_unless(out, "clean", article, forward_wait_ms, pipe) == 0)
            ww_status_counters(status)->out++;
        else /* not acknowledged either: the fetcher sends it again */
            ww_status_error(status, "%s: the indexer is not taking articles", id);
        json_decref(article);
        return;
    }
    zsys_warning("rejected %s (%s): %s", id, s_get(raw, "origin") ? s_get(raw, "origin") : "?", err);
    ww_status_error(status, "%s: %s", s_get(raw, "origin") ? s_get(raw, "origin") : id, err);
    json_t *ack = json_pack("{s:s, s:s, s:s, s:s}", "id", id, "status", "rejected", "stage", "cleaner", "reason", err);
    ww_message_send_within(acks, "ack", ack, WW_MESSAGE_SEND_WAIT_MS);
    json_decref(ack);
}

void cleaner_actor(zsock_t *pipe, void *args)
{
    ww_config_t *config = args;
    char err[512];
    ww_cleaner_t *cleaner = ww_cleaner_new((size_t) ww_config_int(config, "limits.max_document"), err, sizeof err);
    zsock_t *in = ww_socket_connect(ZMQ_PULL, config, "endpoint.raw");
    zsock_t *out = ww_socket_connect(ZMQ_PUSH, config, "endpoint.clean");
    zsock_t *acks = ww_socket_connect(ZMQ_PUSH, config, "endpoint.ack");
    ww_status_t *status = ww_service_status(config, "cleaner");
    if (!cleaner || !in || !out || !acks || !status) {
        zsys_error("cleaner cannot start: %s", cleaner ? "sockets failed" : err);
        ww_actor_started(pipe, false);
        goto done;
    }
    ww_actor_started(pipe, true);
    zsys_info("cleaner ready (raw %s -> clean %s)", ww_config_str(config, "endpoint.raw"),
              ww_config_str(config, "endpoint.clean"));
    zpoller_t *poller = zpoller_new(pipe, in, NULL);
    int64_t next_status = 0;
    ww_drain_t drain = {0};
    while (!ww_drain_over(&drain)) {
        void *which = ww_drain_wait(&drain, poller, pipe, 250, config, "cleaner");
        if (which == in) {
            json_t *body = NULL;
            int rc = ww_worker_recv(in, "raw", status, &ww_status_counters(status)->in, &body);
            if (rc == -2 || rc == -3)
                continue; /* interrupted, or woken for a message that went with its peer */
            if (rc == 0)
                s_handle(cleaner, body, out, acks, pipe,
                         /* a drain has its own deadline: no long waits then */
                         ww_draining(&drain) ? WW_MESSAGE_SEND_WAIT_MS : WW_MESSAGE_FORWARD_WAIT_MS, status);
            json_decref(body);
        } else if (zpoller_terminated(poller))
            break;
        ww_status_tick(status, &next_status, (zsock_t *const[]){out, acks},
                       (const char *const[]){"endpoint.clean", "endpoint.ack"}, 2);
    }
    zpoller_destroy(&poller);
done:
    if (status)
        ww_status_remove(status);
    ww_status_destroy(&status);
    zsock_destroy(&acks);
    zsock_destroy(&out);
    zsock_destroy(&in);
    ww_cleaner_destroy(&cleaner);
    ww_hash_thread_done();
}
