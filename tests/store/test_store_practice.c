/* test_store_practice.c: the practice controller over a real store (recording off): the
 * answer's id once it is saved, its analysis kept through practice_save_analysis (each refusal
 * logged once), and a grade leaving the answer, two ability points and the review card on disk
 * together; the card comes back at the next open (the missed question is due again). */
#include "check.h"
#include "config.h"
#include "paths.h"
#include "practice.h"
#include "st_util.h"
#include "topic.h"

#define T0 1760000000000LL

static int count_points(void *ctx, const store_ability *a)
{
    (*(int *)ctx)++;
    return 0;
}

static size_t count_log(const char *needle)
{
    size_t n = 0;
    for (const char *s = st_log_; (s = strstr(s, needle)) != NULL; s++)
        n++;
    return n;
}

static void test_grade_card_analysis(void)
{
    char *dir = st_mktmp("prac");
    viva_app app;
    memset(&app, 0, sizeof app);
    config_defaults(&app.cfg);
    char err[512], notice[512];
    CHECK(config_set(&app.cfg, "audio.record=0", err, sizeof err) == 0);
    CHECK(config_set(&app.cfg, "data.backups=0", err, sizeof err) == 0);
    if (paths_asset_dir(app.asset_dir, sizeof app.asset_dir) != 0) {
        st_rmtmp(dir);
        SKIP("no asset directory (set VIVA_ASSET_DIR)");
    }
    snprintf(app.data_dir, sizeof app.data_dir, "%s", dir);
    practice *p = NULL;
    int code = 0;
    CHECK(practice_open(&app, "Tess", &p, notice, sizeof notice, err, sizeof err, &code) == 0);
    if (!p) {
        fprintf(stderr, "practice_open: %s\n", err);
        st_rmtmp(dir);
        return;
    }
    CHECK(practice_can_save(p));
    practice_set_seed(p, 7);
    practice_begin_session(p, T0);
    CHECK(practice_answer_id(p) == 0);
    const bank_item *it = practice_next(p, T0 + 1000);
    CHECK(it != NULL);
    if (!it)
        goto close;
    char item[STORE_ITEM_ID_MAX + 1];
    snprintf(item, sizeof item, "%s", it->id);
    CHECK(practice_answer_id(p) == 0); /* asked, not answered yet */
    practice_answer_end(p, T0 + 21000);
    uint64_t id = practice_answer_id(p);
    CHECK(id != 0);
    const char *json = "{\"words\":12,\"words_per_minute\":36.0,\"suggested_grade\":1}";
    CHECK(practice_save_analysis(p, id, json) == 0);
    /* Each refusal: its code and exactly one log line. */
    st_log_start();
    CHECK(practice_save_analysis(p, id + 1000, json) == VIVA_ENOTFOUND);
    CHECK(count_log("is not saved") == 1 && count_log("no such answer") == 1);
    st_log_start();
    CHECK(practice_save_analysis(p, id, "\xff") == VIVA_EINVAL);
    CHECK(count_log("is not saved") == 1 && count_log("not UTF-8") == 1);
    practice_grade(p, 0, T0 + 25000);
    CHECK(practice_answer_id(p) == id);
    practice_end_session(p, T0 + 30000);
close:
    practice_close(p);
    if (!it)
        goto out;

    /* On disk: graded answer, overall and topic point, card, analysis. */
    store *st = st_open_ok(dir);
    if (!st)
        goto out;
    store_profile prof;
    int found = 0, n = 0;
    CHECK(store_profile_find(st, "Tess", &prof, &found) == 0 && found);
    store_response r;
    CHECK(store_response_get(st, id, &r, &found) == 0 && found && r.grade == 0 &&
          r.graded_ms == T0 + 25000);
    CHECK(store_ability_iter(st, prof.id, NULL, count_points, &n) == 0 && n == 2);
    store_card c;
    CHECK(store_card_get(st, prof.id, item, &c, &found) == 0 && found && c.last_grade == 0 &&
          c.last_ms == T0 + 25000 && c.due_ms > c.last_ms && c.reps == 1);
    char *text = NULL;
    size_t len;
    CHECK(store_analysis_get(st, id, &text, &len, &found) == 0 && found && text &&
          strcmp(text, json) == 0);
    free(text);
    store_close(st);

    /* The next open reads the card back: the missed question is due later. */
    CHECK(practice_open(&app, "Tess", &p, notice, sizeof notice, err, sizeof err, &code) == 0);
    if (p) {
        CHECK(practice_reviews_due(p, T0 + 26000) == 0);
        CHECK(practice_reviews_due(p, T0 + 400LL * 86400000) == 1);
        practice_close(p);
    }
out:
    st_rmtmp(dir);
}

static int count_recs(void *ctx, const store_rec_info *ri)
{
    (void)ri;
    (*(int *)ctx)++;
    return 0;
}

