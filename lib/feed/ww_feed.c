/* ww_feed: feed formats to a common item list. */
#include "ww_feed.h"
#include "feed_parts.h"
#include "ww_encoding.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ww_feed_detect(const char *bytes, size_t len)
{
    size_t window = len < 2048 ? len : 2048;
    char head[2049];
    memcpy(head, bytes, window);
    head[window] = 0;
    for (size_t i = 0; i < window; i++)
        if (head[i] == 0)
            head[i] = ' ';
    if (strstr(head, "<rss") || strstr(head, "<rdf:RDF") || strstr(head, "<RDF") ||
        (strstr(head, "<feed") && strstr(head, "Atom")))
        return 1;
    if (strstr(head, "jsonfeed.org/version"))
        return 1;
    return 0;
}

json_t *ww_feed_parse(const char *bytes, size_t len, const char *http_charset, const char *base_url, size_t max_items,
                      char *err, size_t errlen)
{
    ww_decode_info_t info;
    char *text = ww_decode_to_utf8(bytes, len, NULL, http_charset, len * 3 + 16, &info);
    if (!text) {
        snprintf(err, errlen, "feed could not be decoded");
        return NULL;
    }
    const char *t = text;
    while (*t == ' ' || *t == '\n' || *t == '\r' || *t == '\t')
        t++;
    size_t tlen = strlen(t);
    json_t *feed = *t == '{' ? feed_read_json(t, tlen, base_url, max_items, err, errlen)
                             : feed_read_xml(t, tlen, base_url, max_items, err, errlen);
    free(text);
    if (!feed)
        return NULL;
    json_object_set_new(feed, "encoding", json_string(info.encoding));
    json_object_set_new(feed, "encoding_from", json_string(info.decided_by));
    json_object_set_new(feed, "invalid_bytes", json_integer((json_int_t) info.replaced));
    if (info.replaced)
        feed_warn(feed, "%zu invalid byte sequences in %s replaced by U+FFFD", info.replaced, info.encoding);
    if (!json_object_get(feed, "warnings"))
        json_object_set_new(feed, "warnings", json_array());
    return feed;
}
