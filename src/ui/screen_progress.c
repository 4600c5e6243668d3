/* screen_progress.c: a profile's progress: a graph of ability (theta) over time with a
 * +-SE band, and the list of answers (newest first) with their grades and recordings, plus a
 * Back button, and under the title what the estimate means (the level in the bank's terms,
 * strongest and weakest topic, what to practise next, coverage and delivery by session). In
 * landscape the graph is on the left and the list on the right; in portrait
 * the graph is on top. The focus is the graph, a row or Back, and the list scrolls to keep a
 * focused row in view. One layout function serves drawing and screen_progress_hit(), so a
 * touch lands on what was drawn, and the screen keeps no state between frames (only a
 * cache of one measurement, see open_row).
 *
 * Text in the description lines and the answer list is sized by a text unit T: the screen
 * unit U up to 6 px, then growing only with the height beyond 1080 px (h / 180). A full-HD
 * screen is not a large 800x480 one: it is read from as close, so it shows more answers
 * (five or more at 1920x1080, each question on two lines) rather than bigger ones.
 *
 * A row's topic is never cut: it stands after the time when it fits there whole, else before
 * the question ("SQL: What is an index?"). A question longer than its row ends in "..." after a
 * whole word; the focused row opens to show its question in full (the list gives it the
 * height), so every question can be read by choosing its row. */
#include <math.h>
#include <stdio.h>

#include "figures.h"
#include "layout.h"
#include "screens.h"

enum { DESC_LEVEL, DESC_TOPICS, DESC_NEXT, DESC_COVERAGE, DESC_DELIVERY, DESC_LINES };
enum { TREND_SESSIONS = 5 }; /* sessions shown in a trend line */

typedef struct {
    SDL_Rect title, back, graph, label, plot, xlab, head, list, notice, hint;
    SDL_Rect desc[DESC_LINES]; /* h 0: line left out */
    int desc_px[DESC_LINES];
    int axis_px; /* axis labels */
    int T;       /* text unit of the description and the list (see the top) */
    int qlines;  /* lines a question may take in a row */
    int row_h, gap;
    int open, open_h, open_px; /* the focused row, in full: its height, question size */
    int first, count; /* visible rows: first .. first+count-1 */
    int scrollbar;
} prog_layout;

static const char *const grade_names[4] = {"missed", "partial", "solid", "excellent"};

/* "Key points covered by session: 48% → 52% → 55%", "Fillers/min by session: ... ·
 * words/min: ...", or "" when the sessions have no such figures. */
static const char *trend_line(const progress_view *v, int which, char *buf, size_t len)
{
    buf[0] = '\0';
    if (!v->sessions || v->nsessions <= 0)
        return buf;
    char a[160] = "", b[160] = "";
    if (which == DESC_COVERAGE) {
        if (figures_join(a, sizeof a, v->sessions, v->nsessions, TREND_SESSIONS,
                         FIGURE_COVERAGE, " → ") > 0)
            snprintf(buf, len, "Key points covered by session: %s", a);
        return buf;
    }
    int nf = figures_join(a, sizeof a, v->sessions, v->nsessions, TREND_SESSIONS,
                          FIGURE_FILLERS, " → ");
    int nw = figures_join(b, sizeof b, v->sessions, v->nsessions, TREND_SESSIONS, FIGURE_WPM,
                          " → ");
    if (nf > 0 && nw > 0)
        snprintf(buf, len, "Fillers/min by session: %s · words/min: %s", a, b);
    else if (nw > 0)
        snprintf(buf, len, "Words/min by session: %s", b);
    return buf;
}

static const char *desc_text(const progress_view *v, int i, char *buf, size_t len)
{
    switch (i) {
    case DESC_LEVEL:
        return v->level_text;
    case DESC_TOPICS:
        return v->topics_text;
    case DESC_NEXT:
        return v->next_text;
    default:
        return trend_line(v, i, buf, len);
    }
}

static int text_unit(int U, int h)
{
    int cap = h / 180 > 6 ? h / 180 : 6;
    return U < cap ? U : cap;
}

/* What a row shows: the meta line's parts and the question line. The topic goes on the meta
 * line when it fits there whole beside the time and the right part, else before the question. */
