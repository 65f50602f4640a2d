/* ww_t2s: OpenCC's traditional-to-simplified conversion over tables indexed
 * by code point. */
#include "ww_t2s.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Generated at build time from OpenCC's dictionaries (tools/opencc_tables). */
extern const int ww_t2s_dict_count;
extern const char *const ww_t2s_dict_names[];
extern const char *const *const ww_t2s_dict_pairs[];
extern const size_t ww_t2s_dict_sizes[];
extern const uint32_t ww_t2s_key_chars[];
extern const size_t ww_t2s_key_chars_count;

/* The conversion ww_fold asks for: regional variants to their traditional
 * standard forms, then traditional to simplified with phrases first, the
 * whole text segmented by TSPhrases. Same order as OpenCC's JSON config. */
static const char *const s_group1[] = {"TWVariantsRevPhrases", "HKVariantsRevPhrases", "TWVariantsRev", "HKVariantsRev",
                                       NULL};
static const char *const s_group2[] = {"TSPhrases", "TSCharacters", NULL};
static const char s_segmenter[] = "TSPhrases";

#define S_MAX_DICTS     8
#define S_CHANGES_1     8u  /* flags bit: stands where a group 1 key differs from its value */
#define S_CHANGES_2     16u /* the same for group 2 */
#define S_PAIR_1        32u /* flags bit: starts the telltale pair of a changing longer key of group 1 */
#define S_PAIR_2        64u /* the same for group 2 */
#define S_MAX_KEY_CHARS 32  /* key lengths are kept as bits of a 32-bit mask */

/* What the dictionaries hold for keys starting with one code point.
 * Invariant: bit L-1 of mask[d] is set iff dictionary d has a key of L
 * characters starting with this code point; single[d] is the 1-character
 * key's value index + 1, or 0. */
typedef struct {
    uint32_t mask[S_MAX_DICTS];
    uint32_t single[S_MAX_DICTS];
    uint32_t group_mask[3]; /* union of mask[] over the segmenter, group 1, group 2 */
} s_rec_t;

/* A key of two or more characters. */
typedef struct {
    const char *key;   /* points into the generated table */
    const char *value; /* first value */
    uint32_t hash;
    uint16_t key_len, value_len;
    uint8_t dict;
    bool used;
} s_entry_t;

typedef struct {
    const char *s;
    size_t len;
} s_value_t;

static struct {
    uint16_t *pages[0x110000 >> 8]; /* code point page -> record index + 1 per code point */
    s_rec_t *recs;
    size_t nrecs;
    s_value_t *values; /* single-character values */
    size_t nvalues;
    s_entry_t *table; /* open addressing, power-of-two size */
    size_t table_mask;
    uint64_t *pairs; /* (dict, first, second code point) of every longer key, 0 = empty */
    size_t pairs_mask;
    uint64_t *telltales; /* (group, a, b): a pair every changing longer key of the group holds */
    size_t telltales_mask;
    int group1[S_MAX_DICTS], n1;
    int group2[S_MAX_DICTS], n2;
    int segmenter;
    /* Per BMP code point: bit 0, 1, 2 set if it starts a key of the
     * segmenter, of group 1, of group 2; bit 3, 4 set if it stands where a
     * key of group 1, of group 2 differs from its value (S_CHANGES_*).
     * Most characters have none and are skipped on one load. */
    uint8_t starts[0x10000];
    uint8_t changes[0x10000 / 8]; /* BMP code points the conversion changes alone */
    bool ascii_keys;              /* some key starts with an ASCII character */
    bool ready;
} S;

static pthread_once_t s_once = PTHREAD_ONCE_INIT;
static int ww_t2s_convert_ready(const char *text, size_t len, ww_buf_t *out);

