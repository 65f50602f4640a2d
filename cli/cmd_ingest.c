/* cmd_ingest: `wirewatch ingest PATH...` copies documents into the running
 * instance's drop folder, each written under a hidden name and renamed into
 * place so the fetcher never sees half a file. */
#include "cli_common.h"
#include "ww_paths.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cmd_ingest(int argc, char **argv)
{
    cli_t cli;
    int rc = cli_parse(&cli, argc, argv, NULL,
                       "usage: wirewatch ingest PATH... [--data DIR]\n\n"
                       "Hands documents (.md with front matter, .html, .txt, feed .xml/.json) to the pipeline.\n");
    if (rc)
        return rc == 1 ? 0 : rc;
    if (cli.argc == 0)
        return cli_fail("ingest needs at least one file");
    ww_config_t *config = cli_config(&cli);
    if (!config)
        return 1;
    const char *drop = ww_config_str(config, "fetcher.drop_dir");
    ww_mkdir_p(drop);
    int failed = 0;
    json_t *report = json_array();
    size_t max = (size_t) ww_config_int(config, "limits.max_document");
    for (int i = 0; i < cli.argc; i++) {
        const char *path = cli.argv[i];
        size_t len = 0;
        char *bytes = ww_read_file(path, max, &len);
        if (!bytes) {
            fprintf(stderr, "wirewatch: %s: %s\n", path,
                    errno == EFBIG ? "larger than limits.max_document" : strerror(errno));
            failed++;
            continue;
        }
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        char target[4200], hidden[4200];
        snprintf(target, sizeof target, "%s/%s", drop, base);
        for (int n = 1; access(target, F_OK) == 0 && n < 10000; n++)
            snprintf(target, sizeof target, "%s/%d-%s", drop, n, base);
        snprintf(hidden, sizeof hidden, "%s/.%s.%d.tmp", drop, base, (int) getpid());
        if (ww_write_file_atomic(hidden, bytes, len, 1) < 0 || rename(hidden, target) < 0) {
            fprintf(stderr, "wirewatch: %s: cannot write to %s: %s\n", path, drop, strerror(errno));
            unlink(hidden);
            failed++;
        } else {
            json_array_append_new(report, json_pack("{s:s, s:s}", "file", path, "dropped_as", target));
            if (!cli.json)
                printf("queued %s\n", path);
        }
        free(bytes);
    }
    if (cli.json)
        cli_print_json(report);
    json_decref(report);
    ww_config_destroy(&cli.config);
    free(cli.argv);
    return failed ? 1 : 0;
}
