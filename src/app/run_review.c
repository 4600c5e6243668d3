/* run_review.c: the review that teaches and the compare screen, from the driver's side (see
 * run.h): the transcript as words with the key-point terms heard and the fillers marked, the
 * pace and the long pauses in words, the transcript's pages and touch scrolling, and the two
 * attempts that the compare screen shows and plays one after the other. Main thread only. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "run.h"
#include "vlog.h"

/* The speaking rate that is easy to follow: 120-160 words a minute. Tauroza & Allison (1990,
 * "Speech rates in British English", Applied Linguistics 11(1): 90-105) measured about 140
 * words/min in lectures to non-native listeners, 160 in radio monologues, 190 in interviews
 * and 210 in conversation; radio handbooks put the upper limit for listeners who hear a text
 * once at 160-180 (Rodero 2012, Text & Talk 32(3): 391-411). An answer faster than 160 is
 * harder to follow for an interviewer taking notes; under 120 it drags. viva's rate leaves out
 * the pauses over 2 s (feedback.h: talk_seconds), so thinking pauses do not make it "slow". */
void run_pace_words(double wpm, char *buf, size_t len)
{
    int w = (int)(wpm + 0.5);
    const char *band = w < 100    ? "slow"
                       : w < 120  ? "a little slow"
                       : w <= 160 ? NULL
                       : w <= 190 ? "a little fast"
                                  : "fast";
    if (wpm <= 0)
        snprintf(buf, len, "%s", "");
    else if (!band)
        snprintf(buf, len, "easy to follow: %d words/min (120-160 is easy to follow)", w);
    else
        snprintf(buf, len, "%s: %d words/min; 120-160 is easy to follow", band, w);
}

/* ---- the transcript ------------------------------------------------------------------------ */

/* "um", "uh", ...: the fillers feedback_score counts wherever they stand (a "like" or "you
 * know" is a filler only by its context, which the transcript text no longer has). */
static int plain_filler(const char *w)
{
    static const char *const f[] = {"um", "uh", "er", "erm", "uhm", "ah", "hmm", "mm", "mhm"};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (strcasecmp(w, f[i]) == 0)
            return 1;
    return 0;
}

/* 1 if word w is one of the terms heard for any key point ("lock order" gives two words). */
static int heard_term(const feedback_result *fr, const char *w)
{
    for (int k = 0; k < fr->nkeys; k++)
        for (int h = 0; h < fr->keys[k].nheard; h++) {
            const char *p = fr->keys[k].heard[h];
            size_t n = strlen(w);
            while (*p) {
                while (*p == ' ')
                    p++;
                size_t m = strcspn(p, " ");
                if (m == n && m && strncasecmp(p, w, n) == 0)
                    return 1;
                p += m;
            }
        }
    return 0;
}

static void split_words(run_review_state *rv, const feedback_result *fr)
{
    free(rv->text);
    rv->text = strdup(fr->transcript ? fr->transcript : "");
    rv->nwords = 0;
    if (!rv->text)
        return;
    for (char *p = strtok(rv->text, " \t\n"); p && rv->nwords < RUN_REVIEW_WORDS;
         p = strtok(NULL, " \t\n")) {
        rv->words[rv->nwords] = p;
        rv->kind[rv->nwords] = plain_filler(p)   ? REVIEW_WORD_FILLER
                               : heard_term(fr, p) ? REVIEW_WORD_TERM
                                                   : REVIEW_WORD_PLAIN;
        rv->nwords++;
    }
}

static void delivery_words(run_review_state *rv, const feedback_result *fr)
{
    run_pace_words(fr->words_per_minute, rv->pace, sizeof rv->pace);
    int secs = (int)(fr->talk_seconds + 0.5);
    char talk[32], fill[64] = "";
    if (secs >= 60)
        snprintf(talk, sizeof talk, "%d\xC2\xA0min %d\xC2\xA0s", secs / 60, secs % 60);
    else
        snprintf(talk, sizeof talk, "%d\xC2\xA0s", secs); /* no-break spaces: "8 s" stays whole */
    /* Fillers are named only when heard: viva's recogniser seldom hears "um" at all (its
     * models have no filler words), so "0 fillers" would read as praise it cannot give. */
    if (fr->fillers > 0)
        snprintf(fill, sizeof fill, " · %d filler%s, struck through", fr->fillers,
                 fr->fillers == 1 ? "" : "s");
    if (fr->npauses)
        snprintf(rv->pauses, sizeof rv->pauses, "%d long pause%s, marked above (longest %.1f\xC2\xA0s)"
                 " · %s of talk%s", fr->npauses, fr->npauses == 1 ? "" : "s", fr->longest_pause,
                 talk, fill);
    else
        snprintf(rv->pauses, sizeof rv->pauses, "no pause over 2 s · %s of talk%s", talk, fill);
    rv->npauses = 0;
    for (int i = 0; i < fr->npauses && i < RUN_REVIEW_PAUSES; i++) {
        rv->pause_at[i] = fr->pauses[i].start;
        rv->pause_len[i] = fr->pauses[i].seconds;
        rv->npauses++;
    }
}