static inline size_t s_decode(const unsigned char *s, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xE0) == 0xC0) {
        *cp = ((uint32_t) (s[0] & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    if ((s[0] & 0xF0) == 0xE0) {
        *cp = ((uint32_t) (s[0] & 0x0F) << 12) | ((uint32_t) (s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        return 3;
    }
    *cp = ((uint32_t) (s[0] & 0x07) << 18) | ((uint32_t) (s[1] & 0x3F) << 12) | ((uint32_t) (s[2] & 0x3F) << 6) |
          (s[3] & 0x3F);
    return 4;
}

/* Bytes of the UTF-8 sequence led by b (valid input assumed). */
static inline size_t s_seq_len(unsigned char b)
{
    return b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
}

static uint32_t s_hash(int dict, const char *s, size_t len)
{
    uint32_t h = 2166136261u ^ (uint32_t) dict;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char) s[i]) * 16777619u;
    return h;
}

/* Nonzero key for the pair set: dictionary and the first two code points. */
static uint64_t s_pair_key(int dict, uint32_t first, uint32_t second)
{
    return ((uint64_t) (dict + 1) << 42) | ((uint64_t) first << 21) | second;
}

static size_t s_pair_slot(uint64_t key)
{
    key ^= key >> 29;
    key *= 0xbf58476d1ce4e5b9ULL;
    key ^= key >> 32;
    return (size_t) key & S.pairs_mask;
}

/* True if dictionary d has a key of two or more characters starting with
 * first, second: when not, none of its longer keys can match here. */
static bool s_pair_exists(int dict, uint32_t first, uint32_t second)
{
    uint64_t key = s_pair_key(dict, first, second);
    for (size_t slot = s_pair_slot(key); S.pairs[slot]; slot = (slot + 1) & S.pairs_mask)
        if (S.pairs[slot] == key)
            return true;
    return false;
}

static s_rec_t *s_rec(uint32_t cp)
{
    if (cp >= 0x110000)
        return NULL;
    uint16_t *page = S.pages[cp >> 8];
    if (!page || !page[cp & 0xFF])
        return NULL;
    return &S.recs[page[cp & 0xFF] - 1];
}

static s_rec_t *s_rec_make(uint32_t cp)
{
    uint16_t **page = &S.pages[cp >> 8];
    if (!*page && !(*page = calloc(256, sizeof **page)))
        return NULL;
    if (!(*page)[cp & 0xFF]) {
        if (S.nrecs >= UINT16_MAX)
            return NULL;
        (*page)[cp & 0xFF] = (uint16_t) ++S.nrecs;
    }
    return &S.recs[(*page)[cp & 0xFF] - 1];
}

static int s_dict_index(const char *name)
{
    for (int d = 0; d < ww_t2s_dict_count; d++)
        if (!strcmp(ww_t2s_dict_names[d], name))
            return d;
    return -1;
}

static int s_group(const char *const *names, int *out)
{
    int n = 0;
    for (; names[n]; n++)
        if ((out[n] = s_dict_index(names[n])) < 0)
            return -1;
    return n;
}

static void s_telltale_add(int group, uint32_t a, uint32_t b)
{
    uint64_t key = s_pair_key(100 + group, a, b);
    size_t slot = (size_t) (key * 0x9E3779B97F4A7C15ULL >> 20) & S.telltales_mask;
    while (S.telltales[slot] && S.telltales[slot] != key)
        slot = (slot + 1) & S.telltales_mask;
    S.telltales[slot] = key;
}

static bool s_telltale_has(int group, uint32_t a, uint32_t b)
{
    uint64_t key = s_pair_key(100 + group, a, b);
    for (size_t slot = (size_t) (key * 0x9E3779B97F4A7C15ULL >> 20) & S.telltales_mask; S.telltales[slot];
         slot = (slot + 1) & S.telltales_mask)
        if (S.telltales[slot] == key)
            return true;
    return false;
}

/* Marks what a text must hold for this entry to change it: a one-character
 * key that differs from its value marks that character; a longer one marks
 * a telltale pair of adjacent key characters, the one at its first
 * difference and its neighbour, so that everyday characters in traditional
 * phrases (吃 in 一口吃個, 覆 in 回覆) do not send every text that has them
 * through the conversion. Characters beyond the BMP are never skipped, so
 * they need no mark. in_multi records which characters take part in longer
 * keys and values (for s_unmark_round_trips). */
static void s_mark_changes(const char *key, const char *value, int group, uint8_t *in_multi)
{
    uint32_t kc[S_MAX_KEY_CHARS], vc[S_MAX_KEY_CHARS * 4];
    size_t nk = 0, nv = 0;
    for (size_t i = 0; key[i] && nk < S_MAX_KEY_CHARS; i += s_seq_len((unsigned char) key[i]))
        s_decode((const unsigned char *) key + i, &kc[nk++]);
    for (size_t i = 0; value[i] && nv < S_MAX_KEY_CHARS * 4; i += s_seq_len((unsigned char) value[i]))
        s_decode((const unsigned char *) value + i, &vc[nv++]);
    uint8_t multi_bit = (uint8_t) group;
    for (size_t i = 0; nk > 1 && i < nk; i++)
        if (kc[i] < 0x10000)
            in_multi[kc[i]] |= multi_bit;
    for (size_t i = 0; nk > 1 && i < nv; i++)
        if (vc[i] < 0x10000)
            in_multi[vc[i]] |= multi_bit;
    size_t diff = 0;
    while (diff < nk && nk == nv && kc[diff] == vc[diff])
        diff++;
    if (diff == nk)
        return; /* the entry maps the key to itself */
    if (nk == 1) {
        if (kc[0] < 0x10000)
            S.starts[kc[0]] |= (uint8_t) (group == 1 ? S_CHANGES_1 : S_CHANGES_2);
        return;
    }
    if (nk != nv)
        diff = 0;
    size_t a = diff + 1 < nk ? diff : diff - 1;
    if (kc[a] < 0x10000)
        S.starts[kc[a]] |= (uint8_t) (group == 1 ? S_PAIR_1 : S_PAIR_2);
    s_telltale_add(group, kc[a], kc[a + 1]);
}

/* The single-character value group g gives cp standing alone (the first
 * dictionary of the group with one), or 0 for none. */
static uint32_t s_single_value(int g, uint32_t cp)
{
    const s_rec_t *r = s_rec(cp);
    const int *dicts = g == 1 ? S.group1 : S.group2;
    int n = g == 1 ? S.n1 : S.n2;
    for (int i = 0; r && i < n; i++)
        if (r->single[dicts[i]]) {
            s_value_t v = S.values[r->single[dicts[i]] - 1];
            uint32_t out;
            if (v.len == 0 || s_seq_len((unsigned char) v.s[0]) != v.len)
                return 0; /* more than one character */
            s_decode((const unsigned char *) v.s, &out);
            return out;
        }
    return 0;
}

/* Regional variant tables map some everyday characters (群, 核, 吃) to the
 * traditional standard form (羣, 覈, 喫) that the second conversion maps
 * straight back. Such a round trip changes nothing, so its group-1 mark is
 * dropped when: the variant maps back alone in group 2 and takes part in no
 * longer key of group 2 (so group 2 sees it only as a character), and the
 * character itself is left alone by group 2. Longer keys holding the
 * character change the outcome only if they differ from their value, and
 * those are caught by their telltale pairs; the ones that map to themselves
 * (口吃) only keep the character as it is, which the round trip does too. */
static void s_unmark_round_trips(const uint8_t *in_multi)
{
    for (uint32_t cp = 0x80; cp < 0x10000; cp++) {
        if (!(S.starts[cp] & S_CHANGES_1))
            continue;
        const s_rec_t *r = s_rec(cp);
        uint32_t variant = s_single_value(1, cp);
        if (!r || !variant || variant >= 0x10000 || (in_multi[variant] & 2))
            continue;
        const s_rec_t *rv = s_rec(variant);
        if (!rv || rv->group_mask[2] != 1 || s_single_value(2, variant) != cp)
            continue;
        /* cp's own group-2 value, if any, must be cp itself for the skip */
        if ((r->group_mask[2] & 1) && s_single_value(2, cp) != cp)
            continue;
        S.starts[cp] &= (uint8_t) ~S_CHANGES_1;
    }
}

/* True if the conversion could change text: it holds a character beyond
 * the BMP, a marked one, or a telltale pair (s_mark_changes). A changed
 * group-1 result is itself caught here, so group 2 only ever sees text it
 * could change when this says so. */
static bool s_may_change(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *) text;
    for (size_t i = 0; i < len;) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        i += s_decode(s + i, &cp);
        if (cp >= 0x10000)
            return true;
        unsigned f = S.starts[cp];
        if (f & (S_CHANGES_1 | S_CHANGES_2))
            return true;
        if ((f & (S_PAIR_1 | S_PAIR_2)) && i < len) {
            uint32_t next;
            s_decode(s + i, &next);
            if (((f & S_PAIR_1) && s_telltale_has(1, cp, next)) || ((f & S_PAIR_2) && s_telltale_has(2, cp, next)))
                return true;
        }
    }
    return false;
}

