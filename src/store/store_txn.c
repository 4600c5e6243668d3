/* store_txn.c: the transaction layer (see store_txn.h): environment, runners, map growth,
 * error mapping, id counters, the single-instance lock. */
#include "store_txn.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "store_codec.h"
#include "store_os.h"
#include "verr.h"
#include "vlog.h"

#define MIB ((uint64_t)1024 * 1024)

const char *const store_db_names[DB_COUNT] = {
    [DB_META] = "meta",         [DB_BANKS] = "banks",
    [DB_ITEMS] = "items",       [DB_CALIB] = "calibration",
    [DB_PROFILES] = "profiles", [DB_PROFNAME] = "profile_names",
    [DB_SESSIONS] = "sessions", [DB_RESPONSES] = "responses",
    [DB_RESP_BY_PROF] = "responses_by_profile",
    [DB_RECS] = "recordings",   [DB_CHUNKS] = "recording_chunks",
    [DB_REC_BY_PROF] = "recordings_by_profile",
    [DB_ABILITY] = "ability",   [DB_REVIEW] = "review",
    [DB_SETTINGS] = "settings", [DB_ANALYSIS] = "analysis",
};

uint32_t store_db_since(int i)
{
    switch (i) {
    case DB_RESP_BY_PROF:
    case DB_REC_BY_PROF:
        return 2;
    case DB_ANALYSIS:
        return 3;
    default:
        return 1;
    }
}

static uint64_t next_map_size(uint64_t cur)
{
    uint64_t n = cur < 1024 * MIB ? cur * 2 : cur + 512 * MIB;
    return (n + MIB - 1) / MIB * MIB;
}

int store_mdb_err(int rc)
{
    if (rc == 0)
        return VIVA_OK;
    if (rc <= STORE_RC(0) && rc > STORE_RC(VIVA_ERR_COUNT))
        return -(rc - STORE_RC(0));
    switch (rc) {
    case MDB_MAP_FULL:
        return VIVA_ENOSPC;
    case MDB_CORRUPTED:
    case MDB_PAGE_NOTFOUND:
    case MDB_INVALID:
    case MDB_BAD_TXN:
    case MDB_BAD_VALSIZE:
        return VIVA_ECORRUPT;
    case MDB_VERSION_MISMATCH:
        return VIVA_EVERSION;
    case MDB_READERS_FULL:
        return VIVA_EBUSY;
    case MDB_NOTFOUND:
        return VIVA_ENOTFOUND;
    case MDB_PANIC:
        return VIVA_EIO;
    default:
        return rc > 0 ? verr_from_errno(rc) : VIVA_EIO;
    }
}

int store_exit_code(int err)
{
    switch (err) {
    case VIVA_OK:
        return 0;
    case VIVA_EBUSY:
        return STORE_EXIT_BUSY;
    case VIVA_EPERM:
        return STORE_EXIT_PERM;
    case VIVA_ECORRUPT:
        return STORE_EXIT_CORRUPT;
    case VIVA_EVERSION:
        return STORE_EXIT_VERSION;
    case VIVA_ENOSPC:
        return STORE_EXIT_NOSPC;
    case VIVA_ENOTFOUND:
        return STORE_EXIT_NOSTORE;
    case VIVA_EIO:
        return STORE_EXIT_IO;
    default:
        return 1;
    }
}

const char *store_dir(const store *st)
{
    return st->dir;
}

int store_fault(store *st, const char *op)
{
    return st->fault ? st->fault(st->fault_ctx, op) : 0;
}

const char *store_rc_text(int rc)
{
    if (rc <= STORE_RC(0) && rc > STORE_RC(VIVA_ERR_COUNT))
        return viva_strerror(store_mdb_err(rc));
    return mdb_strerror(rc);
}

/* The sentence for a failed system call: read-only media and an immutable file get their
 * own, as chown/chmod cannot help there. */
const char *store_fix_errno(int e)
{
    switch (e) {
    case EROFS:
        return "the data directory is on read-only media or a file system mounted read-only: "
               "mount it read-write (or copy the store to writable storage and use "
               "--data-dir); commands that only read (viva profiles, export, backup, store "
               "check) work on it as it is";
    case EPERM:
        return "the file system refuses the change even to its owner (an immutable file? see "
               "lsattr and chattr -i), or choose another directory with --data-dir";
    default:
        return store_fix_for(verr_from_errno(e));
    }
}

