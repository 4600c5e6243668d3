/* store_maint.c: consistency check, hot backups, rotating backups and restore.
 *
 * Backups are LMDB compacting copies (mdb_env_copyfd2 with MDB_CP_COMPACT) taken inside one
 * read transaction, so they are consistent while other threads keep writing. A backup is written
 * to data.mdb.tmp, synced, then renamed to data.mdb: a directory with a data.mdb always holds a
 * complete backup. Restore stages the backup in <dir>/restore.tmp, opens it as a store (which
 * migrates an older schema) and checks it before it replaces anything; the replaced data.mdb is
 * kept as data.mdb.before-restore. */
#include "store_int.h"

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

#include "verr.h"
#include "vlog.h"

/* ---- Check --------------------------------------------------------------------------------- */

static void problem(store_check_report *rep, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void problem(store_check_report *rep, const char *fmt, ...)
{
    if (rep->problems++ == 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(rep->first_problem, sizeof rep->first_problem, fmt, ap);
        va_end(ap);
    }
}

static int exists(MDB_txn *txn, MDB_dbi dbi, const void *k, size_t kl, MDB_val *v)
{
    MDB_val key = {kl, (void *)k}, tmp;
    return mdb_get(txn, dbi, &key, v ? v : &tmp);
}

#define WALK(st, txn, db, cur, k, v, rc)                                                         \
    for (rc = mdb_cursor_open(txn, (st)->dbi[db], &cur),                                       \
        rc = rc ? rc : mdb_cursor_get(cur, &k, &v, MDB_FIRST);                                 \
         rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT))

