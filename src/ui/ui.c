/* ui.c: SDL window and renderer, the text texture cache and drawing primitives (the font is
 * found by ui_font.c; the frame's text boxes are recorded for layout.c).
 *
 * Fonts are opened once per pixel size (sizes are few: the layout asks for a handful). Text
 * textures live in a fixed-size cache with least-recently-used eviction; nothing is allocated
 * per frame once a screen's strings are cached. With a rotation, everything is drawn into a
 * target texture of the rotated size and copied to the window turned by SDL_RenderCopyEx. */
#include "ui.h"

#include <SDL_image.h>
#include <SDL_ttf.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "layout.h"
#include "strbuf.h"
#include "utf8.h"
#include "vlog.h"

#define FONT_SLOTS 24
#define TEXT_SLOTS 384

typedef struct {
    int px;
    TTF_Font *font;
} font_slot;

typedef struct {
    char *s;
    int px;
    Uint32 rgba;
    SDL_Texture *tex;
    int w, h;
    SDL_Rect ink;       /* where the pixels are, relative to the texture (for the layout log) */
    unsigned long used; /* LRU clock */
} text_slot;

struct ui {
    SDL_Window *win;
    SDL_Renderer *ren;
    SDL_Texture *target; /* non-NULL when rotated */
    int rotation;
    int w, h; /* logical (drawing) size */
    char font_path[1024];
    font_slot fonts[FONT_SLOTS];
    text_slot texts[TEXT_SLOTS];
    unsigned long clock, renders;
    ui_theme theme;
    layout_log *layout; /* non-NULL while the frame's text boxes are recorded */
    int layout_env;     /* VIVA_LAYOUT_CHECK: check each frame and log what is wrong */
    unsigned long reported[256]; /* hashes of findings already logged (VIVA_LAYOUT_CHECK) */
    int nreported;
};

static const ui_theme theme_default = {
    .bg = {16, 20, 28, 255},      .panel = {32, 38, 52, 255},  .text = {240, 242, 245, 255},
    .dim = {150, 160, 178, 255},  .accent = {90, 170, 255, 255}, .warn = {255, 184, 64, 255},
    .good = {90, 200, 120, 255},  .bad = {240, 90, 90, 255},
};
static const ui_theme theme_contrast = {
    .bg = {0, 0, 0, 255},         .panel = {0, 0, 0, 255},     .text = {255, 255, 255, 255},
    .dim = {255, 255, 255, 255},  .accent = {255, 255, 0, 255}, .warn = {255, 255, 0, 255},
    .good = {0, 255, 0, 255},     .bad = {255, 64, 64, 255},
};

static int driver_available(void)
{
    return SDL_GetNumVideoDrivers() > 0;
}

