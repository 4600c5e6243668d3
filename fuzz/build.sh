#!/bin/sh
# fuzz/build.sh [OUTDIR]: build the libFuzzer targets with clang (ASan + UBSan) into OUTDIR
# (default build/fuzz). Needs clang and libclang-rt-14-dev. See fuzz/README.md.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$here/../src/core
out=${1:-$here/../build/fuzz}
mkdir -p "$out"
core="$src/bank.c $src/strbuf.c $src/topic.c $src/verr.c $src/import.c $src/import_text.c \
      $src/import_rules.c $src/import_keys.c $src/similar.c"
flags="-g -O1 -std=c11 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined \
       -fno-sanitize-recover=undefined -I$src"
for t in fuzz_import fuzz_bank; do
    clang $flags -o "$out/$t" "$here/$t.c" $core -lm
done
echo "built $out/fuzz_import $out/fuzz_bank"