typedef struct {
    const char *gname;
    char heard[48], pos[48], when[96];
    int topic_meta;     /* the topic stands after the time */
    char question[640]; /* "[Topic: ][Attempt 2 of 3: ]question" */
} row_text;

static void row_texts(ui *u, const progress_view *v, int i, int w, int T, row_text *rt)
{
    const progress_row *row = &v->rows[i];
    int px = 4 * T, tw, th;
    int g = row->grade, playing = i == v->playing_row;
    rt->gname = g >= 0 && g <= 3 ? grade_names[g] : "not graded";
    ui_text_size(u, rt->gname, px, &tw, &th);
    int used = 5 * T + tw + 2 * T; /* the row's padding, the grade and the gap before it */
    rt->heard[0] = rt->pos[0] = '\0';
    if (row->analysed && row->nkeys > 0) {
        snprintf(rt->heard, sizeof rt->heard, "heard %d of %d ·", row->covered, row->nkeys);
        ui_text_size(u, rt->heard, px, &tw, &th);
        used += tw + T;
    }
    if (playing) {
        int pos = (int)v->play_pos, len = (int)v->play_len;
        snprintf(rt->pos, sizeof rt->pos, "▶ %d:%02d / %d:%02d", pos / 60, pos % 60, len / 60,
                 len % 60);
        ui_text_size(u, rt->pos, px, &tw, &th);
        used += tw + 2 * T;
    }
    snprintf(rt->when, sizeof rt->when, "%s%s", row->has_recording && !playing ? "▶ " : "",
             row->when ? row->when : "");
    ui_text_size(u, rt->when, px, &tw, &th);
    used += tw;
    rt->topic_meta = 0;
    if (row->topic && *row->topic) {
        int sw, tpw;
        ui_text_size(u, " · ", px, &sw, &th);
        ui_text_size(u, row->topic, px, &tpw, &th);
        rt->topic_meta = used + sw + tpw <= w;
    }
    const char *q = row->question ? row->question : "(question no longer in the bank)";
    const char *topic = rt->topic_meta || !row->topic || !*row->topic ? NULL : row->topic;
    if (topic && row->attempts > 1)
        snprintf(rt->question, sizeof rt->question, "%s, attempt %d of %d: %s", topic,
                 row->attempt, row->attempts, q);
    else if (topic)
        snprintf(rt->question, sizeof rt->question, "%s: %s", topic, q);
    else if (row->attempts > 1)
        snprintf(rt->question, sizeof rt->question, "Attempt %d of %d: %s", row->attempt,
                 row->attempts, q);
    else
        snprintf(rt->question, sizeof rt->question, "%s", q);
}

/* The height a row needs to show its question in full at px (the meta line above it). */
static int open_height(ui *u, const char *question, int px, int qw, int T)
{
    int unused, lh;
    ui_text_size(u, "Ag", px, &unused, &lh);
    int n = ui_text_lines(u, question, px, qw);
    return 6 * T + (n < 1 ? 1 : n) * (lh + 1) + T; /* +1: a line's skip may exceed its height */
}

/* The focused row opens to hold its question in full, keeping two neighbours in view (the list
 * shows at least three rows): at the question size, else at the meta size, else smaller down
 * to the readable floor (only where even that does not fit, the question ends in "..."). Sets L->open, open_h and open_px; returns 1 when
 * the question fits whole.
 *
 * Measuring the question costs more than the rest of the layout, which also runs for every
 * touch test, so the last answer is remembered, keyed by everything it depends on. */
typedef struct {
    unsigned long key;
    int open_h, open_px, whole;
} open_memo;

static unsigned long hash_str(unsigned long h, const char *s)
{
    for (; s && *s; s++)
        h = h * 33 + (unsigned char)*s;
    return h * 33 + 1;
}

static unsigned long hash_int(unsigned long h, long x)
{
    return h * 1000003UL + (unsigned long)x;
}

