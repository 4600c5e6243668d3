#!/usr/bin/env bash
# binfmt.sh: let this machine run arm64 and armhf programs directly (needed to run dpkg, apt and
# viva inside the ARM roots of the install tests): registers Debian's qemu-user-static handlers
# for aarch64 and arm with binfmt_misc, mounting it first if needed.
#   scripts/binfmt.sh            register (as root); exits 0 when both work afterwards
#   scripts/binfmt.sh --check    only check; exit 1 when an architecture cannot run
# The handlers use the F flag (qemu opened once, at registration), so they work in chroots
# that contain no qemu. Idempotent; does nothing on an ARM machine for its own architecture.
set -euo pipefail
bm=/proc/sys/fs/binfmt_misc
check_only=0
[ "${1:-}" = --check ] && check_only=1

# Which of our architectures this machine cannot run natively.
host=$(uname -m)
need=()
case "$host" in
aarch64) need=() ;;     # a Pi 4/5 on 64-bit Raspberry Pi OS runs arm64 and (mostly) armhf
armv7l | armv8l) need=() ;;
*) need=(aarch64 arm) ;;
esac

registered() { [ -f "$bm/qemu-$1" ] && head -n1 "$bm/qemu-$1" | grep -qx enabled; }

if [ $check_only = 0 ] && [ ${#need[@]} -gt 0 ]; then
    if [ ! -f "$bm/register" ]; then
        mount -t binfmt_misc binfmt_misc "$bm" 2>/dev/null || {
            echo "binfmt: cannot mount binfmt_misc on $bm (not root, or no kernel support)" >&2
            exit 1
        }
    fi
    for a in "${need[@]}"; do
        registered "$a" && continue
        conf=/usr/lib/binfmt.d/qemu-$a.conf
        if [ ! -f "$conf" ]; then
            echo "binfmt: $conf missing: install qemu-user-static" >&2
            exit 1
        fi
        # Debian's files use the P wrapper and flags OPF; the F flag needs a static interpreter.
        cat "$conf" >"$bm/register" || {
            echo "binfmt: registering $conf failed" >&2
            exit 1
        }
        echo "binfmt: registered qemu-$a ($(sed -n 's/^interpreter //p' "$bm/qemu-$a"))"
    done
fi
rc=0
for a in "${need[@]}"; do
    if registered "$a"; then
        echo "binfmt: qemu-$a enabled"
    else
        echo "binfmt: qemu-$a not registered" >&2
        rc=1
    fi
done
exit $rc
