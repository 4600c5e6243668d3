/* store_txn.h: the transaction layer, the bottom of the store that knows LMDB: the handle, the
 * named tables, environment open/close, map growth, the write and read runners (begin, run,
 * fault hook, commit with sync, retry on MDB_MAP_FULL / MDB_MAP_RESIZED), error mapping, the id
 * counters and the single-instance lock. Tables (store_<table>.c) sit on top of it; it calls
 * nothing above it.
 *
 * Map growth: the map starts at 64 MiB (or 5/4 of the file) and a write transaction that hits
 * MDB_MAP_FULL is aborted, the map is enlarged under the exclusive side of st->rw (LMDB requires
 * that no transaction of this process is active while mdb_env_set_mapsize runs) and the
 * transaction is run again. Every transaction holds the shared side, so growth waits for them.
 * Sizes double up to 1 GiB, then grow by 512 MiB, up to a cap that fits a 32-bit address space
 * (1.25 GiB) or 256 GiB on 64-bit. Past the cap a write fails with VIVA_ENOSPC. */
#ifndef VIVA_STORE_TXN_H
#define VIVA_STORE_TXN_H

#include <lmdb.h>
#include <pthread.h>
#include <stdint.h>

#include "store.h"
#include "strbuf.h"

enum {
    DB_META,         /* "schema" -> u32, "seq.<kind>" -> u64 next id */
    DB_BANKS,        /* bank name -> bank record */
    DB_ITEMS,        /* bank name, 0, u32 seq -> item record */
    DB_CALIB,        /* item id -> blob */
    DB_PROFILES,     /* u32 id -> profile record */
    DB_PROFNAME,     /* name -> u32 id */
    DB_SESSIONS,     /* u64 id -> session record */
    DB_RESPONSES,    /* u64 id -> response record */
    DB_RESP_BY_PROF, /* u32 profile, u64 biased t_ms, u64 id -> "" (schema 2) */
    DB_RECS,         /* u64 id -> recording record */
    DB_CHUNKS,       /* u64 rec id, u32 index -> PCM bytes */
    DB_REC_BY_PROF,  /* u32 profile, u64 rec id -> "" (schema 2) */
    DB_ABILITY,      /* u32 profile, topic, 0, u64 biased t_ms, u64 seq -> ability record */
    DB_REVIEW,       /* u32 profile, item id -> card record (schema 3; raw blob before) */
    DB_SETTINGS,     /* key -> blob */
    DB_ANALYSIS,     /* u64 response id -> analysis record (schema 3) */
    DB_COUNT
};

extern const char *const store_db_names[DB_COUNT];
/* The schema version that introduced table i (1 for the original tables). */
uint32_t store_db_since(int i);

struct store {
    MDB_env *env;
    MDB_dbi dbi[DB_COUNT];
    pthread_rwlock_t rw; /* shared: any txn; exclusive: mdb_env_set_mapsize, compaction */
    uint64_t mapsize, mapmax;
    char dir[4096];
    int lockfd;
    unsigned flags;
    int backup_keep;
    uint64_t rec_interrupted, rec_adopted; /* what the repair at open did (store_repair) */
    int (*fault)(void *ctx, const char *op);
    void *fault_ctx;
};

#define STORE_MAP_INITIAL ((uint64_t)64 * 1024 * 1024)

/* A write step: runs inside a write txn; may be run again after map growth, so it must only
 * touch the txn and its own ctx in a repeatable way. Returns an LMDB or STORE_RC code. */
typedef int (*store_write_fn)(store *st, MDB_txn *txn, void *ctx);
typedef int (*store_read_fn)(store *st, MDB_txn *txn, void *ctx);

/* Run fn in a write txn, call the fault hook with "commit", and commit (synced unless
 * STORE_NOSYNC), growing the map and retrying on MDB_MAP_FULL. `what` names the operation in
 * the log line on failure. Returns a viva_err. */
int store_write(store *st, const char *what, store_write_fn fn, void *ctx);
int store_read(store *st, const char *what, store_read_fn fn, void *ctx);

