/* ww_time: tolerant date parsing for news metadata and text. */
#include "ww_time.h"
#include "ww_utc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *s_months[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};

/* Zones seen in feeds. CST is resolved by the caller's context. */
static const struct {
    const char *name;
    int offset;
} s_zones[] = {
    {"GMT", 0},         {"UTC", 0},         {"UT", 0},          {"Z", 0},           {"EST", -5 * 3600},
    {"EDT", -4 * 3600}, {"CDT", -5 * 3600}, {"MST", -7 * 3600}, {"MDT", -6 * 3600}, {"PST", -8 * 3600},
    {"PDT", -7 * 3600}, {"BST", 3600},      {"CET", 3600},      {"CEST", 7200},     {"JST", 9 * 3600},
    {"KST", 9 * 3600},  {"HKT", 8 * 3600},  {"SGT", 8 * 3600},  {"BJT", 8 * 3600},
};

static bool s_valid(int y, int mo, int d, int h, int mi, int s)
{
    return y >= 1970 && y <= 2200 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h >= 0 && h <= 24 && mi >= 0 &&
           mi <= 59 && s >= 0 && s <= 60;
}

static time_t s_make(int y, int mo, int d, int h, int mi, int s, int offset)
{
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    return timegm(&tm) - offset;
}

/* Reads a zone after a time: +0800, +08:00, -05, Z, GMT+8, UTC+08:00, names. */
static bool s_zone(const char *p, bool chinese, int *offset)
{
    while (*p == ' ')
        p++;
    if (!*p)
        return false;
    if ((!strncasecmp(p, "GMT", 3) || !strncasecmp(p, "UTC", 3)) && (p[3] == '+' || p[3] == '-'))
        p += 3;
    if (*p == '+' || *p == '-') {
        int sign = *p == '-' ? -1 : 1;
        p++;
        int hh = 0, mm = 0, digits = 0;
        while (isdigit((unsigned char) *p) && digits < 4) {
            if (digits < 2)
                hh = hh * 10 + (*p - '0');
            else
                mm = mm * 10 + (*p - '0');
            digits++;
            p++;
            if (*p == ':' && digits == 2)
                p++;
        }
        if (digits == 1 || digits == 2 || digits == 4) {
            if (hh > 14 || mm > 59)
                return false;
            *offset = sign * (hh * 3600 + mm * 60);
            return true;
        }
        return false;
    }
    if (!strncasecmp(p, "CST", 3) && !isalpha((unsigned char) p[3])) {
        *offset = chinese ? 8 * 3600 : -6 * 3600;
        return true;
    }
    for (size_t i = 0; i < sizeof s_zones / sizeof s_zones[0]; i++) {
        size_t n = strlen(s_zones[i].name);
        if (!strncasecmp(p, s_zones[i].name, n) && !isalpha((unsigned char) p[n])) {
            *offset = s_zones[i].offset;
            return true;
        }
    }
    return false;
}

/* Reads " am", " p.m." and the like after a clock, making h a 24-hour
 * hour; returns bytes consumed. */
static int s_meridiem(const char *p, int *h)
{
    const char *q = p;
    while (*q == ' ')
        q++;
    char c = (char) tolower((unsigned char) q[0]);
    if (c != 'a' && c != 'p')
        return 0;
    const char *r = q + 1;
    if (*r == '.')
        r++;
    if (tolower((unsigned char) *r) != 'm')
        return 0;
    r++;
    if (*r == '.')
        r++;
    if (isalpha((unsigned char) *r))
        return 0;
    if (*h < 1 || *h > 12)
        return 0;
    if (c == 'p' && *h < 12)
        *h += 12;
    if (c == 'a' && *h == 12)
        *h = 0;
    return (int) (r - p);
}

