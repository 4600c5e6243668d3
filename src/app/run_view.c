/* run_view.c: the kiosk's screens drawn from the machine's model (src/kiosk) and the
 * practice's data: menus (profiles, home, settings, errors), the name keyboard, progress,
 * the question, review and summary screens. Drawing decides nothing; touches are mapped back
 * to the kiosk's targets by the same layout. Main thread only. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "describe.h"
#include "run.h"
#include "topic.h"
#include "vlog.h"

enum { MAX_ITEMS = 16, ITEM_LEN = 288 };

typedef struct {
    char text[MAX_ITEMS][ITEM_LEN];
    const char *ptr[MAX_ITEMS];
    int n;
    char subtitle[200];
} item_list;

static void add_item(item_list *l, const char *fmt, const char *value)
{
    if (l->n >= MAX_ITEMS)
        return;
    snprintf(l->text[l->n], ITEM_LEN, fmt, value);
    l->ptr[l->n] = l->text[l->n];
    l->n++;
}

static const char *focus_name(const run *r)
{
    const char *f = r->app->cfg.topic_focus;
    return f[0] ? topic_name(f) : "all topics";
}

static const char *onoff(int v)
{
    return v ? "on" : "off";
}

static const char *device_label(const char *name)
{
    return name[0] ? name : "system default";
}

/* Settings, KIOSK_SET_PAUSE: what a long silence in an answer does. */
static void add_pause_item(item_list *l, const viva_config *c)
{
    char text[96];
    if (c->finish_seconds > 0)
        snprintf(text, sizeof text, "ask after %g s, finish %g s later", c->silence_seconds,
                 c->finish_seconds);
    else
        snprintf(text, sizeof text, "ask after %g s, never finish by itself",
                 c->silence_seconds);
    add_item(l, "Pause in an answer: %s", text);
}

/* The items of each list screen, in the order of the kiosk's KIOSK_HOME_* / KIOSK_SET_*. */
static void list_items(const run *r, item_list *l)
{
    const viva_config *c = &r->app->cfg;
    char num[32];
    memset(l, 0, sizeof *l);
    switch (r->k.screen) {
    case KIOSK_PROFILES:
        for (int i = 0; i < r->nprofiles && l->n < MAX_ITEMS - 1; i++)
            add_item(l, "%s", r->profiles[i]);
        add_item(l, "%s", "New profile...");
        break;
    case KIOSK_HOME:
        if (r->k.confirm_quit) { /* the quit question: Stay first (kiosk.h) */
            add_item(l, "%s", "Stay");
            add_item(l, "%s", "Quit viva");
            break;
        }
        add_item(l, "%s", "Start practice");
        add_item(l, "Topic: %s", focus_name(r));
        add_item(l, "%s", "Progress");
        add_item(l, "%s", "Settings");
        add_item(l, "Profile: %s", practice_profile_name(r->pr));
        add_item(l, "%s", "Quit");
        break;
    case KIOSK_SETTINGS:
        snprintf(num, sizeof num, "%d s", c->think_seconds);
        add_item(l, "Thinking time: %s", num);
        snprintf(num, sizeof num, "%d s", c->answer_seconds);
        add_item(l, "Answer time: %s", num);
        add_pause_item(l, c);
        snprintf(num, sizeof num, "%d", c->session_questions);
        add_item(l, "Questions per session: %s", num);
        add_item(l, "Topic: %s", focus_name(r));
        add_item(l, "Read questions aloud: %s", onoff(c->speech_enabled));
        add_item(l, "Voice commands: %s", onoff(c->speech_commands));
        add_item(l, "Hands-free: %s", onoff(c->hands_free));
        add_item(l, "Microphone: %s", device_label(c->audio_input));
        add_item(l, "Speaker: %s", device_label(c->audio_output));
        add_item(l, "%s", "Back");
        break;
    case KIOSK_ERROR:
        add_item(l, "%s", "Try again");
        if (r->k.error == KIOSK_ERR_NO_MIC) {
            add_item(l, "%s", "Practise without recording");
            add_item(l, "%s", "Settings");
            add_item(l, "%s", "Home");
        } else {
            add_item(l, "%s", "Practise without saving");
        }
        break;
    default:
        break;
    }
}

