/* screen_summary.c: the end of a session: questions and talk time, the key points covered
 * and the delivery with their trend over the previous sessions, the ability change in words
 * ("up a little") over a bar with its uncertainty band and the session's starting point, per
 * topic, and the session's questions with their grade and what was heard. In landscape the
 * figures and bars take the left half and the questions the right; in portrait they stack.
 * Text in the lists uses the text unit of the progress screen (ui_unit up to 6 px, growing
 * with the height only beyond 1080 px), so a large screen shows more, not bigger. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "figures.h"
#include "layout.h"
#include "screens.h"

static const char *const grade_names[4] = {"missed", "partial", "solid", "excellent"};

static int text_unit(int U, int h)
{
    int cap = h / 180 > 6 ? h / 180 : 6;
    return U < cap ? U : cap;
}

/* x on the -3..+3 ability scale as a fraction of the bar, clamped. */
static double frac(double x)
{
    double f = (x + 3) / 6;
    return f < 0 ? 0 : f > 1 ? 1 : f;
}

/* A horizontal ability scale from -3 to +3 with an uncertainty band (theta +- se) and, when
 * `start` is finite, a thin mark where the session began. */
static void ability_bar(ui *u, SDL_Rect r, double theta, double se, double start, SDL_Color c)
{
    const ui_theme *t = ui_colors(u);
    ui_fill(u, r, t->panel);
    double lo = frac(theta - se), hi = frac(theta + se), mid = frac(theta);
    SDL_Color band = c;
    band.a = 110;
    ui_fill(u, (SDL_Rect){r.x + (int)(lo * r.w), r.y, (int)((hi - lo) * r.w) + 1, r.h}, band);
    if (isfinite(start)) {
        SDL_Color was = t->text;
        was.a = 150;
        ui_fill(u, (SDL_Rect){r.x + (int)(frac(start) * r.w) - 1, r.y - r.h / 4, 2, r.h + r.h / 2},
                was);
    }
    ui_fill(u, (SDL_Rect){r.x + (int)(mid * r.w) - 2, r.y, 4, r.h}, c);
}

/* A number on the ability scale with one decimal and its sign; never "-0.0". */
static const char *signed1(double x, char *buf, size_t len)
{
    if (fabs(x) < 0.05)
        snprintf(buf, len, "0.0");
    else
        snprintf(buf, len, "%+.1f", x);
    return buf;
}

void screen_summary_change_text(int graded, double before, double after, char *buf, size_t len)
{
    double d = after - before;
    if (graded <= 0 || !isfinite(d)) {
        snprintf(buf, len, "Ability: unchanged (nothing graded)");
        return;
    }
    double a = fabs(d);
    const char *dir = d > 0 ? "up" : "down";
    if (a < 0.05)
        snprintf(buf, len, "Ability: about the same");
    else if (a < 0.25)
        snprintf(buf, len, "Ability: %s a little (%+.2f)", dir, d);
    else if (a < 0.6)
        snprintf(buf, len, "Ability: %s (%+.2f)", dir, d);
    else
        snprintf(buf, len, "Ability: %s a lot (%+.2f)", dir, d);
}

void screen_summary_range_text(double theta, double se, char *buf, size_t len)
{
    char lo[16], hi[16];
    snprintf(buf, len, "likely %s to %s", signed1(theta - fabs(se), lo, sizeof lo),
             signed1(theta + fabs(se), hi, sizeof hi));
}

/* A figure in the text colour, then its trend in the dim colour: beside it when both fit the
 * width, else on the next line. Returns the height used. */
static int figure_line(ui *u, const char *main, const char *trend, int x, int y, int w, int T)
{
    const ui_theme *t = ui_colors(u);
    int big = 5 * T, small = 4 * T;
    int mw, mh, tw, th;
    ui_text_size(u, main, big, &mw, &mh);
    ui_text_box(u, main, (SDL_Rect){x, y, w, 6 * T}, big, 3 * T, t->text, UI_LEFT);
    if (!trend || !*trend)
        return 7 * T;
    ui_text_size(u, trend, small, &tw, &th);
    if (mw + 3 * T + tw <= w) {
        ui_text(u, trend, small, t->dim, x + mw + 3 * T, y + (mh - th) / 2 + T / 3, UI_LEFT);
        return 7 * T;
    }
    ui_text_box(u, trend, (SDL_Rect){x, y + 6 * T, w, 5 * T}, small, 3 * T, t->dim, UI_LEFT);
    return 12 * T;
}

