/* ww_buf: a growable byte buffer with a maximum size fixed at creation, so
 * nothing built from outside input grows without bound (after curl's dynbuf). */
#ifndef WW_BUF_H
#define WW_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Invariant: len < cap whenever data != NULL, data[len] == 0, len <= max. */
typedef struct {
    char *data; /* NUL-terminated contents, or NULL while empty */
    size_t len; /* bytes used, excluding the NUL */
    size_t cap; /* bytes allocated */
    size_t max; /* most bytes this buffer may ever hold */
    bool full;  /* an append was refused because of max */
} ww_buf_t;

void ww_buf_init(ww_buf_t *b, size_t max);
/* Appends; returns 0, or -1 (and sets full) if max would be passed. */
int ww_buf_add_slow(ww_buf_t *b, const void *data, size_t len);
static inline int ww_buf_add(ww_buf_t *b, const void *data, size_t len)
{
    if (b->len + len + 1 <= b->cap && !b->full) { /* cap <= max + 1, so max holds too */
        memcpy(b->data + b->len, data, len);
        b->len += len;
        b->data[b->len] = 0;
        return 0;
    }
    return ww_buf_add_slow(b, data, len);
}
/* Makes room for at least n more bytes (within max); 0 or -1. */
int ww_buf_reserve(ww_buf_t *b, size_t n);
int ww_buf_adds(ww_buf_t *b, const char *s);
int ww_buf_addc(ww_buf_t *b, char c);
int ww_buf_printf(ww_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends one code point as UTF-8. */
int ww_buf_add_cp(ww_buf_t *b, uint32_t cp);
/* Hands the contents to the caller (never NULL) and resets the buffer. */
char *ww_buf_take(ww_buf_t *b);
void ww_buf_reset(ww_buf_t *b);
void ww_buf_free(ww_buf_t *b);

#endif
