/* ww_base64: encoder and tolerant decoder. */
#include "ww_base64.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char s_alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *ww_base64_encode(const void *data, size_t len)
{
    const unsigned char *in = data;
    char *out = malloc((len + 2) / 3 * 4 + 1);
    if (!out)
        return NULL;
    size_t o = 0, i = 0;
    for (; i + 2 < len; i += 3) {
        uint32_t v = (uint32_t) in[i] << 16 | (uint32_t) in[i + 1] << 8 | in[i + 2];
        out[o++] = s_alpha[v >> 18];
        out[o++] = s_alpha[(v >> 12) & 63];
        out[o++] = s_alpha[(v >> 6) & 63];
        out[o++] = s_alpha[v & 63];
    }
    if (i < len) {
        uint32_t v = (uint32_t) in[i] << 16 | (i + 1 < len ? (uint32_t) in[i + 1] << 8 : 0);
        out[o++] = s_alpha[v >> 18];
        out[o++] = s_alpha[(v >> 12) & 63];
        out[o++] = i + 1 < len ? s_alpha[(v >> 6) & 63] : '=';
        out[o++] = '=';
    }
    out[o] = 0;
    return out;
}

unsigned char *ww_base64_decode(const char *in, size_t *out_len)
{
    signed char map[256];
    memset(map, -1, sizeof map);
    for (int i = 0; i < 64; i++)
        map[(unsigned char) s_alpha[i]] = (signed char) i;
    size_t len = strlen(in);
    unsigned char *out = malloc(len / 4 * 3 + 4);
    if (!out)
        return NULL;
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < len; i++) {
        signed char v = map[(unsigned char) in[i]];
        if (v < 0)
            continue;
        acc = (acc << 6) | (uint32_t) v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (unsigned char) ((acc >> bits) & 0xFF);
        }
    }
    *out_len = o;
    return out;
}
