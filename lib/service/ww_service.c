/* ww_service: the shared main of wirewatch workers. */
#include "ww_service.h"

#include <malloc.h>
#include "ww_curve.h"
#include "ww_message.h"
#include "ww_paths.h"

#include <curl/curl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

ww_config_t *ww_service_config(const char *data_flag, const char *config_flag)
{
    char *data = ww_default_data_dir(data_flag);
    if (ww_mkdir_p(data) < 0) {
        fprintf(stderr, "wirewatch: cannot create data directory %s: %s\n", data, strerror(errno));
        free(data);
        return NULL;
    }
    char *path = ww_default_config_path(config_flag, data);
    ww_config_t *config = ww_config_new(data);
    char err[512];
    if (ww_config_load(config, path, err, sizeof err) < 0) {
        fprintf(stderr, "wirewatch: %s\n", err);
        ww_config_destroy(&config);
    }
    free(path);
    free(data);
    return config;
}

ww_status_t *ww_service_status(ww_config_t *config, const char *name)
{
    return ww_status_new(ww_config_str(config, "status.dir"), name);
}

void ww_actor_started(zsock_t *pipe, bool ok)
{
    zsock_signal(pipe, 0);
    if (!ok)
        zstr_send(pipe, "FAILED");
}

bool ww_actor_should_stop(zsock_t *pipe)
{
    char *cmd = zstr_recv(pipe);
    bool stop = !cmd || !strcmp(cmd, "$TERM");
    zstr_free(&cmd);
    return stop;
}

void ww_status_tick(ww_status_t *status, int64_t *next_ms, zsock_t *const *sends, const char *const *keys, size_t n)
{
    if (zclock_mono() < *next_ms)
        return;
    if (n)
        ww_status_note_peers(status, NULL, sends, keys, n);
    ww_status_publish(status);
    *next_ms = zclock_mono() + 250;
}

int ww_worker_recv(zsock_t *sock, const char *want, ww_status_t *status, uint64_t *counter, json_t **body)
{
    const char *type;
    char err[512];
    int rc = ww_message_recv_ready(sock, &type, body, err, sizeof err);
    if (rc == -2 || rc == -3)
        return rc;
    (*counter)++;
    if (rc == 0 && strcmp(type, want) != 0) {
        snprintf(err, sizeof err, "unexpected %s message where %s was expected", type, want);
        json_decref(*body);
        *body = NULL;
        rc = -1;
    }
    if (rc < 0) {
        zsys_error("bad message: %s", err);
        ww_status_error(status, "bad message: %s", err);
    }
    return rc;
}

void ww_status_note_peers(ww_status_t *status, const char *prefix, zsock_t *const *socks, const char *const *keys,
                          size_t n)
{
    char stuck[256] = "";
    size_t len = 0;
    for (size_t i = 0; i < n && len < sizeof stuck; i++)
        if (socks[i] && !(zsock_events(socks[i]) & ZMQ_POLLOUT))
            len += (size_t) snprintf(stuck + len, sizeof stuck - len, "%s%s", len ? ", " : "", keys[i]);
    char note[512];
    if (!stuck[0])
        snprintf(note, sizeof note, "%s", prefix ? prefix : "");
    else
        snprintf(note, sizeof note, "%s%sno peer taking messages on %s (down, not yet connected, or full); retrying",
                 prefix ? prefix : "", prefix && *prefix ? "; " : "", stuck);
    ww_status_note(status, note);
}

void ww_drain_begin(ww_drain_t *drain, ww_config_t *config, const char *service)
{
    if (drain->until)
        return;
    int64_t now = zclock_mono();
    drain->until = now + ww_config_int(config, "shutdown.drain");
    drain->last_input = now;
    zsys_info("%s: stopping; finishing the work in flight (at most %lld ms)", service,
              (long long) ww_config_int(config, "shutdown.drain"));
}

