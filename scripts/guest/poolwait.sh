# SPDX-License-Identifier: GPL-2.0
# Scenario "poolwait" (issue 12, items 7 and 16): a pool resize up that
# cannot be filled fails and changes nothing; a workload asleep in a pool
# wait stops within a second; two pool workloads on one pool never
# deadlock, nor two bulk ones (issue 14); a prefill workload's sheaves
# serve under 100% injected failure, its prefills failing cleanly (issue
# 14); rmmod completes with a workload waiting on a pool.
ENOMEM="Cannot allocate memory" EINVAL="Invalid argument"
C=$D/control
Z=$D/buddy/z/fail

# $cs: centiseconds since boot, with shell builtins only (no fork to skew it).
now_cs() {
	read -r up _ < /proc/uptime
	cs=$(( ${up%.*} * 100 + 1${up#*.} - 100 ))
}

# timed_ctl SECONDS CMD: CMD must be accepted and return within SECONDS;
# sets $took, the centiseconds the write itself took. A command still
# blocked is reported, not waited for.
timed_ctl() {
	rm -f /tmp/ctl_done
	(
		now_cs; t0=$cs
		if echo "$2" > $C 2>/tmp/ctl_err; then
			now_cs; r="ok $((cs - t0))"
		else
			r=failed
		fi
		echo "$r" > /tmp/ctl_done
	) &
	i=0
	while [ ! -s /tmp/ctl_done ] && [ $i -lt $(($1 * 20)) ]; do
		usleep 50000
		i=$((i + 1))
	done
	took=9999
	if [ ! -s /tmp/ctl_done ]; then
		bad "\"$2\" still blocked after $1 s"
	elif [ "$(cut -d' ' -f1 /tmp/ctl_done)" = ok ]; then
		took=$(cut -d' ' -f2 /tmp/ctl_done)
		ok "\"$2\" returned in $took cs"
	else
		bad "\"$2\" refused: $(cat /tmp/ctl_err)"
	fi
}

# wait_waits POOL N: poll until the pool has counted N waits (10 s at most).
wait_waits() {
	i=0
	while [ "$(val $D/mempool/$1/stats waits)" -lt "$2" ] && [ $i -lt 100 ]; do
		usleep 100000
		i=$((i + 1))
	done
	[ "$(val $D/mempool/$1/stats waits)" -ge "$2" ] &&
		ok "pool $1 has a caller asleep in its wait"
}

kmemleak_baseline
load_mm_ext

# Item 16: a resize up the zone cannot fill fails; min_nr stays.
ctl "zone create z 16"
ctl "pool create p 0 page=z order=1"
echo 100 > $Z/probability && echo -1 > $Z/times && ok "z fails every allocation"
refuse "$ENOMEM" $C "pool resize p 1"
expect "p min_nr after the failed resize" "$(val $D/mempool/p/stats min_nr)" 0
expect "p curr_nr after the failed resize" "$(val $D/mempool/p/stats curr_nr)" 0

# Items 7/16: a workload asleep in a pool wait stops within a second or two.
ctl "workload start w pool=p ops=10 slots=1"
wait_waits p 1
timed_ctl 3 "workload stop w"
[ "$took" -le 100 ] && ok "workload stop took ${took}0 ms (<= 1 s)" ||
	bad "workload stop took ${took}0 ms, over 1 s"
expect "w state" "$(val $D/workload/w/stats state)" stopped
expect "w holds nothing" "$(val $D/workload/w/stats held)" 0
expect "p gave up one wait (failures)" "$(val $D/mempool/p/stats failures)" 1
ctl "workload destroy w"

# Item 7: two pool workloads on one pool started together, under 100%
# injected failure (everything from a reserve of 2): neither waits while it
# holds an element, so both finish.
echo 0 > $Z/probability && ok "z injection off"
ctl "pool create q 2 page=z"
echo 100 > $Z/probability && ok "z fails every allocation again"
ctl "workload start a pool=q ops=20000 slots=2 seed=1"
ctl "workload start b pool=q ops=20000 slots=2 seed=2"
wait_state a done
wait_state b done
timed_ctl 3 "workload stop a"
timed_ctl 3 "workload stop b"
expect "q reserve full again" "$(val $D/mempool/q/stats curr_nr)" 2
expect "q allocs = frees" "$(val $D/mempool/q/stats allocs)" "$(val $D/mempool/q/stats frees)"
expect "q errors" "$(val $D/mempool/q/stats errors)" 0
ctl "workload destroy a"
ctl "workload destroy b"
ctl "pool destroy q"

# Issue 14: two bulk workloads on one pool, each taking the whole reserve
# of 3 at once (mempool_ext_alloc_bulk), under 100% injected failure. A
# bulk call takes the reserve's elements together or waits holding none,
# so neither can hold a part of what the other waits for: both finish.
echo 0 > $Z/probability && ok "z injection off"
ctl "pool create r 3 page=z"
echo 100 > $Z/probability && ok "z fails every allocation again"
refuse "$EINVAL" $C "workload start x pool=r bulk=4"
refuse "$EINVAL" $C "workload start x zone=z bulk=1"
refuse "$EINVAL" $C "workload start x pool=r bulk=0"
ctl "workload start a pool=r ops=20000 bulk=3"
ctl "workload start b pool=r ops=20000 bulk=3"
wait_state a done
wait_state b done
expect "a bulk" "$(val $D/workload/a/stats bulk)" 3
expect "a allocs (10000 calls of 3)" "$(val $D/workload/a/stats allocs)" 30000
expect "b frees" "$(val $D/workload/b/stats frees)" 30000
expect "a failures" "$(val $D/workload/a/stats failures)" 0
expect "r reserve full again" "$(val $D/mempool/r/stats curr_nr)" 3
expect "r allocs" "$(val $D/mempool/r/stats allocs)" 60000
expect "r allocs all from the reserve" "$(val $D/mempool/r/stats reserve_allocs)" 60000
expect "r frees all refills" "$(val $D/mempool/r/stats refills)" 60000
expect "r failures" "$(val $D/mempool/r/stats failures)" 0
expect "r errors" "$(val $D/mempool/r/stats errors)" 0
echo "pool r: $(val $D/mempool/r/stats waits) waits"
ctl "workload destroy a"
ctl "workload destroy b"
ctl "pool destroy r"

# Issue 14: prefill workloads. At 0% every prefill succeeds and a sheaf
# never refuses an object; on a new cache under 100% injected failure every
# prefill fails cleanly; sheaves prefilled before 100% go on serving.
S=$D/buddy/s/fail
refuse "$EINVAL" $C "workload start x zone=z sheaf=4"
refuse "No such file" $C "workload start x prefill=nosuch"
ctl "zone create s 512"
ctl "cache create sc 128 zone=s"
refuse "$EINVAL" $C "workload start x prefill=sc sheaf=0"
ctl "workload start s1 prefill=sc ops=20000 sheaf=32"
wait_state s1 done
expect "s1 failures at 0%" "$(val $D/workload/s1/stats failures)" 0
expect "s1 broken" "$(val $D/workload/s1/stats broken)" 0
expect "s1 gave back every object" "$(val $D/workload/s1/stats frees)" \
	"$(val $D/workload/s1/stats allocs)"
expect "s1 holds nothing" "$(val $D/workload/s1/stats held)" 0
expect "s1 sheaves returned" "$(val $D/workload/s1/stats returns)" \
	"$(val $D/workload/s1/stats prefills)"
expect "sc active objects" "$(val $D/slab/sc/stats active_objs)" 0
ctl "workload destroy s1"
ctl "cache create sc2 128 zone=s"
echo 100 > $S/probability && echo -1 > $S/times && ok "s fails every allocation"
ctl "workload start s2 prefill=sc2 ops=5000"
wait_state s2 done
expect "s2 every prefill failed" "$(val $D/workload/s2/stats failures)" 5000
expect "s2 allocs" "$(val $D/workload/s2/stats allocs)" 0
expect "sc2 objects" "$(val $D/slab/sc2/stats total_objs)" 0
ctl "workload destroy s2"
echo 0 > $S/probability && ok "s injection off"
# Slots enough never to free (refills would recycle what it frees), and
# 64 operations a 0.1 s: at 100% only what the sheaves hold serves.
ctl "workload start s3 prefill=sc2 sheaf=64 slots=100000 ops=100000000 delay_us=100000"
i=0
while [ "$(val $D/workload/s3/stats prefills)" -lt 8 ] && [ $i -lt 100 ]; do
	usleep 100000
	i=$((i + 1))
done
a0=$(val $D/workload/s3/stats allocs)
echo 100 > $S/probability && ok "s fails every allocation"
sleep 1
a1=$(val $D/workload/s3/stats allocs)
f1=$(val $D/workload/s3/stats failures)
echo "s3: $a0 allocs at 0%, $a1 after 1 s at 100%, $f1 failed prefills or refills"
[ "$a1" -gt "$a0" ] && ok "s3 served from its sheaves under 100% failure" ||
	bad "s3 served nothing under 100% failure"
[ "$f1" -gt 0 ] && ok "s3 prefills failed under 100% failure" ||
	bad "s3: no prefill failed under 100% failure"
ctl "workload stop s3"
expect "s3 broken" "$(val $D/workload/s3/stats broken)" 0
expect "s3 holds nothing" "$(val $D/workload/s3/stats held)" 0
expect "s3 sheaves hold nothing" "$(val $D/workload/s3/stats in_sheaves)" 0
ctl "workload destroy s3"
echo 0 > $S/probability
expect "sc2 active objects" "$(val $D/slab/sc2/stats active_objs)" 0
ctl "cache destroy sc"
ctl "cache destroy sc2"
ctl "zone destroy s"

# rmmod completes with a workload asleep in a pool wait.
ctl "workload start w2 pool=p ops=10 slots=1"
wait_waits p 2
now_cs; t0=$cs
unload_all
now_cs; took=$((cs - t0))
[ "$took" -le 500 ] && ok "rmmod with a workload waiting took ${took}0 ms" ||
	bad "rmmod with a workload waiting took ${took}0 ms, over 5 s"
kmemleak_check