/* The sentence that tells the user what to do about an error. */
const char *store_fix_for(int verr)
{
    switch (verr) {
    case VIVA_ENOSPC:
        return "free space on that disk (answers committed before are safe)";
    case VIVA_ECORRUPT:
        return "restore from a backup with 'viva restore DIR' (see 'viva backup')";
    case VIVA_EPERM:
        return "run viva as the owner of the directory, or fix it with chown/chmod, or choose "
               "another one with --data-dir";
    default:
        return "see the log above; if it persists, restore from a backup with 'viva restore'";
    }
}

static void log_failure(store *st, const char *what, int rc)
{
    int e = store_mdb_err(rc);
    /* Our own result codes (name taken, no such id, bad argument) are answers for the caller,
     * not failures of the store; only damage among them is worth a log line. */
    int ours = rc <= STORE_RC(0) && rc > STORE_RC(VIVA_ERR_COUNT);
    if (e == VIVA_ENOTFOUND || (ours && e != VIVA_ECORRUPT))
        return;
    VLOG_E("store", "%s: %s failed: %s; fix: %s", st->dir, what, store_rc_text(rc),
           rc > 0 ? store_fix_errno(rc) : store_fix_for(e));
}

/* Enlarge the map if nobody else did since `seen` was read. */
static int grow(store *st, uint64_t seen)
{
    int res = VIVA_OK;
    pthread_rwlock_wrlock(&st->rw);
    if (st->mapsize == seen) {
        uint64_t n = next_map_size(seen);
        if (n > st->mapmax)
            n = st->mapmax;
        if (n <= seen || n > SIZE_MAX) {
            VLOG_E("store", "%s: the store reached its size limit of %" PRIu64 " MiB; fix: "
                   "delete old profiles or recordings (viva profiles remove)",
                   st->dir, st->mapmax / MIB);
            res = VIVA_ENOSPC;
        } else {
            int rc = mdb_env_set_mapsize(st->env, (size_t)n);
            if (rc) {
                VLOG_E("store", "%s: cannot grow the map to %" PRIu64 " MiB: %s", st->dir,
                       n / MIB, mdb_strerror(rc));
                res = rc == ENOMEM ? VIVA_ENOSPC : store_mdb_err(rc);
            } else {
                VLOG_I("store", "%s: map grown to %" PRIu64 " MiB", st->dir, n / MIB);
                st->mapsize = n;
            }
        }
    }
    pthread_rwlock_unlock(&st->rw);
    return res;
}

/* Another process grew the map: adopt its size. */
static void adopt_resize(store *st)
{
    pthread_rwlock_wrlock(&st->rw);
    MDB_envinfo info;
    if (mdb_env_set_mapsize(st->env, 0) == 0 && mdb_env_info(st->env, &info) == 0)
        st->mapsize = info.me_mapsize;
    pthread_rwlock_unlock(&st->rw);
}

/* LMDB reports a short write as EIO ("which error code?" says its source), and a write that
 * runs out of disk is usually short. When an EIO comes with less than 4 MiB free on the file
 * system, or with data.mdb at the process's file size limit, call it what it is. */
