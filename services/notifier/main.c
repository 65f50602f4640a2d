/* wirewatch-notifier: thin main around notifier_actor. */
#include "notifier_actor.h"
#include "ww_service.h"

int main(int argc, char **argv)
{
    return ww_service_main(argc, argv, "notifier",
                           "Matches indexed articles against every watch and delivers alerts once per story.",
                           notifier_actor);
}
