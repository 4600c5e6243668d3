/* cmd_analyse.c: `viva analyse`, feedback on spoken answers (transcribe.h, feedback.h).
 *
 *   viva analyse FILE --question ID [--profile NAME] [--json]
 *                                              one sound file (WAV, FLAC, ...) as an answer to
 *                                              question ID: transcript, delivery, key points,
 *                                              suggested grade and its confidence
 *                                              (human-readable, or JSON); heard with NAME's
 *                                              voice adaptation when given
 *   viva analyse --store [--profile NAME]      (re)analyse every stored answer that has a
 *                                              recording and save the results in the store,
 *                                              each profile's with its voice adaptation
 *
 * Banks: the built-in and configured bank files plus the banks imported into the store (when
 * a store exists); all of them feed the language model. Exit codes: 0 ok, 1 failure, 2 usage
 * or unknown question, 13 built without speech, store exit codes (>= 10) from opening it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "banks.h"
#include "store.h"
#include "verr.h"
#ifdef VIVA_HAVE_SPEECH
#include "transcriber.h"
#endif

enum { ANALYSE_EXIT_NOSPEECH = 13 };

static void usage(FILE *out)
{
    fprintf(out, "usage: viva analyse FILE --question ID [--profile NAME] [--json]\n"
                 "       viva analyse --store [--profile NAME]\n"
                 "Feedback on a spoken answer: transcript, talk time, words per minute, pauses,\n"
                 "fillers, the question's key points heard, a suggested grade (0-3)\n"
                 "and how confident the recognition was (0-1).\n"
                 "FILE is any WAV/FLAC file (resampled to 16 kHz mono). --store analyses the\n"
                 "recorded answers of every profile (or one) and keeps the results. A profile\n"
                 "that enrolled its voice (viva voice enrol) is heard with its adaptation.\n");
}

#ifdef VIVA_HAVE_SPEECH

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Every bank viva knows: files, then the store's (read-only, when there is one). */
static bank *load_banks(viva_app *app)
{
    bank *b = bank_new();
    banks_load_configured(app, b);
    store *st = NULL;
    char err[512];
    if (store_open(app->data_dir, STORE_READONLY | STORE_NOCREATE, &st, err, sizeof err) == 0) {
        store_bank_load(st, NULL, b, NULL);
        store_close(st);
    }
    return b;
}

static int open_feedback(viva_app *app, const bank *b, feedback_ctx **fc)
{
    char dict[PATH_MAX + 32], err[1024];
    snprintf(dict, sizeof dict, "%s/dict/viva.dict", app->asset_dir);
    transcribe_params p = {.dict = dict, .bank = b};
    double t0 = now_s();
    int e = feedback_open(&p, fc, err, sizeof err);
    if (e) {
        fprintf(stderr, "viva analyse: %s\n", err);
        return e == VIVA_ENOTFOUND ? ANALYSE_EXIT_NOSPEECH : EXIT_FAIL;
    }
    if (app->verbose)
        fprintf(stderr, "viva analyse: models loaded in %.1f s\n", now_s() - t0);
    return EXIT_OK;
}

/* Puts the voice adaptation of `profile` in force (the generic model when it has none; a
 * damaged one is named on stderr and the generic model used). Returns the number of sentences
 * it was made from, 0 when none is in force. */
static int use_voice(store *st, uint32_t profile, feedback_ctx *fc)
{
    int used = 0;
    store_voice v;
    int found = 0;
    char err[512];
    int e = store_voice_get(st, profile, &v, &found);
    if (e)
        fprintf(stderr, "viva analyse: the voice adaptation of profile %u cannot be read (%s): "
                "the generic model is used\n", (unsigned)profile, viva_strerror(e));
    if (feedback_adapt(fc, found ? v.data : NULL, found ? v.len : 0, err, sizeof err) != 0) {
        fprintf(stderr, "viva analyse: profile %u: %s; the generic model is used\n",
                (unsigned)profile, err);
        feedback_adapt(fc, NULL, 0, err, sizeof err);
    } else if (found) {
        used = v.sentences > 0 ? v.sentences : 1;
    }
    if (found)
        store_voice_free(&v);
    return used;
}

