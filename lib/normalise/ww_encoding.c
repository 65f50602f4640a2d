/* ww_encoding: charset decision and iconv decoding with replacement. */
#include "ww_encoding.h"
#include "ww_gb18030.h"
#include "ww_buf.h"
#include "ww_utf8.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <uchardet/uchardet.h>

typedef struct {
    const char *label;
    const char *canonical;
} s_alias_t;

/* Browser-style aliases; GB2312 pages in the wild are GBK, GBK is a subset of
 * GB18030, and Big5 pages routinely use HKSCS code points. */
static const s_alias_t s_aliases[] = {
    {"utf-8", "UTF-8"},
    {"utf8", "UTF-8"},
    {"unicode-1-1-utf-8", "UTF-8"},
    {"gb2312", "GB18030"},
    {"gbk", "GB18030"},
    {"cp936", "GB18030"},
    {"x-gbk", "GB18030"},
    {"gb18030", "GB18030"},
    {"chinese", "GB18030"},
    {"csgb2312", "GB18030"},
    {"iso-ir-58", "GB18030"},
    {"euc-cn", "GB18030"},
    {"windows-936", "GB18030"},
    {"hz-gb-2312", "GB18030"},
    {"big5", "BIG5-HKSCS"},
    {"big5-hkscs", "BIG5-HKSCS"},
    {"cn-big5", "BIG5-HKSCS"},
    {"x-x-big5", "BIG5-HKSCS"},
    {"csbig5", "BIG5-HKSCS"},
    {"cp950", "BIG5-HKSCS"},
    {"iso-8859-1", "WINDOWS-1252"},
    {"latin1", "WINDOWS-1252"},
    {"us-ascii", "WINDOWS-1252"},
    {"ascii", "WINDOWS-1252"},
    {"windows-1252", "WINDOWS-1252"},
    {"cp1252", "WINDOWS-1252"},
    {"iso-8859-15", "ISO-8859-15"},
    {"euc-jp", "EUC-JP"},
    {"shift_jis", "SHIFT_JIS"},
    {"sjis", "SHIFT_JIS"},
    {"euc-kr", "EUC-KR"},
    {"utf-16le", "UTF-16LE"},
    {"utf-16be", "UTF-16BE"},
    {"utf-16", "UTF-16LE"},
    {"koi8-r", "KOI8-R"},
    {"windows-1251", "WINDOWS-1251"},
};

const char *ww_charset_canonical(const char *label)
{
    if (!label)
        return NULL;
    char clean[40];
    size_t n = 0;
    while (*label && isspace((unsigned char) *label))
        label++;
    for (; *label && n + 1 < sizeof clean; label++) {
        if (*label == '"' || *label == '\'' || isspace((unsigned char) *label) || *label == ';')
            break;
        clean[n++] = (char) tolower((unsigned char) *label);
    }
    clean[n] = 0;
    for (size_t i = 0; i < sizeof s_aliases / sizeof s_aliases[0]; i++)
        if (strcmp(clean, s_aliases[i].label) == 0)
            return s_aliases[i].canonical;
    return NULL;
}

/* Finds needle (ASCII) in hay ignoring case. */
static const char *s_memcasemem(const char *hay, size_t hlen, const char *needle)
{
    size_t nlen = strlen(needle);
    if (nlen == 0 || nlen > hlen)
        return NULL;
    char lower = (char) tolower((unsigned char) needle[0]), upper = (char) toupper((unsigned char) needle[0]);
    for (size_t i = 0; i + nlen <= hlen;) {
        /* jump to the next place the first character could match */
        const char *a = memchr(hay + i, lower, hlen - nlen + 1 - i);
        const char *b = lower != upper ? memchr(hay + i, upper, hlen - nlen + 1 - i) : NULL;
        const char *at = a && b ? (a < b ? a : b) : a ? a : b;
        if (!at)
            return NULL;
        if (strncasecmp(at, needle, nlen) == 0)
            return at;
        i = (size_t) (at - hay) + 1;
    }
    return NULL;
}

int ww_sniff_declared_charset(const char *bytes, size_t len, char *out, size_t outlen)
{
    size_t window = len < 4096 ? len : 4096;
    const char *p = NULL;
    const char *xml = s_memcasemem(bytes, window < 200 ? window : 200, "<?xml");
    if (xml) {
        const char *end = memchr(xml, '>', (size_t) (bytes + window - xml));
        const char *enc = s_memcasemem(xml, end ? (size_t) (end - xml) : 0, "encoding=");
        if (enc)
            p = enc + 9;
    }
    if (!p) {
        const char *scan = bytes;
        size_t left = window;
        while (!p) {
            const char *meta = s_memcasemem(scan, left, "<meta");
            if (!meta)
                break;
            const char *end = memchr(meta, '>', (size_t) (bytes + window - meta));
            size_t mlen = end ? (size_t) (end - meta) : (size_t) (bytes + window - meta);
            const char *cs = s_memcasemem(meta, mlen, "charset=");
            if (cs)
                p = cs + 8;
            left -= (size_t) (meta + 5 - scan);
            scan = meta + 5;
        }
    }
    if (!p)
        return -1;
    while (*p == '"' || *p == '\'' || *p == ' ')
        p++;
    size_t n = 0;
    while (p < bytes + window && n + 1 < outlen &&
           (isalnum((unsigned char) *p) || *p == '-' || *p == '_' || *p == ':' || *p == '.'))
        out[n++] = *p++;
    out[n] = 0;
    return n ? 0 : -1;
}