static int disk_is_full(store *st)
{
    struct statvfs vs;
    if (statvfs(st->dir, &vs) == 0 && (uint64_t)vs.f_bavail * vs.f_frsize < 4 * MIB)
        return 1;
    struct rlimit rl;
    char path[4200];
    snprintf(path, sizeof path, "%s/data.mdb", st->dir);
    int64_t size = os_file_size(path);
    return getrlimit(RLIMIT_FSIZE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && size >= 0 &&
           (uint64_t)size + MIB >= (uint64_t)rl.rlim_cur;
}

int store_write(store *st, const char *what, store_write_fn fn, void *ctx)
{
    if (st->flags & STORE_READONLY)
        return VIVA_EINVAL;
    int rc;
    for (;;) {
        pthread_rwlock_rdlock(&st->rw);
        uint64_t seen = st->mapsize;
        MDB_txn *txn;
        rc = mdb_txn_begin(st->env, NULL, 0, &txn);
        if (rc == 0) {
            rc = fn(st, txn, ctx);
            int f = rc ? 0 : store_fault(st, "commit");
            if (rc || f) {
                mdb_txn_abort(txn);
                if (f)
                    rc = f;
            } else {
                rc = mdb_txn_commit(txn);
            }
        }
        pthread_rwlock_unlock(&st->rw);
        if (rc == MDB_MAP_FULL) {
            int g = grow(st, seen);
            if (g)
                return g;
            continue;
        }
        if (rc == MDB_MAP_RESIZED) {
            adopt_resize(st);
            continue;
        }
        break;
    }
    if (rc == EIO && disk_is_full(st))
        rc = ENOSPC;
    if (rc)
        log_failure(st, what, rc);
    return store_mdb_err(rc);
}

int store_read(store *st, const char *what, store_read_fn fn, void *ctx)
{
    int rc;
    for (;;) {
        pthread_rwlock_rdlock(&st->rw);
        MDB_txn *txn;
        rc = mdb_txn_begin(st->env, NULL, MDB_RDONLY, &txn);
        if (rc == 0) {
            rc = fn(st, txn, ctx);
            mdb_txn_abort(txn);
        }
        pthread_rwlock_unlock(&st->rw);
        if (rc == MDB_MAP_RESIZED) {
            adopt_resize(st);
            continue;
        }
        break;
    }
    if (rc && rc != MDB_NOTFOUND)
        log_failure(st, what, rc);
    return store_mdb_err(rc);
}

int store_next_id(store *st, MDB_txn *txn, const char *kind, uint64_t *id)
{
    char name[32];
    snprintf(name, sizeof name, "seq.%s", kind);
    MDB_val k = {strlen(name), name}, v;
    uint64_t next = 1;
    int rc = mdb_get(txn, st->dbi[DB_META], &k, &v);
    if (rc == 0) {
        dec d;
        dec_init(&d, &v);
        next = dec_u64(&d);
        if (d.bad)
            return MDB_CORRUPTED;
    } else if (rc != MDB_NOTFOUND) {
        return rc;
    }
    strbuf b = {0};
    enc_u64(&b, next + 1);
    v.mv_size = b.len;
    v.mv_data = b.s;
    rc = mdb_put(txn, st->dbi[DB_META], &k, &v, 0);
    sb_free(&b);
    *id = next;
    return rc;
}

/* ---- Single-instance lock ------------------------------------------------------------------ */

int store_lock_acquire(const char *dir, int (*fault)(void *, const char *), void *fault_ctx,
                       int *out, char *err, size_t errlen)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/viva.lock", dir);
    *out = -1;
    int f = fault ? fault(fault_ctx, "lock") : 0;
    int fd = f ? -1 : open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        int e = f ? f : errno;
        snprintf(err, errlen, "store: cannot open the lock file %s: %s; fix: %s", path,
                 strerror(e), store_fix_errno(e));
        return verr_from_errno(e);
    }
    char old[32] = "";
    ssize_t n = pread(fd, old, sizeof old - 1, 0);
    old[n > 0 ? n : 0] = '\0';
    long holder = strtol(old, NULL, 10);
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(fd);
        if (e == EWOULDBLOCK) {
            snprintf(err, errlen,
                     "store: %s is in use by another viva (pid %ld); fix: stop it first "
                     "(systemctl stop viva, or close that window), or use another --data-dir",
                     dir, holder);
            return VIVA_EBUSY;
        }
        snprintf(err, errlen, "store: cannot lock %s: %s", path, strerror(e));
        return VIVA_EIO;
    }
    if (holder > 0 && holder != (long)getpid())
        VLOG_W("store", "%s: the previous viva (pid %ld) did not shut down cleanly; its lock "
               "was released and the store is recovered from the last commit", dir, holder);
    char pid[32];
    int len = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)len, 0) != len)
        VLOG_W("store", "%s: cannot write the pid into the lock file: %s", path,
               strerror(errno));
    *out = fd;
    return VIVA_OK;
}

void store_lock_release(const char *dir, int fd)
{
    if (fd < 0)
        return;
    if (ftruncate(fd, 0) != 0)
        VLOG_W("store", "%s: cannot clear the lock file: %s", dir, strerror(errno));
    close(fd); /* releases the flock */
}

