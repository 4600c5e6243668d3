/* vlog.c: level filter and formatting in front of the installed sink. */
#include "vlog.h"

#include <stdarg.h>
#include <stdio.h>

static vlog_sink current_sink;
static vlog_level current_min = VLOG_INFO;

void vlog_set_sink(vlog_sink sink, vlog_level min_level)
{
    current_sink = sink;
    current_min = min_level;
}

int vlog_enabled(vlog_level level)
{
    return current_sink && level >= current_min;
}

const char *vlog_level_name(vlog_level level)
{
    switch (level) {
    case VLOG_DEBUG:
        return "debug";
    case VLOG_INFO:
        return "info";
    case VLOG_WARN:
        return "warning";
    case VLOG_ERROR:
        return "error";
    }
    return "?";
}

void vlog(vlog_level level, const char *module, const char *fmt, ...)
{
    if (!vlog_enabled(level))
        return;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    current_sink(level, module, buf);
}
