// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "buddy_sim": the simulated zone, through its public API only.
 *
 * Misuse tests assert the zone's errors counter (one count per report) and
 * that the zone is unchanged and still works afterwards.
 */

#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <mm_ext/buddy_sim.h>
#include "mm_ext_test.h"

/*
 * The zone's first page, found from outside: exhaust it at order 0, take
 * the lowest address, give everything back.
 */
static unsigned long zone_base(struct kunit *test, struct buddy_sim *zone,
			       unsigned long nr_pages)
{
	void **pages = kunit_kcalloc(test, nr_pages, sizeof(void *), GFP_KERNEL);
	unsigned long i, base = ULONG_MAX;

	KUNIT_ASSERT_NOT_NULL(test, pages);
	for (i = 0; i < nr_pages; i++) {
		pages[i] = buddy_sim_alloc(zone, GFP_KERNEL, 0);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
		base = min_t(unsigned long, base, (unsigned long)pages[i]);
	}
	KUNIT_EXPECT_NULL(test, buddy_sim_alloc(zone, GFP_KERNEL, 0));
	for (i = 0; i < nr_pages; i++)
		buddy_sim_free(zone, pages[i], 0);
	return base;
}

/* What carving @n pages largest-first gives: n >> 10 order-10 blocks, then n's bits. */
static void expected_carving(unsigned long n, unsigned long *nr_free)
{
	unsigned int o;

	for (o = 0; o < BUDDY_SIM_MAX_ORDER; o++)
		nr_free[o] = (n >> o) & 1;
	nr_free[BUDDY_SIM_MAX_ORDER] = n >> BUDDY_SIM_MAX_ORDER;
}

/* The free lists after a drain: per-CPU pages merged back in. */
static void expect_nr_free(struct kunit *test, struct buddy_sim *zone,
			   const unsigned long *want)
{
	struct buddy_sim_info info;
	unsigned int o;

	buddy_sim_drain(zone);
	buddy_sim_info(zone, &info);
	KUNIT_EXPECT_EQ(test, info.nr_pcp, 0UL);
	for (o = 0; o <= BUDDY_SIM_MAX_ORDER; o++)
		KUNIT_EXPECT_EQ_MSG(test, info.nr_free[o], want[o], "order %u", o);
}