/* ---- progress data ---------------------------------------------------------------------------- */

void run_free_progress(run *r)
{
    free(r->sessions);
    r->sessions = NULL;
    r->nsessions = 0;
    for (int i = 0; i < r->nseries; i++)
        free(r->pts[i]);
    free(r->answers);
    free(r->rows);
    free(r->row_when);
    r->answers = NULL;
    r->rows = NULL;
    r->row_when = NULL;
    r->nseries = r->nanswers = 0;
}

/* One series from the store's history: time in days since the profile's first answer (the
 * unit of progress_point; minutes here once made two minutes read as "1 day later"). */
static void add_series(run *r, const char *slug, const char *name, int64_t t0)
{
    if (r->nseries >= RUN_MAX_SERIES)
        return;
    practice_point *pp;
    int n = practice_history(r->pr, slug, &pp);
    if (n == 0 && slug[0]) {
        free(pp);
        return;
    }
    progress_point *out = malloc((size_t)(n ? n : 1) * sizeof *out);
    if (!out) {
        free(pp);
        return;
    }
    for (int i = 0; i < n; i++)
        out[i] = (progress_point){(pp[i].t_ms - t0) / 86400000.0, pp[i].theta, pp[i].se};
    free(pp);
    r->pts[r->nseries] = out;
    r->npts[r->nseries] = n;
    r->series_name[r->nseries] = slug[0] ? name : "Overall";
    r->nseries++;
}

void run_load_sessions(run *r)
{
    free(r->sessions);
    r->sessions = NULL;
    r->nsessions = 0;
    practice_feedback *f;
    int n = practice_feedback_sessions(r->pr, &f);
    if (n > 0 && (r->sessions = malloc((size_t)n * sizeof *r->sessions)) != NULL) {
        for (int i = 0; i < n; i++) {
            double minutes = f[i].talk_seconds / 60.0;
            r->sessions[i] = (session_figures){
                f[i].keys_total ? (double)f[i].keys_covered / f[i].keys_total : -1,
                minutes > 0 ? f[i].words / minutes : 0,
                minutes > 0 && f[i].fillers > 0 ? f[i].fillers / minutes : -1, /* 0: unheard */
            };
        }
        r->nsessions = n;
    }
    free(f);
}

/* What the estimate means, in the bank's terms: the overall level, the strongest and weakest
 * topic and what to practise next (engine/describe.h). */
static void describe_progress(run *r)
{
    practice_ability ab = practice_get_ability(r->pr, run_wall_ms());
    describe_level(ab.theta, ab.answered ? ab.se : 1.0, r->level_text, sizeof r->level_text);
    describe_topic t[RUN_MAX_SERIES];
    int n = 0;
    for (int i = 0; i < practice_topic_count(r->pr) && n < RUN_MAX_SERIES; i++) {
        const char *slug = practice_topic_slug(r->pr, i);
        practice_point *pp;
        int np = practice_history(r->pr, slug, &pp);
        if (np > 0) {
            const char *name = topic_name(slug);
            int graded = 0;
            for (int a = 0; a < r->nanswers; a++)
                graded += r->answers[a].grade >= 0 && r->answers[a].topic &&
                          strcmp(r->answers[a].topic, name) == 0;
            t[n++] = (describe_topic){name, pp[np - 1].theta, pp[np - 1].se, graded};
        }
        free(pp);
    }
    describe_topics(t, n, DESCRIBE_MIN_ANSWERS, r->topics_text, sizeof r->topics_text,
                    r->next_text, sizeof r->next_text);
    /* What is due or was missed comes before the estimate's weakest topic. */
    char next[sizeof r->next_text];
    if (practice_suggest_next(r->pr, run_wall_ms(), next, sizeof next))
        snprintf(r->next_text, sizeof r->next_text, "%s", next);
}

