# SPDX-License-Identifier: GPL-2.0
# Scenario "hotplug": the three-way race of issue 12 items 12 and 17. For
# HOTPLUG_SECONDS (default 60; a kernel command line word
# HOTPLUG_SECONDS=N reaches /init's environment) three shells loop at once:
#   1. cache create c 64 / cache destroy c
#   2. echo 8 > slab/c/cpu_cache (the file comes and goes with the cache)
#   3. CPU 1 offline / online
# while a zone workload and a pool workload run. Then every loop must stop
# within STOP_SECONDS, the workloads stop, rmmod completes and kmemleak is
# silent. lockdep cannot see the deadlock this looks for (debugfs removal
# is not annotated), so the scenario itself is the test: a loop that does
# not stop is reported with the kernel stacks of every blocked task, and
# the host's timeout ends the run if even reboot hangs.
HOTPLUG_SECONDS=${HOTPLUG_SECONDS:-60}
STOP_SECONDS=30
C=$D/control
CPU1=/sys/devices/system/cpu/cpu1/online

# Each loop runs until /tmp/stop exists, then writes its counts to
# /tmp/<name>.done: "cycles unexpected-errors".
loop_cache() {
	n=0 errs=0
	while [ ! -e /tmp/stop ]; do
		{ echo "cache create c 64" > $C; } 2>>/tmp/cache.err || errs=$((errs + 1))
		# Long enough for the cpu_cache loop to find the file, often.
		usleep 5000
		{ echo "cache destroy c" > $C; } 2>>/tmp/cache.err || errs=$((errs + 1))
		n=$((n + 1))
	done
	echo "$n $errs" > /tmp/cache.done
}

loop_cpu_cache() {
	n=0 errs=0
	while [ ! -e /tmp/stop ]; do
		# The cache may be gone, or going: its file then does not exist
		# (ENOENT; EACCES when its directory is still there, since the
		# shell's O_CREAT cannot make a file in debugfs), or is being
		# removed under the write (debugfs: EIO).
		# The shell, not echo, reports a failed redirection: catch both.
		# Builtins only (read, case): a fork per try would slow the loop.
		if { echo 8 > $D/slab/c/cpu_cache; } 2>/tmp/cpu_cache.err1; then
			n=$((n + 1))
			continue
		fi
		read -r why < /tmp/cpu_cache.err1
		case $why in
		*"No such file"* | *"nonexistent directory"* | *"I/O error"* | \
		*"Permission denied"* | *"Input/output error"*) ;;
		*)
			echo "$why" >> /tmp/cpu_cache.err
			errs=$((errs + 1)) ;;
		esac
	done
	echo "$n $errs" > /tmp/cpu_cache.done
}

loop_hotplug() {
	n=0 errs=0
	while [ ! -e /tmp/stop ]; do
		{ echo 0 > $CPU1; } 2>>/tmp/hotplug.err || errs=$((errs + 1))
		{ echo 1 > $CPU1; } 2>>/tmp/hotplug.err || errs=$((errs + 1))
		n=$((n + 1))
	done
	echo "$n $errs" > /tmp/hotplug.done
}

# Every task in D state, with its kernel stack: what a deadlock looks like.
dump_blocked() {
	for s in /proc/[0-9]*/stat; do
		p=${s%/stat}
		read -r pid comm state rest < $s 2>/dev/null || continue
		[ "$state" = D ] || continue
		echo "MM_EXT_SAY: blocked: $pid $comm"
		sed 's/^/    /' $p/stack 2>/dev/null
	done
}

# A deadlock may stop this shell too: let the kernel name the blocked tasks,
# with their stacks, after 20 s (the host fails the run on that report).
echo 20 > /proc/sys/kernel/hung_task_timeout_secs
kmemleak_baseline
[ -w $CPU1 ] || fail "$CPU1 missing: the guest needs 2 CPUs and HOTPLUG_CPU"
load_mm_ext
ctl "zone create z 2048"
ctl "pool create p 8 page=z order=1"
ctl "workload start wz zone=z ops=1000000000 max_order=3 delay_us=50"
ctl "workload start wp pool=p ops=1000000000 slots=16 delay_us=50"

rm -f /tmp/stop /tmp/*.done /tmp/*.err
say "three loops for ${HOTPLUG_SECONDS}s"
loop_cache &
loop_cpu_cache &
loop_hotplug &
sleep "$HOTPLUG_SECONDS"
touch /tmp/stop
say "told the loops to stop"

# Every loop must come back; a deadlocked one never does.
i=0
while [ $i -lt $((STOP_SECONDS * 10)) ]; do
	[ -e /tmp/cache.done ] && [ -e /tmp/cpu_cache.done ] && [ -e /tmp/hotplug.done ] && break
	usleep 100000
	i=$((i + 1))
done
stuck=""
for l in cache cpu_cache hotplug; do
	[ -e /tmp/$l.done ] || stuck="$stuck $l"
done
if [ -n "$stuck" ]; then
	bad "loops still running ${STOP_SECONDS}s after being told to stop:$stuck (deadlock)"
	dump_blocked
	# rmmod and even reboot would wait behind it: end here, the host's
	# timeout stops the guest.
	return 0 2>/dev/null || exit 0
fi
ok "all three loops stopped within ${STOP_SECONDS}s"
wait

for l in cache cpu_cache hotplug; do
	read -r n errs < /tmp/$l.done
	say "$l loop: $n cycles, $errs unexpected errors"
	if [ "$n" -gt 0 ]; then ok "$l loop made progress ($n)"; else bad "$l loop never succeeded"; fi
	if [ "$errs" -eq 0 ]; then
		ok "$l loop: no unexpected error"
	else
		bad "$l loop: $errs unexpected errors: $(sort /tmp/$l.err | uniq -c | head -n 5)"
	fi
done
expect "CPU 1 online at the end" "$(cat $CPU1)" 1
expect "no cache c left" "$(ls $D/slab | grep -c '^c$')" 0
expect "wz still running" "$(val $D/workload/wz/stats state)" running
expect "wp still running" "$(val $D/workload/wp/stats state)" running
ctl "workload stop wz"
ctl "workload stop wp"
wait_state wz stopped
wait_state wp stopped
expect "wz gave everything back" "$(val $D/workload/wz/stats held)" 0
expect "wp gave everything back" "$(val $D/workload/wp/stats held)" 0
expect "p errors" "$(val $D/mempool/p/stats errors)" 0
expect "z errors" "$(val $D/buddy/z/stats errors)" 0
unload_all
kmemleak_check
