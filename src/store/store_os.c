/* store_os.c: the store's own file operations (directories, copies, sizes), kept in one thin
 * layer so that tests can inject faults (ENOSPC, EIO) through store_options.fault. LMDB does
 * its own I/O on data.mdb; faults there are tested on a real small file system instead. */
#include "store_os.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strbuf.h"
#include "verr.h"

int os_is_dir(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

int64_t os_file_size(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return -1;
    return (int64_t)sb.st_size;
}

int os_fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    int e = fsync(fd) == 0 ? 0 : errno;
    close(fd);
    return e;
}

int os_mkdir_p(const char *dir, unsigned mode)
{
    char tmp[4096];
    if (strlen(dir) >= sizeof tmp)
        return ENAMETOOLONG;
    strcpy(tmp, dir);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, mode) != 0 && errno != EEXIST)
            return errno;
        *p = '/';
    }
    if (mkdir(tmp, mode) != 0 && errno != EEXIST)
        return errno;
    return os_is_dir(tmp) ? 0 : ENOTDIR;
}

int os_rm_rf(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return errno == ENOENT ? 0 : errno;
    if (!S_ISDIR(sb.st_mode))
        return unlink(path) == 0 ? 0 : errno;
    DIR *d = opendir(path);
    if (!d)
        return errno;
    struct dirent *de;
    int e = 0;
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        char sub[4096];
        if (snprintf(sub, sizeof sub, "%s/%s", path, de->d_name) >= (int)sizeof sub) {
            e = ENAMETOOLONG;
            continue;
        }
        int r = os_rm_rf(sub);
        if (r && !e)
            e = r;
    }
    closedir(d);
    if (rmdir(path) != 0 && !e)
        e = errno;
    return e;
}

/* Copy `from` to `to` (created or truncated) and fsync it; a fault hook may fail any write. */
int os_copy_file(const char *from, const char *to, int (*fault)(void *, const char *),
                 void *fault_ctx)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return errno;
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (out < 0) {
        int e = errno;
        close(in);
        return e;
    }
    char *buf = xmalloc(1 << 16);
    int e = 0;
    for (;;) {
        ssize_t n = read(in, buf, 1 << 16);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            e = errno;
            break;
        }
        if (n == 0)
            break;
        e = fault ? fault(fault_ctx, "restore") : 0;
        if (e)
            break;
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(out, buf + off, (size_t)(n - off));
            if (w < 0) {
                if (errno == EINTR)
                    continue;
                e = errno;
                break;
            }
            off += w;
        }
        if (e)
            break;
    }
    if (!e && fsync(out) != 0)
        e = errno;
    if (close(out) != 0 && !e)
        e = errno;
    close(in);
    free(buf);
    return e;
}

int verr_from_errno(int e)
{
    switch (e) {
    case 0:
        return VIVA_OK;
    case ENOSPC:
    case EFBIG:
    case EDQUOT:
        return VIVA_ENOSPC;
    case EACCES:
    case EPERM:
    case EROFS:
        return VIVA_EPERM;
    case ENOMEM:
        return VIVA_ENOMEM;
    case EWOULDBLOCK:
        return VIVA_EBUSY;
    case ENOENT:
        return VIVA_ENOTFOUND;
    default:
        return VIVA_EIO;
    }
}
