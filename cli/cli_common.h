/* cli_common: what every `wirewatch` subcommand shares: the --data/--config/
 * --json/--help options, the loaded config, and one error style. */
#ifndef CLI_COMMON_H
#define CLI_COMMON_H

#include <jansson.h>
#include <stdbool.h>

#include "ww_config.h"
#include "ww_fold.h"

typedef struct {
    const char *data_flag;   /* --data */
    const char *config_flag; /* --config */
    bool json;               /* --json */
    ww_config_t *config;     /* loaded on demand by cli_config */
    int argc;                /* positional arguments left */
    char **argv;
} cli_t;

/* A subcommand's option, beyond the common ones. */
typedef struct {
    const char *name; /* long name without dashes */
    bool has_value;
    const char **value; /* where the value goes (has_value) */
    bool *flag;         /* set when present (!has_value) */
} cli_opt_t;

/* Parses argv (after the subcommand words) into cli and opts; prints usage
 * and returns 1 for --help, 2 for a bad option; 0 otherwise. */
int cli_parse(cli_t *cli, int argc, char **argv, const cli_opt_t *opts, const char *usage);
ww_config_t *cli_config(cli_t *cli);
ww_fold_t *cli_fold(void);
void cli_print_json(json_t *j);
/* A hit's or an alert's source for display: "(no source)" when it has none. */
const char *cli_source(json_t *item);
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int cmd_up(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_alerts(int argc, char **argv);
int cmd_clean(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_feeds(int argc, char **argv);
int cmd_keys(int argc, char **argv);

#endif
