/* config.c: the configuration table (config.def) and its INI reader.
 *
 * The reader is viva's own (not inih) so that every problem names the right line: it reads the
 * whole file (regular files only, at most CONFIG_FILE_MAX bytes) with base's file reader and
 * walks it with the project's line splitter. Syntax: "[section]" lines, "key = value" (or
 * "key: value") lines, whole-line comments starting with ';' or '#', and an inline comment
 * starting with ';' after white space. Every value goes through the same table checks as
 * --set, so `viva config` refuses exactly what `viva run` would. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"
#include "lines.h"
#include "strbuf.h"
#include "utf8.h"

typedef enum { T_INT, T_DBL, T_BOOL, T_STR } ktype;

typedef struct {
    const char *section, *key, *help;
    ktype type;
    size_t offset;
    double lo, hi;
    int step; /* T_INT: the value must be a multiple of step (0 = any) */
    const char *def;
} keydef;

static const keydef keys[] = {
#define CFG_INT(sec, k, field, d, l, h, hl) {#sec, #k, hl, T_INT, offsetof(viva_config, field), l, h, 0, #d},
#define CFG_INT_STEP(sec, k, field, d, l, h, st, hl) {#sec, #k, hl, T_INT, offsetof(viva_config, field), l, h, st, #d},
#define CFG_DBL(sec, k, field, d, l, h, hl) {#sec, #k, hl, T_DBL, offsetof(viva_config, field), l, h, 0, #d},
#define CFG_BOOL(sec, k, field, d, hl) {#sec, #k, hl, T_BOOL, offsetof(viva_config, field), 0, 1, 0, #d},
#define CFG_STR(sec, k, field, d, hl) {#sec, #k, hl, T_STR, offsetof(viva_config, field), 0, 0, 0, d},
#include "config.def"
#undef CFG_INT
#undef CFG_INT_STEP
#undef CFG_DBL
#undef CFG_BOOL
#undef CFG_STR
};

#define NKEYS (sizeof keys / sizeof keys[0])

static const keydef *find_key(const char *section, const char *key)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].key, key) == 0)
            return &keys[i];
    return NULL;
}

/* Parse `value` into the field described by `k`; on failure write a reason into why. */
static int assign(viva_config *cfg, const keydef *k, const char *value, char *why, size_t len)
{
    char *field = (char *)cfg + k->offset;
    char *end;
    switch (k->type) {
    case T_INT: {
        errno = 0;
        long v = strtol(value, &end, 10);
        if (!*value || *end || errno) {
            snprintf(why, len, "'%s' is not a whole number", value);
            return -1;
        }
        if (v < k->lo || v > k->hi) {
            snprintf(why, len, "%ld is out of range (%g to %g)", v, k->lo, k->hi);
            return -1;
        }
        if (k->step && v % k->step != 0) {
            snprintf(why, len, "%ld is not a multiple of %d (%g to %g in steps of %d)", v,
                     k->step, k->lo, k->hi, k->step);
            return -1;
        }
        int iv = (int)v;
        memcpy(field, &iv, sizeof iv);
        return 0;
    }
    case T_DBL: {
        errno = 0;
        double v = strtod(value, &end);
        if (!*value || *end || errno) {
            snprintf(why, len, "'%s' is not a number", value);
            return -1;
        }
        if (!(v >= k->lo && v <= k->hi)) {
            snprintf(why, len, "%s is out of range (%g to %g)", value, k->lo, k->hi);
            return -1;
        }
        memcpy(field, &v, sizeof v);
        return 0;
    }
    case T_BOOL:
        if (!strcasecmp(value, "true") || !strcasecmp(value, "yes") || !strcasecmp(value, "on") ||
            !strcmp(value, "1")) {
            int on = 1;
            memcpy(field, &on, sizeof on);
        } else if (!strcasecmp(value, "false") || !strcasecmp(value, "no") ||
                   !strcasecmp(value, "off") || !strcmp(value, "0")) {
            int off = 0;
            memcpy(field, &off, sizeof off);
        } else {
            snprintf(why, len, "'%s' is not true or false", value);
            return -1;
        }
        return 0;
    case T_STR:
        if (strlen(value) >= CFG_STR_MAX) {
            snprintf(why, len, "value is longer than %d bytes", CFG_STR_MAX - 1);
            return -1;
        }
        strcpy(field, value);
        return 0;
    }
    return -1;
}

