/* practice.c: the practice controller (see practice.h): opening, the session, recording and
 * grading; playback and the screens' queries are in practice_history.c.
 *
 * State that outlives a run is rebuilt from the store at open: the overall ability is the last
 * point of the profile's overall history; a topic's deviation from it is recovered from the
 * last point of that topic's history (which stores the topic ability overall + deviation);
 * review cards are read with the store's card codec; "last asked" times come from the
 * responses. A grade, its ability points, the answer's fields and the review card are
 * committed in one synced transaction (store_grade_save), so after a power cut the history,
 * the schedule and the grades never disagree. */
#include "practice_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banks.h"
#include "calib.h"
#include "recalib.h"
#include "store.h"
#include "strbuf.h"
#include "topic.h"
#include "verr.h"
#include "vlog.h"

/* ---- loading ----------------------------------------------------------------------------- */

static int topic_index(practice *p, const char *slug)
{
    for (int i = 0; i < p->ntopics; i++)
        if (strcmp(p->topics[i], slug) == 0)
            return i;
    if (p->ntopics == MAX_TOPICS)
        return MAX_TOPICS - 1; /* more topics than that share the last slot for balancing */
    p->topics[p->ntopics] = slug;
    return p->ntopics++;
}

static int on_overall(void *ctx, const store_ability *a)
{
    practice *p = ctx;
    p->overall.theta = a->theta;
    p->overall.se = a->se;
    p->overall.last_ms = a->t_ms;
    p->overall.n = (int)a->n_answers;
    return 0;
}

typedef struct {
    practice *p;
    double overall_theta, overall_se; /* overall ability at the time of the topic point */
} topic_load;

static int on_topic(void *ctx, const store_ability *a)
{
    practice *p = ctx;
    if (!a->topic[0])
        return 0;
    for (int i = 0; i < p->ntopics; i++) {
        if (strcmp(p->topics[i], a->topic) != 0)
            continue;
        /* Topic points are written with the overall point of the same answer, so the
         * deviation is the difference at that time; see practice_grade. */
        ability *d = &p->dev[i];
        d->theta = a->theta - p->overall.theta;
        double v = a->se * a->se - p->overall.se * p->overall.se;
        d->se = sqrt(v > 0.01 ? v : 0.01);
        d->last_ms = a->t_ms;
        d->n = (int)a->n_answers;
    }
    return 0;
}

static int on_response(void *ctx, const store_response *r)
{
    practice *p = ctx;
    const bank_item *it = bank_find(p->b, r->item_id);
    if (it) {
        size_t i = (size_t)(it - bank_at(p->b, 0));
        if (r->t_ms > p->last_ms[i] || p->last_ms[i] == CAT_NEVER)
            p->last_ms[i] = r->t_ms;
    }
    return 0;
}

static void set_due(practice *p, size_t i)
{
    /* Only missed and partial answers come back on the schedule; solid ones stay with the
     * engine's own choice (they may be asked again once the recency window has passed). */
    p->due_ms[i] = p->has_card[i] && p->cards[i].last_grade <= 1 ? p->cards[i].card.due_ms
                                                                 : CAT_NO_DUE;
}

static int on_card(void *ctx, const char *item_id, const store_card *c)
{
    practice *p = ctx;
    const bank_item *it = bank_find(p->b, item_id);
    if (!it)
        return 0;
    size_t i = (size_t)(it - bank_at(p->b, 0));
    card_blob *cb = &p->cards[i];
    cb->last_grade = c->last_grade;
    cb->card.stability = c->stability;
    cb->card.difficulty = c->difficulty;
    cb->card.last_ms = c->last_ms;
    cb->card.due_ms = c->due_ms;
    cb->card.reps = c->reps;
    cb->card.lapses = c->lapses;
    p->has_card[i] = 1;
    set_due(p, i);
    return 0;
}

static store_card card_for_store(const card_blob *cb)
{
    store_card c = {cb->last_grade, cb->card.stability, cb->card.difficulty, cb->card.last_ms,
                    cb->card.due_ms, cb->card.reps, cb->card.lapses};
    return c;
}

