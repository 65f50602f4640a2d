/* ww_message: framing, validation and socket options of worker messages. */
#include "ww_message.h"

#include "ww_curve.h"
#include "ww_paths.h"

#include <stdbool.h>
#include <string.h>

static const char *s_types[] = {"raw", "clean", "indexed", "ack"};

/* The three frames every message has: type, version, JSON text. */
static zmsg_t *s_message(const char *type, const char *text, size_t len)
{
    zmsg_t *msg = zmsg_new();
    zmsg_addstr(msg, type);
    zmsg_addstr(msg, WW_MESSAGE_VERSION);
    zmsg_addmem(msg, text, len);
    return msg;
}

int ww_message_send_text(zsock_t *sock, const char *type, const char *text, size_t len)
{
    zmsg_t *msg = s_message(type, text, len);
    return zmsg_send(&msg, sock);
}

/* The article texts that travel as frames of their own (proto/README.md):
 * jansson reads a JSON string at a sixteenth of the speed it checks the
 * same bytes as UTF-8, and these are nearly all of a message. */
#define S_DETACH_MIN 256 /* shorter texts stay in the JSON */

static const char *const s_detached_paths[] = {"body", "match.body"};
#define S_DETACHED (sizeof s_detached_paths / sizeof *s_detached_paths)

/* The object whose "body" the i-th detached path names. */
static json_t *s_holder(json_t *body, size_t i)
{
    return i == 1 ? json_object_get(body, "match") : body;
}

static json_t *s_detachable(json_t *body, size_t i)
{
    json_t *text = json_object_get(s_holder(body, i), "body");
    return json_is_string(text) && json_string_length(text) >= S_DETACH_MIN ? text : NULL;
}

int ww_message_send(zsock_t *sock, const char *type, json_t *body)
{
    json_t *texts[S_DETACHED] = {NULL, NULL};
    bool any = false;
    for (size_t i = 0; i < S_DETACHED && json_is_object(body); i++)
        any |= (texts[i] = s_detachable(body, i)) != NULL;
    json_t *head = body;
    if (any) {
        /* a shallow copy without them: their values are not copied */
        head = json_copy(body);
        json_t *match = texts[1] ? json_copy(json_object_get(body, "match")) : NULL;
        if (!head || (texts[1] && !match)) {
            json_decref(head);
            json_decref(match);
            return -1;
        }
        if (texts[0])
            json_object_del(head, "body");
        if (match) {
            json_object_del(match, "body");
            json_object_set_new(head, "match", match);
        }
    }
    char *text = json_dumps(head, JSON_COMPACT);
    if (head != body)
        json_decref(head);
    if (!text)
        return -1;
    zmsg_t *msg = s_message(type, text, strlen(text));
    free(text);
    for (size_t i = 0; i < S_DETACHED; i++)
        if (texts[i]) {
            zmsg_addstr(msg, s_detached_paths[i]);
            zmsg_addmem(msg, json_string_value(texts[i]), json_string_length(texts[i]));
        }
    return zmsg_send(&msg, sock);
}

/* Puts the text frames after the JSON back in place: pairs of a known
 * path, not in the JSON already, and UTF-8 text. 0 or -1 (reason in err). */
static int s_attach(zmsg_t *msg, const char *type, json_t *body, char *err, size_t errlen)
{
    bool seen[S_DETACHED] = {false, false};
    for (zframe_t *name = zmsg_next(msg); name; name = zmsg_next(msg)) {
        zframe_t *data = zmsg_next(msg);
        size_t which = S_DETACHED;
        for (size_t i = 0; i < S_DETACHED; i++)
            if (zframe_streq(name, s_detached_paths[i]))
                which = i;
        if (which == S_DETACHED || !data || seen[which]) {
            snprintf(err, errlen, "%s message has a text frame %s", type,
                     which == S_DETACHED ? "of an unknown name"
                     : !data             ? "without its text"
                                         : "twice");
            return -1;
        }
        seen[which] = true;
        json_t *holder = s_holder(body, which);
        if (!json_is_object(holder) || json_object_get(holder, "body")) {
            snprintf(err, errlen, "%s message has a text frame %s that %s", type, s_detached_paths[which],
                     json_is_object(holder) ? "its JSON holds already" : "has no object to go in");
            return -1;
        }
        /* as JSON text would be: UTF-8, and no NUL (\u0000 is refused too) */
        bool nul = memchr(zframe_data(data), 0, zframe_size(data)) != NULL;
        json_t *text = nul ? NULL : json_stringn((const char *) zframe_data(data), zframe_size(data));
        if (!text) {
            snprintf(err, errlen, "%s message: text frame %s is not UTF-8 (or holds a NUL)", type,
                     s_detached_paths[which]);
            return -1;
        }
        json_object_set_new(holder, "body", text);
    }
    return 0;
}

