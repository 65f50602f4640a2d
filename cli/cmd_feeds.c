/* cmd_feeds: `wirewatch feeds add|rm|list` manages the feeds the fetcher
 * polls (stored in its state file; a running fetcher sees them at its next
 * poll round). */
#include "cli_common.h"
#include "ww_spool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_feeds(int argc, char **argv)
{
    cli_t cli;
    const char *every = NULL;
    cli_opt_t opts[] = {{"every", true, &every, NULL}, {NULL, false, NULL, NULL}};
    int rc = cli_parse(&cli, argc, argv, opts,
                       "usage: wirewatch feeds add URL [--every DURATION]\n"
                       "       wirewatch feeds rm URL\n"
                       "       wirewatch feeds list [--json]\n");
    if (rc)
        return rc == 1 ? 0 : rc;
    if (cli.argc < 1)
        return cli_fail("feeds needs add, rm or list");
    if (!cli_config(&cli))
        return 1;
    char err[512];
    ww_spool_t *spool = ww_spool_open(ww_config_str(cli.config, "fetcher.state_db"), false, err, sizeof err);
    if (!spool)
        return cli_fail("%s", err);
    const char *verb = cli.argv[0];
    if (!strcmp(verb, "add") && cli.argc == 2) {
        const char *url = cli.argv[1];
        int64_t every_ms = every ? ww_parse_duration_ms(every) : 0;
        if (strncmp(url, "http://", 7) && strncmp(url, "https://", 8))
            rc = cli_fail("%s: feeds must be http:// or https:// URLs", url);
        else if (every_ms < 0 || (every && every_ms < 60000))
            rc = cli_fail("--every takes a duration of at least 1m (e.g. 15m, 2h)");
        else if (ww_spool_feed_add(spool, url, every_ms) < 0)
            rc = cli_fail("cannot add %s", url);
        else
            printf("feed added: %s\n", url);
    } else if (!strcmp(verb, "rm") && cli.argc == 2) {
        if (ww_spool_feed_remove(spool, cli.argv[1]) <= 0)
            rc = cli_fail("no feed %s", cli.argv[1]);
    } else if (!strcmp(verb, "list")) {
        json_t *feeds = ww_spool_feeds(spool);
        if (cli.json)
            cli_print_json(feeds);
        else {
            size_t i;
            json_t *f;
            json_array_foreach(feeds, i, f) printf(
                "%s  failures %d  items %lld%s%s\n", json_string_value(json_object_get(f, "url")),
                (int) json_integer_value(json_object_get(f, "failures")),
                (long long) json_integer_value(json_object_get(f, "items")),
                json_is_string(json_object_get(f, "last_error")) ? "  last error: " : "",
                json_is_string(json_object_get(f, "last_error")) ? json_string_value(json_object_get(f, "last_error"))
                                                                 : "");
        }
        json_decref(feeds);
    } else
        rc = cli_fail("feeds: expected add URL, rm URL or list");
    ww_spool_close(&spool);
    ww_config_destroy(&cli.config);
    free(cli.argv);
    return rc;
}