/* hh:mm[:ss][.fraction][ am|pm] at p; returns chars consumed or 0. */
static int s_clock(const char *p, int *h, int *mi, int *s)
{
    int n = 0;
    *s = 0;
    if (!isdigit((unsigned char) *p))
        return 0;
    if (sscanf(p, "%2d:%2d:%2d%n", h, mi, s, &n) == 3 && n > 0) {
        const char *q = p + n;
        if (*q == '.' || *q == ',') {
            q++;
            while (isdigit((unsigned char) *q))
                q++;
        }
        q += s_meridiem(q, h);
        return (int) (q - p);
    }
    n = 0;
    if (sscanf(p, "%2d:%2d%n", h, mi, &n) == 2 && n > 0)
        return n + s_meridiem(p + n, h);
    return 0;
}

/* Weekday words a date may carry before its clock. */
static const char *const s_weekdays[] = {
    "\xE6\x98\x9F\xE6\x9C\x9F", /* 星期 */
    "\xE7\xA6\xAE\xE6\x8B\x9C", /* 禮拜 */
    "\xE7\xA4\xBC\xE6\x8B\x9C", /* 礼拜 */
    "\xE5\x91\xA8",             /* 周 */
    "\xE9\x80\xB1",             /* 週 */
};
static const char *const s_weekday_names[] = {"monday",   "tuesday", "wednesday", "thursday", "friday",
                                              "saturday", "sunday",  "mon",       "tue",      "wed",
                                              "thu",      "fri",     "sat",       "sun"};

/* Finds a clock shortly after a date at p, skipping a weekday (星期二,
 * Tue), a zone (HKT), "at", "|" and spaces; the zone, if any, goes to
 * *zone_at. Returns the clock's end, or NULL. */
static const char *s_clock_after(const char *p, int *h, int *mi, int *s, const char **zone_at)
{
    const char *q = p;
    *zone_at = NULL;
    for (int step = 0; step < 6; step++) {
        while (*q == ' ' || *q == ',' || *q == '|' || *q == '(' || *q == ')' || *q == '-')
            q++;
        if (!strncmp(q, "\xE3\x80\x80", 3) || !strncmp(q, "\xEF\xBC\x88", 3) || !strncmp(q, "\xEF\xBC\x89", 3)) {
            q += 3; /* full-width space and parentheses */
            continue;
        }
        int used = s_clock(q, h, mi, s);
        if (used)
            return q + used;
        bool skipped = false;
        for (size_t w = 0; w < sizeof s_weekdays / sizeof *s_weekdays && !skipped; w++)
            if (!strncmp(q, s_weekdays[w], strlen(s_weekdays[w]))) {
                q += strlen(s_weekdays[w]);
                if (((unsigned char) *q & 0xE0) == 0xE0)
                    q += 3; /* 一 .. 日 */
                skipped = true;
            }
        for (size_t w = 0; w < sizeof s_weekday_names / sizeof *s_weekday_names && !skipped; w++) {
            size_t wl = strlen(s_weekday_names[w]);
            if (!strncasecmp(q, s_weekday_names[w], wl) && !isalpha((unsigned char) q[wl])) {
                q += wl;
                skipped = true;
            }
        }
        if (!skipped && !strncasecmp(q, "at ", 3)) {
            q += 3;
            skipped = true;
        }
        int offset;
        if (!skipped && isalpha((unsigned char) *q) && s_zone(q, true, &offset)) {
            *zone_at = q;
            while (isalpha((unsigned char) *q))
                q++;
            skipped = true;
        }
        if (!skipped)
            return NULL;
    }
    return NULL;
}

/* The day of the month of the n-th Sunday (n from 1) of a month. */
static int s_nth_sunday(int y, int mo, int n)
{
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = 1, .tm_hour = 12};
    time_t t = timegm(&tm);
    struct tm first;
    gmtime_r(&t, &first);
    return 1 + (7 - first.tm_wday) % 7 + 7 * (n - 1);
}

/* US sites write the zone without saying standard or daylight time: "8:00
 * AM ET". Daylight time runs from the second Sunday of March to the first
 * Sunday of November (at 2:00 local, the hour not told apart here). */
