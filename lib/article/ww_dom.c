/* ww_dom: HTML tokeniser and simplified tree builder over one arena. */
#include "ww_dom.h"

#include <libxml/HTMLparser.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---------------------------------------------------------------------------
 * Arena: bump allocation in blocks, freed all at once
 */

typedef struct s_block_t {
    struct s_block_t *next;
    size_t used, size;
    max_align_t data[];
} s_block_t;

typedef struct {
    s_block_t *head;
} s_arena_t;

static void *s_alloc(s_arena_t *a, size_t n)
{
    n = (n + 15) & ~(size_t) 15;
    s_block_t *b = a->head;
    if (!b || b->size - b->used < n) {
        size_t size = n > 60000 ? n : 60000;
        b = malloc(sizeof *b + size);
        if (!b)
            return NULL;
        b->size = size;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = (char *) b->data + b->used;
    b->used += n;
    return p;
}

static void s_arena_free(s_arena_t *a)
{
    for (s_block_t *b = a->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    a->head = NULL;
}

/* ---------------------------------------------------------------------------
 * Tag names
 */

#define WW_TAG_NAME(id, name) name,
static const char *const s_tag_names[WW_TAG_COUNT] = {"", WW_DOM_TAGS(WW_TAG_NAME)};
#undef WW_TAG_NAME

#define S_TAG_SLOTS 512
static uint16_t s_tag_slots[S_TAG_SLOTS]; /* tag id, 0 = empty */
static pthread_once_t s_tags_once = PTHREAD_ONCE_INIT;

static uint32_t s_name_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char) s[i]) * 16777619u;
    return h;
}

static void s_tags_init(void)
{
    for (int t = 1; t < WW_TAG_COUNT; t++) {
        uint32_t slot = s_name_hash(s_tag_names[t], strlen(s_tag_names[t])) % S_TAG_SLOTS;
        while (s_tag_slots[slot])
            slot = (slot + 1) % S_TAG_SLOTS;
        s_tag_slots[slot] = (uint16_t) t;
    }
}

