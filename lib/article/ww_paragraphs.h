/* ww_paragraphs: the article body as a list of paragraphs, and the editor's
 * cut applied to it: bylines, editor and source lines become metadata;
 * promotion, copyright notices and trailing link lists are removed. Both the
 * HTML and the plain-text paths end here, so they cut alike. */
#ifndef WW_PARAGRAPHS_H
#define WW_PARAGRAPHS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "ww_fold.h"

typedef struct {
    char *text;          /* display text, trimmed, owned */
    bool list_item;      /* came from <li> or a "- " line */
    bool heading;        /* came from <h1>..<h6> or a Markdown heading */
    double link_density; /* share of the text inside links, 0..1 */
} ww_para_t;

/* Invariant: total <= max; items[0..count) are owned. */
typedef struct {
    ww_para_t *items;
    size_t count, cap;
    size_t total; /* bytes of text held */
    size_t max;   /* cap on total, from the document size limit */
} ww_paras_t;

void ww_paras_init(ww_paras_t *p, size_t max);
void ww_paras_free(ww_paras_t *p);
/* Adds a paragraph after trimming white space (incl. U+3000) and stripping
 * pinyin annotations; empty text is ignored. 0, or -1 when the cap is hit. */
int ww_paras_add(ww_paras_t *p, const char *text, bool list_item, bool heading, double link_density);

/* What the cut learns about the article from the lines it removes. */
typedef struct {
    json_t *authors;           /* array of names, owned */
    char editor[128];          /* 责任编辑 */
    char credited_source[256]; /* 来源 line: the outlet the text is credited to */
    char original_title[512];  /* 原标题 */
    char dateline[512];        /* date lines cut from the head, for the date finder */
    size_t removed;            /* paragraphs cut as boilerplate */
} ww_byline_t;

void ww_byline_init(ww_byline_t *b);
void ww_byline_free(ww_byline_t *b);

/* Applies the cut in place. title_match (the headline's match form, may be
 * NULL) removes repeats of the headline. Returns the match form of the
 * paragraphs kept, joined by single spaces: the same as folding the joined
 * body (paragraphs are trimmed and no fold crosses white space), but each
 * paragraph is folded once. Caller frees; NULL when memory ran out. */
char *ww_paras_cut(ww_paras_t *p, ww_fold_t *fold, const char *title_match, ww_byline_t *by);

/* Joins paragraphs with blank lines. Caller frees. */
char *ww_paras_join(const ww_paras_t *p);

/* Reads reporter names after a byline keyword in display text, e.g. from
 * "记者 祁梦竹 范俊生" or "本報訊(記者 祁夢竹 范俊生)"; adds them to by. Returns
 * how many were added. */
int ww_byline_names(const char *text, ww_byline_t *by);

/* The outlet named after 来源/來源/来源于/Source in text (up to the next
 * credit or separator) into out; false if there is none. */
bool ww_source_line(const char *text, char *out, size_t outlen);

#endif
