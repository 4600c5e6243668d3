/* practice_history.c: the practice controller's playback of answers (the current one and past
 * ones) and the queries of the home, profile and progress screens (see practice.h). */
#include "practice_int.h"

#include <cjson/cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store.h"
#include "strbuf.h"
#include "topic.h"
#include "trust_record.h"
#include "verr.h"
#include "vlog.h"

/* ---- playback ---------------------------------------------------------------------------- */

void practice_stop_player_(practice *p)
{
    if (p->player) {
        audio_player_close(p->player);
        p->player = NULL;
    }
    free(p->pcm);
    p->pcm = NULL;
    p->frames = 0;
}

/* ---- playback ---------------------------------------------------------------------------- */

static int load_answer(practice *p)
{
    if (p->pcm)
        return 0;
    if (!p->st || !p->resp.recording)
        return -1;
    int rate;
    if (store_rec_read(p->st, p->resp.recording, &p->pcm, &p->frames, &rate) != 0) {
        p->pcm = NULL;
        return -1;
    }
    return 0;
}

int practice_answer_pcm(practice *p, int16_t **pcm, size_t *frames)
{
    if (load_answer(p) != 0 || p->frames == 0)
        return -1;
    *pcm = malloc(p->frames * sizeof **pcm);
    if (!*pcm)
        return -1;
    memcpy(*pcm, p->pcm, p->frames * sizeof **pcm);
    *frames = p->frames;
    return 0;
}

const bank *practice_bank(const practice *p)
{
    return p->b;
}

int practice_has_recording(const practice *p)
{
    return p->resp.recording != 0;
}

void practice_play_toggle(practice *p)
{
    if (!p->au || load_answer(p) != 0 || p->frames == 0)
        return;
    if (!p->player) {
        char msg[256];
        if (audio_player_open(p->au, p->app->cfg.audio_output, p->pcm, p->frames, RATE,
                              &p->player, msg, sizeof msg) != 0) {
            p->player = NULL;
            snprintf(p->notice, sizeof p->notice, "Cannot play the answer: %.300s", msg);
            return;
        }
    }
    if (audio_player_playing(p->player))
        audio_player_pause(p->player);
    else
        audio_player_play(p->player);
}

void practice_seek(practice *p, double seconds)
{
    if (p->player)
        audio_player_seek(p->player, seconds);
}

void practice_play_position(practice *p, double *pos, double *len, int *playing)
{
    *pos = 0;
    *len = p->frames / (double)RATE;
    *playing = 0;
    if (p->player) {
        *pos = audio_player_position(p->player) / (double)RATE;
        *playing = audio_player_playing(p->player);
    }
}

int practice_waveform(practice *p, float *bins, int n)
{
    if (load_answer(p) != 0 || p->frames == 0 || n <= 0)
        return 0;
    for (int b = 0; b < n; b++) {
        size_t from = p->frames * (size_t)b / (size_t)n;
        size_t to = p->frames * (size_t)(b + 1) / (size_t)n;
        int peak = 0;
        for (size_t k = from; k < to; k++) {
            int v = abs(p->pcm[k]);
            if (v > peak)
                peak = v;
        }
        bins[b] = peak / 32768.0f;
    }
    return n;
}

/* ---- home, profiles, progress ------------------------------------------------------------- */

const char *practice_profile_name(const practice *p)
{
    return p->profile_name;
}

char *practice_voice(practice *p, size_t *len)
{
    *len = 0;
    if (!p->st)
        return NULL;
    store_voice v;
    int found = 0;
    int e = store_voice_get(p->st, p->profile, &v, &found);
    if (e == VIVA_ECORRUPT)
        VLOG_W("practice", "the voice adaptation of profile \"%s\" is damaged: feedback uses "
               "the generic model until the profile enrols again (viva voice enrol)",
               p->profile_name);
    if (e || !found)
        return NULL;
    *len = v.len;
    return (char *)v.data;
}

int practice_can_save(const practice *p)
{
    return p->st != NULL;
}

typedef struct {
    char (*names)[STORE_NAME_MAX + 1];
    int n, max;
} name_list;

static int on_profile(void *ctx, const store_profile *pr)
{
    name_list *l = ctx;
    if (l->n < l->max)
        snprintf(l->names[l->n++], STORE_NAME_MAX + 1, "%s", pr->name);
    return 0;
}

int practice_profiles(practice *p, char (*names)[STORE_NAME_MAX + 1], int max)
{
    name_list l = {names, 0, max};
    if (p->st)
        store_profile_list(p->st, on_profile, &l);
    return l.n;
}