static void buddy_sim_test_bad_create(struct kunit *test)
{
	struct buddy_sim *zone;

	KUNIT_EXPECT_EQ(test, PTR_ERR(buddy_sim_create("bs_zero", 0)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(buddy_sim_create("", 16)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(buddy_sim_create(NULL, 16)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(buddy_sim_create("a/b", 16)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(buddy_sim_create("a b", 16)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(buddy_sim_create("tab\tname", 16)), -EINVAL);
	/* 32 characters: one too many. */
	KUNIT_EXPECT_EQ(test, PTR_ERR(buddy_sim_create("abcdefghijklmnopqrstuvwxyz012345", 16)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(buddy_sim_create("bs_absurd", ULONG_MAX >> PAGE_SHIFT)),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test, PTR_ERR(buddy_sim_create("bs_absurd", totalram_pages() + 1)),
			-ENOMEM);

	/* 31 characters is fine, and the name is then taken. */
	zone = test_zone(test, "abcdefghijklmnopqrstuvwxyz01234", 16);
	KUNIT_EXPECT_EQ(test, PTR_ERR(buddy_sim_create("abcdefghijklmnopqrstuvwxyz01234", 16)),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, PTR_ERR(buddy_sim_create("default", 16)), -EEXIST);
	KUNIT_EXPECT_PTR_NE(test, zone, buddy_sim_default());
}

/* mm_ext's parameter @name, as /sys/module shows it, or 0 if unreadable. */
static unsigned long mm_ext_param(struct kunit *test, const char *name)
{
	char path[64], buf[24] = { };
	unsigned long val = 0;
	struct file *f;
	loff_t pos = 0;
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/module/mm_ext/parameters/%s", name);
	f = filp_open(path, O_RDONLY, 0);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(f), "%s: %ld", path, PTR_ERR(f));
	n = kernel_read(f, buf, sizeof(buf) - 1, &pos);
	filp_close(f, NULL);
	KUNIT_ASSERT_GT_MSG(test, n, 0L, "%s", path);
	KUNIT_ASSERT_EQ_MSG(test, kstrtoul(strim(buf), 10, &val), 0, "%s: \"%s\"", path, buf);
	return val;
}

/*
 * The zone made at load is there, sized by the default_pages parameter,
 * owns the name "default" and hands out and takes back a page.
 */
static void buddy_sim_test_default_zone(struct kunit *test)
{
	struct buddy_sim *zone = buddy_sim_default();
	struct buddy_sim_info before, after;
	void *p;

	KUNIT_ASSERT_NOT_NULL(test, zone);
	KUNIT_EXPECT_PTR_EQ(test, buddy_sim_default(), zone);
	KUNIT_EXPECT_EQ(test, PTR_ERR(buddy_sim_create("default", 16)), -EEXIST);
	buddy_sim_info(zone, &before);
	/* Built in (kunit.py), the suites run before anything mounts /sys. */
	if (!IS_BUILTIN(CONFIG_MM_EXT_KUNIT_TEST))
		KUNIT_EXPECT_EQ(test, before.nr_pages, mm_ext_param(test, "default_pages"));
	p = buddy_sim_alloc(zone, GFP_KERNEL, 0);
	KUNIT_ASSERT_NOT_NULL(test, p);
	buddy_sim_free(zone, p, 0);
	buddy_sim_info(zone, &after);
	KUNIT_EXPECT_EQ(test, after.allocs, before.allocs + 1);
	KUNIT_EXPECT_EQ(test, after.frees, before.frees + 1);
	KUNIT_EXPECT_EQ(test, after.errors, before.errors);
}

static const unsigned int orders[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };

static void order_desc(const unsigned int *o, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "order %u", *o);
}

KUNIT_ARRAY_PARAM(orders, orders, order_desc);

/* Every block of an order, allocated to exhaustion: counts and alignment. */
static void buddy_sim_test_every_block(struct kunit *test)
{
	const unsigned int order = *(const unsigned int *)test->param_value;
	const unsigned long nr = 2048, n = nr >> order;
	unsigned long want[BUDDY_SIM_MAX_ORDER + 1], base, i;
	struct buddy_sim *zone = test_zone(test, "bs_every", nr);
	unsigned long *seen = kunit_kcalloc(test, BITS_TO_LONGS(n), sizeof(long),
					    GFP_KERNEL);
	void **blocks = kunit_kcalloc(test, n, sizeof(void *), GFP_KERNEL);
	struct buddy_sim_info info;

	KUNIT_ASSERT_NOT_NULL(test, seen);
	KUNIT_ASSERT_NOT_NULL(test, blocks);
	base = zone_base(test, zone, nr);
	for (i = 0; i < n; i++) {
		unsigned long off, idx;

		blocks[i] = buddy_sim_alloc(zone, GFP_KERNEL, order);
		KUNIT_ASSERT_NOT_NULL(test, blocks[i]);
		off = (unsigned long)blocks[i] - base;
		KUNIT_ASSERT_EQ_MSG(test, off % (PAGE_SIZE << order), 0UL,
				    "block %lu misaligned", i);
		idx = off / (PAGE_SIZE << order);
		KUNIT_ASSERT_LT(test, idx, n);
		KUNIT_ASSERT_FALSE_MSG(test, test_and_set_bit(idx, seen),
				       "block %lu handed out twice", idx);
		/* The memory is real and writable, end to end. */
		memset(blocks[i], 0x5a, PAGE_SIZE << order);
	}
	KUNIT_EXPECT_NULL(test, buddy_sim_alloc(zone, GFP_KERNEL, order));
	buddy_sim_info(zone, &info);
	KUNIT_EXPECT_EQ(test, info.nr_free_pages, 0UL);
	for (i = 0; i < n; i++)
		buddy_sim_free(zone, blocks[i], order);
	expected_carving(nr, want);
	expect_nr_free(test, zone, want);
	buddy_sim_info(zone, &info);
	KUNIT_EXPECT_EQ(test, info.errors, 0ULL);
}

static void buddy_sim_test_zero(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "bs_zero", 64);
	unsigned char *p = buddy_sim_alloc(zone, GFP_KERNEL, 3);
	size_t i;

	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, 0xff, PAGE_SIZE << 3);
	buddy_sim_free(zone, p, 3);
	p = buddy_sim_alloc(zone, GFP_KERNEL | __GFP_ZERO, 3);
	KUNIT_ASSERT_NOT_NULL(test, p);
	for (i = 0; i < (PAGE_SIZE << 3); i++)
		KUNIT_ASSERT_EQ_MSG(test, p[i], 0, "byte %zu", i);
	buddy_sim_free(zone, p, 3);
	KUNIT_EXPECT_NULL(test, buddy_sim_alloc(zone, GFP_KERNEL, BUDDY_SIM_MAX_ORDER + 1));
}

static const unsigned long odd_sizes[] = { 1, 3, 1000, 1025, 3071 };

static void size_desc(const unsigned long *n, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%lu pages", *n);
}

KUNIT_ARRAY_PARAM(odd_sizes, odd_sizes, size_desc);

/*
 * Odd sizes carve into the right blocks, give every page exactly once, and
 * split then coalesce back to exactly the creation-time free lists.
 */
static void buddy_sim_test_split_coalesce(struct kunit *test)
{
	const unsigned long nr = *(const unsigned long *)test->param_value;
	unsigned long want[BUDDY_SIM_MAX_ORDER + 1], base, i;
	struct buddy_sim *zone = test_zone(test, "bs_odd", nr);
	void **pages = kunit_kcalloc(test, nr, sizeof(void *), GFP_KERNEL);
	struct rnd_state rnd;
	struct buddy_sim_info info;

	KUNIT_ASSERT_NOT_NULL(test, pages);
	expected_carving(nr, want);
	expect_nr_free(test, zone, want);
	buddy_sim_info(zone, &info);
	KUNIT_EXPECT_EQ(test, info.nr_pages, nr);
	KUNIT_EXPECT_EQ(test, info.nr_free_pages, nr);

	base = zone_base(test, zone, nr);
	for (i = 0; i < nr; i++) {
		pages[i] = buddy_sim_alloc(zone, GFP_KERNEL, 0);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
		KUNIT_ASSERT_LT(test, (unsigned long)pages[i] - base, nr << PAGE_SHIFT);
	}
	KUNIT_EXPECT_NULL(test, buddy_sim_alloc(zone, GFP_KERNEL, 0));

	/* Free in a shuffled order so merges happen in every pattern. */
	prandom_seed_state(&rnd, 1234);
	for (i = nr - 1; i > 0; i--) {
		unsigned long j = prandom_u32_state(&rnd) % (i + 1);

		swap(pages[i], pages[j]);
	}
	for (i = 0; i < nr; i++)
		buddy_sim_free(zone, pages[i], 0);
	expect_nr_free(test, zone, want);
	buddy_sim_info(zone, &info);
	KUNIT_EXPECT_EQ(test, info.nr_free_pages, nr);
	/* Same start and end state (after the drain): every split undone by a merge. */
	KUNIT_EXPECT_EQ(test, info.splits, info.merges);
	KUNIT_EXPECT_EQ(test, info.allocs, info.frees);
	KUNIT_EXPECT_EQ(test, info.errors, 0ULL);
}

static void buddy_sim_test_exhaustion(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "bs_exhaust", 4096);
	void *blocks[4], *p;
	struct buddy_sim_info info;
	int i;

	/* Counting splits and merges one by one: no per-CPU lists. */
	KUNIT_ASSERT_EQ(test, buddy_sim_set_pcp(zone, 0), 0);
	for (i = 0; i < 4; i++) {
		blocks[i] = buddy_sim_alloc(zone, GFP_KERNEL, BUDDY_SIM_MAX_ORDER);
		KUNIT_ASSERT_NOT_NULL(test, blocks[i]);
	}
	KUNIT_EXPECT_NULL(test, buddy_sim_alloc(zone, GFP_KERNEL, BUDDY_SIM_MAX_ORDER));
	KUNIT_EXPECT_NULL(test, buddy_sim_alloc(zone, GFP_ATOMIC, 0));
	buddy_sim_info(zone, &info);
	KUNIT_EXPECT_EQ(test, info.failures, 2ULL);
	KUNIT_EXPECT_EQ(test, info.nr_free_pages, 0UL);

	/* One block back, and the zone serves again, down to order 0. */
	buddy_sim_free(zone, blocks[2], BUDDY_SIM_MAX_ORDER);
	p = buddy_sim_alloc(zone, GFP_KERNEL, 0);
	KUNIT_EXPECT_PTR_EQ(test, p, blocks[2]);
	buddy_sim_info(zone, &info);
	KUNIT_EXPECT_EQ(test, info.splits, (u64)BUDDY_SIM_MAX_ORDER);
	buddy_sim_free(zone, p, 0);
	buddy_sim_info(zone, &info);
	KUNIT_EXPECT_EQ(test, info.merges, (u64)BUDDY_SIM_MAX_ORDER);
	KUNIT_EXPECT_EQ(test, info.nr_free[BUDDY_SIM_MAX_ORDER], 1UL);
	for (i = 0; i < 4; i++)
		if (i != 2)
			buddy_sim_free(zone, blocks[i], BUDDY_SIM_MAX_ORDER);
}

/*
 * One bad free: exactly one report and one error counted, nothing else in
 * the zone moved.
 */
static void expect_bad_free(struct kunit *test, struct buddy_sim *zone,
			    void *addr, unsigned int order, atomic_t *reports)
{
	struct buddy_sim_info before, after;
	int reported = atomic_read(reports);

	buddy_sim_info(zone, &before);
	buddy_sim_free(zone, addr, order);
	buddy_sim_info(zone, &after);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), reported + 1);
	KUNIT_EXPECT_EQ(test, after.errors, before.errors + 1);
	KUNIT_EXPECT_EQ(test, after.frees, before.frees);
	KUNIT_EXPECT_EQ(test, after.nr_free_pages, before.nr_free_pages);
	KUNIT_EXPECT_EQ(test, after.merges, before.merges);
	KUNIT_EXPECT_MEMEQ(test, after.nr_free, before.nr_free, sizeof(after.nr_free));
}

