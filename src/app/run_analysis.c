/* run_analysis.c: see run_analysis.h.
 *
 * One worker thread owns the recogniser (src/speech/transcribe.h): it loads the models once
 * (a few seconds, about 100 MB), then analyses saved answers one at a time from a queue. The
 * main thread hands it a copy of the recording and the question's id, and gets the job back
 * through an SDL user event; it stores the JSON with the answer and keeps the result for the
 * screens. The worker reads its own copy of the questions, so a profile switch (which reopens
 * the practice and its bank) never pulls a question from under it. */
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bank.h"
#include "feedback.h"
#include "speech_say.h"
#include "strbuf.h"
#include "verr.h"
#include "vlog.h"
#ifdef VIVA_HAVE_SPEECH
#include "transcriber.h"
#endif

#include "run_analysis.h"

typedef struct job {
    uint64_t response_id;
    char item_id[BANK_ID_MAX + 1];
    int16_t *pcm;
    size_t frames;
    char *voice;         /* the profile's voice adaptation (malloc'd), or NULL: none */
    size_t voice_len;
    int rc;              /* VIVA_OK, or the failure (no model, decoder error) */
    feedback_result res; /* filled by the worker */
    char *json;          /* malloc'd */
    int queued;          /* handed to the worker (counted in `pending`) */
    int preselect;       /* feedback_preselect's grade, or -1 (main thread) */
    int disagrees;       /* the profile keeps disagreeing with sure suggestions */
    struct job *next;
} job;

struct run_analysis {
    uint32_t event;
    int enabled;       /* 0: feedback is off (setting, no models); main thread */
    pthread_t thread;
    int started;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    job *queue, *tail; /* under lock */
    int quit, failed;  /* under lock; failed: the models did not load */
    int finished;      /* under lock: the worker has returned */
    bank *b;           /* the worker's own copy of the questions */
#ifdef VIVA_HAVE_SPEECH
    transcribe_params tp;
#endif
    char dict[PATH_MAX + 32];

    /* main thread: the answer on the review screen, and the session's totals */
    int pending; /* jobs handed to the worker whose event has not been taken yet */
    job *cur;
    const char *heard[BANK_MAX_KEYS];
    int covered[BANK_MAX_KEYS];
    char heard_text[BANK_MAX_KEYS][FEEDBACK_MAX_HEARD * (FEEDBACK_WORD_MAX + 2)];
    char delivery[200];
    int s_answers, s_covered, s_keys, s_words, s_fillers;
    double s_talk;
};

static void job_free(job *j)
{
    if (!j)
        return;
    free(j->pcm);
    free(j->voice);
    free(j->json);
    if (j->rc == VIVA_OK)
        feedback_result_free(&j->res);
    free(j);
}

static void post(run_analysis *a, job *j)
{
    pthread_mutex_lock(&a->lock);
    int quit = a->quit;
    pthread_mutex_unlock(&a->lock);
    if (quit) { /* the kiosk is closing: nobody reads the event any more */
        job_free(j);
        return;
    }
    SDL_Event e;
    memset(&e, 0, sizeof e);
    e.type = a->event;
    e.user.data1 = j; /* NULL: the models did not load */
    SDL_PushEvent(&e);
}

#ifdef VIVA_HAVE_SPEECH
/* Puts the job's voice adaptation in force when it is not already (the worker's `applied`
 * copy): a profile switch changes it, an enrolment renews it. A damaged or refused one is
 * logged and the generic model used. */
static void apply_voice(feedback_ctx *fc, job *j, char **applied)
{
    const char *want = j->voice;
    if ((!want && !*applied) || (want && *applied && !strcmp(want, *applied)))
        return;
    char err[400];
    if (feedback_adapt(fc, want, j->voice_len, err, sizeof err) != 0) {
        VLOG_W("feedback", "%s: this profile's answers are heard with the generic model", err);
        if (*applied)
            feedback_adapt(fc, NULL, 0, err, sizeof err);
        want = NULL;
    } else {
        VLOG_I("feedback", "%s", want ? "the profile's voice adaptation is in force"
                                       : "the generic model is in force (no voice adaptation)");
    }
    free(*applied);
    *applied = want ? xstrdup(want) : NULL;
}

