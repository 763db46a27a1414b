# SPDX-License-Identifier: GPL-2.0
# Scenario "trace" (issue 16): with every mm_ext trace event on, seeded
# workloads on a zone, two caches (one a debug cache, misused on purpose),
# three pools (slab, kmalloc, and a page pool made to wait) and injected
# failures; then each event's count must equal the stats counter it
# mirrors, exactly (README.md, "Tracing"). Then a hist trigger
# (hist:keys=order) on mm_ext_page_alloc, whose hits must equal the
# zones' allocs, and trace-cmd (Debian's, packed by trace.bins with its
# libraries) listing the events and showing the same event.
C=$D/control
T=/sys/kernel/tracing
TC="/bin/ld-linux-x86-64.so.2 --library-path /bin /bin/trace-cmd"

# n PATTERN: how many lines of the recorded trace (/tmp/tr) match.
n() { grep -c -e "$1" /tmp/tr; }

# same WHAT EVENT-PATTERN COUNTER: the count of the event equals the counter.
same() { expect "$1: events = counter" "$(n "$2")" "$3"; }

mount -t tracefs nodev $T || fail "cannot mount tracefs"
[ -d $T/events ] || fail "no $T/events: is the kernel built with FTRACE?"
kmemleak_baseline
load_mm_ext
[ -d $T/events/mm_ext ] && ok "the mm_ext events are in tracefs" || bad "no $T/events/mm_ext"
for e in page_alloc page_free page_split page_merge inject_fail pcp_refill pcp_flush \
	 cpu_refill cpu_flush cache_alloc cache_free kmalloc kfree slab_grow slab_shrink \
	 pool_alloc pool_free pool_wait pool_wake misuse; do
	[ -f $T/events/mm_ext/mm_ext_$e/format ] || bad "no event mm_ext_$e"
done
say "format of mm_ext_page_alloc"
cat $T/events/mm_ext/mm_ext_page_alloc/format

# kmalloc-128 exists since load: its counters are compared as differences.
k_allocs=$(val $D/slab/kmalloc-128/stats allocs)
k_frees=$(val $D/slab/kmalloc-128/stats frees)
k_size=$(val $D/slab/kmalloc-128/stats size)

echo 0 > $T/tracing_on
echo 8192 > $T/buffer_size_kb
echo > $T/trace
echo 1 > $T/events/mm_ext/enable
echo 1 > $T/tracing_on

# Everything below is made with the events on: its counters start at 0.
ctl "zone create tz 2048"
ctl "cache create tc 200 zone=tz"
ctl "cache create td 100 zone=tz flags=poison,red_zone,store_user"
ctl "cache create tpc 200 zone=tz"
ctl "pool create tp 8 slab=tpc"
ctl "pool create tk 4 kmalloc=100"
ctl "zone create wz 16"
ctl "pool create tq 2 page=wz"
ctl "pool create tw 0 page=wz"

ctl "workload start w1 zone=tz ops=1000 seed=16 max_order=4"
wait_state w1 done
ctl "workload start w2 cache=tc ops=1000 seed=17 slots=40"
wait_state w2 done
ctl "workload start w3 cache=td ops=500 seed=18 slots=20"
wait_state w3 done
# Every tz allocation fails: tpc makes no new slab, so once the objects of
# the one slab tp's reserve was filled from are out, the reserve serves.
echo 100 > $D/buddy/tz/fail/probability && echo -1 > $D/buddy/tz/fail/times &&
	ok "tz fails every allocation"
ctl "workload start w4 pool=tp ops=1000 seed=19 slots=30"
wait_state w4 done
echo 0 > $D/buddy/tz/fail/probability && ok "tz injection off"
ctl "workload start w5 pool=tk ops=600 seed=20 slots=10"
wait_state w5 done
# Every wz allocation fails: two bulk workloads on tq's reserve of 2, each
# taking all of it at once, wait for each other's frees (as scenario
# poolwait's); one on tw, whose reserve is empty, waits until stopped.
echo 100 > $D/buddy/wz/fail/probability && echo -1 > $D/buddy/wz/fail/times &&
	ok "wz fails every allocation"
ctl "workload start a pool=tq ops=1000 bulk=2"
ctl "workload start b pool=tq ops=1000 bulk=2"
wait_state a done
wait_state b done
ctl "workload start c pool=tw ops=10 slots=1"
i=0
while [ "$(val $D/mempool/tw/stats waits)" -lt 1 ] && [ $i -lt 100 ]; do
	usleep 100000
	i=$((i + 1))