static void s_build(void)
{
    if (ww_t2s_dict_count > S_MAX_DICTS)
        return;
    if ((S.n1 = s_group(s_group1, S.group1)) < 0 || (S.n2 = s_group(s_group2, S.group2)) < 0 ||
        (S.segmenter = s_dict_index(s_segmenter)) < 0)
        return;
    size_t total = 0;
    for (int d = 0; d < ww_t2s_dict_count; d++)
        total += ww_t2s_dict_sizes[d];
    S.recs = calloc(total + 1, sizeof *S.recs);
    S.values = calloc(total + 1, sizeof *S.values);
    size_t size = 16;
    while (size < total * 2)
        size *= 2;
    S.table = calloc(size, sizeof *S.table);
    S.table_mask = size - 1;
    S.pairs = calloc(size, sizeof *S.pairs);
    S.pairs_mask = size - 1;
    S.telltales = calloc(size, sizeof *S.telltales);
    S.telltales_mask = size - 1;
    if (!S.recs || !S.values || !S.table || !S.pairs || !S.telltales)
        return;
    for (int d = 0; d < ww_t2s_dict_count; d++) {
        const char *const *pairs = ww_t2s_dict_pairs[d];
        for (size_t i = 0; i < ww_t2s_dict_sizes[d]; i++) {
            const char *key = pairs[2 * i], *value = pairs[2 * i + 1];
            size_t key_len = strlen(key), chars = 0;
            for (size_t k = 0; k < key_len; k += s_seq_len((unsigned char) key[k]))
                chars++;
            if (chars == 0 || chars > S_MAX_KEY_CHARS || key_len > UINT16_MAX)
                continue;
            uint32_t first;
            s_decode((const unsigned char *) key, &first);
            s_rec_t *r = s_rec_make(first);
            if (!r)
                return;
            uint32_t bit = 1u << (chars - 1);
            if (chars == 1) {
                if (!r->single[d]) { /* the first entry for a key wins, as in OpenCC */
                    S.values[S.nvalues] = (s_value_t){value, strlen(value)};
                    r->single[d] = (uint32_t) ++S.nvalues;
                }
                r->mask[d] |= bit;
                continue;
            }
            uint32_t second;
            s_decode((const unsigned char *) key + s_seq_len((unsigned char) key[0]), &second);
            uint64_t pair = s_pair_key(d, first, second);
            size_t ps = s_pair_slot(pair);
            while (S.pairs[ps] && S.pairs[ps] != pair)
                ps = (ps + 1) & S.pairs_mask;
            S.pairs[ps] = pair;
            uint32_t h = s_hash(d, key, key_len);
            size_t slot = h & S.table_mask;
            bool duplicate = false;
            while (S.table[slot].used) {
                s_entry_t *e = &S.table[slot];
                if (e->hash == h && e->dict == d && e->key_len == key_len && !memcmp(e->key, key, key_len)) {
                    duplicate = true;
                    break;
                }
                slot = (slot + 1) & S.table_mask;
            }
            if (!duplicate)
                S.table[slot] =
                    (s_entry_t){key, value, h, (uint16_t) key_len, (uint16_t) strlen(value), (uint8_t) d, true};
            r->mask[d] |= bit;
        }
    }
    for (size_t i = 0; i < S.nrecs; i++) {
        s_rec_t *r = &S.recs[i];
        r->group_mask[0] = r->mask[S.segmenter];
        for (int g = 0; g < S.n1; g++)
            r->group_mask[1] |= r->mask[S.group1[g]];
        for (int g = 0; g < S.n2; g++)
            r->group_mask[2] |= r->mask[S.group2[g]];
    }
    for (uint32_t cp = 0; cp < 0x10000; cp++) {
        const s_rec_t *r = s_rec(cp);
        if (!r)
            continue;
        uint32_t g1 = r->group_mask[1], g2 = r->group_mask[2];
        if (cp < 0x80)
            S.ascii_keys = true;
        S.starts[cp] |= (uint8_t) ((r->mask[S.segmenter] ? 1 : 0) | (g1 ? 2 : 0) | (g2 ? 4 : 0));
    }
    /* A text none of whose characters stands where a key differs from its
     * value is left as it is by every match, whatever the segmentation. */
    uint8_t *in_multi = calloc(0x10000, 1); /* bit g: in a longer key or value of group g */
    if (!in_multi)
        return;
    for (int g = 1; g <= 2; g++) {
        const int *dicts = g == 1 ? S.group1 : S.group2;
        int n = g == 1 ? S.n1 : S.n2;
        for (int i = 0; i < n; i++) {
            const char *const *pairs = ww_t2s_dict_pairs[dicts[i]];
            for (size_t e = 0; e < ww_t2s_dict_sizes[dicts[i]]; e++)
                s_mark_changes(pairs[2 * e], pairs[2 * e + 1], g, in_multi);
        }
    }
    s_unmark_round_trips(in_multi);
    free(in_multi);
    S.ready = true;
    /* which characters the conversion changes when alone */
    ww_buf_t out;
    ww_buf_init(&out, 256);
    for (uint32_t cp = 0x80; cp < 0x10000; cp++) {
        if (!S.starts[cp] || (cp >= 0xD800 && cp <= 0xDFFF))
            continue;
        char in[4] = {0};
        size_t n = cp < 0x800 ? 2 : 3;
        if (n == 2) {
            in[0] = (char) (0xC0 | (cp >> 6));
            in[1] = (char) (0x80 | (cp & 0x3F));
        } else {
            in[0] = (char) (0xE0 | (cp >> 12));
            in[1] = (char) (0x80 | ((cp >> 6) & 0x3F));
            in[2] = (char) (0x80 | (cp & 0x3F));
        }
        ww_buf_reset(&out);
        if (ww_t2s_convert_ready(in, n, &out) == 0 && (out.len != n || memcmp(out.data, in, n) != 0))
            S.changes[cp >> 3] |= (uint8_t) (1u << (cp & 7));
    }
    ww_buf_free(&out);
}

