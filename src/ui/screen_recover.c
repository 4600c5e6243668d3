/* screen_recover.c: the recovery screen, for a store that refused to open: a calm title, what
 * happened in one sentence, on the details page the data folder and the commands for a
 * technician as label/value rows, and the ways on as big buttons (a row along the bottom in
 * landscape, a column in portrait) that the three buttons walk and a finger can touch. The
 * layout comes from the window size and the view alone, so screen_recover_hit() sees what
 * screen_recover() drew. */
#include "screens.h"

typedef struct {
    SDL_Rect title, body, details, notice, hint;
    SDL_Rect item[SCREEN_RECOVER_MAX];
} recover_layout;

/* The buttons come from the window size alone; the text areas (measure = 1) also from the
 * sentence's size, which a touch does not need. */
static void layout(ui *u, const recover_view *v, recover_layout *L, int measure)
{
    int w = ui_w(u), h = ui_h(u), U = ui_unit(u), m = 4 * U, gap = 2 * U;
    int n = v->nitems < SCREEN_RECOVER_MAX ? v->nitems : SCREEN_RECOVER_MAX;
    L->title = (SDL_Rect){m, m, w - 2 * m, 10 * U};
    L->hint = (SDL_Rect){m, h - m - 5 * U, w - 2 * m, 5 * U};
    int bottom = L->hint.y - gap; /* the buttons end here */
    if (h > w) {
        /* Portrait: a column of full-width buttons, the first on top. */
        int bh = 12 * U;
        int top = bottom - n * bh - (n > 0 ? (n - 1) * gap : 0);
        for (int i = 0; i < n; i++)
            L->item[i] = (SDL_Rect){m, top + i * (bh + gap), w - 2 * m, bh};
        bottom = top;
    } else if (n > 0) {
        /* Landscape: one row, buttons no wider than a third of the width, centred. */
        int bh = 14 * U, bw = (w - 2 * m - (n - 1) * gap) / n;
        if (bw > (w - 2 * m) / 3)
            bw = (w - 2 * m) / 3;
        int row = n * bw + (n - 1) * gap, x = (w - row) / 2;
        for (int i = 0; i < n; i++)
            L->item[i] = (SDL_Rect){x + i * (bw + gap), bottom - bh, bw, bh};
        bottom -= bh;
    }
    L->notice = (SDL_Rect){m, bottom - gap - 10 * U, w - 2 * m, 10 * U}; /* two lines */
    if (v->notice)
        bottom = L->notice.y;
    int top = L->title.y + L->title.h + U;
    int avail = bottom - gap - top;
    if (v->ndetails > 0) {
        /* The sentence takes at most a quarter, the rows the rest. */
        int bh = v->body ? avail / 4 : 0;
        L->body = (SDL_Rect){m, top, w - 2 * m, bh};
        L->details = (SDL_Rect){m, top + bh, w - 2 * m, avail - bh};
    } else {
        /* The sentence right under the title, as tall as it needs at the size it gets. */
        int bh = avail;
        if (v->body && avail > 0 && measure) {
            int px = ui_text_fit(u, v->body, w - 2 * m, avail, 6 * U, 3 * U), lw, lh;
            ui_text_size(u, "", px, &lw, &lh);
            int need = ui_text_lines(u, v->body, px, w - 2 * m) * lh + U;
            bh = need < avail ? need : avail;
        }
        L->body = (SDL_Rect){m, top + U, w - 2 * m, bh};
        L->details = (SDL_Rect){m, top + avail, w - 2 * m, 0};
    }
}

int screen_recover_hit(ui *u, const recover_view *v, int x, int y)
{
    recover_layout L;
    layout(u, v, &L, 0);
    SDL_Point pt = {x, y};
    for (int i = 0; i < v->nitems && i < SCREEN_RECOVER_MAX; i++)
        if (SDL_PointInRect(&pt, &L.item[i]))
            return i;
    return -1;
}

/* The label/value rows: each gets an equal share; the label one small line in the dim colour,
 * the value (a path, a command) wrapped below it. */
static void detail_rows(ui *u, const recover_view *v, SDL_Rect area)
{
    const ui_theme *t = ui_colors(u);
    int U = ui_unit(u);
    int n = v->ndetails;
    if (n <= 0 || area.h <= 0)
        return;
    int rh = area.h / n, lh = 4 * U + U / 2;
    if (rh < lh + 3 * U)
        lh = rh / 2;
    for (int i = 0; i < n; i++) {
        int y = area.y + i * rh;
        const char *label = v->details[2 * i], *value = v->details[2 * i + 1];
        ui_text_box(u, label ? label : "", (SDL_Rect){area.x, y, area.w, lh}, 3 * U + U / 2,
                    2 * U, t->dim, UI_LEFT);
        ui_text_box(u, value ? value : "", (SDL_Rect){area.x + 2 * U, y + lh, area.w - 2 * U,
                                                       rh - lh - U / 2},
                    4 * U + U / 2, 2 * U, t->text, UI_LEFT);
    }
}

void screen_recover(ui *u, const recover_view *v)
{
    const ui_theme *t = ui_colors(u);
    int U = ui_unit(u);
    recover_layout L;
    layout(u, v, &L, 1);
    ui_fill(u, (SDL_Rect){0, 0, ui_w(u), ui_h(u)}, t->bg);
    if (v->title)
        ui_text_box(u, v->title, L.title, 8 * U, 4 * U, t->text, UI_LEFT);
    if (v->body && L.body.h > 0)
        ui_text_box(u, v->body, L.body, 6 * U, 3 * U, t->text, UI_LEFT);
    detail_rows(u, v, L.details);

    SDL_Color outline = t->dim;
    outline.a = 60;
    SDL_Color glow = t->accent;
    glow.a = 50;
    int thick = U / 2 > 2 ? U / 2 : 2;
    /* One text size for all buttons (a row reads as one set of choices). */
    int px = 5 * U;
    for (int i = 0; i < v->nitems && i < SCREEN_RECOVER_MAX; i++) {
        int p = ui_text_fit(u, v->items[i] ? v->items[i] : "", L.item[i].w - 4 * U,
                            L.item[i].h - 2 * U, 5 * U, 3 * U);
        px = p < px ? p : px;
    }
    for (int i = 0; i < v->nitems && i < SCREEN_RECOVER_MAX; i++) {
        SDL_Rect r = L.item[i];
        ui_fill(u, r, t->panel);
        if (i == v->focus) {
            ui_fill(u, r, glow);
            ui_frame(u, r, thick, t->accent);
        } else {
            ui_frame(u, r, 1, outline);
        }
        SDL_Rect text = {r.x + 2 * U, r.y + U, r.w - 4 * U, r.h - 2 * U};
        ui_text_box(u, v->items[i] ? v->items[i] : "", text, px, px, t->text, UI_CENTER);
    }
    if (v->notice)
        ui_text_box(u, v->notice, L.notice, 4 * U + U / 2, 3 * U, t->warn, UI_LEFT);
    if (v->hint)
        ui_text_box(u, v->hint, L.hint, 4 * U, 2 * U, t->dim, UI_CENTER);
}
