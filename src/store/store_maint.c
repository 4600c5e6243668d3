/* store_maint.c: the maintenance layer on top: hot backups, rotating backups at session end,
 * restore and compaction.
 *
 * Backups are LMDB compacting copies (mdb_env_copyfd2 with MDB_CP_COMPACT) taken inside one
 * read transaction, so they are consistent while other threads keep writing. A backup is written
 * to a nameless file (O_TMPFILE) that gets its name data.mdb only when it is complete and synced;
 * where the file system cannot make nameless files, to data.mdb.tmp, renamed when complete. A
 * killed backup therefore never leaves a data.mdb: a directory with one always holds a complete
 * backup. A rotating backup is built in backups/.tmp-<name> and that directory is renamed into
 * place; the rotation counts only complete backups, and the next rotating backup removes what a
 * killed one left. Restore stages the backup in <dir>/restore.tmp, opens it as a store (which
 * migrates an older schema) and checks it before it replaces anything; the replaced data.mdb is
 * kept as data.mdb.before-restore. */
#define _GNU_SOURCE /* O_TMPFILE, linkat */
#include <pthread.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store_open.h"
#include "store_os.h"
#include "store_sessions.h"
#include "store_txn.h"
#include "verr.h"
#include "vlog.h"

/* The staging directory of a rotating backup: backups/.tmp-<name>. */
#define STAGE_PREFIX ".tmp-"

/* ---- Backups ------------------------------------------------------------------------------- */

/* A nameless file in `dir`, or -1 where the file system (or a missing /proc) cannot give one a
 * name later (tests get that with the fault "tmpfile"). */
static int open_nameless(store *st, const char *dir)
{
#ifdef O_TMPFILE
    if (store_fault(st, "tmpfile") || access("/proc/self/fd", X_OK) != 0)
        return -1;
    return open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
#else
    (void)st;
    (void)dir;
    return -1;
#endif
}

/* Gives the nameless file `fd` the name `path` (never replaces an existing file). */
static int link_nameless(int fd, const char *path)
{
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    return linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0 ? 0 : errno;
}

/* The compacting copy into `fd`, synced. 0, an LMDB code or an errno value. */
static int copy_into(store *st, int fd)
{
    pthread_rwlock_rdlock(&st->rw);
    int rc = mdb_env_copyfd2(st->env, fd, MDB_CP_COMPACT);
    pthread_rwlock_unlock(&st->rw);
    if (rc == 0 && fsync(fd) != 0)
        rc = errno;
    return rc;
}

int store_backup(store *st, const char *dest, char *err, size_t errlen)
{
    char path[4200], tmp[4200];
    if (errlen)
        err[0] = '\0';
    int e = os_mkdir_p(dest, 0700);
    if (e) {
        snprintf(err, errlen, "backup: cannot create %s: %s", dest, strerror(e));
        return verr_from_errno(e);
    }
    snprintf(path, sizeof path, "%s/data.mdb", dest);
    snprintf(tmp, sizeof tmp, "%s/data.mdb.tmp", dest);
    if (os_file_size(path) >= 0) {
        snprintf(err, errlen, "backup: %s already holds a backup; choose an empty directory",
                 dest);
        return VIVA_EBUSY;
    }
    if (unlink(tmp) == 0) /* an earlier backup into dest was interrupted */
        VLOG_W("store", "%s: removed an unfinished backup", tmp);
    int f = store_fault(st, "backup");
    int named = 0;
    int fd = f ? -1 : open_nameless(st, dest);
    if (!f && fd < 0) {
        named = 1;
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    }
    if (fd < 0) {
        e = f ? f : errno;
        snprintf(err, errlen, "backup: cannot write %s: %s", named ? tmp : dest, strerror(e));
        return verr_from_errno(e);
    }
    int rc = copy_into(st, fd);
    if (rc == 0 && !named)
        rc = link_nameless(fd, path);
    if (close(fd) != 0 && rc == 0)
        rc = errno;
    if (rc == 0 && named && rename(tmp, path) != 0)
        rc = errno;
    if (rc) {
        if (named)
            unlink(tmp);
        snprintf(err, errlen, "backup: writing %s failed: %s%s", path, mdb_strerror(rc),
                 store_mdb_err(rc) == VIVA_ENOSPC ? "; free space on that disk" : "");
        return store_mdb_err(rc);
    }
    os_fsync_dir(dest);
    return VIVA_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* 1 when <root>/<name> is a complete backup: a directory holding data.mdb. */
static int is_complete(const char *root, const char *name)
{
    char p[4500];
    if (name[0] == '.' || strstr(name, ".tmp"))
        return 0;
    snprintf(p, sizeof p, "%s/%s/data.mdb", root, name);
    return os_file_size(p) >= 0;
}

/* 1 when <root>/<name> is what an interrupted backup left: a staging directory, or (from
 * before staging) a directory holding nothing but data.mdb.tmp. */
static int is_partial(const char *root, const char *name)
{
    if (!strncmp(name, STAGE_PREFIX, strlen(STAGE_PREFIX)))
        return 1;
    if (name[0] == '.')
        return 0;
    char p[4500];
    snprintf(p, sizeof p, "%s/%s", root, name);
    DIR *d = opendir(p);
    if (!d)
        return 0;
    int partial = 1;
    struct dirent *de;
    while ((de = readdir(d)) != NULL && partial)
        partial = !strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
                  !strcmp(de->d_name, "data.mdb.tmp");
    closedir(d);
    return partial;
}

/* Removes what interrupted rotating backups left under <dir>/backups. */
static void tidy_backups(const char *dir)
{
    char root[4200];
    snprintf(root, sizeof root, "%s/backups", dir);
    DIR *d = opendir(root);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
            !is_partial(root, de->d_name))
            continue;
        char p[4500];
        snprintf(p, sizeof p, "%s/%s", root, de->d_name);
        int r = os_rm_rf(p);
        if (r)
            VLOG_W("store", "%s: cannot remove an unfinished backup: %s", p, strerror(r));
        else
            VLOG_W("store", "%s: removed an unfinished backup (it was interrupted)", p);
    }
    closedir(d);
}

