/* config.c: the configuration table (config.def) driven through inih. */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <ini.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum { T_INT, T_DBL, T_BOOL, T_STR } ktype;

typedef struct {
    const char *section, *key, *help;
    ktype type;
    size_t offset;
    double lo, hi;
    const char *def;
} keydef;

static const keydef keys[] = {
#define CFG_INT(sec, k, field, d, l, h, hl) {#sec, #k, hl, T_INT, offsetof(viva_config, field), l, h, #d},
#define CFG_DBL(sec, k, field, d, l, h, hl) {#sec, #k, hl, T_DBL, offsetof(viva_config, field), l, h, #d},
#define CFG_BOOL(sec, k, field, d, hl) {#sec, #k, hl, T_BOOL, offsetof(viva_config, field), 0, 1, #d},
#define CFG_STR(sec, k, field, d, hl) {#sec, #k, hl, T_STR, offsetof(viva_config, field), 0, 0, d},
#include "config.def"
#undef CFG_INT
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

typedef struct {
    viva_config *cfg;
    const char *path;
    char *err;
    size_t errlen;
    int failed;
    FILE *f;
    int line; /* lines read so far: inih calls the handler right after reading its line */
} load_ctx;

/* Debian's inih passes no line number to the handler, so the reader counts lines. */
static char *read_line(char *buf, int size, void *stream)
{
    load_ctx *c = stream;
    char *r = fgets(buf, size, c->f);
    if (r)
        c->line++;
    return r;
}

static int on_entry(void *user, const char *section, const char *name, const char *value)
{
    load_ctx *c = user;
    int lineno = c->line;
    if (c->failed)
        return 0;
    const keydef *k = find_key(section, name);
    if (!k) {
        int known_section = 0;
        for (size_t i = 0; i < NKEYS; i++)
            known_section |= strcmp(keys[i].section, section) == 0;
        if (known_section)
            snprintf(c->err, c->errlen, "%s:%d: %s.%s: unknown key", c->path, lineno, section,
                     name);
        else
            snprintf(c->err, c->errlen, "%s:%d: %s.%s: unknown section [%s]", c->path, lineno,
                     section, name, section);
        c->failed = 1;
        return 0;
    }
    char why[200];
    if (assign(c->cfg, k, value, why, sizeof why) != 0) {
        snprintf(c->err, c->errlen, "%s:%d: %s.%s: %s", c->path, lineno, section, name, why);
        c->failed = 1;
        return 0;
    }
    return 1;
}

int config_load_file(viva_config *cfg, const char *path, int optional, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        if (optional && errno == ENOENT)
            return 0;
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    load_ctx c = {cfg, path, err, errlen, 0, f, 0};
    int rc = ini_parse_stream(read_line, &c, on_entry, &c);
    fclose(f);
    if (c.failed)
        return -1;
    if (rc > 0) {
        snprintf(err, errlen, "%s:%d: syntax error (expected [section] or key = value)", path, rc);
        return -1;
    }
    if (rc < 0) {
        snprintf(err, errlen, "%s: cannot read", path);
        return -1;
    }
    return 0;
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
