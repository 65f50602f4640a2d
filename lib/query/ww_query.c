/* ww_query: recursive-descent parser of the query language. */
#include "ww_query.h"
#include "ww_units.h"
#include "ww_config.h"
#include "ww_utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *s; /* the query text */
    size_t pos;    /* byte offset being read */
    size_t len;
    ww_fold_t *fold;
    ww_query_t *q;
    time_t now;
    char *err;
    size_t errlen;
    int depth;
    bool failed;
} s_parser_t;

static void s_fail(s_parser_t *p, const char *what)
{
    if (p->failed)
        return;
    p->failed = true;
    /* positions are counted in characters, as people see them, from 1 */
    size_t chars = 0;
    for (size_t i = 0; i < p->pos && i < p->len; i++)
        chars += ((unsigned char) p->s[i] & 0xC0) != 0x80;
    snprintf(p->err, p->errlen, "position %zu: %s", chars + 1, what);
}

static ww_qnode_t *s_node(ww_qtype_t type)
{
    ww_qnode_t *n = calloc(1, sizeof *n);
    if (n)
        n->type = type;
    return n;
}

static void s_free(ww_qnode_t *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nkids; i++)
        s_free(n->kids[i]);
    free(n->kids);
    free(n->text);
    free(n->units);
    free(n);
}

static void s_add_kid(ww_qnode_t *parent, ww_qnode_t *kid)
{
    ww_qnode_t **k = realloc(parent->kids, (parent->nkids + 1) * sizeof *k);
    if (!k) {
        s_free(kid);
        return;
    }
    parent->kids = k;
    parent->kids[parent->nkids++] = kid;
}

/* Full-width and typographic forms of the syntax characters. */
static size_t s_sym(const char *s, char *which)
{
    static const struct {
        const char *utf8;
        char sym;
    } syms[] = {
        {"\xEF\xBC\x88", '('}, {"\xEF\xBC\x89", ')'}, {"\xE2\x80\x9C", '"'}, {"\xE2\x80\x9D", '"'},
        {"\xE3\x80\x8C", '"'}, {"\xE3\x80\x8D", '"'}, {"\xEF\xBC\x82", '"'}, {"\xEF\xBC\x9A", ':'},
        {"\xEF\xBC\x8D", '-'}, {"\xE3\x80\x80", ' '},
    };
    if (*s == '(' || *s == ')' || *s == '"' || *s == ':' || *s == '-' || isspace((unsigned char) *s)) {
        *which = isspace((unsigned char) *s) ? ' ' : *s;
        return 1;
    }
    for (size_t i = 0; i < sizeof syms / sizeof syms[0]; i++) {
        size_t n = strlen(syms[i].utf8);
        if (!strncmp(s, syms[i].utf8, n)) {
            *which = syms[i].sym;
            return n;
        }
    }
    *which = 0;
    return 0;
}

static void s_skip_space(s_parser_t *p)
{
    char w;
    size_t n;
    while (p->pos < p->len && (n = s_sym(p->s + p->pos, &w)) && w == ' ')
        p->pos += n;
}

static bool s_at(s_parser_t *p, char sym)
{
    char w;
    return p->pos < p->len && s_sym(p->s + p->pos, &w) && w == sym;
}

static void s_eat(s_parser_t *p)
{
    char w;
    size_t n = s_sym(p->s + p->pos, &w);
    p->pos += n ? n : 1;
}

/* Reads a bare word up to space, parenthesis or quote; returns a copy. */
static char *s_word(s_parser_t *p)
{
    size_t start = p->pos;
    while (p->pos < p->len) {
        char w;
        if (s_sym(p->s + p->pos, &w) && (w == ' ' || w == '(' || w == ')' || w == '"'))
            break;
        p->pos++;
    }
    return strndup(p->s + start, p->pos - start);
}

static ww_qnode_t *s_term(s_parser_t *p, const char *raw, bool phrase, ww_field_t field)
{
    char *folded = ww_fold_text(p->fold, raw);
    bool has_unit = false;
    for (const char *c = folded; c && *c;) {
        uint32_t cp;
        c += ww_utf8_decode(c, strlen(c), &cp);
        if (ww_is_cjk(cp) || ww_is_word_char(cp))
            has_unit = true;
    }
    if (!has_unit) {
        free(folded);
        s_fail(p, phrase ? "the phrase has no letters, digits or CJK characters" : "expected a word");
        return NULL;
    }
    if (++p->q->terms > WW_QUERY_MAX_TERMS) {
        free(folded);
        s_fail(p, "too many terms (at most 64)");
        return NULL;
    }
    ww_qnode_t *n = s_node(WW_Q_TERM);
    n->text = folded;
    n->phrase = phrase;
    n->field = field;
    n->units = ww_units(folded, strlen(folded), &n->nunits);
    if (n->units && n->nunits) /* ww_units leaves room to grow: give it back */
        n->units = realloc(n->units, n->nunits * sizeof *n->units);
    return n;
}

static ww_qnode_t *s_or(s_parser_t *p, ww_field_t field);

