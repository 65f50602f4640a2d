/* ww_units: unit segmentation of match-form text. */
#include "ww_units.h"
#include "ww_utf8.h"

#include <stdlib.h>

#define S_MAX_WORD 255

int ww_units_each(const char *text, size_t len, ww_unit_fn fn, void *arg)
{
    if (len > WW_UNITS_MAX_TEXT)
        len = WW_UNITS_MAX_TEXT;
    size_t i = 0, word_start = 0;
    bool in_word = false;
    while (i < len) {
        uint32_t cp;
        size_t k = ww_utf8_decode(text + i, len - i, &cp);
        bool cjk = ww_is_cjk(cp);
        bool word = !cjk && ww_is_word_char(cp);
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

/* ASCII letters and digits: the word characters below 0x80 */
static bool s_ascii_word(unsigned char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

ww_unit_t *ww_units(const char *text, size_t len, size_t *count)
{
    if (len > WW_UNITS_MAX_TEXT)
        len = WW_UNITS_MAX_TEXT;
    *count = 0;
    /* at most one unit per byte: one allocation, trimmed at the end */
    ww_unit_t *out = malloc((len / 2 + 2) * sizeof *out), *grown;
    size_t n = 0, cap = len / 2 + 2;
    if (!out)
        return NULL;
    const unsigned char *s = (const unsigned char *) text;
    size_t i = 0, word_start = 0;
    bool in_word = false;
    while (i < len) {
        if (n + 2 > cap) { /* a word ending and a CJK unit, at most, per step */
            cap *= 2;
            if (!(grown = realloc(out, cap * sizeof *out))) {
                free(out);
                return NULL;
            }
            out = grown;
        }
        unsigned char c = s[i];
        size_t k;
        bool cjk, word;
        if (c < 0x80) { /* fast path: ASCII */
            k = 1;
            cjk = false;
            word = s_ascii_word(c);
        } else if (c >= 0xE4 && c <= 0xE9 && i + 2 < len && (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80) {
            /* fast path: U+4000..U+9FFF, three bytes; Han from U+4E00 */
            uint32_t cp = (uint32_t) (c & 0x0F) << 12 | (uint32_t) (s[i + 1] & 0x3F) << 6 | (s[i + 2] & 0x3F);
            k = 3;
            cjk = cp >= 0x4E00 ? true : ww_is_cjk(cp);
            word = !cjk && ww_is_word_char(cp);
        } else {
            uint32_t cp;
            k = ww_utf8_decode(text + i, len - i, &cp);
            cjk = ww_is_cjk(cp);
            word = !cjk && ww_is_word_char(cp);
        }
        if (in_word && (!word || i + k - word_start > S_MAX_WORD)) {
            out[n++] = (ww_unit_t){(uint32_t) word_start, (uint16_t) (i - word_start), false};
            in_word = false;
        }
        if (word && !in_word) {
            in_word = true;
            word_start = i;
        }
        if (cjk)
            out[n++] = (ww_unit_t){(uint32_t) i, (uint16_t) k, true};
        i += k;
    }
    if (in_word)
        out[n++] = (ww_unit_t){(uint32_t) word_start, (uint16_t) (len - word_start), false};
    if (!n) {
        free(out);
        return NULL;
    }
    *count = n;
    return out;
}
