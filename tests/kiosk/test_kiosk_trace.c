/* test_kiosk_trace.c: replays the event traces of tests/kiosk/traces/ through the kiosk state
 * machine and compares the actions it answers with, line by line.
 *
 * A trace is text: `@MS EVENT ARGS` feeds an event at time MS; each `> ACTION` line after it
 * is one action expected, in order (kiosk_action_format's text), and an event followed by no
 * `>` line must produce none; `= FIELD VALUE ...` checks fields of the model. `#` starts a
 * comment. Usage: test_kiosk_trace [TRACE...] (default: every trace of the folder); with
 * VIVA_TRACE_PRINT=1 it prints what the machine did instead of comparing (to write a trace,
 * which is then read and checked by hand). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "kiosk.h"

/* A small on-screen keyboard: a-z, space, then Delete, Done, Cancel. */
enum { KEYS = 30 };
static int key_of(int i)
{
    if (i < 26)
        return 'a' + i;
    if (i == 26)
        return ' ';
    return i == 27 ? KIOSK_KB_DELETE : i == 28 ? KIOSK_KB_DONE : KIOSK_KB_CANCEL;
}

typedef struct {
    const char *name;
    int value;
} word;

static const word keys[] = {
    {"next", KIOSK_KEY_NEXT},     {"prev", KIOSK_KEY_PREV},     {"select", KIOSK_KEY_SELECT},
    {"quit", KIOSK_KEY_QUIT},     {"play", KIOSK_KEY_PLAY},     {"back5", KIOSK_KEY_BACK5},
    {"fwd5", KIOSK_KEY_FWD5},     {"grade0", KIOSK_KEY_GRADE0}, {"grade1", KIOSK_KEY_GRADE1},
    {"grade2", KIOSK_KEY_GRADE2}, {"grade3", KIOSK_KEY_GRADE3}, {"back", KIOSK_KEY_BACK},
    {"enter-typed", KIOSK_KEY_ENTER_TYPED}, {"retry", KIOSK_KEY_RETRY},
    {"compare", KIOSK_KEY_COMPARE}, {"reference", KIOSK_KEY_REFERENCE},
    {"page-up", KIOSK_KEY_PAGE_UP}, {"page-down", KIOSK_KEY_PAGE_DOWN}, {NULL, 0}};

static const word cmds[] = {
    {"start", KIOSK_CMD_START},       {"repeat", KIOSK_CMD_REPEAT},
    {"skip", KIOSK_CMD_SKIP},         {"end-answer", KIOSK_CMD_END_ANSWER},
    {"play", KIOSK_CMD_PLAY},         {"missed", KIOSK_CMD_GRADE_MISSED},
    {"partial", KIOSK_CMD_GRADE_PARTIAL}, {"solid", KIOSK_CMD_GRADE_SOLID},
    {"excellent", KIOSK_CMD_GRADE_EXCELLENT}, {"next", KIOSK_CMD_NEXT},
    {"stop", KIOSK_CMD_STOP},         {NULL, 0}};

static const word analyses[] = {{"ready", KIOSK_ANALYSIS_READY},
                                {"no-speech", KIOSK_ANALYSIS_NO_SPEECH},
                                {"failed", KIOSK_ANALYSIS_FAILED},
                                {NULL, 0}};

static const word pins[] = {{"needed", KIOSK_PIN_NEEDED},
                            {"ok", KIOSK_PIN_OK},
                            {"wrong", KIOSK_PIN_WRONG},
                            {"locked", KIOSK_PIN_LOCKED},
                            {NULL, 0}};

static const word refusals[] = {{"damaged", KIOSK_REFUSED_DAMAGED},
                                {"newer", KIOSK_REFUSED_NEWER},
                                {"busy", KIOSK_REFUSED_BUSY},
                                {"unreadable", KIOSK_REFUSED_UNREADABLE},
                                {NULL, 0}};

static int lookup(const word *w, const char *s, int *out)
{
    for (; w->name; w++)
        if (strcmp(w->name, s) == 0) {
            *out = w->value;
            return 0;
        }
    return -1;
}

