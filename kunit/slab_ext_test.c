// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "slab_ext": object caches on buddy_sim zones, through the
 * public API only. Misuse tests assert the counted report and the cache's
 * errors counter, then that the cache still works, as lib/slub_kunit.c does.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/slab.h>

#include <mm_ext/buddy_sim.h>
#include <mm_ext/slab_ext.h>
#include "mm_ext_test.h"

#define DEBUG_FLAGS (SLAB_POISON | SLAB_RED_ZONE | SLAB_STORE_USER)

static void slab_ext_test_bad_create(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "sx_bad_zone", 64);
	const unsigned int max = PAGE_SIZE << BUDDY_SIM_MAX_ORDER;
	const char *name32 = "abcdefghijklmnopqrstuvwxyz012345";
	struct buddy_sim_info before, after;

	buddy_sim_info(zone, &before);
	KUNIT_EXPECT_EQ(test, PTR_ERR(slab_ext_cache_create(zone, "sx_bad", 0, 0, 0, NULL)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(slab_ext_cache_create(zone, "sx_bad", max + 1, 0, 0, NULL)),
			-EINVAL);
	/* Fits the order, but not once a red zone is added. */
	KUNIT_EXPECT_EQ(test, PTR_ERR(slab_ext_cache_create(zone, "sx_bad", max, 0,
							    SLAB_RED_ZONE, NULL)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(slab_ext_cache_create(zone, "sx_bad", 64, 3, 0, NULL)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(slab_ext_cache_create(zone, "sx_bad", 64, 2 * PAGE_SIZE,
							    0, NULL)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(slab_ext_cache_create(zone, "", 64, 0, 0, NULL)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(slab_ext_cache_create(zone, NULL, 64, 0, 0, NULL)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(slab_ext_cache_create(zone, "a b", 64, 0, 0, NULL)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(slab_ext_cache_create(zone, name32, 64, 0, 0, NULL)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(slab_ext_cache_create(zone, "sx_bad", 64, 0,
							    SLAB_RECLAIM_ACCOUNT, NULL)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(slab_ext_cache_create(ERR_PTR(-ENOMEM), "sx_bad", 64, 0,
							    0, NULL)), -EINVAL);
	test_cache(test, zone, "sx_bad", 64, 0, 0, NULL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(slab_ext_cache_create(zone, "sx_bad", 32, 0, 0, NULL)),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, PTR_ERR(slab_ext_cache_create(NULL, "kmalloc-64", 64, 0, 0, NULL)),
			-EEXIST);
	/* Nothing was taken from the zone by any of it. */
	buddy_sim_info(zone, &after);
	KUNIT_EXPECT_EQ(test, after.nr_free_pages, before.nr_free_pages);
	KUNIT_EXPECT_EQ(test, after.allocs, 0ULL);
}

struct geometry {
	unsigned int size, align;
	slab_flags_t flags;
	unsigned int stride, order, objs;
};

/*
 * Worked out by hand with SLUB's rules for 2 present CPUs (at least
 * 4 * (fls(2) + 1) = 12 objects where order <= 3 allows, then the first
 * order wasting at most 1/16, 1/8, ...); 3..7 CPUs (16 objects) come to the
 * same. A track is 24 bytes.
 */
static const struct geometry geometries[] = {
	{ 8, 0, 0, 8, 0, 512 },
	{ 64, 0, 0, 64, 0, 64 },
	{ 96, 0, 0, 96, 0, 42 },
	{ 192, 0, 0, 192, 0, 21 },
	{ 256, 0, 0, 256, 0, 16 },
	{ 512, 0, 0, 512, 1, 16 },
	{ 1024, 0, 0, 1024, 2, 16 },
	{ 2048, 0, 0, 2048, 3, 16 },
	{ 4096, 0, 0, 4096, 3, 8 },
	{ 8192, 0, 0, 8192, 3, 4 },
	{ 700, 0, 0, 704, 2, 23 },		/* 16384 % 704 = 192 <= 1024 */
	{ 3000, 0, 0, 3000, 3, 10 },		/* waste 2768: 1/8 accepts */
	{ 100, 64, 0, 128, 0, 32 },
	{ 20, 0, SLAB_HWCACHE_ALIGN, 32, 0, 128 },	/* 64-byte lines halve to 32 */
	{ 1, 4096, 0, 4096, 3, 8 },
	{ 24, 0, SLAB_RED_ZONE, 48, 0, 85 },	/* 8 left + 24 + 8 right + 8 fp */
	{ 24, 0, SLAB_STORE_USER, 80, 0, 51 },	/* 24 + 8 fp + 2 * 24 */
	{ 8192, 0, SLAB_RED_ZONE, 8216, 3, 3 },	/* waste 8120: only 1/4 accepts */
};

/* Where 1 CPU differs (at least 8 objects a slab): plain caches of these sizes. */
static const struct geometry geometries_1cpu[] = {
	{ 512, 0, 0, 512, 0, 8 },
	{ 1024, 0, 0, 1024, 1, 8 },
	{ 2048, 0, 0, 2048, 2, 8 },
	{ 700, 0, 0, 704, 1, 11 },		/* 8192 % 704 = 448 <= 512 */
};

static void geometry_desc(const struct geometry *g, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "size %u align %u flags %#lx",
		 g->size, g->align, (__force unsigned long)g->flags);
}

KUNIT_ARRAY_PARAM(geometries, geometries, geometry_desc);

static void slab_ext_test_geometry(struct kunit *test)
{
	const struct geometry *g = test->param_value;
	struct slab_ext_cache *c;
	struct slab_ext_info info;

	unsigned int cpus = num_present_cpus() > 1 ? num_present_cpus() : nr_cpu_ids;
	unsigned int order = g->order, objs = g->objs, i;

	if (cpus > 7 || PAGE_SIZE != 4096 || cache_line_size() != 64)
		kunit_skip(test, "the table is for 1..7 CPUs, 4 KiB pages, 64-byte lines");
	/* 2..7 CPUs ask for 12 or 16 objects a slab: the same table. 1 asks for 8. */
	for (i = 0; cpus == 1 && i < ARRAY_SIZE(geometries_1cpu); i++) {
		if (geometries_1cpu[i].size == g->size && !g->align && !g->flags) {
			order = geometries_1cpu[i].order;
			objs = geometries_1cpu[i].objs;
		}
	}
	c = test_cache(test, NULL, "sx_geometry", g->size, g->align, g->flags, NULL);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.object_size, g->size);
	KUNIT_EXPECT_EQ(test, info.size, g->stride);
	KUNIT_EXPECT_EQ(test, info.order, order);
	KUNIT_EXPECT_EQ(test, info.objs_per_slab, objs);
}

/* Every list transition, checked through slab_ext_cache_info at each step. */
static void expect_lists(struct kunit *test, struct slab_ext_cache *c,
			 unsigned long full, unsigned long partial,
			 unsigned long empty, unsigned long active)
{
	struct slab_ext_info info;

	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.nr_full, full);
	KUNIT_EXPECT_EQ(test, info.nr_partial, partial);
	KUNIT_EXPECT_EQ(test, info.nr_empty, empty);
	KUNIT_EXPECT_EQ(test, info.active_objs, active);
	KUNIT_EXPECT_EQ(test, info.total_objs, (full + partial + empty) * info.objs_per_slab);
}

static void slab_ext_test_lists(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "sx_lists_zone", 64);
	struct slab_ext_cache *c = test_cache(test, zone, "sx_lists", 1024, 0, 0, NULL);
	struct buddy_sim_info zi;
	struct slab_ext_info info;
	unsigned int i, n, pages;
	void *a[32], *b;

	/* Every step straight to the slab lists, to see each transition. */
	KUNIT_ASSERT_EQ(test, slab_ext_set_cpu_cache(c, 0), 0);
	slab_ext_cache_info(c, &info);
	/* SLUB's order depends on the CPU count: 8 objects on 1 CPU, 16 on 2..7. */
	n = info.objs_per_slab;
	pages = 1U << info.order;
	KUNIT_ASSERT_EQ(test, n * 1024, pages * (unsigned int)PAGE_SIZE);
	KUNIT_ASSERT_LE(test, n, (unsigned int)ARRAY_SIZE(a));
	expect_lists(test, c, 0, 0, 0, 0);
	a[0] = slab_ext_alloc(c, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a[0]);
	expect_lists(test, c, 0, 1, 0, 1);			/* new slab -> partial */
	for (i = 1; i < n; i++) {
		a[i] = slab_ext_alloc(c, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, a[i]);
	}
	expect_lists(test, c, 1, 0, 0, n);			/* partial -> full */
	b = slab_ext_alloc(c, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	expect_lists(test, c, 1, 1, 0, n + 1);
	slab_ext_free(c, a[0]);
	expect_lists(test, c, 0, 2, 0, n);			/* full -> partial */
	for (i = 1; i < n; i++)
		slab_ext_free(c, a[i]);
	expect_lists(test, c, 0, 1, 1, 1);			/* partial -> empty, kept */
	slab_ext_free(c, b);
	/* A second empty slab is one more than min_empty: it goes back. */
	expect_lists(test, c, 0, 0, 1, 0);
	buddy_sim_info(zone, &zi);
	KUNIT_EXPECT_EQ(test, zi.nr_free_pages, 64UL - pages);

	/* An empty slab is used before the zone is asked for a new one. */
	a[0] = slab_ext_alloc(c, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a[0]);
	expect_lists(test, c, 0, 1, 0, 1);
	buddy_sim_info(zone, &zi);
	KUNIT_EXPECT_EQ(test, zi.allocs, 2ULL);
	slab_ext_free(c, a[0]);

	/* Shrink gives every empty slab back: the zone is whole again. */
	KUNIT_EXPECT_EQ(test, slab_ext_shrink(c), 0);
	expect_lists(test, c, 0, 0, 0, 0);
	buddy_sim_info(zone, &zi);
	KUNIT_EXPECT_EQ(test, zi.nr_free_pages, 64UL);
	KUNIT_EXPECT_EQ(test, zi.allocs, zi.frees);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.allocs, (u64)n + 2);
	KUNIT_EXPECT_EQ(test, info.frees, (u64)n + 2);
	KUNIT_EXPECT_EQ(test, info.errors, 0ULL);
}

/* The zone runs dry: allocation fails cleanly and recovers. */
static void slab_ext_test_zone_exhausted(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "sx_dry_zone", 4);
	struct slab_ext_cache *c = test_cache(test, zone, "sx_dry", 1024, 0, 0, NULL);
	void *objs[17];
	int i;

	KUNIT_ASSERT_EQ(test, slab_ext_set_cpu_cache(c, 0), 0);
	for (i = 0; i < 16; i++) {
		objs[i] = slab_ext_alloc(c, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
	}
	KUNIT_EXPECT_NULL(test, slab_ext_alloc(c, GFP_KERNEL));
	slab_ext_free(c, objs[3]);
	objs[16] = slab_ext_alloc(c, GFP_KERNEL);
	KUNIT_EXPECT_PTR_EQ(test, objs[16], objs[3]);
	for (i = 0; i < 16; i++)
		slab_ext_free(c, i == 3 ? objs[16] : objs[i]);
	expect_lists(test, c, 0, 0, 1, 0);
}

static atomic_t ctor_calls;

#define CTOR_MAGIC 0x5eed5eedU

static void count_ctor(void *obj)
{
	atomic_inc(&ctor_calls);
	*(u32 *)obj = CTOR_MAGIC;
}

/* The ctor runs once per object when its slab is made, never again. */
static void slab_ext_test_ctor(struct kunit *test)
{
	struct slab_ext_cache *c;
	struct slab_ext_info info;
	u32 *p, *q;

	atomic_set(&ctor_calls, 0);
	c = test_cache(test, NULL, "sx_ctor", 64, 0, 0, count_ctor);
	slab_ext_cache_info(c, &info);
	p = slab_ext_alloc(c, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctor_calls), (int)info.objs_per_slab);
	KUNIT_EXPECT_EQ(test, *p, CTOR_MAGIC);
	/*
	 * The constructed state survives a free: the free pointer is outside.
	 * On one CPU throughout, so the object comes back from its array.
	 */
	migrate_disable();
	slab_ext_free(c, p);
	q = slab_ext_alloc(c, GFP_KERNEL);
	migrate_enable();
	KUNIT_EXPECT_PTR_EQ(test, q, p);
	KUNIT_EXPECT_EQ(test, *q, CTOR_MAGIC);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctor_calls), (int)info.objs_per_slab);
	slab_ext_free(c, q);
}

static const unsigned int aligns[] = { 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096 };

static void align_desc(const unsigned int *a, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "align %u", *a);
}

KUNIT_ARRAY_PARAM(aligns, aligns, align_desc);

/* Every object of two slabs is aligned, with and without red zones. */
static void slab_ext_test_alignment(struct kunit *test)
{
	const unsigned int align = *(const unsigned int *)test->param_value;
	slab_flags_t flags[] = { 0, SLAB_RED_ZONE | SLAB_STORE_USER };
	struct slab_ext_cache *c;
	struct slab_ext_info info;
	unsigned int i, f, n;
	void **objs;

	for (f = 0; f < ARRAY_SIZE(flags); f++) {
		c = slab_ext_cache_create(NULL, "sx_align", align + 1, align, flags[f], NULL);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c);
		slab_ext_cache_info(c, &info);
		n = 2 * info.objs_per_slab;
		objs = kcalloc(n, sizeof(void *), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs);
		for (i = 0; i < n; i++) {
			objs[i] = slab_ext_alloc(c, GFP_KERNEL);
			KUNIT_EXPECT_NOT_NULL(test, objs[i]);
			KUNIT_EXPECT_EQ_MSG(test, (unsigned long)objs[i] % align, 0UL,
					    "object %u flags %#lx", i,
					    (__force unsigned long)flags[f]);
		}
		for (i = 0; i < n; i++)
			slab_ext_free(c, objs[i]);
		kfree(objs);
		slab_ext_cache_info(c, &info);
		KUNIT_EXPECT_EQ(test, info.errors, 0ULL);
		slab_ext_cache_destroy(c);
	}
}

static void slab_ext_test_zero(struct kunit *test)
{
	struct slab_ext_cache *c = test_cache(test, NULL, "sx_zero", 200, 0, 0, NULL);
	u8 *p = slab_ext_alloc(c, GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, 0xff, 200);
	slab_ext_free(c, p);
	p = slab_ext_alloc(c, GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, p);
	for (i = 0; i < 200; i++)
		KUNIT_ASSERT_EQ_MSG(test, p[i], 0, "byte %u", i);
	slab_ext_free(c, p);
}

