/* cli_pin.h: the PIN steps of `viva profiles` and `viva export` (cmd_pin.c). Private to
 * src/cli. Main thread. */
#ifndef VIVA_CLI_PIN_H
#define VIVA_CLI_PIN_H

#include "cli.h"
#include "store.h"

/* `viva profiles pin NAME [--clear]` on an open, writable store: sets the PIN read twice from
 * stdin (4 to 8 digits), or clears it. Returns the exit code. */
int cli_profiles_pin(store *st, const store_profile *p, int clear);

/* Before exporting profile p from the read-only store *st (data directory dir): nothing when
 * it has no PIN; otherwise reads the PIN from stdin or the first line of pin_file (may be
 * NULL) and checks it. Returns EXIT_OK to go on, or the exit code of the refusal (message
 * printed). A wrong PIN closes *st (set to NULL) to count the attempt in the store. */
int cli_export_unlock(store **st, const char *dir, const store_profile *p,
                      const char *pin_file);

#endif
