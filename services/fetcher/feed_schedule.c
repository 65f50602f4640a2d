/* feed_schedule: adaptive intervals and backoff. */
#include "feed_schedule.h"
#include "ww_time.h"

#include <stdlib.h>

/* Items whose times say how often the feed publishes. */
#define S_RHYTHM_ITEMS      20
#define S_MAX_RETRY_AFTER_S (7 * 86400LL)

static int s_desc(const void *a, const void *b)
{
    time_t x = *(const time_t *) a, y = *(const time_t *) b;
    return x < y ? 1 : x > y ? -1 : 0;
}

static int s_asc64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;
    return x < y ? -1 : x > y ? 1 : 0;
}

static int64_t s_clamp(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

int64_t feed_schedule_interval(const feed_schedule_t *s, int64_t every_ms, json_t *items, int64_t previous_ms,
                               time_t now)
{
    if (every_ms > 0)
        return every_ms;
    time_t times[256];
    size_t n = 0, i;
    json_t *item;
    json_array_foreach(items, i, item)
    {
        ww_when_t when;
        const char *text = json_string_value(json_object_get(item, "published"));
        /* +08:00 for zoneless times: the offset hardly moves a gap */
        if (n < 256 && text && ww_time_parse(text, 8 * 3600, true, &when) == 0 && when.when <= now + 86400)
            times[n++] = when.when;
    }
    if (n < 2)
        return previous_ms > 0 ? previous_ms : s_clamp(s->default_ms, s->min_ms, s->max_ms);
    qsort(times, n, sizeof times[0], s_desc);
    if (n > S_RHYTHM_ITEMS)
        n = S_RHYTHM_ITEMS;
    int64_t gaps[S_RHYTHM_ITEMS];
    size_t g = 0;
    for (i = 1; i < n; i++)
        gaps[g++] = (int64_t) (times[i - 1] - times[i]) * 1000;
    qsort(gaps, g, sizeof gaps[0], s_asc64);
    int64_t typical = gaps[g / 2];
    /* A feed silent for longer than its rhythm suggests is slowing down. */
    int64_t silent = ((int64_t) now - (int64_t) times[0]) * 1000 / 4;
    if (silent > typical)
        typical = silent;
    return s_clamp(typical / 2, s->min_ms, s->max_ms);
}

int64_t feed_schedule_backoff(const feed_schedule_t *s, int64_t interval_ms, int failures, int64_t retry_after_s,
                              int jitter_permille)
{
    int shift = failures < 1 ? 0 : failures - 1;
    if (shift > 20)
        shift = 20;
    int64_t wait = interval_ms << shift;
    if (wait > s->max_backoff_ms || wait <= 0)
        wait = s->max_backoff_ms;
    wait += wait / 10 * jitter_permille / 1000; /* up to +10% */
    /* A server's Retry-After is honoured beyond max_backoff, up to a week:
     * only a hostile or broken server asks for more. */
    int64_t asked = retry_after_s > S_MAX_RETRY_AFTER_S ? S_MAX_RETRY_AFTER_S * 1000 : retry_after_s * 1000;
    return wait > asked ? wait : asked;
}