/* One misuse: one report, one error, in the cache the call was made on. */
static void expect_misuse(struct kunit *test, struct slab_ext_cache *c,
			  atomic_t *reports, int reports_before, u64 errors_before)
{
	struct slab_ext_info info;

	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), reports_before + 1);
	KUNIT_EXPECT_EQ(test, info.errors, errors_before + 1);
}

/* After misuse the cache still works: a full cycle leaves it consistent. */
static void expect_still_works(struct kunit *test, struct slab_ext_cache *c)
{
	struct slab_ext_info before, after;
	void *p;

	slab_ext_cache_info(c, &before);
	p = slab_ext_alloc(c, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, 0x42, before.object_size);
	slab_ext_free(c, p);
	slab_ext_cache_info(c, &after);
	KUNIT_EXPECT_EQ(test, after.active_objs, before.active_objs);
	KUNIT_EXPECT_EQ(test, after.errors, before.errors);
	KUNIT_EXPECT_EQ(test, after.allocs, before.allocs + 1);
}

/* Checks made on every cache, debug or not. */
static void slab_ext_test_bad_free(struct kunit *test)
{
	struct slab_ext_cache *c = test_cache(test, NULL, "sx_badfree", 64, 0, 0, NULL);
	struct slab_ext_cache *d = test_cache(test, NULL, "sx_other", 64, 0, 0, NULL);
	void *foreign = kunit_kmalloc(test, 64, GFP_KERNEL);
	atomic_t *reports = test_count_reports(test);
	char *p = slab_ext_alloc(c, GFP_KERNEL);
	char *q = slab_ext_alloc(d, GFP_KERNEL);
	struct slab_ext_info info;
	int n = 0;

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, q);

	slab_ext_free(c, q);				/* wrong cache */
	expect_misuse(test, c, reports, n++, 0);
	slab_ext_free(c, p + 8);			/* interior pointer */
	expect_misuse(test, c, reports, n++, 1);
	slab_ext_free(c, foreign);			/* another allocator's memory */
	expect_misuse(test, c, reports, n++, 2);
	slab_ext_free(c, p);
	slab_ext_free(c, p);				/* double free, caught even without debug */
	expect_misuse(test, c, reports, n++, 3);
	slab_ext_free(c, NULL);				/* a no-op */
	KUNIT_EXPECT_EQ(test, atomic_read(reports), n);

	/* The other cache saw nothing; both still work. */
	slab_ext_cache_info(d, &info);
	KUNIT_EXPECT_EQ(test, info.errors, 0ULL);
	KUNIT_EXPECT_EQ(test, info.active_objs, 1UL);
	slab_ext_free(d, q);
	expect_still_works(test, c);
	expect_still_works(test, d);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.active_objs, 0UL);
}

/* SLUB's debug checks: red zones, poison, any double free, with callers. */
static void slab_ext_test_debug(struct kunit *test)
{
	struct slab_ext_cache *c = test_cache(test, NULL, "sx_debug", 60, 0, DEBUG_FLAGS, NULL);
	atomic_t *reports = test_count_reports(test);
	struct slab_ext_info info;
	u8 *a, *b, *p;
	int n = 0;

	a = slab_ext_alloc(c, GFP_KERNEL);
	b = slab_ext_alloc(c, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);

	/* A double free that is not the last one freed: needs debug. */
	slab_ext_free(c, a);
	slab_ext_free(c, b);
	slab_ext_free(c, a);
	expect_misuse(test, c, reports, n++, 0);

	/* Write after free: found when the object is next handed out. */
	b[10] = 0x12;
	p = slab_ext_alloc(c, GFP_KERNEL);	/* b is first on the free list */
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_PTR_NE(test, p, b);	/* quarantined, not handed out */
	expect_misuse(test, c, reports, n++, 1);
	slab_ext_free(c, p);

	/* Right red zone overwritten (one past the object). */
	p = slab_ext_alloc(c, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	p[60] = 0;
	slab_ext_free(c, p);
	expect_misuse(test, c, reports, n++, 2);
	/* The corrupted object is kept out of use; freeing it again is refused. */
	slab_ext_free(c, p);
	expect_misuse(test, c, reports, n++, 3);

	/* Left red zone overwritten. */
	p = slab_ext_alloc(c, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	p[-1] = 0;
	slab_ext_free(c, p);
	expect_misuse(test, c, reports, n++, 4);

	/* Three objects are quarantined: still counted active, never reused. */
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.active_objs, 3UL);
	expect_still_works(test, c);
}

/* slab_debug-style debugging of a whole cache, checked via poison contents. */
static void slab_ext_test_poison_contents(struct kunit *test)
{
	struct slab_ext_cache *c = test_cache(test, NULL, "sx_poison", 32, 0, SLAB_POISON, NULL);
	u8 *p = slab_ext_alloc(c, GFP_KERNEL);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, 0, 32);
	slab_ext_free(c, p);
	/* A freed object reads as SLUB poisons it: 0x6b ... 0xa5. */
	for (i = 0; i < 31; i++)
		KUNIT_EXPECT_EQ(test, p[i], (u8)0x6b);
	KUNIT_EXPECT_EQ(test, p[31], (u8)0xa5);
}

static void slab_ext_test_destroy_leak(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "sx_leak_zone", 64);
	struct slab_ext_cache *c;
	atomic_t *reports;
	struct buddy_sim_info zi;
	int i;

	c = slab_ext_cache_create(zone, "sx_leak", 128, 0, SLAB_STORE_USER, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c);
	for (i = 0; i < 40; i++)
		KUNIT_ASSERT_NOT_NULL(test, slab_ext_alloc(c, GFP_KERNEL));
	reports = test_count_reports(test);
	slab_ext_cache_destroy(c);
	/* One report for the leak; every slab is back in the zone anyway. */
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 1);
	buddy_sim_info(zone, &zi);
	KUNIT_EXPECT_EQ(test, zi.nr_free_pages, 64UL);
	/* The name is free again. */
	c = test_cache(test, zone, "sx_leak", 128, 0, 0, NULL);
}

static const size_t kmalloc_cases[][2] = {
	{ 1, 8 }, { 8, 8 }, { 9, 16 }, { 17, 32 }, { 33, 64 }, { 65, 96 },
	{ 96, 96 }, { 97, 128 }, { 129, 192 }, { 192, 192 }, { 193, 256 },
	{ 257, 512 }, { 1000, 1024 }, { 2048, 2048 }, { 4095, 4096 },
	{ 8192, 8192 }, { 8193, 4 * 4096 }, { 100000, 32 * 4096 },
};

static void slab_ext_test_kmalloc(struct kunit *test)
{
	struct buddy_sim_info before, after;
	atomic_t *reports;
	unsigned int i;
	u8 *p;

	if (PAGE_SIZE != 4096)
		kunit_skip(test, "the large sizes assume 4 KiB pages");
	for (i = 0; i < ARRAY_SIZE(kmalloc_cases); i++) {
		p = slab_ext_kmalloc(kmalloc_cases[i][0], GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_EXPECT_EQ_MSG(test, slab_ext_ksize(p), kmalloc_cases[i][1],
				    "size %zu", kmalloc_cases[i][0]);
		memset(p, 0xaa, slab_ext_ksize(p));
		slab_ext_kfree(p);
	}
	/* Large requests are page blocks of the default zone, given back on kfree. */
	buddy_sim_info(buddy_sim_default(), &before);
	p = slab_ext_kmalloc(100000, GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, p[99999], 0);
	buddy_sim_info(buddy_sim_default(), &after);
	KUNIT_EXPECT_EQ(test, after.nr_free_pages, before.nr_free_pages - 32);
	slab_ext_kfree(p);
	buddy_sim_info(buddy_sim_default(), &after);
	KUNIT_EXPECT_EQ(test, after.nr_free_pages, before.nr_free_pages);

	KUNIT_EXPECT_NULL(test, slab_ext_kmalloc(0, GFP_KERNEL));
	KUNIT_EXPECT_NULL(test, slab_ext_kmalloc((PAGE_SIZE << BUDDY_SIM_MAX_ORDER) + 1,
						 GFP_KERNEL));
	slab_ext_kfree(NULL);
	KUNIT_EXPECT_EQ(test, slab_ext_ksize(NULL), (size_t)0);

	/* Pointers kmalloc did not return: reported, counted in the zone. */
	reports = test_count_reports(test);
	buddy_sim_info(buddy_sim_default(), &before);
	slab_ext_kfree(test);
	KUNIT_EXPECT_EQ(test, slab_ext_ksize(test), (size_t)0);
	p = slab_ext_kmalloc(20000, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	slab_ext_kfree(p + PAGE_SIZE);		/* inside a large block */
	buddy_sim_info(buddy_sim_default(), &after);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 3);
	KUNIT_EXPECT_EQ(test, after.errors, before.errors + 3);
	slab_ext_kfree(p);
	/* An interior pointer into a size class: that cache reports it. */
	p = slab_ext_kmalloc(64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	slab_ext_kfree(p + 1);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 4);
	slab_ext_kfree(p);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 4);
}

struct hammer {
	struct slab_ext_cache *cache;
	struct completion done;
	unsigned int seed;
	unsigned long ops, corrupt, failed;
};

#define HAMMER_SLOTS 64
#define HAMMER_SIZE 256

/*
 * Random allocs and frees in a shared cache; each object is filled with a
 * byte only this thread and slot use and checked whole before the free.
 */
static int hammer_fn(void *data)
{
	struct hammer *h = data;
	u8 *slot[HAMMER_SLOTS] = { };
	struct rnd_state rnd;
	unsigned long i;
	int s;

	prandom_seed_state(&rnd, h->seed);
	for (i = 0; i < 20000; i++) {
		u8 stamp;

		s = prandom_u32_state(&rnd) % HAMMER_SLOTS;
		stamp = (u8)(h->seed * HAMMER_SLOTS + s);
		if (slot[s]) {
			if (memchr_inv(slot[s], stamp, HAMMER_SIZE))
				h->corrupt++;
			slab_ext_free(h->cache, slot[s]);
			slot[s] = NULL;
		} else {
			slot[s] = slab_ext_alloc(h->cache, GFP_KERNEL);
			if (slot[s])
				memset(slot[s], stamp, HAMMER_SIZE);
			else
				h->failed++;
		}
		h->ops++;
		if (!(i % 256))
			cond_resched();
	}
	for (s = 0; s < HAMMER_SLOTS; s++)
		slab_ext_free(h->cache, slot[s]);
	complete(&h->done);
	return 0;
}

/*
 * The per-CPU tests run on both tiers (issue 14): the parameter is the
 * tier; the sheaves are small (8 objects), so that main, spare and barn
 * all come into play.
 */
static const enum slab_ext_tier test_tiers[] = { SLAB_EXT_TIER_ARRAYS, SLAB_EXT_TIER_SHEAVES };

static void tier_desc(const enum slab_ext_tier *t, char *desc)
{
	strscpy(desc, *t == SLAB_EXT_TIER_SHEAVES ? "sheaves" : "arrays",
		KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(tiers, test_tiers, tier_desc);

static struct slab_ext_cache *tier_cache(struct kunit *test, struct buddy_sim *zone,
					 const char *name, unsigned int size)
{
	const enum slab_ext_tier *t = test->param_value;
	struct slab_ext_cache *c = test_cache(test, zone, name, size, 0, 0, NULL);
	struct slab_ext_tier_info ti;

	if (t && *t == SLAB_EXT_TIER_SHEAVES) {
		if (slab_ext_set_tier(c, SLAB_EXT_TIER_SHEAVES, 8, false) == -EINVAL)
			kunit_skip(test, "every cache is a debug cache (slab_debug)");
		slab_ext_get_tier(c, &ti);
		KUNIT_ASSERT_EQ(test, ti.tier, SLAB_EXT_TIER_SHEAVES);
		KUNIT_ASSERT_EQ(test, ti.sheaf_capacity, 8U);
	}
	return c;
}

static void slab_ext_test_two_cpus(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "sx_hammer_zone", 256);
	struct slab_ext_cache *c = tier_cache(test, zone, "sx_hammer", HAMMER_SIZE);
	int i, cpu = cpumask_first(cpu_online_mask);
	struct slab_ext_info info;
	struct buddy_sim_info zi;
	struct hammer h[2];

	for (i = 0; i < 2; i++) {
		h[i] = (struct hammer){ .cache = c, .seed = 1 + i };
		init_completion(&h[i].done);
		test_run_on_cpu(test, hammer_fn, &h[i], cpu, "sx_hammer");
		cpu = test_next_cpu(cpu);
	}
	for (i = 0; i < 2; i++) {
		wait_for_completion(&h[i].done);
		KUNIT_EXPECT_EQ(test, h[i].ops, 20000UL);
		KUNIT_EXPECT_EQ(test, h[i].corrupt, 0UL);
		KUNIT_EXPECT_EQ(test, h[i].failed, 0UL);
	}
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.active_objs, 0UL);
	KUNIT_EXPECT_EQ(test, info.allocs, info.frees);
	KUNIT_EXPECT_EQ(test, info.errors, 0ULL);
	/* Objects may rest in the CPU arrays; shrink drains them first. */
	slab_ext_shrink(c);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.nr_full + info.nr_partial + info.nr_empty, 0UL);
	buddy_sim_info(zone, &zi);
	KUNIT_EXPECT_EQ(test, zi.nr_free_pages, 256UL);
}

/* The CPU arrays hold freed objects until a shrink drains them to the slabs. */
static void slab_ext_test_cpu_drain(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "sx_cpu_zone", 64);
	struct slab_ext_cache *c = test_cache(test, zone, "sx_cpu", 256, 0, 0, NULL);
	struct slab_ext_info info;
	struct buddy_sim_info zi;
	void *objs[40];
	int i;

	for (i = 0; i < 40; i++) {
		objs[i] = slab_ext_alloc(c, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
	}
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.active_objs, 40UL);
	for (i = 0; i < 40; i++)
		slab_ext_free(c, objs[i]);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.active_objs, 0UL);
	KUNIT_EXPECT_EQ(test, info.allocs, 40ULL);
	KUNIT_EXPECT_EQ(test, info.frees, 40ULL);
	/* Some objects rest in this CPU's array: their slab is not empty yet. */
	KUNIT_EXPECT_GT(test, info.nr_partial + info.nr_full, 0UL);
	slab_ext_shrink(c);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.nr_full + info.nr_partial + info.nr_empty, 0UL);
	buddy_sim_info(zone, &zi);
	KUNIT_EXPECT_EQ(test, zi.nr_free_pages, 64UL);
	/* Turning the arrays off drains them too; bad bounds are refused. */
	KUNIT_EXPECT_EQ(test, slab_ext_set_cpu_cache(c, 129), -EINVAL);
	KUNIT_EXPECT_EQ(test, slab_ext_set_cpu_cache(c, 16), 0);
	objs[0] = slab_ext_alloc(c, GFP_KERNEL);
	slab_ext_free(c, objs[0]);
	KUNIT_EXPECT_EQ(test, slab_ext_set_cpu_cache(c, 0), 0);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.nr_full + info.nr_partial, 0UL);
	c = test_cache(test, zone, "sx_cpu_dbg", 64, 0, SLAB_RED_ZONE, NULL);
	KUNIT_EXPECT_EQ(test, slab_ext_set_cpu_cache(c, 8), -EINVAL);
}

