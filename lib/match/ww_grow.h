/* ww_grow: room in a growing array, the one way the matcher's tables grow. */
#ifndef WW_GROW_H
#define WW_GROW_H

#include <stdint.h>
#include <stdlib.h>

/* Makes room for need items of size bytes in items (capacity *cap),
 * doubling from first. Returns the array, moved or not, or NULL when out of
 * memory (items and *cap are then untouched and still valid). */
static inline void *ww_grow(void *items, size_t *cap, size_t need, size_t size, size_t first)
{
    if (need <= *cap)
        return items;
    size_t n = *cap ? *cap : first;
    while (n < need)
        n *= 2;
    if (n > SIZE_MAX / size)
        return NULL;
    void *grown = realloc(items, n * size);
    if (grown)
        *cap = n;
    return grown;
}

#endif
