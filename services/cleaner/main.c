/* wirewatch-cleaner: thin main around cleaner_actor. */
#include "cleaner_actor.h"
#include "ww_service.h"

int main(int argc, char **argv)
{
    return ww_service_main(argc, argv, "cleaner",
                           "Turns raw documents into clean articles (encoding, main text, metadata, match form).",
                           cleaner_actor);
}
