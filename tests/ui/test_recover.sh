#!/usr/bin/env bash
# A store that refuses to open must not strand the kiosk (issue 20, item 1). Real stores are
# made with viva, backed up, then damaged: truncated, the header pages overwritten, a newer
# schema written into them with LMDB's own tools, locked by another process, or damaged with
# no backup at all. Each time `viva run` must open its window on the recovery screen (before,
# it exited 12 or 13 and systemd restarted it every 3 s), keep feeding the watchdog while it
# waits there, and the choices must work with keys and touch: restoring keeps the damaged
# file aside byte for byte (data.mdb.damaged-*), puts the newest backup in place, and the
# store opens again with the backup's profiles; "Try again" opens a store that was only locked;
# "Practise without saving" changes nothing on disk. Screenshots stay in ./recover-screenshots.
set -euo pipefail
. "$VIVA_SOURCE_DIR/tests/timescale.sh"
work=$(mktemp -d)
holder=
cleanup() {
    [ -n "$holder" ] && kill "$holder" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
export HOME=$work XDG_CONFIG_HOME=$work/config SDL_VIDEODRIVER=offscreen
export ALSA_CONFIG_PATH=/usr/share/alsa/alsa.conf:$VIVA_SOURCE_DIR/tests/audio/virtual-audio.conf
export TEST_MIC_RAW=$work/mic.raw TEST_SPK_WAV=$work/speaker.wav
head -c 320000 /dev/zero > "$TEST_MIC_RAW"
mkdir -p recover-screenshots
fail=0
check() { if ! eval "$1"; then echo "FAIL: $2"; fail=1; fi; }
viva() { $VIVA_EMU "$VIVA_BIN" "$@"; }
common=(--set speech.enabled=false --set speech.commands=false --set feedback.enabled=false
        --set display.width=800 --set display.height=480)

# A store with two profiles and a complete backup of it; a third profile comes after the
# backup (a restore goes back to the backup, so it is not expected afterwards).
make_store() {
    local d=$1
    viva --data-dir "$d" profiles add ada >/dev/null 2>&1
    viva --data-dir "$d" profiles add bob >/dev/null 2>&1
    viva --data-dir "$d" backup "$d/backups/20261206-120000-s000001" >/dev/null 2>&1
    viva --data-dir "$d" profiles add late >/dev/null 2>&1
}

# Runs the kiosk with a script; $1 = case name, $2 = data dir, $3 = script text.
run_kiosk() {
    local name=$1 d=$2
    printf '%s\n' "$3" > "$work/$name.raw"
    scale_script "$work/$name.raw" "$work/$name.script"
    set +e
    viva --data-dir "$d" "${common[@]}" run --script "$work/$name.script" \
        --screenshot "$work/shots-$name" 2> "$work/$name.log"
    rc=$?
    set -e
    sed "s/^/  $name: /" "$work/$name.log" | grep -E "screen:|refused|restored|kept|error" || true
    check '[ "$rc" -eq 0 ]' "$name: viva run exited $rc (the window must stay up, not exit)"
    check 'grep -q "screen: recover" "$work/$name.log"' "$name: no recovery screen"
    for png in "$work/shots-$name"/*.png; do
        [ -f "$png" ] || { echo "FAIL: $name: no screenshot"; fail=1; continue; }
        cp "$png" "recover-screenshots/$name-$(basename "$png")"
        read -r pw ph bright < <($VIVA_EMU "$PNG_PROBE" "$png" 0.02 0.02 0.98 0.98)
        check '[ "$pw" = 800 ] && [ "$ph" = 480 ] && [ "$bright" -ge 8 ]' \
            "$name: $(basename "$png") is ${pw}x${ph} with $bright per mille of text"
    done
}

# The store afterwards: opens (exit 0) with the backup's profiles, not the later one.
check_restored() {
    local name=$1 d=$2 damaged=$3
    local out
    out=$(viva --data-dir "$d" profiles 2>&1) || { echo "FAIL: $name: the store does not open: $out"; fail=1; }
    check 'echo "$out" | grep -q "^ada " && echo "$out" | grep -q "^bob "' "$name: profiles after the restore: $out"
    check '! echo "$out" | grep -q "^late "' "$name: a profile made after the backup is there: $out"
    local kept
    kept=$(ls "$d"/data.mdb.damaged-* 2>/dev/null | head -n 1 || true)
    check '[ -n "$kept" ]' "$name: the damaged data file was not kept aside"
    [ -z "$kept" ] || check 'cmp -s "$kept" "$damaged"' "$name: $kept differs from the damaged file"
    check 'grep -q "is back" "$work/$name.log" || grep -q "restored" "$work/$name.log"' "$name: no restore in the log"
}

# 1. Truncated: keys (Right, Left, Enter), the details page, Back, the confirmation (which
# starts on Back), Restore now. The kiosk waits 3 s on the screen with a 1 s watchdog: it must
# keep sending WATCHDOG=1 (a stranded loop would not).
d=$work/truncated
make_store "$d"
head -c 20000 "$d/data.mdb" > "$work/t" && mv "$work/t" "$d/data.mdb"
cp "$d/data.mdb" "$work/truncated.damaged"
set +e; viva --data-dir "$d" profiles >/dev/null 2>&1; before=$?; set -e
check '[ "$before" -eq 12 ]' "truncated: viva profiles exit $before, expected 12 (damaged)"
export NOTIFY_SOCKET=$work/notify.sock WATCHDOG_USEC=1000000
python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(60)
with open(sys.argv[2], "w") as out:
    while True:
        try:
            msg = s.recv(4096).decode()
        except socket.timeout:
            break
        out.write(msg.replace("\n", " ") + "\n")
        out.flush()
        if "STOPPING=1" in msg:
            break
' "$NOTIFY_SOCKET" "$work/notify.log" &
for _ in $(seq 50); do [ -S "$NOTIFY_SOCKET" ] && break; sleep 0.1; done
run_kiosk truncated "$d" "300 screenshot recover
3300 key Right
3400 key Right
3500 key Return
3700 screenshot details
3800 key Escape
4100 key Return
4300 screenshot confirm
4400 key Left
4500 key Return
5500 screenshot restored
5600 quit"
unset NOTIFY_SOCKET WATCHDOG_USEC
sleep 0.3
kicks=$(grep -c "WATCHDOG=1" "$work/notify.log" || true)
echo "truncated: $kicks watchdog notifications while on the recovery screen"
check '[ "$kicks" -ge 3 ]' "truncated: only $kicks WATCHDOG=1 in 5 s with a 1 s watchdog"
check_restored truncated "$d" "$work/truncated.damaged"
check 'grep -q "screen: profiles" "$work/truncated.log"' "truncated: not on the profiles after the restore"

# 2. Damaged header pages (random bytes over both meta pages): by touch this time.
d=$work/damaged
make_store "$d"
dd if=/dev/urandom of="$d/data.mdb" bs=4096 count=2 conv=notrunc status=none
cp "$d/data.mdb" "$work/damaged.damaged"
run_kiosk damaged "$d" "300 screenshot recover
500 tap 0.18 0.85
800 tap 0.33 0.85
1800 screenshot restored
1900 quit"
check_restored damaged "$d" "$work/damaged.damaged"

# 3. Written by a newer viva (schema 9 put into the meta table with LMDB's own tools).
d=$work/newer
make_store "$d"
# (The host's LMDB tools read only a store of their own word size: not under qemu.)
if [ -z "${VIVA_EMU:-}" ] && command -v mdb_dump >/dev/null && command -v mdb_load >/dev/null; then
    mdb_dump -p -s meta "$d" | sed -E 's/^ \\0[0-8]\\00\\00\\00$/ \\09\\00\\00\\00/' |
        mdb_load -s meta -f /dev/stdin "$d"
    set +e; viva --data-dir "$d" profiles >/dev/null 2>&1; before=$?; set -e
    check '[ "$before" -eq 13 ]' "newer: viva profiles exit $before, expected 13 (newer schema)"
    cp "$d/data.mdb" "$work/newer.damaged"
    # The backup has this viva's schema: restoring it is allowed (the newer file is kept aside).
    run_kiosk newer "$d" "300 screenshot recover
400 key Return
500 key Left
600 key Return
1600 quit"
    check 'grep -q "newer" "$work/newer.log"' "newer: the log does not name the newer schema"
    check_restored newer "$d" "$work/newer.damaged"
else
    echo "skipped: newer schema (needs mdb_dump/mdb_load of lmdb-utils, natively)"
fi

# 4. Locked by another process: "Try again" fails while it holds the lock, then opens.
d=$work/locked
make_store "$d"
python3 -c '
import fcntl, sys, time
f = open(sys.argv[1], "a")
fcntl.flock(f, fcntl.LOCK_EX)
open(sys.argv[2], "w").close()
time.sleep(float(sys.argv[3]))
' "$d/viva.lock" "$work/locked.ready" "$(scaled 4)" &
holder=$!
for _ in $(seq 50); do [ -f "$work/locked.ready" ] && break; sleep 0.1; done
run_kiosk locked "$d" "300 screenshot recover
500 key Return
700 screenshot still-locked
6000 key Return
6500 screenshot home
6600 quit"
wait "$holder" 2>/dev/null || true
holder=
check 'grep -q "screen: home\|screen: profiles" "$work/locked.log"' "locked: Try again did not open the store once it was free"
check '[ ! -e "$d"/data.mdb.damaged-* ]' "locked: a file was set aside although nothing was damaged"

# 5. Damaged and no backup: no restore offered; practising without saving changes nothing.
d=$work/nobackup
viva --data-dir "$d" profiles add ada >/dev/null 2>&1
head -c 20000 "$d/data.mdb" > "$work/t" && mv "$work/t" "$d/data.mdb"
cp "$d/data.mdb" "$work/nobackup.damaged"
run_kiosk nobackup "$d" "300 screenshot recover
400 key Return
800 screenshot home
900 quit"
check 'grep -q "screen: home" "$work/nobackup.log"' "nobackup: Practise without saving did not go home"
check 'cmp -s "$d/data.mdb" "$work/nobackup.damaged"' "nobackup: the damaged data file was changed"
check '[ ! -e "$d"/data.mdb.damaged-* ]' "nobackup: a file was set aside without a restore"

[ $fail -eq 0 ] && echo "recover: 1 passed, 0 failed" || echo "recover: 0 passed, 1 failed"
exit $fail