int ui_open(const ui_options *o, ui **out, int *no_display, char *err, size_t errlen)
{
    *out = NULL;
    *no_display = 0;
    ui *u = xcalloc(1, sizeof *u);
    u->rotation = o->rotation;
    u->theme = o->high_contrast ? theme_contrast : theme_default;

    if (o->font_path && *o->font_path) {
        if (access(o->font_path, R_OK) != 0) {
            snprintf(err, errlen, "display.font: cannot read %s", o->font_path);
            goto fail;
        }
        snprintf(u->font_path, sizeof u->font_path, "%s", o->font_path);
    } else if (ui_find_font(NULL, u->font_path, sizeof u->font_path) != 0) {
        snprintf(err, errlen, "no TrueType font found: install fonts-dejavu-core "
                              "(apt-get install fonts-dejavu-core) or set display.font");
        goto fail;
    }

    if (o->video_driver && *o->video_driver)
        SDL_SetHint(SDL_HINT_VIDEODRIVER, o->video_driver);
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1"); /* the app handles SIGTERM itself */
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_GAMECONTROLLER) != 0 &&
        SDL_Init(SDL_INIT_VIDEO) != 0) {
        *no_display = 1;
        snprintf(err, errlen,
                 "cannot open a display (%s). On a Pi console run with "
                 "SDL_VIDEODRIVER=kmsdrm (or display.video_driver = kmsdrm); on a desktop make "
                 "sure DISPLAY or WAYLAND_DISPLAY is set (x11 or wayland)%s",
                 SDL_GetError(), driver_available() ? "" : "; SDL has no video driver");
        goto fail;
    }
    /* SDL falls back to its invisible offscreen driver when nothing else works. That is for
     * tests and benchmarks only: unless asked for by name, it means there is no display. */
    const char *chosen = SDL_GetCurrentVideoDriver();
    const char *asked = getenv("SDL_VIDEODRIVER");
    int explicit_driver = (o->video_driver && *o->video_driver) || (asked && *asked);
    if (chosen && !explicit_driver && (!strcmp(chosen, "offscreen") || !strcmp(chosen, "dummy"))) {
        *no_display = 1;
        snprintf(err, errlen,
                 "cannot open a display: no screen was found. On a Pi console run with "
                 "SDL_VIDEODRIVER=kmsdrm (or display.video_driver = kmsdrm); on a desktop make "
                 "sure DISPLAY or WAYLAND_DISPLAY is set (x11 or wayland)");
        goto fail_sdl;
    }
    if (TTF_Init() != 0) {
        snprintf(err, errlen, "SDL_ttf: %s", TTF_GetError());
        goto fail_sdl;
    }

    int w = o->width, h = o->height;
    Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI;
    if (o->fullscreen) {
        flags |= (w && h) ? SDL_WINDOW_FULLSCREEN : SDL_WINDOW_FULLSCREEN_DESKTOP;
    } else {
        flags |= SDL_WINDOW_RESIZABLE;
        if (!w || !h)
            w = 1024, h = 600;
    }
    u->win = SDL_CreateWindow(o->title ? o->title : "viva", SDL_WINDOWPOS_CENTERED,
                              SDL_WINDOWPOS_CENTERED, w ? w : 1024, h ? h : 600, flags);
    if (!u->win) {
        *no_display = 1;
        snprintf(err, errlen,
                 "cannot create a window on video driver '%s' (%s). On a Pi console use "
                 "SDL_VIDEODRIVER=kmsdrm; on a desktop, x11 or wayland",
                 SDL_GetCurrentVideoDriver() ? SDL_GetCurrentVideoDriver() : "none",
                 SDL_GetError());
        goto fail_ttf;
    }
    /* Without a GPU (the offscreen and dummy drivers: tests, benchmarks) an OpenGL renderer
     * would run on Mesa's llvmpipe: slow to start, 100+ MB and busy threads. Use SDL's own
     * software renderer there; elsewhere (KMSDRM on a Pi, a desktop) take the accelerated one.
     * SDL_RENDER_DRIVER in the environment still overrides. */
    const char *vd = SDL_GetCurrentVideoDriver();
    int soft = vd && (!strcmp(vd, "offscreen") || !strcmp(vd, "dummy"));
    if (soft && !SDL_GetHint(SDL_HINT_RENDER_DRIVER))
        SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
    /* On the console (KMSDRM) OpenGL ES 2 first: it is the Pi GPU's own API, and through SDL's
     * desktop OpenGL renderer Mesa's software driver (QEMU's virtio GPU, no 3D) drew an all-black
     * home screen while the same frame through OpenGL ES showed. Another renderer is still
     * tried when it fails. */
    if (vd && !strcmp(vd, "KMSDRM") && !SDL_GetHint(SDL_HINT_RENDER_DRIVER)) {
        SDL_SetHint(SDL_HINT_RENDER_DRIVER, "opengles2");
        SDL_SetHint(SDL_HINT_RENDER_BATCHING, "1"); /* SDL turns batching off for a named driver */
    }
    u->ren = SDL_CreateRenderer(u->win, -1, soft ? SDL_RENDERER_SOFTWARE
                                                 : SDL_RENDERER_PRESENTVSYNC);
    if (!u->ren) {
        VLOG_W("ui", "no accelerated renderer (%s): drawing in software", SDL_GetError());
        u->ren = SDL_CreateRenderer(u->win, -1, SDL_RENDERER_SOFTWARE);
    }
    if (!u->ren) {
        snprintf(err, errlen, "cannot create a renderer: %s", SDL_GetError());
        goto fail_win;
    }
    SDL_SetRenderDrawBlendMode(u->ren, SDL_BLENDMODE_BLEND);
    int ow, oh;
    SDL_GetRendererOutputSize(u->ren, &ow, &oh);
    u->w = ow, u->h = oh;
    if (u->rotation == 90 || u->rotation == 270)
        u->w = oh, u->h = ow;
    if (u->rotation) {
        u->target = SDL_CreateTexture(u->ren, SDL_PIXELFORMAT_ARGB8888,
                                      SDL_TEXTUREACCESS_TARGET, u->w, u->h);
        if (!u->target) {
            snprintf(err, errlen, "display.rotation: cannot create a render target: %s",
                     SDL_GetError());
            goto fail_ren;
        }
        SDL_SetRenderTarget(u->ren, u->target);
    }
    SDL_ShowCursor(o->fullscreen ? SDL_DISABLE : SDL_ENABLE);
    const char *check = getenv("VIVA_LAYOUT_CHECK");
    if (check && *check && strcmp(check, "0") != 0) {
        u->layout = layout_log_new();
        u->layout_env = 1;
    }
    SDL_RendererInfo ri = {0};
    SDL_GetRendererInfo(u->ren, &ri);
    VLOG_I("ui", "%dx%d on %s (renderer %s), font %s", u->w, u->h, SDL_GetCurrentVideoDriver(),
           ri.name ? ri.name : "?", u->font_path);
    *out = u;
    return 0;

