/* bench_receiver: the load benchmark's webhook receiver.
 *   bench_receiver
 * Listens on 127.0.0.1 (a port the kernel picks, printed first as
 * "port N"), answers every POST with 204 over HTTP/1.1 keep-alive, and
 * prints one line per request: the alert's title, a tab, and the arrival
 * time in seconds of the wall clock (the harness compares it with the time
 * it dropped the article).
 *
 * Why C: Python's http.server spent a quarter of this 2-core machine
 * answering a thousand alerts a second, CPU the pipeline under test then
 * lacked. One epoll loop here answers them for about one percent. */
#include <jansson.h>

#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_REQUEST (1 << 20) /* an alert is a few KB; a larger one is an error */
#define MAX_EVENTS  64
#define BUFFER_SIZE (MAX_REQUEST + 8192) /* a request of the largest size and its headers */

typedef struct {
    int fd;
    char *buf;
    size_t len;
} connection_t;

static double s_wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* The Content-Length of the header block HEAD (NUL-terminated), or -1. */
static long s_content_length(const char *head)
{
    const char *line = strstr(head, "\r\n");
    while (line && line[2] != '\r') {
        line += 2;
        if (!strncasecmp(line, "Content-Length:", 15))
            return strtol(line + 15, NULL, 10);
        line = strstr(line, "\r\n");
    }
    return -1;
}

static void s_record(const char *body, size_t len, double arrived)
{
    json_error_t err;
    json_t *alert = json_loadb(body, len, 0, &err);
    const char *title = json_string_value(json_object_get(alert, "title"));
    printf("%s\t%.6f\n", title ? title : "", arrived);
    json_decref(alert);
}

/* Answers every complete request in c's buffer; false when the peer must go. */
static bool s_serve(connection_t *c)
{
    size_t used = 0;
    while (used < c->len) {
        char *start = c->buf + used;
        char *end = memmem(start, c->len - used, "\r\n\r\n", 4);
        if (!end)
            break;
        *end = '\0';
        long body_len = s_content_length(start);
        bool closing = strcasestr(start, "Connection: close") != NULL;
        *end = '\r';
        size_t head_len = (size_t) (end + 4 - start);
        if (body_len < 0 || body_len > MAX_REQUEST)
            return false;
        if (c->len - used < head_len + (size_t) body_len)
            break;
        s_record(start + head_len, (size_t) body_len, s_wall_now());
        static const char reply[] = "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n";
        if (write(c->fd, reply, sizeof reply - 1) != (ssize_t) (sizeof reply - 1) || closing)
            return false;
        used += head_len + (size_t) body_len;
    }
    memmove(c->buf, c->buf + used, c->len - used);
    c->len -= used;
    return true;
}

static void s_drop(int epoll_fd, connection_t *c)
{
    epoll_ctl(epoll_fd, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    free(c->buf);
    free(c);
}

int main(void)
{
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t addr_len = sizeof addr;
    if (listener < 0 || bind(listener, (struct sockaddr *) &addr, sizeof addr) || listen(listener, 1024) ||
        getsockname(listener, (struct sockaddr *) &addr, &addr_len)) {
        fprintf(stderr, "bench_receiver: cannot listen on 127.0.0.1: %s\n", strerror(errno));
        return 1;
    }
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    printf("port %d\n", ntohs(addr.sin_port));
    fflush(stdout);
    int epoll_fd = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, listener, &ev);
    struct epoll_event events[MAX_EVENTS];
    for (;;) {
        int n = epoll_wait(epoll_fd, events, MAX_EVENTS, -1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return 1;
        for (int i = 0; i < n; i++) {
            connection_t *c = events[i].data.ptr;
            if (!c) {
                int fd;
                while ((fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    c = calloc(1, sizeof *c);
                    char *buf = malloc(BUFFER_SIZE);
                    if (!c || !buf) {
                        fprintf(stderr, "bench_receiver: out of memory for a connection\n");
                        close(fd);
                        free(c);
                        free(buf);
                        continue;
                    }
                    c->fd = fd;
                    c->buf = buf;
                    struct epoll_event cev = {.events = EPOLLIN, .data.ptr = c};
                    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &cev);
                }
                continue;
            }
            ssize_t got = read(c->fd, c->buf + c->len, BUFFER_SIZE - c->len);
            if (got < 0 && (errno == EAGAIN || errno == EINTR))
                continue;
            if (got <= 0) {
                s_drop(epoll_fd, c);
                continue;
            }
            c->len += (size_t) got;
            if (!s_serve(c) || c->len == BUFFER_SIZE)
                s_drop(epoll_fd, c);
        }
        /* the harness reads arrivals as they come: flush once per wake-up */
        fflush(stdout);
    }
}
