/* board_notify.h: tells systemd how the kiosk is doing (the sd_notify protocol, via libsystemd).
 *
 *   board_notify_ready()     once, after the first frame is on screen (Type=notify units wait
 *                            for it before counting the service as started)
 *   board_watchdog_kick()    every main-loop iteration; sends WATCHDOG=1 at most every quarter of
 *                            the unit's WatchdogSec, and ONLY from this call, so a stalled or
 *                            deadlocked loop stops the notifications and systemd restarts viva
 *   board_notify_stopping()  when SIGTERM (or a quit) starts the orderly shutdown
 *   board_notify_status()    a one-line status for `systemctl status viva`
 *
 * Outside systemd (NOTIFY_SOCKET unset: a desktop, the tests) every call is a cheap no-op and
 * returns 0. The environment (NOTIFY_SOCKET, WATCHDOG_USEC, WATCHDOG_PID) is read on the first
 * call, or again by board_notify_init(). State is one file-static struct: call these from the
 * main (UI) thread only. Never call from an audio callback. */
#ifndef VIVA_BOARD_NOTIFY_H
#define VIVA_BOARD_NOTIFY_H

#include <stdint.h>

/* (Re)read the environment. Optional: the other calls do it on first use. Returns 1 when running
 * under a notify-aware service manager, 0 otherwise. */
int board_notify_init(void);

/* The watchdog period systemd asked for, in microseconds, or 0 when there is no watchdog. */
uint64_t board_watchdog_usec(void);

/* Each returns 1 when a message was sent, 0 when there was nothing to do (no manager, no
 * watchdog, or too soon since the last kick), or -1 when sending failed (logged once). */
int board_notify_ready(void);
int board_watchdog_kick(void);
int board_notify_stopping(void);
int board_notify_status(const char *text);

#endif
