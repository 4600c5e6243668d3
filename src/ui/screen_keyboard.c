/* screen_keyboard.c: an on-screen keyboard for typing a short name with a touch screen or the
 * three buttons: a title, the text typed so far in a large field with a caret, and a grid of
 * keys in index order (a-z, 0-9, space, '-', then Delete, Done and Cancel on their own row).
 * Index order on screen means "next" moves to the key to the right, as a user expects. The
 * grid has 13 columns in landscape (letters in two rows, digits and symbols in a third) and 7
 * in portrait, so keys stay big enough to touch on the 800x480 Pi screen. The layout depends
 * on the screen size only, which is why screen_keyboard_hit() needs no view. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screens.h"
#include "utf8.h"

enum { NLETTERS = 26, NCHARS = 38, NKEYS = 41 };

typedef struct {
    SDL_Rect title, field, notice, hint;
    SDL_Rect key[NKEYS];
    int label_px; /* size of the one-character labels */
} kb_layout;

int screen_keyboard_nkeys(void)
{
    return NKEYS;
}

int screen_keyboard_key(int i)
{
    if (i < 0 || i >= NKEYS)
        return 0; /* not a key */
    if (i < NLETTERS)
        return 'a' + i;
    if (i < NLETTERS + 10)
        return '0' + i - NLETTERS;
    static const int rest[] = {' ', '-', SCREEN_KB_DELETE, SCREEN_KB_DONE, SCREEN_KB_CANCEL};
    return rest[i - NLETTERS - 10];
}

static void layout(ui *u, kb_layout *L)
{
    int w = ui_w(u), h = ui_h(u), U = ui_unit(u), m = 4 * U;
    L->title = (SDL_Rect){m, m, w - 2 * m, 9 * U};
    L->field = (SDL_Rect){m, m + 10 * U, w - 2 * m, 12 * U};
    L->notice = (SDL_Rect){m, L->field.y + L->field.h + U, w - 2 * m, 6 * U};
    L->hint = (SDL_Rect){m, h - m - 5 * U, w - 2 * m, 6 * U};
    int top = L->notice.y + L->notice.h + 2 * U, bottom = L->hint.y - 2 * U;

    /* Character keys flow row by row; digits start a new row and space is two cells wide. */
    int cols = w >= h ? 13 : 7;
    int cell_col[NCHARS], cell_row[NCHARS], cell_span[NCHARS];
    int row = 0, col = 0;
    for (int i = 0; i < NCHARS; i++) {
        int span = screen_keyboard_key(i) == ' ' ? 2 : 1;
        if ((i == NLETTERS && col > 0) || col + span > cols)
            row++, col = 0;
        cell_col[i] = col, cell_row[i] = row, cell_span[i] = span;
        col += span;
    }
    int rows = row + 2; /* and the row of Delete, Done, Cancel */

    int gap = U + U / 2;
    int cw = (w - 2 * m - (cols - 1) * gap) / cols;
    int ch = (bottom - top - (rows - 1) * gap) / rows;
    if (ch > 18 * U) /* portrait has height to spare: keys need not be towers */
        ch = 18 * U;
    int gw = cols * cw + (cols - 1) * gap, gh = rows * ch + (rows - 1) * gap;
    /* Centred across, and at the bottom like a phone keyboard, near the thumbs and the hint. */
    int x0 = (w - gw) / 2, y0 = bottom - gh;
    for (int i = 0; i < NCHARS; i++)
        L->key[i] = (SDL_Rect){x0 + cell_col[i] * (cw + gap), y0 + cell_row[i] * (ch + gap),
                               cell_span[i] * cw + (cell_span[i] - 1) * gap, ch};
    int aw = (gw - 2 * gap) / 3;
    for (int k = 0; k < 3; k++)
        L->key[NCHARS + k] = (SDL_Rect){x0 + k * (aw + gap), y0 + (rows - 1) * (ch + gap), aw, ch};
    L->label_px = (cw < ch ? cw : ch) * 55 / 100;
}

int screen_keyboard_hit(ui *u, int x, int y)
{
    kb_layout L;
    layout(u, &L);
    SDL_Point pt = {x, y};
    for (int i = 0; i < NKEYS; i++)
        if (SDL_PointInRect(&pt, &L.key[i]))
            return i;
    return -1;
}

