/* test_store_api.c: round trips through every part of the store API on a real LMDB file:
 * banks (all fields, atomic replace, enable, load), blobs, profiles, sessions, responses in
 * time order, ability history, recordings (chunking, trim, read, export through libsndfile),
 * the consistency check, and a recording thread appending while another thread commits grades. */
#include <pthread.h>
#include <sndfile.h>

#include "check.h"
#include "st_util.h"

static bank *sample_bank(int n, const char *prefix)
{
    bank *b = bank_new();
    for (int i = 0; i < n; i++) {
        char id[64], q[128];
        snprintf(id, sizeof id, "%s-%d", prefix, i);
        snprintf(q, sizeof q, "Question %d: what does a goroutine leak look like?", i);
        bank_item it;
        memset(&it, 0, sizeof it);
        it.id = id;
        it.topic = "go-concurrency";
        it.level = 1 + i % 5;
        it.question = q;
        it.keys[0] = "blocked channel send";
        it.keys[1] = "context cancellation";
        it.nkeys = 2;
        it.answer = i % 2 ? "A goroutine that never returns.\n\nUse pprof." : NULL;
        it.time_s = i % 3 ? 90 : 0;
        it.source = i % 2 ? "seeds/go.md" : NULL;
        it.file = "test";
        it.line = i + 1;
        CHECK(bank_add(b, &it, NULL, NULL) == 0);
    }
    return b;
}

typedef struct {
    char names[8][65];
    uint32_t counts[8];
    int enabled[8];
    int n;
} bank_list;

static int collect_banks(void *ctx, const char *name, uint32_t count, int enabled)
{
    bank_list *l = ctx;
    if (l->n < 8) {
        snprintf(l->names[l->n], 65, "%s", name);
        l->counts[l->n] = count;
        l->enabled[l->n++] = enabled;
    }
    return 0;
}

static void test_banks(void)
{
    char *dir = st_mktmp("api");
    store *st = st_open_ok(dir);
    CHECK(st != NULL);
    if (!st)
        goto out;
    bank *a = sample_bank(12, "a"), *b = sample_bank(5, "b");
    CHECK(store_bank_put(st, "alpha", a, 1) == 0);
    CHECK(store_bank_put(st, "beta", b, 0) == 0);
    bank_list l = {0};
    CHECK(store_bank_list(st, collect_banks, &l) == 0);
    CHECK(l.n == 2);
    CHECK_STR(l.names[0], "alpha");
    CHECK(l.counts[0] == 12 && l.enabled[0] == 1);
    CHECK(l.counts[1] == 5 && l.enabled[1] == 0);

    /* Every field survives, in load order, and formats identically. */
    bank *back = bank_new();
    size_t skipped = 9;
    CHECK(store_bank_load(st, NULL, back, &skipped) == 0);
    CHECK(skipped == 0);
    CHECK(bank_count(back) == 12);
    for (size_t i = 0; i < bank_count(a) && i < bank_count(back); i++) {
        strbuf x = {0}, y = {0};
        bank_format_item(bank_at(a, i), &x);
        bank_format_item(bank_at(back, i), &y);
        CHECK_STR(sb_str(&x), sb_str(&y));
        CHECK(bank_at(back, i)->line == bank_at(a, i)->line);
        sb_free(&x);
        sb_free(&y);
    }
    bank_free(back);

    /* Replace shrinks atomically; enable; remove. */
    bank *a2 = sample_bank(3, "a");
    CHECK(store_bank_put(st, "alpha", a2, 1) == 0);
    CHECK(store_bank_set_enabled(st, "beta", 1) == 0);
    CHECK(store_bank_set_enabled(st, "nope", 1) == VIVA_ENOTFOUND);
    back = bank_new();
    CHECK(store_bank_load(st, NULL, back, NULL) == 0);
    CHECK(bank_count(back) == 8);
    bank_free(back);
    back = bank_new();
    CHECK(store_bank_load(st, "missing", back, NULL) == VIVA_ENOTFOUND);
    CHECK(store_bank_remove(st, "beta") == 0);
    CHECK(store_bank_load(st, "alpha", back, NULL) == 0);
    CHECK(bank_count(back) == 3);
    bank_free(back);
    CHECK(store_bank_put(st, "bad\nname", a2, 1) == VIVA_EINVAL);

    store_check_report rep;
    CHECK(store_check(st, &rep) == 0);
    CHECK_MSG(rep.problems == 0, "%s", rep.first_problem);
    CHECK(rep.items == 3 && rep.banks == 1);
    bank_free(a);
    bank_free(b);
    bank_free(a2);
    store_close(st);
out:
    st_rmtmp(dir);
}

static int count_blob(void *ctx, const char *key, const void *data, size_t len)
{
    (*(int *)ctx)++;
    return 0;
}