struct handoff {
	struct slab_ext_cache *cache;
	void **objs;
	int n;
	bool produce;
	struct completion done;
};

static int handoff_fn(void *data)
{
	struct handoff *h = data;
	int i;

	for (i = 0; i < h->n; i++) {
		if (h->produce)
			h->objs[i] = slab_ext_alloc(h->cache, GFP_KERNEL);
		else
			slab_ext_free(h->cache, h->objs[i]);
	}
	complete(&h->done);
	return 0;
}

/* Run one handoff step in a kthread bound to @cpu, and wait for it. */
static void run_on(struct kunit *test, struct handoff *h, int cpu)
{
	init_completion(&h->done);
	test_run_on_cpu(test, handoff_fn, h, cpu, "sx_handoff");
	wait_for_completion(&h->done);
}

/* Objects allocated on one CPU and freed on the other come home whole. */
static void slab_ext_test_cross_cpu_free(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "sx_xcpu_zone", 128);
	struct slab_ext_cache *c = tier_cache(test, zone, "sx_xcpu", 128);
	int cpu0 = cpumask_first(cpu_online_mask), cpu1 = cpumask_next(cpu0, cpu_online_mask);
	struct handoff h = { .cache = c, .n = 300 };
	struct slab_ext_info info;
	struct buddy_sim_info zi;
	int round, i;

	if (cpu1 >= nr_cpu_ids)
		kunit_skip(test, "needs two online CPUs");
	h.objs = kunit_kcalloc(test, h.n, sizeof(void *), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h.objs);
	for (round = 0; round < 4; round++) {
		h.produce = true;
		run_on(test, &h, round % 2 ? cpu1 : cpu0);
		for (i = 0; i < h.n; i++)
			KUNIT_ASSERT_NOT_NULL(test, h.objs[i]);
		h.produce = false;
		run_on(test, &h, round % 2 ? cpu0 : cpu1);
	}
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.active_objs, 0UL);
	KUNIT_EXPECT_EQ(test, info.allocs, 1200ULL);
	KUNIT_EXPECT_EQ(test, info.frees, 1200ULL);
	KUNIT_EXPECT_EQ(test, info.errors, 0ULL);
	slab_ext_shrink(c);
	buddy_sim_info(zone, &zi);
	KUNIT_EXPECT_EQ(test, zi.nr_free_pages, 128UL);
}

/* A CPU going offline gives its arrays back to the slabs. */
static void slab_ext_test_cpu_offline(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "sx_off_zone", 64);
	struct slab_ext_cache *c = tier_cache(test, zone, "sx_off", 512);
	int cpu = cpumask_last(cpu_online_mask);
	void *objs[4] = { };
	struct handoff h = { .cache = c, .objs = objs, .n = 4 };
	struct slab_ext_info info;
	int ret;

	if (cpu == cpumask_first(cpu_online_mask))
		kunit_skip(test, "needs two online CPUs");
	h.produce = true;
	run_on(test, &h, cpu);
	h.produce = false;
	run_on(test, &h, cpu);
	/* The four rest in that CPU's array: their slab counts them in use. */
	slab_ext_cache_info(c, &info);
	KUNIT_ASSERT_EQ(test, info.active_objs, 0UL);
	KUNIT_ASSERT_EQ(test, info.nr_partial + info.nr_full, 1UL);
	ret = remove_cpu(cpu);
	if (ret)
		kunit_skip(test, "CPU %d cannot go offline: %d", cpu, ret);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.nr_partial + info.nr_full, 0UL);
	KUNIT_EXPECT_EQ(test, info.nr_empty, 1UL);
	KUNIT_EXPECT_EQ(test, add_cpu(cpu), 0);
}

/* Whether @p appears in @objs[0..n). */
static bool in_array(void **objs, int n, void *p)
{
	int i;

	for (i = 0; i < n; i++)
		if (objs[i] == p)
			return true;
	return false;
}

/*
 * After a misuse, no object is handed out twice: @n allocations in a row
 * (enough to empty the CPU array and the slab of @a) return @n different
 * objects, then go back. Each address is checked against all the others.
 */
static void expect_no_double_handout(struct kunit *test, struct slab_ext_cache *c, int n)
{
	void **objs = kunit_kcalloc(test, n, sizeof(void *), GFP_KERNEL);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, objs);
	for (i = 0; i < n; i++) {
		objs[i] = slab_ext_alloc(c, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		KUNIT_EXPECT_FALSE_MSG(test, in_array(objs, i, objs[i]),
				       "object %d handed out twice", i);
	}
	for (i = 0; i < n; i++)
		slab_ext_free(c, objs[i]);
}

enum df_path {
	DF_CPU_ARRAY,		/* the object sits in this CPU's array, freed last */
	DF_CPU_ARRAY_DEEP,	/* ... with other objects freed after it */
	DF_AFTER_SHRINK,	/* shrink moved it back to its slab */
	DF_AFTER_DRAIN,		/* a new cpu_cache bound drained it to its slab */
	DF_SLAB_LIST,		/* no CPU arrays: straight to the slab's free list */
	DF_EMPTY_SLAB,		/* its slab went empty and is kept on the empty list */
	DF_OTHER_CPU,		/* freed on another CPU, freed again here */
	DF_DEBUG,		/* a cache with debug flags */
	DF_NR
};

static const char *const df_names[DF_NR] = {
	"cpu-array", "cpu-array-deep", "after-shrink", "after-drain", "slab-list",
	"empty-slab", "other-cpu", "debug-cache",
};

static const enum df_path df_paths[] = {
	DF_CPU_ARRAY, DF_CPU_ARRAY_DEEP, DF_AFTER_SHRINK, DF_AFTER_DRAIN, DF_SLAB_LIST,
	DF_EMPTY_SLAB, DF_OTHER_CPU, DF_DEBUG,
};

static void df_desc(const enum df_path *p, char *desc)
{
	strscpy(desc, df_names[*p], KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(df_paths, df_paths, df_desc);

/*
 * Issue 12 item 1: a double free is found on every path an object can be
 * on, debug flags or not, and the object is never handed out twice. Before
 * the fix, a free after a shrink went unnoticed and two later allocations
 * returned the same address.
 */
static void slab_ext_test_double_free_every_path(struct kunit *test)
{
	enum df_path path = *(const enum df_path *)test->param_value;
	struct buddy_sim *zone = test_zone(test, "sx_df_zone", 256);
	struct slab_ext_cache *c;
	struct handoff h = { .n = 1 };
	struct slab_ext_info before, after;
	atomic_t *reports;
	void *a, *b, *objs[1];

	c = test_cache(test, zone, "sx_df", 96, 0, path == DF_DEBUG ? DEBUG_FLAGS : 0, NULL);
	if (path == DF_SLAB_LIST || path == DF_EMPTY_SLAB)
		KUNIT_ASSERT_EQ(test, slab_ext_set_cpu_cache(c, 0), 0);
	a = slab_ext_alloc(c, GFP_KERNEL);
	b = slab_ext_alloc(c, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	if (path == DF_EMPTY_SLAB)
		slab_ext_free(c, b);
	if (path == DF_OTHER_CPU) {
		/* Freed by a thread on the next CPU: it rests in that CPU's array. */
		objs[0] = a;
		h.cache = c;
		h.objs = objs;
		h.produce = false;
		run_on(test, &h, test_next_cpu(raw_smp_processor_id()));
	} else {
		slab_ext_free(c, a);
	}
	if (path == DF_CPU_ARRAY_DEEP)
		slab_ext_free(c, b);
	if (path == DF_AFTER_SHRINK)
		KUNIT_ASSERT_EQ(test, slab_ext_shrink(c), 0);
	if (path == DF_AFTER_DRAIN)
		KUNIT_ASSERT_EQ(test, slab_ext_set_cpu_cache(c, 16), 0);

	slab_ext_cache_info(c, &before);
	reports = test_count_reports(test);
	slab_ext_free(c, a);
	slab_ext_cache_info(c, &after);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 1);
	KUNIT_EXPECT_EQ(test, after.errors, before.errors + 1);
	/* Refused: nothing else moved. */
	KUNIT_EXPECT_EQ(test, after.frees, before.frees);
	KUNIT_EXPECT_EQ(test, after.active_objs, before.active_objs);

	expect_no_double_handout(test, c, 2 * before.objs_per_slab + 130);
	if (path != DF_CPU_ARRAY_DEEP && path != DF_EMPTY_SLAB)
		slab_ext_free(c, b);
	slab_ext_cache_info(c, &after);
	KUNIT_EXPECT_EQ(test, after.active_objs, 0UL);
	KUNIT_EXPECT_EQ(test, after.errors, before.errors + 1);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 1);
}

enum fp_kind {
	FP_INTERIOR,		/* inside an object */
	FP_OUTSIDE,		/* outside the slab */
	FP_ALLOCATED,		/* to an object a user holds */
	FP_SELF,		/* to itself: a cycle */
	FP_FRESH,		/* to an object never handed out */
	FP_NR
};

static const char *const fp_names[FP_NR] = {
	"interior", "outside-slab", "allocated-object", "self", "fresh-object",
};

static const enum fp_kind fp_kinds[] = {
	FP_INTERIOR, FP_OUTSIDE, FP_ALLOCATED, FP_SELF, FP_FRESH,
};

static void fp_desc(const enum fp_kind *k, char *desc)
{
	strscpy(desc, fp_names[*k], KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(fp_kinds, fp_kinds, fp_desc);

/*
 * Issue 12 item 2, lib/slub_kunit.c's test_next_pointer: the free pointer
 * of a free object is overwritten. The cache must not follow it: one
 * report (SLUB's "Freepointer corrupt"), one error, the slab isolated and
 * never allocated from again, and destroy (the leak report included)
 * stays clean. Before, the cache followed it and the leak report oopsed.
 */
static void slab_ext_test_next_pointer(struct kunit *test)
{
	enum fp_kind kind = *(const enum fp_kind *)test->param_value;
	struct buddy_sim *zone = test_zone(test, "sx_fp_zone", 256);
	struct slab_ext_cache *c;
	struct slab_ext_info info, before;
	struct buddy_sim_info zi;
	unsigned long slab_bytes;
	atomic_t *reports;
	u8 *a, *b, *d, *p, *q;
	int i;

	c = slab_ext_cache_create(zone, "sx_fp", 64, 0, 0, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c);
	/* Straight to the slab lists, so the free list is the one corrupted. */
	KUNIT_ASSERT_EQ(test, slab_ext_set_cpu_cache(c, 0), 0);
	slab_ext_cache_info(c, &info);
	slab_bytes = PAGE_SIZE << info.order;
	a = slab_ext_alloc(c, GFP_KERNEL);
	b = slab_ext_alloc(c, GFP_KERNEL);
	d = slab_ext_alloc(c, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_NOT_NULL(test, d);
	slab_ext_free(c, b);
	slab_ext_free(c, a);			/* free list: a -> b */

	/* A cache without ctor or debug keeps the free pointer at offset 0. */
	switch (kind) {
	case FP_INTERIOR:
		*(void **)a = b + 8;
		break;
	case FP_OUTSIDE:
		*(void **)a = a + slab_bytes;
		break;
	case FP_ALLOCATED:
		*(void **)a = d;
		break;
	case FP_SELF:
		*(void **)a = a;
		break;
	default:
		*(void **)a = d + 2 * info.size;	/* d is the last one handed out */
		break;
	}
	slab_ext_cache_info(c, &before);
	reports = test_count_reports(test);
	/* Pops a, finds its pointer bad: the slab is isolated, a new one used. */
	p = slab_ext_alloc(c, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 1);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.errors, before.errors + 1);
	/* Never from the isolated slab, however many are taken. */
	KUNIT_EXPECT_GE(test, abs(p - a), (long)slab_bytes);
	for (i = 0; i < 2 * info.objs_per_slab; i++) {
		q = slab_ext_alloc(c, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, q);
		KUNIT_EXPECT_TRUE(test, q != a && q != b && q != d);
		slab_ext_free(c, q);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 1);
	/* Objects of the isolated slab can still be freed, once. */
	slab_ext_free(c, d);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 1);
	slab_ext_free(c, d);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 2);
	slab_ext_free(c, p);
	slab_ext_shrink(c);
	/* Destroy: nothing is leaked, nothing is followed, the zone is whole. */
	slab_ext_cache_destroy(c);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 2);
	buddy_sim_info(zone, &zi);
	KUNIT_EXPECT_EQ(test, zi.nr_free_pages, 256UL);
}

/* Allocates from @cache until it gets NULL or holds @max objects. */
struct alloc_until {
	struct slab_ext_cache *cache;
	int got;
	bool migrate;		/* move to the next CPU between allocations */
	void **objs;
	int max;
	struct completion done;
};

static int alloc_until_fn(void *data)
{
	struct alloc_until *u = data;
	void *p;

	while (u->got < u->max) {
		if (u->migrate)
			set_cpus_allowed_ptr(current,
					     cpumask_of(test_next_cpu(raw_smp_processor_id())));
		p = slab_ext_alloc(u->cache, GFP_KERNEL);
		if (!p)
			break;
		u->objs[u->got++] = p;
	}
	complete(&u->done);
	return 0;
}

/*
 * Issue 12 item 3: with the zone exhausted, an allocation on one CPU
 * takes the free objects another CPU's array holds before it fails, also
 * when the allocating task moves between CPUs. Before, it returned NULL
 * with 4 free objects in the other CPU's array.
 */
