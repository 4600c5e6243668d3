/* cmd_voice.c: `viva voice test|say|phrases|script|enrol|forget`, the installer's tools for the
 * speech features.
 * `voice test` listens on the configured microphone (audio.input, or --device) through the same
 * capture and recogniser the kiosk uses, and prints each command phrase it hears with its
 * position and the command it would trigger; `voice say` speaks a text with the configured
 * voice on the configured speaker (or into a WAV file); `voice phrases` lists the phrases.
 * `voice script` prints the enrolment sentences; `voice enrol --profile NAME FILE...` makes
 * NAME's voice adaptation from recordings of them (src/speech/adapt.h) and keeps it in the
 * store, where the kiosk and `viva analyse` use it; `voice forget` removes it.
 *
 * Exit codes: 0 ok, 1 failure, 2 usage (and an enrolment refused for its recordings), 10 no
 * such device / no device at all, 13 this viva was built without speech, or `voice enrol`
 * lacks Debian's enrolment tools (VOICE_EXIT_NOSPEECH). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cli_store.h"
#include "audio.h"
#include "banks.h"
#include "verr.h"
#ifdef VIVA_HAVE_SPEECH
#include "speech_cmd.h"
#include "speech_tts.h"
#include "transcriber.h"
#endif

enum { VOICE_EXIT_NODEV = 10, VOICE_EXIT_NOSPEECH = 13 };

#ifdef VIVA_HAVE_SPEECH

static void voice_usage(FILE *out)
{
    fprintf(out, "usage: viva voice test [--seconds N] [--device NAME] [--all]\n"
                 "       viva voice say TEXT... [--device NAME] [--out FILE.wav]\n"
                 "       viva voice phrases\n"
                 "       viva voice script\n"
                 "       viva voice enrol --profile NAME FILE...\n"
                 "       viva voice forget --profile NAME\n"
                 "`voice test` prints the command phrases it hears on the microphone (speech.*\n"
                 "thresholds from the configuration); by default every command counts, as in\n"
                 "the calmest moment of a session.\n"
                 "`voice enrol` teaches viva a profile's voice: record the sentences of\n"
                 "`voice script` in order, one file each (WAV, FLAC, ...; at least 3), in the\n"
                 "room and with the microphone of the practice. Needs Debian's sphinxtrain,\n"
                 "sphinxbase-utils and pocketsphinx packages.\n");
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

typedef struct {
    speech_cmd *rec;
    int heard;
} voice_listen;

/* The capture's sink, on its writer thread: decode and print what is heard. */
static int listen_write(void *ctx, const int16_t *pcm, size_t frames)
{
    voice_listen *l = ctx;
    speech_cmd_hit hits[8];
    int n = speech_cmd_feed(l->rec, pcm, frames, hits, 8);
    for (int i = 0; i < n; i++) {
        printf("%8.2f s  heard \"%s\" (%.2f-%.2f s, recognised %.0f ms after its end) -> %s\n",
               (double)hits[i].heard_at / AUDIO_RATE, speech_cmd_phrase(hits[i].cmd),
               (double)hits[i].start / AUDIO_RATE, (double)hits[i].end / AUDIO_RATE,
               (double)(hits[i].heard_at - hits[i].end) * 1000.0 / AUDIO_RATE,
               speech_cmd_name(hits[i].cmd));
        fflush(stdout);
        l->heard++;
    }
    return 0;
}