static ww_tag_t s_tag_of(const char *name, size_t len)
{
    char low[16];
    if (len == 0 || len >= sizeof low)
        return WW_TAG_OTHER;
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        low[i] = (char) (c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    for (uint32_t slot = s_name_hash(low, len) % S_TAG_SLOTS; s_tag_slots[slot]; slot = (slot + 1) % S_TAG_SLOTS) {
        const char *k = s_tag_names[s_tag_slots[slot]];
        if (strlen(k) == len && !memcmp(k, low, len))
            return (ww_tag_t) s_tag_slots[slot];
    }
    return WW_TAG_OTHER;
}

const char *ww_tag_name(ww_tag_t tag)
{
    return tag < WW_TAG_COUNT ? s_tag_names[tag] : "";
}

/* Tag classes, as bit sets over ww_tag_t. */
typedef struct {
    uint64_t w[(WW_TAG_COUNT + 63) / 64];
} s_tagset_t;

static bool s_in(const s_tagset_t *set, int tag)
{
    return (set->w[tag / 64] >> (tag % 64)) & 1;
}

static void s_set(s_tagset_t *set, const int *tags)
{
    for (; *tags; tags++)
        set->w[*tags / 64] |= (uint64_t) 1 << (*tags % 64);
}

static s_tagset_t s_void, s_rawtext, s_rcdata, s_closes_p, s_scope, s_button_scope, s_table_scope, s_table_parts,
    s_special;
static pthread_once_t s_sets_once = PTHREAD_ONCE_INIT;

static void s_sets_init(void)
{
    s_set(&s_void, (const int[]){WW_TAG_AREA,  WW_TAG_BASE,   WW_TAG_BASEFONT, WW_TAG_BGSOUND, WW_TAG_BR,
                                 WW_TAG_COL,   WW_TAG_EMBED,  WW_TAG_FRAME,    WW_TAG_HR,      WW_TAG_IMG,
                                 WW_TAG_IMAGE, WW_TAG_INPUT,  WW_TAG_KEYGEN,   WW_TAG_LINK,    WW_TAG_META,
                                 WW_TAG_PARAM, WW_TAG_SOURCE, WW_TAG_TRACK,    WW_TAG_WBR,     0});
    /* Their content is text up to the matching end tag; noscript too, as in
     * a browser that runs scripts. */
    s_set(&s_rawtext,
          (const int[]){WW_TAG_SCRIPT, WW_TAG_STYLE, WW_TAG_XMP, WW_TAG_IFRAME, WW_TAG_NOEMBED, WW_TAG_NOFRAMES,
                        WW_TAG_NOSCRIPT, WW_TAG_PLAINTEXT, WW_TAG_TEXTAREA, WW_TAG_TITLE, 0});
    s_set(&s_rcdata, (const int[]){WW_TAG_TEXTAREA, WW_TAG_TITLE, 0});
    s_set(&s_closes_p, (const int[]){WW_TAG_ADDRESS,
                                     WW_TAG_ARTICLE,
                                     WW_TAG_ASIDE,
                                     WW_TAG_BLOCKQUOTE,
                                     WW_TAG_CENTER,
                                     WW_TAG_DETAILS,
                                     WW_TAG_DIALOG,
                                     WW_TAG_DIR,
                                     WW_TAG_DIV,
                                     WW_TAG_DL,
                                     WW_TAG_FIELDSET,
                                     WW_TAG_FIGCAPTION,
                                     WW_TAG_FIGURE,
                                     WW_TAG_FOOTER,
                                     WW_TAG_FORM,
                                     WW_TAG_HEADER,
                                     WW_TAG_HGROUP,
                                     WW_TAG_HR,
                                     WW_TAG_MAIN,
                                     WW_TAG_MENU,
                                     WW_TAG_NAV,
                                     WW_TAG_OL,
                                     WW_TAG_P,
                                     WW_TAG_PRE,
                                     WW_TAG_LISTING,
                                     WW_TAG_SECTION,
                                     WW_TAG_SUMMARY,
                                     WW_TAG_TABLE,
                                     WW_TAG_UL,
                                     WW_TAG_XMP,
                                     WW_TAG_PLAINTEXT,
                                     WW_TAG_H1,
                                     WW_TAG_H2,
                                     WW_TAG_H3,
                                     WW_TAG_H4,
                                     WW_TAG_H5,
                                     WW_TAG_H6,
                                     WW_TAG_LI,
                                     WW_TAG_DD,
                                     WW_TAG_DT,
                                     0});
    /* An end tag does not reach past these to close an element outside. */
    s_set(&s_scope, (const int[]){WW_TAG_APPLET, WW_TAG_CAPTION, WW_TAG_HTML, WW_TAG_TABLE, WW_TAG_TD, WW_TAG_TH,
                                  WW_TAG_MARQUEE, WW_TAG_OBJECT, WW_TAG_TEMPLATE, 0});
    s_button_scope = s_scope;
    s_set(&s_button_scope, (const int[]){WW_TAG_BUTTON, 0});
    /* End tags of table parts close through cells, never past a table. */
    s_set(&s_table_scope, (const int[]){WW_TAG_HTML, WW_TAG_TABLE, WW_TAG_TEMPLATE, 0});
    s_set(&s_table_parts,
          (const int[]){WW_TAG_TABLE, WW_TAG_TBODY, WW_TAG_THEAD, WW_TAG_TFOOT, WW_TAG_TR, WW_TAG_CAPTION, 0});
    /* Elements an li/dt/dd start tag does not look past for one to close. */
    s_set(&s_special, (const int[]){WW_TAG_APPLET, WW_TAG_CAPTION, WW_TAG_HTML, WW_TAG_TABLE, WW_TAG_TD, WW_TAG_TH,
                                    WW_TAG_MARQUEE, WW_TAG_OBJECT, WW_TAG_UL, WW_TAG_OL, WW_TAG_DL, 0});
}

/* ---------------------------------------------------------------------------
 * The tree
 */

struct ww_dom_t {
    s_arena_t arena;
    ww_node_t *document;
    ww_node_t *stack[WW_DOM_MAX_DEPTH + 1]; /* open elements; stack[0] is the document */
    int top;                                /* index of the current node */
    size_t nodes, max_nodes;
    bool truncated, oom;
    bool seen_html, seen_head, seen_body;
};

static ww_node_t *s_node(ww_dom_t *d, int type)
{
    if (d->nodes >= d->max_nodes) {
        d->truncated = true;
        return NULL;
    }
    ww_node_t *n = s_alloc(&d->arena, sizeof *n);
    if (!n) {
        d->oom = true;
        return NULL;
    }
    memset(n, 0, sizeof *n);
    n->type = (uint8_t) type;
    n->order = (uint32_t) d->nodes++;
    return n;
}

static void s_append(ww_node_t *parent, ww_node_t *n)
{
    n->parent = parent;
    n->depth = (uint16_t) (parent->depth + 1);
    n->prev = parent->last;
    if (parent->last)
        parent->last->next = n;
    else
        parent->first = n;
    parent->last = n;
}

static ww_node_t *s_current(ww_dom_t *d)
{
    return d->stack[d->top];
}

static void s_pop_to(ww_dom_t *d, int index)
{
    if (index >= 1)
        d->top = index - 1;
}

/* Index of the nearest open element with this tag, searching down from the
 * top and stopping at a boundary; -1 if none. */
static int s_find_open(ww_dom_t *d, int tag, const s_tagset_t *boundary)
{
    for (int i = d->top; i >= 1; i--) {
        int t = d->stack[i]->tag;
        if (t == tag)
            return i;
        if (boundary && s_in(boundary, t))
            return -1;
    }
    return -1;
}

static void s_close_p(ww_dom_t *d)
{
    int i = s_find_open(d, WW_TAG_P, &s_button_scope);
    if (i > 0)
        s_pop_to(d, i);
}

/* Implied end tags a start tag causes. */
static void s_implied_ends(ww_dom_t *d, int tag)
{
    if (tag == WW_TAG_LI || tag == WW_TAG_DD || tag == WW_TAG_DT) {
        for (int i = d->top; i >= 1; i--) {
            int t = d->stack[i]->tag;
            bool same = tag == WW_TAG_LI ? t == WW_TAG_LI : (t == WW_TAG_DD || t == WW_TAG_DT);
            if (same) {
                s_pop_to(d, i);
                break;
            }
            if (s_in(&s_special, t))
                break;
        }
    }
    if (s_in(&s_closes_p, tag))
        s_close_p(d);
    if (ww_tag_is_heading(tag) && ww_tag_is_heading(s_current(d)->tag))
        s_pop_to(d, d->top);
    if (tag == WW_TAG_A) {
        int i = s_find_open(d, WW_TAG_A, &s_scope);
        if (i > 0)
            s_pop_to(d, i);
    }
    if (tag == WW_TAG_TR || tag == WW_TAG_TBODY || tag == WW_TAG_THEAD || tag == WW_TAG_TFOOT) {
        /* a new row (or row group) ends the open cell and row */
        for (int i = d->top; i >= 1; i--) {
            int t = d->stack[i]->tag;
            if (t == WW_TAG_TABLE)
                break;
            if (t == WW_TAG_TR || (tag != WW_TAG_TR && (t == WW_TAG_TBODY || t == WW_TAG_THEAD || t == WW_TAG_TFOOT))) {
                s_pop_to(d, i);
                break;
            }
        }
    }
    if (tag == WW_TAG_TD || tag == WW_TAG_TH) {
        for (int i = d->top; i >= 1; i--) {
            int t = d->stack[i]->tag;
            if (t == WW_TAG_TABLE || t == WW_TAG_TR)
                break;
            if (t == WW_TAG_TD || t == WW_TAG_TH) {
                s_pop_to(d, i);
                break;
            }
        }
    }
    if (tag == WW_TAG_OPTION || tag == WW_TAG_OPTGROUP) {
        if (s_current(d)->tag == WW_TAG_OPTION)
            s_pop_to(d, d->top);
        if (tag == WW_TAG_OPTGROUP && s_current(d)->tag == WW_TAG_OPTGROUP)
            s_pop_to(d, d->top);
    }
    if (tag == WW_TAG_BUTTON || tag == WW_TAG_NOBR) {
        int i = s_find_open(d, tag, &s_scope);
        if (i > 0)
            s_pop_to(d, i);
    }
}

static void s_end_tag(ww_dom_t *d, int tag, const char *name, size_t len)
{
    if (tag == WW_TAG_BODY || tag == WW_TAG_HTML)
        return; /* content after them still belongs to the body */
    if (ww_tag_is_heading(tag)) {
        for (int i = d->top; i >= 1; i--) {
            int t = d->stack[i]->tag;
            if (ww_tag_is_heading(t)) {
                s_pop_to(d, i);
                return;
            }
            if (s_in(&s_scope, t))
                return;
        }
        return;
    }
    if (tag == WW_TAG_OTHER) {
        for (int i = d->top; i >= 1; i--) {
            ww_node_t *n = d->stack[i];
            if (n->tag == WW_TAG_OTHER && n->name_len == len && !strncasecmp(n->name, name, len)) {
                s_pop_to(d, i);
                return;
            }
            if (s_in(&s_scope, n->tag))
                return;
        }
        return;
    }
    /* an end tag may close a boundary element itself, never reach past one */
    const s_tagset_t *boundary = s_in(&s_table_parts, tag) ? &s_table_scope : &s_scope;
    int i = s_find_open(d, tag, boundary);
    if (i > 0)
        s_pop_to(d, i);
}

/* ---------------------------------------------------------------------------
 * Character references
 */

/* HTML5 reads these code points of a numeric reference as windows-1252. */
static const uint16_t s_c1[32] = {0x20AC, 0x81,   0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,   0x017D, 0x8F,
                                  0x90,   0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,   0x017E, 0x0178};

static size_t s_put_utf8(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char) cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char) (0xC0 | (cp >> 6));
        out[1] = (char) (0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char) (0xE0 | (cp >> 12));
        out[1] = (char) (0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char) (0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char) (0xF0 | (cp >> 18));
    out[1] = (char) (0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char) (0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char) (0x80 | (cp & 0x3F));
    return 4;
}