static bool s_us_generic_zone(const char *p, int y, int mo, int d, int *offset)
{
    static const struct {
        const char *name;
        int standard;
    } zones[] = {{"ET", -5}, {"CT", -6}, {"MT", -7}, {"PT", -8}};
    while (*p == ' ')
        p++;
    for (size_t i = 0; i < sizeof zones / sizeof *zones; i++)
        if (!strncmp(p, zones[i].name, 2) && !isalpha((unsigned char) p[2])) {
            bool daylight = (mo > 3 && mo < 11) || (mo == 3 && d >= s_nth_sunday(y, 3, 2)) ||
                            (mo == 11 && d < s_nth_sunday(y, 11, 1));
            *offset = (zones[i].standard + (daylight ? 1 : 0)) * 3600;
            return true;
        }
    return false;
}

/* Completes a date read up to rest: a clock right after it or after a
 * weekday or zone, then a zone after the clock. */
static int s_finish(int y, int mo, int d, int h, int mi, int s, bool clock, const char *rest, int default_offset,
                    bool chinese, ww_when_t *out)
{
    const char *zone_before = NULL;
    if (!clock) {
        const char *after = s_clock_after(rest, &h, &mi, &s, &zone_before);
        if (after) {
            clock = true;
            rest = after;
        }
    }
    if (!s_valid(y, mo, d, h, mi, s))
        return -1;
    int offset = default_offset;
    out->zone_known = s_zone(rest, chinese, &offset) || s_us_generic_zone(rest, y, mo, d, &offset) ||
                      (zone_before && s_zone(zone_before, chinese, &offset));
    out->when = s_make(y, mo, d, h, mi, s, offset);
    out->estimated = false;
    out->clock = clock;
    return 0;
}

/* Reads digits at *p (ASCII), advancing; -1 if none. */
static int s_num(const char **p, int maxdigits)
{
    int v = 0, k = 0;
    while (isdigit((unsigned char) **p) && k < maxdigits) {
        v = v * 10 + (**p - '0');
        (*p)++;
        k++;
    }
    return k ? v : -1;
}

static int s_rfc822(const char *p, int default_offset, bool chinese, ww_when_t *out)
{
    /* optional weekday, possibly without comma or misspelt */
    while (isalpha((unsigned char) *p))
        p++;
    while (*p == ',' || *p == ' ' || *p == '.')
        p++;
    int d = 0, y = 0, h = 0, mi = 0, s = 0;
    char mon[16] = {0};
    int n = 0;
    if (sscanf(p, "%2d %15[A-Za-z] %4d%n", &d, mon, &y, &n) != 3) {
        /* "Aug 5 2021 10:00" variant */
        n = 0;
        if (sscanf(p, "%15[A-Za-z] %2d %4d%n", mon, &d, &y, &n) != 3) {
            n = 0;
            if (sscanf(p, "%2d-%15[A-Za-z]-%4d%n", &d, mon, &y, &n) != 3)
                return -1;
        }
    }
    p += n;
    if (y < 100)
        y += y < 70 ? 2000 : 1900;
    int mo = 0;
    for (int i = 0; i < 12; i++)
        if (!strncasecmp(mon, s_months[i], 3))
            mo = i + 1;
    if (!mo)
        return -1;
    while (*p == ' ' || *p == ',')
        p++;
    int used = s_clock(p, &h, &mi, &s);
    p += used;
    return s_finish(y, mo, d, h, mi, s, used > 0, p, default_offset, chinese, out);
}

