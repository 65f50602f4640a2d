/* fuzz_message: any bytes as a worker message: split into frames at 0x00
 * bytes, then decoded and checked as a receiver would. */
#include "ww_message.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    zmsg_t *msg = zmsg_new();
    size_t start = 0;
    for (size_t i = 0; i <= size; i++)
        if (i == size || data[i] == 0) {
            zmsg_addmem(msg, data + start, i - start);
            start = i + 1;
        }
    const char *type;
    json_t *body;
    char err[256];
    if (ww_message_decode(msg, &type, &body, err, sizeof err) == 0)
        json_decref(body);
    zmsg_destroy(&msg);
    return 0;
}
