/* ww_utc: formatting and parsing of wirewatch timestamps. */
#include "ww_utc.h"

#define S_FORM "%Y-%m-%dT%H:%M:%SZ"

void ww_utc_format(time_t t, char *buf, size_t len)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, len, S_FORM, &tm);
}

time_t ww_utc_parse(const char *text)
{
    struct tm tm = {0};
    if (!text || !strptime(text, S_FORM, &tm))
        return 0;
    return timegm(&tm);
}
