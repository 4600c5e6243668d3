/* screen_summary.c: the end of a session: questions and talk time, the key points covered
 * and the delivery with their trend over the previous sessions, ability before and after with
 * its uncertainty, per topic. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "figures.h"
#include "screens.h"

/* A horizontal ability scale from -3 to +3 with an uncertainty band (theta +- se). */
static void ability_bar(ui *u, SDL_Rect r, double theta, double se, SDL_Color c)
{
    const ui_theme *t = ui_colors(u);
    ui_fill(u, r, t->panel);
    double lo = (theta - se + 3) / 6, hi = (theta + se + 3) / 6, mid = (theta + 3) / 6;
    lo = lo < 0 ? 0 : lo > 1 ? 1 : lo;
    hi = hi < 0 ? 0 : hi > 1 ? 1 : hi;
    mid = mid < 0 ? 0 : mid > 1 ? 1 : mid;
    SDL_Color band = c;
    band.a = 110;
    ui_fill(u, (SDL_Rect){r.x + (int)(lo * r.w), r.y, (int)((hi - lo) * r.w) + 1, r.h}, band);
    ui_fill(u, (SDL_Rect){r.x + (int)(mid * r.w) - 2, r.y, 4, r.h}, c);
}

/* A figure in the text colour, then its trend in the dim colour: beside it when both fit the
 * width, else on the next line. Returns the height used. */
static int figure_line(ui *u, const char *main, const char *trend, int x, int y, int w)
{
    const ui_theme *t = ui_colors(u);
    int U = ui_unit(u), big = 5 * U, small = 4 * U;
    int mw, mh, tw, th;
    ui_text_size(u, main, big, &mw, &mh);
    ui_text_box(u, main, (SDL_Rect){x, y, w, 6 * U}, big, 3 * U, t->text, UI_LEFT);
    if (!trend || !*trend)
        return 7 * U;
    ui_text_size(u, trend, small, &tw, &th);
    if (mw + 3 * U + tw <= w) {
        ui_text(u, trend, small, t->dim, x + mw + 3 * U, y + (mh - th) / 2 + U / 3, UI_LEFT);
        return 7 * U;
    }
    ui_text_box(u, trend, (SDL_Rect){x, y + 6 * U, w, 5 * U}, small, 3 * U, t->dim, UI_LEFT);
    return 12 * U;
}

void screen_summary(ui *u, const summary_view *v)
{
    const ui_theme *t = ui_colors(u);
    int w = ui_w(u), h = ui_h(u), U = ui_unit(u);
    int margin = 4 * U;
    ui_fill(u, (SDL_Rect){0, 0, w, h}, t->bg);
    char buf[200];
    ui_text(u, "Session complete", 9 * U, t->text, margin, margin, UI_LEFT);
    if (v->unsaved_why)
        snprintf(buf, sizeof buf, "%d question%s, %d graded, %d saved, %.0f s of talking%s%s",
                 v->asked, v->asked == 1 ? "" : "s", v->graded, v->saved, v->talk_s,
                 v->reason ? "  ·  " : "", v->reason ? v->reason : "");
    else
        snprintf(buf, sizeof buf, "%d question%s, %d graded, %.0f s of talking%s%s", v->asked,
                 v->asked == 1 ? "" : "s", v->graded, v->talk_s, v->reason ? "  ·  " : "",
                 v->reason ? v->reason : "");
    ui_text_box(u, buf, (SDL_Rect){margin, margin + 11 * U, w - 2 * margin, 6 * U}, 4 * U,
                3 * U, t->dim, UI_LEFT);

    int y = margin + 18 * U, label_w = w * 36 / 100;
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
    char trend[160];
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
        y += figure_line(u, buf, trend, margin, y, w - 2 * margin);
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
        y += figure_line(u, buf, trend, margin, y, w - 2 * margin);
    }
    y += U;
    int vw, vh;
    ui_text_size(u, "-0.00 ± 0.00", 4 * U, &vw, &vh);
    int bar_x = margin + label_w, bar_w = w - bar_x - margin - vw - 2 * U, row = 9 * U;
    double d = v->theta_now - v->theta_start;
    snprintf(buf, sizeof buf, "Overall %+.2f", d);
    ui_text(u, buf, 5 * U, t->text, margin, y, UI_LEFT);
    ability_bar(u, (SDL_Rect){bar_x, y + U, bar_w, 5 * U}, v->theta_now, v->se_now, t->accent);
    snprintf(buf, sizeof buf, "%.2f ± %.2f", v->theta_now, v->se_now);
    ui_text(u, buf, 4 * U, t->dim, w - margin, y + U, UI_RIGHT);
    y += row + U;
    for (int k = 0; k < v->ntopics && y + row < h - 12 * U; k++, y += row) {
        ui_text_box(u, v->topic[k], (SDL_Rect){margin, y, label_w - 2 * U, 6 * U}, 4 * U,
                    3 * U, t->dim, UI_LEFT);
        ability_bar(u, (SDL_Rect){bar_x, y + U, bar_w, 4 * U}, v->topic_theta[k],
                    v->topic_se[k], t->good);
        snprintf(buf, sizeof buf, "%.2f ± %.2f", v->topic_theta[k], v->topic_se[k]);
        ui_text(u, buf, 4 * U, t->dim, w - margin, y + U, UI_RIGHT);
    }
    ui_text_box(u, "ability scale: -3 (starting out) to +3 (expert); band = uncertainty",
                (SDL_Rect){margin, h - margin - 10 * U, w - 2 * margin, 4 * U}, 3 * U, 2 * U,
                t->dim, UI_LEFT);
    if (v->hint)
        ui_text_box(u, v->hint, (SDL_Rect){margin, h - margin - 5 * U, w - 2 * margin, 6 * U},
                    4 * U, 2 * U, t->accent, UI_CENTER);
}
