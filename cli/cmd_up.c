/* cmd_up: `wirewatch up` runs every worker as a local process, restarts one
 * that dies (with backoff, as a container restart policy would), and on
 * SIGINT/SIGTERM stops them all: SIGTERM first, SIGKILL after a deadline. */
#include "cli_common.h"
#include "ww_paths.h"
#include "ww_status.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define S_STOP_DEADLINE_MS 10000
/* A worker that ran this long before it died is restarted without delay. */
#define S_STABLE_RUN_MS 10000

typedef struct {
    const char *service;    /* its name in the status folder */
    char program[PATH_MAX]; /* executable path */
    pid_t pid;              /* 0 when not running */
    int restarts;           /* in a row, each after a short run */
    long long started_at;   /* monotonic ms of its last start */
    long long restart_at;   /* monotonic ms when it may start again */
} s_worker_t;

static volatile sig_atomic_t s_stop = 0;

static void s_on_signal(int sig)
{
    (void) sig;
    s_stop = 1;
}

static long long s_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Workers live next to this program (installed or in the build's bin/). */
static void s_locate(const char *name, char *out, size_t len)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        self[n] = 0;
        char *slash = strrchr(self, '/');
        if (slash) {
            *slash = 0;
            int n2 = snprintf(out, len, "%s/wirewatch-%s", self, name);
            if (n2 > 0 && (size_t) n2 < len && access(out, X_OK) == 0)
                return;
        }
    }
    snprintf(out, len, "wirewatch-%s", name); /* from PATH */
}

static pid_t s_spawn(s_worker_t *w, cli_t *cli, const char *data)
{
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGINT, SIG_IGN); /* the terminal's Ctrl-C goes to us; we stop them */
        char *args[8];
        int a = 0;
        args[a++] = w->program;
        args[a++] = (char *) "--data";
        args[a++] = (char *) data;
        if (cli->config_flag) {
            args[a++] = (char *) "--config";
            args[a++] = (char *) cli->config_flag;
        }
        args[a] = NULL;
        execvp(w->program, args);
        fprintf(stderr, "wirewatch up: cannot start %s: %s\n", w->program, strerror(errno));
        _exit(127);
    }
    return pid;
}

