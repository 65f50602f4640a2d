/* test_time: the date forms news sources write. */
#include "ww_time.h"
#include "ww_test.h"

static const char *s_iso(const char *text, bool chinese)
{
    static char buf[32];
    ww_when_t w;
    if (ww_time_parse(text, chinese ? 8 * 3600 : 0, chinese, &w) < 0)
        return "(none)";
    ww_time_format(w.when, buf, sizeof buf);
    return buf;
}

static const char *s_find(const char *text, time_t now, bool *estimated)
{
    static char buf[32];
    ww_when_t w;
    if (ww_time_find_in_text(text, now, 8 * 3600, &w) < 0)
        return "(none)";
    *estimated = w.estimated;
    ww_time_format(w.when, buf, sizeof buf);
    return buf;
}

int main(void)
{
    CHECK_STR(s_iso("Thu, 05 Aug 2021 23:53:07 GMT", true), "2021-08-05T23:53:07Z");
    CHECK_STR(s_iso("Sun, 8 May 2022 00:02:12 +0000", false), "2022-05-08T00:02:12Z");
    CHECK_STR(s_iso("Tue, 11 Jul 2023 08:00:00 +0800", false), "2023-07-11T00:00:00Z");
    CHECK_STR(s_iso("Tue, 11 Jul 2023 08:00 CST", true), "2023-07-11T00:00:00Z");  /* China */
    CHECK_STR(s_iso("Tue, 11 Jul 2023 08:00 CST", false), "2023-07-11T14:00:00Z"); /* US Central */
    CHECK_STR(s_iso("11 Jul 2023 08:00:00 GMT+8", false), "2023-07-11T00:00:00Z");
    CHECK_STR(s_iso("Tues, 11 Jul 23 08:00:00 GMT", false), "2023-07-11T08:00:00Z");
    CHECK_STR(s_iso("2022-05-07T10:30:00+08:00", false), "2022-05-07T02:30:00Z");
    CHECK_STR(s_iso("2022-05-07 10:30", true), "2022-05-07T02:30:00Z");
    CHECK_STR(s_iso("2022/05/07", true), "2022-05-06T16:00:00Z");
    CHECK_STR(s_iso("2022-05-07T10:30:00.123Z", false), "2022-05-07T10:30:00Z");
    CHECK_STR(s_iso("2022年5月7日 10:30", true), "2022-05-07T02:30:00Z");
    CHECK_STR(s_iso("2022年05月07日10时30分", true), "2022-05-07T02:30:00Z");
    CHECK_STR(s_iso("1651890600", false), "2022-05-07T02:30:00Z");
    /* a weekday before "Month D, YYYY", as US sites write it */
    CHECK_STR(s_iso("Tuesday, December 1, 2026", false), "2026-12-01T00:00:00Z");
    CHECK_STR(s_iso("Tue, December 1, 2026 8:00 AM EST", false), "2026-12-01T13:00:00Z");
    /* US zones without standard or daylight: daylight from the second
     * Sunday of March (8 March 2026) to the first of November (1 November) */
    CHECK_STR(s_iso("December 1, 2026 8:00 AM ET", false), "2026-12-01T13:00:00Z");
    CHECK_STR(s_iso("July 4, 2026 8:00 AM ET", false), "2026-07-04T12:00:00Z");
    CHECK_STR(s_iso("March 7, 2026 8:00 AM PT", false), "2026-03-07T16:00:00Z");
    CHECK_STR(s_iso("March 8, 2026 8:00 AM PT", false), "2026-03-08T15:00:00Z");
    CHECK_STR(s_iso("October 31, 2026 8:00 AM CT", false), "2026-10-31T13:00:00Z");
    CHECK_STR(s_iso("November 1, 2026 8:00 AM CT", false), "2026-11-01T14:00:00Z");
    CHECK_STR(s_iso("yesterday-ish", false), "(none)");
    CHECK_STR(s_iso("2022-13-45", false), "(none)");

    /* now = 2023-07-13 06:13:20 in Beijing */
    time_t now = 1689200000;
    bool est = false;
    CHECK_STR(s_find("本报讯 昨天下午，市委书记……", now, &est), "2023-07-12T07:00:00Z");
    CHECK(est);
    CHECK_STR(s_find("3小时前", now, &est), "2023-07-12T19:13:20Z");
    CHECK_STR(s_find("5月7日上午，会议召开", now, &est), "2023-05-06T16:00:00Z");
    CHECK(est);
    CHECK_STR(s_find("12月30日，会议召开", now, &est), "2022-12-29T16:00:00Z"); /* not in the future */
    CHECK_STR(s_find("发布时间：2023-05-20 11:45", now, &est), "2023-05-20T03:45:00Z");
    CHECK(!est);
    CHECK_STR(s_find("没有日期的文字", now, &est), "(none)");
    WW_TEST_END();
}