static void open_store(practice *p, char *notice, size_t nlen,
                       char *err, size_t elen, int *exit_code)
{
    char msg[512];
    store_options so;
    memset(&so, 0, sizeof so);
    so.backup_keep = p->app->cfg.backups;
    int rc = store_open_ex(p->app->data_dir, &so, &p->st, msg, sizeof msg);
    if (rc != 0) {
        /* Practice goes on without saving; the caller decides what the screen offers (the
         * kiosk's recovery screen for a damaged, newer, locked or unreadable store). */
        p->st = NULL;
        *exit_code = store_exit_code(rc);
        VLOG_E("store", "%s", msg);
        snprintf(err, elen, "%s", msg);
        snprintf(notice, nlen, "Answers cannot be saved: %s", msg);
    }
}

/* Focus on the topic `slug` ("" = all topics). Returns -1 if the bank has no such topic. */
static int set_focus(practice *p, const char *slug)
{
    p->opt.focus = -1;
    p->opt.focus_share = 0;
    if (!slug[0])
        return 0;
    for (int t = 0; t < p->ntopics; t++)
        if (strcmp(p->topics[t], slug) == 0)
            p->opt.focus = t;
    if (p->opt.focus < 0)
        return -1;
    p->opt.focus_share = 1.0;
    return 0;
}

static void select_profile(practice *p, const char *profile_name, char *notice, size_t nlen)
{
    store_profile prof;
    int found = 0;
    if (store_profile_find(p->st, profile_name, &prof, &found) == 0 && found) {
        p->profile = prof.id;
    } else if (store_profile_add(p->st, profile_name, 0, &p->profile) != 0) {
        snprintf(notice, nlen, "Answers cannot be saved: the profile could not be created");
        store_close(p->st);
        p->st = NULL;
    }
}

/* ---- settings changed on the screen ------------------------------------------------------- */

/* Kept in the store's settings as "screen:<section.key>" -> value; they override the
 * configuration files, and the command line's --set overrides them in turn. */
#define SETTING_PREFIX "screen:"

static int on_setting(void *ctx, const char *key, const void *data, size_t len)
{
    practice *p = ctx;
    size_t pl = strlen(SETTING_PREFIX);
    if (strncmp(key, SETTING_PREFIX, pl) != 0 || len >= CFG_STR_MAX)
        return 0;
    char a[CFG_STR_MAX + 80], err[320];
    snprintf(a, sizeof a, "%s=%.*s", key + pl, (int)len, (const char *)data);
    if (config_set(&p->app->cfg, a, err, sizeof err) != 0)
        VLOG_W("practice", "a setting saved on the screen is ignored: %s", err);
    return 0;
}

static void reapply_command_line(practice *p)
{
    char err[320];
    for (int i = 0; i < p->app->nsets; i++)
        if (config_set(&p->app->cfg, p->app->sets[i], err, sizeof err) != 0)
            VLOG_W("practice", "%s", err);
}

static void apply_settings(practice *p)
{
    if (p->st)
        store_setting_iter(p->st, on_setting, p);
    reapply_command_line(p);
}

int practice_save_setting(practice *p, const char *key, const char *value)
{
    char a[CFG_STR_MAX + 80], err[320], k[96];
    snprintf(a, sizeof a, "%s=%s", key, value);
    if (config_set(&p->app->cfg, a, err, sizeof err) != 0) {
        VLOG_W("practice", "%s", err);
        return -1;
    }
    snprintf(k, sizeof k, SETTING_PREFIX "%s", key);
    if (p->st && store_setting_put(p->st, k, value, strlen(value)) != 0) {
        snprintf(p->notice, sizeof p->notice, "The setting is used but could not be saved");
        return -1;
    }
    reapply_command_line(p);
    return 0;
}

