/* cmd_watch: `wirewatch watch add|list|rm|pause|resume|test`. Queries are
 * parsed when added, so a watch that cannot work is refused at once; a
 * running notifier picks up changes within notifier.reload_interval. */
#include "cli_common.h"
#include "ww_utc.h"
#include "ww_index.h"
#include "ww_query.h"
#include "ww_secret.h"
#include "ww_snippet.h"
#include "ww_watches.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char s_usage[] =
    "usage: wirewatch watch add NAME QUERY [--webhook URL [--secret-env VAR | --secret-file PATH]]\n"
    "                           [--email ADDR[,ADDR...]] [--digest 30m] [--source S[,S...]] [--language L[,L...]] "
    "[--health]\n"
    "       wirewatch watch add NAME --health [--webhook URL] [--email ADDR]   (feed health only)\n"
    "       wirewatch watch list [--json]\n"
    "       wirewatch watch rm NAME\n"
    "       wirewatch watch pause NAME | resume NAME\n"
    "       wirewatch watch test QUERY [--since 7d] [--limit N] [--json]\n\n"
    "QUERY uses the search language: words and CJK strings, \"exact phrases\", AND (implicit), OR,\n"
    "NOT or -word, parentheses, title: source: author: body:, since: until:.\n"
    "--secret-env/--secret-file name where the webhook's HMAC secret is (an environment variable or a\n"
    "file, read at each delivery); the secret itself is never stored or logged.\n"
    "--digest collects the watch's alerts into one message at most every interval (webhook and e-mail);\n"
    "--health also alerts when a feed fails notifier.health_failures polls in a row, or brings nothing new\n"
    "for notifier.health_silence_factor times its usual gap (and notifier.health_silence_min).\n"
    "--source and --language keep only articles from those sources (a part of the name is enough)\n"
    "or in those languages (zh also takes zh-Hans and zh-Hant).\n";

/* An address SMTP will take and that cannot smuggle headers: local@domain,
 * printable ASCII without spaces, brackets, commas or quotes. */
static bool s_valid_email(const char *a)
{
    const char *at = strchr(a, '@');
    size_t len = strlen(a);
    if (!at || at == a || strchr(at + 1, '@') || len > 254 || !at[1] || at[1] == '.' || a[len - 1] == '.')
        return false;
    for (const char *p = a; *p; p++)
        if (*p <= ' ' || *p >= 127 || strchr("<>()[],;:\\\"", *p))
            return false;
    return true;
}

/* "a,b" -> ["a","b"], empty items dropped; NULL text -> NULL. */
static json_t *s_list(const char *text)
{
    if (!text)
        return NULL;
    json_t *list = json_array();
    char *copy = strdup(text), *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        while (*t == ' ')
            t++;
        if (*t)
            json_array_append_new(list, json_string(t));
    }
    free(copy);
    return list;
}

/* The channels and options of `watch add`, or NULL with the reason. */
static int s_watch_spec(const char *name, const char *webhook, const char *secret_env, const char *secret_file,
                        const char *email, const char *digest, const char *source, const char *language,
                        json_t **channels_out, json_t **options_out)
{
    if (webhook && strncmp(webhook, "http://", 7) && strncmp(webhook, "https://", 8))
        return cli_fail("watch %s: --webhook must be an http:// or https:// URL, not %s", name, webhook);
    if ((secret_env || secret_file) && !webhook)
        return cli_fail("watch %s: --secret-env and --secret-file sign webhook bodies; give --webhook too", name);
    if (secret_env && secret_file)
        return cli_fail("watch %s: give --secret-env or --secret-file, not both", name);
    char secret_path[PATH_MAX] = "";
    if (secret_file) {
        /* the notifier reads it at each delivery: keep where it is, and
         * refuse now what could never be read */
        char probe[WW_SECRET_MAX + 1], err[512];
        int ok = ww_secret_read(secret_file, probe, sizeof probe, err, sizeof err) == 0;
        explicit_bzero(probe, sizeof probe);
        if (!ok)
            return cli_fail("watch %s: %s", name, err);
        if (!realpath(secret_file, secret_path))
            return cli_fail("watch %s: cannot resolve %s: %s", name, secret_file, strerror(errno));
    }
    json_t *channels = json_array(), *options = json_object();
    if (webhook)
        json_array_append_new(channels,
                              json_pack("{s:s, s:s, s:s?, s:s?}", "type", "webhook", "url", webhook, "secret_env",
                                        secret_env, "secret_file", secret_file ? secret_path : NULL));
    json_t *emails = s_list(email);
    size_t i;
    json_t *e;
    int rc = 0;
    json_array_foreach(emails, i, e)
    {
        if (!s_valid_email(json_string_value(e))) {
            rc = cli_fail("watch %s: --email %s is not an e-mail address (local@domain)", name, json_string_value(e));
            break;
        }
        json_array_append_new(channels, json_pack("{s:s, s:O}", "type", "email", "to", e));
    }
    json_decref(emails);
    if (rc == 0 && digest) {
        int64_t ms = ww_parse_duration_ms(digest);
        if (ms < 1000 || ms > 7LL * 86400000)
            rc = cli_fail("watch %s: --digest %s: give an interval from 1s to 7d, such as 30m", name, digest);
        else
            json_object_set_new(options, "digest_ms", json_integer(ms));
    }
    if (source)
        json_object_set_new(options, "sources", s_list(source));
    if (language)
        json_object_set_new(options, "languages", s_list(language));
    if (rc) {
        json_decref(channels);
        json_decref(options);
        return rc;
    }
    *channels_out = channels;
    *options_out = options;
    return 0;
}

