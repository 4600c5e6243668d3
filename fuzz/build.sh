#!/bin/sh
# fuzz/build.sh [OUTDIR]: build the libFuzzer targets with clang (ASan + UBSan) into OUTDIR
# (default build/fuzz). Needs clang and libclang-rt-14-dev. See fuzz/README.md.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$here/../src
out=${1:-$here/../build/fuzz}
mkdir -p "$out"
core="$(echo $src/content/*.c $src/base/*.c)"
flags="-g -O1 -std=c11 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined \
       -fno-sanitize-recover=undefined -I$src/base -I$src/content"
for t in fuzz_import fuzz_bank fuzz_bank_roundtrip; do
    clang $flags -o "$out/$t" "$here/$t.c" $core -lm
done
echo "built $out/fuzz_import $out/fuzz_bank $out/fuzz_bank_roundtrip"
