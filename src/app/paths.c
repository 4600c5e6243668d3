/* paths.c: asset and data directory resolution, whole-file reads. */
#include "paths.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int set(char *out, size_t len, const char *p)
{
    if (!is_dir(p) || strlen(p) >= len)
        return -1;
    strcpy(out, p);
    return 0;
}

int paths_asset_dir(char *out, size_t len)
{
    const char *env = getenv("VIVA_ASSET_DIR");
    if (env && *env)
        return set(out, len, env);

    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        /* A binary inside a build tree uses the sources' assets: always current. */
        char marker[PATH_MAX + 32];
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            snprintf(marker, sizeof marker, "%s/../../CMakeCache.txt", exe);
            if (access(marker, F_OK) == 0 && set(out, len, VIVA_SOURCE_ASSETS) == 0)
                return 0;
            snprintf(marker, sizeof marker, "%s/../share/viva", exe);
            if (set(out, len, marker) == 0)
                return 0;
        }
    }
    if (set(out, len, VIVA_DATADIR) == 0)
        return 0;
    return set(out, len, VIVA_SOURCE_ASSETS);
}

int paths_data_dir(const char *configured, char *out, size_t len)
{
    int n;
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    if (configured && *configured)
        n = snprintf(out, len, "%s", configured);
    else if (xdg && *xdg)
        n = snprintf(out, len, "%s/viva", xdg);
    else if (home && *home)
        n = snprintf(out, len, "%s/.local/share/viva", home);
    else
        return -1;
    return n > 0 && (size_t)n < len ? 0 : -1;
}
