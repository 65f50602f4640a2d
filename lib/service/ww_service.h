/* ww_service: what every worker's main does, once: read --data/--config,
 * load the config, start the worker actor, wait for SIGINT/SIGTERM or the
 * actor's end, then stop it and clean up in reverse order. */
#ifndef WW_SERVICE_H
#define WW_SERVICE_H

#include <czmq.h>

#include <jansson.h>

#include "ww_config.h"
#include "ww_status.h"

/* Runs the actor with a ww_config_t * as its argument; returns the exit code. */
/* Keeps large buffers in the heap between documents (called by
 * ww_service_main; benchmarks call it to measure what workers do). */
void ww_service_tune_memory(void);

int ww_service_main(int argc, char **argv, const char *name, const char *summary, zactor_fn *actor);

/* For actors: publishes status every interval and on demand. */
ww_status_t *ww_service_status(ww_config_t *config, const char *name);

/* For actors: tells the thread that started it whether it could start
 * (a failed start makes the worker's main exit with status 1). */
void ww_actor_started(zsock_t *pipe, bool ok);
/* For actors: reads one command from the pipe; true when it says stop. */
bool ww_actor_should_stop(zsock_t *pipe);
/* For actors: publishes status when *next_ms has passed, then every 250 ms,
 * its note naming which of the n sends have no peer taking them (see
 * ww_status_note_peers; n may be 0). */
void ww_status_tick(ww_status_t *status, int64_t *next_ms, zsock_t *const *sends, const char *const *keys, size_t n);

/* For actors: receives one message that must be of type want and adds one
 * to *counter (the status counter it belongs to). A malformed message or one
 * of another type is logged, counted as an error and dropped (returns -1); 0
 * hands over *body (caller decrefs); -2 when interrupted; -3 when, after
 * all, nothing was there (never waits: call it when sock is readable). */
int ww_worker_recv(zsock_t *sock, const char *want, ww_status_t *status, uint64_t *counter, json_t **body);

/* For actors: the status note says which sends have no peer taking them
 * now: a connecting PUSH (IMMEDIATE) until its peer is up, a binding PUSH
 * until a peer connects, either while every peer's queue is full. ZeroMQ
 * keeps retrying the connection; the note says so, or is prefix alone. */
void ww_status_note_peers(ww_status_t *status, const char *prefix, zsock_t *const *socks, const char *const *keys,
                          size_t n);

/* Draining on stop (SIGTERM, or $TERM from the actor's owner): a worker
 * stops intake, goes on handling what is already on its way for up to
 * shutdown.drain, and ends once its input has been quiet for WW_DRAIN_QUIET_MS
 * (the fetcher: once everything it sent is acknowledged). Whatever is still
 * in flight then is re-sent after a restart, so a deadline loses nothing. */
#define WW_DRAIN_QUIET_MS 500
typedef struct {
    int64_t until;      /* monotonic ms the drain ends at the latest; 0: running */
    int64_t last_input; /* monotonic ms of the last message handled */
} ww_drain_t;
/* Starts draining (once; later calls change nothing). */
void ww_drain_begin(ww_drain_t *drain, ww_config_t *config, const char *service);
static inline bool ww_draining(const ww_drain_t *drain)
{
    return drain->until != 0;
}
/* True when a drain has ended: past its deadline, or input quiet. */
bool ww_drain_over(const ww_drain_t *drain);
/* For actors that wait on a poller holding their pipe: zpoller_wait for
 * timeout_ms (100 while draining), where SIGTERM or a stop on pipe begins
 * the drain instead of ending the wait for good. Returns the reader other
 * than pipe that has input (noted as the drain's last input), or NULL. */
void *ww_drain_wait(ww_drain_t *drain, zpoller_t *poller, zsock_t *pipe, int timeout_ms, ww_config_t *config,
                    const char *service);

/* Loads config for data_dir/config_path; NULL with the reason printed. */
ww_config_t *ww_service_config(const char *data_flag, const char *config_flag);

#endif
