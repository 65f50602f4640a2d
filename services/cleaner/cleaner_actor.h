/* cleaner_actor: the cleaner worker as a czmq actor (args: ww_config_t *).
 * PULLs raw documents, PUSHes clean articles to the indexer, and PUSHes a
 * "rejected" ack to the fetcher for input that is not a document. Stateless:
 * run as many as there are cores. */
#ifndef CLEANER_ACTOR_H
#define CLEANER_ACTOR_H

#include <czmq.h>

void cleaner_actor(zsock_t *pipe, void *args);

#endif
