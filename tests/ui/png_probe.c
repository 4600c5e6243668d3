/* png_probe: prints "WIDTH HEIGHT BRIGHT" for a PNG, where BRIGHT is the share (per mille) of
 * pixels inside the given region (fractions x0 y0 x1 y1) whose brightness exceeds 200: the
 * text colour on the dark theme. Used by the screenshot test to check that text is drawn. */
#include <SDL.h>
#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: png_probe FILE x0 y0 x1 y1\n");
        return 2;
    }
    SDL_Surface *raw = IMG_Load(argv[1]);
    if (!raw) {
        fprintf(stderr, "png_probe: %s: %s\n", argv[1], IMG_GetError());
        return 1;
    }
    SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(raw);
    if (!s)
        return 1;
    int x0 = (int)(atof(argv[2]) * s->w), y0 = (int)(atof(argv[3]) * s->h);
    int x1 = (int)(atof(argv[4]) * s->w), y1 = (int)(atof(argv[5]) * s->h);
    long bright = 0, total = 0;
    for (int y = y0; y < y1; y++) {
        const Uint32 *row = (const Uint32 *)((const Uint8 *)s->pixels + y * s->pitch);
        for (int x = x0; x < x1; x++, total++) {
            Uint32 p = row[x];
            int r = (p >> 16) & 255, g = (p >> 8) & 255, b = p & 255;
            bright += (r + g + b) / 3 > 200;
        }
    }
    printf("%d %d %ld\n", s->w, s->h, total ? bright * 1000 / total : 0);
    SDL_FreeSurface(s);
    return 0;
}
