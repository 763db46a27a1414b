// SPDX-License-Identifier: GPL-2.0
/*
 * Host-only suites, beside the kernel's in kunit/ (compiled as they
 * are):
 *  - host_layers: slab_ext and its kmalloc classes from 8 threads on the 4
 *    host CPUs (two threads share each CPU id), objects freed on other
 *    threads than their allocator's, every counter checked at the end;
 *    this is where ASan and the shim's locks meet.
 *  - host_known_bugs: what the sanitizers found in the layers, one case a
 *    bug, skipped unless the runner is given -k (they abort the run).
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/prandom.h>
#include <linux/slab.h>

#include <mm_ext/buddy_sim.h>
#include <mm_ext/slab_ext.h>
#include "../kunit/mm_ext_test.h"

#define STRESS_THREADS	8
#define STRESS_ROUNDS	20000
#define STRESS_SLOTS	64
#define STRESS_HANDOFF	32	/* objects a thread may hand to the next */

struct handoff {
	spinlock_t lock;		/* protects the rest: giver and taker race */
	unsigned int n;
	void *objs[STRESS_HANDOFF];
	size_t sizes[STRESS_HANDOFF];
};

struct stress_thread {
	struct slab_ext_cache *cache;
	struct handoff *in, *out;	/* objects given to us, and by us */
	struct completion done;
	unsigned int seed;
	bool kmalloc;			/* slab_ext_kmalloc of 8..2048 bytes */
	unsigned long allocs, frees, nulls, bad;
};

/* Each object carries its own address and size in its first words. */
static void stamp(void *p, size_t size)
{
	((unsigned long *)p)[0] = (unsigned long)p;
	if (size >= 2 * sizeof(long))
		((unsigned long *)p)[1] = size;
	memset((char *)p + min(size, 2 * sizeof(long)), 0x5c,
	       size - min(size, 2 * sizeof(long)));
}

static bool stamped(void *p, size_t size)
{
	if (((unsigned long *)p)[0] != (unsigned long)p)
		return false;
	if (size >= 2 * sizeof(long) && ((unsigned long *)p)[1] != size)
		return false;
	return !memchr_inv((char *)p + min(size, 2 * sizeof(long)), 0x5c,
			   size - min(size, 2 * sizeof(long)));
}

static void stress_free(struct stress_thread *t, void *p, size_t size)
{
	if (!stamped(p, size))
		t->bad++;
	memset(p, 0, sizeof(long));
	if (t->kmalloc)
		slab_ext_kfree(p);
	else
		slab_ext_free(t->cache, p);
	t->frees++;
}

static int stress_fn(void *data)
{
	struct stress_thread *t = data;
	void *slot[STRESS_SLOTS] = { };
	size_t size[STRESS_SLOTS] = { };
	struct rnd_state rnd;
	unsigned int i, j;

	prandom_seed_state(&rnd, t->seed);
	for (i = 0; i < STRESS_ROUNDS; i++) {
		u32 r = prandom_u32_state(&rnd);
		unsigned int s = r % STRESS_SLOTS;

		if (slot[s]) {
			/* Every other object goes to the next thread to free. */
			if (r & (1U << 20)) {
				spin_lock(&t->out->lock);
				if (t->out->n < STRESS_HANDOFF) {
					t->out->sizes[t->out->n] = size[s];
					t->out->objs[t->out->n++] = slot[s];
					slot[s] = NULL;
				}
				spin_unlock(&t->out->lock);
			}
			if (slot[s]) {
				stress_free(t, slot[s], size[s]);
				slot[s] = NULL;
			}
		} else {
			size[s] = t->kmalloc ? 8 + (r >> 8) % 2041 : 64;
			slot[s] = t->kmalloc ? slab_ext_kmalloc(size[s], GFP_KERNEL) :
					       slab_ext_alloc(t->cache, GFP_KERNEL);
			if (!slot[s]) {
				t->nulls++;
				continue;
			}
			t->allocs++;
			stamp(slot[s], size[s]);
		}
		/* What the previous thread handed us, freed here. */
		if ((r & 7) == 0) {
			void *objs[STRESS_HANDOFF];
			size_t sizes[STRESS_HANDOFF];
			unsigned int n;

			spin_lock(&t->in->lock);
			n = t->in->n;
			memcpy(objs, t->in->objs, n * sizeof(void *));
			memcpy(sizes, t->in->sizes, n * sizeof(size_t));
			t->in->n = 0;
			spin_unlock(&t->in->lock);
			for (j = 0; j < n; j++)
				stress_free(t, objs[j], sizes[j]);
		}
		if ((r & 1023) == 0)
			cond_resched();
	}
	for (j = 0; j < STRESS_SLOTS; j++)
		if (slot[j])
			stress_free(t, slot[j], size[j]);
	complete(&t->done);
	return 0;
}

