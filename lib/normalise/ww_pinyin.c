/* ww_pinyin: pinyin annotation detection and removal. */
#include "ww_pinyin.h"
#include "ww_buf.h"
#include "ww_utf8.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Tone-marked vowels and the plain letter each stands for. */
static const struct {
    uint32_t cp;
    char base;
} s_toned[] = {
    {0x101, 'a'}, {0xE1, 'a'},  {0x1CE, 'a'}, {0xE0, 'a'},   {0x113, 'e'}, {0xE9, 'e'},  {0x11B, 'e'}, {0xE8, 'e'},
    {0x12B, 'i'}, {0xED, 'i'},  {0x1D0, 'i'}, {0xEC, 'i'},   {0x14D, 'o'}, {0xF3, 'o'},  {0x1D2, 'o'}, {0xF2, 'o'},
    {0x16B, 'u'}, {0xFA, 'u'},  {0x1D4, 'u'}, {0xF9, 'u'},   {0x1D6, 'v'}, {0x1D8, 'v'}, {0x1DA, 'v'}, {0x1DC, 'v'},
    {0x144, 'n'}, {0x148, 'n'}, {0x1F9, 'n'}, {0x1E3F, 'm'}, {0xEA, 'e'},
};

static const char *s_initials[] = {"zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g",
                                   "k",  "h",  "j",  "q", "x", "r", "z", "c", "s", "y", "w", ""};
static const char *s_finals[] = {"a",   "o",    "e",    "i",   "u",   "v",   "ai",   "ei",   "ui", "ao", "ou",
                                 "iu",  "ie",   "ve",   "ue",  "er",  "an",  "en",   "in",   "un", "vn", "ang",
                                 "eng", "ing",  "ong",  "ia",  "iao", "ian", "iang", "iong", "ua", "uo", "uai",
                                 "uan", "uang", "ueng", "van", "io",  "n",   "ng",   "m",    "hm", "hng"};

/* Every initial + final spelling, sorted once for binary search. */
#define S_NSYLL (sizeof s_initials / sizeof s_initials[0] * (sizeof s_finals / sizeof s_finals[0]))
static char s_sylls[S_NSYLL][8];
static size_t s_nsylls;
static pthread_once_t s_sylls_once = PTHREAD_ONCE_INIT;

static int s_cmp(const void *a, const void *b)
{
    return strcmp((const char *) a, (const char *) b);
}

static void s_sylls_init(void)
{
    for (size_t i = 0; i < sizeof s_initials / sizeof s_initials[0]; i++)
        for (size_t f = 0; f < sizeof s_finals / sizeof s_finals[0]; f++)
            snprintf(s_sylls[s_nsylls++], sizeof s_sylls[0], "%s%s", s_initials[i], s_finals[f]);
    qsort(s_sylls, s_nsylls, sizeof s_sylls[0], s_cmp);
}

bool ww_pinyin_syllable(const char *s, size_t n, bool *toned)
{
    char plain[12];
    size_t len = 0;
    bool tone = false;
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t k = ww_utf8_decode(s + i, n - i, &cp);
        i += k;
        char c = 0;
        if (cp >= 'a' && cp <= 'z')
            c = (char) cp;
        else if (cp == 0xFC)
            c = 'v'; /* ü */
        else if (cp >= '1' && cp <= '5' && i == n && len > 0) {
            tone = true;
            continue;
        } else {
            for (size_t t = 0; t < sizeof s_toned / sizeof s_toned[0]; t++)
                if (s_toned[t].cp == cp) {
                    c = s_toned[t].base;
                    tone = true;
                }
        }
        if (!c || len + 1 >= sizeof plain)
            return false;
        plain[len++] = c;
    }
    plain[len] = 0;
    if (len == 0 || len >= sizeof s_sylls[0])
        return false;
    pthread_once(&s_sylls_once, s_sylls_init);
    if (!bsearch(plain, s_sylls, s_nsylls, sizeof s_sylls[0], s_cmp))
        return false;
    if (toned)
        *toned = tone;
    return true;
}

/* If an annotation starts at text[i] (an opening parenthesis), returns its
 * total length in bytes and whether it is toned; 0 if it is not one. */
static size_t s_annotation_at(const char *text, size_t len, size_t i, bool *toned)
{
    size_t open_len;
    if (text[i] == '(')
        open_len = 1;
    else if (len - i >= 3 && memcmp(text + i, "\xEF\xBC\x88", 3) == 0) /* （ */
        open_len = 3;
    else
        return 0;
    size_t j = i + open_len, start = j;
    while (j < len && j - start < 24 && text[j] != ')' && text[j] != '(' && (unsigned char) text[j] != 0xEF)
        j++;
    size_t close_len;
    if (j < len && text[j] == ')')
        close_len = 1;
    else if (len - j >= 3 && memcmp(text + j, "\xEF\xBC\x89", 3) == 0) /* ） */
        close_len = 3;
    else
        return 0;
    if (!ww_pinyin_syllable(text + start, j - start, toned))
        return 0;
    return j + close_len - i;
}

