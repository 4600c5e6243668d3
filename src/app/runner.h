/* runner.h: start the kiosk (the full-screen practice program) and run it until the candidate
 * quits or SIGTERM/SIGINT arrives. Main thread; owns every SDL call while it runs. */
#ifndef VIVA_RUNNER_H
#define VIVA_RUNNER_H

#include "app.h"

typedef struct {
    const char *script_path; /* timed input to replay (NULL: none) */
    const char *shot_dir;    /* where the script's screenshots go (NULL: the working directory) */
    unsigned long long seed; /* question choice seed, when have_seed */
    int have_seed;
} run_options;

/* Returns the process exit code (EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_NODISPLAY). */
int run_kiosk(viva_app *app, const run_options *opt);

#endif
