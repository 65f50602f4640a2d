/* feed_http: libcurl requests with caps and address checks. */
#include "feed_http.h"
#include "ww_buf.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

struct feed_request_t {
    CURL *curl;
    struct curl_slist *headers;
    feed_response_t r;
    ww_buf_t body;
    bool allow_private;
    bool refused_address;
    char url[2048];
    int64_t max_body;
};
typedef struct feed_request_t s_req_t;

/* a: an IPv4 address in host byte order. */
static bool s_v4_private(uint32_t a)
{
    return (a >> 24) == 127 || (a >> 24) == 10 || (a >> 24) == 0 || (a >> 20) == (172 << 4 | 1) ||
           (a >> 16) == (192 << 8 | 168) || (a >> 16) == (169 << 8 | 254) || (a >> 22) == (100 << 2 | 1) ||
           a == 0xFFFFFFFFu || (a >> 28) == 0xE;
}

/* Fields are copied out with memcpy: reading a sockaddr_in6 through another
 * struct type breaks strict aliasing, and optimising compilers use that. */
bool feed_address_is_private(const void *sa)
{
    sa_family_t family;
    memcpy(&family, sa, sizeof family);
    if (family == AF_INET) {
        struct sockaddr_in v4;
        memcpy(&v4, sa, sizeof v4);
        return s_v4_private(ntohl(v4.sin_addr.s_addr));
    }
    if (family == AF_INET6) {
        struct sockaddr_in6 v6;
        memcpy(&v6, sa, sizeof v6);
        const unsigned char *b = v6.sin6_addr.s6_addr;
        static const unsigned char loop[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        static const unsigned char any[16] = {0};
        static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
        if (!memcmp(b, loop, 16) || !memcmp(b, any, 16))
            return true;
        if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) /* fe80::/10 link-local */
            return true;
        if ((b[0] & 0xFE) == 0xFC) /* fc00::/7 unique local */
            return true;
        if (!memcmp(b, mapped, 12)) /* ::ffff:a.b.c.d */
            return s_v4_private((uint32_t) b[12] << 24 | (uint32_t) b[13] << 16 | (uint32_t) b[14] << 8 | b[15]);
    }
    return false;
}

static curl_socket_t s_open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *addr)
{
    s_req_t *q = arg;
    (void) purpose;
    if (!q->allow_private && feed_address_is_private(&addr->addr)) {
        q->refused_address = true;
        return CURL_SOCKET_BAD;
    }
    return socket(addr->family, addr->socktype, addr->protocol);
}

/* Counts decoded bytes: CURLOPT_MAXFILESIZE does not stop a small gzip
 * body that inflates to gigabytes. */
static size_t s_write(char *p, size_t size, size_t n, void *arg)
{
    s_req_t *q = arg;
    if (ww_buf_add(&q->body, p, size * n) < 0)
        return 0; /* aborts the transfer */
    return size * n;
}

