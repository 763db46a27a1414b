// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "mm_ext_nolock": the _nolock calls from a hard interrupt and
 * from an NMI, raised on the CPU that holds, in a task, what they need:
 * a kmalloc cache's CPU array (busy flag, or spinlock_t on PREEMPT_RT) and
 * lock, or a zone's page list lock and lock (slab_ext_call_held(),
 * buddy_sim_call_held()). The hard interrupt is an hrtimer in
 * HRTIMER_MODE_REL_PINNED_HARD; the NMI is a real one on x86, sent to this
 * CPU through the local APIC (NMI delivery mode) and caught by an NMI_LOCAL
 * handler. Each call must return at once with a valid object or NULL, the
 * frees it could not do must be deferred and done soon after, and at the
 * end every object is freed with the counters matching. On PREEMPT_RT the
 * calls refuse from both contexts (NULL, and every free deferred), as
 * mainline's do. Kernel only: the host has no interrupts.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/preempt.h>
#include <linux/string.h>
#ifdef CONFIG_X86_LOCAL_APIC
#include <asm/apic.h>
#include <asm/nmi.h>
#endif

#include <mm_ext/buddy_sim.h>
#include <mm_ext/slab_ext.h>
#include "mm_ext_test.h"

#define NL_ALLOCS	6	/* allocations one interrupt makes */
#define NL_FREES	24	/* objects one interrupt frees */
#define NL_WAIT_US	2000000	/* how long a task waits for its interrupt */

static const size_t nl_sizes[NL_ALLOCS] = { 64, 64, 8, 8, 192, 4096 };

/* One interrupt's work, and what it saw. */
struct nl_round {
	int cpu;			/* where the interrupt must come */
	struct buddy_sim *zone;		/* for buddy_sim_alloc_nolock() */
	void *frees[NL_FREES];		/* freed by the interrupt */
	unsigned int nr_frees;
	void *twice;			/* freed twice by it: one report */
	void *large;			/* a large kmalloc block it frees */
	void *got[NL_ALLOCS];		/* its kmalloc_nolock() results */
	void *pages[2];			/* its buddy_sim_alloc_nolock(), orders 0 and 1 */
	bool nmi, hardirq;		/* in_nmi(), in_hardirq() as it ran */
	bool ran;
	struct hrtimer timer;
};

/* The interrupt's side: every call returns at once. */
static void nl_body(struct nl_round *r)
{
	unsigned int i;

	r->nmi = in_nmi();
	r->hardirq = in_hardirq();
	for (i = 0; i < r->nr_frees; i++)
		slab_ext_kfree_nolock(r->frees[i]);
	if (r->twice) {
		slab_ext_kfree_nolock(r->twice);
		slab_ext_kfree_nolock(r->twice);
	}
	slab_ext_kfree_nolock(r->large);
	for (i = 0; i < NL_ALLOCS; i++)
		r->got[i] = slab_ext_kmalloc_nolock(nl_sizes[i], i % 2 ? __GFP_ZERO : 0);
	if (r->zone) {
		r->pages[0] = buddy_sim_alloc_nolock(r->zone, 0);
		r->pages[1] = buddy_sim_alloc_nolock(r->zone, 1);
	}
	/* Everything above is seen by the task once it sees this (nl_ran()). */
	smp_store_release(&r->ran, true);
}

static bool nl_ran(struct nl_round *r)
{
	/* Pairs with nl_body()'s release: once true, all it wrote is seen. */
	return smp_load_acquire(&r->ran);
}

/* Wait, from the held section, for the interrupt to have run here. */
static void nl_wait(struct nl_round *r)
{
	unsigned int us;

	for (us = 0; us < NL_WAIT_US && !nl_ran(r); us++)
		udelay(1);
}

static enum hrtimer_restart nl_timer_fn(struct hrtimer *t)
{
	nl_body(container_of(t, struct nl_round, timer));
	return HRTIMER_NORESTART;
}

