/* raw_message: the "raw" messages the fetcher sends (proto/raw.schema.json),
 * built from a dropped document or from one item of a parsed feed. Returned
 * json_t belong to the caller. */
#ifndef RAW_MESSAGE_H
#define RAW_MESSAGE_H

#include <jansson.h>
#include <stddef.h>

/* A document's bytes travel as base64: they may be in any encoding. */
json_t *raw_message_for_file(const char *path, const char *bytes, size_t len);
/* feed is the parsed feed (for its title), item one of its items, id its
 * item id; revision > 0 marks a changed version of an item sent before. */
json_t *raw_message_for_feed_item(json_t *feed, json_t *item, const char *id, const char *origin, int revision);

#endif
