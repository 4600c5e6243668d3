/* ui.h: the window, fonts, cached text and the drawing primitives the screens use.
 * Only the main thread may call these (SDL's rule). Text is rasterised once per distinct
 * (string, pixel size, colour) and kept as a texture in a small LRU cache, so an unchanged
 * screen costs no glyph rendering per frame. */
#ifndef VIVA_UI_H
#define VIVA_UI_H

#include <SDL.h>
#include <stddef.h>

#include "layout.h"

typedef struct ui ui;

typedef struct {
    int width, height;        /* 0: desktop size (full screen) or 1024x600 (window) */
    int fullscreen;
    int rotation;             /* 0, 90, 180, 270: content is drawn rotated */
    const char *video_driver; /* "" or NULL: SDL's choice */
    const char *font_path;    /* "" or NULL: found through fontconfig */
    int high_contrast;
    const char *title;
} ui_options;

typedef struct {
    SDL_Color bg, panel, text, dim, accent, warn, good, bad;
} ui_theme;

enum { UI_LEFT, UI_CENTER, UI_RIGHT };

/* Opens the window and renderer and loads the font. On failure returns -1 and writes a message
 * that names the fix into err; *no_display is set when no video device could be opened. */
int ui_open(const ui_options *o, ui **out, int *no_display, char *err, size_t errlen);
void ui_close(ui *u);

SDL_Renderer *ui_renderer(ui *u);
const ui_theme *ui_colors(const ui *u);
int ui_w(const ui *u);
int ui_h(const ui *u);
/* A size unit: 1/100 of the shorter side, so layouts scale from 800x480 to 3840x2160. */
int ui_unit(const ui *u);

/* Find a TrueType font: fontconfig's match for "DejaVu Sans" (or `family`), then the usual
 * Debian paths. Returns 0 and the path, or -1. */
int ui_find_font(const char *family, char *path, size_t len);

/* Draw one line of text; returns its width. `align` is UI_LEFT/CENTER/RIGHT about x. */
int ui_text(ui *u, const char *s, int px, SDL_Color c, int x, int y, int align);
/* Size of one line of text at px. */
void ui_text_size(ui *u, const char *s, int px, int *w, int *h);

/* Word-wrap `s` into `box` at the largest size in [min_px, max_px] that fits without breaking
 * a word, and draw it. min_px is raised to LAYOUT_MIN_PX (layout.h), the smallest readable
 * size. Returns the size used (the floor if even that overflows: then the last line that fits
 * ends in "..." after its last whole word). A word wider than the box breaks after a '/' or
 * '-' (paths, commands), else between characters. */
int ui_text_box(ui *u, const char *s, SDL_Rect box, int max_px, int min_px, SDL_Color c,
                int align);

/* The size ui_text_box would use for s in a w x h box (it draws nothing). Screens that show
 * several boxes as one table fit each, take the smallest and draw all at that size. */
int ui_text_fit(ui *u, const char *s, int w, int h, int max_px, int min_px);
/* 1 when s fits a w x h box at some size in [min_px, max_px] (with the floor) with nothing
 * shortened and no word split: what ui_text_box would draw whole. */
int ui_text_fits(ui *u, const char *s, int w, int h, int max_px, int min_px);
/* Lines s takes when wrapped to width w at px (0 for an empty string). */
int ui_text_lines(ui *u, const char *s, int px, int w);

void ui_fill(ui *u, SDL_Rect r, SDL_Color c);
/* A straight line `width` pixels wide with square ends (drawn as two triangles). */
void ui_line(ui *u, float x0, float y0, float x1, float y1, float width, SDL_Color c);
void ui_frame(ui *u, SDL_Rect r, int thickness, SDL_Color c);
/* A ring that shows `fraction` (0..1) of a full turn, clockwise from 12 o'clock. */
void ui_ring(ui *u, int cx, int cy, int radius, int thickness, double fraction, SDL_Color on,
             SDL_Color off);

/* Save the current frame (call before ui_present) as a PNG. Returns 0 or -1 with err. */
int ui_screenshot(ui *u, const char *path, char *err, size_t errlen);
void ui_present(ui *u);

/* The layout record (layout.h): with on = 1, every line of text and every ring drawn is
 * recorded, a frame at a time (ui_present() starts the next); on = 0 stops (unless the
 * environment variable VIVA_LAYOUT_CHECK is set: then each frame is checked in ui_present()
 * and every new finding logged as a warning). Returns the log, NULL when off. */
layout_log *ui_layout_record(ui *u, int on);
layout_log *ui_layout_log(ui *u);

/* Number of text textures rasterised so far (for tests and the benchmark). */
unsigned long ui_text_renders(const ui *u);

#endif
