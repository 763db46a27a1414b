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
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
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
	bool sheaves;			/* the class on the sheaves tier (issue 14) */
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
	{ "hardirq, kmalloc-64 sheaves held", false, 64, SLAB_EXT_HOLD_CPU_ARRAY,
	  false, false, true },
	{ "NMI, kmalloc-64 sheaves held", true, 64, SLAB_EXT_HOLD_CPU_ARRAY,
	  false, false, true },
	{ "NMI, kmalloc-64 sheaves and lock held", true, 64,
	  SLAB_EXT_HOLD_CPU_ARRAY | SLAB_EXT_HOLD_LOCK, false, false, true },
	{ "NMI, kmalloc-64 sheaves, nothing held", true, 64, 0, false, false, true },
};

/* The kmalloc class back on its CPU arrays, drained (the test's end). */
static void nl_arrays_again(void *cache)
{
	slab_ext_set_tier(cache, SLAB_EXT_TIER_ARRAYS, 0, true);
}

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
	if (nc->sheaves) {
		struct slab_ext_cache *kc = slab_ext_kmalloc_cache(size);

		if (slab_ext_set_tier(kc, SLAB_EXT_TIER_SHEAVES, 8, true))
			kunit_skip(test, "kmalloc-%zu cannot have sheaves (slab_debug)", size);
		KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, nl_arrays_again, kc));
	}
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

/* ---- interrupts at random points of a busy CPU ---- */

#define NS_STASH	16		/* objects an interrupt keeps between runs */
#define NS_MSECS	1500		/* how long the CPU is kept busy */

/* What one kind of interrupt keeps and counts: it alone touches it. */
struct ns_stash {
	void *objs[NS_STASH];
	u8 tags[NS_STASH];
	void *pages[NS_STASH];		/* zone pages taken, freed by the task at the end */
	unsigned int nr_pages;
	unsigned long runs, nulls, bad;
};

struct ns_state {
	int cpu;			/* the busy CPU, where the interrupts land */
	struct buddy_sim *zone;
	struct ns_stash irq, nmi;
	struct hrtimer timer;
	bool stop;
	unsigned long task_rounds, task_bad;
	struct completion task_done, sender_done;
};

static struct ns_state *ns_armed;

/* One interrupt's turn: free the oldest kept object (checked), take a new one. */
static void ns_turn(struct ns_stash *st, u8 tag_base, struct buddy_sim *zone)
{
	unsigned int i = st->runs++ % NS_STASH;
	size_t size = i % 2 ? 64 : 8;
	void *page;

	if (st->objs[i]) {
		if (memchr_inv(st->objs[i], st->tags[i], size))
			st->bad++;
		slab_ext_kfree_nolock(st->objs[i]);
	}
	st->objs[i] = slab_ext_kmalloc_nolock(size, 0);
	if (!st->objs[i]) {
		st->nulls++;
	} else {
		st->tags[i] = tag_base + (st->runs & 0x3f);
		memset(st->objs[i], st->tags[i], size);
	}
	if (st->nr_pages < NS_STASH) {
		page = buddy_sim_alloc_nolock(zone, 0);
		if (page && memchr_inv(page, 0, PAGE_SIZE))
			st->bad++;
		if (page)
			st->pages[st->nr_pages++] = page;
	}
}

static enum hrtimer_restart ns_timer_fn(struct hrtimer *t)
{
	struct ns_state *s = container_of(t, struct ns_state, timer);

	if (READ_ONCE(s->stop))
		return HRTIMER_NORESTART;
	ns_turn(&s->irq, 0x40, s->zone);
	hrtimer_forward_now(t, ns_to_ktime(30 * NSEC_PER_USEC));
	return HRTIMER_RESTART;
}

#ifdef CONFIG_X86_LOCAL_APIC
static int ns_nmi_handler(unsigned int type, struct pt_regs *regs)
{
	struct ns_state *s = READ_ONCE(ns_armed);

	if (!s || s->cpu != smp_processor_id())
		return NMI_DONE;
	ns_turn(&s->nmi, 0x80, s->zone);
	return NMI_HANDLED;
}

/* On another CPU: NMIs at the busy one until it is done. */
static int ns_sender(void *arg)
{
	struct ns_state *s = arg;
	unsigned int us;

	while (!READ_ONCE(s->stop)) {
		__apic_send_IPI_mask(cpumask_of(s->cpu), NMI_VECTOR);
		for (us = 0; us < 50; us++)
			udelay(1);
		cond_resched();
	}
	complete(&s->sender_done);
	return 0;
}
#endif

