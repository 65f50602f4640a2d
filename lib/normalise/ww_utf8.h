/* ww_utf8: decoding and classifying UTF-8 text. */
#ifndef WW_UTF8_H
#define WW_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WW_REPLACEMENT 0xFFFDu

/* Decodes one code point at s (len bytes left). Returns bytes consumed (>= 1);
 * an invalid sequence yields U+FFFD and consumes 1 byte. */
size_t ww_utf8_decode(const char *s, size_t len, uint32_t *cp);
/* ww_utf8_decode with the common cases inline: ASCII and well-formed
 * three-byte sequences (all of the BMP's CJK) decoded here, the rest by the
 * checking decoder. Same results. */
static inline size_t ww_utf8_next(const char *str, size_t len, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *) str;
    if (len && s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (len >= 3 && s[0] >= 0xE1 && s[0] <= 0xEF && s[0] != 0xED && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
        *cp = ((uint32_t) (s[0] & 0x0F) << 12) | ((uint32_t) (s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        return 3;
    }
    return ww_utf8_decode(str, len, cp);
}
/* Encodes cp into out (4 bytes room); returns bytes written. */
size_t ww_utf8_encode(uint32_t cp, char *out);
/* True if the bytes are valid UTF-8 (no overlongs, surrogates or > U+10FFFF). */
bool ww_utf8_valid(const char *s, size_t len);
/* Copy of s with invalid sequences replaced by U+FFFD and NULs dropped;
 * *bad counts the replacements. Caller frees. */
char *ww_utf8_sanitize(const char *s, size_t len, size_t *bad);

/* Han ideographs (CJK unified, extensions, compatibility). */
bool ww_is_han(uint32_t cp);
/* Scripts written without spaces between words: Han, kana, Hangul syllables. */
bool ww_is_cjk(uint32_t cp);
/* Unicode white space, including U+3000 and no-break spaces. */
static inline bool ww_is_space(uint32_t cp)
{
    if (cp <= ' ')
        return cp == ' ' || (cp >= '\t' && cp <= '\r');
    if (cp < 0xA0)
        return false;
    return cp == 0xA0 || cp == 0x3000 || cp == 0x1680 || cp == 0x202F || cp == 0x205F || cp == 0xFEFF ||
           (cp >= 0x2000 && cp <= 0x200B);
}
/* Letters and digits of any script (not CJK), per utf8proc categories. */
bool ww_is_word_char(uint32_t cp);
/* Punctuation that ends or splits a clause, ASCII or CJK. */
bool ww_is_cjk_punct(uint32_t cp);

#endif