fail_ren:
    SDL_DestroyRenderer(u->ren);
fail_win:
    SDL_DestroyWindow(u->win);
fail_ttf:
    TTF_Quit();
fail_sdl:
    SDL_Quit();
fail:
    free(u);
    return -1;
}

void ui_close(ui *u)
{
    if (!u)
        return;
    for (int i = 0; i < TEXT_SLOTS; i++) {
        free(u->texts[i].s);
        if (u->texts[i].tex)
            SDL_DestroyTexture(u->texts[i].tex);
    }
    for (int i = 0; i < FONT_SLOTS; i++)
        if (u->fonts[i].font)
            TTF_CloseFont(u->fonts[i].font);
    if (u->target)
        SDL_DestroyTexture(u->target);
    layout_log_free(u->layout);
    SDL_DestroyRenderer(u->ren);
    SDL_DestroyWindow(u->win);
    TTF_Quit();
    SDL_Quit();
    FcFini(); /* fontconfig's caches, so leak checkers see only real leaks */
    free(u);
}

SDL_Renderer *ui_renderer(ui *u)
{
    return u->ren;
}

const ui_theme *ui_colors(const ui *u)
{
    return &u->theme;
}

int ui_w(const ui *u)
{
    return u->w;
}

int ui_h(const ui *u)
{
    return u->h;
}

int ui_unit(const ui *u)
{
    int m = u->w < u->h ? u->w : u->h;
    return m / 100 > 0 ? m / 100 : 1;
}

unsigned long ui_text_renders(const ui *u)
{
    return u->renders;
}

static TTF_Font *font_at(ui *u, int px)
{
    int victim = 0;
    for (int i = 0; i < FONT_SLOTS; i++) {
        if (u->fonts[i].font && u->fonts[i].px == px)
            return u->fonts[i].font;
        if (!u->fonts[i].font)
            victim = i;
    }
    if (u->fonts[victim].font) /* all slots busy: reuse slot 0 (sizes are few in practice) */
        TTF_CloseFont(u->fonts[victim].font);
    u->fonts[victim].font = TTF_OpenFont(u->font_path, px);
    u->fonts[victim].px = px;
    if (!u->fonts[victim].font)
        VLOG_E("ui", "cannot open font %s at %d px: %s", u->font_path, px, TTF_GetError());
    return u->fonts[victim].font;
}