void run_review_fill(run *r, review_view *v)
{
    run_review_state *rv = &r->rv;
    const bank_item *it = practice_current(r->pr);
    int attempt = practice_attempt(r->pr);
    v->attempt = attempt;
    v->has_earlier = r->k.attempt > 1;
    v->reference = it ? it->answer : NULL;
    v->show_reference = r->k.reference;
    v->transcript_line = rv->line;
    v->reference_page = rv->ref_page;
    if (attempt > 1) {
        snprintf(rv->note, sizeof rv->note, "Attempt %d is practice: its grade is kept with it; "
                 "your level counts a question's first attempt only.", attempt);
        v->attempt_note = rv->note;
    }
    const feedback_result *fr = run_analysis_current(r->an);
    rv->nwords = 0;
    if (!fr || r->k.analysis != KIOSK_ANALYSIS_READY || !fr->speech)
        return;
    split_words(rv, fr);
    delivery_words(rv, fr);
    v->words = rv->words;
    v->word_kind = rv->kind;
    v->nwords = rv->nwords;
    v->pace = rv->pace[0] ? rv->pace : NULL;
    v->pauses = rv->pauses;
    v->pause_at = rv->pause_at;
    v->pause_len = rv->pause_len;
    v->npauses = rv->npauses;
    v->unsure = !fr->sure;
}

void run_review_reset(run *r)
{
    r->rv.line = 0;
    r->rv.ref_page = 0;
    r->rv.dragging = r->rv.dragged = 0;
}

void run_review_page(run *r, int pages)
{
    review_view v;
    memset(&v, 0, sizeof v);
    run_review_fill(r, &v);
    int total, visible;
    /* While a reference answer of more than one page is shown, paging turns its pages (one
     * button pages round, as in the transcript). */
    int ref_pages = v.show_reference ? screen_review_reference_pages(r->u, &v) : 1;
    if (ref_pages > 1) {
        int p = r->rv.ref_page;
        p = pages > 0 && p >= ref_pages - 1 ? 0 : p + pages;
        r->rv.ref_page = p < 0 ? 0 : p >= ref_pages ? ref_pages - 1 : p;
        return;
    }
    screen_review_lines(r->u, &v, &total, &visible);
    int last = total > visible ? total - visible : 0;
    if (pages > 0 && r->rv.line >= last)
        r->rv.line = 0; /* past the end: back to the start (one button pages round) */
    else
        r->rv.line += pages * visible;
    if (r->rv.line > last)
        r->rv.line = last;
    if (r->rv.line < 0)
        r->rv.line = 0;
}

int run_review_drag(run *r, const SDL_Event *e)
{
    run_review_state *rv = &r->rv;
    if (r->k.screen != KIOSK_REVIEW)
        return 0;
    int finger = e->type == SDL_FINGERDOWN || e->type == SDL_FINGERMOTION ||
                 e->type == SDL_FINGERUP;
    int y = finger ? (int)(e->tfinger.y * ui_h(r->u))
            : e->type == SDL_MOUSEMOTION ? e->motion.y
                                         : e->button.y;
    int x = finger ? (int)(e->tfinger.x * ui_w(r->u))
            : e->type == SDL_MOUSEMOTION ? e->motion.x
                                         : e->button.x;
    int step = 5 * ui_unit(r->u); /* about one line of the transcript */
    switch (e->type) {
    case SDL_MOUSEBUTTONDOWN:
    case SDL_FINGERDOWN:
        if (screen_review_hit(r->u, x, y) == REVIEW_HIT_TRANSCRIPT) {
            rv->dragging = 1;
            rv->dragged = 0;
            rv->drag_y = y;
        }
        return 0;
    case SDL_MOUSEMOTION:
    case SDL_FINGERMOTION: {
        if (!rv->dragging || (e->type == SDL_MOUSEMOTION && !(e->motion.state & SDL_BUTTON_LMASK)))
            return 0;
        int lines = (rv->drag_y - y) / step;
        if (lines) {
            review_view v;
            memset(&v, 0, sizeof v);
            run_review_fill(r, &v);
            int total, visible;
            screen_review_lines(r->u, &v, &total, &visible);
            rv->line += lines;
            if (rv->line > total - visible)
                rv->line = total - visible;
            if (rv->line < 0)
                rv->line = 0;
            rv->drag_y -= lines * step;
            rv->dragged = 1;
        }
        return 1;
    }
    case SDL_MOUSEBUTTONUP:
    case SDL_FINGERUP: {
        int was = rv->dragging && rv->dragged;
        if (e->type == SDL_FINGERUP || e->type == SDL_MOUSEBUTTONUP)
            rv->dragging = 0;
        return was; /* the end of a drag is not a tap */
    }
    default:
        return 0;
    }
}

