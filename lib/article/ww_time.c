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

/* hh:mm[:ss][.fraction] at p; returns chars consumed or 0. */
static int s_clock(const char *p, int *h, int *mi, int *s)
{
    int n = 0;
    *s = 0;
    if (sscanf(p, "%2d:%2d:%2d%n", h, mi, s, &n) == 3 && n > 0) {
        const char *q = p + n;
        if (*q == '.' || *q == ',') {
            q++;
            while (isdigit((unsigned char) *q))
                q++;
        }
        return (int) (q - p);
    }
    n = 0;
    if (sscanf(p, "%2d:%2d%n", h, mi, &n) == 2 && n > 0)
        return n;
    return 0;
}

static int s_finish(int y, int mo, int d, int h, int mi, int s, const char *rest, int default_offset, bool chinese,
                    ww_when_t *out)
{
    if (!s_valid(y, mo, d, h, mi, s))
        return -1;
    int offset = default_offset;
    out->zone_known = s_zone(rest, chinese, &offset);
    out->when = s_make(y, mo, d, h, mi, s, offset);
    out->estimated = false;
    return 0;
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
    return s_finish(y, mo, d, h, mi, s, p, default_offset, chinese, out);
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
    if (*p == 'T' || *p == ' ' || *p == 't') {
        const char *q = p + 1;
        while (*q == ' ')
            q++;
        int used = s_clock(q, &h, &mi, &s);
        if (used)
            p = q + used;
    }
    return s_finish(y, mo, d, h, mi, s, p, default_offset, chinese, out);
}

/* UTF-8 of 年, 月, 日, 号, 时, 分 */
#define NIAN "\xE5\xB9\xB4"
#define YUE  "\xE6\x9C\x88"
#define RI   "\xE6\x97\xA5"
#define HAO  "\xE5\x8F\xB7"

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

/* Optional clock after a Chinese date: " 10:30", "10时30分". */
static void s_cn_clock(const char *p, int *h, int *mi, int *s)
{
    while (*p == ' ')
        p++;
    if (!strncmp(p, "\xE3\x80\x80", 3))
        p += 3;
    if (!s_clock(p, h, mi, s)) {
        const char *q = p;
        int hh = s_num(&q, 2);
        if (hh >= 0 && (!strncmp(q, "\xE6\x97\xB6", 3) || !strncmp(q, "\xE7\x82\xB9", 3))) { /* 时 点 */
            q += 3;
            int mm = s_num(&q, 2);
            *h = hh;
            *mi = mm < 0 ? 0 : mm;
        }
    }
}

/* 2022年5月7日 [10:30]; with year < 0 allowed when the year is missing. */
static int s_chinese_at(const char *p, int *y, int *mo, int *d, int *h, int *mi, int *s)
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
    s_cn_clock(q, h, mi, s);
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
        return 0;
    }
    if (s_iso(text, default_offset, chinese, out) == 0)
        return 0;
    int y, mo, d, h, mi, s;
    if (s_chinese_at(text, &y, &mo, &d, &h, &mi, &s) == 0 && y > 0)
        return s_finish(y, mo, d, h, mi, s, "", default_offset, chinese, out);
    if (s_rfc822(text, default_offset, chinese, out) == 0)
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
        if (s_chinese_at(p, &y, &mo, &d, &h, &mi, &s) == 0 && y > 0 && s_valid(y, mo, d, h, mi, s)) {
            out->when = s_make(y, mo, d, h, mi, s, default_offset);
            out->estimated = false;
            out->zone_known = false;
            return 0;
        }
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
                return 0;
            }
            int y, mo, d, h, mi, s;
            if (s_chinese_at(p, &y, &mo, &d, &h, &mi, &s) == 0 && y < 0 && mo <= 12 && d <= 31) {
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
