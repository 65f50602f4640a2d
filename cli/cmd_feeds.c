/* cmd_feeds: `wirewatch feeds` manages the feeds the fetcher polls (kept in
 * its state file; a running fetcher sees changes within a second) and shows
 * each feed's health. */
#include "cli_common.h"
#include "ww_feedstate.h"
#include "ww_opml.h"
#include "ww_paths.h"
#include "ww_spool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define S_MAX_OPML_BYTES (16u << 20)
#define S_MAX_OPML_FEEDS 100000

static const char s_usage[] = "usage: wirewatch feeds add URL [--every DURATION] [--title T] [--folder F]\n"
                              "       wirewatch feeds rm URL\n"
                              "       wirewatch feeds list [--json]\n"
                              "       wirewatch feeds import FILE.opml\n"
                              "       wirewatch feeds export            (OPML 2.0 on stdout)\n"
                              "Without --every a feed is polled at its own rhythm (fetcher.poll_min to poll_max).\n";

static bool s_is_http(const char *url)
{
    return !strncmp(url, "http://", 7) || !strncmp(url, "https://", 8);
}

/* "3m ago" / "in 2h" style durations for the text listing. */
static void s_ago(char *out, size_t len, json_t *when, int64_t now, bool future)
{
    if (!json_is_integer(when) || json_integer_value(when) == 0) {
        snprintf(out, len, future ? "now" : "never");
        return;
    }
    int64_t d = future ? json_integer_value(when) - now : now - json_integer_value(when);
    if (d <= 0 && future) {
        snprintf(out, len, "now");
        return;
    }
    const char *unit = "s";
    if (d >= 86400 * 2)
        d /= 86400, unit = "d";
    else if (d >= 3600 * 2)
        d /= 3600, unit = "h";
    else if (d >= 120)
        d /= 60, unit = "m";
    snprintf(out, len, future ? "in %lld%s" : "%lld%s ago", (long long) d, unit);
}

static void s_print_list(json_t *feeds)
{
    int64_t now = (int64_t) time(NULL);
    size_t i;
    json_t *f;
    if (!json_array_size(feeds))
        printf("no feeds (add one with: wirewatch feeds add URL)\n");
    json_array_foreach(feeds, i, f)
    {
        char success[32], next[32];
        s_ago(success, sizeof success, json_object_get(f, "last_success"), now, false);
        s_ago(next, sizeof next, json_object_get(f, "next_poll"), now, true);
        int failures = (int) json_integer_value(json_object_get(f, "failures"));
        const char *title = json_string_value(json_object_get(f, "title"));
        const char *folder = json_string_value(json_object_get(f, "folder"));
        printf("%s %s%s%s%s\n", failures ? "FAILING" : "ok     ", json_string_value(json_object_get(f, "url")),
               title ? "  \"" : "", title ? title : "", title ? "\"" : "");
        printf("        %s%s%slast success %s, next poll %s, %lld items in the last day, %lld in all\n",
               folder ? "folder " : "", folder ? folder : "", folder ? ", " : "", success, next,
               (long long) json_integer_value(json_object_get(f, "items_last_day")),
               (long long) json_integer_value(json_object_get(f, "items")));
        if (failures)
            printf("        %d failures in a row, last: %s\n", failures,
                   json_string_value(json_object_get(f, "last_error")));
        if (json_is_string(json_object_get(f, "warnings")))
            printf("        warnings: %s\n", json_string_value(json_object_get(f, "warnings")));
        if (json_is_string(json_object_get(f, "moved_from")))
            printf("        moved from %s\n", json_string_value(json_object_get(f, "moved_from")));
    }
}

static int s_import(ww_spool_t *spool, const char *path)
{
    size_t len;
    char *bytes = ww_read_file(path, S_MAX_OPML_BYTES, &len);
    if (!bytes)
        return cli_fail("%s: cannot read it (missing, unreadable or over 16 MB)", path);
    char err[256];
    json_t *feeds = ww_opml_parse(bytes, len, S_MAX_OPML_FEEDS, err, sizeof err);
    free(bytes);
    if (!feeds)
        return cli_fail("%s: %s", path, err);
    int added = 0, known = 0, refused = 0;
    size_t i;
    json_t *f;
    ww_spool_begin(spool);
    json_array_foreach(feeds, i, f)
    {
        const char *url = json_string_value(json_object_get(f, "url"));
        if (!s_is_http(url)) {
            fprintf(stderr, "wirewatch: %s: skipped %s: feeds must be http:// or https:// URLs\n", path, url);
            refused++;
            continue;
        }
        int rc = ww_feedstate_add(spool, url, -1, json_string_value(json_object_get(f, "title")),
                                  json_string_value(json_object_get(f, "folder")));
        if (rc < 0)
            refused++;
        else
            rc ? added++ : known++;
    }
    ww_spool_commit(spool);
    printf("%s: %d feeds added, %d already known, %d skipped\n", path, added, known, refused);
    json_decref(feeds);
    return refused && !added && !known ? 1 : 0;
}

int cmd_feeds(int argc, char **argv)
{
    cli_t cli;
    const char *every = NULL, *title = NULL, *folder = NULL;
    cli_opt_t opts[] = {{"every", true, &every, NULL},
                        {"title", true, &title, NULL},
                        {"folder", true, &folder, NULL},
                        {NULL, false, NULL, NULL}};
    int rc = cli_parse(&cli, argc, argv, opts, s_usage);
    if (rc)
        return rc == 1 ? 0 : rc;
    if (cli.argc < 1)
        return cli_fail("feeds needs add, rm, list, import or export");
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
        if (!s_is_http(url))
            rc = cli_fail("%s: feeds must be http:// or https:// URLs", url);
        else if (every_ms < 0 || (every && every_ms < 60000))
            rc = cli_fail("--every takes a duration of at least 1m (e.g. 15m, 2h)");
        else {
            int added = ww_feedstate_add(spool, url, every_ms, title, folder);
            if (added < 0)
                rc = cli_fail("cannot add %s", url);
            else
                printf("feed %s: %s\n", added ? "added" : "updated", url);
        }
    } else if (!strcmp(verb, "rm") && cli.argc == 2) {
        if (ww_feedstate_remove(spool, cli.argv[1]) <= 0)
            rc = cli_fail("no feed %s", cli.argv[1]);
        else
            printf("feed removed: %s\n", cli.argv[1]);
    } else if (!strcmp(verb, "list") && cli.argc == 1) {
        json_t *feeds = ww_feedstate_list(spool, (int64_t) time(NULL));
        if (cli.json)
            cli_print_json(feeds);
        else
            s_print_list(feeds);
        json_decref(feeds);
    } else if (!strcmp(verb, "import") && cli.argc == 2) {
        rc = s_import(spool, cli.argv[1]);
    } else if (!strcmp(verb, "export") && cli.argc == 1) {
        json_t *feeds = ww_feedstate_list(spool, (int64_t) time(NULL));
        char *opml = ww_opml_write(feeds, "wirewatch feeds");
        fputs(opml, stdout);
        free(opml);
        json_decref(feeds);
    } else
        rc = cli_fail("feeds: expected add URL, rm URL, list, import FILE or export");
    ww_spool_close(&spool);
    ww_config_destroy(&cli.config);
    free(cli.argv);
    return rc;
}
