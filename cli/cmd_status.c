/* cmd_status: `wirewatch status` reads every worker's status file, the
 * spool, the index and the refused documents. A worker is alive when its
 * status file is fresh (updated in the last five seconds). */
#include "cli_common.h"
#include "ww_index.h"
#include "ww_paths.h"
#include "ww_feedstate.h"
#include "ww_spool.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int cmd_status(int argc, char **argv)
{
    cli_t cli;
    int rc = cli_parse(&cli, argc, argv, NULL,
                       "usage: wirewatch status [--json]\n\nEach worker alive or not, messages in and out, errors;\n"
                       "the spool, the index, and documents that were refused.\n");
    if (rc)
        return rc == 1 ? 0 : rc;
    if (!cli_config(&cli))
        return 1;
    json_t *workers = json_array();
    const char *dir = ww_config_str(cli.config, "status.dir");
    DIR *d = opendir(dir);
    time_t now = time(NULL);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0)
            continue;
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        json_t *s = json_load_file(path, 0, NULL);
        if (!s)
            continue;
        json_int_t updated = json_integer_value(json_object_get(s, "updated"));
        json_object_set_new(s, "alive", json_boolean(now - updated <= 5));
        json_array_append_new(workers, s);
    }
    if (d)
        closedir(d);
    char err[512];
    json_t *out = json_pack("{s:o}", "workers", workers);
    ww_spool_t *spool = access(ww_config_str(cli.config, "fetcher.state_db"), F_OK) == 0
                            ? ww_spool_open(ww_config_str(cli.config, "fetcher.state_db"), true, err, sizeof err)
                            : NULL;
    if (spool) {
        json_object_set_new(out, "spool", ww_spool_stats(spool));
        json_object_set_new(out, "refused", ww_spool_failures(spool, 20));
        json_object_set_new(out, "feeds", ww_feedstate_list(spool, (int64_t) time(NULL)));
        ww_spool_close(&spool);
    }
    ww_index_t *index = access(ww_config_str(cli.config, "indexer.index_db"), F_OK) == 0
                            ? ww_index_open(ww_config_str(cli.config, "indexer.index_db"), true, err, sizeof err)
                            : NULL;
    if (index) {
        int64_t articles = ww_index_count(index), stories = ww_index_story_count(index);
        if (articles >= 0 && stories >= 0) /* the indexer may not have created its tables yet */
            json_object_set_new(
                out, "index",
                json_pack("{s:I, s:I}", "articles", (json_int_t) articles, "stories", (json_int_t) stories));
        ww_index_close(&index);
    }
    if (cli.json)
        cli_print_json(out);
    else {
        size_t i;
        json_t *w;
        printf("workers (%s):\n", ww_config_data_dir(cli.config));
        if (json_array_size(workers) == 0)
            printf("  none running (start them with: wirewatch up)\n");
        json_array_foreach(workers, i, w)
        {
            long long acked = (long long) json_integer_value(json_object_get(w, "acked"));
            char acked_text[48] = "";
            if (acked)
                snprintf(acked_text, sizeof acked_text, "acked %lld ", acked);
            printf("  %-9s pid %-7lld %-5s in %-6lld out %-6lld errors %-4lld %s%s%s%s\n",
                   json_string_value(json_object_get(w, "service")),
                   (long long) json_integer_value(json_object_get(w, "pid")),
                   json_is_true(json_object_get(w, "alive")) ? "up" : "DOWN",
                   (long long) json_integer_value(json_object_get(w, "in")),
                   (long long) json_integer_value(json_object_get(w, "out")),
                   (long long) json_integer_value(json_object_get(w, "errors")), acked_text,
                   json_string_value(json_object_get(w, "note")),
                   json_string_length(json_object_get(w, "last_error")) ? " last error: " : "",
                   json_string_value(json_object_get(w, "last_error")));
        }
        json_t *spool_stats = json_object_get(out, "spool");
        if (spool_stats)
            printf("spool: %lld pending, %lld done, %lld rejected\n",
                   (long long) json_integer_value(json_object_get(spool_stats, "pending")),
                   (long long) json_integer_value(json_object_get(spool_stats, "done")),
                   (long long) json_integer_value(json_object_get(spool_stats, "rejected")));
        json_t *ix = json_object_get(out, "index");
        if (ix)
            printf("index: %lld articles in %lld stories\n",
                   (long long) json_integer_value(json_object_get(ix, "articles")),
                   (long long) json_integer_value(json_object_get(ix, "stories")));
        json_t *refused = json_object_get(out, "refused");
        if (json_array_size(refused))
            printf("refused documents:\n");
        json_array_foreach(refused, i, w) printf("  %s: %s\n", json_string_value(json_object_get(w, "origin")),
                                                 json_string_value(json_object_get(w, "reason")));
    }
    json_decref(out);
    ww_config_destroy(&cli.config);
    free(cli.argv);
    return 0;
}