static void buddy_sim_test_bad_free(struct kunit *test)
{
	unsigned long want[BUDDY_SIM_MAX_ORDER + 1];
	struct buddy_sim *zone = test_zone(test, "bs_badfree", 64);
	struct buddy_sim *other = test_zone(test, "bs_other", 64);
	char *a = buddy_sim_alloc(zone, GFP_KERNEL, 2);
	char *b = buddy_sim_alloc(zone, GFP_KERNEL, 0);
	char *o = buddy_sim_alloc(other, GFP_KERNEL, 0);
	void *foreign = kunit_kmalloc(test, 64, GFP_KERNEL);
	atomic_t *reports = test_count_reports(test);
	struct buddy_sim_info info;

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_NOT_NULL(test, o);
	KUNIT_ASSERT_NOT_NULL(test, foreign);

	expect_bad_free(test, zone, foreign, 0, reports);		/* outside: kmalloc */
	expect_bad_free(test, zone, o, 0, reports);			/* outside: other zone */
	expect_bad_free(test, zone, a + 1, 2, reports);			/* not page aligned */
	expect_bad_free(test, zone, a + PAGE_SIZE, 2, reports);		/* not block aligned */
	expect_bad_free(test, zone, a + PAGE_SIZE, 0, reports);		/* interior page */
	expect_bad_free(test, zone, a, 1, reports);			/* wrong order */
	expect_bad_free(test, zone, a, 3, reports);			/* wrong order, larger */
	expect_bad_free(test, zone, b, BUDDY_SIM_MAX_ORDER + 1, reports); /* order out of range */
	buddy_sim_free(zone, b, 0);
	expect_bad_free(test, zone, b, 0, reports);			/* double free */
	buddy_sim_free(zone, NULL, 0);				/* no-op, not an error */
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 9);

	buddy_sim_info(zone, &info);
	KUNIT_EXPECT_EQ(test, info.errors, 9ULL);
	buddy_sim_info(other, &info);
	KUNIT_EXPECT_EQ(test, info.errors, 0ULL);

	/* The zone survived: the good block frees, and all coalesces back. */
	buddy_sim_free(zone, a, 2);
	buddy_sim_free(other, o, 0);
	expected_carving(64, want);
	expect_nr_free(test, zone, want);
	expect_nr_free(test, other, want);
}

