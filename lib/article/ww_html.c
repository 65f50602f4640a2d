/* ww_html: DOM cleaning, block scoring and paragraph collection. */
#include "ww_html.h"
#include "ww_buf.h"
#include "ww_dom.h"
#include "ww_utf8.h"

#include <ctype.h>
#include <libxml/uri.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The parser caps the tree at this many nodes: real pages have tens of
 * thousands at most, and each costs about a hundred bytes. */
#define S_MAX_NODES 300000

static bool s_is(const ww_node_t *n, int tag)
{
    return n && n->type == WW_NODE_ELEMENT && n->tag == tag;
}

/* Tags whose whole subtree is never article text. */
static bool s_junk(const ww_node_t *n)
{
    if (n->type != WW_NODE_ELEMENT)
        return false;
    switch (n->tag) {
    case WW_TAG_SCRIPT:
    case WW_TAG_STYLE:
    case WW_TAG_NOSCRIPT:
    case WW_TAG_IFRAME:
    case WW_TAG_FORM:
    case WW_TAG_BUTTON:
    case WW_TAG_INPUT:
    case WW_TAG_SELECT:
    case WW_TAG_TEXTAREA:
    case WW_TAG_SVG:
    case WW_TAG_CANVAS:
    case WW_TAG_NAV:
    case WW_TAG_FOOTER:
    case WW_TAG_ASIDE:
    case WW_TAG_OBJECT:
    case WW_TAG_EMBED:
    case WW_TAG_TEMPLATE:
    case WW_TAG_LINK:
    case WW_TAG_META:
    case WW_TAG_HEAD:
    case WW_TAG_MAP:
    case WW_TAG_AUDIO:
    case WW_TAG_VIDEO:
    case WW_TAG_DIALOG:
    case WW_TAG_MENU:
    case WW_TAG_MATH:
    case WW_TAG_TITLE:
        return true;
    default:
        return false;
    }
}

/* Elements that start a new block of text. */
static bool s_block(const ww_node_t *n)
{
    if (n->type != WW_NODE_ELEMENT)
        return false;
    switch (n->tag) {
    case WW_TAG_P:
    case WW_TAG_DIV:
    case WW_TAG_SECTION:
    case WW_TAG_ARTICLE:
    case WW_TAG_LI:
    case WW_TAG_UL:
    case WW_TAG_OL:
    case WW_TAG_H1:
    case WW_TAG_H2:
    case WW_TAG_H3:
    case WW_TAG_H4:
    case WW_TAG_H5:
    case WW_TAG_H6:
    case WW_TAG_BLOCKQUOTE:
    case WW_TAG_PRE:
    case WW_TAG_TABLE:
    case WW_TAG_TR:
    case WW_TAG_TD:
    case WW_TAG_TH:
    case WW_TAG_DL:
    case WW_TAG_DT:
    case WW_TAG_DD:
    case WW_TAG_FIGURE:
    case WW_TAG_FIGCAPTION:
    case WW_TAG_HEADER:
    case WW_TAG_MAIN:
    case WW_TAG_CENTER:
    case WW_TAG_ADDRESS:
    case WW_TAG_HR:
    case WW_TAG_TBODY:
    case WW_TAG_THEAD:
    case WW_TAG_CAPTION:
    case WW_TAG_DETAILS:
    case WW_TAG_SUMMARY:
    case WW_TAG_FIELDSET:
    case WW_TAG_HGROUP:
        return true;
    default:
        return false;
    }
}

/* Class and id words (split at '-', '_', spaces and camelCase) that mark
 * boilerplate, and words that mark content. */
static const char *const s_negative_words[] = {
    "comment", "comments",  "share",       "sharing",    "sidebar",       "side",       "footer",
    "foot",    "nav",       "navbar",      "navigation", "menu",          "breadcrumb", "breadcrumbs",
    "related", "recommend", "recommended", "advert",     "advertisement", "ad",         "ads",
    "adv",     "banner",    "qr",          "qrcode",     "erweima",       "popup",      "modal",
    "social",  "toolbar",   "tool",        "tools",      "hot",           "rank",       "ranking",
    "login",   "subscribe", "copyright",   "disclaimer", "pagination",    "pager",      "promo",
    "sponsor", "widget",    "sns",         "masthead",   "topbar",        "bottom",     "links",
    "more",    "feedback",  "reply",       "shoucang",   "fenxiang",      "gotop",      "statement",
    "tags",    "keywords",  NULL};
static const char *const s_positive_words[] = {"article",  "content", "post",  "text",     "body", "main",
                                               "story",    "detail",  "entry", "artibody", "txt",  "zw",
                                               "zhengwen", "news",    "con",   "page",     NULL};

/* The three word lists in one hash table: word -> which lists hold it. */
enum { S_WORD_NEG = 1, S_WORD_POS = 2, S_WORD_DATELINE = 4 };
#define S_WORD_SLOTS 512
static struct {
    const char *word;
    uint8_t len, lists;
} s_word_slots[S_WORD_SLOTS];
static pthread_once_t s_words_once = PTHREAD_ONCE_INIT;

static uint32_t s_word_hash(const char *w, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char) w[i]) * 16777619u;
    return h % S_WORD_SLOTS;
}

static void s_words_add(const char *const *set, uint8_t list)
{
    for (size_t k = 0; set[k]; k++) {
        size_t len = strlen(set[k]);
        uint32_t slot = s_word_hash(set[k], len);
        while (s_word_slots[slot].word && strcmp(s_word_slots[slot].word, set[k]))
            slot = (slot + 1) % S_WORD_SLOTS;
        s_word_slots[slot].word = set[k];
        s_word_slots[slot].len = (uint8_t) len;
        s_word_slots[slot].lists |= list;
    }
}

