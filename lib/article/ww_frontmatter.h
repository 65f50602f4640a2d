/* ww_frontmatter: YAML front matter at the head of a Markdown document
 * (between two "---" lines), read with libyaml into a flat JSON object of
 * scalars and lists of scalars. Nested mappings are ignored. */
#ifndef WW_FRONTMATTER_H
#define WW_FRONTMATTER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define WW_FRONTMATTER_MAX (64 * 1024)

/* If text starts (after blank lines) with a front matter block, returns 0,
 * sets *meta (caller decrefs) and *body_offset to where the body starts.
 * Returns 1 if there is no front matter, -1 if there is one that does not
 * parse (reason in err; *body_offset still skips it). */
int ww_frontmatter_parse(const char *text, size_t len, json_t **meta, size_t *body_offset, char *err, size_t errlen);

/* The two readers ww_frontmatter_parse uses, exposed so tests and the fuzz
 * harness can compare them. read_simple reads the common shapes without
 * libyaml and returns false, leaving meta alone, for anything else;
 * read_yaml reads any block with libyaml (0, or -1 with err). Where
 * read_simple accepts, both give the same object. */
bool ww_frontmatter_read_simple(const char *yaml, size_t len, json_t *meta);
int ww_frontmatter_read_yaml(const char *yaml, size_t len, json_t *meta, char *err, size_t errlen);

#endif