int store_env_open_dbs(store *st, MDB_txn *txn, uint32_t version, char *err, size_t errlen)
{
    unsigned create = (st->flags & STORE_READONLY) ? 0 : MDB_CREATE;
    for (int i = 0; i < DB_COUNT; i++) {
        if (i == DB_META)
            continue;
        if (store_db_since(i) > version && !create)
            continue;
        int rc = mdb_dbi_open(txn, store_db_names[i], create, &st->dbi[i]);
        if (rc) {
            snprintf(err, errlen, "store: %s/data.mdb: cannot open the '%s' table: %s; fix: %s",
                     st->dir, store_db_names[i], mdb_strerror(rc),
                     store_fix_for(rc == MDB_NOTFOUND ? VIVA_ECORRUPT : store_mdb_err(rc)));
            return rc == MDB_NOTFOUND ? VIVA_ECORRUPT : store_mdb_err(rc);
        }
        /* Touch the first and last record: a damaged root or leaf shows up here. */
        MDB_cursor *c;
        MDB_val k, v;
        rc = mdb_cursor_open(txn, st->dbi[i], &c);
        if (rc == 0) {
            rc = mdb_cursor_get(c, &k, &v, MDB_FIRST);
            if (rc == 0)
                rc = mdb_cursor_get(c, &k, &v, MDB_LAST);
            mdb_cursor_close(c);
        }
        if (rc && rc != MDB_NOTFOUND) {
            snprintf(err, errlen, "store: %s/data.mdb is damaged (table '%s': %s); fix: %s",
                     st->dir, store_db_names[i], mdb_strerror(rc), store_fix_for(VIVA_ECORRUPT));
            return VIVA_ECORRUPT;
        }
    }
    return VIVA_OK;
}

int store_env_read_schema(store *st, MDB_txn *txn, uint32_t *version, int *fresh)
{
    *version = 0;
    *fresh = 0;
    int rc = mdb_dbi_open(txn, store_db_names[DB_META], 0, &st->dbi[DB_META]);
    if (rc == MDB_NOTFOUND) {
        MDB_dbi main;
        MDB_stat ms;
        rc = mdb_dbi_open(txn, NULL, 0, &main);
        if (rc == 0)
            rc = mdb_stat(txn, main, &ms);
        if (rc)
            return rc;
        if (ms.ms_entries != 0)
            return STORE_RC(VIVA_ECORRUPT); /* an LMDB file, but not ours */
        *fresh = 1;
        return 0;
    }
    if (rc)
        return rc;
    MDB_val k = {6, "schema"}, v;
    rc = mdb_get(txn, st->dbi[DB_META], &k, &v);
    if (rc)
        return rc == MDB_NOTFOUND ? STORE_RC(VIVA_ECORRUPT) : rc;
    dec d;
    dec_init(&d, &v);
    *version = dec_u32(&d);
    return d.bad || *version == 0 ? STORE_RC(VIVA_ECORRUPT) : 0;
}

/* Checks that do not need LMDB: data.mdb shorter than two pages is never a valid store, and
 * LMDB would silently initialise an empty one. */
int store_env_precheck(store *st, char *err, size_t errlen, int *exists)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/data.mdb", st->dir);
    struct stat sb;
    *exists = 0;
    if (stat(path, &sb) != 0) {
        if (errno == ENOENT)
            return VIVA_OK;
        snprintf(err, errlen, "store: cannot read %s: %s; fix: %s", path, strerror(errno),
                 store_fix_errno(errno));
        return verr_from_errno(errno);
    }
    *exists = 1;
    if (!S_ISREG(sb.st_mode)) {
        snprintf(err, errlen, "store: %s is not a regular file; fix: move it away", path);
        return VIVA_ECORRUPT;
    }
    if (sb.st_size < 8192) {
        snprintf(err, errlen,
                 "store: %s is truncated (%lld bytes, not even the two header pages); fix: %s "
                 "(if this is a new installation with nothing in it, delete the file)",
                 path, (long long)sb.st_size, store_fix_for(VIVA_ECORRUPT));
        return VIVA_ECORRUPT;
    }
    int mode = (st->flags & STORE_READONLY) ? R_OK : R_OK | W_OK;
    if (access(path, mode) != 0) {
        int e = errno;
        snprintf(err, errlen, "store: cannot %s %s: %s; fix: %s",
                 mode == R_OK ? "read" : "read and write", path, strerror(e),
                 store_fix_errno(e));
        return verr_from_errno(e);
    }
    return VIVA_OK;
}

