#!/usr/bin/env bash
# A whole hands-free session driven only by sound: no key, touch or script event reaches viva.
# Real SDL (offscreen), real PortAudio streams on the virtual devices, real LMDB store, the
# kiosk's own speech: flite reads each question into the virtual speaker, pocketsphinx listens
# on the virtual microphone.
#
# The virtual microphone re-reads its file at every stream open and is not paced, so the
# candidate's part is two recordings: "start practice" (heard on the home screen), then, once
# the session has started, an answer ending in "finish answer", a pause, and "pretty solid".
# Each question's answer capture hears the answer and the end phrase; the review's listening
# hears the same file and takes "pretty solid" as the grade. After three questions the summary
# appears and the test stops viva with SIGTERM, as systemd would.
#
# Checked afterwards through `viva export`: three answers graded 2 (solid) with recordings, the
# end phrase cut from each recording (the recording is as long as the answer, not longer), the
# first question's reading landed in the speaker's file (and the speaker is not the microphone,
# so viva's voice cannot be in an answer).
set -euo pipefail
. "$VIVA_SOURCE_DIR/tests/timescale.sh"
for tool in flite sox soxi; do
    command -v $tool >/dev/null || { echo "skipped: $tool is needed to make the spoken fixtures"; exit 0; }
done
work=$(mktemp -d)
viva_pid=
trap '[ -n "$viva_pid" ] && kill $viva_pid 2>/dev/null; rm -rf "$work"' EXIT
export HOME=$work XDG_CONFIG_HOME=$work/config SDL_VIDEODRIVER=offscreen
if [ -n "${VIVA_EMU:-}" ]; then
    # Under qemu the recogniser runs 10-20 times slower and would take most of this test's
    # time: answer feedback is off here (it is tested natively and in tests/feedback).
    mkdir -p "$XDG_CONFIG_HOME/viva"
    printf '[feedback]\nenabled = false\n' >"$XDG_CONFIG_HOME/viva/viva.conf"
fi
export ALSA_CONFIG_PATH=/usr/share/alsa/alsa.conf:$VIVA_SOURCE_DIR/tests/speech/virtual-audio.conf
export TEST_MIC_RAW=$work/mic.raw TEST_SPK_WAV=$work/speaker.wav
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}

say() { # text, output .raw (16 kHz mono s16le), padding before and after (s)
    flite -voice slt -t "$1" -o "$work/say.wav"
    sox "$work/say.wav" -r 16000 -c 1 -b 16 -e signed-integer -t raw "$2" pad "$3" "$4"
}
say "start practice" "$work/start.raw" 0.5 1.5
say "A goroutine is a function running concurrently with others, scheduled by the Go runtime onto a small pool of system threads." \
    "$work/answer.raw" 0.5 0.6
say "finish answer" "$work/end.raw" 0 3
say "pretty solid" "$work/grade.raw" 0 2
cat "$work/answer.raw" "$work/end.raw" "$work/grade.raw" > "$work/session.raw"
answer_s=$(awk -v b="$(stat -c %s "$work/answer.raw")" 'BEGIN {printf "%.2f", b / 32000}')
cp "$work/start.raw" "$TEST_MIC_RAW"

$VIVA_EMU "$VIVA_BIN" --data-dir "$work/data" --set speech.hands_free=true \
    --set speech.enabled=true --set speech.commands=true --set session.questions=3 \
    --set session.think_seconds=1 --set audio.silence_seconds=2.5 --set speech.grade_seconds=120 \
    --set audio.input=test_mic --set audio.output=test_spk \
    --set display.width=800 --set display.height=480 run --seed 3 2> "$work/viva.log" &
viva_pid=$!

# wait_log PATTERN SECONDS: until viva's log has a line matching PATTERN (SECONDS scaled).
logged_or_gone() { grep -qE "$1" "$work/viva.log" || ! kill -0 "$viva_pid" 2>/dev/null; }
wait_log() {
    if ! wait_until "$2" logged_or_gone "$1"; then
        echo "timed out after $(scaled "$2") s waiting for: $1"
        return 1
    fi
    grep -qE "$1" "$work/viva.log" && return 0
    echo "viva exited early"
    return 1
}
fail=0
if wait_log "command start heard" 120; then
    # The session has begun: from now on the microphone hears the answer and the grade.
    cp "$work/session.raw" "$work/next.raw" && mv "$work/next.raw" "$TEST_MIC_RAW"
    if wait_log "screen: answer \(question 1\)" 120; then
        cp "$TEST_SPK_WAV" "$work/question1.wav" 2>/dev/null || true # the reading just ended
    else
        fail=1
    fi
    wait_log "screen: summary" 600 || fail=1
    # Every answer is analysed on the device: wait for the third (not when feedback is off).
    all_analysed() {
        [ "$(grep -c 'key points covered' "$work/viva.log")" -ge 3 ] ||
            grep -q "answer feedback is off" "$work/viva.log"
    }
    wait_until 300 all_analysed || true
else
    fail=1
