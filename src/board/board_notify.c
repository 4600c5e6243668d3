/* board_notify.c: sd_notify messages with a rate-limited watchdog (see board_notify.h).
 *
 * Why a rate limit and not a timer thread: systemd's watchdog is only worth having if it proves
 * that the main loop still turns. A helper thread would keep feeding it while the loop is stuck,
 * so kicks are sent from the loop itself, no more often than a quarter of the period (a 60 Hz
 * loop would otherwise send 60 datagrams a second for nothing). */
#include "board_notify.h"

#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#include "vlog.h"

/* The one mutable static of this module: the service manager's settings and the last kick.
 * Main thread only (see the header). */
static struct {
    int initialised;
    int managed;          /* NOTIFY_SOCKET is set */
    uint64_t wd_usec;     /* WATCHDOG_USEC for this process, 0 = none */
    int64_t last_kick_us; /* monotonic time of the last WATCHDOG=1 */
    int warned;           /* a send failure was logged */
} st;

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int board_notify_init(void)
{
    const char *sock = getenv("NOTIFY_SOCKET");
    memset(&st, 0, sizeof st);
    st.initialised = 1;
    st.managed = sock && *sock;
    uint64_t usec = 0;
    /* sd_watchdog_enabled() also checks WATCHDOG_PID against our pid, so a child that inherited
     * the environment does not feed its parent's watchdog. */
    if (st.managed && sd_watchdog_enabled(0, &usec) > 0)
        st.wd_usec = usec;
    st.last_kick_us = INT64_MIN / 2;
    if (st.managed)
        VLOG_D("board", "service manager notifications on; watchdog %s (%llu us)",
               st.wd_usec ? "on" : "off", (unsigned long long)st.wd_usec);
    return st.managed;
}

static void ensure_init(void)
{
    if (!st.initialised)
        board_notify_init();
}

uint64_t board_watchdog_usec(void)
{
    ensure_init();
    return st.wd_usec;
}

static int send_state(const char *state)
{
    if (!st.managed)
        return 0;
    int rc = sd_notify(0, state);
    if (rc > 0)
        return 1;
    if (!st.warned) {
        st.warned = 1;
        VLOG_W("board", "cannot notify the service manager at $NOTIFY_SOCKET (%s): %s",
               getenv("NOTIFY_SOCKET") ? getenv("NOTIFY_SOCKET") : "unset",
               rc < 0 ? strerror(-rc) : "not sent");
    }
    return -1;
}

int board_notify_ready(void)
{
    ensure_init();
    int rc = send_state("READY=1\nSTATUS=running");
    if (rc > 0)
        st.last_kick_us = mono_us(); /* READY counts as the first sign of life */
    return rc;
}

int board_watchdog_kick(void)
{
    ensure_init();
    if (!st.managed || !st.wd_usec)
        return 0;
    int64_t now = mono_us();
    if (now - st.last_kick_us < (int64_t)(st.wd_usec / 4))
        return 0;
    int rc = send_state("WATCHDOG=1");
    if (rc > 0)
        st.last_kick_us = now;
    return rc;
}

int board_notify_stopping(void)
{
    ensure_init();
    return send_state("STOPPING=1\nSTATUS=stopping: saving the current answer");
}

int board_notify_status(const char *text)
{
    ensure_init();
    if (!st.managed)
        return 0;
    char msg[256];
    /* One line only: a newline would start another assignment in the protocol. */
    size_t n = strcspn(text, "\n");
    if (n > sizeof msg - 8)
        n = sizeof msg - 8;
    memcpy(msg, "STATUS=", 7);
    memcpy(msg + 7, text, n);
    msg[7 + n] = '\0';
    return send_state(msg);
}
