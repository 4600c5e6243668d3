/* run_menus.c: the kiosk's screens outside a session: choose or create a profile (with an
 * on-screen keyboard), home (start, topic focus, reviews due, last ability), settings,
 * progress (ability over time per topic, every past answer with replay) and the error screens
 * that offer a way on (no microphone, storage trouble).
 *
 * Every screen is a list the three buttons walk: previous/next move the focus, select takes
 * it; touch selects what is under the finger; Esc goes back (home quits). Settings cycle
 * through a few sensible values on select, are used at once and are kept in the store, where
 * they override the configuration files (README, Settings). Main thread only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* ---- the items of each list screen ---------------------------------------------------------- */

enum { HOME_START, HOME_TOPIC, HOME_PROGRESS, HOME_SETTINGS, HOME_PROFILE, HOME_QUIT };

enum {
    SET_THINK, SET_ANSWER, SET_QUESTIONS, SET_TOPIC, SET_SPEAK, SET_COMMANDS, SET_HANDS_FREE,
    SET_MIC, SET_SPEAKER, SET_BACK
};

static const char *onoff(int v)
{
    return v ? "on" : "off";
}

static const char *device_label(const char *name)
{
    return name[0] ? name : "system default";
}

static void list_items(run *r, item_list *l)
{
    const viva_config *c = &r->app->cfg;
    char num[32];
    memset(l, 0, sizeof *l);
    switch (r->state) {
    case ST_PROFILES:
        for (int i = 0; i < r->nprofiles && l->n < MAX_ITEMS - 1; i++)
            add_item(l, "%s", r->profiles[i]);
        add_item(l, "%s", "New profile...");
        break;
    case ST_HOME:
        add_item(l, "%s", "Start practice");
        add_item(l, "Topic: %s", focus_name(r));
        add_item(l, "%s", "Progress");
        add_item(l, "%s", "Settings");
        add_item(l, "Profile: %s", practice_profile_name(r->pr));
        add_item(l, "%s", "Quit");
        break;
    case ST_SETTINGS:
        snprintf(num, sizeof num, "%d s", c->think_seconds);
        add_item(l, "Thinking time: %s", num);
        snprintf(num, sizeof num, "%d s", c->answer_seconds);
        add_item(l, "Answer time: %s", num);
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
    case ST_ERROR:
        if (r->error == ERR_NO_MIC) {
            add_item(l, "%s", "Try again");
            add_item(l, "%s", "Practise without recording");
            add_item(l, "%s", "Settings");
            add_item(l, "%s", "Home");
        } else {
            add_item(l, "%s", "Try again");
            add_item(l, "%s", "Practise without saving");
        }
        break;
    default:
        break;
    }
}

/* ---- entering a screen ---------------------------------------------------------------------- */

static void free_progress(run *r)
{
    practice_stop_playback(r->pr);
    for (int i = 0; i < r->nseries; i++)
        free(r->pts[i]);
    free(r->answers);
    free(r->rows);
    free(r->row_when);
    r->answers = NULL;
    r->rows = NULL;
    r->row_when = NULL;
    r->nseries = r->nanswers = r->shown = 0;
    r->playing_row = -1;
}

/* One series from the store's history: time in days since the profile's first answer. */
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

static void load_progress(run *r)
{
    free_progress(r);
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
                                    a->recording != 0};
    }
}

void menus_enter(run *r, run_state s)
{
    if (r->state == ST_PROGRESS && s != ST_PROGRESS)
        free_progress(r);
    if (s != r->state || s == ST_HOME)
        r->focus = 0;
    r->state = s;
    r->menu_notice[0] = '\0';
    if (s == ST_PROFILES) {
        r->nprofiles = practice_profiles(r->pr, r->profiles, RUN_MAX_PROFILES);
        for (int i = 0; i < r->nprofiles; i++)
            if (strcmp(r->profiles[i], practice_profile_name(r->pr)) == 0)
                r->focus = i;
    } else if (s == ST_KEYBOARD) {
        r->typed[0] = '\0';
        r->typed_on_keyboard = 0;
        SDL_StartTextInput();
    } else if (s == ST_PROGRESS) {
        load_progress(r);
        r->focus = SCREEN_PROGRESS_GRAPH;
    }
    if (s != ST_KEYBOARD)
        SDL_StopTextInput();
    /* On home and the error screens "start practice" works as Enter on the first item. */
    run_listen(r, s == ST_HOME || s == ST_ERROR ? SPEECH_CTX_IDLE : 0);
}

