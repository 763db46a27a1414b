/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the mm_ext KUnit suites: objects torn down however a
 * test ends, and misuse reports counted as lib/slub_kunit.c counts SLUB's.
 */
#ifndef _MM_EXT_TEST_H
#define _MM_EXT_TEST_H

#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/cpumask.h>
#include <linux/kthread.h>
#include <mm_ext/buddy_sim.h>
#include <mm_ext/slab_ext.h>

static void mm_ext_test_destroy_zone(void *zone)
{
	buddy_sim_destroy(zone);
}

/* A zone destroyed when the test ends, however it ends. */
static inline struct buddy_sim *test_zone(struct kunit *test, const char *name,
					  unsigned long nr_pages)
{
	struct buddy_sim *zone = buddy_sim_create(name, nr_pages);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, zone);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, mm_ext_test_destroy_zone, zone));
	return zone;
}

static void mm_ext_test_destroy_cache(void *cache)
{
	slab_ext_cache_destroy(cache);
}

/* A cache destroyed when the test ends (after what was made on it later). */
static inline struct slab_ext_cache *test_cache(struct kunit *test, struct buddy_sim *zone,
						const char *name, unsigned int size,
						unsigned int align, slab_flags_t flags,
						void (*ctor)(void *))
{
	struct slab_ext_cache *c = slab_ext_cache_create(zone, name, size, align, flags, ctor);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, mm_ext_test_destroy_cache, c));
	return c;
}

/* Run @fn(@data) in a new kthread bound to @cpu, named "@name/@cpu". */
static inline void test_run_on_cpu(struct kunit *test, int (*fn)(void *), void *data,
				   int cpu, const char *name)
{
	struct task_struct *t = kthread_create(fn, data, "%s/%d", name, cpu);

	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	kthread_bind(t, cpu);
	wake_up_process(t);
}

/* The online CPU after @cpu, wrapping around: spreads threads over CPUs. */
static inline int test_next_cpu(int cpu)
{
	cpu = cpumask_next(cpu, cpu_online_mask);
	return cpu < nr_cpu_ids ? cpu : cpumask_first(cpu_online_mask);
}

/*
 * From now on, every "mm_ext:" report made in this test's thread is counted
 * in the returned counter (mm_ext_count_report() looks for the resource).
 */
static inline atomic_t *test_count_reports(struct kunit *test)
{
	struct kunit_resource *res = kunit_kzalloc(test, sizeof(*res), GFP_KERNEL);
	atomic_t *count = kunit_kzalloc(test, sizeof(*count), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, res);
	KUNIT_ASSERT_NOT_NULL(test, count);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_named_resource(test, NULL, NULL, res,
							  "mm_ext_reports", count));
	return count;
}

#endif /* _MM_EXT_TEST_H */