/* Which of the segmenter (bit 0), group 1 (bit 1) and group 2 (bit 2) have
 * a key starting with cp. */
static inline unsigned s_starts(uint32_t cp)
{
    if (cp < 0x10000)
        return S.starts[cp];
    const s_rec_t *r = s_rec(cp);
    return r ? (r->group_mask[0] ? 1u : 0u) | (r->group_mask[1] ? 2u : 0u) | (r->group_mask[2] ? 4u : 0u) : 0u;
}

static const s_entry_t *s_lookup(int dict, const char *s, size_t len)
{
    uint32_t h = s_hash(dict, s, len);
    for (size_t slot = h & S.table_mask; S.table[slot].used; slot = (slot + 1) & S.table_mask) {
        const s_entry_t *e = &S.table[slot];
        if (e->hash == h && e->dict == dict && e->key_len == len && !memcmp(e->key, s, len))
            return e;
    }
    return NULL;
}

/* The longest key of dictionary d that prefixes s[0..len): returns its
 * length in bytes and its value, or 0. rec is the record of s's first code
 * point; ends[k] is the byte offset after k+1 characters (nends known). */
static size_t s_match(int d, const s_rec_t *rec, const char *s, const size_t *ends, size_t nends, s_value_t *value)
{
    uint32_t mask = rec->mask[d];
    if (mask > 1 && nends >= 2) {
        uint32_t first, second;
        s_decode((const unsigned char *) s, &first);
        s_decode((const unsigned char *) s + ends[0], &second);
        if (!s_pair_exists(d, first, second))
            mask &= 1; /* no longer key starts with these two characters */
    }
    while (mask) {
        int top = 31 - __builtin_clz(mask);
        mask &= ~(1u << top);
        size_t chars = (size_t) top + 1;
        if (chars > nends)
            continue;
        if (chars == 1) {
            *value = S.values[rec->single[d] - 1];
            return ends[0];
        }
        const s_entry_t *e = s_lookup(d, s, ends[chars - 1]);
        if (e) {
            *value = (s_value_t){e->value, e->value_len};
            return ends[chars - 1];
        }
    }
    (void) ends;
    return 0;
}