static int open_row(ui *u, const progress_view *v, prog_layout *L, int list_w, int list_h)
{
    static open_memo memo[2]; /* portrait may ask twice (see layout) */
    static int next;
    int T = L->T;
    L->open = v->focus >= 0 && v->focus < v->nrows ? v->focus : -1;
    L->open_h = L->row_h;
    L->open_px = 5 * T;
    if (L->open < 0)
        return 1;
    const progress_row *row = &v->rows[L->open];
    unsigned long key = hash_str(hash_str(hash_str(5381, row->question), row->topic), row->when);
    const long ints[] = {(long)(size_t)u, list_w, list_h, T, L->row_h, v->nrows,
                         row->grade, row->has_recording, row->attempt, row->attempts,
                         row->analysed, row->covered, row->nkeys, !row->question,
                         v->playing_row == L->open, (long)v->play_pos, (long)v->play_len};
    for (size_t k = 0; k < sizeof ints / sizeof ints[0]; k++)
        key = hash_int(key, ints[k]);
    for (int k = 0; k < 2; k++)
        if (memo[k].key == key && key) {
            L->open_h = memo[k].open_h, L->open_px = memo[k].open_px;
            return memo[k].whole;
        }
    row_text rt;
    int rw = list_w - 3 * ui_unit(u); /* as if the scrollbar were there */
    row_texts(u, v, L->open, rw, T, &rt);
    const int sizes[4] = {5 * T, 4 * T, 3 * T > LAYOUT_MIN_PX ? 3 * T : LAYOUT_MIN_PX,
                          LAYOUT_MIN_PX};
    int keep = v->nrows > 2 ? 2 : v->nrows - 1, hh = 0;
    int room = list_h - keep * (L->row_h + L->gap);
    if (room < L->row_h)
        room = L->row_h;
    for (int k = 0; k < 4; k++) {
        L->open_px = sizes[k];
        hh = open_height(u, rt.question, sizes[k], rw - 5 * T, T);
        if (hh <= room)
            break;
    }
    L->open_h = hh < L->row_h ? L->row_h : hh > room ? room : hh;
    memo[next] = (open_memo){key, L->open_h, L->open_px, hh <= room};
    next = !next;
    return hh <= room;
}