static void slab_ext_test_alloc_takes_other_cpus_objects(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "sx_steal_zone", 8);
	struct slab_ext_cache *c = tier_cache(test, zone, "sx_steal", 512);
	int cpu = raw_smp_processor_id(), other = test_next_cpu(cpu), n, round;
	struct alloc_until u = { .cache = c };
	struct handoff h = { .cache = c, .produce = false };
	struct slab_ext_info info;
	void **all;

	all = kunit_kcalloc(test, 64, sizeof(void *), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, all);
	for (round = 0; round < 2; round++) {
		/* Take every object the zone can give: 8 pages of 512-byte objects. */
		u.objs = all;
		u.max = 64;
		u.got = 0;
		u.migrate = false;
		init_completion(&u.done);
		test_run_on_cpu(test, alloc_until_fn, &u, cpu, "sx_steal");
		wait_for_completion(&u.done);
		n = u.got;
		KUNIT_ASSERT_EQ(test, n, 8 * (int)PAGE_SIZE / 512);
		/* Four go back on the other CPU: its array keeps them. */
		h.objs = all + n - 4;
		h.n = 4;
		run_on(test, &h, other);
		slab_ext_cache_info(c, &info);
		KUNIT_ASSERT_EQ(test, info.active_objs, (unsigned long)n - 4);
		/* This CPU (or a task moving between CPUs) gets exactly those four. */
		u.objs = all + n - 4;
		u.max = 8;
		u.got = 0;
		u.migrate = round == 1;
		init_completion(&u.done);
		test_run_on_cpu(test, alloc_until_fn, &u, cpu, "sx_steal");
		wait_for_completion(&u.done);
		KUNIT_EXPECT_EQ(test, u.got, 4);
		slab_ext_cache_info(c, &info);
		KUNIT_EXPECT_EQ(test, info.active_objs, (unsigned long)n);
		h.objs = all;
		h.n = n;
		run_on(test, &h, cpu);
	}
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.active_objs, 0UL);
	KUNIT_EXPECT_EQ(test, info.errors, 0ULL);
}

/* ---- the sheaves tier (issue 14) ---- */

/* A cache on the sheaves tier with sheaves of @capacity, or the test skipped. */
static struct slab_ext_cache *sheaves_cache(struct kunit *test, struct buddy_sim *zone,
					    const char *name, unsigned int size,
					    unsigned int capacity)
{
	struct slab_ext_cache_args args = { .sheaf_capacity = capacity };
	struct slab_ext_tier_info ti;
	struct slab_ext_cache *c;

	c = slab_ext_cache_create_args(zone, name, size, &args, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, mm_ext_test_destroy_cache, c));
	slab_ext_get_tier(c, &ti);
	if (ti.tier != SLAB_EXT_TIER_SHEAVES)
		kunit_skip(test, "every cache is a debug cache (slab_debug)");
	KUNIT_ASSERT_EQ(test, ti.sheaf_capacity, capacity);
	return c;
}

/*
 * Main and spare swap, the barn takes a full sheaf and gives one back, as
 * mainline's __pcs_replace_full_main() and __pcs_replace_empty_main()
 * would: every step counted. All on one CPU (migration off: the calls
 * never sleep).
 */
static void slab_ext_test_sheaves_swap_barn(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "sx_shv_zone", 64);
	struct slab_ext_cache *c = sheaves_cache(test, zone, "sx_shv", 64, 4);
	struct slab_ext_tier_info ti;
	struct slab_ext_info info;
	struct buddy_sim_info zi;
	void *a[12];
	int i;

	migrate_disable();
	/* Each empty main (spare empty, barn empty) is refilled with 4 objects. */
	for (i = 0; i < 12; i++)
		a[i] = slab_ext_alloc(c, GFP_KERNEL);
	slab_ext_get_tier(c, &ti);
	KUNIT_EXPECT_EQ(test, ti.stat[SX_BARN_GET_FAIL], 3ULL);
	KUNIT_EXPECT_EQ(test, ti.stat[SX_SHEAF_REFILL], 12ULL);
	KUNIT_EXPECT_EQ(test, ti.cpu_sheaf_objects, 0UL);
	/* 4 fill main; the 5th swaps in the empty spare; the 9th goes to the barn. */
	for (i = 0; i < 12; i++)
		slab_ext_free(c, a[i]);
	slab_ext_get_tier(c, &ti);
	KUNIT_EXPECT_EQ(test, ti.stat[SX_SHEAF_SWAP], 1ULL);
	KUNIT_EXPECT_EQ(test, ti.stat[SX_BARN_PUT], 1ULL);
	KUNIT_EXPECT_EQ(test, ti.stat[SX_SHEAF_ALLOC], 2ULL * num_possible_cpus() + 1);
	KUNIT_EXPECT_EQ(test, ti.barn_full, 1U);
	KUNIT_EXPECT_EQ(test, ti.barn_objects, 4UL);
	KUNIT_EXPECT_EQ(test, ti.cpu_sheaf_objects, 8UL);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.active_objs, 0UL);
	/* Back: main empties, the full spare swaps in, then the barn's full one. */
	for (i = 0; i < 12; i++) {
		a[i] = slab_ext_alloc(c, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, a[i]);
		KUNIT_EXPECT_FALSE_MSG(test, in_array(a, i, a[i]), "object %d handed out twice", i);
	}
	migrate_enable();
	slab_ext_get_tier(c, &ti);
	KUNIT_EXPECT_EQ(test, ti.stat[SX_SHEAF_SWAP], 2ULL);
	KUNIT_EXPECT_EQ(test, ti.stat[SX_BARN_GET], 1ULL);
	KUNIT_EXPECT_EQ(test, ti.stat[SX_BARN_GET_FAIL], 3ULL);
	KUNIT_EXPECT_EQ(test, ti.barn_full, 0U);
	KUNIT_EXPECT_EQ(test, ti.barn_empty, 1U);
	for (i = 0; i < 12; i++)
		slab_ext_free(c, a[i]);
	/* Shrink flushes every sheaf and empties the barn. */
	slab_ext_shrink(c);
	slab_ext_get_tier(c, &ti);
	KUNIT_EXPECT_EQ(test, ti.barn_full + ti.barn_empty, 0U);
	KUNIT_EXPECT_EQ(test, ti.cpu_sheaf_objects + ti.barn_objects, 0UL);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.allocs, 24ULL);
	KUNIT_EXPECT_EQ(test, info.frees, 24ULL);
	KUNIT_EXPECT_EQ(test, info.errors, 0ULL);
	KUNIT_EXPECT_EQ(test, info.nr_full + info.nr_partial + info.nr_empty, 0UL);
	buddy_sim_info(zone, &zi);
	KUNIT_EXPECT_EQ(test, zi.nr_free_pages, 64UL);
}

/* A full barn (10 full sheaves) refuses the next: main is flushed to the slabs. */
static void slab_ext_test_sheaves_barn_full(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "sx_shvf_zone", 64);
	struct slab_ext_cache *c = sheaves_cache(test, zone, "sx_shvf", 64, 2);
	struct slab_ext_tier_info ti;
	struct slab_ext_info info;
	void *a[26];
	int i;

	migrate_disable();
	for (i = 0; i < 26; i++) {
		a[i] = slab_ext_alloc(c, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, a[i]);
	}
	for (i = 0; i < 26; i++)
		slab_ext_free(c, a[i]);
	migrate_enable();
	slab_ext_get_tier(c, &ti);
	KUNIT_EXPECT_EQ(test, ti.barn_full, 10U);
	KUNIT_EXPECT_EQ(test, ti.barn_objects, 20UL);
	KUNIT_EXPECT_EQ(test, ti.stat[SX_BARN_PUT], 10ULL);
	KUNIT_EXPECT_EQ(test, ti.stat[SX_BARN_PUT_FAIL], 1ULL);
	KUNIT_EXPECT_EQ(test, ti.stat[SX_SHEAF_FLUSH], 2ULL);
	KUNIT_EXPECT_EQ(test, ti.cpu_sheaf_objects, 4UL);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.active_objs, 0UL);
	KUNIT_EXPECT_EQ(test, info.allocs, 26ULL);
	KUNIT_EXPECT_EQ(test, info.frees, 26ULL);
	/* Prefill takes a full sheaf of the barn; returned full, it goes back. */
	{
		struct slab_ext_sheaf *sheaf = slab_ext_prefill_sheaf(c, GFP_KERNEL, 2);

		KUNIT_ASSERT_NOT_NULL(test, sheaf);
		KUNIT_EXPECT_EQ(test, slab_ext_sheaf_size(sheaf), 2U);
		slab_ext_get_tier(c, &ti);
		KUNIT_EXPECT_EQ(test, ti.stat[SX_SHEAF_PREFILL_FAST], 1ULL);
		KUNIT_EXPECT_EQ(test, ti.barn_full, 9U);
		slab_ext_return_sheaf(c, GFP_KERNEL, sheaf);
		slab_ext_get_tier(c, &ti);
		KUNIT_EXPECT_EQ(test, ti.stat[SX_SHEAF_RETURN_FAST], 1ULL);
		KUNIT_EXPECT_EQ(test, ti.barn_full, 10U);
		/* More than a sheaf holds: from the slabs. */
		sheaf = slab_ext_prefill_sheaf(c, GFP_KERNEL, 3);
		KUNIT_ASSERT_NOT_NULL(test, sheaf);
		slab_ext_get_tier(c, &ti);
		KUNIT_EXPECT_EQ(test, ti.stat[SX_SHEAF_PREFILL_SLOW], 1ULL);
		slab_ext_return_sheaf(c, GFP_KERNEL, sheaf);
	}
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.active_objs, 0UL);
	KUNIT_EXPECT_EQ(test, info.errors, 0ULL);
}

/*
 * Switching tiers: while the tier is empty it succeeds; holding free
 * objects, it is refused unless drained (as the debugfs knob does).
 * Objects cross the switch: allocated on one tier, freed on the other.
 */
static void slab_ext_test_tier_switch(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "sx_tsw_zone", 64);
	struct slab_ext_cache *c = test_cache(test, zone, "sx_tsw", 128, 0, 0, NULL);
	struct slab_ext_tier_info ti;
	struct slab_ext_info info;
	void *a, *b;

	slab_ext_get_tier(c, &ti);
	if (slab_ext_set_tier(c, SLAB_EXT_TIER_SHEAVES, 4, false) == -EINVAL)
		kunit_skip(test, "every cache is a debug cache (slab_debug)");
	slab_ext_get_tier(c, &ti);
	KUNIT_EXPECT_EQ(test, ti.tier, SLAB_EXT_TIER_SHEAVES);
	KUNIT_EXPECT_EQ(test, slab_ext_set_cpu_cache(c, 16), -EBUSY);
	a = slab_ext_alloc(c, GFP_KERNEL);
	b = slab_ext_alloc(c, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	slab_ext_free(c, b);
	/* The sheaves hold free objects now. */
	KUNIT_EXPECT_EQ(test, slab_ext_set_tier(c, SLAB_EXT_TIER_ARRAYS, 0, false), -EBUSY);
	slab_ext_get_tier(c, &ti);
	KUNIT_EXPECT_EQ(test, ti.tier, SLAB_EXT_TIER_SHEAVES);
	slab_ext_shrink(c);
	KUNIT_EXPECT_EQ(test, slab_ext_set_tier(c, SLAB_EXT_TIER_ARRAYS, 0, false), 0);
	slab_ext_get_tier(c, &ti);
	KUNIT_EXPECT_EQ(test, ti.tier, SLAB_EXT_TIER_ARRAYS);
	/* Allocated on sheaves, freed on arrays: no error. */
	slab_ext_free(c, a);
	a = slab_ext_alloc(c, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	slab_ext_free(c, slab_ext_alloc(c, GFP_KERNEL));
	KUNIT_EXPECT_EQ(test, slab_ext_set_tier(c, SLAB_EXT_TIER_SHEAVES, 4, false), -EBUSY);
	/* Drained first, it goes. */
	KUNIT_EXPECT_EQ(test, slab_ext_set_tier(c, SLAB_EXT_TIER_SHEAVES, 4, true), 0);
	slab_ext_free(c, a);
	KUNIT_EXPECT_EQ(test, slab_ext_set_tier(c, SLAB_EXT_TIER_SHEAVES, 300, true), -EINVAL);
	/* A new capacity makes the sheaves anew. */
	KUNIT_EXPECT_EQ(test, slab_ext_set_tier(c, SLAB_EXT_TIER_SHEAVES, 6, true), 0);
	slab_ext_get_tier(c, &ti);
	KUNIT_EXPECT_EQ(test, ti.sheaf_capacity, 6U);
	KUNIT_EXPECT_EQ(test, ti.cpu_sheaf_objects + ti.barn_objects, 0UL);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.active_objs, 0UL);
	KUNIT_EXPECT_EQ(test, info.allocs, info.frees);
	KUNIT_EXPECT_EQ(test, info.errors, 0ULL);
	/* A debug cache has no per-CPU tier. */
	c = test_cache(test, zone, "sx_tsw_dbg", 64, 0, SLAB_RED_ZONE, NULL);
	KUNIT_EXPECT_EQ(test, slab_ext_set_tier(c, SLAB_EXT_TIER_SHEAVES, 4, true), -EINVAL);
}

enum sheaf_df_where { SDF_MAIN, SDF_SPARE, SDF_BARN, SDF_PREFILLED };
static const char * const sheaf_df_names[] = { "main", "spare", "barn", "prefilled" };
static const enum sheaf_df_where sheaf_df_params[] = {
	SDF_MAIN, SDF_SPARE, SDF_BARN, SDF_PREFILLED
};