static void *worker(void *arg)
{
    run_analysis *a = arg;
    feedback_ctx *fc = NULL;
    char *applied = NULL; /* the voice adaptation in force */
    char err[512];
    if (feedback_open(&a->tp, &fc, err, sizeof err) != 0) {
        VLOG_W("feedback", "answer feedback is off: %s", err);
        fc = NULL;
        pthread_mutex_lock(&a->lock);
        a->failed = 1;
        pthread_mutex_unlock(&a->lock);
        post(a, NULL);
    } else {
        VLOG_I("feedback", "answer feedback ready");
    }
    for (;;) {
        pthread_mutex_lock(&a->lock);
        while (!a->quit && !a->queue)
            pthread_cond_wait(&a->wake, &a->lock);
        if (a->quit) {
            pthread_mutex_unlock(&a->lock);
            break;
        }
        job *j = a->queue;
        a->queue = j->next;
        if (!a->queue)
            a->tail = NULL;
        pthread_mutex_unlock(&a->lock);
        j->next = NULL;
        if (!fc) {
            j->rc = VIVA_ENOTFOUND;
        } else {
            const bank_item *it = bank_find(a->b, j->item_id);
            apply_voice(fc, j, &applied);
            j->rc = feedback_analyse(fc, it, j->pcm, j->frames, &j->res);
            strbuf sb = {0};
            feedback_result_json(&j->res, &sb);
            j->json = sb_take(&sb);
        }
        free(j->pcm);
        j->pcm = NULL;
        post(a, j);
    }
    feedback_close(fc);
    free(applied);
    pthread_mutex_lock(&a->lock);
    a->finished = 1;
    pthread_cond_broadcast(&a->wake);
    pthread_mutex_unlock(&a->lock);
    return NULL;
}
#endif


void run_analysis_open(const viva_app *app, const bank *questions, uint32_t event,
                       run_analysis **out)
{
    run_analysis *a = calloc(1, sizeof *a);
    *out = a;
    if (!a)
        return;
    a->event = event;
    if (!app->cfg.feedback_enabled) {
        VLOG_I("feedback", "answer feedback is off (feedback.enabled = false)");
        return;
    }
#ifndef VIVA_HAVE_SPEECH
    (void)questions;
    VLOG_I("feedback", "answer feedback is off: this viva was built without pocketsphinx");
#else
    a->b = bank_new();
    for (size_t i = 0; questions && i < bank_count(questions); i++)
        bank_add(a->b, bank_at(questions, i), NULL, NULL);
    snprintf(a->dict, sizeof a->dict, "%s/dict/viva.dict", app->asset_dir);
    a->tp.dict = a->dict;
    a->tp.bank = a->b;
    pthread_mutex_init(&a->lock, NULL);
    pthread_cond_init(&a->wake, NULL);
    if (pthread_create(&a->thread, NULL, worker, a) != 0) {
        VLOG_W("feedback", "answer feedback is off: cannot start its thread");
        return;
    }
    a->started = 1;
    a->enabled = 1;
#endif
}

void run_analysis_drain(run_analysis *a, practice *pr, int max_ms)
{
    if (!run_analysis_enabled(a))
        return;
    for (int waited = 0; a->pending > 0 && waited < max_ms; waited += 20) {
        SDL_Event e;
        kiosk_event k;
        while (SDL_PeepEvents(&e, 1, SDL_GETEVENT, a->event, a->event) == 1)
            run_analysis_event(a, pr, &e, &k);
        if (a->pending > 0)
            SDL_Delay(20);
    }
}

void run_analysis_close(run_analysis *a)
{
    if (!a)
        return;
    if (a->started) {
        /* The worker finishes what it is doing (it cannot be interrupted inside the
         * recogniser): wait up to 3 s for it, so that a stop request during a model load
         * or a long analysis does not hold the kiosk's exit. A worker still busy then is left
         * to the process's exit, with its memory. */
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 3;
        pthread_mutex_lock(&a->lock);
        a->quit = 1;
        pthread_cond_broadcast(&a->wake);
        int rc = 0;
        while (!a->finished && rc == 0)
            rc = pthread_cond_timedwait(&a->wake, &a->lock, &until);
        int finished = a->finished;
        pthread_mutex_unlock(&a->lock);
        if (!finished) {
            VLOG_I("feedback", "the analysis worker is busy; not waiting for it to stop");
            pthread_detach(a->thread);
            return;
        }
        pthread_join(a->thread, NULL);
        while (a->queue) {
            job *j = a->queue;
            a->queue = j->next;
            job_free(j);
        }
        /* Finished jobs still in SDL's queue are freed with it: drop their events. */
        SDL_Event e;
        while (SDL_PeepEvents(&e, 1, SDL_GETEVENT, a->event, a->event) == 1)
            job_free(e.user.data1);
        pthread_cond_destroy(&a->wake);
        pthread_mutex_destroy(&a->lock);
    }
    job_free(a->cur);
    if (a->b)
        bank_free(a->b);
    free(a);
}