static const char *const s_dateline_words[];
static void s_words_init(void);

/* Which of the lists hold word (0: none). */
static uint8_t s_word_lists(const char *word, size_t len)
{
    pthread_once(&s_words_once, s_words_init);
    for (uint32_t slot = s_word_hash(word, len); s_word_slots[slot].word; slot = (slot + 1) % S_WORD_SLOTS)
        if (s_word_slots[slot].len == len && !memcmp(s_word_slots[slot].word, word, len))
            return s_word_slots[slot].lists;
    return 0;
}

/* Calls fn for each lower-cased word of the class and id attributes. */
static void s_attr_words(const ww_node_t *n, void (*fn)(const char *, size_t, void *), void *arg)
{
    static const char *const attrs[] = {"class", "id"};
    for (int a = 0; a < 2; a++) {
        size_t vlen;
        const char *v = ww_node_attr(n, attrs[a], &vlen);
        if (!v)
            continue;
        char word[64];
        size_t wl = 0;
        for (size_t i = 0; i <= vlen; i++) {
            char c = i < vlen ? v[i] : 0;
            bool boundary = !c || !isalnum((unsigned char) c) ||
                            (isupper((unsigned char) c) && i > 0 && islower((unsigned char) v[i - 1]));
            if (boundary && wl) {
                fn(word, wl, arg);
                wl = 0;
            }
            if (c && isalnum((unsigned char) c) && wl + 1 < sizeof word)
                word[wl++] = (char) tolower((unsigned char) c);
        }
    }
}

/* Words that name a date, source or byline line. */
static const char *const s_dateline_words[] = {"date", "time",   "pubtime", "pubdate", "publish", "info",
                                               "meta", "source", "author",  "byline",  "writer",  NULL};

static void s_words_init(void)
{
    s_words_add(s_negative_words, S_WORD_NEG);
    s_words_add(s_positive_words, S_WORD_POS);
    s_words_add(s_dateline_words, S_WORD_DATELINE);
}

typedef struct {
    bool pos, neg, dateline;
} s_hint_acc_t;

static void s_hint_word(const char *w, size_t len, void *arg)
{
    s_hint_acc_t *h = arg;
    uint8_t lists = s_word_lists(w, len);
    h->neg |= (lists & S_WORD_NEG) != 0;
    h->pos |= (lists & S_WORD_POS) != 0;
    h->dateline |= (lists & S_WORD_DATELINE) != 0;
}

/* Returns +2 for itemprop=articleBody, +1 for a content hint, -1 for a
 * boilerplate hint, 0 for neither. Cached in the node. */
static int s_class_hint(ww_node_t *n)
{
    if (n->hint_known)
        return n->hint;
    s_hint_acc_t h = {false, false, false};
    if (n->nattrs)
        s_attr_words(n, s_hint_word, &h);
    n->dateline = h.dateline;
    size_t il;
    const char *itemprop = ww_node_attr(n, "itemprop", &il);
    int hint = 0;
    if (itemprop && il == 11 && !strncasecmp(itemprop, "articleBody", 11))
        hint = 2;
    else if (h.pos && !h.neg)
        hint = 1;
    else if (h.neg && !h.pos && !h.dateline)
        hint = -1; /* "adEditor", "share-source": a credit line is kept */
    n->hint = (int8_t) hint;
    n->hint_known = true;
    return hint;
}

static void s_meta_setn(json_t *meta, const char *key, const char *value, size_t len)
{
    if (!value || !len || json_object_get(meta, key))
        return;
    char *clean = ww_utf8_sanitize(value, len, NULL);
    if (clean && *clean)
        json_object_set_new(meta, key, json_string(clean));
    free(clean);
}

static void s_meta_set(json_t *meta, const char *key, const char *value)
{
    if (value)
        s_meta_setn(meta, key, value, strlen(value));
}

static bool s_block(const ww_node_t *n);

/* Appends the text below n to out (at most max bytes in all), a line break
 * between blocks. */
static void s_text_into(const ww_node_t *n, ww_buf_t *out, size_t max)
{
    for (const ww_node_t *c = n->first; c && out->len < max; c = c->next) {
        if (c->type == WW_NODE_TEXT) {
            size_t room = max - out->len;
            ww_buf_add(out, c->text, c->text_len < room ? c->text_len : room);
        } else {
            bool block = s_block(c) || c->tag == WW_TAG_BR;
            if (block && out->len && out->data[out->len - 1] != '\n')
                ww_buf_addc(out, '\n');
            s_text_into(c, out, max);
            if (block && out->len && out->data[out->len - 1] != '\n')
                ww_buf_addc(out, '\n');
        }
    }
}

/* Text of a subtree, capped, valid UTF-8. Caller frees. */
static char *s_text(const ww_node_t *n, size_t max)
{
    ww_buf_t b;
    ww_buf_init(&b, max + 1);
    s_text_into(n, &b, max);
    char *s = ww_utf8_sanitize(b.data ? b.data : "", b.len, NULL);
    ww_buf_free(&b);
    return s;
}