/* "March 2, 2023", "Feb. 28, 2023", "2 March 2023", "June 14 2023 8:05 AM". */
static int s_english(const char *p, int default_offset, bool chinese, ww_when_t *out)
{
    static const char *const full[] = {"january", "february", "march",     "april",   "may",      "june",
                                       "july",    "august",   "september", "october", "november", "december"};
    int mo = 0, d = -1, y = -1;
    const char *q = p;
    /* a weekday first: "Tuesday, December 1, 2026", "Tue. Dec 1 2026" */
    for (size_t w = 0; w < sizeof s_weekday_names / sizeof *s_weekday_names; w++) {
        size_t wl = strlen(s_weekday_names[w]);
        if (!strncasecmp(q, s_weekday_names[w], wl) && !isalpha((unsigned char) q[wl])) {
            q += wl;
            while (*q == '.' || *q == ',' || *q == ' ')
                q++;
            break;
        }
    }
    if (isdigit((unsigned char) *q)) { /* day first */
        d = s_num(&q, 2);
        while (*q == ' ')
            q++;
    }
    for (int i = 0; i < 12 && !mo; i++) {
        size_t fl = strlen(full[i]);
        if (!strncasecmp(q, full[i], fl) && !isalpha((unsigned char) q[fl])) {
            mo = i + 1;
            q += fl;
        } else if (!strncasecmp(q, s_months[i], 3) && !isalpha((unsigned char) q[3]) && (q[3] == '.' || q[3] == ' ')) {
            mo = i + 1;
            q += 3;
            if (*q == '.')
                q++;
        } else if (i == 8 && !strncasecmp(q, "sept", 4) && (q[4] == '.' || q[4] == ' ')) {
            mo = 9;
            q += 4 + (q[4] == '.');
        }
    }
    if (!mo)
        return -1;
    while (*q == ' ')
        q++;
    if (d < 0) {
        d = s_num(&q, 2);
        if (d < 1)
            return -1;
        if (!strncasecmp(q, "st", 2) || !strncasecmp(q, "nd", 2) || !strncasecmp(q, "rd", 2) ||
            !strncasecmp(q, "th", 2))
            q += 2;
        if (*q == ',')
            q++;
        while (*q == ' ')
            q++;
    } else if (*q == ',')
        q++;
    while (*q == ' ')
        q++;
    y = s_num(&q, 4);
    if (y < 1970)
        return -1;
    return s_finish(y, mo, d, 0, 0, 0, false, q, default_offset, chinese, out);
}

static int s_iso(const char *p, int default_offset, bool chinese, ww_when_t *out)
{
    int y, mo, d, n = 0, h = 0, mi = 0, s = 0;
    char sep1, sep2;
    if (sscanf(p, "%4d%c%2d%c%2d%n", &y, &sep1, &mo, &sep2, &d, &n) != 5 || n < 8)
        return -1;
    if (sep1 != sep2 || (sep1 != '-' && sep1 != '/' && sep1 != '.'))
        return -1;
    p += n;
    bool clock = false;
    if (*p == 'T' || *p == ' ' || *p == 't') {
        const char *q = p + 1;
        while (*q == ' ')
            q++;
        int used = s_clock(q, &h, &mi, &s);
        if (used) {
            p = q + used;
            clock = true;
        }
    }
    return s_finish(y, mo, d, h, mi, s, clock, p, default_offset, chinese, out);
}

/* UTF-8 of 年, 月, 日, 号, 时, 分 */
#define NIAN "\xE5\xB9\xB4"
#define YUE  "\xE6\x9C\x88"
#define RI   "\xE6\x97\xA5"
#define HAO  "\xE5\x8F\xB7"

/* Optional clock after a Chinese date: " 10:30", "10时30分", or one after a
 * weekday or zone ("星期二 06:30"). Returns true if one was read. */
static bool s_cn_clock(const char *p, int *h, int *mi, int *s)
{
    while (*p == ' ')
        p++;
    if (!strncmp(p, "\xE3\x80\x80", 3))
        p += 3;
    if (s_clock(p, h, mi, s))
        return true;
    const char *q = p;
    int hh = s_num(&q, 2);
    if (hh >= 0 && (!strncmp(q, "\xE6\x97\xB6", 3) || !strncmp(q, "\xE7\x82\xB9", 3))) { /* 时 点 */
        q += 3;
        int mm = s_num(&q, 2);
        *h = hh;
        *mi = mm < 0 ? 0 : mm;
        return true;
    }
    const char *zone;
    return s_clock_after(p, h, mi, s, &zone) != NULL;
}

