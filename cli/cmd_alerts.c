/* cmd_alerts: `wirewatch alerts` lists delivered alerts from the delivery
 * log, oldest first so the newest is last; --follow keeps printing new ones. */
#include "cli_common.h"
#include "ww_alertlog.h"

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
           json_string_value(json_object_get(a, "title")), json_string_value(json_object_get(a, "source")),
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
                       "usage: wirewatch alerts [--json] [--follow] [--failed] [--limit N]\n\n"
                       "Alerts delivered so far, newest last, each naming its watch and article.\n"
                       "--json prints one JSON object a line; --failed lists alerts whose last delivery failed.\n");
    if (rc)
        return rc == 1 ? 0 : rc;
    if (!cli_config(&cli))
        return 1;
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
