/* test_store_migrate.c: a store written in every earlier schema layout opens with the current
 * program, is migrated inside one transaction, and reads back completely.
 *
 * The earlier layouts are written here with raw LMDB calls, as the program of that version
 * wrote them (docs/readme/store.md, "Schema"). Schema 1: the tables without the
 * responses_by_profile and recordings_by_profile indexes. When a later schema changes a record
 * encoding, the writer for the older versions below must keep the old encoding. */
#include "check.h"
#include "st_util.h"

static void put(MDB_txn *txn, MDB_dbi dbi, const void *k, size_t kl, const strbuf *b)
{
    MDB_val key = {kl, (void *)k}, val = {b->len, b->len ? b->s : ""};
    CHECK(mdb_put(txn, dbi, &key, &val, 0) == 0);
}

static MDB_dbi db(MDB_txn *txn, const char *name)
{
    MDB_dbi d = 0;
    CHECK(mdb_dbi_open(txn, name, MDB_CREATE, &d) == 0);
    return d;
}

/* Schema 1 with two profiles, 40 answers (out of time order), 3 recordings. */
static void write_v1(const char *dir)
{
    MDB_env *env;
    MDB_txn *txn;
    mdb_env_create(&env);
    mdb_env_set_maxdbs(env, 32);
    mdb_env_set_mapsize(env, 16 << 20);
    CHECK(mdb_env_open(env, dir, 0, 0600) == 0);
    CHECK(mdb_txn_begin(env, NULL, 0, &txn) == 0);
    const char *v1_tables[] = {"meta", "banks", "items", "calibration", "profiles",
                               "profile_names", "sessions", "responses", "recordings",
                               "recording_chunks", "ability", "review", "settings"};
    MDB_dbi d[13];
    for (int i = 0; i < 13; i++)
        d[i] = db(txn, v1_tables[i]);
    strbuf b = {0};
    enc_u32(&b, 1);
    put(txn, d[0], "schema", 6, &b);
    for (uint32_t p = 1; p <= 2; p++) {
        unsigned char k[4];
        key_u32(k, p);
        sb_clear(&b);
        enc_str(&b, p == 1 ? "Ann" : "Bob");
        enc_i64(&b, 1000 * p);
        put(txn, d[4], k, 4, &b);
        MDB_val nk = {3, p == 1 ? "Ann" : "Bob"}, nv = {4, k};
        CHECK(mdb_put(txn, d[5], &nk, &nv, 0) == 0);
    }
    for (uint64_t r = 1; r <= 3; r++) {
        store_rec_info ri = {0};
        ri.profile = (uint32_t)(r % 2 + 1);
        ri.sample_rate = 16000;
        ri.state = STORE_REC_DONE;
        ri.frames = 100;
        ri.chunks = 1;
        unsigned char k[12];
        key_u64(k, r);
        sb_clear(&b);
        rec_info_encode(&b, &ri);
        put(txn, d[8], k, 8, &b);
        key_u32(k + 8, 0);
        sb_clear(&b);
        for (int i = 0; i < 100; i++)
            enc_u8(&b, 0), enc_u8(&b, (uint8_t)r);
        put(txn, d[9], k, 12, &b);
    }
    for (uint64_t i = 1; i <= 40; i++) {
        store_response r = st_resp((uint32_t)(i % 2 + 1), "q-1", (int64_t)((i * 37) % 41), 2);
        r.recording = i <= 3 ? i : 0;
        if (r.recording)
            r.profile = (uint32_t)(i % 2 + 1);
        unsigned char k[8];
        key_u64(k, i);
        sb_clear(&b);
        response_encode(&b, &r);
        put(txn, d[7], k, 8, &b);
    }
    sb_clear(&b);
    enc_u64(&b, 41);
    put(txn, d[0], "seq.response", 12, &b);
    sb_clear(&b);
    enc_u64(&b, 4);
    put(txn, d[0], "seq.recording", 13, &b);
    sb_clear(&b);
    enc_u64(&b, 3);
    put(txn, d[0], "seq.profile", 11, &b);
    sb_free(&b);
    CHECK(mdb_txn_commit(txn) == 0);
    mdb_env_close(env);
}

