/* raw_message: the "raw" messages the fetcher sends (proto/raw.schema.json),
 * built from a dropped document or from one item of a parsed feed. Returned
 * json_t belong to the caller. */
#ifndef RAW_MESSAGE_H
#define RAW_MESSAGE_H

#include <jansson.h>
#include <stddef.h>

/* A document's bytes travel as base64: they may be in any encoding. */
json_t *raw_message_for_file(const char *path, const char *bytes, size_t len);
/* The same message written out as compact JSON (what the spool keeps;
 * raw_message_for_file reads it back),
 * its id in id (at least 40 bytes); caller frees. NULL when memory runs
 * out. Written directly: the base64 text needs no escaping, and a JSON
 * string of it was validated and escaped byte by byte twice over (a
 * quarter of the fetcher's time taking in a burst of dropped files). */
char *raw_message_text_for_file(const char *path, const char *bytes, size_t len, char *id);
/* feed is the parsed feed (for its title), item one of its items, id its
 * item id; revision > 0 marks a changed version of an item sent before. */
json_t *raw_message_for_feed_item(json_t *feed, json_t *item, const char *id, const char *origin, int revision);

#endif