void run_load_progress(run *r)
{
    run_free_progress(r);
    r->nanswers = practice_answers(r->pr, &r->answers);
    int64_t t0 = r->nanswers ? r->answers[r->nanswers - 1].t_ms : 0;
    add_series(r, "", "Overall", t0);
    for (int i = 0; i < practice_topic_count(r->pr); i++) {
        const char *slug = practice_topic_slug(r->pr, i);
        add_series(r, slug, topic_name(slug), t0);
    }
    size_t n = (size_t)(r->nanswers ? r->nanswers : 1);
    r->rows = calloc(n, sizeof *r->rows);
    r->row_when = calloc(n, sizeof *r->row_when);
    if (!r->rows || !r->row_when) {
        r->nanswers = 0;
        return;
    }
    for (int i = 0; i < r->nanswers; i++) {
        const practice_answer *a = &r->answers[i];
        time_t t = (time_t)(a->t_ms / 1000);
        struct tm tm;
        localtime_r(&t, &tm);
        strftime(r->row_when[i], sizeof r->row_when[i], "%d %b %H:%M", &tm);
        r->rows[i] = (progress_row){r->row_when[i], a->topic, a->question, a->grade,
                                    a->recording != 0, a->attempt, a->attempts, a->analysed,
                                    a->covered, a->nkeys};
    }
    describe_progress(r);
    run_load_sessions(r);
}

/* ---- views of the menus ----------------------------------------------------------------------- */

static const char *menu_hint(const run *r, char *buf, size_t len)
{
    static const int start_cmd[] = {SPEECH_CMD_START};
    kiosk_screen s = r->k.screen;
    if (s == KIOSK_HOME && r->k.confirm_quit)
        return "Up/Down: choose · Enter: select · Esc: stay";
    const char *keys = s == KIOSK_HOME ? "Up/Down: choose · Enter: select · Esc: quit"
                                       : "Up/Down: choose · Enter: select · Esc: back";
    if (s == KIOSK_HOME || s == KIOSK_ERROR)
        return run_voice_hint(r, keys, start_cmd, 1, buf, len);
    return keys;
}

static const char *notice_of(const run *r)
{
    return r->k.notice[0] ? r->k.notice : NULL;
}

static void menu_view_of(const run *r, item_list *l, menu_view *v, char *hint, size_t hlen)
{
    list_items(r, l);
    memset(v, 0, sizeof *v);
    v->items = l->ptr;
    v->nitems = l->n;
    v->focus = r->k.focus;
    v->hint = menu_hint(r, hint, hlen);
    v->notice = notice_of(r);
    if (r->k.screen == KIOSK_HOME && r->k.confirm_quit) {
        v->focus = r->k.confirm_focus;
        v->title = "Quit viva?";
        v->subtitle = "Your answers are saved. Stay to go on practising.";
        v->notice = NULL;
        return;
    }
    switch (r->k.screen) {
    case KIOSK_PROFILES:
        v->title = "Who is practising?";
        v->subtitle = "Choose your profile, or make a new one";
        break;
    case KIOSK_SETTINGS:
        v->title = "Settings";
        v->subtitle = "Select changes a setting; it is kept for next time";
        break;
    case KIOSK_ERROR:
        v->title = r->k.error == KIOSK_ERR_NO_MIC ? "No microphone" : "Answers cannot be saved";
        v->body = r->k.error_body;
        break;
    default: {
        v->title = "viva";
        int64_t now = run_wall_ms();
        practice_ability ab = practice_get_ability(r->pr, now);
        int due = practice_reviews_due(r->pr, now);
        if (ab.answered)
            snprintf(l->subtitle, sizeof l->subtitle,
                     "%s  ·  ability %+.2f ± %.2f after %d answer%s  ·  %d review%s due",
                     practice_profile_name(r->pr), ab.theta, ab.se, ab.answered,
                     ab.answered == 1 ? "" : "s", due, due == 1 ? "" : "s");
        else
            snprintf(l->subtitle, sizeof l->subtitle,
                     "%s  ·  no answers yet: your first session sets the level",
                     practice_profile_name(r->pr));
        v->subtitle = l->subtitle;
        if (!v->notice && r->notice0[0])
            v->notice = r->notice0;
        break;
    }
    }
}