done
ctl "workload stop c"
echo 0 > $D/buddy/wz/fail/probability && ok "wz injection off"
for w in w1 w2 w3 w4 w5 a b c; do
	ctl "workload destroy $w"
done
# Misuse of td, unused now: each report is counted in its errors.
for m in double_free interior foreign red_zone write_after_free; do
	ctl "cache misuse td $m"
done
ctl "cache shrink tc"

echo 0 > $T/tracing_on
echo 0 > $T/events/mm_ext/enable
lost=0
for s in $T/per_cpu/cpu*/stats; do
	v=$(val $s "overrun:")
	lost=$((lost + ${v:-0}))
done
expect "events lost (ring buffer overrun)" $lost 0
cat $T/trace > /tmp/tr
say "$(grep -c mm_ext_ /tmp/tr) events recorded; a few:"
grep -m 3 mm_ext_page_alloc /tmp/tr
grep -m 3 mm_ext_cache_alloc /tmp/tr
grep -m 2 mm_ext_pool_wait /tmp/tr
grep mm_ext_misuse /tmp/tr

# Each event against the counter it mirrors, per object.
for z in tz wz; do
	s=$D/buddy/$z/stats
	same "zone $z allocs" "mm_ext_page_alloc: zone=$z " "$(val $s allocs)"
	same "zone $z frees" "mm_ext_page_free: zone=$z " "$(val $s frees)"
	same "zone $z splits" "mm_ext_page_split: zone=$z " "$(val $s splits)"
	same "zone $z merges" "mm_ext_page_merge: zone=$z " "$(val $s merges)"
	same "zone $z injected_failures" "mm_ext_inject_fail: zone=$z " \
		"$(val $s injected_failures)"
	same "zone $z errors" "mm_ext_misuse: layer=zone object=$z " "$(val $s errors)"
done
for c in tc td tpc; do
	s=$D/slab/$c/stats
	same "cache $c allocs" "mm_ext_cache_alloc: cache=$c " "$(val $s allocs)"
	same "cache $c frees" "mm_ext_cache_free: cache=$c " "$(val $s frees)"
	same "cache $c errors" "mm_ext_misuse: layer=cache object=$c " "$(val $s errors)"
	st=$(val $s nr_full) sp=$(val $s nr_partial) se=$(val $s nr_empty)
	expect "cache $c slabs: grows - shrinks" \
		$(($(n "mm_ext_slab_grow: cache=$c ") - $(n "mm_ext_slab_shrink: cache=$c "))) \
		$((st + sp + se))
done
s=$D/slab/kmalloc-128/stats
same "kmalloc-128 allocs" "mm_ext_kmalloc: .* bytes_alloc=$k_size " \
	$(($(val $s allocs) - k_allocs))
same "kmalloc-128 frees" "mm_ext_kfree: .* bytes_alloc=$k_size\$" $(($(val $s frees) - k_frees))
for p in tp tk tq tw; do
	s=$D/mempool/$p/stats
	same "pool $p allocs" "mm_ext_pool_alloc: pool=$p " "$(val $s allocs)"
	same "pool $p reserve_allocs" "mm_ext_pool_alloc: pool=$p .* from_reserve=1" \
		"$(val $s reserve_allocs)"
	same "pool $p frees" "mm_ext_pool_free: pool=$p " "$(val $s frees)"
	same "pool $p refills" "mm_ext_pool_free: pool=$p .* to_reserve=1" "$(val $s refills)"
	same "pool $p waits" "mm_ext_pool_wait: pool=$p\$" "$(val $s waits)"
	same "pool $p errors" "mm_ext_misuse: layer=pool object=$p " "$(val $s errors)"
done
# The workloads did what the comparisons need: none of them is vacuous.
for what in "mm_ext_page_split: zone=tz " "mm_ext_page_merge: zone=tz " \
	    "mm_ext_inject_fail: zone=tz " "mm_ext_inject_fail: zone=wz " \
	    "pool=tp .* from_reserve=1" "pool=tp .* to_reserve=1" "mm_ext_pool_wait: pool=tw" \
	    "mm_ext_misuse: layer=cache object=td " "mm_ext_slab_shrink: cache=tc " \
	    "mm_ext_pcp_refill: name=tz " "mm_ext_cpu_refill: name=tc " \
	    "mm_ext_cpu_flush: name=tc "; do
	[ "$(n "$what")" -gt 0 ] && ok "seen: $what" || bad "no event matches: $what"
