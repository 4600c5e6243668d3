/* speech_cmd.c: pocketsphinx's keyword-spotting search behind speech_cmd.h.
 *
 * At open, the words of the command phrases are copied from the model's pronunciation
 * dictionary into a small temporary dictionary (the full one costs seconds and megabytes and
 * spotting needs only these words), and the phrases with their thresholds go into a temporary
 * keyphrase file; both files are removed once the decoder has read them.
 *
 * Audio time: silence removal is switched off so that decoder frame i is samples
 * [i*160, i*160+160) of the utterance, and `utt_start` remembers where in the stream the
 * current utterance began. The search reports each spotting once (it clears the keyphrases
 * after one) and keeps its list of spottings for the utterance, so each feed reports only those
 * ending after the last one seen. A new utterance starts on reset and every UTT_MAX_SAMPLES, so
 * that list stays short; a phrase spoken across that boundary (once in 10 minutes) is lost.
 * The phrases and their thresholds are in speech_phrase.c (built also without pocketsphinx). */
#include "speech_cmd.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pocketsphinx.h>

#include "adapt.h"
#include "strbuf.h"
#include "verr.h"
#include "vlog.h"

#ifndef VIVA_PS_MODEL_DIR
#define VIVA_PS_MODEL_DIR "/usr/share/pocketsphinx/model/en-us"
#endif

#define FRAME_SAMPLES 160                /* 10 ms at 16 kHz */
#define CHUNK_SAMPLES 480                /* decode in 30 ms steps: detection time resolution */
#define UTT_MAX_SAMPLES (600 * 16000)    /* start a new utterance every 10 min of audio */
#define DETECT_LAG_FRAMES 100             /* a detection is reported within 1 s of its end */

struct speech_cmd {
    ps_decoder_t *ps;
    cmd_ln_t *cfg;
    _Atomic unsigned mask;
    int64_t fed;       /* samples fed since open/reset */
    int64_t utt_start; /* stream position of the current utterance's first sample */
    int64_t frame_base; /* frames decoded in earlier utterances */
    int last_ef;        /* end frame of the last detection looked at in this utterance */
    int prev_ef;        /* end frame of the last detection taken as a command */
    int frames_mode;    /* detection frames: 0 not known yet, 1 per utterance, 2 cumulative */
    int in_utt;
    /* a voice adaptation handed over by speech_cmd_adapt (any thread), put in force by the
     * feeding thread between two chunks */
    pthread_mutex_t lock;
    _Atomic int adapt_waiting;
    char *adapt_data; /* under lock; NULL = the generic model */
    size_t adapt_len;
};

/* Is `w` (length n) one of the words of the phrases? */
static int phrase_word(const char *w, size_t n)
{
    for (int c = 1; c < SPEECH_CMD_COUNT; c++) {
        const char *p = speech_cmd_phrase((speech_cmd_id)c);
        while (*p) {
            size_t len = strcspn(p, " ");
            if (len == n && strncmp(p, w, n) == 0)
                return 1;
            p += len;
            p += strspn(p, " ");
        }
    }
    return 0;
}

/* Copies the dictionary lines of the phrase words (with their alternative pronunciations,
 * "word(2)") from `dict` into the open file `out`. Returns the number of lines copied. */
static int copy_dict(FILE *dict, FILE *out)
{
    char line[512];
    int n = 0;
    while (fgets(line, sizeof line, dict)) {
        size_t len = strcspn(line, " \t(");
        if (len && phrase_word(line, len)) {
            fputs(line, out);
            n++;
        }
    }
    return n;
}

/* Writes a temporary file from a template under TMPDIR; *path receives its name. */
static FILE *temp_file(char *path, size_t len, const char *what)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, len, "%s/viva-%s-XXXXXX", dir && *dir ? dir : "/tmp", what);
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(path);
    }
    return f;
}