int practice_reviews_due(const practice *p, int64_t now_ms)
{
    int n = 0;
    for (size_t i = 0; i < bank_count(p->b); i++)
        n += p->due_ms[i] != CAT_NO_DUE && p->due_ms[i] <= now_ms;
    return n;
}

int practice_topic_count(const practice *p)
{
    return p->ntopics;
}

const char *practice_topic_slug(const practice *p, int i)
{
    return i >= 0 && i < p->ntopics ? p->topics[i] : "";
}

typedef struct {
    practice_point *pts;
    int n, cap;
    const char *topic; /* only this topic's points ("" = overall) */
} point_list;

static int on_point(void *ctx, const store_ability *a)
{
    point_list *l = ctx;
    if (strcmp(a->topic, l->topic) != 0)
        return 0;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->pts = xrealloc(l->pts, (size_t)l->cap * sizeof *l->pts);
    }
    l->pts[l->n++] = (practice_point){a->t_ms, a->theta, a->se};
    return 0;
}

int practice_history(practice *p, const char *topic, practice_point **out)
{
    point_list l = {NULL, 0, 0, topic};
    if (p->st)
        store_ability_iter(p->st, p->profile, topic, on_point, &l);
    *out = l.pts;
    return l.n;
}

typedef struct {
    practice *p;
    practice_answer *rows;
    const char **items; /* the bank item id of each row (NULL: not in the bank) */
    int n, cap;
} answer_list;

static int on_answer(void *ctx, const store_response *r)
{
    answer_list *l = ctx;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->rows = xrealloc(l->rows, (size_t)l->cap * sizeof *l->rows);
        l->items = xrealloc(l->items, (size_t)l->cap * sizeof *l->items);
    }
    const bank_item *it = bank_find(l->p->b, r->item_id);
    practice_answer *a = &l->rows[l->n++];
    a->t_ms = r->t_ms;
    a->topic = topic_name(it ? it->topic : r->topic);
    /* An answer the store made for a recording that had none (after a crash, see store.h
     * store_repair) names no question. */
    a->question = it ? it->question
                     : !r->item_id[0] && r->recording ? "A recording saved after an "
                                                         "interruption (its question is "
                                                         "not known)"
                                                       : NULL;
    a->grade = r->grade;
    a->recording = r->recording;
    a->id = r->id;
    a->session = r->session;
    a->attempt = a->attempts = 1;
    a->analysed = a->covered = a->nkeys = 0;
    /* The bank item's id string identifies the question (NULL: not in the bank). */
    l->items[l->n - 1] = it ? it->id : NULL;
    return 0;
}

/* Key points covered and asked in an analysis (the JSON feedback_result_json writes). */
static int coverage_of(const char *json, size_t len, int *covered, int *nkeys)
{
    cJSON *o = cJSON_ParseWithLength(json, len);
    if (!o)
        return 0;
    *covered = *nkeys = 0;
    const cJSON *k;
    cJSON_ArrayForEach(k, cJSON_GetObjectItemCaseSensitive(o, "key_points"))
    {
        (*nkeys)++;
        *covered += cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(k, "covered"));
    }
    cJSON_Delete(o);
    return 1;
}

typedef struct {
    practice_answer *rows; /* in response order: ids ascend */
    int n, next;
} coverage_walk;

static int on_coverage(void *ctx, uint64_t response_id, const char *json, size_t len)
{
    coverage_walk *w = ctx;
    while (w->next < w->n && w->rows[w->next].id < response_id)
        w->next++;
    if (w->next < w->n && w->rows[w->next].id == response_id)
        w->rows[w->next].analysed =
            coverage_of(json, len, &w->rows[w->next].covered, &w->rows[w->next].nkeys);
    return 0;
}

/* Number the answers to each question (rows in response order) and count them. */
static void number_attempts(practice_answer *rows, const char **items, int n)
{
    for (int i = 0; i < n; i++) {
        if (!items[i])
            continue;
        for (int j = i + 1; j < n; j++) {
            if (items[j] == items[i]) {
                rows[j].attempt = rows[i].attempt + 1;
                break; /* j numbers the ones after it */
            }
        }
    }
    for (int i = n - 1; i >= 0; i--) {
        if (!items[i] || rows[i].attempts > 1)
            continue;
        for (int j = i - 1; j >= 0; j--)
            if (items[j] == items[i])
                rows[j].attempts = rows[i].attempt;
        rows[i].attempts = rows[i].attempt;
    }
}