static void run_stress(struct kunit *test, struct slab_ext_cache *cache, bool kmalloc,
		       struct stress_thread *th, struct handoff *ho)
{
	unsigned int i, j;

	for (i = 0; i < STRESS_THREADS; i++) {
		spin_lock_init(&ho[i].lock);
		th[i].cache = cache;
		th[i].kmalloc = kmalloc;
		th[i].in = &ho[i];
		th[i].out = &ho[(i + 1) % STRESS_THREADS];
		th[i].seed = get_random_u32();
		init_completion(&th[i].done);
	}
	for (i = 0; i < STRESS_THREADS; i++)
		test_run_on_cpu(test, stress_fn, &th[i], i % nr_cpu_ids, "host_stress");
	for (i = 0; i < STRESS_THREADS; i++)
		wait_for_completion(&th[i].done);
	/* Handed over after the last look of their receiver: freed here. */
	for (i = 0; i < STRESS_THREADS; i++) {
		for (j = 0; j < ho[i].n; j++)
			stress_free(&th[i], ho[i].objs[j], ho[i].sizes[j]);
		ho[i].n = 0;
	}
}

/* One cache, 8 threads on 4 CPUs, objects freed on other threads. */
static void host_slab_stress(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "hs_zone", 2048);
	struct stress_thread *th = kunit_kcalloc(test, STRESS_THREADS, sizeof(*th), GFP_KERNEL);
	struct handoff *ho = kunit_kcalloc(test, STRESS_THREADS, sizeof(*ho), GFP_KERNEL);
	struct slab_ext_cache *c;
	struct buddy_sim_info zi;
	struct slab_ext_info info;
	unsigned long allocs = 0, frees = 0, bad = 0;
	atomic_t *reports = test_count_reports(test);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, th);
	KUNIT_ASSERT_NOT_NULL(test, ho);
	c = test_cache(test, zone, "hs_cache", 64, 0, 0, NULL);
	run_stress(test, c, false, th, ho);
	for (i = 0; i < STRESS_THREADS; i++) {
		allocs += th[i].allocs;
		frees += th[i].frees;
		bad += th[i].bad;
	}
	kunit_info(test, "%lu allocations, %lu frees over %u threads", allocs, frees,
		   STRESS_THREADS);
	KUNIT_EXPECT_EQ(test, bad, 0UL);
	KUNIT_EXPECT_EQ(test, allocs, frees);
	KUNIT_EXPECT_GT(test, allocs, (unsigned long)STRESS_THREADS * STRESS_ROUNDS / 4);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.allocs, (u64)allocs);
	KUNIT_EXPECT_EQ(test, info.frees, (u64)frees);
	KUNIT_EXPECT_EQ(test, info.active_objs, 0UL);
	KUNIT_EXPECT_EQ(test, info.errors, 0ULL);
	/* Everything back in the zone once the cache lets go of its slabs. */
	KUNIT_EXPECT_EQ(test, slab_ext_shrink(c), 0);
	slab_ext_cache_info(c, &info);
	KUNIT_EXPECT_EQ(test, info.total_objs, 0UL);
	buddy_sim_drain(zone);
	buddy_sim_info(zone, &zi);
	KUNIT_EXPECT_EQ(test, zi.nr_free_pages, zi.nr_pages);
	KUNIT_EXPECT_EQ(test, zi.errors, 0ULL);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 0);
}

