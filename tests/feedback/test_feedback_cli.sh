#!/bin/bash
# test_feedback_cli.sh: `viva analyse` on a spoken answer (human-readable and JSON with its exact
# fields), its errors (unknown question, unreadable file, bad arguments) and `viva bank check`
# on the `terms:` field.
set -u
: "${VIVA_BIN:?}" "${VIVA_SOURCE_DIR:?}"
fail=0
check() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; else echo "ok: $1"; fi; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_DATA_HOME=$work/data HOME=$work
viva() { ${VIVA_EMU:-} "$VIVA_BIN" "$@"; }

bash "$VIVA_SOURCE_DIR/tests/feedback/make_answers.sh" "$PWD/cli-answers" a2-rwmutex-three
rc=$?
if [ $rc = 77 ]; then echo "SKIP: flite, espeak-ng or sox missing"; exit 0; fi
wav=$(awk '{print $4}' cli-answers/manifest.txt)
check "fixture spoken" "[ -s '$wav' ]"

viva analyse "$wav" --question concurrency.mutex-vs-rwmutex >"$work/human.txt" 2>"$work/err"
check "analyse exits 0" "[ $? = 0 ]"
cat "$work/human.txt"
check "human output has the transcript" "grep -q '^transcript: .*mutex' '$work/human.txt'"
check "human output has delivery" "grep -q 'words per minute' '$work/human.txt' && grep -q '^fillers: ' '$work/human.txt'"
check "human output has key points" "grep -q 'key points ([0-9] of 5 covered)' '$work/human.txt'"
check "human output has a grade" "grep -q '^suggested grade: [0-3]' '$work/human.txt'"
check "human output has the confidence" "grep -Eq '^confidence: [01]\\.[0-9]{2} \\((sure|not sure)' '$work/human.txt'"

viva analyse "$wav" --question concurrency.mutex-vs-rwmutex --json >"$work/out.json" 2>"$work/err"
check "analyse --json exits 0" "[ $? = 0 ]"
cat "$work/out.json"
# the exact top-level fields, in order
fields=$(grep -o '"[a-z_]*":' "$work/out.json" | tr -d '":' | awk '!/^(start|seconds|text|covered|heard)$/' | tr '\n' ' ')
check "JSON fields exactly" "[ '$fields' = 'transcript words talk_seconds words_per_minute pauses longest_pause fillers key_points confidence sure suggested_grade microphone ' ]"
check "JSON has 5 key points" "[ \$(grep -o '\"covered\":' '$work/out.json' | wc -l) = 5 ]"
check "JSON grade 0-3" "grep -Eq '\"suggested_grade\":[0-3],\"microphone\":null}' '$work/out.json'"
# the confidence: a number in 0..1 and whether it reached the threshold
check "JSON confidence 0..1, sure or not" "grep -Eq '\"confidence\":(0\\.[0-9]{3}|1\\.000),\"sure\":(true|false),' '$work/out.json'"
if command -v python3 >/dev/null; then
    check "JSON parses" "python3 -c 'import json,sys; d=json.load(open(\"$work/out.json\")); assert isinstance(d[\"pauses\"], list) and d[\"words\"] > 20' "
fi

sox -n -r 16000 -c 1 -b 16 "$work/silence.wav" trim 0 5 2>/dev/null ||
    check "sox makes silence" false
viva analyse "$work/silence.wav" --question concurrency.mutex-vs-rwmutex --json >"$work/sil.json"
check "silence: no grade" "grep -q '\"suggested_grade\":null' '$work/sil.json' && grep -q '\"words\":0' '$work/sil.json'"
check "silence: confidence unknown, not sure" "grep -q '\"confidence\":null,\"sure\":false,' '$work/sil.json'"
viva analyse "$work/silence.wav" --question concurrency.mutex-vs-rwmutex | grep -q "No speech heard"
check "silence: said in words" "[ $? = 0 ]"

# a far too quiet microphone (peaks at -46 dBFS): amplified before recognition, and named
sox "$wav" "$work/quiet.wav" gain -n -46
viva analyse "$work/quiet.wav" --question concurrency.mutex-vs-rwmutex --json >"$work/quiet.json"
check "quiet: named in the JSON" "grep -q '\"microphone\":\"the microphone is very quiet\"' '$work/quiet.json'"
check "quiet: still heard" "grep -Eq '\"suggested_grade\":[1-3]' '$work/quiet.json'"
viva analyse "$work/quiet.wav" --question concurrency.mutex-vs-rwmutex >"$work/quiet.txt"
check "quiet: named in words" "[ $? = 0 ] && grep -q '^Note: the microphone is very quiet' '$work/quiet.txt'"

viva analyse "$wav" --question no.such-question >/dev/null 2>"$work/err"
check "unknown question: exit 2" "[ $? = 2 ] && grep -q \"no question 'no.such-question'\" '$work/err'"
viva analyse "$work/nothing.wav" --question concurrency.mutex-vs-rwmutex 2>"$work/err"
check "missing file: exit 2" "[ $? = 2 ] && grep -q 'nothing.wav' '$work/err'"
echo "not audio" >"$work/bad.wav"
viva analyse "$work/bad.wav" --question concurrency.mutex-vs-rwmutex 2>"$work/err"
check "not a sound file: exit 2" "[ $? = 2 ] && grep -q 'bad.wav: not a sound file' '$work/err'"
viva analyse "$wav" 2>/dev/null
check "no --question: usage, exit 2" "[ $? = 2 ]"
viva analyse --help | grep -q "viva analyse FILE --question ID"
check "help" "[ $? = 0 ]"
viva analyse --store 2>"$work/err"
rc=$?
check "--store without a store or analysis table fails clearly" "[ $rc != 0 ] && [ -s '$work/err' ]"

cat >"$work/t.bank" <<'BANK'
id: t.terms
topic: go
level: 1
question: What is a goroutine?
key: a function running concurrently
terms: concurrent|concurrently, function
key: scheduled by the runtime
BANK
viva bank check "$work/t.bank" >/dev/null 2>&1
check "bank check accepts terms" "[ $? = 0 ]"
printf 'id: t.bad\ntopic: go\nlevel: 1\nquestion: q?\nterms: early\nkey: a\nkey: b\n' >"$work/bad.bank"
viva bank check "$work/bad.bank" >"$work/out" 2>&1
check "bank check rejects misplaced terms with file:line" "[ $? != 0 ] && grep -q 'bad.bank:5: .*terms' '$work/out'"
exit $fail
