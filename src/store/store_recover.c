/* store_recover.c: the way out of a store that refuses to open, for the kiosk's recovery
 * screen: which backup would be restored, and the restore itself with the refused data file
 * kept aside first under a timestamped name (data.mdb.damaged-YYYYmmdd-HHMMSS, UTC), never
 * deleted. The restore is store_restore's (verified before anything is replaced); when it
 * fails the data file is put back, so a failed attempt changes nothing.
 *
 * The lock is held while the file is moved aside and released before store_restore takes it
 * again (flock locks belong to an open file, so this process cannot take it twice): in that
 * moment another viva starting on the same directory would find no data.mdb. The kiosk is the
 * only viva on a device, and the damaged file stays aside whatever happens. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "store_os.h"
#include "store_txn.h"
#include "verr.h"
#include "vlog.h"

int store_recover_backup(const char *dir, char *path, size_t len, int64_t *when_ms)
{
    char data[4400];
    struct stat sb;
    store_newest_backup(dir, path, len);
    if (when_ms)
        *when_ms = 0;
    if (!path[0])
        return 0;
    snprintf(data, sizeof data, "%s/data.mdb", path);
    if (stat(data, &sb) != 0) { /* not a complete backup: nothing to restore from */
        path[0] = '\0';
        return 0;
    }
    if (when_ms)
        *when_ms = (int64_t)sb.st_mtim.tv_sec * 1000 + sb.st_mtim.tv_nsec / 1000000;
    return 1;
}

/* <dir>/data.mdb.damaged-<stamp>, with .N added when that name is taken. */
static void aside_name(const char *dir, int64_t now_ms, char *out, size_t len)
{
    time_t t = (time_t)(now_ms / 1000);
    struct tm tm;
    char stamp[32] = "00000000-000000";
    if (gmtime_r(&t, &tm))
        strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    snprintf(out, len, "%s/data.mdb.damaged-%s", dir, stamp);
    for (int i = 1; os_file_size(out) >= 0 && i < 1000; i++)
        snprintf(out, len, "%s/data.mdb.damaged-%s.%d", dir, stamp, i);
}

int store_recover_restore(const char *dir, int64_t now_ms, char *kept, size_t klen, char *err,
                          size_t errlen)
{
    char src[4200], cur[4200], aside[4300];
    kept[0] = '\0';
    if (errlen)
        err[0] = '\0';
    if (!store_recover_backup(dir, src, sizeof src, NULL)) {
        snprintf(err, errlen, "restore: there is no complete backup in %s/backups", dir);
        return VIVA_ENOTFOUND;
    }
    int lockfd;
    int e = store_lock_acquire(dir, NULL, NULL, &lockfd, err, errlen);
    if (e)
        return e;
    snprintf(cur, sizeof cur, "%s/data.mdb", dir);
    if (os_file_size(cur) >= 0) {
        aside_name(dir, now_ms, aside, sizeof aside);
        if (rename(cur, aside) != 0) {
            e = errno;
            store_lock_release(dir, lockfd);
            snprintf(err, errlen, "restore: cannot keep %s aside as %s: %s; nothing was changed",
                     cur, aside, strerror(e));
            return verr_from_errno(e);
        }
        os_fsync_dir(dir);
        snprintf(kept, klen, "%s", aside);
        VLOG_W("store", "%s kept aside as %s before restoring %s", cur, aside, src);
    }
    store_lock_release(dir, lockfd);

    e = store_restore(dir, src, err, errlen);
    if (e && kept[0]) {
        /* Nothing was restored: the data file goes back where it was. */
        if (os_file_size(cur) < 0 && rename(kept, cur) == 0) {
            os_fsync_dir(dir);
            kept[0] = '\0';
        } else {
            VLOG_E("store", "restore failed; the data file stays at %s", kept);
        }
    }
    return e;
}