static void sheaf_df_desc(const enum sheaf_df_where *w, char *desc)
{
	strscpy(desc, sheaf_df_names[*w], KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(sheaf_df, sheaf_df_params, sheaf_df_desc);

/*
 * A double free of an object resting in main, the spare, a full sheaf of
 * the barn, or a prefilled sheaf taken from the barn is one counted
 * report; nothing else changes, and no object is handed out twice.
 */
static void slab_ext_test_sheaves_double_free(struct kunit *test)
{
	const enum sheaf_df_where *w = test->param_value;
	struct buddy_sim *zone = test_zone(test, "sx_shdf_zone", 64);
	struct slab_ext_cache *c = sheaves_cache(test, zone, "sx_shdf", 64, 4);
	struct slab_ext_sheaf *sheaf = NULL;
	struct slab_ext_tier_info ti;
	struct slab_ext_info info;
	atomic_t *reports;
	void *a[12], *victim;
	int i, n;

	/* How many frees put the victim where wanted. */
	n = *w == SDF_MAIN ? 1 : *w == SDF_SPARE ? 5 : 9;
	migrate_disable();
	for (i = 0; i < 12; i++)
		a[i] = slab_ext_alloc(c, GFP_KERNEL);
	for (i = 0; i < n; i++)
		slab_ext_free(c, a[i]);
	migrate_enable();
	/* The 9th free put main (a[4..7]) in the barn; a[0..3] are the spare. */
	victim = *w >= SDF_BARN ? a[4] : a[0];
	slab_ext_get_tier(c, &ti);
	if (*w == SDF_BARN || *w == SDF_PREFILLED)
		KUNIT_ASSERT_EQ(test, ti.barn_full, 1U);
	if (*w == SDF_PREFILLED) {
		sheaf = slab_ext_prefill_sheaf(c, GFP_KERNEL, 4);
		KUNIT_ASSERT_NOT_NULL(test, sheaf);
		slab_ext_get_tier(c, &ti);
		KUNIT_ASSERT_EQ(test, ti.barn_full, 0U);
	}
	reports = test_count_reports(test);
	slab_ext_free(c, victim);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 1);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.errors, 1ULL);
	KUNIT_EXPECT_EQ(test, info.frees, (u64)n);
	KUNIT_EXPECT_EQ(test, info.active_objs, 12UL - n);
	slab_ext_return_sheaf(c, GFP_KERNEL, sheaf);
	for (i = n; i < 12; i++)
		slab_ext_free(c, a[i]);
	expect_no_double_handout(test, c, 40);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 1);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.active_objs, 0UL);
	KUNIT_EXPECT_EQ(test, info.errors, 1ULL);
}

/*
 * Regression (found by UBSan in the host build): an interior-pointer free
 * to a SLAB_STORE_USER cache was refused, but its report read "tracks" at
 * the interior pointer + offset, a misaligned read of bytes that are none.
 */
static void slab_ext_test_interior_free_store_user(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "sx_intr_zone1", 16);
	struct slab_ext_cache *c = test_cache(test, zone, "sx_intr_user1", 64, 0,
					      SLAB_STORE_USER, NULL);
	atomic_t *reports = test_count_reports(test);
	char *p = slab_ext_alloc(c, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	slab_ext_free(c, p + 3);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 1);
	slab_ext_free(c, p);
}

/*
 * Regression, the same read past the end of the zone: the last object of a
 * slab that ends the zone, freed by a pointer 8 bytes before its stride's
 * end, had its "tracks" read beyond the zone's memory (KASAN and ASan:
 * out of bounds; without KASAN, vmalloc's guard page: an oops).
 */
static void slab_ext_test_interior_free_past_zone(struct kunit *test)
{
	struct buddy_sim *probe_zone = test_zone(test, "sx_intr_probe", 16);
	struct slab_ext_cache *probe = test_cache(test, probe_zone, "sx_intr_probe", 64, 0,
						  SLAB_STORE_USER, NULL);
	struct slab_ext_info info;
	struct buddy_sim *zone;
	struct slab_ext_cache *c;
	atomic_t *reports;
	char **objs, *last = NULL;
	unsigned int i;

	slab_ext_cache_info(probe, &info);
	/* A zone of exactly one slab. */
	zone = test_zone(test, "sx_intr_zone2", 1UL << info.order);
	c = test_cache(test, zone, "sx_intr_user2", 64, 0, SLAB_STORE_USER, NULL);
	objs = kunit_kcalloc(test, info.objs_per_slab, sizeof(*objs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	for (i = 0; i < info.objs_per_slab; i++) {
		objs[i] = slab_ext_alloc(c, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		if (!last || objs[i] > last)
			last = objs[i];
	}
	reports = test_count_reports(test);
	slab_ext_free(c, last + info.size - 8);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 1);
	for (i = 0; i < info.objs_per_slab; i++)
		slab_ext_free(c, objs[i]);
}

/* ---- prefilled sheaves and bulk (issue 14) ---- */

enum sheaf_kind { SK_ARRAYS, SK_NO_ARRAYS, SK_DEBUG };

static const char * const sheaf_kind_names[] = { "cpu-arrays", "no-arrays", "debug" };
static const enum sheaf_kind sheaf_kinds[] = { SK_ARRAYS, SK_NO_ARRAYS, SK_DEBUG };

static void sheaf_kind_desc(const enum sheaf_kind *k, char *desc)
{
	strscpy(desc, sheaf_kind_names[*k], KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(sheaf_kinds, sheaf_kinds, sheaf_kind_desc);

/* A cache of @size-byte objects of the test's kind on @zone. */
static struct slab_ext_cache *kind_cache(struct kunit *test, struct buddy_sim *zone,
					 const char *name, unsigned int size)
{
	enum sheaf_kind kind = *(const enum sheaf_kind *)test->param_value;
	struct slab_ext_cache *c;

	c = test_cache(test, zone, name, size, 0, kind == SK_DEBUG ? DEBUG_FLAGS : 0, NULL);
	if (kind == SK_NO_ARRAYS)
		KUNIT_EXPECT_EQ(test, slab_ext_set_cpu_cache(c, 0), 0);
	return c;
}

/*
 * A cache of the test's kind on a zone of exactly one slab, whose objects
 * are then all known: @objs gets every one of them, allocated.
 */
static struct slab_ext_cache *one_slab_cache(struct kunit *test, const char *name,
					     void ***objs, unsigned int *n)
{
	enum sheaf_kind kind = *(const enum sheaf_kind *)test->param_value;
	struct buddy_sim *probe_zone = test_zone(test, "sx_sh_probe", 16);
	struct slab_ext_cache *probe, *c;
	struct slab_ext_info info;
	unsigned int i;

	probe = test_cache(test, probe_zone, "sx_sh_probe", 96, 0,
			   kind == SK_DEBUG ? DEBUG_FLAGS : 0, NULL);
	slab_ext_cache_info(probe, &info);
	c = kind_cache(test, test_zone(test, "sx_sh_one", 1UL << info.order), name, 96);
	*n = info.objs_per_slab;
	*objs = kunit_kcalloc(test, *n, sizeof(void *), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, *objs);
	for (i = 0; i < *n; i++) {
		(*objs)[i] = slab_ext_alloc(c, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, (*objs)[i]);
	}
	KUNIT_ASSERT_NULL(test, slab_ext_alloc(c, GFP_KERNEL));
	return c;
}

/* No two of @objs[0..@n) are the same object. */
static void expect_distinct(struct kunit *test, void **objs, unsigned int n)
{
	unsigned int i, j;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			KUNIT_EXPECT_PTR_NE(test, objs[i], objs[j]);
}

/*
 * More than any sheaf capacity (at most 128 objects): an oversize sheaf,
 * holding every object asked for, each handed out once.
 */
static void slab_ext_test_sheaf_oversize(struct kunit *test)
{
	struct slab_ext_cache *c = kind_cache(test, test_zone(test, "sx_sh_big_zone", 256),
					      "sx_sh_big", 64);
	const unsigned int count = 300;
	struct slab_ext_info info;
	struct slab_ext_sheaf *sheaf;
	void **objs;
	unsigned int i;

	objs = kunit_kcalloc(test, count, sizeof(void *), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	sheaf = slab_ext_prefill_sheaf(c, GFP_KERNEL, count);
	KUNIT_ASSERT_NOT_NULL(test, sheaf);
	KUNIT_EXPECT_EQ(test, slab_ext_sheaf_size(sheaf), count);
	/* Set aside, not allocated. */
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.active_objs, 0UL);
	KUNIT_EXPECT_EQ(test, info.allocs, 0ULL);
	KUNIT_EXPECT_GE(test, info.total_objs, (unsigned long)count);
	for (i = 0; i < count; i++) {
		objs[i] = slab_ext_alloc_from_sheaf(c, GFP_KERNEL, sheaf);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
	}
	KUNIT_EXPECT_NULL(test, slab_ext_alloc_from_sheaf(c, GFP_KERNEL, sheaf));
	expect_distinct(test, objs, count);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.active_objs, (unsigned long)count);
	KUNIT_EXPECT_EQ(test, info.allocs, (u64)count);
	slab_ext_return_sheaf(c, GFP_KERNEL, sheaf);
	for (i = 0; i < count; i++)
		slab_ext_free(c, objs[i]);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.active_objs, 0UL);
	KUNIT_EXPECT_EQ(test, info.frees, (u64)count);
	KUNIT_EXPECT_EQ(test, info.errors, 0ULL);

	/* More than the zone can hold: NULL (or 0, or -ENOMEM), nothing taken. */
	KUNIT_EXPECT_NULL(test, slab_ext_prefill_sheaf(c, GFP_KERNEL, 256 * PAGE_SIZE / 64 + 1));
	KUNIT_EXPECT_NULL(test, slab_ext_prefill_sheaf(c, GFP_KERNEL, UINT_MAX));
	objs = kunit_kcalloc(test, 256 * PAGE_SIZE / 64 + 1, sizeof(void *), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	KUNIT_EXPECT_EQ(test, slab_ext_alloc_bulk(c, GFP_KERNEL, 256 * PAGE_SIZE / 64 + 1, objs),
			0);
	sheaf = slab_ext_prefill_sheaf(c, GFP_KERNEL, 1);
	KUNIT_ASSERT_NOT_NULL(test, sheaf);
	KUNIT_EXPECT_EQ(test, slab_ext_refill_sheaf(c, GFP_KERNEL, &sheaf, UINT_MAX), -ENOMEM);
	KUNIT_EXPECT_EQ(test, slab_ext_sheaf_size(sheaf), 1U);
	slab_ext_return_sheaf(c, GFP_KERNEL, sheaf);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.active_objs, 0UL);
	KUNIT_EXPECT_EQ(test, info.allocs, (u64)count);
	KUNIT_EXPECT_EQ(test, info.errors, 0ULL);
}

/* alloc_from_sheaf hands out what the sheaf holds, then NULL, and NULL again. */
static void slab_ext_test_sheaf_until_empty(struct kunit *test)
{
	struct slab_ext_cache *c = kind_cache(test, test_zone(test, "sx_sh_empty_zone", 64),
					      "sx_sh_empty", 96);
	struct slab_ext_sheaf *sheaf;
	struct slab_ext_info info;
	void *objs[10];
	unsigned int i;

	sheaf = slab_ext_prefill_sheaf(c, GFP_KERNEL, ARRAY_SIZE(objs));
	KUNIT_ASSERT_NOT_NULL(test, sheaf);
	for (i = 0; i < ARRAY_SIZE(objs); i++) {
		KUNIT_EXPECT_EQ(test, slab_ext_sheaf_size(sheaf), ARRAY_SIZE(objs) - i);
		objs[i] = slab_ext_alloc_from_sheaf(c, GFP_KERNEL, sheaf);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		memset(objs[i], 0x5a, 96);	/* all of it is the user's */
	}
	KUNIT_EXPECT_EQ(test, slab_ext_sheaf_size(sheaf), 0U);
	KUNIT_EXPECT_NULL(test, slab_ext_alloc_from_sheaf(c, GFP_KERNEL, sheaf));
	KUNIT_EXPECT_NULL(test, slab_ext_alloc_from_sheaf(c, GFP_ATOMIC, sheaf));
	expect_distinct(test, objs, ARRAY_SIZE(objs));
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.active_objs, (unsigned long)ARRAY_SIZE(objs));
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		slab_ext_free(c, objs[i]);
	slab_ext_return_sheaf(c, GFP_KERNEL, sheaf);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.active_objs, 0UL);
	KUNIT_EXPECT_EQ(test, info.allocs, (u64)ARRAY_SIZE(objs));
	KUNIT_EXPECT_EQ(test, info.frees, (u64)ARRAY_SIZE(objs));
	KUNIT_EXPECT_EQ(test, info.errors, 0ULL);
}

/*
 * Refill tops up to the count asked, in place while it fits, and through
 * a new, bigger sheaf when it does not (the objects in the old one move
 * over); a sheaf holding enough is left alone.
 */
static void slab_ext_test_sheaf_refill(struct kunit *test)
{
	struct slab_ext_cache *c = kind_cache(test, test_zone(test, "sx_sh_refill_zone", 256),
					      "sx_sh_refill", 64);
	struct slab_ext_sheaf *sheaf, *first;
	const unsigned int big = 300;
	struct slab_ext_info info;
	void **objs;
	unsigned int i, n = 0;

	objs = kunit_kcalloc(test, big + 1, sizeof(void *), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	sheaf = slab_ext_prefill_sheaf(c, GFP_KERNEL, 4);
	KUNIT_ASSERT_NOT_NULL(test, sheaf);
	first = sheaf;
	objs[n] = slab_ext_alloc_from_sheaf(c, GFP_KERNEL, sheaf);
	KUNIT_ASSERT_NOT_NULL(test, objs[n++]);
	KUNIT_EXPECT_EQ(test, slab_ext_sheaf_size(sheaf), 3U);

	KUNIT_EXPECT_EQ(test, slab_ext_refill_sheaf(c, GFP_KERNEL, &sheaf, 2), 0);
	KUNIT_EXPECT_EQ(test, slab_ext_sheaf_size(sheaf), 3U);
	KUNIT_EXPECT_EQ(test, slab_ext_refill_sheaf(c, GFP_KERNEL, &sheaf, 8), 0);
	KUNIT_EXPECT_EQ(test, slab_ext_sheaf_size(sheaf), 8U);
	/* Beyond any capacity: a new sheaf replaces it. */
	KUNIT_EXPECT_EQ(test, slab_ext_refill_sheaf(c, GFP_KERNEL, &sheaf, big), 0);
	KUNIT_EXPECT_PTR_NE(test, sheaf, first);
	KUNIT_EXPECT_EQ(test, slab_ext_sheaf_size(sheaf), big);
	/* The old one is gone: returning it is refused. */
	while (slab_ext_sheaf_size(sheaf)) {
		objs[n] = slab_ext_alloc_from_sheaf(c, GFP_KERNEL, sheaf);
		KUNIT_ASSERT_NOT_NULL(test, objs[n++]);
	}
	KUNIT_EXPECT_EQ(test, n, big + 1);
	expect_distinct(test, objs, n);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.active_objs, (unsigned long)n);
	KUNIT_EXPECT_EQ(test, info.allocs, (u64)n);
	slab_ext_return_sheaf(c, GFP_KERNEL, sheaf);
	for (i = 0; i < n; i++)
		slab_ext_free(c, objs[i]);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.active_objs, 0UL);
	KUNIT_EXPECT_EQ(test, info.errors, 0ULL);
}

/*
 * A sheaf returned with objects left gives them back: the counters are as
 * before, a second return is refused, and destroy finds no leak; a sheaf
 * never returned is reported at destroy and its objects taken back.
 */