static Uint32 pack(SDL_Color c)
{
    return (Uint32)c.r << 24 | (Uint32)c.g << 16 | (Uint32)c.b << 8 | c.a;
}

/* The rectangle of a rendered line's visible pixels (alpha of a quarter or more: the faint
 * edge of anti-aliasing does not count), relative to the surface. */
static SDL_Rect ink_of(SDL_Surface *surf)
{
    SDL_Rect r = {0, 0, 0, 0};
    if (surf->format->BytesPerPixel != 4 || !surf->format->Amask || SDL_LockSurface(surf) != 0)
        return (SDL_Rect){0, 0, surf->w, surf->h};
    Uint32 amask = surf->format->Amask, lim = (Uint32)64 << surf->format->Ashift;
    int x0 = surf->w, y0 = surf->h, x1 = -1, y1 = -1;
    for (int y = 0; y < surf->h; y++) {
        const Uint32 *row = (const Uint32 *)((const Uint8 *)surf->pixels + (size_t)y * surf->pitch);
        for (int x = 0; x < surf->w; x++)
            if ((row[x] & amask) >= lim) {
                x0 = x < x0 ? x : x0, x1 = x > x1 ? x : x1;
                y0 = y < y0 ? y : y0, y1 = y;
            }
    }
    SDL_UnlockSurface(surf);
    if (x1 >= 0)
        r = (SDL_Rect){x0, y0, x1 - x0 + 1, y1 - y0 + 1};
    return r;
}

static text_slot *text_get(ui *u, const char *s, int px, SDL_Color c)
{
    Uint32 rgba = pack(c);
    text_slot *lru = &u->texts[0];
    for (int i = 0; i < TEXT_SLOTS; i++) {
        text_slot *t = &u->texts[i];
        if (t->s && t->px == px && t->rgba == rgba && strcmp(t->s, s) == 0) {
            t->used = ++u->clock;
            return t;
        }
        if (t->used < lru->used)
            lru = t;
    }
    TTF_Font *f = font_at(u, px);
    if (!f)
        return NULL;
    SDL_Surface *surf = TTF_RenderUTF8_Blended(f, s, c);
    if (!surf)
        return NULL;
    free(lru->s);
    if (lru->tex)
        SDL_DestroyTexture(lru->tex);
    lru->s = xstrdup(s);
    lru->px = px;
    lru->rgba = rgba;
    lru->tex = SDL_CreateTextureFromSurface(u->ren, surf);
    lru->w = surf->w;
    lru->h = surf->h;
    lru->ink = ink_of(surf);
    lru->used = ++u->clock;
    SDL_FreeSurface(surf);
    u->renders++;
    return lru->tex ? lru : NULL;
}

void ui_text_size(ui *u, const char *s, int px, int *w, int *h)
{
    TTF_Font *f = font_at(u, px);
    *w = *h = 0;
    if (f && *s)
        TTF_SizeUTF8(f, s, w, h);
    else if (f)
        *h = TTF_FontLineSkip(f);
}

/* Draws one line; returns its width and where its pixels went (empty when nothing). */
static int text_draw(ui *u, const char *s, int px, SDL_Color c, int x, int y, int align,
                     SDL_Rect *ink)
{
    *ink = (SDL_Rect){x, y, 0, 0};
    if (!s || !*s)
        return 0;
    text_slot *t = text_get(u, s, px, c);
    if (!t)
        return 0;
    SDL_Rect dst = {x, y, t->w, t->h};
    if (align == UI_CENTER)
        dst.x -= t->w / 2;
    else if (align == UI_RIGHT)
        dst.x -= t->w;
    SDL_RenderCopy(u->ren, t->tex, NULL, &dst);
    *ink = (SDL_Rect){dst.x + t->ink.x, dst.y + t->ink.y, t->ink.w, t->ink.h};
    return t->w;
}