int speech_cmd_open(const speech_cmd_params *p, speech_cmd **out, char *err, size_t errlen)
{
    const char *model = p && p->model_dir && *p->model_dir ? p->model_dir : VIVA_PS_MODEL_DIR;
    double shift = p ? p->threshold_shift : 0;
    double end_th = p && p->end_threshold < 0 ? p->end_threshold : SPEECH_CMD_END_THRESHOLD;
    char hmm[1024], dict[1024], kws_path[512] = "", dict_path[512] = "";
    FILE *kf = NULL, *df = NULL, *full = NULL;
    speech_cmd *r = NULL;
    int rc = VIVA_OK;

    snprintf(hmm, sizeof hmm, "%s/en-us/mdef", model);
    snprintf(dict, sizeof dict, "%s/cmudict-en-us.dict", model);
    if (access(hmm, R_OK) != 0 || !(full = fopen(dict, "r"))) {
        snprintf(err, errlen,
                 "speech: no pocketsphinx model in %s (need en-us/ and cmudict-en-us.dict; "
                 "install the Debian package pocketsphinx-en-us)", model);
        return VIVA_ENOTFOUND;
    }
    snprintf(hmm, sizeof hmm, "%s/en-us", model);

    kf = temp_file(kws_path, sizeof kws_path, "kws");
    df = kf ? temp_file(dict_path, sizeof dict_path, "dict") : NULL;
    if (!kf || !df) {
        snprintf(err, errlen, "speech: cannot create a temporary file in %s",
                 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
        rc = VIVA_EIO;
        goto done;
    }
    for (int c = 1; c < SPEECH_CMD_COUNT; c++)
        fprintf(kf, "%s /1e%+.1f/\n", speech_cmd_phrase((speech_cmd_id)c),
                c == SPEECH_CMD_END_ANSWER ? end_th
                                           : speech_cmd_threshold((speech_cmd_id)c) + shift);
    int words = copy_dict(full, df);
    int bad = ferror(kf) | ferror(df);
    bad |= fclose(kf) != 0;
    bad |= fclose(df) != 0;
    kf = df = NULL;
    if (bad || words == 0) {
        snprintf(err, errlen, "speech: cannot write the command dictionary (%d words from %s)",
                 words, dict);
        rc = VIVA_EIO;
        goto done;
    }

    r = calloc(1, sizeof *r);
    if (!r) {
        rc = VIVA_ENOMEM;
        goto done;
    }
    r->cfg = cmd_ln_init(NULL, ps_args(), TRUE, "-hmm", hmm, "-dict", dict_path, "-kws",
                         kws_path, "-remove_silence", "no", "-logfn", "/dev/null", NULL);
    r->ps = r->cfg ? ps_init(r->cfg) : NULL;
    if (!r->ps) {
        snprintf(err, errlen, "speech: pocketsphinx could not start with the model in %s", model);
        rc = VIVA_EIO;
        goto done;
    }
    atomic_store(&r->mask, p ? p->context : SPEECH_CTX_NONE);
    pthread_mutex_init(&r->lock, NULL);
    *out = r;
    r = NULL;

done:
    if (kf)
        fclose(kf);
    if (df)
        fclose(df);
    if (full)
        fclose(full);
    if (*kws_path)
        unlink(kws_path);
    if (*dict_path)
        unlink(dict_path);
    if (r) {
        if (r->ps)
            ps_free(r->ps);
        if (r->cfg)
            cmd_ln_free_r(r->cfg);
        free(r);
    }
    return rc;
}

void speech_cmd_set_context(speech_cmd *r, unsigned mask)
{
    atomic_store(&r->mask, mask);
}

unsigned speech_cmd_context(const speech_cmd *r)
{
    return atomic_load(&((speech_cmd *)r)->mask);
}

/* The command of a detected keyphrase (pocketsphinx appends a space to it). */
static speech_cmd_id phrase_cmd(const char *phrase)
{
    size_t n = strlen(phrase);
    while (n && phrase[n - 1] == ' ')
        n--;
    for (int c = 1; c < SPEECH_CMD_COUNT; c++) {
        const char *p = speech_cmd_phrase((speech_cmd_id)c);
        if (strlen(p) == n && strncmp(p, phrase, n) == 0)
            return (speech_cmd_id)c;
    }
    return SPEECH_CMD_NONE;
}

static void restart(speech_cmd *r)
{
    if (r->in_utt) {
        ps_end_utt(r->ps);
        r->frame_base += ps_get_n_frames(r->ps);
    }
    r->in_utt = ps_start_utt(r->ps) == 0;
    r->utt_start = r->fed;
    r->last_ef = -1;
    r->prev_ef = -1;
}

/* Turns a detection's frame numbers into frames of the current utterance. Depending on the
 * pocketsphinx build, keyword-spotting frames either restart at 0 with each utterance (as
 * ps_get_n_frames does) or keep counting across utterances (Debian's 5prealpha); the right
 * reading is the one that puts the detection's end shortly before "now". */
static int utt_frame(speech_cmd *r, int ef)
{
    if (r->frames_mode == 0) {
        int now = ps_get_n_frames(r->ps);
        int rel = now - ef, cum = now - (ef - (int)r->frame_base);
        if (r->frame_base > 0 && rel >= 0 && rel <= DETECT_LAG_FRAMES)
            r->frames_mode = 1;
        else if (r->frame_base > 0 && cum >= 0 && cum <= DETECT_LAG_FRAMES)
            r->frames_mode = 2;
        return rel >= 0 && rel <= DETECT_LAG_FRAMES ? 0 : (int)r->frame_base;
    }
    return r->frames_mode == 2 ? (int)r->frame_base : 0;
}

/* Adds the detections not yet reported to hits; returns how many were kept. */
static int collect(speech_cmd *r, speech_cmd_hit *hits, int max)
{
    int32 score;
    const char *hyp = ps_get_hyp(r->ps, &score);
    if (!hyp || !*hyp)
        return 0;
    unsigned mask = atomic_load(&r->mask);
    int n = 0, last = r->last_ef;
    for (ps_seg_t *s = ps_seg_iter(r->ps); s; s = ps_seg_next(s)) {
        int sf, ef;
        ps_seg_frames(s, &sf, &ef);
        if (ef <= r->last_ef)
            continue;
        last = ef > last ? ef : last;
        /* The search may spot the same words again with a later end (a longer path through the
         * last phone); a spotting that starts inside the previous one is that, not a new
         * command. */
        if (sf <= r->prev_ef)
            continue;
        r->prev_ef = ef;
        speech_cmd_id c = phrase_cmd(ps_seg_word(s));
        if (c == SPEECH_CMD_NONE || !(mask & SPEECH_MASK(c)) || n >= max)
            continue;
        int base = utt_frame(r, ef);
        hits[n].cmd = c;
        hits[n].start = r->utt_start + (int64_t)(sf - base) * FRAME_SAMPLES;
        hits[n].end = r->utt_start + (int64_t)(ef - base + 1) * FRAME_SAMPLES;
        hits[n].heard_at = r->fed;
        n++;
    }
    r->last_ef = last;
    return n;
}

int speech_cmd_adapt(speech_cmd *r, const char *data, size_t len, char *err, size_t errlen)
{
    if (data && adapt_check_transform(data, len, err, errlen) != 0)
        return VIVA_EPARSE;
    char *copy = data ? xstrndup(data, len) : NULL;
    pthread_mutex_lock(&r->lock);
    free(r->adapt_data);
    r->adapt_data = copy;
    r->adapt_len = data ? len : 0;
    atomic_store(&r->adapt_waiting, 1);
    pthread_mutex_unlock(&r->lock);
    return VIVA_OK;
}

/* The feeding thread: the adaptation handed over last, in force from a new utterance on. */
static void take_adaptation(speech_cmd *r)
{
    pthread_mutex_lock(&r->lock);
    char *data = r->adapt_data;
    size_t len = r->adapt_len;
    r->adapt_data = NULL;
    atomic_store(&r->adapt_waiting, 0);
    pthread_mutex_unlock(&r->lock);
    if (r->in_utt) {
        ps_end_utt(r->ps);
        r->frame_base += ps_get_n_frames(r->ps);
        r->in_utt = 0;
    }
    char err[400];
    if (adapt_apply(r->ps, data, len, err, sizeof err) != 0) {
        VLOG_W("speech", "%s: commands are heard with the generic model", err);
        adapt_apply(r->ps, NULL, 0, err, sizeof err);
    }
    free(data);
}

int speech_cmd_feed(speech_cmd *r, const int16_t *pcm, size_t frames, speech_cmd_hit *hits,
                    int max)
{
    int n = 0;
    if (atomic_load(&r->adapt_waiting))
        take_adaptation(r);
    while (frames > 0) {
        if (!r->in_utt || r->fed - r->utt_start >= UTT_MAX_SAMPLES)
            restart(r);
        size_t k = frames < CHUNK_SAMPLES ? frames : CHUNK_SAMPLES;
        if (r->in_utt && ps_process_raw(r->ps, pcm, k, FALSE, FALSE) < 0)
            r->in_utt = 0; /* decoder trouble: start a new utterance with the next chunk */
        r->fed += (int64_t)k;
        pcm += k;
        frames -= k;
        if (r->in_utt)
            n += collect(r, hits + n, max - n);
    }
    return n;
}

void speech_cmd_reset(speech_cmd *r)
{
    if (r->in_utt) {
        ps_end_utt(r->ps);
        r->frame_base += ps_get_n_frames(r->ps);
    }
    r->in_utt = 0;
    r->fed = 0;
    r->utt_start = 0;
}

void speech_cmd_close(speech_cmd *r)
{
    if (!r)
        return;
    if (r->in_utt)
        ps_end_utt(r->ps);
    ps_free(r->ps);
    cmd_ln_free_r(r->cfg);
    pthread_mutex_destroy(&r->lock);
    free(r->adapt_data);
    free(r);
}
