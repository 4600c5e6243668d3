/* test_store_analysis.c: the analysis table (put, get, iterate in answer order, limits, a
 * failing write changes nothing, profile removal, backup and restore carry it, store_check),
 * review cards through the card codec, and store_grade_save committing the answer, its
 * ability points and its card together (or nothing when any part is refused). */
#include "check.h"
#include "st_util.h"

static const char *A1 = "{\"transcript\":\"a goroutine leaks\",\"words\":3,\"talk_seconds\":2.5,"
                        "\"words_per_minute\":72.0,\"pauses\":1,\"longest_pause\":0.8,"
                        "\"fillers\":0,\"key_points\":[{\"text\":\"leak\",\"covered\":true,"
                        "\"heard\":\"leaks\"}],\"suggested_grade\":2}";

static uint32_t add_profile(store *st, const char *name)
{
    uint32_t id = 0;
    CHECK(store_profile_add(st, name, 1, &id) == 0);
    return id;
}

static uint64_t add_answer(store *st, uint32_t profile, const char *item, int64_t t)
{
    store_response r = st_resp(profile, item, t, -1);
    CHECK(store_response_put(st, &r) == 0 && r.id != 0);
    return r.id;
}

typedef struct {
    uint64_t ids[16];
    int n;
    int bad;
} seen;

static int on_analysis(void *ctx, uint64_t id, const char *json, size_t len)
{
    seen *s = ctx;
    if (s->n < 16)
        s->ids[s->n++] = id;
    s->bad |= strlen(json) != len; /* NUL-terminated copy of exactly len bytes */
    return 0;
}

static void test_put_get_iter(void)
{
    char *dir = st_mktmp("ana");
    store *st = st_open_ok(dir);
    if (!st)
        goto out;
    uint32_t ann = add_profile(st, "Ann"), bob = add_profile(st, "Bob");
    /* Answers out of time order: iteration follows the answers (time, then id). */
    uint64_t late = add_answer(st, ann, "q-1", 3000);
    uint64_t early = add_answer(st, ann, "q-2", 1000);
    uint64_t none = add_answer(st, ann, "q-3", 2000);
    uint64_t b1 = add_answer(st, bob, "q-1", 500);
    CHECK(store_analysis_put(st, late, A1, strlen(A1)) == 0);
    CHECK(store_analysis_put(st, early, "{\"words\":1}", 11) == 0);
    CHECK(store_analysis_put(st, b1, "{\"words\":9}", 11) == 0);
    char *json = NULL;
    size_t len = 0;
    int found = 0;
    CHECK(store_analysis_get(st, late, &json, &len, &found) == 0 && found &&
          len == strlen(A1) && json && strcmp(json, A1) == 0);
    free(json);
    CHECK(store_analysis_get(st, none, &json, &len, &found) == 0 && !found && !json);
    /* Replacing keeps one record. */
    CHECK(store_analysis_put(st, early, "{\"words\":2}", 11) == 0);
    CHECK(store_analysis_get(st, early, &json, &len, &found) == 0 && found &&
          strcmp(json, "{\"words\":2}") == 0);
    free(json);
    seen s = {{0}, 0, 0};
    CHECK(store_analysis_iter(st, ann, on_analysis, &s) == 0);
    CHECK(s.n == 2 && s.ids[0] == early && s.ids[1] == late && !s.bad);
    seen sb = {{0}, 0, 0};
    CHECK(store_analysis_iter(st, bob, on_analysis, &sb) == 0 && sb.n == 1 && sb.ids[0] == b1);
    store_check_report rep;
    CHECK(store_check(st, &rep) == 0 && rep.problems == 0 && rep.analyses == 3);

    /* Refusals: no such answer, too long, not UTF-8, NUL inside, id 0. */
    CHECK(store_analysis_put(st, 999, "{}", 2) == VIVA_ENOTFOUND);
    char *big = xmalloc(STORE_ANALYSIS_MAX + 2);
    memset(big, ' ', STORE_ANALYSIS_MAX + 1);
    big[0] = '{';
    big[STORE_ANALYSIS_MAX - 1] = '}';
    big[STORE_ANALYSIS_MAX + 1] = '\0';
    CHECK(store_analysis_put(st, none, big, STORE_ANALYSIS_MAX) == 0); /* exactly 64 KiB */
    CHECK(store_analysis_get(st, none, &json, &len, &found) == 0 && found &&
          len == STORE_ANALYSIS_MAX);
    free(json);
    CHECK(store_analysis_put(st, none, big, STORE_ANALYSIS_MAX + 1) == VIVA_EINVAL);
    free(big);
    CHECK(store_analysis_put(st, none, "{\"t\":\"\xff\"}", 9) == VIVA_EINVAL);
    CHECK(store_analysis_put(st, none, "{\"t\":\"a\0b\"}", 11) == VIVA_EINVAL);
    CHECK(store_analysis_put(st, 0, "{}", 2) == VIVA_EINVAL);

    /* Removing a profile removes its analyses, not the other's. */
    CHECK(store_profile_remove(st, ann) == 0);
    CHECK(store_analysis_get(st, late, &json, &len, &found) == 0 && !found);
    CHECK(store_analysis_get(st, b1, &json, &len, &found) == 0 && found);
    free(json);
    CHECK(store_check(st, &rep) == 0 && rep.problems == 0 && rep.analyses == 1);
    store_close(st);
out:
    st_rmtmp(dir);
}

