/* ww_huge_pages: re-execution with glibc.malloc.hugetlb=1 (see the header). */
#include "ww_huge_pages.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define S_TUNABLE "glibc.malloc.hugetlb"

/* False when the kernel gives no transparent huge pages ("[never]"); true
 * when it does or does not say (not Linux, or /sys not mounted). */
static bool s_kernel_offers_them(void)
{
    FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    if (!f)
        return true;
    char line[128] = "";
    bool never = fgets(line, sizeof line, f) && strstr(line, "[never]");
    fclose(f);
    return !never;
}

void ww_prefer_huge_pages(char **argv)
{
    const char *tunables = getenv("GLIBC_TUNABLES");
    if ((tunables && strstr(tunables, S_TUNABLE)) || getenv("WIREWATCH_NO_HUGE_PAGES") || !s_kernel_offers_them())
        return;
    /* the operator's other tunables are kept; glibc reads them colon-separated */
    char value[1024];
    int n = tunables && *tunables ? snprintf(value, sizeof value, "%s:%s=1", tunables, S_TUNABLE)
                                  : snprintf(value, sizeof value, "%s=1", S_TUNABLE);
    if (n < 0 || (size_t) n >= sizeof value || setenv("GLIBC_TUNABLES", value, 1) != 0)
        return;
    /* executed by its own path, not as /proc/self/exe: the kernel names a
     * process after the file executed, and ps, top and pgrep would show
     * every such worker as "exe" */
    char self[4096];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len > 0 && (size_t) len < sizeof self - 1) { /* a full buffer may be cut short */
        self[len] = '\0';
        execv(self, argv);
    }
    /* still here: no /proc, or the binary is gone; run on as we are, and
     * mark the tunable tried so that a child of ours does not try again */
    fprintf(stderr, "%s: could not re-execute for huge pages; running on with small pages\n",
            argv && argv[0] ? argv[0] : "wirewatch");
}

bool ww_huge_pages_asked(void)
{
    const char *tunables = getenv("GLIBC_TUNABLES");
    return tunables && strstr(tunables, S_TUNABLE "=1") && s_kernel_offers_them();
}
