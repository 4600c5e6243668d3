#!/bin/bash
# make_answers.sh: speak the written answers (answers/*.txt) into 16 kHz mono WAV files.
#   make_answers.sh OUT_DIR [all] [NAME...]
# Voices: flite's slt, rms, awb, kal16 and espeak-ng; speeds: normal and fast (flite
# duration_stretch 0.8, espeak-ng 210 instead of 160 words per minute). By default each answer
# gets one voice and speed in turn (the i-th answer: voice i mod 5, fast when (i / 5) is odd),
# so 40 answers cover every voice at both speeds; with `all`, every answer is spoken by every
# voice at both speeds. A "[pause N]" in the text is N seconds of silence; every file starts
# and ends with 0.5 s of silence. Writes OUT_DIR/NAME.VOICE-SPEED.wav and lists them in
# OUT_DIR/manifest.txt ("NAME VOICE SPEED FILE"); existing files are kept.
set -u
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: make_answers.sh OUT_DIR [all] [NAME...]}
shift
all=0
if [ "${1:-}" = all ]; then all=1; shift; fi
for tool in flite espeak-ng sox; do
    if ! command -v $tool >/dev/null; then
        echo "make_answers: $tool is missing (Debian packages flite, espeak-ng, sox)" >&2
        exit 77
    fi
done
mkdir -p "$out"
voices=(slt rms awb kal16 espeak)

# speak VOICE SPEED TEXT OUT.wav: one piece of text
speak() {
    local v=$1 s=$2 text=$3 o=$4 raw="$4.raw.wav"
    if [ "$v" = espeak ]; then
        espeak-ng -v en-us -s "$([ "$s" = fast ] && echo 210 || echo 160)" -w "$raw" "$text"
    else
        flite -voice "$v" --setf duration_stretch="$([ "$s" = fast ] && echo 0.8 || echo 1.0)" \
            -t "$text" -o "$raw"
    fi && sox "$raw" -r 16000 -c 1 -b 16 -e signed-integer "$o" && rm -f "$raw"
}

# render NAME VOICE SPEED: the whole answer with its pauses
render() {
    local name=$1 v=$2 s=$3 f="$out/$1.$2-$3.wav"
    [ -s "$f" ] && return 0
    local tmp
    tmp=$(mktemp -d "$out/tmp.XXXXXX") || return 1
    local body parts=() i=0
    body=$(grep -v -E '^(question|covered|grade):' "$here/answers/$name.txt" | tr '\n' ' ')
    sox -n -r 16000 -c 1 -b 16 "$tmp/edge.wav" trim 0 0.5
    parts+=("$tmp/edge.wav")
    while [ -n "$body" ]; do
        local piece=${body%%\[pause *}
        if [ -n "$(echo "$piece" | tr -d ' ')" ]; then
            speak "$v" "$s" "$piece" "$tmp/p$i.wav" || { rm -rf "$tmp"; return 1; }
            parts+=("$tmp/p$i.wav")
        fi
        i=$((i + 1))
        [ "$piece" = "$body" ] && break
        body=${body#*\[pause }
        local secs=${body%%\]*}
        body=${body#*\]}
        sox -n -r 16000 -c 1 -b 16 "$tmp/s$i.wav" trim 0 "$secs"
        parts+=("$tmp/s$i.wav")
    done
    parts+=("$tmp/edge.wav")
    sox "${parts[@]}" "$tmp/all.wav" && mv "$tmp/all.wav" "$f"
    local rc=$?
    rm -rf "$tmp"
    return $rc
}

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
    for f in "$here"/answers/*.txt; do names+=("$(basename "$f" .txt)"); done
fi
: >"$out/manifest.txt.tmp"
idx=0
status=0
for name in "${names[@]}"; do
    # the position among all answers decides the voice, so a subset keeps its voices
    pos=0
    for f in "$here"/answers/*.txt; do
        [ "$(basename "$f" .txt)" = "$name" ] && break
        pos=$((pos + 1))
    done
    if [ $all = 1 ]; then
        combos=""
        for v in "${voices[@]}"; do combos="$combos $v:normal $v:fast"; done
    else
        combos="${voices[$((pos % 5))]}:$([ $(((pos / 5) % 2)) = 1 ] && echo fast || echo normal)"
    fi
    for c in $combos; do
        v=${c%%:*} s=${c#*:}
        render "$name" "$v" "$s" &
        idx=$((idx + 1))
        if [ $((idx % 2)) = 0 ]; then wait -n || status=1; fi
        echo "$name $v $s $out/$name.$v-$s.wav" >>"$out/manifest.txt.tmp"
    done
done
while [ -n "$(jobs -p)" ]; do wait -n || status=1; done
mv "$out/manifest.txt.tmp" "$out/manifest.txt"
exit $status
