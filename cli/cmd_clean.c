/* cmd_clean: `wirewatch clean FILE|-` prints exactly the article the cleaner
 * would send on, for checking how a source comes out. */
#include "cli_common.h"
#include "ww_article.h"
#include "ww_paths.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *s_read_stdin(size_t max, size_t *len)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    size_t r;
    while (buf && (r = fread(buf + n, 1, cap - n, stdin)) > 0) {
        n += r;
        if (n > max) {
            free(buf);
            errno = EFBIG;
            return NULL;
        }
        if (n == cap) {
            cap *= 2;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                return NULL;
            }
            buf = nb;
        }
    }
    *len = n;
    return buf;
}

int cmd_clean(int argc, char **argv)
{
    cli_t cli;
    const char *url = NULL, *encoding = NULL, *fetched = NULL;
    cli_opt_t opts[] = {{"url", true, &url, NULL},
                        {"encoding", true, &encoding, NULL},
                        {"fetched-at", true, &fetched, NULL},
                        {NULL, false, NULL, NULL}};
    int rc = cli_parse(&cli, argc, argv, opts,
                       "usage: wirewatch clean FILE|- [--json] [--url URL] [--encoding E] [--fetched-at EPOCH]\n\n"
                       "Runs the cleaner on one document and prints the article it makes.\n"
                       "--url resolves relative links; --encoding overrides detection;\n"
                       "--fetched-at (seconds since 1970) anchors relative dates such as 昨天.\n");
    if (rc)
        return rc == 1 ? 0 : rc;
    if (cli.argc != 1)
        return cli_fail("clean takes one FILE (or - for standard input)");
    ww_config_t *config = cli_config(&cli);
    if (!config)
        return 1;
    size_t max = (size_t) ww_config_int(config, "limits.max_document");
    size_t len = 0;
    const char *path = cli.argv[0];
    char *bytes = !strcmp(path, "-") ? s_read_stdin(max, &len) : ww_read_file(path, max, &len);
    if (!bytes)
        return cli_fail("%s: %s", path, errno == EFBIG ? "larger than limits.max_document" : strerror(errno));
    char err[512];
    ww_cleaner_t *cleaner = ww_cleaner_new(max, err, sizeof err);
    if (!cleaner) {
        free(bytes);
        return cli_fail("%s", err);
    }
    ww_doc_info_t info = {.url = url,
                          .origin = path,
                          .kind = "file",
                          .forced_encoding = encoding,
                          .fetched_at = fetched ? (time_t) atoll(fetched) : 0};
    json_t *article = ww_cleaner_clean(cleaner, bytes, len, &info, err, sizeof err);
    if (!article)
        rc = cli_fail("%s: %s", path, err);
    else if (cli.json)
        cli_print_json(article);
    else {
        json_t *authors = json_object_get(article, "authors");
        char *a = json_dumps(authors, JSON_COMPACT);
        printf("title:     %s\nsource:    %s\nauthors:   %s\neditor:    %s\npublished: %s%s\nlanguage:  %s\n"
               "encoding:  %s\nurl:       %s\n\n%s\n",
               json_string_value(json_object_get(article, "title")),
               json_string_value(json_object_get(article, "source")), a,
               json_string_value(json_object_get(article, "editor")),
               json_string_value(json_object_get(article, "published")),
               json_is_true(json_object_get(article, "published_estimated")) ? " (estimated)" : "",
               json_string_value(json_object_get(article, "language")),
               json_string_value(json_object_get(article, "encoding")),
               json_string_value(json_object_get(article, "url")), json_string_value(json_object_get(article, "body")));
        free(a);
    }
    json_decref(article);
    ww_cleaner_destroy(&cleaner);
    free(bytes);
    ww_config_destroy(&cli.config);
    free(cli.argv);
    return rc;
}
