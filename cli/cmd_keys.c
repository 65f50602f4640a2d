/* cmd_keys: `wirewatch keys gen` makes the CURVE key pairs, one per role,
 * that secure tcp endpoints between hosts (see lib/message/ww_curve.h). */
#include "cli_common.h"
#include "ww_curve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char s_usage[] =
    "usage: wirewatch keys gen [DIR] [--roles R1,R2,...] [--replace]\n"
    "Writes DIR/public/ROLE.cert and DIR/secret/ROLE.cert_secret for each role (default roles:\n"
    "fetcher, cleaner, indexer, notifier, alertproxy, client). DIR defaults to security.keys_dir,\n"
    "then DATA/keys. Existing key pairs are kept unless --replace. Copy public/ to every host and\n"
    "each role's secret only to the hosts that run it; set security.keys_dir to DIR there.\n"
    "A program subscribing to alerts connects as role 'client' (or a role you add to public/).\n";

#define S_MAX_ROLES 64

int cmd_keys(int argc, char **argv)
{
    const char *roles_arg = NULL;
    bool replace = false;
    cli_opt_t opts[] = {
        {"roles", true, &roles_arg, NULL}, {"replace", false, NULL, &replace}, {NULL, false, NULL, NULL}};
    cli_t cli;
    int rc = cli_parse(&cli, argc, argv, opts, s_usage);
    if (rc) {
        free(cli.argv);
        return rc == 1 ? 0 : rc;
    }
    if (cli.argc < 1 || strcmp(cli.argv[0], "gen") != 0 || cli.argc > 2) {
        fputs(s_usage, stderr);
        free(cli.argv);
        return 2;
    }
    char *dir = NULL;
    if (cli.argc == 2)
        dir = strdup(cli.argv[1]);
    else {
        ww_config_t *config = cli_config(&cli);
        if (!config) {
            free(cli.argv);
            return 1;
        }
        const char *configured = ww_config_str(config, "security.keys_dir");
        if (*configured)
            dir = strdup(configured);
        else {
            size_t n = strlen(ww_config_data_dir(config)) + 8;
            dir = malloc(n);
            snprintf(dir, n, "%s/keys", ww_config_data_dir(config));
        }
    }
    const char *roles[S_MAX_ROLES + 1] = {NULL};
    char *roles_copy = roles_arg ? strdup(roles_arg) : NULL;
    if (roles_copy) {
        size_t n = 0;
        char *save = NULL;
        for (char *r = strtok_r(roles_copy, ",", &save); r; r = strtok_r(NULL, ",", &save)) {
            if (n == S_MAX_ROLES) {
                rc = cli_fail("at most %d roles at once", S_MAX_ROLES);
                break;
            }
            roles[n++] = r;
        }
        if (!rc && n == 0)
            rc = cli_fail("--roles names no role");
    }
    char err[512];
    if (!rc && ww_curve_generate(dir, roles_copy ? roles : NULL, replace, err, sizeof err) < 0)
        rc = cli_fail("%s", err);
    if (!rc) {
        printf("key pairs in %s (public/ for every host, secret/ only where the role runs)\n", dir);
        printf("enable with: security.keys_dir = %s   (or WIREWATCH_SECURITY_KEYS_DIR)\n", dir);
    }
    free(roles_copy);
    free(dir);
    ww_config_destroy(&cli.config);
    free(cli.argv);
    return rc;
}
