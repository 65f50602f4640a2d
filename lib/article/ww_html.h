/* ww_html: main-content extraction from an HTML page or fragment with
 * ww_dom: boilerplate elements removed by tag and by class/id words, blocks
 * scored by text, punctuation (Chinese included) and link density, the best
 * block's paragraphs collected with their images, and page metadata read
 * from <head>, Open Graph, JSON-LD and <h1>. */
#ifndef WW_HTML_H
#define WW_HTML_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "ww_paragraphs.h"

typedef struct {
    json_t *meta;     /* title, og_title, h1, site_name, published, author,
                         description, canonical, lang, image (strings), owned */
    json_t *images;   /* [{"src": absolute URL, "caption": text}], owned */
    json_t *links;    /* [{"href": absolute URL, "text": text}] in the article, owned */
    ww_paras_t paras; /* the content, before the paragraph cut */
    bool truncated;   /* the page had more nodes than the parser keeps */
} ww_html_result_t;

/* Parses UTF-8 html (already decoded), extracting into out. base_url (may be
 * NULL) makes links absolute. Returns 0, or -1 with a reason in err. */
int ww_html_extract(const char *html, size_t len, const char *base_url, size_t max_text, ww_html_result_t *out,
                    char *err, size_t errlen);
void ww_html_result_free(ww_html_result_t *r);

/* True if text looks like HTML markup rather than prose. */
int ww_looks_like_html(const char *text, size_t len);

#endif