/* iconv with every invalid or incomplete sequence replaced by U+FFFD. */
static char *s_convert(const char *bytes, size_t len, const char *encoding, size_t max_out, size_t *replaced)
{
    *replaced = 0;
    if (strcmp(encoding, "UTF-8") == 0) {
        if (len > max_out)
            return NULL;
        return ww_utf8_sanitize(bytes, len, replaced);
    }
    if (strcmp(encoding, "GB18030") == 0)
        return ww_gb18030_decode(bytes, len, max_out, replaced);
    return ww_iconv_decode(bytes, len, encoding, max_out, replaced);
}

static size_t s_count_nonascii(const char *b, size_t len)
{
    size_t n = 0, i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, b + i, 8);
        /* the high bits, one per byte, summed by a multiply (no popcnt
         * instruction in the baseline x86-64 this is built for) */
        n += (size_t) ((((w & 0x8080808080808080ULL) >> 7) * 0x0101010101010101ULL) >> 56);
    }
    for (; i < len; i++)
        n += ((unsigned char) b[i]) >= 0x80;
    return n;
}

/* An encoding fits if at most 1 in 200 non-ASCII bytes had to be replaced. */
static int s_fits(size_t replaced, size_t nonascii)
{
    return replaced * 200 <= nonascii + 1;
}

/* Chinese prose of any length carries its punctuation: ，。、「」“”：
 * about one mark in every ten characters. Text decoded with the wrong one of
 * GB18030 and Big5 (each reads most of the other's bytes without error)
 * comes out as Han characters with hardly any of those marks. Returns
 * false for such text; true when it reads as prose or is too short to tell. */
static bool s_reads_as_chinese(const char *text)
{
    /* wide counts every character a misreading turns bytes into: Han, kana,
     * symbols, private use */
    size_t wide = 0, marks = 0, len = strlen(text);
    for (size_t i = 0; i < len && wide < 20000;) {
        uint32_t cp;
        i += ww_utf8_next(text + i, len - i, &cp);
        if (cp == 0xFF0C || cp == 0x3002 || cp == 0x3001 || cp == 0xFF1A || cp == 0xFF1B || cp == 0xFF01 ||
            cp == 0xFF1F || cp == 0x300C || cp == 0x300D || cp == 0x201C || cp == 0x201D)
            marks++;
        else if (cp >= 0x2E80)
            wide++;
    }
    return wide < 60 || marks * 80 >= wide;
}

/* The other of the two legacy Chinese encodings, or NULL. */
static const char *s_other_cjk(const char *enc)
{
    if (!strcmp(enc, "GB18030"))
        return "BIG5-HKSCS";
    if (!strcmp(enc, "BIG5-HKSCS"))
        return "GB18030";
    return NULL;
}

static void s_set(ww_decode_info_t *info, const char *enc, const char *by, size_t replaced)
{
    snprintf(info->encoding, sizeof info->encoding, "%s", enc);
    snprintf(info->decided_by, sizeof info->decided_by, "%s", by);
    info->replaced = replaced;
}