void config_defaults(viva_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    char why[128];
    for (size_t i = 0; i < NKEYS; i++)
        if (assign(cfg, &keys[i], keys[i].def, why, sizeof why) != 0)
            abort(); /* a bad default in config.def is a programming error */
}

/* Where a key was read, for the messages. */
typedef struct {
    const char *path;
    int line;
    char *err;
    size_t errlen;
} where;

static void trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t'))
        (*s)++, (*n)--;
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

static int known_section(const char *section)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (strcmp(keys[i].section, section) == 0)
            return 1;
    return 0;
}

/* "[name]" (with an optional trailing comment): the name into section. */
static int parse_section(const where *w, const char *s, size_t n, char *section, size_t cap)
{
    const char *close = memchr(s, ']', n);
    if (!close) {
        snprintf(w->err, w->errlen, "%s:%d: unclosed section '%.*s': write it as [name]", w->path,
                 w->line, (int)(n > 60 ? 60 : n), s);
        return -1;
    }
    const char *rest = close + 1;
    size_t rn = n - (size_t)(rest - s);
    trim(&rest, &rn);
    if (rn && rest[0] != ';' && rest[0] != '#') {
        snprintf(w->err, w->errlen, "%s:%d: text after the section's ']': '%.*s'", w->path,
                 w->line, (int)(rn > 60 ? 60 : rn), rest);
        return -1;
    }
    const char *name = s + 1;
    size_t nn = (size_t)(close - name);
    trim(&name, &nn);
    if (nn == 0 || nn >= cap) {
        snprintf(w->err, w->errlen, "%s:%d: section name '%.*s' is %s", w->path, w->line,
                 (int)(nn > 60 ? 60 : nn), name, nn ? "too long" : "empty");
        return -1;
    }
    memcpy(section, name, nn);
    section[nn] = '\0';
    return 0;
}

/* "key = value" (or "key: value") in `section`. */
static int parse_entry(viva_config *cfg, const where *w, const char *section, const char *s,
                       size_t n)
{
    size_t sep = 0;
    while (sep < n && s[sep] != '=' && s[sep] != ':')
        sep++;
    const char *name = s, *value = s + sep + 1;
    size_t nn = sep, vn = sep < n ? n - sep - 1 : 0;
    trim(&name, &nn);
    if (sep == n || nn == 0) {
        snprintf(w->err, w->errlen, "%s:%d: syntax error (expected [section] or key = value)",
                 w->path, w->line);
        return -1;
    }
    for (size_t i = 0; i < vn; i++) /* an inline comment: ';' after white space */
        if (value[i] == ';' && i && (value[i - 1] == ' ' || value[i - 1] == '\t')) {
            vn = i;
            break;
        }
    trim(&value, &vn);
    char key[64];
    snprintf(key, sizeof key, "%.*s", (int)(nn > 63 ? 63 : nn), name);
    if (!section[0]) {
        snprintf(w->err, w->errlen, "%s:%d: %s: key before any [section]", w->path, w->line,
                 key);
        return -1;
    }
    const keydef *k = nn < sizeof key ? find_key(section, key) : NULL;
    if (!k) {
        snprintf(w->err, w->errlen, "%s:%d: %s.%s: %s%s%s", w->path, w->line, section, key,
                 known_section(section) ? "unknown key" : "unknown section [",
                 known_section(section) ? "" : section, known_section(section) ? "" : "]");
        return -1;
    }
    char *v = xstrndup(value, vn);
    char why[200];
    int rc = assign(cfg, k, v, why, sizeof why);
    free(v);
    if (rc != 0)
        snprintf(w->err, w->errlen, "%s:%d: %s.%s: %s", w->path, w->line, section, key, why);
    return rc;
}

