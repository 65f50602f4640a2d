/* ww_article: the cleaner's core. Turns one document (a feed item's HTML, a
 * news page, Markdown with front matter, plain text) in any encoding into one
 * article: display text in paragraphs, metadata, the match form and
 * fingerprints. Used by the cleaner worker and by `wirewatch clean`.
 *
 * Ownership: returned json_t belong to the caller. */
#ifndef WW_ARTICLE_H
#define WW_ARTICLE_H

#include <jansson.h>
#include <stddef.h>
#include <time.h>

typedef struct ww_cleaner_t ww_cleaner_t;

/* What is known about a document besides its bytes; every field may be NULL. */
typedef struct {
    const char *id;              /* article id assigned by the fetcher */
    const char *url;             /* where it came from (base for relative links) */
    const char *origin;          /* file path or feed URL */
    const char *kind;            /* "file" or "feed-item" */
    const char *http_charset;    /* charset from the HTTP header */
    const char *forced_encoding; /* override every other encoding decision */
    const char *content_type;    /* "html", "markdown", "text" hint */
    time_t fetched_at;           /* when it was fetched (0: now) */
    json_t *hints;               /* feed item fields: title, author, published,
                                    source, categories, summary (borrowed) */
} ww_doc_info_t;

ww_cleaner_t *ww_cleaner_new(size_t max_document, char *err, size_t errlen);
void ww_cleaner_destroy(ww_cleaner_t **self_p);

/* Cleans one document. Returns the article, or NULL with the reason in err
 * for input that is not a document at all (binary data, over the size cap).
 * A document without text yields an article with "has_body": false. */
json_t *ww_cleaner_clean(ww_cleaner_t *self, const char *bytes, size_t len, const ww_doc_info_t *info, char *err,
                         size_t errlen);

/* The match form of any text with this cleaner's fold (caller frees). */
char *ww_cleaner_fold(ww_cleaner_t *self, const char *text);

#endif
