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
