// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "mempool_ext": reserve pools, through the public API only.
 * The underlying allocator is made to fail with the zone's failure
 * injection, so the tests prove the guarantee, not the happy path.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/slab.h>

#include <mm_ext/buddy_sim.h>
#include <mm_ext/mempool_ext.h>
#include <mm_ext/slab_ext.h>
#include "mm_ext_test.h"

static void destroy_pool_action(void *pool)
{
	mempool_ext_destroy(pool);
}

/* A pool destroyed when the test ends, however it ends. */
static struct mempool_ext *keep_pool(struct kunit *test, struct mempool_ext *pool)
{
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, pool);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, destroy_pool_action, pool));
	return pool;
}

/* The zone's allocator fails every time (100%, no limit), or works again. */
static void fail_all(struct kunit *test, struct buddy_sim *zone, bool on)
{
	struct buddy_sim_fail f = { .probability = on ? 100 : 0, .times = -1 };

	KUNIT_ASSERT_EQ(test, buddy_sim_set_fail(zone, &f), 0);
}

static void expect_info(struct kunit *test, struct mempool_ext *pool, int curr_nr,
			u64 allocs, u64 reserve_allocs, u64 frees, u64 refills)
{
	struct mempool_ext_info info;

	mempool_ext_info(pool, &info);
	KUNIT_EXPECT_EQ(test, info.curr_nr, curr_nr);
	KUNIT_EXPECT_EQ(test, info.allocs, allocs);
	KUNIT_EXPECT_EQ(test, info.reserve_allocs, reserve_allocs);
	KUNIT_EXPECT_EQ(test, info.frees, frees);
	KUNIT_EXPECT_EQ(test, info.refills, refills);
}

static u64 pool_errors(struct mempool_ext *pool)
{
	struct mempool_ext_extra extra;

	mempool_ext_get_extra(pool, &extra);
	return extra.errors;
}

/* A custom allocator that counts the elements it has out. */
static void *custom_alloc(gfp_t gfp, void *live)
{
	void *p = kmalloc(32, gfp);

	if (p)
		atomic_inc(live);
	return p;
}

static void custom_free(void *element, void *live)
{
	atomic_dec(live);
	kfree(element);
}

/*
 * The live count of a custom pool: it outlives the test function, since the
 * pool is destroyed at cleanup, after that function's stack is gone.
 */
static atomic_t *test_live(struct kunit *test)
{
	atomic_t *live = kunit_kzalloc(test, sizeof(*live), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, live);
	return live;
}

static void mempool_ext_test_bad_create(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "mp_bad_zone", 16);
	struct buddy_sim_info before, after;
	atomic_t *live = test_live(test);

	buddy_sim_info(zone, &before);
	KUNIT_EXPECT_EQ(test, PTR_ERR(mempool_ext_create("mp_bad", -1, custom_alloc,
							 custom_free, live)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(mempool_ext_create("mp_bad", 1, NULL, custom_free,
							 live)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(mempool_ext_create("mp_bad", 1, custom_alloc, NULL,
							 live)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(mempool_ext_create("", 1, custom_alloc, custom_free,
							 live)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(mempool_ext_create("a/b", 1, custom_alloc, custom_free,
							 live)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(mempool_ext_create_slab_pool("mp_bad", 1, NULL)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(mempool_ext_create_slab_pool("mp_bad", 1,
								   ERR_PTR(-ENOMEM))), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(mempool_ext_create_page_pool("mp_bad", 1, NULL, 0)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(mempool_ext_create_page_pool("mp_bad", 1,
								   ERR_PTR(-EINVAL), 0)), -EINVAL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(mempool_ext_create_page_pool("mp_bad", 1, zone, 11)),
			-EINVAL);	/* order over BUDDY_SIM_MAX_ORDER */
	KUNIT_EXPECT_EQ(test, PTR_ERR(mempool_ext_create_kmalloc_pool("mp_bad", 1, 0)), -EINVAL);
	/* A reserve that cannot be filled: -ENOMEM, every page given back. */
	KUNIT_EXPECT_EQ(test, PTR_ERR(mempool_ext_create_page_pool("mp_bad", 17, zone, 0)),
			-ENOMEM);
	buddy_sim_info(zone, &after);
	KUNIT_EXPECT_EQ(test, after.nr_free_pages, before.nr_free_pages);
	KUNIT_EXPECT_EQ(test, atomic_read(live), 0);

	/* Names are unique among pools; the failed ones left theirs free. */
	keep_pool(test, mempool_ext_create("mp_bad", 3, custom_alloc, custom_free,
					   live));
	KUNIT_EXPECT_EQ(test, atomic_read(live), 3);
	KUNIT_EXPECT_EQ(test, PTR_ERR(mempool_ext_create_kmalloc_pool("mp_bad", 1, 64)), -EEXIST);
	KUNIT_EXPECT_EQ(test, atomic_read(live), 3);
}

/* Creation fills the reserve; destroy gives it back. */
static void mempool_ext_test_create_fills(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "mp_fill_zone", 64);
	struct mempool_ext *pool;
	struct buddy_sim_info zi;

	pool = mempool_ext_create_page_pool("mp_fill", 4, zone, 2);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, pool);
	expect_info(test, pool, 4, 0, 0, 0, 0);
	buddy_sim_info(zone, &zi);
	KUNIT_EXPECT_EQ(test, zi.nr_free_pages, 64UL - 16);
	mempool_ext_destroy(pool);
	buddy_sim_info(zone, &zi);
	KUNIT_EXPECT_EQ(test, zi.nr_free_pages, 64UL);
}

/*
 * The guarantee: with the underlying allocator failing every time, exactly
 * min_nr non-blocking allocations succeed, from the reserve, and the next
 * gets NULL; frees refill the reserve, and then go back to the allocator.
 */
static void mempool_ext_test_guarantee(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "mp_guar_zone", 64);
	struct mempool_ext *pool = keep_pool(test, mempool_ext_create_page_pool("mp_guar", 5,
										zone, 0));
	struct mempool_ext_info info;
	struct buddy_sim_info zi;
	void *e[7];
	int i;

	/* With memory, the allocator serves and the reserve is untouched. */
	e[5] = mempool_ext_alloc(pool, GFP_ATOMIC);
	e[6] = mempool_ext_alloc(pool, GFP_ATOMIC);
	KUNIT_ASSERT_NOT_NULL(test, e[5]);
	KUNIT_ASSERT_NOT_NULL(test, e[6]);
	expect_info(test, pool, 5, 2, 0, 0, 0);

	fail_all(test, zone, true);
	for (i = 0; i < 5; i++) {
		e[i] = mempool_ext_alloc(pool, GFP_ATOMIC);
		KUNIT_ASSERT_NOT_NULL_MSG(test, e[i], "allocation %d", i);
	}
	KUNIT_EXPECT_NULL(test, mempool_ext_alloc(pool, GFP_NOWAIT));
	mempool_ext_info(pool, &info);
	KUNIT_EXPECT_EQ(test, info.curr_nr, 0);
	KUNIT_EXPECT_EQ(test, info.reserve_allocs, 5ULL);
	KUNIT_EXPECT_EQ(test, info.failures, 1ULL);

	/* Refill order: the reserve first, up to min_nr, then the allocator. */
	for (i = 0; i < 7; i++) {
		mempool_ext_free(e[i], pool);
		mempool_ext_info(pool, &info);
		KUNIT_EXPECT_EQ(test, info.curr_nr, min(i + 1, 5));
	}
	expect_info(test, pool, 5, 7, 5, 7, 5);
	buddy_sim_info(zone, &zi);
	KUNIT_EXPECT_EQ(test, zi.nr_free_pages, 64UL - 5);
	mempool_ext_free(NULL, pool);
	expect_info(test, pool, 5, 7, 5, 7, 5);
	fail_all(test, zone, false);
}

static void mempool_ext_test_preallocated(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "mp_pre_zone", 16);
	struct mempool_ext *pool = keep_pool(test, mempool_ext_create_page_pool("mp_pre", 2,
										zone, 0));
	struct mempool_ext_info info;
	void *a, *b;

	/* Only the reserve, even with memory to spare. */
	a = mempool_ext_alloc_preallocated(pool);
	b = mempool_ext_alloc_preallocated(pool);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_NULL(test, mempool_ext_alloc_preallocated(pool));
	mempool_ext_info(pool, &info);
	KUNIT_EXPECT_EQ(test, info.curr_nr, 0);
	KUNIT_EXPECT_EQ(test, info.reserve_allocs, 2ULL);
	KUNIT_EXPECT_EQ(test, info.failures, 1ULL);
	mempool_ext_free(a, pool);
	mempool_ext_free(b, pool);
	expect_info(test, pool, 2, 2, 2, 2, 2);
}

struct waiter {
	struct mempool_ext *pool;
	struct completion done;
	void *got;
};

static int waiter_fn(void *data)
{
	struct waiter *w = data;

	w->got = mempool_ext_alloc(w->pool, GFP_KERNEL);
	complete(&w->done);
	return 0;
}

/*
 * A blocking allocation with the reserve empty sleeps until another thread
 * frees an element, and gets that element.
 */
static void mempool_ext_test_wait(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "mp_wait_zone", 16);
	struct mempool_ext *pool = keep_pool(test, mempool_ext_create_page_pool("mp_wait", 1,
										zone, 0));
	struct mempool_ext_info info;
	struct task_struct *t;
	struct waiter w = { .pool = pool };
	void *mine;
	int i;

	fail_all(test, zone, true);
	mine = mempool_ext_alloc(pool, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mine);
	init_completion(&w.done);
	t = kthread_run(waiter_fn, &w, "mp_waiter");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	/* Let it reach its sleep: the waits counter says when. */
	for (i = 0; i < 250; i++) {
		mempool_ext_info(pool, &info);
		if (info.waits)
			break;
		msleep(20);
	}
	KUNIT_EXPECT_EQ(test, info.waits, 1ULL);
	KUNIT_EXPECT_FALSE(test, completion_done(&w.done));
	mempool_ext_free(mine, pool);
	wait_for_completion(&w.done);
	KUNIT_EXPECT_PTR_EQ(test, w.got, mine);
	mempool_ext_info(pool, &info);
	KUNIT_EXPECT_EQ(test, info.waits, 1ULL);
	KUNIT_EXPECT_EQ(test, info.failures, 0ULL);
	KUNIT_EXPECT_EQ(test, info.reserve_allocs, 2ULL);
	mempool_ext_free(w.got, pool);
	fail_all(test, zone, false);
}

/* Every helper kind and a custom allocator, through a reserve cycle. */
static void mempool_ext_test_kinds(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "mp_kinds_zone", 256);
	struct slab_ext_cache *cache = test_cache(test, zone, "mp_kinds_cache", 100, 0, 0, NULL);
	struct mempool_ext *pools[4];
	atomic_t *live = test_live(test);
	struct mempool_ext_info info;
	size_t sizes[4] = { 100, PAGE_SIZE << 1, 3000, 32 };
	void *e[4][3];
	int k, i;

	pools[0] = keep_pool(test, mempool_ext_create_slab_pool("mp_slab", 3, cache));
	pools[1] = keep_pool(test, mempool_ext_create_page_pool("mp_page", 3, zone, 1));
	pools[2] = keep_pool(test, mempool_ext_create_kmalloc_pool("mp_kmalloc", 3, 3000));
	pools[3] = keep_pool(test, mempool_ext_create("mp_custom", 3, custom_alloc, custom_free,
						      live));
	KUNIT_EXPECT_EQ(test, atomic_read(live), 3);
	for (k = 0; k < 4; k++) {
		for (i = 0; i < 3; i++) {
			e[k][i] = mempool_ext_alloc_preallocated(pools[k]);
			KUNIT_ASSERT_NOT_NULL(test, e[k][i]);
			memset(e[k][i], 0x3c, sizes[k]);
		}
		for (i = 0; i < 3; i++)
			mempool_ext_free(e[k][i], pools[k]);
		mempool_ext_info(pools[k], &info);
		KUNIT_EXPECT_EQ(test, info.curr_nr, 3);
		KUNIT_EXPECT_EQ(test, info.refills, 3ULL);
	}
	KUNIT_EXPECT_EQ(test, slab_ext_ksize(e[2][0]), (size_t)4096);
}