static void layout(ui *u, const progress_view *v, prog_layout *L)
{
    int w = ui_w(u), h = ui_h(u), U = ui_unit(u), m = 4 * U;
    int T = text_unit(U, h);
    L->T = T;
    L->hint = (SDL_Rect){m, h - m - 5 * U, w - 2 * m, 6 * U};
    L->notice = (SDL_Rect){m, L->hint.y - 8 * U, w - 2 * m, 7 * U};
    int bw, bh;
    ui_text_size(u, "Back", 5 * U, &bw, &bh);
    bw = bw + 8 * U > 22 * U ? bw + 8 * U : 22 * U;
    L->back = (SDL_Rect){w - m - bw, m, bw, 10 * U};
    L->title = (SDL_Rect){m, m, L->back.x - 3 * U - m, 10 * U};

    /* What the estimate means, one line each under the title, two where one line would make
     * the text too small (portrait). The graph and at least three answer rows keep their
     * room: if the lines would take it, each gets one line, then the last ones are left out.
     * Widths are estimated from the character count (layout also runs for every touch test,
     * and measuring text there would cost more than a frame). */
    int bottom = (v->notice ? L->notice.y : L->hint.y) - 2 * U;
    int need = h > w ? 90 * U : 7 * U + 3 * 14 * U;
    int top = m + 12 * U;
    for (int mode = 0; mode < 2 + DESC_LINES; mode++) {
        top = m + 12 * U;
        int shown = 0;
        for (int i = 0; i < DESC_LINES; i++) {
            char buf[400];
            const char *s = desc_text(v, i, buf, sizeof buf);
            int px = i == DESC_LEVEL ? 5 * T : 4 * T, lh = i == DESC_LEVEL ? 6 * T : 5 * T;
            L->desc[i] = (SDL_Rect){m, top, w - 2 * m, 0};
            L->desc_px[i] = px;
            if (!s || !*s || (mode >= 2 && shown >= DESC_LINES - (mode - 1)))
                continue;
            long chars = 0;
            for (const char *c = s; *c; c++)
                chars += ((unsigned char)*c & 0xC0) != 0x80;
            /* DejaVu Sans averages 0.55-0.6 em a character; a little shrinking is fine */
            if (mode == 0 && chars * px * 60 / 100 * 9 / 10 > w - 2 * m)
                lh = lh * 2 - T;
            L->desc[i].h = lh;
            top += lh;
            shown++;
        }
        top += shown ? 2 * U : U;
        if (bottom - top >= need)
            break;
    }
    int lx, ly, lw;
    /* A row: the meta line (5T), then the question on one line, or two where the screen has
     * the height for them (the row stays 13 units at 800x480, as before). */
    L->qlines = h >= 700 ? 2 : 1;
    L->row_h = L->qlines == 2 ? 18 * T : 13 * T;
    L->gap = T;
    /* Two-line rows only where three of them fit (else one line, cut). */
    int room = h > w ? (bottom - top) * 58 / 100 - 7 * T : bottom - top - 7 * T;
    if (L->qlines == 2 && (room + L->gap) / (L->row_h + L->gap) < 3) {
        L->qlines = 1;
        L->row_h = 13 * T;
    }
    if (h > w) {
        /* The list takes a whole number of rows from the lower 58% and the graph the rest, so
         * no strip is left empty between the list and the hint. */
        int pitch = L->row_h + L->gap, avail = (bottom - top) * 58 / 100 - 7 * T;
        if (!open_row(u, v, L, w - 2 * m, avail)) { /* the graph gives up some height */
            avail = (bottom - top) * 72 / 100 - 7 * T;
            open_row(u, v, L, w - 2 * m, avail);
        }
        int list_h = 7 * T - L->gap;
        if (L->open >= 0) { /* the open row, then the others that fit under it */
            int rest = avail - L->open_h;
            list_h += L->open_h + L->gap + (rest > 0 ? rest / pitch : 0) * pitch;
        } else {
            list_h += (avail + L->gap) / pitch * pitch;
        }
        L->graph = (SDL_Rect){m, top, w - 2 * m, bottom - top - list_h - 3 * U};
        lx = m, ly = L->graph.y + L->graph.h + 3 * U, lw = w - 2 * m;
    } else {
        /* The graph takes 46% of the width, or 34% where the open row needs the list wider. */
        for (int pct = 46;; pct = 34) {
            L->graph = (SDL_Rect){m, top, (w - 2 * m) * pct / 100, bottom - top};
            lx = L->graph.x + L->graph.w + 3 * U, ly = top, lw = w - m - lx;
            if (open_row(u, v, L, lw, bottom - ly - 7 * T) || pct == 34)
                break;
        }
    }
    L->head = (SDL_Rect){lx, ly, lw, 6 * T};
    L->list = (SDL_Rect){lx, ly + 7 * T, lw, bottom - ly - 7 * T};

    /* Inside the graph: the series label on top, tick labels left of the plot, time labels
     * under it. The tick column is as wide as the widest label (the range is kept within
     * -99..99, and digits are all the same width). */
    const SDL_Rect g = L->graph;
    L->axis_px = 3 * T + T / 2;
    int tw, th;
    ui_text_size(u, "-99", L->axis_px, &tw, &th);
    L->label = (SDL_Rect){g.x + 2 * U, g.y + U, g.w - 4 * U, 7 * U};
    L->plot.x = g.x + 2 * U + tw + U;
    L->plot.y = g.y + 10 * U;
    L->plot.w = g.x + g.w - 3 * U - L->plot.x;
    L->plot.h = g.y + g.h - 8 * U - L->plot.y;
    L->xlab = (SDL_Rect){L->plot.x, L->plot.y + L->plot.h + 2 * U, L->plot.w, 5 * U};

    int pitch = L->row_h + L->gap;
    if (L->open < 0)
        L->count = (L->list.h + L->gap) / pitch;
    else
        L->count = L->list.h < L->open_h ? 1 : 1 + (L->list.h - L->open_h) / pitch;
    if (L->count > v->nrows)
        L->count = v->nrows;
    if (L->count < 0)
        L->count = 0;
    /* A focused row sits mid-list so its neighbours show; otherwise the newest are shown. */
    L->first = v->focus >= 0 ? v->focus - (L->count - 1) / 2 : 0;
    if (L->first > v->nrows - L->count)
        L->first = v->nrows - L->count;
    if (L->first < 0)
        L->first = 0;
    L->scrollbar = v->nrows > L->count;
}