/* A microphone that fails to start leaves no recording behind: the answer is saved without
 * one (before, a finished empty recording that no answer named stayed in the store). Runs on
 * the virtual ALSA devices (tests/audio/virtual-audio.conf) with an input name that matches
 * none of them. */
static void test_microphone_fails_to_start(void)
{
    const char *alsa = getenv("ALSA_CONFIG_PATH");
    if (!alsa || !strstr(alsa, "virtual-audio"))
        SKIP("ALSA_CONFIG_PATH does not name the virtual devices (run through ctest)");
    char *dir = st_mktmp("prac-mic");
    viva_app app;
    memset(&app, 0, sizeof app);
    config_defaults(&app.cfg);
    char err[512], notice[512];
    CHECK(config_set(&app.cfg, "audio.record=1", err, sizeof err) == 0);
    CHECK(config_set(&app.cfg, "audio.input=no-such-microphone-here", err, sizeof err) == 0);
    CHECK(config_set(&app.cfg, "data.backups=0", err, sizeof err) == 0);
    if (paths_asset_dir(app.asset_dir, sizeof app.asset_dir) != 0) {
        st_rmtmp(dir);
        SKIP("no asset directory (set VIVA_ASSET_DIR)");
    }
    snprintf(app.data_dir, sizeof app.data_dir, "%s", dir);
    practice *p = NULL;
    int code = 0;
    notice[0] = '\0';
    CHECK(practice_open(&app, "Mia", &p, notice, sizeof notice, err, sizeof err, &code) == 0);
    if (!p) {
        st_rmtmp(dir);
        return;
    }
    practice_set_seed(p, 3);
    practice_begin_session(p, T0);
    const bank_item *it = practice_next(p, T0 + 1000);
    CHECK(it != NULL);
    if (it) {
        practice_answer_start(p, T0 + 2000, NULL, NULL);
        CHECK(!practice_recording(p));
        practice_answer_end(p, T0 + 12000);
        CHECK(practice_answer_id(p) != 0);
    }
    practice_end_session(p, T0 + 20000);
    practice_close(p);

    store *st = st_open_ok(dir);
    store_profile prof;
    int found = 0, recs = 0;
    CHECK(st && store_profile_find(st, "Mia", &prof, &found) == 0 && found);
    CHECK(st && store_rec_iter(st, prof.id, count_recs, &recs) == 0);
    CHECK_MSG(recs == 0, "%d recording(s) left by a microphone that did not start", recs);
    store_check_report rep;
    CHECK(st && store_check(st, &rep) == 0 && rep.problems == 0 && rep.unnamed == 0 &&
          rep.responses == 1);
    store_close(st);
    st_rmtmp(dir);
}

/* A recording the store gave an answer (store_repair) is in the answers list with a sentence
 * in place of the unknown question, and its recording. */
static void test_recovered_answer_listed(void)
{
    char *dir = st_mktmp("prac-rec");
    store *st = st_open_ok(dir);
    uint32_t prof = 0;
    store_rec *rec = NULL;
    int16_t pcm[2000] = {0};
    CHECK(st && store_profile_add(st, "Ned", 1, &prof) == 0);
    CHECK(st && store_rec_begin(st, prof, 16000, T0, &rec) == 0);
    CHECK(rec && store_rec_append(st, rec, pcm, 2000) == 0);
    uint64_t rid = rec ? store_rec_id(rec) : 0;
    if (rec)
        CHECK(store_rec_finish(st, rec, 0, 0) == 0);
    store_repair_report rr;
    CHECK(st && store_repair(st, &rr) == 0 && rr.adopted == 1);
    store_close(st);
    viva_app app;
    memset(&app, 0, sizeof app);
    config_defaults(&app.cfg);
    char err[512], notice[512];
    CHECK(config_set(&app.cfg, "audio.record=0", err, sizeof err) == 0);
    if (paths_asset_dir(app.asset_dir, sizeof app.asset_dir) != 0) {
        st_rmtmp(dir);
        SKIP("no asset directory (set VIVA_ASSET_DIR)");
    }
    snprintf(app.data_dir, sizeof app.data_dir, "%s", dir);
    practice *p = NULL;
    int code = 0;
    CHECK(practice_open(&app, "Ned", &p, notice, sizeof notice, err, sizeof err, &code) == 0);
    if (p) {
        practice_answer *rows = NULL;
        int n = practice_answers(p, &rows);
        CHECK(n == 1 && rows && rows[0].recording == rid && rows[0].grade == -1 &&
              rows[0].question && strstr(rows[0].question, "interruption"));
        free(rows);
        practice_close(p);
    }
    st_rmtmp(dir);
}

/* One question asked, answered (recording off), analysed with `covered` of 4 key points heard,
 * graded. Returns the question's topic slug (copied) or "" when the engine had none. */