/* An element written while resting in the reserve is reported on the way out. */
static void mempool_ext_test_reserve_poison(struct kunit *test)
{
	struct mempool_ext *pool = keep_pool(test, mempool_ext_create_kmalloc_pool("mp_poison",
										   1, 200));
	atomic_t *reports = test_count_reports(test);
	u8 *e;

	e = mempool_ext_alloc_preallocated(pool);
	KUNIT_ASSERT_NOT_NULL(test, e);
	mempool_ext_free(e, pool);		/* rests in the reserve, poisoned */
	KUNIT_EXPECT_EQ(test, e[0], (u8)0x6b);
	KUNIT_EXPECT_EQ(test, e[199], (u8)0xa5);
	e[100] = 0;				/* a write after free */
	e = mempool_ext_alloc_preallocated(pool);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 1);
	mempool_ext_free(e, pool);
	/* Untouched, it comes out clean. */
	e = mempool_ext_alloc_preallocated(pool);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 1);
	mempool_ext_free(e, pool);
}

/* A pointer the layer below did not hand out never enters the reserve. */
static void mempool_ext_test_foreign_free(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "mp_foreign_zone", 16);
	struct mempool_ext *pool = keep_pool(test, mempool_ext_create_page_pool("mp_foreign", 2,
										zone, 0));
	atomic_t *reports = test_count_reports(test);
	struct buddy_sim_info before, after;
	struct mempool_ext_info info;
	void *a = mempool_ext_alloc_preallocated(pool);

	KUNIT_ASSERT_NOT_NULL(test, a);
	buddy_sim_info(zone, &before);
	mempool_ext_free(test, pool);		/* not from the zone at all */
	mempool_ext_free(a + 1, pool);		/* not a block start */
	buddy_sim_info(zone, &after);
	/* Refused by the pool the call was made on, counted there only. */
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 2);
	KUNIT_EXPECT_EQ(test, pool_errors(pool), 2ULL);
	KUNIT_EXPECT_EQ(test, after.errors, before.errors);
	expect_info(test, pool, 1, 1, 1, 0, 0);
	mempool_ext_free(a, pool);
	mempool_ext_info(pool, &info);
	KUNIT_EXPECT_EQ(test, info.curr_nr, 2);
}

/*
 * Regression (found by the host fuzzer): a slab pool with its reserve full
 * read a freed element's first and last bytes (is it poisoned, so resting
 * in the reserve?) before asking whether the cache had it out, so a
 * foreign pointer shorter than an element was read past its end (KASAN,
 * ASan: out of bounds). It is refused before anything reads it.
 */
static void mempool_ext_test_foreign_short_free(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "mp_fshort_zone", 64);
	struct slab_ext_cache *c = test_cache(test, zone, "mp_fshort_cache", 256, 0, 0, NULL);
	struct mempool_ext *pool = keep_pool(test, mempool_ext_create_slab_pool("mp_fshort", 2,
										c));
	atomic_t *reports = test_count_reports(test);
	u8 *foreign = kunit_kmalloc(test, 16, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, foreign);
	mempool_ext_free(foreign, pool);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 1);
	KUNIT_EXPECT_EQ(test, pool_errors(pool), 1ULL);
	expect_info(test, pool, 2, 0, 0, 0, 0);
}

/* The pool kinds the double-free tests run on (mm/kasan's mempool cases and more). */
enum kind { K_SLAB, K_KMALLOC, K_PAGE, K_CUSTOM };

struct kind_case {
	const char *name;
	enum kind kind;
	size_t size;		/* object size, kmalloc size, or page order */
};

static const struct kind_case kind_cases[] = {
	{ "slab", K_SLAB, 128 },
	{ "kmalloc", K_KMALLOC, 128 },
	{ "kmalloc_large", K_KMALLOC, 8193 },	/* past the kmalloc caches */
	{ "page_order2", K_PAGE, 2 },
	{ "custom", K_CUSTOM, 0 },
};