static bool s_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Names that pages write without the semicolon and browsers still read. */
static const char *const s_legacy[] = {"amp", "lt", "gt", "quot", "nbsp", "copy", "reg", "AMP", "LT", "GT", NULL};

/* Decodes the reference at s[0] == '&' (n bytes available) into out (8
 * bytes room). Returns the bytes consumed, or 0 if it is not a reference.
 * In an attribute, a legacy name followed by '=' or a letter stays text. */
static size_t s_reference(const char *s, size_t n, bool attribute, char *out, size_t *out_len)
{
    if (n < 2)
        return 0;
    if (s[1] == '#') {
        size_t i = 2;
        bool hex = i < n && (s[i] == 'x' || s[i] == 'X');
        if (hex)
            i++;
        size_t start = i;
        uint32_t cp = 0;
        bool overflow = false;
        for (; i < n; i++) {
            char c = s[i];
            int v = c >= '0' && c <= '9'          ? c - '0'
                    : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                  : -1;
            if (v < 0)
                break;
            if (cp > 0x10FFFF)
                overflow = true;
            else
                cp = cp * (hex ? 16u : 10u) + (uint32_t) v;
        }
        if (i == start)
            return 0;
        if (i < n && s[i] == ';')
            i++;
        if (overflow || cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            cp = 0xFFFD;
        else if (cp >= 0x80 && cp <= 0x9F)
            cp = s_c1[cp - 0x80];
        *out_len = s_put_utf8(cp, out);
        return i;
    }
    size_t i = 1;
    while (i < n && i < 34 && s_alnum(s[i]))
        i++;
    if (i == 1)
        return 0;
    char name[40];
    memcpy(name, s + 1, i - 1);
    name[i - 1] = 0;
    bool semi = i < n && s[i] == ';';
    if (!semi) {
        /* only the legacy names, and the longest of them that prefixes */
        for (size_t k = i - 1; k >= 2; k--) {
            name[k] = 0;
            for (int l = 0; s_legacy[l]; l++)
                if (!strcmp(name, s_legacy[l])) {
                    char after = 1 + k < n ? s[1 + k] : 0;
                    if (attribute && (after == '=' || s_alnum(after)))
                        return 0;
                    const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *) name);
                    uint32_t cp = e ? e->value : (name[0] == 'A' ? '&' : name[0] == 'L' ? '<' : '>');
                    *out_len = s_put_utf8(cp, out);
                    return 1 + k;
                }
        }
        return 0;
    }
    uint32_t cp;
    if (!strcmp(name, "apos"))
        cp = '\'';
    else {
        const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *) name);
        if (!e)
            return 0;
        cp = e->value;
    }
    *out_len = s_put_utf8(cp, out);
    return i + 1;
}