static void s_jsonld(json_t *meta, json_t *j, int depth)
{
    if (depth > 4 || !j)
        return;
    if (json_is_array(j)) {
        size_t i;
        json_t *v;
        json_array_foreach(j, i, v) s_jsonld(meta, v, depth + 1);
        return;
    }
    if (!json_is_object(j))
        return;
    json_t *graph = json_object_get(j, "@graph");
    if (graph)
        s_jsonld(meta, graph, depth + 1);
    s_meta_set(meta, "ld_headline", json_string_value(json_object_get(j, "headline")));
    s_meta_set(meta, "ld_published", json_string_value(json_object_get(j, "datePublished")));
    json_t *author = json_object_get(j, "author");
    if (json_is_array(author))
        author = json_array_get(author, 0);
    if (json_is_object(author)) {
        /* an organisation as author is the outlet, not a person */
        const char *type = json_string_value(json_object_get(author, "@type"));
        if (type && strstr(type, "Organization"))
            s_meta_set(meta, "ld_publisher", json_string_value(json_object_get(author, "name")));
        else
            s_meta_set(meta, "ld_author", json_string_value(json_object_get(author, "name")));
    } else
        s_meta_set(meta, "ld_author", json_string_value(author));
    json_t *pub = json_object_get(j, "publisher");
    if (json_is_object(pub))
        s_meta_set(meta, "ld_publisher", json_string_value(json_object_get(pub, "name")));
}

/* Elements whose class or id names a date, source or byline line. */
static bool s_is_dateline(ww_node_t *n)
{
    if (s_junk(n) || s_is(n, WW_TAG_BODY) || s_is(n, WW_TAG_HTML))
        return false;
    s_class_hint(n);
    return n->dateline;
}