int ui_text(ui *u, const char *s, int px, SDL_Color c, int x, int y, int align)
{
    SDL_Rect ink;
    int w = text_draw(u, s, px, c, x, y, align, &ink);
    if (u->layout && s && *s) {
        layout_text r = {.text = s, .line = s, .ink = ink, .allowed = {0, 0, u->w, u->h},
                         .px = px, .group = layout_log_group(u->layout)};
        layout_log_text(u->layout, &r);
    }
    return w;
}

/* Greedy word wrap of s at px within width; calls emit for each line unless emit is NULL.
 * Lines break at spaces; a word wider than a whole line breaks after a '/', '-', '_', '.',
 * ',', ':' or ';' in it (paths, commands) and only failing that between two characters, which
 * *split reports. Returns the number of lines. */
typedef struct {
    const char *line;  /* the line's words, one space apart */
    int idx;
    size_t start, end; /* the part of s the line shows */
    int split;         /* the line ends inside a word */
} wrap_line;

typedef void (*line_fn)(ui *u, const wrap_line *l, void *ctx);

static int soft_break(char c)
{
    return c == '/' || c == '-' || c == '_' || c == '.' || c == ',' || c == ':' || c == ';';
}

/* How much of the n bytes at p (one word, too wide for a line) goes on a line: after its last
 * soft break that fits, else as many whole characters as fit (at least one; *split = 1). */
static size_t word_part(ui *u, const char *p, size_t n, int px, int width, int *split)
{
    strbuf trial = {0};
    size_t fit = 0, soft = 0;
    for (size_t k = utf8_ceil(p, n, 1); k > 0 && k < n; k = utf8_ceil(p, n, k + 1)) {
        int w, h;
        sb_clear(&trial);
        sb_appendn(&trial, p, k);
        ui_text_size(u, sb_str(&trial), px, &w, &h);
        if (w > width)
            break;
        fit = k;
        if (soft_break(p[k - 1]))
            soft = k;
    }
    sb_free(&trial);
    size_t take = soft ? soft : fit ? fit : utf8_ceil(p, n, 1);
    *split = soft == 0 && take < n;
    return take;
}

static void emit_line(ui *u, line_fn emit, void *ctx, strbuf *line, int *lines, size_t start,
                      size_t end, int split)
{
    if (emit) {
        wrap_line l = {sb_str(line), *lines, start, end, split};
        emit(u, &l, ctx);
    }
    (*lines)++;
    sb_clear(line);
}

static int wrap(ui *u, const char *s, int px, int width, line_fn emit, void *ctx, int *split)
{
    strbuf line = {0}, trial = {0};
    int lines = 0, any_split = 0;
    size_t start = 0, end = 0;
    const char *p = s;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        if (*p == '\n') {
            emit_line(u, emit, ctx, &line, &lines, start, end, 0);
            p++;
            start = end = (size_t)(p - s);
            continue;
        }
        const char *e = p;
        while (*e && *e != ' ' && *e != '\n')
            e++;
        sb_clear(&trial);
        sb_append(&trial, sb_str(&line));
        if (line.len)
            sb_appendc(&trial, ' ');
        sb_appendn(&trial, p, (size_t)(e - p));
        int w, h;
        ui_text_size(u, sb_str(&trial), px, &w, &h);
        if (w <= width) {
            if (!line.len)
                start = (size_t)(p - s);
            sb_clear(&line);
            sb_append(&line, sb_str(&trial));
            p = e;
            end = (size_t)(p - s);
            continue;
        }
        if (line.len) { /* the word goes to the next line */
            emit_line(u, emit, ctx, &line, &lines, start, end, 0);
            continue;
        }
        int cut = 0;
        size_t take = word_part(u, p, (size_t)(e - p), px, width, &cut);
        any_split |= cut;
        sb_appendn(&line, p, take);
        start = (size_t)(p - s);
        p += take;
        end = (size_t)(p - s);
        emit_line(u, emit, ctx, &line, &lines, start, end, cut);
    }
    if (line.len)
        emit_line(u, emit, ctx, &line, &lines, start, end, 0);
    sb_free(&line);
    sb_free(&trial);
    if (split)
        *split = any_split;
    return lines;
}

