/* notifier_actor: the notifier worker as a czmq actor (args: ww_config_t *).
 * PULLs indexed articles, matches them against all watches, records and
 * delivers one alert per watch and story, then acks the article to the
 * fetcher. Holds no state of its own: scale it freely. */
#ifndef NOTIFIER_ACTOR_H
#define NOTIFIER_ACTOR_H

#include <czmq.h>

void notifier_actor(zsock_t *pipe, void *args);

#endif
