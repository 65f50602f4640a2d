/* ww_doc_pack: an article as the index stores it, one compressed blob of
 * its metadata (JSON without the texts), its body and the four match-form
 * fields, in that order, so that a search hit decompresses no further than
 * the body. Chinese news text compresses to about 60 %, and the match
 * form, nearly a copy of the body, to little after it, so keeping it (FTS5
 * needs it back to delete a row from a contentless index) costs little.
 *
 * Returned buffers, strings and json_t belong to the caller. */
#ifndef WW_DOC_PACK_H
#define WW_DOC_PACK_H

#include <jansson.h>
#include <stddef.h>

enum {
    WW_DOC_META,
    WW_DOC_BODY,
    WW_DOC_MATCH_TITLE,
    WW_DOC_MATCH_BODY,
    WW_DOC_MATCH_SOURCE,
    WW_DOC_MATCH_AUTHOR,
    WW_DOC_TEXTS
};

/* The texts of a blob, unpacked (those not asked for stay NULL). */
typedef struct {
    char *text[WW_DOC_TEXTS];
} ww_doc_texts_t;

/* Holds one compression context for many articles: setting one up costs
 * more than compressing a 4 KB article with it. */
typedef struct ww_doc_packer_t ww_doc_packer_t;
ww_doc_packer_t *ww_doc_packer_new(void);
void ww_doc_packer_destroy(ww_doc_packer_t **self_p);

/* Packs article into *blob (*len bytes). 0, or -1 when memory runs out or
 * self is NULL. */
int ww_doc_pack(ww_doc_packer_t *self, json_t *article, void **blob, size_t *len);

/* The first count texts back from a blob (WW_DOC_TEXTS for all); 0, or -1
 * if it is damaged or they would decompress past max bytes. Only a whole
 * unpack reaches the stream's checksum and checks it. Blobs of earlier
 * versions (deflate) are read as well. */
int ww_doc_unpack(const void *blob, size_t len, size_t max, int count, ww_doc_texts_t *out);
void ww_doc_texts_free(ww_doc_texts_t *t);

/* The whole article again (NULL if the blob is damaged). */
json_t *ww_doc_join(const void *blob, size_t len);

#endif
