/* test_notify.c: board_notify against a fake service manager: the test binds a unix datagram
 * socket, points NOTIFY_SOCKET at it (the real sd_notify protocol, as systemd does) and reads
 * what viva sends. Checks READY/STOPPING/STATUS, the watchdog rate limit, and above all that
 * WATCHDOG=1 stops while the main loop stalls and comes back when it turns again. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "board_notify.h"
#include "check.h"

static int sock = -1;
static char sock_path[108];

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read every pending datagram; count those equal to `want` (all when want is NULL); copy the
 * last one into last. */
static int drain(const char *want, char *last, size_t lastlen)
{
    char buf[512];
    int n = 0;
    for (;;) {
        ssize_t r = recv(sock, buf, sizeof buf - 1, MSG_DONTWAIT);
        if (r < 0)
            break;
        buf[r] = '\0';
        if (!want || strcmp(buf, want) == 0)
            n++;
        if (last)
            snprintf(last, lastlen, "%s", buf);
    }
    return n;
}

static int open_manager(void)
{
    snprintf(sock_path, sizeof sock_path, "/tmp/viva-notify-%ld.sock", (long)getpid());
    unlink(sock_path);
    sock = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un a;
    memset(&a, 0, sizeof a);
    a.sun_family = AF_UNIX;
    snprintf(a.sun_path, sizeof a.sun_path, "%s", sock_path);
    if (sock < 0 || bind(sock, (struct sockaddr *)&a, sizeof a) != 0) {
        perror("test_notify: bind");
        return -1;
    }
    return 0;
}

static void set_env(const char *sockname, long wd_usec)
{
    char v[32];
    if (sockname)
        setenv("NOTIFY_SOCKET", sockname, 1);
    else
        unsetenv("NOTIFY_SOCKET");
    if (wd_usec > 0) {
        snprintf(v, sizeof v, "%ld", wd_usec);
        setenv("WATCHDOG_USEC", v, 1);
        snprintf(v, sizeof v, "%ld", (long)getpid());
        setenv("WATCHDOG_PID", v, 1);
    } else {
        unsetenv("WATCHDOG_USEC");
        unsetenv("WATCHDOG_PID");
    }
    board_notify_init();
}

/* No service manager: everything is a silent no-op. */
static void test_unmanaged(void)
{
    set_env(NULL, 200000);
    CHECK(board_notify_init() == 0);
    CHECK(board_notify_ready() == 0);
    CHECK(board_watchdog_kick() == 0);
    CHECK(board_notify_status("idle") == 0);
    CHECK(board_notify_stopping() == 0);
    CHECK(board_watchdog_usec() == 0);
    CHECK(drain(NULL, NULL, 0) == 0);
}

static void test_ready_status_stopping(void)
{
    char last[512];
    set_env(sock_path, 0);
    CHECK(board_watchdog_usec() == 0);
    CHECK(board_notify_ready() == 1);
    CHECK(drain("READY=1\nSTATUS=running", NULL, 0) == 1);
    CHECK(board_notify_status("question 3 of 10\ninjected=1") == 1);
    CHECK(drain(NULL, last, sizeof last) == 1);
    CHECK_STR(last, "STATUS=question 3 of 10");
    CHECK(board_watchdog_kick() == 0); /* no WatchdogSec: nothing to feed */
    CHECK(board_notify_stopping() == 1);
    CHECK(drain(NULL, last, sizeof last) == 1);
    CHECK(strncmp(last, "STOPPING=1\n", 11) == 0);
}

/* The watchdog belongs to the process named in WATCHDOG_PID only (a child must not feed it). */
static void test_watchdog_other_pid(void)
{
    setenv("NOTIFY_SOCKET", sock_path, 1);
    setenv("WATCHDOG_USEC", "200000", 1);
    setenv("WATCHDOG_PID", "1", 1);
    board_notify_init();
    CHECK(board_watchdog_usec() == 0);
    CHECK(board_watchdog_kick() == 0);
    CHECK(drain(NULL, NULL, 0) == 0);
}

/* A loop turning every 2 ms for 400 ms with WatchdogSec = 0.2 s sends a kick at most every
 * 50 ms (so 4..9 of them, not 200); a 500 ms stall sends none; the next turn sends one. */
static void test_watchdog_stall(void)
{
    set_env(sock_path, 200000);
    CHECK(board_watchdog_usec() == 200000);
    int64_t t0 = now_ms();
    int sent = 0, calls = 0;
    while (now_ms() - t0 < 400) {
        sent += board_watchdog_kick() == 1;
        calls++;
        sleep_ms(2);
    }
    int got = drain("WATCHDOG=1", NULL, 0);
    CHECK_MSG(got == sent, "received %d, sent %d", got, sent);
    CHECK_MSG(got >= 2 && got <= 9, "%d kicks in 400 ms from %d loop turns", got, calls);

    /* The main loop stalls: nothing may reach the manager, however long it waits. */
    sleep_ms(500);
    CHECK_MSG(drain(NULL, NULL, 0) == 0, "notifications arrived while the loop was stalled");

    /* The loop turns again: the first kick goes out at once. */
    CHECK(board_watchdog_kick() == 1);
    CHECK(drain("WATCHDOG=1", NULL, 0) == 1);
    CHECK(board_watchdog_kick() == 0); /* and the next one waits for its turn */
}

/* The manager went away (socket removed): calls fail softly and return -1, no crash. */
static void test_manager_gone(void)
{
    set_env("/tmp/viva-notify-does-not-exist.sock", 0);
    CHECK(board_notify_ready() == -1);
    CHECK(board_notify_stopping() == -1);
}

int main(void)
{
    if (open_manager() != 0)
        return 1;
    RUN(test_unmanaged);
    RUN(test_ready_status_stopping);
    RUN(test_watchdog_other_pid);
    RUN(test_watchdog_stall);
    RUN(test_manager_gone);
    close(sock);
    unlink(sock_path);
    return check_summary("notify");
}
