/* ww_units: unit segmentation of match-form text. */
#include "ww_units.h"
#include "ww_utf8.h"

#include <stdlib.h>
#include <string.h>

#define S_MAX_WORD 255

/* ASCII letters and digits: the word characters below 0x80 */
static bool s_ascii_word(unsigned char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* The character at s[i] (before len): its bytes, and whether it is CJK or
 * a word character. Fast paths for ASCII and U+4000..U+9FFF (three bytes;
 * Han from U+4E00), which is nearly all of Chinese and English text. */
static inline size_t s_char_at(const unsigned char *s, size_t i, size_t len, bool *cjk, bool *word)
{
    unsigned char c = s[i];
    if (c < 0x80) {
        *cjk = false;
        *word = s_ascii_word(c);
        return 1;
    }
    uint32_t cp;
    size_t k;
    if (c >= 0xE4 && c <= 0xE9 && i + 2 < len && (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80) {
        cp = (uint32_t) (c & 0x0F) << 12 | (uint32_t) (s[i + 1] & 0x3F) << 6 | (s[i + 2] & 0x3F);
        k = 3;
        *cjk = cp >= 0x4E00 || ww_is_cjk(cp);
    } else {
        k = ww_utf8_decode((const char *) s + i, len - i, &cp);
        *cjk = ww_is_cjk(cp);
    }
    *word = !*cjk && ww_is_word_char(cp);
    return k;
}

/* The one definition of the units, inlined into both callers below so that
 * ww_units pays no call per unit. */
static inline int s_cut(const char *text, size_t len, ww_unit_fn fn, void *arg)
{
    if (len > WW_UNITS_MAX_TEXT)
        len = WW_UNITS_MAX_TEXT;
    const unsigned char *s = (const unsigned char *) text;
    size_t i = 0, word_start = 0;
    bool in_word = false;
    while (i < len) {
        bool cjk, word;
        size_t k = s_char_at(s, i, len, &cjk, &word);
        if (in_word && (!word || i + k - word_start > S_MAX_WORD)) {
            ww_unit_t u = {(uint32_t) word_start, (uint16_t) (i - word_start), false};
            int rc = fn(&u, arg);
            if (rc)
                return rc;
            in_word = false;
        }
        if (word && !in_word) {
            in_word = true;
            word_start = i;
        }
        if (cjk) {
            ww_unit_t u = {(uint32_t) i, (uint16_t) k, true};
            int rc = fn(&u, arg);
            if (rc)
                return rc;
        }
        i += k;
    }
    if (in_word) {
        ww_unit_t u = {(uint32_t) word_start, (uint16_t) (len - word_start), false};
        return fn(&u, arg);
    }
    return 0;
}

int ww_units_each(const char *text, size_t len, ww_unit_fn fn, void *arg)
{
    return s_cut(text, len, fn, arg);
}

typedef struct {
    ww_unit_t *items;
    size_t count, cap;
} s_list_t;

static int s_push(const ww_unit_t *u, void *arg)
{
    s_list_t *l = arg;
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        ww_unit_t *n = realloc(l->items, cap * sizeof *n);
        if (!n)
            return -1;
        l->items = n;
        l->cap = cap;
    }
    l->items[l->count++] = *u;
    return 0;
}

ww_unit_t *ww_units(const char *text, size_t len, size_t *count)
{
    /* about one unit per two bytes in most text: one allocation, mostly */
    s_list_t l = {0};
    l.cap = (len < WW_UNITS_MAX_TEXT ? len : WW_UNITS_MAX_TEXT) / 2 + 2;
    l.items = malloc(l.cap * sizeof *l.items);
    if (!l.items || s_cut(text, len, s_push, &l) != 0 || !l.count) {
        free(l.items);
        *count = 0;
        return NULL;
    }
    *count = l.count;
    return l.items;
}

char *ww_units_closed_up(const char *text)
{
    size_t n = 0, len = strlen(text);
    ww_unit_t *u = ww_units(text, len, &n);
    char *out = u ? malloc(len + 1) : NULL;
    size_t o = 0, from = 0;
    bool gap = false;
    for (size_t i = 0; out && i + 1 < n; i++)
        if (ww_units_gap(&u[i], &u[i + 1])) {
            size_t to = u[i].start + u[i].len;
            memcpy(out + o, text + from, to - from);
            o += to - from;
            from = u[i + 1].start;
            gap = true;
        }
    free(u);
    if (!out || !gap) {
        free(out);
        return NULL;
    }
    memcpy(out + o, text + from, len - from + 1);
    return out;
}