static SDL_Rect row_rect(ui *u, const prog_layout *L, int i)
{
    int bar = L->scrollbar ? 3 * ui_unit(u) : 0;
    int y = L->list.y + (i - L->first) * (L->row_h + L->gap);
    if (L->open >= L->first && L->open < i) /* the open row above it is taller */
        y += L->open_h - L->row_h;
    return (SDL_Rect){L->list.x, y, L->list.w - bar, i == L->open ? L->open_h : L->row_h};
}

int screen_progress_hit(ui *u, const progress_view *v, int x, int y)
{
    prog_layout L;
    layout(u, v, &L);
    SDL_Point pt = {x, y};
    if (SDL_PointInRect(&pt, &L.back))
        return SCREEN_PROGRESS_BACK;
    if (SDL_PointInRect(&pt, &L.graph))
        return SCREEN_PROGRESS_GRAPH;
    for (int i = L.first; i < L.first + L.count; i++) {
        SDL_Rect r = row_rect(u, &L, i);
        if (SDL_PointInRect(&pt, &r))
            return i;
    }
    return -1;
}

/* ---- graph ---------------------------------------------------------------------------------- */

void screen_progress_span_text(double days, char *buf, size_t len)
{
    /* The largest unit that is at least one whole: days, hours, minutes, seconds. */
    double secs = days * 86400;
    const char *unit = "second";
    double amount = secs;
    if (secs >= 86400)
        unit = "day", amount = secs / 86400;
    else if (secs >= 3600)
        unit = "hour", amount = secs / 3600;
    else if (secs >= 60)
        unit = "minute", amount = secs / 60;
    long n = lround(amount);
    if (n < 1)
        n = 1;
    snprintf(buf, len, "%ld %s%s later", n, unit, n == 1 ? "" : "s");
}

/* Triangles for the band and the line, queued in a small fixed buffer: nothing allocated. */
typedef struct {
    ui *u;
    SDL_Vertex v[96];
    int n;
} batch;

static void flush(batch *b)
{
    if (b->n)
        SDL_RenderGeometry(ui_renderer(b->u), NULL, b->v, b->n, NULL, 0);
    b->n = 0;
}

static void quad(batch *b, SDL_FPoint p0, SDL_FPoint p1, SDL_FPoint p2, SDL_FPoint p3, SDL_Color c)
{
    if (b->n + 6 > (int)(sizeof b->v / sizeof b->v[0]))
        flush(b);
    const SDL_FPoint p[6] = {p0, p1, p2, p0, p2, p3};
    for (int k = 0; k < 6; k++)
        b->v[b->n++] = (SDL_Vertex){p[k], c, {0, 0}};
}

/* Maps data to pixels: time across (a single instant in the middle), theta upwards. */
typedef struct {
    SDL_Rect r;
    double t0, span, lo, hi;
} scale;

static float px_x(const scale *s, double t)
{
    if (s->span <= 0)
        return (float)(s->r.x + s->r.w / 2.0);
    return (float)(s->r.x + (t - s->t0) / s->span * s->r.w);
}

static float px_y(const scale *s, double theta)
{
    return (float)(s->r.y + s->r.h - (theta - s->lo) / (s->hi - s->lo) * s->r.h);
}

static int usable(const progress_point *p)
{
    return isfinite(p->t) && isfinite(p->theta) && isfinite(p->se);
}

