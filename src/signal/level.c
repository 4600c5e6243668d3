/* level.c: RMS/peak in dBFS, clipping and too-quiet flags over fixed windows of samples. */
#include "level.h"

#include <math.h>

double level_dbfs_from_meansq(double meansq)
{
    if (!(meansq > 1e-10))
        return LEVEL_FLOOR_DBFS;
    double db = 10.0 * log10(meansq);
    return db < LEVEL_FLOOR_DBFS ? LEVEL_FLOOR_DBFS : db;
}

static double peak_dbfs(int peak)
{
    if (peak <= 0)
        return LEVEL_FLOOR_DBFS;
    double db = 20.0 * log10(peak / 32768.0);
    return db < LEVEL_FLOOR_DBFS ? LEVEL_FLOOR_DBFS : db;
}

void level_measure(const int16_t *pcm, size_t n, double *rms_dbfs, double *peak_db, int *clipped)
{
    double sumsq = 0.0;
    int peak = 0;
    for (size_t i = 0; i < n; i++) {
        int s = pcm[i];
        int a = s < 0 ? -s : s;
        sumsq += (double)s * s;
        if (a > peak)
            peak = a;
    }
    if (rms_dbfs)
        *rms_dbfs = n ? level_dbfs_from_meansq(sumsq / ((double)n * 32768.0 * 32768.0))
                      : LEVEL_FLOOR_DBFS;
    if (peak_db)
        *peak_db = peak_dbfs(peak);
    if (clipped)
        *clipped = peak >= LEVEL_CLIP_SAMPLE;
}

void level_meter_init(level_meter *m, int rate, double update_hz, double quiet_dbfs)
{
    *m = (level_meter){0};
    if (update_hz < 1.0)
        update_hz = 1.0;
    m->window = (int)(rate / update_hz);
    if (m->window < 1)
        m->window = 1;
    m->clip_hold = rate;
    m->quiet_windows = (int)ceil(1.5 * rate / m->window);
    if (m->quiet_windows > LEVEL_HISTORY)
        m->quiet_windows = LEVEL_HISTORY;
    if (m->quiet_windows < 1)
        m->quiet_windows = 1;
    m->quiet_dbfs = quiet_dbfs;
}

/* Closes the current window into a reading. */
static void close_window(level_meter *m, level_reading *r)
{
    double rms = level_dbfs_from_meansq(m->sumsq / ((double)m->window * 32768.0 * 32768.0));
    if (m->peak >= LEVEL_CLIP_SAMPLE)
        m->clip_until = m->frames + m->clip_hold;
    m->history[m->hist_pos] = (float)rms;
    m->hist_pos = (m->hist_pos + 1) % m->quiet_windows;
    if (m->hist_len < m->quiet_windows)
        m->hist_len++;
    float loudest = (float)LEVEL_FLOOR_DBFS;
    for (int i = 0; i < m->hist_len; i++)
        if (m->history[i] > loudest)
            loudest = m->history[i];
    r->rms_dbfs = (float)rms;
    r->peak_dbfs = (float)peak_dbfs(m->peak);
    r->clipping = m->frames < m->clip_until;
    /* Only judge once the look-back is full, so the first readings never cry "too quiet". */
    r->too_quiet = m->hist_len == m->quiet_windows && loudest < m->quiet_dbfs;
    r->frame = m->frames;
    m->sumsq = 0.0;
    m->peak = 0;
    m->filled = 0;
}

int level_meter_feed(level_meter *m, const int16_t *pcm, size_t n, level_reading *last)
{
    int done = 0;
    level_reading r;
    for (size_t i = 0; i < n; i++) {
        int s = pcm[i];
        int a = s < 0 ? -s : s;
        m->sumsq += (double)s * s;
        if (a > m->peak)
            m->peak = a;
        m->frames++;
        if (++m->filled == m->window) {
            close_window(m, &r);
            done++;
        }
    }
    if (done && last)
        *last = r;
    return done;
}

/* ---- normalising a recording --------------------------------------------------------------- */

void level_norm_measure(const int16_t *pcm, size_t n, level_norm *out)
{
    /* a histogram of |sample| (0..32768) in 1/8 steps: exact enough, no sort, no allocation
     * beyond 16 KiB on the stack */
    enum { BINS = 4097 };
    static const int shift = 3;
    uint32_t hist[BINS] = {0};
    size_t full = 0;
    for (size_t i = 0; i < n; i++) {
        int s = pcm[i];
        int a = s < 0 ? -s : s;
        hist[a >> shift]++;
        full += a >= LEVEL_CLIP_SAMPLE;
    }
    size_t want = n - n / 1000, half = n / 2, seen = 0; /* the 99.9th and 50th percentiles */
    int loud = 0, median = -1;
    for (int b = 0; b < BINS && n; b++) {
        seen += hist[b];
        if (median < 0 && seen > half)
            median = b << shift;
        if (seen >= want) {
            loud = (b << shift) + (1 << shift) - 1;
            break;
        }
    }
    *out = (level_norm){0};
    out->loud_dbfs = peak_dbfs(loud);
    out->clipped = n > 0 && (double)full > LEVEL_NORM_CLIP_SHARE * (double)n;
    /* Speech has loud parts far above its median (pauses, quiet phones); steady noise does not
     * (Gaussian noise: 14 dB): a quiet hiss alone is not amplified into something to decode. */
    int dynamic = median <= 0 || peak_dbfs(loud) - peak_dbfs(median) >= LEVEL_NORM_RANGE_DB;
    out->quiet = loud > (1 << shift) && out->loud_dbfs < LEVEL_NORM_QUIET_DBFS && dynamic;
    if (out->quiet) {
        double g = LEVEL_NORM_TARGET_DBFS - out->loud_dbfs;
        out->gain_db = g > LEVEL_NORM_MAX_GAIN_DB ? LEVEL_NORM_MAX_GAIN_DB : g;
    }
}

int level_normalise(int16_t *pcm, size_t n, level_norm *out)
{
    level_norm m;
    level_norm_measure(pcm, n, &m);
    if (out)
        *out = m;
    if (m.gain_db <= 0)
        return 0;
    double g = pow(10.0, m.gain_db / 20.0);
    for (size_t i = 0; i < n; i++) {
        double x = pcm[i] * g;
        pcm[i] = (int16_t)(x > 32767 ? 32767 : x < -32768 ? -32768 : lrint(x));
    }
    return 1;
}