/* Held section: an hrtimer fires on this CPU in hard interrupt context. */
static void nl_raise_hardirq(void *arg)
{
	struct nl_round *r = arg;

	r->cpu = raw_smp_processor_id();
	hrtimer_start(&r->timer, ns_to_ktime(1000), HRTIMER_MODE_REL_PINNED_HARD);
	nl_wait(r);
}

#ifdef CONFIG_X86_LOCAL_APIC
/* The round the next NMI on its CPU is for. */
static struct nl_round *nl_armed;

static int nl_nmi_handler(unsigned int type, struct pt_regs *regs)
{
	struct nl_round *r = READ_ONCE(nl_armed);

	if (!r || r->cpu != smp_processor_id() || cmpxchg(&nl_armed, r, NULL) != r)
		return NMI_DONE;
	nl_body(r);
	return NMI_HANDLED;
}

/* Held section: an NMI to this very CPU, which interrupts it whatever it holds. */
static void nl_raise_nmi(void *arg)
{
	struct nl_round *r = arg;

	r->cpu = raw_smp_processor_id();
	/* The handler that sees the round sees its cpu (and all it holds). */
	smp_store_release(&nl_armed, r);
	__apic_send_IPI_mask(cpumask_of(r->cpu), NMI_VECTOR);
	nl_wait(r);
	/* Never came: disarmed, so a late one does nothing. */
	cmpxchg(&nl_armed, r, NULL);
}
#endif

static void nl_prepare(struct kunit *test, struct nl_round *r, size_t size, bool twice,
		       struct buddy_sim *zone)
{
	unsigned int i;

	memset(r, 0, sizeof(*r));
	r->zone = zone;
	r->nr_frees = NL_FREES;
	for (i = 0; i < NL_FREES; i++) {
		/* From either kmalloc: kfree_nolock takes both. */
		r->frees[i] = i % 2 ? slab_ext_kmalloc_nolock(size, 0) :
				      slab_ext_kmalloc(size, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, r->frees[i]);
	}
	if (twice) {
		r->twice = slab_ext_kmalloc(size, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, r->twice);
	}
	r->large = slab_ext_kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r->large);
	hrtimer_init(&r->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
	r->timer.function = nl_timer_fn;
}

/*
 * After the interrupt: what it got is valid memory of the size asked for
 * (zeroed where asked) or NULL; on PREEMPT_RT always NULL. Then all of it
 * is freed from the task.
 */
static void nl_check_and_free(struct kunit *test, struct nl_round *r, bool want_nmi)
{
	unsigned int i, got = 0;

	hrtimer_cancel(&r->timer);
	KUNIT_ASSERT_TRUE_MSG(test, nl_ran(r), "the interrupt never came");
	KUNIT_EXPECT_EQ(test, r->nmi, want_nmi);
	KUNIT_EXPECT_TRUE(test, r->hardirq);
	for (i = 0; i < NL_ALLOCS; i++) {
		if (!r->got[i])
			continue;
		got++;
		KUNIT_EXPECT_GE(test, slab_ext_ksize(r->got[i]), nl_sizes[i]);
		if (i % 2)
			KUNIT_EXPECT_NULL(test, memchr_inv(r->got[i], 0, nl_sizes[i]));
		memset(r->got[i], 0x3c, nl_sizes[i]);
		slab_ext_kfree(r->got[i]);
	}
	for (i = 0; i < ARRAY_SIZE(r->pages); i++) {
		if (!r->pages[i])
			continue;
		got++;
		KUNIT_EXPECT_NULL(test, memchr_inv(r->pages[i], 0, PAGE_SIZE << i));
		buddy_sim_free(r->zone, r->pages[i], i);
	}
	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		KUNIT_EXPECT_EQ(test, got, 0U);
	kunit_info(test, "%s: %u of %u allocations served\n", want_nmi ? "NMI" : "hardirq",
		   got, NL_ALLOCS + (r->zone ? 2 : 0));
}

/* The kmalloc caches a round touches: their counters before and after. */
static const size_t nl_classes[] = { 8, 64, 96, 192, 256, 4096, 8192 };

