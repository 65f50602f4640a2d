/* cmd_search: `wirewatch search QUERY` against the archive, ranked by bm25
 * (title matches weigh more) or newest first, with snippets in each
 * article's own script. */
#include "cli_common.h"
#include "ww_index.h"
#include "ww_query.h"
#include "ww_snippet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char s_usage[] =
    "usage: wirewatch search QUERY [--limit N] [--since WHEN] [--until WHEN] [--source NAME]\n"
    "                        [--sort relevance|newest] [--json]\n\n"
    "WHEN is a date (2022-05-01) or a span back from now (7d, 12h). Examples:\n"
    "  wirewatch search 疫情防控\n"
    "  wirewatch search '\"严防死守\" OR 动态清零 -上海 title:北京'\n";

int cmd_search(int argc, char **argv)
{
    cli_t cli;
    const char *limit_s = NULL, *since = NULL, *until = NULL, *source = NULL, *sort = NULL;
    cli_opt_t opts[] = {{"limit", true, &limit_s, NULL}, {"since", true, &since, NULL}, {"until", true, &until, NULL},
                        {"source", true, &source, NULL}, {"sort", true, &sort, NULL},   {NULL, false, NULL, NULL}};
    int rc = cli_parse(&cli, argc, argv, opts, s_usage);
    if (rc)
        return rc == 1 ? 0 : rc;
    if (cli.argc < 1)
        return cli_fail("search needs a QUERY");
    if (sort && strcmp(sort, "relevance") && strcmp(sort, "newest"))
        return cli_fail("--sort takes relevance or newest");
    int limit = limit_s ? atoi(limit_s) : 20;
    if (limit < 1 || limit > 10000)
        return cli_fail("--limit takes a number from 1 to 10000");
    if (!cli_config(&cli))
        return 1;
    /* QUERY may come as several words: join them as the shell split them,
     * whole, so that the parser's length cap names the real length. */
    size_t need = 32 + (since ? strlen(since) : 0) + (until ? strlen(until) : 0);
    for (int i = 0; i < cli.argc; i++)
        need += strlen(cli.argv[i]) + 1;
    char *query_text = calloc(1, need);
    if (!query_text)
        return cli_fail("out of memory");
    size_t used = 0;
    for (int i = 0; i < cli.argc; i++)
        used += (size_t) snprintf(query_text + used, need - used, "%s%s", i ? " " : "", cli.argv[i]);
    if (since)
        used += (size_t) snprintf(query_text + used, need - used, " since:%s", since);
    if (until)
        snprintf(query_text + used, need - used, " until:%s", until);
    ww_fold_t *fold = cli_fold();
    if (!fold) {
        free(query_text);
        return 1;
    }
    char err[512];
    ww_query_t *q = ww_query_parse(query_text, fold, 0, err, sizeof err);
    free(query_text);
    if (!q) {
        ww_fold_destroy(&fold);
        return cli_fail("query: %s", err);
    }
    ww_index_t *index = ww_index_open(ww_config_str(cli.config, "indexer.index_db"), true, err, sizeof err);
    if (!index) {
        ww_query_destroy(&q);
        ww_fold_destroy(&fold);
        return cli_fail("%s (has `wirewatch up` run with this --data?)", err);
    }
    ww_search_t s = {q, q->since, q->until, source, limit, sort && !strcmp(sort, "newest")};
    json_t *hits = ww_index_search(index, &s, err, sizeof err);
    if (!hits)
        rc = cli_fail("%s", err);
    else {
        const char **terms = ww_query_positive_terms(q);
        size_t i;
        json_t *h;
        json_array_foreach(hits, i, h)
        {
            char *snippet = ww_snippet(fold, json_string_value(json_object_get(h, "body")), terms, 120);
            json_object_set_new(h, "snippet", json_string(snippet));
            json_object_del(h, "body");
            free(snippet);
        }
        free(terms);
        if (cli.json)
            cli_print_json(hits);
        else {
            if (json_array_size(hits) == 0)
                printf("no matches\n");
            json_array_foreach(hits, i, h)
            {
                const char *url = json_string_value(json_object_get(h, "url"));
                printf("%s\n  %s · %s · story %s\n", json_string_value(json_object_get(h, "title")), cli_source(h),
                       json_string_value(json_object_get(h, "published")),
                       json_string_value(json_object_get(h, "story_id")));
                if (url && *url)
                    printf("  %s\n", url);
                printf("  %s\n\n", json_string_value(json_object_get(h, "snippet")));
            }
        }
        json_decref(hits);
    }
    ww_index_close(&index);
    ww_query_destroy(&q);
    ww_fold_destroy(&fold);
    ww_config_destroy(&cli.config);
    free(cli.argv);
    return rc;
}
