/* feed_parts: the pieces ww_feed is built from, shared by the XML and JSON
 * readers. Not part of the library's public interface. */
#ifndef FEED_PARTS_H
#define FEED_PARTS_H

#include <jansson.h>
#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>

/* Most warnings kept per feed: a broken feed must not grow its report. */
#define FEED_MAX_WARNINGS 20

/* Rewrites references libxml2 2.9 loses or refuses so that a recovering
 * parse keeps the text: predefined and HTML named entities become numeric
 * character references (after its first well-formedness error, libxml2 drops
 * every later &amp;), and a bare & becomes &#38;. CDATA sections and
 * comments are left alone. An internal DTD subset is removed (*dropped_dtd
 * set): we expand no entity it declares. Returns a new string and its
 * length; *fixed counts bare ampersands and HTML entities repaired. */
char *feed_xml_prepare(const char *text, size_t len, size_t *out_len, int *fixed, int *dropped_dtd);

/* Text of an element: its text and CDATA descendants, with entity
 * references not expanded; whitespace at both ends trimmed. NULL if n is
 * NULL. Caller frees. */
char *feed_node_text(const xmlNode *n);

/* Text of markup: tags removed, HTML entities decoded, whitespace runs
 * collapsed (for titles and names that arrive as escaped HTML). */
char *feed_html_to_text(const char *html);

/* Escapes text for use as HTML (&, <, >, "). */
char *feed_text_to_html(const char *text);

/* href made absolute against the node's xml:base, else against base_url. */
char *feed_resolve(const char *href, const xmlNode *context, const char *base_url);

/* Adds a warning (up to FEED_MAX_WARNINGS) to the "warnings" array of feed. */
void feed_warn(json_t *feed, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Sets key to value if value is a non-empty string; frees value. */
void feed_set(json_t *obj, const char *key, char *value);

/* Reads an XML feed (RSS 0.9x/2.0, RDF, Atom) from UTF-8 text. */
json_t *feed_read_xml(const char *text, size_t len, const char *base_url, size_t max_items, char *err, size_t errlen);

/* Reads a JSON Feed 1.0/1.1 from UTF-8 text. */
json_t *feed_read_json(const char *text, size_t len, const char *base_url, size_t max_items, char *err, size_t errlen);

#endif