/* Splits a line into words in place; quotes group words ("a b", key="a b") and are dropped. */
static int split(char *s, char **w, int max)
{
    int n = 0;
    while (*s && n < max) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s)
            break;
        char *out = s;
        w[n++] = out;
        int quoted = 0;
        for (; *s && (quoted || (*s != ' ' && *s != '\t')); s++) {
            if (*s == '"')
                quoted = !quoted;
            else
                *out++ = *s;
        }
        if (*s)
            s++;
        *out = '\0';
    }
    return n;
}

/* The value of `key=value` among words[from..n), or NULL. */
static const char *arg(char **w, int n, int from, const char *key)
{
    size_t kl = strlen(key);
    for (int i = from; i < n; i++)
        if (strncmp(w[i], key, kl) == 0 && w[i][kl] == '=')
            return w[i] + kl + 1;
    return NULL;
}

static long num(char **w, int n, int from, const char *key, long dflt)
{
    const char *v = arg(w, n, from, key);
    return v ? strtol(v, NULL, 10) : dflt;
}

/* Builds the event of a trace line; returns -1 (message in err) if it is not one. */
static int parse_event(char **w, int n, kiosk_event *ev, char *err, size_t elen)
{
    memset(ev, 0, sizeof *ev);
    ev->now_ms = strtoll(w[0] + 1, NULL, 10);
    const char *e = n > 1 ? w[1] : "";
    int v = 0;
    if (!strcmp(e, "start")) {
        ev->type = KIOSK_EV_START;
        ev->i = (int)num(w, n, 2, "save", 1);
        ev->n = (int)num(w, n, 2, "profiles", 1);
        ev->text = arg(w, n, 2, "why");
    } else if (!strcmp(e, "tick")) {
        ev->type = KIOSK_EV_TICK;
    } else if (!strcmp(e, "key") && n > 2 && lookup(keys, w[2], &v) == 0) {
        ev->type = KIOSK_EV_KEY;
        ev->i = v;
    } else if (!strcmp(e, "touch") && n > 2) {
        ev->type = KIOSK_EV_TOUCH;
        ev->i = atoi(w[2]);
    } else if (!strcmp(e, "text") && n > 2) {
        ev->type = KIOSK_EV_TEXT;
        ev->text = strcmp(w[2], "\\b") == 0 ? "\b" : w[2];
    } else if (!strcmp(e, "voice") && n > 2 && lookup(cmds, w[2], &v) == 0) {
        ev->type = KIOSK_EV_VOICE;
        ev->i = v;
        ev->sample = num(w, n, 3, "sample", 0);
    } else if (!strcmp(e, "speech-done")) {
        ev->type = KIOSK_EV_SPEECH_DONE;
    } else if (!strcmp(e, "recording") && n > 2) {
        ev->type = KIOSK_EV_RECORDING;
        ev->i = atoi(w[2]);
    } else if (!strcmp(e, "capture-end")) {
        ev->type = KIOSK_EV_CAPTURE_END;
        ev->i = n > 2 && !strcmp(w[2], "lost");
    } else if (!strcmp(e, "mic") && n > 2) {
        ev->type = KIOSK_EV_MIC;
        ev->i = atoi(w[2]);
        ev->text = n > 3 ? w[3] : NULL;
    } else if (!strcmp(e, "question") && n > 2) {
        ev->type = KIOSK_EV_QUESTION;
        ev->i = strcmp(w[2], "none") != 0;
        ev->n = (int)num(w, n, 2, "n", 0);
        ev->ms = num(w, n, 2, "think", 0);
        ev->ms2 = num(w, n, 2, "answer", 0);
    } else if (!strcmp(e, "playback") && n > 2) {
        ev->type = KIOSK_EV_PLAYBACK;
        ev->i = atoi(w[2]);
    } else if (!strcmp(e, "analysis") && n > 2 && lookup(analyses, w[2], &v) == 0) {
        ev->type = KIOSK_EV_ANALYSIS;
        ev->i = v;
        ev->n = (int)num(w, n, 3, "suggested", -1);
    } else if (!strcmp(e, "stored") && n > 2) {
        ev->type = KIOSK_EV_STORED;
        ev->i = atoi(w[2]);
        ev->text = n > 3 ? w[3] : NULL;
    } else if (!strcmp(e, "profile") && n > 2) {
        ev->type = KIOSK_EV_PROFILE;
        ev->i = !strcmp(w[2], "ok");
        ev->n = (int)num(w, n, 3, "save", 1);
        ev->text = arg(w, n, 3, "why");
    } else if (!strcmp(e, "profiles")) {
        ev->type = KIOSK_EV_PROFILES;
        ev->n = (int)num(w, n, 2, "n", 0);
        ev->i = (int)num(w, n, 2, "current", -1);
    } else if (!strcmp(e, "progress")) {
        ev->type = KIOSK_EV_PROGRESS;
        ev->n = (int)num(w, n, 2, "rows", 0);
        ev->i = (int)num(w, n, 2, "series", 1);
    } else if (!strcmp(e, "notice")) {
        ev->type = KIOSK_EV_NOTICE;
        ev->text = n > 2 ? w[2] : "";
    } else if (!strcmp(e, "speech")) {
        ev->type = KIOSK_EV_SPEECH;
        ev->i = (int)(num(w, n, 2, "speak", 0) | num(w, n, 2, "listen", 0) << 1);
    } else if (!strcmp(e, "refused") && n > 2 && lookup(refusals, w[2], &v) == 0) {
        ev->type = KIOSK_EV_STORE_REFUSED;
        ev->i = v;
        ev->n = (int)num(w, n, 3, "backup", 0);
        ev->text = arg(w, n, 3, "why");
    } else if (!strcmp(e, "opened")) {
        ev->type = KIOSK_EV_STORE_OPENED;
        ev->n = (int)num(w, n, 2, "profiles", 1);
        ev->text = arg(w, n, 2, "why");
    } else if (!strcmp(e, "settings")) {
        ev->type = KIOSK_EV_SETTINGS;
        ev->i = (int)(num(w, n, 2, "hands-free", 0) | num(w, n, 2, "aloud", 0) << 1 |
                      num(w, n, 2, "analyse", 0) << 2);
        ev->ms = num(w, n, 2, "grade", 0);
    } else if (!strcmp(e, "pin") && n > 2 && lookup(pins, w[2], &v) == 0) {
        ev->type = KIOSK_EV_PIN;
        ev->i = v;
        ev->n = (int)num(w, n, 3, "target", -1);
        ev->ms = num(w, n, 3, "wait", 0);
        ev->text = arg(w, n, 3, "why");
    } else if (!strcmp(e, "pause") && n > 2) {
        ev->type = KIOSK_EV_PAUSE;
        ev->i = atoi(w[2]);
        ev->ms = num(w, n, 3, "countdown", 0);
    } else {
        snprintf(err, elen, "unknown event '%s'", e);
        return -1;
    }
    return 0;
}

