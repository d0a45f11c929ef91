#!/bin/bash
# Builds the Qualcomm DTBs of the dt-validate golden set the kernel's way (cpp, then dtc;
# composites with fdtoverlay) into OUT. Usage: build-qcom-dtbs.sh CORPUS_DIR OUT_DIR
set -u
corpus=${1:?corpus dir}; out=${2:?out dir}
src=$corpus/linux-dt
mkdir -p "$out"
build() { # name ext(dts|dtso) outext
  local f=$1 ext=$2 oext=$3
  [ -f "$out/$f.$oext" ] && return 0
  cpp -nostdinc -I "$src/include" -I "$src/src/arm64" -I "$src/src" -undef -D__DTS__ -x assembler-with-cpp \
    -o "$out/$f.$oext.tmp" "$src/src/arm64/qcom/$f.$ext" 2>/dev/null &&
  dtc -q -@ -O dtb -b 0 -i "$src/src/arm64/qcom" -i "$src/src/arm64" -o "$out/$f.$oext" "$out/$f.$oext.tmp" 2>/dev/null
  rm -f "$out/$f.$oext.tmp"
}
export -f build; export src out
ls "$src/src/arm64/qcom/"*.dts | xargs -n1 basename | sed 's/\.dts$//' | xargs -P2 -I{} bash -c 'build {} dts dtb'
ls "$src/src/arm64/qcom/"*.dtso | xargs -n1 basename | sed 's/\.dtso$//' | xargs -P2 -I{} bash -c 'build {} dtso dtbo'
grep -v '^#' "$corpus/qcom-composites.txt" | while read -r target base rest; do
  [ -z "$target" ] && continue
  [ -f "$out/$target.dtb" ] && continue
  ovs=(); for o in $rest; do ovs+=("$out/$o"); done
  fdtoverlay -i "$out/$base" -o "$out/$target.dtb" "${ovs[@]}" 2>/dev/null || echo "composite failed: $target" >&2
done
