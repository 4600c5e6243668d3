/* bench_ui: figures for the kiosk UI, written to the file named by argv[1].
 *
 * 1. Frame time (p50/p99) of the question screen at 1920x1080 on SDL's software renderer
 *    (offscreen driver) while an answer is being recorded through PortAudio (virtual microphone)
 *    into a real LMDB store: measured in-process over 600 frames.
 * 2. The real program (`viva run`, a child process): start-up to first frame (viva logs it),
 *    CPU use while idle on the review screen (from /proc over 10 s) and resident memory (VmHWM).
 * Needs the virtual audio devices of tests/audio/virtual-audio.conf (set up here). */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "audio.h"
#include "screens.h"
#include "store.h"
#include "ui.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct {
    store *st;
    store_rec *rec;
} rec_sink;

static int sink_write(void *ctx, const int16_t *pcm, size_t frames)
{
    rec_sink *s = ctx;
    return store_rec_append(s->st, s->rec, pcm, frames);
}

/* A speech-like signal: a 220 Hz tone whose loudness swells every 0.7 s, never silent long. */
static int write_fixture(const char *path, int seconds)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    for (int i = 0; i < seconds * 16000; i++) {
        double env = 0.35 + 0.3 * sin(2 * M_PI * i / (0.7 * 16000));
        int16_t v = (int16_t)(12000 * env * sin(2 * M_PI * 220.0 * i / 16000));
        fwrite(&v, sizeof v, 1, f);
    }
    return fclose(f);
}

static int frame_times(FILE *out, const char *dir)
{
    char path[512], err[512];
    snprintf(path, sizeof path, "%s/mic.raw", dir);
    if (write_fixture(path, 120) != 0)
        return -1;
    setenv("TEST_MIC_RAW", path, 1);
    snprintf(path, sizeof path, "%s/data", dir);
    store *st;
    if (store_open(path, STORE_NOSYNC, &st, err, sizeof err) != 0) {
        fprintf(stderr, "bench_ui: %s\n", err);
        return -1;
    }
    uint32_t prof;
    store_profile_add(st, "bench", 0, &prof);
    rec_sink rs = {st, NULL};
    store_rec_begin(st, prof, 16000, 0, &rs.rec);
    audio *au;
    if (audio_open(&au, err, sizeof err) != 0) {
        fprintf(stderr, "bench_ui: %s\n", err);
        return -1;
    }
    audio_capture_params cp;
    memset(&cp, 0, sizeof cp);
    cp.silence_seconds = 30;
    cp.sink = (audio_sink){&rs, sink_write};
    audio_capture *cap;
    if (audio_capture_start(au, &cp, &cap, err, sizeof err) != 0) {
        fprintf(stderr, "bench_ui: %s\n", err);
        return -1;
    }
    ui_options uo = {.width = 1920, .height = 1080, .title = "bench"};
    ui *u;
    int nodisp;
    if (ui_open(&uo, &u, &nodisp, err, sizeof err) != 0) {
        fprintf(stderr, "bench_ui: %s\n", err);
        return -1;
    }
    enum { FRAMES = 600 };
    static double t[FRAMES];
    unsigned long renders_before = 0;
    for (int i = 0; i < FRAMES; i++) {
        audio_status as;
        audio_capture_status(cap, &as);
        question_view v = {
            .topic = "Concurrency", .level = 3,
            .question = "Explain how a buffered channel differs from an unbuffered one, and "
                        "when you would choose each in a worker pool.",
            .phase = PHASE_ANSWER, .seconds_left = 120 - i / 60.0, .phase_seconds = 120,
            .number = 3, .total = 10, .recording = 1, .level_db = as.rms_dbfs,
            .hint = "Enter: end the answer    Esc: quit",
        };
        double t0 = now_s();
        screen_question(u, &v);
        ui_present(u);
        t[i] = (now_s() - t0) * 1000.0;
        if (i == 60)
            renders_before = ui_text_renders(u);
    }
    unsigned long renders_after = ui_text_renders(u);
    qsort(t, FRAMES, sizeof t[0], cmp_double);
    fprintf(out, "question screen 1920x1080 while recording, software renderer, %d frames\n",
            FRAMES);
    fprintf(out, "frame_time_p50: %.2f ms\nframe_time_p99: %.2f ms\n", t[FRAMES / 2],
            t[FRAMES * 99 / 100]);
    /* Only the countdown digits change each second: new text rasterised per second shown. */
    fprintf(out, "text_rasterised_per_frame_after_warmup: %.3f\n",
            (double)(renders_after - renders_before) / (FRAMES - 61));
    audio_result res;
    audio_capture_stop(cap, &res);
    store_rec_finish(st, rs.rec, 0, 0);
    /* The virtual microphone is not paced (seconds arrive in milliseconds), so overruns here
     * say nothing about a real device; bench_audio measures those with a paced feed. */
    fprintf(out, "audio_written_to_store_during_frames: %.1f s\n", res.frames / 16000.0);
    ui_close(u);
    audio_close(au);
    store_close(st);
    return 0;
}