/* Fills ends[] with the byte offsets after each of the next characters of
 * s[0..len), as many as any key in the dictionaries of rec could need. */
static size_t s_ends(const s_rec_t *rec, int which, const char *s, size_t len, size_t *ends)
{
    uint32_t all = rec->group_mask[which];
    size_t want = all ? (size_t) (32 - __builtin_clz(all)) : 0, got = 0, at = 0;
    while (got < want && at < len) {
        at += s_seq_len((unsigned char) s[at]);
        if (at > len)
            break;
        ends[got++] = at;
    }
    return got;
}

/* One conversion of the chain over one segment: at each position the first
 * dictionary of the group with a match decides. */
static int s_convert_group(int which, const int *dicts, int n, const char *s, size_t len, ww_buf_t *out)
{
    size_t i = 0, copy_from = 0;
    size_t ends[S_MAX_KEY_CHARS];
    while (i < len) {
        uint32_t cp;
        size_t k = s_decode((const unsigned char *) s + i, &cp);
        if (!(s_starts(cp) & (1u << which))) {
            i += k;
            continue;
        }
        const s_rec_t *rec = s_rec(cp);
        size_t matched = 0;
        s_value_t value = {0};
        if (rec && rec->group_mask[which] == 1) {
            /* only one-character keys: the first dictionary holding one */
            for (int g = 0; g < n && !matched; g++)
                if (rec->single[dicts[g]]) {
                    value = S.values[rec->single[dicts[g]] - 1];
                    matched = k;
                }
        } else if (rec) {
            size_t nends = s_ends(rec, which, s + i, len - i, ends);
            for (int g = 0; g < n && !matched; g++)
                if (rec->mask[dicts[g]])
                    matched = s_match(dicts[g], rec, s + i, ends, nends, &value);
        }
        if (!matched) {
            i += k;
            continue;
        }
        if (ww_buf_add(out, s + copy_from, i - copy_from) < 0 || ww_buf_add(out, value.s, value.len) < 0)
            return -1;
        i += matched;
        copy_from = i;
    }
    return ww_buf_add(out, s + copy_from, len - copy_from);
}