typedef struct {
    const char *s; /* the whole text */
    SDL_Rect box;
    int px, skip, align, max_lines, total, group;
    SDL_Color c;
} box_ctx;

/* Where in s the first k bytes of a line that starts at s + start end (the line has one
 * space where s may have several). */
static size_t source_offset(const char *s, size_t start, const char *line, size_t k)
{
    size_t i = start;
    for (size_t j = 0; j < k && s[i]; j++) {
        if (line[j] == ' ')
            while (s[i] == ' ')
                i++;
        else
            i++;
    }
    return i;
}

/* The last line that fits, shortened to end in "...": whole words dropped from its end until
 * it fits, characters only when a single word is left. Returns the bytes of line kept. */
static size_t shorten(ui *u, const char *line, int px, int width, char *out, size_t len)
{
    size_t n = utf8_floor(line, strlen(line), len > 8 ? len - 8 : 0);
    for (;;) {
        snprintf(out, len, "%.*s...", (int)n, line);
        int w, h;
        ui_text_size(u, out, px, &w, &h);
        if (w <= width || n == 0)
            return n;
        size_t sp = n;
        while (sp > 0 && line[sp - 1] != ' ')
            sp--;
        if (sp > 0) { /* drop the last word and the spaces before it */
            n = sp - 1;
            while (n > 0 && line[n - 1] == ' ')
                n--;
        } else {
            n = utf8_prev(line, n, n);
        }
    }
}

static void draw_line(ui *u, const wrap_line *l, void *vctx)
{
    box_ctx *b = vctx;
    if (l->idx >= b->max_lines)
        return;
    char cut[512];
    const char *s = l->line;
    int kind = l->split ? LAYOUT_CUT_SPLIT : LAYOUT_CUT_NONE;
    size_t at = l->end;
    if (l->idx == b->max_lines - 1 && b->total > b->max_lines) {
        size_t n = shorten(u, l->line, b->px, b->box.w, cut, sizeof cut);
        s = cut;
        at = source_offset(b->s, l->start, l->line, n);
        /* Inside a word when a letter is on both sides of the cut (a soft break ends one). */
        char before = at > 0 ? b->s[at - 1] : ' ', after = b->s[at];
        kind = before != ' ' && !soft_break(before) && after && after != ' ' && after != '\n'
                   ? LAYOUT_CUT_MIDWORD
                   : LAYOUT_CUT_WORD;
    }
    int x = b->align == UI_CENTER ? b->box.x + b->box.w / 2
            : b->align == UI_RIGHT ? b->box.x + b->box.w
                                   : b->box.x;
    int used = b->total < b->max_lines ? b->total : b->max_lines;
    int top = b->box.y + (b->box.h - used * b->skip) / 2;
    SDL_Rect ink;
    text_draw(u, s, b->px, b->c, x, top + l->idx * b->skip, b->align, &ink);
    if (u->layout && *s) {
        layout_text r = {.text = b->s, .line = s, .ink = ink, .allowed = b->box, .px = b->px,
                         .group = b->group, .cut = kind, .cut_at = at};
        layout_log_text(u->layout, &r);
    }
}

/* The largest size from max_px down (in ~6% steps) at which s wrapped to w fits h without
 * splitting a word, or the floor: min_px, but never under LAYOUT_MIN_PX (unless max_px is);
 * with its line count and line skip. Returns -1 when no font opens. */
