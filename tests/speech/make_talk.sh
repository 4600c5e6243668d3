#!/bin/bash
# make_talk.sh: the "ordinary technical speech" fixture of the false-command tests. Speaks
# fixtures/talk.txt (about 3.6 minutes) with each flite voice into talk_<voice>.raw (16 kHz mono
# s16le) in the working directory, in parallel; files already there are kept.
set -u
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v flite >/dev/null || ! command -v sox >/dev/null; then
    echo "make_talk: flite or sox is missing (Debian packages flite, sox): nothing made"
    exit 0
fi
status=0
for v in slt rms awb kal16; do
    [ -s "talk_$v.raw" ] && continue
    (flite -voice "$v" -f "$here/fixtures/talk.txt" -o "talk_$v.wav" &&
        sox "talk_$v.wav" -r 16000 -c 1 -b 16 -e signed-integer -t raw "talk_$v.tmp" &&
        mv "talk_$v.tmp" "talk_$v.raw" && rm -f "talk_$v.wav") &
done
for job in $(jobs -p); do
    wait "$job" || status=1
done
ls -l talk_*.raw
exit $status