static void s_copy_header_value(char *dst, size_t dstlen, const char *v, size_t vlen)
{
    while (vlen && (v[0] == ' ' || v[0] == '\t')) {
        v++;
        vlen--;
    }
    while (vlen && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n' || v[vlen - 1] == ' '))
        vlen--;
    if (vlen >= dstlen)
        vlen = dstlen - 1;
    memcpy(dst, v, vlen);
    dst[vlen] = 0;
}

static size_t s_header(char *p, size_t size, size_t n, void *arg)
{
    s_req_t *q = arg;
    size_t len = size * n;
    if (len > 5 && !strncasecmp(p, "HTTP/", 5)) {
        /* a new response (after a redirect): forget the previous one's headers */
        q->r.etag[0] = q->r.last_modified[0] = q->r.charset[0] = 0;
    } else if (len > 5 && !strncasecmp(p, "etag:", 5))
        s_copy_header_value(q->r.etag, sizeof q->r.etag, p + 5, len - 5);
    else if (len > 14 && !strncasecmp(p, "last-modified:", 14))
        s_copy_header_value(q->r.last_modified, sizeof q->r.last_modified, p + 14, len - 14);
    else if (len > 13 && !strncasecmp(p, "content-type:", 13)) {
        char value[256];
        s_copy_header_value(value, sizeof value, p + 13, len - 13);
        char *cs = strcasestr(value, "charset=");
        if (cs) {
            cs += 8;
            while (*cs == '"' || *cs == '\'')
                cs++;
            size_t k = strcspn(cs, "\"'; ");
            snprintf(q->r.charset, sizeof q->r.charset, "%.*s", (int) k, cs);
        }
    }
    return len;
}

feed_request_t *feed_request_new(ww_config_t *config, const char *url, const char *etag, const char *last_modified)
{
    feed_request_t *q = calloc(1, sizeof *q);
    q->curl = curl_easy_init();
    if (!q->curl) {
        free(q);
        return NULL;
    }
    snprintf(q->url, sizeof q->url, "%s", url);
    q->allow_private = ww_config_bool(config, "fetcher.allow_private_addresses");
    q->max_body = ww_config_int(config, "limits.max_document");
    ww_buf_init(&q->body, (size_t) q->max_body);
    char h[512];
    if (etag && *etag) {
        snprintf(h, sizeof h, "If-None-Match: %s", etag);
        q->headers = curl_slist_append(q->headers, h);
    }
    if (last_modified && *last_modified) {
        snprintf(h, sizeof h, "If-Modified-Since: %s", last_modified);
        q->headers = curl_slist_append(q->headers, h);
    }
    q->headers = curl_slist_append(q->headers, "Accept: application/rss+xml, application/atom+xml, "
                                               "application/feed+json, application/xml;q=0.9, text/xml;q=0.9, "
                                               "*/*;q=0.5");
    CURL *curl = q->curl;
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, q->headers);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long) ww_config_int(config, "fetcher.http_timeout"));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, (long) ww_config_int(config, "fetcher.connect_timeout"));
    curl_easy_setopt(curl, CURLOPT_USERAGENT, ww_config_str(config, "fetcher.user_agent"));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, s_write);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, q);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, s_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, q);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, s_open_socket);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, q);
    curl_easy_setopt(curl, CURLOPT_PRIVATE, q);
    return q;
}

CURL *feed_request_easy(feed_request_t *self)
{
    return self->curl;
}

int feed_request_finish(feed_request_t *q, CURLcode cc, feed_response_t *out)
{
    feed_response_t *r = &q->r;
    curl_easy_getinfo(q->curl, CURLINFO_RESPONSE_CODE, &r->status);
    char *location = NULL;
    if (r->status >= 300 && r->status < 400 &&
        curl_easy_getinfo(q->curl, CURLINFO_REDIRECT_URL, &location) == CURLE_OK && location)
        snprintf(r->redirect_url, sizeof r->redirect_url, "%s", location);
    curl_off_t retry_after = 0;
    if (curl_easy_getinfo(q->curl, CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK && retry_after > 0)
        r->retry_after = (long) retry_after;
    if (q->refused_address)
        snprintf(r->error, sizeof r->error,
                 "%.300s resolves to a private, loopback or link-local address (fetcher.allow_private_addresses)",
                 q->url);
    else if (cc == CURLE_WRITE_ERROR && q->body.full)
        snprintf(r->error, sizeof r->error, "body over the %lld-byte limit (limits.max_document)",
                 (long long) q->max_body);
    else if (cc != CURLE_OK)
        snprintf(r->error, sizeof r->error, "%s", curl_easy_strerror(cc));
    r->len = q->body.len;
    r->body = ww_buf_take(&q->body);
    *out = *r;
    memset(r, 0, sizeof *r);
    return out->error[0] ? -1 : 0;
}

void feed_request_destroy(feed_request_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    feed_request_t *q = *self_p;
    curl_slist_free_all(q->headers);
    curl_easy_cleanup(q->curl);
    ww_buf_free(&q->body);
    free(q->r.body);
    free(q);
    *self_p = NULL;
}

void feed_response_free(feed_response_t *r)
{
    free(r->body);
    r->body = NULL;
}
