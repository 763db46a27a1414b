# SPDX-License-Identifier: GPL-2.0
# Scenario "demo": load mm_ext and show what it exposes.
show() {
	echo
	echo "### $1"
	echo "\$ cat $2"
	cat "$2"
}

load_mm_ext
say "mm_ext is loaded; everything it shows lives under $D"
echo "\$ find $D"
find $D
Z=$D/buddy/default
show "The default zone's free blocks per order 0..10, as /proc/buddyinfo prints them" $Z/buddyinfo
show "Its counters" $Z/stats
echo
echo "### The page map, one character a page ('k' = head of a free order-10 block, '.' = free)"
echo "\$ head -n 3 $Z/pagemap"
head -n 3 $Z/pagemap
say "Watermarks derived from the zone size, as mm/page_alloc.c derives them from min_free_kbytes"
echo auto > $Z/watermarks
show "Watermarks" $Z/watermarks
show "Fragmentation: unusable free space index per order (0 = all free memory usable)" $Z/unusable_index
show "External fragmentation index per order (-1.000 = the allocation would succeed)" $Z/extfrag_index
show "The kmalloc size classes, in /proc/slabinfo's format" $D/slabinfo
show "One cache's counters" $D/slab/kmalloc-64/stats
unload_all
