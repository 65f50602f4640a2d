/* indexer_actor: the single writer of the index, as a czmq actor (args:
 * ww_config_t *). PULLs clean articles (binds), upserts them in batched
 * transactions, groups reprints and near-duplicates into stories, and PUSHes
 * each article with its story id to the notifiers (binds). */
#ifndef INDEXER_ACTOR_H
#define INDEXER_ACTOR_H

#include <czmq.h>

void indexer_actor(zsock_t *pipe, void *args);

#endif