static const char *s_known_type(zframe_t *frame)
{
    for (size_t i = 0; i < sizeof s_types / sizeof s_types[0]; i++)
        if (zframe_streq(frame, s_types[i]))
            return s_types[i];
    return NULL;
}

/* The fields each type must carry, beyond being an object. */
int ww_message_check(const char *type, json_t *body, char *err, size_t errlen)
{
    if (!json_is_object(body)) {
        snprintf(err, errlen, "%s message body is not a JSON object", type);
        return -1;
    }
    json_t *id = json_object_get(body, "id");
    if (!json_is_string(id) || json_string_length(id) == 0 || json_string_length(id) > 256) {
        snprintf(err, errlen, "%s message lacks a string id of 1..256 bytes", type);
        return -1;
    }
    if (strcmp(type, "raw") == 0) {
        if (!json_is_string(json_object_get(body, "kind"))) {
            snprintf(err, errlen, "raw message %s lacks 'kind'", json_string_value(id));
            return -1;
        }
        if (!json_is_string(json_object_get(body, "body")) && !json_is_string(json_object_get(body, "body_base64"))) {
            snprintf(err, errlen, "raw message %s has neither 'body' nor 'body_base64'", json_string_value(id));
            return -1;
        }
    } else if (strcmp(type, "clean") == 0 || strcmp(type, "indexed") == 0) {
        json_t *match = json_object_get(body, "match");
        if (!json_is_object(match) || !json_is_string(json_object_get(match, "body")) ||
            !json_is_string(json_object_get(body, "title"))) {
            snprintf(err, errlen, "%s message %s lacks title or match.body", type, json_string_value(id));
            return -1;
        }
        if (strcmp(type, "indexed") == 0 && !json_is_string(json_object_get(body, "story_id"))) {
            snprintf(err, errlen, "indexed message %s lacks story_id", json_string_value(id));
            return -1;
        }
    } else if (strcmp(type, "ack") == 0) {
        if (!json_is_string(json_object_get(body, "status"))) {
            snprintf(err, errlen, "ack %s lacks status", json_string_value(id));
            return -1;
        }
    }
    return 0;
}

int ww_message_send_within(zsock_t *sock, const char *type, json_t *body, int wait_ms)
{
    return ww_message_send_unless(sock, type, body, wait_ms, NULL);
}

int ww_message_send_unless(zsock_t *sock, const char *type, json_t *body, int wait_ms, zsock_t *unless)
{
    if (!(zsock_events(sock) & ZMQ_POLLOUT)) {
        zmq_pollitem_t items[2] = {{zsock_resolve(sock), 0, ZMQ_POLLOUT, 0},
                                   {unless ? zsock_resolve(unless) : NULL, 0, ZMQ_POLLIN, 0}};
        int count = unless ? 2 : 1;
        int64_t until = zclock_mono() + wait_ms;
        while (true) {
            int64_t left = until - zclock_mono();
            if (left <= 0 || zmq_poll(items, count, (long) left) < 0 || (unless && (items[1].revents & ZMQ_POLLIN)))
                return -1;
            if (items[0].revents & ZMQ_POLLOUT)
                break;
        }
    }
    return ww_message_send(sock, type, body);
}

int ww_message_recv(zsock_t *sock, const char **type, json_t **body, char *err, size_t errlen)
{
    *type = NULL;
    *body = NULL;
    zmsg_t *msg = zmsg_recv(sock);
    if (!msg)
        return -2;
    int rc = ww_message_decode(msg, type, body, err, errlen);
    zmsg_destroy(&msg);
    return rc;
}

int ww_message_recv_ready(zsock_t *sock, const char **type, json_t **body, char *err, size_t errlen)
{
    *type = NULL;
    *body = NULL;
    void *handle = zsock_resolve(sock);
    zmq_msg_t part;
    zmq_msg_init(&part);
    if (zmq_msg_recv(&part, handle, ZMQ_DONTWAIT) < 0) {
        int e = zmq_errno();
        zmq_msg_close(&part);
        return e == EAGAIN ? -3 : -2;
    }
    /* the other frames of a message arrive with its first */
    zmsg_t *msg = zmsg_new();
    while (true) {
        zmsg_addmem(msg, zmq_msg_data(&part), zmq_msg_size(&part));
        bool more = zmq_msg_more(&part);
        zmq_msg_close(&part);
        if (!more)
            break;
        zmq_msg_init(&part);
        if (zmq_msg_recv(&part, handle, 0) < 0) {
            zmq_msg_close(&part);
            zmsg_destroy(&msg);
            return -2;
        }
    }
    int rc = ww_message_decode(msg, type, body, err, errlen);
    zmsg_destroy(&msg);
    return rc;
}