static void progress_view_of(const run *r, progress_view *v, char *title, char *label,
                             size_t len)
{
    memset(v, 0, sizeof *v);
    snprintf(title, len, "Progress: %s", practice_profile_name(r->pr));
    v->title = title;
    if (r->nseries) {
        int s = r->k.series < r->nseries ? r->k.series : 0;
        v->series = (progress_series){r->series_name[s], r->pts[s], r->npts[s]};
        snprintf(label, len, "%s (%d of %d)", r->series_name[s], s + 1, r->nseries);
        v->series_label = label;
    }
    v->rows = r->rows;
    v->nrows = r->nanswers;
    v->focus = r->k.focus;
    v->playing_row = -1;
    double pos, plen;
    int playing;
    practice_play_position(r->pr, &pos, &plen, &playing);
    if (playing && r->k.playing_row >= 0) {
        v->playing_row = r->k.playing_row;
        v->play_pos = pos;
        v->play_len = plen;
    }
    v->notice = notice_of(r);
    v->level_text = r->level_text[0] ? r->level_text : NULL;
    v->topics_text = r->topics_text[0] ? r->topics_text : NULL;
    v->next_text = r->next_text[0] ? r->next_text : NULL;
    v->sessions = r->sessions;
    v->nsessions = r->nsessions;
    v->hint = r->k.focus == KIOSK_PROGRESS_GRAPH  ? "Enter: next topic · Up/Down: answers · Esc: back"
              : r->k.focus == KIOSK_PROGRESS_BACK ? "Enter or Esc: back to home · Up/Down: choose"
              : r->k.playing_row == r->k.focus && r->k.playing
                  ? "Enter: stop playing · Up/Down: choose · Esc: back"
                  : "Enter: play this answer · Up/Down: choose · Esc: back";
}

static void draw_menus(run *r)
{
    char hint[320];
    if (r->k.screen == KIOSK_KEYBOARD) {
        keyboard_view v = {
            .title = "New profile: type a name",
            .text = r->k.typed,
            .focus = r->k.focus,
            .notice = notice_of(r),
            .hint = "Type, or choose keys with the arrow keys and Enter · Esc: back",
        };
        screen_keyboard(r->u, &v);
    } else if (r->k.screen == KIOSK_PIN) {
        run_pin_draw(r);
    } else if (r->k.screen == KIOSK_PROGRESS) {
        progress_view v;
        char title[STORE_NAME_MAX + 32], label[96];
        progress_view_of(r, &v, title, label, sizeof label);
        screen_progress(r->u, &v);
    } else {
        item_list l;
        menu_view v;
        menu_view_of(r, &l, &v, hint, sizeof hint);
        screen_menu(r->u, &v);
    }
}

/* ---- the recovery screen ---------------------------------------------------------------------- */

typedef struct {
    const char *items[SCREEN_RECOVER_MAX];
    char restore_item[120], body[600], check_cmd[PATH_MAX + 64], restore_cmd[2 * PATH_MAX + 96];
    const char *details[10];
} recover_text;

