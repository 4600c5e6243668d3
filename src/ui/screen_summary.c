/* screen_summary.c: the end of a session: ability before and after with its uncertainty,
 * per topic, questions and talk time. */
#include <math.h>
#include <stdio.h>

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

void screen_summary(ui *u, const summary_view *v)
{
    const ui_theme *t = ui_colors(u);
    int w = ui_w(u), h = ui_h(u), U = ui_unit(u);
    int margin = 4 * U;
    ui_fill(u, (SDL_Rect){0, 0, w, h}, t->bg);
    char buf[200];
    ui_text(u, "Session complete", 9 * U, t->text, margin, margin, UI_LEFT);
    snprintf(buf, sizeof buf, "%d question%s, %d graded, %.0f s of talking%s%s", v->asked,
             v->asked == 1 ? "" : "s", v->graded, v->talk_s, v->reason ? "  ·  " : "",
             v->reason ? v->reason : "");
    ui_text(u, buf, 4 * U, t->dim, margin, margin + 11 * U, UI_LEFT);

    int y = margin + 19 * U, label_w = w * 36 / 100;
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
                    2 * U, t->dim, UI_LEFT);
        ability_bar(u, (SDL_Rect){bar_x, y + U, bar_w, 4 * U}, v->topic_theta[k],
                    v->topic_se[k], t->good);
        snprintf(buf, sizeof buf, "%.2f ± %.2f", v->topic_theta[k], v->topic_se[k]);
        ui_text(u, buf, 4 * U, t->dim, w - margin, y + U, UI_RIGHT);
    }
    ui_text(u, "ability scale: -3 (starting out) to +3 (expert); band = uncertainty", 3 * U,
            t->dim, margin, h - margin - 10 * U, UI_LEFT);
    if (v->hint)
        ui_text_box(u, v->hint, (SDL_Rect){margin, h - margin - 5 * U, w - 2 * margin, 6 * U},
                    4 * U, 2 * U, t->accent, UI_CENTER);
}
