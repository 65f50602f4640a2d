/* channel_email: SMTP through libcurl, text and HTML alternatives. */
#include "channel_email.h"
#include "ww_message.h"
#include "ww_base64.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
    char *data;
    size_t len, cap;
} s_buf_t;

static void s_put(s_buf_t *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->data = realloc(b->data, b->cap);
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = 0;
}

static void s_puts(s_buf_t *b, const char *s)
{
    s_put(b, s, strlen(s));
}

/* HTML-escaped text where **marked** spans become <b>marked</b>. */
static void s_put_html(s_buf_t *b, const char *s, bool marks)
{
    bool bold = false;
    for (; *s; s++) {
        if (marks && s[0] == '*' && s[1] == '*') {
            s_puts(b, bold ? "</b>" : "<b>");
            bold = !bold;
            s++;
        } else if (*s == '<')
            s_puts(b, "&lt;");
        else if (*s == '>')
            s_puts(b, "&gt;");
        else if (*s == '&')
            s_puts(b, "&amp;");
        else if (*s == '"')
            s_puts(b, "&quot;");
        else
            s_put(b, s, 1);
    }
    if (bold)
        s_puts(b, "</b>");
}

static void s_render_one(json_t *a, s_buf_t *text, s_buf_t *html)
{
    s_puts(text, ww_json_str(a, "title"));
    s_puts(text, "\n");
    s_puts(text, ww_json_str(a, "source"));
    s_puts(text, " · ");
    s_puts(text, ww_json_str(a, "published"));
    s_puts(text, "\n");
    if (*ww_json_str(a, "url")) {
        s_puts(text, ww_json_str(a, "url"));
        s_puts(text, "\n");
    }
    s_puts(text, ww_json_str(a, "snippet"));
    s_puts(text, "\n\n");

    s_puts(html, "<h3>");
    const char *url = ww_json_str(a, "url");
    bool linked = !strncmp(url, "http://", 7) || !strncmp(url, "https://", 8);
    if (linked) {
        s_puts(html, "<a href=\"");
        s_put_html(html, url, false);
        s_puts(html, "\">");
    }
    s_put_html(html, ww_json_str(a, "title"), false);
    s_puts(html, linked ? "</a></h3>\n<p><small>" : "</h3>\n<p><small>");
    s_put_html(html, ww_json_str(a, "source"), false);
    s_puts(html, " · ");
    s_put_html(html, ww_json_str(a, "published"), false);
    s_puts(html, "</small></p>\n<p>");
    s_put_html(html, ww_json_str(a, "snippet"), true);
    s_puts(html, "</p>\n");
}

