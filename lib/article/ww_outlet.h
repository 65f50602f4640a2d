/* ww_outlet: the outlet a page belongs to, from what pages say of it: a
 * site name ("来源：人民网", "央视网(cctv.com)", "中央社 CNA"), the site part
 * of a <title> ("…_凤凰网资讯_凤凰网"), and the publishing platforms
 * (微信公众平台, 搜狐号) that are not an outlet at all.
 *
 * Returned char * belong to the caller. */
#ifndef WW_OUTLET_H
#define WW_OUTLET_H

#include <stdbool.h>

/* A site name as pages write it, tidied: a leading 来源：/Source: label, a
 * parenthesised domain and a Latin tail after a Chinese name removed. NULL
 * for an empty result. */
char *ww_outlet_clean(const char *value);

/* True for publishing platforms whose name says nothing of the outlet. */
bool ww_outlet_platform(const char *name);

/* The site named in a page's <title> after its headline: the last part
 * after a separator ("_", " - ", " | ", "--", "｜"), preferring one in Chinese
 * script on a Chinese page. NULL if the title names none. */
char *ww_outlet_from_title(const char *html_title, const char *headline, bool chinese);

#endif
