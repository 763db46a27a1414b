# SPDX-License-Identifier: GPL-2.0
# Scenario "fuzz": thousands of seeded inputs, from the command grammar, from
# boundary numbers, over-long and binary (NUL included), written to every
# writable debugfs file. Each write is accepted or refused with an errno;
# afterwards the kernel is healthy, every stats file still parses, rmmod
# succeeds and kmemleak finds nothing. MM_EXT_FUZZ_SEED and _COUNT set it.
SEED=${MM_EXT_FUZZ_SEED:-2026}
COUNT=${MM_EXT_FUZZ_COUNT:-3000}

kmemleak_baseline
load_mm_ext
echo "zone create fz1 1024" > $D/control
echo "cache create fc1 64 zone=fz1 flags=poison,red_zone,store_user" > $D/control

# One input a line: "<pick> <t|b> <payload>"; b payloads are printf escapes.
awk -v seed=$SEED -v n=$COUNT 'BEGIN {
	srand(seed)
	split("zone cache pool workload create destroy drain shrink misuse resize " \
	      "start stop fz1 fz2 fc1 fc2 fp1 fw1 default kmalloc-64 kmalloc-8192 " \
	      "0 1 2 3 7 16 64 100 1024 4096 -1 -0 0x10 010 1e3 4294967296 " \
	      "18446744073709551615 99999999999999999999 slab=fc1 page=fz1 page=fz2 " \
	      "kmalloc=64 kmalloc=0 order=0 order=3 order=11 zone=fz1 zone=nope " \
	      "flags=poison flags=red_zone,store_user flags=bogus flags= align=0 " \
	      "align=3 align=64 align=4096 ops=100 ops=0 seed=5 slots=0 slots=8 " \
	      "max_order=11 delay_us=5 fragment=fz2 cache=fc1 pool=fp1 zone=fz2 " \
	      "double_free interior foreign red_zone write_after_free auto off " \
	      "a/b x= =x ==== . .. 4294967295 2147483648 18446744073709551617 " \
	      "-2147483649", w, " ")
	nw = length(w)
	for (i = 0; i < n; i++) {
		pick = int(rand() * 1000)
		r = rand()
		if (r < 0.55) {			# from the grammar
			k = 1 + int(rand() * 8); s = ""
			for (j = 0; j < k; j++)
				s = s (j ? " " : "") w[1 + int(rand() * nw)]
			if (rand() < 0.3)	# a real command now and then
				s = w[1 + int(rand() * 4)] " create f" (rand() < 0.5 ? "z" : "c") \
				    (1 + int(rand() * 2)) " " w[23 + int(rand() * 10)]
			print pick, "t", s
		} else if (r < 0.75) {		# boundary numbers and triples for the knobs
			print pick, "t", w[23 + int(rand() * 14)] (rand() < 0.3 ? " " w[23 + int(rand() * 14)] " " w[23 + int(rand() * 14)] : "")
		} else if (r < 0.85) {		# over-long
			k = 60 + int(rand() * 300); s = ""
			for (j = 0; j < k; j++)
				s = s sprintf("%c", 97 + int(rand() * 26))
			print pick, "t", s
		} else {			# binary, NUL and control bytes included
			k = 1 + int(rand() * 40); s = ""
			for (j = 0; j < k; j++)
				s = s sprintf("\\\\%03o", int(rand() * 256))
			print pick, "b", s
		}
	}
}' > /tmp/fuzz.in
echo "MM_EXT_SAY: $(wc -l < /tmp/fuzz.in) inputs from seed $SEED"

accepted=0 refused=0 i=0
# Builtins only in the loop: a fork per write is slow under emulation.
while read -r pick kind payload; do
	if [ $((i % 100)) -eq 0 ]; then
		set -- $(find $D -type f -perm -200 2>/dev/null)
	fi
	i=$((i + 1))
	eval "target=\${$((pick % $# + 1))}"
	[ -e "$target" ] || continue
	if [ "$kind" = b ]; then
		printf "$payload" > "$target" 2>/dev/null
	else
		echo -n "$payload" > "$target" 2>/dev/null
	fi && accepted=$((accepted + 1)) || refused=$((refused + 1))
done < /tmp/fuzz.in
ok "fuzz: $i writes, $accepted accepted, $refused refused with an errno"
echo "MM_EXT_FUZZ writes=$i accepted=$accepted refused=$refused"

# The state is consistent: every stats file parses, the module unloads.
bad_lines=$(find $D -name stats -exec cat {} + | grep -vE '^[a-z_0-9]+ ([0-9]+|-1|0x[0-9a-f]+|[a-z0-9_-]+)$' | head -n 3)
expect "stats lines that do not parse" "$bad_lines" ""
expect "buddyinfo lines that do not parse" \
	"$(cat $D/buddy/*/buddyinfo | grep -cvE '^Node 0, zone +[^ ]+( +[0-9]+){11} $')" 0
for w in $(ls $D/workload); do echo "workload stop $w" > $D/control; done
for z in $(ls $D/buddy); do
	expect "zone $z counts add up" \
		"$(awk '/^nr_free_pages/ { f = $2 } /^nr_pages/ { p = $2 } END { print (f <= p) }' $D/buddy/$z/stats)" 1
done
unload_all
kmemleak_check