void channel_email_render(json_t *payload, char **subject, char **text, char **html)
{
    s_buf_t t = {0}, h = {0};
    s_puts(&h, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n");
    const char *watch = ww_json_str(payload, "watch");
    if (json_is_true(json_object_get(payload, "digest"))) {
        json_t *alerts = json_object_get(payload, "alerts");
        if (asprintf(subject, "[wirewatch] %s: %zu new %s", watch, json_array_size(alerts),
                     json_array_size(alerts) == 1 ? "story" : "stories") < 0)
            *subject = NULL;
        char line[512];
        snprintf(line, sizeof line, "Watch \"%s\": %zu new stories\n\n", watch, json_array_size(alerts));
        s_puts(&t, line);
        s_puts(&h, "<h2>");
        s_put_html(&h, line, false);
        s_puts(&h, "</h2>\n");
        size_t i;
        json_t *a;
        json_array_foreach(alerts, i, a) s_render_one(a, &t, &h);
    } else {
        if (asprintf(subject, "[wirewatch] %s: %s", watch, ww_json_str(payload, "title")) < 0)
            *subject = NULL;
        s_render_one(payload, &t, &h);
    }
    s_puts(&t, "-- \nSent by wirewatch for the watch \"");
    s_puts(&t, watch);
    s_puts(&t, "\".\n");
    s_puts(&h, "<hr><p><small>Sent by wirewatch for the watch \"");
    s_put_html(&h, watch, false);
    s_puts(&h, "\".</small></p>\n</body></html>\n");
    *text = t.data;
    *html = h.data;
}

/* RFC 2047: UTF-8 words of at most 45 bytes each, cut between characters,
 * so no encoded word passes 75 characters. CR and LF never survive. */
static char *s_encode_header(const char *value)
{
    s_buf_t out = {0};
    s_puts(&out, "");
    size_t len = strlen(value);
    if (len > 600)
        len = 600;
    for (size_t start = 0; start < len;) {
        size_t end = start + 45 < len ? start + 45 : len;
        while (end < len && end > start && ((unsigned char) value[end] & 0xC0) == 0x80)
            end--;
        char chunk[64];
        size_t n = 0;
        for (size_t i = start; i < end; i++)
            chunk[n++] = value[i] == '\r' || value[i] == '\n' ? ' ' : value[i];
        char *b64 = ww_base64_encode(chunk, n);
        if (start)
            s_puts(&out, " ");
        s_puts(&out, "=?UTF-8?B?");
        s_puts(&out, b64);
        s_puts(&out, "?=");
        free(b64);
        start = end;
    }
    return out.data;
}

static curl_mimepart *s_part(curl_mime *mime, const char *data, const char *type)
{
    curl_mimepart *part = curl_mime_addpart(mime);
    curl_mime_data(part, data, CURL_ZERO_TERMINATED);
    curl_mime_type(part, type);
    curl_mime_encoder(part, "quoted-printable");
    return part;
}

int channel_email_prepare(CURL *curl, const channel_email_server_t *server, const char *to, json_t *payload,
                          channel_request_t *req, char *err, size_t errlen)
{
    if (!server->url || !*server->url) {
        snprintf(err, errlen, "e-mail to %s: notifier.smtp_url is not set", to);
        return -1;
    }
    char *subject = NULL, *text = NULL, *html = NULL;
    channel_email_render(payload, &subject, &text, &html);
    char *encoded = s_encode_header(subject ? subject : "[wirewatch]");
    char date[64], header[1024];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "Date: %a, %d %b %Y %H:%M:%S +0000", &tm);
    struct curl_slist *headers = curl_slist_append(NULL, date);
    snprintf(header, sizeof header, "From: <%s>", server->from);
    headers = curl_slist_append(headers, header);
    snprintf(header, sizeof header, "To: <%s>", to);
    headers = curl_slist_append(headers, header);
    snprintf(header, sizeof header, "Subject: %s", encoded);
    headers = curl_slist_append(headers, header);
    snprintf(header, sizeof header, "Message-ID: <%s.%s@wirewatch>", ww_json_str(payload, "alert_id"), to);
    headers = curl_slist_append(headers, header);
    headers = curl_slist_append(headers, "MIME-Version: 1.0");
    snprintf(header, sizeof header, "X-Wirewatch-Alert: %s", ww_json_str(payload, "alert_id"));
    headers = curl_slist_append(headers, header);
    req->headers = headers;

    curl_easy_reset(curl);
    /* curl_mime_data copies the parts, so the rendered texts go at once */
    curl_mime *mime = curl_mime_init(curl);
    curl_mime *alternative = curl_mime_init(curl);
    s_part(alternative, text, "text/plain; charset=utf-8");
    s_part(alternative, html, "text/html; charset=utf-8");
    curl_mimepart *part = curl_mime_addpart(mime);
    curl_mime_subparts(part, alternative);
    curl_mime_type(part, "multipart/alternative");
    req->mime = mime;

    char from[512], rcpt[512];
    snprintf(from, sizeof from, "<%s>", server->from);
    snprintf(rcpt, sizeof rcpt, "<%s>", to);
    req->recipients = curl_slist_append(NULL, rcpt);
    curl_easy_setopt(curl, CURLOPT_URL, server->url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, req->recipients);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, req->headers);
    curl_easy_setopt(curl, CURLOPT_MIMEPOST, mime);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, server->timeout_ms);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    if (server->user && *server->user) {
        curl_easy_setopt(curl, CURLOPT_USERNAME, server->user);
        curl_easy_setopt(curl, CURLOPT_PASSWORD, server->password ? server->password : "");
        curl_easy_setopt(curl, CURLOPT_USE_SSL, (long) CURLUSESSL_ALL); /* never send a password in clear */
    }
    free(subject);
    free(text);
    free(html);
    free(encoded);
    return 0;
}

int channel_email_result(CURL *curl, CURLcode cc, const channel_email_server_t *server, const char *to, char *err,
                         size_t errlen)
{
    long code = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    if (cc == CURLE_OK)
        return 0;
    snprintf(err, errlen, "e-mail to %s via %s: %s (SMTP %ld)", to, server->url, curl_easy_strerror(cc), code);
    return -1;
}