/* Walks text calling back for each annotation that follows a Han character. */
typedef void (*s_visit_fn)(size_t at, size_t span, bool toned, void *arg);

/* Offset of the next （ (EF BC 88) at or after i, or len. */
static size_t s_find_wide_open(const char *text, size_t len, size_t i)
{
    while (i + 3 <= len) {
        const char *p = memchr(text + i, 0xEF, len - i - 2);
        if (!p)
            break;
        i = (size_t) (p - text);
        if ((unsigned char) p[1] == 0xBC && (unsigned char) p[2] == 0x88)
            return i;
        i++;
    }
    return len;
}

/* Where the next ( and （ are, each searched again only once passed, so a
 * text full of one kind is not rescanned for the other. */
typedef struct {
    size_t ascii, wide; /* SIZE_MAX: not searched yet */
} s_opens_t;

static size_t s_next_open(const char *text, size_t len, size_t i, s_opens_t *at)
{
    if (at->ascii == SIZE_MAX || at->ascii < i) {
        const char *a = memchr(text + i, '(', len - i);
        at->ascii = a ? (size_t) (a - text) : len;
    }
    if (at->wide == SIZE_MAX || at->wide < i)
        at->wide = s_find_wide_open(text, len, i);
    return at->ascii < at->wide ? at->ascii : at->wide;
}

/* True if the character that ends just before text[i] is Han. */
static bool s_han_before(const char *text, size_t i)
{
    size_t k = i;
    while (k > 0 && i - k < 4 && ((unsigned char) text[k - 1] & 0xC0) == 0x80)
        k--;
    if (k == 0)
        return false;
    k--;
    uint32_t cp;
    ww_utf8_decode(text + k, i - k, &cp);
    return ww_is_han(cp);
}

static void s_scan(const char *text, size_t len, s_visit_fn visit, void *arg)
{
    /* an annotation follows a Han character that is not itself the end of
     * an annotation just removed */
    size_t i = 0, after_annotation = (size_t) -1;
    s_opens_t opens = {SIZE_MAX, SIZE_MAX};
    while ((i = s_next_open(text, len, i, &opens)) < len) {
        if (i != after_annotation && s_han_before(text, i)) {
            bool toned = false;
            size_t span = s_annotation_at(text, len, i, &toned);
            if (span) {
                visit(i, span, toned, arg);
                i += span;
                after_annotation = i;
                continue;
            }
        }
        i++;
    }
}

/* counts[0]: annotations, counts[1]: toned ones */
static void s_count_toned(size_t at, size_t span, bool toned, void *arg)
{
    (void) at;
    (void) span;
    size_t *counts = arg;
    counts[0]++;
    if (toned)
        counts[1]++;
}

typedef struct {
    const char *text;
    ww_buf_t *out;
    size_t copied; /* bytes of text already copied to out */
    bool strip_toneless;
    size_t removed;
} s_strip_t;

static void s_strip_one(size_t at, size_t span, bool toned, void *arg)
{
    s_strip_t *st = arg;
    /* A toneless one-letter "(a)" is a list marker far more often than the
     * neutral-tone reading of 啊; toneless syllables need two letters. */
    size_t inner = st->text[at] == '(' ? span - 2 : span - 6; /* bytes between the parentheses */
    bool single_letter = inner <= 1;
    if (!toned && (!st->strip_toneless || single_letter))
        return;
    ww_buf_add(st->out, st->text + st->copied, at - st->copied);
    st->copied = at + span;
    st->removed++;
}

char *ww_pinyin_strip(const char *text, size_t *removed)
{
    size_t len = strlen(text), counts[2] = {0, 0};
    if (removed)
        *removed = 0;
    if (!memchr(text, '(', len) && s_find_wide_open(text, len, 0) == len) /* no ( or （ */
        return strdup(text);
    s_scan(text, len, s_count_toned, counts);
    if (!counts[0])
        return strdup(text);
    ww_buf_t out;
    ww_buf_init(&out, len + 1);
    s_strip_t st = {text, &out, 0, counts[1] >= 2, 0};
    s_scan(text, len, s_strip_one, &st);
    ww_buf_add(&out, text + st.copied, len - st.copied);
    if (removed)
        *removed = st.removed;
    return ww_buf_take(&out);
}