static void buddy_sim_test_watermarks(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "bs_wmark", 256);
	struct buddy_sim_wmark wm = { .min = 32, .low = 64, .high = 96 }, got;
	void **blocks = kunit_kcalloc(test, 257, sizeof(void *), GFP_KERNEL);
	struct buddy_sim_extra extra;
	int n = 0, i;

	KUNIT_ASSERT_NOT_NULL(test, blocks);
	KUNIT_EXPECT_EQ(test, buddy_sim_set_wmark(zone, &(struct buddy_sim_wmark){ 9, 8, 10 }),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, buddy_sim_set_wmark(zone, &(struct buddy_sim_wmark){ 1, 2, 257 }),
			-EINVAL);
	buddy_sim_get_wmark(zone, &got);
	KUNIT_EXPECT_EQ(test, got.min, 0UL);

	KUNIT_ASSERT_EQ(test, buddy_sim_set_wmark(zone, &wm), 0);
	/* Without __GFP_HIGH, order-0 pages run out exactly at min. */
	while ((blocks[n] = buddy_sim_alloc(zone, GFP_KERNEL, 0)))
		n++;
	KUNIT_EXPECT_EQ(test, n, 256 - 32);
	buddy_sim_get_extra(zone, &extra);
	KUNIT_EXPECT_EQ(test, extra.low_crossed, 1ULL);
	KUNIT_EXPECT_EQ(test, extra.min_crossed, 0ULL);
	KUNIT_EXPECT_EQ(test, extra.wmark_failures, 1ULL);

	/* __GFP_HIGH may take the zone to half of min, and no further. */
	while ((blocks[n] = buddy_sim_alloc(zone, GFP_ATOMIC | __GFP_HIGH, 0)))
		n++;
	KUNIT_EXPECT_EQ(test, n, 256 - 16);
	buddy_sim_get_extra(zone, &extra);
	KUNIT_EXPECT_EQ(test, extra.min_crossed, 1ULL);

	for (i = 0; i < n; i++)
		buddy_sim_free(zone, blocks[i], 0);
	/* Off again: everything can be had. */
	KUNIT_EXPECT_EQ(test, buddy_sim_set_wmark(zone, &(struct buddy_sim_wmark){ 0 }), 0);
	blocks[0] = buddy_sim_alloc(zone, GFP_KERNEL, 8);
	KUNIT_EXPECT_NOT_NULL(test, blocks[0]);
	buddy_sim_free(zone, blocks[0], 8);

	/*
	 * The kernel's derivation, worked by hand from the formula (4 KiB
	 * pages): min = min(clamp(sqrt(KiB * 16), 128, 262144) KiB, pages / 4),
	 * step = max(min / 4, pages / 1000), low = min + step, high = low + step.
	 */
	if (PAGE_SIZE == 4096) {
		static const struct {
			unsigned long pages, min, low, high;
		} want[] = {
			{ 4096, 128, 160, 192 },	/* 16 MiB: sqrt(262144) = 512 KiB */
			{ 1UL << 20, 2048, 3096, 4144 },/* 4 GiB: 8 MiB; step 1048 */
			{ 64, 16, 20, 24 },		/* 128 KiB floor capped at 64 / 4 */
			{ 3, 0, 0, 0 },			/* too small for any watermark */
			{ 1, 0, 0, 0 },
		};

		for (i = 0; i < ARRAY_SIZE(want); i++) {
			unsigned long pages = want[i].pages;

			buddy_sim_auto_wmark(pages, &got);
			KUNIT_EXPECT_EQ_MSG(test, got.min, want[i].min, "%lu pages", pages);
			KUNIT_EXPECT_EQ_MSG(test, got.low, want[i].low, "%lu pages", pages);
			KUNIT_EXPECT_EQ_MSG(test, got.high, want[i].high, "%lu pages", pages);
		}
	} else {
		kunit_skip(test, "watermark figures are worked out for 4 KiB pages");
	}
}

static void buddy_sim_test_fail_injection(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "bs_fail", 1024);
	struct buddy_sim_fail f = { .interval = 3, .times = -1 };
	struct buddy_sim_extra extra;
	struct buddy_sim_info info;
	void *p;
	int i, failed = 0;

	KUNIT_EXPECT_EQ(test, buddy_sim_set_fail(zone, &(struct buddy_sim_fail){
				.probability = 101, .times = -1 }), -EINVAL);
	KUNIT_EXPECT_EQ(test, buddy_sim_set_fail(zone, &(struct buddy_sim_fail){
				.min_order = 11, .times = -1 }), -EINVAL);

	/* Every third allocation fails, and only those. */
	KUNIT_ASSERT_EQ(test, buddy_sim_set_fail(zone, &f), 0);
	for (i = 1; i <= 9; i++) {
		p = buddy_sim_alloc(zone, GFP_KERNEL, 0);
		KUNIT_EXPECT_EQ_MSG(test, !p, i % 3 == 0, "allocation %d", i);
		buddy_sim_free(zone, p, 0);
	}

	/* 100%, but only for orders >= 3 and only twice. */
	f = (struct buddy_sim_fail){ .probability = 100, .min_order = 3, .times = 2 };
	KUNIT_ASSERT_EQ(test, buddy_sim_set_fail(zone, &f), 0);
	p = buddy_sim_alloc(zone, GFP_KERNEL, 2);
	KUNIT_EXPECT_NOT_NULL(test, p);
	buddy_sim_free(zone, p, 2);
	KUNIT_EXPECT_NULL(test, buddy_sim_alloc(zone, GFP_KERNEL, 3));
	KUNIT_EXPECT_NULL(test, buddy_sim_alloc(zone, GFP_KERNEL, 5));
	p = buddy_sim_alloc(zone, GFP_KERNEL, 3);
	KUNIT_EXPECT_NOT_NULL(test, p);
	buddy_sim_free(zone, p, 3);

	/* 50%: about half of 1000 fail, the same ones on every run. */
	f = (struct buddy_sim_fail){ .probability = 50, .times = -1 };
	KUNIT_ASSERT_EQ(test, buddy_sim_set_fail(zone, &f), 0);
	for (i = 0; i < 1000; i++) {
		p = buddy_sim_alloc(zone, GFP_KERNEL, 0);
		failed += !p;
		buddy_sim_free(zone, p, 0);
	}
	KUNIT_EXPECT_GT(test, failed, 400);
	KUNIT_EXPECT_LT(test, failed, 600);

	buddy_sim_get_extra(zone, &extra);
	KUNIT_EXPECT_EQ(test, extra.injected_failures, (u64)(3 + 2 + failed));
	buddy_sim_info(zone, &info);
	KUNIT_EXPECT_EQ(test, info.failures, extra.injected_failures);
	KUNIT_EXPECT_EQ(test, info.nr_free_pages, 1024UL);
}