/* since:/until: values: an ISO date or a span back from now. */
static int s_filter_time(const char *v, time_t now, time_t *out)
{
    int64_t ms = ww_parse_duration_ms(v);
    if (ms >= 0 && !isdigit((unsigned char) v[strlen(v) - 1])) {
        *out = now - (time_t) (ms / 1000);
        return 0;
    }
    int y, m, d;
    char tail;
    int n = sscanf(v, "%4d-%2d-%2d%c", &y, &m, &d, &tail);
    if (n == 3 && y >= 1970 && m >= 1 && m <= 12 && d >= 1 && d <= 31) {
        struct tm tm = {0};
        tm.tm_year = y - 1900;
        tm.tm_mon = m - 1;
        tm.tm_mday = d;
        *out = timegm(&tm);
        return 0;
    }
    return -1;
}

static bool s_keyword(s_parser_t *p, const char *kw)
{
    size_t n = strlen(kw);
    if (p->len - p->pos < n || strncmp(p->s + p->pos, kw, n) != 0)
        return false;
    char w;
    const char *after = p->s + p->pos + n;
    return *after == 0 || (s_sym(after, &w) && (w == ' ' || w == '(' || w == '"'));
}

static ww_qnode_t *s_primary(s_parser_t *p, ww_field_t field)
{
    s_skip_space(p);
    if (p->pos >= p->len) {
        s_fail(p, "expected a word, a \"phrase\" or '('");
        return NULL;
    }
    if (s_at(p, '(')) {
        if (++p->depth > WW_QUERY_MAX_DEPTH) {
            s_fail(p, "parentheses nest too deep (at most 16)");
            return NULL;
        }
        s_eat(p);
        ww_qnode_t *inner = s_or(p, field);
        s_skip_space(p);
        if (!inner)
            return NULL;
        if (!s_at(p, ')')) {
            s_free(inner);
            s_fail(p, "expected ')'");
            return NULL;
        }
        s_eat(p);
        p->depth--;
        return inner;
    }
    if (s_at(p, ')')) {
        s_fail(p, "unexpected ')'");
        return NULL;
    }
    if (s_at(p, '"')) {
        s_eat(p);
        size_t start = p->pos;
        while (p->pos < p->len && !s_at(p, '"'))
            p->pos++;
        if (p->pos >= p->len) {
            p->pos = start;
            s_fail(p, "expected a closing '\"'");
            return NULL;
        }
        char *raw = strndup(p->s + start, p->pos - start);
        s_eat(p);
        ww_qnode_t *n = s_term(p, raw, true, field);
        free(raw);
        return n;
    }
    size_t word_at = p->pos;
    char *word = s_word(p);
    /* field: prefixes and filters */
    char *colon = NULL;
    for (char *c = word; *c; c++)
        if (*c == ':' || !strncmp(c, "\xEF\xBC\x9A", 3)) {
            colon = c;
            break;
        }
    if (colon && colon != word) {
        size_t clen = *colon == ':' ? 1 : 3;
        char *name = strndup(word, (size_t) (colon - word));
        const char *value = colon + clen;
        static const struct {
            const char *name;
            ww_field_t field;
        } fields[] = {{"title", WW_F_TITLE}, {"body", WW_F_BODY}, {"source", WW_F_SOURCE}, {"author", WW_F_AUTHOR}};
        for (size_t i = 0; i < 4; i++) {
            if (strcasecmp(name, fields[i].name) != 0)
                continue;
            free(name);
            if (*value) {
                ww_qnode_t *n = s_term(p, value, false, fields[i].field);
                free(word);
                return n;
            }
            /* title:"..." or title:(...) */
            free(word);
            if (!s_at(p, '"') && !s_at(p, '(')) {
                s_fail(p, "expected a word, a \"phrase\" or '(' after the field name");
                return NULL;
            }
            return s_primary(p, fields[i].field);
        }
        if (!strcasecmp(name, "since") || !strcasecmp(name, "until")) {
            time_t t;
            if (s_filter_time(value, p->now, &t) < 0) {
                p->pos = word_at;
                s_fail(p, "expected a date (2022-05-01) or a span (7d, 12h) after since:/until:");
                free(name);
                free(word);
                return NULL;
            }
            if (!strcasecmp(name, "since"))
                p->q->since = t;
            else
                p->q->until = t + (strchr(value, '-') ? 86400 : 0);
            free(name);
            free(word);
            return s_node(WW_Q_AND); /* empty AND: true */
        }
        free(name);
    }
    ww_qnode_t *n = s_term(p, word, false, field);
    if (!n)
        p->pos = word_at;
    free(word);
    return n;
}

static ww_qnode_t *s_unary(s_parser_t *p, ww_field_t field)
{
    s_skip_space(p);
    bool negate = false;
    if (s_keyword(p, "NOT")) {
        p->pos += 3;
        negate = true;
    } else if (s_at(p, '-')) {
        s_eat(p);
        negate = true;
    }
    if (negate) {
        ww_qnode_t *operand = s_unary(p, field);
        if (!operand)
            return NULL;
        ww_qnode_t *n = s_node(WW_Q_NOT);
        s_add_kid(n, operand);
        return n;
    }
    return s_primary(p, field);
}

