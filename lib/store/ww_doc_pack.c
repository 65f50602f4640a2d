/* ww_doc_pack: stored articles, metadata and texts in one zstd frame
 * (blobs written before are deflate streams, and are still read). */
#include "ww_doc_pack.h"
#include "ww_message.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

/* Blob layout: a magic, the six texts' lengths (uint32 each, little end
 * first), then the texts one after another, compressed: "WT3" a zstd frame
 * with its checksum (level 1: on news text a quarter to a sixth of the
 * time deflate level 1 took, a twelfth of the indexer's, at the same
 * size), "WT2" a zlib stream (earlier versions). */
#define S_MAGIC_ZSTD    "WT3"
#define S_MAGIC_DEFLATE "WT2"
#define S_HEAD          (3 + WW_DOC_TEXTS * 4)

struct ww_doc_packer_t {
    ZSTD_CCtx *z;
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
    if (!self)
        return NULL;
    self->z = ZSTD_createCCtx();
    if (!self->z || ZSTD_isError(ZSTD_CCtx_setParameter(self->z, ZSTD_c_compressionLevel, 1)) ||
        ZSTD_isError(ZSTD_CCtx_setParameter(self->z, ZSTD_c_checksumFlag, 1))) {
        ww_doc_packer_destroy(&self);
        return NULL;
    }
    return self;
}

void ww_doc_packer_destroy(ww_doc_packer_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    ZSTD_freeCCtx((*self_p)->z);
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
    size_t room = total > (size_t) 1 << 30 ? 0 : ZSTD_compressBound(total);
    unsigned char *b = room && meta ? malloc(S_HEAD + room) : NULL;
    int rc = b && !ZSTD_isError(ZSTD_CCtx_reset(self->z, ZSTD_reset_session_only)) &&
                     !ZSTD_isError(ZSTD_CCtx_setPledgedSrcSize(self->z, total))
                 ? 0
                 : -1;
    ZSTD_outBuffer out = {b ? b + S_HEAD : NULL, room, 0};
    if (rc == 0)
        memcpy(b, S_MAGIC_ZSTD, 3);
    for (int i = 0; i < WW_DOC_TEXTS && rc == 0; i++) {
        s_put32(b + 3 + 4 * i, (uint32_t) lens[i]);
        ZSTD_inBuffer in = {texts[i], lens[i], 0};
        bool last = i + 1 == WW_DOC_TEXTS;
        size_t left;
        do /* the bound is room enough: one call each, but it may take more */
            left = ZSTD_compressStream2(self->z, &out, &in, last ? ZSTD_e_end : ZSTD_e_continue);
        while (!ZSTD_isError(left) && (in.pos < in.size || (last && left > 0)) && out.pos < out.size);
        if (ZSTD_isError(left) || in.pos < in.size || (last && left > 0))
            rc = -1;
    }
    free(meta);
    if (rc) {
        free(b);
        return -1;
    }
    *blob = b;
    *len = S_HEAD + out.pos;
    return 0;
}

/* A decompression context per thread, made at its first unpack and freed
 * when the thread ends: setting one up costs more than a search hit's
 * body takes to decompress. */
static pthread_key_t s_dctx_key;
static bool s_dctx_key_made; /* any value may be a valid key: this says it is one */
static pthread_once_t s_dctx_once = PTHREAD_ONCE_INIT;

static void s_dctx_free(void *dctx)
{
    ZSTD_freeDCtx(dctx);
}

static void s_dctx_key_make(void)
{
    s_dctx_key_made = pthread_key_create(&s_dctx_key, s_dctx_free) == 0;
}

static ZSTD_DCtx *s_dctx(void)
{
    pthread_once(&s_dctx_once, s_dctx_key_make);
    if (!s_dctx_key_made)
        return NULL;
    ZSTD_DCtx *d = pthread_getspecific(s_dctx_key);
    if (!d && (d = ZSTD_createDCtx()) && pthread_setspecific(s_dctx_key, d) != 0) {
        ZSTD_freeDCtx(d);
        d = NULL;
    }
    return d;
}

/* want bytes of a zstd frame into out: all of it (to its end and checksum)
 * or, when whole is false, the first want bytes only. */
static bool s_unzstd(const unsigned char *src, size_t len, char *out, size_t want, bool whole)
{
    ZSTD_DCtx *d = s_dctx();
    if (!d || ZSTD_isError(ZSTD_DCtx_reset(d, ZSTD_reset_session_only)))
        return false;
    if (whole) {
        size_t got = ZSTD_decompressDCtx(d, out, want, src, len);
        return !ZSTD_isError(got) && got == want;
    }
    ZSTD_inBuffer in = {src, len, 0};
    ZSTD_outBuffer o = {out, want, 0};
    while (o.pos < o.size) {
        size_t before_in = in.pos, before_out = o.pos;
        size_t r = ZSTD_decompressStream(d, &o, &in);
        if (ZSTD_isError(r) || r == 0 || (in.pos == before_in && o.pos == before_out))
            return o.pos == o.size; /* an error, the frame's end or no progress */
    }
    return true;
}

/* The same from a zlib stream (blobs of earlier versions). */
static bool s_inflate(const unsigned char *src, size_t len, char *out, size_t want, bool whole)
{
    if (whole) {
        uLongf got = (uLongf) want;
        return uncompress((Bytef *) out, &got, src, (uLong) len) == Z_OK && got == want;
    }
    z_stream z = {0};
    int rc = inflateInit(&z);
    if (rc == Z_OK) {
        z.next_in = (Bytef *) src;
        z.avail_in = (uInt) len;
        z.next_out = (Bytef *) out;
        z.avail_out = (uInt) want;
        while (z.avail_out > 0 && (rc = inflate(&z, Z_SYNC_FLUSH)) == Z_OK)
            ;
        inflateEnd(&z);
    }
    return z.avail_out == 0 && (rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR);
}

int ww_doc_unpack(const void *blob, size_t len, size_t max, int count, ww_doc_texts_t *out)
{
    memset(out, 0, sizeof *out);
    const unsigned char *b = blob;
    if (!b || len < S_HEAD || (memcmp(b, S_MAGIC_ZSTD, 3) != 0 && memcmp(b, S_MAGIC_DEFLATE, 3) != 0) || count < 1 ||
        count > WW_DOC_TEXTS)
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
    bool whole = count == WW_DOC_TEXTS, zstd = memcmp(b, S_MAGIC_ZSTD, 3) == 0;
    bool ok = zstd ? s_unzstd(b + S_HEAD, len - S_HEAD, joined, want, whole)
                   : s_inflate(b + S_HEAD, len - S_HEAD, joined, want, whole);
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