static int voice_test(viva_app *app, int argc, char **argv)
{
    double seconds = 30;
    const char *device = app->cfg.audio_input;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
            seconds = atof(argv[++i]);
        } else if (strcmp(argv[i], "--device") == 0 && i + 1 < argc) {
            device = argv[++i];
        } else if (strcmp(argv[i], "--all") == 0) {
            /* every command is active anyway; accepted for symmetry with the kiosk */
        } else {
            voice_usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (!(seconds > 0 && seconds <= 3600)) {
        fprintf(stderr, "voice test: --seconds must be between 0 and 3600\n");
        return EXIT_USAGE;
    }
    char err[1024];
    speech_cmd_params sp = {0};
    sp.threshold_shift = app->cfg.speech_kws_shift;
    sp.end_threshold = app->cfg.speech_kws_end;
    sp.context = SPEECH_CTX_ALL;
    voice_listen l = {0};
    int rc = speech_cmd_open(&sp, &l.rec, err, sizeof err);
    if (rc) {
        fprintf(stderr, "%s\n", err);
        return EXIT_FAIL;
    }
    audio *a = NULL;
    rc = audio_open(&a, err, sizeof err);
    if (rc) {
        fprintf(stderr, "%s\n", err);
        speech_cmd_close(l.rec);
        return EXIT_FAIL;
    }
    printf("listening for %.0f s on %s; say one of:\n", seconds,
           device && *device ? device : "the default microphone");
    for (int c = 1; c < SPEECH_CMD_COUNT; c++)
        printf("  \"%s\" -> %s\n", speech_cmd_phrase((speech_cmd_id)c),
               speech_cmd_name((speech_cmd_id)c));
    fflush(stdout);
    audio_capture_params p = {0};
    p.device = device;
    p.max_seconds = seconds;
    p.ring_seconds = seconds + 5; /* a file-backed test device delivers faster than real time */
    p.sink = (audio_sink){&l, listen_write};
    audio_capture *c;
    rc = audio_capture_start(a, &p, &c, err, sizeof err);
    if (rc) {
        fprintf(stderr, "%s\n", err);
        audio_close(a);
        speech_cmd_close(l.rec);
        return rc == VIVA_ENODEV ? VOICE_EXIT_NODEV : EXIT_FAIL;
    }
    audio_status st = {0};
    while (!st.ended) {
        sleep_ms(20);
        audio_capture_status(c, &st);
    }
    audio_result res;
    rc = audio_capture_stop(c, &res);
    printf("heard %d command%s in %.1f s of audio (%s)\n", l.heard, l.heard == 1 ? "" : "s",
           (double)res.frames / AUDIO_RATE, audio_end_name(res.reason));
    if (rc)
        fprintf(stderr, "voice test: %s\n", res.message);
    audio_close(a);
    speech_cmd_close(l.rec);
    return rc ? EXIT_FAIL : EXIT_OK;
}

static int voice_say(viva_app *app, int argc, char **argv)
{
    const char *device = app->cfg.audio_output, *out = NULL;
    char text[4096] = "";
    size_t len = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--device") == 0 && i + 1 < argc) {
            device = argv[++i];
        } else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else {
            int w = snprintf(text + len, sizeof text - len, "%s%s", len ? " " : "", argv[i]);
            len = w > 0 && (size_t)w < sizeof text - len ? len + (size_t)w : len;
        }
    }
    if (!len) {
        voice_usage(stderr);
        return EXIT_USAGE;
    }
    char err[1024];
    speech_tts_params tp = {app->cfg.speech_voice, app->cfg.speech_rate, app->cfg.speech_volume};
    speech_tts *t;
    int rc = speech_tts_open(&tp, &t, err, sizeof err);
    if (rc) {
        fprintf(stderr, "%s\n", err);
        return rc == VIVA_EINVAL ? EXIT_USAGE : EXIT_FAIL;
    }
    int16_t *pcm = NULL;
    size_t n = 0;
    rc = speech_tts_say(t, text, &pcm, &n, err, sizeof err);
    speech_tts_close(t);
    if (rc) {
        fprintf(stderr, "%s\n", err);
        return EXIT_FAIL;
    }
    int code = EXIT_OK;
    if (out) {
        audio_file_sink *fs;
        rc = audio_file_sink_open(out, &fs, err, sizeof err);
        if (!rc) {
            audio_sink s = audio_file_sink_get(fs);
            rc = s.write(s.ctx, pcm, n);
            int rc2 = audio_file_sink_close(fs, err, sizeof err);
            rc = rc ? rc : rc2;
        }
        if (rc) {
            fprintf(stderr, "voice say: %s\n", err);
            code = EXIT_FAIL;
        } else {
            printf("wrote %.2f s of speech to %s\n", (double)n / SPEECH_TTS_RATE, out);
        }
        free(pcm);
        return code;
    }
    audio *a = NULL;
    audio_player *p = NULL;
    rc = audio_open(&a, err, sizeof err);
    if (!rc)
        rc = audio_player_open(a, device, pcm, n, SPEECH_TTS_RATE, &p, err, sizeof err);
    if (!rc)
        rc = audio_player_play(p);
    if (rc) {
        fprintf(stderr, "%s\n", err);
        code = rc == VIVA_ENODEV ? VOICE_EXIT_NODEV : EXIT_FAIL;
    } else {
        while (!audio_player_finished(p))
            sleep_ms(20);
        printf("spoke %.2f s\n", (double)n / SPEECH_TTS_RATE);
    }
    if (p)
        audio_player_close(p);
    if (a)
        audio_close(a);
    free(pcm);
    return code;
}

