/* ww_gb18030: table-driven GB18030 decoding. */
#include "ww_gb18030.h"
#include "ww_buf.h"
#include "ww_utf8.h"

#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define S_LEADS   126 /* 0x81..0xFE */
#define S_TRAILS  191 /* 0x40..0xFE */
#define S_INVALID 0xFFFFFFFFu

static uint32_t s_table[S_LEADS][S_TRAILS];
static pthread_once_t s_once = PTHREAD_ONCE_INIT;
static int s_ready;

/* One sequence through iconv: its code point, or S_INVALID. */
static uint32_t s_iconv_one(iconv_t cd, const char *seq, size_t n)
{
    char out[16], *o = out, *in = (char *) seq;
    size_t inleft = n, oleft = sizeof out;
    iconv(cd, NULL, NULL, NULL, NULL);
    if (iconv(cd, &in, &inleft, &o, &oleft) == (size_t) -1 || inleft != 0)
        return S_INVALID;
    uint32_t cp;
    size_t len = (size_t) (o - out);
    size_t used = ww_utf8_decode(out, len, &cp);
    return used == len ? cp : S_INVALID; /* a sequence of two characters is left to iconv */
}

static void s_build(void)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t) -1)
        return;
    for (int lead = 0; lead < S_LEADS; lead++)
        for (int trail = 0; trail < S_TRAILS; trail++) {
            char seq[2] = {(char) (0x81 + lead), (char) (0x40 + trail)};
            s_table[lead][trail] = trail == 0x7F - 0x40 ? S_INVALID : s_iconv_one(cd, seq, 2);
        }
    iconv_close(cd);
    s_ready = 1;
}

char *ww_iconv_decode(const char *bytes, size_t len, const char *encoding, size_t max_out, size_t *replaced)
{
    *replaced = 0;
    iconv_t cd = iconv_open("UTF-8", encoding);
    if (cd == (iconv_t) -1)
        return NULL;
    ww_buf_t out;
    ww_buf_init(&out, max_out);
    char chunk[8192];
    char *in = (char *) bytes;
    size_t inleft = len;
    while (inleft > 0) {
        char *o = chunk;
        size_t oleft = sizeof chunk;
        size_t rc = iconv(cd, &in, &inleft, &o, &oleft);
        if (ww_buf_add(&out, chunk, sizeof chunk - oleft) < 0)
            break;
        if (rc == (size_t) -1) {
            if (errno == E2BIG)
                continue;
            /* EILSEQ or EINVAL: replace one byte and go on */
            ww_buf_add_cp(&out, WW_REPLACEMENT);
            (*replaced)++;
            in++;
            inleft--;
            iconv(cd, NULL, NULL, NULL, NULL);
        }
    }
    iconv_close(cd);
    if (out.full) {
        ww_buf_free(&out);
        return NULL;
    }
    /* iconv passes NUL bytes through; drop them so C strings stay whole */
    size_t kept = 0;
    for (size_t i = 0; i < out.len; i++)
        if (out.data[i] != 0)
            out.data[kept++] = out.data[i];
    out.len = kept;
    char *s = ww_buf_take(&out);
    s[kept] = 0;
    return s;
}

char *ww_gb18030_decode(const char *bytes, size_t len, size_t max_out, size_t *replaced)
{
    pthread_once(&s_once, s_build);
    if (!s_ready)
        return ww_iconv_decode(bytes, len, "GB18030", max_out, replaced);
    *replaced = 0;
    const unsigned char *b = (const unsigned char *) bytes;
    ww_buf_t out;
    ww_buf_init(&out, max_out);
    iconv_t four = (iconv_t) -1; /* opened for the first four-byte code only */
    size_t i = 0;
    while (i < len && !out.full) {
        size_t run = i;
        while (run < len && b[run] < 0x80 && b[run] != 0)
            run++;
        if (run > i) {
            ww_buf_add(&out, bytes + i, run - i);
            i = run;
            continue;
        }
        unsigned char c = b[i];
        if (c == 0) {
            i++;
            continue;
        }
        uint32_t cp = S_INVALID;
        size_t used = 1;
        if (c >= 0x81 && c <= 0xFE && i + 1 < len) {
            unsigned char t = b[i + 1];
            if (t >= 0x40 && t <= 0xFE) {
                cp = s_table[c - 0x81][t - 0x40];
                used = 2;
            } else if (t >= 0x30 && t <= 0x39 && i + 3 < len) {
                if (four == (iconv_t) -1)
                    four = iconv_open("UTF-8", "GB18030");
                if (four != (iconv_t) -1) {
                    cp = s_iconv_one(four, bytes + i, 4);
                    used = 4;
                }
            }
        }
        if (cp == S_INVALID) {
            ww_buf_add_cp(&out, WW_REPLACEMENT);
            (*replaced)++;
            i++;
        } else {
            if (cp != 0)
                ww_buf_add_cp(&out, cp);
            i += used;
        }
    }
    if (four != (iconv_t) -1)
        iconv_close(four);
    if (out.full) {
        ww_buf_free(&out);
        return NULL;
    }
    return ww_buf_take(&out);
}