int practice_open(viva_app *app, const char *profile_name, practice **out, char *notice,
                  size_t nlen, char *err, size_t elen, int *exit_code)
{
    *out = NULL;
    *exit_code = 0;
    notice[0] = err[0] = '\0';
    practice *p = xcalloc(1, sizeof *p);
    p->app = app;
    p->cur = -1;

    open_store(p, notice, nlen, err, elen, exit_code);
    apply_settings(p);
    if (!profile_name || !profile_name[0])
        profile_name = app->cfg.profile[0] ? app->cfg.profile : "default";
    snprintf(p->profile_name, sizeof p->profile_name, "%.64s", profile_name);
    if (p->st)
        select_profile(p, profile_name, notice, nlen);

    p->b = bank_new();
    banks_load_configured(app, p->b);
    if (p->st) {
        /* Imported banks that are enabled; each repeated id is logged with both files. */
        size_t skipped = banks_load_store(p->st, p->b);
        if (skipped)
            VLOG_W("practice", "%zu imported questions skipped (their ids repeat)", skipped);
    }
    size_t n = bank_count(p->b);
    if (n == 0) {
        snprintf(err, elen, "no questions to ask: the bank is empty or every file had problems "
                            "(check with 'viva bank check')");
        practice_close(p);
        return -1;
    }

    for (size_t i = 0; i < n; i++) /* topics first: the pool sizes its scratch by them */
        topic_index(p, bank_at(p->b, i)->topic);
    cat_pool_init(&p->pool, n, p->ntopics);
    for (size_t i = 0; i < n; i++) {
        const bank_item *it = bank_at(p->b, i);
        p->pool.items[i] = calib_item_from_level(it->level, 0);
        p->pool.topic[i] = topic_index(p, it->topic);
    }
    cat_pool_prepare(&p->pool);
    recalib_load(p->st, p->b, &p->pool, NULL); /* level items moved by the stored shifts */
    p->asked = xcalloc(n, 1);
    p->last_ms = xmalloc(n * sizeof *p->last_ms);
    p->due_ms = xmalloc(n * sizeof *p->due_ms);
    p->cards = xcalloc(n, sizeof *p->cards);
    p->has_card = xcalloc(n, 1);
    for (size_t i = 0; i < n; i++)
        p->last_ms[i] = CAT_NEVER, p->due_ms[i] = CAT_NO_DUE;

    p->ap = ability_defaults();
    p->tp = ability_topic_defaults();
    fsrs_defaults(&p->fp);
    ability_init(&p->overall, &p->ap);
    for (int t = 0; t < MAX_TOPICS; t++)
        ability_init(&p->dev[t], &p->tp);
    if (p->st) {
        store_ability_iter(p->st, p->profile, "", on_overall, p);
        store_ability_iter(p->st, p->profile, NULL, on_topic, p);
        store_response_iter(p->st, p->profile, on_response, p);
        store_card_iter(p->st, p->profile, on_card, p);
    }

    p->opt = cat_defaults();
    p->opt.randomesque = app->cfg.randomesque;
    p->opt.review_share = app->cfg.review_share;
    if (set_focus(p, app->cfg.topic_focus) != 0)
        snprintf(notice, nlen, "No questions in topic '%s': practising all topics",
                 app->cfg.topic_focus);

    if (app->cfg.record) {
        char msg[256];
        if (audio_open(&p->au, msg, sizeof msg) != 0) {
            p->au = NULL;
            if (!notice[0])
                snprintf(notice, nlen, "Sound is unavailable (%s): practising without recording",
                         msg);
        }
    }
    *out = p;
    return 0;
}

void practice_close(practice *p)
{
    if (!p)
        return;
    if (p->cap)
        practice_answer_end(p, p->resp.t_ms);
    practice_stop_player_(p);
    if (p->au)
        audio_close(p->au);
    if (p->st)
        store_close(p->st);
    if (p->pool.n)
        cat_pool_free(&p->pool);
    free(p->asked);
    free(p->last_ms);
    free(p->due_ms);
    free(p->cards);
    free(p->has_card);
    bank_free(p->b);
    free(p);
}

/* ---- the session ------------------------------------------------------------------------- */

void practice_set_seed(practice *p, uint64_t seed)
{
    p->seed = seed;
    p->have_seed = 1;
}

void practice_begin_session(practice *p, int64_t now_ms)
{
    const viva_config *c = &p->app->cfg;
    session_rules rules = {SESSION_PRACTICE, c->session_questions, c->session_minutes,
                           c->assessment_se, c->assessment_max};
    session_start(&p->sess, &rules, now_ms);
    rng_seed(&p->r, p->have_seed ? p->seed : (uint64_t)now_ms ^ 0x9E3779B97F4A7C15ull);
    memset(p->asked, 0, bank_count(p->b));
    memset(p->topic_asked, 0, sizeof p->topic_asked);
    p->n_reviews = 0;
    ability now = ability_at(&p->overall, &p->ap, now_ms);
    memset(&p->sum, 0, sizeof p->sum);
    p->sum.theta_start = p->sum.theta_now = now.theta;
    p->sum.se_start = p->sum.se_now = now.se;
    p->session_id = 0;
    if (p->st && store_session_begin(p->st, p->profile, now_ms, &p->session_id) != 0)
        VLOG_W("practice", "session could not be recorded");
}