static void kind_desc(const struct kind_case *k, char *desc)
{
	strscpy(desc, k->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kind, kind_cases, kind_desc);

/* A pool of kind @k named @name with @min_nr, destroyed when the test ends. */
static struct mempool_ext *kind_pool(struct kunit *test, const struct kind_case *k,
				     const char *name, int min_nr)
{
	struct buddy_sim *zone;
	atomic_t *live;

	switch (k->kind) {
	case K_SLAB:
		zone = test_zone(test, "mp_kind_zone", 64);
		return keep_pool(test, mempool_ext_create_slab_pool(name, min_nr,
				 test_cache(test, zone, "mp_kind_cache", k->size, 0, 0, NULL)));
	case K_KMALLOC:
		return keep_pool(test, mempool_ext_create_kmalloc_pool(name, min_nr, k->size));
	case K_PAGE:
		zone = test_zone(test, "mp_kind_zone", 64);
		return keep_pool(test, mempool_ext_create_page_pool(name, min_nr, zone, k->size));
	default:
		live = test_live(test);
		return keep_pool(test, mempool_ext_create(name, min_nr, custom_alloc, custom_free,
							  live));
	}
}

/*
 * mm/kasan's mempool_*_double_free: with the reserve below min_nr, an
 * element freed twice must not enter it twice; the second free is refused,
 * counted in the pool's errors, and no other counter moves.
 */
static void mempool_ext_test_double_free_into_reserve_refused(struct kunit *test)
{
	const struct kind_case *k = test->param_value;
	struct mempool_ext *pool = kind_pool(test, k, "mp_df_reserve", 4);
	atomic_t *reports;
	void *extra, *elem, *got[3];
	int i, j;

	extra = mempool_ext_alloc_preallocated(pool);
	elem = mempool_ext_alloc_preallocated(pool);
	KUNIT_ASSERT_NOT_NULL(test, extra);
	KUNIT_ASSERT_NOT_NULL(test, elem);
	mempool_ext_free(elem, pool);		/* into the reserve: 3 of 4 */
	reports = test_count_reports(test);
	mempool_ext_free(elem, pool);		/* and again */
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 1);
	KUNIT_EXPECT_EQ(test, pool_errors(pool), 1ULL);
	expect_info(test, pool, 3, 2, 2, 1, 1);

	/* The reserve holds it once: three different elements, then none. */
	for (i = 0; i < 3; i++) {
		got[i] = mempool_ext_alloc_preallocated(pool);
		KUNIT_ASSERT_NOT_NULL(test, got[i]);
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_PTR_NE(test, got[i], got[j]);
	}
	KUNIT_EXPECT_NULL(test, mempool_ext_alloc_preallocated(pool));
	for (i = 0; i < 3; i++)
		mempool_ext_free(got[i], pool);
	mempool_ext_free(extra, pool);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 1);
	expect_info(test, pool, 4, 5, 5, 5, 5);
}

/*
 * An element freed twice while the reserve is full, the first free having
 * put it there: the second must not hand it to the layer below (which
 * would free memory the reserve still holds).
 */
static void mempool_ext_test_double_free_of_resting_element_refused(struct kunit *test)
{
	const struct kind_case *k = test->param_value;
	struct mempool_ext *pool = kind_pool(test, k, "mp_df_resting", 1);
	atomic_t *reports;
	void *a, *b, *fresh;

	a = mempool_ext_alloc_preallocated(pool);
	KUNIT_ASSERT_NOT_NULL(test, a);
	mempool_ext_free(a, pool);		/* the reserve is full again */
	reports = test_count_reports(test);
	mempool_ext_free(a, pool);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 1);
	KUNIT_EXPECT_EQ(test, pool_errors(pool), 1ULL);
	expect_info(test, pool, 1, 1, 1, 1, 1);

	/* The layer did not get it: a fresh element is another one. */
	fresh = mempool_ext_alloc(pool, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fresh);
	KUNIT_EXPECT_PTR_NE(test, fresh, a);
	b = mempool_ext_alloc_preallocated(pool);
	KUNIT_EXPECT_PTR_EQ(test, b, a);
	mempool_ext_free(b, pool);
	mempool_ext_free(fresh, pool);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 1);
	expect_info(test, pool, 1, 3, 2, 3, 2);
}

/*
 * An element freed twice, the first free having given it back to the
 * layer below: refused by the pool and counted there, not in the layer.
 * A custom pool's allocator cannot be asked, so only the helper pools.
 */
static void mempool_ext_test_double_free_to_layer_refused(struct kunit *test)
{
	const struct kind_case *k = test->param_value;
	struct mempool_ext *pool;
	atomic_t *reports;
	void *a;

	if (k->kind == K_CUSTOM)
		kunit_skip(test, "a custom allocator cannot say what it has out");
	pool = kind_pool(test, k, "mp_df_layer", 1);
	a = mempool_ext_alloc(pool, GFP_KERNEL);	/* fresh: the reserve stays full */
	KUNIT_ASSERT_NOT_NULL(test, a);
	mempool_ext_free(a, pool);			/* back to the layer */
	expect_info(test, pool, 1, 1, 0, 1, 0);
	reports = test_count_reports(test);
	mempool_ext_free(a, pool);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 1);
	KUNIT_EXPECT_EQ(test, pool_errors(pool), 1ULL);
	expect_info(test, pool, 1, 1, 0, 1, 0);
}

/*
 * __GFP_ZERO is refused on both paths, even when the gfp may block: NULL,
 * one report, counted in errors and failures; the zone and the reserve
 * are untouched.
 */
static void mempool_ext_test_gfp_zero_refused(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "mp_zero_zone", 16);
	struct mempool_ext *pool = keep_pool(test, mempool_ext_create_page_pool("mp_zero", 2,
										zone, 0));
	atomic_t *reports = test_count_reports(test);
	struct buddy_sim_info before, after;
	struct mempool_ext_info info;

	buddy_sim_info(zone, &before);
	/* The allocator would serve a fresh element. */
	KUNIT_EXPECT_NULL(test, mempool_ext_alloc(pool, GFP_KERNEL | __GFP_ZERO));
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 1);
	/* Only the reserve could serve. */
	fail_all(test, zone, true);
	KUNIT_EXPECT_NULL(test, mempool_ext_alloc(pool, GFP_ATOMIC | __GFP_ZERO));
	KUNIT_EXPECT_NULL(test, mempool_ext_alloc(pool, GFP_KERNEL | __GFP_ZERO));
	fail_all(test, zone, false);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 3);
	KUNIT_EXPECT_EQ(test, pool_errors(pool), 3ULL);
	mempool_ext_info(pool, &info);
	KUNIT_EXPECT_EQ(test, info.failures, 3ULL);
	KUNIT_EXPECT_EQ(test, info.waits, 0ULL);
	expect_info(test, pool, 2, 0, 0, 0, 0);
	buddy_sim_info(zone, &after);
	KUNIT_EXPECT_EQ(test, after.nr_free_pages, before.nr_free_pages);
	KUNIT_EXPECT_EQ(test, after.allocs, before.allocs);
}

/*
 * Issue 12 item 16: growing a reserve the allocator cannot fill fails with
 * -ENOMEM and leaves min_nr and the reserve as they were; a blocking
 * allocation then never waits on a promise the pool could not keep.
 */
static void mempool_ext_test_resize_up_fails_unchanged(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "mp_rsz_zone", 16);
	struct mempool_ext *empty = keep_pool(test, mempool_ext_create_page_pool("mp_rsz0", 0,
										 zone, 1));
	struct mempool_ext *pool = keep_pool(test, mempool_ext_create_page_pool("mp_rsz", 2,
										zone, 0));
	struct buddy_sim_info before, after;
	struct mempool_ext_info info;
	void *a;

	a = mempool_ext_alloc_preallocated(pool);
	KUNIT_ASSERT_NOT_NULL(test, a);
	buddy_sim_info(zone, &before);
	fail_all(test, zone, true);
	KUNIT_EXPECT_EQ(test, mempool_ext_resize(empty, 1), -ENOMEM);
	mempool_ext_info(empty, &info);
	KUNIT_EXPECT_EQ(test, info.min_nr, 0);
	KUNIT_EXPECT_EQ(test, info.curr_nr, 0);
	KUNIT_EXPECT_EQ(test, mempool_ext_resize(pool, 5), -ENOMEM);
	mempool_ext_info(pool, &info);
	KUNIT_EXPECT_EQ(test, info.min_nr, 2);
	KUNIT_EXPECT_EQ(test, info.curr_nr, 1);
	fail_all(test, zone, false);
	buddy_sim_info(zone, &after);
	KUNIT_EXPECT_EQ(test, after.nr_free_pages, before.nr_free_pages);

	/* With memory it fills all of it: 4 more for a reserve of 5. */
	KUNIT_EXPECT_EQ(test, mempool_ext_resize(pool, 5), 0);
	mempool_ext_info(pool, &info);
	KUNIT_EXPECT_EQ(test, info.min_nr, 5);
	KUNIT_EXPECT_EQ(test, info.curr_nr, 5);
	buddy_sim_info(zone, &after);
	KUNIT_EXPECT_EQ(test, after.nr_free_pages, before.nr_free_pages - 4);
	mempool_ext_free(a, pool);		/* full: back to the zone */
	mempool_ext_info(pool, &info);
	KUNIT_EXPECT_EQ(test, info.curr_nr, 5);
}