/* mm/vmstat.c's indices, checked against values worked out by hand. */
static void buddy_sim_test_frag_indices(struct kunit *test)
{
	struct buddy_sim_info info = { 0 };
	struct buddy_sim *zone;
	void *pages[16];
	int i;

	/* No free memory: all unusable; extfrag has no blocks to judge. */
	KUNIT_EXPECT_EQ(test, buddy_sim_unusable_index(&info, 0), 1000);
	KUNIT_EXPECT_EQ(test, buddy_sim_extfrag_index(&info, 3), 0);

	/*
	 * 2 order-0, 1 order-1, 1 order-3 blocks: 12 free pages, 4 blocks.
	 * unusable(2) = (12 - 2 * 4) * 1000 / 12 = 333 (the order-3 block
	 * holds 2 order-2 blocks); unusable(4) = 1000.
	 * extfrag(4) = 1000 - (1000 + 12 * 1000 / 16) / 4 = 1000 - 437 = 563.
	 */
	info.nr_free[0] = 2;
	info.nr_free[1] = 1;
	info.nr_free[3] = 1;
	KUNIT_EXPECT_EQ(test, buddy_sim_unusable_index(&info, 0), 0);
	KUNIT_EXPECT_EQ(test, buddy_sim_unusable_index(&info, 1), 166);
	KUNIT_EXPECT_EQ(test, buddy_sim_unusable_index(&info, 2), 333);
	KUNIT_EXPECT_EQ(test, buddy_sim_unusable_index(&info, 4), 1000);
	KUNIT_EXPECT_EQ(test, buddy_sim_extfrag_index(&info, 3), -1000);
	KUNIT_EXPECT_EQ(test, buddy_sim_extfrag_index(&info, 4), 563);
	KUNIT_EXPECT_EQ(test, buddy_sim_extfrag_index(&info, 10), 748);

	/*
	 * A real zone of 16 pages with every other page allocated: 8 free
	 * order-0 blocks. extfrag(1) = 1000 - (1000 + 4000) / 8 = 375,
	 * extfrag(4) = 1000 - (1000 + 500) / 8 = 813.
	 */
	zone = test_zone(test, "bs_frag", 16);
	for (i = 0; i < 16; i++) {
		pages[i] = buddy_sim_alloc(zone, GFP_KERNEL, 0);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
	}
	for (i = 0; i < 16; i++)
		if (((unsigned long)pages[i] >> PAGE_SHIFT) & 1)
			buddy_sim_free(zone, pages[i], 0);
	buddy_sim_info(zone, &info);
	KUNIT_EXPECT_EQ(test, info.nr_free[0], 8UL);
	KUNIT_EXPECT_EQ(test, buddy_sim_unusable_index(&info, 0), 0);
	KUNIT_EXPECT_EQ(test, buddy_sim_unusable_index(&info, 1), 1000);
	KUNIT_EXPECT_EQ(test, buddy_sim_extfrag_index(&info, 0), -1000);
	KUNIT_EXPECT_EQ(test, buddy_sim_extfrag_index(&info, 1), 375);
	KUNIT_EXPECT_EQ(test, buddy_sim_extfrag_index(&info, 4), 813);
	for (i = 0; i < 16; i++)
		if (!(((unsigned long)pages[i] >> PAGE_SHIFT) & 1))
			buddy_sim_free(zone, pages[i], 0);
	buddy_sim_info(zone, &info);
	KUNIT_EXPECT_EQ(test, info.nr_free[4], 1UL);
	KUNIT_EXPECT_EQ(test, buddy_sim_extfrag_index(&info, 4), -1000);
}

/*
 * The zone against a model: a bitmap of allocated pages. With eager
 * coalescing the free lists are fully determined by that bitmap: the free
 * blocks are the largest aligned runs of free pages whose parent block is
 * not itself wholly free (or does not fit in the zone or the orders).
 */
static void model_nr_free(const unsigned long *used, unsigned long nr,
			  unsigned long *covered, unsigned long *nr_free)
{
	unsigned long s, size;
	int o;

	bitmap_zero(covered, nr);
	for (o = BUDDY_SIM_MAX_ORDER; o >= 0; o--) {
		size = 1UL << o;
		nr_free[o] = 0;
		for (s = 0; s + size <= nr; s += size) {
			if (test_bit(s, covered))
				continue;
			if (find_next_bit(used, s + size, s) < s + size)
				continue;
			nr_free[o]++;
			bitmap_set(covered, s, size);
		}
	}
}

