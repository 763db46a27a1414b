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

static void mempool_ext_test_bad_create(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "mp_bad_zone", 16);
	struct buddy_sim_info before, after;
	/* Not on the stack: the pool kept below is destroyed after we return. */
	atomic_t *live = kunit_kzalloc(test, sizeof(*live), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, live);
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
	atomic_t live = ATOMIC_INIT(0);
	struct mempool_ext_info info;
	size_t sizes[4] = { 100, PAGE_SIZE << 1, 3000, 32 };
	void *e[4][3];
	int k, i;

	pools[0] = keep_pool(test, mempool_ext_create_slab_pool("mp_slab", 3, cache));
	pools[1] = keep_pool(test, mempool_ext_create_page_pool("mp_page", 3, zone, 1));
	pools[2] = keep_pool(test, mempool_ext_create_kmalloc_pool("mp_kmalloc", 3, 3000));
	pools[3] = keep_pool(test, mempool_ext_create("mp_custom", 3, custom_alloc, custom_free,
						      &live));
	KUNIT_EXPECT_EQ(test, atomic_read(&live), 3);
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
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 2);
	KUNIT_EXPECT_EQ(test, after.errors, before.errors + 2);
	mempool_ext_info(pool, &info);
	KUNIT_EXPECT_EQ(test, info.curr_nr, 1);
	mempool_ext_free(a, pool);
	mempool_ext_info(pool, &info);
	KUNIT_EXPECT_EQ(test, info.curr_nr, 2);
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
	KUNIT_CASE_SLOW(mempool_ext_test_two_cpus_failing),
	KUNIT_CASE_SLOW(mempool_ext_test_resize_busy),
	KUNIT_CASE(mempool_ext_test_destroy_leak),
	{}
};

static struct kunit_suite mempool_ext_test_suite = {
	.name = "mempool_ext",
	.test_cases = mempool_ext_test_cases,
};

kunit_test_suites(&mempool_ext_test_suite);
