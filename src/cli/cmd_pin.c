/* cmd_pin.c: profile PINs on the command line (the store keeps them: store.h).
 *   viva profiles pin NAME           set or replace NAME's PIN: read twice from stdin
 *   viva profiles pin NAME --clear   remove it
 * and the check `viva export` makes before it writes a PIN-protected profile's answers: the
 * PIN is read from stdin or from the first line of --pin-file FILE. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli_pin.h"
#include "verr.h"

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One line of `f` without its line end into pin (PIN-sized; longer lines are refused as a
 * whole). 0, or -1 at the end of the input or on a line too long. */
static int read_pin_line(FILE *f, char *pin, size_t len)
{
    char line[64];
    if (!fgets(line, sizeof line, f))
        return -1;
    size_t n = strcspn(line, "\r\n");
    if (line[n] == '\0' && !feof(f)) { /* no line end within the buffer: too long */
        int ch;
        while ((ch = fgetc(f)) != EOF && ch != '\n')
            ;
        snprintf(pin, len, "x");
        return 0;
    }
    line[n] = '\0';
    if (n >= len)
        snprintf(pin, len, "x"); /* longer than any PIN: refused as a whole */
    else
        memcpy(pin, line, n + 1);
    memset(line, 0, sizeof line);
    return 0;
}

static void say_prompt(const char *text)
{
    fputs(text, stderr); /* stdout may be a pipe for the output; the prompt is for a person */
    fflush(stderr);
}

int cli_profiles_pin(store *st, const store_profile *p, int clear)
{
    if (clear) {
        store_pin_state s;
        int e = store_pin_status(st, p->id, wall_ms(), &s);
        if (!e && !s.has_pin) {
            printf("profile '%s' has no PIN\n", p->name);
            return EXIT_OK;
        }
        e = store_pin_clear(st, p->id);
        if (e) {
            fprintf(stderr, "viva profiles pin: clearing the PIN of '%s' failed: %s\n", p->name,
                    viva_strerror(e));
            return store_exit_code(e);
        }
        printf("cleared the PIN of '%s'\n", p->name);
        return EXIT_OK;
    }
    char pin[STORE_PIN_MAX + 8], again[STORE_PIN_MAX + 8];
    say_prompt("New PIN (4 to 8 digits): ");
    if (read_pin_line(stdin, pin, sizeof pin) != 0) {
        fprintf(stderr, "\nviva profiles pin: no PIN was given on stdin\n");
        return EXIT_USAGE;
    }
    if (!store_pin_valid(pin)) {
        fprintf(stderr, "\nviva profiles pin: a PIN is %d to %d digits (0-9), nothing else\n",
                STORE_PIN_MIN, STORE_PIN_MAX);
        return EXIT_USAGE;
    }
    say_prompt("\nThe same PIN again: ");
    if (read_pin_line(stdin, again, sizeof again) != 0 || strcmp(pin, again) != 0) {
        fprintf(stderr, "\nviva profiles pin: the two PINs differ; nothing was changed\n");
        return EXIT_USAGE;
    }
    say_prompt("\n");
    int e = store_pin_set(st, p->id, pin);
    memset(pin, 0, sizeof pin);
    memset(again, 0, sizeof again);
    if (e) {
        fprintf(stderr, "viva profiles pin: setting the PIN of '%s' failed: %s\n", p->name,
                viva_strerror(e));
        return store_exit_code(e);
    }
    printf("set the PIN of '%s'; the kiosk and 'viva export' ask for it\n", p->name);
    return EXIT_OK;
}

/* A wrong PIN given to a read-only export is counted through a writable open when no kiosk
 * holds the store (the kiosk counts its own); otherwise it is only refused. */
static void count_wrong(const char *dir, const store_profile *p, const char *pin)
{
    store *w;
    char err[1024];
    if (store_open(dir, STORE_NOCREATE, &w, err, sizeof err) != 0)
        return;
    int res;
    store_pin_check(w, p->id, pin, wall_ms(), &res, NULL);
    store_close(w);
}

int cli_export_unlock(store **st, const char *dir, const store_profile *p, const char *pin_file)
{
    store_pin_state s;
    int e = store_pin_status(*st, p->id, wall_ms(), &s);
    if (e == 0 && !s.has_pin)
        return EXIT_OK;
    if (e) {
        fprintf(stderr, "viva export: the PIN of '%s' cannot be read (%s); set it again with "
                "'viva profiles pin %s'\n", p->name, viva_strerror(e), p->name);
        return e == VIVA_ECORRUPT ? EXIT_FAIL : store_exit_code(e);
    }
    if (s.wait_ms > 0) {
        fprintf(stderr, "viva export: too many wrong PINs for '%s'; try again in %lld s\n",
                p->name, (long long)(s.wait_ms + 999) / 1000);
        return EXIT_FAIL;
    }
    char pin[STORE_PIN_MAX + 8] = "";
    FILE *f = stdin;
    if (pin_file && !(f = fopen(pin_file, "r"))) {
        fprintf(stderr, "viva export: --pin-file %s: cannot open it\n", pin_file);
        return EXIT_USAGE;
    }
    if (!pin_file)
        say_prompt("PIN: ");
    int got = read_pin_line(f, pin, sizeof pin);
    if (pin_file)
        fclose(f);
    else
        say_prompt("\n");
    if (got != 0 || !pin[0]) {
        fprintf(stderr, "viva export: profile '%s' has a PIN; give it on stdin or with "
                "--pin-file FILE\n", p->name);
        return EXIT_USAGE;
    }
    int res;
    e = store_pin_check(*st, p->id, pin, wall_ms(), &res, &s);
    if (e == 0 && res == STORE_PIN_WRONG) {
        store_close(*st); /* LMDB: one open of an environment per process at a time */
        *st = NULL;
        count_wrong(dir, p, pin);
    }
    memset(pin, 0, sizeof pin);
    if (e || res != STORE_PIN_OK) {
        fprintf(stderr, "viva export: %s; nothing was exported\n",
                e                          ? viva_strerror(e)
                : res == STORE_PIN_LOCKED ? "too many wrong PINs: wait and try again"
                                          : "wrong PIN");
        return EXIT_FAIL;
    }
    return EXIT_OK;
}
