/* ww_fold: NFKC casefold with utf8proc, variant folding with ww_t2s. */
#include "ww_fold.h"
#include "ww_buf.h"
#include "ww_t2s.h"
#include "ww_utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define S_NFKC_FLAGS (UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE)

/* The NFKC casefold of one BMP character that maps the same wherever it
 * stands (see s_learn), or a mark that it does not. */
typedef struct {
    uint8_t state; /* S_UNKNOWN, S_ALONE or S_CONTEXT */
    uint8_t len;   /* bytes of the mapping */
    char bytes[14];
} s_map_t;

enum { S_UNKNOWN, S_ALONE, S_CONTEXT };

struct ww_fold_t {
    s_map_t *bmp; /* 65,536 entries, learnt on first sight */
    size_t max;   /* cap on any text folded */
};

ww_fold_t *ww_fold_new(char *err, size_t errlen)
{
    ww_fold_t *self = calloc(1, sizeof *self);
    /* calloc of a large block maps zero pages: only what is used costs */
    if (self)
        self->bmp = calloc(0x10000, sizeof *self->bmp);
    ww_buf_t probe;
    ww_buf_init(&probe, 64);
    if (!self || !self->bmp || ww_t2s_convert("\xe8\xaa\xaa", 3, &probe) < 0) { /* 說 */
        snprintf(err, errlen, "cannot build the variant tables (out of memory)");
        ww_buf_free(&probe);
        if (self)
            free(self->bmp);
        free(self);
        return NULL;
    }
    ww_buf_free(&probe);
    self->max = (size_t) 1 << 30;
    return self;
}

void ww_fold_destroy(ww_fold_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    free((*self_p)->bmp);
    free(*self_p);
    *self_p = NULL;
}

char *ww_fold_script(ww_fold_t *self, const char *text)
{
    size_t len = strlen(text);
    ww_buf_t out;
    ww_buf_init(&out, self->max);
    if (ww_t2s_convert(text, len, &out) < 0) {
        ww_buf_free(&out);
        return NULL;
    }
    return ww_buf_take(&out);
}

/* ---------------------------------------------------------------------------
 * NFKC casefold, a character at a time where that gives the same result
 *
 * utf8proc maps a whole string: decompose, reorder marks, compose. Most of a
 * news text is ASCII and Han, which no neighbour changes, so the text is cut
 * at characters that begin a new normalisation segment whatever precedes
 * them (a starter that is never the second of a composition). A character
 * that also maps alone, as a string of starters, is mapped from a table; a
 * run of the others is given to utf8proc with the character before it, the
 * one thing it could combine with. test_normalise checks the result against
 * utf8proc on the whole text.
 */

static bool s_hangul(uint32_t cp)
{
    return (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x3130 && cp <= 0x318F) || (cp >= 0xA960 && cp <= 0xA97F) ||
           (cp >= 0xAC00 && cp <= 0xD7FF);
}

static bool s_starter_alone(uint32_t cp)
{
    const utf8proc_property_t *p = utf8proc_get_property((utf8proc_int32_t) cp);
    return p->combining_class == 0 && p->comb_index == UINT16_MAX && !s_hangul(cp);
}

/* Works out whether cp maps alone, and to what. */
static const s_map_t *s_learn(ww_fold_t *self, uint32_t cp)
{
    s_map_t *m = &self->bmp[cp];
    m->state = S_CONTEXT;
    if (!s_starter_alone(cp))
        return m;
    char in[4];
    size_t n = ww_utf8_encode(cp, in);
    utf8proc_uint8_t *mapped = NULL;
    utf8proc_ssize_t len = utf8proc_map((const utf8proc_uint8_t *) in, (utf8proc_ssize_t) n, &mapped, S_NFKC_FLAGS);
    /* An ignorable maps to nothing and lets its neighbours meet: never alone. */
    if (len > 0 && (size_t) len <= sizeof m->bytes) {
        bool starters = true;
        for (utf8proc_ssize_t i = 0; i < len && starters;) {
            uint32_t c;
            i += (utf8proc_ssize_t) ww_utf8_decode((const char *) mapped + i, (size_t) (len - i), &c);
            starters = s_starter_alone(c);
        }
        if (starters) {
            memcpy(m->bytes, mapped, (size_t) len);
            m->len = (uint8_t) len;
            m->state = S_ALONE;
        }
    }
    free(mapped);
    return m;
}

/* Appends mapped text, collapsing white space to single spaces with none at
 * the start (the end is trimmed by never writing a pending space). */
static void s_emit(ww_buf_t *out, const char *s, size_t len, bool *pending)
{
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t k = ww_utf8_next(s + i, len - i, &cp);
        if (ww_is_space(cp)) {
            *pending = out->len > 0;
        } else {
            if (*pending)
                ww_buf_addc(out, ' ');
            *pending = false;
            ww_buf_add(out, s + i, k);
        }
        i += k;
    }
}

