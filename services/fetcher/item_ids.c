/* item_ids: stable ids for documents and feed items. */
#include "item_ids.h"
#include "ww_hash.h"

#include <string.h>

void item_id_for_file(const void *bytes, size_t len, char out[40])
{
    char hex[65];
    ww_sha256_hex(bytes, len, hex);
    snprintf(out, 40, "f-%.32s", hex);
}

void item_id_for_feed_item(const char *feed_key, json_t *item, char out[40])
{
    const char *guid = json_string_value(json_object_get(item, "guid"));
    const char *link = json_string_value(json_object_get(item, "link"));
    char hex[33];
    if (guid && *guid) {
        const char *parts[] = {feed_key, "guid", guid};
        ww_hash_id(hex, 32, parts, 3);
    } else if (link && *link) {
        const char *parts[] = {"link", link};
        ww_hash_id(hex, 32, parts, 2);
    } else {
        const char *title = json_string_value(json_object_get(item, "title"));
        const char *content = json_string_value(json_object_get(item, "content"));
        const char *parts[] = {feed_key, "content", title ? title : "", content ? content : ""};
        ww_hash_id(hex, 32, parts, 4);
    }
    snprintf(out, 40, "i-%s", hex);
}

void item_content_hash(json_t *item, char out[65])
{
    const char *fields[] = {"title", "content", "summary"};
    const char *parts[3];
    for (int i = 0; i < 3; i++) {
        const char *v = json_string_value(json_object_get(item, fields[i]));
        parts[i] = v ? v : "";
    }
    ww_hash_id(out, 64, parts, 3);
}
