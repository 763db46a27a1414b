# SPDX-License-Identifier: GPL-2.0
# Helpers for guest scenarios. Sourced by /init; busybox sh.

D=/sys/kernel/debug/mm_ext
KMEMLEAK=/sys/kernel/debug/kmemleak

# A failed step is printed with a marker the host fails the run on.
fail() { echo "MM_EXT_FAIL: $*"; }
say() { echo "MM_EXT_SAY: $*"; }

# Forget leak suspects from boot, so the final scan speaks of our run only.
# kmemleak reports objects older than 5 s: wait until boot objects are.
kmemleak_baseline() {
	[ -w $KMEMLEAK ] || { fail "kmemleak missing"; return; }
	up=$(cut -d. -f1 /proc/uptime)
	[ "$up" -ge 6 ] || sleep $((6 - up))
	echo scan > $KMEMLEAK
	echo clear > $KMEMLEAK
}

# After the modules are gone: anything they leaked is now unreferenced.
kmemleak_check() {
	sleep 6
	echo scan > $KMEMLEAK
	echo scan > $KMEMLEAK
	leaks=$(cat $KMEMLEAK)
	if [ -n "$leaks" ]; then
		echo "$leaks"
		fail "kmemleak found leaks"
	else
		echo "MM_EXT_KMEMLEAK_CLEAN"
	fi
}

load_mm_ext() {
	insmod /modules/mm_ext.ko "$@" || { fail "insmod mm_ext.ko"; return 1; }
	[ -d $D ] || fail "$D missing after load"
}

unload_all() {
	for m in mm_ext_kunit mm_ext; do
		grep -q "^$m " /proc/modules || continue
		rmmod $m || fail "rmmod $m"
	done
	[ ! -d $D ] || fail "$D still present after rmmod"
	echo "MM_EXT_UNLOADED"
}
