/* bench_audio.c: the capture path at real speed. A 16 kHz mono recording (10 minutes by default;
 * VIVA_BENCH_AUDIO_SECONDS overrides) through a real PortAudio stream on the virtual microphone
 * of tests/audio/virtual-audio.conf, into a WAV file, with the level meter and the VAD running.
 *
 * The virtual microphone reads a file and is normally not paced. Here its file is a named pipe
 * that a feeder thread fills with 20 ms of speech-like signal every 20 ms by the monotonic clock,
 * so the device is paced by the clock, as a USB microphone is. (When PortAudio opens and closes
 * the device while probing it, the feeder sees EPIPE and waits for the next reader.)
 * Measured caveat: alsa-lib's file plugin asks the pipe for more than the feeder has written and
 * fills the rest of its period with silence, so about half of the captured samples are zeros
 * and audio arrives at about twice real time. The per-sample work of viva's path (ring, VAD,
 * level meter, WAV writing) does not depend on the content, and twice real time is a harsher
 * test for overruns, so the figures stand; the speech figure is not meaningful here.
 *
 * Figures: CPU time of the whole process (PortAudio's thread, the writer thread, the feeder)
 * per second of audio, in percent of one core; ring overruns; resident memory at 10 s and at
 * the end. Written to the file named by the only argument. Nothing is asserted. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audio.h"

#define RATE AUDIO_RATE
#define BLOCK 320 /* 20 ms */

static _Atomic int feeder_stop;
static _Atomic long long fed_frames;
static char fifo_path[256];

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 + ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec * 1e-6;
}

static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
            break;
    if (f)
        fclose(f);
    return kib;
}

/* Syllable-like bursts: 180 Hz voice with harmonics, 3 Hz envelope, pauses every few seconds. */
static void make_block(int16_t *x, int64_t at)
{
    for (int i = 0; i < BLOCK; i++) {
        double t = (double)(at + i) / RATE;
        double env = fmod(t, 7.0) < 5.0 ? 0.5 + 0.5 * sin(2 * M_PI * 3 * t) : 0.0;
        double v = sin(2 * M_PI * 180 * t) + 0.4 * sin(2 * M_PI * 360 * t);
        x[i] = (int16_t)lrint(6000 * env * v + 30 * sin(2 * M_PI * 50 * t));
    }
}

static void *feeder(void *arg)
{
    (void)arg;
    int16_t block[BLOCK];
    int64_t at = 0;
    double next = mono_s();
    while (!atomic_load(&feeder_stop)) {
        int fd = open(fifo_path, O_WRONLY); /* blocks until the device opens the pipe */
        if (fd < 0)
            break;
        next = mono_s();
        while (!atomic_load(&feeder_stop)) {
            make_block(block, at);
            if (write(fd, block, sizeof block) != (ssize_t)sizeof block)
                break; /* EPIPE: the reader closed (probing); wait for the next one */
            at += BLOCK;
            atomic_store(&fed_frames, at);
            next += (double)BLOCK / RATE;
            double wait = next - mono_s();
            if (wait > 0) {
                struct timespec ts = {(time_t)wait, (long)((wait - (time_t)wait) * 1e9)};
                nanosleep(&ts, NULL);
            }
        }
        close(fd);
    }
    return NULL;
}

