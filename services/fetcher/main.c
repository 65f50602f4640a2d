/* wirewatch-fetcher: thin main around fetcher_actor. */
#include "fetcher_actor.h"
#include "ww_service.h"

int main(int argc, char **argv)
{
    return ww_service_main(argc, argv, "fetcher",
                           "Takes documents from the drop folder and items from feeds into a durable spool "
                           "and sends them down the pipeline until acknowledged.",
                           fetcher_actor);
}