/* Every answer in response order, numbered, and (with `coverage`) with its analysis's. */
static int answers_in_order(practice *p, practice_answer **out, int coverage)
{
    answer_list l = {p, NULL, NULL, 0, 0};
    if (p->st) {
        store_response_iter(p->st, p->profile, on_answer, &l);
        number_attempts(l.rows, l.items, l.n);
        coverage_walk w = {l.rows, l.n, 0};
        if (coverage)
            store_analysis_iter(p->st, p->profile, on_coverage, &w);
    }
    free(l.items);
    *out = l.rows;
    return l.n;
}

int practice_answers(practice *p, practice_answer **out)
{
    int n = answers_in_order(p, out, 1);
    practice_answer *rows = *out;
    for (int i = 0, j = n - 1; i < j; i++, j--) { /* newest first */
        practice_answer t = rows[i];
        rows[i] = rows[j];
        rows[j] = t;
    }
    return n;
}

int practice_session_answers(practice *p, practice_answer **out)
{
    int n = answers_in_order(p, out, 0), k = 0;
    practice_answer *rows = *out;
    /* After the session's end (the summary) its id is gone: it is the newest answer's session
     * when the session asked anything. */
    uint64_t sid = p->session_id ? p->session_id : n && p->sum.asked > 0 ? rows[n - 1].session : 0;
    for (int i = 0; i < n; i++)
        if (sid && rows[i].session == sid)
            rows[k++] = rows[i];
    /* Only this session's analyses are read (the summary is drawn again on every change). */
    for (int i = 0; i < k; i++) {
        char *json = NULL;
        size_t len = 0;
        int found = 0;
        if (store_analysis_get(p->st, rows[i].id, &json, &len, &found) == 0 && found && json)
            rows[i].analysed = coverage_of(json, len, &rows[i].covered, &rows[i].nkeys);
        free(json);
    }
    return k;
}

/* ---- what to practise next ---------------------------------------------------------------- */

enum { NEXT_RECENT = 10 }; /* graded answers looked at for what was missed lately */

int practice_suggest_next(practice *p, int64_t now_ms, char *buf, size_t len)
{
    buf[0] = '\0';
    /* Reviews that are due, counted per topic: the topic with the most. */
    int due[MAX_TOPICS] = {0}, total = 0, best = -1;
    for (size_t i = 0; i < bank_count(p->b); i++) {
        if (p->due_ms[i] == CAT_NO_DUE || p->due_ms[i] > now_ms)
            continue;
        const bank_item *it = bank_at(p->b, i);
        for (int t = 0; t < p->ntopics; t++) {
            if (!strcmp(p->topics[t], it->topic)) {
                due[t]++;
                total++;
                if (best < 0 || due[t] > due[best])
                    best = t;
                break;
            }
        }
    }
    if (best >= 0) {
        snprintf(buf, len, "Practise next: %s, %d question%s due for review%s",
                 topic_name(p->topics[best]), due[best], due[best] == 1 ? "" : "s",
                 total > due[best] ? " (and more in other topics)" : "");
        return 1;
    }
    /* Else what was missed or only partly right among the last graded answers: the topic with
     * the most such answers (ties: the most recent). A topic answered well is never named. */
    practice_answer *rows;
    int n = practice_answers(p, &rows), seen = 0;
    const char *topic = NULL;
    int topic_weak = 0;
    for (int i = 0; i < n && seen < NEXT_RECENT; i++) {
        if (rows[i].grade < 0 || !rows[i].topic)
            continue;
        seen++;
        if (rows[i].grade > 1)
            continue;
        int c = 0;
        for (int j = 0, s2 = 0; j < n && s2 < NEXT_RECENT; j++) {
            if (rows[j].grade < 0 || !rows[j].topic)
                continue;
            s2++;
            c += rows[j].grade <= 1 && !strcmp(rows[j].topic, rows[i].topic);
        }
        if (c > topic_weak)
            topic = rows[i].topic, topic_weak = c;
    }
    if (topic)
        snprintf(buf, len, "Practise next: %s (%d missed or partly right among your last %d "
                 "answers)", topic, topic_weak, seen);
    free(rows);
    return topic != NULL;
}

