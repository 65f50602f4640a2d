/* channel_request: freeing a transfer's lists, MIME tree and body. */
#include "channel_request.h"

#include <stdlib.h>

void channel_request_free(channel_request_t *req)
{
    curl_slist_free_all(req->headers);
    curl_slist_free_all(req->recipients);
    curl_mime_free(req->mime);
    free(req->body);
    *req = (channel_request_t){0};
}
