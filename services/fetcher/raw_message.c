/* raw_message: construction of raw messages. */
#include "raw_message.h"
#include "ww_utc.h"
#include "item_ids.h"
#include "ww_base64.h"

#include <string.h>
#include <time.h>

char *raw_message_text_for_file(const char *path, const char *bytes, size_t len, char *id)
{
    char now[32];
    item_id_for_file(bytes, len, id);
    ww_utc_format(time(NULL), now, sizeof now);
    const char *base = strrchr(path, '/');
    json_t *head = json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", id, "kind", "file", "origin", path, "filename",
                             base ? base + 1 : path, "fetched_at", now);
    char *head_text = head ? json_dumps(head, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(head);
    char *b64 = head_text ? ww_base64_encode(bytes, len) : NULL;
    size_t head_len = head_text ? strlen(head_text) : 0;
    /* head_text ends in '}': the body goes in before it */
    static const char key[] = ",\"body_base64\":\"";
    size_t b64_len = b64 ? strlen(b64) : 0, total = head_len - 1 + sizeof key - 1 + b64_len + 2;
    char *text = b64 && head_len > 1 ? malloc(total + 1) : NULL;
    if (text) {
        memcpy(text, head_text, head_len - 1);
        memcpy(text + head_len - 1, key, sizeof key - 1);
        memcpy(text + head_len - 1 + sizeof key - 1, b64, b64_len);
        memcpy(text + total - 2, "\"}", 3);
    }
    free(head_text);
    free(b64);
    return text;
}

json_t *raw_message_for_file(const char *path, const char *bytes, size_t len)
{
    char id[40];
    char *text = raw_message_text_for_file(path, bytes, len, id);
    json_t *msg = text ? json_loads(text, 0, NULL) : NULL;
    free(text);
    return msg;
}

json_t *raw_message_for_feed_item(json_t *feed, json_t *item, const char *id, const char *origin, int revision)
{
    char now[32];
    ww_utc_format(time(NULL), now, sizeof now);
    const char *content = json_string_value(json_object_get(item, "content"));
    if (!content)
        content = json_string_value(json_object_get(item, "summary"));
    json_t *hints = json_deep_copy(item);
    json_object_del(hints, "content");
    if (!json_object_get(hints, "source") && json_string_length(json_object_get(feed, "title")))
        json_object_set(hints, "source", json_object_get(feed, "title"));
    const char *link = json_string_value(json_object_get(item, "link"));
    json_t *msg = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "id", id, "kind", "feed-item", "origin", origin,
                            "url", link ? link : "", "fetched_at", now, "content_type", "html", "body",
                            content ? content : "", "hints", hints);
    if (revision > 0) {
        json_object_set_new(msg, "revision", json_integer(revision));
        json_object_set_new(msg, "update", json_true());
    }
    return msg;
}
