/* ww_doc_pack: an article as the index stores it, in two parts: its
 * metadata as JSON (small, read with every hit), and its texts (the body
 * and the four match-form fields) deflated together. Chinese text deflates
 * to about half, and the match form, nearly a copy of the body, to almost
 * nothing after it, so keeping the match form, which FTS5 needs back to
 * delete a row from a contentless index, costs little.
 *
 * Returned buffers, strings and json_t belong to the caller. */
#ifndef WW_DOC_PACK_H
#define WW_DOC_PACK_H

#include <jansson.h>
#include <stddef.h>

/* The texts of an article, unpacked: body, then the match form's title,
 * body, source and author. */
typedef struct {
    char *text[5];
} ww_doc_texts_t;

enum { WW_DOC_BODY, WW_DOC_MATCH_TITLE, WW_DOC_MATCH_BODY, WW_DOC_MATCH_SOURCE, WW_DOC_MATCH_AUTHOR };

/* Holds one deflate state for many articles: setting one up costs more
 * than deflating a 4 KB article with it. */
typedef struct ww_doc_packer_t ww_doc_packer_t;
ww_doc_packer_t *ww_doc_packer_new(void);
void ww_doc_packer_destroy(ww_doc_packer_t **self_p);

/* Splits article into *meta (JSON without body and match) and a packed
 * blob of its texts (*len bytes). 0, or -1 when memory runs out. */
int ww_doc_pack(ww_doc_packer_t *self, json_t *article, char **meta, void **blob, size_t *len);

/* The texts back from a blob; 0, or -1 if it is damaged or would inflate
 * past max bytes. */
int ww_doc_unpack(const void *blob, size_t len, size_t max, ww_doc_texts_t *out);
void ww_doc_texts_free(ww_doc_texts_t *t);

/* The body alone (caller frees), inflating no further than it: what a
 * search hit shows. NULL if the blob is cut or malformed or the body
 * exceeds max; stopping early, it does not reach the stream's checksum,
 * which ww_doc_unpack checks. */
char *ww_doc_unpack_body(const void *blob, size_t len, size_t max);

/* The whole article again from its two parts (NULL if damaged). */
json_t *ww_doc_join(const char *meta, const void *blob, size_t len);

#endif