/* Names of the complete backup directories under <dir>/backups, oldest first (names sort by
 * time). */
static size_t list_backups(const char *dir, char ***out)
{
    char root[4200];
    snprintf(root, sizeof root, "%s/backups", dir);
    *out = NULL;
    DIR *d = opendir(root);
    if (!d)
        return 0;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!is_complete(root, de->d_name))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            *out = xrealloc(*out, cap * sizeof **out);
        }
        (*out)[n++] = xstrdup(de->d_name);
    }
    closedir(d);
    if (n)
        qsort(*out, n, sizeof **out, cmp_str);
    return n;
}

void store_newest_backup(const char *dir, char *out, size_t len)
{
    char **names;
    size_t n = list_backups(dir, &names);
    out[0] = '\0';
    if (n)
        snprintf(out, len, "%s/backups/%s", dir, names[n - 1]);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* Deletes the oldest complete backups beyond backup_keep. */
static void delete_old_backups(store *st)
{
    char **names;
    size_t n = list_backups(st->dir, &names);
    for (size_t i = 0; i < n; i++) {
        if (i + (size_t)st->backup_keep < n) {
            char old[4300];
            snprintf(old, sizeof old, "%s/backups/%s", st->dir, names[i]);
            int r = os_rm_rf(old);
            if (r)
                VLOG_W("store", "%s: cannot delete an old backup: %s", old, strerror(r));
        }
        free(names[i]);
    }
    free(names);
}

static int backup_rotate(store *st, int64_t now_ms, uint64_t session)
{
    time_t t = (time_t)(now_ms / 1000);
    struct tm tm;
    char stamp[32] = "00000000-000000";
    if (gmtime_r(&t, &tm))
        strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    char root[4200], stage[4400], dest[4400], err[4600];
    snprintf(root, sizeof root, "%s/backups", st->dir);
    snprintf(dest, sizeof dest, "%s/%s-s%06" PRIu64, root, stamp, session);
    snprintf(stage, sizeof stage, "%s/" STAGE_PREFIX "%s-s%06" PRIu64, root, stamp, session);
    tidy_backups(st->dir);
    int e = store_backup(st, stage, err, sizeof err);
    if (!e && rename(stage, dest) != 0) {
        e = verr_from_errno(errno);
        snprintf(err, sizeof err, "backup: cannot move %s into place: %s", dest,
                 strerror(errno));
    }
    if (e) {
        VLOG_E("store", "%s", err);
        os_rm_rf(stage); /* leave no half backup behind */
        return e;
    }
    os_fsync_dir(root);
    delete_old_backups(st);
    return VIVA_OK;
}

/* ---- Restore ------------------------------------------------------------------------------- */

int store_restore(const char *dir, const char *src, char *err, size_t errlen)
{
    char from[4200], stage[4200], staged[4300], cur[4200], keep[4300];
    snprintf(from, sizeof from, "%s/data.mdb", src);
    if (os_file_size(from) < 0) {
        char part[4200], newest[4200];
        snprintf(part, sizeof part, "%s/data.mdb.tmp", src);
        store_newest_backup(dir, newest, sizeof newest);
        snprintf(err, errlen, "restore: there is no backup in %s (%s); fix: name a directory "
                 "made by 'viva backup' or one under %s/backups (newest complete: %s)", src,
                 os_file_size(part) >= 0 ? "only data.mdb.tmp, an interrupted backup"
                                         : "no data.mdb",
                 dir, newest[0] ? newest : "none");
        return VIVA_ENOTFOUND;
    }
    /* The lock first: viva must not be running on dir. */
    int e = os_mkdir_p(dir, 0700);
    if (e) {
        snprintf(err, errlen, "restore: cannot create %s: %s", dir, strerror(e));
        return verr_from_errno(e);
    }
    int lockfd;
    e = store_lock_acquire(dir, NULL, NULL, &lockfd, err, errlen);
    if (e)
        return e;

    snprintf(stage, sizeof stage, "%s/restore.tmp", dir);
    os_rm_rf(stage);
    e = os_mkdir_p(stage, 0700);
    snprintf(staged, sizeof staged, "%s/data.mdb", stage);
    if (!e)
        e = os_copy_file(from, staged, NULL, NULL);
    if (e) {
        snprintf(err, errlen, "restore: cannot copy %s to %s: %s%s", from, staged, strerror(e),
                 verr_from_errno(e) == VIVA_ENOSPC ? "; free space on that disk" : "");
        e = verr_from_errno(e);
        goto out;
    }
    /* Open the staged copy as a store: detects damage, migrates an older schema. */
    store *chk;
    char oerr[1024];
    e = store_open_ex(stage, NULL, &chk, oerr, sizeof oerr);
    if (e) {
        snprintf(err, errlen, "restore: the backup in %s cannot be used: %s", src, oerr);
        goto out;
    }
    store_check_report rep;
    e = store_check(chk, &rep);
    store_close(chk);
    if (e || rep.problems) {
        snprintf(err, errlen, "restore: the backup in %s is damaged (%s); nothing was changed; "
                 "fix: choose another backup", src,
                 e ? viva_strerror(e) : rep.first_problem);
        e = e ? e : VIVA_ECORRUPT;
        goto out;
    }
    snprintf(cur, sizeof cur, "%s/data.mdb", dir);
    snprintf(keep, sizeof keep, "%s/data.mdb.before-restore", dir);
    for (int i = 1; os_file_size(keep) >= 0 && i < 1000; i++) /* never replace an older one */
        snprintf(keep, sizeof keep, "%s/data.mdb.before-restore.%d", dir, i);
    if (os_file_size(cur) >= 0 && rename(cur, keep) != 0) {
        e = verr_from_errno(errno);
        snprintf(err, errlen, "restore: cannot move %s aside: %s", cur, strerror(errno));
        goto out;
    }
    if (rename(staged, cur) != 0) {
        int en = errno;
        if (rename(keep, cur) != 0)
            VLOG_E("store", "restore: cannot put %s back: %s", cur, strerror(errno));
        snprintf(err, errlen, "restore: cannot move the backup into place: %s", strerror(en));
        e = verr_from_errno(en);
        goto out;
    }
    os_fsync_dir(dir);
    /* The LMDB lock file described the old data file; LMDB makes a new one at the next open. */
    snprintf(cur, sizeof cur, "%s/lock.mdb", dir);
    unlink(cur);
    e = VIVA_OK;
out:
    os_rm_rf(stage);
    store_lock_release(dir, lockfd);
    return e;
}

/* ---- Session end ---------------------------------------------------------------------------- */

int store_session_end(store *st, uint64_t id, int64_t now_ms)
{
    int e = sessions_end(st, id, now_ms);
    if (e)
        return e;
    if (st->backup_keep > 0)
        return backup_rotate(st, now_ms, id);
    return VIVA_OK;
}

/* ---- Compaction ----------------------------------------------------------------------------- */

int store_compact(store *st, char *err, size_t errlen)
{
    char tmp[4200], cur[4200], lockmdb[4200];
    if (errlen)
        err[0] = '\0';
    if (st->flags & STORE_READONLY) {
        snprintf(err, errlen, "store: %s was opened read-only; cannot compact", st->dir);
        return VIVA_EINVAL;
    }
    snprintf(tmp, sizeof tmp, "%s/data.mdb.compact", st->dir);
    snprintf(cur, sizeof cur, "%s/data.mdb", st->dir);
    snprintf(lockmdb, sizeof lockmdb, "%s/lock.mdb", st->dir);
    pthread_rwlock_wrlock(&st->rw);
    int f = store_fault(st, "backup");
    int fd = f ? -1 : open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int rc = fd < 0 ? (f ? f : errno) : mdb_env_copyfd2(st->env, fd, MDB_CP_COMPACT);
    if (fd >= 0) {
        if (rc == 0 && fsync(fd) != 0)
            rc = errno;
        if (close(fd) != 0 && rc == 0)
            rc = errno;
    }
    if (rc) {
        unlink(tmp);
        pthread_rwlock_unlock(&st->rw);
        snprintf(err, errlen, "store: compacting %s failed: %s; nothing was changed%s", cur,
                 mdb_strerror(rc), store_mdb_err(rc) == VIVA_ENOSPC ? " (the disk is full)" : "");
        return store_mdb_err(rc);
    }
    /* Swap the files with the environment closed, then open the new one. */
    store_env_close(st);
    int e = VIVA_OK;
    if (rename(tmp, cur) != 0) {
        snprintf(err, errlen, "store: cannot replace %s: %s", cur, strerror(errno));
        e = verr_from_errno(errno);
        unlink(tmp);
    }
    os_fsync_dir(st->dir);
    unlink(lockmdb); /* its reader table and txn id described the old file */
    char oerr[1024];
    int e2 = store_reopen(st, oerr, sizeof oerr);
    pthread_rwlock_unlock(&st->rw);
    if (e2) {
        snprintf(err, errlen, "%s (after compacting; close and open the store again)", oerr);
        return e2;
    }
    return e;
}
