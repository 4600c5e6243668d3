/* paths.c: asset and data directory resolution, whole-file reads. */
#include "paths.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strbuf.h"

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

int paths_read_file(const char *path, size_t max_bytes, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno;
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        return EISDIR;
    }
    strbuf sb = {0};
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        if (sb.len + n > max_bytes) {
            fclose(f);
            sb_free(&sb);
            return EFBIG;
        }
        sb_appendn(&sb, buf, n);
    }
    int err = ferror(f) ? EIO : 0;
    fclose(f);
    if (err) {
        sb_free(&sb);
        return err;
    }
    *len = sb.len;
    *out = sb_take(&sb);
    return 0;
}
