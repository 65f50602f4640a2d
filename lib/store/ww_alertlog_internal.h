/* ww_alertlog_internal: the delivery log's handle, shared by its files. */
#ifndef WW_ALERTLOG_INTERNAL_H
#define WW_ALERTLOG_INTERNAL_H

#include "ww_db.h"
#include "ww_stmt_cache.h"

struct ww_alertlog_t {
    sqlite3 *db;
    ww_stmt_cache_t *stmts; /* the statements run per alert and delivery */
};

#endif