static void s_emit_nfkc(ww_buf_t *out, const char *s, size_t len, bool *pending)
{
    utf8proc_uint8_t *mapped = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *) s, (utf8proc_ssize_t) len, &mapped, S_NFKC_FLAGS);
    if (n >= 0)
        s_emit(out, (const char *) mapped, (size_t) n, pending);
    free(mapped);
}

/* Emits the character s[0..k) whose code point is cp, known to map alone. */
static void s_emit_alone(ww_fold_t *self, uint32_t cp, const char *s, size_t k, ww_buf_t *out, bool *pending)
{
    if (cp < 0x80) {
        char c = (char) (cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
        s_emit(out, &c, 1, pending);
    } else if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF)) {
        if (*pending)
            ww_buf_addc(out, ' ');
        *pending = false;
        ww_buf_add(out, s, k);
    } else {
        const s_map_t *m = &self->bmp[cp];
        s_emit(out, m->bytes, m->len, pending);
    }
}

/* True if cp starts a segment and maps alone (learning it if new). */
static bool s_alone(ww_fold_t *self, uint32_t cp)
{
    if (cp < 0x80 || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF))
        return true;
    if (cp >= 0x10000)
        return false;
    const s_map_t *m = &self->bmp[cp];
    if (m->state == S_UNKNOWN)
        m = s_learn(self, cp);
    return m->state == S_ALONE;
}

/* End of the run of characters from i on that are copied as they are: ASCII
 * other than capitals, controls and space, and Han ideographs U+3400..U+9FFF. */
static size_t s_plain_run(const char *text, size_t i, size_t len)
{
    const unsigned char *s = (const unsigned char *) text;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            if (c <= ' ' || c == 0x7F || (c >= 'A' && c <= 'Z'))
                break;
            i++;
        } else if (i + 2 < len && ((c >= 0xE4 && c <= 0xE9) || (c == 0xE3 && s[i + 1] >= 0x90)))
            i += 3; /* valid text: the two continuation bytes are there */
        else
            break;
    }
    return i;
}

/* Start of the last character of text[from..to). */
static size_t s_last_char(const char *text, size_t from, size_t to)
{
    size_t k = to - 1;
    while (k > from && ((unsigned char) text[k] & 0xC0) == 0x80)
        k--;
    return k;
}

static bool s_alone_at(ww_fold_t *self, const char *s, size_t i, size_t len)
{
    uint32_t cp;
    ww_utf8_next(s + i, len - i, &cp);
    return s_alone(self, cp);
}

static int s_nfkc_casefold(ww_fold_t *self, const char *s, size_t len, ww_buf_t *out)
{
    bool pending = false;
    ww_buf_reserve(out, len + 16);
    size_t i = 0;
    while (i < len) {
        size_t j = s_plain_run(s, i, len);
        if (j > i) {
            /* the run's last character goes with a following one that is
             * not alone, as the first of a context run */
            size_t end = j < len && !s_alone_at(self, s, j, len) ? s_last_char(s, i, j) : j;
            if (end > i) {
                if (pending)
                    ww_buf_addc(out, ' ');
                pending = false;
                ww_buf_add(out, s + i, end - i);
            }
            i = end;
            if (i == j)
                continue;
        }
        uint32_t cp;
        size_t k = ww_utf8_next(s + i, len - i, &cp);
        size_t next = i + k;
        if (s_alone(self, cp) && (next >= len || s_alone_at(self, s, next, len))) {
            s_emit_alone(self, cp, s + i, k, out, &pending);
            i = next;
            continue;
        }
        /* A context run: this character and every following one that is
         * not alone (only the text's first character can be one itself:
         * any other is reached as the follower of the one before it). */
        size_t r = next;
        while (r < len && !s_alone_at(self, s, r, len)) {
            uint32_t c;
            r += ww_utf8_next(s + r, len - r, &c);
        }
        s_emit_nfkc(out, s + i, r - i, &pending);
        i = r;
    }
    return out->full ? -1 : 0;
}

char *ww_fold_text(ww_fold_t *self, const char *text)
{
    size_t len = strlen(text);
    char *clean = NULL;
    if (!ww_utf8_valid(text, len)) {
        clean = ww_utf8_sanitize(text, len, NULL);
        if (!clean)
            return NULL;
        text = clean;
        len = strlen(clean);
    }
    ww_buf_t nfkc, out;
    ww_buf_init(&nfkc, self->max);
    ww_buf_init(&out, self->max);
    int rc = s_nfkc_casefold(self, text, len, &nfkc);
    free(clean);
    /* White space is already collapsed: no dictionary entry holds any
     * (tools/opencc_tables refuses them), so the order does not matter. */
    if (rc == 0)
        rc = ww_t2s_convert(nfkc.data ? nfkc.data : "", nfkc.len, &out);
    ww_buf_free(&nfkc);
    if (rc < 0) {
        ww_buf_free(&out);
        return NULL;
    }
    return ww_buf_take(&out);
}
