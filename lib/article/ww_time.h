/* ww_time: publication times as news sources write them: RFC 822 and its
 * broken variants, ISO 8601, 2022年5月7日 10:30, 5月7日 (year inferred),
 * March 2, 2023 and 2 March 2023, a clock after a weekday or zone
 * (2023年3月14日 星期二 06:30, 2023-09-01 HKT 14:40, 7:30 p.m. EST), and
 * relative words (昨天下午, 3小时前) against the fetch time. */
#ifndef WW_TIME_H
#define WW_TIME_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

typedef struct {
    time_t when;     /* seconds since the epoch, UTC */
    bool estimated;  /* derived from relative words or an inferred year */
    bool zone_known; /* the text named its zone or offset */
    bool clock;      /* the text gave a time of day, not only a date */
} ww_when_t;

/* Parses an absolute timestamp (RFC 822 family, ISO 8601, Chinese
 * 年月日). Text without a zone is read at default_offset seconds east of
 * UTC; a zone abbreviation "CST" means China when chinese is true. Returns
 * 0 and fills out, or -1. */
int ww_time_parse(const char *text, int default_offset, bool chinese, ww_when_t *out);

/* Finds the first date in free text (absolute, 5月7日 with the year inferred
 * from now, or relative words), read at default_offset. 0 or -1. */
int ww_time_find_in_text(const char *text, time_t now, int default_offset, ww_when_t *out);

/* Formats t as 2022-05-08T00:02:12Z into buf (at least 21 bytes). */
void ww_time_format(time_t t, char *buf, size_t len);

#endif
