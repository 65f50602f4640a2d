/* ww_opml: feed lists in OPML 2.0, the format feed readers import and
 * export. Folders are outlines that hold outlines; nested folders are
 * joined with "/". */
#ifndef WW_OPML_H
#define WW_OPML_H

#include <jansson.h>
#include <stddef.h>

/* [{url, title, folder}] from an OPML document (outlines with xmlUrl; other
 * outlines are folders), or NULL with a reason in err. No DTD, no entity
 * expansion, no network. At most max_feeds feeds. Caller decrefs. */
json_t *ww_opml_parse(const char *bytes, size_t len, size_t max_feeds, char *err, size_t errlen);

/* An OPML 2.0 document (UTF-8, NUL-terminated) listing feeds
 * [{url, title, folder}], grouped into folder outlines. Caller frees. */
char *ww_opml_write(json_t *feeds, const char *title);

#endif
