/* feed_poller: libcurl GET with caps and address checks. */
#include "feed_poller.h"
#include "ww_buf.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

typedef struct {
    feed_response_t *r;
    ww_buf_t body;
    bool allow_private;
    bool refused_address;
} s_req_t;

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
        q->r->etag[0] = q->r->last_modified[0] = q->r->charset[0] = 0;
    } else if (len > 5 && !strncasecmp(p, "etag:", 5))
        s_copy_header_value(q->r->etag, sizeof q->r->etag, p + 5, len - 5);
    else if (len > 14 && !strncasecmp(p, "last-modified:", 14))
        s_copy_header_value(q->r->last_modified, sizeof q->r->last_modified, p + 14, len - 14);
    else if (len > 13 && !strncasecmp(p, "content-type:", 13)) {
        char value[256];
        s_copy_header_value(value, sizeof value, p + 13, len - 13);
        char *cs = strcasestr(value, "charset=");
        if (cs) {
            cs += 8;
            while (*cs == '"' || *cs == '\'')
                cs++;
            size_t k = strcspn(cs, "\"'; ");
            snprintf(q->r->charset, sizeof q->r->charset, "%.*s", (int) k, cs);
        }
    }
    return len;
}

int feed_poller_get(ww_config_t *config, const char *url, const char *etag, const char *last_modified,
                    feed_response_t *out)
{
    memset(out, 0, sizeof *out);
    CURL *curl = curl_easy_init();
    if (!curl) {
        snprintf(out->error, sizeof out->error, "cannot start libcurl");
        return -1;
    }
    s_req_t q = {out, {0}, ww_config_bool(config, "fetcher.allow_private_addresses"), false};
    ww_buf_init(&q.body, (size_t) ww_config_int(config, "limits.max_document"));
    struct curl_slist *headers = NULL;
    char h[512];
    if (etag && *etag) {
        snprintf(h, sizeof h, "If-None-Match: %s", etag);
        headers = curl_slist_append(headers, h);
    }
    if (last_modified && *last_modified) {
        snprintf(h, sizeof h, "If-Modified-Since: %s", last_modified);
        headers = curl_slist_append(headers, h);
    }
    headers = curl_slist_append(headers, "Accept: application/rss+xml, application/atom+xml, application/feed+json, "
                                         "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5");
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long) ww_config_int(config, "fetcher.http_timeout"));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, (long) ww_config_int(config, "fetcher.connect_timeout"));
    curl_easy_setopt(curl, CURLOPT_USERAGENT, ww_config_str(config, "fetcher.user_agent"));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, s_write);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &q);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, s_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &q);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, s_open_socket);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, &q);
    CURLcode cc = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &out->status);
    char *final_url = NULL;
    curl_easy_getinfo(curl, CURLINFO_EFFECTIVE_URL, &final_url);
    if (final_url)
        snprintf(out->final_url, sizeof out->final_url, "%s", final_url);
    int rc = 0;
    if (q.refused_address)
        snprintf(out->error, sizeof out->error,
                 "%s resolves to a private, loopback or link-local address (fetcher.allow_private_addresses)", url);
    else if (cc == CURLE_WRITE_ERROR && q.body.full)
        snprintf(out->error, sizeof out->error, "%s: body over the %lld-byte limit (limits.max_document)", url,
                 (long long) ww_config_int(config, "limits.max_document"));
    else if (cc != CURLE_OK)
        snprintf(out->error, sizeof out->error, "%s: %s", url, curl_easy_strerror(cc));
    else if (out->status != 200 && out->status != 304)
        snprintf(out->error, sizeof out->error, "%s answered HTTP %ld", url, out->status);
    if (out->error[0])
        rc = -1;
    out->len = q.body.len;
    out->body = ww_buf_take(&q.body);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return rc;
}

void feed_response_free(feed_response_t *r)
{
    free(r->body);
    r->body = NULL;
}