/* Text with references decoded: the input itself when it has none. */
static const char *s_decode_text(ww_dom_t *d, const char *s, size_t n, bool attribute, uint32_t *out_len)
{
    const char *amp = memchr(s, '&', n);
    if (!amp) {
        *out_len = (uint32_t) n;
        return s;
    }
    char *buf = s_alloc(&d->arena, n + 1);
    if (!buf) {
        d->oom = true;
        *out_len = (uint32_t) n;
        return s;
    }
    size_t o = (size_t) (amp - s), i = o;
    memcpy(buf, s, o);
    while (i < n) {
        if (s[i] == '&') {
            char tmp[8];
            size_t tl = 0, used = s_reference(s + i, n - i, attribute, tmp, &tl);
            /* a reference is never shorter than what it decodes to (&lt; is
             * 4 bytes for 1; &#x10000; 9 for 4), so buf cannot overflow */
            if (used) {
                memcpy(buf + o, tmp, tl);
                o += tl;
                i += used;
                continue;
            }
        }
        buf[o++] = s[i++];
    }
    buf[o] = 0;
    *out_len = (uint32_t) o;
    return buf;
}

/* ---------------------------------------------------------------------------
 * Tokeniser
 */

static bool s_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool s_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void s_add_text(ww_dom_t *d, const char *s, size_t n, bool decode)
{
    if (n == 0)
        return;
    ww_node_t *t = s_node(d, WW_NODE_TEXT);
    if (!t)
        return;
    uint32_t len;
    t->text = decode ? s_decode_text(d, s, n, false, &len) : s;
    t->text_len = decode ? len : (uint32_t) n;
    s_append(s_current(d), t);
}