static void slab_ext_test_sheaf_return(struct kunit *test)
{
	enum sheaf_kind kind = *(const enum sheaf_kind *)test->param_value;
	struct buddy_sim *zone = test_zone(test, "sx_sh_ret_zone", 64);
	struct slab_ext_info before, info;
	struct slab_ext_sheaf *sheaf;
	struct slab_ext_cache *c;
	struct buddy_sim_info zi;
	atomic_t *reports;
	void *a, *b;

	c = slab_ext_cache_create(zone, "sx_sh_ret", 128, 0,
				  kind == SK_DEBUG ? DEBUG_FLAGS : 0, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c);
	if (kind == SK_NO_ARRAYS)
		KUNIT_EXPECT_EQ(test, slab_ext_set_cpu_cache(c, 0), 0);
	a = slab_ext_alloc(c, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	slab_ext_cache_info(c, &before);

	sheaf = slab_ext_prefill_sheaf(c, GFP_KERNEL, 20);
	KUNIT_ASSERT_NOT_NULL(test, sheaf);
	b = slab_ext_alloc_from_sheaf(c, GFP_KERNEL, sheaf);
	KUNIT_ASSERT_NOT_NULL(test, b);
	reports = test_count_reports(test);
	slab_ext_return_sheaf(c, GFP_KERNEL, sheaf);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 0);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.active_objs, before.active_objs + 1);
	KUNIT_EXPECT_EQ(test, info.allocs, before.allocs + 1);
	slab_ext_free(c, b);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.active_objs, before.active_objs);
	KUNIT_EXPECT_EQ(test, info.frees, before.frees + 1);
	KUNIT_EXPECT_EQ(test, info.errors, 0ULL);
	/* Returned twice: refused, counted, nothing else moves. */
	slab_ext_return_sheaf(c, GFP_KERNEL, sheaf);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 1);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.errors, 1ULL);
	KUNIT_EXPECT_EQ(test, info.active_objs, before.active_objs);
	slab_ext_free(c, a);
	slab_ext_cache_destroy(c);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 1);	/* no leak */
	buddy_sim_info(zone, &zi);
	KUNIT_EXPECT_EQ(test, zi.nr_free_pages, 64UL);

	/* Destroyed with a sheaf out: one report, every page back. */
	c = slab_ext_cache_create(zone, "sx_sh_ret", 128, 0,
				  kind == SK_DEBUG ? DEBUG_FLAGS : 0, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c);
	KUNIT_ASSERT_NOT_NULL(test, slab_ext_prefill_sheaf(c, GFP_KERNEL, 20));
	slab_ext_cache_destroy(c);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 2);
	buddy_sim_info(zone, &zi);
	KUNIT_EXPECT_EQ(test, zi.nr_free_pages, 64UL);
}

/*
 * Under 100% injected zone failure a prefill that needs a new slab fails
 * and leaves nothing taken, a refill likewise leaves its sheaf as it was,
 * and a sheaf prefilled before still hands out every object it holds.
 */
static void slab_ext_test_sheaf_injected_failure(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "sx_sh_fail_zone", 256);
	struct slab_ext_cache *c = kind_cache(test, zone, "sx_sh_fail", 64);
	struct buddy_sim_fail fail = { .probability = 100, .times = -1 };
	struct slab_ext_info before, info;
	struct slab_ext_sheaf *sheaf;
	struct buddy_sim_info zb, za;
	void *objs[8];
	unsigned int i;

	sheaf = slab_ext_prefill_sheaf(c, GFP_KERNEL, ARRAY_SIZE(objs));
	KUNIT_ASSERT_NOT_NULL(test, sheaf);
	KUNIT_ASSERT_EQ(test, buddy_sim_set_fail(zone, &fail), 0);
	slab_ext_cache_info(c, &before);
	buddy_sim_info(zone, &zb);

	/* More than the slabs the cache has hold. */
	KUNIT_EXPECT_NULL(test, slab_ext_prefill_sheaf(c, GFP_KERNEL,
						       before.total_objs + 1));
	KUNIT_EXPECT_NULL(test, slab_ext_prefill_sheaf(c, GFP_KERNEL, 100));
	KUNIT_EXPECT_EQ(test, slab_ext_refill_sheaf(c, GFP_KERNEL, &sheaf,
						    before.total_objs + 1), -ENOMEM);
	KUNIT_EXPECT_EQ(test, slab_ext_sheaf_size(sheaf), (unsigned int)ARRAY_SIZE(objs));
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.active_objs, before.active_objs);
	KUNIT_EXPECT_EQ(test, info.allocs, before.allocs);
	KUNIT_EXPECT_EQ(test, info.total_objs, before.total_objs);
	KUNIT_EXPECT_EQ(test, info.errors, 0ULL);
	buddy_sim_info(zone, &za);
	KUNIT_EXPECT_EQ(test, za.nr_free_pages, zb.nr_free_pages);
	KUNIT_EXPECT_GT(test, za.failures, zb.failures);

	for (i = 0; i < ARRAY_SIZE(objs); i++) {
		objs[i] = slab_ext_alloc_from_sheaf(c, GFP_KERNEL, sheaf);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
	}
	KUNIT_EXPECT_NULL(test, slab_ext_alloc_from_sheaf(c, GFP_KERNEL, sheaf));
	expect_distinct(test, objs, ARRAY_SIZE(objs));

	/* What the cache's slabs still hold can be had, failure or not. */
	KUNIT_EXPECT_EQ(test, slab_ext_refill_sheaf(c, GFP_KERNEL, &sheaf, 2), 0);
	KUNIT_EXPECT_EQ(test, slab_ext_sheaf_size(sheaf), 2U);
	slab_ext_return_sheaf(c, GFP_KERNEL, sheaf);
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		slab_ext_free(c, objs[i]);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.active_objs, 0UL);
	fail.probability = 0;
	KUNIT_EXPECT_EQ(test, buddy_sim_set_fail(zone, &fail), 0);
}

/* __GFP_ZERO zeroes an object from a sheaf, which held other bytes before. */
static void slab_ext_test_sheaf_zero(struct kunit *test)
{
	struct slab_ext_cache *c = kind_cache(test, test_zone(test, "sx_sh_zero_zone", 64),
					      "sx_sh_zero", 96);
	struct slab_ext_sheaf *sheaf;
	void *objs[16], *p;
	unsigned int i;

	/* Dirty objects, freed: shrink puts them back on the slabs. */
	for (i = 0; i < ARRAY_SIZE(objs); i++) {
		objs[i] = slab_ext_alloc(c, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		memset(objs[i], 0xa5, 96);
	}
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		slab_ext_free(c, objs[i]);
	KUNIT_ASSERT_EQ(test, slab_ext_shrink(c), 0);
	sheaf = slab_ext_prefill_sheaf(c, GFP_KERNEL, ARRAY_SIZE(objs));
	KUNIT_ASSERT_NOT_NULL(test, sheaf);
	for (i = 0; i < ARRAY_SIZE(objs); i++) {
		p = slab_ext_alloc_from_sheaf(c, i & 1 ? GFP_KERNEL | __GFP_ZERO : __GFP_ZERO,
					      sheaf);
		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_EXPECT_NULL(test, memchr_inv(p, 0, 96));
		objs[i] = p;
	}
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		slab_ext_free(c, objs[i]);
	slab_ext_return_sheaf(c, GFP_KERNEL, sheaf);

	/* The same for bulk. */
	KUNIT_ASSERT_EQ(test, slab_ext_alloc_bulk(c, GFP_KERNEL, ARRAY_SIZE(objs), objs),
			(int)ARRAY_SIZE(objs));
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		memset(objs[i], 0xa5, 96);
	slab_ext_free_bulk(c, ARRAY_SIZE(objs), objs);
	KUNIT_ASSERT_EQ(test, slab_ext_alloc_bulk(c, GFP_KERNEL | __GFP_ZERO,
						  ARRAY_SIZE(objs), objs),
			(int)ARRAY_SIZE(objs));
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		KUNIT_EXPECT_NULL(test, memchr_inv(objs[i], 0, 96));
	slab_ext_free_bulk(c, ARRAY_SIZE(objs), objs);
}

/*
 * On the arrays tier a prefill takes this CPU's free objects first and a
 * sheaf stashed by the last return: the object just freed comes back
 * through the sheaf, and the sheaf returned is the one the next prefill
 * gets. A stashed sheaf returned again is still a sheaf returned twice.
 */
static void slab_ext_test_sheaf_cpu_stash(struct kunit *test)
{
	struct slab_ext_cache *c = test_cache(test, test_zone(test, "sx_sh_stash_zone", 64),
					      "sx_sh_stash", 64, 0, 0, NULL);
	struct slab_ext_sheaf *s1, *s2;
	struct slab_ext_info info;
	atomic_t *reports;
	void *x, *y, *z;

	/* One CPU throughout: its array and its stash are what is tested. */
	migrate_disable();
	x = slab_ext_alloc(c, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, x);
	slab_ext_free(c, x);
	s1 = slab_ext_prefill_sheaf(c, GFP_KERNEL, 1);
	KUNIT_ASSERT_NOT_NULL(test, s1);
	y = slab_ext_alloc_from_sheaf(c, GFP_KERNEL, s1);
	KUNIT_EXPECT_PTR_EQ(test, y, x);
	slab_ext_free(c, y);
	slab_ext_return_sheaf(c, GFP_KERNEL, s1);
	s2 = slab_ext_prefill_sheaf(c, GFP_KERNEL, 2);
	KUNIT_ASSERT_NOT_NULL(test, s2);
	KUNIT_EXPECT_PTR_EQ(test, s2, s1);
	KUNIT_EXPECT_EQ(test, slab_ext_sheaf_size(s2), 2U);
	/* Returned with both objects: they go back to the array, x with them. */
	slab_ext_return_sheaf(c, GFP_KERNEL, s2);
	y = slab_ext_alloc(c, GFP_KERNEL);
	z = slab_ext_alloc(c, GFP_KERNEL);
	KUNIT_EXPECT_TRUE(test, y == x || z == x);
	slab_ext_free(c, z);
	slab_ext_free(c, y);
	migrate_enable();
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.allocs, 4ULL);
	KUNIT_EXPECT_EQ(test, info.frees, 4ULL);
	KUNIT_EXPECT_EQ(test, info.active_objs, 0UL);
	KUNIT_EXPECT_EQ(test, info.errors, 0ULL);

	reports = test_count_reports(test);
	slab_ext_return_sheaf(c, GFP_KERNEL, s2);	/* stashed: returned twice */
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 1);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.errors, 1ULL);
	KUNIT_EXPECT_EQ(test, info.allocs, 4ULL);
	KUNIT_EXPECT_EQ(test, info.active_objs, 0UL);
}

#define REG_SHEAVES	100	/* more than a cache's 32 slots: some on its list */

struct sheaf_returner {
	struct slab_ext_cache *cache;
	struct slab_ext_sheaf **sheaves;
	unsigned int n;
	struct completion done;
};

static int sheaf_return_fn(void *data)
{
	struct sheaf_returner *r = data;
	unsigned int i;

	for (i = 0; i < r->n; i++)
		slab_ext_return_sheaf(r->cache, GFP_KERNEL, r->sheaves[i]);
	complete(&r->done);
	return 0;
}

/*
 * A cache finds every sheaf it handed out, in its table of slots or, with
 * more out than the table holds, on its list: with 100 out, the objects
 * they hold count as free and those they handed out as allocated; refills
 * and returns in a seeded order find each, half returned on another CPU
 * (when there is one); a second return or a refill of a returned one is
 * one report each, and a cache destroyed with 40 out takes all back.
 */
static void slab_ext_test_sheaf_registry(struct kunit *test)
{
	enum sheaf_kind kind = *(const enum sheaf_kind *)test->param_value;
	struct buddy_sim *zone = test_zone(test, "sx_sh_reg_zone", 64);
	struct slab_ext_cache *c = kind_cache(test, zone, "sx_sh_reg", 32);
	struct slab_ext_info before, info;
	struct slab_ext_sheaf **sh;
	struct sheaf_returner r;
	u32 seed = get_random_u32();
	unsigned int i, j, held = 0;
	unsigned long free_before;
	struct buddy_sim_info zi;
	struct rnd_state rnd;
	atomic_t *reports;
	void **got;

	kunit_info(test, "seed %u", seed);
	prandom_seed_state(&rnd, seed);
	sh = kunit_kcalloc(test, REG_SHEAVES, sizeof(*sh), GFP_KERNEL);
	got = kunit_kcalloc(test, REG_SHEAVES, sizeof(*got), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sh);
	KUNIT_ASSERT_NOT_NULL(test, got);
	reports = test_count_reports(test);
	slab_ext_cache_info(c, &before);
	for (i = 0; i < REG_SHEAVES; i++) {
		sh[i] = slab_ext_prefill_sheaf(c, GFP_KERNEL, 1 + i % 3);
		KUNIT_ASSERT_NOT_NULL(test, sh[i]);
	}
	/* Every other one hands out an object; a tenth are refilled to 5. */
	for (i = 0; i < REG_SHEAVES; i++) {
		if (i % 2) {
			got[held] = slab_ext_alloc_from_sheaf(c, GFP_KERNEL, sh[i]);
			KUNIT_ASSERT_NOT_NULL(test, got[held]);
			held++;
		}
		if (i % 10 == 3) {
			KUNIT_EXPECT_EQ(test, slab_ext_refill_sheaf(c, GFP_KERNEL, &sh[i], 5), 0);
			KUNIT_EXPECT_EQ(test, slab_ext_sheaf_size(sh[i]), 5U);
		}
	}
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.active_objs, before.active_objs + held);
	KUNIT_EXPECT_EQ(test, info.allocs, before.allocs + held);

	/* Returned in a seeded order, the first half by a kthread elsewhere. */
	for (i = REG_SHEAVES - 1; i > 0; i--) {
		j = prandom_u32_state(&rnd) % (i + 1);
		swap(sh[i], sh[j]);
	}
	r = (struct sheaf_returner){ .cache = c, .sheaves = sh, .n = REG_SHEAVES / 2 };
	init_completion(&r.done);
	test_run_on_cpu(test, sheaf_return_fn, &r, test_next_cpu(raw_smp_processor_id()),
			"sx_sh_reg");
	wait_for_completion(&r.done);
	for (i = REG_SHEAVES / 2; i < REG_SHEAVES; i++)
		slab_ext_return_sheaf(c, GFP_KERNEL, sh[i]);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 0);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.active_objs, before.active_objs + held);
	KUNIT_EXPECT_EQ(test, info.allocs, before.allocs + held);
	KUNIT_EXPECT_EQ(test, info.errors, 0ULL);

	/* Again, from both halves: refused, one report each, nothing moves. */
	for (i = 0; i < REG_SHEAVES; i += 10)
		slab_ext_return_sheaf(c, GFP_KERNEL, sh[i]);
	KUNIT_EXPECT_EQ(test, slab_ext_refill_sheaf(c, GFP_KERNEL, &sh[5], 5), -EINVAL);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), REG_SHEAVES / 10 + 1);
	for (i = 0; i < held; i++)
		slab_ext_free(c, got[i]);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.active_objs, before.active_objs);
	KUNIT_EXPECT_EQ(test, info.allocs, before.allocs + held);
	KUNIT_EXPECT_EQ(test, info.frees, before.frees + held);
	KUNIT_EXPECT_EQ(test, info.errors, REG_SHEAVES / 10 + 1ULL);

	/* Destroyed with 40 out, in slots and on the list: one report. */
	buddy_sim_info(zone, &zi);
	free_before = zi.nr_free_pages;
	c = slab_ext_cache_create(zone, "sx_sh_reg2", 32, 0,
				  kind == SK_DEBUG ? DEBUG_FLAGS : 0, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c);
	for (i = 0; i < 40; i++)
		KUNIT_ASSERT_NOT_NULL(test, slab_ext_prefill_sheaf(c, GFP_KERNEL, 2));
	slab_ext_cache_destroy(c);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), REG_SHEAVES / 10 + 2);
	buddy_sim_info(zone, &zi);
	KUNIT_EXPECT_EQ(test, zi.nr_free_pages, free_before);
}

