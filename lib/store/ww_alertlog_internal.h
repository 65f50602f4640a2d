/* ww_alertlog_internal: the delivery log's handle, shared by its files. */
#ifndef WW_ALERTLOG_INTERNAL_H
#define WW_ALERTLOG_INTERNAL_H

#include "ww_db.h"

struct ww_alertlog_t {
    sqlite3 *db;
};

#endif