/* ---- acting on the focused item --------------------------------------------------------------- */

/* The next value of `cur` in an ascending list of presets (wrapping round). */
static int next_preset(const int *v, int n, int cur)
{
    for (int i = 0; i < n; i++)
        if (v[i] > cur)
            return v[i];
    return v[0];
}

static void save_int(run *r, const char *key, int value)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%d", value);
    if (practice_save_setting(r->pr, key, buf) != 0)
        snprintf(r->menu_notice, sizeof r->menu_notice, "%s could not be changed", key);
}

static void cycle_topic(run *r)
{
    int n = practice_topic_count(r->pr), at = -1;
    for (int i = 0; i < n; i++)
        if (strcmp(practice_topic_slug(r->pr, i), r->app->cfg.topic_focus) == 0)
            at = i;
    const char *next = at + 1 < n ? practice_topic_slug(r->pr, at + 1) : "";
    if (practice_set_focus(r->pr, next) != 0)
        snprintf(r->menu_notice, sizeof r->menu_notice, "The topic could not be kept");
}

/* The device after the configured one among the inputs (or outputs); "" (the system default)
 * comes before the first. */
static void cycle_device(run *r, int input)
{
    audio *a = practice_audio(r->pr);
    const char *key = input ? "audio.input" : "audio.output";
    const char *cur = input ? r->app->cfg.audio_input : r->app->cfg.audio_output;
    audio_device_info *list = NULL;
    int n = a ? audio_devices(a, &list) : 0, pick = -1, seen_cur = cur[0] == '\0';
    for (int i = 0; i < n && pick < 0; i++) {
        if ((input ? list[i].max_input : list[i].max_output) <= 0)
            continue;
        if (seen_cur)
            pick = i;
        else if (strcmp(list[i].name, cur) == 0)
            seen_cur = 1;
    }
    if (practice_save_setting(r->pr, key, pick >= 0 ? list[pick].name : "") != 0)
        snprintf(r->menu_notice, sizeof r->menu_notice, "The device could not be changed");
    if (n == 0)
        snprintf(r->menu_notice, sizeof r->menu_notice, "No audio devices are connected");
    free(list);
    run_hands_reopen(r);
}

static void settings_select(run *r, Uint32 now)
{
    const viva_config *c = &r->app->cfg;
    static const int think[] = {0, 5, 10, 20, 30, 60};
    static const int answer[] = {30, 60, 90, 120, 180, 300};
    static const int questions[] = {3, 5, 10, 15, 20, 30};
    switch (r->focus) {
    case SET_THINK:
        save_int(r, "session.think_seconds", next_preset(think, 6, c->think_seconds));
        break;
    case SET_ANSWER:
        save_int(r, "session.answer_seconds", next_preset(answer, 6, c->answer_seconds));
        break;
    case SET_QUESTIONS:
        save_int(r, "session.questions", next_preset(questions, 6, c->session_questions));
        break;
    case SET_TOPIC:
        cycle_topic(r);
        break;
    case SET_SPEAK:
        practice_save_setting(r->pr, "speech.enabled", c->speech_enabled ? "false" : "true");
        run_hands_reopen(r);
        break;
    case SET_COMMANDS:
        practice_save_setting(r->pr, "speech.commands", c->speech_commands ? "false" : "true");
        run_hands_reopen(r);
        break;
    case SET_HANDS_FREE:
        practice_save_setting(r->pr, "speech.hands_free", c->hands_free ? "false" : "true");
        break;
    case SET_MIC:
        cycle_device(r, 1);
        break;
    case SET_SPEAKER:
        cycle_device(r, 0);
        break;
    default:
        if (r->back_to == ST_ERROR)
            run_begin_session(r, now); /* came from "no microphone": check again */
        else
            menus_enter(r, ST_HOME);
        break;
    }
}