static int fit(ui *u, const char *s, int w, int h, int max_px, int min_px, int *lines,
               int *skip)
{
    if (min_px < LAYOUT_MIN_PX)
        min_px = LAYOUT_MIN_PX;
    if (min_px > max_px)
        min_px = max_px;
    int px = max_px;
    for (;;) {
        TTF_Font *f = font_at(u, px);
        if (!f)
            return -1;
        int split = 0;
        *skip = TTF_FontLineSkip(f);
        *lines = wrap(u, s, px, w, NULL, NULL, &split);
        if ((*lines * *skip <= h && !split) || px <= min_px)
            return px;
        int next = px * 94 / 100;
        px = next < min_px ? min_px : (next == px ? px - 1 : next);
    }
}

int ui_text_fit(ui *u, const char *s, int w, int h, int max_px, int min_px)
{
    int lines, skip;
    int px = fit(u, s ? s : "", w, h, max_px, min_px, &lines, &skip);
    return px < 0 ? min_px : px;
}

int ui_text_fits(ui *u, const char *s, int w, int h, int max_px, int min_px)
{
    int lines, skip, split = 0;
    int px = fit(u, s ? s : "", w, h, max_px, min_px, &lines, &skip);
    if (px < 0)
        return 0;
    wrap(u, s ? s : "", px, w, NULL, NULL, &split);
    return lines * skip <= h && !split;
}

int ui_text_lines(ui *u, const char *s, int px, int w)
{
    return s && *s ? wrap(u, s, px, w, NULL, NULL, NULL) : 0;
}

int ui_text_box(ui *u, const char *s, SDL_Rect box, int max_px, int min_px, SDL_Color c,
                int align)
{
    int lines = 0, skip = 0;
    int px = fit(u, s, box.w, box.h, max_px, min_px, &lines, &skip);
    if (px < 0)
        return min_px;
    box_ctx b = {s, box, px, skip, align, box.h / (skip ? skip : 1), lines,
                 u->layout ? layout_log_group(u->layout) : 0, c};
    if (b.max_lines < 1)
        b.max_lines = 1;
    wrap(u, s, px, box.w, draw_line, &b, NULL);
    return px;
}

layout_log *ui_layout_record(ui *u, int on)
{
    if (on && !u->layout)
        u->layout = layout_log_new();
    if (!on && u->layout && !u->layout_env) {
        layout_log_free(u->layout);
        u->layout = NULL;
    }
    return u->layout;
}

layout_log *ui_layout_log(ui *u)
{
    return u->layout;
}

/* VIVA_LAYOUT_CHECK: each finding is logged once (a screen redrawn 30 times a second would
 * otherwise fill the journal). */
static void log_finding(void *ctx, const char *msg)
{
    ui *u = ctx;
    unsigned long hsh = 5381;
    for (const char *p = msg; *p; p++)
        hsh = hsh * 33 + (unsigned char)*p;
    for (int i = 0; i < u->nreported; i++)
        if (u->reported[i] == hsh)
            return;
    if (u->nreported < (int)(sizeof u->reported / sizeof u->reported[0]))
        u->reported[u->nreported++] = hsh;
    VLOG_W("layout", "%dx%d: %s", u->w, u->h, msg);
}

void ui_fill(ui *u, SDL_Rect r, SDL_Color c)
{
    SDL_SetRenderDrawColor(u->ren, c.r, c.g, c.b, c.a);
    SDL_RenderFillRect(u->ren, &r);
}

void ui_frame(ui *u, SDL_Rect r, int t, SDL_Color c)
{
    ui_fill(u, (SDL_Rect){r.x, r.y, r.w, t}, c);
    ui_fill(u, (SDL_Rect){r.x, r.y + r.h - t, r.w, t}, c);
    ui_fill(u, (SDL_Rect){r.x, r.y, t, r.h}, c);
    ui_fill(u, (SDL_Rect){r.x + r.w - t, r.y, t, r.h}, c);
}