static void buddy_sim_test_random_model(struct kunit *test)
{
	const unsigned long nr = 300;	/* odd: 256 + 32 + 8 + 4 */
	struct buddy_sim *zone = test_zone(test, "bs_model", nr);
	unsigned long *used = kunit_kcalloc(test, BITS_TO_LONGS(nr), sizeof(long), GFP_KERNEL);
	unsigned long *covered = kunit_kcalloc(test, BITS_TO_LONGS(nr), sizeof(long), GFP_KERNEL);
	unsigned long want[BUDDY_SIM_MAX_ORDER + 1], base, allocated = 0;
	struct { void *addr; unsigned int order; } *live;
	struct buddy_sim_info info;
	struct rnd_state rnd;
	int n = 0, step, o;

	live = kunit_kcalloc(test, nr, sizeof(*live), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, used);
	KUNIT_ASSERT_NOT_NULL(test, covered);
	KUNIT_ASSERT_NOT_NULL(test, live);
	base = zone_base(test, zone, nr);
	prandom_seed_state(&rnd, 20261122);

	for (step = 0; step < 2000; step++) {
		bool do_alloc = n == 0 || prandom_u32_state(&rnd) % 100 < 55;

		if (do_alloc) {
			unsigned int order = prandom_u32_state(&rnd) % 6;
			void *p = buddy_sim_alloc(zone, GFP_KERNEL, order);
			unsigned long pfn;

			model_nr_free(used, nr, covered, want);
			/* The model says whether a block of that order exists. */
			for (o = order; o <= BUDDY_SIM_MAX_ORDER && !want[o]; o++)
				;
			KUNIT_ASSERT_EQ_MSG(test, !!p, o <= BUDDY_SIM_MAX_ORDER,
					    "step %d order %u", step, order);
			if (!p)
				continue;
			pfn = ((unsigned long)p - base) >> PAGE_SHIFT;
			KUNIT_ASSERT_EQ(test, pfn & ((1UL << order) - 1), 0UL);
			KUNIT_ASSERT_LE(test, pfn + (1UL << order), nr);
			KUNIT_ASSERT_EQ_MSG(test, find_next_bit(used, pfn + (1UL << order), pfn),
					    pfn + (1UL << order), "step %d: overlap", step);
			bitmap_set(used, pfn, 1UL << order);
			allocated += 1UL << order;
			live[n].addr = p;
			live[n].order = order;
			n++;
		} else {
			int victim = prandom_u32_state(&rnd) % n;
			unsigned long pfn = ((unsigned long)live[victim].addr - base) >> PAGE_SHIFT;

			buddy_sim_free(zone, live[victim].addr, live[victim].order);
			bitmap_clear(used, pfn, 1UL << live[victim].order);
			allocated -= 1UL << live[victim].order;
			live[victim] = live[--n];
		}
		model_nr_free(used, nr, covered, want);
		buddy_sim_info(zone, &info);
		KUNIT_ASSERT_EQ_MSG(test, info.nr_free_pages, nr - allocated, "step %d", step);
		for (o = 0; o <= BUDDY_SIM_MAX_ORDER; o++)
			KUNIT_ASSERT_EQ_MSG(test, info.nr_free[o], want[o],
					    "step %d order %d", step, o);
	}
	while (n) {
		n--;
		buddy_sim_free(zone, live[n].addr, live[n].order);
	}
	expected_carving(nr, want);
	expect_nr_free(test, zone, want);
	buddy_sim_info(zone, &info);
	KUNIT_EXPECT_EQ(test, info.errors, 0ULL);
}

struct hammer {
	struct buddy_sim *zone;
	struct completion done;
	unsigned int seed;
	unsigned long ops, corrupt;
};

#define HAMMER_SLOTS 32

/*
 * Random allocs and frees on a shared zone. Each block is stamped at both
 * ends with a value only this thread and slot use, checked before the free:
 * a block handed to two owners at once shows as a changed stamp.
 */
static int hammer_fn(void *data)
{
	struct hammer *h = data;
	struct { unsigned long *p; unsigned int order; } slot[HAMMER_SLOTS] = { };
	struct rnd_state rnd;
	unsigned long i, stamp;
	int s;

	prandom_seed_state(&rnd, h->seed);
	for (i = 0; i < 20000; i++) {
		s = prandom_u32_state(&rnd) % HAMMER_SLOTS;
		stamp = ((unsigned long)h->seed << 32) | s;
		if (slot[s].p) {
			unsigned long last = (PAGE_SIZE << slot[s].order) / sizeof(long) - 1;

			if (slot[s].p[0] != stamp || slot[s].p[last] != stamp)
				h->corrupt++;
			buddy_sim_free(h->zone, slot[s].p, slot[s].order);
			slot[s].p = NULL;
		} else {
			unsigned int order = prandom_u32_state(&rnd) % 4;
			unsigned long *p = buddy_sim_alloc(h->zone, GFP_KERNEL, order);

			if (p) {
				p[0] = stamp;
				p[(PAGE_SIZE << order) / sizeof(long) - 1] = stamp;
				slot[s].p = p;
				slot[s].order = order;
			}
		}
		h->ops++;
		if (!(i % 256))
			cond_resched();
	}
	for (s = 0; s < HAMMER_SLOTS; s++)
		buddy_sim_free(h->zone, slot[s].p, slot[s].order);
	complete(&h->done);
	return 0;
}

static void buddy_sim_test_two_cpus(struct kunit *test)
{
	const unsigned long nr = 1200;	/* large enough for per-CPU lists */
	struct buddy_sim *zone = test_zone(test, "bs_hammer", nr);
	unsigned long want[BUDDY_SIM_MAX_ORDER + 1];
	struct hammer h[2];
	struct buddy_sim_info info;
	int i, cpu = cpumask_first(cpu_online_mask);

	for (i = 0; i < 2; i++) {
		h[i] = (struct hammer){ .zone = zone, .seed = 7 + i };
		init_completion(&h[i].done);
		test_run_on_cpu(test, hammer_fn, &h[i], cpu, "bs_hammer");
		/* The second thread on another CPU where there is one. */
		cpu = test_next_cpu(cpu);
	}
	for (i = 0; i < 2; i++) {
		wait_for_completion(&h[i].done);
		KUNIT_EXPECT_EQ(test, h[i].ops, 20000UL);
		KUNIT_EXPECT_EQ(test, h[i].corrupt, 0UL);
	}
	buddy_sim_info(zone, &info);
	KUNIT_EXPECT_EQ(test, info.allocs, info.frees);
	KUNIT_EXPECT_EQ(test, info.errors, 0ULL);
	KUNIT_EXPECT_EQ(test, info.nr_free_pages, nr);
	expected_carving(nr, want);
	expect_nr_free(test, zone, want);
}

