/* cmd_voice.c: `viva voice test|say|phrases`, the installer's tools for the speech features.
 * `voice test` listens on the configured microphone (audio.input, or --device) through the same
 * capture and recogniser the kiosk uses, and prints each command phrase it hears with its
 * position and the command it would trigger; `voice say` speaks a text with the configured
 * voice on the configured speaker (or into a WAV file); `voice phrases` lists the phrases.
 *
 * Exit codes: 0 ok, 1 failure, 2 usage, 10 no such device / no device at all, 13 this viva was
 * built without speech (VOICE_EXIT_NOSPEECH). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "audio.h"
#include "verr.h"
#ifdef VIVA_HAVE_SPEECH
#include "speech_cmd.h"
#include "speech_tts.h"
#endif

enum { VOICE_EXIT_NODEV = 10, VOICE_EXIT_NOSPEECH = 13 };

#ifdef VIVA_HAVE_SPEECH

static void voice_usage(FILE *out)
{
    fprintf(out, "usage: viva voice test [--seconds N] [--device NAME] [--all]\n"
                 "       viva voice say TEXT... [--device NAME] [--out FILE.wav]\n"
                 "       viva voice phrases\n"
                 "`voice test` prints the command phrases it hears on the microphone (speech.*\n"
                 "thresholds from the configuration); by default every command counts, as in\n"
                 "the calmest moment of a session.\n");
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