/* Coverage and delivery lines; returns the y under them. */
static int figures(ui *u, const summary_view *v, int x, int y, int w, int T)
{
    char buf[200], trend[160];
    if (v->keys_total > 0) {
        snprintf(buf, sizeof buf, "Key points covered: %d of %d (%.0f%%)", v->keys_covered,
                 v->keys_total, 100.0 * v->keys_covered / v->keys_total);
        char vals[120] = "";
        int k = figures_join(vals, sizeof vals, v->prev, v->nprev, 3, FIGURE_COVERAGE, ", ");
        trend[0] = '\0';
        if (k == 1)
            snprintf(trend, sizeof trend, "last session: %s", vals);
        else if (k > 1)
            snprintf(trend, sizeof trend, "last %d sessions: %s", k, vals);
        y += figure_line(u, buf, trend, x, y, w, T);
    }
    session_figures now = {-1, v->wpm, v->fillers_per_min};
    if (figure_known(&now, FIGURE_WPM)) {
        if (figure_known(&now, FIGURE_FILLERS))
            snprintf(buf, sizeof buf, "Delivery: %.0f words/min · %.1f fillers/min", v->wpm,
                     v->fillers_per_min);
        else
            snprintf(buf, sizeof buf, "Delivery: %.0f words/min", v->wpm);
        char vals[120] = "";
        int k = figures_join(vals, sizeof vals, v->prev, v->nprev, 3, FIGURE_FILLERS, ", ");
        trend[0] = '\0';
        if (k == 1 && figure_known(&now, FIGURE_FILLERS))
            snprintf(trend, sizeof trend, "last session: %s fillers/min", vals);
        else if (k > 1 && figure_known(&now, FIGURE_FILLERS))
            snprintf(trend, sizeof trend, "last %d sessions: %s fillers/min", k, vals);
        y += figure_line(u, buf, trend, x, y, w, T);
    }
    return y;
}

/* One labelled bar: the label on the left and the likely range on the right of one line,
 * the bar under it. Returns the height used. */
static int bar_row(ui *u, const char *label, int label_px, SDL_Color label_c, double theta,
                   double se, double start, SDL_Color c, int x, int y, int w, int T)
{
    const ui_theme *t = ui_colors(u);
    char range[64];
    screen_summary_range_text(theta, se, range, sizeof range);
    int rw, rh;
    ui_text_size(u, range, 4 * T, &rw, &rh);
    ui_text_box(u, label, (SDL_Rect){x, y, w - rw - 2 * T, 6 * T}, label_px, 3 * T, label_c,
                UI_LEFT);
    ui_text_box(u, range, (SDL_Rect){x + w - rw, y, rw, 6 * T}, 4 * T, 3 * T, t->dim, UI_RIGHT);
    ability_bar(u, (SDL_Rect){x, y + 7 * T, w, 3 * T}, theta, se, start, c);
    return 12 * T;
}

/* The overall change and the topics' bars; returns the y under them. */
static int bars(ui *u, const summary_view *v, int x, int y, int w, int bottom, int T)
{
    const ui_theme *t = ui_colors(u);
    char buf[200];
    screen_summary_change_text(v->graded, v->theta_start, v->theta_now, buf, sizeof buf);
    y += bar_row(u, buf, 5 * T, t->text, v->theta_now, v->se_now,
                 v->graded > 0 ? v->theta_start : NAN, t->accent, x, y, w, T);
    int k = 0;
    /* A topic's bar only where the line counting the rest still fits under it. */
    for (; k < v->ntopics && y + 12 * T + (k + 1 < v->ntopics ? 5 * T : 0) <= bottom; k++)
        y += bar_row(u, v->topic[k], 4 * T, t->dim, v->topic_theta[k], v->topic_se[k], NAN,
                     t->good, x, y, w, T);
    if (k < v->ntopics) {
        snprintf(buf, sizeof buf, "and %d more topic%s", v->ntopics - k,
                 v->ntopics - k == 1 ? "" : "s");
        ui_text_box(u, buf, (SDL_Rect){x, y, w, 5 * T}, 4 * T, 3 * T, t->dim, UI_LEFT);
        y += 5 * T;
    }
    return y;
}

