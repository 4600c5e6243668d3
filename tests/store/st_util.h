/* st_util.h: helpers shared by the store tests: a private temporary directory (under $TMPDIR or
 * /tmp, removed at the end), a log sink that keeps the last lines for message checks, and small
 * builders for profiles and answers. Every store in these tests is a real LMDB file. */
#ifndef VIVA_ST_UTIL_H
#define VIVA_ST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store.h"
#include "store_whitebox.h"
#include "vlog.h"

static char st_log_[8192];

static void st_sink_(vlog_level level, const char *module, const char *message)
{
    size_t n = strlen(st_log_);
    snprintf(st_log_ + n, sizeof st_log_ - n, "%s\n", message);
    if (getenv("ST_VERBOSE"))
        fprintf(stderr, "[%s] %s\n", module, message);
    if (strlen(st_log_) > sizeof st_log_ - 1024)
        memmove(st_log_, st_log_ + 4096, strlen(st_log_ + 4096) + 1);
}

static inline void st_log_start(void)
{
    st_log_[0] = '\0';
    vlog_set_sink(st_sink_, VLOG_DEBUG);
}

static inline int st_log_has(const char *s)
{
    return strstr(st_log_, s) != NULL;
}

/* A fresh directory; the path stays valid until st_rmtmp. */
static inline char *st_mktmp(const char *tag)
{
    const char *base = getenv("TMPDIR");
    char *p = xmalloc(4096);
    snprintf(p, 4096, "%s/viva-%s-XXXXXX", base && *base ? base : "/tmp", tag);
    if (!mkdtemp(p)) {
        perror("mkdtemp");
        exit(2);
    }
    return p;
}

static inline void st_rmtmp(char *p)
{
    if (p && !getenv("ST_KEEP"))
        os_rm_rf(p);
    free(p);
}

static inline store *st_open_ok(const char *dir)
{
    store *st = NULL;
    char err[1024];
    int e = store_open(dir, 0, &st, err, sizeof err);
    if (e) {
        fprintf(stderr, "store_open(%s): %s: %s\n", dir, viva_strerror(e), err);
        return NULL;
    }
    return st;
}

static inline store_response st_resp(uint32_t profile, const char *item, int64_t t, int grade)
{
    store_response r;
    memset(&r, 0, sizeof r);
    r.profile = profile;
    snprintf(r.item_id, sizeof r.item_id, "%s", item);
    snprintf(r.topic, sizeof r.topic, "go-concurrency");
    r.t_ms = t;
    r.grade = grade;
    r.graded_ms = grade >= 0 ? t + 1000 : 0;
    r.duration_ms = 30000;
    r.theta_before = 0.1;
    r.se_before = 1.0;
    r.theta_after = 0.2;
    r.se_after = 0.9;
    r.talk_ms = r.longest_pause_ms = r.first_word_ms = -1;
    return r;
}

static inline int64_t st_file_size(const char *dir, const char *name)
{
    char p[4200];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return os_file_size(p);
}

#endif
