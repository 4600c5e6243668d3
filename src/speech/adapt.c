/* adapt.c: speaker adaptation with Debian's sphinxtrain (adapt.h).
 *
 * adapt_estimate works in a private directory under $TMPDIR (mode 0700, removed at the end):
 *   s01.wav ... s12.wav   the sentences (16 kHz mono, libsndfile)
 *   ctl, trans, dict      their names, their words (lower case, punctuation dropped), and the
 *                         pronunciations of those words (CMU dictionary, then viva.dict)
 *   mdef.txt, mixture_weights   the model in the forms bw reads
 *   acc/, mllr_matrix     bw's statistics and mllr_solve's transform
 *   *.log                 each tool's output; the last line goes into the error message
 * The feature settings (-feat, -svspec, -agc, -varnorm) and the model's kind (-model: ptm, semi,
 * cont) come from the model's feat.params, so a model with other settings is adapted with its
 * own. */
#define _GNU_SOURCE
#include "adapt.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <pocketsphinx.h>
#include <sndfile.h>

#include "file.h"
#include "level.h"
#include "vad.h"
#include "strbuf.h"
#include "verr.h"

#ifndef VIVA_PS_MODEL_DIR
#define VIVA_PS_MODEL_DIR "/usr/share/pocketsphinx/model/en-us"
#endif
#ifndef VIVA_SPHINXTRAIN_DIR
#define VIVA_SPHINXTRAIN_DIR "/usr/lib/sphinxtrain"
#endif

#define RATE 16000
#define TOOL_SECONDS 600 /* a tool that runs longer than this is stopped */

/* Sentences to read: about 240 words, each with a few of the banks' technical words. */
static const char *const script[] = {
    "A goroutine is a function that runs concurrently with the rest of the program, and the "
    "scheduler spreads goroutines over a few threads.",
    "Channels pass values between goroutines, and a buffered channel lets the sender run "
    "ahead until the buffer is full.",
    "When two requests update the same row, the database takes a lock so that one of them "
    "waits for the other to commit.",
    "An index on the email column turns a full table scan into a quick lookup, but every "
    "insert has to update the index as well.",
    "Kubernetes restarts a container when its liveness probe fails, and stops sending traffic "
    "when the readiness probe fails.",
    "Redis keeps the whole data set in memory, which is why a cache miss costs far more than a "
    "hit.",
    "A reverse proxy such as nginx terminates the TLS connection and forwards the request to "
    "one of several backend servers.",
    "Store passwords as a slow salted hash, for example bcrypt or argon, and never as plain "
    "text.",
    "The garbage collector marks every object it can reach from the roots and frees the "
    "memory of everything else.",
    "An idempotent operation gives the same result when it is repeated, so a client can "
    "safely retry it after a timeout.",
    "Metrics tell you that something is wrong, logs tell you what happened, and traces show "
    "where the time went.",
    "Before a release, the pipeline builds the image, runs the tests and deploys to staging "
    "first.",
};

size_t adapt_script_count(void)
{
    return sizeof script / sizeof script[0];
}

const char *adapt_script(size_t i)
{
    return i < adapt_script_count() ? script[i] : NULL;
}

/* ---- The identity and the check of a transform ------------------------------------------- */

static const char identity[] =
    "1\n3\n"
#define ROW(a, b, c, d, e, f, g, h, i, j, k, l, m) #a " " #b " " #c " " #d " " #e " " #f " " #g \
    " " #h " " #i " " #j " " #k " " #l " " #m "\n"
#define EYE                                     \
    "13\n"                                      \
    ROW(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)  \
    ROW(0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)  \
    ROW(0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)  \
    ROW(0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0)  \
    ROW(0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0)  \
    ROW(0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0)  \
    ROW(0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0)  \
    ROW(0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0)  \
    ROW(0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0)  \
    ROW(0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0)  \
    ROW(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0)  \
    ROW(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0)  \
    ROW(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)  \
    ROW(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)  \
    ROW(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)
    EYE EYE EYE;
#undef EYE
#undef ROW

const char *adapt_identity(void)
{
    return identity;
}

/* The layout pocketsphinx's ps_mllr_read expects: classes, streams, then per stream its
 * length, the matrix A (rows), the offset b and the variance scale h. */