/* The profile named `name` in the writable store *st (opened here); EXIT_OK or the exit code
 * with the message printed. */
static int voice_profile(viva_app *app, const char *name, const char *cmd, store **st,
                         store_profile *p)
{
    int rc = cli_open_store(app, STORE_NOCREATE, st, cmd);
    if (rc != EXIT_OK)
        return rc;
    int found = 0;
    if (store_profile_find(*st, name, p, &found) != 0 || !found) {
        fprintf(stderr, "viva %s: no profile named '%s'; see 'viva profiles'\n", cmd, name);
        store_close(*st);
        *st = NULL;
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

static int voice_enrol(viva_app *app, int argc, char **argv)
{
    const char *name = NULL;
    const char *files[64];
    size_t nf = 0;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--profile") && i + 1 < argc) {
            name = argv[++i];
        } else if (argv[i][0] != '-' && nf < adapt_script_count()) {
            files[nf++] = argv[i];
        } else {
            fprintf(stderr, "voice enrol: unexpected argument '%s'%s\n", argv[i],
                    argv[i][0] != '-' ? " (more files than sentences: see 'viva voice script')"
                                      : "");
            return EXIT_USAGE;
        }
    }
    if (!name || nf == 0) {
        voice_usage(stderr);
        return EXIT_USAGE;
    }
    char err[1024], dict[PATH_MAX + 32];
    if (adapt_check(NULL, err, sizeof err) != 0) {
        fprintf(stderr, "voice enrol: %s\n", err);
        return VOICE_EXIT_NOSPEECH;
    }
    /* The recordings first: a bad file stops before anything is changed. */
    int16_t *pcm[64] = {0};
    adapt_sentence s[64];
    int rc = EXIT_OK;
    for (size_t i = 0; i < nf && rc == EXIT_OK; i++) {
        size_t n = 0;
        int e = transcribe_read_file(files[i], &pcm[i], &n, err, sizeof err);
        if (e) {
            fprintf(stderr, "voice enrol: %s\n", err);
            rc = e == VIVA_EIO ? EXIT_FAIL : EXIT_USAGE;
        }
        s[i] = (adapt_sentence){pcm[i], n, adapt_script(i)};
    }
    store *st = NULL;
    store_profile p;
    bank *b = NULL;
    feedback_ctx *fc = NULL;
    if (rc == EXIT_OK)
        rc = voice_profile(app, name, "voice enrol", &st, &p);
    if (rc == EXIT_OK) {
        b = bank_new();
        banks_load_configured(app, b);
        store_bank_load(st, NULL, b, NULL);
        snprintf(dict, sizeof dict, "%s/dict/viva.dict", app->asset_dir);
        transcribe_params tp = {.dict = dict, .bank = b};
        if (feedback_open(&tp, &fc, err, sizeof err) != 0) {
            fprintf(stderr, "voice enrol: %s\n", err);
            rc = EXIT_FAIL;
        }
    }
    char *mllr = NULL;
    size_t len = 0;
    feedback_enrol_report rep = {0};
    if (rc == EXIT_OK) {
        printf("enrolling %s from %zu recording%s...\n", p.name, nf, nf == 1 ? "" : "s");
        fflush(stdout);
        int e = feedback_enrol(fc, s, nf, dict, &mllr, &len, &rep, err, sizeof err);
        if (rep.estimate.used < nf)
            printf("%zu of %zu recordings left out (a word no dictionary has, or too little "
                   "speech for the sentence)\n", nf - rep.estimate.used, nf);
        if (e) {
            fprintf(stderr, "voice enrol: %s; %s's previous adaptation (if any) is kept\n", err,
                    p.name);
            rc = e == VIVA_EINVAL ? EXIT_USAGE : EXIT_FAIL;
        }
    }
    if (rc == EXIT_OK) {
        store_voice v = {mllr, len, (int64_t)time(NULL) * 1000, (int)rep.estimate.used};
        int e = store_voice_put(st, p.id, &v);
        if (e) {
            fprintf(stderr, "voice enrol: saving the adaptation failed: %s\n",
                    viva_strerror(e));
            rc = EXIT_FAIL;
        } else {
            printf("%s's voice adaptation is saved: %zu sentences, %.0f s of speech; on them "
                   "word errors %.2f -> %.2f (%.1f s of CPU in sphinxtrain)\n", p.name,
                   rep.estimate.used, rep.estimate.seconds, rep.wer_before, rep.wer_after,
                   rep.estimate.cpu_s);
        }
    }
    free(mllr);
    feedback_close(fc);
    bank_free(b);
    store_close(st);
    for (size_t i = 0; i < nf; i++)
        free(pcm[i]);
    return rc;
}