static int check_txn(store *st, MDB_txn *txn, void *vctx)
{
    store_check_report *rep = vctx;
    MDB_cursor *c = NULL;
    MDB_val k, v, x;
    int rc;
    unsigned char kb[STORE_NAME_MAX + 8];

    WALK(st, txn, DB_PROFILES, c, k, v, rc) {
        rep->profiles++;
        dec d;
        dec_init(&d, &v);
        char name[STORE_NAME_MAX + 1];
        dec_strbuf(&d, name, sizeof name);
        dec_i64(&d);
        if (d.bad || k.mv_size != 4) {
            problem(rep, "profile record cannot be decoded");
            continue;
        }
        if (exists(txn, st->dbi[DB_PROFNAME], name, strlen(name), &x) || x.mv_size != 4 ||
            memcmp(x.mv_data, k.mv_data, 4) != 0)
            problem(rep, "profile '%s' has no name index entry", name);
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND)
        return rc;
    WALK(st, txn, DB_PROFNAME, c, k, v, rc) {
        if (v.mv_size != 4 || exists(txn, st->dbi[DB_PROFILES], v.mv_data, 4, NULL))
            problem(rep, "profile name '%.*s' points to no profile", (int)k.mv_size,
                    (const char *)k.mv_data);
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND)
        return rc;

    WALK(st, txn, DB_SESSIONS, c, k, v, rc) {
        rep->sessions++;
        dec d;
        dec_init(&d, &v);
        uint32_t prof = dec_u32(&d);
        dec_i64(&d);
        dec_i64(&d);
        key_u32(kb, prof);
        if (d.bad || k.mv_size != 8)
            problem(rep, "session record cannot be decoded");
        else if (exists(txn, st->dbi[DB_PROFILES], kb, 4, NULL))
            problem(rep, "session %" PRIu64 " belongs to missing profile %" PRIu32,
                    key_get_u64(k.mv_data), prof);
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND)
        return rc;

    WALK(st, txn, DB_RESPONSES, c, k, v, rc) {
        rep->responses++;
        store_response r;
        if (k.mv_size != 8 || response_decode(&v, &r)) {
            problem(rep, "answer record cannot be decoded");
            continue;
        }
        r.id = key_get_u64(k.mv_data);
        key_u32(kb, r.profile);
        if (exists(txn, st->dbi[DB_PROFILES], kb, 4, NULL))
            problem(rep, "answer %" PRIu64 " belongs to missing profile %" PRIu32, r.id,
                    r.profile);
        if (r.session) {
            key_u64(kb, r.session);
            if (exists(txn, st->dbi[DB_SESSIONS], kb, 8, NULL))
                problem(rep, "answer %" PRIu64 " names missing session %" PRIu64, r.id,
                        r.session);
        }
        if (r.recording) {
            key_u64(kb, r.recording);
            store_rec_info ri;
            if (exists(txn, st->dbi[DB_RECS], kb, 8, &x) || rec_info_decode(&x, &ri))
                problem(rep, "answer %" PRIu64 " names missing recording %" PRIu64, r.id,
                        r.recording);
            else if (ri.profile != r.profile)
                problem(rep, "answer %" PRIu64 " and its recording belong to different "
                        "profiles", r.id);
        }
        response_index_key(kb, &r);
        if (exists(txn, st->dbi[DB_RESP_BY_PROF], kb, 20, NULL))
            problem(rep, "answer %" PRIu64 " is missing from the profile index", r.id);
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND)
        return rc;
    WALK(st, txn, DB_RESP_BY_PROF, c, k, v, rc) {
        store_response r;
        if (k.mv_size != 20 ||
            exists(txn, st->dbi[DB_RESPONSES], (const char *)k.mv_data + 12, 8, &x) ||
            response_decode(&x, &r) || r.profile != key_get_u32(k.mv_data) ||
            key_time(r.t_ms) != key_get_u64((const unsigned char *)k.mv_data + 4))
            problem(rep, "profile index entry points to no matching answer");
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND)
        return rc;

    WALK(st, txn, DB_RECS, c, k, v, rc) {
        rep->recordings++;
        store_rec_info ri;
        if (k.mv_size != 8 || rec_info_decode(&v, &ri)) {
            problem(rep, "recording record cannot be decoded");
            continue;
        }
        ri.id = key_get_u64(k.mv_data);
        key_u32(kb, ri.profile);
        if (exists(txn, st->dbi[DB_PROFILES], kb, 4, NULL))
            problem(rep, "recording %" PRIu64 " belongs to missing profile %" PRIu32, ri.id,
                    ri.profile);
        memcpy(kb + 4, k.mv_data, 8);
        if (exists(txn, st->dbi[DB_REC_BY_PROF], kb, 12, NULL))
            problem(rep, "recording %" PRIu64 " is missing from the profile index", ri.id);
        /* Chunks: contiguous indexes 0..chunks-1 whose sizes add up to frames. */
        MDB_cursor *cc;
        int r2 = mdb_cursor_open(txn, st->dbi[DB_CHUNKS], &cc);
        if (r2)
            return r2;
        MDB_val ck = {8, k.mv_data}, cv;
        uint64_t frames = 0;
        uint32_t n = 0;
        for (r2 = mdb_cursor_get(cc, &ck, &cv, MDB_SET_RANGE); r2 == 0;
             r2 = mdb_cursor_get(cc, &ck, &cv, MDB_NEXT)) {
            if (ck.mv_size != 12 || memcmp(ck.mv_data, k.mv_data, 8) != 0)
                break;
            if (key_get_u32((const unsigned char *)ck.mv_data + 8) != n)
                problem(rep, "recording %" PRIu64 " has a gap before chunk %" PRIu32, ri.id, n);
            frames += cv.mv_size / 2;
            n++;
        }
        mdb_cursor_close(cc);
        if (r2 && r2 != MDB_NOTFOUND)
            return r2;
        if (n != ri.chunks || frames != ri.frames)
            problem(rep, "recording %" PRIu64 ": %" PRIu32 " chunks / %" PRIu64 " frames "
                    "stored, %" PRIu32 " / %" PRIu64 " recorded", ri.id, n, frames, ri.chunks,
                    ri.frames);
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND)
        return rc;
    uint64_t last = 0;
    int have_last = 0;
    WALK(st, txn, DB_CHUNKS, c, k, v, rc) {
        rep->chunks++;
        if (k.mv_size != 12) {
            problem(rep, "chunk key has the wrong size");
            continue;
        }
        uint64_t id = key_get_u64(k.mv_data);
        if (have_last && id == last)
            continue;
        last = id;
        have_last = 1;
        if (exists(txn, st->dbi[DB_RECS], k.mv_data, 8, NULL))
            problem(rep, "orphaned audio: chunks of missing recording %" PRIu64, id);
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND)
        return rc;
    WALK(st, txn, DB_REC_BY_PROF, c, k, v, rc) {
        if (k.mv_size != 12 || exists(txn, st->dbi[DB_RECS], (const char *)k.mv_data + 4, 8,
                                      NULL))
            problem(rep, "recording index entry points to no recording");
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND)
        return rc;

    WALK(st, txn, DB_ABILITY, c, k, v, rc) {
        rep->ability++;
        if (k.mv_size < 21 || v.mv_size != 20 ||
            exists(txn, st->dbi[DB_PROFILES], k.mv_data, 4, NULL))
            problem(rep, "ability history entry is malformed or has no profile");
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND)
        return rc;
    WALK(st, txn, DB_REVIEW, c, k, v, rc) {
        if (k.mv_size < 5 || exists(txn, st->dbi[DB_PROFILES], k.mv_data, 4, NULL))
            problem(rep, "review entry has no profile");
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND)
        return rc;

    WALK(st, txn, DB_BANKS, c, k, v, rc) {
        rep->banks++;
        dec d;
        dec_init(&d, &v);
        dec_u8(&d);
        uint32_t count = dec_u32(&d);
        if (d.bad || k.mv_size > STORE_NAME_MAX) {
            problem(rep, "bank record cannot be decoded");
            continue;
        }
        memcpy(kb, k.mv_data, k.mv_size);
        kb[k.mv_size] = 0;
        MDB_cursor *ic;
        int r2 = mdb_cursor_open(txn, st->dbi[DB_ITEMS], &ic);
        if (r2)
            return r2;
        MDB_val ik = {k.mv_size + 1, kb}, iv;
        uint32_t n = 0;
        for (r2 = mdb_cursor_get(ic, &ik, &iv, MDB_SET_RANGE); r2 == 0;
             r2 = mdb_cursor_get(ic, &ik, &iv, MDB_NEXT)) {
            if (ik.mv_size != k.mv_size + 5 || memcmp(ik.mv_data, kb, k.mv_size + 1) != 0)
                break;
            n++;
        }
        mdb_cursor_close(ic);
        if (r2 && r2 != MDB_NOTFOUND)
            return r2;
        if (n != count)
            problem(rep, "bank '%.*s' lists %" PRIu32 " items, %" PRIu32 " stored",
                    (int)k.mv_size, (const char *)k.mv_data, count, n);
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND)
        return rc;
    WALK(st, txn, DB_ITEMS, c, k, v, rc) {
        rep->items++;
        const unsigned char *z = memchr(k.mv_data, 0, k.mv_size);
        if (!z || exists(txn, st->dbi[DB_BANKS], k.mv_data,
                         (size_t)(z - (const unsigned char *)k.mv_data), NULL))
            problem(rep, "question item belongs to no bank");
        dec d;
        dec_init(&d, &v);
        free(dec_str(&d));
        if (d.bad)
            problem(rep, "question item cannot be decoded");
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

int store_check(store *st, store_check_report *rep)
{
    memset(rep, 0, sizeof *rep);
    return store_read(st, "checking the store", check_txn, rep);
}

/* ---- Backups ------------------------------------------------------------------------------- */

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
    int f = store_fault(st, "backup");
    int fd = f ? -1 : open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        e = f ? f : errno;
        snprintf(err, errlen, "backup: cannot write %s: %s", tmp, strerror(e));
        return verr_from_errno(e);
    }
    pthread_rwlock_rdlock(&st->rw);
    int rc = mdb_env_copyfd2(st->env, fd, MDB_CP_COMPACT);
    pthread_rwlock_unlock(&st->rw);
    if (rc == 0 && fsync(fd) != 0)
        rc = errno;
    if (close(fd) != 0 && rc == 0)
        rc = errno;
    if (rc == 0 && rename(tmp, path) != 0)
        rc = errno;
    if (rc) {
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

/* Names of the backup directories under <dir>/backups, oldest first (names sort by time). */
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
        if (de->d_name[0] == '.' || strstr(de->d_name, ".tmp"))
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

int store_backup_rotate(store *st, int64_t now_ms, uint64_t session)
{
    time_t t = (time_t)(now_ms / 1000);
    struct tm tm;
    char stamp[32] = "00000000-000000";
    if (gmtime_r(&t, &tm))
        strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    char dest[4300], err[512];
    snprintf(dest, sizeof dest, "%s/backups/%s-s%06" PRIu64, st->dir, stamp, session);
    int e = store_backup(st, dest, err, sizeof err);
    if (e) {
        VLOG_E("store", "%s", err);
        /* Leave no half backup behind. */
        os_rm_rf(dest);
        return e;
    }
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
    return VIVA_OK;
}

/* ---- Restore ------------------------------------------------------------------------------- */

int store_restore(const char *dir, const char *src, char *err, size_t errlen)
{
    char from[4200], stage[4200], staged[4300], cur[4200], keep[4300];
    snprintf(from, sizeof from, "%s/data.mdb", src);
    if (os_file_size(from) < 0) {
        snprintf(err, errlen, "restore: there is no backup in %s (no data.mdb); fix: name a "
                 "directory made by 'viva backup' or one under %s/backups", src, dir);
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
