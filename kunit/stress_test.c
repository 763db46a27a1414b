// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "mm_ext_stress": every layer at once, from a kthread on each
 * online CPU, for a bounded time, while this thread switches failure
 * injection on and off, resizes the pools, shrinks the caches, and creates
 * and destroys a cache and a pool in the middle. Afterwards every object
 * is back: counters balance and the zone is exactly as created.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/prandom.h>
#include <linux/slab.h>

#include <mm_ext/buddy_sim.h>
#include <mm_ext/mempool_ext.h>
#include <mm_ext/slab_ext.h>
#include "mm_ext_test.h"

#define STRESS_SECONDS	3
#define STRESS_SLOTS	48
#define STRESS_ZONE	4096
#define STRESS_SHEAVES	8	/* sheaves passed between the workers */

enum { K_PAGE, K_SMALL, K_BIG, K_DEBUG, K_POOL_SLAB, K_POOL_PAGE, K_KMALLOC, K_SHEAF, K_KINDS };

struct stress {
	struct buddy_sim *zone;
	struct slab_ext_cache *cache[K_KINDS];	/* K_SMALL, K_BIG, K_DEBUG */
	struct mempool_ext *pool_slab, *pool_page;
	/* Prefilled sheaves of cache[K_SMALL], returned by whoever takes one. */
	struct slab_ext_sheaf *sheaf_xchg[STRESS_SHEAVES];
	unsigned long deadline;
	/* What the disturber managed: each must be seen at least once. */
	unsigned int tmp_caches, tmp_pools, tmp_pools_refused, tmp_objs;
};

struct worker {
	struct stress *st;
	struct completion done;
	unsigned int seed;
	unsigned long ops, nulls, corrupt;
};

struct held {
	u64 *p;
	int kind;
	unsigned int order;
};

/*
 * An object from a sheaf of a few prefilled for it; the sheaf goes into a
 * slot all workers share, and the one it displaces is returned: often on
 * another CPU than prefilled it, while others prefill and return theirs.
 */
static void *stress_sheaf_alloc(struct stress *st, struct rnd_state *rnd)
{
	struct slab_ext_cache *c = st->cache[K_SMALL];
	struct slab_ext_sheaf *sheaf, *old;
	void *obj;

	sheaf = slab_ext_prefill_sheaf(c, GFP_KERNEL, 1 + prandom_u32_state(rnd) % 6);
	if (!sheaf)
		return NULL;
	obj = slab_ext_alloc_from_sheaf(c, GFP_KERNEL, sheaf);
	old = xchg(&st->sheaf_xchg[prandom_u32_state(rnd) % STRESS_SHEAVES], sheaf);
	slab_ext_return_sheaf(c, GFP_KERNEL, old);
	return obj;
}

static void *stress_alloc(struct stress *st, int kind, struct rnd_state *rnd,
			  unsigned int *order)
{
	switch (kind) {
	case K_PAGE:
		*order = prandom_u32_state(rnd) % 4;
		return buddy_sim_alloc(st->zone, GFP_KERNEL, *order);
	case K_POOL_SLAB:
		return mempool_ext_alloc(st->pool_slab, GFP_NOWAIT);
	case K_POOL_PAGE:
		return mempool_ext_alloc(st->pool_page, GFP_NOWAIT);
	case K_KMALLOC:
		return slab_ext_kmalloc(8 + prandom_u32_state(rnd) % 12000, GFP_KERNEL);
	case K_SHEAF:
		return stress_sheaf_alloc(st, rnd);
	default:
		return slab_ext_alloc(st->cache[kind], GFP_KERNEL);
	}
}

static void stress_free(struct stress *st, struct held *h)
{
	switch (h->kind) {
	case K_PAGE:
		buddy_sim_free(st->zone, h->p, h->order);
		break;
	case K_POOL_SLAB:
		mempool_ext_free(h->p, st->pool_slab);
		break;
	case K_POOL_PAGE:
		mempool_ext_free(h->p, st->pool_page);
		break;
	case K_KMALLOC:
		slab_ext_kfree(h->p);
		break;
	case K_SHEAF:
		slab_ext_free(st->cache[K_SMALL], h->p);
		break;
	default:
		slab_ext_free(st->cache[h->kind], h->p);
	}
	h->p = NULL;
}