int store_env_open(store *st, int exists, char *err, size_t errlen)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/data.mdb", st->dir);
    int rc = mdb_env_create(&st->env);
    if (rc) {
        snprintf(err, errlen, "store: cannot create the LMDB environment: %s", mdb_strerror(rc));
        return store_mdb_err(rc);
    }
    mdb_env_set_maxdbs(st->env, DB_COUNT + 4);
    mdb_env_set_maxreaders(st->env, 126);
    int64_t fsize = os_file_size(path);
    uint64_t want = st->mapsize;
    if (fsize > 0 && (uint64_t)fsize / 4 * 5 > want)
        want = ((uint64_t)fsize / 4 * 5 + MIB - 1) / MIB * MIB;
    if (want > st->mapmax)
        want = st->mapmax;
    if (fsize > 0 && want < (uint64_t)fsize)
        want = (uint64_t)fsize;
    if (want > SIZE_MAX)
        want = SIZE_MAX / 2;
    mdb_env_set_mapsize(st->env, (size_t)want);
    unsigned flags = MDB_NOTLS;
    if (st->flags & STORE_READONLY)
        flags |= MDB_RDONLY;
    if (st->flags & STORE_NOSYNC)
        flags |= MDB_NOSYNC;
    rc = mdb_env_open(st->env, st->dir, flags, 0600);
    if (rc) {
        int e = store_mdb_err(rc);
        if (rc == MDB_INVALID || rc == MDB_CORRUPTED)
            snprintf(err, errlen, "store: %s is damaged (%s: the header pages are not valid); "
                     "fix: %s", path, mdb_strerror(rc), store_fix_for(VIVA_ECORRUPT));
        else if (rc == MDB_VERSION_MISMATCH) {
            /* Damaged header bytes and a file from another word size (a 64-bit device's
             * data.mdb on a 32-bit one) look the same to LMDB: say both. */
            e = VIVA_ECORRUPT;
            snprintf(err, errlen, "store: %s cannot be read: its header is damaged, or it was "
                     "written on a device of another word size (32-bit and 64-bit LMDB files "
                     "differ); fix: %s", path, store_fix_for(VIVA_ECORRUPT));
        }
        else if (rc == ENOENT && (st->flags & STORE_READONLY))
            snprintf(err, errlen, "store: there is no viva store in %s", st->dir);
        else
            snprintf(err, errlen, "store: cannot open %s: %s; fix: %s", path, mdb_strerror(rc),
                     rc > 0 ? store_fix_errno(rc) : store_fix_for(e));
        return e;
    }
    if (!exists)
        os_fsync_dir(st->dir);

    int dead = 0;
    rc = mdb_reader_check(st->env, &dead);
    if (rc == 0 && dead > 0)
        VLOG_I("store", "%s: cleared %d reader slot%s left by dead processes", st->dir, dead,
               dead == 1 ? "" : "s");

    /* A truncated file: the header promises pages beyond its end (reading them would be a
     * SIGBUS, not an error). */
    MDB_envinfo info;
    MDB_stat ms;
    mdb_env_info(st->env, &info);
    mdb_env_stat(st->env, &ms);
    st->mapsize = info.me_mapsize;
    fsize = os_file_size(path);
    uint64_t need = ((uint64_t)info.me_last_pgno + 1) * ms.ms_psize;
    if (fsize >= 0 && (uint64_t)fsize < need) {
        snprintf(err, errlen,
                 "store: %s is truncated (%lld bytes, its header needs %" PRIu64 "); fix: %s",
                 path, (long long)fsize, need, store_fix_for(VIVA_ECORRUPT));
        return VIVA_ECORRUPT;
    }
    return VIVA_OK;
}

void store_set_backup_keep(store *st, int keep)
{
    st->backup_keep = keep < 0 ? 0 : keep;
}