int screen_keyboard_step(ui *u, int i, int rows)
{
    if (i < 0 || i >= NKEYS || rows == 0)
        return i;
    kb_layout L;
    layout(u, &L);
    int cur = i;
    for (int r = 0; r < (rows > 0 ? rows : -rows); r++) {
        SDL_Rect from = L.key[cur];
        /* The nearest row in that direction: the key rows are the distinct y values. */
        int row_y = -1;
        for (int k = 0; k < NKEYS; k++) {
            int y = L.key[k].y;
            if ((rows > 0 ? y > from.y : y < from.y) &&
                (row_y < 0 || (rows > 0 ? y < row_y : y > row_y)))
                row_y = y;
        }
        if (row_y < 0)
            break;
        int cx = from.x + from.w / 2, best = cur, best_d = 0;
        for (int k = 0; k < NKEYS; k++) {
            if (L.key[k].y != row_y)
                continue;
            int d = abs(L.key[k].x + L.key[k].w / 2 - cx);
            if (best == cur || d < best_d)
                best = k, best_d = d;
        }
        cur = best;
    }
    return cur;
}

/* The typed text in the field; when it is too long, its end (where the caret is) is shown
 * after a "...". Returns the x just past the text, for the caret. */
static int draw_field_text(ui *u, const char *text, SDL_Rect box, int px, SDL_Color c)
{
    size_t len = strlen(text);
    const char *s = text;
    if (len > 200) /* a name is short; this only bounds the work below */
        s = text + len - 200;
    char buf[256];
    int tw, th;
    for (;;) {
        s = text + utf8_ceil(text, len, (size_t)(s - text)); /* on a character boundary */
        snprintf(buf, sizeof buf, "%s%s", s == text ? "" : "...", s);
        ui_text_size(u, buf, px, &tw, &th);
        if (tw <= box.w || !*s)
            break;
        s++;
    }
    ui_text(u, buf, px, c, box.x, box.y + (box.h - th) / 2, UI_LEFT);
    return box.x + (*buf ? tw : 0);
}

void screen_keyboard(ui *u, const keyboard_view *v)
{
    const ui_theme *t = ui_colors(u);
    int U = ui_unit(u);
    kb_layout L;
    layout(u, &L);
    ui_fill(u, (SDL_Rect){0, 0, ui_w(u), ui_h(u)}, t->bg);

    if (v->title)
        ui_text_box(u, v->title, L.title, 7 * U, 4 * U, t->text, UI_LEFT);

    int thick = U / 2 > 2 ? U / 2 : 2;
    ui_fill(u, L.field, t->panel);
    ui_frame(u, L.field, thick, t->accent);
    int caret_w = thick;
    SDL_Rect inner = {L.field.x + 3 * U, L.field.y + U, L.field.w - 6 * U - caret_w,
                      L.field.h - 2 * U};
    int end = draw_field_text(u, v->text ? v->text : "", inner, 7 * U, t->text);
    ui_fill(u, (SDL_Rect){end + U / 2, inner.y + U, caret_w, inner.h - 2 * U}, t->accent);

    if (v->notice)
        ui_text_box(u, v->notice, L.notice, 5 * U, 3 * U, t->warn, UI_LEFT);

    SDL_Color outline = t->dim;
    outline.a = 60;
    for (int i = 0; i < NKEYS; i++) {
        SDL_Rect r = L.key[i];
        int focused = i == v->focus, k = screen_keyboard_key(i);
        ui_fill(u, r, focused ? t->accent : t->panel);
        if (!focused)
            ui_frame(u, r, 1, outline);
        /* The focused key is filled with the accent, so its label takes the background. */
        SDL_Color c = focused                 ? t->bg
                      : k == SCREEN_KB_DONE   ? t->good
                      : k == SCREEN_KB_CANCEL ? t->dim
                                              : t->text;
        const char *word = k == ' '                ? "space"
                           : k == SCREEN_KB_DELETE ? "Delete"
                           : k == SCREEN_KB_DONE   ? "Done"
                           : k == SCREEN_KB_CANCEL ? "Cancel"
                                                   : NULL;
        if (word) {
            SDL_Rect box = {r.x + U, r.y + U, r.w - 2 * U, r.h - 2 * U};
            ui_text_box(u, word, box, L.label_px * 8 / 10, 2 * U, c, UI_CENTER);
        } else {
            char s[2] = {(char)k, '\0'};
            int tw, th;
            ui_text_size(u, s, L.label_px, &tw, &th);
            ui_text(u, s, L.label_px, c, r.x + r.w / 2, r.y + (r.h - th) / 2, UI_CENTER);
        }
    }
    if (v->hint)
        ui_text_box(u, v->hint, L.hint, 4 * U, 2 * U, t->dim, UI_CENTER);
}