fi
kill -TERM $viva_pid 2>/dev/null || true
set +e
wait $viva_pid
rc=$?
set -e
viva_pid=
cat "$work/viva.log"
check() { if ! eval "$1"; then echo "FAIL: $2"; fail=1; fi; }
check '[ $rc -eq 0 ]' "viva exited with $rc"
$VIVA_EMU "$VIVA_BIN" --data-dir "$work/data" export --profile default --out "$work/export"
csv=$work/export/answers.csv
cat "$csv"
rows=$(($(wc -l < "$csv") - 1))
check '[ "$rows" -eq 3 ]' "expected 3 answers, found $rows"
plain() { tail -n +2 "$csv" | sed -E 's/"([^"]|"")*"/Q/g'; }
grades=$(plain | awk -F, '{print $6}' | tr '\n' ' ')
check '[ "$grades" = "2 2 2 " ]' "grades are '$grades', expected '2 2 2 ' (pretty solid, three times)"
recs=$(ls "$work/export/recordings" 2>/dev/null | wc -l)
check '[ "$recs" -eq 3 ]' "expected 3 recordings, found $recs"
cuts=$(grep -c "end phrase cut from the recording" "$work/viva.log" || true)
check '[ "$cuts" -eq 3 ]' "the end phrase was cut from $cuts answers, expected 3"
for f in "$work"/export/recordings/*; do
    [ -f "$f" ] || continue
    d=$(soxi -D "$f")
    echo "recording $(basename "$f"): $d s (answer alone: $answer_s s)"
    # 0.3 s margins either side; the end phrase (about 0.7 s) and the grade must not be in it.
    check "awk 'BEGIN {exit !($d > $answer_s - 1.0 && $d < $answer_s + 0.6)}'" \
        "$(basename "$f") lasts $d s; the answer alone is $answer_s s"
done
if [ -f "$work/question1.wav" ]; then
    q=$(soxi -D "$work/question1.wav")
    echo "question 1 as read aloud: $q s"
    check "awk 'BEGIN {exit !($q > 1.5)}'" "the question read aloud lasts only $q s"
else
    check false "the first question was not read into the speaker"
fi
if [ -z "${VIVA_EMU:-}" ]; then
    # Every answer analysed, its suggested grade kept, and the grade prompt saying it when the
    # analysis was ready before the prompt. The prompt waits 12 s for it and then asks without
    # it, as designed: on an idle machine every analysis is in well within that; on a loaded
    # one it may not be, and then that prompt is not held against viva. A prompt that asks
    # without the suggestion although its answer's analysis was logged before it, preselected,
    # fails; one whose analysis was not sure enough to preselect asks without it, as designed
    # (the analyses come in answer order; the line is logged where the kiosk takes the result).
    analysed=$(grep -c "key points covered" "$work/viva.log" || true)
    check '[ "$analysed" -eq 3 ]' "$analysed answers analysed, expected 3"
    suggested=$(plain | awk -F, '{print $(NF-1)}' | grep -c '^[0-3]$' || true)
    check '[ "$suggested" -eq 3 ]' "the export has $suggested suggested grades, expected 3"
    read -r said late ignored unsure overtrust < <(awk '
        match($0, /screen: review \(question [0-9]+\)/) { q = substr($0, RSTART + 24) + 0; asked = 0 }
        /\[feedback\] info: answer [0-9]+:/ { done++; pre[done] = ($0 ~ /, preselected$/) }
        /speaking: (That sounded|I did not hear the key points|I could not follow)/ { if (!asked) { said++; if (!pre[q]) overtrust++ }; asked = 1 }
        /speaking: How did that go/ {
            if (!asked) { if (done < q) late++; else if (pre[q]) ignored++; else unsure++ }
            asked = 1 }
        END { print said + 0, late + 0, ignored + 0, unsure + 0, overtrust + 0 }' "$work/viva.log")
    echo "grade prompts: $said said the suggested grade, $late came before the analysis," \
        "$unsure asked without it (not sure)"
    check '[ "$ignored" -eq 0 ]' "$ignored grade prompts left out an analysis that was ready"
    check '[ "$overtrust" -eq 0 ]' "$overtrust grade prompts said a suggestion that was not preselected"
    check '[ $((said + late + unsure)) -eq 3 ]' "$((said + late + unsure)) grade prompts, expected 3"
fi
# Nothing holds the screen after a spoken grade: stopping the listening used to decode the
# spotter's backlog first (1.7-3.8 s each time here, issue 19). viva names every action that
# holds the loop for 250 ms or more; stopping to listen must stay under a second (scaled).
slow=$(awk -v lim="$(scaled 1)" '/action listen off held the screen/ {
    ms = $0; sub(/.* screen /, "", ms); if (ms + 0 >= lim * 1000) n++ } END {print n + 0}' "$work/viva.log")
check '[ "$slow" -eq 0 ]' "stopping to listen held the screen for a second or more $slow times"
spoken=$(grep -c "speaking: " "$work/viva.log" || true)
check '[ "$spoken" -ge 6 ]' "viva spoke $spoken times; expected 3 questions and 3 grade prompts"
[ $fail -eq 0 ] && echo "hands-free: 1 passed, 0 failed" || echo "hands-free: 0 passed, 1 failed"
exit $fail
