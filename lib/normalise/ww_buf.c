/* ww_buf: bounded growable buffer. */
#include "ww_buf.h"
#include "ww_utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ww_buf_init(ww_buf_t *b, size_t max)
{
    memset(b, 0, sizeof *b);
    b->max = max;
}

int ww_buf_reserve(ww_buf_t *b, size_t len)
{
    if (b->full || len > b->max - b->len) {
        b->full = true;
        return -1;
    }
    if (b->len + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + len + 1)
            cap *= 2;
        if (cap > b->max + 1)
            cap = b->max + 1;
        char *nd = realloc(b->data, cap);
        if (!nd) {
            b->full = true;
            return -1;
        }
        b->data = nd;
        b->cap = cap;
        b->data[b->len] = 0;
    }
    return 0;
}

int ww_buf_add_slow(ww_buf_t *b, const void *data, size_t len)
{
    if (ww_buf_reserve(b, len) < 0)
        return -1;
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = 0;
    return 0;
}

int ww_buf_adds(ww_buf_t *b, const char *s)
{
    return ww_buf_add(b, s, strlen(s));
}

int ww_buf_addc(ww_buf_t *b, char c)
{
    return ww_buf_add(b, &c, 1);
}

int ww_buf_printf(ww_buf_t *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -1;
    if ((size_t) n < sizeof small)
        return ww_buf_add(b, small, (size_t) n);
    char *big = malloc((size_t) n + 1);
    if (!big)
        return -1;
    va_start(ap, fmt);
    vsnprintf(big, (size_t) n + 1, fmt, ap);
    va_end(ap);
    int rc = ww_buf_add(b, big, (size_t) n);
    free(big);
    return rc;
}

int ww_buf_add_cp(ww_buf_t *b, uint32_t cp)
{
    char tmp[4];
    size_t n = ww_utf8_encode(cp, tmp);
    return ww_buf_add(b, tmp, n);
}

char *ww_buf_take(ww_buf_t *b)
{
    char *d = b->data ? b->data : strdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    b->full = false;
    return d;
}

void ww_buf_reset(ww_buf_t *b)
{
    b->len = 0;
    b->full = false;
    if (b->data)
        b->data[0] = 0;
}

void ww_buf_free(ww_buf_t *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