static int voice_forget(viva_app *app, int argc, char **argv)
{
    if (argc != 4 || strcmp(argv[2], "--profile") != 0) {
        voice_usage(stderr);
        return EXIT_USAGE;
    }
    store *st = NULL;
    store_profile p;
    int rc = voice_profile(app, argv[3], "voice forget", &st, &p);
    if (rc != EXIT_OK)
        return rc;
    store_voice v;
    int found = 0;
    store_voice_get(st, p.id, &v, &found);
    if (found)
        store_voice_free(&v);
    int e = store_voice_clear(st, p.id);
    if (e)
        fprintf(stderr, "voice forget: %s\n", viva_strerror(e));
    else if (found)
        printf("%s's voice adaptation is removed: the generic model is used\n", p.name);
    else
        printf("%s has no voice adaptation (a damaged one is removed)\n", p.name);
    store_close(st);
    return e ? EXIT_FAIL : EXIT_OK;
}

int cmd_voice(viva_app *app, int argc, char **argv)
{
    if (argc < 2) {
        voice_usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "test") == 0)
        return voice_test(app, argc, argv);
    if (strcmp(argv[1], "say") == 0)
        return voice_say(app, argc, argv);
    if (strcmp(argv[1], "enrol") == 0)
        return voice_enrol(app, argc, argv);
    if (strcmp(argv[1], "forget") == 0)
        return voice_forget(app, argc, argv);
    if (strcmp(argv[1], "script") == 0) {
        for (size_t i = 0; i < adapt_script_count(); i++)
            printf("%2zu  %s\n", i + 1, adapt_script(i));
        return EXIT_OK;
    }
    if (strcmp(argv[1], "phrases") == 0) {
        for (int c = 1; c < SPEECH_CMD_COUNT; c++)
            printf("%-10s %s\n", speech_cmd_name((speech_cmd_id)c),
                   speech_cmd_phrase((speech_cmd_id)c));
        return EXIT_OK;
    }
    voice_usage(stderr);
    return EXIT_USAGE;
}

#else

int cmd_voice(viva_app *app, int argc, char **argv)
{
    (void)app;
    (void)argc;
    (void)argv;
    fprintf(stderr, "voice: this viva was built without speech (flite and pocketsphinx were not "
                    "found at build time)\n");
    return VOICE_EXIT_NOSPEECH;
}

#endif