static void print_human(const char *file, const bank_item *it, const feedback_result *r)
{
    printf("%s: answer to %s\n", file, it->id);
    printf("question: %s\n\n", it->question);
    if (feedback_level_text(r->level))
        printf("Note: %s.\n\n", feedback_level_text(r->level));
    if (!r->speech) {
        printf("No speech heard: no suggested grade.\n");
        return;
    }
    printf("transcript: %s\n\n", r->transcript);
    printf("talk time %.1f s, %d words, %.0f words per minute\n", r->talk_seconds, r->words,
           r->words_per_minute);
    printf("pauses over %.0f s: %d", FEEDBACK_PAUSE_SECONDS, r->npauses);
    for (int i = 0; i < r->npauses; i++)
        printf("%s%.1f s at %.1f s", i ? ", " : " (", r->pauses[i].seconds, r->pauses[i].start);
    printf("%s; longest pause %.1f s\n", r->npauses ? ")" : "", r->longest_pause);
    printf("fillers: %d (%.1f per minute)\n\n", r->fillers, r->fillers_per_minute);
    printf("key points (%d of %d covered):\n", r->ncovered, r->nkeys);
    for (int k = 0; k < r->nkeys; k++) {
        printf("  [%s] %s", r->keys[k].covered ? "x" : " ", r->keys[k].text);
        for (int h = 0; h < r->keys[k].nheard; h++)
            printf("%s%s", h ? ", " : "\n      heard: ", r->keys[k].heard[h]);
        printf("\n");
    }
    if (r->suggested_grade >= 0) {
        static const char *const names[] = {"missed", "partial", "solid", "excellent"};
        printf("\nsuggested grade: %d (%s)\n", r->suggested_grade, names[r->suggested_grade]);
    }
    if (r->confidence >= 0)
        printf("confidence: %.2f (%s)\n", r->confidence,
               r->sure ? "sure" : "not sure: the review would not preselect a grade");
    else
        printf("confidence: unknown (the recogniser gave none)\n");
}

static int analyse_file(viva_app *app, const char *file, const char *qid, int json,
                        const char *profile)
{
    char err[1024];
    int16_t *pcm = NULL;
    size_t n = 0;
    int rc = EXIT_OK;
    bank *b = load_banks(app);
    feedback_ctx *fc = NULL;
    store *st = NULL;
    store_profile prof = {0};
    if (profile) {
        int found = 0, e = store_open(app->data_dir, STORE_READONLY | STORE_NOCREATE, &st, err,
                                      sizeof err);
        if (e) {
            fprintf(stderr, "viva analyse: %s\n", err);
            rc = store_exit_code(e);
            goto done;
        }
        if (store_profile_find(st, profile, &prof, &found) != 0 || !found) {
            fprintf(stderr, "viva analyse: no profile named '%s'; see 'viva profiles'\n",
                    profile);
            rc = EXIT_USAGE;
            goto done;
        }
    }
    const bank_item *it = bank_find(b, qid);
    if (!it) {
        fprintf(stderr, "viva analyse: no question '%s' in the loaded banks (see 'viva bank "
                "list' and the ids in the bank files)\n", qid);
        rc = EXIT_USAGE;
        goto done;
    }
    int e = transcribe_read_file(file, &pcm, &n, err, sizeof err);
    if (e) {
        fprintf(stderr, "viva analyse: %s\n", err);
        rc = e == VIVA_EIO ? EXIT_FAIL : EXIT_USAGE;
        goto done;
    }
    if ((rc = open_feedback(app, b, &fc)) != EXIT_OK)
        goto done;
    if (st) {
        int used = use_voice(st, prof.id, fc);
        if (used)
            fprintf(stderr, "viva analyse: heard with %s's voice adaptation (enrolled with %d "
                    "sentences)\n", prof.name, used);
        else
            fprintf(stderr, "viva analyse: %s has no voice adaptation: heard with the generic "
                    "model (see 'viva voice enrol')\n", prof.name);
    }
    feedback_result r;
    double t0 = now_s();
    e = feedback_analyse(fc, it, pcm, n, &r);
    if (app->verbose)
        fprintf(stderr, "viva analyse: %.1f s of audio analysed in %.2f s\n",
                (double)n / TRANSCRIBE_RATE, now_s() - t0);
    if (e) {
        fprintf(stderr, "viva analyse: %s: the recogniser failed: %s\n", file, viva_strerror(e));
        rc = EXIT_FAIL;
    } else if (json) {
        strbuf sb = {0};
        feedback_result_json(&r, &sb);
        printf("%s\n", sb_str(&sb));
        sb_free(&sb);
    } else {
        print_human(file, it, &r);
    }
    feedback_result_free(&r);
done:
    feedback_close(fc);
    free(pcm);
    bank_free(b);
    store_close(st);
    return rc;
}

/* ---- --store ------------------------------------------------------------------------------- */

typedef struct {
    uint64_t *id, *rec;
    uint32_t *prof;
    char (*item)[STORE_ITEM_ID_MAX + 1];
    size_t n, cap;
} todo_list;

static int collect_response(void *ctx, const store_response *r)
{
    todo_list *t = ctx;
    if (!r->recording)
        return 0;
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->id = xrealloc(t->id, t->cap * sizeof *t->id);
        t->rec = xrealloc(t->rec, t->cap * sizeof *t->rec);
        t->prof = xrealloc(t->prof, t->cap * sizeof *t->prof);
        t->item = xrealloc(t->item, t->cap * sizeof *t->item);
    }
    t->id[t->n] = r->id;
    t->rec[t->n] = r->recording;
    t->prof[t->n] = r->profile;
    snprintf(t->item[t->n], sizeof t->item[0], "%s", r->item_id);
    t->n++;
    return 0;
}

