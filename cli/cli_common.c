/* cli_common: option parsing and shared helpers of the CLI. */
#include "cli_common.h"
#include "ww_service.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char s_common[] =
    "Common options:\n"
    "  --data DIR     instance data directory (default: $WIREWATCH_DATA, then ~/.local/share/wirewatch)\n"
    "  --config FILE  config file (default: $WIREWATCH_CONFIG, then DATA/wirewatch.conf)\n"
    "  --json         machine-readable output where the output is data\n"
    "  --help         this text\n";

int cli_parse(cli_t *cli, int argc, char **argv, const cli_opt_t *opts, const char *usage)
{
    memset(cli, 0, sizeof *cli);
    cli->argv = calloc((size_t) argc + 1, sizeof *cli->argv);
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            while (++i < argc)
                cli->argv[cli->argc++] = argv[i];
            break;
        }
        if (strncmp(a, "--", 2) != 0 || a[2] == 0) {
            cli->argv[cli->argc++] = argv[i];
            continue;
        }
        const char *name = a + 2;
        const char *eq = strchr(name, '=');
        size_t nlen = eq ? (size_t) (eq - name) : strlen(name);
        const char *inline_value = eq ? eq + 1 : NULL;
#define TAKE_VALUE(dst)                                                                                                \
    do {                                                                                                               \
        if (inline_value)                                                                                              \
            dst = inline_value;                                                                                        \
        else if (i + 1 < argc)                                                                                         \
            dst = argv[++i];                                                                                           \
        else {                                                                                                         \
            fprintf(stderr, "wirewatch: option --%.*s needs a value\n%s", (int) nlen, name, usage);                    \
            return 2;                                                                                                  \
        }                                                                                                              \
    } while (0)
        if (nlen == 4 && !strncmp(name, "help", 4)) {
            printf("%s\n%s", usage, s_common);
            return 1;
        } else if (nlen == 4 && !strncmp(name, "json", 4))
            cli->json = true;
        else if (nlen == 4 && !strncmp(name, "data", 4))
            TAKE_VALUE(cli->data_flag);
        else if (nlen == 6 && !strncmp(name, "config", 6))
            TAKE_VALUE(cli->config_flag);
        else {
            bool known = false;
            for (const cli_opt_t *o = opts; o && o->name; o++) {
                if (strlen(o->name) != nlen || strncmp(o->name, name, nlen) != 0)
                    continue;
                known = true;
                if (o->has_value)
                    TAKE_VALUE(*o->value);
                else if (o->flag)
                    *o->flag = true;
            }
            if (!known) {
                fprintf(stderr, "wirewatch: unknown option %s\n\n%s", a, usage);
                return 2;
            }
        }
#undef TAKE_VALUE
    }
    return 0;
}

ww_config_t *cli_config(cli_t *cli)
{
    if (!cli->config)
        cli->config = ww_service_config(cli->data_flag, cli->config_flag);
    return cli->config;
}

ww_fold_t *cli_fold(void)
{
    char err[256];
    ww_fold_t *f = ww_fold_new(err, sizeof err);
    if (!f)
        fprintf(stderr, "wirewatch: %s\n", err);
    return f;
}

void cli_print_json(json_t *j)
{
    char *s = json_dumps(j, JSON_INDENT(2));
    if (s) {
        printf("%s\n", s);
        free(s);
    }
}

int cli_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "wirewatch: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    return 1;
}

const char *cli_source(json_t *item)
{
    const char *s = json_string_value(json_object_get(item, "source"));
    return s && *s ? s : "(no source)";
}
