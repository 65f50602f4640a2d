/* cmd_alerts: `wirewatch alerts` lists delivered alerts from the delivery
 * log, oldest first so the newest is last; --follow keeps printing new ones. */
#include "cli_common.h"
#include "ww_alertlog.h"
#include "ww_outbox.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t s_stop = 0;

static void s_on_signal(int sig)
{
    (void) sig;
    s_stop = 1;
}

static void s_print_failed(json_t *a)
{
    if (json_is_true(json_object_get(a, "digest")))
        printf("[dead] digest of %lld alerts for watch %s (%s)\n",
               (long long) json_integer_value(json_object_get(a, "count")),
               json_string_value(json_object_get(a, "watch")), json_string_value(json_object_get(a, "alert_id")));
    else
        printf("[dead] alert %s, watch %s: %s\n", json_string_value(json_object_get(a, "alert_id")),
               json_string_value(json_object_get(a, "watch")), json_string_value(json_object_get(a, "title")));
    printf("  %s gave up after %lld attempts: %s\n", json_string_value(json_object_get(a, "failed_channel")),
           (long long) json_integer_value(json_object_get(a, "attempts")),
           json_string_value(json_object_get(a, "last_error")));
}

/* `alerts retry [ALERT_ID]`: dead deliveries back in the queue; the running
 * notifier sends them within a second. */
static int s_retry(cli_t *cli, const char *alert_id)
{
    char err[512];
    ww_alertlog_t *log = ww_alertlog_open(ww_config_str(cli->config, "notifier.alerts_db"), false, err, sizeof err);
    if (!log)
        return cli_fail("%s", err);
    int n = ww_outbox_retry(log, alert_id);
    ww_alertlog_close(&log);
    if (n < 0)
        return cli_fail("cannot requeue dead deliveries");
    if (n == 0 && alert_id)
        return cli_fail("no dead delivery for alert %s (see wirewatch alerts --failed)", alert_id);
    printf("%d dead %s queued again\n", n, n == 1 ? "delivery" : "deliveries");
    return 0;
}

static void s_print(json_t *a, bool json)
{
    if (json) {
        char *s = json_dumps(a, JSON_COMPACT);
        printf("%s\n", s);
        free(s);
        return;
    }
    printf("[%s] watch %s: %s\n  %s · %s%s · article %s · story %s\n  %s\n",
           json_string_value(json_object_get(a, "alerted_at")), json_string_value(json_object_get(a, "watch")),
           json_string_value(json_object_get(a, "title")), cli_source(a),
           json_string_value(json_object_get(a, "published")),
           json_is_true(json_object_get(a, "published_estimated")) ? " (estimated)" : "",
           json_string_value(json_object_get(a, "article_id")), json_string_value(json_object_get(a, "story_id")),
           json_string_value(json_object_get(a, "snippet")));
}

int cmd_alerts(int argc, char **argv)
{
    cli_t cli;
    bool follow = false, failed = false;
    const char *limit_s = NULL;
    cli_opt_t opts[] = {{"follow", false, NULL, &follow},
                        {"failed", false, NULL, &failed},
                        {"limit", true, &limit_s, NULL},
                        {NULL, false, NULL, NULL}};
    int rc = cli_parse(&cli, argc, argv, opts,
                       "usage: wirewatch alerts [--json] [--follow] [--failed] [--limit N]\n"
                       "       wirewatch alerts retry [ALERT_ID]\n\n"
                       "Alerts delivered so far, newest last, each naming its watch and article.\n"
                       "--json prints one JSON object a line; --failed lists the dead letters: webhook and\n"
                       "e-mail deliveries given up after notifier.attempts; `alerts retry` sends them again\n"
                       "(one alert, or all).\n");
    if (rc)
        return rc == 1 ? 0 : rc;
    if (!cli_config(&cli))
        return 1;
    if (cli.argc >= 1 && !strcmp(cli.argv[0], "retry")) {
        rc = cli.argc > 2 ? cli_fail("alerts retry takes at most one ALERT_ID")
                          : s_retry(&cli, cli.argc == 2 ? cli.argv[1] : NULL);
        ww_config_destroy(&cli.config);
        free(cli.argv);
        return rc;
    }
    const char *path = ww_config_str(cli.config, "notifier.alerts_db");
    char err[512];
    ww_alertlog_t *log = NULL;
    int limit = limit_s ? atoi(limit_s) : 1000000;
    signal(SIGINT, s_on_signal);
    signal(SIGTERM, s_on_signal);
    int64_t after = 0;
    do {
        if (!log && access(path, F_OK) == 0)
            log = ww_alertlog_open(path, false, err, sizeof err);
        if (!log) {
            if (!follow) {
                if (!cli.json)
                    printf("no alerts yet\n");
                break;
            }
        } else {
            json_t *list = failed ? ww_alertlog_failed(log, limit) : ww_alertlog_list(log, after, limit);
            size_t i;
            json_t *a;
            json_array_foreach(list, i, a)
            {
                if (failed && !cli.json)
                    s_print_failed(a);
                else
                    s_print(a, cli.json);
                after = json_integer_value(json_object_get(a, "seq"));
            }
            if (!follow && json_array_size(list) == 0 && !cli.json)
                printf("no alerts yet\n");
            json_decref(list);
            fflush(stdout);
        }
        if (follow)
            usleep(300000);
    } while (follow && !s_stop && !failed);
    ww_alertlog_close(&log);
    ww_config_destroy(&cli.config);
    free(cli.argv);
    return 0;
}