struct nl_counts {
	struct slab_ext_info info[ARRAY_SIZE(nl_classes)];
	struct buddy_sim_info zone;
};

static void nl_counts(struct nl_counts *n, struct buddy_sim *zone)
{
	unsigned int i;

	/* The info waits for deferred frees first. */
	for (i = 0; i < ARRAY_SIZE(nl_classes); i++)
		slab_ext_cache_info(slab_ext_kmalloc_cache(nl_classes[i]), &n->info[i]);
	if (zone) {
		buddy_sim_drain(zone);
		buddy_sim_info(zone, &n->zone);
	}
}

/*
 * Everything allocated during the round was freed, and counted: allocs and
 * frees moved together, the objects in use are as before, and the errors
 * are the double frees made (in the class of @twice_size).
 */
static void nl_expect_counts(struct kunit *test, const struct nl_counts *b,
			     const struct nl_counts *a, size_t twice_size, struct buddy_sim *zone)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nl_classes); i++) {
		const struct slab_ext_info *x = &b->info[i], *y = &a->info[i];
		bool twice = twice_size && slab_ext_kmalloc_cache(twice_size) ==
					   slab_ext_kmalloc_cache(nl_classes[i]);

		KUNIT_EXPECT_EQ_MSG(test, y->allocs - x->allocs, y->frees - x->frees,
				    "kmalloc-%zu", nl_classes[i]);
		KUNIT_EXPECT_EQ_MSG(test, y->active_objs, x->active_objs, "kmalloc-%zu",
				    nl_classes[i]);
		KUNIT_EXPECT_EQ_MSG(test, y->errors - x->errors, (u64)twice, "kmalloc-%zu",
				    nl_classes[i]);
	}
	if (zone) {
		KUNIT_EXPECT_EQ(test, a->zone.allocs - b->zone.allocs,
				a->zone.frees - b->zone.frees);
		KUNIT_EXPECT_EQ(test, a->zone.nr_free_pages, b->zone.nr_free_pages);
		KUNIT_EXPECT_EQ(test, a->zone.errors, b->zone.errors);
	}
}

struct nl_case {
	const char *name;
	bool nmi;
	size_t size;			/* the kmalloc class whose locks are held; 0: none */
	unsigned int hold;		/* SLAB_EXT_HOLD_* */
	bool zone_held;			/* the test zone's list and zone locks instead */
	bool default_zone_held;		/* the default zone's lock instead */
};

static const struct nl_case nl_cases[] = {
	{ "hardirq, nothing held", false, 0, 0 },
	{ "hardirq, kmalloc-64 CPU array held", false, 64, SLAB_EXT_HOLD_CPU_ARRAY },
	{ "hardirq, kmalloc-8 CPU array held", false, 8, SLAB_EXT_HOLD_CPU_ARRAY },
	{ "NMI, nothing held", true, 0, 0 },
	{ "NMI, kmalloc-64 CPU array held", true, 64, SLAB_EXT_HOLD_CPU_ARRAY },
	{ "NMI, kmalloc-64 lock held", true, 64, SLAB_EXT_HOLD_LOCK },
	{ "NMI, kmalloc-64 CPU array and lock held", true, 64,
	  SLAB_EXT_HOLD_CPU_ARRAY | SLAB_EXT_HOLD_LOCK },
	{ "NMI, kmalloc-8 CPU array and lock held", true, 8,
	  SLAB_EXT_HOLD_CPU_ARRAY | SLAB_EXT_HOLD_LOCK },
	{ "NMI, zone list and zone locks held", true, 0, 0, true },
	{ "NMI, default zone lock held", true, 0, 0, false, true },
};