/* 2022年5月7日 [10:30]; with year < 0 allowed when the year is missing.
 * *clock tells whether a time of day followed. */
static int s_chinese_at(const char *p, int *y, int *mo, int *d, int *h, int *mi, int *s, bool *clock)
{
    const char *q = p;
    *y = -1;
    int first = s_num(&q, 4);
    if (first < 0)
        return -1;
    if (!strncmp(q, NIAN, 3)) {
        *y = first;
        q += 3;
        *mo = s_num(&q, 2);
    } else
        *mo = first;
    if (*mo < 1 || strncmp(q, YUE, 3) != 0)
        return -1;
    q += 3;
    *d = s_num(&q, 2);
    if (*d < 1 || (strncmp(q, RI, 3) != 0 && strncmp(q, HAO, 3) != 0))
        return -1;
    q += 3;
    *h = *mi = *s = 0;
    *clock = s_cn_clock(q, h, mi, s);
    return 0;
}

int ww_time_parse(const char *text, int default_offset, bool chinese, ww_when_t *out)
{
    if (!text)
        return -1;
    while (isspace((unsigned char) *text))
        text++;
    if (!*text || strlen(text) > 200)
        return -1;
    /* Unix epoch seconds, as some JSON sources send */
    char *end = NULL;
    long long epoch = strtoll(text, &end, 10);
    if (end && *end == 0 && end - text >= 9 && end - text <= 10) {
        out->when = (time_t) epoch;
        out->estimated = false;
        out->zone_known = true;
        out->clock = true;
        return 0;
    }
    if (s_iso(text, default_offset, chinese, out) == 0)
        return 0;
    int y, mo, d, h, mi, s;
    bool clock;
    if (s_chinese_at(text, &y, &mo, &d, &h, &mi, &s, &clock) == 0 && y > 0)
        return s_finish(y, mo, d, h, mi, s, true, "", default_offset, chinese, out) == 0 ? (out->clock = clock, 0) : -1;
    if (s_rfc822(text, default_offset, chinese, out) == 0)
        return 0;
    if (s_english(text, default_offset, chinese, out) == 0)
        return 0;
    return -1;
}

/* The start of the local day (at offset) that contains t. */
static time_t s_local_midnight(time_t t, int offset)
{
    time_t local = t + offset;
    return local - (local % 86400) - offset;
}

static const struct {
    const char *word;
    int days_back;
} s_relative_days[] = {
    {"\xE5\x89\x8D\xE5\xA4\xA9", 2}, /* 前天 */
    {"\xE6\x98\xA8\xE5\xA4\xA9", 1}, /* 昨天 */
    {"\xE6\x98\xA8\xE6\x97\xA5", 1}, /* 昨日 */
    {"\xE6\x98\xA8\xE6\x99\x9A", 1}, /* 昨晚 */
    {"\xE4\xBB\x8A\xE5\xA4\xA9", 0}, /* 今天 */
    {"\xE4\xBB\x8A\xE6\x97\xA5", 0}, /* 今日 */
    {"\xE6\x98\xA8\xE5\xA4\xA9", 1},
};

/* Hour of day a part-of-day word suggests: 上午 10, 中午 12, 下午 15, 晚 20. */
static int s_part_of_day(const char *after)
{
    if (!strncmp(after, "\xE4\xB8\x8A\xE5\x8D\x88", 6))
        return 10; /* 上午 */
    if (!strncmp(after, "\xE4\xB8\xAD\xE5\x8D\x88", 6))
        return 12; /* 中午 */
    if (!strncmp(after, "\xE4\xB8\x8B\xE5\x8D\x88", 6))
        return 15; /* 下午 */
    if (!strncmp(after, "\xE6\x99\x9A", 3))
        return 20; /* 晚 */
    if (!strncmp(after, "\xE5\x87\x8C\xE6\x99\xA8", 6))
        return 3; /* 凌晨 */
    if (!strncmp(after, "\xE6\x97\xA9", 3))
        return 8; /* 早 */
    return 12;
}

