/* feed_xml_prepare: references repaired before libxml2 sees them. */
#include "feed_parts.h"
#include "ww_buf.h"

#include <libxml/HTMLparser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool s_name_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.' || c == ':' || c >= 0x80;
}

/* Length of a numeric reference at p ("&#123;" / "&#x1F;"), 0 if not one. */
static size_t s_numeric_ref(const char *p, const char *end)
{
    const char *q = p + 2;
    bool hex = q < end && (*q == 'x' || *q == 'X');
    if (hex)
        q++;
    const char *digits = q;
    while (q < end && (hex ? strchr("0123456789abcdefABCDEF", *q) != NULL && *q : (*q >= '0' && *q <= '9')))
        q++;
    return (q > digits && q < end && *q == ';') ? (size_t) (q - p + 1) : 0;
}

static int s_predefined(const char *name, size_t n)
{
    static const struct {
        const char *name;
        int code;
    } table[] = {{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strlen(table[i].name) == n && !memcmp(table[i].name, name, n))
            return table[i].code;
    return 0;
}

/* The internal DTD subset "[ ... ]" of a <!DOCTYPE near the start: offsets
 * of '[' and of the '>' closing the declaration, or 0 if there is none.
 * Quoted literals may contain ']' and '>'. */
static int s_internal_subset(const char *text, size_t len, size_t *open, size_t *close)
{
    size_t window = len < 4096 ? len : 4096;
    const char *doctype = memmem(text, window, "<!DOCTYPE", 9);
    if (!doctype)
        return 0;
    const char *end = text + len, *p = doctype + 9;
    while (p < end && *p != '[' && *p != '>')
        p++;
    if (p >= end || *p != '[')
        return 0;
    *open = (size_t) (p - text);
    char quote = 0;
    for (p++; p < end; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
        } else if (*p == '"' || *p == '\'')
            quote = *p;
        else if (*p == ']') {
            const char *q = p + 1;
            while (q < end && (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n'))
                q++;
            if (q < end && *q == '>') {
                *close = (size_t) (q - text);
                return 1;
            }
        }
    }
    *close = len - 1; /* unterminated: everything after '[' is subset */
    return 1;
}

char *feed_xml_prepare(const char *text, size_t len, size_t *out_len, int *fixed, int *dropped_dtd)
{
    ww_buf_t out;
    ww_buf_init(&out, len * 5 + 64); /* a bare & grows fivefold at most */
    *fixed = 0;
    const char *end = text + len, *p = text, *copied = text;
    /* The internal DTD subset is dropped: its entities would never be
     * expanded anyway, and libxml2 halts the whole parse at an entity loop
     * (billion laughs) instead of recovering. */
    size_t open = 0, close = 0;
    *dropped_dtd = s_internal_subset(text, len, &open, &close);
    if (*dropped_dtd) {
        ww_buf_add(&out, text, open);
        for (size_t i = open; i < close; i++) /* keeps error line numbers true */
            if (text[i] == '\n')
                ww_buf_addc(&out, '\n');
        p = copied = text + close; /* resumes at the '>' ending <!DOCTYPE */
    }
    /* The next '&' and '<' are remembered: searching again from every tag
     * would scan the same text once per tag. */
    const char *next_amp = memchr(p, '&', (size_t) (end - p)), *next_lt = memchr(p, '<', (size_t) (end - p));
    while (p < end) {
        if (next_amp && next_amp < p)
            next_amp = memchr(p, '&', (size_t) (end - p));
        if (next_lt && next_lt < p)
            next_lt = memchr(p, '<', (size_t) (end - p));
        const char *amp = next_amp, *lt = next_lt;
        if (lt && (!amp || lt < amp)) {
            /* CDATA and comments pass through untouched. */
            const char *section_end = NULL;
            if (!strncmp(lt, "<![CDATA[", 9))
                section_end = strstr(lt + 9, "]]>");
            else if (!strncmp(lt, "<!--", 4))
                section_end = strstr(lt + 4, "-->");
            else {
                p = lt + 1;
                continue;
            }
            p = section_end ? section_end + 3 : end;
            continue;
        }
        if (!amp)
            break;
        ww_buf_add(&out, copied, (size_t) (amp - copied));
        copied = amp;
        p = amp + 1;
        if (amp + 1 < end && amp[1] == '#') {
            size_t n = s_numeric_ref(amp, end);
            if (n) {
                p = amp + n;
                continue; /* already numeric: kept by copying later */
            }
        }
        const char *name = amp + 1, *q = name;
        while (q < end && s_name_char((unsigned char) *q))
            q++;
        size_t n = (size_t) (q - name);
        char ref[32];
        if (n && q < end && *q == ';') {
            int code = s_predefined(name, n);
            if (!code && n < 32) {
                char key[32];
                memcpy(key, name, n);
                key[n] = 0;
                const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *) key);
                if (e) {
                    code = (int) e->value;
                    (*fixed)++;
                }
            }
            if (code) {
                snprintf(ref, sizeof ref, "&#%d;", code);
                ww_buf_add(&out, ref, strlen(ref));
                copied = p = q + 1;
            } else
                p = q + 1; /* unknown: the parser reports it and expands nothing */
            continue;
        }
        /* A bare ampersand, as in an unescaped URL query. */
        ww_buf_add(&out, "&#38;", 5);
        copied = p = amp + 1;
        (*fixed)++;
    }
    ww_buf_add(&out, copied, (size_t) (end - copied));
    *out_len = out.len;
    return ww_buf_take(&out);
}
