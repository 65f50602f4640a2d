/* ww_utc: the one timestamp form of wirewatch messages and stores,
 * 2022-05-08T00:02:12Z (UTC, whole seconds). */
#ifndef WW_UTC_H
#define WW_UTC_H

#include <stddef.h>
#include <time.h>

/* Writes t into buf (at least 21 bytes). */
void ww_utc_format(time_t t, char *buf, size_t len);
/* Reads text in that form; 0 if it is NULL or not in that form. */
time_t ww_utc_parse(const char *text);

#endif