int adapt_check_transform(const char *data, size_t len, char *err, size_t errlen)
{
    if (!data || len == 0 || len > 64 * 1024 || memchr(data, 0, len)) {
        snprintf(err, errlen, "not a transform (%zu bytes)", len);
        return -1;
    }
    char *text = xstrndup(data, len), *p = text, *end;
    int rc = -1;
    long ncls = strtol(p, &end, 10);
    p = end;
    long nfeat = strtol(p, &end, 10);
    p = end;
    if (ncls != 1 || nfeat != 3) {
        snprintf(err, errlen, "%ld classes and %ld streams, expected 1 and 3", ncls, nfeat);
        goto done;
    }
    for (int f = 0; f < 3; f++) {
        long dim = strtol(p, &end, 10);
        p = end;
        if (dim != 13) {
            snprintf(err, errlen, "stream %d has length %ld, expected 13", f, dim);
            goto done;
        }
        double diag = 0, v;
        for (int i = 0; i < 13 * 13 + 13 + 13; i++) {
            v = strtod(p, &end);
            if (end == p || !isfinite(v) || fabs(v) > 1e4) {
                snprintf(err, errlen, "stream %d: value %d is %s", f, i,
                         end == p ? "missing" : "out of range");
                goto done;
            }
            p = end;
            if (i < 169 && i % 14 == 0)
                diag += v;
            if (i >= 182 && v <= 0) {
                snprintf(err, errlen, "stream %d: variance scale %d is not positive", f,
                         i - 182);
                goto done;
            }
        }
        if (diag / 13 < 0.1 || diag / 13 > 10) {
            snprintf(err, errlen, "stream %d: the matrix is degenerate (mean diagonal %.3g)", f,
                     diag / 13);
            goto done;
        }
    }
    while (isspace((unsigned char)*p))
        p++;
    if (*p) {
        snprintf(err, errlen, "text after the transform");
        goto done;
    }
    rc = 0;
done:
    free(text);
    return rc;
}