int ww_time_find_in_text(const char *text, time_t now, int default_offset, ww_when_t *out)
{
    size_t len = strlen(text);
    /* Absolute dates first: ISO and 年月日 anywhere in the text. */
    for (size_t i = 0; i < len; i++) {
        const char *p = text + i;
        if (!isdigit((unsigned char) *p) || (i > 0 && isdigit((unsigned char) p[-1])))
            continue;
        if (s_iso(p, default_offset, true, out) == 0)
            return 0;
        int y, mo, d, h, mi, s;
        bool clock;
        if (s_chinese_at(p, &y, &mo, &d, &h, &mi, &s, &clock) == 0 && y > 0 && s_valid(y, mo, d, h, mi, s)) {
            out->when = s_make(y, mo, d, h, mi, s, default_offset);
            out->estimated = false;
            out->zone_known = false;
            out->clock = clock;
            return 0;
        }
    }
    /* English dates: "March 2, 2023", "2 March 2023" */
    for (size_t i = 0; i < len; i++) {
        const char *p = text + i;
        bool start = i == 0 || !isalnum((unsigned char) p[-1]);
        if (start && (isalpha((unsigned char) *p) || isdigit((unsigned char) *p)) &&
            s_english(p, default_offset, false, out) == 0)
            return 0;
    }
    /* Relative words and dates without a year: estimates. */
    for (size_t i = 0; i < len; i++) {
        const char *p = text + i;
        for (size_t k = 0; k < sizeof s_relative_days / sizeof s_relative_days[0]; k++) {
            size_t wl = strlen(s_relative_days[k].word);
            if (strncmp(p, s_relative_days[k].word, wl) != 0)
                continue;
            int hour = s_part_of_day(p + wl);
            if (!strncmp(s_relative_days[k].word, "\xE6\x98\xA8\xE6\x99\x9A", 6))
                hour = 20;
            time_t day = s_local_midnight(now, default_offset) - 86400 * s_relative_days[k].days_back;
            out->when = day + hour * 3600;
            if (out->when > now)
                out->when = now;
            out->estimated = true;
            out->zone_known = false;
            out->clock = false;
            return 0;
        }
        if (isdigit((unsigned char) *p) && (i == 0 || !isdigit((unsigned char) p[-1]))) {
            const char *q = p;
            int n = s_num(&q, 3);
            long unit = 0;
            if (!strncmp(q, "\xE5\xB0\x8F\xE6\x97\xB6\xE5\x89\x8D", 9))
                unit = 3600; /* 小时前 */
            else if (!strncmp(q, "\xE5\x88\x86\xE9\x92\x9F\xE5\x89\x8D", 9))
                unit = 60; /* 分钟前 */
            else if (!strncmp(q, "\xE5\xA4\xA9\xE5\x89\x8D", 6))
                unit = 86400; /* 天前 */
            if (unit && n >= 0) {
                out->when = now - n * unit;
                out->estimated = true;
                out->zone_known = true;
                out->clock = true;
                return 0;
            }
            int y, mo, d, h, mi, s;
            bool clock;
            if (s_chinese_at(p, &y, &mo, &d, &h, &mi, &s, &clock) == 0 && y < 0 && mo <= 12 && d <= 31) {
                /* Year inferred: the latest such date not more than a day ahead. */
                struct tm tm;
                time_t local_now = now + default_offset;
                gmtime_r(&local_now, &tm);
                int year = tm.tm_year + 1900;
                time_t t = s_make(year, mo, d, h, mi, s, default_offset);
                if (t > now + 86400)
                    t = s_make(year - 1, mo, d, h, mi, s, default_offset);
                out->when = t;
                out->estimated = true;
                out->zone_known = false;
                out->clock = clock;
                return 0;
            }
        }
    }
    return -1;
}

void ww_time_format(time_t t, char *buf, size_t len)
{
    ww_utc_format(t, buf, len);
}