int cmd_up(int argc, char **argv)
{
    cli_t cli;
    int rc = cli_parse(&cli, argc, argv, NULL,
                       "usage: wirewatch up [--data DIR] [--config FILE]\n\n"
                       "Starts the fetcher, the indexer, up.cleaners cleaners and up.notifiers notifiers as\n"
                       "local processes talking over ipc:// endpoints in the data directory.\n");
    if (rc)
        return rc == 1 ? 0 : rc;
    ww_config_t *config = cli_config(&cli);
    if (!config)
        return 1;
    const char *data = ww_config_data_dir(config);
    /* One instance per data directory: a second one would fight the first
     * over its endpoints and files. The lock goes when this process does. */
    char lock_path[4200];
    snprintf(lock_path, sizeof lock_path, "%s/up.lock", data);
    int lock_fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lock_fd < 0 || flock(lock_fd, LOCK_EX | LOCK_NB) < 0) {
        char other[32] = "";
        if (lock_fd >= 0 && read(lock_fd, other, sizeof other - 1) < 0)
            other[0] = 0;
        return cli_fail("another `wirewatch up` (pid %s) is running with data directory %s", other[0] ? other : "?",
                        data);
    }
    if (ftruncate(lock_fd, 0) == 0) {
        char pid[32];
        int n = snprintf(pid, sizeof pid, "%d", (int) getpid());
        if (write(lock_fd, pid, (size_t) n) != n)
            fprintf(stderr, "wirewatch up: cannot write %s\n", lock_path);
    }
    int cleaners = (int) ww_config_int(config, "up.cleaners");
    int notifiers = (int) ww_config_int(config, "up.notifiers");
    int count = 3 + cleaners + notifiers;
    s_worker_t *workers = calloc((size_t) count, sizeof *workers);
    int k = 0;
    workers[k++].service = "fetcher";
    workers[k++].service = "indexer";
    workers[k++].service = "alertproxy";
    for (int i = 0; i < cleaners; i++)
        workers[k++].service = "cleaner";
    for (int i = 0; i < notifiers; i++)
        workers[k++].service = "notifier";
    for (int i = 0; i < count; i++)
        s_locate(workers[i].service, workers[i].program, PATH_MAX);
    const char *status_dir = ww_config_str(config, "status.dir");

    struct sigaction sa = {0};
    sa.sa_handler = s_on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    fprintf(stderr, "wirewatch up: %d workers, data in %s, drop folder %s\n", count, data,
            ww_config_str(config, "fetcher.drop_dir"));
    for (int i = 0; i < count; i++) {
        workers[i].pid = s_spawn(&workers[i], &cli, data);
        workers[i].started_at = s_now_ms();
    }

    while (!s_stop) {
        int status;
        pid_t pid = waitpid(-1, &status, WNOHANG);
        long long now = s_now_ms();
        if (pid > 0) {
            for (int i = 0; i < count; i++) {
                if (workers[i].pid != pid)
                    continue;
                workers[i].pid = 0;
                /* a clean exit removed them; a killed worker could not */
                ww_status_remove_dead(status_dir, workers[i].service, (int) pid);
                /* as docker's restart policy: a worker that ran a while
                 * before it died starts again at once; one that keeps
                 * dying waits longer each time */
                if (now - workers[i].started_at >= S_STABLE_RUN_MS)
                    workers[i].restarts = 0;
                int backoff = workers[i].restarts ? 500 << (workers[i].restarts < 6 ? workers[i].restarts : 6) : 100;
                workers[i].restart_at = now + backoff;
                workers[i].restarts++;
                fprintf(stderr, "wirewatch up: %s exited (%s %d); restarting in %d ms\n", workers[i].program,
                        WIFSIGNALED(status) ? "signal" : "status",
                        WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status), backoff);
            }
            continue;
        }
        for (int i = 0; i < count; i++)
            if (!workers[i].pid && now >= workers[i].restart_at) {
                workers[i].pid = s_spawn(&workers[i], &cli, data);
                workers[i].started_at = now;
            }
        usleep(100000);
    }
    fprintf(stderr, "wirewatch up: stopping workers\n");
    for (int i = 0; i < count; i++)
        if (workers[i].pid)
            kill(workers[i].pid, SIGTERM);
    long long deadline = s_now_ms() + S_STOP_DEADLINE_MS;
    int exit_code = 0;
    int running = count;
    while (running > 0 && s_now_ms() < deadline) {
        running = 0;
        for (int i = 0; i < count; i++) {
            if (!workers[i].pid)
                continue;
            int status = 0;
            if (waitpid(workers[i].pid, &status, WNOHANG) == workers[i].pid) {
                ww_status_remove_dead(status_dir, workers[i].service, (int) workers[i].pid);
                workers[i].pid = 0;
                if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                    fprintf(stderr, "wirewatch up: %s ended badly on stop (%s %d)\n", workers[i].program,
                            WIFSIGNALED(status) ? "signal" : "status",
                            WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
                    exit_code = 1;
                }
            } else
                running++;
        }
        if (running)
            usleep(50000);
    }
    for (int i = 0; i < count; i++)
        if (workers[i].pid) {
            fprintf(stderr, "wirewatch up: %s did not stop in time; killing it\n", workers[i].program);
            kill(workers[i].pid, SIGKILL);
            waitpid(workers[i].pid, NULL, 0);
            ww_status_remove_dead(status_dir, workers[i].service, (int) workers[i].pid);
            exit_code = 1;
        }
    free(workers);
    ww_config_destroy(&cli.config);
    free(cli.argv);
    fprintf(stderr, "wirewatch up: stopped\n");
    return exit_code;
}
