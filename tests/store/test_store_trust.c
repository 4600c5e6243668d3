/* test_store_trust.c: the analysis's confidence through the store (a real LMDB file): an
 * analysis saved with "confidence" and "sure" comes back with them; one saved before they
 * existed (the JSON viva wrote until now) reads as unknown and not sure, never as confident;
 * and a profile's agreement record (trust_record_load) counts only graded answers whose
 * analysis was sure, so a profile that keeps disagreeing stops preselection and the old
 * analyses change nothing. */
#include "check.h"
#include "st_util.h"
#include "trust_record.h"

/* What viva wrote before confidences: no "confidence", no "sure". */
static const char *OLD = "{\"transcript\":\"a goroutine leaks\",\"words\":3,\"talk_seconds\":2.5,"
                         "\"words_per_minute\":72.0,\"pauses\":[],\"longest_pause\":0.8,"
                         "\"fillers\":0,\"key_points\":[{\"text\":\"leak\",\"covered\":true,"
                         "\"heard\":[\"leaks\"]}],\"suggested_grade\":3}";

/* What feedback_result_json writes now. */
static void new_json(char *buf, size_t len, double conf, int sure, int grade)
{
    snprintf(buf, len, "{\"transcript\":\"a goroutine leaks\",\"words\":3,\"talk_seconds\":2.5,"
             "\"words_per_minute\":72.0,\"pauses\":[],\"longest_pause\":0.8,\"fillers\":0,"
             "\"key_points\":[],\"confidence\":%.3f,\"sure\":%s,\"suggested_grade\":%d}", conf,
             sure ? "true" : "false", grade);
}

static uint64_t answer(store *st, uint32_t profile, int64_t t, int grade, const char *json)
{
    store_response r = st_resp(profile, "q-1", t, grade);
    CHECK(store_response_put(st, &r) == 0 && r.id != 0);
    if (json)
        CHECK(store_analysis_put(st, r.id, json, strlen(json)) == 0);
    return r.id;
}

static void parse_stored(store *st, uint64_t id, int *sg, double *conf, int *sure)
{
    char *json = NULL;
    size_t len = 0;
    int found = 0;
    CHECK(store_analysis_get(st, id, &json, &len, &found) == 0 && found);
    trust_analysis_parse(json, len, sg, conf, sure);
    free(json);
}

static void parse_text(const char *json, int *sg, double *conf, int *sure)
{
    trust_analysis_parse(json, strlen(json), sg, conf, sure);
}

static void test_round_trip(void)
{
    char *dir = st_mktmp("trust");
    store *st = st_open_ok(dir);
    if (!st)
        goto out;
    uint32_t p = 0;
    CHECK(store_profile_add(st, "Ann", 1, &p) == 0);
    char buf[512];
    new_json(buf, sizeof buf, 0.834, 1, 2);
    uint64_t with = answer(st, p, 1000, -1, buf);
    uint64_t old = answer(st, p, 2000, -1, OLD);
    new_json(buf, sizeof buf, 0.412, 0, 1);
    uint64_t unsure = answer(st, p, 3000, -1, buf);
    store_close(st);

    st = st_open_ok(dir); /* what is read back is what is on disk */
    if (!st)
        goto out;
    int sg, sure;
    double conf;
    parse_stored(st, with, &sg, &conf, &sure);
    CHECK(sg == 2 && sure == 1);
    CHECK_NEAR(conf, 0.834, 1e-9);
    parse_stored(st, old, &sg, &conf, &sure);
    CHECK_MSG(sg == 3 && conf < 0 && sure == 0, "old record: grade %d confidence %g sure %d", sg,
              conf, sure);
    parse_stored(st, unsure, &sg, &conf, &sure);
    CHECK(sg == 1 && sure == 0);
    CHECK_NEAR(conf, 0.412, 1e-9);
    /* damaged or odd text is never sure: "sure" without a confidence, a confidence out of
     * range, not an object */
    parse_text("{\"sure\":true,\"suggested_grade\":2}", &sg, &conf, &sure);
    CHECK(sg == 2 && conf < 0 && !sure);
    parse_text("{\"confidence\":7,\"sure\":true}", &sg, &conf, &sure);
    CHECK(sg == -1 && conf < 0 && !sure);
    parse_text("[1,2]", &sg, &conf, &sure);
    CHECK(sg == -1 && conf < 0 && !sure);
    parse_text("{\"confid", &sg, &conf, &sure);
    CHECK(sg == -1 && !sure);
    store_close(st);
out:
    st_rmtmp(dir);
}

static void test_record(void)
{
    char *dir = st_mktmp("trust");
    store *st = st_open_ok(dir);
    if (!st)
        goto out;
    uint32_t ann = 0, bob = 0;
    CHECK(store_profile_add(st, "Ann", 1, &ann) == 0);
    CHECK(store_profile_add(st, "Bob", 1, &bob) == 0);
    char sure3[512], unsure3[512], sure1[512];
    new_json(sure3, sizeof sure3, 0.9, 1, 3);
    new_json(unsure3, sizeof unsure3, 0.3, 0, 3);
    new_json(sure1, sizeof sure1, 0.9, 1, 1);
    feedback_record rec;
    CHECK(trust_record_load(st, ann, &rec) == 0 && rec.n == 0 && !feedback_record_disagrees(&rec));

    /* Ann: ten old analyses suggesting 3 that she graded 0: unknown confidence, not counted */
    int64_t t = 1000;
    for (int i = 0; i < 10; i++)
        answer(st, ann, t += 1000, 0, OLD);
    /* nor unsure ones, ungraded answers, or answers without an analysis */
    for (int i = 0; i < 5; i++) {
        answer(st, ann, t += 1000, 0, unsure3);
        answer(st, ann, t += 1000, -1, sure3);
        answer(st, ann, t += 1000, 0, NULL);
    }
    CHECK(trust_record_load(st, ann, &rec) == 0);
    CHECK_MSG(rec.n == 0 && rec.total == 0, "counted %d", rec.total);
    CHECK(!feedback_record_disagrees(&rec));

    /* three sure suggestions she graded otherwise: not yet a record; the fourth makes one */
    for (int i = 0; i < 3; i++)
        answer(st, ann, t += 1000, 1, sure3);
    CHECK(trust_record_load(st, ann, &rec) == 0 && rec.n == 3 && !feedback_record_disagrees(&rec));
    answer(st, ann, t += 1000, 1, sure3);
    CHECK(trust_record_load(st, ann, &rec) == 0 && rec.n == 4 && rec.total_agreed == 0);
    CHECK(feedback_record_disagrees(&rec));
    feedback_result r;
    memset(&r, 0, sizeof r);
    r.speech = r.sure = 1;
    r.suggested_grade = 3;
    r.confidence = 0.9;
    CHECK(feedback_preselect(&r, &rec) == -1);

    /* Bob agrees with his sure suggestions: preselected; Ann's record is not his */
    for (int i = 0; i < 6; i++)
        answer(st, bob, t += 1000, 1, sure1);
    CHECK(trust_record_load(st, bob, &rec) == 0 && rec.n == 6 && rec.total_agreed == 6);
    CHECK(!feedback_record_disagrees(&rec) && feedback_preselect(&r, &rec) == 3);

    /* removing Ann removes her record with her answers */
    CHECK(store_profile_remove(st, ann) == 0);
    CHECK(trust_record_load(st, ann, &rec) == 0 && rec.n == 0);
    store_close(st);
out:
    st_rmtmp(dir);
}

int main(void)
{
    RUN(test_round_trip);
    RUN(test_record);
    return check_summary("store trust");
}
