/* ww_dom: a small, fast HTML parser for article extraction. It tokenises
 * the way HTML5 does (raw-text elements, comments, character references,
 * unquoted and valueless attributes) and builds a tree with the rules that
 * matter for real pages (implied ends of p, li, dt/dd, tr, td/th and option,
 * end tags that close what they enclose, end tags that match nothing
 * ignored), not the whole HTML5 tree construction algorithm. Text and
 * attribute values point into the input unless a character reference had to
 * be decoded, so the input must outlive the tree.
 *
 * Bounded whatever the input: at most WW_DOM_MAX_DEPTH open elements (deeper
 * start tags become leaves), at most max_nodes nodes (parsing stops there and
 * says so), all memory in one arena freed with the tree.
 *
 * libxml2 serves the named character references (its HTML 4 table).
 *
 * Ownership: the tree and everything it points to belong to the ww_dom_t. */
#ifndef WW_DOM_H
#define WW_DOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WW_DOM_MAX_DEPTH 256

/* Known tags; everything else is WW_TAG_OTHER (its name is kept). */
// clang-format off
#define WW_DOM_TAGS(X) \
    X(A, "a") X(ABBR, "abbr") X(ADDRESS, "address") X(APPLET, "applet") X(AREA, "area") X(ARTICLE, "article") \
    X(ASIDE, "aside") X(AUDIO, "audio") X(B, "b") X(BASE, "base") X(BASEFONT, "basefont") X(BGSOUND, "bgsound") \
    X(BIG, "big") X(BLOCKQUOTE, "blockquote") X(BODY, "body") X(BR, "br") X(BUTTON, "button") X(CANVAS, "canvas") \
    X(CAPTION, "caption") X(CENTER, "center") X(CITE, "cite") X(CODE, "code") X(COL, "col") X(COLGROUP, "colgroup") \
    X(DD, "dd") X(DEL, "del") X(DETAILS, "details") X(DIALOG, "dialog") X(DIR, "dir") X(DIV, "div") \
    X(DL, "dl") X(DT, "dt") X(EM, "em") X(EMBED, "embed") X(FIELDSET, "fieldset") X(FIGCAPTION, "figcaption") \
    X(FIGURE, "figure") X(FONT, "font") X(FOOTER, "footer") X(FORM, "form") X(FRAME, "frame") X(FRAMESET, "frameset") \
    X(H1, "h1") X(H2, "h2") X(H3, "h3") X(H4, "h4") X(H5, "h5") X(H6, "h6") \
    X(HEAD, "head") X(HEADER, "header") X(HGROUP, "hgroup") X(HR, "hr") X(HTML, "html") X(I, "i") \
    X(IFRAME, "iframe") X(IMG, "img") X(IMAGE, "image") X(INPUT, "input") X(INS, "ins") X(KEYGEN, "keygen") \
    X(LABEL, "label") X(LEGEND, "legend") X(LI, "li") X(LINK, "link") X(LISTING, "listing") X(MAIN, "main") \
    X(MAP, "map") X(MARK, "mark") X(MARQUEE, "marquee") X(MATH, "math") X(MENU, "menu") X(META, "meta") \
    X(NAV, "nav") X(NOBR, "nobr") X(NOEMBED, "noembed") X(NOFRAMES, "noframes") X(NOSCRIPT, "noscript") X(OBJECT, "object") \
    X(OL, "ol") X(OPTGROUP, "optgroup") X(OPTION, "option") X(P, "p") X(PARAM, "param") X(PICTURE, "picture") \
    X(PLAINTEXT, "plaintext") X(PRE, "pre") X(Q, "q") X(S, "s") X(SCRIPT, "script") X(SECTION, "section") \
    X(SELECT, "select") X(SMALL, "small") X(SOURCE, "source") X(SPAN, "span") X(STRIKE, "strike") X(STRONG, "strong") \
    X(STYLE, "style") X(SUB, "sub") X(SUMMARY, "summary") X(SUP, "sup") X(SVG, "svg") X(TABLE, "table") \
    X(TBODY, "tbody") X(TD, "td") X(TEMPLATE, "template") X(TEXTAREA, "textarea") X(TFOOT, "tfoot") X(TH, "th") \
    X(THEAD, "thead") X(TIME, "time") X(TITLE, "title") X(TR, "tr") X(TRACK, "track") X(TT, "tt") \
    X(U, "u") X(UL, "ul") X(VIDEO, "video") X(WBR, "wbr") X(XMP, "xmp")
// clang-format on

#define WW_TAG_ENUM(id, name) WW_TAG_##id,
typedef enum { WW_TAG_OTHER = 0, WW_DOM_TAGS(WW_TAG_ENUM) WW_TAG_COUNT } ww_tag_t;
#undef WW_TAG_ENUM

enum { WW_NODE_DOCUMENT = 0, WW_NODE_ELEMENT = 1, WW_NODE_TEXT = 2 };

typedef struct {
    const char *name; /* as written (compare without case) */
    const char *value;
    uint32_t name_len, value_len;
} ww_attr_t;

/* Invariants: children form a doubly linked list first..last whose parent
 * is this node; depth is the parent's + 1 and never above
 * WW_DOM_MAX_DEPTH + 1. The fields after "extractor scratch" belong to the
 * caller and start zeroed. */
typedef struct ww_node_t ww_node_t;
struct ww_node_t {
    ww_node_t *parent, *first, *last, *prev, *next;
    const char *name; /* element name as written; NULL for text */
    const char *text; /* text node: its text (not NUL-terminated) */
    ww_attr_t *attrs;
    uint32_t text_len;
    uint16_t name_len, nattrs;
    uint32_t order; /* creation order, which is document order */
    uint16_t tag;   /* ww_tag_t */
    uint16_t depth; /* document 0 */
    uint8_t type;   /* WW_NODE_* */
    /* extractor scratch */
    bool scored;
    bool hint_known;
    int8_t hint;
    bool dateline;   /* class or id names a date, source or byline line (with hint) */
    bool feed;       /* a list of items alike: comments, headlines with summaries */
    uint16_t breaks; /* <br> elements below, outside nested blocks */
    uint32_t chars, link_chars, punct;
    double score;
};

typedef struct ww_dom_t ww_dom_t;

/* Parses len bytes of UTF-8 HTML. max_nodes caps the tree (0: 1,000,000).
 * Returns NULL only when memory runs out, with the reason in err. */
ww_dom_t *ww_dom_parse(const char *html, size_t len, size_t max_nodes, char *err, size_t errlen);
void ww_dom_free(ww_dom_t **self_p);

ww_node_t *ww_dom_document(ww_dom_t *self);
size_t ww_dom_node_count(const ww_dom_t *self);
/* True if parsing stopped at max_nodes. */
bool ww_dom_truncated(const ww_dom_t *self);

/* The value of attribute name (ASCII, any case) or NULL; *len its length. */
const char *ww_node_attr(const ww_node_t *n, const char *name, size_t *len);
/* The same as a NUL-terminated copy the caller frees, or NULL. */
char *ww_node_attr_dup(const ww_node_t *n, const char *name);

/* Detaches n (and its subtree) from its parent; the memory stays in the
 * arena until the tree is freed. */
void ww_node_unlink(ww_node_t *n);

/* The name of a known tag ("" for WW_TAG_OTHER). */
const char *ww_tag_name(ww_tag_t tag);

static inline bool ww_tag_is_heading(int tag)
{
    return tag >= WW_TAG_H1 && tag <= WW_TAG_H6;
}

#endif
