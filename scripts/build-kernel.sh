#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (once) and cache a test kernel from Debian's linux-source-6.12:
# allnoconfig + scripts/kernel/<flavour>.config, olddefconfig, bzImage and
# modules (for Module.symvers). Prints the build directory on stdout.
#
#   scripts/build-kernel.sh [debug|rt|perf]  (default: debug)
#   scripts/build-kernel.sh --path [flavour] (print the directory, build nothing)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ "${1:-}" = --path ]; then
	kernel_dir "${2:-debug}"
	exit 0
fi
flavour=${1:-debug}
frag="$MM_EXT_TOP/scripts/kernel/$flavour.config"
[ -f "$frag" ] || die "unknown kernel flavour '$flavour' (have: $(cd "$MM_EXT_TOP/scripts/kernel" && ls *.config | sed 's/\.config//' | xargs))"

need_pkgs "${KERNEL_BUILD_PKGS[@]}"
out=$(kernel_dir "$flavour")
src=$(ksrc_dir)
mkdir -p "$MM_EXT_CACHE"

# Built already (the marker is written last): nothing to wait for.
if [ -f "$out/.mm_ext-built" ]; then
	echo "$out"
	exit 0
fi

# One builder at a time per flavour; a second caller waits, then finds it
# built. Another flavour's build does not hold this one up.
exec 9>"$MM_EXT_CACHE/.lock-$flavour"
flock 9

if [ -f "$out/.mm_ext-built" ]; then
	echo "$out"
	exit 0
fi

# The sources are shared by the flavours: extracted once, under their own
# lock (always taken after a flavour's, never before).
exec 8>"$MM_EXT_CACHE/.lock-src"
flock 8
if [ ! -f "$src/.mm_ext-extracted" ]; then
	tarball=$(ls /usr/src/linux-source-6.12*.tar.xz | head -n1)
	[ -f "$tarball" ] || die "no /usr/src/linux-source-6.12*.tar.xz: is $KSRC_PKG installed?"
	log "extracting $tarball (about a minute)"
	rm -rf "$src" && mkdir -p "$src"
	tar -xJf "$tarball" -C "$src" --strip-components=1
	touch "$src/.mm_ext-extracted"
fi
flock -u 8

log "configuring the $flavour kernel in $out"
rm -rf "$out" && mkdir -p "$out"
# KCONFIG_ALLCONFIG applies the fragment while allnoconfig resolves
# dependencies; olddefconfig then settles the rest.
make -s -C "$src" O="$out" ARCH=x86_64 KCONFIG_ALLCONFIG="$frag" allnoconfig >/dev/null
make -s -C "$src" O="$out" ARCH=x86_64 olddefconfig >/dev/null

# Kconfig silently drops what it cannot satisfy: check every line survived.
bad=0
while read -r line; do
	case "$line" in
	CONFIG_*=*)
		grep -qxF "$line" "$out/.config" || { log "fragment option lost: $line (.config: $(grep -E "^(# )?${line%%=*}[= ]" "$out/.config" || echo absent))"; bad=1; }
		;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }; opt=${opt%% *}
		! grep -q "^$opt=" "$out/.config" || { log "fragment option lost: $line"; bad=1; }
		;;
	esac
done < "$frag"
[ $bad -eq 0 ] || die "the $flavour config fragment did not survive olddefconfig"

jobs=$(nproc)
log "building bzImage and modules with $jobs jobs (first time only: ~5-10 minutes)"
start=$(date +%s)
make -C "$src" O="$out" ARCH=x86_64 -j"$jobs" bzImage modules > "$out/build.log" 2>&1 &
pid=$!
while kill -0 $pid 2>/dev/null; do
	sleep 30
	kill -0 $pid 2>/dev/null || break
	log "  ... $(( $(date +%s) - start ))s, $(grep -c '^  CC' "$out/build.log" || true) files compiled"
done
if ! wait $pid; then
	tail -n 40 "$out/build.log" >&2
	die "kernel build failed; full log: $out/build.log"
fi
[ -f "$out/arch/x86/boot/bzImage" ] && [ -f "$out/Module.symvers" ] ||
	die "kernel build produced no bzImage or Module.symvers"
touch "$out/.mm_ext-built"
log "kernel built in $(( $(date +%s) - start ))s: $out"
echo "$out"
