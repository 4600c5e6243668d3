#!/bin/bash
# make_heldout.sh: speak the held-out answers (bench/heldout/*.txt) with voices viva was never
# tuned on, and degrade them the way rooms and microphones do.
#   make_heldout.sh OUT_DIR [TEXT_DIR] < LIST      (LIST: lines "NAME VOICE CONDITION")
# The text of NAME is TEXT_DIR/NAME.txt (default bench/heldout; "question:", "covered:" and
# "grade:" lines are not spoken).
# Writes OUT_DIR/NAME.VOICE.CONDITION.wav (16 kHz mono) for every line; files already there are
# kept (a cache: the second run speaks nothing). Voices (Debian packages):
#   esp-m3   espeak-ng en-us+m3            esp-rp   espeak-ng en-gb-x-rp
#   esp-f3   espeak-ng en-us+f3            fl-kal   flite kal (8 kHz diphone voice)
#   fe-kal   festival kal_diphone          fe-ked   festival ked_diphone
#   fe-slt   festival cmu_us_slt_arctic_hts
# Conditions (sox):
#   clean    as spoken
#   noise    pink noise at 20 dB SNR (against the RMS of the speech, silences excluded)
#   reverb   a medium room: reverb 50% with a 0.1 s pre-delay, wet and dry mixed
#   band     a cheap USB microphone: 300-3400 Hz band pass and a 2 dB gain lift
#   quiet    peaks at -46 dBFS (a microphone with its gain far too low)
#   hot      20 dB too loud, clipped (a microphone with its gain far too high)
# Exit 77 when a tool is missing (espeak-ng, flite, festival's text2wave, sox).
set -u
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: make_heldout.sh OUT_DIR [TEXT_DIR] < LIST}
texts=${2:-$here/heldout}
for tool in espeak-ng flite text2wave sox; do
    if ! command -v $tool >/dev/null; then
        echo "make_heldout: $tool is missing (Debian packages espeak-ng, flite, festival, sox)" >&2
        exit 77
    fi
done
mkdir -p "$out"

# speak VOICE TEXTFILE OUT.wav
speak() {
    local v=$1 txt=$2 o=$3 raw="$3.raw.wav"
    case $v in
    esp-m3) espeak-ng -v en-us+m3 -s 165 -w "$raw" -f "$txt" ;;
    esp-rp) espeak-ng -v en-gb-x-rp -s 160 -w "$raw" -f "$txt" ;;
    esp-f3) espeak-ng -v en-us+f3 -s 170 -w "$raw" -f "$txt" ;;
    fl-kal) flite -voice kal -f "$txt" -o "$raw" ;;
    fe-kal) text2wave -eval '(voice_kal_diphone)' "$txt" -o "$raw" ;;
    fe-ked) text2wave -eval '(voice_ked_diphone)' "$txt" -o "$raw" ;;
    fe-slt) text2wave -eval '(voice_cmu_us_slt_arctic_hts)' "$txt" -o "$raw" ;;
    *) echo "make_heldout: unknown voice $v" >&2; return 1 ;;
    esac >/dev/null 2>&1 || return 1
    sox "$raw" -r 16000 -c 1 -b 16 -e signed-integer "$o" pad 0.5 0.5 && rm -f "$raw"
}

# rms FILE: RMS amplitude (0..1) of the parts louder than -45 dBFS
rms() {
    sox "$1" -n silence 1 0.05 -45d -1 0.05 -45d stat 2>&1 | awk '/RMS +amplitude/ {print $3}'
}

# degrade COND IN OUT
degrade() {
    local c=$1 in=$2 o=$3
    case $c in
    noise)
        local dur s n
        dur=$(soxi -D "$in")
        sox -n -r 16000 -c 1 -b 16 "$o.n.wav" synth "$dur" pinknoise vol 0.5 || return 1
        s=$(rms "$in")
        n=$(sox "$o.n.wav" -n stat 2>&1 | awk '/RMS +amplitude/ {print $3}')
        sox -m "$in" -v "$(awk -v s="$s" -v n="$n" 'BEGIN {printf "%.6f", s / n / 10}')" \
            "$o.n.wav" "$o" && rm -f "$o.n.wav"
        ;;
    reverb) sox "$in" "$o" gain -4 reverb 50 50 100 100 100 0 ;;
    band) sox "$in" "$o" sinc 300-3400 gain 2 ;;
    quiet) sox "$in" "$o" gain -n -46 ;;
    hot) sox "$in" "$o" gain -n 0 gain 20 2>/dev/null ;;
    *) echo "make_heldout: unknown condition $c" >&2; return 1 ;;
    esac
}

# render NAME VOICE COND
render() {
    local name=$1 v=$2 c=$3 f="$out/$1.$2.$3.wav" clean="$out/$1.$2.clean.wav"
    [ -s "$f" ] && return 0
    if [ ! -s "$clean" ]; then
        local txt="$out/$name.$v.txt"
        grep -v -E '^(question|covered|grade):' "$texts/$name.txt" >"$txt"
        speak "$v" "$txt" "$clean.tmp.wav" && mv "$clean.tmp.wav" "$clean" || return 1
        rm -f "$txt"
    fi
    [ "$c" = clean ] && return 0
    degrade "$c" "$clean" "$f.tmp.wav" && mv "$f.tmp.wav" "$f"
}

status=0
while read -r name v c; do
    [ -n "$name" ] || continue
    render "$name" "$v" "$c" || { echo "make_heldout: $name $v $c failed" >&2; status=1; }
done
exit $status
