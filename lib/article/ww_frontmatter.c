/* ww_frontmatter: front matter detection and YAML reading. */
#include "ww_frontmatter.h"
#include "ww_utf8.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <yaml.h>

/* Finds the closing "---" (or "...") line; returns the offset of its first
 * byte and sets *after to the first byte after it, or returns -1. */
static long s_find_close(const char *text, size_t len, size_t start, size_t *after)
{
    size_t i = start;
    while (i < len && i - start <= WW_FRONTMATTER_MAX) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t line_end = nl ? (size_t) (nl - text) : len;
        size_t n = line_end - i;
        while (n > 0 && (text[i + n - 1] == '\r' || text[i + n - 1] == ' ' || text[i + n - 1] == '\t'))
            n--;
        if ((n == 3 && (!memcmp(text + i, "---", 3) || !memcmp(text + i, "...", 3)))) {
            *after = nl ? line_end + 1 : len;
            return (long) i;
        }
        if (!nl)
            break;
        i = line_end + 1;
    }
    return -1;
}

static void s_add_value(json_t *meta, const char *key, const char *value)
{
    json_t *existing = json_object_get(meta, key);
    if (json_is_array(existing))
        json_array_append_new(existing, json_string(value));
    else
        json_object_set_new(meta, key, json_string(value));
}

static int s_read_yaml(const char *yaml, size_t len, json_t *meta, char *err, size_t errlen)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        snprintf(err, errlen, "cannot start YAML parser");
        return -1;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *) yaml, len);
    int depth = 0; /* mapping/sequence nesting */
    char key[128] = "";
    int expecting_key = 1; /* at depth 1: next scalar is a key */
    int in_list = 0;       /* inside a top-level key's sequence */
    int rc = 0;
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            snprintf(err, errlen, "front matter is not valid YAML: %s at line %zu",
                     parser.problem ? parser.problem : "error", parser.problem_mark.line + 1);
            rc = -1;
            break;
        }
        yaml_event_type_t t = ev.type;
        if (t == YAML_MAPPING_START_EVENT || t == YAML_SEQUENCE_START_EVENT) {
            depth++;
            if (depth == 2 && t == YAML_SEQUENCE_START_EVENT && key[0]) {
                in_list = 1;
                json_object_set_new(meta, key, json_array());
            }
            if (depth > 64) {
                snprintf(err, errlen, "front matter nests deeper than 64 levels");
                yaml_event_delete(&ev);
                rc = -1;
                break;
            }
        } else if (t == YAML_MAPPING_END_EVENT || t == YAML_SEQUENCE_END_EVENT) {
            depth--;
            if (depth == 1) {
                in_list = 0;
                expecting_key = 1;
            }
        } else if (t == YAML_SCALAR_EVENT) {
            const char *v = (const char *) ev.data.scalar.value;
            if (depth == 1) {
                if (expecting_key) {
                    snprintf(key, sizeof key, "%s", v);
                    expecting_key = 0;
                } else {
                    s_add_value(meta, key, v);
                    expecting_key = 1;
                }
            } else if (depth == 2 && in_list) {
                s_add_value(meta, key, v);
            }
        } else if (t == YAML_ALIAS_EVENT) {
            if (depth == 1)
                expecting_key = !expecting_key;
        }
        /* A key whose value is a nested mapping: the value ends with the mapping. */
        if (depth == 2 && t == YAML_MAPPING_START_EVENT)
            in_list = 0;
        if (t == YAML_MAPPING_END_EVENT && depth == 1)
            expecting_key = 1;
        int done = t == YAML_STREAM_END_EVENT || t == YAML_DOCUMENT_END_EVENT;
        yaml_event_delete(&ev);
        if (done)
            break;
    }
    yaml_parser_delete(&parser);
    return rc;
}

/* ---------------------------------------------------------------------------
 * The common case without libyaml
 *
 * Front matter is nearly always lines of "key: value" and "- item" under a
 * key. libyaml allocates for every token and reads such a block in ~20 us;
 * this reads it in ~1 us. It accepts only a strict subset whose meaning is
 * plain (ASCII keys at column 0; plain, single-quoted or backslash-free
 * double-quoted values on one line; list items under a key with no value;
 * comments and blank lines) and hands everything else to libyaml, so the
 * result is libyaml's. fuzz_frontmatter checks that on every input.
 */

typedef struct {
    const char *s;
    size_t len;
} s_span_t;

static bool s_indicator(char c)
{
    return strchr("-?:,[]{}#&*!|>'\"%@`", c) != NULL;
}