static int s_test(cli_t *cli, const char *query_text, const char *since, int limit)
{
    ww_fold_t *fold = cli_fold();
    if (!fold)
        return 1;
    char err[512];
    char *full = NULL;
    if (asprintf(&full, "%s%s%s", query_text, since ? " since:" : "", since ? since : "") < 0)
        return 1;
    ww_query_t *q = ww_query_parse(full, fold, 0, err, sizeof err);
    free(full);
    if (!q) {
        ww_fold_destroy(&fold);
        return cli_fail("query does not parse: %s", err);
    }
    ww_index_t *index = ww_index_open(ww_config_str(cli->config, "indexer.index_db"), true, err, sizeof err);
    if (!index) {
        ww_query_destroy(&q);
        ww_fold_destroy(&fold);
        return cli_fail("%s", err);
    }
    /* The index narrows the candidates; the watch matcher decides, exactly
     * as the notifier would. A query the index cannot search (negations
     * only) is reported, and nothing is listed. */
    ww_search_t s = {q, q->since, q->until, NULL, 100000, true};
    json_t *candidates = ww_index_search(index, &s, err, sizeof err);
    if (!candidates)
        fprintf(stderr, "wirewatch: %s; watch test needs a positive term\n", err);
    json_t *would = json_array();
    json_t *stories = json_object();
    size_t i;
    json_t *hit;
    const char **terms = ww_query_positive_terms(q);
    json_array_foreach(candidates, i, hit)
    {
        json_t *article = ww_index_get(index, json_string_value(json_object_get(hit, "id")));
        if (!article)
            continue;
        const char *story = json_string_value(json_object_get(hit, "story_id"));
        char *mt = ww_fold_text(fold, json_string_value(json_object_get(article, "title")));
        char *mb = ww_fold_text(fold, json_string_value(json_object_get(article, "body")));
        char *ms = ww_fold_text(fold, json_string_value(json_object_get(article, "source")));
        char authors[1024] = "";
        size_t ai, used = 0;
        json_t *av;
        json_array_foreach(json_object_get(article, "authors"), ai, av)
        {
            int n = snprintf(authors + used, sizeof authors - used, "%s ", json_string_value(av));
            if (n < 0 || (size_t) n >= sizeof authors - used)
                break;
            used += (size_t) n;
        }
        char *ma = ww_fold_text(fold, authors);
        time_t published = ww_utc_parse(json_string_value(json_object_get(hit, "published")));
        ww_qdoc_t doc = {mt, mb, ms, ma, published};
        ww_qprep_t *prep = ww_qprep_new(&doc);
        if (ww_query_matches(q, prep) && !json_object_get(stories, story) && (int) json_array_size(would) < limit) {
            json_object_set_new(stories, story, json_true());
            char *snippet = ww_snippet(fold, json_string_value(json_object_get(article, "body")), terms, 120);
            json_array_append_new(
                would, json_pack("{s:O, s:O, s:O, s:O, s:s, s:s}", "title", json_object_get(hit, "title"), "source",
                                 json_object_get(hit, "source"), "published", json_object_get(hit, "published"), "url",
                                 json_object_get(hit, "url"), "story_id", story, "snippet", snippet));
            free(snippet);
        }
        ww_qprep_destroy(&prep);
        free(mt);
        free(mb);
        free(ms);
        free(ma);
        json_decref(article);
    }
    free(terms);
    if (cli->json)
        cli_print_json(would);
    else {
        printf("%zu stories would have alerted\n", json_array_size(would));
        json_array_foreach(would, i, hit) printf(
            "- %s  [%s, %s]\n  %s\n", json_string_value(json_object_get(hit, "title")), cli_source(hit),
            json_string_value(json_object_get(hit, "published")), json_string_value(json_object_get(hit, "snippet")));
    }
    json_decref(would);
    json_decref(stories);
    json_decref(candidates);
    ww_index_close(&index);
    ww_query_destroy(&q);
    ww_fold_destroy(&fold);
    return 0;
}

