/* store_open.c: opening a store (the layer above the schema): the lock, a new store built
 * aside and renamed into place, the environment, the tables, the schema migration and the
 * recovery of recordings cut short by a crash; closing it. */
#include "store_open.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_os.h"
#include "store_rec.h"
#include "store_schema.h"
#include "verr.h"
#include "vlog.h"

#define MIB ((uint64_t)1024 * 1024)

static uint64_t default_cap(void)
{
    return sizeof(void *) <= 4 ? 1280 * MIB : 256 * 1024 * MIB;
}

static int take_lock(store *st, char *err, size_t errlen)
{
    return store_lock_acquire(st->dir, st->fault, st->fault_ctx, &st->lockfd, err, errlen);
}

static void release_lock(store *st)
{
    store_lock_release(st->dir, st->lockfd);
    st->lockfd = -1;
}

int store_peek_schema(const char *dir, uint32_t *version)
{
    store tmp;
    memset(&tmp, 0, sizeof tmp);
    MDB_env *env;
    int rc = mdb_env_create(&env);
    if (rc)
        return store_mdb_err(rc);
    mdb_env_set_maxdbs(env, DB_COUNT + 4);
    rc = mdb_env_open(env, dir, MDB_RDONLY | MDB_NOTLS, 0600);
    if (rc == 0) {
        MDB_txn *txn;
        int fresh;
        tmp.env = env;
        rc = mdb_txn_begin(env, NULL, MDB_RDONLY, &txn);
        if (rc == 0) {
            rc = store_env_read_schema(&tmp, txn, version, &fresh);
            mdb_txn_abort(txn);
        }
    }
    mdb_env_close(env);
    return store_mdb_err(rc);
}

static int open_tables(store *st, char *err, size_t errlen)
{
    int ro = (st->flags & STORE_READONLY) != 0;
    MDB_txn *txn;
    int rc = mdb_txn_begin(st->env, NULL, ro ? MDB_RDONLY : 0, &txn);
    if (rc) {
        snprintf(err, errlen, "store: %s: cannot begin a transaction: %s; fix: %s", st->dir,
                 mdb_strerror(rc), store_fix_for(store_mdb_err(rc)));
        return store_mdb_err(rc);
    }
    uint32_t version;
    int fresh;
    rc = store_env_read_schema(st, txn, &version, &fresh);
    if (rc) {
        mdb_txn_abort(txn);
        snprintf(err, errlen, "store: %s/data.mdb is not a readable viva store (%s); fix: %s",
                 st->dir, store_rc_text(rc), store_fix_for(VIVA_ECORRUPT));
        return store_mdb_err(rc) == VIVA_ENOTFOUND ? VIVA_ECORRUPT : store_mdb_err(rc);
    }
    if (version > STORE_SCHEMA_VERSION) {
        mdb_txn_abort(txn);
        snprintf(err, errlen,
                 "store: %s/data.mdb has schema version %" PRIu32 ", newer than this viva "
                 "understands (%d); fix: install the newer viva again, or restore a backup made "
                 "by this version with 'viva restore DIR'",
                 st->dir, version, STORE_SCHEMA_VERSION);
        return VIVA_EVERSION;
    }
    if (ro && (fresh || version < STORE_SCHEMA_VERSION)) {
        mdb_txn_abort(txn);
        if (fresh)
            snprintf(err, errlen, "store: there is no viva store in %s", st->dir);
        else
            snprintf(err, errlen, "store: %s has schema version %" PRIu32 "; open it once with "
                     "this viva (for example 'viva profiles') to upgrade it", st->dir, version);
        return fresh ? VIVA_ENOTFOUND : VIVA_EINVAL;
    }
    if (fresh && !ro) {
        rc = mdb_dbi_open(txn, store_db_names[DB_META], MDB_CREATE, &st->dbi[DB_META]);
        if (rc) {
            mdb_txn_abort(txn);
            snprintf(err, errlen, "store: %s: cannot create the store: %s; fix: %s", st->dir,
                     mdb_strerror(rc), store_fix_for(store_mdb_err(rc)));
            return store_mdb_err(rc);
        }
    }
    int e = store_env_open_dbs(st, txn, version, err, errlen);
    if (e) {
        mdb_txn_abort(txn);
        return e;
    }
    if (!ro) {
        e = store_schema_apply(st, txn, version, err, errlen);
        uint64_t fixed = 0, adopted = 0;
        if (!e) {
            int full = version != 0 && version < STORE_SCHEMA_VERSION;
            rc = store_rec_repair(st, txn, full, &fixed, &adopted);
            if (rc) {
                snprintf(err, errlen, "store: %s: recovering recordings failed: %s; fix: %s",
                         st->dir, store_rc_text(rc), store_fix_for(store_mdb_err(rc)));
                e = store_mdb_err(rc);
            }
        }
        if (e) {
            mdb_txn_abort(txn);
            return e;
        }
        if (fixed)
            VLOG_W("store", "%s: %" PRIu64 " recording%s cut short by a crash kept up to the last "
                   "saved second", st->dir, fixed, fixed == 1 ? " was" : "s were");
        if (adopted)
            VLOG_W("store", "%s: %" PRIu64 " recording%s that no answer named became ungraded "
                   "answer%s the candidate can play", st->dir, adopted,
                   adopted == 1 ? "" : "s", adopted == 1 ? "" : "s");
        st->rec_interrupted = fixed;
        st->rec_adopted = adopted;
    }
    rc = mdb_txn_commit(txn); /* also for a read-only txn: keeps the table handles */
    if (rc) {
        snprintf(err, errlen, "store: %s: cannot commit the opening transaction: %s; fix: %s",
                 st->dir, mdb_strerror(rc), store_fix_for(store_mdb_err(rc)));
        return store_mdb_err(rc);
    }
    return VIVA_OK;
}