/* The model of a page pool the counters test drives. */
struct pool_model {
	int min_nr, curr_nr;
	u64 allocs, reserve_allocs, frees, refills, failures, errors;
};

static void model_check(struct kunit *test, struct mempool_ext *pool,
			const struct pool_model *m, atomic_t *reports, int op, u32 seed)
{
	struct mempool_ext_info info;

	mempool_ext_info(pool, &info);
	KUNIT_ASSERT_EQ_MSG(test, info.min_nr, m->min_nr, "op %d seed %u", op, seed);
	KUNIT_ASSERT_EQ_MSG(test, info.curr_nr, m->curr_nr, "op %d seed %u", op, seed);
	KUNIT_ASSERT_EQ_MSG(test, info.allocs, m->allocs, "op %d seed %u", op, seed);
	KUNIT_ASSERT_EQ_MSG(test, info.reserve_allocs, m->reserve_allocs, "op %d seed %u",
			    op, seed);
	KUNIT_ASSERT_EQ_MSG(test, info.frees, m->frees, "op %d seed %u", op, seed);
	KUNIT_ASSERT_EQ_MSG(test, info.refills, m->refills, "op %d seed %u", op, seed);
	KUNIT_ASSERT_EQ_MSG(test, info.failures, m->failures, "op %d seed %u", op, seed);
	KUNIT_ASSERT_EQ_MSG(test, pool_errors(pool), m->errors, "op %d seed %u", op, seed);
	KUNIT_ASSERT_EQ_MSG(test, (u64)atomic_read(reports), m->errors, "op %d seed %u", op,
			    seed);
}

#define MODEL_HELD 16
#define MODEL_FREED 4

/*
 * Issue 12 item 11 (pools): a seeded random sequence of allocations,
 * frees, double frees, foreign frees, __GFP_ZERO, resizes and injected
 * failure, every counter compared with a model after each step.
 */
static void mempool_ext_test_counters_exact_after_misuse(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "mp_model_zone", 256);
	struct mempool_ext *pool = keep_pool(test, mempool_ext_create_page_pool("mp_model", 3,
										zone, 0));
	atomic_t *reports = test_count_reports(test);
	struct pool_model m = { .min_nr = 3, .curr_nr = 3 };
	void *held[MODEL_HELD], *freed[MODEL_FREED] = {};
	u32 seed = get_random_u32();
	int op, i, n = 0, nfreed = 0;
	bool failing = false;
	struct rnd_state rnd;

	kunit_info(test, "seed %u", seed);
	prandom_seed_state(&rnd, seed);
	for (op = 0; op < 4000; op++) {
		u32 r = prandom_u32_state(&rnd) % 100;
		void *e;

		if (r < 38 && n < MODEL_HELD) {
			e = mempool_ext_alloc(pool, GFP_ATOMIC);
			if (!failing) {
				KUNIT_ASSERT_NOT_NULL(test, e);
				m.allocs++;
			} else if (m.curr_nr) {
				KUNIT_ASSERT_NOT_NULL(test, e);
				m.curr_nr--;
				m.allocs++;
				m.reserve_allocs++;
			} else {
				KUNIT_ASSERT_NULL(test, e);
				m.failures++;
			}
			if (e)
				held[n++] = e;
		} else if (r < 76 && n) {
			i = prandom_u32_state(&rnd) % n;
			e = held[i];
			held[i] = held[--n];
			mempool_ext_free(e, pool);
			m.frees++;
			if (m.curr_nr < m.min_nr) {
				m.curr_nr++;
				m.refills++;
			}
			freed[nfreed++ % MODEL_FREED] = e;
		} else if (r < 80 && nfreed) {
			/* Freed before and not ours again: in the reserve or the zone. */
			e = freed[prandom_u32_state(&rnd) % min(nfreed, MODEL_FREED)];
			for (i = 0; i < n && held[i] != e; i++)
				;
			if (i < n)
				continue;
			mempool_ext_free(e, pool);
			m.errors++;
		} else if (r < 82) {
			mempool_ext_free(test, pool);	/* not from the zone */
			m.errors++;
		} else if (r < 84) {
			KUNIT_ASSERT_NULL(test, mempool_ext_alloc(pool, GFP_ATOMIC | __GFP_ZERO));
			m.errors++;
			m.failures++;
		} else if (r < 89 && n < MODEL_HELD) {
			e = mempool_ext_alloc_preallocated(pool);
			if (m.curr_nr) {
				KUNIT_ASSERT_NOT_NULL(test, e);
				held[n++] = e;
				m.curr_nr--;
				m.allocs++;
				m.reserve_allocs++;
			} else {
				KUNIT_ASSERT_NULL(test, e);
				m.failures++;
			}
		} else if (r < 95) {
			failing = !failing;
			fail_all(test, zone, failing);
		} else {
			int new_min = prandom_u32_state(&rnd) % 7;
			int ret = mempool_ext_resize(pool, new_min);

			if (new_min <= m.min_nr) {
				KUNIT_ASSERT_EQ(test, ret, 0);
				m.min_nr = new_min;
				m.curr_nr = min(m.curr_nr, new_min);
			} else if (failing) {
				KUNIT_ASSERT_EQ(test, ret, -ENOMEM);
			} else {
				KUNIT_ASSERT_EQ(test, ret, 0);
				m.min_nr = new_min;
				m.curr_nr = new_min;
			}
		}
		model_check(test, pool, &m, reports, op, seed);
	}
	fail_all(test, zone, false);
	while (n)
		mempool_ext_free(held[--n], pool);
}

struct churn {
	struct mempool_ext *pool;
	struct completion done;
	unsigned int seed, iters, hold;
	unsigned long nulls;
	void *held[4];
};

/* Random allocs (blocking) and frees, holding at most @hold elements. */
static int churn_fn(void *data)
{
	struct churn *c = data;
	struct rnd_state rnd;
	unsigned int i, n = 0;

	prandom_seed_state(&rnd, c->seed);
	for (i = 0; i < c->iters; i++) {
		if (n < c->hold && (n == 0 || prandom_u32_state(&rnd) % 2)) {
			c->held[n] = mempool_ext_alloc(c->pool, GFP_KERNEL);
			if (c->held[n])
				n++;
			else
				c->nulls++;
		} else {
			mempool_ext_free(c->held[--n], c->pool);
		}
		if (!(i % 64))
			cond_resched();
	}
	while (n)
		mempool_ext_free(c->held[--n], c->pool);
	complete(&c->done);
	return 0;
}

/* Two churns on @pool, one a CPU where there are two, seeded from @seed. */
static void start_churns(struct kunit *test, struct churn *c, struct mempool_ext *pool,
			 unsigned int seed, unsigned int hold)
{
	int i, cpu = cpumask_first(cpu_online_mask);

	for (i = 0; i < 2; i++) {
		c[i] = (struct churn){ .pool = pool, .seed = seed + i, .iters = 20000,
				       .hold = hold };
		init_completion(&c[i].done);
		test_run_on_cpu(test, churn_fn, &c[i], cpu, "mp_churn");
		cpu = test_next_cpu(cpu);
	}
}

/* Both done, and neither ever got NULL from its blocking allocations. */
static void wait_churns(struct kunit *test, struct churn *c)
{
	int i;

	for (i = 0; i < 2; i++) {
		wait_for_completion(&c[i].done);
		KUNIT_EXPECT_EQ(test, c[i].nulls, 0UL);
	}
}

/*
 * Two CPUs allocating (blocking) and freeing under 100% injected failure:
 * every element comes from the reserve, callers sleep when it is empty, no
 * call returns NULL and no element is lost. Each holds at most 3 and the
 * reserve has 5, so one of them can always make progress.
 */
static void mempool_ext_test_two_cpus_failing(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "mp_churn_zone", 32);
	struct mempool_ext *pool = keep_pool(test, mempool_ext_create_page_pool("mp_churn", 5,
										zone, 0));
	struct mempool_ext_info info;
	struct buddy_sim_info zi;
	struct churn c[2];

	fail_all(test, zone, true);
	start_churns(test, c, pool, 11, 3);
	wait_churns(test, c);
	mempool_ext_info(pool, &info);
	KUNIT_EXPECT_EQ(test, info.allocs, info.frees);
	KUNIT_EXPECT_EQ(test, info.allocs, info.reserve_allocs);
	KUNIT_EXPECT_EQ(test, info.curr_nr, 5);
	KUNIT_EXPECT_EQ(test, info.failures, 0ULL);
	buddy_sim_info(zone, &zi);
	KUNIT_EXPECT_EQ(test, zi.nr_free_pages, 32UL - 5);
	kunit_info(test, "%llu allocations, %llu waits", info.allocs, info.waits);
	fail_all(test, zone, false);
}

