/* cli_store.h: what the store's subcommands share (cmd_store.c, cmd_export.c). Private to
 * src/cli. Main thread. */
#ifndef VIVA_CLI_STORE_H
#define VIVA_CLI_STORE_H

#include "cli.h"
#include "store.h"

/* Opens the store of app's data directory; on failure prints "viva CMD: why" and returns the
 * store's exit code, else EXIT_OK. */
int cli_open_store(viva_app *app, unsigned flags, store **st, const char *cmd);
/* ms since the epoch as "2026-12-07T02:22:27.397Z" (UTC); "" for 0 or less. */
void cli_iso_time(int64_t ms, char *out, size_t len);
/* 1 when argv holds --help or -h. */
int cli_want_help(int argc, char **argv);

#endif
