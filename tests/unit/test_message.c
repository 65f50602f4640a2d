/* test_message: the wire contract over a real socket pair: valid messages
 * pass; wrong frame counts, unknown types or versions, bad JSON and missing
 * fields are refused with a reason, never a crash. */
#include "ww_base64.h"
#include "ww_message.h"
#include "ww_test.h"

static void s_send_frames(zsock_t *s, const char *a, const char *b, const char *c)
{
    zmsg_t *m = zmsg_new();
    if (a)
        zmsg_addstr(m, a);
    if (b)
        zmsg_addstr(m, b);
    if (c)
        zmsg_addstr(m, c);
    zmsg_send(&m, s);
}

static int s_recv(zsock_t *in, char *err, size_t errlen)
{
    const char *type;
    json_t *body;
    int rc = ww_message_recv(in, &type, &body, err, errlen);
    json_decref(body);
    return rc;
}

int main(void)
{
    zsock_t *out = zsock_new_push("@inproc://msg-test");
    zsock_t *in = zsock_new_pull(">inproc://msg-test");
    char err[256];
    json_t *ack = json_pack("{s:s, s:s}", "id", "x1", "status", "done");
    CHECK(ww_message_send(out, "ack", ack) == 0);
    const char *type;
    json_t *body;
    CHECK(ww_message_recv(in, &type, &body, err, sizeof err) == 0);
    CHECK_STR(type, "ack");
    CHECK(json_equal(body, ack));
    json_decref(body);
    json_decref(ack);

    s_send_frames(out, "ack", "1", NULL);
    CHECK(s_recv(in, err, sizeof err) == -1 && strstr(err, "frames"));
    s_send_frames(out, "bogus", "1", "{}");
    CHECK(s_recv(in, err, sizeof err) == -1 && strstr(err, "unknown message type"));
    s_send_frames(out, "ack", "2", "{\"id\":\"a\",\"status\":\"done\"}");
    CHECK(s_recv(in, err, sizeof err) == -1 && strstr(err, "version"));
    s_send_frames(out, "ack", "1", "{not json");
    CHECK(s_recv(in, err, sizeof err) == -1 && strstr(err, "not valid JSON"));
    s_send_frames(out, "raw", "1", "{\"id\":\"a\",\"kind\":\"file\"}");
    CHECK(s_recv(in, err, sizeof err) == -1 && strstr(err, "body"));
    s_send_frames(out, "clean", "1", "{\"id\":\"a\"}");
    CHECK(s_recv(in, err, sizeof err) == -1 && strstr(err, "match.body"));
    s_send_frames(out, "ack", "1", "[1,2]");
    CHECK(s_recv(in, err, sizeof err) == -1 && strstr(err, "not a JSON object"));

    /* article texts travel as frames of their own and come back in place */
    char long_body[2000] = "", long_match[2000] = "";
    for (int i = 0; i < 100; i++) {
        strncat(long_body, "颱風逼近，", sizeof long_body - strlen(long_body) - 1);
        strncat(long_match, "台风逼近,", sizeof long_match - strlen(long_match) - 1);
    }
    json_t *clean = json_pack("{s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s}}", "id", "c1", "title", "港島", "body", long_body,
                              "match", "title", "港岛", "body", long_match, "source", "", "author", "");
    CHECK(ww_message_send(out, "clean", clean) == 0);
    zmsg_t *wire = zmsg_recv(in);
    CHECK(wire && zmsg_size(wire) == 7);
    zframe_t *json_frame = zmsg_first(wire) ? (zmsg_next(wire), zmsg_next(wire)) : NULL;
    CHECK(json_frame && zframe_size(json_frame) < 200); /* the JSON holds no text */
    CHECK(zframe_streq(zmsg_next(wire), "body"));
    zframe_t *body_frame = zmsg_next(wire);
    CHECK(body_frame && zframe_size(body_frame) == strlen(long_body));
    CHECK(ww_message_decode(wire, &type, &body, err, sizeof err) == 0);
    CHECK_STR(type, "clean");
    CHECK(json_equal(body, clean));
    json_decref(body);
    zmsg_destroy(&wire);
    CHECK(json_string_length(json_object_get(clean, "body")) == strlen(long_body)); /* the sender's is untouched */
    json_decref(clean);

    /* text frames that cannot be put back are refused */
    const char *json = "{\"id\":\"a\",\"title\":\"t\",\"match\":{\"body\":\"x\"}}";
    const char *bad[][3] = {
        {"subject", "text", "unknown name"},
        {"body", NULL, "frames"}, /* a name without its text */
        {"match.body", "y", "holds already"},
        {"body", "\xff\xfe", "not UTF-8"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        zmsg_t *m = zmsg_new();
        zmsg_addstr(m, "clean");
        zmsg_addstr(m, "1");
        zmsg_addstr(m, json);
        zmsg_addstr(m, bad[i][0]);
        if (bad[i][1])
            zmsg_addstr(m, bad[i][1]);
        CHECK(ww_message_decode(m, &type, &body, err, sizeof err) == -1 && strstr(err, bad[i][2]));
        zmsg_destroy(&m);
    }
    {
        zmsg_t *m = zmsg_new();
        zmsg_addstr(m, "clean");
        zmsg_addstr(m, "1");
        zmsg_addstr(m, json);
        zmsg_addstr(m, "body");
        zmsg_addmem(m, "a\0b", 3);
        CHECK(ww_message_decode(m, &type, &body, err, sizeof err) == -1 && strstr(err, "NUL"));
        zmsg_destroy(&m);
    }

    const char bytes[] = "\x00\xff GBK \xd1\xcf";
    char *b64 = ww_base64_encode(bytes, sizeof bytes - 1);
    size_t n;
    unsigned char *back = ww_base64_decode(b64, &n);
    CHECK(n == sizeof bytes - 1 && memcmp(back, bytes, n) == 0);
    free(b64);
    free(back);
    zsock_destroy(&in);
    zsock_destroy(&out);
    WW_TEST_END();
}
