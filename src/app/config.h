/* config.h: viva's configuration. Defaults, then /etc/viva/viva.conf, then
 * $XDG_CONFIG_HOME/viva/viva.conf (~/.config/viva/viva.conf), then --config FILE, then
 * command-line overrides. Every key is listed in config.def. */
#ifndef VIVA_CONFIG_H
#define VIVA_CONFIG_H

#include <stdio.h>

#define CFG_STR_MAX 256
#define CONFIG_FILE_MAX (64 * 1024) /* a larger configuration file is refused */

typedef struct {
#define CFG_INT(sec, key, field, def, lo, hi, help) int field;
#define CFG_INT_STEP(sec, key, field, def, lo, hi, step, help) int field;
#define CFG_DBL(sec, key, field, def, lo, hi, help) double field;
#define CFG_BOOL(sec, key, field, def, help) int field;
#define CFG_STR(sec, key, field, def, help) char field[CFG_STR_MAX];
#include "config.def"
#undef CFG_INT
#undef CFG_INT_STEP
#undef CFG_DBL
#undef CFG_BOOL
#undef CFG_STR
} viva_config;

/* Fill `cfg` with the built-in defaults. */
void config_defaults(viva_config *cfg);

/* Read one INI file into `cfg`. A missing file is not an error when `optional` is set. Only a
 * regular file of at most CONFIG_FILE_MAX bytes is read (a FIFO or device is refused without
 * waiting on it); a NUL byte, invalid UTF-8, an unclosed "[section" and every bad key or value
 * are refused. On a problem, writes "file:line: section.key: what is wrong" (or "file: what is
 * wrong") into err and returns -1; cfg may then hold the values read before the problem. */
int config_load_file(viva_config *cfg, const char *path, int optional, char *err, size_t errlen);

/* Apply "section.key=value". Returns -1 with a message in err on an unknown key or bad value. */
int config_set(viva_config *cfg, const char *assignment, char *err, size_t errlen);

/* Write every key with its current value and help text as a commented INI file. */
void config_write(const viva_config *cfg, FILE *out);

#endif
