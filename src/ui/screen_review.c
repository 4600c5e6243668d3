/* screen_review.c: after the answer: the question (small), the key points a strong answer
 * covers, the recording's waveform with the play position, and the four grade buttons. */
#include <stdio.h>

#include "screens.h"

static const char *const grade_names[4] = {"missed", "partial", "solid", "excellent"};

/* The four buttons along the bottom, sized from the screen. */
static SDL_Rect button_rect(ui *u, int g)
{
    int w = ui_w(u), h = ui_h(u), U = ui_unit(u);
    int margin = 4 * U, gap = 2 * U;
    int bh = 16 * U, bw = (w - 2 * margin - 3 * gap) / 4;
    return (SDL_Rect){margin + g * (bw + gap), h - margin - 6 * U - bh, bw, bh};
}

int screen_review_hit(ui *u, int x, int y)
{
    for (int g = 0; g < 4; g++) {
        SDL_Rect r = button_rect(u, g);
        SDL_Point pt = {x, y};
        if (SDL_PointInRect(&pt, &r))
            return g;
    }
    return -1;
}

void screen_review(ui *u, const review_view *v)
{
    const ui_theme *t = ui_colors(u);
    int w = ui_w(u), h = ui_h(u), U = ui_unit(u);
    int margin = 4 * U;
    ui_fill(u, (SDL_Rect){0, 0, w, h}, t->bg);

    char buf[160];
    snprintf(buf, sizeof buf, "%s  ·  level %d  ·  how did it go?", v->topic, v->level);
    ui_text(u, buf, 5 * U, t->dim, margin, margin, UI_LEFT);
    int y = margin + 8 * U;
    ui_text_box(u, v->question, (SDL_Rect){margin, y, w - 2 * margin, 10 * U}, 5 * U, 3 * U,
                t->dim, UI_LEFT);
    y += 11 * U;

    /* Waveform strip with the play position. */
    int wave_h = v->has_recording ? 9 * U : 0;
    SDL_Rect top_btn = button_rect(u, 0);
    int keys_h = top_btn.y - y - wave_h - 3 * U;
    char keys[2048];
    size_t used = 0;
    keys[0] = '\0';
    for (int k = 0; k < v->nkeys && used < sizeof keys - 8; k++)
        used += (size_t)snprintf(keys + used, sizeof keys - used, "%s• %s", k ? "\n" : "",
                                 v->keys[k]);
    ui_text_box(u, keys, (SDL_Rect){margin, y, w - 2 * margin, keys_h}, 7 * U, 3 * U, t->text,
                UI_LEFT);
    y += keys_h + U;
    if (v->has_recording) {
        int lw, lh;
        ui_text_size(u, "P: play 00:00 / 00:00", 4 * U, &lw, &lh);
        SDL_Rect strip = {margin, y, w - 2 * margin - lw - 2 * U, wave_h};
        ui_fill(u, strip, t->panel);
        if (v->wave && v->nwave > 0) {
            int bars = strip.w / 3;
            for (int b = 0; b < bars; b++) {
                float a = v->wave[b * v->nwave / bars];
                int bh = (int)(a * (strip.h - 2)) + 1;
                SDL_Color c = v->play_len > 0 && (double)b / bars <= v->play_pos / v->play_len
                                  ? t->accent
                                  : t->dim;
                ui_fill(u, (SDL_Rect){strip.x + b * 3, strip.y + (strip.h - bh) / 2, 2, bh}, c);
            }
        }
        snprintf(buf, sizeof buf, "%s %d:%02d / %d:%02d", v->playing ? "playing" : "P: play",
                 (int)v->play_pos / 60, (int)v->play_pos % 60, (int)v->play_len / 60,
                 (int)v->play_len % 60);
        ui_text(u, buf, 4 * U, t->dim, w - margin, y + (wave_h - lh) / 2, UI_RIGHT);
    } else if (v->notice) {
        ui_text(u, v->notice, 4 * U, t->warn, margin, y, UI_LEFT);
    }

    static const int shades[4] = {0, 1, 2, 3};
    for (int g = 0; g < 4; g++) {
        SDL_Rect r = button_rect(u, g);
        SDL_Color c = shades[g] == 0 ? t->bad : shades[g] == 1 ? t->warn
                                            : shades[g] == 2 ? t->good
                                                             : t->accent;
        ui_fill(u, r, t->panel);
        ui_frame(u, r, g == v->selected ? U : U / 3 + 1, g == v->selected ? t->text : c);
        snprintf(buf, sizeof buf, "%d", g);
        ui_text(u, buf, 5 * U, c, r.x + r.w / 2, r.y + U, UI_CENTER);
        ui_text_box(u, grade_names[g], (SDL_Rect){r.x + U, r.y + 7 * U, r.w - 2 * U, 7 * U},
                    5 * U, 2 * U, t->text, UI_CENTER);
    }
    if (v->hint)
        ui_text_box(u, v->hint, (SDL_Rect){margin, h - margin - 5 * U, w - 2 * margin, 6 * U},
                    4 * U, 2 * U, t->dim, UI_CENTER);
}