/* Resizes up and down while two threads allocate and free. */
static void mempool_ext_test_resize_busy(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "mp_resize_zone", 128);
	struct mempool_ext *pool = keep_pool(test, mempool_ext_create_page_pool("mp_resize", 4,
										zone, 0));
	struct mempool_ext_info info;
	struct buddy_sim_info zi;
	struct churn c[2];
	int i;

	KUNIT_EXPECT_EQ(test, mempool_ext_resize(pool, -1), -EINVAL);
	start_churns(test, c, pool, 21, 4);
	for (i = 0; i < 200; i++)
		KUNIT_EXPECT_EQ(test, mempool_ext_resize(pool, (i * 7) % 17 + 8), 0);
	wait_churns(test, c);
	mempool_ext_info(pool, &info);
	KUNIT_EXPECT_EQ(test, info.allocs, info.frees);

	/* Quiet now: growing fills the reserve, shrinking trims it. */
	KUNIT_EXPECT_EQ(test, mempool_ext_resize(pool, 30), 0);
	mempool_ext_info(pool, &info);
	KUNIT_EXPECT_EQ(test, info.min_nr, 30);
	KUNIT_EXPECT_EQ(test, info.curr_nr, 30);
	KUNIT_EXPECT_EQ(test, mempool_ext_resize(pool, 20), 0);
	mempool_ext_info(pool, &info);
	KUNIT_EXPECT_EQ(test, info.curr_nr, 20);
	KUNIT_EXPECT_EQ(test, mempool_ext_resize(pool, 2), 0);
	mempool_ext_info(pool, &info);
	KUNIT_EXPECT_EQ(test, info.curr_nr, 2);
	buddy_sim_info(zone, &zi);
	KUNIT_EXPECT_EQ(test, zi.nr_free_pages, 128UL - 2);
	KUNIT_EXPECT_EQ(test, mempool_ext_resize(pool, 0), 0);
	buddy_sim_info(zone, &zi);
	KUNIT_EXPECT_EQ(test, zi.nr_free_pages, 128UL);
}

/* ---- bulk: mempool_ext_alloc_bulk() and mempool_ext_free_bulk() ---- */

/*
 * What mainline's mempool_alloc_bulk() refuses (with a warning there): a
 * count over min_nr, a gfp that may not block, and __GFP_ZERO as
 * mempool_ext_alloc() refuses it. Each is -EINVAL, one report counted in
 * errors, and nothing else: no slot written, no counter moved, the zone
 * untouched. The allocator works, so a bulk call wrongly accepted would
 * return 0 here rather than hang.
 */
static void mempool_ext_test_bulk_refused(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "mp_bref_zone", 16);
	struct mempool_ext *pool = keep_pool(test, mempool_ext_create_page_pool("mp_bref", 3,
										zone, 0));
	struct mempool_ext *none = keep_pool(test, mempool_ext_create_page_pool("mp_bref0", 0,
										zone, 0));
	atomic_t *reports = test_count_reports(test);
	struct buddy_sim_info before, after;
	struct mempool_ext_info info;
	void *e[4] = {};
	int i;

	buddy_sim_info(zone, &before);
	KUNIT_EXPECT_EQ(test, mempool_ext_alloc_bulk(pool, e, 4, GFP_KERNEL), -EINVAL);
	KUNIT_EXPECT_EQ(test, mempool_ext_alloc_bulk(none, e, 1, GFP_KERNEL), -EINVAL);
	KUNIT_EXPECT_EQ(test, mempool_ext_alloc_bulk(pool, e, 3, GFP_NOWAIT), -EINVAL);
	KUNIT_EXPECT_EQ(test, mempool_ext_alloc_bulk(pool, e, 3, GFP_ATOMIC), -EINVAL);
	KUNIT_EXPECT_EQ(test, mempool_ext_alloc_bulk(pool, e, 0, GFP_NOWAIT), -EINVAL);
	KUNIT_EXPECT_EQ(test, mempool_ext_alloc_bulk(pool, e, 2, GFP_KERNEL | __GFP_ZERO),
			-EINVAL);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_NULL(test, e[i]);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 6);
	KUNIT_EXPECT_EQ(test, pool_errors(pool), 5ULL);
	KUNIT_EXPECT_EQ(test, pool_errors(none), 1ULL);
	expect_info(test, pool, 3, 0, 0, 0, 0);
	mempool_ext_info(pool, &info);
	KUNIT_EXPECT_EQ(test, info.failures, 0ULL);
	KUNIT_EXPECT_EQ(test, info.waits, 0ULL);
	buddy_sim_info(zone, &after);
	KUNIT_EXPECT_EQ(test, after.allocs, before.allocs);
	KUNIT_EXPECT_EQ(test, after.nr_free_pages, before.nr_free_pages);

	/* Nothing to fill is no misuse: 0 slots, or every slot already set. */
	KUNIT_EXPECT_EQ(test, mempool_ext_alloc_bulk(pool, e, 0, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, mempool_ext_alloc_bulk(none, e, 0, GFP_KERNEL), 0);
	for (i = 0; i < 3; i++)
		e[i] = test;
	KUNIT_EXPECT_EQ(test, mempool_ext_alloc_bulk(pool, e, 3, GFP_KERNEL), 0);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_PTR_EQ(test, e[i], (void *)test);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 6);
	expect_info(test, pool, 3, 0, 0, 0, 0);
}

/*
 * The slots already set are left alone and only the NULL ones filled: by
 * the allocator while it serves, from the reserve when it fails, the
 * reserve's part taken together; free_bulk refills the reserve first,
 * gives the rest back, clears the slots and says how many refilled.
 */
static void mempool_ext_test_bulk_fills_null_slots(struct kunit *test)
{
	/* Six pages: four for the reserve, two for the allocator to serve. */
	struct buddy_sim *zone = test_zone(test, "mp_bfill_zone", 6);
	struct mempool_ext *pool = keep_pool(test, mempool_ext_create_page_pool("mp_bfill", 4,
										zone, 0));
	void *mark = test, *e[4] = { mark, NULL, mark, NULL }, *r[4] = { NULL, NULL, mark, NULL };
	void *f[6];
	struct mempool_ext_info info;
	struct buddy_sim_info zi;
	int i, j;

	/* The allocator serves both. */
	KUNIT_ASSERT_EQ(test, mempool_ext_alloc_bulk(pool, e, 4, GFP_KERNEL), 0);
	KUNIT_EXPECT_PTR_EQ(test, e[0], mark);
	KUNIT_EXPECT_PTR_EQ(test, e[2], mark);
	KUNIT_ASSERT_NOT_NULL(test, e[1]);
	KUNIT_ASSERT_NOT_NULL(test, e[3]);
	KUNIT_EXPECT_PTR_NE(test, e[1], e[3]);
	expect_info(test, pool, 4, 2, 0, 0, 0);
	buddy_sim_info(zone, &zi);
	KUNIT_EXPECT_EQ(test, zi.nr_free_pages, 0UL);

	/* The zone is empty: three from the reserve, in one go. */
	KUNIT_ASSERT_EQ(test, mempool_ext_alloc_bulk(pool, r, 4, GFP_KERNEL), 0);
	KUNIT_EXPECT_PTR_EQ(test, r[2], mark);
	for (i = 0; i < 4; i++) {
		KUNIT_ASSERT_NOT_NULL(test, r[i]);
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_PTR_NE(test, r[i], r[j]);
	}
	expect_info(test, pool, 1, 5, 3, 0, 0);
	mempool_ext_info(pool, &info);
	KUNIT_EXPECT_EQ(test, info.waits, 0ULL);
	KUNIT_EXPECT_EQ(test, info.failures, 0ULL);

	/* Reserve first (3 of the 5 refill it), the rest to the zone; NULL skipped. */
	f[0] = r[0];
	f[1] = NULL;
	f[2] = e[1];
	f[3] = r[1];
	f[4] = r[3];
	f[5] = e[3];
	KUNIT_EXPECT_EQ(test, mempool_ext_free_bulk(pool, f, 6), 3U);
	for (i = 0; i < 6; i++)
		KUNIT_EXPECT_NULL(test, f[i]);
	expect_info(test, pool, 4, 5, 3, 5, 3);
	buddy_sim_info(zone, &zi);
	KUNIT_EXPECT_EQ(test, zi.nr_free_pages, 2UL);
	/* A full reserve takes none. */
	e[0] = NULL;
	e[1] = NULL;
	KUNIT_ASSERT_EQ(test, mempool_ext_alloc_bulk(pool, e, 2, GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, mempool_ext_free_bulk(pool, e, 2), 0U);
	expect_info(test, pool, 4, 7, 3, 7, 3);
}

/*
 * A double free inside a bulk free: the element twice in one array, its
 * first copy refilling the reserve (every kind) or given back to the layer
 * below (helper kinds: a custom allocator cannot be asked). The second
 * copy is reported once, counted in errors and its slot left; the others
 * are freed, and the counters are those of the single frees.
 */
static void mempool_ext_test_bulk_free_double_free(struct kunit *test)
{
	const struct kind_case *k = test->param_value;
	struct mempool_ext *pool = kind_pool(test, k, "mp_bdf", 4);
	void *a, *b, *c, *x, *f[4], *g[3];
	atomic_t *reports;

	a = mempool_ext_alloc_preallocated(pool);
	b = mempool_ext_alloc_preallocated(pool);
	c = mempool_ext_alloc_preallocated(pool);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_NOT_NULL(test, c);
	reports = test_count_reports(test);
	f[0] = a;
	f[1] = b;
	f[2] = a;
	f[3] = c;
	KUNIT_EXPECT_EQ(test, mempool_ext_free_bulk(pool, f, 4), 3U);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 1);
	KUNIT_EXPECT_EQ(test, pool_errors(pool), 1ULL);
	KUNIT_EXPECT_NULL(test, f[0]);
	KUNIT_EXPECT_NULL(test, f[1]);
	KUNIT_EXPECT_PTR_EQ(test, f[2], a);
	KUNIT_EXPECT_NULL(test, f[3]);
	expect_info(test, pool, 4, 3, 3, 3, 3);

	if (k->kind == K_CUSTOM)
		return;
	/* Fresh from the layer, and back to it: the reserve is full. */
	x = mempool_ext_alloc(pool, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, x);
	g[0] = x;
	g[1] = x;
	g[2] = NULL;
	KUNIT_EXPECT_EQ(test, mempool_ext_free_bulk(pool, g, 3), 0U);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 2);
	KUNIT_EXPECT_EQ(test, pool_errors(pool), 2ULL);
	KUNIT_EXPECT_NULL(test, g[0]);
	KUNIT_EXPECT_PTR_EQ(test, g[1], x);
	expect_info(test, pool, 4, 4, 3, 4, 3);
}