static void new_response(practice *p, const bank_item *it, const ability *now, int64_t now_ms);

const bank_item *practice_next(practice *p, int64_t now_ms)
{
    ability now = ability_at(&p->overall, &p->ap, now_ms);
    if (session_next(&p->sess, now.se, now_ms) != SESSION_GO)
        return NULL;
    cat_state cs = {now.theta, p->asked, p->last_ms, p->due_ms, p->topic_asked,
                    p->sess.asked, p->n_reviews};
    cat_choice ch;
    if (cat_select(&p->pool, &cs, &p->opt, &p->r, now_ms, &ch) < 0 || ch.item < 0) {
        session_exhausted(&p->sess);
        return NULL;
    }
    p->cur = ch.item;
    p->cur_review = ch.review;
    p->attempt = 1;
    p->asked[ch.item] = 1;
    p->topic_asked[ch.topic]++;
    p->n_reviews += ch.review;
    p->last_ms[ch.item] = now_ms;
    session_asked(&p->sess, now_ms);
    p->sum.asked++;

    const bank_item *it = bank_at(p->b, (size_t)ch.item);
    new_response(p, it, &now, now_ms);
    return it;
}

const bank_item *practice_retry(practice *p, int64_t now_ms)
{
    if (p->cur < 0)
        return NULL;
    ability now = ability_at(&p->overall, &p->ap, now_ms);
    const bank_item *it = bank_at(p->b, (size_t)p->cur);
    p->attempt++;
    new_response(p, it, &now, now_ms);
    VLOG_I("practice", "question %s again: attempt %d (practice: the estimate keeps the first)",
           it->id, p->attempt);
    return it;
}

int practice_attempt(const practice *p)
{
    return p->attempt;
}

/* A fresh, ungraded answer to `it` in the current session: practice_next and practice_retry. */
static void new_response(practice *p, const bank_item *it, const ability *now, int64_t now_ms)
{
    memset(&p->resp, 0, sizeof p->resp);
    p->resp.profile = p->profile;
    p->resp.session = p->session_id;
    snprintf(p->resp.item_id, sizeof p->resp.item_id, "%s", it->id);
    snprintf(p->resp.topic, sizeof p->resp.topic, "%s", it->topic);
    p->resp.t_ms = now_ms;
    p->resp.grade = -1;
    p->resp.talk_ms = p->resp.longest_pause_ms = p->resp.first_word_ms = -1;
    p->theta_before = now->theta;
    p->se_before = now->se;
    /* An answer that is never graded keeps the ability it was asked at, unchanged. */
    p->resp.theta_before = p->resp.theta_after = now->theta;
    p->resp.se_before = p->resp.se_after = now->se;
    practice_stop_player_(p);
}

const bank_item *practice_current(const practice *p)
{
    return p->cur >= 0 ? bank_at(p->b, (size_t)p->cur) : NULL;
}

int practice_number(const practice *p)
{
    return p->sess.asked;
}

int practice_planned(const practice *p)
{
    return p->app->cfg.session_questions;
}

int practice_is_review(const practice *p)
{
    return p->cur_review;
}

int practice_answer_seconds(const practice *p)
{
    const bank_item *it = practice_current(p);
    return it && it->time_s ? it->time_s : p->app->cfg.answer_seconds;
}

/* ---- recording --------------------------------------------------------------------------- */

/* Why a write was refused, in words for the screen. */
static const char *write_failure(int e)
{
    switch (e) {
    case VIVA_ENOSPC:
        return "the disk is full";
    case VIVA_EPERM:
        return "the data folder cannot be written";
    case VIVA_ECORRUPT:
        return "the data file is damaged";
    default:
        return "the store refused the write";
    }
}

/* Audio writer thread: the recording belongs to it until the capture stops. */
static int sink_write(void *ctx, const int16_t *pcm, size_t frames)
{
    practice *p = ctx;
    int rc = store_rec_append(p->st, p->rec, pcm, frames);
    if (p->tap)
        p->tap(p->tap_ctx, pcm, frames);
    return rc;
}

