#!/usr/bin/env bash
# End-to-end practice session, the way a candidate uses it: real SDL window (offscreen driver),
# real PortAudio streams on the virtual microphone/speaker (ALSA file devices fed with speech
# made by espeak-ng), real LMDB store. Three questions are answered aloud and graded 2, 1, 3;
# an answer is played back. Afterwards the store is read back through `viva export`: three
# graded answers with recordings and talk time, the ability changed after each grade, and the
# playback reached the speaker; the progress screen replayed the newest answer. Runs at
# 800x480 and 1920x1080; screenshots stay in
# ./session-screenshots for people to look at.
set -euo pipefail
. "$VIVA_SOURCE_DIR/tests/timescale.sh"
command -v espeak-ng >/dev/null && command -v sox >/dev/null || {
    echo "skipped: espeak-ng and sox are needed to make the spoken answers"
    exit 0
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work XDG_CONFIG_HOME=$work/config SDL_VIDEODRIVER=offscreen
if [ -n "${VIVA_EMU:-}" ]; then
    # Under qemu the recogniser runs 10-20 times slower and would take most of this test's
    # time: answer feedback is off here (it is tested natively and in tests/feedback).
    mkdir -p "$XDG_CONFIG_HOME/viva"
    printf '[feedback]\nenabled = false\n' >"$XDG_CONFIG_HOME/viva/viva.conf"
fi
export ALSA_CONFIG_PATH=/usr/share/alsa/alsa.conf:$VIVA_SOURCE_DIR/tests/audio/virtual-audio.conf
export TEST_MIC_RAW=$work/answer.raw TEST_SPK_WAV=$work/speaker.wav
espeak-ng -w "$work/answer.wav" "A goroutine is a lightweight thread managed by the Go runtime.
It starts with a small stack that grows as needed, and the scheduler multiplexes many of them
onto a few operating system threads."
# 0.5 s of silence, the answer, then 6 s of silence so that the answer ends on silence.
sox "$work/answer.wav" -r 16000 -c 1 -b 16 -e signed-integer -t raw "$TEST_MIC_RAW" pad 0.5 6

# A new profile made with the on-screen keyboard (home: Profile, New profile..., keys a b a,
# Done), then home: start practice, three questions, the summary, back home, progress, and a
# replay of the newest answer from the progress list.
cat > "$work/script" <<'EOS'
300   key Up
400   key Up
500   key Return
800   key Down
900   key Return
1100  key Return
1200  key Right
1300  key Return
1400  key Left
1500  key Return
1600  screenshot keyboard
1700  key Left
1800  key Left
1900  key Return
2100  key Return
2500  screenshot question
8600  screenshot review
8800  key p
10100 key 2
16100 key 1
16400 screenshot question2
23100 key 3
24100 screenshot summary
24400 key Return
24700 key Down
24800 key Down
24900 key Return
25400 screenshot progress
25500 key Down
25600 key Return
26100 screenshot replay
27300 quit
EOS
# The scripts' times grow with the suite's time scale (tests/timescale.sh).
scale_script "$work/script" "$work/script.scaled" && mv "$work/script.scaled" "$work/script"
fail=0
check() { if ! eval "$1"; then echo "FAIL: $2"; fail=1; fi; }
mkdir -p session-screenshots
for size in 800x480 1920x1080; do
    w=${size%x*} h=${size#*x}
    data=$work/data-$size
    rm -f "$TEST_SPK_WAV"
    $VIVA_EMU "$VIVA_BIN" --data-dir "$data" --set session.questions=3 \
        --set session.think_seconds="$(scaled 1)" --set display.width=$w --set display.height=$h \
        --set speech.enabled=false --set speech.commands=false \
        run --seed 11 --script "$work/script" --screenshot "$work/shots-$size" 2> "$work/log-$size"
    cat "$work/log-$size"
    for s in keyboard question review question2 summary progress replay; do
        cp "$work/shots-$size/$s.png" "session-screenshots/$s-$size.png"
        read -r pw ph bright < <($VIVA_EMU "$PNG_PROBE" "$work/shots-$size/$s.png" 0 0 1 1)
        echo "$s $size: ${pw}x${ph}, text pixels $bright per mille"
        check '[ "$pw" = "$w" ] && [ "$ph" = "$h" ]' "$s at $size is ${pw}x${ph}"
        check '[ "$bright" -ge 3 ]' "$s at $size shows no text"
    done
    $VIVA_EMU "$VIVA_BIN" --data-dir "$data" export --profile aba --out "$work/export-$size"
    csv=$work/export-$size/answers.csv
    cat "$csv"
    rows=$(($(wc -l < "$csv") - 1))
    check '[ "$rows" -eq 3 ]' "$size: expected 3 answers, found $rows"
    # Quoted fields (question text may hold commas) become Q so that columns split on commas.
    plain() { tail -n +2 "$csv" | sed -E 's/"([^"]|"")*"/Q/g'; }
    grades=$(plain | awk -F, '{print $6}' | tr '\n' ' ')
    check '[ "$grades" = "2 1 3 " ]' "$size: grades are '$grades', expected '2 1 3 '"
    # Each committed grade is acknowledged in the log (the image's power-off test counts on
    # it): the answers' ids and grades, as the store has them.
    acked=$(sed -nE 's/.*grade ([0-9]) committed: answer ([0-9]+).*/\2 \1/p' "$work/log-$size" | tr '\n' ' ')
    ids=$(tail -n +2 "$csv" | sed -E 's/^"?([0-9]+)"?,.*/\1/')
    stored=$(paste -d' ' <(echo "$ids") <(plain | awk -F, '{print $6}') | tr '\n' ' ')
    check '[ "$acked" = "$stored" ]' "$size: acknowledged '$acked', stored '$stored'"
    recs=$(ls "$work/export-$size/recordings" | wc -l)
    check '[ "$recs" -eq 3 ]' "$size: expected 3 recordings, found $recs"
    # talk time (column 15) above 3 s: the speech was captured, not silence
    talk_ok=$(plain | awk -F, '$15 + 0 > 3 {n++} END {print n + 0}')
    check '[ "$talk_ok" -eq 3 ]' "$size: talk time missing on some answers"
    # ability after each grade differs from before (columns 8 and 10)
    moved=$(plain | awk -F, '$8 != $10 {n++} END {print n + 0}')
    check '[ "$moved" -eq 3 ]' "$size: ability history not updated on every grade"
    if [ -z "${VIVA_EMU:-}" ] && ! grep -q "answer feedback is off" "$work/log-$size"; then
        # Answers are analysed on the device and each analysis is kept with its answer. This
        # session is short (27 s) and quits at once: on a loaded machine the last answers'
        # analyses may not be done within the 15 s the kiosk waits on quitting, so at least
        # one is required here; tests/speech/test_hands_free.sh waits for all of them.
        analysed=$(grep -cE "key points covered" "$work/log-$size" || true)
        check '[ "$analysed" -ge 1 ]' "$size: no answer was analysed"
        kept=$(plain | awk -F, '$(NF-2) != "" {n++} END {print n + 0}')
        check '[ "$kept" -eq "$analysed" ]' "$size: $analysed answers analysed, $kept exported with it"
    fi
    unnamed=$(tail -n +2 "$csv" | grep -c '^"[^"]*","[^"]*","[^"]*","[^"]*","",' || true)
    check '[ "$unnamed" -eq 0 ]' "$size: $unnamed exported answers lack their question text"
    check '[ -s "$TEST_SPK_WAV" ]' "$size: the played answer did not reach the speaker"
    replays=$(grep -c "playing recording" "$work/log-$size" || true)
    check '[ "$replays" -ge 1 ]' "$size: no answer was replayed from the progress screen"
done
[ $fail -eq 0 ] && echo "session: 1 passed, 0 failed" || echo "session: 0 passed, 1 failed"
exit $fail