/* Per-CPU lists: batches, counts, drain, and double frees still caught. */
static void buddy_sim_test_pcp(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "bs_pcp", 1024);	/* high 16, batch 4 */
	atomic_t *reports = test_count_reports(test);
	unsigned long want[BUDDY_SIM_MAX_ORDER + 1];
	struct buddy_sim_info info;
	void *p;

	p = buddy_sim_alloc(zone, GFP_KERNEL, 0);
	KUNIT_ASSERT_NOT_NULL(test, p);
	buddy_sim_info(zone, &info);
	KUNIT_EXPECT_EQ(test, info.nr_pcp, 3UL);		/* a batch of 4, one out */
	KUNIT_EXPECT_EQ(test, info.nr_free_pages, 1023UL);
	buddy_sim_free(zone, p, 0);
	buddy_sim_info(zone, &info);
	KUNIT_EXPECT_EQ(test, info.nr_pcp, 4UL);
	KUNIT_EXPECT_EQ(test, info.nr_free_pages, 1024UL);
	/* Freed pages on a list are not in nr_free[] until drained. */
	KUNIT_EXPECT_EQ(test, info.nr_free[BUDDY_SIM_MAX_ORDER], 0UL);
	buddy_sim_free(zone, p, 0);				/* double free */
	buddy_sim_info(zone, &info);
	KUNIT_EXPECT_EQ(test, info.errors, 1ULL);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 1);
	KUNIT_EXPECT_EQ(test, info.nr_pcp, 4UL);
	expected_carving(1024, want);
	expect_nr_free(test, zone, want);
	KUNIT_EXPECT_EQ(test, buddy_sim_set_pcp(zone, BUDDY_SIM_MAX_ORDER + 100), -EINVAL);
}

struct pcp_job {
	struct buddy_sim *zone;
	int n;			/* pages to allocate, and free unless keep */
	bool keep;
	unsigned long got;
	void **pages;
	struct completion done;
};

static int pcp_job_fn(void *data)
{
	struct pcp_job *j = data;
	int i;

	for (i = 0; i < j->n; i++) {
		j->pages[i] = buddy_sim_alloc(j->zone, GFP_KERNEL, 0);
		if (!j->pages[i])
			break;
		j->got++;
	}
	if (!j->keep)
		for (i = 0; i < j->got; i++)
			buddy_sim_free(j->zone, j->pages[i], 0);
	complete(&j->done);
	return 0;
}

static void run_pcp_job(struct kunit *test, struct pcp_job *j, int cpu)
{
	j->pages = kunit_kcalloc(test, j->n, sizeof(void *), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, j->pages);
	init_completion(&j->done);
	test_run_on_cpu(test, pcp_job_fn, j, cpu, "bs_pcp_job");
	wait_for_completion(&j->done);
}

/*
 * Pages on another CPU's list are not lost to an allocation that finds the
 * free lists empty: it drains every list and tries again.
 */
static void buddy_sim_test_pcp_drain_on_empty(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "bs_pcp_empty", 1024);
	int cpu0 = cpumask_first(cpu_online_mask), cpu1 = cpumask_last(cpu_online_mask);
	struct pcp_job park = { .zone = zone, .n = 12 };
	struct pcp_job all = { .zone = zone, .n = 1025, .keep = true };
	struct buddy_sim_info info;
	int i;

	if (cpu0 == cpu1)
		kunit_skip(test, "needs two online CPUs");
	run_pcp_job(test, &park, cpu1);
	buddy_sim_info(zone, &info);
	KUNIT_ASSERT_EQ(test, info.nr_pcp, 12UL);
	run_pcp_job(test, &all, cpu0);
	KUNIT_EXPECT_EQ(test, all.got, 1024UL);
	for (i = 0; i < all.got; i++)
		buddy_sim_free(zone, all.pages[i], 0);
	buddy_sim_drain(zone);
	buddy_sim_info(zone, &info);
	KUNIT_EXPECT_EQ(test, info.nr_free[BUDDY_SIM_MAX_ORDER], 1UL);
}

/* A CPU going offline gives its list back to the free lists. */
static void buddy_sim_test_pcp_offline(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "bs_pcp_off", 1024);
	int cpu = cpumask_last(cpu_online_mask);
	struct pcp_job park = { .zone = zone, .n = 8 };
	struct buddy_sim_info info;
	int ret;

	if (cpu == cpumask_first(cpu_online_mask))
		kunit_skip(test, "needs two online CPUs");
	run_pcp_job(test, &park, cpu);
	buddy_sim_info(zone, &info);
	KUNIT_ASSERT_EQ(test, info.nr_pcp, 8UL);
	ret = remove_cpu(cpu);
	if (ret)
		kunit_skip(test, "CPU %d cannot go offline: %d", cpu, ret);
	buddy_sim_info(zone, &info);
	KUNIT_EXPECT_EQ(test, info.nr_pcp, 0UL);
	KUNIT_EXPECT_EQ(test, info.nr_free[BUDDY_SIM_MAX_ORDER], 1UL);
	KUNIT_EXPECT_EQ(test, add_cpu(cpu), 0);
}

/* What a task holding a zone's locks gets from buddy_sim_alloc_nolock(). */
struct bs_nolock_held {
	struct buddy_sim *zone;
	void *got[2];
};