/* Parse the text of one configuration file into cfg; stops at the first problem. */
static int parse_text(viva_config *cfg, const char *path, const char *text, size_t len,
                      char *err, size_t errlen)
{
    where w = {path, 0, err, errlen};
    char section[64] = "";
    lines it; /* skips a byte-order mark and the \r of CRLF */
    lines_init(&it, text, len);
    const char *s;
    size_t n;
    while (lines_next(&it, &s, &n)) {
        w.line = it.no;
        const char *nul = memchr(s, '\0', n);
        size_t bad;
        if (nul) {
            snprintf(err, errlen, "%s:%d: NUL byte at column %zu: a configuration file is text",
                     path, w.line, (size_t)(nul - s) + 1);
            return -1;
        }
        if (!utf8_check(s, n, &bad)) {
            snprintf(err, errlen, "%s:%d: invalid UTF-8 at column %zu: save the file as UTF-8",
                     path, w.line, bad + 1);
            return -1;
        }
        trim(&s, &n);
        if (n == 0 || s[0] == ';' || s[0] == '#')
            continue;
        int rc = s[0] == '[' ? parse_section(&w, s, n, section, sizeof section)
                             : parse_entry(cfg, &w, section, s, n);
        if (rc != 0)
            return -1;
    }
    return 0;
}

static const char *file_kind(mode_t m)
{
    return S_ISDIR(m) ? "a directory" : S_ISFIFO(m) ? "a FIFO" : S_ISCHR(m) ? "a character device"
         : S_ISBLK(m) ? "a block device" : S_ISSOCK(m) ? "a socket" : "not a regular file";
}

int config_load_file(viva_config *cfg, const char *path, int optional, char *err, size_t errlen)
{
    /* O_NONBLOCK: opening a FIFO must not wait for a writer before it can be refused. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        if (optional && errno == ENOENT)
            return 0;
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: %s: the configuration must be a regular file", path,
                 file_kind(st.st_mode));
        close(fd);
        return -1;
    }
    FILE *f = fdopen(fd, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    char *text;
    size_t len;
    int e = file_read_stream(f, CONFIG_FILE_MAX, &text, &len);
    fclose(f);
    if (e == EFBIG) {
        snprintf(err, errlen, "%s: larger than %d KiB: not a viva configuration file", path,
                 CONFIG_FILE_MAX / 1024);
        return -1;
    }
    if (e) {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(e));
        return -1;
    }
    int rc = parse_text(cfg, path, text, len, err, errlen);
    free(text);
    return rc;
}

int config_set(viva_config *cfg, const char *assignment, char *err, size_t errlen)
{
    const char *dot = strchr(assignment, '.');
    const char *eq = strchr(assignment, '=');
    if (!dot || !eq || dot > eq) {
        snprintf(err, errlen, "--set %s: expected section.key=value", assignment);
        return -1;
    }
    char section[64], key[64];
    snprintf(section, sizeof section, "%.*s", (int)(dot - assignment), assignment);
    snprintf(key, sizeof key, "%.*s", (int)(eq - dot - 1), dot + 1);
    const keydef *k = find_key(section, key);
    if (!k) {
        snprintf(err, errlen, "--set %s.%s: unknown key", section, key);
        return -1;
    }
    char why[200];
    if (assign(cfg, k, eq + 1, why, sizeof why) != 0) {
        snprintf(err, errlen, "--set %s.%s: %s", section, key, why);
        return -1;
    }
    return 0;
}

void config_write(const viva_config *cfg, FILE *out)
{
    const char *section = "";
    for (size_t i = 0; i < NKEYS; i++) {
        const keydef *k = &keys[i];
        const char *field = (const char *)cfg + k->offset;
        if (strcmp(section, k->section) != 0) {
            fprintf(out, "%s[%s]\n", i ? "\n" : "", k->section);
            section = k->section;
        }
        fprintf(out, "; %s\n", k->help);
        int iv;
        double dv;
        switch (k->type) {
        case T_INT:
            memcpy(&iv, field, sizeof iv);
            fprintf(out, "%s = %d\n", k->key, iv);
            break;
        case T_DBL:
            memcpy(&dv, field, sizeof dv);
            fprintf(out, "%s = %g\n", k->key, dv);
            break;
        case T_BOOL:
            memcpy(&iv, field, sizeof iv);
            fprintf(out, "%s = %s\n", k->key, iv ? "true" : "false");
            break;
        case T_STR:
            fprintf(out, "%s = %s\n", k->key, field);
            break;
        }
    }
}