static void test_blobs_profiles_sessions(void)
{
    char *dir = st_mktmp("api");
    store *st = st_open_ok(dir);
    CHECK(st != NULL);
    if (!st)
        goto out;
    uint32_t ann, bob;
    CHECK(store_profile_add(st, "Ann", 1000, &ann) == 0);
    CHECK(store_profile_add(st, "Bob", 2000, &bob) == 0);
    CHECK(ann != bob && ann != 0);
    CHECK(store_profile_add(st, "Ann", 3000, NULL) == VIVA_EBUSY);
    CHECK(store_profile_add(st, "", 3000, NULL) == VIVA_EINVAL);
    CHECK(store_profile_rename(st, bob, "Ann") == VIVA_EBUSY);
    CHECK(store_profile_rename(st, bob, "Robert") == 0);
    CHECK(store_profile_rename(st, 999, "X") == VIVA_ENOTFOUND);
    store_profile p;
    int found;
    CHECK(store_profile_find(st, "Robert", &p, &found) == 0 && found && p.id == bob);
    CHECK(p.created_ms == 2000);
    CHECK(store_profile_find(st, "Bob", &p, &found) == 0 && !found);

    CHECK(store_calib_put(st, "a-1", "\x01\x02", 2) == 0);
    CHECK(store_review_put(st, ann, "a-1", "due", 3) == 0);
    CHECK(store_review_put(st, bob, "a-1", "due-bob", 7) == 0);
    CHECK(store_setting_put(st, "ui.volume", "7", 1) == 0);
    void *d;
    size_t len;
    CHECK(store_review_get(st, bob, "a-1", &d, &len, &found) == 0 && found && len == 7);
    CHECK(found && memcmp(d, "due-bob", 7) == 0);
    free(d);
    CHECK(store_calib_get(st, "zz", &d, &len, &found) == 0 && !found && d == NULL);
    int n = 0;
    CHECK(store_review_iter(st, ann, count_blob, &n) == 0 && n == 1);
    CHECK(store_setting_del(st, "ui.volume") == 0);
    CHECK(store_setting_get(st, "ui.volume", &d, &len, &found) == 0 && !found);

    uint64_t s1;
    CHECK(store_session_begin(st, ann, 5000, &s1) == 0);
    CHECK(store_session_begin(st, 77, 5000, &s1) == VIVA_ENOTFOUND);
    CHECK(store_session_begin(st, ann, 5000, &s1) == 0);
    CHECK(store_session_end(st, s1, 9000) == 0); /* also writes a rotating backup */
    store_session s;
    CHECK(store_session_get(st, s1, &s, &found) == 0 && found && s.end_ms == 9000);
    CHECK(s.profile == ann);

    /* Removing a profile removes everything that belongs to it, and only that. */
    store_response r = st_resp(ann, "a-1", 6000, 2);
    r.session = s1;
    CHECK(store_response_put(st, &r) == 0);
    store_response rb = st_resp(bob, "a-1", 6000, 1);
    CHECK(store_response_put(st, &rb) == 0);
    CHECK(store_profile_remove(st, ann) == 0);
    CHECK(store_profile_find(st, "Ann", &p, &found) == 0 && !found);
    CHECK(store_response_get(st, r.id, &r, &found) == 0 && !found);
    CHECK(store_response_get(st, rb.id, &rb, &found) == 0 && found);
    CHECK(store_session_get(st, s1, &s, &found) == 0 && !found);
    n = 0;
    CHECK(store_review_iter(st, ann, count_blob, &n) == 0 && n == 0);
    n = 0;
    CHECK(store_review_iter(st, bob, count_blob, &n) == 0 && n == 1);
    store_check_report rep;
    CHECK(store_check(st, &rep) == 0);
    CHECK_MSG(rep.problems == 0, "%s", rep.first_problem);
    store_close(st);
out:
    st_rmtmp(dir);
}

typedef struct {
    int64_t last_t;
    int n, ordered;
    uint64_t ids[16];
} resp_list;

static int collect_resp(void *ctx, const store_response *r)
{
    resp_list *l = ctx;
    if (r->t_ms < l->last_t)
        l->ordered = 0;
    l->last_t = r->t_ms;
    if (l->n < 16)
        l->ids[l->n] = r->id;
    l->n++;
    return 0;
}

static int collect_ab(void *ctx, const store_ability *a)
{
    resp_list *l = ctx;
    if (l->n < 16)
        l->ids[l->n] = (uint64_t)(a->theta * 1000);
    l->n++;
    return 0;
}