/* The busy CPU's task: the allocators' ordinary calls, checked, as fast as it can. */
static int ns_task(void *arg)
{
	struct ns_state *s = arg;
	unsigned long end = jiffies + msecs_to_jiffies(NS_MSECS);
	void *p[4], *page;
	unsigned int i;

	hrtimer_start(&s->timer, ns_to_ktime(30 * NSEC_PER_USEC), HRTIMER_MODE_REL_PINNED_HARD);
	while (time_before(jiffies, end)) {
		for (i = 0; i < ARRAY_SIZE(p); i++) {
			p[i] = i % 2 ? slab_ext_kmalloc(64, GFP_KERNEL) :
				       slab_ext_kmalloc_nolock(8, 0);
			if (p[i])
				memset(p[i], 0x20 + i, i % 2 ? 64 : 8);
		}
		page = buddy_sim_alloc(s->zone, GFP_KERNEL, 0);
		for (i = 0; i < ARRAY_SIZE(p); i++) {
			/* NULL only from kmalloc_nolock, whose class may be busy. */
			if (i % 2 ? !p[i] : p[i] && memchr_inv(p[i], 0x20 + i, 8))
				s->task_bad++;
			if (i % 2 && p[i] && memchr_inv(p[i], 0x20 + i, 64))
				s->task_bad++;
			if (i % 2)
				slab_ext_kfree(p[i]);
			else
				slab_ext_kfree_nolock(p[i]);
		}
		buddy_sim_free(s->zone, page, 0);
		s->task_rounds++;
		if (!(s->task_rounds % 64))
			cond_resched();
	}
	complete(&s->task_done);
	return 0;
}

static void ns_free_stash(struct ns_state *s, struct ns_stash *st)
{
	unsigned int i;

	for (i = 0; i < NS_STASH; i++) {
		if (st->objs[i] && memchr_inv(st->objs[i], st->tags[i], i % 2 ? 64 : 8))
			st->bad++;
		slab_ext_kfree(st->objs[i]);
	}
	for (i = 0; i < st->nr_pages; i++)
		buddy_sim_free(s->zone, st->pages[i], 0);
}

/*
 * A CPU busy with ordinary allocations and frees (kmalloc classes 8 and
 * 64, zone pages), interrupted at random points by a hard hrtimer every
 * 30 us and, with a second CPU, by NMIs that CPU sends it every 50 us;
 * both interrupts make _nolock calls of the same classes and zone. Any
 * point is met: inside a CPU array, inside a cache's or zone's lock, or
 * inside the other interrupt's _nolock call. No object may be handed out
 * twice (each carries its owner's pattern while held), and at the end,
 * all freed, the counters match.
 */
static void nolock_test_busy_cpu(struct kunit *test)
{
	struct ns_state *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	struct nl_counts before, after;
	atomic_t *reports;
	bool nmis = false;

	KUNIT_ASSERT_NOT_NULL(test, s);
	s->zone = test_zone(test, "ns_zone", 1024);
	s->cpu = cpumask_first(cpu_online_mask);
	init_completion(&s->task_done);
	init_completion(&s->sender_done);
	hrtimer_init(&s->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED_HARD);
	s->timer.function = ns_timer_fn;
	nl_counts(&before, s->zone);
	reports = test_count_reports(test);
#ifdef CONFIG_X86_LOCAL_APIC
	if (num_online_cpus() > 1) {
		KUNIT_ASSERT_EQ(test, register_nmi_handler(NMI_LOCAL, ns_nmi_handler, 0,
							   "mm_ext_kunit_busy"), 0);
		WRITE_ONCE(ns_armed, s);
		nmis = true;
		test_run_on_cpu(test, ns_sender, s, test_next_cpu(s->cpu), "mm_ext_nmi");
	}
#endif
	test_run_on_cpu(test, ns_task, s, s->cpu, "mm_ext_busy");
	wait_for_completion(&s->task_done);
	WRITE_ONCE(s->stop, true);
	hrtimer_cancel(&s->timer);
#ifdef CONFIG_X86_LOCAL_APIC
	if (nmis) {
		wait_for_completion(&s->sender_done);
		WRITE_ONCE(ns_armed, NULL);
		unregister_nmi_handler(NMI_LOCAL, "mm_ext_kunit_busy");
	}
#endif
	ns_free_stash(s, &s->irq);
	ns_free_stash(s, &s->nmi);
	kunit_info(test, "task: %lu rounds; hard irq: %lu runs, %lu NULL; NMI: %lu runs, %lu NULL\n",
		   s->task_rounds, s->irq.runs, s->irq.nulls, s->nmi.runs, s->nmi.nulls);
	KUNIT_EXPECT_EQ(test, s->task_bad, 0UL);
	KUNIT_EXPECT_EQ(test, s->irq.bad, 0UL);
	KUNIT_EXPECT_EQ(test, s->nmi.bad, 0UL);
	KUNIT_EXPECT_GT(test, s->irq.runs, 0UL);
	if (nmis)
		KUNIT_EXPECT_GT(test, s->nmi.runs, 0UL);
	KUNIT_EXPECT_EQ(test, atomic_read(reports), 0);
	nl_counts(&after, s->zone);
	nl_expect_counts(test, &before, &after, 0, s->zone);
}

static struct kunit_case nolock_test_cases[] = {
	KUNIT_CASE_PARAM(nolock_test_interrupt, nl_cases_gen_params),
	KUNIT_CASE_SLOW(nolock_test_busy_cpu),
	{}
};

static struct kunit_suite nolock_test_suite = {
	.name = "mm_ext_nolock",
	.test_cases = nolock_test_cases,
};

kunit_test_suites(&nolock_test_suite);