/* Both conversions over one segment; a conversion none of whose keys can
 * start in the segment (needs: bit 1 for group 1, bit 2 for group 2)
 * would copy it, and is skipped. */
static int s_convert_segment(const char *s, size_t len, unsigned needs, ww_buf_t *scratch, ww_buf_t *out)
{
    if (len == 0)
        return 0;
    if (!(needs & 1))
        return needs & 2 ? s_convert_group(2, S.group2, S.n2, s, len, out) : ww_buf_add(out, s, len);
    ww_buf_reset(scratch);
    if (s_convert_group(1, S.group1, S.n1, s, len, scratch) < 0)
        return -1;
    return s_convert_group(2, S.group2, S.n2, scratch->data ? scratch->data : "", scratch->len, out);
}

int ww_t2s_convert(const char *text, size_t len, ww_buf_t *out)
{
    pthread_once(&s_once, s_build);
    if (!S.ready)
        return -1;
    return ww_t2s_convert_ready(text, len, out);
}

static int ww_t2s_convert_ready(const char *text, size_t len, ww_buf_t *out)
{
    if (!s_may_change(text, len))
        return ww_buf_add(out, text, len);
    ww_buf_t scratch;
    ww_buf_init(&scratch, out->max);
    ww_buf_reserve(out, len + 16);
    size_t i = 0, segment = 0;
    size_t ends[S_MAX_KEY_CHARS];
    unsigned needs = 0; /* what the segment being collected needs */
    int rc = 0;
    while (i < len && rc == 0) {
        if ((unsigned char) text[i] < 0x80 && !S.ascii_keys) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t k = s_decode((const unsigned char *) text + i, &cp);
        unsigned starts = s_starts(cp);
        /* a segment needs a conversion only if it holds a character that
         * conversion can change (or, beyond the BMP, might) */
        unsigned here = cp >= 0x10000 ? 3u : ((starts >> 3) | (starts >> 5)) & 3u;
        if (!(starts & 1)) {
            needs |= here;
            i += k;
            continue;
        }
        const s_rec_t *rec = s_rec(cp);
        size_t matched = 0;
        s_value_t value;
        if (rec && rec->mask[S.segmenter]) {
            size_t nends = s_ends(rec, 0, text + i, len - i, ends);
            matched = s_match(S.segmenter, rec, text + i, ends, nends, &value);
        }
        if (!matched) {
            needs |= here;
            i += k;
            continue;
        }
        /* the unmatched run so far is one segment, the match another */
        rc = s_convert_segment(text + segment, i - segment, needs, &scratch, out);
        if (rc == 0)
            rc = s_convert_segment(text + i, matched, 3, &scratch, out);
        i += matched;
        segment = i;
        needs = 0;
    }
    if (rc == 0)
        rc = s_convert_segment(text + segment, len - segment, needs, &scratch, out);
    ww_buf_free(&scratch);
    return rc;
}