int adapt_apply(struct ps_decoder_s *ps, const char *data, size_t len, char *err,
                size_t errlen)
{
    if (!data) {
        data = identity;
        len = sizeof identity - 1;
    }
    char why[300];
    if (adapt_check_transform(data, len, why, sizeof why) != 0) {
        snprintf(err, errlen, "the voice adaptation is damaged (%s)", why);
        return VIVA_EPARSE;
    }
    /* pocketsphinx reads a transform from a file only: an unlinked temporary file, read
     * through /proc/self/fd */
    const char *tmp = getenv("TMPDIR");
    char path[600], fdpath[64];
    snprintf(path, sizeof path, "%s/viva-mllr-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(path);
    if (fd >= 0)
        unlink(path);
    snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", fd);
    int bad = fd < 0 || write(fd, data, len) != (ssize_t)len;
    ps_mllr_t *m = bad ? NULL : ps_mllr_read(fdpath);
    if (fd >= 0)
        close(fd);
    if (!m || !ps_update_mllr(ps, m)) {
        snprintf(err, errlen, "pocketsphinx could not %s the voice adaptation",
                 bad ? "write" : m ? "apply" : "read");
        return VIVA_EIO;
    }
    return VIVA_OK;
}

/* ---- Mixture weights for bw --------------------------------------------------------------- */

static int read_str(FILE *f, char *buf, size_t cap, int *end)
{
    uint32_t n;
    *end = 0;
    if (fread(&n, 4, 1, f) != 1)
        return -1;
    if (n == 0) {
        *end = 1;
        return 0;
    }
    if (n > 4096)
        return -1;
    char tmp[4096];
    if (fread(tmp, 1, n, f) != n)
        return -1;
    snprintf(buf, cap, "%.*s", (int)n - 1, tmp);
    return 0;
}

/* sendump: a header of length-prefixed strings ("feature_count 3", "mixw_shift 10", ...)
 * ending with an empty one; then the number of codewords and of senones; then, per stream and
 * codeword, one byte per senone: the weight is 1.0001^-(byte << shift). mixture_weights:
 * "s3" header, byte-order word, the three dimensions and their product, then floats as
 * [senone][stream][codeword]. */
int adapt_write_mixw(const char *sendump, const char *out, char *err, size_t errlen)
{
    FILE *in = fopen(sendump, "rb");
    if (!in) {
        snprintf(err, errlen, "%s: %s", sendump, strerror(errno));
        return -1;
    }
    char s[4096];
    int end = 0, shift = 10, nfeat = 0, clusters = 0, rc = -1;
    unsigned char *raw = NULL;
    float *w = NULL;
    FILE *o = NULL;
    if (read_str(in, s, sizeof s, &end) || end)
        goto bad;
    for (;;) {
        if (read_str(in, s, sizeof s, &end))
            goto bad;
        if (end)
            break;
        sscanf(s, "mixw_shift %d", &shift);
        sscanf(s, "feature_count %d", &nfeat);
        sscanf(s, "cluster_count %d", &clusters);
    }
    uint32_t dims[2];
    if (clusters != 0 || nfeat < 1 || nfeat > 8 || shift < 0 || shift > 16 ||
        fread(dims, 4, 2, in) != 2 || dims[0] < 1 || dims[0] > 1024 || dims[1] < 1 ||
        dims[1] > 100000)
        goto bad;
    size_t ncw = dims[0], nsen = dims[1], total = (size_t)nfeat * ncw * nsen;
    raw = malloc(total);
    w = malloc(total * sizeof *w);
    if (!raw || !w || fread(raw, 1, total, in) != total)
        goto bad;
    double lut[256];
    for (int b = 0; b < 256; b++)
        lut[b] = pow(1.0001, -(double)(b << shift));
    for (size_t f = 0; f < (size_t)nfeat; f++)
        for (size_t c = 0; c < ncw; c++) {
            const unsigned char *row = raw + (f * ncw + c) * nsen;
            for (size_t i = 0; i < nsen; i++)
                w[(i * (size_t)nfeat + f) * ncw + c] = (float)lut[row[i]];
        }
    o = fopen(out, "wb");
    uint32_t head[5] = {0x11223344, (uint32_t)nsen, (uint32_t)nfeat, (uint32_t)ncw,
                        (uint32_t)total};
    static const char hdr[] = "s3\nversion 1.0\nendhdr\n";
    if (!o || fwrite(hdr, 1, sizeof hdr - 1, o) != sizeof hdr - 1 ||
        fwrite(head, 4, 5, o) != 5 || fwrite(w, sizeof *w, total, o) != total) {
        snprintf(err, errlen, "%s: cannot write: %s", out, strerror(errno));
        goto done;
    }
    rc = 0;
    goto done;
bad:
    snprintf(err, errlen, "%s: not a sendump file viva can read", sendump);
done:
    if (o && fclose(o) != 0 && rc == 0) {
        snprintf(err, errlen, "%s: cannot write: %s", out, strerror(errno));
        rc = -1;
    }
    fclose(in);
    free(raw);
    free(w);
    return rc;
}

/* ---- The estimation ---------------------------------------------------------------------- */

typedef struct {
    char dir[512];
    char model[512];
    char *err;
    size_t errlen;
    double cpu_s;
} job;

static void tool_path(char *out, size_t len, const char *tool)
{
    if (!strcmp(tool, "bw") || !strcmp(tool, "mllr_solve"))
        snprintf(out, len, "%s/%s", VIVA_SPHINXTRAIN_DIR, tool);
    else
        snprintf(out, len, "/usr/bin/%s", tool);
}

static const char *tool_package(const char *tool)
{
    if (!strcmp(tool, "sphinx_fe"))
        return "sphinxbase-utils";
    if (!strcmp(tool, "pocketsphinx_mdef_convert"))
        return "pocketsphinx";
    return "sphinxtrain";
}

static const char *const tools[] = {"sphinx_fe", "pocketsphinx_mdef_convert", "bw",
                                    "mllr_solve"};

int adapt_check(const char *model_dir, char *err, size_t errlen)
{
    char path[600];
    for (size_t i = 0; i < sizeof tools / sizeof tools[0]; i++) {
        tool_path(path, sizeof path, tools[i]);
        if (access(path, X_OK) != 0) {
            snprintf(err, errlen, "voice adaptation needs %s (install the Debian package %s)",
                     path, tool_package(tools[i]));
            return VIVA_ENOTFOUND;
        }
    }
    static const char *const files[] = {"mdef", "means", "variances", "sendump",
                                        "transition_matrices", "noisedict", "feat.params"};
    const char *m = model_dir && *model_dir ? model_dir : VIVA_PS_MODEL_DIR;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/en-us/%s", m, files[i]);
        if (access(path, R_OK) != 0) {
            snprintf(err, errlen, "voice adaptation needs the model file %s (install the "
                     "Debian package pocketsphinx-en-us)", path);
            return VIVA_ENOTFOUND;
        }
    }
    return 0;
}