void ui_line(ui *u, float x0, float y0, float x1, float y1, float width, SDL_Color c)
{
    float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
    if (len < 0.01f)
        return;
    /* The segment widened along its normal, extended by half the width at both ends so two
     * lines meeting at a point join without a notch. */
    float hw = width / 2, ux = dx / len * hw, uy = dy / len * hw, nx = -uy, ny = ux;
    SDL_FPoint p[4] = {{x0 - ux + nx, y0 - uy + ny},
                       {x1 + ux + nx, y1 + uy + ny},
                       {x1 + ux - nx, y1 + uy - ny},
                       {x0 - ux - nx, y0 - uy - ny}};
    static const int idx[6] = {0, 1, 2, 0, 2, 3};
    SDL_Vertex v[6];
    for (int k = 0; k < 6; k++)
        v[k] = (SDL_Vertex){p[idx[k]], c, {0, 0}};
    SDL_RenderGeometry(u->ren, NULL, v, 6, NULL, 0);
}

void ui_ring(ui *u, int cx, int cy, int radius, int thickness, double fraction, SDL_Color on,
             SDL_Color off)
{
    /* Drawn as short quads along the circle: geometry, no per-frame allocation. */
    enum { SEGMENTS = 120 };
    SDL_Vertex v[SEGMENTS * 6];
    int n = 0;
    if (fraction < 0)
        fraction = 0;
    if (fraction > 1)
        fraction = 1;
    double r0 = radius - thickness, r1 = radius;
    for (int i = 0; i < SEGMENTS; i++) {
        double a0 = 2 * M_PI * i / SEGMENTS - M_PI / 2;
        double a1 = 2 * M_PI * (i + 1) / SEGMENTS - M_PI / 2;
        SDL_Color c = (double)i / SEGMENTS < fraction ? on : off;
        SDL_FPoint p[4] = {
            {(float)(cx + r0 * cos(a0)), (float)(cy + r0 * sin(a0))},
            {(float)(cx + r1 * cos(a0)), (float)(cy + r1 * sin(a0))},
            {(float)(cx + r1 * cos(a1)), (float)(cy + r1 * sin(a1))},
            {(float)(cx + r0 * cos(a1)), (float)(cy + r0 * sin(a1))},
        };
        static const int idx[6] = {0, 1, 2, 0, 2, 3};
        for (int k = 0; k < 6; k++)
            v[n++] = (SDL_Vertex){p[idx[k]], c, {0, 0}};
    }
    SDL_RenderGeometry(u->ren, NULL, v, n, NULL, 0);
    if (u->layout)
        layout_log_ring(u->layout, (layout_ring){cx, cy, radius - thickness, radius});
}

int ui_screenshot(ui *u, const char *path, char *err, size_t errlen)
{
    int w, h;
    if (u->target) {
        w = u->w, h = u->h;
    } else {
        SDL_GetRendererOutputSize(u->ren, &w, &h);
    }
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s) {
        snprintf(err, errlen, "screenshot: %s", SDL_GetError());
        return -1;
    }
    int rc = SDL_RenderReadPixels(u->ren, NULL, SDL_PIXELFORMAT_ARGB8888, s->pixels, s->pitch);
    if (rc == 0)
        rc = IMG_SavePNG(s, path);
    if (rc != 0)
        snprintf(err, errlen, "screenshot %s: %s", path, SDL_GetError());
    SDL_FreeSurface(s);
    return rc == 0 ? 0 : -1;
}

void ui_present(ui *u)
{
    if (u->layout) { /* the frame is complete: check it (VIVA_LAYOUT_CHECK), then a new one */
        if (u->layout_env)
            layout_check(u->layout, u->w, u->h, 0, log_finding, u);
        layout_log_clear(u->layout);
    }
    if (u->target) {
        SDL_SetRenderTarget(u->ren, NULL);
        int ow, oh;
        SDL_GetRendererOutputSize(u->ren, &ow, &oh);
        SDL_Rect dst = {(ow - u->w) / 2, (oh - u->h) / 2, u->w, u->h};
        SDL_RenderCopyEx(u->ren, u->target, NULL, &dst, u->rotation, NULL, SDL_FLIP_NONE);
        SDL_RenderPresent(u->ren);
        SDL_SetRenderTarget(u->ren, u->target);
    } else {
        SDL_RenderPresent(u->ren);
    }
}