static const char *page_name(kiosk_recover_page p)
{
    static const char *const names[] = {"choose", "confirm", "working", "details"};
    return (unsigned)p < 4 ? names[p] : "?";
}

/* The recovery page's choices, comma-separated ("restore,practise,details"). */
static void choices_text(const kiosk *k, char *buf, size_t len)
{
    static const char *const names[] = {"restore", "retry",   "practise",
                                        "details", "confirm", "back"};
    kiosk_recover_choice ch[KIOSK_RC_MAX];
    int n = kiosk_recover_choices(k, ch);
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? "," : "", names[ch[i]]);
    if (n == 0)
        snprintf(buf, len, "-");
}

/* A field of the model as text, for `=` lines. */
static int field(const kiosk *k, const char *name, char *buf, size_t len)
{
    if (!strcmp(name, "screen"))
        snprintf(buf, len, "%s", kiosk_screen_name(k->screen));
    else if (!strcmp(name, "focus"))
        snprintf(buf, len, "%d", k->focus);
    else if (!strcmp(name, "selected"))
        snprintf(buf, len, "%d", k->selected);
    else if (!strcmp(name, "suggested"))
        snprintf(buf, len, "%d", k->suggested);
    else if (!strcmp(name, "analysis"))
        snprintf(buf, len, "%d", (int)k->analysis);
    else if (!strcmp(name, "recording"))
        snprintf(buf, len, "%d", k->recording);
    else if (!strcmp(name, "listening"))
        snprintf(buf, len, "%s", kiosk_listen_name((kiosk_listen)k->listening));
    else if (!strcmp(name, "typed"))
        snprintf(buf, len, "%s", k->typed);
    else if (!strcmp(name, "notice"))
        snprintf(buf, len, "%s", k->notice);
    else if (!strcmp(name, "error-body"))
        snprintf(buf, len, "%s", k->error_body);
    else if (!strcmp(name, "reason"))
        snprintf(buf, len, "%s", k->end_reason ? k->end_reason : "-");
    else if (!strcmp(name, "running"))
        snprintf(buf, len, "%d", k->running);
    else if (!strcmp(name, "pin"))
        snprintf(buf, len, "%s", k->pin[0] ? k->pin : "-");
    else if (!strcmp(name, "pin-locked"))
        snprintf(buf, len, "%d", k->pin_locked);
    else if (!strcmp(name, "attempt"))
        snprintf(buf, len, "%d", k->attempt);
    else if (!strcmp(name, "reference"))
        snprintf(buf, len, "%d", k->reference);
    else if (!strcmp(name, "compare-step"))
        snprintf(buf, len, "%d", k->compare_step);
    else if (!strcmp(name, "number"))
        snprintf(buf, len, "%d", k->number);
    else if (!strcmp(name, "page"))
        snprintf(buf, len, "%s", page_name(k->recover_page));
    else if (!strcmp(name, "choices"))
        choices_text(k, buf, len);
    else if (!strcmp(name, "can-save"))
        snprintf(buf, len, "%d", k->can_save);
    else if (!strcmp(name, "paused"))
        snprintf(buf, len, "%d", k->paused);
    else if (!strcmp(name, "pause-countdown"))
        snprintf(buf, len, "%lld", (long long)k->pause_ms);
    else if (!strcmp(name, "confirm-quit"))
        snprintf(buf, len, "%d", k->confirm_quit);
    else if (!strcmp(name, "confirm-focus"))
        snprintf(buf, len, "%d", k->confirm_focus);
    else if (!strcmp(name, "deadline"))
        return -1; /* needs the time: handled by the caller */
    else
        return -1;
    return 0;
}