void run_review_free(run *r)
{
    free(r->rv.text);
    r->rv.text = NULL;
    r->rv.nwords = 0;
}

/* ---- compare ------------------------------------------------------------------------------- */

void run_compare_load(run *r)
{
    run_review_state *rv = &r->rv;
    const bank_item *it = practice_current(r->pr);
    practice_attempt_info *a = NULL;
    int n = it ? practice_attempts(r->pr, it->id, practice_session_id(r->pr), &a) : 0;
    rv->natt = 0;
    rv->playing_side = -1;
    if (n >= 2 && practice_session_id(r->pr)) {
        rv->att[0] = a[n - 2];
        rv->att[1] = a[n - 1];
        rv->natt = 2;
    }
    free(a);
    for (int i = 0; i < rv->natt; i++) {
        time_t t = (time_t)(rv->att[i].t_ms / 1000);
        struct tm tm;
        localtime_r(&t, &tm);
        strftime(rv->when[i], sizeof rv->when[i], "%H:%M", &tm);
        if (rv->att[i].words_per_minute > 0)
            snprintf(rv->att_pace[i], sizeof rv->att_pace[i], "%.0f words/min",
                     rv->att[i].words_per_minute);
        else
            rv->att_pace[i][0] = '\0';
    }
    VLOG_I("run", "compare: %d attempts at question %s in this session", n, it ? it->id : "-");
}

void run_compare_play(run *r, int side, kiosk_event *res)
{
    run_review_state *rv = &r->rv;
    rv->playing_side = -1;
    if (side < 0 || side >= rv->natt || !rv->att[side].recording ||
        practice_play_recording(r->pr, rv->att[side].recording) != 0) {
        /* Nothing to play on this side: go on as if it had been played. */
        res->type = KIOSK_EV_PLAYBACK;
        res->i = 0;
        return;
    }
    rv->playing_side = side;
}

void run_compare_draw(run *r)
{
    run_review_state *rv = &r->rv;
    const bank_item *it = practice_current(r->pr);
    double pos = 0, len = 0;
    int playing = 0;
    practice_play_position(r->pr, &pos, &len, &playing);
    compare_view v;
    memset(&v, 0, sizeof v);
    v.question = it ? it->question : NULL;
    v.keys = it ? (const char *const *)it->keys : NULL;
    v.nkeys = it ? it->nkeys : 0;
    for (int i = 0; i < 2; i++) {
        const practice_attempt_info *a = &rv->att[i];
        compare_side *s = &v.side[i];
        s->attempt = i < rv->natt ? a->attempt : practice_attempt(r->pr) - 1 + i;
        s->when = i < rv->natt ? rv->when[i] : NULL;
        s->grade = i < rv->natt ? a->grade : -1;
        s->analysed = i < rv->natt && a->analysed && a->nkeys == v.nkeys;
        s->covered = a->covered;
        s->ncovered = a->ncovered;
        s->pace = i < rv->natt && rv->att_pace[i][0] ? rv->att_pace[i] : NULL;
        s->seconds = i < rv->natt && a->recording ? a->seconds : 0;
    }
    v.playing = playing && (r->k.compare_step == 1 || r->k.compare_step == 2)
                    ? r->k.compare_step - 1
                    : -1;
    v.play_pos = pos;
    v.play_len = len;
    v.focus = r->k.focus;
    v.notice = rv->natt < 2 ? "The earlier attempt is not saved, so there is nothing to compare "
                              "it with."
                            : NULL;
    v.hint = "Enter: select · Left/Right: choose · P: play both · Esc: back to the review";
    screen_compare(r->u, &v);
}
