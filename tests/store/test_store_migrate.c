/* test_store_migrate.c: a store written in every earlier schema layout opens with the current
 * program, is migrated inside one transaction, and reads back completely.
 *
 * The earlier layouts are written here with raw LMDB calls, as the program of that version
 * wrote them (docs/readme/store.md, "Schema"). Schema 1: the tables without the
 * responses_by_profile and recordings_by_profile indexes. Schema 2: with those indexes, review
 * cards as the practice controller's raw struct bytes, no analysis table. When a later schema
 * changes a record encoding, the writer for the older versions below must keep the old
 * encoding. */
#include "check.h"
#include "fsrs.h"
#include "st_util.h"

static void put(MDB_txn *txn, MDB_dbi dbi, const void *k, size_t kl, const strbuf *b)
{
    MDB_val key = {kl, (void *)k}, val = {b->len, b->len ? b->s : ""};
    CHECK(mdb_put(txn, dbi, &key, &val, 0) == 0);
}

/* The recording record as schemas 1 to 3 wrote it: without the chunk format byte. */
static void rec_info_encode_v3(strbuf *b, const store_rec_info *r)
{
    enc_u32(b, r->profile);
    enc_u32(b, (uint32_t)r->sample_rate);
    enc_u8(b, (uint8_t)r->state);
    enc_i64(b, r->t_ms);
    enc_u64(b, r->frames);
    enc_u32(b, r->chunks);
    enc_u64(b, r->trim_start);
    enc_u64(b, r->trim_end);
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
        rec_info_encode_v3(&b, &ri);
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

/* The practice controller's review card before schema 3, stored as these bytes. */
typedef struct {
    int version;
    int last_grade;
    fsrs_card card;
} v2_card_blob;

static v2_card_blob v2_card(int i)
{
    v2_card_blob cb;
    memset(&cb, 0, sizeof cb);
    cb.version = 1;
    cb.last_grade = i % 2;
    cb.card.stability = 0.5 + i;
    cb.card.difficulty = 5.25 + i / 10.0;
    cb.card.last_ms = 1700000000000 + i;
    cb.card.due_ms = 1700000100000 + i * 1000;
    cb.card.reps = i + 1;
    cb.card.lapses = i / 2;
    return cb;
}

/* Schema 2 as viva wrote it: two profiles, a session, 30 answers with the profile index, two
 * recordings with chunks and index, ability points, review cards (raw struct bytes) and one
 * review blob that is not a card, calibration, a setting, a bank with two items. */
static void write_v2(const char *dir)
{
    MDB_env *env;
    MDB_txn *txn;
    mdb_env_create(&env);
    mdb_env_set_maxdbs(env, 32);
    mdb_env_set_mapsize(env, 16 << 20);
    CHECK(mdb_env_open(env, dir, 0, 0600) == 0);
    CHECK(mdb_txn_begin(env, NULL, 0, &txn) == 0);
    enum { META, BANKS, ITEMS, CALIB, PROFS, PNAMES, SESS, RESP, RESP_IX, RECS, CHUNKS, REC_IX,
           ABIL, REVIEW, SETTINGS, NT };
    const char *v2_tables[NT] = {"meta", "banks", "items", "calibration", "profiles",
                                 "profile_names", "sessions", "responses",
                                 "responses_by_profile", "recordings", "recording_chunks",
                                 "recordings_by_profile", "ability", "review", "settings"};
    MDB_dbi d[NT];
    for (int i = 0; i < NT; i++)
        d[i] = db(txn, v2_tables[i]);
    MDB_val empty = {0, ""};
    strbuf b = {0};
    enc_u32(&b, 2);
    put(txn, d[META], "schema", 6, &b);
    for (uint32_t p = 1; p <= 2; p++) {
        unsigned char k[4];
        key_u32(k, p);
        sb_clear(&b);
        enc_str(&b, p == 1 ? "Ann" : "Bob");
        enc_i64(&b, 1000 * p);
        put(txn, d[PROFS], k, 4, &b);
        MDB_val nk = {3, p == 1 ? "Ann" : "Bob"}, nv = {4, k};
        CHECK(mdb_put(txn, d[PNAMES], &nk, &nv, 0) == 0);
    }
    unsigned char sk[8];
    key_u64(sk, 1);
    sb_clear(&b);
    enc_u32(&b, 1);
    enc_i64(&b, 500);
    enc_i64(&b, 0);
    put(txn, d[SESS], sk, 8, &b);
    for (uint64_t r = 1; r <= 2; r++) {
        store_rec_info ri = {0};
        ri.profile = (uint32_t)r;
        ri.sample_rate = 16000;
        ri.state = STORE_REC_DONE;
        ri.frames = 100;
        ri.chunks = 1;
        unsigned char k[12];
        key_u64(k, r);
        sb_clear(&b);
        rec_info_encode_v3(&b, &ri);
        put(txn, d[RECS], k, 8, &b);
        key_u32(k + 8, 0);
        sb_clear(&b);
        for (int i = 0; i < 100; i++)
            enc_u8(&b, 0), enc_u8(&b, (uint8_t)r);
        put(txn, d[CHUNKS], k, 12, &b);
        unsigned char ik[12];
        key_u32(ik, ri.profile);
        key_u64(ik + 4, r);
        MDB_val ikv = {12, ik};
        CHECK(mdb_put(txn, d[REC_IX], &ikv, &empty, 0) == 0);
    }
    for (uint64_t i = 1; i <= 30; i++) {
        char item[16];
        snprintf(item, sizeof item, "q-%d", (int)(i % 5));
        store_response r = st_resp((uint32_t)(i % 2 + 1), item, (int64_t)((i * 37) % 31), 2);
        r.id = i;
        r.session = r.profile == 1 ? 1 : 0;
        r.recording = i <= 2 ? i : 0;
        if (r.recording)
            r.profile = (uint32_t)i;
        unsigned char k[8];
        key_u64(k, i);
        sb_clear(&b);
        response_encode(&b, &r);
        put(txn, d[RESP], k, 8, &b);
        unsigned char ik[20];
        response_index_key(ik, &r);
        MDB_val ikv = {20, ik};
        CHECK(mdb_put(txn, d[RESP_IX], &ikv, &empty, 0) == 0);
    }
    for (int i = 0; i < 6; i++) { /* overall and topic points of profile 1 */
        const char *topic = i % 2 ? "go-concurrency" : "";
        size_t tl = strlen(topic);
        unsigned char k[4 + 64 + 17];
        key_u32(k, 1);
        memcpy(k + 4, topic, tl);
        k[4 + tl] = 0;
        key_u64(k + 5 + tl, key_time(100 * i));
        key_u64(k + 13 + tl, (uint64_t)i + 1);
        sb_clear(&b);
        enc_f64(&b, 0.1 * i);
        enc_f64(&b, 1.0 - 0.05 * i);
        enc_u32(&b, (uint32_t)i / 2 + 1);
        put(txn, d[ABIL], k, 21 + tl, &b);
    }
    for (int i = 0; i < 3; i++) {
        unsigned char k[4 + 8];
        key_u32(k, 1);
        memcpy(k + 4, "q-", 2);
        k[6] = (unsigned char)('0' + i);
        v2_card_blob cb = v2_card(i);
        MDB_val kv = {7, k}, vv = {sizeof cb, &cb};
        CHECK(mdb_put(txn, d[REVIEW], &kv, &vv, 0) == 0);
    }
    unsigned char rk[4 + 3];
    key_u32(rk, 2);
    memcpy(rk + 4, "a-1", 3);
    MDB_val rkv = {7, rk}, rvv = {3, "due"};
    CHECK(mdb_put(txn, d[REVIEW], &rkv, &rvv, 0) == 0);
    MDB_val ck = {3, "q-1"}, cv = {5, "calib"};
    CHECK(mdb_put(txn, d[CALIB], &ck, &cv, 0) == 0);
    MDB_val tk = {11, "screen:lang"}, tv = {2, "de"};
    CHECK(mdb_put(txn, d[SETTINGS], &tk, &tv, 0) == 0);
    sb_clear(&b);
    enc_u8(&b, 1);
    enc_u32(&b, 2);
    put(txn, d[BANKS], "extra", 5, &b);
    for (uint32_t i = 0; i < 2; i++) {
        unsigned char k[6 + 4];
        memcpy(k, "extra", 6); /* name and its 0 */
        key_u32(k + 6, i);
        sb_clear(&b);
        enc_str(&b, i ? "x-2" : "x-1");
        enc_str(&b, "go-concurrency");
        enc_u32(&b, 2);
        enc_str(&b, "What does a nil channel do?");
        enc_u32(&b, 2);
        enc_str(&b, "blocks forever");
        enc_str(&b, "select skips it");
        enc_str(&b, NULL);
        enc_u32(&b, 0);
        enc_str(&b, NULL);
        enc_str(&b, "extra.md");
        enc_u32(&b, 3 + i);
        put(txn, d[ITEMS], k, 10, &b);
    }
    const char *seqs[][2] = {{"seq.response", "31"}, {"seq.recording", "3"},
                             {"seq.profile", "3"}, {"seq.session", "2"}, {"seq.ability", "7"}};
    for (int i = 0; i < 5; i++) {
        sb_clear(&b);
        enc_u64(&b, (uint64_t)atoi(seqs[i][1]));
        put(txn, d[META], seqs[i][0], strlen(seqs[i][0]), &b);
    }
    sb_free(&b);
    CHECK(mdb_txn_commit(txn) == 0);
    mdb_env_close(env);
}

static int count_ability(void *ctx, const store_ability *a)
{
    (*(int *)ctx)++;
    return 0;
}

static void test_from_v2(void)
{
    char *dir = st_mktmp("mig2");
    write_v2(dir);
    uint32_t v = 0;
    CHECK(store_peek_schema(dir, &v) == 0 && v == 2);
    store *st = NULL;
    char err[1024];
    CHECK(store_open(dir, STORE_READONLY, &st, err, sizeof err) == VIVA_EINVAL);
    st_log_start();
    st = st_open_ok(dir);
    CHECK(st != NULL);
    if (!st)
        goto out;
    CHECK(st_log_has("migrated schema 2 -> 3") && !st_log_has("migrated schema 1 -> 2"));
    CHECK(st_log_has("3 review cards rewritten"));
    CHECK(st_log_has("migrated schema 3 -> 4") &&
          st_log_has("2 recordings made before schema 4 keep their audio without checksums"));
    CHECK(store_peek_schema(dir, &v) == 0 && v == STORE_SCHEMA_VERSION);
    /* Chunks without a checksum read as they were. */
    for (uint64_t id = 1; id <= 2; id++) {
        store_rec_info ri;
        int16_t *pcm = NULL;
        size_t frames = 0;
        int found = 0, ok = 1;
        CHECK(store_rec_info_get(st, id, &ri, &found) == 0 && found && !ri.checksummed);
        CHECK(store_rec_read(st, id, &pcm, &frames, NULL) == 0 && frames == 100);
        for (size_t i = 0; pcm && i < frames; i++)
            ok &= pcm[i] == (int16_t)(256 * id);
        CHECK(ok);
        free(pcm);
    }
    store_check_report rep;
    CHECK(store_check(st, &rep) == 0);
    CHECK_MSG(rep.problems == 0, "%s", rep.first_problem);
    CHECK(rep.profiles == 2 && rep.sessions == 1 && rep.responses == 30 && rep.recordings == 2 &&
          rep.chunks == 2 && rep.ability == 6 && rep.banks == 1 && rep.items == 2 &&
          rep.analyses == 0);
    walk w = {0, INT64_MIN, 1}, w2 = {0, INT64_MIN, 1};
    CHECK(store_response_iter(st, 1, on_resp, &w) == 0 && store_response_iter(st, 2, on_resp,
                                                                                &w2) == 0);
    CHECK(w.n + w2.n == 30 && w.ordered && w2.ordered);
    int n = 0;
    CHECK(store_ability_iter(st, 1, NULL, count_ability, &n) == 0 && n == 6);
    /* Every card reads back with its values, now in the card codec. */
    for (int i = 0; i < 3; i++) {
        char item[8];
        snprintf(item, sizeof item, "q-%d", i);
        store_card c;
        int found = 0;
        v2_card_blob want = v2_card(i);
        CHECK(store_card_get(st, 1, item, &c, &found) == 0 && found);
        CHECK(c.last_grade == want.last_grade && c.stability == want.card.stability &&
              c.difficulty == want.card.difficulty && c.last_ms == want.card.last_ms &&
              c.due_ms == want.card.due_ms && c.reps == want.card.reps &&
              c.lapses == want.card.lapses);
        void *raw;
        size_t len;
        CHECK(store_review_get(st, 1, item, &raw, &len, &found) == 0 && found && len == 42 &&
              ((unsigned char *)raw)[0] == 2);
        free(raw);
    }
    /* A review blob that is not a card is kept as it was. */
    void *raw;
    size_t len;
    int found = 0;
    CHECK(store_review_get(st, 2, "a-1", &raw, &len, &found) == 0 && found && len == 3 &&
          !memcmp(raw, "due", 3));
    free(raw);
    CHECK(store_calib_get(st, "q-1", &raw, &len, &found) == 0 && found && len == 5);
    free(raw);
    CHECK(store_setting_get(st, "screen:lang", &raw, &len, &found) == 0 && found && len == 2);
    free(raw);
    bank *bk = bank_new();
    CHECK(store_bank_load(st, "extra", bk, NULL) == 0 && bank_count(bk) == 2 &&
          bank_find(bk, "x-2") && bank_find(bk, "x-2")->line == 4);
    bank_free(bk);
    store_session s;
    CHECK(store_session_get(st, 1, &s, &found) == 0 && found && s.profile == 1);
    /* The new table works and the counters carried over. */
    CHECK(store_analysis_put(st, 7, "{\"words\":3}", 11) == 0);
    store_response r = st_resp(1, "q-9", 50, 1);
    CHECK(store_response_put(st, &r) == 0 && r.id == 31);
    CHECK(store_check(st, &rep) == 0 && rep.problems == 0 && rep.analyses == 1);
    /* A new recording in the migrated store has checksummed chunks. */
    store_rec *rec;
    int16_t pcm[16000] = {0};
    CHECK(store_rec_begin(st, 1, 16000, 60, &rec) == 0);
    uint64_t rid = store_rec_id(rec);
    CHECK(store_rec_append(st, rec, pcm, 16000) == 0 && store_rec_finish(st, rec, 0, 0) == 0);
    store_rec_info ri;
    CHECK(store_rec_info_get(st, rid, &ri, &found) == 0 && found && ri.checksummed &&
          ri.frames == 16000);
    CHECK(store_check(st, &rep) == 0 && rep.problems == 0 && rep.chunks == 3);
    store_close(st);
    st_log_start();
    st = st_open_ok(dir);
    CHECK(st != NULL && !st_log_has("migrated"));
    store_close(st);
out:
    st_rmtmp(dir);
}

int main(void)
{
    st_log_start();
    RUN(test_from_v1);
    RUN(test_from_v2);
    RUN(test_failed_migration_changes_nothing);
    return check_summary("store_migrate");
}
