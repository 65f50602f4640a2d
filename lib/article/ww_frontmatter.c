/* ww_frontmatter: front matter detection and YAML reading. */
#include "ww_frontmatter.h"

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
    if (s_read_yaml(text + start, (size_t) close - start, m, err, errlen) < 0) {
        json_decref(m);
        return -1;
    }
    *meta = m;
    return 0;
}
