/* ui_font.c: finding a TrueType font through fontconfig, else on the usual Debian paths. */
#include <fontconfig/fontconfig.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ui.h"

int ui_find_font(const char *family, char *path, size_t len)
{
    int found = -1;
    if (FcInit()) {
        FcPattern *pat = FcNameParse((const FcChar8 *)(family ? family : "DejaVu Sans"));
        if (pat) {
            FcConfigSubstitute(NULL, pat, FcMatchPattern);
            FcDefaultSubstitute(pat);
            FcResult res;
            FcPattern *match = FcFontMatch(NULL, pat, &res);
            FcChar8 *file = NULL;
            if (match && FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch &&
                strlen((const char *)file) < len && access((const char *)file, R_OK) == 0) {
                size_t n = strlen((const char *)file);
                /* Only TrueType/OpenType outlines; fontconfig may offer bitmap fonts. */
                if (n > 4 && (!strcmp((const char *)file + n - 4, ".ttf") ||
                              !strcmp((const char *)file + n - 4, ".otf"))) {
                    snprintf(path, len, "%s", (const char *)file);
                    found = 0;
                }
            }
            if (match)
                FcPatternDestroy(match);
            FcPatternDestroy(pat);
        }
    }
    static const char *const fallbacks[] = {
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/freefont/FreeSans.ttf",
    };
    for (size_t i = 0; found != 0 && i < sizeof fallbacks / sizeof fallbacks[0]; i++)
        if (access(fallbacks[i], R_OK) == 0 && strlen(fallbacks[i]) < len) {
            snprintf(path, len, "%s", fallbacks[i]);
            found = 0;
        }
    return found;
}
