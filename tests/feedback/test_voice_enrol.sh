#!/bin/bash
# test_voice_enrol.sh: `viva voice script|enrol|forget` and `viva analyse --profile` through the
# real binary and a real store: the enrolment sentences are spoken into WAV files by viva's own
# text to speech (`viva voice say --out`, flite's awb voice), the adaptation is made with
# Debian's sphinxtrain, kept when a second enrolment fails, used by `viva analyse`, removed by
# `voice forget` and with its profile. Skips when sphinxtrain is not installed.
set -u
: "${VIVA_BIN:?}"
fail=0
check() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; else echo "ok: $1"; fi; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_DATA_HOME=$work/data HOME=$work
viva() { ${VIVA_EMU:-} "$VIVA_BIN" --data-dir "$work/store" --set speech.voice=awb "$@"; }

for tool in /usr/bin/sphinx_fe /usr/bin/pocketsphinx_mdef_convert /usr/lib/sphinxtrain/bw; do
    if [ ! -x $tool ]; then
        echo "SKIP: $tool is missing (Debian packages sphinxbase-utils, pocketsphinx, sphinxtrain)"
        exit 0
    fi
done

viva voice script >"$work/script.txt"
check "voice script: at least 10 sentences" "[ \$(wc -l < '$work/script.txt') -ge 10 ]"
n=0
while read -r num text; do
    n=$((n + 1))
    viva voice say "$text" --out "$work/s$(printf %02d "$num").wav" >/dev/null 2>"$work/err" ||
        { echo "FAIL: voice say $num"; cat "$work/err"; fail=1; }
done <"$work/script.txt"
check "each sentence spoken" "[ \$(ls '$work'/s*.wav | wc -l) = $n ]"

viva profiles add Kim >/dev/null
viva voice enrol --profile Kim "$work"/s*.wav >"$work/out" 2>"$work/err"
rc=$?
cat "$work/out" "$work/err"
check "enrol exits 0" "[ $rc = 0 ]"
check "enrol reports what it did" "grep -Eq \"Kim's voice adaptation is saved: $n sentences, [0-9]+ s of speech; on them word errors [0-9.]+ -> [0-9.]+\" '$work/out'"

# Too few recordings: refused, and the adaptation made above is kept.
viva voice enrol --profile Kim "$work/s01.wav" "$work/s02.wav" >"$work/out" 2>"$work/err"
rc=$?
check "two recordings: exit 2" "[ $rc = 2 ]"
check "two recordings: says why and that the old one stays" "grep -q 'at least 3 sentences' '$work/err' && grep -q 'previous adaptation (if any) is kept' '$work/err'"
viva voice enrol --profile Nobody "$work"/s0*.wav >/dev/null 2>"$work/err"
check "unknown profile: exit 2, named" "[ $? = 2 ] && grep -q \"no profile named 'Nobody'\" '$work/err'"
viva voice enrol --profile Kim "$work/missing.wav" >/dev/null 2>"$work/err"
check "unreadable recording: exit 2, named" "[ $? = 2 ] && grep -q 'missing.wav' '$work/err'"
viva voice enrol --profile Kim "$work"/s*.wav "$work/s01.wav" >/dev/null 2>"$work/err"
check "more recordings than sentences: exit 2" "[ $? = 2 ] && grep -q 'more files than sentences' '$work/err'"

# Used by viva analyse for that profile.
viva voice say "A goroutine is cheap and a mutex guards shared state." --out "$work/answer.wav" >/dev/null 2>&1
viva analyse "$work/answer.wav" --question concurrency.mutex-vs-rwmutex --profile Kim --json >"$work/a.json" 2>"$work/err"
check "analyse --profile exits 0" "[ $? = 0 ] && grep -q '\"transcript\"' '$work/a.json'"
check "analyse --profile: heard with the adaptation" "grep -q \"heard with Kim's voice adaptation (enrolled with $n sentences)\" '$work/err'"
viva analyse "$work/answer.wav" --question concurrency.mutex-vs-rwmutex --profile Nobody >/dev/null 2>"$work/err"
check "analyse --profile unknown: exit 2" "[ $? = 2 ]"

viva voice forget --profile Kim >"$work/out" 2>&1
check "forget removes the kept adaptation" "grep -q \"Kim's voice adaptation is removed\" '$work/out'"
viva voice forget --profile Kim >"$work/out" 2>&1
check "forget again: none" "grep -q 'Kim has no voice adaptation' '$work/out'"
viva analyse "$work/answer.wav" --question concurrency.mutex-vs-rwmutex --profile Kim >/dev/null 2>"$work/err"
check "analyse after forget: the generic model" "grep -q 'Kim has no voice adaptation: heard with the generic model' '$work/err'"

exit $fail