/*
 * An object resting in a sheaf is free: freeing it is a double free,
 * reported once and refused. So is a second free of one handed out from a
 * sheaf. On a zone of one slab every object is known, so after all of them
 * are allocated and @k freed, a prefill of @k takes exactly those.
 */
static void slab_ext_test_sheaf_double_free(struct kunit *test)
{
	struct slab_ext_info before, after;
	struct slab_ext_sheaf *sheaf;
	struct slab_ext_cache *c;
	const unsigned int k = 4;
	unsigned int n, i, j;
	atomic_t *reports;
	void **objs, *got[4], *x;

	c = one_slab_cache(test, "sx_sh_df", &objs, &n);
	for (i = 0; i < k; i++)
		slab_ext_free(c, objs[i]);
	sheaf = slab_ext_prefill_sheaf(c, GFP_KERNEL, k);
	KUNIT_ASSERT_NOT_NULL(test, sheaf);
	KUNIT_ASSERT_NULL(test, slab_ext_alloc(c, GFP_KERNEL));

	slab_ext_cache_info(c, &before);
	reports = test_count_reports(test);
	slab_ext_free(c, objs[1]);		/* resting in the sheaf */
	slab_ext_cache_info(c, &after);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 1);
	KUNIT_EXPECT_EQ(test, after.errors, before.errors + 1);
	KUNIT_EXPECT_EQ(test, after.frees, before.frees);
	KUNIT_EXPECT_EQ(test, after.active_objs, before.active_objs);
	KUNIT_EXPECT_EQ(test, slab_ext_sheaf_size(sheaf), k);
	/* Nothing freed by it: the cache still has no free object. */
	KUNIT_EXPECT_NULL(test, slab_ext_alloc(c, GFP_KERNEL));

	/* The sheaf still hands out each of its objects once. */
	for (i = 0; i < k; i++) {
		got[i] = slab_ext_alloc_from_sheaf(c, GFP_KERNEL, sheaf);
		KUNIT_ASSERT_NOT_NULL(test, got[i]);
		for (j = 0; j < k && objs[j] != got[i]; j++)
			;
		KUNIT_EXPECT_LT(test, j, k);
	}
	expect_distinct(test, got, k);
	x = got[0];
	slab_ext_free(c, x);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 1);
	slab_ext_cache_info(c, &before);
	slab_ext_free(c, x);			/* freed twice */
	slab_ext_cache_info(c, &after);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 2);
	KUNIT_EXPECT_EQ(test, after.errors, before.errors + 1);
	KUNIT_EXPECT_EQ(test, after.frees, before.frees);
	KUNIT_EXPECT_EQ(test, after.active_objs, before.active_objs);
	/* x is free once: handed out once more, then nothing. */
	got[0] = slab_ext_alloc(c, GFP_KERNEL);
	KUNIT_EXPECT_PTR_EQ(test, got[0], x);
	KUNIT_EXPECT_NULL(test, slab_ext_alloc(c, GFP_KERNEL));
	slab_ext_return_sheaf(c, GFP_KERNEL, sheaf);
	for (i = 0; i < k; i++)
		slab_ext_free(c, got[i]);
	for (i = k; i < n; i++)
		slab_ext_free(c, objs[i]);
	slab_ext_cache_info(c, &after);
	KUNIT_EXPECT_EQ(test, after.active_objs, 0UL);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 2);
}

/*
 * Debug caches: an object written while it rested in a sheaf is found
 * when the sheaf would hand it out: reported once, quarantined, and the
 * next object handed out instead.
 */
static void slab_ext_test_sheaf_write_after_free(struct kunit *test)
{
	struct slab_ext_info before, after;
	struct slab_ext_sheaf *sheaf;
	struct slab_ext_cache *c;
	const unsigned int k = 4;
	unsigned int n, i, j;
	atomic_t *reports;
	void **objs, *got[4];

	if (*(const enum sheaf_kind *)test->param_value != SK_DEBUG)
		kunit_skip(test, "poison is checked in debug caches only");
	c = one_slab_cache(test, "sx_sh_waf", &objs, &n);
	for (i = 0; i < k; i++)
		slab_ext_free(c, objs[i]);
	sheaf = slab_ext_prefill_sheaf(c, GFP_KERNEL, k);
	KUNIT_ASSERT_NOT_NULL(test, sheaf);
	slab_ext_cache_info(c, &before);
	reports = test_count_reports(test);
	((u8 *)objs[2])[5] = 0x42;		/* a write after free */
	for (i = 0; i < k - 1; i++) {
		got[i] = slab_ext_alloc_from_sheaf(c, GFP_KERNEL, sheaf);
		KUNIT_ASSERT_NOT_NULL(test, got[i]);
		KUNIT_EXPECT_PTR_NE(test, got[i], objs[2]);
		for (j = 0; j < k && objs[j] != got[i]; j++)
			;
		KUNIT_EXPECT_LT(test, j, k);
	}
	KUNIT_EXPECT_NULL(test, slab_ext_alloc_from_sheaf(c, GFP_KERNEL, sheaf));
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 1);
	slab_ext_cache_info(c, &after);
	KUNIT_EXPECT_EQ(test, after.errors, before.errors + 1);
	/* Quarantined: counted in use for good, a free of it refused. */
	slab_ext_free(c, objs[2]);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 2);
	slab_ext_return_sheaf(c, GFP_KERNEL, sheaf);
	for (i = 0; i < k - 1; i++)
		slab_ext_free(c, got[i]);
	for (i = k; i < n; i++)
		slab_ext_free(c, objs[i]);
	slab_ext_cache_info(c, &after);
	KUNIT_EXPECT_EQ(test, after.active_objs, 1UL);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 2);
}

/*
 * Bulk allocation is all or nothing: under 100% injected zone failure a
 * bulk needing a new slab returns 0 and takes nothing, one the cache's
 * slabs can serve succeeds; without failure a big one succeeds.
 */
static void slab_ext_test_bulk_all_or_nothing(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "sx_bulk_zone", 256);
	struct slab_ext_cache *c = kind_cache(test, zone, "sx_bulk", 64);
	struct buddy_sim_fail fail = { .probability = 100, .times = -1 };
	struct slab_ext_info before, info;
	const unsigned int big = 500;
	void **objs;

	objs = kunit_kcalloc(test, big, sizeof(void *), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	KUNIT_ASSERT_EQ(test, slab_ext_alloc_bulk(c, GFP_KERNEL, 16, objs), 16);
	expect_distinct(test, objs, 16);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.active_objs, 16UL);
	KUNIT_EXPECT_EQ(test, info.allocs, 16ULL);
	slab_ext_free_bulk(c, 16, objs);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.active_objs, 0UL);
	KUNIT_EXPECT_EQ(test, info.frees, 16ULL);
	KUNIT_EXPECT_EQ(test, slab_ext_alloc_bulk(c, GFP_KERNEL, 0, objs), 0);

	objs[0] = slab_ext_alloc(c, GFP_KERNEL);	/* one held across */
	KUNIT_ASSERT_NOT_NULL(test, objs[0]);
	KUNIT_ASSERT_EQ(test, buddy_sim_set_fail(zone, &fail), 0);
	slab_ext_cache_info(c, &before);
	KUNIT_EXPECT_EQ(test, slab_ext_alloc_bulk(c, GFP_KERNEL, before.total_objs, objs + 1), 0);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.active_objs, before.active_objs);
	KUNIT_EXPECT_EQ(test, info.allocs, before.allocs);
	KUNIT_EXPECT_EQ(test, info.errors, 0ULL);
	/* Exactly what is free: served from the slabs (and arrays) alone. */
	KUNIT_EXPECT_EQ(test, slab_ext_alloc_bulk(c, GFP_KERNEL, before.total_objs - 1, objs + 1),
			(int)before.total_objs - 1);
	expect_distinct(test, objs, before.total_objs);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.active_objs, before.total_objs);
	KUNIT_EXPECT_EQ(test, info.allocs, before.allocs + before.total_objs - 1);
	slab_ext_free_bulk(c, before.total_objs, objs);

	fail.probability = 0;
	KUNIT_ASSERT_EQ(test, buddy_sim_set_fail(zone, &fail), 0);
	KUNIT_ASSERT_EQ(test, slab_ext_alloc_bulk(c, GFP_KERNEL, big, objs), (int)big);
	expect_distinct(test, objs, big);
	slab_ext_free_bulk(c, big, objs);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.active_objs, 0UL);
	KUNIT_EXPECT_EQ(test, info.allocs, info.frees);
	KUNIT_EXPECT_EQ(test, info.errors, 0ULL);
}

/*
 * free_bulk checks each pointer as slab_ext_free does: a bad one (here an
 * interior pointer, then a pointer given twice) is reported once and
 * skipped, and every other object is freed.
 */
static void slab_ext_test_free_bulk_bad_pointer(struct kunit *test)
{
	struct slab_ext_cache *c = kind_cache(test, test_zone(test, "sx_fb_zone", 64),
					      "sx_fb", 96);
	struct slab_ext_info before, info;
	atomic_t *reports;
	void *objs[40], *held;

	KUNIT_ASSERT_EQ(test, slab_ext_alloc_bulk(c, GFP_KERNEL, ARRAY_SIZE(objs), objs),
			(int)ARRAY_SIZE(objs));
	slab_ext_cache_info(c, &before);
	reports = test_count_reports(test);
	held = objs[17];
	objs[17] = (char *)held + 8;
	slab_ext_free_bulk(c, ARRAY_SIZE(objs), objs);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 1);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.errors, before.errors + 1);
	KUNIT_EXPECT_EQ(test, info.frees, before.frees + ARRAY_SIZE(objs) - 1);
	KUNIT_EXPECT_EQ(test, info.active_objs, 1UL);
	slab_ext_free(c, held);

	/* The same object twice in one call, NULLs skipped. */
	KUNIT_ASSERT_EQ(test, slab_ext_alloc_bulk(c, GFP_KERNEL, 3, objs), 3);
	objs[3] = objs[1];
	objs[4] = NULL;
	slab_ext_free_bulk(c, 5, objs);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 2);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.errors, before.errors + 2);
	KUNIT_EXPECT_EQ(test, info.active_objs, 0UL);
	KUNIT_EXPECT_EQ(test, info.allocs, info.frees);

	/* Debug: a red zone overwritten is found by free_bulk as by slab_ext_free. */
	if (*(const enum sheaf_kind *)test->param_value != SK_DEBUG)
		return;
	KUNIT_ASSERT_EQ(test, slab_ext_alloc_bulk(c, GFP_KERNEL, 3, objs), 3);
	((u8 *)objs[1])[96] = 0;
	slab_ext_free_bulk(c, 3, objs);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 3);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.errors, before.errors + 3);
	KUNIT_EXPECT_EQ(test, info.active_objs, 1UL);	/* quarantined */
}

/*
 * free_bulk looks a slab up once per run of its objects in @p, yet checks
 * each object: in the middle of a run, objects already on their slab's
 * free list (in its first and, with more than one, its last page), an
 * interior pointer, an object freed earlier in the same call and one never
 * allocated (fresh, in the second slab's run) are each reported once and
 * skipped; every other object of both slabs is freed. Size 64 takes
 * free_bulk's one-page, power-of-two path; 96 and 1000 the other, 1000
 * with slabs of several pages.
 */
static void free_bulk_runs(struct kunit *test, atomic_t *reports, const char *zone,
			   const char *name, unsigned int size)
{
	struct slab_ext_cache *c = kind_cache(test, test_zone(test, zone, 64), name, size);
	struct slab_ext_info before, info;
	unsigned int per, i, n = 0;
	void **a, **p, *fresh;
	int reported;

	slab_ext_cache_info(c, &info);
	per = info.objs_per_slab;
	KUNIT_ASSERT_GE(test, per, 8U);
	a = kunit_kcalloc(test, per + 4, sizeof(void *), GFP_KERNEL);
	p = kunit_kcalloc(test, per + 8, sizeof(void *), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, p);
	/* A new cache: one slab's objects, then 4 of a second, all fresh before. */
	KUNIT_ASSERT_EQ(test, slab_ext_alloc_bulk(c, GFP_KERNEL, per + 4, a), (int)per + 4);
	fresh = a[per];
	for (i = per; i < per + 4; i++)
		fresh = max(fresh, a[i]);
	/* The next object of the second slab was never handed out. */
	fresh = (char *)fresh + info.size;
	/* Fresh objects go out in address order: these two lie far apart. */
	slab_ext_free(c, a[2]);
	slab_ext_free(c, a[per - 3]);
	/* On their slab's free list once the CPU arrays are emptied into the slabs. */
	slab_ext_shrink(c);
	slab_ext_cache_info(c, &before);
	reported = atomic_read(reports);

	for (i = 0; i < per + 4; i++) {
		if (i == 4)
			p[n++] = (char *)a[4] + 8;	/* interior */
		if (i == 6)
			p[n++] = a[0];			/* twice in @p */
		if (i == per + 1) {
			p[n++] = fresh;			/* never allocated */
			p[n++] = NULL;
		}
		p[n++] = a[i];			/* a[2], a[per - 3]: on the free list */
	}
	slab_ext_free_bulk(c, n, p);

	KUNIT_EXPECT_EQ(test, atomic_read(reports), reported + 5);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.errors, before.errors + 5);
	KUNIT_EXPECT_EQ(test, info.frees, before.frees + per + 2);
	KUNIT_EXPECT_EQ(test, info.active_objs, 0UL);
	KUNIT_EXPECT_EQ(test, info.allocs, info.frees);
}