/* A new store is built in <dir>/create.tmp and renamed into place once its header and tables
 * are synced, so a data.mdb that exists was complete once: an empty or short one is damage,
 * never a first start that was cut off (which would otherwise look the same). */
static int create_fresh(store *st, char *err, size_t errlen)
{
    char saved[sizeof st->dir], from[4300], to[4300];
    memcpy(saved, st->dir, sizeof saved);
    if (snprintf(st->dir, sizeof st->dir, "%s/create.tmp", saved) >= (int)sizeof st->dir) {
        memcpy(st->dir, saved, sizeof saved);
        snprintf(err, errlen, "store: data directory path is too long: %s", saved);
        return VIVA_EINVAL;
    }
    os_rm_rf(st->dir);
    int e = os_mkdir_p(st->dir, 0700);
    if (e) {
        snprintf(err, errlen, "store: cannot create %s: %s; fix: %s", st->dir, strerror(e),
                 store_fix_errno(e));
        e = verr_from_errno(e);
    } else {
        e = store_env_open(st, 0, err, errlen);
        if (!e)
            e = open_tables(st, err, errlen);
        if (!e && mdb_env_sync(st->env, 1) != 0)
            e = VIVA_EIO;
    }
    if (st->env)
        mdb_env_close(st->env);
    st->env = NULL;
    snprintf(from, sizeof from, "%s/data.mdb", st->dir);
    snprintf(to, sizeof to, "%s/data.mdb", saved);
    if (!e && rename(from, to) != 0) {
        snprintf(err, errlen, "store: cannot move %s to %s: %s", from, to, strerror(errno));
        e = verr_from_errno(errno);
    }
    if (!e)
        os_fsync_dir(saved);
    os_rm_rf(st->dir);
    memcpy(st->dir, saved, sizeof saved);
    return e;
}