static void draw_data(ui *u, const progress_series *ser, const scale *s, SDL_Color line)
{
    int U = ui_unit(u);
    SDL_Color band = line;
    band.a = 70;
    batch b = {.u = u};
    const progress_point *p = ser->pts;
    float hw = (U / 2 > 2 ? U / 2 : 2) / 2.0f; /* half the line width */
    for (int i = 0; i + 1 < ser->n; i++) {
        if (!usable(&p[i]) || !usable(&p[i + 1]))
            continue;
        /* The band between two answers is the trapezoid whose edges join theta +- se: the
         * linear interpolation of both bounds, drawn as two triangles. */
        float x0 = px_x(s, p[i].t), x1 = px_x(s, p[i + 1].t);
        quad(&b, (SDL_FPoint){x0, px_y(s, p[i].theta + p[i].se)},
             (SDL_FPoint){x1, px_y(s, p[i + 1].theta + p[i + 1].se)},
             (SDL_FPoint){x1, px_y(s, p[i + 1].theta - p[i + 1].se)},
             (SDL_FPoint){x0, px_y(s, p[i].theta - p[i].se)}, band);
    }
    flush(&b);
    for (int i = 0; i + 1 < ser->n; i++) {
        if (!usable(&p[i]) || !usable(&p[i + 1]))
            continue;
        /* A thick line: the segment widened along its normal. */
        float x0 = px_x(s, p[i].t), y0 = px_y(s, p[i].theta);
        float x1 = px_x(s, p[i + 1].t), y1 = px_y(s, p[i + 1].theta);
        float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
        if (len < 0.01f)
            continue;
        float nx = -dy / len * hw, ny = dx / len * hw;
        quad(&b, (SDL_FPoint){x0 + nx, y0 + ny}, (SDL_FPoint){x1 + nx, y1 + ny},
             (SDL_FPoint){x1 - nx, y1 - ny}, (SDL_FPoint){x0 - nx, y0 - ny}, line);
    }
    flush(&b);
    /* Dots on the answers while they are far enough apart to read as separate points; a
     * single answer gets its uncertainty as an error bar. */
    int dot = 2 * U;
    int spaced = ser->n > 0 && s->r.w / ser->n >= 2 * dot;
    for (int i = 0; i < ser->n; i++) {
        if (!usable(&p[i]))
            continue;
        int x = (int)px_x(s, p[i].t), y = (int)px_y(s, p[i].theta);
        if (ser->n == 1 || s->span <= 0) {
            int top = (int)px_y(s, p[i].theta + p[i].se), bot = (int)px_y(s, p[i].theta - p[i].se);
            ui_fill(u, (SDL_Rect){x - 2 * U, top, 4 * U, bot - top + 1}, band);
        }
        if (spaced || ser->n == 1)
            ui_fill(u, (SDL_Rect){x - dot / 2, y - dot / 2, dot, dot}, line);
    }
}