/* Random allocs and frees of every kind; each object stamped and checked. */
static int worker_fn(void *data)
{
	struct worker *w = data;
	struct held slot[STRESS_SLOTS] = { };
	struct rnd_state rnd;
	int s;

	prandom_seed_state(&rnd, w->seed);
	while (time_before(jiffies, w->st->deadline)) {
		struct held *h = &slot[prandom_u32_state(&rnd) % STRESS_SLOTS];
		u64 stamp = ((u64)w->seed << 32) | (unsigned long)(h - slot);

		if (h->p) {
			if (*h->p != stamp)
				w->corrupt++;
			stress_free(w->st, h);
		} else {
			h->kind = prandom_u32_state(&rnd) % K_KINDS;
			h->p = stress_alloc(w->st, h->kind, &rnd, &h->order);
			if (h->p)
				*h->p = stamp;
			else
				w->nulls++;
		}
		if (!(++w->ops % 128))
			cond_resched();
	}
	for (s = 0; s < STRESS_SLOTS; s++)
		if (slot[s].p)
			stress_free(w->st, &slot[s]);
	complete(&w->done);
	return 0;
}

/*
 * What the test thread does while the workers run. Nothing is skipped: a
 * step that may fail under injection (a pool filling its reserve) must
 * succeed when injection is off, and every outcome is counted.
 */
static void disturb(struct kunit *test, struct stress *st, unsigned int round)
{
	bool inject = round % 2;
	struct buddy_sim_fail f = { .probability = inject ? 30 : 0, .times = -1 };
	struct slab_ext_cache *tmp;
	struct mempool_ext *pool;
	struct slab_ext_info ci;
	void *objs[10];
	int i, ret;

	KUNIT_EXPECT_EQ(test, buddy_sim_set_fail(st->zone, &f), 0);
	/* A reserve grows whole or not at all: -ENOMEM only under injection. */
	ret = mempool_ext_resize(st->pool_slab, 4 + round % 29);
	KUNIT_EXPECT_TRUE(test, !ret || (f.probability && ret == -ENOMEM));
	ret = mempool_ext_resize(st->pool_page, 2 + round % 7);
	KUNIT_EXPECT_TRUE(test, !ret || (f.probability && ret == -ENOMEM));
	slab_ext_shrink(st->cache[K_SMALL + round % 3]);
	/* Read while sheaves come and go: it walks those out. */
	slab_ext_cache_info(st->cache[K_SMALL], &ci);
	KUNIT_EXPECT_EQ(test, ci.errors, 0ULL);
	/* A cache takes no zone memory until its first allocation: never fails. */
	tmp = slab_ext_cache_create(st->zone, "stress_tmp", 96 + round % 200, 0, 0, NULL);
	/* No assert: the workers still use *st, this thread must not end. */
	if (IS_ERR_OR_NULL(tmp)) {
		KUNIT_FAIL(test, "round %u: cache create %ld", round, PTR_ERR(tmp));
		return;
	}
	st->tmp_caches++;
	pool = mempool_ext_create_slab_pool("stress_tmp_pool", 2, tmp);
	if (IS_ERR(pool)) {
		/* Only injection may make its reserve fail to fill. */
		KUNIT_EXPECT_TRUE_MSG(test, inject, "round %u: pool create %ld",
				      round, PTR_ERR(pool));
		KUNIT_EXPECT_EQ(test, PTR_ERR(pool), -ENOMEM);
		st->tmp_pools_refused++;
	} else {
		st->tmp_pools++;
	}
	for (i = 0; i < 10; i++) {
		objs[i] = slab_ext_alloc(tmp, GFP_KERNEL);
		if (objs[i])
			st->tmp_objs++;
		else
			KUNIT_EXPECT_TRUE_MSG(test, inject, "round %u: alloc %d failed", round, i);
	}
	for (i = 0; i < 10; i++)
		if (objs[i])
			slab_ext_free(tmp, objs[i]);
	if (!IS_ERR(pool))
		mempool_ext_destroy(pool);
	slab_ext_cache_destroy(tmp);
}