int ww_message_decode(zmsg_t *msg, const char **type, json_t **body, char *err, size_t errlen)
{
    *type = NULL;
    *body = NULL;
    int rc = -1;
    size_t frames = zmsg_size(msg);
    if (frames < 3 || frames > 3 + 2 * S_DETACHED || (frames - 3) % 2) {
        snprintf(err, errlen, "message has %zu frames, expected 3 (and up to %zu pairs of text frames)", frames,
                 S_DETACHED);
        goto done;
    }
    zframe_t *tf = zmsg_first(msg), *vf = zmsg_next(msg), *bf = zmsg_next(msg);
    const char *t = s_known_type(tf);
    if (!t) {
        snprintf(err, errlen, "unknown message type (%zu bytes)", zframe_size(tf));
        goto done;
    }
    if (!zframe_streq(vf, WW_MESSAGE_VERSION)) {
        snprintf(err, errlen, "%s message has unsupported version (expected %s)", t, WW_MESSAGE_VERSION);
        goto done;
    }
    json_error_t jerr;
    json_t *j = json_loadb((const char *) zframe_data(bf), zframe_size(bf), JSON_REJECT_DUPLICATES, &jerr);
    if (!j) {
        snprintf(err, errlen, "%s message is not valid JSON: %s at byte %d", t, jerr.text, jerr.position);
        goto done;
    }
    if ((json_is_object(j) && s_attach(msg, t, j, err, errlen) < 0) || ww_message_check(t, j, err, errlen) < 0) {
        json_decref(j);
        goto done;
    }
    *type = t;
    *body = j;
    rc = 0;
done:
    return rc;
}

void ww_socket_configure(zsock_t *sock, ww_config_t *config, int is_connecting_sender)
{
    zsock_set_linger(sock, (int) ww_config_int(config, "zmq.linger"));
    int hb = (int) ww_config_int(config, "zmq.heartbeat");
    zsock_set_heartbeat_ivl(sock, hb);
    int hb_timeout = (int) ww_config_int(config, "zmq.heartbeat_timeout");
    zsock_set_heartbeat_timeout(sock, hb_timeout);
    zsock_set_heartbeat_ttl(sock, hb_timeout);
    zsock_set_maxmsgsize(sock, (int) ww_config_int(config, "limits.max_message"));
    zsock_set_rcvhwm(sock, 1000);
    zsock_set_sndhwm(sock, 1000);
    if (is_connecting_sender)
        zsock_set_immediate(sock, 1);
}

zsock_t *ww_socket_bind(int type, ww_config_t *config, const char *key)
{
    char *ep = ww_endpoint_bind(ww_config_str(config, key));
    zsock_t *sock = zsock_new(type);
    if (!sock) {
        free(ep);
        return NULL;
    }
    ww_socket_configure(sock, config, 0);
    char err[512];
    if (ww_curve_secure(sock, config, key, ep, true, err, sizeof err) < 0) {
        zsys_error("cannot bind %s (%s) securely: %s", key, ep, err);
        zsock_destroy(&sock);
        free(ep);
        return NULL;
    }
    if (zsock_bind(sock, "%s", ep) < 0) {
        zsys_error("cannot bind %s (%s): %s", key, ep, zmq_strerror(zmq_errno()));
        zsock_destroy(&sock);
    }
    free(ep);
    return sock;
}

zsock_t *ww_socket_connect(int type, ww_config_t *config, const char *key)
{
    const char *ep = ww_config_str(config, key);
    ww_endpoint_prepare(ep);
    zsock_t *sock = zsock_new(type);
    if (!sock)
        return NULL;
    ww_socket_configure(sock, config, type == ZMQ_PUSH);
    char err[512];
    if (ww_curve_secure(sock, config, key, ep, false, err, sizeof err) < 0) {
        zsys_error("cannot connect %s (%s) securely: %s", key, ep, err);
        zsock_destroy(&sock);
        return NULL;
    }
    if (zsock_connect(sock, "%s", ep) < 0) {
        zsys_error("cannot connect %s (%s): %s", key, ep, zmq_strerror(zmq_errno()));
        zsock_destroy(&sock);
    }
    return sock;
}

const char *ww_json_str(json_t *object, const char *key)
{
    const char *v = json_string_value(json_object_get(object, key));
    return v ? v : "";
}