int practice_play_recording(practice *p, uint64_t rec_id)
{
    practice_stop_player_(p);
    int rate;
    if (!p->au || !p->st || store_rec_read(p->st, rec_id, &p->pcm, &p->frames, &rate) != 0) {
        p->pcm = NULL;
        p->frames = 0;
        snprintf(p->notice, sizeof p->notice, "That recording cannot be played");
        return -1;
    }
    char msg[256];
    if (audio_player_open(p->au, p->app->cfg.audio_output, p->pcm, p->frames, rate, &p->player,
                          msg, sizeof msg) != 0) {
        p->player = NULL;
        snprintf(p->notice, sizeof p->notice, "Cannot play the answer: %.300s", msg);
        return -1;
    }
    audio_player_play(p->player);
    VLOG_I("practice", "playing recording %llu (%.1f s)", (unsigned long long)rec_id,
           (double)p->frames / rate);
    return 0;
}

void practice_stop_playback(practice *p)
{
    practice_stop_player_(p);
}

audio *practice_audio(practice *p)
{
    return p->au;
}

static int contains_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return 1;
    return n == 0;
}

int practice_mic_present(practice *p, char *msg, size_t len)
{
    if (!p->app->cfg.record)
        return 1;
    if (!p->au && audio_open(&p->au, msg, len) != 0) {
        p->au = NULL;
        return 0;
    }
    practice_stop_player_(p);
    if (!p->cap)
        audio_rescan(p->au, msg, len);
    audio_device_info *list = NULL;
    int n = audio_devices(p->au, &list), found = 0, inputs = 0;
    for (int i = 0; i < n; i++) {
        if (list[i].max_input <= 0)
            continue;
        inputs++;
        found |= contains_nocase(list[i].name, p->app->cfg.audio_input);
    }
    free(list);
    if (!inputs)
        snprintf(msg, len, "No microphone is connected.");
    else if (!found)
        snprintf(msg, len, "The microphone '%s' is not connected.", p->app->cfg.audio_input);
    return found;
}

/* ---- answer feedback per session ------------------------------------------------------------ */

typedef struct {
    uint64_t *id, *session; /* response ids and their sessions, in response order */
    size_t n, cap;
    practice_feedback *out;
    int nout;
} feedback_walk;

static int on_response_session(void *ctx, const store_response *r)
{
    feedback_walk *w = ctx;
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 256;
        w->id = xrealloc(w->id, w->cap * sizeof *w->id);
        w->session = xrealloc(w->session, w->cap * sizeof *w->session);
    }
    w->id[w->n] = r->id;
    w->session[w->n] = r->session;
    w->n++;
    return 0;
}

static uint64_t session_of(const feedback_walk *w, uint64_t id)
{
    size_t lo = 0, hi = w->n; /* ids ascend in response order */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (w->id[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < w->n && w->id[lo] == id ? w->session[lo] : 0;
}

static double num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static int on_analysis(void *ctx, uint64_t response_id, const char *json, size_t len)
{
    feedback_walk *w = ctx;
    cJSON *o = cJSON_ParseWithLength(json, len);
    if (!o)
        return 0; /* the store checked it is UTF-8; a JSON it cannot read is not counted */
    uint64_t sid = session_of(w, response_id);
    int words = (int)num(o, "words");
    if (sid && words > 0) {
        if (!w->nout || w->out[w->nout - 1].session != sid) {
            w->out = xrealloc(w->out, (size_t)(w->nout + 1) * sizeof *w->out);
            memset(&w->out[w->nout], 0, sizeof w->out[0]);
            w->out[w->nout++].session = sid;
        }
        practice_feedback *f = &w->out[w->nout - 1];
        f->answers++;
        f->words += words;
        f->fillers += (int)num(o, "fillers");
        f->talk_seconds += num(o, "talk_seconds");
        const cJSON *k;
        cJSON_ArrayForEach(k, cJSON_GetObjectItemCaseSensitive(o, "key_points"))
        {
            f->keys_total++;
            f->keys_covered += cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(k, "covered"));
        }
    }
    cJSON_Delete(o);
    return 0;
}

int practice_feedback_sessions(practice *p, practice_feedback **out)
{
    feedback_walk w = {0};
    *out = NULL;
    if (!p->st)
        return 0;
    if (store_response_iter(p->st, p->profile, on_response_session, &w) == 0)
        store_analysis_iter(p->st, p->profile, on_analysis, &w);
    free(w.id);
    free(w.session);
    *out = w.out;
    return w.nout;
}

int practice_feedback_record(practice *p, feedback_record *out)
{
    if (!p->st) {
        memset(out, 0, sizeof *out);
        return 0;
    }
    return trust_record_load(p->st, p->profile, out);
}