#define BULK_MIN_NR	4

struct bulker {
	struct mempool_ext *pool;
	struct completion *go;		/* both start together */
	struct completion done;
	unsigned int rounds, seed;
	bool hold;			/* keep the elements until another caller waits: */
	u64 waits;			/* until the pool's waits pass this */
	int bad;			/* calls that did not return 0, slots left NULL */
	unsigned int round;		/* rounds done, for the watcher */
	void *elems[BULK_MIN_NR];
};

static u64 pool_waits(struct mempool_ext *pool)
{
	struct mempool_ext_info info;

	mempool_ext_info(pool, &info);
	return info.waits;
}

/*
 * @rounds times: all of min_nr elements at once (or a seeded count of
 * them, with the other slots preset), then all back.
 */
static int bulker_fn(void *data)
{
	struct bulker *b = data;
	struct rnd_state rnd;
	unsigned int r, i, n;

	prandom_seed_state(&rnd, b->seed);
	wait_for_completion(b->go);
	for (r = 0; r < b->rounds; r++) {
		n = b->seed ? prandom_u32_state(&rnd) % BULK_MIN_NR + 1 : BULK_MIN_NR;
		if (mempool_ext_alloc_bulk(b->pool, b->elems, n, GFP_KERNEL))
			b->bad++;
		for (i = 0; i < n; i++)
			if (!b->elems[i])
				b->bad++;
		/* Hold them until the other caller sleeps for its share. */
		for (i = 0; b->hold && i < 250 && pool_waits(b->pool) <= b->waits; i++)
			msleep(20);
		/* Or a moment, for the other to come in. */
		udelay(1);
		mempool_ext_free_bulk(b->pool, b->elems, n);
		WRITE_ONCE(b->round, r + 1);
		if (!(r % 16))
			cond_resched();
	}
	complete(&b->done);
	return 0;
}

/*
 * Start a bulker a CPU (where there are two) and wait for both. Neither
 * making progress for @secs seconds fails the test (however slow the
 * kernel, a round takes far less): the deadlock is then broken by letting
 * the zone serve again (each sleeper retries the allocator within 5
 * seconds), so that the threads end before the pool goes.
 */
static void run_bulkers(struct kunit *test, struct bulker *b, struct buddy_sim *zone,
			unsigned int secs)
{
	int i, cpu = cpumask_first(cpu_online_mask);
	unsigned int idle = 0;
	struct completion go;

	init_completion(&go);
	for (i = 0; i < 2; i++) {
		b[i].go = &go;
		init_completion(&b[i].done);
		test_run_on_cpu(test, bulker_fn, &b[i], cpu, "mp_bulk");
		cpu = test_next_cpu(cpu);
	}
	complete_all(&go);
	while (!completion_done(&b[0].done) || !completion_done(&b[1].done)) {
		unsigned int progress = READ_ONCE(b[0].round) + READ_ONCE(b[1].round);

		msleep(100);
		if (progress != READ_ONCE(b[0].round) + READ_ONCE(b[1].round)) {
			idle = 0;
		} else if (++idle == secs * 10) {
			KUNIT_FAIL(test, "bulk callers stuck for %us: deadlock", secs);
			fail_all(test, zone, false);
			break;
		}
	}
	for (i = 0; i < 2; i++) {
		wait_for_completion(&b[i].done);
		KUNIT_EXPECT_EQ(test, b[i].bad, 0);
	}
}

/*
 * Issue 14: two callers each asking for min_nr elements at once, the
 * allocator failing every time: both complete, because each takes the
 * reserve whole or waits holding nothing of it.
 *
 * Taken one mempool_ext_alloc() at a time, the same two can deadlock:
 * shown here without hanging, the two callers' interleaving played by
 * this thread. Each gets half the reserve; the next element either needs
 * can only come from a free by the other, which is itself waiting: a
 * GFP_KERNEL call would sleep forever (its 5 s retries ask an allocator
 * that always fails), so GFP_NOWAIT stands for it and gets NULL.
 */
static void mempool_ext_test_bulk_two_callers_failing(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "mp_b2_zone", 16);
	struct mempool_ext *pool = keep_pool(test, mempool_ext_create_page_pool("mp_b2",
						BULK_MIN_NR, zone, 0));
	struct bulker b[2] = {
		{ .pool = pool, .rounds = 1, .hold = true },
		{ .pool = pool, .rounds = 1, .hold = true },
	};
	void *first[BULK_MIN_NR], *second[BULK_MIN_NR];
	struct bulker one = {};
	u64 waits;
	struct mempool_ext_info info;
	struct completion go;
	int i;

	fail_all(test, zone, true);
	for (i = 0; i < BULK_MIN_NR / 2; i++) {
		first[i] = mempool_ext_alloc(pool, GFP_KERNEL);
		second[i] = mempool_ext_alloc(pool, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, first[i]);
		KUNIT_ASSERT_NOT_NULL(test, second[i]);
	}
	KUNIT_EXPECT_NULL(test, mempool_ext_alloc(pool, GFP_NOWAIT));	/* first's next */
	KUNIT_EXPECT_NULL(test, mempool_ext_alloc(pool, GFP_NOWAIT));	/* second's next */
	/*
	 * A bulk caller for all four finds none and sleeps; woken by two
	 * coming back, it takes neither and sleeps again: it never holds part
	 * of the reserve, which another caller could be waiting for.
	 */
	one.pool = pool;
	one.rounds = 1;
	one.go = &go;
	init_completion(&go);
	init_completion(&one.done);
	complete_all(&go);
	test_run_on_cpu(test, bulker_fn, &one, cpumask_first(cpu_online_mask), "mp_bulk");
	for (i = 0; i < 250 && !pool_waits(pool); i++)
		msleep(20);
	mempool_ext_info(pool, &info);
	KUNIT_EXPECT_EQ(test, info.waits, 1ULL);
	KUNIT_EXPECT_EQ(test, info.curr_nr, 0);
	for (i = 0; i < BULK_MIN_NR / 2; i++)
		mempool_ext_free(second[i], pool);
	for (i = 0; i < 250 && pool_waits(pool) < 2; i++)
		msleep(20);
	mempool_ext_info(pool, &info);
	KUNIT_EXPECT_GE(test, info.waits, 2ULL);
	KUNIT_EXPECT_EQ(test, info.curr_nr, 2);
	KUNIT_EXPECT_FALSE(test, completion_done(&one.done));
	for (i = 0; i < BULK_MIN_NR / 2; i++)
		mempool_ext_free(first[i], pool);
	if (!wait_for_completion_timeout(&one.done, 60 * HZ)) {
		KUNIT_FAIL(test, "the bulk caller is still asleep with the reserve full");
		fail_all(test, zone, false);
		wait_for_completion(&one.done);
	}
	KUNIT_EXPECT_EQ(test, one.bad, 0);
	expect_info(test, pool, BULK_MIN_NR, 8, 8, 8, 8);
	waits = pool_waits(pool);

	/* In bulk: one takes all four, the other sleeps until they are back. */
	b[0].waits = waits;
	b[1].waits = waits;
	run_bulkers(test, b, zone, 30);
	mempool_ext_info(pool, &info);
	KUNIT_EXPECT_EQ(test, info.curr_nr, BULK_MIN_NR);
	KUNIT_EXPECT_EQ(test, info.allocs, 8ULL + 2 * BULK_MIN_NR);
	KUNIT_EXPECT_EQ(test, info.reserve_allocs, info.allocs);
	KUNIT_EXPECT_EQ(test, info.frees, info.allocs);
	KUNIT_EXPECT_EQ(test, info.refills, info.allocs);
	KUNIT_EXPECT_EQ(test, info.failures, 2ULL);
	/* The second slept at least once, and at most once a refill. */
	KUNIT_EXPECT_GE(test, info.waits, waits + 1);
	KUNIT_EXPECT_LE(test, info.waits, waits + BULK_MIN_NR);
	kunit_info(test, "%llu and %llu waits", waits, info.waits - waits);
	fail_all(test, zone, false);
}