/* The last non-empty line of a log, for the error message. */
static void last_line(const char *path, char *out, size_t len)
{
    char *text = NULL;
    size_t n = 0;
    out[0] = '\0';
    if (file_read(path, 1 << 24, &text, &n) != 0)
        return;
    while (n > 0 && isspace((unsigned char)text[n - 1]))
        text[--n] = '\0';
    char *nl = strrchr(text, '\n');
    snprintf(out, len, "%s", nl ? nl + 1 : text);
    free(text);
}

/* Runs tool with argv (NULL-terminated, argv[0] the tool's name) in j->dir, its output in
 * j->dir/NAME.log. 0, or VIVA_EIO with err. */
static int run(job *j, const char *const *argv)
{
    char path[600], log[700];
    tool_path(path, sizeof path, argv[0]);
    snprintf(log, sizeof log, "%s/%s.log", j->dir, argv[0]);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(j->err, j->errlen, "voice adaptation: cannot start %s: %s", path,
                 strerror(errno));
        return VIVA_EIO;
    }
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0 || chdir(j->dir) != 0)
            _exit(126);
        dup2(fd, 1);
        dup2(fd, 2);
        int nul = open("/dev/null", O_RDONLY);
        if (nul >= 0)
            dup2(nul, 0);
        execv(path, (char *const *)argv);
        _exit(127);
    }
    int status = 0;
    struct timespec t0, now, nap = {0, 20 * 1000 * 1000};
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct rusage ru;
    for (;;) {
        pid_t r = wait4(pid, &status, WNOHANG, &ru);
        if (r == pid)
            break;
        if (r < 0 && errno != EINTR) {
            snprintf(j->err, j->errlen, "voice adaptation: lost %s: %s", argv[0],
                     strerror(errno));
            return VIVA_EIO;
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - t0.tv_sec > TOOL_SECONDS) {
            kill(pid, SIGKILL);
            wait4(pid, &status, 0, &ru);
            snprintf(j->err, j->errlen, "voice adaptation: %s ran longer than %d s and was "
                     "stopped", argv[0], TOOL_SECONDS);
            return VIVA_EIO;
        }
        nanosleep(&nap, NULL);
    }
    j->cpu_s += ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
                (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    char last[300];
    last_line(log, last, sizeof last);
    if (WIFEXITED(status))
        snprintf(j->err, j->errlen, "voice adaptation: %s failed (exit %d): %s", argv[0],
                 WEXITSTATUS(status), last[0] ? last : "no output");
    else
        snprintf(j->err, j->errlen, "voice adaptation: %s was killed by signal %d", argv[0],
                 WTERMSIG(status));
    return VIVA_EIO;
}

/* The words of a sentence as bw's transcript wants them: lower case, letters, digits and
 * apostrophes; everything else separates words. */
static void words_of(const char *text, strbuf *out)
{
    int gap = 1;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (isalnum(*p) || *p == '\'') {
            if (gap && out->len && out->s[out->len - 1] != ' ')
                sb_appendc(out, ' ');
            sb_appendc(out, (char)tolower(*p));
            gap = 0;
        } else {
            gap = 1;
        }
    }
}

typedef struct {
    char **w;
    size_t n, cap;
} wordlist;

static int wl_has(const wordlist *l, const char *w, size_t len)
{
    for (size_t i = 0; i < l->n; i++)
        if (strlen(l->w[i]) == len && !memcmp(l->w[i], w, len))
            return 1;
    return 0;
}