void store_map_info(store *st, uint64_t *mapsize, uint64_t *cap, uint64_t *file_bytes)
{
    char path[4200];
    pthread_rwlock_rdlock(&st->rw);
    if (mapsize)
        *mapsize = st->mapsize;
    pthread_rwlock_unlock(&st->rw);
    if (cap)
        *cap = st->mapmax;
    snprintf(path, sizeof path, "%s/data.mdb", st->dir);
    if (file_bytes) {
        int64_t n = os_file_size(path);
        *file_bytes = n < 0 ? 0 : (uint64_t)n;
    }
}


void store_env_close(store *st)
{
    if (st->env)
        mdb_env_close(st->env);
    st->env = NULL;
}

int64_t store_file_size(const char *path)
{
    return os_file_size(path);
}

int store_mkdir_p(const char *dir, unsigned mode)
{
    return os_mkdir_p(dir, mode);
}

/* ---- Table helpers ------------------------------------------------------------------------- */

int tbl_put_buf(MDB_txn *txn, MDB_dbi dbi, const void *k, size_t kl, const strbuf *b)
{
    MDB_val key = {kl, (void *)k}, val = {b->len, b->len ? b->s : ""};
    return mdb_put(txn, dbi, &key, &val, 0);
}

int tbl_put_bytes(MDB_txn *txn, MDB_dbi dbi, const void *k, size_t kl, const void *d,
                  size_t dl)
{
    MDB_val key = {kl, (void *)k}, val = {dl, dl ? (void *)d : ""};
    return mdb_put(txn, dbi, &key, &val, 0);
}

int tbl_starts_with(const MDB_val *k, const void *prefix, size_t plen)
{
    return k->mv_size >= plen && memcmp(k->mv_data, prefix, plen) == 0;
}

int tbl_del(MDB_txn *txn, MDB_dbi dbi, const void *k, size_t kl)
{
    MDB_val key = {kl, (void *)k};
    int rc = mdb_del(txn, dbi, &key, NULL);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

int tbl_del_prefix(MDB_txn *txn, MDB_dbi dbi, const void *prefix, size_t plen)
{
    MDB_cursor *c;
    int rc = mdb_cursor_open(txn, dbi, &c);
    if (rc)
        return rc;
    for (;;) {
        MDB_val k = {plen, (void *)prefix}, v;
        rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
        if (rc || !tbl_starts_with(&k, prefix, plen))
            break;
        rc = mdb_cursor_del(c, 0);
        if (rc)
            break;
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

int tbl_walk(MDB_txn *txn, MDB_dbi dbi, const void *prefix, size_t plen, size_t klen,
             tbl_each_fn each, void *ctx)
{
    MDB_cursor *c;
    int rc = mdb_cursor_open(txn, dbi, &c);
    if (rc)
        return rc;
    MDB_val k = {plen, (void *)prefix}, v;
    for (rc = mdb_cursor_get(c, &k, &v, plen ? MDB_SET_RANGE : MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        if (plen && !tbl_starts_with(&k, prefix, plen))
            break;
        if (klen && k.mv_size != klen) {
            rc = MDB_CORRUPTED;
            break;
        }
        rc = each(ctx, &k, &v);
        if (rc)
            break;
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND || rc == TBL_STOP ? 0 : rc;
}

void tbl_ids_add(tbl_ids *s, uint64_t id)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->v = xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = id;
}

void tbl_ids_free(tbl_ids *s)
{
    free(s->v);
    memset(s, 0, sizeof *s);
}

typedef struct {
    size_t off;
    tbl_ids *out;
} collect_ctx;

static int collect_one(void *vctx, const MDB_val *k, const MDB_val *v)
{
    (void)v;
    collect_ctx *c = vctx;
    if (k->mv_size < c->off + 8)
        return MDB_CORRUPTED;
    tbl_ids_add(c->out, key_get_u64((const unsigned char *)k->mv_data + c->off));
    return 0;
}

int tbl_collect_ids(MDB_txn *txn, MDB_dbi dbi, const void *prefix, size_t plen, size_t klen,
                    size_t off, tbl_ids *out)
{
    collect_ctx c = {off, out};
    return tbl_walk(txn, dbi, prefix, plen, klen, collect_one, &c);
}