static void draw_graph(ui *u, const progress_view *v, const prog_layout *L)
{
    const ui_theme *t = ui_colors(u);
    int U = ui_unit(u);
    const progress_series *ser = &v->series;
    ui_fill(u, L->graph, t->panel);
    if (v->focus == SCREEN_PROGRESS_GRAPH)
        ui_frame(u, L->graph, U / 2 > 2 ? U / 2 : 2, t->accent);
    const char *label = v->series_label ? v->series_label : ser->name;
    if (label)
        ui_text_box(u, label, L->label, 5 * L->T, 3 * L->T, t->text, UI_LEFT);
    ui_fill(u, L->plot, t->bg);

    /* The y range is -3..3 (the ability scale), widened to whole units to hold every band;
     * the time range runs from the first answer to the last. */
    scale s = {L->plot, 0, 0, -3, 3};
    double tmin = INFINITY, tmax = -INFINITY;
    for (int i = 0; i < ser->n; i++) {
        const progress_point *p = &ser->pts[i];
        if (!usable(p))
            continue;
        s.lo = fmin(s.lo, p->theta - fabs(p->se));
        s.hi = fmax(s.hi, p->theta + fabs(p->se));
        tmin = fmin(tmin, p->t);
        tmax = fmax(tmax, p->t);
    }
    s.lo = fmax(floor(s.lo), -99); /* beyond this the data is nonsense; keep labels short */
    s.hi = fmin(ceil(s.hi), 99);
    if (tmin < tmax)
        s.t0 = tmin, s.span = tmax - tmin;
    /* Keep the first and last dots clear of the plot's edges. */
    s.r.x += 2 * U, s.r.w -= 4 * U, s.r.y += U, s.r.h -= 2 * U;

    /* Gridlines at whole units, fewer when they would crowd the labels. */
    int lw, lh;
    ui_text_size(u, "0", L->axis_px, &lw, &lh);
    int range = (int)(s.hi - s.lo), step = 1;
    while (step < range && (double)s.r.h * step / range < lh * 1.4)
        step *= 2;
    SDL_Color grid = t->dim;
    char buf[64];
    for (int k = (int)ceil(s.lo / step) * step; k <= s.hi; k += step) {
        int y = (int)px_y(&s, k);
        grid.a = k == 0 ? 130 : 45;
        if (ser->n > 0) /* else the message below would sit on a line, as if struck out */
            ui_fill(u, (SDL_Rect){L->plot.x, y, L->plot.w, U / 5 > 1 ? U / 5 : 1}, grid);
        snprintf(buf, sizeof buf, k > 0 ? "+%d" : "%d", k);
        ui_text(u, buf, L->axis_px, t->dim, L->plot.x - U, y - lh / 2, UI_RIGHT);
    }

    if (ser->n == 0) {
        ui_text_box(u, "No answers yet", L->plot, 6 * U, 3 * U, t->dim, UI_CENTER);
        return;
    }
    SDL_Renderer *r = ui_renderer(u);
    SDL_RenderSetClipRect(r, &L->plot);
    draw_data(u, ser, &s, t->accent);
    SDL_RenderSetClipRect(r, NULL);

    SDL_Rect half = {L->xlab.x, L->xlab.y, L->xlab.w / 2 - U, L->xlab.h};
    if (s.span <= 0) {
        ui_text_box(u, ser->n == 1 ? "one answer" : "all on one day", L->xlab, L->axis_px, 2 * U, t->dim,
            UI_CENTER);
    } else {
        ui_text_box(u, "first answer", half, L->axis_px, 2 * U, t->dim, UI_LEFT);
        screen_progress_span_text(s.span, buf, sizeof buf);
        half.x = L->xlab.x + L->xlab.w - half.w;
        ui_text_box(u, buf, half, L->axis_px, 2 * U, t->dim, UI_RIGHT);
    }
}

/* ---- answer list ---------------------------------------------------------------------------- */

static void draw_row(ui *u, const progress_view *v, const prog_layout *L, int i, SDL_Rect r)
{
    const ui_theme *t = ui_colors(u);
    int U = ui_unit(u);
    const progress_row *row = &v->rows[i];
    SDL_Color outline = t->dim, glow = t->accent;
    outline.a = 60;
    glow.a = 50;
    ui_fill(u, r, t->panel);
    if (i == v->focus) {
        ui_fill(u, r, glow);
        ui_frame(u, r, U / 2 > 2 ? U / 2 : 2, t->accent);
    } else {
        ui_frame(u, r, 1, outline);
    }

    /* First line: [play mark] when [· topic] on the left; on the right what was heard and the
     * grade, and while this answer plays, its position. Then the question (see the top). */
    int T = L->T;
    int meta_px = 4 * T, left = r.x + 3 * T, right = r.x + r.w - 2 * T, tw, th;
    row_text rt_buf, *rt = &rt_buf;
    row_texts(u, v, i, r.w, T, rt);
    int g = row->grade;
    SDL_Color gc = g == 0   ? t->bad
                   : g == 1 ? t->warn
                   : g == 2 ? t->good
                   : g == 3 ? t->accent
                            : t->dim;
    ui_text_size(u, rt->gname, meta_px, &tw, &th);
    int ty = r.y + T / 2 + (5 * T - th) / 2; /* the meta line's top, as ui_text_box centres */
    ui_text(u, rt->gname, meta_px, gc, right, ty, UI_RIGHT);
    right -= tw + 2 * T;
    if (rt->heard[0])
        right -= ui_text(u, rt->heard, meta_px, t->dim, right, ty, UI_RIGHT) + T;
    if (rt->pos[0])
        right -= ui_text(u, rt->pos, meta_px, t->accent, right, ty, UI_RIGHT) + 2 * T;
    ui_text_size(u, rt->when, meta_px, &tw, &th);
    if (tw > right - left) { /* no room even for the time: shorten it */
        ui_text_box(u, rt->when, (SDL_Rect){left, r.y + T / 2, right - left, 5 * T}, meta_px,
                    meta_px, t->dim, UI_LEFT);
    } else {
        left += ui_text(u, rt->when, meta_px, t->dim, left, ty, UI_LEFT);
        if (rt->topic_meta) {
            left += ui_text(u, " · ", meta_px, t->dim, left, ty, UI_LEFT);
            ui_text(u, row->topic, meta_px, t->dim, left, ty, UI_LEFT);
        }
    }
    SDL_Rect q = {r.x + 3 * T, r.y + 6 * T, r.w - 5 * T, L->qlines == 2 ? 11 * T : 6 * T};
    int px = 5 * T;
    if (i == L->open) {
        q.h = r.h - 6 * T - T / 2;
        px = L->open_px;
    }
    ui_text_box(u, rt->question, q, px, i == L->open ? px : 4 * T,
                row->question ? t->text : t->dim, UI_LEFT);
}

