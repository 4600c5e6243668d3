/* app.c: global options, configuration layering, logging to stderr, command dispatch. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "paths.h"
#include "vlog.h"

typedef struct {
    const char *name;
    int (*fn)(viva_app *, int, char **);
    const char *summary;
} command;

static const command commands[] = {
#define CMD(name, fn, summary) {#name, fn, summary},
#include "commands.def"
#undef CMD
};

static void log_to_stderr(vlog_level level, const char *module, const char *message)
{
    fprintf(stderr, "viva[%s] %s: %s\n", module, vlog_level_name(level), message);
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: viva [global options] [command] [arguments]\n"
            "\n"
            "viva is an adaptive oral-interview trainer: it shows a question, records your spoken\n"
            "answer, lets you grade it and picks the next question for your level.\n"
            "\n"
            "commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out,
            "\n"
            "global options:\n"
            "  --config FILE      read FILE after /etc/viva/viva.conf and ~/.config/viva/viva.conf\n"
            "  --set S.KEY=VALUE  override one configuration key (repeatable)\n"
            "  --data-dir DIR     keep data in DIR (same as --set data.dir=DIR)\n"
            "  --fullscreen       start full screen (same as --set display.fullscreen=true)\n"
            "  --verbose, -v      log debug messages\n"
            "  --help, -h         show this help; 'viva COMMAND --help' for a command's own\n"
            "  --version          print the version\n"
            "\n"
            "Configuration keys: 'viva config --defaults'. Manual: man viva, README.md.\n");
}

static int parse_log_level(const char *s, vlog_level *out)
{
    static const char *names[] = {"debug", "info", "warning", "error"};
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (vlog_level)i;
            return 0;
        }
    return -1;
}

static const command *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

int app_main(int argc, char **argv)
{
    viva_app *app = calloc(1, sizeof *app);
    if (!app)
        return EXIT_FAIL;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    app->start_s = ts.tv_sec + ts.tv_nsec / 1e9;
    config_defaults(&app->cfg);
    int rc = EXIT_USAGE;
    char err[512];

    /* Pass 1: --config, --verbose, --help/--version; everything else is kept in order. */
    const char *extra_config = NULL, *data_dir_opt = NULL;
    char **rest = calloc((size_t)argc + 1, sizeof *rest);
    char **sets = calloc((size_t)argc + 1, sizeof *sets);
    if (!rest || !sets)
        goto out;
    int nrest = 0, nsets = 0, want_help = 0;
    const command *cmd = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has_value = i + 1 < argc;
        if (!strcmp(a, "--config") || !strcmp(a, "--set") || !strcmp(a, "--data-dir")) {
            if (!has_value) {
                fprintf(stderr, "viva: %s needs a value\n", a);
                goto out;
            }
            if (!strcmp(a, "--config")) {
                extra_config = argv[++i];
            } else if (!strcmp(a, "--set")) {
                sets[nsets++] = argv[++i];
            } else {
                data_dir_opt = argv[++i];
            }
        } else if (!strcmp(a, "--fullscreen")) {
            sets[nsets++] = "display.fullscreen=true";
        } else if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) {
            app->verbose = 1;
        } else if (!strcmp(a, "--version")) {
            printf("viva %s (board profile: %s)\n", VIVA_VERSION, VIVA_BOARD_NAME);
            rc = EXIT_OK;
            goto out;
        } else if ((!strcmp(a, "--help") || !strcmp(a, "-h")) && !cmd) {
            want_help = 1;
        } else {
            if (!cmd && a[0] != '-') {
                cmd = find_command(a);
                if (!cmd) {
                    fprintf(stderr, "viva: '%s' is not a viva command; see 'viva --help'\n", a);
                    goto out;
                }
            }
            rest[nrest++] = argv[i];
        }
    }
    if (want_help) {
        usage(stdout);
        rc = EXIT_OK;
        goto out;
    }

    /* Configuration layers, each overriding the one before. */
    if (config_load_file(&app->cfg, "/etc/viva/viva.conf", 1, err, sizeof err) != 0)
        goto config_error;
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    char user_conf[PATH_MAX];
    user_conf[0] = '\0';
    if (xdg && *xdg)
        snprintf(user_conf, sizeof user_conf, "%s/viva/viva.conf", xdg);
    else if (home && *home)
        snprintf(user_conf, sizeof user_conf, "%s/.config/viva/viva.conf", home);
    if (user_conf[0] && config_load_file(&app->cfg, user_conf, 1, err, sizeof err) != 0)
        goto config_error;
    if (extra_config && config_load_file(&app->cfg, extra_config, 0, err, sizeof err) != 0)
        goto config_error;
    for (int i = 0; i < nsets; i++)
        if (config_set(&app->cfg, sets[i], err, sizeof err) != 0)
            goto config_error;
    app->sets = (const char *const *)sets;
    app->nsets = nsets;
    if (data_dir_opt) {
        if (!data_dir_opt[0]) {
            snprintf(err, sizeof err, "--data-dir: the path is empty; name a directory, or "
                     "leave the option out to use the default");
            goto config_error;
        }
        if (strlen(data_dir_opt) >= sizeof app->cfg.data_dir) {
            snprintf(err, sizeof err, "--data-dir: path is too long");
            goto config_error;
        }
        strcpy(app->cfg.data_dir, data_dir_opt);
    }

    vlog_level level;
    if (parse_log_level(app->cfg.log_level, &level) != 0) {
        snprintf(err, sizeof err, "log.level: '%s' is not debug, info, warning or error",
                 app->cfg.log_level);
        goto config_error;
    }
    vlog_set_sink(log_to_stderr, app->verbose ? VLOG_DEBUG : level);

    if (paths_asset_dir(app->asset_dir, sizeof app->asset_dir) != 0)
        VLOG_W("app", "no assets directory found (set VIVA_ASSET_DIR); the built-in bank is "
                      "unavailable");
    if (paths_data_dir(app->cfg.data_dir, app->data_dir, sizeof app->data_dir) != 0) {
        fprintf(stderr, "viva: no data directory: set data.dir, XDG_DATA_HOME or HOME\n");
        goto out;
    }

    if (!cmd) {
        cmd = find_command("run");
        if (!cmd) {
            usage(stderr);
            goto out;
        }
        rest[nrest++] = "run";
    }
    rc = cmd->fn(app, nrest, rest);
    goto out;

config_error:
    fprintf(stderr, "viva: %s\n", err);
    rc = EXIT_USAGE;
out:
    free(rest);
    free(sets);
    free(app);
    return rc;
}
