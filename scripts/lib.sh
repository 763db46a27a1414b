# SPDX-License-Identifier: GPL-2.0
# Shared shell helpers for the mm_ext scripts. Sourced, not run.

MM_EXT_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MM_EXT_CACHE=${MM_EXT_CACHE:-${XDG_CACHE_HOME:-${HOME:-/var/tmp}/.cache}/mm_ext}
KSRC_PKG=linux-source-6.12

log() { printf '[mm_ext] %s\n' "$*" >&2; }
die() { printf '[mm_ext] error: %s\n' "$*" >&2; exit 1; }

# need_pkgs PKG... : install the Debian packages that are missing. As root
# this runs apt-get; otherwise it prints the exact command and fails, so a
# newcomer is never left guessing what to install.
need_pkgs() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		die "missing packages; run: sudo apt-get update && sudo apt-get install -y ${missing[*]}"
	fi
	log "installing ${missing[*]}"
	if [ -z "${MM_EXT_APT_UPDATED:-}" ]; then
		apt-get update -q >&2 || die "apt-get update failed"
		export MM_EXT_APT_UPDATED=1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		"${missing[@]}" >&2 || die "apt-get install ${missing[*]} failed"
}

# Packages every kernel build and QEMU run needs.
KERNEL_BUILD_PKGS=(make gcc libc6-dev flex bison bc libelf-dev libssl-dev cpio kmod xz-utils
		   python3 dwarves "$KSRC_PKG")
QEMU_PKGS=(qemu-system-x86 busybox-static cpio gzip kmod)
# Tools the mm_ext_blk scenarios copy into the guest with their libraries
# (scripts/guest/blk.bins, bench.bins): mke2fs, e2fsck; fio for make bench.
GUEST_TOOL_PKGS=(e2fsprogs fio)

ksrc_version() { dpkg-query -W -f='${Version}' "$KSRC_PKG"; }

# kernel_dir FLAVOUR: the cached build directory for a config flavour
# (debug, perf), keyed by the source version and the fragment's hash.
kernel_dir() {
	local frag="$MM_EXT_TOP/scripts/kernel/$1.config" ver hash
	[ -f "$frag" ] || die "no kernel flavour '$1' ($frag)"
	ver=$(ksrc_version 2>/dev/null | tr -c 'A-Za-z0-9.\n' '_')
	[ -n "$ver" ] || ver=none
	hash=$(sha256sum "$frag" | cut -c1-12)
	echo "$MM_EXT_CACHE/build-$1-$ver-$hash"
}

# copy_sources DEST: the module's sources (C, headers, Kbuild, Makefile),
# to build in a scratch tree without touching the build products here.
copy_sources() {
	(cd "$MM_EXT_TOP" &&
	 find . -path ./results -prune -o -path ./.git -prune -o \
		\( -name '*.[ch]' -o -name Kbuild -o -name Makefile \) -not -name '*.mod.c' -print |
	 cpio -pdm --quiet "$1")
}

ksrc_dir() {
	echo "$MM_EXT_CACHE/src-$(ksrc_version | tr -c 'A-Za-z0-9.\n' '_')"
}
