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