void practice_set_tap(practice *p, void (*tap)(void *ctx, const int16_t *pcm, size_t frames),
                      void *ctx)
{
    p->tap = tap;
    p->tap_ctx = ctx;
}

void practice_answer_cut(practice *p, int64_t sample)
{
    /* The spotter's start can lag the first sound of the phrase a little: cut 0.15 s early. */
    sample -= RATE * 15 / 100;
    p->cut_at = sample > 0 ? sample : 0;
}

void practice_answer_start(practice *p, int64_t now_ms,
                           void (*notify)(void *ctx, const audio_status *st), void *ctx)
{
    if (!p->au || !p->st || p->cap)
        return;
    p->cut_at = -1;
    /* The answer is saved with its recording when the recording starts, and again with the
     * recording's end in one transaction: no kill leaves a recording no answer names. */
    if (store_rec_begin_answer(p->st, &p->resp, RATE, now_ms, &p->rec) != 0) {
        snprintf(p->notice, sizeof p->notice, "This answer is not recorded: the store refused "
                                              "a new recording (is the disk full?)");
        p->rec = NULL;
        return;
    }
    audio_capture_params cp;
    memset(&cp, 0, sizeof cp);
    cp.device = p->app->cfg.audio_input;
    /* Silence never cuts an answer short: after audio.silence_seconds the kiosk asks "Still
     * thinking?" (a pause; speech resumes the same answer) and only audio.finish_seconds
     * more of it ends the answer. */
    const viva_config *cfg = &p->app->cfg;
    cp.pause_seconds = cfg->silence_seconds;
    cp.silence_seconds = cfg->finish_seconds > 0 ? cfg->silence_seconds + cfg->finish_seconds : 0;
    cp.max_seconds = practice_answer_seconds(p);
    cp.sink = (audio_sink){p, sink_write};
    cp.notify = notify;
    cp.notify_ctx = ctx;
    char msg[256];
    if (audio_capture_start(p->au, &cp, &p->cap, msg, sizeof msg) != 0) {
        p->cap = NULL;
        /* Nothing was recorded: drop the empty recording (which also clears the answer's
         * reference to it). */
        uint64_t rec_id = store_rec_id(p->rec);
        store_rec_finish(p->st, p->rec, 0, 0);
        store_rec_delete(p->st, rec_id);
        p->resp.recording = 0;
        p->rec = NULL;
        snprintf(p->notice, sizeof p->notice, "Not recording: %.300s", msg);
        VLOG_W("audio", "%s", msg);
        return;
    }
    p->notice[0] = '\0';
}

int practice_recording(const practice *p)
{
    return p->cap != NULL;
}

void practice_answer_status(practice *p, audio_status *st)
{
    if (p->cap) {
        audio_capture_status(p->cap, st);
    } else {
        memset(st, 0, sizeof *st);
        st->rms_dbfs = st->peak_dbfs = NAN;
    }
}

void practice_answer_request_end(practice *p)
{
    if (p->cap)
        audio_capture_request_end(p->cap);
}

void practice_answer_end(practice *p, int64_t now_ms)
{
    p->resp.duration_ms = (int32_t)(now_ms - p->resp.t_ms);
    int saved = 0;
    if (p->cap) {
        audio_result res;
        audio_capture_stop(p->cap, &res);
        p->cap = NULL;
        uint64_t rec_id = store_rec_id(p->rec);
        if (p->cut_at >= 0 && p->cut_at < res.trim_end) {
            VLOG_I("practice", "end phrase cut from the recording at %.2f s",
                   p->cut_at / (double)RATE);
            res.trim_end = p->cut_at > res.trim_start ? p->cut_at : res.trim_start;
        }
        p->resp.recording = rec_id;
        p->resp.duration_ms = (int32_t)(res.frames * 1000 / RATE);
        p->resp.talk_ms = (int32_t)res.stats.talk_ms;
        p->resp.longest_pause_ms = (int32_t)res.stats.longest_pause_ms;
        p->resp.first_word_ms = (int32_t)res.stats.first_word_ms;
        /* The recording's end and the answer in one transaction. */
        int rc = store_rec_finish_answer(p->st, p->rec, (uint64_t)res.trim_start,
                                         (uint64_t)res.trim_end, &p->resp);
        p->rec = NULL;
        saved = rc == 0;
        p->sum.talk_ms += res.stats.talk_ms;
        if (res.reason == AUDIO_END_DEVICE_LOST)
            snprintf(p->notice, sizeof p->notice, "The microphone stopped (%.200s). What was "
                     "recorded is kept; recording resumes when it is back.", res.message);
        else if (res.reason == AUDIO_END_SINK_FAILED || rc != 0)
            snprintf(p->notice, sizeof p->notice, "Recording stopped: the disk is full. "
                     "Everything saved before is kept.");
    }
    int e = p->st && !saved ? store_response_put(p->st, &p->resp) : 0;
    if (e) {
        p->sum.unsaved_why = write_failure(e);
        snprintf(p->notice, sizeof p->notice, "This answer was not saved: %s.",
                 p->sum.unsaved_why);
    }
}

