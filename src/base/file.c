/* file.c: whole-file reads with a size limit (file.h). */
#include "file.h"

#include <errno.h>
#include <sys/stat.h>

#include "strbuf.h"

int file_read_stream(FILE *f, size_t max_bytes, char **out, size_t *len)
{
    strbuf sb = {0};
    char buf[65536];
    size_t n;
    errno = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        if (n > max_bytes - sb.len) {
            sb_free(&sb);
            return EFBIG;
        }
        sb_appendn(&sb, buf, n);
    }
    if (ferror(f)) {
        int e = errno ? errno : EIO;
        sb_free(&sb);
        return e;
    }
    *len = sb.len;
    *out = sb_take(&sb);
    return 0;
}

int file_read(const char *path, size_t max_bytes, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno;
    int rc;
    struct stat st;
    if (fstat(fileno(f), &st) != 0) {
        rc = errno;
        goto done;
    }
    if (S_ISDIR(st.st_mode)) {
        rc = EISDIR;
        goto done;
    }
    /* A regular file's size is known: refuse before reading a byte. Others (pipes, /proc
     * files reporting 0) are limited while reading. */
    if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max_bytes) {
        rc = EFBIG;
        goto done;
    }
    rc = file_read_stream(f, max_bytes, out, len);
done:
    fclose(f);
    return rc;
}