/* What happened, in one sentence a candidate understands. */
static const char *refusal_sentence(kiosk_refusal why)
{
    switch (why) {
    case KIOSK_REFUSED_DAMAGED:
        return "The file that keeps the saved answers is damaged, so viva cannot read it.";
    case KIOSK_REFUSED_NEWER:
        return "The saved answers were written by a newer version of viva, which this one "
               "cannot read.";
    case KIOSK_REFUSED_BUSY:
        return "Another copy of viva is using the saved answers right now.";
    default:
        return "The saved answers cannot be read from this device's storage.";
    }
}

static void recover_view_of(const run *r, recover_view *v, recover_text *t)
{
    const kiosk *k = &r->k;
    char when[64];
    run_backup_when(r->backup_ms, when, sizeof when);
    memset(v, 0, sizeof *v);
    kiosk_recover_choice ch[KIOSK_RC_MAX];
    int n = kiosk_recover_choices(k, ch);
    snprintf(t->restore_item, sizeof t->restore_item, "Restore the backup of %s", when);
    for (int i = 0; i < n && i < SCREEN_RECOVER_MAX; i++) {
        static const char *const label[] = {
            [KIOSK_RC_RETRY] = "Try again", [KIOSK_RC_PRACTISE] = "Practise without saving",
            [KIOSK_RC_DETAILS] = "Details", [KIOSK_RC_CONFIRM] = "Restore now",
            [KIOSK_RC_BACK] = "Back"};
        t->items[i] = ch[i] == KIOSK_RC_RESTORE ? t->restore_item : label[ch[i]];
    }
    v->items = t->items;
    v->nitems = n;
    v->focus = k->focus;
    v->notice = k->notice[0] ? k->notice : NULL;
    v->hint = !n ? NULL
              : n == 1                  ? "Enter: back"
              : ui_h(r->u) > ui_w(r->u) ? "Up/Down: choose · Enter: select"
                                        : "Left/Right: choose · Enter: select";
    switch (k->recover_page) {
    case KIOSK_RECOVER_CHOOSE:
        v->title = "Your saved answers cannot be opened";
        snprintf(t->body, sizeof t->body, "%s Nothing has been deleted.",
                 refusal_sentence(k->refusal));
        v->body = t->body;
        break;
    case KIOSK_RECOVER_CONFIRM:
        v->title = "Restore the newest backup?";
        snprintf(t->body, sizeof t->body,
                 "Your answers go back to how they were on %s; anything saved after that is "
                 "not in the backup. The damaged file is kept aside, not deleted.", when);
        v->body = t->body;
        break;
    case KIOSK_RECOVER_WORKING:
        v->title = "Restoring the backup...";
        v->body = "The backup is checked, then put in place. This takes a moment.";
        break;
    case KIOSK_RECOVER_DETAILS: {
        v->title = "Details for a technician";
        const char *dir = r->app->data_dir;
        snprintf(t->check_cmd, sizeof t->check_cmd, "viva --data-dir %s store check", dir);
        if (r->backup_dir[0])
            snprintf(t->restore_cmd, sizeof t->restore_cmd,
                     "systemctl stop viva; viva --data-dir %s restore %s", dir, r->backup_dir);
        else
            snprintf(t->restore_cmd, sizeof t->restore_cmd,
                     "none: no complete backup in %s/backups", dir);
        const char *d[] = {"What the store says", r->store_err[0] ? r->store_err : "-",
                           "Data folder", dir,
                           "Check the store", t->check_cmd,
                           "Restore the newest backup", t->restore_cmd};
        memcpy(t->details, d, sizeof d);
        v->details = t->details;
        v->ndetails = 4;
        break;
    }
    }
}

static void draw_recover(run *r)
{
    recover_view v;
    recover_text t = {.body = ""};
    recover_view_of(r, &v, &t);
    screen_recover(r->u, &v);
}

/* ---- views of a session ----------------------------------------------------------------------- */

/* What the session screens say of trouble: the practice's sentence about now (this answer,
 * this recording) and the machine's about before (a grade the store refused), both when both
 * are there: one must not hide the other. */