static void draw_list(ui *u, const progress_view *v, const prog_layout *L)
{
    const ui_theme *t = ui_colors(u);
    int U = ui_unit(u);
    char buf[64];
    if (v->nrows == 0) {
        ui_text_box(u, "Answers", L->head, 4 * L->T, 2 * U, t->dim, UI_LEFT);
        ui_text_box(u, "Your answers will be listed here", L->list, 6 * U, 3 * U, t->dim, UI_CENTER);
        return;
    }
    snprintf(buf, sizeof buf, "%d answer%s, newest first", v->nrows, v->nrows == 1 ? "" : "s");
    ui_text_box(u, buf, L->head, 4 * L->T, 2 * U, t->dim, UI_LEFT);
    for (int i = L->first; i < L->first + L->count; i++)
        draw_row(u, v, L, i, row_rect(u, L, i));
    if (L->scrollbar && L->count > 0) {
        int open = L->open >= L->first && L->open < L->first + L->count;
        SDL_Rect track = {L->list.x + L->list.w - U, L->list.y, U,
                          L->count * (L->row_h + L->gap) - L->gap +
                              (open ? L->open_h - L->row_h : 0)};
        ui_fill(u, track, t->panel);
        int th = track.h * L->count / v->nrows, ty = track.h * L->first / v->nrows;
        if (th < U)
            th = U;
        if (ty > track.h - th)
            ty = track.h - th;
        ui_fill(u, (SDL_Rect){track.x, track.y + ty, track.w, th}, t->dim);
    }
}

void screen_progress(ui *u, const progress_view *v)
{
    const ui_theme *t = ui_colors(u);
    int U = ui_unit(u);
    prog_layout L;
    layout(u, v, &L);
    ui_fill(u, (SDL_Rect){0, 0, ui_w(u), ui_h(u)}, t->bg);
    if (v->title)
        ui_text_box(u, v->title, L.title, 8 * U, 4 * U, t->text, UI_LEFT);

    int focused = v->focus == SCREEN_PROGRESS_BACK;
    SDL_Color glow = t->accent;
    glow.a = 50;
    ui_fill(u, L.back, t->panel);
    if (focused)
        ui_fill(u, L.back, glow);
    ui_frame(u, L.back, focused ? (U / 2 > 2 ? U / 2 : 2) : 1, focused ? t->accent : t->dim);
    ui_text_box(u, "Back", (SDL_Rect){L.back.x + U, L.back.y + U, L.back.w - 2 * U, L.back.h - 2 * U},
        5 * U, 3 * U, t->text, UI_CENTER);

    for (int i = 0; i < DESC_LINES; i++) {
        char buf[400];
        const char *s = desc_text(v, i, buf, sizeof buf);
        if (L.desc[i].h <= 0)
            continue;
        SDL_Color c = i == DESC_LEVEL ? t->text : i == DESC_NEXT ? t->accent : t->dim;
        ui_text_box(u, s, L.desc[i], L.desc_px[i], 3 * U, c, UI_LEFT);
    }
    draw_graph(u, v, &L);
    draw_list(u, v, &L);
    if (v->notice)
        ui_text_box(u, v->notice, L.notice, 5 * U, 3 * U, t->warn, UI_LEFT);
    if (v->hint)
        ui_text_box(u, v->hint, L.hint, 4 * U, 2 * U, t->dim, UI_CENTER);
}