static void profiles_select(run *r)
{
    if (r->focus >= r->nprofiles) {
        menus_enter(r, ST_KEYBOARD);
        return;
    }
    char name[STORE_NAME_MAX + 1];
    snprintf(name, sizeof name, "%s", r->profiles[r->focus]);
    if (strcmp(name, practice_profile_name(r->pr)) == 0 || run_switch_profile(r, name) == 0)
        menus_enter(r, ST_HOME);
    else
        r->state = ST_PROFILES; /* menu_notice says why */
}

static void keyboard_key(run *r, int key)
{
    size_t len = strlen(r->typed);
    if (key == SCREEN_KB_DELETE) {
        menus_type(r, "\b");
    } else if (key == SCREEN_KB_CANCEL) {
        menus_enter(r, ST_PROFILES);
    } else if (key == SCREEN_KB_DONE) {
        /* Names are kept as typed, without spaces at either end. */
        while (len && r->typed[len - 1] == ' ')
            r->typed[--len] = '\0';
        const char *name = r->typed + strspn(r->typed, " ");
        if (!name[0]) {
            snprintf(r->menu_notice, sizeof r->menu_notice, "Type a name first");
            return;
        }
        char keep[STORE_NAME_MAX + 1];
        snprintf(keep, sizeof keep, "%s", name);
        if (run_switch_profile(r, keep) == 0) {
            menus_enter(r, ST_HOME);
        } else {
            char why[320];
            snprintf(why, sizeof why, "%s", r->menu_notice);
            menus_enter(r, ST_KEYBOARD);
            snprintf(r->menu_notice, sizeof r->menu_notice, "%s", why);
        }
    } else {
        char s[2] = {(char)key, '\0'};
        menus_type(r, s);
    }
}

static void progress_select(run *r)
{
    if (r->focus == SCREEN_PROGRESS_GRAPH) {
        if (r->nseries)
            r->shown = (r->shown + 1) % r->nseries;
    } else if (r->focus == SCREEN_PROGRESS_BACK) {
        menus_enter(r, ST_HOME);
    } else if (r->focus >= 0 && r->focus < r->nanswers) {
        const practice_answer *a = &r->answers[r->focus];
        double pos, len;
        int playing;
        practice_play_position(r->pr, &pos, &len, &playing);
        r->menu_notice[0] = '\0';
        if (r->playing_row == r->focus && playing) {
            practice_stop_playback(r->pr);
            r->playing_row = -1;
        } else if (!a->recording) {
            snprintf(r->menu_notice, sizeof r->menu_notice, "That answer has no recording");
        } else if (practice_play_recording(r->pr, a->recording) == 0) {
            r->playing_row = r->focus;
        } else {
            snprintf(r->menu_notice, sizeof r->menu_notice, "%s",
                     practice_notice(r->pr) ? practice_notice(r->pr)
                                            : "That recording cannot be played");
        }
    }
}

/* Progress focus order for previous/next: graph, answers newest first, Back. */
static void progress_move(run *r, int dir)
{
    int order = r->focus == SCREEN_PROGRESS_GRAPH  ? -1
                : r->focus == SCREEN_PROGRESS_BACK ? r->nanswers
                                                   : r->focus;
    order += dir;
    if (order < -1)
        order = r->nanswers;
    if (order > r->nanswers)
        order = -1;
    r->focus = order == -1          ? SCREEN_PROGRESS_GRAPH
               : order == r->nanswers ? SCREEN_PROGRESS_BACK
                                      : order;
}