done
# A wait on tq ends when the other workload's free refills the reserve.
if [ "$(n 'mm_ext_pool_wait: pool=tq$')" -gt 0 ]; then
	[ "$(n 'mm_ext_pool_wake: pool=tq$')" -gt 0 ] && ok "tq: waits, and frees that wake them" ||
		bad "tq: waits but no mm_ext_pool_wake"
else
	say "tq: no bulk call had to wait this time"
fi
expect "td misuse kinds" \
	"$(n 'kind=double_free') $(n 'kind=bad_pointer') $(n 'kind=red_zone') $(n 'kind=poison')" \
	"1 2 1 1"

# A hist trigger keyed on the order: its hits are every zone's allocs.
ctl "zone create hz 1024"
zones=$(ls $D/buddy)
before=0
for z in $zones; do before=$((before + $(val $D/buddy/$z/stats allocs))); done
echo > $T/trace
echo 'hist:keys=order' > $T/events/mm_ext/mm_ext_page_alloc/trigger
echo 1 > $T/events/mm_ext/mm_ext_page_alloc/enable
echo 1 > $T/tracing_on
ctl "workload start wh zone=hz ops=1000 seed=21 max_order=4"
wait_state wh done
echo 0 > $T/tracing_on
after=0
for z in $zones; do after=$((after + $(val $D/buddy/$z/stats allocs))); done
say "cat $T/events/mm_ext/mm_ext_page_alloc/hist"
cat $T/events/mm_ext/mm_ext_page_alloc/hist | tee /tmp/hist
hits=$(sed -n 's/^ *Hits: *//p' /tmp/hist)
expect "hist:keys=order hits = the zones' allocs" "$hits" $((after - before))
orders=$(grep -c '^{ order: ' /tmp/hist)
[ "$orders" -ge 4 ] && ok "hist has $orders orders" || bad "hist has $orders orders, wanted >= 4"
echo '!hist:keys=order' > $T/events/mm_ext/mm_ext_page_alloc/trigger
echo 0 > $T/events/mm_ext/mm_ext_page_alloc/enable
ctl "workload destroy wh"

# trace-cmd reads the same events: its read-only commands only. (record,
# extract and reset also reset the function tracer, whose code patching
# under TCG on the debug kernel outlasts the scenario; on hardware they
# work as for any event.) Each step bounded: a hang fails, never stalls.
tc() {
	if timeout 120 $TC "$@" > /tmp/tc.out 2>&1; then
		ok "trace-cmd $* ran"
	else
		bad "trace-cmd $*: $(tail -n 3 /tmp/tc.out)"
	fi
}
# (--version ends with status 255 after its usage: only its first line is shown.)
say "$(timeout 60 $TC --version 2>&1 | grep -m 1 version)"
tc list -e mm_ext
expect "trace-cmd list -e mm_ext: the events" "$(grep -c '^mm_ext:mm_ext_' /tmp/tc.out)" 20
echo > $T/trace
before=$(val $D/buddy/hz/stats allocs)
echo 1 > $T/events/mm_ext/mm_ext_page_alloc/enable
echo 1 > $T/tracing_on
ctl "workload start wt zone=hz ops=500 seed=22 max_order=3"
wait_state wt done
echo 0 > $T/tracing_on
echo 0 > $T/events/mm_ext/mm_ext_page_alloc/enable
after=$(val $D/buddy/hz/stats allocs)
tc stat
cat /tmp/tc.out
tc show
cp /tmp/tc.out /tmp/tcr
say "trace-cmd show (first lines)"
head -n 8 /tmp/tcr
expect "trace-cmd show: mm_ext_page_alloc of hz = its allocs" \
	"$(grep -c 'mm_ext_page_alloc: *zone=hz ' /tmp/tcr)" $((after - before))
grep -q 'mm_ext_page_alloc: *zone=hz pfn=[0-9]* order=[0-9] gfp_flags=' /tmp/tcr &&
	ok "trace-cmd prints the fields by name" || bad "trace-cmd's lines lack the fields"
ctl "workload destroy wt"

unload_all
kmemleak_check