static const char *session_notice(const run *r, char *buf, size_t len)
{
    const char *now = practice_notice(r->pr), *before = r->k.notice[0] ? r->k.notice : NULL;
    if (now && before && strcmp(now, before) != 0) {
        snprintf(buf, len, "%s %s", now, before);
        return buf;
    }
    return now ? now : before ? before : r->notice0[0] ? r->notice0 : NULL;
}

/* The journal gets each sentence of trouble once, when it first shows: what a candidate was
 * told (a lost grade, a full disk) can be read back from the log. */
static const char *journal_notice(run *r, const char *text)
{
    const char *t = text ? text : "";
    if (strcmp(t, r->shown_notice) != 0) {
        snprintf(r->shown_notice, sizeof r->shown_notice, "%s", t);
        if (*t)
            VLOG_I("run", "screen notice: %s", t);
    }
    return text;
}

/* The end phrase is heard now (the answer's own stream feeds the spotter). */
static int can_hear_end(const run *r)
{
    return r->hf && hands_can_listen(r->hf) && r->k.recording &&
           r->k.listening != KIOSK_LISTEN_OFF;
}

static void draw_question(run *r)
{
    const kiosk *k = &r->k;
    const bank_item *it = practice_current(r->pr);
    char hint[320], notice[900];
    double left = (k->phase_ms - (r->now - k->phase_start_ms)) / 1000.0;
    audio_status st;
    practice_answer_status(r->pr, &st);
    static const int think_cmds[] = {SPEECH_CMD_REPEAT, SPEECH_CMD_SKIP, SPEECH_CMD_STOP};
    static const int answer_cmds[] = {SPEECH_CMD_END_ANSWER};
    const char *h = k->screen == KIOSK_SPEAK ? "Enter: skip the reading · Esc: skip this question"
                    : k->screen == KIOSK_THINK
                        ? run_voice_hint(r, "Enter: answer now · Esc: skip this question",
                                         think_cmds, 3, hint, sizeof hint)
                        : run_voice_hint(r, "Enter: end the answer · Esc: stop", answer_cmds, 1,
                                         hint, sizeof hint);
    question_view v = {
        .topic = topic_name(it->topic),
        .level = it->level,
        .question = it->question,
        .phase = k->screen == KIOSK_SPEAK   ? PHASE_SPEAK
                 : k->screen == KIOSK_THINK ? PHASE_THINK
                                            : PHASE_ANSWER,
        .seconds_left = k->screen == KIOSK_SPEAK ? 1 : left > 0 ? left : 0,
        .phase_seconds = k->screen == KIOSK_SPEAK ? 1 : k->phase_ms / 1000.0,
        .number = practice_number(r->pr),
        .total = practice_planned(r->pr),
        .recording = k->screen == KIOSK_ANSWER && k->recording,
        .level_db = st.rms_dbfs,
        .notice = st.too_quiet && k->screen == KIOSK_ANSWER
                      ? "Speak up: the microphone hears very little"
                      : journal_notice(r, session_notice(r, notice, sizeof notice)),
        .hint = h,
    };
    char prompt[160];
    if (k->screen == KIOSK_ANSWER && k->paused) {
        /* Nothing ends here: the recorder ends the answer when the countdown runs out. */
        double pl = (k->pause_ms - (r->now - k->pause_start_ms)) / 1000.0;
        int heard = can_hear_end(r);
        snprintf(prompt, sizeof prompt, "Still thinking? Keep talking, or press select to "
                 "finish%s", heard ? " (or say \"finish answer\")" : "");
        v.pause_prompt = prompt;
        v.pause_seconds = k->pause_ms / 1000.0;
        v.pause_left = pl > 0 ? pl : 0;
        if (v.seconds_left < v.pause_left) /* the time limit comes first: show that */
            v.pause_seconds = 0;
    }
    screen_question(r->u, &v);
}