int run_analysis_enabled(const run_analysis *a)
{
    return a && a->enabled;
}

void run_analysis_session(run_analysis *a)
{
    if (!a)
        return;
    a->s_answers = a->s_covered = a->s_keys = a->s_words = a->s_fillers = 0;
    a->s_talk = 0;
}

void run_analysis_start(run_analysis *a, practice *pr)
{
    if (!run_analysis_enabled(a))
        return;
    job_free(a->cur); /* the review screen shows this answer's analysis from now on */
    a->cur = NULL;
    job *j = calloc(1, sizeof *j);
    const bank_item *it = practice_current(pr);
    if (!j)
        return;
    j->response_id = practice_answer_id(pr);
    j->preselect = -1;
    snprintf(j->item_id, sizeof j->item_id, "%s", it ? it->id : "");
    if (practice_answer_pcm(pr, &j->pcm, &j->frames) != 0) {
        j->rc = VIVA_ENOTFOUND; /* no recording kept (no store): nothing to analyse */
        post(a, j);
        return;
    }
    j->voice = practice_voice(pr, &j->voice_len);
    j->queued = 1;
    a->pending++;
    pthread_mutex_lock(&a->lock);
    if (a->tail)
        a->tail->next = j;
    else
        a->queue = j;
    a->tail = j;
    pthread_cond_signal(&a->wake);
    pthread_mutex_unlock(&a->lock);
}

/* The view's copies of the current result. */
static void take_current(run_analysis *a, job *j)
{
    job_free(a->cur);
    a->cur = j;
    const feedback_result *r = &j->res;
    for (int i = 0; i < r->nkeys && i < BANK_MAX_KEYS; i++) {
        a->covered[i] = r->keys[i].covered;
        char *t = a->heard_text[i];
        size_t used = 0;
        t[0] = '\0';
        for (int h = 0; h < r->keys[i].nheard; h++)
            used += (size_t)snprintf(t + used, sizeof a->heard_text[i] - used, "%s%s",
                                     h ? ", " : "", r->keys[i].heard[h]);
        a->heard[i] = r->keys[i].nheard ? t : NULL;
    }
    int secs = (int)(r->talk_seconds + 0.5);
    char talk[32];
    if (secs >= 60)
        snprintf(talk, sizeof talk, "%d min %d s", secs / 60, secs % 60);
    else
        snprintf(talk, sizeof talk, "%d s", secs);
    char pauses[64];
    if (r->npauses)
        snprintf(pauses, sizeof pauses, "%d pause%s over 2 s (longest %.1f s)", r->npauses,
                 r->npauses == 1 ? "" : "s", r->longest_pause);
    else
        snprintf(pauses, sizeof pauses, "no pause over 2 s");
    snprintf(a->delivery, sizeof a->delivery, "%s · %.0f words/min · %s · %.1f fillers/min",
             talk, r->words_per_minute, pauses, r->fillers_per_minute);
}