static void error_select(run *r, Uint32 now)
{
    if (r->error == ERR_NO_MIC) {
        switch (r->focus) {
        case 0:
            run_begin_session(r, now);
            break;
        case 1: /* this session only: the setting itself is left as it is */
            r->app->cfg.record = 0;
            run_start_questions(r, now);
            break;
        case 2:
            menus_enter(r, ST_SETTINGS);
            r->back_to = ST_ERROR;
            break;
        default:
            menus_enter(r, ST_HOME);
            break;
        }
        return;
    }
    if (r->focus == 0) {
        char name[STORE_NAME_MAX + 1];
        snprintf(name, sizeof name, "%s", practice_profile_name(r->pr));
        run_switch_profile(r, name);
        if (!r->pr)
            return;
        if (practice_can_save(r->pr)) {
            menus_enter(r, ST_HOME);
        } else {
            snprintf(r->error_body, sizeof r->error_body, "%s",
                     r->notice0[0] ? r->notice0 : "Answers still cannot be saved.");
            menus_enter(r, ST_ERROR);
        }
    } else {
        menus_enter(r, ST_HOME); /* practice goes on; nothing is saved */
    }
}

static int list_len(run *r)
{
    if (r->state == ST_KEYBOARD)
        return screen_keyboard_nkeys();
    item_list l;
    list_items(r, &l);
    return l.n;
}

void menus_act(run *r, action a, Uint32 now)
{
    if (r->state == ST_PROGRESS) {
        if (a == ACT_NEXT || a == ACT_PREV)
            progress_move(r, a == ACT_NEXT ? 1 : -1);
        else if (a == ACT_SELECT || (a == ACT_PLAY && r->focus >= 0))
            progress_select(r);
        else if (a == ACT_BACK)
            menus_enter(r, ST_HOME);
        return;
    }
    int n = list_len(r);
    if (a == ACT_NEXT) {
        r->focus = (r->focus + 1) % n;
    } else if (a == ACT_PREV) {
        r->focus = (r->focus + n - 1) % n;
    } else if (a == ACT_BACK) {
        if (r->state == ST_HOME)
            r->running = 0;
        else if (r->state == ST_KEYBOARD)
            menus_enter(r, ST_PROFILES);
        else if (r->state == ST_SETTINGS && r->back_to == ST_ERROR)
            menus_enter(r, ST_ERROR);
        else
            menus_enter(r, ST_HOME);
    } else if (a == ACT_SELECT) {
        switch (r->state) {
        case ST_PROFILES:
            profiles_select(r);
            break;
        case ST_KEYBOARD:
            keyboard_key(r, screen_keyboard_key(r->focus));
            break;
        case ST_HOME:
            if (r->focus == HOME_START) {
                run_begin_session(r, now);
            } else if (r->focus == HOME_TOPIC) {
                cycle_topic(r);
            } else if (r->focus == HOME_PROGRESS) {
                menus_enter(r, ST_PROGRESS);
            } else if (r->focus == HOME_SETTINGS) {
                menus_enter(r, ST_SETTINGS);
                r->back_to = ST_HOME;
            } else if (r->focus == HOME_PROFILE) {
                menus_enter(r, ST_PROFILES);
            } else {
                r->running = 0;
            }
            break;
        case ST_SETTINGS:
            settings_select(r, now);
            break;
        case ST_ERROR:
            error_select(r, now);
            break;
        default:
            break;
        }
    }
}

void menus_voice(run *r, int cmd, Uint32 now)
{
    if (cmd != SPEECH_CMD_START)
        return;
    if (r->state == ST_HOME)
        run_begin_session(r, now);
    else if (r->state == ST_ERROR) {
        r->focus = 0;
        menus_act(r, ACT_SELECT, now);
    }
}

void menus_type(run *r, const char *text)
{
    size_t len = strlen(r->typed);
    if (strcmp(text, "\b") == 0) {
        /* Delete one UTF-8 character: drop continuation bytes, then its lead byte. */
        while (len && ((unsigned char)r->typed[len - 1] & 0xC0) == 0x80)
            r->typed[--len] = '\0';
        if (len)
            r->typed[--len] = '\0';
        return;
    }
    for (const char *c = text; *c; c++)
        if ((unsigned char)*c < 32 || *c == 127)
            return; /* no control characters in a name */
    if (len + strlen(text) <= STORE_NAME_MAX)
        memcpy(r->typed + len, text, strlen(text) + 1);
    else
        snprintf(r->menu_notice, sizeof r->menu_notice, "A name has at most %d bytes",
                 STORE_NAME_MAX);
}

/* ---- drawing ----------------------------------------------------------------------------------- */