typedef struct {
    store *st;
    todo_list *todo;
    const char *only;
    int missing;
} profile_walk;

static int collect_profile(void *ctx, const store_profile *p)
{
    profile_walk *w = ctx;
    if (w->only && strcmp(w->only, p->name) != 0)
        return 0;
    w->missing = 0;
    return store_response_iter(w->st, p->id, collect_response, w->todo);
}

static int analyse_store(viva_app *app, const char *profile)
{
    char err[1024];
    store *st = NULL;
    int e = store_open(app->data_dir, STORE_NOCREATE, &st, err, sizeof err);
    if (e) {
        fprintf(stderr, "viva analyse: %s\n", err);
        return store_exit_code(e);
    }
    todo_list todo = {0};
    profile_walk w = {st, &todo, profile, 1};
    int rc = EXIT_OK;
    bank *b = NULL;
    feedback_ctx *fc = NULL;
    e = store_profile_list(st, collect_profile, &w);
    if (e) {
        fprintf(stderr, "viva analyse: reading the answers failed: %s\n", viva_strerror(e));
        rc = EXIT_FAIL;
        goto done;
    }
    if (profile && w.missing) {
        fprintf(stderr, "viva analyse: no profile named '%s'; see 'viva profiles'\n", profile);
        rc = EXIT_USAGE;
        goto done;
    }
    if (todo.n == 0) {
        printf("no recorded answers to analyse\n");
        goto done;
    }
    b = bank_new();
    banks_load_configured(app, b);
    store_bank_load(st, NULL, b, NULL);
    if ((rc = open_feedback(app, b, &fc)) != EXIT_OK)
        goto done;
    size_t ok = 0, failed = 0;
    double t0 = now_s(), audio = 0;
    for (size_t i = 0; i < todo.n; i++) {
        int16_t *pcm = NULL;
        size_t n = 0;
        int rate = 0;
        const bank_item *it = bank_find(b, todo.item[i]);
        if (i == 0 || todo.prof[i] != todo.prof[i - 1])
            use_voice(st, todo.prof[i], fc);
        e = store_rec_read(st, todo.rec[i], &pcm, &n, &rate);
        if (e == VIVA_OK && rate != TRANSCRIBE_RATE)
            e = VIVA_ERANGE;
        feedback_result r;
        if (e == VIVA_OK)
            e = feedback_analyse(fc, it, pcm, n, &r);
        if (e == VIVA_OK) {
            strbuf sb = {0};
            feedback_result_json(&r, &sb);
            e = store_analysis_put(st, todo.id[i], sb.s, sb.len);
            sb_free(&sb);
            feedback_result_free(&r);
            audio += (double)n / TRANSCRIBE_RATE;
        }
        free(pcm);
        if (e) {
            failed++;
            fprintf(stderr, "viva analyse: answer %llu (%s): %s\n", (unsigned long long)todo.id[i],
                    todo.item[i], viva_strerror(e));
        } else {
            ok++;
        }
        printf("\ranalysed %zu of %zu answers%s", i + 1, todo.n, it ? "" : " (question unknown)");
        fflush(stdout);
    }
    printf("\n%zu answers analysed (%.0f s of audio in %.0f s)%s\n", ok, audio, now_s() - t0,
           failed ? "; some failed, see above" : "");
    rc = failed ? EXIT_FAIL : EXIT_OK;
done:
    feedback_close(fc);
    bank_free(b);
    free(todo.id);
    free(todo.rec);
    free(todo.prof);
    free(todo.item);
    store_close(st);
    return rc;
}

int cmd_analyse(viva_app *app, int argc, char **argv)
{
    const char *file = NULL, *qid = NULL, *profile = NULL;
    int json = 0, from_store = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return EXIT_OK;
        } else if (!strcmp(argv[i], "--question") && i + 1 < argc) {
            qid = argv[++i];
        } else if (!strcmp(argv[i], "--profile") && i + 1 < argc) {
            profile = argv[++i];
        } else if (!strcmp(argv[i], "--json")) {
            json = 1;
        } else if (!strcmp(argv[i], "--store")) {
            from_store = 1;
        } else if (argv[i][0] != '-' && !file) {
            file = argv[i];
        } else {
            fprintf(stderr, "viva analyse: unexpected argument '%s'\n", argv[i]);
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (from_store && !file && !qid && !json)
        return analyse_store(app, profile);
    if (!from_store && file && qid)
        return analyse_file(app, file, qid, json, profile);
    usage(stderr);
    return EXIT_USAGE;
}

#else

int cmd_analyse(viva_app *app, int argc, char **argv)
{
    (void)app;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return EXIT_OK;
        }
    }
    fprintf(stderr, "viva analyse: this viva was built without speech (pocketsphinx)\n");
    return ANALYSE_EXIT_NOSPEECH;
}

#endif