/*
 * The same two callers for many rounds, seeded counts of 1..min_nr with
 * the other slots kept set, the allocator failing: no call fails, nothing
 * is lost, the reserve is whole at the end.
 */
static void mempool_ext_test_bulk_churn_failing(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "mp_bc_zone", 16);
	struct mempool_ext *pool = keep_pool(test, mempool_ext_create_page_pool("mp_bc",
						BULK_MIN_NR, zone, 0));
	struct bulker b[2] = {
		{ .pool = pool, .rounds = 4000 },
		{ .pool = pool, .rounds = 4000 },
	};
	struct mempool_ext_info info;
	struct buddy_sim_info zi;
	u32 seed = get_random_u32() | 1;

	kunit_info(test, "seed %u", seed);
	b[0].seed = seed;
	b[1].seed = seed + 2;
	fail_all(test, zone, true);
	run_bulkers(test, b, zone, 30);
	mempool_ext_info(pool, &info);
	KUNIT_EXPECT_EQ(test, info.curr_nr, BULK_MIN_NR);
	KUNIT_EXPECT_EQ(test, info.allocs, info.frees);
	KUNIT_EXPECT_EQ(test, info.allocs, info.reserve_allocs);
	KUNIT_EXPECT_EQ(test, info.frees, info.refills);
	KUNIT_EXPECT_EQ(test, info.failures, 0ULL);
	buddy_sim_info(zone, &zi);
	KUNIT_EXPECT_EQ(test, zi.nr_free_pages, 16UL - BULK_MIN_NR);
	kunit_info(test, "%llu elements, %llu waits", info.allocs, info.waits);
	fail_all(test, zone, false);
}

/*
 * Issue 14's "counters exact": a seeded random mix of single and bulk
 * calls (preset slots, counts over min_nr, non-blocking gfp, NULL slots
 * and double frees inside a bulk free), injected failure on and off and
 * resizes, every counter compared after each step with a model in which a
 * bulk call is the single calls it stands for.
 */
static void mempool_ext_test_bulk_counters_exact(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "mp_bmodel_zone", 256);
	struct mempool_ext *pool = keep_pool(test, mempool_ext_create_page_pool("mp_bmodel", 3,
										zone, 0));
	atomic_t *reports = test_count_reports(test);
	struct pool_model m = { .min_nr = 3, .curr_nr = 3 };
	void *held[MODEL_HELD], *freed[MODEL_FREED] = {}, *v[2 * MODEL_HELD + 1], *mark = test;
	u32 seed = get_random_u32();
	int op, i, j, n = 0, nfreed = 0;
	bool failing = false;
	struct rnd_state rnd;

	kunit_info(test, "seed %u", seed);
	prandom_seed_state(&rnd, seed);
	for (op = 0; op < 4000; op++) {
		u32 r = prandom_u32_state(&rnd) % 100;
		unsigned int count, missing, want;
		void *e;

		if (r < 20 && n < MODEL_HELD) {
			e = mempool_ext_alloc(pool, GFP_ATOMIC);
			if (!failing || m.curr_nr) {
				KUNIT_ASSERT_NOT_NULL(test, e);
				m.allocs++;
				if (failing) {
					m.curr_nr--;
					m.reserve_allocs++;
				}
				held[n++] = e;
			} else {
				KUNIT_ASSERT_NULL(test, e);
				m.failures++;
			}
		} else if (r < 40 && n) {
			i = prandom_u32_state(&rnd) % n;
			e = held[i];
			held[i] = held[--n];
			mempool_ext_free(e, pool);
			m.frees++;
			if (m.curr_nr < m.min_nr) {
				m.curr_nr++;
				m.refills++;
			}
			freed[nfreed++ % MODEL_FREED] = e;
		} else if (r < 65) {
			/* Bulk: 0..min_nr + 1 slots, some preset, a gfp that may not block. */
			gfp_t gfp = prandom_u32_state(&rnd) % 16 ? GFP_KERNEL : GFP_NOWAIT;
			int ret;

			/* Over min_nr one time in 16. */
			count = m.min_nr + 1;
			if (prandom_u32_state(&rnd) % 16)
				count = prandom_u32_state(&rnd) % (m.min_nr + 1);
			for (i = 0, missing = 0; i < count; i++) {
				v[i] = prandom_u32_state(&rnd) % 4 ? NULL : mark;
				missing += !v[i];
			}
			want = count <= m.min_nr && gfp == GFP_KERNEL ? missing : 0;
			/* Would sleep forever (no thread frees), or hold too many. */
			if ((failing && (int)want > m.curr_nr) || n + (int)want > MODEL_HELD)
				continue;
			ret = mempool_ext_alloc_bulk(pool, v, count, gfp);
			if (count > m.min_nr || gfp != GFP_KERNEL) {
				KUNIT_ASSERT_EQ(test, ret, -EINVAL);
				m.errors++;
			} else {
				KUNIT_ASSERT_EQ(test, ret, 0);
				m.allocs += missing;
				if (failing) {
					m.curr_nr -= missing;
					m.reserve_allocs += missing;
				}
			}
			for (i = 0; i < count; i++) {
				if (v[i] == mark)
					continue;
				if (ret) {
					KUNIT_ASSERT_NULL(test, v[i]);
					continue;
				}
				KUNIT_ASSERT_NOT_NULL(test, v[i]);
				held[n++] = v[i];
			}
		} else if (r < 85) {
			/* Bulk free of some held, NULLs between, maybe a double free. */
			unsigned int expect = 0, nv = 0, take = prandom_u32_state(&rnd) % (n + 1);
			bool bad[2 * MODEL_HELD + 1] = {};

			for (i = 0; i < take; i++) {
				j = prandom_u32_state(&rnd) % n;
				v[nv++] = held[j];
				held[j] = held[--n];
				if (!(prandom_u32_state(&rnd) % 5))
					v[nv++] = NULL;
			}
			r = prandom_u32_state(&rnd) % 4;
			if (r == 0 && nv) {
				bad[nv] = true;			/* twice in this array */
				v[nv++] = v[0];
			} else if (r == 1 && nfreed) {
				/* Freed before, and neither held nor in this array. */
				e = freed[prandom_u32_state(&rnd) % min(nfreed, MODEL_FREED)];
				for (j = 0; j < n && held[j] != e; j++)
					;
				for (i = 0; i < nv && v[i] != e; i++)
					;
				if (j == n && i == nv) {
					bad[nv] = true;
					v[nv++] = e;
				}
			}
			for (i = 0; i < nv; i++) {
				if (!v[i])
					continue;
				if (bad[i]) {
					m.errors++;
					continue;
				}
				m.frees++;
				freed[nfreed++ % MODEL_FREED] = v[i];
				if (m.curr_nr < m.min_nr) {
					m.curr_nr++;
					m.refills++;
					expect++;
				}
			}
			KUNIT_ASSERT_EQ(test, mempool_ext_free_bulk(pool, v, nv), expect);
			for (i = 0; i < nv; i++)
				KUNIT_ASSERT_EQ(test, bad[i], !!v[i]);
		} else if (r < 93) {
			failing = !failing;
			fail_all(test, zone, failing);
		} else {
			int new_min = prandom_u32_state(&rnd) % 7;
			int ret = mempool_ext_resize(pool, new_min);

			if (new_min <= m.min_nr) {
				KUNIT_ASSERT_EQ(test, ret, 0);
				m.min_nr = new_min;
				m.curr_nr = min(m.curr_nr, new_min);
			} else if (failing) {
				KUNIT_ASSERT_EQ(test, ret, -ENOMEM);
			} else {
				KUNIT_ASSERT_EQ(test, ret, 0);
				m.min_nr = new_min;
				m.curr_nr = new_min;
			}
		}
		model_check(test, pool, &m, reports, op, seed);
	}
	KUNIT_EXPECT_EQ(test, pool_waits(pool), 0ULL);
	fail_all(test, zone, false);
	while (n)
		mempool_ext_free(held[--n], pool);
}