/* Lines question q takes at `px` in width w. */
static int q_lines(ui *u, const summary_question *q, int px, int w)
{
    int n = ui_text_lines(u, q->question ? q->question : "(question no longer in the bank)", px, w);
    return n < 1 ? 1 : n;
}

/* The session's questions: per row the grade (in its colour), what was heard and, for a
 * question answered before, which attempt; then the question, always whole (wrapped): at the
 * larger size when all of them fit, else at the smaller, and the rows that still do not fit
 * are counted in a last line. */
static void question_list(ui *u, const summary_view *v, SDL_Rect box, int T)
{
    const ui_theme *t = ui_colors(u);
    if (!v->questions || v->nquestions <= 0)
        return;
    ui_text_box(u, "This session's questions", (SDL_Rect){box.x, box.y, box.w, 6 * T}, 4 * T,
                3 * T, t->dim, UI_LEFT);
    int y = box.y + 7 * T, bottom = box.y + box.h;
    int px = 4 * T + T / 2, lh = 0, qw = box.w - 2 * T, unused;
    for (int k = 0; k < 2; k++) {
        px = k == 0 ? 4 * T + T / 2 : 4 * T;
        ui_text_size(u, "Ag", px, &unused, &lh); /* a line of text at px */
        lh += 1;                                 /* a line's skip may exceed its height */
        int need = 0;
        for (int i = 0; i < v->nquestions; i++)
            need += 6 * T + q_lines(u, &v->questions[i], px, qw) * lh + T;
        if (y + need <= bottom)
            break;
    }
    char buf[160];
    for (int i = 0; i < v->nquestions; i++) {
        const summary_question *q = &v->questions[i];
        int lines = q_lines(u, q, px, qw), row = 6 * T + lines * lh + T;
        int more = v->nquestions - i;
        if (y + row > bottom || (more > 1 && y + row + 5 * T > bottom)) {
            snprintf(buf, sizeof buf, "and %d more", more);
            ui_text_box(u, buf, (SDL_Rect){box.x, y, box.w, 5 * T}, 4 * T, 3 * T, t->dim,
                        UI_LEFT);
            break;
        }
        int g = q->grade;
        SDL_Color gc = g == 0   ? t->bad
                       : g == 1 ? t->warn
                       : g == 2 ? t->good
                       : g == 3 ? t->accent
                                : t->dim;
        const char *gname = g >= 0 && g <= 3 ? grade_names[g] : "not graded";
        int x = box.x + ui_text(u, gname, 4 * T, gc, box.x, y, UI_LEFT) + T;
        buf[0] = '\0';
        if (q->analysed && q->nkeys > 0)
            snprintf(buf, sizeof buf, "· heard %d of %d key point%s", q->covered, q->nkeys,
                     q->nkeys == 1 ? "" : "s");
        else if (q->analysed)
            snprintf(buf, sizeof buf, "· no key points to hear");
        if (q->attempt > 1)
            snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s· attempt %d",
                     buf[0] ? " " : "", q->attempt);
        if (buf[0])
            ui_text_box(u, buf, (SDL_Rect){x, y, box.x + box.w - x, 5 * T}, 4 * T, 3 * T, t->dim,
                        UI_LEFT);
        SDL_Rect qr = {box.x + 2 * T, y + 6 * T, qw, lines * lh};
        ui_text_box(u, q->question ? q->question : "(question no longer in the bank)", qr, px,
                    px, q->question ? t->text : t->dim, UI_LEFT);
        y += row;
    }
}

