/* feed_items: a parsed feed's items into the spool, each once. New items
 * are spooled; an item seen before with other content is spooled again as
 * a revision (up to fetcher.max_revisions); an item whose GUID changed while
 * its link and content did not is recognised and not sent again. The
 * caller wraps the call in a spool transaction. */
#ifndef FEED_ITEMS_H
#define FEED_ITEMS_H

#include <jansson.h>
#include <time.h>

#include "ww_spool.h"

typedef struct {
    int added;     /* new items spooled */
    int revised;   /* revisions spooled */
    int renamed;   /* GUID changes recognised */
    int unchanged; /* seen before as they are */
} feed_items_count_t;

/* feed_key names the feed for item ids (its first URL, or file:// path),
 * origin is what the spool records. 0, or -1 if the spool failed. */
int feed_items_spool(ww_spool_t *spool, json_t *feed, const char *feed_key, const char *origin, int max_revisions,
                     time_t now, feed_items_count_t *count);

#endif
