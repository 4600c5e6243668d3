/* cli.h: viva's subcommands (commands.def) and the entry point that parses the global options
 * and the configuration, then runs one of them. Main thread. */
#ifndef VIVA_CLI_H
#define VIVA_CLI_H

#include "app.h"

#define CMD(name, fn, summary) int fn(viva_app *app, int argc, char **argv);
#include "commands.def"
#undef CMD

/* Parse global options and configuration, then run the command. Used by main() and by tests. */
int app_main(int argc, char **argv);

#endif