static ww_qnode_t *s_and(s_parser_t *p, ww_field_t field)
{
    ww_qnode_t *first = s_unary(p, field);
    if (!first)
        return NULL;
    ww_qnode_t *and = NULL;
    for (;;) {
        s_skip_space(p);
        if (p->pos >= p->len || s_at(p, ')') || s_keyword(p, "OR"))
            break;
        if (s_keyword(p, "AND")) {
            p->pos += 3;
            s_skip_space(p);
        }
        ww_qnode_t *next = s_unary(p, field);
        if (!next) {
            s_free(and? and : first); /* once in the AND, first is its kid */
            return NULL;
        }
        if (!and) {
            and = s_node(WW_Q_AND);
            s_add_kid(and, first);
        }
        s_add_kid(and, next);
    }
    return and? and : first;
}

static ww_qnode_t *s_or(s_parser_t *p, ww_field_t field)
{
    ww_qnode_t *first = s_and(p, field);
    if (!first)
        return NULL;
    ww_qnode_t * or = NULL;
    for (;;) {
        s_skip_space(p);
        if (!s_keyword(p, "OR"))
            break;
        p->pos += 2;
        ww_qnode_t *next = s_and(p, field);
        if (!next) {
            s_free(or ? or : first); /* once in the OR, first is its kid */
            return NULL;
        }
        if (! or) {
            or = s_node(WW_Q_OR);
            s_add_kid(or, first);
        }
        s_add_kid(or, next);
    }
    return or ? or : first;
}

/* Drops empty ANDs left by filters, and ANDs/ORs of one operand. */
static ww_qnode_t *s_simplify(ww_qnode_t *n)
{
    if (!n || n->type == WW_Q_TERM)
        return n;
    size_t o = 0;
    for (size_t i = 0; i < n->nkids; i++) {
        ww_qnode_t *k = s_simplify(n->kids[i]);
        if (k && k->type == WW_Q_AND && k->nkids == 0) {
            s_free(k);
            continue;
        }
        n->kids[o++] = k;
    }
    n->nkids = o;
    if ((n->type == WW_Q_AND || n->type == WW_Q_OR) && n->nkids == 1) {
        ww_qnode_t *only = n->kids[0];
        n->nkids = 0;
        s_free(n);
        return only;
    }
    if (n->type == WW_Q_NOT && n->nkids == 0) {
        s_free(n);
        return s_node(WW_Q_AND);
    }
    return n;
}

ww_query_t *ww_query_parse(const char *text, ww_fold_t *fold, time_t now, char *err, size_t errlen)
{
    if (!text || !*text) {
        snprintf(err, errlen, "empty query");
        return NULL;
    }
    size_t len = strlen(text);
    if (len > WW_QUERY_MAX_BYTES) {
        snprintf(err, errlen, "query of %zu bytes is longer than the %d-byte limit", len, WW_QUERY_MAX_BYTES);
        return NULL;
    }
    if (!ww_utf8_valid(text, len)) {
        snprintf(err, errlen, "query is not valid UTF-8");
        return NULL;
    }
    ww_query_t *q = calloc(1, sizeof *q);
    s_parser_t p = {text, 0, len, fold, q, now ? now : time(NULL), err, errlen, 0, false};
    s_skip_space(&p);
    if (p.pos >= len) {
        snprintf(err, errlen, "empty query");
        free(q);
        return NULL;
    }
    ww_qnode_t *root = s_or(&p, WW_F_ANY);
    s_skip_space(&p);
    if (root && p.pos < len) {
        s_fail(&p, s_at(&p, ')') ? "unexpected ')'" : "expected the end of the query");
        s_free(root);
        root = NULL;
    }
    if (!root || p.failed) {
        s_free(root);
        free(q);
        return NULL;
    }
    root = s_simplify(root);
    if (root && root->type == WW_Q_AND && root->nkids == 0) {
        s_free(root);
        root = NULL;
    }
    q->root = root;
    return q;
}

void ww_query_destroy(ww_query_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    if (!(*self_p)->packed)
        s_free((*self_p)->root);
    free(*self_p);
    *self_p = NULL;
}

static void s_positive(const ww_qnode_t *n, bool negated, const char ***list, size_t *count)
{
    if (!n)
        return;
    if (n->type == WW_Q_TERM) {
        if (!negated) {
            const char **l = realloc(*list, (*count + 2) * sizeof *l);
            if (!l)
                return;
            l[(*count)++] = n->text;
            l[*count] = NULL;
            *list = l;
        }
        return;
    }
    for (size_t i = 0; i < n->nkids; i++)
        s_positive(n->kids[i], negated ^ (n->type == WW_Q_NOT), list, count);
}

const char **ww_query_positive_terms(const ww_query_t *q)
{
    const char **list = calloc(1, sizeof *list);
    size_t count = 0;
    s_positive(q->root, false, &list, &count);
    return list;
}
