#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# DKMS as users run it, in a scratch DKMS tree (nothing in /var/lib/dkms,
# /usr/src or /lib/modules is touched):
#   1. dkms add, then dkms build against Debian bookworm's stock 6.1 headers
#      (linux-headers-amd64) and against the cached 6.12 debug test kernel;
#      a warning (W=1) or a module dkms.conf names but the build lacks fails;
#   2. dkms install for 6.1 into a scratch install tree (as root; as another
#      user dkms refuses install, and the built module is taken instead);
#   3. Debian's own 6.1 kernel (linux-image-amd64) booted in QEMU with that
#      mm_ext.ko: the demo's shell steps (scripts/guest/demo.sh), failing on
#      any BUG/WARNING/Oops line and the rest qemu-run.sh watches for.
#
#   scripts/dkms-check.sh [--no-boot]
set -euo pipefail
. "$(dirname "$0")/lib.sh"
boot=1
[ "${1:-}" != --no-boot ] || boot=0
need_pkgs dkms linux-headers-amd64 linux-image-amd64 openssl make gcc

# The stock kernel's release, from the meta packages: headers and image must agree.
meta_release() { # PACKAGE PREFIX
	dpkg-query -W -f='${Depends}' "$1" | grep -o "$2[^ ,]*" | head -n1 | sed "s/^$2//"
}
kv61=$(meta_release linux-headers-amd64 linux-headers-)
img61=$(meta_release linux-image-amd64 linux-image-)
[ -n "$kv61" ] || die "cannot tell which kernel linux-headers-amd64 is for"
[ "$kv61" = "$img61" ] ||
	die "linux-headers-amd64 is for $kv61 but linux-image-amd64 for $img61: apt-get install both again"
hdr61=/usr/src/linux-headers-$kv61
[ -f "$hdr61/Makefile" ] || die "no $hdr61 (from linux-headers-amd64)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$MM_EXT_TOP/dkms.conf")
srcdir="$work/src/mm_ext-$ver"
mkdir -p "$srcdir" "$work/dkms" "$work/lib/modules/$kv61"
# What a release tarball would hold: sources, Kbuild files, Kconfig, dkms.conf.
copy_sources "$srcdir"
cp "$MM_EXT_TOP/dkms.conf" "$MM_EXT_TOP/Kconfig" "$MM_EXT_TOP/LICENSE" "$srcdir/"
dkms=(dkms --dkmstree "$work/dkms" --sourcetree "$work/src" --installtree "$work/lib/modules")
# Sign with a throw-away key in the scratch tree, not /var/lib/dkms/mok.key;
# W=1 as make lint has it.
export mok_signing_key="$work/mok.key" mok_certificate="$work/mok.pub" KBUILD_EXTRA_WARN=1

status=0
# The sources sit in the scratch source tree already: "dkms add mm_ext/VERSION"
# needs no root there ("dkms add DIR" copies DIR in, and wants root).
"${dkms[@]}" add "mm_ext/$ver" > "$work/add.log" 2>&1 || { cat "$work/add.log" >&2; die "dkms add failed"; }

# build KERNELRELEASE KERNEL_SOURCE_DIR WHAT
build() {
	local out="$work/build-$1.log" mlog n m
	log "dkms build against $3 ($1)"
	if ! "${dkms[@]}" build "mm_ext/$ver" -k "$1" --kernelsourcedir "$2" > "$out" 2>&1; then
		cat "$out" >&2
		mlog="$work/dkms/mm_ext/$ver/build/make.log"
		[ ! -f "$mlog" ] || tail -n 40 "$mlog" >&2
		log "FAIL: dkms build against $3"
		return 1
	fi
	mlog="$work/dkms/mm_ext/$ver/$1/x86_64/log/make.log"
	if grep -iE 'warning|error' "$out" "$mlog" >&2; then
		log "FAIL: dkms build against $3 is not clean"
		return 1
	fi
	# Every module the Kbuild files name for this kernel, built and kept.
	n=0
	for m in $(kernel_config="$2/.config" bash -c ". '$srcdir/dkms.conf'; echo \${BUILT_MODULE_NAME[*]}"); do
		[ -f "$work/dkms/mm_ext/$ver/$1/x86_64/module/$m.ko" ] ||
			{ log "FAIL: dkms kept no $m.ko for $1"; return 1; }
		n=$((n + 1))
	done
	log "dkms build against $3: $n module(s) warning-free ($(cd "$work/dkms/mm_ext/$ver/$1/x86_64/module" && ls | xargs))"
}
build "$kv61" "$hdr61" "Debian's stock 6.1 headers" || status=1
kdir=$("$MM_EXT_TOP/scripts/build-kernel.sh" debug)
build "$(cat "$kdir/include/config/kernel.release")" "$kdir" "the 6.12 debug test kernel" || status=1
[ $status -eq 0 ] || exit 1
[ $boot -eq 1 ] || exit 0

# Install for 6.1, then boot Debian's own kernel with what was installed.
mods="$work/guest-modules"
mkdir -p "$mods"
if [ "$(id -u)" -eq 0 ]; then
	"${dkms[@]}" install "mm_ext/$ver" -k "$kv61" --no-depmod > "$work/install.log" 2>&1 ||
		{ cat "$work/install.log" >&2; die "dkms install failed"; }
	ko=$(find "$work/lib/modules/$kv61" -name 'mm_ext.ko*' | head -n1)
	[ -n "$ko" ] || { cat "$work/install.log" >&2; die "dkms install put no mm_ext.ko under $work/lib/modules/$kv61"; }
	log "dkms install: ${ko#"$work"/}"
else
	ko="$work/dkms/mm_ext/$ver/$kv61/x86_64/module/mm_ext.ko"
	log "not root: dkms install skipped, booting the built $ko"
fi
case $ko in
*.xz) xz -dc "$ko" > "$mods/mm_ext.ko" ;;
*.zst) zstd -qdc "$ko" > "$mods/mm_ext.ko" ;;
*.gz) gzip -dc "$ko" > "$mods/mm_ext.ko" ;;
*) cp "$ko" "$mods/mm_ext.ko" ;;
esac
# vermagic must be the booted kernel's, or insmod refuses it.
modinfo -F vermagic "$mods/mm_ext.ko" | grep -q "^$kv61 " ||
	die "mm_ext.ko's vermagic ($(modinfo -F vermagic "$mods/mm_ext.ko")) is not $kv61's"
glog="$MM_EXT_TOP/results/dkms-debian-$kv61.log"
"$MM_EXT_TOP/scripts/qemu-run.sh" -q -k "/boot/vmlinuz-$kv61" -m "$mods" -c 2 -t 300 \
	-l "$glog" demo || exit 1
grep -q '^MM_EXT_UNLOADED' "$glog" || die "the demo did not get to rmmod on $kv61 ($glog)"
log "Debian's $kv61 kernel ran the demo with the DKMS-built mm_ext.ko ($glog)"
