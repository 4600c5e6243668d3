#!/usr/bin/env bash
# unit_verify.sh: firmware/viva.service passes `systemd-analyze verify` and its sandbox scores
# under 3 with `systemd-analyze security` (lower is safer; 10 = no sandbox at all).
# The unit names /usr/bin/viva; verify checks that the program exists, so a copy of the unit
# pointing at the freshly built binary is verified. Exit 77 (skip) without systemd-analyze.
set -u
unit_src="$VIVA_SOURCE_DIR/firmware/viva.service"
if ! command -v systemd-analyze >/dev/null 2>&1 || ! systemd-analyze --version >/dev/null 2>&1
then
    echo "SKIP: systemd-analyze is not installed (apt-get install systemd)"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed "s|/usr/bin/viva|$VIVA_BIN|" "$unit_src" > "$tmp/viva.service"
fail=0

# --man=no: the man page is only installed by the package.
if ! out=$(systemd-analyze verify --man=no "$tmp/viva.service" 2>&1); then
    echo "FAIL: systemd-analyze verify:"; echo "$out"; fail=1
elif [ -n "$out" ]; then
    echo "FAIL: systemd-analyze verify printed warnings:"; echo "$out"; fail=1
else
    echo "ok: systemd-analyze verify accepts the unit"
fi

out=$(systemd-analyze security --offline=true "$tmp/viva.service" 2>&1)
score=$(printf '%s\n' "$out" | sed -n 's/.*Overall exposure level for viva.service: \([0-9.]*\).*/\1/p')
if [ -z "$score" ]; then
    echo "FAIL: no exposure score from systemd-analyze security:"; echo "$out"; fail=1
elif awk -v s="$score" 'BEGIN { exit !(s < 3.0) }'; then
    echo "ok: exposure score $score (< 3)"
else
    echo "FAIL: exposure score $score is not under 3"
    printf '%s\n' "$out" | grep '✗'
    fail=1
fi

# Settings the kiosk depends on, in case someone "simplifies" the unit.
for want in '^Type=notify$' '^WatchdogSec=' '^Restart=always$' '^User=viva$' \
    '^PrivateNetwork=yes$' '^NoNewPrivileges=yes$' '^ProtectSystem=strict$' \
    '^Conflicts=getty@tty1.service$' '^TTYPath=/dev/tty1$' '^StandardInput=tty' \
    '^Environment=SDL_VIDEODRIVER=kmsdrm$' '^StateDirectory=viva$'; do
    if ! grep -q "$want" "$unit_src"; then
        echo "FAIL: the unit lost '$want'"; fail=1
    fi
done
exit $fail
