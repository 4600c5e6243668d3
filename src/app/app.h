/* app.h: the one application struct, created in main() and passed down.
 * Owned by the main thread. */
#ifndef VIVA_APP_H
#define VIVA_APP_H

#include <limits.h>

#include "config.h"

/* Exit codes shared by all subcommands (documented in README, "Exit codes"). */
enum {
    EXIT_OK = 0,
    EXIT_FAIL = 1,     /* a runtime failure, message on stderr */
    EXIT_USAGE = 2,    /* bad command line, configuration or input */
    EXIT_NODISPLAY = 3 /* no video device could be opened */
};

typedef struct {
    viva_config cfg;
    char asset_dir[PATH_MAX]; /* assets/ of this installation */
    char data_dir[PATH_MAX];  /* resolved data directory */
    int verbose;
    double start_s; /* CLOCK_MONOTONIC at app_main entry, for the start-up figure */
    const char *const *sets; /* the command line's --set assignments (they win over settings
                                changed on the screen), nsets of them */
    int nsets;
} viva_app;

#endif
