#!/usr/bin/env bash
# SIGTERM while an answer is being recorded (shutdown, the power button, systemctl stop): viva
# must finish its write, tell systemd it is stopping, exit 0, and the answer must be in the
# store, ungraded, with its recording finished and holding audio. The virtual microphone reads
# a 15-minute file (a few times faster than real time), so the answer is still being recorded
# when the signal comes.
set -euo pipefail
. "$VIVA_SOURCE_DIR/tests/timescale.sh"
command -v sox >/dev/null || { echo "skipped: sox is needed for the microphone feed"; exit 0; }
command -v python3 >/dev/null || { echo "skipped: python3 is needed for the notify socket"; exit 0; }
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
export HOME=$work XDG_CONFIG_HOME=$work/config SDL_VIDEODRIVER=offscreen
if [ -n "${VIVA_EMU:-}" ]; then
    # Under qemu the recogniser runs 10-20 times slower and would take most of this test's
    # time: answer feedback is off here (it is tested natively and in tests/feedback).
    mkdir -p "$XDG_CONFIG_HOME/viva"
    printf '[feedback]\nenabled = false\n' >"$XDG_CONFIG_HOME/viva/viva.conf"
fi
export ALSA_CONFIG_PATH=/usr/share/alsa/alsa.conf:$VIVA_SOURCE_DIR/tests/audio/virtual-audio.conf
export TEST_MIC_RAW=$work/mic.raw TEST_SPK_WAV=$work/speaker.wav
sox -n -r 16000 -c 1 -b 16 -e signed-integer -t raw "$TEST_MIC_RAW" synth 900 sine 300 vol 0.4
# A notify socket of our own: the real sd_notify protocol, datagrams on a unix socket.
export NOTIFY_SOCKET=$work/notify.sock
python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(float(sys.argv[3]))
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
' "$NOTIFY_SOCKET" "$work/notify.log" "$(scaled 90)" &
wait_until 5 test -S "$NOTIFY_SOCKET" || { echo "FAIL: the notify socket was not made"; exit 1; }
# Home: start practice; then skip the thinking time: start answering.
printf '500 key Return\n900 key Return\n' > "$work/script"
$VIVA_EMU "$VIVA_BIN" --data-dir "$work/data" --set session.think_seconds=30 \
    --set speech.enabled=false --set speech.commands=false \
    --set audio.silence_seconds=30 --set session.answer_seconds=900 --set display.width=800 --set display.height=480 \
    run --script "$work/script" 2> "$work/viva.log" &
viva_pid=$!
# The answer is being recorded (its screen is up), and has been for a while: then the signal.
answering() { grep -q "screen: answer" "$work/viva.log" || ! kill -0 "$viva_pid" 2>/dev/null; }
wait_until 60 answering || echo "no answer screen within $(scaled 60) s"
sleep "$(scaled 2)"
kill -TERM $viva_pid
set +e
wait $viva_pid
rc=$?
set -e
cat "$work/viva.log"
# The listener ends on STOPPING=1 (or its own timeout): its log is then complete.
wait_until 5 grep -q "STOPPING=1" "$work/notify.log" || true
fail=0
[ $rc -eq 0 ] || { echo "FAIL: viva exited with $rc after SIGTERM"; fail=1; }
echo "notify messages:"; cat "$work/notify.log" || true
grep -q "READY=1" "$work/notify.log" || { echo "FAIL: no READY=1"; fail=1; }
grep -q "STOPPING=1" "$work/notify.log" || { echo "FAIL: no STOPPING=1"; fail=1; }
$VIVA_EMU "$VIVA_BIN" --data-dir "$work/data" export --profile default --out "$work/export"
csv=$work/export/answers.csv
cat "$csv"
rows=$(($(wc -l < "$csv") - 1))
[ "$rows" -eq 1 ] || { echo "FAIL: expected the interrupted answer, found $rows answers"; fail=1; }
# Quoted fields (the question may hold commas) become Q before splitting on commas.
grade=$(tail -n 1 "$csv" | sed -E 's/"([^"]|"")*"/Q/g' | awk -F, '{print $6}')
[ "$grade" = "-1" ] || { echo "FAIL: the interrupted answer has grade '$grade', expected -1"; fail=1; }
rec=$(ls "$work/export/recordings" 2>/dev/null | head -n 1)
[ -n "$rec" ] || { echo "FAIL: no recording"; fail=1; }
if [ -n "$rec" ]; then
    secs=$(sox --i -D "$work/export/recordings/$rec")
    echo "recording: $rec, $secs s"
    awk -v s="$secs" 'BEGIN { exit !(s > 1.0) }' || { echo "FAIL: recording holds $secs s"; fail=1; }
fi
[ $fail -eq 0 ] && echo "sigterm: 1 passed, 0 failed" || echo "sigterm: 0 passed, 1 failed"
exit $fail
