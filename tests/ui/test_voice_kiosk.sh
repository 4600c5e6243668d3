#!/usr/bin/env bash
# A profile's voice adaptation in the kiosk: the profile enrols from the command line (`viva
# voice enrol`, the sentences spoken by flite's awb voice), then answers one question in a real
# kiosk session (SDL offscreen, PortAudio on the virtual microphone, LMDB, pocketsphinx) in the
# same voice; the analysis worker must put the adaptation in force before the analysis, and the
# answer's analysis must be kept, and the spoken commands use the adaptation too. After `viva
# voice forget` the next session uses the generic model. Natively only (the timed script needs the recogniser at native speed).
set -euo pipefail
. "$VIVA_SOURCE_DIR/tests/timescale.sh"
if [ -n "${VIVA_EMU:-}" ]; then
    echo "skipped: the timed script needs the recogniser at native speed (qemu)"
    exit 77
fi
for tool in sox python3 /usr/lib/sphinxtrain/bw /usr/bin/sphinx_fe /usr/bin/pocketsphinx_mdef_convert; do
    command -v $tool >/dev/null || { echo "skipped: $tool is needed (sox, python3, sphinxtrain, sphinxbase-utils, pocketsphinx)"; exit 77; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work XDG_CONFIG_HOME=$work/config SDL_VIDEODRIVER=offscreen
export ALSA_CONFIG_PATH=/usr/share/alsa/alsa.conf:$VIVA_SOURCE_DIR/tests/audio/virtual-audio.conf
export TEST_MIC_RAW=$work/answer.raw TEST_SPK_WAV=$work/speaker.wav
data=$work/data
viva() { "$VIVA_BIN" --data-dir "$data" --set speech.voice=awb "$@"; }

if ! viva voice script > "$work/script.txt" 2> "$work/err"; then
    cat "$work/err"; echo "skipped: this viva was built without speech"; exit 77
fi
viva profiles add default >/dev/null
while read -r num text; do
    viva voice say "$text" --out "$work/s$(printf %02d "$num").wav" >/dev/null 2>&1
done < "$work/script.txt"
viva voice enrol --profile default "$work"/s*.wav

awk -v RS= '/(^|\n)id: concurrency.mutex-vs-rwmutex\n/' \
    "$VIVA_SOURCE_DIR/assets/bank/concurrency.bank" > "$work/one.bank"
tail -n +4 "$VIVA_SOURCE_DIR/tests/feedback/answers/a2-rwmutex-three.txt" > "$work/answer.txt"
viva voice say "$(cat "$work/answer.txt")" --out "$work/answer.wav" >/dev/null 2>&1
sox "$work/answer.wav" -r 16000 -c 1 -b 16 -e signed-integer -t raw "$TEST_MIC_RAW" pad 0.5 4
cat > "$work/script" <<'EOS'
500   key Return
40000 key 2
40500 quit
EOS
scale_script "$work/script" "$work/script.scaled" && mv "$work/script.scaled" "$work/script"
fail=0
check() { if ! eval "$1"; then echo "FAIL: $2"; fail=1; else echo "ok: $2"; fi; }
session() {
    viva --set bank.builtin=false --set bank.files="$work/one.bank" \
        --set session.questions=1 --set session.think_seconds=0 --set audio.silence_seconds=3 \
        --set speech.enabled=false --set speech.commands=$2 \
        --set display.width=800 --set display.height=480 run --script "$work/script" 2> "$1"
}
session "$work/log1" true
cat "$work/log1"
if grep -q "built without pocketsphinx" "$work/log1"; then
    echo "skipped: this viva was built without pocketsphinx (no answer feedback)"; exit 77
fi
check 'grep -q "voice adaptation is in force" "$work/log1"' \
    "the analysis worker put the profile's adaptation in force"
check 'grep -qE "answer [0-9]+: [0-5] of 5 key points covered" "$work/log1"' \
    "the answer was analysed with it"
check 'grep -q "spoken commands use the profile.s voice adaptation" "$work/log1"' \
    "the spoken commands use the profile's adaptation"
check '[ "$(grep -n "voice adaptation is in force" "$work/log1" | head -1 | cut -d: -f1)" -lt "$(grep -nE "answer [0-9]+: [0-5] of 5 key points" "$work/log1" | head -1 | cut -d: -f1)" ]' \
    "the adaptation was in force before the analysis"

viva voice forget --profile default
session "$work/log2" false
check 'grep -qE "answer [0-9]+: [0-5] of 5 key points covered" "$work/log2"' \
    "after voice forget: the answer was analysed"
check '! grep -q "voice adaptation is in force" "$work/log2"' \
    "after voice forget: no adaptation in force"
echo "voice kiosk: $([ $fail = 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed")"
exit $fail
