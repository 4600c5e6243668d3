/* store_int.h: what the store's .c files share and nobody else sees: the handle, the named
 * databases, the transaction runners (map growth, locking) and the value codec.
 *
 * Value encoding: every record is a sequence of little-endian fields (u8, u32, u64, i64,
 * IEEE-754 f64) and length-prefixed strings (u32 length + bytes), written with enc_* into a
 * strbuf and read back with dec_* from a cursor that flags overruns instead of reading past the
 * end. Keys are big-endian so that LMDB's byte order is numeric order. */
#ifndef VIVA_STORE_INT_H
#define VIVA_STORE_INT_H

#include <lmdb.h>
#include <pthread.h>
#include <stdint.h>

#include "store.h"
#include "strbuf.h"
#include "verr.h"

enum {
    DB_META,        /* "schema" -> u32, "seq.<kind>" -> u64 next id */
    DB_BANKS,       /* bank name -> bank record */
    DB_ITEMS,       /* bank name, 0, u32 seq -> item record */
    DB_CALIB,       /* item id -> blob */
    DB_PROFILES,    /* u32 id -> profile record */
    DB_PROFNAME,    /* name -> u32 id */
    DB_SESSIONS,    /* u64 id -> session record */
    DB_RESPONSES,   /* u64 id -> response record */
    DB_RESP_BY_PROF, /* u32 profile, u64 biased t_ms, u64 id -> "" (schema 2) */
    DB_RECS,        /* u64 id -> recording record */
    DB_CHUNKS,      /* u64 rec id, u32 index -> PCM bytes */
    DB_REC_BY_PROF, /* u32 profile, u64 rec id -> "" (schema 2) */
    DB_ABILITY,     /* u32 profile, topic, 0, u64 biased t_ms, u64 seq -> ability record */
    DB_REVIEW,      /* u32 profile, item id -> blob */
    DB_SETTINGS,    /* key -> blob */
    DB_COUNT
};

extern const char *const store_db_names[DB_COUNT];

struct store {
    MDB_env *env;
    MDB_dbi dbi[DB_COUNT];
    pthread_rwlock_t rw; /* shared: any txn; exclusive: mdb_env_set_mapsize */
    uint64_t mapsize, mapmax;
    char dir[4096];
    int lockfd;
    unsigned flags;
    int backup_keep;
    int (*fault)(void *ctx, const char *op);
    void *fault_ctx;
};

/* A write step: runs inside a write txn; may be run again after map growth, so it must only
 * touch the txn and its own ctx in a repeatable way. Returns an LMDB or viva code (see
 * store_mdb_err). */
typedef int (*store_write_fn)(store *st, MDB_txn *txn, void *ctx);
typedef int (*store_read_fn)(store *st, MDB_txn *txn, void *ctx);

/* Run fn in a write txn and commit (synced unless STORE_NOSYNC), growing the map and retrying
 * on MDB_MAP_FULL. `what` names the operation in the log line on failure. Returns viva_err. */
int store_write(store *st, const char *what, store_write_fn fn, void *ctx);
int store_read(store *st, const char *what, store_read_fn fn, void *ctx);

/* Our own codes travel through the LMDB rc space as negative numbers below MDB's range:
 * STORE_RC(VIVA_EINVAL) etc.; store_mdb_err maps any rc to a viva_err. */
#define STORE_RC(verr) (-100000 - (verr))
int store_mdb_err(int rc);

/* Next id from the "seq.<kind>" counter (starts at 1). */
int store_next_id(store *st, MDB_txn *txn, const char *kind, uint64_t *id);

/* Codec. */
void enc_u8(strbuf *b, uint8_t v);
void enc_u32(strbuf *b, uint32_t v);
void enc_u64(strbuf *b, uint64_t v);
void enc_i64(strbuf *b, int64_t v);
void enc_f64(strbuf *b, double v);
void enc_str(strbuf *b, const char *s); /* NULL is written as length 0xffffffff */

typedef struct {
    const unsigned char *p, *end;
    int bad; /* set on overrun or malformed field */
} dec;

void dec_init(dec *d, const MDB_val *v);
uint8_t dec_u8(dec *d);
uint32_t dec_u32(dec *d);
uint64_t dec_u64(dec *d);
int64_t dec_i64(dec *d);
double dec_f64(dec *d);
/* malloc'd copy or NULL (for a NULL string or on error; check d->bad). */
char *dec_str(dec *d);
/* Copy into a fixed buffer (truncating never: too long sets bad). */
void dec_strbuf(dec *d, char *out, size_t cap);

/* Big-endian key builders. */
void key_u32(unsigned char *p, uint32_t v);
void key_u64(unsigned char *p, uint64_t v);
uint32_t key_get_u32(const unsigned char *p);
uint64_t key_get_u64(const unsigned char *p);
uint64_t key_time(int64_t t_ms); /* order-preserving signed -> unsigned */

/* Record codecs shared between files. */
void rec_info_encode(strbuf *b, const store_rec_info *r);
int rec_info_decode(const MDB_val *v, store_rec_info *r);
void response_encode(strbuf *b, const store_response *r);
int response_decode(const MDB_val *v, store_response *r);
void response_index_key(unsigned char key[20], const store_response *r);
int store_put_response_txn(store *st, MDB_txn *txn, store_response *r);

/* Rotating backup at session end (store_maint.c). */
int store_backup_rotate(store *st, int64_t now_ms, uint64_t session);

/* Recover recordings left in STORE_REC_RECORDING by a crash (at open). */
int store_rec_recover(store *st, MDB_txn *txn, uint64_t *fixed);

/* The single-instance lock on <dir>/viva.lock: an exclusive flock held by the returned fd,
 * with our pid written into the file (VIVA_EBUSY naming the holder's pid when taken). */
int store_lock_acquire(const char *dir, int (*fault)(void *, const char *), void *fault_ctx,
                       int *fd, char *err, size_t errlen);
void store_lock_release(const char *dir, int fd);

/* Schema: creates or migrates inside txn. */
int store_schema_apply(store *st, MDB_txn *txn, uint32_t found, char *err, size_t errlen);
int store_schema_migrate_1_2(store *st, MDB_txn *txn);

/* Utilities (store_os.c): all of the store's own file I/O, with the fault hook. */
int store_fault(store *st, const char *op); /* errno to inject, or 0 */
int os_fsync_dir(const char *dir);
int os_copy_file(const char *from, const char *to, int (*fault)(void *, const char *),
                 void *fault_ctx); /* errno */
int os_mkdir_p(const char *dir, unsigned mode); /* errno */
int os_rm_rf(const char *path);                 /* errno */
int os_is_dir(const char *path);
int64_t os_file_size(const char *path); /* -1 if absent */
int verr_from_errno(int e);

#endif