static void bs_nolock_held_fn(void *arg)
{
	struct bs_nolock_held *h = arg;

	h->got[0] = buddy_sim_alloc_nolock(h->zone, 0);
	h->got[1] = buddy_sim_alloc_nolock(h->zone, 2);
}

/*
 * buddy_sim_alloc_nolock: zeroed blocks freed with buddy_sim_free, NULL
 * for an order out of range, an empty zone, injected failure, and (the
 * case an NMI meets) the zone's locks held on this CPU: never a wait.
 * Every NULL is counted in failures.
 */
static void buddy_sim_test_nolock(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "bs_nolock", 1024);
	struct buddy_sim_fail fail = { .probability = 100, .times = -1 };
	struct buddy_sim_info before, info;
	struct bs_nolock_held h = { .zone = zone };
	unsigned long nulls = 0;
	unsigned int o;
	void *p[BUDDY_SIM_MAX_ORDER + 1];
	void *all[1024 / (1 << BUDDY_SIM_MAX_ORDER)];
	atomic_t *reports = test_count_reports(test);

	buddy_sim_info(zone, &before);
	for (o = 0; o <= BUDDY_SIM_MAX_ORDER; o++) {
		void *dirty = buddy_sim_alloc(zone, GFP_KERNEL, o);

		KUNIT_ASSERT_NOT_NULL(test, dirty);
		memset(dirty, 0x6b, PAGE_SIZE << o);
		buddy_sim_free(zone, dirty, o);
		p[o] = buddy_sim_alloc_nolock(zone, o);
		KUNIT_ASSERT_NOT_NULL(test, p[o]);
		KUNIT_EXPECT_NULL(test, memchr_inv(p[o], 0, PAGE_SIZE << o));
		buddy_sim_free(zone, p[o], o);
	}
	KUNIT_EXPECT_NULL(test, buddy_sim_alloc_nolock(zone, BUDDY_SIM_MAX_ORDER + 1));
	nulls++;
	KUNIT_EXPECT_NULL(test, buddy_sim_alloc_nolock(NULL, 0));

	/* An empty zone. */
	for (o = 0; o < ARRAY_SIZE(all); o++) {
		all[o] = buddy_sim_alloc_nolock(zone, BUDDY_SIM_MAX_ORDER);
		KUNIT_ASSERT_NOT_NULL(test, all[o]);
	}
	KUNIT_EXPECT_NULL(test, buddy_sim_alloc_nolock(zone, 0));
	nulls++;
	for (o = 0; o < ARRAY_SIZE(all); o++)
		buddy_sim_free(zone, all[o], BUDDY_SIM_MAX_ORDER);

	/* Injected failure sees the _nolock calls too. */
	KUNIT_ASSERT_EQ(test, buddy_sim_set_fail(zone, &fail), 0);
	KUNIT_EXPECT_NULL(test, buddy_sim_alloc_nolock(zone, 0));
	nulls++;
	fail.probability = 0;
	KUNIT_ASSERT_EQ(test, buddy_sim_set_fail(zone, &fail), 0);

	/* The zone's lock (and this CPU's list lock) held: NULL, at once. */
	buddy_sim_call_held(zone, BUDDY_SIM_HOLD_PCP | BUDDY_SIM_HOLD_LOCK,
			    bs_nolock_held_fn, &h);
	KUNIT_EXPECT_NULL(test, h.got[0]);
	KUNIT_EXPECT_NULL(test, h.got[1]);
	nulls += 2;
	/* Only the zone's lock: order 0 may come from this CPU's list. */
	buddy_sim_call_held(zone, BUDDY_SIM_HOLD_LOCK, bs_nolock_held_fn, &h);
	KUNIT_EXPECT_NULL(test, h.got[1]);
	nulls += 1 + !h.got[0];
	buddy_sim_free(zone, h.got[0], 0);

	buddy_sim_drain(zone);
	buddy_sim_info(zone, &info);
	KUNIT_EXPECT_EQ(test, info.failures - before.failures, (u64)nulls);
	KUNIT_EXPECT_EQ(test, info.allocs - before.allocs, info.frees - before.frees);
	KUNIT_EXPECT_EQ(test, info.errors, before.errors);
	KUNIT_EXPECT_EQ(test, info.nr_free_pages, before.nr_free_pages);
	KUNIT_EXPECT_EQ(test, memcmp(info.nr_free, before.nr_free, sizeof(info.nr_free)), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 0);
}

static struct kunit_case buddy_sim_test_cases[] = {
	KUNIT_CASE(buddy_sim_test_bad_create),
	KUNIT_CASE(buddy_sim_test_default_zone),
	KUNIT_CASE_PARAM(buddy_sim_test_every_block, orders_gen_params),
	KUNIT_CASE(buddy_sim_test_zero),
	KUNIT_CASE_PARAM(buddy_sim_test_split_coalesce, odd_sizes_gen_params),
	KUNIT_CASE(buddy_sim_test_exhaustion),
	KUNIT_CASE(buddy_sim_test_bad_free),
	KUNIT_CASE(buddy_sim_test_watermarks),
	KUNIT_CASE(buddy_sim_test_fail_injection),
	KUNIT_CASE(buddy_sim_test_frag_indices),
	KUNIT_CASE(buddy_sim_test_random_model),
	KUNIT_CASE_SLOW(buddy_sim_test_two_cpus),
	KUNIT_CASE(buddy_sim_test_pcp),
	KUNIT_CASE(buddy_sim_test_pcp_drain_on_empty),
	KUNIT_CASE(buddy_sim_test_pcp_offline),
	KUNIT_CASE(buddy_sim_test_nolock),
	{}
};

static struct kunit_suite buddy_sim_test_suite = {
	.name = "buddy_sim",
	.test_cases = buddy_sim_test_cases,
};

kunit_test_suites(&buddy_sim_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit suites for mm_ext");