/* Our own codes travel through the LMDB rc space as negative numbers below MDB's range:
 * STORE_RC(VIVA_EINVAL) etc.; store_mdb_err maps any rc to a viva_err. */
#define STORE_RC(verr) (-100000 - (verr))
int store_mdb_err(int rc);
const char *store_rc_text(int rc);
/* The sentence that tells the user what to do about an error of class `verr`. */
const char *store_fix_for(int verr);
/* The same for an errno value, with causes of their own (EROFS, EPERM). */
const char *store_fix_errno(int e);
int store_fault(store *st, const char *op); /* errno to inject, or 0 */

/* Next id from the "seq.<kind>" counter (starts at 1). */
int store_next_id(store *st, MDB_txn *txn, const char *kind, uint64_t *id);

/* Table helpers for the layers above. */
int tbl_put_buf(MDB_txn *txn, MDB_dbi dbi, const void *k, size_t kl, const strbuf *b);
int tbl_put_bytes(MDB_txn *txn, MDB_dbi dbi, const void *k, size_t kl, const void *d,
                  size_t dl);
int tbl_starts_with(const MDB_val *k, const void *prefix, size_t plen);
/* Delete the record of key k; none is fine (0). */
int tbl_del(MDB_txn *txn, MDB_dbi dbi, const void *k, size_t kl);
/* Delete every record whose key starts with prefix. */
int tbl_del_prefix(MDB_txn *txn, MDB_dbi dbi, const void *prefix, size_t plen);

/* The one cursor walk of the table files. tbl_walk visits, in key order, every record of dbi
 * whose key starts with prefix (plen 0: every record) and calls each(ctx, key, value). When
 * klen is not 0 a key of the prefix with another size is damage: the walk ends with
 * MDB_CORRUPTED. each returns 0 to go on, TBL_STOP to end the walk with 0, or an rc that ends
 * it and is returned. Key and value point into the map and are valid only until the next write
 * in txn: a walk that deletes or rewrites collects first (tbl_collect_ids), writes after. */
#define TBL_STOP (-99999)
typedef int (*tbl_each_fn)(void *ctx, const MDB_val *k, const MDB_val *v);
int tbl_walk(MDB_txn *txn, MDB_dbi dbi, const void *prefix, size_t plen, size_t klen,
             tbl_each_fn each, void *ctx);

/* A growing list of ids. */
typedef struct {
    uint64_t *v;
    size_t n, cap;
} tbl_ids;
void tbl_ids_add(tbl_ids *s, uint64_t id);
void tbl_ids_free(tbl_ids *s);
/* Collects the big-endian u64 at offset `off` of every key tbl_walk visits. */
int tbl_collect_ids(MDB_txn *txn, MDB_dbi dbi, const void *prefix, size_t plen, size_t klen,
                    size_t off, tbl_ids *out);

/* The single-instance lock on <dir>/viva.lock: an exclusive flock held by the returned fd,
 * with our pid written into the file (VIVA_EBUSY naming the holder's pid when taken). */
int store_lock_acquire(const char *dir, int (*fault)(void *, const char *), void *fault_ctx,
                       int *fd, char *err, size_t errlen);
void store_lock_release(const char *dir, int fd);

/* Environment. precheck: data.mdb exists (*exists), is a regular readable file of at least two
 * pages. env_open: creates st->env, sizes the map, opens it, clears dead readers and checks
 * that the file is not truncated. read_schema: the version in meta (0 and *fresh = 1 for an
 * empty environment). open_dbs: the tables (created when writable; tables newer than `version`
 * are skipped in a read-only open). env_close: closes st->env (NULL is fine). */
int store_env_precheck(store *st, char *err, size_t errlen, int *exists);
int store_env_open(store *st, int exists, char *err, size_t errlen);
int store_env_read_schema(store *st, MDB_txn *txn, uint32_t *version, int *fresh);
int store_env_open_dbs(store *st, MDB_txn *txn, uint32_t version, char *err, size_t errlen);
void store_env_close(store *st);

#endif
