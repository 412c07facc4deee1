#!/bin/sh
# tests/data/tree/make-bad-dtb.sh — make malformed .dtb files for integration tests
# (binary fixtures are not committed). Usage: make-bad-dtb.sh OUTDIR
# Writes, each with an "expect" file holding a substring of socemu's error message:
#   OUTDIR/bad-truncated.dtb  a valid blob cut in the middle of its structure block
#   OUTDIR/bad-corrupt.dtb    a valid blob whose structure block offset points past its end
set -eu
out=${1:?usage: make-bad-dtb.sh OUTDIR}
dtc=${DTC:-dtc}
mkdir -p "$out"
src="$out/bad-base.dts"
cat > "$src" <<'DTS'
/dts-v1/;
/ {
	#address-cells = <1>;
	#size-cells = <1>;
	model = "base of the malformed blobs";
	memory@0 { device_type = "memory"; reg = <0x0 0x1000>; };
};
DTS
"$dtc" -I dts -O dtb -o "$out/bad-base.dtb" "$src"
size=$(wc -c < "$out/bad-base.dtb")
head -c $((size / 2)) "$out/bad-base.dtb" > "$out/bad-truncated.dtb"
echo "not a valid device tree blob: FDT_ERR_TRUNCATED" > "$out/bad-truncated.expect"
cp "$out/bad-base.dtb" "$out/bad-corrupt.dtb"
# off_dt_struct is the big-endian word at byte 8 of the header
printf '\377\377\377\000' | dd of="$out/bad-corrupt.dtb" bs=1 seek=8 conv=notrunc 2>/dev/null
echo "not a valid device tree blob" > "$out/bad-corrupt.expect"
rm -f "$src" "$out/bad-base.dtb"