typedef struct {
    int n;
    int64_t last;
    int ordered;
} walk;

static int on_resp(void *ctx, const store_response *r)
{
    walk *w = ctx;
    if (r->t_ms < w->last)
        w->ordered = 0;
    w->last = r->t_ms;
    w->n++;
    return 0;
}

static int on_rec(void *ctx, const store_rec_info *ri)
{
    ((walk *)ctx)->n++;
    return 0;
}

static void test_from_v1(void)
{
    char *dir = st_mktmp("mig");
    write_v1(dir);
    uint32_t v = 0;
    CHECK(store_peek_schema(dir, &v) == 0 && v == 1);
    /* Read-only opens do not migrate: they ask for a normal open first. */
    store *st = NULL;
    char err[1024];
    CHECK(store_open(dir, STORE_READONLY, &st, err, sizeof err) == VIVA_EINVAL);
    st_log_start();
    st = st_open_ok(dir);
    CHECK(st != NULL);
    if (!st)
        goto out;
    CHECK(st_log_has("migrated schema 1 -> 2"));
    CHECK(store_peek_schema(dir, &v) == 0 && v == STORE_SCHEMA_VERSION);
    walk w = {0, INT64_MIN, 1};
    CHECK(store_response_iter(st, 1, on_resp, &w) == 0);
    walk w2 = {0, INT64_MIN, 1};
    CHECK(store_response_iter(st, 2, on_resp, &w2) == 0);
    CHECK(w.n == 20 && w2.n == 20 && w.ordered && w2.ordered);
    walk r1 = {0}, r2 = {0};
    CHECK(store_rec_iter(st, 1, on_rec, &r1) == 0 && store_rec_iter(st, 2, on_rec, &r2) == 0);
    CHECK(r1.n + r2.n == 3);
    store_check_report rep;
    CHECK(store_check(st, &rep) == 0);
    CHECK_MSG(rep.problems == 0, "%s", rep.first_problem);
    /* The id counters carried over: new ids do not collide. */
    store_response r = st_resp(1, "q-2", 50, 1);
    CHECK(store_response_put(st, &r) == 0 && r.id == 41);
    /* Removing a migrated profile uses the new indexes. */
    CHECK(store_profile_remove(st, 2) == 0);
    CHECK(store_check(st, &rep) == 0 && rep.problems == 0 && rep.responses == 21);
    store_close(st);
    /* A second open finds the current version and does nothing. */
    st_log_start();
    st = st_open_ok(dir);
    CHECK(st != NULL && !st_log_has("migrated"));
    store_close(st);
out:
    st_rmtmp(dir);
}

/* The migration is all or nothing: a v1 store whose answer cannot be decoded stays at v1. */
static void test_failed_migration_changes_nothing(void)
{
    char *dir = st_mktmp("mig");
    write_v1(dir);
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi d;
    mdb_env_create(&env);
    mdb_env_set_maxdbs(env, 32);
    CHECK(mdb_env_open(env, dir, 0, 0600) == 0);
    mdb_txn_begin(env, NULL, 0, &txn);
    mdb_dbi_open(txn, "responses", 0, &d);
    unsigned char k[8];
    key_u64(k, 7);
    MDB_val kv = {8, k}, vv = {3, "bad"};
    CHECK(mdb_put(txn, d, &kv, &vv, 0) == 0);
    mdb_txn_commit(txn);
    mdb_env_close(env);
    store *st = NULL;
    char err[1024];
    int e = store_open(dir, 0, &st, err, sizeof err);
    CHECK(e == VIVA_ECORRUPT && st == NULL);
    CHECK_MSG(strstr(err, "nothing was changed") && strstr(err, "viva restore"), "%s", err);
    uint32_t v = 0;
    CHECK(store_peek_schema(dir, &v) == 0 && v == 1);
    st_rmtmp(dir);
}

int main(void)
{
    st_log_start();
    RUN(test_from_v1);
    RUN(test_failed_migration_changes_nothing);
    return check_summary("store_migrate");
}