void *ww_drain_wait(ww_drain_t *drain, zpoller_t *poller, zsock_t *pipe, int timeout_ms, ww_config_t *config,
                    const char *service)
{
    zpoller_set_nonstop(poller, true); /* SIGTERM starts a drain, not an exit */
    void *which = zpoller_wait(poller, ww_draining(drain) ? 100 : timeout_ms);
    if (zsys_interrupted)
        ww_drain_begin(drain, config, service);
    if (which == pipe) {
        if (ww_actor_should_stop(pipe))
            ww_drain_begin(drain, config, service);
        return NULL;
    }
    if (which)
        drain->last_input = zclock_mono();
    return which;
}

bool ww_drain_over(const ww_drain_t *drain)
{
    if (!drain->until)
        return false;
    int64_t now = zclock_mono();
    return now >= drain->until || now - drain->last_input >= WW_DRAIN_QUIET_MS;
}

void ww_service_tune_memory(void)
{
    /* Workers parse documents of up to limits.max_document, one after the
     * other. With glibc's defaults every buffer over 128 KB is a fresh mmap
     * whose pages fault in again on each document (a third of the feed
     * parser's time); these keep such buffers in the heap for reuse. */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
}

int ww_service_main(int argc, char **argv, const char *name, const char *summary, zactor_fn *actor)
{
    ww_service_tune_memory();
    const char *data_flag = NULL, *config_flag = NULL;
    static const struct option opts[] = {{"data", required_argument, NULL, 'd'},
                                         {"config", required_argument, NULL, 'c'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "d:c:h", opts, NULL)) != -1) {
        if (c == 'd')
            data_flag = optarg;
        else if (c == 'c')
            config_flag = optarg;
        else {
            printf("usage: wirewatch-%s [--data DIR] [--config FILE]\n\n%s\n\n"
                   "  --data DIR     data directory (default: $WIREWATCH_DATA, then ~/.local/share/wirewatch)\n"
                   "  --config FILE  config file (default: $WIREWATCH_CONFIG, then DATA/wirewatch.conf)\n"
                   "Every setting can also be given as WIREWATCH_<KEY>; see deploy/wirewatch.conf.\n",
                   name, summary);
            return c == 'h' ? 0 : 2;
        }
    }
    ww_config_t *config = ww_service_config(data_flag, config_flag);
    if (!config)
        return 1;
    char ident[64], err[512];
    snprintf(ident, sizeof ident, "wirewatch-%s", name);
    /* its CURVE key pair, when security.keys_dir is set */
    if (!*ww_config_str(config, "security.role"))
        ww_config_set(config, "security.role", name, err, sizeof err);
    zsys_init();
    zsys_set_logident(ident);
    zsys_set_logstream(stderr);
    zsys_set_linger((size_t) ww_config_int(config, "zmq.linger"));
    /* once, before any thread makes a handle (curl_easy_init would do it
     * lazily, and not thread-safely), and undone at the end so TLS state is
     * freed rather than left behind */
    curl_global_init(CURL_GLOBAL_DEFAULT);
    zactor_t *worker = zactor_new(actor, config);
    if (!worker) {
        curl_global_cleanup();
        ww_config_destroy(&config);
        return 1;
    }
    /* The actor signals readiness; then we wait for a signal or its end. */
    int rc = 0;
    zpoller_t *poller = zpoller_new(zactor_sock(worker), NULL);
    while (!zsys_interrupted) {
        void *which = zpoller_wait(poller, 500);
        if (which) {
            char *msg = zstr_recv(worker);
            bool failed = msg && !strcmp(msg, "FAILED");
            zstr_free(&msg);
            if (failed) {
                rc = 1;
                break;
            }
        } else if (zpoller_terminated(poller))
            break;
    }
    zpoller_destroy(&poller);
    zsys_info("stopping");
    zactor_destroy(&worker);
    ww_curve_shutdown();
    curl_global_cleanup();
    ww_config_destroy(&config);
    return rc;
}