static void test_responses_ability(void)
{
    char *dir = st_mktmp("api");
    store *st = st_open_ok(dir);
    CHECK(st != NULL);
    if (!st)
        goto out;
    uint32_t p;
    CHECK(store_profile_add(st, "Cy", 1, &p) == 0);
    int64_t times[] = {5000, 1000, 3000, -20, 3000};
    uint64_t ids[5];
    for (int i = 0; i < 5; i++) {
        store_response r = st_resp(p, "x-1", times[i], -1);
        CHECK(store_response_put(st, &r) == 0);
        ids[i] = r.id;
    }
    resp_list l = {INT64_MIN, 0, 1, {0}};
    CHECK(store_response_iter(st, p, collect_resp, &l) == 0);
    CHECK(l.n == 5 && l.ordered);
    CHECK(l.ids[0] == ids[3] && l.ids[4] == ids[0]);

    CHECK(store_response_grade(st, ids[1], 3, 1234, 0.7, 0.5) == 0);
    store_response g;
    int found;
    CHECK(store_response_get(st, ids[1], &g, &found) == 0 && found);
    CHECK(g.grade == 3 && g.graded_ms == 1234);
    CHECK_NEAR(g.theta_after, 0.7, 0);
    CHECK_STR(g.topic, "go-concurrency");
    CHECK(g.talk_ms == -1);
    CHECK(store_response_grade(st, 4242, 1, 0, 0, 0) == VIVA_ENOTFOUND);
    CHECK(store_response_grade(st, ids[1], 4, 0, 0, 0) == VIVA_EINVAL);

    /* Moving a response in time keeps one index entry. */
    g.t_ms = 99999;
    CHECK(store_response_put(st, &g) == 0);
    l = (resp_list){INT64_MIN, 0, 1, {0}};
    CHECK(store_response_iter(st, p, collect_resp, &l) == 0);
    CHECK(l.n == 5 && l.ordered && l.ids[4] == ids[1]);

    /* Grade + ability in one commit; history per topic and overall. */
    store_response r = st_resp(p, "x-2", 7000, 2);
    store_ability pts[2] = {{p, "", 7000, 0.25, 0.8, 1}, {p, "go-concurrency", 7000, 0.5, 0.9, 1}};
    CHECK(store_grade_commit(st, &r, pts, 2) == 0);
    store_ability more = {p, "", 8000, 0.375, 0.7, 2};
    CHECK(store_ability_append(st, &more) == 0);
    store_ability wrong = {p + 100, "", 8000, 0, 0, 1};
    CHECK(store_ability_append(st, &wrong) == VIVA_ENOTFOUND);
    resp_list a = {0};
    CHECK(store_ability_iter(st, p, "", collect_ab, &a) == 0);
    CHECK(a.n == 2 && a.ids[0] == 250 && a.ids[1] == 375);
    a = (resp_list){0};
    CHECK(store_ability_iter(st, p, NULL, collect_ab, &a) == 0);
    CHECK(a.n == 3);
    /* A mismatched ability point aborts the whole commit. */
    store_response r2 = st_resp(p, "x-3", 9000, 1);
    store_ability bad = {p + 1, "", 9000, 0, 0, 3};
    CHECK(store_grade_commit(st, &r2, &bad, 1) == VIVA_EINVAL);
    CHECK(r2.id == 0);
    l = (resp_list){INT64_MIN, 0, 1, {0}};
    CHECK(store_response_iter(st, p, collect_resp, &l) == 0 && l.n == 6);
    store_close(st);
out:
    st_rmtmp(dir);
}

