/* peer_watch: notices when a peer connected to one of the fetcher's bound
 * sockets goes away (a cleaner on the raw socket, an indexer on the ack
 * socket): what that peer held is lost, and the fetcher re-sends it at once
 * instead of after fetcher.resend_after. Built on libzmq's socket monitor,
 * so it sees a crash, a kill and a heartbeat timeout alike, whatever
 * supervises the workers. */
#ifndef PEER_WATCH_H
#define PEER_WATCH_H

#include <czmq.h>

typedef struct peer_watch_t peer_watch_t;

/* Watches sock; name tells the monitors of one process apart. NULL if the
 * monitor cannot start (the fetcher then relies on its re-send timeout). */
peer_watch_t *peer_watch_new(zsock_t *sock, const char *name);
/* Stops the monitor; call before sock is destroyed. */
void peer_watch_destroy(peer_watch_t **self_p);
/* The descriptor to wait on for news (as zsock_fd). */
int peer_watch_fd(peer_watch_t *self);
/* Reads the news at hand without waiting; how many peers went away (0 for
 * a NULL watch: one that could not start). */
int peer_watch_lost(peer_watch_t *self);

#endif