static void wl_add(wordlist *l, const char *w, size_t len)
{
    if (wl_has(l, w, len))
        return;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->w = xrealloc(l->w, l->cap * sizeof *l->w);
    }
    l->w[l->n++] = xstrndup(w, len);
}

static void wl_free(wordlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->w[i]);
    free(l->w);
}

/* Appends to `dict` the lines of `path` whose word (without "(2)") is in `want` and not yet in
 * `have`; adds those words to `have` (the first dictionary that knows a word wins). */
static void pick_prons(const char *path, const wordlist *want, wordlist *have, strbuf *dict)
{
    FILE *f = path ? fopen(path, "r") : NULL;
    if (!f)
        return;
    wordlist here = {0};
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        size_t n = strcspn(line, " \t(");
        if (n == 0 || line[0] == ';' || line[0] == '#' || !wl_has(want, line, n))
            continue;
        if (wl_has(have, line, n) && !wl_has(&here, line, n))
            continue; /* an earlier dictionary has it */
        wl_add(&here, line, n);
        sb_append(dict, line);
        if (dict->len && dict->s[dict->len - 1] != '\n')
            sb_appendc(dict, '\n');
    }
    fclose(f);
    for (size_t i = 0; i < here.n; i++)
        wl_add(have, here.w[i], strlen(here.w[i]));
    wl_free(&here);
}

static int write_text(job *j, const char *name, const strbuf *b)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s", j->dir, name);
    FILE *f = fopen(path, "w");
    int bad = !f || fwrite(b->s ? b->s : "", 1, b->len, f) != b->len;
    if (f)
        bad |= fclose(f) != 0;
    if (bad)
        snprintf(j->err, j->errlen, "voice adaptation: cannot write %s: %s", path,
                 strerror(errno));
    return bad ? VIVA_EIO : 0;
}

static int write_wav(job *j, const char *name, const int16_t *pcm, size_t n)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s.wav", j->dir, name);
    SF_INFO info = {.samplerate = RATE, .channels = 1,
                    .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16};
    SNDFILE *f = sf_open(path, SFM_WRITE, &info);
    int bad = !f || sf_write_short(f, pcm, (sf_count_t)n) != (sf_count_t)n;
    if (f)
        bad |= sf_close(f) != 0;
    if (bad)
        snprintf(j->err, j->errlen, "voice adaptation: cannot write %s", path);
    return bad ? VIVA_EIO : 0;
}

/* "-feat 1s_c_d_dd" and the like from the model's feat.params. */
static void feat_param(const job *j, const char *key, const char *fallback, char *out,
                       size_t len)
{
    char path[700], line[512];
    snprintf(path, sizeof path, "%s/feat.params", j->model);
    snprintf(out, len, "%s", fallback);
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    while (fgets(line, sizeof line, f)) {
        char k[64], v[400];
        if (sscanf(line, "%63s %399s", k, v) == 2 && !strcmp(k, key) && strlen(v) < len)
            memcpy(out, v, strlen(v) + 1);
    }
    fclose(f);
}