/* The review's notice: trouble first; else, when a long silence ended the answer, that it
 * did (and where to change it), so an answer cut short is never a mystery. */
static const char *review_notice(const run *r, char *buf, size_t len)
{
    const char *trouble = session_notice(r, buf, len);
    if (trouble || r->answer_end != AUDIO_END_SILENCE)
        return trouble;
    const viva_config *c = &r->app->cfg;
    snprintf(buf, len, "The answer ended after %g s of silence (Settings: Pause in an answer).",
             c->silence_seconds + c->finish_seconds);
    return buf;
}

static void draw_review(run *r)
{
    const kiosk *k = &r->k;
    const bank_item *it = practice_current(r->pr);
    char hint[320], notice[900];
    double pos, len;
    int playing;
    practice_play_position(r->pr, &pos, &len, &playing);
    static const int review_cmds[] = {SPEECH_CMD_GRADE_MISSED, SPEECH_CMD_GRADE_PARTIAL,
                                      SPEECH_CMD_GRADE_SOLID,  SPEECH_CMD_GRADE_EXCELLENT,
                                      SPEECH_CMD_PLAY,         SPEECH_CMD_NEXT};
    const char *keys = k->attempt > 1 && k->selected < 0
                           ? "Left/Right: choose, then Enter · 0-3: grade · P: play · T: try again"
                             " · C: compare · Up/Down: scroll"
                       : k->selected < 0
                           ? "Left/Right: choose, then Enter · 0-3: grade · P: play · T: try again"
                                " · R: reference · Up/Down: scroll"
                       : k->selected <= 3
                           ? "Enter: save this grade · Left/Right: change · P: play · T: try "
                             "again · Up/Down: scroll"
                           : "Enter: select · Left/Right: choose · 0-3: grade · Up/Down: scroll";
    review_view v = {
        .topic = topic_name(it->topic),
        .level = it->level,
        .question = it->question,
        .keys = (const char *const *)it->keys,
        .nkeys = it->nkeys,
        .selected = k->selected,
        /* A recording with nothing in it (a full disk at its first second) is not one. */
        .has_recording = practice_has_recording(r->pr) && len > 0,
        .wave = r->nwave ? r->wave : NULL,
        .nwave = r->nwave,
        .play_pos = pos,
        .play_len = len,
        .playing = playing,
        .notice = journal_notice(r, review_notice(r, notice, sizeof notice)),
        .hint = run_voice_hint(r, keys, review_cmds, 6, hint, sizeof hint),
    };
    static const int state_of[] = {
        [KIOSK_ANALYSIS_OFF] = REVIEW_ANALYSIS_OFF,
        [KIOSK_ANALYSIS_RUNNING] = REVIEW_ANALYSIS_RUNNING,
        [KIOSK_ANALYSIS_READY] = REVIEW_ANALYSIS_READY,
        [KIOSK_ANALYSIS_NO_SPEECH] = REVIEW_ANALYSIS_NO_SPEECH,
        [KIOSK_ANALYSIS_FAILED] = REVIEW_ANALYSIS_OFF,
    };
    v.analysis_state = state_of[k->analysis];
    v.suggested = k->suggested;
    run_analysis_review(r->an, &v);
    run_review_fill(r, &v);
    if (v.pace)
        v.delivery = NULL; /* the pace and pauses lines say it in words */
    screen_review(r->u, &v);
}

