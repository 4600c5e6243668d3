#!/usr/bin/env bash
# Honest failure screens on a real full disk (issue 20, item 4): the store lives on a tmpfs of
# 1 MiB that is filled up to 128 KiB, so the first answer's recording stops after a second or
# two and everything after it is refused. No thinking time (think_seconds = 0), so the next
# answer starts at once after each grade. Before, the review showed "recording 0:0x" and hid
# the "disk is full" sentence, a refused grade's sentence was wiped when the next recording
# started, and the summary said "3 graded" with an ability change although one was saved.
# Now: what each screen told the candidate is in the journal ("screen notice: ..."), the
# lost grade is told on the next question's screen, and the summary's "saved" matches what
# `viva export` finds in the store. Needs root for the mount: skipped (exit 77) otherwise.
set -euo pipefail
. "$VIVA_SOURCE_DIR/tests/timescale.sh"
if [ "$(id -u)" -ne 0 ]; then
    echo "skipped: mounting a small tmpfs (a real full disk) needs root"
    exit 77
fi
work=$(mktemp -d)
disk=$work/disk
mkdir -p "$disk"
if ! mount -t tmpfs -o size=1m tmpfs "$disk" 2>"$work/mount.err"; then
    echo "skipped: cannot mount a tmpfs here: $(cat "$work/mount.err")"
    rm -rf "$work"
    exit 77
fi
cleanup() {
    umount "$disk" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
export HOME=$work XDG_CONFIG_HOME=$work/config SDL_VIDEODRIVER=offscreen
export ALSA_CONFIG_PATH=/usr/share/alsa/alsa.conf:$VIVA_SOURCE_DIR/tests/audio/virtual-audio.conf
export TEST_MIC_RAW=$work/mic.raw TEST_SPK_WAV=$work/speaker.wav
# A tone that swells and fades like speech: the answers run until the script ends them.
if command -v sox >/dev/null; then
    sox -n -r 16000 -c 1 -b 16 -e signed-integer -t raw "$TEST_MIC_RAW" synth 120 sine 300 tremolo 1.5 80 vol 0.3
else
    head -c 3840000 /dev/urandom > "$TEST_MIC_RAW"
fi
fail=0
check() { if ! eval "$1"; then echo "FAIL: $2"; fail=1; fi; }
data=$disk/data
$VIVA_EMU "$VIVA_BIN" --data-dir "$data" profiles add ada >/dev/null
dd if=/dev/zero of="$disk/fill" bs=4k status=none 2>/dev/null || true
truncate -s -128K "$disk/fill"
df -k "$disk" | tail -n 1
# Start; answer 1 for 4 s (the disk fills), grade 2; answer 2, grade 1 (refused); answer 3
# starts at once: the lost grade must be on that screen; grade 3; the summary.
cat > "$work/script" <<'EOS'
300   key Return
4500  key Return
5500  screenshot review1
5700  key 2
6800  key Return
7800  screenshot review2
8000  key 1
9000  screenshot answer3
9300  key Return
10300 key 3
11500 screenshot summary
12000 quit
EOS
mkdir -p full-disk-screenshots
scale_script "$work/script" "$work/script.scaled"
set +e
$VIVA_EMU "$VIVA_BIN" --data-dir "$data" --set session.profile=ada --set session.questions=3 \
    --set session.think_seconds=0 --set speech.enabled=false --set speech.commands=false \
    --set feedback.enabled=false --set audio.input=test_mic --set audio.output=test_spk \
    --set audio.silence_seconds=30 --set display.width=800 --set display.height=480 \
    run --seed 3 --script "$work/script.scaled" --screenshot "$work/shots" 2> "$work/log"
rc=$?
set -e
grep -E "screen|summary|not saved|store\]" "$work/log" || true
check '[ "$rc" -eq 0 ]' "viva run exited $rc"
cp "$work"/shots/*.png full-disk-screenshots/ 2>/dev/null || true
# The journal in order: the line number of the first match of a pattern (0: none).
at() { grep -n -m1 -E "$1" "$work/log" | cut -d: -f1 || true; }
n_review1=$(at "screen: review \(question 1\)"); n_answer2=$(at "screen: answer \(question 2\)")
n_answer3=$(at "screen: answer \(question 3\)"); n_review3=$(at "screen: review \(question 3\)")
n_full=$(at "screen notice: .*Recording stopped: the disk is full")
n_lost=$(at "screen notice: .*Grade 1 of question 2 was not saved: the disk is full")
n_answer_lost=$(at "screen notice: .*This answer was not saved: the disk is full")
check '[ -n "$n_full" ] && [ "$n_full" -gt "${n_review1:-0}" ] && [ "$n_full" -lt "${n_answer2:-0}" ]' \
    "the review of the recording cut by the full disk did not say so"
check '[ -n "$n_lost" ] && [ "$n_lost" -gt "${n_answer3:-0}" ] && [ "$n_lost" -lt "${n_review3:-0}" ]' \
    "the refused grade of question 2 was not told on question 3's screen"
# The summary counts what is on disk: its "saved" equals the graded answers in the store.
summary=$(grep -m1 -oE "summary: [0-9]+ questions, [0-9]+ graded, [0-9]+ saved.*" "$work/log" || true)
echo "$summary"
graded=$(echo "$summary" | sed -E 's/.* ([0-9]+) graded.*/\1/')
saved=$(echo "$summary" | sed -E 's/.* ([0-9]+) saved.*/\1/')
check 'echo "$summary" | grep -q "not saved: the disk is full"' "the summary does not say why: $summary"
$VIVA_EMU "$VIVA_BIN" --data-dir "$data" export --profile ada --out "$work/export" >/dev/null
csv=$work/export/answers.csv
cat "$csv" | cut -c1-120
stored=$(tail -n +2 "$csv" | sed -E 's/"([^"]|"")*"/Q/g' | awk -F, '$6 >= 0 {n++} END {print n + 0}')
echo "summary: $graded graded, $saved saved; the store holds $stored graded answers"
# An answer the store refused is told on its review; one it kept (ungraded: the recording and
# the answer are saved together, before the grade) needs no such sentence.
answers=$(tail -n +2 "$csv" | grep -c '^"' || true)
check '[ "$answers" -ge 3 ] || [ -n "$n_answer_lost" ]' \
    "the store holds $answers of 3 answers and no review said that its answer was not saved"
check '[ "$saved" = "$stored" ]' "the summary says $saved saved, the store holds $stored graded answers"
check '[ "${graded:-0}" -gt "${saved:-0}" ]' "nothing was refused: the disk did not fill ($summary)"
[ $fail -eq 0 ] && echo "full disk: 1 passed, 0 failed" || echo "full disk: 0 passed, 1 failed"
exit $fail
