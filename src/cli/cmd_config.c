/* cmd_config.c: `viva config [--defaults]`: print the effective or default configuration. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cmd_config(viva_app *app, int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "--defaults")) {
        viva_config def;
        config_defaults(&def);
        config_write(&def, stdout);
        return EXIT_OK;
    }
    if (argc > 1) {
        fprintf(stderr, "usage: viva config [--defaults]\n");
        return strcmp(argv[1], "--help") ? EXIT_USAGE : EXIT_OK;
    }
    printf("; effective configuration (data directory: %s, assets: %s)\n", app->data_dir,
           app->asset_dir);
    config_write(&app->cfg, stdout);
    return EXIT_OK;
}