/* Finds "</name" (any case) followed by space, '/' or '>'; returns its
 * offset, or len if absent. */
static size_t s_find_end_tag(const char *s, size_t len, const char *name, size_t nlen)
{
    size_t i = 0;
    while (i + 2 + nlen <= len) {
        const char *lt = memchr(s + i, '<', len - i);
        if (!lt)
            break;
        i = (size_t) (lt - s);
        if (i + 2 + nlen <= len && s[i + 1] == '/' && !strncasecmp(s + i + 2, name, nlen)) {
            char after = i + 2 + nlen < len ? s[i + 2 + nlen] : '>';
            if (after == '>' || after == '/' || s_space(after))
                return i;
        }
        i++;
    }
    return len;
}

#define S_MAX_ATTRS 64

/* Parses a start tag at s[0] == '<'; returns bytes consumed. */
static size_t s_start_tag(ww_dom_t *d, const char *s, size_t len)
{
    size_t i = 1;
    while (i < len && !s_space(s[i]) && s[i] != '/' && s[i] != '>')
        i++;
    const char *name = s + 1;
    size_t name_len = i - 1;
    ww_attr_t attrs[S_MAX_ATTRS];
    size_t nattrs = 0;
    bool self_closing = false;
    while (i < len) {
        while (i < len && (s_space(s[i]) || s[i] == '/')) {
            self_closing = s[i] == '/';
            i++;
        }
        if (i >= len || s[i] == '>')
            break;
        self_closing = false;
        size_t an = i;
        i++; /* the first character may be '=' */
        while (i < len && !s_space(s[i]) && s[i] != '/' && s[i] != '>' && s[i] != '=')
            i++;
        size_t an_len = i - an;
        while (i < len && s_space(s[i]))
            i++;
        const char *value = "";
        size_t value_len = 0;
        if (i < len && s[i] == '=') {
            i++;
            while (i < len && s_space(s[i]))
                i++;
            if (i < len && (s[i] == '"' || s[i] == '\'')) {
                char q = s[i++];
                const char *end = memchr(s + i, q, len - i);
                size_t vl = end ? (size_t) (end - (s + i)) : len - i;
                value = s + i;
                value_len = vl;
                i += vl + (end ? 1 : 0);
            } else {
                size_t vs = i;
                while (i < len && !s_space(s[i]) && s[i] != '>')
                    i++;
                value = s + vs;
                value_len = i - vs;
            }
        }
        if (nattrs < S_MAX_ATTRS && an_len < UINT16_MAX) {
            uint32_t vl;
            const char *v = s_decode_text(d, value, value_len, true, &vl);
            attrs[nattrs++] = (ww_attr_t){s + an, v, (uint32_t) an_len, vl};
        }
    }
    size_t consumed = i < len ? i + 1 : len;
    int tag = s_tag_of(name, name_len);

    if ((tag == WW_TAG_HTML && d->seen_html) || (tag == WW_TAG_BODY && d->seen_body) ||
        (tag == WW_TAG_HEAD && d->seen_head))
        return consumed; /* a second html, head or body adds nothing */
    d->seen_html |= tag == WW_TAG_HTML;
    d->seen_head |= tag == WW_TAG_HEAD;
    d->seen_body |= tag == WW_TAG_BODY;

    s_implied_ends(d, tag);
    ww_node_t *n = s_node(d, WW_NODE_ELEMENT);
    if (!n)
        return len;
    n->name = name;
    n->name_len = (uint16_t) (name_len < UINT16_MAX ? name_len : UINT16_MAX);
    n->tag = (uint16_t) tag;
    if (nattrs) {
        n->attrs = s_alloc(&d->arena, nattrs * sizeof *n->attrs);
        if (n->attrs) {
            memcpy(n->attrs, attrs, nattrs * sizeof *attrs);
            n->nattrs = (uint16_t) nattrs;
        }
    }
    s_append(s_current(d), n);

    if (s_in(&s_rawtext, tag)) {
        /* content up to the matching end tag is text (plaintext: all) */
        size_t rest = len - consumed;
        size_t end = tag == WW_TAG_PLAINTEXT
                         ? rest
                         : s_find_end_tag(s + consumed, rest, s_tag_names[tag], strlen(s_tag_names[tag]));
        if (end > 0) {
            ww_node_t *t = s_node(d, WW_NODE_TEXT);
            if (t) {
                uint32_t tl = (uint32_t) end;
                t->text = s_in(&s_rcdata, tag) ? s_decode_text(d, s + consumed, end, false, &tl) : s + consumed;
                t->text_len = tl;
                s_append(n, t);
            }
        }
        consumed += end;
        if (consumed < len) {
            const char *gt = memchr(s + consumed, '>', len - consumed);
            consumed = gt ? (size_t) (gt - s) + 1 : len;
        }
        return consumed;
    }
    bool leaf = s_in(&s_void, tag) || (self_closing && tag == WW_TAG_OTHER);
    if (!leaf && d->top < WW_DOM_MAX_DEPTH)
        d->stack[++d->top] = n;
    return consumed;
}

