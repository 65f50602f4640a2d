/* fetcher_actor: the fetcher worker as a czmq actor (args: ww_config_t *).
 * Binds the raw PUSH and the ack PULL endpoints. Everything it takes is
 * first made durable in the spool; it is re-sent until the notifier's ack
 * (or a cleaner's rejection) arrives. */
#ifndef FETCHER_ACTOR_H
#define FETCHER_ACTOR_H

#include <czmq.h>

void fetcher_actor(zsock_t *pipe, void *args);

#endif
