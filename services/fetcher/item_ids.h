/* item_ids: stable ids. A dropped file is known by its content; a feed item
 * by its GUID, else its link, else its title and content. The same item
 * fetched twice gets the same id. */
#ifndef ITEM_IDS_H
#define ITEM_IDS_H

#include <jansson.h>
#include <stddef.h>

/* "f-" + 32 hex digits of SHA-256 of the bytes. */
void item_id_for_file(const void *bytes, size_t len, char out[40]);
/* "i-" + 32 hex digits over the feed's key (the URL it was first added
 * with) and the item's identity. */
void item_id_for_feed_item(const char *feed_key, json_t *item, char out[40]);

/* 64 hex digits of SHA-256 over the item's title, content and summary: what
 * tells a revision from the same item fetched again. */
void item_content_hash(json_t *item, char out[65]);

#endif