bool ww_t2s_changes(uint32_t cp)
{
    pthread_once(&s_once, s_build);
    if (!S.ready)
        return false;
    if (cp < 0x10000)
        return (S.changes[cp >> 3] >> (cp & 7)) & 1;
    char in[4];
    size_t n = cp < 0x110000 ? (size_t) 4 : 0;
    if (!n)
        return false;
    in[0] = (char) (0xF0 | (cp >> 18));
    in[1] = (char) (0x80 | ((cp >> 12) & 0x3F));
    in[2] = (char) (0x80 | ((cp >> 6) & 0x3F));
    in[3] = (char) (0x80 | (cp & 0x3F));
    ww_buf_t out;
    ww_buf_init(&out, 64);
    bool changed = ww_t2s_convert(in, n, &out) == 0 && (out.len != n || memcmp(out.data, in, n) != 0);
    ww_buf_free(&out);
    return changed;
}

const uint8_t *ww_t2s_changes_bmp(void)
{
    pthread_once(&s_once, s_build);
    return S.ready ? S.changes : NULL;
}

size_t ww_t2s_key_char_count(void)
{
    return ww_t2s_key_chars_count;
}

uint32_t ww_t2s_key_char(size_t i)
{
    return i < ww_t2s_key_chars_count ? ww_t2s_key_chars[i] : 0;
}
