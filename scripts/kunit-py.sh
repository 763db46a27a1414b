#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Run mm_ext's KUnit suites the kernel's way: mm_ext as a driver directory
# (drivers/misc/mm_ext) of the cached 6.12 tree, built in (=y) with
# kunit/.kunitconfig, under tools/testing/kunit/kunit.py on x86_64 (QEMU).
#
#   scripts/kunit-py.sh [KUNIT.PY RUN OPTIONS...]   e.g. --filter_glob='slab_ext.*'
#
# The extracted source (~/.cache/mm_ext/src-*) is shared by every kernel
# build and never changes: kunit.py runs in a hard-linked copy of it
# (kunit-src-*, made once with cp -al), where the two files that learn of
# mm_ext (drivers/misc/Kconfig, drivers/misc/Makefile) are new files, not
# edits through the links. Its build directory (kunit-build-*) is kept, so
# a later run rebuilds only what changed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need_pkgs "${KERNEL_BUILD_PKGS[@]}" qemu-system-x86
src=$(ksrc_dir)
# build-kernel.sh extracts the source (once, under its lock).
[ -f "$src/.mm_ext-extracted" ] || "$MM_EXT_TOP/scripts/build-kernel.sh" debug >/dev/null
ver=$(basename "$src")
ver=${ver#src-}
tree="$MM_EXT_CACHE/kunit-src-$ver"
build="$MM_EXT_CACHE/kunit-build-$ver"

exec 7>"$MM_EXT_CACHE/.lock-kunit-py"
flock 7

if [ ! -f "$tree/.mm_ext-linked" ]; then
	log "linking a copy of $src for kunit.py (once)"
	rm -rf "$tree" "$tree.tmp"
	cp -al "$src" "$tree.tmp"
	rm -f "$tree.tmp/.mm_ext-extracted"
	# Replace, never write through a hard link: rm first, then a new file.
	for f in drivers/misc/Kconfig drivers/misc/Makefile; do
		cp "$tree.tmp/$f" "$tree.tmp/$f.new"
		rm "$tree.tmp/$f"
		mv "$tree.tmp/$f.new" "$tree.tmp/$f"
	done
	# Kconfig: before the menu's last "endmenu"; Makefile: one more line.
	awk '{ l[NR] = $0 } $0 == "endmenu" { last = NR }
	     END { for (i = 1; i <= NR; i++) {
			if (i == last) print "source \"drivers/misc/mm_ext/Kconfig\""
			print l[i] } }' "$tree.tmp/drivers/misc/Kconfig" > "$tree.tmp/Kconfig.mm_ext"
	mv "$tree.tmp/Kconfig.mm_ext" "$tree.tmp/drivers/misc/Kconfig"
	echo 'obj-$(CONFIG_MM_EXT)		+= mm_ext/' >> "$tree.tmp/drivers/misc/Makefile"
	# Check the originals kept their contents.
	! grep -q mm_ext "$src/drivers/misc/Kconfig" "$src/drivers/misc/Makefile" ||
		die "the shared source $src was changed through a link"
	touch "$tree.tmp/.mm_ext-linked"
	mv "$tree.tmp" "$tree"
fi

# mm_ext's sources, fresh each run; cpio -m keeps their times, so make
# rebuilds only the files that changed since the last run.
drv="$tree/drivers/misc/mm_ext"
rm -rf "$drv"
mkdir -p "$drv"
copy_sources "$drv"
cp -p "$MM_EXT_TOP/Kconfig" "$drv/Kconfig"
cp -p "$MM_EXT_TOP/kunit/.kunitconfig" "$drv/kunit/.kunitconfig"

mkdir -p "$build"
log "kunit.py run in $tree (build: $build)"
cd "$tree"
# Nothing of Python's cache in the shared tools/ directory.
export PYTHONDONTWRITEBYTECODE=1
exec python3 tools/testing/kunit/kunit.py run --arch=x86_64 \
	--kunitconfig=drivers/misc/mm_ext/kunit --build_dir="$build" \
	--jobs="$(nproc)" "$@"
