/* feed_json: JSON Feed 1.0 and 1.1. Fields of the wrong type are skipped
 * with a warning naming the item and field; the rest of the item is kept. */
#include "feed_parts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *s_type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    default:
        return "null";
    }
}

/* The string at key, or NULL; a present value of another type is reported. */
static const char *s_string(json_t *feed, json_t *obj, size_t index, const char *key)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return NULL;
    if (json_is_string(v))
        return json_string_value(v);
    feed_warn(feed, "item %zu: \"%s\" is %s, not a string", index + 1, key, s_type_name(v));
    return NULL;
}

static char *s_resolved(const char *url, const char *base_url)
{
    return url && *url ? feed_resolve(url, NULL, base_url) : NULL;
}

static json_t *s_item(json_t *feed, json_t *v, size_t index, const char *base_url, const char *feed_author)
{
    json_t *o = json_object();
    json_t *id = json_object_get(v, "id");
    if (json_is_string(id))
        json_object_set(o, "guid", id);
    else if (json_is_integer(id)) /* 1.0 feeds in the wild use numbers */
        json_object_set_new(o, "guid", json_sprintf("%lld", (long long) json_integer_value(id)));
    else if (id && !json_is_null(id))
        feed_warn(feed, "item %zu: \"id\" is %s, not a string", index + 1, s_type_name(id));
    const char *url = s_string(feed, v, index, "url");
    if (!url)
        url = s_string(feed, v, index, "external_url");
    feed_set(o, "link", s_resolved(url, base_url));
    const char *title = s_string(feed, v, index, "title");
    feed_set(o, "title", title ? feed_html_to_text(title) : NULL);
    const char *html = s_string(feed, v, index, "content_html");
    const char *text = s_string(feed, v, index, "content_text");
    feed_set(o, "content", html ? strdup(html) : (text ? feed_text_to_html(text) : NULL));
    const char *summary = s_string(feed, v, index, "summary");
    feed_set(o, "summary", summary ? feed_text_to_html(summary) : NULL);
    const char *published = s_string(feed, v, index, "date_published");
    const char *modified = s_string(feed, v, index, "date_modified");
    feed_set(o, "published", published ? strdup(published) : (modified ? strdup(modified) : NULL));
    feed_set(o, "updated", modified ? strdup(modified) : NULL);
    json_t *authors = json_object_get(v, "authors");
    json_t *author = json_is_array(authors) ? json_array_get(authors, 0) : json_object_get(v, "author");
    const char *name = json_is_object(author) ? s_string(feed, author, index, "name") : NULL;
    feed_set(o, "author", name ? strdup(name) : (feed_author ? strdup(feed_author) : NULL));
    json_t *cats = json_array(), *tags = json_object_get(v, "tags"), *tag;
    size_t i;
    if (tags && !json_is_array(tags))
        feed_warn(feed, "item %zu: \"tags\" is %s, not an array", index + 1, s_type_name(tags));
    json_array_foreach(tags, i, tag) if (json_is_string(tag) && i < 64) json_array_append(cats, tag);
    json_object_set_new(o, "categories", cats);
    const char *image = s_string(feed, v, index, "image");
    if (!image)
        image = s_string(feed, v, index, "banner_image");
    if (image)
        json_object_set_new(o, "images", json_pack("[{s:s%}]", "url", image, strlen(image)));
    json_t *attachments = json_object_get(v, "attachments"), *a;
    json_array_foreach(attachments, i, a)
    {
        const char *aurl = json_is_object(a) ? s_string(feed, a, index, "url") : NULL;
        const char *type = json_is_object(a) ? s_string(feed, a, index, "mime_type") : NULL;
        if (!aurl)
            continue;
        json_t *key = json_object_get(o, type && !strncmp(type, "image/", 6) ? "images" : "enclosures");
        if (!key) {
            key = json_array();
            json_object_set_new(o, type && !strncmp(type, "image/", 6) ? "images" : "enclosures", key);
        }
        json_t *e = json_pack("{s:s}", "url", aurl);
        if (type)
            json_object_set_new(e, "type", json_string(type));
        if (json_is_integer(json_object_get(a, "size_in_bytes")))
            json_object_set(e, "length", json_object_get(a, "size_in_bytes"));
        json_array_append_new(key, e);
    }
    return o;
}

json_t *feed_read_json(const char *text, size_t len, const char *base_url, size_t max_items, char *err, size_t errlen)
{
    json_error_t je;
    json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!doc) {
        snprintf(err, errlen, "not valid JSON: %s (line %d, column %d)", je.text, je.line, je.column);
        return NULL;
    }
    if (!json_is_object(doc)) {
        snprintf(err, errlen, "a JSON Feed is an object, this is %s", s_type_name(doc));
        json_decref(doc);
        return NULL;
    }
    json_t *items = json_object_get(doc, "items");
    if (!json_is_array(items)) {
        snprintf(err, errlen, "JSON Feed needs an \"items\" array; it is %s", items ? s_type_name(items) : "missing");
        json_decref(doc);
        return NULL;
    }
    json_t *out = json_pack("{s:s, s:s, s:[]}", "title", "", "format", "json", "items");
    const char *version = s_string(out, doc, 0, "version");
    if (!version || strncmp(version, "https://jsonfeed.org/version/", 29))
        feed_warn(out, "\"version\" is not a JSON Feed version URL");
    const char *title = s_string(out, doc, 0, "title");
    if (title)
        json_object_set_new(out, "title", json_string(title));
    const char *home = s_string(out, doc, 0, "home_page_url");
    feed_set(out, "link", home ? strdup(home) : NULL);
    const char *language = s_string(out, doc, 0, "language");
    feed_set(out, "language", language ? strdup(language) : NULL);
    json_t *authors = json_object_get(doc, "authors");
    json_t *author = json_is_array(authors) ? json_array_get(authors, 0) : json_object_get(doc, "author");
    const char *feed_author = json_is_object(author) ? json_string_value(json_object_get(author, "name")) : NULL;
    size_t i;
    json_t *v;
    json_array_foreach(items, i, v)
    {
        if (i >= max_items) {
            feed_warn(out, "%zu items beyond the first %zu were not read", json_array_size(items) - max_items,
                      max_items);
            break;
        }
        if (!json_is_object(v)) {
            feed_warn(out, "item %zu is %s, not an object; skipped", i + 1, s_type_name(v));
            continue;
        }
        json_array_append_new(json_object_get(out, "items"), s_item(out, v, i, base_url, feed_author));
    }
    json_decref(doc);
    return out;
}