static size_t s_end_tag_at(ww_dom_t *d, const char *s, size_t len)
{
    size_t i = 2;
    while (i < len && !s_space(s[i]) && s[i] != '/' && s[i] != '>')
        i++;
    const char *name = s + 2;
    size_t name_len = i - 2;
    const char *gt = memchr(s + i, '>', len - i);
    size_t consumed = gt ? (size_t) (gt - s) + 1 : len;
    int tag = s_tag_of(name, name_len);
    if (tag == WW_TAG_BR) { /* </br> is read as <br> */
        ww_node_t *n = s_node(d, WW_NODE_ELEMENT);
        if (n) {
            n->name = name;
            n->name_len = (uint16_t) name_len;
            n->tag = WW_TAG_BR;
            s_append(s_current(d), n);
        }
        return consumed;
    }
    s_end_tag(d, tag, name, name_len);
    return consumed;
}

/* Skips a comment, doctype, CDATA or processing instruction at s[0] == '<'. */
static size_t s_skip_markup(const char *s, size_t len)
{
    if (len >= 4 && !memcmp(s, "<!--", 4)) {
        const char *end = memmem(s + 4, len - 4, "-->", 3);
        if (len >= 5 && s[4] == '>')
            return 5; /* <!--> */
        return end ? (size_t) (end - s) + 3 : len;
    }
    const char *gt = memchr(s, '>', len);
    return gt ? (size_t) (gt - s) + 1 : len;
}

