/* vad.c: energy VAD with an adaptive noise floor, end-of-answer rule, trimming, timeline. */
#include "vad.h"

#include <math.h>

#include "level.h"

#define FLOOR_MIN_DB (-90.0)   /* the floor never goes below this (digital silence) */
#define FLOOR_START_MAX (-35.0) /* a first frame louder than this does not set the floor */
#define FALL_SHARE 0.3          /* share of the distance the floor falls per quieter frame */
#define RISE_DB_PER_S 6.0       /* floor rise outside speech */
#define RISE_SPEECH_DB_PER_S 0.2 /* floor rise inside speech */
#define ONSET_FRAMES 2          /* voiced frames in a row that start speech */

void vad_params_default(vad_params *p, int rate, double silence_seconds)
{
    p->rate = rate;
    p->frame = rate / 50;
    if (p->frame < 1)
        p->frame = 1;
    p->onset_db = 9.0;
    p->offset_db = 5.0;
    p->min_speech_dbfs = -55.0;
    p->hangover = (int64_t)(0.25 * rate);
    p->silence_end = silence_seconds > 0 ? (int64_t)llround(silence_seconds * rate) : 0;
    p->max_len = 0;
    p->pause_prompt = 0;
}

void vad_init(vad *v, const vad_params *p)
{
    *v = (vad){0};
    v->p = *p;
    v->floor_db = FLOOR_START_MAX;
    v->last_db = LEVEL_FLOOR_DBFS;
    v->tl.first_speech = -1;
    v->tl.last_speech_end = -1;
}

static void add_segment(vad *v, int64_t start, int64_t end)
{
    vad_timeline *tl = &v->tl;
    if (end <= start)
        return;
    if (tl->last_speech_end >= 0) {
        int64_t gap = start - tl->last_speech_end;
        if (gap > tl->longest_pause)
            tl->longest_pause = gap;
    } else {
        tl->first_speech = start;
    }
    tl->last_speech_end = end;
    tl->talk += end - start;
    tl->nseg_total++;
    if (tl->nseg < VAD_MAX_SEGMENTS)
        tl->seg[tl->nseg++] = (vad_segment){start, end};
    else
        tl->seg[VAD_MAX_SEGMENTS - 1].end = end;
}

static void close_segment(vad *v)
{
    if (!v->in_speech)
        return;
    add_segment(v, v->seg_start, v->last_voiced_end);
    v->in_speech = 0;
}

/* One complete frame ending at sample index `end` with energy `db`. */
static void frame_done(vad *v, double db, int64_t end)
{
    const vad_params *p = &v->p;
    double frame_s = (double)p->frame / p->rate;
    int64_t start = end - p->frame;
    v->last_db = db;
    if (!v->have_floor) {
        v->floor_db = db < FLOOR_START_MAX ? db : FLOOR_START_MAX;
        v->have_floor = 1;
    }
    double thresh = v->floor_db + (v->in_speech ? p->offset_db : p->onset_db);
    int voiced = db > thresh && db > p->min_speech_dbfs;

    if (voiced) {
        if (v->voiced_run++ == 0)
            v->run_start = start;
        if (v->in_speech) {
            v->last_voiced_end = end;
        } else if (v->voiced_run >= ONSET_FRAMES) {
            v->in_speech = 1;
            v->seg_start = v->run_start;
            v->last_voiced_end = end;
        }
    } else {
        v->voiced_run = 0;
        if (v->in_speech && end - v->last_voiced_end >= p->hangover)
            close_segment(v);
    }

    /* Adapt the floor after the decision, so a frame never raises its own threshold. */
    if (db < v->floor_db) {
        v->floor_db += (db - v->floor_db) * FALL_SHARE;
    } else {
        double rise = (v->in_speech ? RISE_SPEECH_DB_PER_S : RISE_DB_PER_S) * frame_s;
        double d = db - v->floor_db;
        v->floor_db += d < rise ? d : rise;
    }
    if (v->floor_db < FLOOR_MIN_DB)
        v->floor_db = FLOOR_MIN_DB;

    /* End of answer: silence counted from the end of the last voiced frame. */
    int64_t last_end = v->in_speech ? v->last_voiced_end : v->tl.last_speech_end;
    if (p->silence_end > 0 && last_end >= 0 && !(voiced && v->in_speech) &&
        end - last_end >= p->silence_end) {
        close_segment(v);
        v->ended = VAD_END_SILENCE;
        v->end_frame = last_end + p->silence_end;
    }
}

vad_end vad_feed(vad *v, const int16_t *pcm, size_t n)
{
    const vad_params *p = &v->p;
    for (size_t i = 0; i < n && !v->ended; i++) {
        double s = pcm[i];
        v->acc += s * s;
        v->tl.frames++;
        if (++v->filled == p->frame) {
            double db = level_dbfs_from_meansq(v->acc / ((double)p->frame * 32768.0 * 32768.0));
            v->acc = 0.0;
            v->filled = 0;
            frame_done(v, db, v->tl.frames);
        }
        if (!v->ended && p->max_len > 0 && v->tl.frames >= p->max_len) {
            vad_finish(v);
            v->ended = VAD_END_LIMIT;
            v->end_frame = v->tl.frames;
        }
    }
    return v->ended;
}

void vad_finish(vad *v)
{
    close_segment(v);
}

int vad_speaking(const vad *v)
{
    return v->in_speech;
}

int64_t vad_silence(const vad *v)
{
    if (v->ended || (v->in_speech && v->voiced_run > 0))
        return 0;
    int64_t last_end = v->in_speech ? v->last_voiced_end : v->tl.last_speech_end;
    return last_end >= 0 && v->tl.frames > last_end ? v->tl.frames - last_end : 0;
}

int vad_paused(const vad *v)
{
    if (v->p.pause_prompt <= 0)
        return 0;
    /* A pause that ran out into the end stays one: it never turns into "speech again". */
    if (v->ended)
        return v->ended == VAD_END_SILENCE && v->p.silence_end >= v->p.pause_prompt;
    return vad_silence(v) >= v->p.pause_prompt;
}

double vad_floor_dbfs(const vad *v)
{
    return v->floor_db;
}

const vad_timeline *vad_get_timeline(const vad *v)
{
    return &v->tl;
}

int64_t vad_end_frame(const vad *v)
{
    return v->ended ? v->end_frame : v->tl.frames;
}

void vad_trim(const vad_timeline *tl, int64_t total, int64_t margin, int64_t *start,
              int64_t *end)
{
    if (tl->first_speech < 0 || tl->last_speech_end <= tl->first_speech) {
        *start = 0;
        *end = total;
        return;
    }
    int64_t s = tl->first_speech - margin, e = tl->last_speech_end + margin;
    *start = s < 0 ? 0 : (s > total ? total : s);
    *end = e > total ? total : (e < *start ? *start : e);
}

void vad_timeline_stats(const vad_timeline *tl, int rate, vad_stats *out)
{
    double ms = 1000.0 / rate;
    out->talk_ms = (int64_t)llround(tl->talk * ms);
    out->longest_pause_ms = (int64_t)llround(tl->longest_pause * ms);
    out->first_word_ms = tl->first_speech < 0 ? -1 : (int64_t)llround(tl->first_speech * ms);
    out->segments = tl->nseg_total;
}
