/* feed_items: classification against the seen items, then the spool. */
#include "feed_items.h"
#include "item_ids.h"
#include "raw_message.h"
#include "ww_feedstate.h"

#include <stdlib.h>
#include <string.h>

static int s_put(ww_spool_t *spool, json_t *msg, const char *origin, bool revision)
{
    char *text = json_dumps(msg, JSON_COMPACT);
    const char *id = json_string_value(json_object_get(msg, "id"));
    int rc = -1;
    if (text)
        rc = revision ? ww_spool_put_revision(spool, id, text, origin) : ww_spool_put(spool, id, text, origin);
    free(text);
    return rc;
}

int feed_items_spool(ww_spool_t *spool, json_t *feed, const char *feed_key, const char *origin, int max_revisions,
                     time_t now, feed_items_count_t *count)
{
    memset(count, 0, sizeof *count);
    json_t *items = json_object_get(feed, "items"), *item;
    size_t i;
    json_array_foreach(items, i, item)
    {
        char id[40], hash[65];
        item_id_for_feed_item(feed_key, item, id);
        item_content_hash(item, hash);
        const char *link = json_string_value(json_object_get(item, "link"));
        int revision = 0;
        ww_seen_t seen = ww_feedstate_seen(spool, feed_key, id, link, hash, &revision);
        if (seen == WW_SEEN_SAME || (seen == WW_SEEN_CHANGED && revision > max_revisions)) {
            count->unchanged++;
            if (ww_feedstate_remember(spool, feed_key, id, link, hash, revision - (seen == WW_SEEN_CHANGED), now) < 0)
                return -1;
            continue;
        }
        if (seen == WW_SEEN_ALIAS) {
            count->renamed++;
            if (ww_feedstate_remember(spool, feed_key, id, link, hash, 0, now) < 0)
                return -1;
            continue;
        }
        json_t *msg = raw_message_for_feed_item(feed, item, id, origin, seen == WW_SEEN_CHANGED ? revision : 0);
        int rc = msg ? s_put(spool, msg, origin, seen == WW_SEEN_CHANGED) : -1;
        json_decref(msg);
        if (rc < 0 || ww_feedstate_remember(spool, feed_key, id, link, hash, revision, now) < 0)
            return -1;
        if (seen == WW_SEEN_CHANGED)
            count->revised++;
        else if (rc == 1)
            count->added++;
        else
            count->unchanged++; /* spooled before the seen table existed */
    }
    return 0;
}
