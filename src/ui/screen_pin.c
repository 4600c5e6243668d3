/* screen_pin.c: the PIN keypad (see screens.h). Landscape puts the title, the dots and the
 * sentence on the left and the keypad on the right, so the keys stay large on the 800x480 Pi
 * screen; portrait stacks them. The layout depends on the screen size only, which is why
 * screen_pin_hit() needs no view. */
#include "screens.h"

typedef struct {
    SDL_Rect title, subtitle, field, notice, hint;
    SDL_Rect key[SCREEN_PIN_KEYS];
} pin_layout;

static void layout_keys(pin_layout *L, SDL_Rect pad, int gap, int U)
{
    int rows = (SCREEN_PIN_KEYS - 1) / 3 + 1; /* the grid, and Back across */
    int cw = (pad.w - 2 * gap) / 3, ch = (pad.h - (rows - 1) * gap) / rows;
    if (cw > 30 * U) /* wide screens: keys need not be banners */
        cw = 30 * U;
    int gw = 3 * cw + 2 * gap, x0 = pad.x + (pad.w - gw) / 2;
    for (int i = 0; i < SCREEN_PIN_KEYS - 1; i++)
        L->key[i] = (SDL_Rect){x0 + (i % 3) * (cw + gap), pad.y + (i / 3) * (ch + gap), cw, ch};
    L->key[SCREEN_PIN_KEYS - 1] = (SDL_Rect){x0, pad.y + (rows - 1) * (ch + gap), gw, ch};
}

static void layout(ui *u, pin_layout *L)
{
    int w = ui_w(u), h = ui_h(u), U = ui_unit(u), m = 4 * U, gap = U + U / 2;
    L->hint = (SDL_Rect){m, h - m - 5 * U, w - 2 * m, 6 * U};
    int bottom = L->hint.y - 2 * U;
    int side = w >= h ? w / 2 - m - 2 * U : w - 2 * m; /* width of the text column */
    L->title = (SDL_Rect){m, m, side, 9 * U};
    L->subtitle = (SDL_Rect){m, L->title.y + L->title.h + U, side, 6 * U};
    L->field = (SDL_Rect){m, L->subtitle.y + L->subtitle.h + 3 * U, side, 14 * U};
    L->notice = (SDL_Rect){m, L->field.y + L->field.h + 2 * U, side, 12 * U};
    SDL_Rect pad;
    if (w >= h)
        pad = (SDL_Rect){w / 2, m, w / 2 - m, bottom - m};
    else
        pad = (SDL_Rect){m, L->notice.y + L->notice.h + 2 * U, w - 2 * m,
                         bottom - (L->notice.y + L->notice.h + 2 * U)};
    layout_keys(L, pad, gap, U);
}

int screen_pin_hit(ui *u, int x, int y)
{
    pin_layout L;
    layout(u, &L);
    SDL_Point pt = {x, y};
    for (int i = 0; i < SCREEN_PIN_KEYS; i++)
        if (SDL_PointInRect(&pt, &L.key[i]))
            return i;
    return -1;
}

/* The typed digits as dots, centred in the field (a dim prompt when there is none). */
static void draw_field(ui *u, const pin_view *v, SDL_Rect f)
{
    const ui_theme *t = ui_colors(u);
    int U = ui_unit(u), thick = U / 2 > 2 ? U / 2 : 2;
    ui_fill(u, f, t->panel);
    ui_frame(u, f, thick, t->accent);
    if (v->digits <= 0) {
        SDL_Rect in = {f.x + 2 * U, f.y + U, f.w - 4 * U, f.h - 2 * U};
        ui_text_box(u, "Type the PIN", in, 5 * U, 3 * U, t->dim, UI_CENTER);
        return;
    }
    int d = 4 * U, step = 7 * U, n = v->digits;
    int x = f.x + (f.w - (n - 1) * step - d) / 2, y = f.y + (f.h - d) / 2;
    for (int i = 0; i < n; i++)
        ui_fill(u, (SDL_Rect){x + i * step, y, d, d}, t->text);
}

static void draw_key(ui *u, const pin_view *v, int i, SDL_Rect r)
{
    const ui_theme *t = ui_colors(u);
    int U = ui_unit(u), focused = i == v->focus;
    SDL_Color outline = t->dim;
    outline.a = 60;
    ui_fill(u, r, focused ? t->accent : t->panel);
    if (!focused)
        ui_frame(u, r, 1, outline);
    SDL_Color c = focused      ? t->bg
                  : v->waiting ? t->dim
                               : t->text;
    const char *label = v->labels[i] ? v->labels[i] : "";
    /* One line, as large as the key allows: a word is never broken ("Delete"). */
    int px = r.h * 45 / 100, tw, th;
    ui_text_size(u, label, px, &tw, &th);
    if (tw > r.w - 2 * U && tw > 0) {
        px = px * (r.w - 2 * U) / tw;
        px = px > 2 * U ? px : 2 * U;
        ui_text_size(u, label, px, &tw, &th);
    }
    ui_text(u, label, px, c, r.x + r.w / 2, r.y + (r.h - th) / 2, UI_CENTER);
}

void screen_pin(ui *u, const pin_view *v)
{
    const ui_theme *t = ui_colors(u);
    int U = ui_unit(u);
    pin_layout L;
    layout(u, &L);
    ui_fill(u, (SDL_Rect){0, 0, ui_w(u), ui_h(u)}, t->bg);
    if (v->title)
        ui_text_box(u, v->title, L.title, 7 * U, 3 * U, t->text, UI_LEFT); /* long names */
    if (v->subtitle)
        ui_text_box(u, v->subtitle, L.subtitle, 4 * U, 2 * U, t->dim, UI_LEFT);
    draw_field(u, v, L.field);
    if (v->notice)
        ui_text_box(u, v->notice, L.notice, 5 * U, 3 * U, t->warn, UI_LEFT);
    for (int i = 0; i < SCREEN_PIN_KEYS; i++)
        draw_key(u, v, i, L.key[i]);
    if (v->hint)
        ui_text_box(u, v->hint, L.hint, 4 * U, 2 * U, t->dim, UI_CENTER);
}