/* Reads a one-line value at v[0..n) (n > 0, no leading space) into out,
 * unquoting; false if it is not in the subset. */
static bool s_simple_value(const char *v, size_t n, char *out, size_t outlen)
{
    size_t o = 0;
    if (v[0] == '\'' || v[0] == '"') {
        char q = v[0];
        size_t i = 1;
        for (; i < n; i++) {
            if (v[i] == q) {
                if (q == '\'' && i + 1 < n && v[i + 1] == '\'') {
                    if (o + 1 >= outlen)
                        return false;
                    out[o++] = '\'';
                    i++;
                    continue;
                }
                break;
            }
            if (q == '"' && v[i] == '\\')
                return false;
            if (o + 1 >= outlen)
                return false;
            out[o++] = v[i];
        }
        if (i >= n)
            return false; /* unclosed: may continue on the next line */
        /* after the closing quote: spaces, then nothing or a comment */
        size_t j = i + 1;
        while (j < n && v[j] == ' ')
            j++;
        if (j < n && !(v[j] == '#' && j > i + 1))
            return false;
        out[o] = 0;
        return true;
    }
    if (s_indicator(v[0]))
        return false;
    size_t end = n;
    for (size_t i = 0; i < n; i++) {
        if (v[i] == '#' && i > 0 && v[i - 1] == ' ') {
            end = i;
            break;
        }
        if (v[i] == ':' && (i + 1 == n || v[i + 1] == ' '))
            return false; /* a mapping inside a value */
        if (v[i] == '\t')
            return false;
    }
    while (end > 0 && v[end - 1] == ' ')
        end--;
    if (end + 1 > outlen)
        return false;
    memcpy(out, v, end);
    out[end] = 0;
    return true;
}

/* The block's lines, each without its line break (\n or \r\n). */
static size_t s_lines(const char *yaml, size_t len, s_span_t *lines, size_t max)
{
    size_t n = 0, i = 0;
    while (i < len && n < max) {
        const char *nl = memchr(yaml + i, '\n', len - i);
        size_t end = nl ? (size_t) (nl - yaml) : len;
        size_t l = end - i;
        if (l && yaml[i + l - 1] == '\r')
            l--;
        lines[n++] = (s_span_t){yaml + i, l};
        i = end + 1;
    }
    return i < len ? max + 1 : n;
}

static bool s_blank_or_comment(s_span_t line)
{
    size_t i = 0;
    while (i < line.len && line.s[i] == ' ')
        i++;
    return i == line.len || line.s[i] == '#';
}

/* False when valid UTF-8 text holds a character outside YAML's printable
 * set that the byte loop cannot see: the C1 controls (U+0080-U+009F, NEL
 * among them, a line break to libyaml) and the noncharacters U+FFFE and
 * U+FFFF. libyaml refuses or reads those differently (a fuzzer found
 * "y: a<U+FFFF>!", accepted here and refused there). */
static bool s_yaml_printable(const char *yaml, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++) {
        unsigned char a = (unsigned char) yaml[i], b = (unsigned char) yaml[i + 1];
        if (a == 0xC2 && b >= 0x80 && b <= 0x9F)
            return false;
        if (a == 0xEF && b == 0xBF && i + 2 < len && (unsigned char) yaml[i + 2] >= 0xBE)
            return false;
    }
    return true;
}