static const char *menu_hint(const run *r, char *buf, size_t len)
{
    static const int start_cmd[] = {SPEECH_CMD_START};
    const char *keys = r->state == ST_HOME ? "Up/Down: choose · Enter: select · Esc: quit"
                                           : "Up/Down: choose · Enter: select · Esc: back";
    if (r->state == ST_HOME || r->state == ST_ERROR)
        return run_voice_hint(r, keys, start_cmd, 1, buf, len);
    return keys;
}

static void menu_view_of(run *r, item_list *l, menu_view *v, char *hint, size_t hlen)
{
    list_items(r, l);
    memset(v, 0, sizeof *v);
    v->items = l->ptr;
    v->nitems = l->n;
    v->focus = r->focus;
    v->hint = menu_hint(r, hint, hlen);
    v->notice = r->menu_notice[0] ? r->menu_notice : NULL;
    switch (r->state) {
    case ST_PROFILES:
        v->title = "Who is practising?";
        v->subtitle = "Choose your profile, or make a new one";
        break;
    case ST_SETTINGS:
        v->title = "Settings";
        v->subtitle = "Select changes a setting; it is kept for next time";
        break;
    case ST_ERROR:
        v->title = r->error == ERR_NO_MIC ? "No microphone" : "Answers cannot be saved";
        v->body = r->error_body;
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

static void progress_view_of(run *r, progress_view *v, char *title, char *label, size_t len)
{
    memset(v, 0, sizeof *v);
    snprintf(title, len, "Progress: %s", practice_profile_name(r->pr));
    v->title = title;
    if (r->nseries) {
        int s = r->shown;
        v->series = (progress_series){r->series_name[s], r->pts[s], r->npts[s]};
        snprintf(label, len, "%s (%d of %d)", r->series_name[s], s + 1, r->nseries);
        v->series_label = label;
    }
    v->rows = r->rows;
    v->nrows = r->nanswers;
    v->focus = r->focus;
    v->playing_row = -1;
    double pos, plen;
    int playing;
    practice_play_position(r->pr, &pos, &plen, &playing);
    if (playing && r->playing_row >= 0) {
        v->playing_row = r->playing_row;
        v->play_pos = pos;
        v->play_len = plen;
    }
    v->notice = r->menu_notice[0] ? r->menu_notice : NULL;
    v->hint = r->focus == SCREEN_PROGRESS_GRAPH
                  ? "Enter: next topic · Up/Down: answers · Esc: back"
                  : "Enter: play this answer · Up/Down: choose · Esc: back";
}

void menus_draw(run *r, Uint32 now)
{
    (void)now;
    char hint[320];
    if (r->state == ST_KEYBOARD) {
        keyboard_view v = {
            .title = "New profile: type a name",
            .text = r->typed,
            .focus = r->focus,
            .notice = r->menu_notice[0] ? r->menu_notice : NULL,
            .hint = "Type, or choose keys with Left/Right and Enter · Esc: back",
        };
        screen_keyboard(r->u, &v);
    } else if (r->state == ST_PROGRESS) {
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

action menus_touch(run *r, int x, int y)
{
    int hit = -1;
    if (r->state == ST_KEYBOARD) {
        hit = screen_keyboard_hit(r->u, x, y);
    } else if (r->state == ST_PROGRESS) {
        progress_view v;
        char title[STORE_NAME_MAX + 32], label[96];
        progress_view_of(r, &v, title, label, sizeof label);
        hit = screen_progress_hit(r->u, &v, x, y);
        if (hit == -1)
            return ACT_NONE;
        r->focus = hit;
        return ACT_SELECT;
    } else {
        item_list l;
        menu_view v;
        char hint[320];
        menu_view_of(r, &l, &v, hint, sizeof hint);
        hit = screen_menu_hit(r->u, &v, x, y);
    }
    if (hit < 0)
        return ACT_NONE;
    r->focus = hit;
    return ACT_SELECT;
}

int menus_animating(run *r)
{
    double pos, len;
    int playing = 0;
    practice_play_position(r->pr, &pos, &len, &playing);
    return playing;
}

void menus_free(run *r)
{
    if (r->pr)
        free_progress(r);
}