/* A write that fails at commit (ENOSPC injected) leaves every table as it was. */
static int fail_after(void *ctx, const char *op)
{
    int *n = ctx;
    return strcmp(op, "commit") == 0 && (*n)-- <= 0 ? 28 /* ENOSPC */ : 0;
}

static int count_resp(void *ctx, const store_response *r)
{
    (*(int *)ctx)++;
    return 0;
}

static void test_failed_write_changes_nothing(void)
{
    char *dir = st_mktmp("ana");
    int budget = 1000;
    store_options o = {.fault = fail_after, .fault_ctx = &budget, .backup_keep = -1};
    store *st = NULL;
    char err[1024];
    CHECK(store_open_ex(dir, &o, &st, err, sizeof err) == 0);
    if (!st)
        goto out;
    uint32_t ann = add_profile(st, "Ann");
    uint64_t id = add_answer(st, ann, "q-1", 1000);
    CHECK(store_analysis_put(st, id, "{\"words\":1}", 11) == 0);
    char bk1[4200], bk2[4200];
    snprintf(bk1, sizeof bk1, "%s/before", dir);
    CHECK(store_backup(st, bk1, err, sizeof err) == 0);
    budget = 0;
    CHECK(store_analysis_put(st, id, "{\"words\":2}", 11) == VIVA_ENOSPC);
    budget = 1000;
    char *json;
    size_t len;
    int found = 0, n = 0;
    CHECK(store_analysis_get(st, id, &json, &len, &found) == 0 && found &&
          strcmp(json, "{\"words\":1}") == 0);
    free(json);
    CHECK(store_response_iter(st, ann, count_resp, &n) == 0 && n == 1);
    /* Byte for byte: a backup now equals the one before the failed write. */
    snprintf(bk2, sizeof bk2, "%s/after", dir);
    CHECK(store_backup(st, bk2, err, sizeof err) == 0);
    char p1[4300], p2[4300];
    snprintf(p1, sizeof p1, "%s/data.mdb", bk1);
    snprintf(p2, sizeof p2, "%s/data.mdb", bk2);
    FILE *f1 = fopen(p1, "rb"), *f2 = fopen(p2, "rb");
    int same = f1 && f2;
    while (same) {
        int a = fgetc(f1), b = fgetc(f2);
        same = a == b; /* a compacting copy depends only on the committed data */
        if (a == EOF || b == EOF)
            break;
    }
    if (f1)
        fclose(f1);
    if (f2)
        fclose(f2);
    CHECK(same);
    store_close(st);
out:
    st_rmtmp(dir);
}

/* Backup and restore carry the analyses. */
static void test_backup_restore(void)
{
    char *dir = st_mktmp("ana"), *dir2 = st_mktmp("ana2");
    store *st = st_open_ok(dir);
    if (!st)
        goto out;
    uint32_t ann = add_profile(st, "Ann");
    uint64_t id = add_answer(st, ann, "q-1", 1000);
    CHECK(store_analysis_put(st, id, A1, strlen(A1)) == 0);
    char bk[4200], err[1024];
    snprintf(bk, sizeof bk, "%s/bk", dir);
    CHECK(store_backup(st, bk, err, sizeof err) == 0);
    store_close(st);
    CHECK(store_restore(dir2, bk, err, sizeof err) == 0);
    st = st_open_ok(dir2);
    if (!st)
        goto out;
    char *json = NULL;
    size_t len;
    int found = 0;
    CHECK(store_analysis_get(st, id, &json, &len, &found) == 0 && found && json &&
          strcmp(json, A1) == 0);
    free(json);
    store_close(st);
out:
    st_rmtmp(dir);
    st_rmtmp(dir2);
}

