#!/bin/bash
# Builds the boards of golden/non-qcom (dt-validate's findings on 197 arm64 boards of the
# other vendors) the way its README says: cpp, then dtc with -i <the source's folder>.
# Usage: build-non-qcom-dtbs.sh CORPUS_DIR OUT_DIR
set -u
corpus=${1:?corpus dir}; out=${2:?out dir}
src=$corpus/linux-dt
mkdir -p "$out"
build() { # source path relative to linux-dt
  local rel=$1 stem
  stem=$(basename "$rel" .dts)
  [ -f "$out/$stem.dtb" ] && return 0
  cpp -nostdinc -I "$src/include" -I "$src/src/arm64" -I "$src/src" -undef -D__DTS__ -x assembler-with-cpp \
    -o "$out/$stem.pp" "$src/$rel" 2>/dev/null &&
  dtc -q -O dtb -b 0 -i "$(dirname "$src/$rel")" -i "$src/src/arm64" -o "$out/$stem.dtb" "$out/$stem.pp" 2>/dev/null ||
    echo "build failed: $rel" >&2
  rm -f "$out/$stem.pp"
}
export -f build; export src out
grep -v '^#' "$corpus/golden/non-qcom/boards.tsv" | cut -f3 | xargs -P2 -I{} bash -c 'build {}'