static void discard(void *ctx, const audio_status *st)
{
    (void)ctx, (void)st;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench_audio OUTPUT_FILE\n");
        return 2;
    }
    const char *src = getenv("VIVA_SOURCE_DIR");
    char conf[512], boot[300], wav[300];
    snprintf(conf, sizeof conf, "%s/tests/audio/virtual-audio.conf", src ? src : ".");
    double seconds = getenv("VIVA_BENCH_AUDIO_SECONDS") ? atof(getenv("VIVA_BENCH_AUDIO_SECONDS"))
                                                        : 600.0;
    char dir[] = "/tmp/viva_bench_audio_XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(fifo_path, sizeof fifo_path, "%s/mic.fifo", dir);
    snprintf(boot, sizeof boot, "%s/boot.raw", dir);
    snprintf(wav, sizeof wav, "%s/answer.wav", dir);
    FILE *b = fopen(boot, "wb");
    int16_t zeros[BLOCK] = {0};
    if (!b || fwrite(zeros, sizeof zeros, 1, b) != 1 || fclose(b) != 0 ||
        mkfifo(fifo_path, 0600) != 0) {
        perror(dir);
        return 1;
    }
    signal(SIGPIPE, SIG_IGN);
    setenv("ALSA_CONFIG_PATH", conf, 1);
    setenv("TEST_MIC_RAW", boot, 1); /* a plain file while PortAudio probes the devices */

    char err[512];
    audio *a;
    if (audio_open(&a, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    audio_file_sink *fs;
    if (audio_file_sink_open(wav, &fs, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    setenv("TEST_MIC_RAW", fifo_path, 1);
    pthread_t ft;
    pthread_create(&ft, NULL, feeder, NULL);

    audio_capture_params p = {0};
    p.device = "test_mic";
    p.max_seconds = seconds;
    p.silence_seconds = 0; /* record the whole time; the VAD still runs */
    p.ring_seconds = 2.0;  /* small on purpose: the writer must keep up */
    p.sink = audio_file_sink_get(fs);
    p.notify = discard;
    double cpu0 = cpu_s(), t0 = mono_s();
    audio_capture *c;
    if (audio_capture_start(a, &p, &c, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    long rss_early = -1, rss_peak = 0;
    audio_status st;
    for (;;) {
        audio_capture_status(c, &st);
        if (st.ended)
            break;
        long r = rss_kib();
        if (rss_early < 0 && st.frames >= 10 * RATE)
            rss_early = r;
        if (r > rss_peak)
            rss_peak = r;
        struct timespec ts = {0, 200000000L};
        nanosleep(&ts, NULL);
    }
    long rss_end = rss_kib();
    audio_result res;
    int rc = audio_capture_stop(c, &res);
    double cpu = cpu_s() - cpu0, wall = mono_s() - t0;
    atomic_store(&feeder_stop, 1);
    int fd = open(fifo_path, O_RDONLY | O_NONBLOCK); /* unblock a feeder waiting in open() */
    pthread_join(ft, NULL);
    if (fd >= 0)
        close(fd);
    audio_file_sink_close(fs, err, sizeof err);
    audio_close(a);

    double audio_s = (double)res.frames / RATE;
    FILE *out = fopen(argv[1], "w");
    if (!out) {
        perror(argv[1]);
        return 1;
    }
    fprintf(out, "audio_capture_seconds: %.1f s\n", audio_s);
    fprintf(out, "audio_capture_wall: %.1f s\n", wall);
    fprintf(out, "audio_capture_end: %s\n", audio_end_name(res.reason));
    fprintf(out, "audio_capture_cpu_per_audio_second: %.3f %% of one core\n",
            audio_s > 0 ? 100.0 * cpu / audio_s : 0.0);
    fprintf(out, "audio_capture_overruns: %" PRId64 " samples\n", res.overruns);
    fprintf(out, "audio_capture_rss_at_10s: %ld KiB\n", rss_early);
    fprintf(out, "audio_capture_rss_end: %ld KiB\n", rss_end);
    fprintf(out, "audio_capture_rss_peak: %ld KiB\n", rss_peak);
    fprintf(out, "audio_capture_rss_growth: %ld KiB\n", rss_early >= 0 ? rss_end - rss_early : 0);
    fprintf(out, "audio_capture_speech_detected: %.1f s\n", res.stats.talk_ms / 1000.0);
    fclose(out);
    if (!getenv("VIVA_BENCH_KEEP"))
        unlink(wav);
    unlink(boot);
    unlink(fifo_path);
    rmdir(dir);
    return rc ? 1 : 0;
}