static void test_recordings(void)
{
    char *dir = st_mktmp("api");
    store *st = st_open_ok(dir);
    CHECK(st != NULL);
    if (!st)
        goto out;
    uint32_t p;
    CHECK(store_profile_add(st, "Di", 1, &p) == 0);
    store_rec *rec;
    CHECK(store_rec_begin(st, p, 16000, 100, &rec) == 0);
    int16_t buf[1000];
    size_t total = 16000 * 2 + 4321;
    for (size_t done = 0; done < total;) {
        size_t n = total - done < 1000 ? total - done : 1000;
        for (size_t i = 0; i < n; i++)
            buf[i] = (int16_t)((done + i) * 7 % 65536 - 32768);
        CHECK(store_rec_append(st, rec, buf, n) == 0);
        done += n;
        CHECK(store_rec_committed(rec) == done / 16000 * 16000);
    }
    uint64_t id = store_rec_id(rec);
    CHECK(store_rec_finish(st, rec, 100, 16000 * 2) == 0);
    store_rec_info ri;
    int found;
    CHECK(store_rec_info_get(st, id, &ri, &found) == 0 && found);
    CHECK(ri.frames == total && ri.chunks == 3 && ri.state == STORE_REC_DONE);
    int16_t *pcm;
    size_t frames;
    int rate;
    CHECK(store_rec_read(st, id, &pcm, &frames, &rate) == 0);
    CHECK(frames == 16000 * 2 - 100 && rate == 16000);
    int same = 1;
    for (size_t i = 0; i < frames; i++)
        same &= pcm[i] == (int16_t)((i + 100) * 7 % 65536 - 32768);
    CHECK(same);
    free(pcm);

    /* Export: WAV is bit exact, FLAC is lossless, Ogg Opus plays back at the same length. */
    const char *exts[] = {"wav", "flac", "ogg"};
    for (int e = 0; e < 3; e++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/out.%s", dir, exts[e]);
        CHECK(store_rec_export(st, id, path) == 0);
        SF_INFO info;
        memset(&info, 0, sizeof info);
        SNDFILE *sf = sf_open(path, SFM_READ, &info);
        CHECK_MSG(sf != NULL, "%s: %s", path, sf_strerror(NULL));
        if (!sf)
            continue;
        CHECK(info.samplerate == 16000 && info.channels == 1);
        CHECK_MSG(llabs((long long)info.frames - 31900) < 400, "%s: %lld frames", exts[e],
                  (long long)info.frames);
        if (e < 2) {
            int16_t *back = xmalloc(32000 * sizeof *back);
            sf_count_t got = sf_read_short(sf, back, 32000);
            CHECK(got == 31900);
            CHECK(memcmp(back, (int16_t[]){(int16_t)(100 * 7 - 32768)}, 2) == 0);
            free(back);
        }
        sf_close(sf);
    }
    CHECK(store_rec_export(st, id, "/nonexistent-dir/x.wav") == VIVA_EIO);
    CHECK(store_rec_export(st, id, "x.mp3") == VIVA_EINVAL);

    /* A response that points at it; deleting the recording clears the reference. */
    store_response r = st_resp(p, "x-1", 100, 2);
    r.recording = id;
    CHECK(store_response_put(st, &r) == 0);
    store_check_report rep;
    CHECK(store_check(st, &rep) == 0 && rep.problems == 0 && rep.chunks == 3);
    CHECK(store_rec_delete(st, id) == 0);
    CHECK(store_rec_read(st, id, &pcm, &frames, &rate) == VIVA_ENOTFOUND);
    CHECK(store_response_get(st, r.id, &r, &found) == 0 && found && r.recording == 0);
    CHECK(store_check(st, &rep) == 0);
    CHECK_MSG(rep.problems == 0 && rep.chunks == 0, "%s", rep.first_problem);
    store_close(st);
out:
    st_rmtmp(dir);
}

typedef struct {
    store *st;
    uint32_t profile;
    int err;
    uint64_t rec;
} thread_ctx;

static void *recorder(void *vctx)
{
    thread_ctx *c = vctx;
    store_rec *rec;
    c->err = store_rec_begin(c->st, c->profile, 8000, 0, &rec);
    if (c->err)
        return NULL;
    int16_t buf[160];
    for (int i = 0; i < 160; i++)
        buf[i] = (int16_t)(i * 100);
    for (int i = 0; i < 1500 && !c->err; i++) /* 30 s at 8 kHz: 30 synced chunks */
        c->err = store_rec_append(c->st, rec, buf, 160);
    c->rec = store_rec_id(rec);
    int e = store_rec_finish(c->st, rec, 0, 0);
    if (!c->err)
        c->err = e;
    return NULL;
}

static void test_threads(void)
{
    char *dir = st_mktmp("api");
    store_options o;
    memset(&o, 0, sizeof o);
    o.map_initial = 256 * 1024; /* force map growth while both threads write */
    store *st = NULL;
    char err[512];
    CHECK(store_open_ex(dir, &o, &st, err, sizeof err) == 0);
    if (!st)
        goto out;
    uint32_t p;
    CHECK(store_profile_add(st, "Eve", 1, &p) == 0);
    thread_ctx c = {st, p, 0, 0};
    pthread_t t;
    pthread_create(&t, NULL, recorder, &c);
    int bad = 0;
    for (int i = 0; i < 60; i++) {
        store_response r = st_resp(p, "t-1", i, i % 4);
        store_ability a = {p, "", i, 0.01 * i, 1, (uint32_t)i + 1};
        bad |= store_grade_commit(st, &r, &a, 1) != 0;
    }
    pthread_join(t, NULL);
    CHECK(!bad);
    CHECK(c.err == 0);
    store_rec_info ri;
    int found;
    CHECK(store_rec_info_get(st, c.rec, &ri, &found) == 0 && found && ri.frames == 240000);
    uint64_t map;
    store_map_info(st, &map, NULL, NULL);
    CHECK(map > 256 * 1024);
    store_check_report rep;
    CHECK(store_check(st, &rep) == 0 && rep.problems == 0 && rep.responses == 60);
    store_close(st);
out:
    st_rmtmp(dir);
}

int main(void)
{
    st_log_start();
    RUN(test_banks);
    RUN(test_blobs_profiles_sessions);
    RUN(test_responses_ability);
    RUN(test_recordings);
    RUN(test_threads);
    return check_summary("store_api");
}