int run_analysis_event(run_analysis *a, practice *pr, const SDL_Event *e, kiosk_event *k)
{
    if (!a || e->type != a->event)
        return 0;
    job *j = e->user.data1;
    k->type = (kiosk_event_type)-1;
    if (!j) { /* the models did not load: feedback is off from now on */
        a->enabled = 0;
        return 1;
    }
    if (j->queued)
        a->pending--;
    if (j->json && j->rc == VIVA_OK && j->response_id)
        practice_save_analysis(pr, j->response_id, j->json);
    k->type = KIOSK_EV_ANALYSIS;
    k->n = -1;
    static const char *const grade[] = {"missed", "partial", "solid", "excellent"};
    if (j->rc != VIVA_OK) {
        k->i = KIOSK_ANALYSIS_FAILED;
        VLOG_I("feedback", "answer %llu: not analysed", (unsigned long long)j->response_id);
    } else if (!j->res.speech) {
        k->i = KIOSK_ANALYSIS_NO_SPEECH;
        VLOG_I("feedback", "answer %llu: no speech heard", (unsigned long long)j->response_id);
    } else {
        /* The one decision (feedback_preselect): the kiosk preselects, and hands-free says,
         * only this grade; -1 asks for the grade without a verdict. */
        feedback_record rec;
        practice_feedback_record(pr, &rec);
        j->disagrees = feedback_record_disagrees(&rec);
        j->preselect = feedback_preselect(&j->res, &rec);
        k->i = KIOSK_ANALYSIS_READY;
        k->n = j->preselect;
        int sg = j->res.suggested_grade;
        VLOG_I("feedback", "answer %llu: %d of %d key points covered, %d words, %.0f words/min, "
               "suggested grade %s, confidence %.2f (%s), %s", (unsigned long long)j->response_id,
               j->res.ncovered, j->res.nkeys, j->res.words, j->res.words_per_minute,
               sg >= 0 && sg <= 3 ? grade[sg] : "none", j->res.confidence,
               j->res.sure ? "sure" : "not sure",
               j->preselect >= 0 ? "preselected"
               : j->disagrees ? "not preselected: this profile's grades keep differing from "
                                "the suggestions"
                              : "not preselected");
    }
    if (j->rc == VIVA_OK && j->res.speech) {
        a->s_answers++;
        a->s_covered += j->res.ncovered;
        a->s_keys += j->res.nkeys;
        a->s_words += j->res.words;
        a->s_fillers += j->res.fillers;
        a->s_talk += j->res.talk_seconds;
    }
    if (j->response_id && j->response_id == practice_answer_id(pr) && j->rc == VIVA_OK) {
        take_current(a, j); /* kept for the review screen */
    } else {
        job_free(j); /* an answer no longer on the screen (or a failure): stored only */
    }
    return 1;
}

void run_analysis_prompt(const run_analysis *a, int suggested, char *buf, size_t len)
{
    const feedback_result *r = a && a->cur ? &a->cur->res : NULL;
    const char *keys[BANK_MAX_KEYS];
    int covered[BANK_MAX_KEYS];
    speech_verdict_in in = {.suggested = suggested};
    if (r) {
        in.analysed = 1;
        in.speech = r->speech;
        in.sure = r->sure;
        in.nkeys = r->nkeys < BANK_MAX_KEYS ? r->nkeys : BANK_MAX_KEYS;
        in.ncovered = r->ncovered;
        for (int k = 0; k < in.nkeys; k++) {
            keys[k] = r->keys[k].text;
            covered[k] = r->keys[k].covered;
        }
        in.keys = keys;
        in.covered = covered;
    }
    speech_verdict(&in, buf, len);
}

const feedback_result *run_analysis_current(const run_analysis *a)
{
    return a && a->cur ? &a->cur->res : NULL;
}

int run_analysis_trust(const run_analysis *a, int *sure, int *disagrees)
{
    const job *j = a ? a->cur : NULL;
    if (sure)
        *sure = j && j->res.speech ? j->res.sure : 0;
    if (disagrees)
        *disagrees = j ? j->disagrees : 0;
    return j ? j->preselect : -1;
}

void run_analysis_review(run_analysis *a, review_view *v)
{
    if (!a || !a->cur)
        return;
    v->delivery = a->cur->res.speech ? a->delivery : NULL;
    if (v->analysis_state == REVIEW_ANALYSIS_READY && a->cur->res.nkeys == v->nkeys) {
        v->key_covered = a->covered;
        v->key_heard = a->heard;
    }
}

void run_analysis_summary(run_analysis *a, summary_view *v)
{
    if (!a || !a->s_answers)
        return;
    double minutes = a->s_talk / 60.0;
    v->keys_covered = a->s_covered;
    v->keys_total = a->s_keys;
    v->wpm = minutes > 0 ? a->s_words / minutes : 0;
    /* No filler heard is not shown as "0.0 fillers/min": the recogniser seldom hears them at
     * all (docs/readme/review.md), so it would read as praise viva cannot give. */
    v->fillers_per_min = minutes > 0 && a->s_fillers > 0 ? a->s_fillers / minutes : -1;
}
