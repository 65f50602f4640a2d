/* ww_doc_pack: stored articles, metadata apart from deflated texts. */
#include "ww_doc_pack.h"
#include "ww_message.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Blob layout: "WT1", the five texts' lengths (uint32 each, little end
 * first), then the deflate stream (zlib format) of the texts one after
 * another. */
#define S_MAGIC "WT1"
#define S_HEAD  (3 + 5 * 4)

static void s_put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char) (v >> (8 * i));
}

static uint32_t s_get32(const unsigned char *p)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v |= (uint32_t) p[i] << (8 * i);
    return v;
}

struct ww_doc_packer_t {
    z_stream z;
};

ww_doc_packer_t *ww_doc_packer_new(void)
{
    ww_doc_packer_t *self = calloc(1, sizeof *self);
    /* level 1: tens of microseconds an article, most of the gain */
    if (self && deflateInit(&self->z, 1) != Z_OK) {
        free(self);
        return NULL;
    }
    return self;
}

void ww_doc_packer_destroy(ww_doc_packer_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    deflateEnd(&(*self_p)->z);
    free(*self_p);
    *self_p = NULL;
}

/* Deflates in into out (room bytes, at least deflateBound); the length
 * written, or 0 on failure. */
static size_t s_deflate(ww_doc_packer_t *self, const unsigned char *in, size_t len, unsigned char *out, size_t room)
{
    if (deflateReset(&self->z) != Z_OK)
        return 0;
    self->z.next_in = (Bytef *) in;
    self->z.avail_in = (uInt) len;
    self->z.next_out = out;
    self->z.avail_out = (uInt) room;
    if (deflate(&self->z, Z_FINISH) != Z_STREAM_END)
        return 0;
    return room - self->z.avail_out;
}

int ww_doc_pack(ww_doc_packer_t *self, json_t *article, char **meta, void **blob, size_t *len)
{
    *meta = NULL;
    *blob = NULL;
    if (!self)
        return -1;
    json_t *m = json_object_get(article, "match");
    const char *texts[5] = {ww_json_str(article, "body"), ww_json_str(m, "title"), ww_json_str(m, "body"),
                            ww_json_str(m, "source"), ww_json_str(m, "author")};
    size_t lens[5], total = 0;
    for (int i = 0; i < 5; i++)
        total += lens[i] = strlen(texts[i]);
    if (total > (size_t) 1 << 30)
        return -1; /* articles are capped far below; lengths are stored in 32 bits */
    char *joined = malloc(total + 1);
    size_t room = deflateBound(&self->z, (uLong) total);
    unsigned char *b = malloc(S_HEAD + room);
    json_t *copy = json_copy(article);
    if (!joined || !b || !copy) {
        free(joined);
        free(b);
        json_decref(copy);
        return -1;
    }
    size_t o = 0;
    memcpy(b, S_MAGIC, 3);
    for (int i = 0; i < 5; i++) {
        memcpy(joined + o, texts[i], lens[i]);
        o += lens[i];
        s_put32(b + 3 + 4 * i, (uint32_t) lens[i]);
    }
    size_t packed = s_deflate(self, (const unsigned char *) joined, total, b + S_HEAD, room);
    free(joined);
    json_object_del(copy, "body");
    json_object_del(copy, "match");
    *meta = json_dumps(copy, JSON_COMPACT);
    json_decref(copy);
    if (!packed || !*meta) {
        free(b);
        free(*meta);
        *meta = NULL;
        return -1;
    }
    *blob = b;
    *len = S_HEAD + packed;
    return 0;
}

int ww_doc_unpack(const void *blob, size_t len, size_t max, ww_doc_texts_t *out)
{
    memset(out, 0, sizeof *out);
    const unsigned char *b = blob;
    if (!b || len < S_HEAD || memcmp(b, S_MAGIC, 3) != 0)
        return -1;
    size_t lens[5], total = 0;
    for (int i = 0; i < 5; i++) {
        lens[i] = s_get32(b + 3 + 4 * i);
        total += lens[i];
    }
    if (total > max)
        return -1;
    char *joined = malloc(total + 1);
    if (!joined)
        return -1;
    uLongf got = (uLongf) total;
    if (uncompress((Bytef *) joined, &got, b + S_HEAD, (uLong) (len - S_HEAD)) != Z_OK || got != total) {
        free(joined);
        return -1;
    }
    size_t o = 0;
    for (int i = 0; i < 5; i++) {
        out->text[i] = strndup(joined + o, lens[i]);
        o += lens[i];
        if (!out->text[i]) {
            free(joined);
            ww_doc_texts_free(out);
            return -1;
        }
    }
    free(joined);
    return 0;
}

char *ww_doc_unpack_body(const void *blob, size_t len, size_t max)
{
    const unsigned char *b = blob;
    if (!b || len < S_HEAD || memcmp(b, S_MAGIC, 3) != 0)
        return NULL;
    size_t body = s_get32(b + 3);
    if (body > max)
        return NULL;
    char *out = malloc(body + 1);
    if (!out)
        return NULL;
    /* the body comes first in the stream: inflate that far and stop */
    z_stream z = {0};
    int rc = inflateInit(&z);
    if (rc == Z_OK) {
        z.next_in = (Bytef *) (b + S_HEAD);
        z.avail_in = (uInt) (len - S_HEAD);
        z.next_out = (Bytef *) out;
        z.avail_out = (uInt) body;
        while (z.avail_out > 0 && (rc = inflate(&z, Z_SYNC_FLUSH)) == Z_OK)
            ;
        inflateEnd(&z);
    }
    if (z.avail_out != 0 || (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)) {
        free(out);
        return NULL;
    }
    out[body] = 0;
    return out;
}

void ww_doc_texts_free(ww_doc_texts_t *t)
{
    for (int i = 0; i < 5; i++) {
        free(t->text[i]);
        t->text[i] = NULL;
    }
}

json_t *ww_doc_join(const char *meta, const void *blob, size_t len)
{
    json_t *a = meta ? json_loads(meta, 0, NULL) : NULL;
    ww_doc_texts_t t;
    if (!a || ww_doc_unpack(blob, len, (size_t) 1 << 28, &t) < 0) {
        json_decref(a);
        return NULL;
    }
    json_object_set_new(a, "body", json_string(t.text[WW_DOC_BODY]));
    json_object_set_new(a, "match",
                        json_pack("{s:s, s:s, s:s, s:s}", "title", t.text[WW_DOC_MATCH_TITLE], "body",
                                  t.text[WW_DOC_MATCH_BODY], "source", t.text[WW_DOC_MATCH_SOURCE], "author",
                                  t.text[WW_DOC_MATCH_AUTHOR]));
    ww_doc_texts_free(&t);
    return a;
}