static int replay(const char *path, int print)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "%s: cannot open\n", path);
        return 1;
    }
    kiosk k;
    kiosk_init(&k, KEYS, key_of);
    kiosk_actions acts = {.n = 0};
    int next = 0, failures = 0, lineno = 0, fed = 0;
    int64_t now = 0;
    char line[512];
    /* After an event, every action it produced must be matched before the next event. */
#define LEFTOVER()                                                                            \
    do {                                                                                      \
        for (; fed && next < acts.n; next++) {                                                \
            char got[160];                                                                    \
            kiosk_action_format(&acts.a[next], got, sizeof got);                              \
            if (print)                                                                        \
                printf("> %s\n", got);                                                        \
            else {                                                                            \
                fprintf(stderr, "%s:%d: unexpected action '%s'\n", path, lineno, got);        \
                failures++;                                                                   \
            }                                                                                 \
        }                                                                                     \
    } while (0)
    while (fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        char *s = line + strspn(line, " \t");
        if (*s == '>') {
            const char *want = s + 1 + strspn(s + 1, " ");
            if (print)
                continue;
            if (next >= acts.n) {
                fprintf(stderr, "%s:%d: expected '%s', the machine did nothing more\n", path,
                        lineno, want);
                failures++;
                continue;
            }
            char got[160];
            kiosk_action_format(&acts.a[next++], got, sizeof got);
            if (strcmp(got, want) != 0) {
                fprintf(stderr, "%s:%d: expected '%s', got '%s'\n", path, lineno, want, got);
                failures++;
            }
            continue;
        }
        LEFTOVER();
        if (print && *s != '@')
            printf("%s\n", line); /* comments and checks, as they are */
        if (!*s || *s == '#')
            continue;
        char copy[512];
        snprintf(copy, sizeof copy, "%s", line);
        char *w[16];
        int n = split(s, w, 16);
        if (*s == '@') {
            kiosk_event ev;
            char err[128];
            if (parse_event(w, n, &ev, err, sizeof err) != 0) {
                fprintf(stderr, "%s:%d: %s\n", path, lineno, err);
                failures++;
                continue;
            }
            if (print)
                printf("%s\n", copy);
            now = ev.now_ms;
            acts.n = 0;
            next = 0;
            fed = 1;
            kiosk_step(&k, &ev, &acts);
        } else if (*s == '=') {
            for (int i = 1; i + 1 < n; i += 2) {
                char got[KIOSK_TEXT_MAX];
                if (!strcmp(w[i], "deadline")) {
                    snprintf(got, sizeof got, "%lld", (long long)kiosk_next_deadline(&k, now));
                } else if (field(&k, w[i], got, sizeof got) != 0) {
                    fprintf(stderr, "%s:%d: unknown field '%s'\n", path, lineno, w[i]);
                    failures++;
                    continue;
                }
                if (!print && strcmp(got, w[i + 1]) != 0) {
                    fprintf(stderr, "%s:%d: %s is '%s', expected '%s'\n", path, lineno, w[i],
                            got, w[i + 1]);
                    failures++;
                }
            }
        } else {
            fprintf(stderr, "%s:%d: not an event, action or check: %s\n", path, lineno, s);
            failures++;
        }
    }
    LEFTOVER();