static void mm_ext_stress_all_layers(struct kunit *test)
{
	struct buddy_sim_fail off = { .times = -1 };
	struct stress st = { };
	struct slab_ext_info ci;
	struct mempool_ext_info pi;
	struct buddy_sim_info zi;
	struct worker *w;
	unsigned int round = 0;
	int cpu, n = 0, i, k;
	u64 default_errors;

	/* Earlier suites misuse the default zone on purpose: count from here. */
	buddy_sim_info(buddy_sim_default(), &zi);
	default_errors = zi.errors;
	st.zone = test_zone(test, "stress_zone", STRESS_ZONE);
	st.cache[K_SMALL] = test_cache(test, st.zone, "stress_small", 64, 0, 0, NULL);
	st.cache[K_BIG] = test_cache(test, st.zone, "stress_big", 1024, 0, 0, NULL);
	st.cache[K_DEBUG] = test_cache(test, st.zone, "stress_debug", 200, 0,
				       SLAB_POISON | SLAB_RED_ZONE | SLAB_STORE_USER, NULL);
	st.pool_slab = mempool_ext_create_slab_pool("stress_pool_slab", 16, st.cache[K_SMALL]);
	st.pool_page = mempool_ext_create_page_pool("stress_pool_page", 8, st.zone, 1);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, st.pool_slab);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, st.pool_page);

	/*
	 * A worker per online CPU, and at least two: on one CPU they still
	 * preempt each other in the middle of the per-CPU paths.
	 */
	n = max(num_online_cpus(), 2U);
	w = kunit_kcalloc(test, n, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	st.deadline = jiffies + STRESS_SECONDS * HZ;
	cpu = cpumask_first(cpu_online_mask);
	for (i = 0; i < n; i++) {
		w[i] = (struct worker){ .st = &st, .seed = 100 + i };
		init_completion(&w[i].done);
		test_run_on_cpu(test, worker_fn, &w[i], cpu, "mm_ext_stress");
		cpu = test_next_cpu(cpu);
	}
	while (time_before(jiffies, st.deadline)) {
		disturb(test, &st, round++);
		msleep(50);
	}
	for (i = 0; i < n; i++)
		wait_for_completion(&w[i].done);
	for (i = 0; i < STRESS_SHEAVES; i++)
		slab_ext_return_sheaf(st.cache[K_SMALL], GFP_KERNEL, st.sheaf_xchg[i]);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ(test, w[i].corrupt, 0UL);
		/* A worker that never ran tested nothing. */
		KUNIT_EXPECT_GT_MSG(test, w[i].ops, 100UL, "worker %d", i);
		kunit_info(test, "worker %d: %lu operations, %lu allocations refused",
			   i, w[i].ops, w[i].nulls);
	}
	kunit_info(test, "%u rounds: %u caches, %u pools made and %u refused, %u objects",
		   round, st.tmp_caches, st.tmp_pools, st.tmp_pools_refused, st.tmp_objs);
	/*
	 * The disturber ran, with and without injection, and every step of
	 * it (a slow kernel, KCSAN on one CPU say, manages few rounds).
	 */
	KUNIT_EXPECT_GE(test, round, 2U);
	KUNIT_EXPECT_EQ(test, st.tmp_caches, round);
	KUNIT_EXPECT_GE(test, st.tmp_pools, round / 2);
	KUNIT_EXPECT_GT(test, st.tmp_objs, 0U);

	/* Everything came back. */
	KUNIT_EXPECT_EQ(test, buddy_sim_set_fail(st.zone, &off), 0);
	/* With memory back, the slab pool's reserve fills to exactly 16. */
	KUNIT_EXPECT_EQ(test, mempool_ext_resize(st.pool_slab, 16), 0);
	for (k = K_SMALL; k <= K_DEBUG; k++) {
		slab_ext_cache_info(st.cache[k], &ci);
		/* The small cache's only live objects rest in that reserve. */
		KUNIT_EXPECT_EQ_MSG(test, ci.active_objs, k == K_SMALL ? 16UL : 0UL,
				    "cache %d", k);
		KUNIT_EXPECT_EQ(test, ci.errors, 0ULL);
	}
	mempool_ext_info(st.pool_slab, &pi);
	KUNIT_EXPECT_EQ(test, pi.allocs, pi.frees);
	KUNIT_EXPECT_EQ(test, pi.curr_nr, 16);
	mempool_ext_info(st.pool_page, &pi);
	KUNIT_EXPECT_EQ(test, pi.allocs, pi.frees);
	mempool_ext_destroy(st.pool_slab);
	mempool_ext_destroy(st.pool_page);
	for (k = K_SMALL; k <= K_DEBUG; k++) {
		slab_ext_cache_info(st.cache[k], &ci);
		KUNIT_EXPECT_EQ(test, ci.allocs, ci.frees);
		KUNIT_EXPECT_EQ(test, ci.active_objs, 0UL);
		slab_ext_shrink(st.cache[k]);
	}
	buddy_sim_drain(st.zone);
	buddy_sim_info(st.zone, &zi);
	KUNIT_EXPECT_EQ(test, zi.nr_free_pages, (unsigned long)STRESS_ZONE);
	KUNIT_EXPECT_EQ(test, zi.nr_free[BUDDY_SIM_MAX_ORDER], STRESS_ZONE >> BUDDY_SIM_MAX_ORDER);
	KUNIT_EXPECT_EQ(test, zi.errors, 0ULL);
	buddy_sim_info(buddy_sim_default(), &zi);
	KUNIT_EXPECT_EQ(test, zi.errors, default_errors);
}

static struct kunit_case mm_ext_stress_cases[] = {
	KUNIT_CASE_SLOW(mm_ext_stress_all_layers),
	{}
};

static struct kunit_suite mm_ext_stress_suite = {
	.name = "mm_ext_stress",
	.test_cases = mm_ext_stress_cases,
};

kunit_test_suites(&mm_ext_stress_suite);
