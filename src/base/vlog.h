/* vlog.h: log lines with a level and a module name. The core formats the message; where it goes
 * is decided by a sink that the application installs (stderr, so systemd's journal picks it up).
 * With no sink installed, messages are dropped. Thread-safe as long as the sink is: the sink is
 * set once at start-up, before any thread starts. Never call from an audio callback. */
#ifndef VIVA_VLOG_H
#define VIVA_VLOG_H

typedef enum { VLOG_DEBUG, VLOG_INFO, VLOG_WARN, VLOG_ERROR } vlog_level;

typedef void (*vlog_sink)(vlog_level level, const char *module, const char *message);

/* Install the sink and the lowest level passed to it. */
void vlog_set_sink(vlog_sink sink, vlog_level min_level);
int vlog_enabled(vlog_level level);
const char *vlog_level_name(vlog_level level);

void vlog(vlog_level level, const char *module, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define VLOG_D(mod, ...) vlog(VLOG_DEBUG, mod, __VA_ARGS__)
#define VLOG_I(mod, ...) vlog(VLOG_INFO, mod, __VA_ARGS__)
#define VLOG_W(mod, ...) vlog(VLOG_WARN, mod, __VA_ARGS__)
#define VLOG_E(mod, ...) vlog(VLOG_ERROR, mod, __VA_ARGS__)

#endif