static double speech_seconds(const int16_t *pcm, size_t n)
{
    vad_params vp;
    vad_params_default(&vp, RATE, 0);
    vad v;
    vad_init(&v, &vp);
    for (size_t i = 0; i < n; i += RATE)
        vad_feed(&v, pcm + i, n - i < RATE ? n - i : RATE);
    vad_finish(&v);
    return (double)vad_get_timeline(&v)->talk / RATE;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

/* bw says "Failed to align audio to trancript" (sic) for each utterance it cannot align to
 * its words; the others are aligned. */
static size_t count_aligned(const job *j, size_t used)
{
    char path[700], *text = NULL;
    size_t n = 0, failed = 0;
    snprintf(path, sizeof path, "%s/bw.log", j->dir);
    if (file_read(path, 1 << 24, &text, &n) != 0)
        return 0;
    for (char *p = text; (p = strstr(p, "Failed to align")) != NULL; p++)
        failed++;
    free(text);
    return failed > used ? 0 : used - failed;
}

int adapt_estimate(const adapt_sentence *s, size_t n, const char *model_dir, const char *dict,
                   char **out, size_t *len, adapt_report *rep, char *err, size_t errlen)
{
    *out = NULL;
    *len = 0;
    adapt_report r = {0};
    int rc = adapt_check(model_dir, err, errlen);
    if (rc)
        return rc;
    job j = {.err = err, .errlen = errlen};
    snprintf(j.model, sizeof j.model, "%s/en-us",
             model_dir && *model_dir ? model_dir : VIVA_PS_MODEL_DIR);
    const char *tmp = getenv("TMPDIR");
    snprintf(j.dir, sizeof j.dir, "%s/viva-adapt-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(j.dir)) {
        snprintf(err, errlen, "voice adaptation: cannot create a directory under %s: %s",
                 tmp && *tmp ? tmp : "/tmp", strerror(errno));
        return VIVA_EIO;
    }

    /* The words, their pronunciations, and the sentences that can be used. */
    strbuf *words = xcalloc(n ? n : 1, sizeof *words);
    wordlist want = {0}, have = {0};
    strbuf pron = {0}, ctl = {0}, trans = {0};
    for (size_t i = 0; i < n; i++) {
        words_of(s[i].text ? s[i].text : "", &words[i]);
        for (const char *p = sb_str(&words[i]); *p;) {
            size_t k = strcspn(p, " ");
            wl_add(&want, p, k);
            p += k + (p[k] == ' ');
        }
    }
    char cmudict[600];
    snprintf(cmudict, sizeof cmudict, "%s/../cmudict-en-us.dict", j.model);
    pick_prons(cmudict, &want, &have, &pron);
    pick_prons(dict, &want, &have, &pron);
    for (size_t i = 0; i < n && rc == 0; i++) {
        int ok = words[i].len > 0 && s[i].n >= RATE / 2, nwords = 1;
        for (const char *p = sb_str(&words[i]); *p && ok;) {
            size_t k = strcspn(p, " ");
            ok = wl_has(&have, p, k);
            nwords += p[k] == ' ';
            p += k + (p[k] == ' ');
        }
        if (!ok)
            continue;
        /* the level as feedback_analyse will hear the answers: a far too quiet microphone
         * amplified the same way */
        level_norm ln;
        level_norm_measure(s[i].pcm, s[i].n, &ln);
        int16_t *loud = ln.gain_db > 0 ? malloc(s[i].n * sizeof *loud) : NULL;
        if (loud) {
            memcpy(loud, s[i].pcm, s[i].n * sizeof *loud);
            level_normalise(loud, s[i].n, NULL);
        }
        const int16_t *pcm = loud ? loud : s[i].pcm;
        /* bw aligns words to anything, silence too: a sentence needs speech enough for its
         * words (about 0.15 s a word even when read fast) */
        double talk = speech_seconds(pcm, s[i].n);
        if (talk >= 0.15 * nwords) {
            char name[32];
            snprintf(name, sizeof name, "s%02zu", i + 1);
            rc = write_wav(&j, name, pcm, s[i].n);
            sb_appendf(&ctl, "%s\n", name);
            sb_appendf(&trans, "<s> %s </s> (%s)\n", sb_str(&words[i]), name);
            r.used++;
            r.seconds += talk;
        }
        free(loud);
    }
    if (rc == 0 && (r.used < 3 || r.seconds < 20)) {
        snprintf(err, errlen, "voice adaptation needs at least 3 sentences read aloud and "
                 "20 s of speech; it has %zu (%.0f s)", r.used,
                 r.seconds);
        rc = VIVA_EINVAL;
    }
    if (rc == 0)
        rc = write_text(&j, "ctl", &ctl);
    if (rc == 0)
        rc = write_text(&j, "trans", &trans);
    if (rc == 0)
        rc = write_text(&j, "dict", &pron);

    /* The model as bw reads it. */
    char a[700], b[700];
    if (rc == 0) {
        snprintf(a, sizeof a, "%s/sendump", j.model);
        snprintf(b, sizeof b, "%s/mixture_weights", j.dir);
        char why[600];
        if (adapt_write_mixw(a, b, why, sizeof why) != 0) {
            snprintf(err, errlen, "voice adaptation: %s", why);
            rc = VIVA_EIO;
        }
    }
    if (rc == 0) {
        snprintf(a, sizeof a, "%s/mdef", j.model);
        const char *argv[] = {"pocketsphinx_mdef_convert", "-text", a, "mdef.txt", NULL};
        rc = run(&j, argv);
    }
    char params[700], feat[64], svspec[128], agc[32], varnorm[32];
    snprintf(params, sizeof params, "%s/feat.params", j.model);
    feat_param(&j, "-feat", "1s_c_d_dd", feat, sizeof feat);
    feat_param(&j, "-svspec", "0-12/13-25/26-38", svspec, sizeof svspec);
    feat_param(&j, "-agc", "none", agc, sizeof agc);
    feat_param(&j, "-varnorm", "no", varnorm, sizeof varnorm);
    /* the model's kind names bw's tying of codebooks: ".ptm." (Debian's en-us), ".semi.",
     * ".cont." */
    char kind[32], tying[40];
    feat_param(&j, "-model", "ptm", kind, sizeof kind);
    snprintf(tying, sizeof tying, ".%s.", kind);
    if (rc == 0) {
        const char *argv[] = {"sphinx_fe", "-argfile", params, "-samprate", "16000", "-c",
                              "ctl", "-di", ".", "-do", ".", "-ei", "wav", "-eo", "mfc",
                              "-mswav", "yes", NULL};
        rc = run(&j, argv);
    }
    char means[700], vars[700], tmat[700], noise[700];
    snprintf(means, sizeof means, "%s/means", j.model);
    snprintf(vars, sizeof vars, "%s/variances", j.model);
    snprintf(tmat, sizeof tmat, "%s/transition_matrices", j.model);
    snprintf(noise, sizeof noise, "%s/noisedict", j.model);
    if (rc == 0) {
        char acc[700];
        snprintf(acc, sizeof acc, "%s/acc", j.dir);
        if (mkdir(acc, 0700) != 0) {
            snprintf(err, errlen, "voice adaptation: cannot create %s: %s", acc,
                     strerror(errno));
            rc = VIVA_EIO;
        }
    }
    if (rc == 0) {
        const char *argv[] = {"bw", "-moddeffn", "mdef.txt", "-ts2cbfn", tying,
                              "-meanfn", means, "-varfn", vars, "-mixwfn", "mixture_weights",
                              "-tmatfn", tmat, "-feat", feat, "-svspec", svspec, "-cmn",
                              "current", "-agc", agc, "-varnorm", varnorm, "-dictfn", "dict",
                              "-fdictfn", noise, "-ctlfn", "ctl", "-lsnfn", "trans",
                              "-cepdir", ".", "-accumdir", "acc", NULL};
        rc = run(&j, argv);
        r.aligned = rc == 0 ? count_aligned(&j, r.used) : 0;
        if (rc == 0 && r.aligned < 3) {
            snprintf(err, errlen, "voice adaptation: only %zu of %zu sentences matched their "
                     "text; read each sentence as it is shown", r.aligned, r.used);
            rc = VIVA_EINVAL;
        }
    }
    if (rc == 0) {
        const char *argv[] = {"mllr_solve", "-meanfn", means, "-varfn", vars, "-outmllrfn",
                              "mllr_matrix", "-accumdir", "acc", NULL};
        rc = run(&j, argv);
    }
    if (rc == 0) {
        snprintf(a, sizeof a, "%s/mllr_matrix", j.dir);
        char why[300];
        int e = file_read(a, 64 * 1024, out, len);
        if (e) {
            snprintf(err, errlen, "voice adaptation: cannot read %s: %s", a, strerror(e));
            rc = VIVA_EIO;
        } else if (adapt_check_transform(*out, *len, why, sizeof why) != 0) {
            snprintf(err, errlen, "voice adaptation: mllr_solve wrote an unusable transform: "
                     "%s", why);
            rc = VIVA_EIO;
        }
        if (rc) {
            free(*out);
            *out = NULL;
            *len = 0;
        }
    }
    r.cpu_s = j.cpu_s;
    if (rep)
        *rep = r;
    for (size_t i = 0; i < n; i++)
        sb_free(&words[i]);
    free(words);
    wl_free(&want);
    wl_free(&have);
    sb_free(&pron);
    sb_free(&ctl);
    sb_free(&trans);
    if (!getenv("VIVA_ADAPT_KEEP"))
        nftw(j.dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return rc;
}
