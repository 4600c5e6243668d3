/* paths.h: where viva finds its assets and keeps its data. */
#ifndef VIVA_PATHS_H
#define VIVA_PATHS_H

#include <stddef.h>

/* The assets directory: $VIVA_ASSET_DIR, else the source tree's assets/ for a binary run from
 * its build tree, else <prefix>/share/viva next to the installed binary, else the compiled-in
 * data directory. Writes it into out and returns 0, or -1 if none exists. */
int paths_asset_dir(char *out, size_t len);

/* The data directory: `configured` if not empty, else $XDG_DATA_HOME/viva, else
 * $HOME/.local/share/viva. Returns 0, or -1 when neither variable is set. */
int paths_data_dir(const char *configured, char *out, size_t len);


#endif