char *ww_decode_to_utf8(const char *bytes, size_t len, const char *forced, const char *http_charset, size_t max_out,
                        ww_decode_info_t *info)
{
    ww_decode_info_t local;
    if (!info)
        info = &local;
    memset(info, 0, sizeof *info);
    size_t replaced = 0;
    const unsigned char *u = (const unsigned char *) bytes;

    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        char *s = s_convert(bytes + 3, len - 3, "UTF-8", max_out, &replaced);
        s_set(info, "UTF-8", "bom", replaced);
        return s;
    }
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        const char *enc = u[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
        char *s = s_convert(bytes + 2, len - 2, enc, max_out, &replaced);
        s_set(info, enc, "bom", replaced);
        return s;
    }
    const char *enc = forced ? ww_charset_canonical(forced) : NULL;
    if (forced && !enc)
        enc = forced; /* let iconv try an unusual but valid name */
    if (enc) {
        char *s = s_convert(bytes, len, enc, max_out, &replaced);
        if (s) {
            s_set(info, enc, "forced", replaced);
            return s;
        }
    }
    bool valid_utf8 = ww_utf8_valid(bytes, len);
    size_t nonascii = (size_t) -1; /* counted when a decoding has to be judged */
    char declared[40];
    const char *candidates[2] = {ww_charset_canonical(http_charset), NULL};
    if (ww_sniff_declared_charset(bytes, len, declared, sizeof declared) == 0)
        candidates[1] = ww_charset_canonical(declared);
    const char *by[2] = {"http", "declared"};
    for (int i = 0; i < 2; i++) {
        if (!candidates[i])
            continue;
        /* A declaration lies when the bytes say otherwise: valid multi-byte
         * UTF-8 under a legacy label, or a label whose decoding fails. */
        if (nonascii == (size_t) -1)
            nonascii = s_count_nonascii(bytes, len);
        if (strcmp(candidates[i], "UTF-8") != 0 && valid_utf8 && nonascii > 0)
            continue;
        if (!strcmp(candidates[i], "UTF-8") && valid_utf8 && len <= max_out && !memchr(bytes, 0, len)) {
            s_set(info, "UTF-8", by[i], 0);
            return strndup(bytes, len); /* declared, and true: a plain copy */
        }
        char *s = s_convert(bytes, len, candidates[i], max_out, &replaced);
        if (s && s_fits(replaced, nonascii)) {
            /* a GB page labelled Big5 (or the reverse) decodes without
             * errors into nonsense: trust the other reading when it reads
             * as Chinese and this one does not */
            const char *other = s_other_cjk(candidates[i]);
            if (other && !s_reads_as_chinese(s)) {
                size_t other_replaced = 0;
                char *o = s_convert(bytes, len, other, max_out, &other_replaced);
                if (o && s_fits(other_replaced, nonascii) && s_reads_as_chinese(o)) {
                    free(s);
                    s_set(info, other, "detected", other_replaced);
                    snprintf(info->declared, sizeof info->declared, "%s", candidates[i]);
                    return o;
                }
                free(o);
            }
            s_set(info, candidates[i], by[i], replaced);
            return s;
        }
        free(s);
    }
    if (valid_utf8) {
        if (nonascii == (size_t) -1)
            nonascii = s_count_nonascii(bytes, len);
        s_set(info, "UTF-8", nonascii ? "detected" : "default", 0);
        if (len <= max_out && !memchr(bytes, 0, len))
            return strndup(bytes, len); /* nothing to replace: a plain copy */
        return s_convert(bytes, len, "UTF-8", max_out, &replaced);
    }
    /* Detection: uchardet's guess first, then the legacy Chinese encodings. */
    const char *guess = NULL;
    uchardet_t ud = uchardet_new();
    if (ud) {
        if (uchardet_handle_data(ud, bytes, len < 65536 ? len : 65536) == 0) {
            uchardet_data_end(ud);
            guess = ww_charset_canonical(uchardet_get_charset(ud));
        }
    }
    if (nonascii == (size_t) -1)
        nonascii = s_count_nonascii(bytes, len);
    const char *tries[] = {guess, "GB18030", "BIG5-HKSCS", "WINDOWS-1252"};
    char *best = NULL;
    size_t best_replaced = (size_t) -1;
    const char *best_enc = "UTF-8";
    for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++) {
        if (!tries[i])
            continue;
        char *s = s_convert(bytes, len, tries[i], max_out, &replaced);
        if (!s)
            continue;
        if (s_fits(replaced, nonascii)) {
            free(best);
            s_set(info, tries[i], "detected", replaced);
            if (ud)
                uchardet_delete(ud);
            return s;
        }
        if (replaced < best_replaced) {
            free(best);
            best = s;
            best_replaced = replaced;
            best_enc = tries[i];
        } else
            free(s);
    }
    if (ud)
        uchardet_delete(ud);
    if (!best)
        best = s_convert(bytes, len, "UTF-8", max_out, &best_replaced);
    s_set(info, best_enc, "detected", best_replaced);
    return best;
}

int ww_looks_binary(const char *b, size_t len)
{
    const unsigned char *u = (const unsigned char *) b;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
        return 0; /* UTF-16 text has NULs */
    size_t window = len < 8192 ? len : 8192, control = 0;
    for (size_t i = 0; i < window;) {
        /* eight bytes at a time while none is below 0x20 (news text is
         * mostly that; the test is the classic has-less-than word trick) */
        if (i + 8 <= window) {
            uint64_t w;
            memcpy(&w, u + i, 8);
            if (!((w - 0x2020202020202020ULL) & ~w & 0x8080808080808080ULL)) {
                i += 8;
                continue;
            }
        }
        if (u[i] == 0)
            return 1;
        if (u[i] < 0x20 && u[i] != '\n' && u[i] != '\r' && u[i] != '\t' && u[i] != '\f' && u[i] != 0x1B)
            control++;
        i++;
    }
    return window > 0 && control * 20 > window;
}
