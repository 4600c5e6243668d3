/* cmd_audio.c: `viva audio devices|record|play`, the installer's tools for checking the
 * microphone and the speaker on a fresh device. They go through the same src/audio calls as the
 * kiosk: device choice by name from audio.input / audio.output (or --device), the capture
 * session with its level meter, the player.
 *
 * Exit codes: 0 ok, 1 failure, 2 usage, 10 no such device / no device at all (AUDIO_EXIT_NODEV),
 * 11 the device is busy (AUDIO_EXIT_BUSY), 12 the microphone stopped during the recording
 * (what was captured is kept in the file; AUDIO_EXIT_LOST). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "audio.h"
#include "store.h"
#include "verr.h"

enum { AUDIO_EXIT_NODEV = 10, AUDIO_EXIT_BUSY = 11, AUDIO_EXIT_LOST = 12 };

static void audio_usage(FILE *out)
{
    fprintf(out,
            "usage: viva audio devices\n"
            "       viva audio record --seconds N --out FILE.wav|FILE.flac [--device NAME]\n"
            "                         [--until-silence] [--rate HZ]\n"
            "       viva audio play FILE|--rec ID [--device NAME] [--speed 0.75..2]\n"
            "Devices are chosen by name (exact, then part of the name); the default comes from\n"
            "audio.input / audio.output in the configuration, else the system default.\n");
}

static int exit_for(int rc)
{
    switch (rc) {
    case VIVA_OK:
        return EXIT_OK;
    case VIVA_ENODEV:
        return AUDIO_EXIT_NODEV;
    case VIVA_EBUSY:
        return AUDIO_EXIT_BUSY;
    default:
        return EXIT_FAIL;
    }
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int cmd_devices(audio *a)
{
    audio_device_info *l;
    int n = audio_devices(a, &l);
    int nin = 0, nout = 0;
    for (int pass = 0; pass < 2; pass++) {
        printf("%s devices:\n", pass == 0 ? "input" : "output");
        for (int i = 0; i < n; i++) {
            int ch = pass == 0 ? l[i].max_input : l[i].max_output;
            if (ch <= 0)
                continue;
            int def = pass == 0 ? l[i].is_default_input : l[i].is_default_output;
            printf("  %c \"%s\"  %d ch, %.0f Hz default%s  [%s]\n", def ? '*' : ' ', l[i].name,
                   ch, l[i].default_rate,
                   pass == 0 ? (l[i].input_16k_mono ? ", takes 16 kHz mono"
                                                    : ", converted from its own rate")
                             : "",
                   l[i].host_api);
            if (pass == 0)
                nin++;
            else
                nout++;
        }
        if ((pass == 0 ? nin : nout) == 0)
            printf("    none\n");
    }
    printf("(* = system default; set audio.input / audio.output to a name or part of one)\n");
    free(l);
    return nin == 0 ? AUDIO_EXIT_NODEV : EXIT_OK;
}

/* The live level line: a 30-character bar from -60 to 0 dBFS. */
static void level_line(const audio_status *st, double seconds)
{
    char bar[31];
    int fill = (int)lrint((st->rms_dbfs + 60.0) / 2.0);
    fill = fill < 0 ? 0 : fill > 30 ? 30 : fill;
    for (int i = 0; i < 30; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[30] = '\0';
    fprintf(stderr, "\r%6.1f s [%s] %6.1f dBFS peak %6.1f %-8s%-6s%-10s", seconds, bar,
            st->rms_dbfs, st->peak_dbfs, st->speaking ? "speech" : "", st->clipping ? "CLIP" : "",
            st->too_quiet ? "too quiet" : "");
    fflush(stderr);
}

static int cmd_record(viva_app *app, audio *a, int argc, char **argv)
{
    double seconds = 0;
    const char *outpath = NULL, *device = app->cfg.audio_input;
    int until_silence = 0, rate = 0;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
            seconds = atof(argv[++i]);
        else if (!strcmp(argv[i], "--out") && i + 1 < argc)
            outpath = argv[++i];
        else if (!strcmp(argv[i], "--device") && i + 1 < argc)
            device = argv[++i];
        else if (!strcmp(argv[i], "--rate") && i + 1 < argc)
            rate = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--until-silence"))
            until_silence = 1;
        else {
            fprintf(stderr, "viva audio record: unexpected '%s'\n", argv[i]);
            audio_usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (!(seconds > 0) || seconds > 3600 || !outpath) {
        fprintf(stderr, "viva audio record: need --seconds N (0 < N <= 3600) and --out FILE\n");
        return EXIT_USAGE;
    }
    char err[768];
    audio_file_sink *fs;
    int rc = audio_file_sink_open(outpath, &fs, err, sizeof err);
    if (rc) {
        fprintf(stderr, "viva %s\n", err);
        return EXIT_FAIL;
    }
    audio_capture_params p = {0};
    p.device = device;
    p.max_seconds = seconds;
    p.device_rate = rate;
    p.silence_seconds = until_silence ? app->cfg.silence_seconds : 0;
    p.sink = audio_file_sink_get(fs);
    audio_capture *c;
    rc = audio_capture_start(a, &p, &c, err, sizeof err);
    if (rc) {
        fprintf(stderr, "viva %s\n", err);
        audio_file_sink_close(fs, err, sizeof err);
        unlink(outpath);
        return exit_for(rc);
    }
    int tty = isatty(2);
    audio_status st;
    for (int tick = 0;; tick++) {
        audio_capture_status(c, &st);
        /* On a terminal the line redraws itself; in a log, one line a second. */
        if (tty || tick % 20 == 0)
            level_line(&st, (double)st.frames / AUDIO_RATE);
        if (!tty && tick % 20 == 0)
            fputc('\n', stderr);
        if (st.ended)
            break;
        sleep_ms(50);
    }
    audio_result res;
    rc = audio_capture_stop(c, &res);
    level_line(&st, (double)res.frames / AUDIO_RATE);
    fputc('\n', stderr);
    int frc = audio_file_sink_close(fs, err, sizeof err);
    if (frc)
        fprintf(stderr, "viva %s\n", err);
    printf("recorded %.2f s from \"%s\" (%d Hz x%d) to %s; ended by %s; speech %.1f s, "
           "first word at %.1f s, longest pause %.1f s, overruns %" PRId64 "\n",
           (double)res.frames / AUDIO_RATE, res.device, res.device_rate, res.device_channels,
           outpath, audio_end_name(res.reason), res.stats.talk_ms / 1000.0,
           res.stats.first_word_ms / 1000.0, res.stats.longest_pause_ms / 1000.0,
           res.overruns);
    if (rc) {
        fprintf(stderr, "viva %s\n", res.message);
        return res.reason == AUDIO_END_DEVICE_LOST ? AUDIO_EXIT_LOST : EXIT_FAIL;
    }
    return frc ? EXIT_FAIL : EXIT_OK;
}

/* A recording from the store, trimmed. */
static int load_rec(viva_app *app, const char *id, int16_t **pcm, size_t *frames, int *rate)
{
    char err[512];
    store *st;
    int rc = store_open(app->data_dir, STORE_READONLY, &st, err, sizeof err);
    if (rc) {
        fprintf(stderr, "viva audio play: %s\n", err);
        return rc;
    }
    rc = store_rec_read(st, strtoull(id, NULL, 10), pcm, frames, rate);
    if (rc)
        fprintf(stderr, "viva audio play: recording %s in %s: %s\n", id, app->data_dir,
                viva_strerror(rc));
    store_close(st);
    return rc;
}

static int cmd_play(viva_app *app, audio *a, int argc, char **argv)
{
    const char *file = NULL, *rec = NULL, *device = app->cfg.audio_output;
    double speed = 1.0;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--device") && i + 1 < argc)
            device = argv[++i];
        else if (!strcmp(argv[i], "--speed") && i + 1 < argc)
            speed = atof(argv[++i]);
        else if (!strcmp(argv[i], "--rec") && i + 1 < argc)
            rec = argv[++i];
        else if (argv[i][0] != '-' && !file)
            file = argv[i];
        else {
            fprintf(stderr, "viva audio play: unexpected '%s'\n", argv[i]);
            audio_usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (!file == !rec || !(speed >= AUDIO_SPEED_MIN && speed <= AUDIO_SPEED_MAX)) {
        fprintf(stderr, "viva audio play: need a FILE or --rec ID, and a speed in 0.75..2\n");
        return EXIT_USAGE;
    }
    char err[768];
    int16_t *pcm = NULL;
    size_t frames = 0;
    int rate = AUDIO_RATE;
    int rc = rec ? load_rec(app, rec, &pcm, &frames, &rate)
                 : audio_file_load(file, &pcm, &frames, err, sizeof err);
    if (rc) {
        if (!rec)
            fprintf(stderr, "viva %s\n", err);
        return EXIT_FAIL;
    }
    audio_player *p;
    rc = audio_player_open(a, device, pcm, frames, rate, &p, err, sizeof err);
    free(pcm);
    if (rc) {
        fprintf(stderr, "viva %s\n", err);
        return exit_for(rc);
    }
    audio_player_set_speed(p, speed);
    rc = audio_player_play(p);
    while (!rc && !audio_player_finished(p) && audio_player_playing(p)) {
        fprintf(stderr, "\r%6.1f / %.1f s", (double)audio_player_position(p) / rate,
                (double)frames / rate);
        sleep_ms(50);
    }
    fprintf(stderr, "\r%6.1f / %.1f s\n", (double)audio_player_position(p) / rate,
            (double)frames / rate);
    audio_player_close(p);
    return exit_for(rc);
}

int cmd_audio(viva_app *app, int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        audio_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "devices") && strcmp(sub, "record") && strcmp(sub, "play")) {
        fprintf(stderr, "viva audio: unknown subcommand '%s'\n", sub);
        audio_usage(stderr);
        return EXIT_USAGE;
    }
    char err[512];
    audio *a;
    int rc = audio_open(&a, err, sizeof err);
    if (rc) {
        fprintf(stderr, "viva %s\n", err);
        return EXIT_FAIL;
    }
    int ex = !strcmp(sub, "devices") ? cmd_devices(a)
             : !strcmp(sub, "record") ? cmd_record(app, a, argc, argv)
                                      : cmd_play(app, a, argc, argv);
    audio_close(a);
    return ex;
}