static long proc_cpu_ticks(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')');
    unsigned long ut, st;
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
        return -1;
    return (long)(ut + st);
}

static long proc_status_kb(pid_t pid, const char *field)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long kb = -1;
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, field, strlen(field)) == 0)
            kb = atol(line + strlen(field) + 1);
    fclose(f);
    return kb;
}

static int child_figures(FILE *out, const char *dir)
{
    char exe[512], viva[600], script[512], log[512], data[512], raw[512];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return -1;
    exe[n] = '\0';
    *strrchr(exe, '/') = '\0';
    snprintf(viva, sizeof viva, "%s/../src/app/viva", exe);
    snprintf(script, sizeof script, "%s/script", dir);
    snprintf(log, sizeof log, "%s/log", dir);
    snprintf(data, sizeof data, "%s/childdata", dir);
    snprintf(raw, sizeof raw, "%s/answer.raw", dir);
    if (write_fixture(raw, 3) != 0)
        return -1;
    FILE *s = fopen(script, "w");
    if (!s)
        return -1;
    fputs("300 key Return\n600 key Return\n1200 key Return\n14000 quit\n", s);
    fclose(s);
    setenv("TEST_MIC_RAW", raw, 1);
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen(log, "w", stderr))
            _exit(127);
        execl(viva, viva, "--data-dir", data, "--set", "display.width=1920", "--set",
              "display.height=1080", "--set", "session.think_seconds=5", "--set",
              "speech.enabled=false", "--set", "speech.commands=false", "run", "--script",
              script, (char *)NULL);
        _exit(127);
    }
    /* Idle on the review screen from 3 s to 13 s. */
    usleep(3000 * 1000);
    long c0 = proc_cpu_ticks(pid);
    double t0 = now_s();
    usleep(10000 * 1000);
    long c1 = proc_cpu_ticks(pid);
    double t1 = now_s();
    long rss = proc_status_kb(pid, "VmRSS:"), hwm = proc_status_kb(pid, "VmHWM:");
    int status;
    waitpid(pid, &status, 0);
    double hz = (double)sysconf(_SC_CLK_TCK);
    fprintf(out, "review screen idle cpu: %.2f %% of one core (10 s)\n",
            (c1 - c0) / hz / (t1 - t0) * 100.0);
    fprintf(out, "resident memory: %.1f MB now, %.1f MB peak\n", rss / 1024.0, hwm / 1024.0);
    FILE *l = fopen(log, "r");
    char line[512];
    while (l && fgets(line, sizeof line, l)) {
        const char *p = strstr(line, "first frame ");
        if (p)
            fprintf(out, "start-up to first frame: %s", p + strlen("first frame "));
    }
    if (l)
        fclose(l);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench_ui OUTFILE\n");
        return 2;
    }
    FILE *out = fopen(argv[1], "w");
    if (!out)
        return 1;
    char dir[] = "/tmp/viva-bench-ui-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    const char *src = getenv("VIVA_SOURCE_DIR");
    char alsa[600];
    snprintf(alsa, sizeof alsa, "/usr/share/alsa/alsa.conf:%s/tests/audio/virtual-audio.conf",
             src ? src : ".");
    setenv("ALSA_CONFIG_PATH", alsa, 1);
    setenv("SDL_VIDEODRIVER", "offscreen", 1);
    setenv("SDL_FRAMEBUFFER_ACCELERATION", "0", 1);
    setenv("JACK_NO_START_SERVER", "1", 1);
    char spk[600];
    snprintf(spk, sizeof spk, "%s/spk.wav", dir);
    setenv("TEST_SPK_WAV", spk, 1);
    setenv("HOME", dir, 1);
    int rc = frame_times(out, dir) | child_figures(out, dir);
    fclose(out);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        rc = 1;
    return rc ? 1 : 0;
}