static int on_card(void *ctx, const char *item, const store_card *c)
{
    (*(int *)ctx)++;
    return 0;
}

static void test_cards_and_grade_save(void)
{
    char *dir = st_mktmp("card");
    store *st = st_open_ok(dir);
    if (!st)
        goto out;
    uint32_t ann = add_profile(st, "Ann");
    store_card c = {1, 2.5, 6.75, 1000, 90000, 3, 1}, got;
    int found = 0, n = 0;
    CHECK(store_card_put(st, ann, "q-1", &c) == 0);
    CHECK(store_card_get(st, ann, "q-1", &got, &found) == 0 && found);
    CHECK(got.last_grade == c.last_grade && got.stability == c.stability &&
          got.difficulty == c.difficulty && got.last_ms == c.last_ms && got.due_ms == c.due_ms &&
          got.reps == c.reps && got.lapses == c.lapses);
    /* On disk: format byte 2, little-endian fields, 42 bytes. */
    void *raw;
    size_t len;
    CHECK(store_review_get(st, ann, "q-1", &raw, &len, &found) == 0 && found && len == 42);
    const unsigned char *b = raw;
    CHECK(b[0] == 2 && b[1] == 1 && b[18] == 0xe8 && b[19] == 0x03 && b[34] == 3 && b[38] == 1);
    free(raw);
    /* A raw blob in the review table is not a card. */
    CHECK(store_review_put(st, ann, "q-2", "due", 3) == 0);
    CHECK(store_card_get(st, ann, "q-2", &got, &found) == 0 && !found);
    CHECK(store_card_iter(st, ann, on_card, &n) == 0 && n == 1);
    store_card bad = c;
    bad.last_grade = 4;
    CHECK(store_card_put(st, ann, "q-1", &bad) == VIVA_EINVAL);
    CHECK(store_card_put(st, 77, "q-1", &c) == VIVA_ENOTFOUND);

    /* store_grade_save: answer, two points and the card in one transaction. */
    store_response r = st_resp(ann, "q-3", 5000, 2);
    store_ability pts[2];
    memset(pts, 0, sizeof pts);
    pts[0].profile = pts[1].profile = ann;
    pts[0].t_ms = pts[1].t_ms = 5000;
    snprintf(pts[1].topic, sizeof pts[1].topic, "go-concurrency");
    store_card c3 = {2, 4.0, 5.0, 5000, 50000, 1, 0};
    CHECK(store_grade_save(st, &r, pts, 2, &c3) == 0 && r.id != 0);
    CHECK(store_card_get(st, ann, "q-3", &got, &found) == 0 && found && got.due_ms == 50000);
    store_check_report rep;
    CHECK(store_check(st, &rep) == 0 && rep.problems == 0 && rep.ability == 2 &&
          rep.responses == 1);
    /* A refused part refuses the whole: a point of another profile. */
    store_response r2 = st_resp(ann, "q-4", 6000, 1);
    pts[1].profile = ann + 1;
    CHECK(store_grade_save(st, &r2, pts, 2, &c3) == VIVA_EINVAL && r2.id == 0);
    CHECK(store_card_get(st, ann, "q-4", &got, &found) == 0 && !found);
    CHECK(store_check(st, &rep) == 0 && rep.ability == 2 && rep.responses == 1);
    /* ... and a card that is not valid. */
    pts[1].profile = ann;
    CHECK(store_grade_save(st, &r2, pts, 2, &bad) == VIVA_EINVAL);
    CHECK(store_check(st, &rep) == 0 && rep.ability == 2 && rep.responses == 1);
    store_close(st);
out:
    st_rmtmp(dir);
}

int main(void)
{
    st_log_start();
    RUN(test_put_get_iter);
    RUN(test_failed_write_changes_nothing);
    RUN(test_backup_restore);
    RUN(test_cards_and_grade_save);
    return check_summary("store_analysis");
}