/* Returns 0 with meta filled, or 1 if the block is outside the subset. */
static int s_read_simple(const char *yaml, size_t len, json_t *meta)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char) yaml[i];
        if ((c < 0x20 && c != '\n' && c != '\r') || c == 0x7F)
            return 1; /* control characters, tabs: libyaml's rules */
        if (c == '\r' && (i + 1 >= len || yaml[i + 1] != '\n'))
            return 1; /* a lone CR is a line break to libyaml */
        /* document markers at the start of a line ("---", "...") */
        if ((i == 0 || yaml[i - 1] == '\n') && i + 3 <= len &&
            (!memcmp(yaml + i, "---", 3) || !memcmp(yaml + i, "...", 3)))
            return 1;
    }
    if (!ww_utf8_valid(yaml, len) || memmem(yaml, len, "\xEF\xBB\xBF", 3) || !s_yaml_printable(yaml, len))
        return 1;
    enum { S_MAX_LINES = 512 };
    s_span_t lines[S_MAX_LINES];
    size_t n = s_lines(yaml, len, lines, S_MAX_LINES);
    if (n > S_MAX_LINES)
        return 1;
    json_t *parsed = json_object();
    char value[4096];
    bool any = false;
    for (size_t l = 0; l < n; l++) {
        s_span_t line = lines[l];
        if (s_blank_or_comment(line))
            continue;
        /* a key at column 0: [A-Za-z0-9_.-]+ then ':' then space or end */
        size_t k = 0;
        while (k < line.len && (isalnum((unsigned char) line.s[k]) || line.s[k] == '_' || line.s[k] == '.' ||
                                (line.s[k] == '-' && k > 0)))
            k++;
        if (k == 0 || k >= 128 || k >= line.len || line.s[k] != ':' || (k + 1 < line.len && line.s[k + 1] != ' '))
            goto outside;
        char key[128];
        memcpy(key, line.s, k);
        key[k] = 0;
        size_t v = k + 1;
        while (v < line.len && line.s[v] == ' ')
            v++;
        any = true;
        if (v < line.len && line.s[v] != '#') {
            if (!s_simple_value(line.s + v, line.len - v, value, sizeof value))
                goto outside;
            /* the next content line must be another key, not a continuation */
            size_t m = l + 1;
            while (m < n && s_blank_or_comment(lines[m]))
                m++;
            if (m < n && lines[m].s[0] == ' ')
                goto outside;
            s_add_value(parsed, key, value);
            continue;
        }
        /* no value: list items may follow, all at one indentation */
        size_t m = l + 1, items = 0;
        long indent = -1;
        json_t *list = json_array();
        for (; m < n; m++) {
            s_span_t item = lines[m];
            if (s_blank_or_comment(item))
                continue;
            size_t sp = 0;
            while (sp < item.len && item.s[sp] == ' ')
                sp++;
            if (sp >= item.len || item.s[sp] != '-' || (sp + 1 < item.len && item.s[sp + 1] != ' '))
                break;
            if (indent >= 0 && (long) sp != indent) {
                json_decref(list);
                goto outside;
            }
            indent = (long) sp;
            size_t iv = sp + 1;
            while (iv < item.len && item.s[iv] == ' ')
                iv++;
            if (iv >= item.len || item.s[iv] == '#') {
                value[0] = 0; /* "-" alone: an empty item */
            } else if (!s_simple_value(item.s + iv, item.len - iv, value, sizeof value)) {
                json_decref(list);
                goto outside;
            }
            json_array_append_new(list, json_string(value));
            items++;
        }
        if (items) {
            /* what follows the list must be a key at column 0 */
            size_t next = m;
            while (next < n && s_blank_or_comment(lines[next]))
                next++;
            if (next < n && lines[next].s[0] == ' ') {
                json_decref(list);
                goto outside;
            }
            json_object_set_new(parsed, key, list);
            l = m - 1;
        } else {
            json_decref(list);
            size_t next = l + 1;
            while (next < n && s_blank_or_comment(lines[next]))
                next++;
            if (next < n && lines[next].s[0] == ' ')
                goto outside; /* an indented value or a nested mapping */
            s_add_value(parsed, key, "");
        }
    }
    if (!any)
        goto outside; /* an empty document is libyaml's to judge */
    json_object_update(meta, parsed);
    json_decref(parsed);
    return 0;
outside:
    json_decref(parsed);
    return 1;
}

bool ww_frontmatter_read_simple(const char *yaml, size_t len, json_t *meta)
{
    return s_read_simple(yaml, len, meta) == 0;
}

int ww_frontmatter_read_yaml(const char *yaml, size_t len, json_t *meta, char *err, size_t errlen)
{
    return s_read_yaml(yaml, len, meta, err, errlen);
}

int ww_frontmatter_parse(const char *text, size_t len, json_t **meta, size_t *body_offset, char *err, size_t errlen)
{
    *meta = NULL;
    *body_offset = 0;
    size_t i = 0;
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
        i = 3;
    while (i < len && (text[i] == '\n' || text[i] == '\r' || text[i] == ' ' || text[i] == '\t'))
        i++;
    if (len - i < 4 || memcmp(text + i, "---", 3) != 0)
        return 1;
    size_t j = i + 3;
    while (j < len && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r'))
        j++;
    if (j >= len || text[j] != '\n')
        return 1;
    size_t start = j + 1, after = 0;
    long close = s_find_close(text, len, start, &after);
    if (close < 0)
        return 1;
    *body_offset = after;
    json_t *m = json_object();
    size_t ylen = (size_t) close - start;
    if (!ww_frontmatter_read_simple(text + start, ylen, m) && s_read_yaml(text + start, ylen, m, err, errlen) < 0) {
        json_decref(m);
        return -1;
    }
    *meta = m;
    return 0;
}