/* ---- grading ----------------------------------------------------------------------------- */

/* A second or later attempt at a question in this session is practice: its grade is kept with
 * it, but the ability estimate and the review card move only with the question's first attempt
 * (docs/readme/feedback.md, "Try again"). An estimate must measure what the candidate can do
 * when first asked, as in an interview: counting the best or the last of several tries would
 * inflate it and make a retry a way to erase a weak answer. */
static void grade_practice_attempt(practice *p, int grade, int64_t now_ms)
{
    p->resp.grade = grade;
    p->resp.graded_ms = now_ms;
    p->resp.theta_after = p->resp.theta_before;
    p->resp.se_after = p->resp.se_before;
    if (!p->st) {
        p->sum.unsaved_why = "answers are not being saved in this session";
        p->sum.graded++;
        return;
    }
    int e = p->resp.id ? store_response_grade(p->st, p->resp.id, grade, now_ms,
                                              p->resp.theta_after, p->resp.se_after)
                       : VIVA_ENOTFOUND;
    p->sum.graded++;
    if (e != 0) {
        if (e != VIVA_ENOTFOUND || !p->sum.unsaved_why)
            p->sum.unsaved_why = write_failure(e);
        VLOG_W("practice", "grade %d of attempt %d not saved: %s", grade, p->attempt,
               viva_strerror(e));
        snprintf(p->notice, sizeof p->notice, "Grade %d of question %d was not saved: %s.",
                 grade, p->sess.asked, p->sum.unsaved_why);
        return;
    }
    p->sum.saved++;
    VLOG_I("practice", "attempt %d graded %d (practice: the estimate is unchanged)", p->attempt,
           grade);
}

