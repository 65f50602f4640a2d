/* ww_doc_pack: stored articles, metadata and texts in one deflate stream. */
#include "ww_doc_pack.h"
#include "ww_message.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Blob layout: "WT2", the six texts' lengths (uint32 each, little end
 * first), then the deflate stream (zlib format) of the texts one after
 * another. */
#define S_MAGIC "WT2"
#define S_HEAD  (3 + WW_DOC_TEXTS * 4)

struct ww_doc_packer_t {
    z_stream z;
};

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

ww_doc_packer_t *ww_doc_packer_new(void)
{
    ww_doc_packer_t *self = calloc(1, sizeof *self);
    /* level 1: tens of microseconds an article; level 6 gains 2 % more */
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

int ww_doc_pack(ww_doc_packer_t *self, json_t *article, void **blob, size_t *len)
{
    *blob = NULL;
    *len = 0;
    if (!self)
        return -1;
    json_t *copy = json_copy(article);
    if (!copy)
        return -1;
    json_object_del(copy, "body");
    json_object_del(copy, "match");
    char *meta = json_dumps(copy, JSON_COMPACT);
    json_decref(copy);
    json_t *m = json_object_get(article, "match");
    const char *texts[WW_DOC_TEXTS] = {meta ? meta : "",       ww_json_str(article, "body"), ww_json_str(m, "title"),
                                       ww_json_str(m, "body"), ww_json_str(m, "source"),     ww_json_str(m, "author")};
    size_t lens[WW_DOC_TEXTS], total = 0;
    for (int i = 0; i < WW_DOC_TEXTS; i++)
        total += lens[i] = strlen(texts[i]);
    /* lengths are stored in 32 bits; articles are capped far below */
    size_t room = total > (size_t) 1 << 30 ? 0 : deflateBound(&self->z, (uLong) total);
    unsigned char *b = room && meta ? malloc(S_HEAD + room) : NULL;
    int rc = b && deflateReset(&self->z) == Z_OK ? 0 : -1;
    if (rc == 0) {
        memcpy(b, S_MAGIC, 3);
        self->z.next_out = b + S_HEAD;
        self->z.avail_out = (uInt) room;
    }
    for (int i = 0; i < WW_DOC_TEXTS && rc == 0; i++) {
        s_put32(b + 3 + 4 * i, (uint32_t) lens[i]);
        self->z.next_in = (Bytef *) texts[i];
        self->z.avail_in = (uInt) lens[i];
        bool last = i + 1 == WW_DOC_TEXTS;
        if (!last && !lens[i])
            continue; /* deflate makes no progress on nothing and says so */
        int zr = deflate(&self->z, last ? Z_FINISH : Z_NO_FLUSH);
        if (zr != (last ? Z_STREAM_END : Z_OK) || self->z.avail_in)
            rc = -1;
    }
    free(meta);
    if (rc) {
        free(b);
        return -1;
    }
    *blob = b;
    *len = S_HEAD + room - self->z.avail_out;
    return 0;
}

int ww_doc_unpack(const void *blob, size_t len, size_t max, int count, ww_doc_texts_t *out)
{
    memset(out, 0, sizeof *out);
    const unsigned char *b = blob;
    if (!b || len < S_HEAD || memcmp(b, S_MAGIC, 3) != 0 || count < 1 || count > WW_DOC_TEXTS)
        return -1;
    size_t lens[WW_DOC_TEXTS], want = 0;
    for (int i = 0; i < WW_DOC_TEXTS; i++) {
        lens[i] = s_get32(b + 3 + 4 * i);
        if (i < count)
            want += lens[i];
    }
    if (want > max)
        return -1;
    char *joined = malloc(want + 1);
    if (!joined)
        return -1;
    bool ok;
    if (count == WW_DOC_TEXTS) {
        /* all of it: to the end of the stream, checksum included */
        uLongf got = (uLongf) want;
        ok = uncompress((Bytef *) joined, &got, b + S_HEAD, (uLong) (len - S_HEAD)) == Z_OK && got == want;
    } else {
        /* the texts before the rest: inflate that far and stop */
        z_stream z = {0};
        int rc = inflateInit(&z);
        if (rc == Z_OK) {
            z.next_in = (Bytef *) (b + S_HEAD);
            z.avail_in = (uInt) (len - S_HEAD);
            z.next_out = (Bytef *) joined;
            z.avail_out = (uInt) want;
            while (z.avail_out > 0 && (rc = inflate(&z, Z_SYNC_FLUSH)) == Z_OK)
                ;
            inflateEnd(&z);
        }
        ok = z.avail_out == 0 && (rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR);
    }
    if (!ok) {
        free(joined);
        return -1;
    }
    size_t o = 0;
    for (int i = 0; i < count; i++) {
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

void ww_doc_texts_free(ww_doc_texts_t *t)
{
    for (int i = 0; i < WW_DOC_TEXTS; i++) {
        free(t->text[i]);
        t->text[i] = NULL;
    }
}

json_t *ww_doc_join(const void *blob, size_t len)
{
    ww_doc_texts_t t;
    if (ww_doc_unpack(blob, len, (size_t) 1 << 28, WW_DOC_TEXTS, &t) < 0)
        return NULL;
    json_t *a = json_loads(t.text[WW_DOC_META], 0, NULL);
    if (a && json_is_object(a)) {
        json_object_set_new(a, "body", json_string(t.text[WW_DOC_BODY]));
        json_object_set_new(a, "match",
                            json_pack("{s:s, s:s, s:s, s:s}", "title", t.text[WW_DOC_MATCH_TITLE], "body",
                                      t.text[WW_DOC_MATCH_BODY], "source", t.text[WW_DOC_MATCH_SOURCE], "author",
                                      t.text[WW_DOC_MATCH_AUTHOR]));
    } else {
        json_decref(a);
        a = NULL;
    }
    ww_doc_texts_free(&t);
    return a;
}
