/* wirewatch: the command line people use to run and query an instance. */
#include "cli_common.h"

#include <czmq.h>
#include "ww_config.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} s_commands[] = {
    {"up", cmd_up, "start every worker locally; Ctrl-C or SIGTERM stops them cleanly"},
    {"ingest", cmd_ingest, "hand files to the running pipeline (through the drop folder)"},
    {"watch", cmd_watch, "add, list, remove, pause, resume and test watches"},
    {"search", cmd_search, "search the archive with the query language"},
    {"alerts", cmd_alerts, "show the alerts delivered so far (--follow to keep watching)"},
    {"clean", cmd_clean, "run the cleaner on one document and print the article"},
    {"status", cmd_status, "show each worker, its counters and recent errors"},
    {"feeds", cmd_feeds, "add, remove and list polled feeds"},
    {"keys", cmd_keys, "make CURVE key pairs that encrypt and admit workers across hosts"},
};

static void s_usage(FILE *out)
{
    fprintf(out, "usage: wirewatch COMMAND [OPTIONS]\n\nwirewatch watches the news: it ingests feeds and documents,\n"
                 "normalises and indexes them, and alerts you when a watch matches.\n\nCommands:\n");
    for (size_t i = 0; i < sizeof s_commands / sizeof s_commands[0]; i++)
        fprintf(out, "  %-8s %s\n", s_commands[i].name, s_commands[i].summary);
    fprintf(out, "  %-8s %s\n", "config-sample", "print a commented config file documenting every setting");
    fprintf(out, "\nRun 'wirewatch COMMAND --help' for a command's options.\n");
}

int main(int argc, char **argv)
{
    /* Library diagnostics go to stderr: stdout carries the output people
     * and programs read (--json). The CLI handles its own signals. */
    zsys_handler_set(NULL);
    zsys_set_logstream(stderr);
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        s_usage(stdout);
        return argc < 2 ? 2 : 0;
    }
    if (!strcmp(argv[1], "config-sample")) {
        ww_config_write_sample(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("wirewatch 0.1.0\n");
        return 0;
    }
    for (size_t i = 0; i < sizeof s_commands / sizeof s_commands[0]; i++)
        if (!strcmp(argv[1], s_commands[i].name))
            return s_commands[i].run(argc - 2, argv + 2);
    fprintf(stderr, "wirewatch: unknown command '%s'\n\n", argv[1]);
    s_usage(stderr);
    return 2;
}
