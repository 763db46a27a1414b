# SPDX-License-Identifier: GPL-2.0
# Scenario "faults": every allocation mm_ext makes for a shell command is
# made to fail in turn. /proc/self/fail-nth fails the Nth fault-injectable
# call of this shell (failslab, fail_page_alloc and mm_ext's own per-CPU
# site); N runs from 1 until the command no longer reaches the fault. Each
# failure must be a clean "Cannot allocate memory" with nothing left behind;
# at the end kmemleak must find nothing and the default zone must be whole.
C=$D/control
NTH=/proc/self/fail-nth

kmemleak_baseline
for f in failslab fail_page_alloc; do
	echo 0 > /sys/kernel/debug/$f/verbose		# failures expected: no dumps
	echo N > /sys/kernel/debug/$f/ignore-gfp-wait	# GFP_KERNEL fails too
done
echo N > /sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem
echo 0 > /sys/kernel/debug/fail_page_alloc/min-order
load_mm_ext

# The control file and the error log stay open: a redirection's open()
# allocates too, and would take the fault before mm_ext sees the command.
exec 5> $C
exec 6>> /tmp/errs

# sweep WHAT CMD UNDO [check]: fail each allocation CMD makes, in turn.
sweep() {
	n=1 failed=0
	while [ $n -le 400 ]; do
		echo $n > $NTH
		if echo "$2" >&5 2>&6; then
			# Not failed: either the fault was never reached (then the
			# counter is left over: stop), or it hit a step whose failure
			# is tolerated (a debugfs node). Reading may itself consume it.
			left=0
			read left < $NTH 2>/dev/null || left=0
			echo 0 > $NTH 2>/dev/null
			echo "$3" > $C 2>/tmp/err2 || bad "$1: undo after success: $(cat /tmp/err2)"
			[ "${left:-0}" -gt 0 ] && break
		else
			echo 0 > $NTH 2>/dev/null
			err=$(tail -n 1 /tmp/errs)
			case "$err" in
			*"Cannot allocate memory"*) failed=$((failed + 1)) ;;
			*) bad "$1: fault $n gave \"$err\", wanted Cannot allocate memory" ;;
			esac
			# Nothing may be left: the undo must find nothing to undo.
			if [ -n "$4" ] && echo "$3" > $C 2>/dev/null; then
				bad "$1: fault $n left an object behind"
			fi
		fi
		n=$((n + 1))
	done
	if [ $n -gt 400 ]; then
		bad "$1: still reaching faults after 400 of them"
	elif [ $failed -gt 0 ]; then
		ok "$1: $((n - 1)) allocations failed in turn, $failed refused cleanly with ENOMEM"
	else
		bad "$1: no fault made it fail"
	fi
	echo "MM_EXT_FAULTS $1 $((n - 1)) $failed"
}

sweep "zone create" "zone create fz 1024" "zone destroy fz" check
ctl "zone create fz 1024"
sweep "cache create" "cache create fc 128 zone=fz" "cache destroy fc" check
sweep "debug cache create" "cache create fd 64 zone=fz flags=poison,red_zone,store_user" \
	"cache destroy fd" check
ctl "cache create fc 128 zone=fz"
sweep "slab pool create" "pool create fp 8 slab=fc" "pool destroy fp" check
sweep "page pool create" "pool create fq 4 page=fz order=1" "pool destroy fq" check
sweep "kmalloc pool create" "pool create fk 4 kmalloc=600" "pool destroy fk" check
ctl "pool create fp 2 slab=fc"
sweep "pool resize" "pool resize fp 64" "pool resize fp 2"
sweep "workload start" "workload start fw cache=fc ops=100" "workload destroy fw" check
sweep "fragment start" "workload start ff fragment=fz slots=64" "workload destroy ff" check

exec 5>&- 6>&-	# an open control file holds the module

# Whatever failed on the way, the state is consistent: it all comes apart.
ctl "pool destroy fp"
ctl "cache destroy fc"
ctl "zone destroy fz"
expect "zones left" "$(ls $D/buddy)" "default"
expect "pools left" "$(ls $D/mempool)" ""
for c in $(ls $D/slab); do echo "cache shrink $c" > $C; done
ctl "zone drain default"
expect "default zone whole" "$(val $D/buddy/default/stats nr_free_pages)" \
	"$(val $D/buddy/default/stats nr_pages)"
unload_all
kmemleak_check