/* The kinds the busy-filter test runs on: the reserve is large. */
static const struct kind_case busy_cases[] = {
	{ "slab", K_SLAB, 64 },
	{ "kmalloc", K_KMALLOC, 64 },
	{ "custom", K_CUSTOM, 0 },
};

KUNIT_ARRAY_PARAM(busy, busy_cases, kind_desc);

#define BUSY_MIN	2048
#define BUSY_OUT	64

/*
 * Whether a free may rest in the reserve is first asked of a counting
 * filter of the reserve's addresses (1024 buckets); only a busy bucket
 * costs a search. With 2048 elements resting a bucket is free with odds
 * e^-2 (0.14), so most of the 64 elements freed here share their bucket
 * with resting ones (a collision; none with odds 0.14^64). They must
 * still go back to the layer below, counted as frees, with no report; and
 * a double free of one of them (back in the layer) or of a resting
 * element must still be refused.
 */
static void mempool_ext_test_busy_filter(struct kunit *test)
{
	const struct kind_case *k = test->param_value;
	struct slab_ext_cache *cache = NULL;
	struct slab_ext_info ci;
	struct mempool_ext *pool;
	void *e[BUSY_OUT], *r;
	atomic_t *reports, *live = NULL;
	int i;

	switch (k->kind) {
	case K_SLAB:
		cache = test_cache(test, test_zone(test, "mp_busy_zone", 256), "mp_busy_cache",
				   k->size, 0, 0, NULL);
		pool = keep_pool(test, mempool_ext_create_slab_pool("mp_busy", BUSY_MIN, cache));
		break;
	case K_KMALLOC:
		pool = keep_pool(test, mempool_ext_create_kmalloc_pool("mp_busy", BUSY_MIN,
								       k->size));
		break;
	default:
		live = test_live(test);
		pool = keep_pool(test, mempool_ext_create("mp_busy", BUSY_MIN, custom_alloc,
							  custom_free, live));
	}
	reports = test_count_reports(test);
	for (i = 0; i < BUSY_OUT; i++) {
		e[i] = mempool_ext_alloc(pool, GFP_KERNEL);	/* fresh: the reserve is full */
		KUNIT_ASSERT_NOT_NULL(test, e[i]);
	}
	for (i = 0; i < BUSY_OUT; i++)
		mempool_ext_free(e[i], pool);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 0);
	KUNIT_EXPECT_EQ(test, pool_errors(pool), 0ULL);
	expect_info(test, pool, BUSY_MIN, BUSY_OUT, 0, BUSY_OUT, 0);
	/* The layer has them back: only the reserve is out. */
	if (cache) {
		slab_ext_cache_info(cache, &ci);
		KUNIT_EXPECT_EQ(test, ci.active_objs, (unsigned long)BUSY_MIN);
	}
	if (live)
		KUNIT_EXPECT_EQ(test, atomic_read(live), BUSY_MIN);

	/* A double free after the element went back to the layer below. */
	if (k->kind != K_CUSTOM) {
		mempool_ext_free(e[BUSY_OUT / 2], pool);
		KUNIT_EXPECT_EQ(test, atomic_read(reports), 1);
		KUNIT_EXPECT_EQ(test, pool_errors(pool), 1ULL);
		atomic_set(reports, 0);
	}
	/* A double free of a resting element, the reserve full. */
	r = mempool_ext_alloc_preallocated(pool);
	KUNIT_ASSERT_NOT_NULL(test, r);
	mempool_ext_free(r, pool);			/* rests again */
	mempool_ext_free(r, pool);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 1);
	KUNIT_EXPECT_EQ(test, pool_errors(pool), k->kind != K_CUSTOM ? 2ULL : 1ULL);
	expect_info(test, pool, BUSY_MIN, BUSY_OUT + 1, 1, BUSY_OUT + 1, 1);
	if (cache) {
		slab_ext_cache_info(cache, &ci);
		KUNIT_EXPECT_EQ(test, ci.active_objs, (unsigned long)BUSY_MIN);
		KUNIT_EXPECT_EQ(test, ci.errors, 0ULL);
	}
}

/* Destroy with elements out: one report, the reserve given back. */
static void mempool_ext_test_destroy_leak(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "mp_leak_zone", 16);
	struct mempool_ext *pool = mempool_ext_create_page_pool("mp_leak", 3, zone, 0);
	struct buddy_sim_info zi;
	atomic_t *reports;
	void *a, *b;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, pool);
	a = mempool_ext_alloc(pool, GFP_KERNEL);
	b = mempool_ext_alloc(pool, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	reports = test_count_reports(test);
	mempool_ext_destroy(pool);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 1);
	buddy_sim_info(zone, &zi);
	KUNIT_EXPECT_EQ(test, zi.nr_free_pages, 16UL - 2);
	buddy_sim_free(zone, a, 0);
	buddy_sim_free(zone, b, 0);
}

static struct kunit_case mempool_ext_test_cases[] = {
	KUNIT_CASE(mempool_ext_test_bad_create),
	KUNIT_CASE(mempool_ext_test_create_fills),
	KUNIT_CASE(mempool_ext_test_guarantee),
	KUNIT_CASE(mempool_ext_test_preallocated),
	KUNIT_CASE(mempool_ext_test_wait),
	KUNIT_CASE(mempool_ext_test_kinds),
	KUNIT_CASE(mempool_ext_test_reserve_poison),
	KUNIT_CASE(mempool_ext_test_foreign_free),
	KUNIT_CASE(mempool_ext_test_foreign_short_free),
	KUNIT_CASE_PARAM(mempool_ext_test_double_free_into_reserve_refused, kind_gen_params),
	KUNIT_CASE_PARAM(mempool_ext_test_double_free_of_resting_element_refused,
			 kind_gen_params),
	KUNIT_CASE_PARAM(mempool_ext_test_double_free_to_layer_refused, kind_gen_params),
	KUNIT_CASE(mempool_ext_test_gfp_zero_refused),
	KUNIT_CASE(mempool_ext_test_resize_up_fails_unchanged),
	KUNIT_CASE(mempool_ext_test_counters_exact_after_misuse),
	KUNIT_CASE_SLOW(mempool_ext_test_two_cpus_failing),
	KUNIT_CASE_SLOW(mempool_ext_test_resize_busy),
	KUNIT_CASE(mempool_ext_test_destroy_leak),
	KUNIT_CASE_PARAM(mempool_ext_test_busy_filter, busy_gen_params),
	KUNIT_CASE(mempool_ext_test_bulk_refused),
	KUNIT_CASE(mempool_ext_test_bulk_fills_null_slots),
	KUNIT_CASE_PARAM(mempool_ext_test_bulk_free_double_free, kind_gen_params),
	KUNIT_CASE(mempool_ext_test_bulk_two_callers_failing),
	KUNIT_CASE_SLOW(mempool_ext_test_bulk_churn_failing),
	KUNIT_CASE(mempool_ext_test_bulk_counters_exact),
	{}
};

static struct kunit_suite mempool_ext_test_suite = {
	.name = "mempool_ext",
	.test_cases = mempool_ext_test_cases,
};

kunit_test_suites(&mempool_ext_test_suite);
