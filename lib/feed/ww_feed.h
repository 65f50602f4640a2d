/* ww_feed: reads a feed document (RSS 0.9x/2.0, RSS 1.0/RDF, Atom 1.0, JSON
 * Feed 1.x) into items. The XML parser loads no DTD, expands no entities and
 * touches no network; bytes are decoded to UTF-8 first (BOM, HTTP charset,
 * XML declaration) and libxml2 is told the encoding explicitly. */
#ifndef WW_FEED_H
#define WW_FEED_H

#include <jansson.h>
#include <stddef.h>

/* True if the bytes look like a feed rather than a page or an article. */
int ww_feed_detect(const char *bytes, size_t len);

/* Returns {"title", "link", "language", "format": "rss"|"rdf"|"atom"|"json",
 * "encoding", "encoding_from", "invalid_bytes", "warnings": [text],
 * "items": [{guid, link, title, author, published, updated, content (HTML),
 * summary (HTML), categories:[], images:[{url, caption}],
 * enclosures:[{url, type, length}], base_url, comments, source}]}
 * (absent fields are left out), or NULL with a reason in err. Malformed XML
 * is recovered as far as it can be, and what was wrong is in "warnings".
 * base_url resolves relative links. Caller decrefs. */
json_t *ww_feed_parse(const char *bytes, size_t len, const char *http_charset, const char *base_url, size_t max_items,
                      char *err, size_t errlen);

#endif
