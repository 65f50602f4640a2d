/* wirewatch-notifier: thin main around notifier_actor. */
#include "notifier_actor.h"
#include "ww_huge_pages.h"
#include "ww_service.h"

int main(int argc, char **argv)
{
    ww_prefer_huge_pages(argv); /* its heap is large and read at random */
    return ww_service_main(argc, argv, "notifier",
                           "Matches indexed articles against every watch and delivers alerts once per story.",
                           notifier_actor);
}