void practice_grade(practice *p, int grade, int64_t now_ms)
{
    if (p->cur < 0)
        return;
    size_t i = (size_t)p->cur;
    const bank_item *it = bank_at(p->b, i);
    int t = p->pool.topic[i];
    session_graded(&p->sess, grade, now_ms);
    if (grade < 0)
        return; /* skipped: nothing learnt, the saved answer stays ungraded */
    if (p->attempt > 1) {
        grade_practice_attempt(p, grade, now_ms);
        return;
    }
    /* What a grade the store refuses must not change: the ability and the card as they are on
     * disk, so the next question and the summary do not count it. */
    ability overall0 = p->overall, dev0 = p->dev[t];
    card_blob card0 = p->cards[i];
    int has_card0 = p->has_card[i];
    store_response resp0 = p->resp;

    ability before = ability_at(&p->overall, &p->ap, now_ms);
    ability_topic_update(&p->dev[t], &p->tp, &before, &p->pool.items[i], grade, now_ms);
    ability_update(&p->overall, &p->ap, &p->pool.items[i], grade, now_ms);
    ability ta = ability_topic_at(&p->dev[t], &p->tp, &p->overall, &p->ap, now_ms);

    if (!p->has_card[i])
        fsrs_card_new(&p->cards[i].card);
    fsrs_review(&p->cards[i].card, &p->fp, grade, now_ms);
    p->cards[i].last_grade = grade;
    p->has_card[i] = 1;
    set_due(p, i);

    p->resp.grade = grade;
    p->resp.graded_ms = now_ms;
    p->resp.theta_before = p->theta_before;
    p->resp.se_before = p->se_before;
    p->resp.theta_after = p->overall.theta;
    p->resp.se_after = p->overall.se;
    if (p->st) {
        store_ability pts[2];
        memset(pts, 0, sizeof pts);
        pts[0].profile = pts[1].profile = p->profile;
        pts[0].t_ms = pts[1].t_ms = now_ms;
        pts[0].theta = p->overall.theta;
        pts[0].se = p->overall.se;
        pts[0].n_answers = (uint32_t)p->overall.n;
        snprintf(pts[1].topic, sizeof pts[1].topic, "%s", it->topic);
        pts[1].theta = ta.theta;
        pts[1].se = ta.se;
        pts[1].n_answers = (uint32_t)p->dev[t].n;
        store_card card = card_for_store(&p->cards[i]);
        int e = store_grade_save(p->st, &p->resp, pts, 2, &card);
        if (e != 0) {
            p->sum.graded++;
            /* Not found: its answer was refused before (that reason stands). */
            if (e != VIVA_ENOTFOUND || !p->sum.unsaved_why)
                p->sum.unsaved_why = write_failure(e);
            VLOG_W("practice", "grade %d not saved: %s", grade, viva_strerror(e));
            snprintf(p->notice, sizeof p->notice, "Grade %d of question %d was not saved: %s.",
                     grade, p->sess.asked, p->sum.unsaved_why);
            p->overall = overall0;
            p->dev[t] = dev0;
            p->cards[i] = card0;
            p->has_card[i] = (unsigned char)has_card0;
            p->resp = resp0;
            set_due(p, i);
            return;
        }
        p->sum.saved++;
        /* The acknowledgement an appliance test (and an owner reading the journal) can count
         * on: logged only after the synced commit returned. */
        VLOG_I("practice", "grade %d committed: answer %llu, profile %u", grade,
               (unsigned long long)p->resp.id, (unsigned)p->profile);
    } else {
        p->sum.unsaved_why = "answers are not being saved in this session";
    }

    p->sum.graded++;
    p->sum.theta_now = p->overall.theta;
    p->sum.se_now = p->overall.se;
    const char *name = topic_name(it->topic);
    int k = 0;
    while (k < p->sum.topics && strcmp(p->sum.topic[k], name) != 0)
        k++;
    if (k < 8) {
        if (k == p->sum.topics)
            p->sum.topics++;
        p->sum.topic[k] = name;
        p->sum.topic_theta[k] = ta.theta;
        p->sum.topic_se[k] = ta.se;
        p->sum.topic_n[k]++;
    }
}

/* ---- the end ----------------------------------------------------------------------------- */

void practice_end_session(practice *p, int64_t now_ms)
{
    practice_stop_player_(p);
    if (p->st && p->session_id) {
        recalib_update(p->st, p->b, &p->pool, NULL); /* before the backup, so it has them */
        if (store_session_end(p->st, p->session_id, now_ms) != 0)
            VLOG_W("practice", "the automatic backup failed (see the log above)");
        p->session_id = 0;
    }
}

void practice_get_summary(const practice *p, practice_summary *s)
{
    *s = p->sum;
}

practice_ability practice_get_ability(const practice *p, int64_t now_ms)
{
    ability a = ability_at(&p->overall, &p->ap, now_ms);
    return (practice_ability){a.theta, a.se, p->overall.n};
}

const char *practice_notice(const practice *p)
{
    return p->notice[0] ? p->notice : NULL;
}

int practice_set_focus(practice *p, const char *slug)
{
    if (set_focus(p, slug) != 0)
        return -1;
    return practice_save_setting(p, "session.topic", slug);
}

/* ---- the analysis of an answer ------------------------------------------------------------ */

uint64_t practice_answer_id(const practice *p)
{
    return p->cur >= 0 ? p->resp.id : 0;
}

int practice_save_analysis(practice *p, uint64_t response_id, const char *json)
{
    int e = !p->st ? VIVA_EIO : !json ? VIVA_EINVAL
                                      : store_analysis_put(p->st, response_id, json, strlen(json));
    /* One log line per failure: the store logs its own failures (disk full, damage) with the
     * fix; refusals of the arguments and a run without a store are logged here. */
    if (e == VIVA_EINVAL || e == VIVA_ENOTFOUND || !p->st)
        VLOG_W("practice", "the analysis of answer %llu is not saved: %s",
               (unsigned long long)response_id,
               !p->st ? "answers cannot be saved in this run"
               : e == VIVA_ENOTFOUND ? "there is no such answer in the store"
                                     : "it is not UTF-8 JSON text of at most 64 KiB");
    return e;
}