static void answer_one(practice *p, int64_t t, int covered, int grade, char *topic, size_t tlen,
                       char *item, size_t ilen)
{
    const bank_item *it = practice_next(p, t);
    snprintf(topic, tlen, "%s", it ? it->topic : "");
    snprintf(item, ilen, "%s", it ? it->id : "");
    if (!it)
        return;
    practice_answer_end(p, t + 20000);
    char json[400];
    snprintf(json, sizeof json, "{\"words\":40,\"key_points\":[{\"covered\":%s},{\"covered\":%s},"
             "{\"covered\":%s},{\"covered\":false}]}", covered > 0 ? "true" : "false",
             covered > 1 ? "true" : "false", covered > 2 ? "true" : "false");
    CHECK(practice_save_analysis(p, practice_answer_id(p), json) == 0);
    practice_grade(p, grade, t + 25000);
}

/* The session's answers with what was heard; "practise next" names what was missed (never a
 * topic just graded excellent), then what is due; a question answered again is attempt 2 of 2
 * on progress, and the first answer attempt 1 of 2. */
static void test_session_answers_and_next(void)
{
    char *dir = st_mktmp("prac-next");
    viva_app app;
    memset(&app, 0, sizeof app);
    config_defaults(&app.cfg);
    char err[512], notice[512];
    CHECK(config_set(&app.cfg, "audio.record=0", err, sizeof err) == 0);
    CHECK(config_set(&app.cfg, "data.backups=0", err, sizeof err) == 0);
    if (paths_asset_dir(app.asset_dir, sizeof app.asset_dir) != 0) {
        st_rmtmp(dir);
        SKIP("no asset directory (set VIVA_ASSET_DIR)");
    }
    snprintf(app.data_dir, sizeof app.data_dir, "%s", dir);
    practice *p = NULL;
    int code = 0;
    CHECK(practice_open(&app, "Ida", &p, notice, sizeof notice, err, sizeof err, &code) == 0);
    if (!p) {
        st_rmtmp(dir);
        return;
    }
    practice_set_seed(p, 5);
    practice_begin_session(p, T0);
    char t_exc[64], t_miss[64], i_exc[80], i_miss[80];
    answer_one(p, T0 + 1000, 3, 3, t_exc, sizeof t_exc, i_exc, sizeof i_exc);
    answer_one(p, T0 + 60000, 1, 0, t_miss, sizeof t_miss, i_miss, sizeof i_miss);
    practice_answer *rows = NULL;
    int n = practice_session_answers(p, &rows);
    CHECK(n == 2 && rows[0].grade == 3 && rows[0].analysed && rows[0].covered == 3 &&
          rows[0].nkeys == 4 && rows[1].grade == 0 && rows[1].covered == 1);
    free(rows);
    practice_end_session(p, T0 + 120000);
    /* After the end (the summary screen) the session's answers are still found. */
    n = practice_session_answers(p, &rows);
    CHECK(n == 2);
    free(rows);

    char next[200];
    CHECK(practice_suggest_next(p, T0 + 130000, next, sizeof next) == 1);
    char want[160];
    snprintf(want, sizeof want, "Practise next: %s (1 missed", topic_name(t_miss));
    CHECK_MSG(strstr(next, want) != NULL, "next: '%s', want '%s...'", next, want);
    if (strcmp(t_exc, t_miss) != 0) {
        snprintf(want, sizeof want, "Practise next: %s ", topic_name(t_exc));
        CHECK_MSG(!strstr(next, want), "names the topic graded excellent: '%s'", next);
    }
    /* Much later the missed question is due: that comes first. */
    int64_t later = T0 + 400LL * 86400000;
    CHECK(practice_suggest_next(p, later, next, sizeof next) == 1 &&
          strstr(next, "due for review"));

    /* Asked again in a later session: two attempts at one question. */
    practice_begin_session(p, later);
    char t2[64], i2[80];
    answer_one(p, later + 1000, 2, 2, t2, sizeof t2, i2, sizeof i2);
    practice_end_session(p, later + 60000);
    n = practice_answers(p, &rows);
    CHECK(n == 3);
    if (n == 3 && !strcmp(i2, i_miss)) {
        CHECK(rows[0].attempt == 2 && rows[0].attempts == 2 && rows[0].covered == 2);
        CHECK(rows[1].attempt == 1 && rows[1].attempts == 2 && rows[1].covered == 1);
        CHECK(rows[2].attempt == 1 && rows[2].attempts == 1); /* the excellent one, once */
    } else {
        CHECK_MSG(0, "the due question was not asked again (asked %s, due %s)", i2, i_miss);
    }
    free(rows);
    practice_close(p);
    st_rmtmp(dir);
}

int main(void)
{
    setenv("XDG_CONFIG_HOME", "/nonexistent-viva-test", 1);
    st_log_start();
    RUN(test_grade_card_analysis);
    RUN(test_microphone_fails_to_start);
    RUN(test_recovered_answer_listed);
    RUN(test_session_answers_and_next);
    return check_summary("store_practice");
}
