/* ww_utf8: UTF-8 decoding, validation and character classes. */
#include "ww_utf8.h"
#include "ww_buf.h"

#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <utf8proc.h>

size_t ww_utf8_decode(const char *str, size_t len, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *) str;
    if (len == 0) {
        *cp = 0;
        return 0;
    }
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t n;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        v = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        v = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        v = c & 0x07;
        min = 0x10000;
    } else {
        *cp = WW_REPLACEMENT;
        return 1;
    }
    if (len < n) {
        *cp = WW_REPLACEMENT;
        return 1;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = WW_REPLACEMENT;
            return 1;
        }
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        *cp = WW_REPLACEMENT;
        return 1;
    }
    *cp = v;
    return n;
}

size_t ww_utf8_encode(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *) out;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = WW_REPLACEMENT;
    if (cp < 0x80) {
        o[0] = (unsigned char) cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char) (0xC0 | (cp >> 6));
        o[1] = (unsigned char) (0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char) (0xE0 | (cp >> 12));
        o[1] = (unsigned char) (0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char) (0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char) (0xF0 | (cp >> 18));
    o[1] = (unsigned char) (0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char) (0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char) (0x80 | (cp & 0x3F));
    return 4;
}

bool ww_utf8_valid(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
#ifdef __SSE2__
        if (i + 16 <= len) { /* sixteen ASCII bytes at a time: HTML is mostly markup */
            __m128i v = _mm_loadu_si128((const __m128i *) (const void *) (s + i));
            if (!_mm_movemask_epi8(v)) {
                i += 16;
                continue;
            }
        }
#endif
        if (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (!(w & 0x8080808080808080ULL)) { /* eight ASCII bytes */
                i += 8;
                continue;
            }
        }
        uint32_t cp;
        const unsigned char *u = (const unsigned char *) s;
        if (u[i] < 0x80) {
            i++;
            continue;
        }
        /* Runs of three-byte sequences (all of CJK) checked inline: E0 needs
         * A0..BF after it (no overlong forms), ED needs 80..9F (no surrogates),
         * so both go to the full decoder. */
        size_t run = i;
        while (run + 2 < len && u[run] >= 0xE1 && u[run] <= 0xEF && u[run] != 0xED && (u[run + 1] & 0xC0) == 0x80 &&
               (u[run + 2] & 0xC0) == 0x80)
            run += 3;
        if (run > i) {
            i = run;
            continue;
        }
        size_t n = ww_utf8_decode(s + i, len - i, &cp);
        if (cp == WW_REPLACEMENT && n == 1)
            return false;
        i += n;
    }
    return true;
}

/* Length of the prefix of s that is valid UTF-8 without NUL bytes. ASCII
 * goes eight bytes at a time: feeds and pages are mostly markup. */
static size_t s_clean_prefix(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            /* no byte >= 0x80 and no zero byte in the word */
            if (!(w & 0x8080808080808080ULL) && !((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL)) {
                i += 8;
                continue;
            }
        }
        unsigned char c = (unsigned char) s[i];
        if (c == 0)
            return i;
        if (c < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = ww_utf8_decode(s + i, len - i, &cp);
        if (cp == WW_REPLACEMENT && n == 1)
            return i;
        i += n;
    }
    return len;
}

char *ww_utf8_sanitize(const char *s, size_t len, size_t *bad)
{
    ww_buf_t b;
    ww_buf_init(&b, len * 3 + 16);
    size_t count = 0, i = 0;
    while (i < len) {
        size_t run = s_clean_prefix(s + i, len - i);
        ww_buf_add(&b, s + i, run);
        i += run;
        if (i >= len)
            break;
        if (s[i] == 0) { /* NUL bytes are dropped */
            i++;
            continue;
        }
        uint32_t cp;
        i += ww_utf8_decode(s + i, len - i, &cp); /* an invalid sequence: one byte, one U+FFFD */
        count++;
        ww_buf_add_cp(&b, WW_REPLACEMENT);
    }
    if (bad)
        *bad = count;
    return ww_buf_take(&b);
}

bool ww_is_han(uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x3134F) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F) || cp == 0x3007;
}

bool ww_is_cjk(uint32_t cp)
{
    return ww_is_han(cp) || (cp >= 0x3040 && cp <= 0x30FF)                     /* kana */
           || (cp >= 0x31F0 && cp <= 0x31FF) || (cp >= 0xAC00 && cp <= 0xD7AF) /* Hangul */
           || (cp >= 0x3100 && cp <= 0x312F);                                  /* bopomofo */
}

bool ww_is_word_char(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    if (ww_is_cjk(cp))
        return false;
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t) cp);
    return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LL || c == UTF8PROC_CATEGORY_LT ||
           c == UTF8PROC_CATEGORY_LM || c == UTF8PROC_CATEGORY_LO || c == UTF8PROC_CATEGORY_ND ||
           c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC || c == UTF8PROC_CATEGORY_NL ||
           c == UTF8PROC_CATEGORY_NO;
}

bool ww_is_cjk_punct(uint32_t cp)
{
    switch (cp) {
    case 0x3001:
    case 0x3002:
    case 0xFF0C:
    case 0xFF1B:
    case 0xFF1A:
    case 0xFF01:
    case 0xFF1F:
    case 0x201C:
    case 0x201D:
    case 0x2018:
    case 0x2019:
    case 0x300A:
    case 0x300B:
    case 0xFF08:
    case 0xFF09:
    case 0x2026:
    case 0x2014:
    case 0x300C:
    case 0x300D:
    case 0x3010:
    case 0x3011:
    case ',':
    case '.':
    case ';':
    case ':':
    case '!':
    case '?':
        return true;
    default:
        return false;
    }
}