static void s_read_meta_tag(const ww_node_t *n, json_t *meta)
{
    size_t kl = 0, cl = 0;
    const char *key = ww_node_attr(n, "property", &kl);
    if (!key)
        key = ww_node_attr(n, "name", &kl);
    if (!key)
        key = ww_node_attr(n, "itemprop", &kl);
    const char *content = ww_node_attr(n, "content", &cl);
    if (!key || !content)
        return;
    while (kl && key[kl - 1] == ' ')
        kl--;
    static const struct {
        const char *from, *to;
    } map[] = {
        {"og:title", "og_title"},
        {"twitter:title", "og_title"},
        {"og:site_name", "site_name"},
        {"article:published_time", "published"},
        {"og:release_date", "published"},
        {"pubdate", "published"},
        {"publishdate", "published"},
        {"publish_date", "published"},
        {"datepublished", "published"},
        {"date", "published"},
        {"dc.date", "published"},
        {"dc.date.issued", "published"},
        {"sailthru.date", "published"},
        {"weibo:article:create_at", "published"},
        {"og:time", "published"},
        {"author", "author"},
        {"article:author", "author"},
        {"dc.creator", "author"},
        {"byline", "author"},
        {"description", "description"},
        {"og:description", "description"},
        {"og:image", "image"},
        {"og:url", "canonical"},
        {"source", "site_name"},
        {"mediaid", "site_name"},
        {"application-name", "site_name"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strlen(map[i].from) == kl && !strncasecmp(key, map[i].from, kl))
            s_meta_setn(meta, map[i].to, content, cl);
}

/* Reads metadata from the whole document (before any node is removed);
 * date and byline lines are read later, near the chosen block. */
static void s_read_meta(ww_node_t *n, json_t *meta)
{
    for (; n; n = n->next) {
        if (n->type != WW_NODE_ELEMENT)
            continue;
        switch (n->tag) {
        case WW_TAG_TITLE: {
            char *t = s_text(n, 2048);
            s_meta_set(meta, "html_title", t);
            free(t);
            continue;
        }
        case WW_TAG_H1: {
            char *t = s_text(n, 2048);
            s_meta_set(meta, "h1", t);
            free(t);
            break;
        }
        case WW_TAG_HTML: {
            size_t ll;
            const char *lang = ww_node_attr(n, "lang", &ll);
            s_meta_setn(meta, "lang", lang, lang ? ll : 0);
            break;
        }
        case WW_TAG_META:
            s_read_meta_tag(n, meta);
            continue;
        case WW_TAG_LINK: {
            size_t rl;
            const char *rel = ww_node_attr(n, "rel", &rl);
            if (rel && rl == 9 && !strncasecmp(rel, "canonical", 9)) {
                size_t hl;
                const char *href = ww_node_attr(n, "href", &hl);
                s_meta_setn(meta, "canonical", href, href ? hl : 0);
            }
            continue;
        }
        case WW_TAG_SCRIPT: {
            size_t tl;
            const char *type = ww_node_attr(n, "type", &tl);
            if (type && tl == 19 && !strncasecmp(type, "application/ld+json", 19)) {
                char *t = s_text(n, 256 * 1024);
                json_t *j = json_loads(t, 0, NULL);
                s_jsonld(meta, j, 0);
                json_decref(j);
                free(t);
            }
            continue;
        }
        default:
            if (n->tag == WW_TAG_STYLE || n->tag == WW_TAG_NOSCRIPT || n->tag == WW_TAG_IFRAME ||
                n->tag == WW_TAG_TEXTAREA || n->tag == WW_TAG_SVG)
                continue;
        }
        s_read_meta(n->first, meta);
    }
}

/* Footers and asides removed from the tree, kept for the credits they may
 * hold right after the text (<footer><p>责任编辑：郑伟</p></footer>). */
#define S_MAX_PRUNED 256
typedef struct {
    ww_node_t *items[S_MAX_PRUNED];
    size_t n;
} s_pruned_t;

/* ---------------------------------------------------------------------------
 * Date, source and byline lines near the article
 *
 * Pages mark them by class or id (date, time, source, info, author...) or
 * with <time>, but so do the headline lists around the article, each of
 * whose items carries its own time. Only lines before the chosen block and
 * after the headline, or at the top of the block, count; never ones inside
 * a list item or a link.
 */

#define S_MAX_DATELINES 48

typedef struct {
    ww_node_t *items[S_MAX_DATELINES];
    size_t n;
} s_datelines_t;

static void s_find_datelines(ww_node_t *n, s_datelines_t *c)
{
    for (; n && c->n < S_MAX_DATELINES; n = n->next) {
        if (n->type != WW_NODE_ELEMENT || n->tag == WW_TAG_LI || n->tag == WW_TAG_A)
            continue;
        if (n->tag == WW_TAG_TIME || s_is_dateline(n)) {
            c->items[c->n++] = n;
            continue; /* its children are part of the same line */
        }
        s_find_datelines(n->first, c);
    }
}

static uint32_t s_last_order(const ww_node_t *n)
{
    while (n->last)
        n = n->last;
    return n->order;
}

/* Appends a text piece to a line, a space between pieces from different
 * elements ("编辑：陈琳" and "责任编辑：刘亮" in two spans stay apart). */
static void s_add_piece(ww_buf_t *line, const char *text, size_t len)
{
    if (line->len && line->data[line->len - 1] != ' ' && len && text[0] != ' ')
        ww_buf_addc(line, ' ');
    ww_buf_add(line, text, len);
}

/* The node after n in document order, or NULL. */
static const ww_node_t *s_next_in_order(const ww_node_t *n)
{
    if (n->first)
        return n->first;
    while (n && !n->next)
        n = n->parent;
    return n ? n->next : NULL;
}

/* Appends the text after headline (not inside it) and before block, outside
 * links and list items, a line per block element, to out: at most 300 nodes
 * and 600 bytes, as such lines are short. */
static void s_text_between(const ww_node_t *headline, const ww_node_t *block, ww_buf_t *out)
{
    uint32_t after = s_last_order(headline);
    const ww_node_t *n = headline;
    ww_buf_t line;
    ww_buf_init(&line, 600);
    for (int steps = 0; (n = s_next_in_order(n)) && n->order < block->order && steps < 300; steps++) {
        if (n->order <= after)
            continue;
        if (n->type == WW_NODE_ELEMENT && (n->tag == WW_TAG_A || n->tag == WW_TAG_LI)) {
            after = s_last_order(n); /* skip its subtree */
            continue;
        }
        if (n->type == WW_NODE_ELEMENT && s_block(n) && line.len) {
            ww_buf_adds(out, line.data);
            ww_buf_addc(out, '\n');
            ww_buf_reset(&line);
        }
        if (n->type == WW_NODE_TEXT)
            s_add_piece(&line, n->text, n->text_len);
    }
    if (line.len) {
        ww_buf_adds(out, line.data);
        ww_buf_addc(out, '\n');
    }
    ww_buf_free(&line);
}

/* The short lines right after the block (editor and source credits that
 * sites put in their own element below the text) as meta "trailer", with
 * those of removed footers that stood right after it. */
static void s_read_trailer(const ww_node_t *block, const s_pruned_t *pruned, json_t *meta)
{
    uint32_t skip_to = s_last_order(block);
    const ww_node_t *n = block;
    ww_buf_t out, line;
    ww_buf_init(&out, 1200);
    ww_buf_init(&line, 400);
    for (int steps = 0; (n = s_next_in_order(n)) && steps < 60 && out.len < 800; steps++) {
        if (n->order <= skip_to)
            continue;
        if (n->type == WW_NODE_ELEMENT && (n->feed || n->tag == WW_TAG_A || s_junk(n))) {
            skip_to = s_last_order(n);
            continue;
        }
        if (n->type == WW_NODE_ELEMENT && s_block(n) && line.len) {
            ww_buf_adds(&out, line.data);
            ww_buf_addc(&out, '\n');
            ww_buf_reset(&line);
        }
        if (n->type == WW_NODE_TEXT)
            s_add_piece(&line, n->text, n->text_len);
    }
    if (line.len) {
        ww_buf_adds(&out, line.data);
        ww_buf_addc(&out, '\n');
    }
    uint32_t end = s_last_order(block);
    for (size_t i = 0; i < pruned->n; i++) {
        const ww_node_t *f = pruned->items[i];
        if (f->order > end && f->order <= end + 40 && f->chars > 0 && f->chars < 300 && f->link_chars * 2 < f->chars) {
            char *t = s_text(f, 400);
            if (t && *t) {
                ww_buf_adds(&out, t);
                ww_buf_addc(&out, '\n');
            }
            free(t);
        }
    }
    if (out.len)
        s_meta_set(meta, "trailer", out.data);
    ww_buf_free(&out);
    ww_buf_free(&line);
}

/* Adds the date lines near block (after headline, when it precedes block)
 * to meta as "dateline", and the first <time datetime> among them. */
static void s_read_datelines(ww_node_t *doc, const ww_node_t *block, const ww_node_t *headline, json_t *meta)
{
    s_datelines_t c = {.n = 0};
    s_find_datelines(doc->first, &c);
    uint32_t start = block ? block->order : 0, end = block ? s_last_order(block) : UINT32_MAX;
    uint32_t after = headline && headline->order < start ? headline->order : 0;
    ww_node_t *picked[6];
    size_t np = 0;
    /* the closest three before the block, then the first three inside it */
    for (size_t i = c.n; i-- > 0 && np < 3;)
        if (c.items[i]->order < start && c.items[i]->order > after && s_last_order(c.items[i]) < start)
            picked[np++] = c.items[i];
    for (size_t a = 0, b = np ? np - 1 : 0; np > 1 && a < b; a++, b--) {
        ww_node_t *t = picked[a];
        picked[a] = picked[b];
        picked[b] = t;
    }
    for (size_t i = 0, inside = 0; i < c.n && inside < 3; i++)
        if (c.items[i]->order > start && c.items[i]->order <= end) {
            picked[np++] = c.items[i];
            inside++;
        }
    ww_buf_t joined;
    ww_buf_init(&joined, 3000);
    /* the lines between the headline and the block, whatever their class:
     * 2023年05月16日08:21 | 来源：… sits in <div class="col-1-1 fl"> */
    if (headline && block && headline->order < start)
        s_text_between(headline, block, &joined);
    for (size_t i = 0; i < np; i++) {
        if (picked[i]->tag == WW_TAG_TIME) {
            size_t dl;
            const char *dt = ww_node_attr(picked[i], "datetime", &dl);
            s_meta_setn(meta, "time_element", dt, dt ? dl : 0);
        }
        char *t = s_text(picked[i], 600);
        if (t && *t && strlen(t) < 400) {
            if (joined.len)
                ww_buf_addc(&joined, '\n');
            ww_buf_adds(&joined, t);
        }
        free(t);
    }
    if (joined.len)
        s_meta_set(meta, "dateline", joined.data);
    ww_buf_free(&joined);
}

/* Removes junk elements and boilerplate-classed blocks. */
static void s_prune(ww_node_t *n, s_pruned_t *pruned)
{
    while (n) {
        ww_node_t *next = n->next;
        if (n->type == WW_NODE_ELEMENT) {
            if (s_junk(n) ||
                (n->tag != WW_TAG_BODY && n->tag != WW_TAG_HTML && n->tag != WW_TAG_P && s_class_hint(n) < 0)) {
                if ((n->tag == WW_TAG_FOOTER || n->tag == WW_TAG_ASIDE || n->tag == WW_TAG_DIV) &&
                    pruned->n < S_MAX_PRUNED)
                    pruned->items[pruned->n++] = n;
                ww_node_unlink(n);
            } else if (n->first)
                s_prune(n->first, pruned);
        }
        n = next;
    }
}

/* Counts characters, link characters and punctuation below each element. */
static void s_measure(ww_node_t *n, bool in_link, ww_node_t *acc)
{
    for (; n; n = n->next) {
        if (n->type == WW_NODE_TEXT) {
            const char *t = n->text;
            size_t len = n->text_len, i = 0, chars = 0, punct = 0;
            while (i < len) {
                unsigned char c = (unsigned char) t[i];
                if (c < 0x80) {
                    i++;
                    if (c > ' ')
                        chars++;
                    if (c == ',' || c == '.' || c == ';' || c == '!' || c == '?' || c == ':')
                        punct++;
                    continue;
                }
                uint32_t cp;
                i += ww_utf8_next(t + i, len - i, &cp);
                if (ww_is_space(cp))
                    continue;
                chars++;
                if (ww_is_cjk_punct(cp))
                    punct++;
            }
            acc->chars += (uint32_t) chars;
            acc->punct += (uint32_t) punct;
            if (in_link)
                acc->link_chars += (uint32_t) chars;
        } else if (n->type == WW_NODE_ELEMENT) {
            n->chars = n->link_chars = n->punct = 0;
            n->breaks = 0;
            s_measure(n->first, in_link || n->tag == WW_TAG_A, n);
            acc->chars += n->chars;
            acc->link_chars += n->link_chars;
            acc->punct += n->punct;
            if (n->tag == WW_TAG_BR && acc->breaks < UINT16_MAX)
                acc->breaks++;
            else if (!s_block(n) && acc->breaks < UINT16_MAX - n->breaks)
                acc->breaks = (uint16_t) (acc->breaks + n->breaks);
        }
    }
}

static bool s_has_block_child(const ww_node_t *n)
{
    for (const ww_node_t *c = n->first; c; c = c->next)
        if (s_block(c) && c->tag != WW_TAG_BR)
            return true;
    return false;
}

static double s_link_density(const ww_node_t *n)
{
    return n->chars ? (double) n->link_chars / (double) n->chars : 0;
}

static void s_init_candidate(ww_node_t *n)
{
    if (n->scored)
        return;
    n->scored = true;
    n->score = 0;
    switch (n->tag) {
    case WW_TAG_DIV:
    case WW_TAG_ARTICLE:
    case WW_TAG_SECTION:
    case WW_TAG_MAIN:
        n->score = 5;
        break;
    case WW_TAG_PRE:
    case WW_TAG_TD:
    case WW_TAG_BLOCKQUOTE:
        n->score = 3;
        break;
    case WW_TAG_OL:
    case WW_TAG_UL:
    case WW_TAG_DL:
    case WW_TAG_FORM:
    case WW_TAG_LI:
        n->score = -3;
        break;
    default:
        if (ww_tag_is_heading(n->tag))
            n->score = -5;
    }
    int hint = s_class_hint(n);
    n->score += hint == 2 ? 50 : hint * 25.0;
    if (n->tag == WW_TAG_ARTICLE)
        n->score += 10;
}

/* ---------------------------------------------------------------------------
 * Feeds: lists of items alike
 *
 * Comment threads, headline lists with summaries and notice lists repeat
 * one item shape: several elements, one of them short (a user name, a
 * time, a count, a headline link), no long text. A block of them can hold
 * more text than a short article beside it, so they neither score as
 * article text nor are collected with it. Article paragraphs do not look
 * like this: each stands alone, or in a wrapper with one child.
 */

/* Elements below n to depth 3, and whether one has short text (1..25). */
static void s_item_shape(const ww_node_t *n, int depth, size_t *elements, bool *short_one)
{
    for (const ww_node_t *c = n->first; c && *elements < 64; c = c->next) {
        if (c->type != WW_NODE_ELEMENT || c->tag == WW_TAG_BR)
            continue;
        (*elements)++;
        if (c->chars >= 1 && c->chars <= 25)
            *short_one = true;
        if (depth < 3)
            s_item_shape(c, depth + 1, elements, short_one);
    }
}

static bool s_item_like(const ww_node_t *n)
{
    if (n->type != WW_NODE_ELEMENT || n->chars == 0 || n->chars > 400)
        return false;
    size_t elements = 0;
    bool short_one = false;
    s_item_shape(n, 1, &elements, &short_one);
    return elements >= 2 && short_one;
}

static bool s_same_shape(const ww_node_t *a, const ww_node_t *b)
{
    if (a->tag != b->tag ||
        (a->tag == WW_TAG_OTHER && (a->name_len != b->name_len || strncasecmp(a->name, b->name, a->name_len))))
        return false;
    size_t la = 0, lb = 0;
    const char *ca = ww_node_attr(a, "class", &la), *cb = ww_node_attr(b, "class", &lb);
    if (!ca || !cb)
        return !ca && !cb;
    return la == lb && !memcmp(ca, cb, la);
}

/* Marks every feed in the tree. */
static void s_mark_feeds(ww_node_t *n)
{
    for (; n; n = n->next) {
        if (n->type != WW_NODE_ELEMENT)
            continue;
        /* rows of a data table are not items; rows that each lead with a
         * link (a notice list laid out as a table) are */
        bool rows = n->tag == WW_TAG_TABLE || n->tag == WW_TAG_TBODY || n->tag == WW_TAG_THEAD;
        const ww_node_t *items[200];
        size_t count = 0, children = 0;
        for (ww_node_t *c = n->first; c; c = c->next)
            if (c->type == WW_NODE_ELEMENT && c->tag != WW_TAG_BR) {
                children++;
                if (count < 200 && s_item_like(c) && (!rows || c->link_chars > 0))
                    items[count++] = c;
            }
        if (count >= 3) {
            /* the most common shape among the items; three are enough when
             * each leads somewhere (a box of related links) */
            size_t best = 0, linked = 0;
            for (size_t i = 0; i < count && i < 8; i++) {
                size_t same = 0;
                for (size_t k = 0; k < count; k++)
                    same += s_same_shape(items[i], items[k]);
                if (same > best)
                    best = same;
            }
            for (size_t k = 0; k < count; k++)
                linked += items[k]->link_chars > 0;
            size_t need = linked == count ? 3 : 4;
            n->feed = best >= need && best * 10 >= children * 6;
        }
        s_mark_feeds(n->first);
    }
}

/* Gives each paragraph-like block's score to its parent and grandparent. */
static void s_score(ww_node_t *n, bool in_list, bool in_feed)
{
    for (; n; n = n->next) {
        if (n->type != WW_NODE_ELEMENT)
            continue;
        bool paragraph = n->tag == WW_TAG_P || n->tag == WW_TAG_PRE || n->tag == WW_TAG_TD ||
                         n->tag == WW_TAG_BLOCKQUOTE ||
                         ((n->tag == WW_TAG_DIV || n->tag == WW_TAG_SECTION) && !s_has_block_child(n));
        if (paragraph && n->chars >= 20 && n->parent && n->parent->type == WW_NODE_ELEMENT) {
            /* Chinese text has no word gaps: a character counts as much as a
             * fifth of a Latin word would, so 100 characters score one point.
             * Lines split by <br> in one block count as the paragraphs they
             * are (old pages write whole articles that way). */
            double chunks = 1.0 + fmin((double) (n->breaks / 2), (double) n->chars / 40.0);
            double contrib = chunks + (double) n->punct + fmin((double) n->chars / 100.0, 3.0 * chunks);
            contrib *= 1.0 - s_link_density(n);
            if (in_feed)
                contrib *= 0.1; /* a comment or a headline summary */
            else if (in_list)
                contrib *= 0.5;
            ww_node_t *levels[3] = {n->parent, n->parent->parent, NULL};
            if (levels[1] && levels[1]->type == WW_NODE_ELEMENT)
                levels[2] = levels[1]->parent;
            double divide[3] = {1, 2, 3};
            for (int l = 0; l < 3; l++) {
                ww_node_t *a = levels[l];
                if (!a || a->type != WW_NODE_ELEMENT)
                    continue;
                s_init_candidate(a);
                a->score += contrib / divide[l];
            }
        }
        s_score(n->first, in_list || n->tag == WW_TAG_LI, in_feed || n->feed);
    }
}

static void s_best(ww_node_t *n, ww_node_t **best, double *best_score)
{
    for (; n; n = n->next) {
        if (n->type != WW_NODE_ELEMENT)
            continue;
        if (n->scored) {
            double s = n->score * (1.0 - s_link_density(n)) * (n->feed ? 0.2 : 1.0);
            if (s > *best_score) {
                *best_score = s;
                *best = n;
            }
        }
        s_best(n->first, best, best_score);
    }
}

/* The first h1 left after pruning. */
static ww_node_t *s_first_h1(ww_node_t *n)
{
    for (; n; n = n->next) {
        if (n->type != WW_NODE_ELEMENT)
            continue;
        if (n->tag == WW_TAG_H1)
            return n;
        ww_node_t *f = s_first_h1(n->first);
        if (f)
            return f;
    }
    return NULL;
}

/* Without an h1: the first element whose whole text is the headline that
 * og:title or <title> gives (old pages set it in <font size=5><b>). */
static ww_node_t *s_find_headline_in(ww_node_t *n, const char *want, size_t wl)
{
    for (; n; n = n->next) {
        if (n->type != WW_NODE_ELEMENT)
            continue;
        if (n->chars > 0 && n->chars <= 100 && n->link_chars == 0) {
            char *t = s_text(n, 400);
            char *trimmed = t;
            while (trimmed && (*trimmed == ' ' || *trimmed == '\n'))
                trimmed++;
            bool hit = trimmed && !strncmp(trimmed, want, wl) && strlen(trimmed) < wl + 8;
            free(t);
            if (hit) {
                /* the innermost element that holds it */
                ww_node_t *inner = s_find_headline_in(n->first, want, wl);
                return inner ? inner : n;
            }
        }
        ww_node_t *f = s_find_headline_in(n->first, want, wl);
        if (f)
            return f;
    }
    return NULL;
}

static ww_node_t *s_find_headline(ww_node_t *doc, const char *og_title, const char *html_title)
{
    const char *src = og_title ? og_title : html_title;
    if (!src)
        return NULL;
    /* the headline part: up to the first site separator */
    size_t wl = strlen(src);
    static const char *const seps[] = {"_", " - ", " | ", "--", "｜"};
    for (size_t i = 0; i < sizeof seps / sizeof *seps; i++) {
        const char *f = strstr(src, seps[i]);
        if (f && (size_t) (f - src) >= 6 && (size_t) (f - src) < wl)
            wl = (size_t) (f - src);
    }
    if (wl < 6)
        return NULL;
    return s_find_headline_in(doc, src, wl);
}

/* Finds an element marked as the article body by structure. */
static ww_node_t *s_marked_body(ww_node_t *n)
{
    for (; n; n = n->next) {
        if (n->type != WW_NODE_ELEMENT)
            continue;
        if (s_class_hint(n) == 2)
            return n;
        ww_node_t *f = s_marked_body(n->first);
        if (f)
            return f;
    }
    return NULL;
}

/* ---------------------------------------------------------------------------
 * Collecting paragraphs and images from the chosen block
 */

typedef struct {
    ww_paras_t *paras;
    json_t *images;
    json_t *links; /* anchors met in the block */
    const char *base_url;
    const ww_node_t *root; /* the block being collected (collected even if a feed) */
    ww_buf_t text;         /* the paragraph being built */
    size_t link_bytes;     /* bytes of text inside links in it */
    bool list_item;
    bool heading;
} s_collect_t;

static void s_flush(s_collect_t *c)
{
    if (c->text.len) {
        double ld = (double) c->link_bytes / (double) c->text.len;
        ww_paras_add(c->paras, c->text.data, c->list_item, c->heading, ld);
    }
    ww_buf_reset(&c->text);
    c->link_bytes = 0;
    c->list_item = false;
    c->heading = false;
}

static char *s_absolute(const char *base, const char *href)
{
    if (!href)
        return NULL;
    if (base && *base) {
        xmlChar *abs = xmlBuildURI((const xmlChar *) href, (const xmlChar *) base);
        if (abs) {
            char *s = strdup((const char *) abs);
            xmlFree(abs);
            return s;
        }
    }
    if (!strncmp(href, "//", 2)) {
        size_t n = strlen(href) + 8;
        char *s = malloc(n);
        snprintf(s, n, "https:%s", href);
        return s;
    }
    return strdup(href);
}

static bool s_caption_class(const ww_node_t *n)
{
    size_t len;
    const char *cls = ww_node_attr(n, "class", &len);
    if (!cls)
        return false;
    return memmem(cls, len, "desc", 4) || memmem(cls, len, "caption", 7);
}

/* A caption near an image: figcaption, or a sibling whose class says so. */
static char *s_caption_for(const ww_node_t *img)
{
    const ww_node_t *scope = img->parent;
    if (scope && scope->type == WW_NODE_ELEMENT) {
        for (const ww_node_t *c = scope->first; c; c = c->next) {
            if (c == img || c->type != WW_NODE_ELEMENT)
                continue;
            if (c->tag == WW_TAG_FIGCAPTION || s_caption_class(c)) {
                char *t = s_text(c, 1024);
                if (t && *t)
                    return t;
                free(t);
            }
        }
    }
    char *alt = ww_node_attr_dup(img, "alt");
    if (alt && *alt)
        return alt;
    free(alt);
    return NULL;
}

static void s_collect(s_collect_t *c, const ww_node_t *n, bool in_link)
{
    for (; n; n = n->next) {
        if (n->type == WW_NODE_TEXT) {
            size_t before = c->text.len;
            ww_buf_add(&c->text, n->text, n->text_len);
            if (in_link)
                c->link_bytes += c->text.len - before;
            continue;
        }
        if (n->type != WW_NODE_ELEMENT)
            continue;
        if (n->tag == WW_TAG_BR) {
            s_flush(c);
            continue;
        }
        if (n->tag == WW_TAG_IMG) {
            char *src = ww_node_attr_dup(n, "src");
            if (!src || !*src || !strncmp(src, "data:", 5)) {
                free(src);
                src = ww_node_attr_dup(n, "data-src");
            }
            if (src && *src && strncmp(src, "data:", 5) != 0 && json_array_size(c->images) < 100) {
                char *abs = s_absolute(c->base_url, src);
                char *cap = s_caption_for(n);
                json_array_append_new(c->images,
                                      json_pack("{s:s, s:s}", "src", abs ? abs : src, "caption", cap ? cap : ""));
                free(abs);
                free(cap);
            }
            free(src);
            continue;
        }
        if (n->feed && n != c->root)
            continue; /* a comment thread or headline list inside the block */
        if (n->tag == WW_TAG_A && json_array_size(c->links) < 100) {
            char *href = ww_node_attr_dup(n, "href");
            if (href && *href && strncasecmp(href, "javascript:", 11) && href[0] != '#') {
                char *abs = s_absolute(c->base_url, href);
                char *text = s_text(n, 300);
                json_array_append_new(c->links,
                                      json_pack("{s:s, s:s}", "href", abs ? abs : href, "text", text ? text : ""));
                free(abs);
                free(text);
            }
            free(href);
        }
        bool block = s_block(n);
        if (block)
            s_flush(c);
        /* captions are kept with their image, not as text */
        size_t cl;
        const char *cls = ww_node_attr(n, "class", &cl);
        bool caption =
            n->tag == WW_TAG_FIGCAPTION || (cls && (memmem(cls, cl, "img_descr", 9) || memmem(cls, cl, "caption", 7)));
        if (!caption) {
            if (n->tag == WW_TAG_LI)
                c->list_item = true;
            if (ww_tag_is_heading(n->tag))
                c->heading = true;
            bool li = c->list_item, h = c->heading;
            s_collect(c, n->first, in_link || n->tag == WW_TAG_A);
            if (block) {
                c->list_item = li;
                c->heading = h;
                s_flush(c);
            }
        }
    }
}

int ww_looks_like_html(const char *text, size_t len)
{
    static const char *tags[] = {"<p",      "<div",   "<br",   "<html",  "<body",    "<span",     "<article", "<h1",
                                 "<h2",     "<h3",    "<img",  "<table", "<section", "<!doctype", "<font",    "<a ",
                                 "<script", "<style", "<!--",  "<meta",  "<link",    "<ul",       "<ol",      "<li",
                                 "<strong", "<em",    "<head", "<title", "<figure",  "<main",     "<header",  "<nav"};
    size_t window = len < 65536 ? len : 65536;
    int hits = 0;
    for (const char *p = text, *end = text + window; (p = memchr(p, '<', (size_t) (end - p))) && p + 2 < end; p++) {
        size_t left = (size_t) (end - p);
        for (size_t k = 0; k < sizeof tags / sizeof tags[0]; k++) {
            size_t tl = strlen(tags[k]);
            if (tl <= left && !strncasecmp(p, tags[k], tl)) {
                char after = tl < left ? p[tl] : 0;
                if ((tl == 3 && tags[k][2] == ' ') || !strcmp(tags[k], "<!--"))
                    hits++;
                else if (after == '>' || after == ' ' || after == '/' || after == '\n' || after == '\t')
                    hits++;
            }
        }
        if (hits >= 2)
            return 1;
    }
    return hits >= 1 && len < 200;
}

int ww_html_extract(const char *html, size_t len, const char *base_url, size_t max_text, ww_html_result_t *out,
                    char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->meta = json_object();
    out->images = json_array();
    out->links = json_array();
    ww_paras_init(&out->paras, max_text);
    ww_dom_t *dom = ww_dom_parse(html, len, S_MAX_NODES, err, errlen);
    if (!dom)
        return -1;
    out->truncated = ww_dom_truncated(dom);
    ww_node_t *doc = ww_dom_document(dom);
    if (!doc->first) {
        ww_dom_free(&dom);
        return 0; /* empty document: no body */
    }
    s_read_meta(doc->first, out->meta);
    s_pruned_t pruned = {.n = 0};
    s_prune(doc->first, &pruned);
    s_measure(doc->first, false, doc);
    for (size_t i = 0; i < pruned.n; i++) {
        ww_node_t *f = pruned.items[i];
        f->chars = f->link_chars = f->punct = 0;
        s_measure(f->first, false, f);
    }
    s_mark_feeds(doc->first);
    s_score(doc->first, false, false);

    ww_node_t *chosen = s_marked_body(doc->first);
    if (chosen && chosen->chars * 4 < doc->chars)
        chosen = NULL; /* a marker around a fragment only: trust the scores */
    if (!chosen) {
        double best_score = -1e9;
        s_best(doc->first, &chosen, &best_score);
    }
    ww_node_t *headline = s_first_h1(doc->first);
    if (!headline)
        headline = s_find_headline(doc->first, json_string_value(json_object_get(out->meta, "og_title")),
                                   json_string_value(json_object_get(out->meta, "html_title")));
    s_read_datelines(doc, chosen, headline, out->meta);
    if (chosen)
        s_read_trailer(chosen, &pruned, out->meta);
    s_collect_t c = {&out->paras, out->images, out->links, base_url, chosen, {0}, 0, false, false};
    ww_buf_init(&c.text, max_text);
    if (chosen) {
        /* Siblings that score close to the winner belong to the same article
         * (pages that split the text over several blocks). */
        ww_node_t *parent = chosen->parent;
        double threshold = fmax(10.0, chosen->score * 0.2);
        if (parent && parent->type == WW_NODE_ELEMENT) {
            for (ww_node_t *s = parent->first; s; s = s->next) {
                bool take = s == chosen;
                if (!take && s->type == WW_NODE_ELEMENT) {
                    if (s->scored && s->score * (1.0 - s_link_density(s)) >= threshold)
                        take = true;
                    else if (s->tag == WW_TAG_P && s->chars >= 40 && s_link_density(s) < 0.25)
                        take = true;
                }
                if (take) {
                    ww_node_t *saved = s->next;
                    s->next = NULL;
                    s_collect(&c, s, false);
                    s->next = saved;
                    s_flush(&c);
                }
            }
        } else {
            ww_node_t *saved = chosen->next;
            chosen->next = NULL;
            s_collect(&c, chosen, false);
            chosen->next = saved;
        }
    } else {
        s_collect(&c, doc->first, false);
    }
    s_flush(&c);
    ww_buf_free(&c.text);
    ww_dom_free(&dom);
    return 0;
}

void ww_html_result_free(ww_html_result_t *r)
{
    json_decref(r->meta);
    json_decref(r->images);
    json_decref(r->links);
    ww_paras_free(&r->paras);
    memset(r, 0, sizeof *r);
}
