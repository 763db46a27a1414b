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

# ---- assertions for shell-level scenarios: each prints one counted line ----
ok() { echo "MM_EXT_CHECK ok: $*"; }
bad() { echo "MM_EXT_CHECK FAILED: $*"; fail "$*"; }

# ctl CMD: the control file must accept CMD.
ctl() {
	if echo "$1" > $D/control 2>/tmp/err; then
		ok "accepted: $1"
	else
		bad "refused: $1: $(cat /tmp/err)"
	fi
}

# refuse ERRNO-TEXT FILE VALUE: writing VALUE to FILE must fail with that error.
refuse() {
	# busybox's echo says why a write failed; its printf does not.
	if echo -n "$3" > "$2" 2>/tmp/err; then
		bad "$2 accepted \"$3\", wanted: $1"
	elif grep -q "$1" /tmp/err; then
		ok "$2 refused \"$3\": $1"
	else
		bad "$2 refused \"$3\" with \"$(cat /tmp/err)\", wanted: $1"
	fi
}

# val FILE KEY: the value of a "key value" line.
val() { sed -n "s/^$2 //p" "$1"; }

# expect WHAT GOT WANT
expect() {
	if [ "$2" = "$3" ]; then ok "$1 = $3"; else bad "$1 = $2, wanted $3"; fi
}

# wait_state WORKLOAD STATE: poll its stats until it gets there (30 s at most).
wait_state() {
	i=0
	while [ "$(val $D/workload/$1/stats state)" != "$2" ] && [ $i -lt 300 ]; do
		usleep 100000
		i=$((i + 1))
	done
	expect "workload $1 state" "$(val $D/workload/$1/stats state)" "$2"
}