void screen_summary(ui *u, const summary_view *v)
{
    const ui_theme *t = ui_colors(u);
    int w = ui_w(u), h = ui_h(u), U = ui_unit(u), T = text_unit(U, h);
    int margin = 4 * U;
    ui_fill(u, (SDL_Rect){0, 0, w, h}, t->bg);
    char buf[240];
    ui_text(u, "Session complete", 9 * T, t->text, margin, margin, UI_LEFT);
    if (v->unsaved_why)
        snprintf(buf, sizeof buf, "%d question%s, %d graded, %d saved, %.0f s of talking%s%s",
                 v->asked, v->asked == 1 ? "" : "s", v->graded, v->saved, v->talk_s,
                 v->reason ? "  ·  " : "", v->reason ? v->reason : "");
    else
        snprintf(buf, sizeof buf, "%d question%s, %d graded, %.0f s of talking%s%s", v->asked,
                 v->asked == 1 ? "" : "s", v->graded, v->talk_s, v->reason ? "  ·  " : "",
                 v->reason ? v->reason : "");
    ui_text_box(u, buf, (SDL_Rect){margin, margin + 11 * T, w - 2 * margin, 6 * T}, 4 * T,
                3 * T, t->dim, UI_LEFT);

    int y = margin + 18 * T;
    if (v->unsaved_why) {
        /* What was lost and why, before any figure: the ability below counts only what is
         * on disk. */
        int lost = v->graded - v->saved;
        if (lost <= 0)
            snprintf(buf, sizeof buf, "An answer was not saved: %s.", v->unsaved_why);
        else if (v->saved == 0)
            snprintf(buf, sizeof buf, "Not saved: %s. No grade of this session is kept.",
                     v->unsaved_why);
        else
            snprintf(buf, sizeof buf, "%d grade%s not saved: %s. The ability below counts "
                     "only the %d saved.", lost, lost == 1 ? "" : "s", v->unsaved_why, v->saved);
        ui_text_box(u, buf, (SDL_Rect){margin, y, w - 2 * margin, 10 * U}, 4 * U + U / 2, 3 * U,
                    t->warn, UI_LEFT);
        y += 11 * U;
    }
    /* The legend of the bars, on as many lines as it takes at its size. */
    static const char legend[] = "Bars: ability from -3 (starting out) to +3 (expert); shaded: "
                                 "where it likely lies; thin mark: where this session began";
    int npx = 3 * T > LAYOUT_MIN_PX ? 3 * T : LAYOUT_MIN_PX, nw, nh;
    ui_text_size(u, "Ag", npx, &nw, &nh);
    int nlines = ui_text_lines(u, legend, npx, w - 2 * margin);
    int note_h = (nlines < 1 ? 1 : nlines) * (nh + 1) + T / 2;
    SDL_Rect note = {margin, h - margin - 6 * U - note_h, w - 2 * margin, note_h};
    int bottom = note.y - U;
    int list = v->questions && v->nquestions > 0;
    if (w > h && list) {
        /* Landscape: figures and bars on the left, the questions on the right. */
        int lw = (w - 2 * margin - 4 * U) / 2;
        int yl = figures(u, v, margin, y, lw, T) + T;
        bars(u, v, margin, yl, lw, bottom, T);
        question_list(u, v, (SDL_Rect){margin + lw + 4 * U, y, lw, bottom - y}, T);
    } else {
        y = figures(u, v, margin, y, w - 2 * margin, T) + T;
        /* Portrait: the bars get up to half of what is left, the questions the rest. */
        int bars_bottom = list ? y + (bottom - y) / 2 : bottom;
        y = bars(u, v, margin, y, w - 2 * margin, bars_bottom, T) + 2 * T;
        if (list)
            question_list(u, v, (SDL_Rect){margin, y, w - 2 * margin, bottom - y}, T);
    }
    ui_text_box(u, legend, note, npx, npx, t->dim, UI_LEFT);
    if (v->hint)
        ui_text_box(u, v->hint, (SDL_Rect){margin, h - margin - 5 * U, w - 2 * margin, 6 * U},
                    4 * U, 2 * U, t->accent, UI_CENTER);
}