#undef LEFTOVER
    fclose(f);
    if (!print)
        printf("%-40s %s (%d lines)\n", strrchr(path, '/') ? strrchr(path, '/') + 1 : path,
               failures ? "FAILED" : "ok", lineno);
    return failures;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int g_argc;
static char **g_argv;

static void test_traces(void)
{
    int print = getenv("VIVA_TRACE_PRINT") && atoi(getenv("VIVA_TRACE_PRINT"));
    int failures = 0, traces = 0;
    if (g_argc > 1) {
        for (int i = 1; i < g_argc; i++, traces++)
            failures += replay(g_argv[i], print);
    } else {
        const char *src = getenv("VIVA_SOURCE_DIR");
        char dir[1024];
        snprintf(dir, sizeof dir, "%s/tests/kiosk/traces", src ? src : "../..");
        DIR *d = opendir(dir);
        CHECK_MSG(d != NULL, "cannot open %s", dir);
        if (!d)
            return;
        char *names[64];
        int n = 0;
        struct dirent *de;
        while ((de = readdir(d)) && n < 64) {
            size_t l = strlen(de->d_name);
            if (l > 6 && strcmp(de->d_name + l - 6, ".trace") == 0)
                names[n++] = strdup(de->d_name);
        }
        closedir(d);
        qsort(names, (size_t)n, sizeof names[0], by_name);
        for (int i = 0; i < n; i++, traces++) {
            char path[1400];
            snprintf(path, sizeof path, "%s/%s", dir, names[i]);
            failures += replay(path, print);
            free(names[i]);
        }
        CHECK_MSG(n >= 8, "only %d traces in %s", n, dir);
    }
    fprintf(print ? stderr : stdout, "%d traces, %d failures\n", traces, failures);
    CHECK(failures == 0);
}

int main(int argc, char **argv)
{
    g_argc = argc;
    g_argv = argv;
    RUN(test_traces);
    if (getenv("VIVA_TRACE_PRINT"))
        fflush(stdout), dup2(2, 1); /* the summary must not land in a trace being written */
    return check_summary("kiosk traces");
}