static void slab_ext_test_free_bulk_runs(struct kunit *test)
{
	atomic_t *reports = test_count_reports(test);

	free_bulk_runs(test, reports, "sx_fbr64_zone", "sx_fbr64", 64);
	free_bulk_runs(test, reports, "sx_fbr96_zone", "sx_fbr96", 96);
	free_bulk_runs(test, reports, "sx_fbr1000_zone", "sx_fbr1000", 1000);
}

/* ---- the _nolock calls, from a task (the irq and NMI cases: nolock_test.c) ---- */

/* Counters of the kmalloc cache serving @size, deferred frees done first. */
static void kmalloc_info(struct kunit *test, size_t size, struct slab_ext_info *info)
{
	struct slab_ext_cache *c = slab_ext_kmalloc_cache(size);

	KUNIT_ASSERT_NOT_NULL(test, c);
	slab_ext_cache_info(c, info);
}

/*
 * kmalloc_nolock serves every size class, zeroes on __GFP_ZERO, refuses 0
 * and large sizes quietly, and its objects go back through either free,
 * every counter exact.
 */
static void slab_ext_test_nolock_kmalloc(struct kunit *test)
{
	static const size_t sizes[] = { 1, 8, 9, 16, 64, 96, 100, 192, 256, 1000, 4096, 8192 };
	struct slab_ext_info before[ARRAY_SIZE(sizes)], after;
	atomic_t *reports = test_count_reports(test);
	void *p[ARRAY_SIZE(sizes)];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		kmalloc_info(test, sizes[i], &before[i]);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		/* A dirty object first, so that the zeroing is seen. */
		p[i] = slab_ext_kmalloc(sizes[i], GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
		memset(p[i], 0xa5, sizes[i]);
		slab_ext_kfree_nolock(p[i]);
		p[i] = slab_ext_kmalloc_nolock(sizes[i], __GFP_ZERO);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
		KUNIT_EXPECT_GE(test, slab_ext_ksize(p[i]), sizes[i]);
		KUNIT_EXPECT_NULL(test, memchr_inv(p[i], 0, sizes[i]));
		memset(p[i], 0x5a, sizes[i]);
	}
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		if (i % 2)
			slab_ext_kfree(p[i]);
		else
			slab_ext_kfree_nolock(p[i]);
	}
	KUNIT_EXPECT_NULL(test, slab_ext_kmalloc_nolock(0, 0));
	KUNIT_EXPECT_NULL(test, slab_ext_kmalloc_nolock(8193, 0));
	KUNIT_EXPECT_NULL(test, slab_ext_kmalloc_nolock(1 << 20, __GFP_ZERO));
	slab_ext_kfree_nolock(NULL);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 0);
	/* Two allocations and two frees per size (classes shared by two sizes: four). */
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct slab_ext_cache *c = slab_ext_kmalloc_cache(sizes[i]);
		unsigned int j, same = 0;

		for (j = 0; j < ARRAY_SIZE(sizes); j++)
			same += slab_ext_kmalloc_cache(sizes[j]) == c;
		kmalloc_info(test, sizes[i], &after);
		KUNIT_EXPECT_EQ(test, after.allocs - before[i].allocs, 2ULL * same);
		KUNIT_EXPECT_EQ(test, after.frees - before[i].frees, 2ULL * same);
		KUNIT_EXPECT_EQ(test, after.errors, before[i].errors);
		KUNIT_EXPECT_EQ(test, after.active_objs, before[i].active_objs);
	}
}

/*
 * Misuse of the _nolock calls: a gfp beyond __GFP_ZERO is refused and
 * counted in the default zone (the call names no cache); a double free (of memory from
 * either kmalloc, large blocks too), an interior and a foreign pointer are
 * one counted report each, and nothing else changes.
 */
static void slab_ext_test_nolock_misuse(struct kunit *test)
{
	struct buddy_sim *zone = buddy_sim_default();
	struct slab_ext_info before, after;
	struct buddy_sim_info zb, za;
	atomic_t *reports;
	char *p, *q, *big;

	kmalloc_info(test, 64, &before);
	buddy_sim_info(zone, &zb);
	reports = test_count_reports(test);
	KUNIT_EXPECT_NULL(test, slab_ext_kmalloc_nolock(64, GFP_KERNEL));
	KUNIT_EXPECT_NULL(test, slab_ext_kmalloc_nolock(64, GFP_ATOMIC | __GFP_ZERO));
	KUNIT_EXPECT_NULL(test, slab_ext_kmalloc_nolock(64, GFP_NOWAIT));
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 3);
	KUNIT_EXPECT_NULL(test, slab_ext_kmalloc_nolock(100000, GFP_KERNEL));
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 4);
	kmalloc_info(test, 64, &after);
	KUNIT_EXPECT_EQ(test, after.errors, before.errors);
	KUNIT_EXPECT_EQ(test, after.allocs, before.allocs);
	/* The call names no cache: counted in the default zone, as kfree's misuse. */
	buddy_sim_info(zone, &za);
	KUNIT_EXPECT_EQ(test, za.errors - zb.errors, 4ULL);

	/* Double frees, each way round. */
	p = slab_ext_kmalloc_nolock(64, 0);
	q = slab_ext_kmalloc(64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, q);
	slab_ext_kfree_nolock(p);
	slab_ext_kfree_nolock(p);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 5);
	slab_ext_kfree(p);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 6);
	slab_ext_kfree(q);
	slab_ext_kfree_nolock(q);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 7);
	kmalloc_info(test, 64, &after);
	KUNIT_EXPECT_EQ(test, after.errors - before.errors, 3ULL);
	KUNIT_EXPECT_EQ(test, after.allocs - before.allocs, 2ULL);
	KUNIT_EXPECT_EQ(test, after.frees - before.frees, 2ULL);
	KUNIT_EXPECT_EQ(test, after.active_objs, before.active_objs);

	/* Interior and foreign pointers, and a large block freed twice. */
	p = slab_ext_kmalloc_nolock(64, 0);
	KUNIT_ASSERT_NOT_NULL(test, p);
	slab_ext_kfree_nolock(p + 8);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 8);
	slab_ext_kfree_nolock(test);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 9);
	slab_ext_kfree_nolock(p);
	big = slab_ext_kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, big);
	slab_ext_kfree_nolock(big + PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 10);
	slab_ext_kfree_nolock(big);
	slab_ext_kfree_nolock(big);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 11);
	kmalloc_info(test, 64, &after);
	KUNIT_EXPECT_EQ(test, after.active_objs, before.active_objs);
	buddy_sim_info(zone, &za);
	KUNIT_EXPECT_EQ(test, za.errors - zb.errors, 7ULL);
}

/* What a task holding a cache's locks frees and allocates with _nolock. */
struct nolock_held {
	void **objs;
	unsigned int nr;
	void *got, *got_small;
	atomic_t *reports;
	int reports_then;
};

static void nolock_held_fn(void *arg)
{
	struct nolock_held *h = arg;
	unsigned int i;

	for (i = 0; i < h->nr; i++)
		slab_ext_kfree_nolock(h->objs[i]);
	/* The first one again: deferred, it is still found free. */
	slab_ext_kfree_nolock(h->objs[0]);
	h->reports_then = atomic_read(h->reports);
	h->got = slab_ext_kmalloc_nolock(64, 0);
	h->got_small = slab_ext_kmalloc_nolock(8, 0);
}

/*
 * The case an NMI meets, met from a task: this CPU's array and the lock
 * of the cache are held, so every _nolock free must be deferred (objects
 * of 8 bytes, which have no room for a link, as well as larger ones), a
 * double free of a deferred object is still one counted report, and an
 * allocation from the held class goes to the next class up or returns
 * NULL. The deferred frees are done and counted once the locks are free.
 */
static void slab_ext_test_nolock_deferred(struct kunit *test)
{
	static const size_t sizes[] = { 64, 8 };
	struct slab_ext_info before, after;
	struct nolock_held h = {};
	unsigned int s, i, n = 40;
	struct slab_ext_cache *c;

	h.objs = kunit_kcalloc(test, n, sizeof(void *), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h.objs);
	h.nr = n;
	h.reports = test_count_reports(test);
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		c = slab_ext_kmalloc_cache(sizes[s]);
		KUNIT_ASSERT_NOT_NULL(test, c);
		slab_ext_cache_info(c, &before);
		for (i = 0; i < n; i++) {
			h.objs[i] = slab_ext_kmalloc(sizes[s], GFP_KERNEL);
			KUNIT_ASSERT_NOT_NULL(test, h.objs[i]);
		}
		slab_ext_call_held(c, SLAB_EXT_HOLD_CPU_ARRAY | SLAB_EXT_HOLD_LOCK,
				   nolock_held_fn, &h);
		KUNIT_EXPECT_EQ(test, h.reports_then, 2 * s + 1);
		/* Not from the held class: it was busy. */
		KUNIT_EXPECT_TRUE(test, !h.got || slab_ext_ksize(h.got) >= 64);
		if (sizes[s] == 64 && h.got)
			KUNIT_EXPECT_PTR_NE(test, slab_ext_kmalloc_cache(slab_ext_ksize(h.got)), c);
		if (sizes[s] == 8 && h.got_small) {
			size_t got = slab_ext_ksize(h.got_small);

			KUNIT_EXPECT_PTR_NE(test, slab_ext_kmalloc_cache(got), c);
		}
		slab_ext_kfree_nolock(h.got);
		slab_ext_kfree_nolock(h.got_small);
		/* The info waits for the deferred frees: all counted now. */
		slab_ext_cache_info(c, &after);
		KUNIT_EXPECT_EQ(test, after.allocs - before.allocs, (u64)n);
		KUNIT_EXPECT_EQ(test, after.frees - before.frees, (u64)n);
		KUNIT_EXPECT_EQ(test, after.errors - before.errors, 1ULL);
		KUNIT_EXPECT_EQ(test, after.active_objs, before.active_objs);
		/* Freed for real: a free now is a double free. */
		slab_ext_kfree(h.objs[n - 1]);
		KUNIT_EXPECT_EQ(test, atomic_read(h.reports), 2 * s + 2);
	}
}

static struct kunit_case slab_ext_test_cases[] = {
	KUNIT_CASE(slab_ext_test_interior_free_store_user),
	KUNIT_CASE(slab_ext_test_interior_free_past_zone),
	KUNIT_CASE(slab_ext_test_bad_create),
	KUNIT_CASE_PARAM(slab_ext_test_geometry, geometries_gen_params),
	KUNIT_CASE(slab_ext_test_lists),
	KUNIT_CASE(slab_ext_test_zone_exhausted),
	KUNIT_CASE(slab_ext_test_ctor),
	KUNIT_CASE_PARAM(slab_ext_test_alignment, aligns_gen_params),
	KUNIT_CASE(slab_ext_test_zero),
	KUNIT_CASE(slab_ext_test_bad_free),
	KUNIT_CASE(slab_ext_test_debug),
	KUNIT_CASE(slab_ext_test_poison_contents),
	KUNIT_CASE(slab_ext_test_destroy_leak),
	KUNIT_CASE(slab_ext_test_kmalloc),
	KUNIT_CASE_PARAM_ATTR(slab_ext_test_two_cpus, tiers_gen_params,
			      {.speed = KUNIT_SPEED_SLOW}),
	KUNIT_CASE(slab_ext_test_cpu_drain),
	KUNIT_CASE_PARAM(slab_ext_test_cross_cpu_free, tiers_gen_params),
	KUNIT_CASE_PARAM(slab_ext_test_cpu_offline, tiers_gen_params),
	KUNIT_CASE_PARAM(slab_ext_test_double_free_every_path, df_paths_gen_params),
	KUNIT_CASE_PARAM(slab_ext_test_next_pointer, fp_kinds_gen_params),
	KUNIT_CASE_PARAM(slab_ext_test_alloc_takes_other_cpus_objects, tiers_gen_params),
	KUNIT_CASE(slab_ext_test_sheaves_swap_barn),
	KUNIT_CASE(slab_ext_test_sheaves_barn_full),
	KUNIT_CASE(slab_ext_test_tier_switch),
	KUNIT_CASE_PARAM(slab_ext_test_sheaves_double_free, sheaf_df_gen_params),
	KUNIT_CASE_PARAM(slab_ext_test_sheaf_oversize, sheaf_kinds_gen_params),
	KUNIT_CASE_PARAM(slab_ext_test_sheaf_until_empty, sheaf_kinds_gen_params),
	KUNIT_CASE_PARAM(slab_ext_test_sheaf_refill, sheaf_kinds_gen_params),
	KUNIT_CASE_PARAM(slab_ext_test_sheaf_return, sheaf_kinds_gen_params),
	KUNIT_CASE_PARAM(slab_ext_test_sheaf_injected_failure, sheaf_kinds_gen_params),
	KUNIT_CASE_PARAM(slab_ext_test_sheaf_zero, sheaf_kinds_gen_params),
	KUNIT_CASE_PARAM(slab_ext_test_sheaf_double_free, sheaf_kinds_gen_params),
	KUNIT_CASE(slab_ext_test_sheaf_cpu_stash),
	KUNIT_CASE_PARAM(slab_ext_test_sheaf_registry, sheaf_kinds_gen_params),
	KUNIT_CASE_PARAM(slab_ext_test_sheaf_write_after_free, sheaf_kinds_gen_params),
	KUNIT_CASE_PARAM(slab_ext_test_bulk_all_or_nothing, sheaf_kinds_gen_params),
	KUNIT_CASE_PARAM(slab_ext_test_free_bulk_bad_pointer, sheaf_kinds_gen_params),
	KUNIT_CASE_PARAM(slab_ext_test_free_bulk_runs, sheaf_kinds_gen_params),
	KUNIT_CASE(slab_ext_test_nolock_kmalloc),
	KUNIT_CASE(slab_ext_test_nolock_misuse),
	KUNIT_CASE(slab_ext_test_nolock_deferred),
	{}
};

static struct kunit_suite slab_ext_test_suite = {
	.name = "slab_ext",
	.test_cases = slab_ext_test_cases,
};

kunit_test_suites(&slab_ext_test_suite);