static void nl_case_desc(const struct nl_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(nl_cases, nl_cases, nl_case_desc);

struct nl_held {
	struct nl_round *r;
	void (*raise)(void *arg);
};

static void nl_zone_held(void *arg)
{
	struct nl_held *h = arg;

	h->raise(h->r);
}

/*
 * One interrupt, raised while this CPU holds what the case says, makes
 * every kind of _nolock call: frees (of memory from both kmallocs, a
 * double free, a large block) and allocations (several classes, zeroed
 * and not, zone blocks). It must return, each result valid or NULL; what
 * it could not free is deferred and done by the time the counters are
 * read, which must all match.
 */
static void nolock_test_interrupt(struct kunit *test)
{
	const struct nl_case *nc = test->param_value;
	struct buddy_sim *zone = test_zone(test, "nl_zone", 1024);
	size_t size = nc->size ? nc->size : 64;
	struct nl_counts before, after;
	struct nl_held h;
	atomic_t *reports;
	struct nl_round *r;
	bool twice = nc->nmi;	/* the report of one in a hard irq is counted there */

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
#ifdef CONFIG_X86_LOCAL_APIC
	if (nc->nmi)
		KUNIT_ASSERT_EQ(test, register_nmi_handler(NMI_LOCAL, nl_nmi_handler, 0,
							   "mm_ext_kunit"), 0);
#else
	if (nc->nmi)
		kunit_skip(test, "no local APIC to send an NMI with");
#endif
	nl_counts(&before, zone);
	nl_prepare(test, r, size, twice, zone);
	reports = test_count_reports(test);
	h.r = r;
#ifdef CONFIG_X86_LOCAL_APIC
	h.raise = nc->nmi ? nl_raise_nmi : nl_raise_hardirq;
#else
	h.raise = nl_raise_hardirq;
#endif
	if (nc->zone_held)
		buddy_sim_call_held(zone, BUDDY_SIM_HOLD_PCP | BUDDY_SIM_HOLD_LOCK,
				    nl_zone_held, &h);
	else if (nc->default_zone_held)
		buddy_sim_call_held(buddy_sim_default(), BUDDY_SIM_HOLD_LOCK, nl_zone_held, &h);
	else
		slab_ext_call_held(slab_ext_kmalloc_cache(size), nc->hold, h.raise, r);
	/* An hrtimer held back by interrupts off fires now; wait for it here. */
	if (!nc->nmi) {
		unsigned int ms;

		for (ms = 0; ms < 2000 && !nl_ran(r); ms++)
			usleep_range(1000, 2000);
	}
#ifdef CONFIG_X86_LOCAL_APIC
	if (nc->nmi)
		unregister_nmi_handler(NMI_LOCAL, "mm_ext_kunit");
#endif
	if (nc->zone_held && !IS_ENABLED(CONFIG_PREEMPT_RT) && nl_ran(r)) {
		/* Both zone locks held: neither order could be served. */
		KUNIT_EXPECT_NULL(test, r->pages[0]);
		KUNIT_EXPECT_NULL(test, r->pages[1]);
	}
	if (nc->size == 64 && nc->hold == (SLAB_EXT_HOLD_CPU_ARRAY | SLAB_EXT_HOLD_LOCK) &&
	    !IS_ENABLED(CONFIG_PREEMPT_RT) && nl_ran(r)) {
		/* kmalloc-64 busy through and through: the next class up served it. */
		KUNIT_EXPECT_NOT_NULL(test, r->got[0]);
		if (r->got[0])
			KUNIT_EXPECT_EQ(test, slab_ext_ksize(r->got[0]), (size_t)96);
	}
	nl_check_and_free(test, r, nc->nmi);
	/* A report made in an NMI is printed, not counted in the test. */
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 0);
	nl_counts(&after, zone);
	nl_expect_counts(test, &before, &after, twice ? size : 0, zone);
	/* Freed for real (deferred or not): one more free is a double free. */
	slab_ext_kfree(r->frees[0]);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 1);
}

static struct kunit_case nolock_test_cases[] = {
	KUNIT_CASE_PARAM(nolock_test_interrupt, nl_cases_gen_params),
	{}
};

static struct kunit_suite nolock_test_suite = {
	.name = "mm_ext_nolock",
	.test_cases = nolock_test_cases,
};

kunit_test_suites(&nolock_test_suite);