static int open_for_reading(const char *dir, const store_options *opt, store **out, char *err,
                            size_t errlen)
{
    store_options o = *opt;
    o.flags = (opt->flags & ~(unsigned)STORE_READS) | STORE_READONLY;
    int e = store_open_ex(dir, &o, out, err, errlen);
    if (e != VIVA_ENOTFOUND && e != VIVA_EINVAL)
        return e;
    o.flags = opt->flags & ~(unsigned)STORE_READS;
    return store_open_ex(dir, &o, out, err, errlen);
}

int store_open_ex(const char *dir, const store_options *opt, store **out, char *err,
                  size_t errlen)
{
    static const store_options none;
    if (!opt)
        opt = &none;
    if ((opt->flags & STORE_READS) && !(opt->flags & STORE_READONLY))
        return open_for_reading(dir, opt, out, err, errlen);
    *out = NULL;
    if (errlen)
        err[0] = '\0';
    store *st = xcalloc(1, sizeof *st);
    st->lockfd = -1;
    st->flags = opt->flags;
    st->mapsize = opt->map_initial ? opt->map_initial : STORE_MAP_INITIAL;
    st->mapmax = opt->map_max ? opt->map_max : default_cap();
    st->backup_keep = opt->backup_keep < 0 || opt == &none ? 5 : opt->backup_keep;
    st->fault = opt->fault;
    st->fault_ctx = opt->fault_ctx;
    pthread_rwlock_init(&st->rw, NULL);
    int e;
    if (strlen(dir) >= sizeof st->dir - 64) {
        snprintf(err, errlen, "store: data directory path is too long: %.200s...", dir);
        e = VIVA_EINVAL;
        goto fail;
    }
    strcpy(st->dir, dir);
    int ro = (st->flags & STORE_READONLY) != 0;
    if (!ro && !(st->flags & STORE_NOCREATE)) {
        int ec = os_mkdir_p(dir, 0700);
        if (ec) {
            snprintf(err, errlen, "store: cannot create %s: %s; fix: %s", dir, strerror(ec),
                     store_fix_errno(ec));
            e = verr_from_errno(ec);
            goto fail;
        }
    }
    if (!os_is_dir(dir)) {
        snprintf(err, errlen, "store: there is no viva store in %s (no such directory)", dir);
        e = VIVA_ENOTFOUND;
        goto fail;
    }
    if (!ro) {
        e = take_lock(st, err, errlen);
        if (e)
            goto fail;
    }
    int exists;
    e = store_env_precheck(st, err, errlen, &exists);
    if (e)
        goto fail;
    if (!exists && (ro || (st->flags & STORE_NOCREATE))) {
        snprintf(err, errlen, "store: there is no viva store in %s (no data.mdb)", dir);
        e = VIVA_ENOTFOUND;
        goto fail;
    }
    if (!exists) {
        e = create_fresh(st, err, errlen);
        if (e)
            goto fail;
    }
    e = store_env_open(st, 1, err, errlen);
    if (e)
        goto fail;
    e = open_tables(st, err, errlen);
    if (e)
        goto fail;
    *out = st;
    return VIVA_OK;
fail:
    if (st->env)
        mdb_env_close(st->env);
    release_lock(st);
    pthread_rwlock_destroy(&st->rw);
    free(st);
    VLOG_D("store", "open failed: %s", err);
    return e;
}

int store_open(const char *dir, unsigned flags, store **out, char *err, size_t errlen)
{
    store_options o;
    memset(&o, 0, sizeof o);
    o.flags = flags;
    o.backup_keep = -1;
    return store_open_ex(dir, &o, out, err, errlen);
}

void store_close(store *st)
{
    if (!st)
        return;
    if (st->env)
        mdb_env_close(st->env);
    release_lock(st);
    pthread_rwlock_destroy(&st->rw);
    free(st);
}

int store_reopen(store *st, char *err, size_t errlen)
{
    st->mapsize = STORE_MAP_INITIAL;
    int e = store_env_open(st, 1, err, errlen);
    return e ? e : open_tables(st, err, errlen);
}