int cmd_watch(int argc, char **argv)
{
    cli_t cli;
    const char *webhook = NULL, *secret_env = NULL, *secret_file = NULL, *since = NULL, *limit_s = NULL;
    const char *email = NULL, *digest = NULL, *source = NULL, *language = NULL;
    bool health = false;
    cli_opt_t opts[] = {{"webhook", true, &webhook, NULL},
                        {"secret-env", true, &secret_env, NULL},
                        {"secret-file", true, &secret_file, NULL},
                        {"email", true, &email, NULL},
                        {"digest", true, &digest, NULL},
                        {"source", true, &source, NULL},
                        {"language", true, &language, NULL},
                        {"health", false, NULL, &health},
                        {"since", true, &since, NULL},
                        {"limit", true, &limit_s, NULL},
                        {NULL, false, NULL, NULL}};
    int rc = cli_parse(&cli, argc, argv, opts, s_usage);
    if (rc)
        return rc == 1 ? 0 : rc;
    if (cli.argc < 1) {
        fputs(s_usage, stderr);
        return 2;
    }
    const char *verb = cli.argv[0];
    if (!cli_config(&cli))
        return 1;
    if (!strcmp(verb, "test")) {
        if (cli.argc != 2)
            return cli_fail("watch test takes one QUERY (quote it)");
        return s_test(&cli, cli.argv[1], since, limit_s ? atoi(limit_s) : 50);
    }
    char err[512];
    ww_watches_t *store = ww_watches_open(ww_config_str(cli.config, "notifier.watches_db"), err, sizeof err);
    if (!store)
        return cli_fail("%s", err);
    rc = 0;
    if (!strcmp(verb, "add")) {
        if (cli.argc != 3 && !(health && cli.argc == 2)) {
            rc = cli_fail("watch add takes NAME and QUERY (quote the query)");
        } else {
            const char *query_text = cli.argc == 3 ? cli.argv[2] : "";
            ww_fold_t *fold = cli_fold();
            ww_query_t *q = fold && *query_text ? ww_query_parse(query_text, fold, 0, err, sizeof err) : NULL;
            json_t *channels = NULL, *options = NULL;
            if (!q && *query_text)
                rc = cli_fail("watch %s: query does not parse: %s", cli.argv[1], fold ? err : "no fold");
            else if ((rc = s_watch_spec(cli.argv[1], webhook, secret_env, secret_file, email, digest, source, language,
                                        &channels, &options)) == 0) {
                if (health)
                    json_object_set_new(options, "health", json_true());
                if (ww_watches_put(store, cli.argv[1], query_text, channels, options, err, sizeof err) < 0)
                    rc = cli_fail("watch %s: %s", cli.argv[1], err);
                else if (!cli.json)
                    printf("watch %s added: %s%s\n", cli.argv[1], *query_text ? query_text : "(feed health only)",
                           *query_text && health ? " (and feed health)" : "");
            }
            json_decref(channels);
            json_decref(options);
            ww_query_destroy(&q);
            ww_fold_destroy(&fold);
        }
    } else if (!strcmp(verb, "list")) {
        json_t *list = ww_watches_list(store);
        if (cli.json)
            cli_print_json(list);
        else {
            size_t i;
            json_t *w;
            if (json_array_size(list) == 0)
                printf("no watches (add one with: wirewatch watch add NAME QUERY)\n");
            json_array_foreach(list, i, w) printf("%-20s %s%s\n", json_string_value(json_object_get(w, "name")),
                                                  json_string_value(json_object_get(w, "query")),
                                                  json_is_true(json_object_get(w, "paused")) ? "  (paused)" : "");
        }
        json_decref(list);
    } else if (!strcmp(verb, "rm") || !strcmp(verb, "pause") || !strcmp(verb, "resume")) {
        if (cli.argc != 2)
            rc = cli_fail("watch %s takes one NAME", verb);
        else {
            int r = !strcmp(verb, "rm") ? ww_watches_remove(store, cli.argv[1])
                                        : ww_watches_set_paused(store, cli.argv[1], !strcmp(verb, "pause"));
            if (r == 0)
                rc = cli_fail("no watch named %s", cli.argv[1]);
            else if (r < 0)
                rc = cli_fail("cannot change watch %s", cli.argv[1]);
        }
    } else {
        fputs(s_usage, stderr);
        rc = 2;
    }
    ww_watches_close(&store);
    ww_config_destroy(&cli.config);
    free(cli.argv);
    return rc;
}