/* The kmalloc classes, 8..2048 bytes (the seed's workload), the same way. */
static void host_kmalloc_stress(struct kunit *test)
{
	struct stress_thread *th = kunit_kcalloc(test, STRESS_THREADS, sizeof(*th), GFP_KERNEL);
	struct handoff *ho = kunit_kcalloc(test, STRESS_THREADS, sizeof(*ho), GFP_KERNEL);
	struct buddy_sim_info before, after;
	unsigned long allocs = 0, frees = 0, bad = 0;
	atomic_t *reports = test_count_reports(test);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, th);
	KUNIT_ASSERT_NOT_NULL(test, ho);
	buddy_sim_info(buddy_sim_default(), &before);
	run_stress(test, NULL, true, th, ho);
	for (i = 0; i < STRESS_THREADS; i++) {
		allocs += th[i].allocs;
		frees += th[i].frees;
		bad += th[i].bad;
	}
	kunit_info(test, "%lu allocations, %lu frees over %u threads", allocs, frees,
		   STRESS_THREADS);
	KUNIT_EXPECT_EQ(test, bad, 0UL);
	KUNIT_EXPECT_EQ(test, allocs, frees);
	KUNIT_EXPECT_GT(test, allocs, (unsigned long)STRESS_THREADS * STRESS_ROUNDS / 4);
	buddy_sim_info(buddy_sim_default(), &after);
	KUNIT_EXPECT_EQ(test, after.errors, before.errors);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 0);
}

static struct kunit_case host_layers_cases[] = {
	KUNIT_CASE(host_slab_stress),
	KUNIT_CASE(host_kmalloc_stress),
	{}
};

static struct kunit_suite host_layers_suite = {
	.name = "host_layers",
	.test_cases = host_layers_cases,
};

/*
 * Bug: a free of an interior pointer to a SLAB_STORE_USER cache is refused
 * (free_ok(): "pointer not at the start of an object"), but bad_free() is
 * given the slab, so fill_report() reads the tracks with get_track() at
 * the INTERIOR pointer + offset: a misaligned read (UBSan) of bytes that
 * are no track.
 */
static void host_bug_interior_free_track_misaligned(struct kunit *test)
{
	struct buddy_sim *zone = test_zone(test, "hb_zone1", 16);
	struct slab_ext_cache *c = test_cache(test, zone, "hb_user1", 64, 0,
					      SLAB_STORE_USER, NULL);
	atomic_t *reports = test_count_reports(test);
	char *p = slab_ext_alloc(c, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	slab_ext_free(c, p + 3);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 1);
	slab_ext_free(c, p);
}

/*
 * The same read past the end of the zone: the last object of a slab that
 * ends the zone, freed by a pointer 8 bytes before its stride's end, has
 * its "tracks" read beyond the zone's memory (ASan: heap-buffer-overflow;
 * in the kernel, vmalloc's guard page: an oops without KASAN).
 */
static void host_bug_interior_free_track_past_zone(struct kunit *test)
{
	struct buddy_sim *probe_zone = test_zone(test, "hb_probe", 16);
	struct slab_ext_cache *probe = test_cache(test, probe_zone, "hb_probe", 64, 0,
						  SLAB_STORE_USER, NULL);
	struct slab_ext_info info;
	struct buddy_sim *zone;
	struct slab_ext_cache *c;
	atomic_t *reports;
	char **objs, *last = NULL;
	unsigned int i;

	slab_ext_cache_info(probe, &info);
	/* A zone of exactly one slab. */
	zone = test_zone(test, "hb_zone2", 1UL << info.order);
	c = test_cache(test, zone, "hb_user2", 64, 0, SLAB_STORE_USER, NULL);
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

static struct kunit_case host_known_bugs_cases[] = {
	KUNIT_CASE(host_bug_interior_free_track_misaligned),
	KUNIT_CASE(host_bug_interior_free_track_past_zone),
	{}
};

static struct kunit_suite host_known_bugs_suite = {
	.name = "host_known_bugs",
	.test_cases = host_known_bugs_cases,
};

kunit_test_suites(&host_layers_suite, &host_known_bugs_suite);