static void draw_summary(run *r)
{
    char hint[320];
    practice_summary s;
    practice_get_summary(r->pr, &s);
    static const int summary_cmds[] = {SPEECH_CMD_START};
    summary_view v = {
        .asked = s.asked,
        .graded = s.graded,
        .saved = s.saved,
        .unsaved_why = s.unsaved_why,
        .theta_start = s.theta_start,
        .se_start = s.se_start,
        .theta_now = s.theta_now,
        .se_now = s.se_now,
        .talk_s = s.talk_ms / 1000.0,
        .ntopics = s.topics,
        .topic = s.topic,
        .topic_theta = s.topic_theta,
        .topic_se = s.topic_se,
        .topic_n = s.topic_n,
        .reason = r->k.end_reason,
        .hint = run_voice_hint(r, "Enter: home", summary_cmds, 1, hint, sizeof hint),
    };
    run_analysis_summary(r->an, &v);
    /* The session's questions with grade and coverage (read when drawn: the screen is drawn
     * only when something changes, and a late analysis changes it). */
    practice_answer *qa = NULL;
    int nq = practice_session_answers(r->pr, &qa);
    summary_question *sq = nq > 0 ? calloc((size_t)nq, sizeof *sq) : NULL;
    for (int i = 0; sq && i < nq; i++)
        sq[i] = (summary_question){qa[i].question, qa[i].grade, qa[i].attempt, qa[i].analysed,
                                   qa[i].covered, qa[i].nkeys};
    v.questions = sq;
    v.nquestions = sq ? nq : 0;
    /* Earlier sessions for the trend: the store's last one is this session once it has an
     * analysed answer. */
    v.prev = r->sessions;
    v.nprev = r->nsessions - (v.keys_total > 0 && r->nsessions > 0 ? 1 : 0);
    screen_summary(r->u, &v);
    free(sq);
    free(qa);
}

void run_draw(run *r)
{
    switch (r->k.screen) {
    case KIOSK_SPEAK:
    case KIOSK_THINK:
    case KIOSK_ANSWER:
        draw_question(r);
        break;
    case KIOSK_REVIEW:
        draw_review(r);
        break;
    case KIOSK_SUMMARY:
        draw_summary(r);
        break;
    case KIOSK_RECOVER:
        draw_recover(r);
        break;
    case KIOSK_COMPARE:
        run_compare_draw(r);
        break;
    default:
        draw_menus(r);
        break;
    }
}

int run_hit(run *r, int x, int y)
{
    switch (r->k.screen) {
    case KIOSK_KEYBOARD:
        return screen_keyboard_hit(r->u, x, y);
    case KIOSK_PIN:
        return screen_pin_hit(r->u, x, y);
    case KIOSK_PROGRESS: {
        progress_view v;
        char title[STORE_NAME_MAX + 32], label[96];
        progress_view_of(r, &v, title, label, sizeof label);
        return screen_progress_hit(r->u, &v, x, y);
    }
    case KIOSK_REVIEW:
        return screen_review_hit(r->u, x, y);
    case KIOSK_COMPARE:
        return screen_compare_hit(r->u, x, y);
    case KIOSK_RECOVER: {
        recover_view v;
        recover_text t = {.body = ""};
        recover_view_of(r, &v, &t);
        return screen_recover_hit(r->u, &v, x, y);
    }
    case KIOSK_SPEAK:
    case KIOSK_THINK:
    case KIOSK_ANSWER:
    case KIOSK_SUMMARY:
        return 0; /* anywhere: the same as select */
    default: {
        item_list l;
        menu_view v;
        char hint[320];
        menu_view_of(r, &l, &v, hint, sizeof hint);
        return screen_menu_hit(r->u, &v, x, y);
    }
    }
}

int run_frame_ms(run *r)
{
    switch (r->k.screen) {
    case KIOSK_SPEAK:
    case KIOSK_THINK:
    case KIOSK_ANSWER:
        return 16;
    case KIOSK_REVIEW:
        return r->k.playing ? 50 : r->k.phase_ms > 0 ? 250 : 0;
    case KIOSK_PROGRESS:
    case KIOSK_COMPARE:
        return r->k.playing ? 50 : 0;
    case KIOSK_PIN:
        return r->k.phase_ms > 0 ? 250 : 0; /* the seconds left of a delay */
    default:
        return 0;
    }
}
