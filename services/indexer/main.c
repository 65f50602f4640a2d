/* wirewatch-indexer: thin main around indexer_actor. */
#include "indexer_actor.h"
#include "ww_huge_pages.h"
#include "ww_service.h"

int main(int argc, char **argv)
{
    ww_prefer_huge_pages(argv); /* its heap is large and read at random */
    return ww_service_main(argc, argv, "indexer",
                           "Writes clean articles into the SQLite FTS5 index and groups them into stories.",
                           indexer_actor);
}