ww_dom_t *ww_dom_parse(const char *html, size_t len, size_t max_nodes, char *err, size_t errlen)
{
    pthread_once(&s_tags_once, s_tags_init);
    pthread_once(&s_sets_once, s_sets_init);
    ww_dom_t *d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(err, errlen, "out of memory parsing HTML");
        return NULL;
    }
    d->max_nodes = max_nodes ? max_nodes : 1000000;
    d->document = s_node(d, WW_NODE_DOCUMENT);
    if (!d->document) {
        free(d);
        snprintf(err, errlen, "out of memory parsing HTML");
        return NULL;
    }
    d->stack[0] = d->document;
    size_t i = 0;
    while (i < len && !d->truncated && !d->oom) {
        const char *lt = memchr(html + i, '<', len - i);
        size_t text_end = lt ? (size_t) (lt - html) : len;
        s_add_text(d, html + i, text_end - i, true);
        i = text_end;
        if (i >= len)
            break;
        const char *s = html + i;
        size_t left = len - i;
        char next = left > 1 ? s[1] : 0;
        if (s_letter(next))
            i += s_start_tag(d, s, left);
        else if (next == '/' && left > 2 && s_letter(s[2]))
            i += s_end_tag_at(d, s, left);
        else if (next == '!' || next == '?' || (next == '/' && left > 2 && s[2] != '>'))
            i += s_skip_markup(s, left); /* comments, doctype; "</ x>" is a bogus comment */
        else if (next == '/' && left > 2)
            i += 3; /* "</>" is dropped */
        else {
            s_add_text(d, s, 1, false);
            i++;
        }
    }
    if (d->oom) {
        ww_dom_free(&d);
        snprintf(err, errlen, "out of memory parsing HTML");
        return NULL;
    }
    return d;
}

void ww_dom_free(ww_dom_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    s_arena_free(&(*self_p)->arena);
    free(*self_p);
    *self_p = NULL;
}

ww_node_t *ww_dom_document(ww_dom_t *self)
{
    return self->document;
}

size_t ww_dom_node_count(const ww_dom_t *self)
{
    return self->nodes;
}

bool ww_dom_truncated(const ww_dom_t *self)
{
    return self->truncated;
}

const char *ww_node_attr(const ww_node_t *n, const char *name, size_t *len)
{
    size_t nl = strlen(name);
    for (uint16_t i = 0; n && i < n->nattrs; i++)
        if (n->attrs[i].name_len == nl && !strncasecmp(n->attrs[i].name, name, nl)) {
            if (len)
                *len = n->attrs[i].value_len;
            return n->attrs[i].value;
        }
    return NULL;
}

char *ww_node_attr_dup(const ww_node_t *n, const char *name)
{
    size_t len;
    const char *v = ww_node_attr(n, name, &len);
    return v ? strndup(v, len) : NULL;
}

void ww_node_unlink(ww_node_t *n)
{
    ww_node_t *p = n->parent;
    if (!p)
        return;
    if (n->prev)
        n->prev->next = n->next;
    else
        p->first = n->next;
    if (n->next)
        n->next->prev = n->prev;
    else
        p->last = n->prev;
    n->parent = n->prev = n->next = NULL;
}
