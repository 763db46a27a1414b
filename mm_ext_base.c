// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel side of mm_ext_base.h: report counting for KUnit, the per-CPU
 * allocations' fault-injection site, and the layers' event chain.
 */

#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <kunit/test-bug.h>
#include <kunit/resource.h>
#ifdef CONFIG_FAULT_INJECTION
/* Not self-contained on 6.1 without fault injection: only where it is used. */
#include <linux/fault-inject.h>
#endif

#include "mm_ext_base.h"
/* The one file that defines the trace events; every layer may fire them. */
#define CREATE_TRACE_POINTS
#include "mm_ext_trace.h"

#ifdef CONFIG_FAULT_INJECTION
/*
 * The per-CPU allocations' own fault-injection site: failslab and
 * fail_page_alloc do not reach the per-CPU allocator. Like theirs, it
 * answers /proc/<pid>/fail-nth, so one sweep fails every allocation mm_ext
 * makes in turn. Quiet (verbose 0): the failures are the point.
 */
static struct fault_attr mm_ext_fail_percpu = FAULT_ATTR_INITIALIZER;
#endif

void __percpu *mm_ext_alloc_percpu(size_t size, size_t align)
{
#ifdef CONFIG_FAULT_INJECTION
	if (should_fail(&mm_ext_fail_percpu, size))
		return NULL;
#endif
	return __alloc_percpu(size, align);
}

/* At module load, before any layer runs. */
void mm_ext_base_init(void)
{
#ifdef CONFIG_FAULT_INJECTION
	mm_ext_fail_percpu.verbose = 0;
#endif
}

/*
 * Fire the report's mm_ext_misuse event, and count the report in the
 * running KUnit test when it added a resource named "mm_ext_reports", as
 * lib/slub_kunit.c counts SLUB's reports: a test of misuse then asserts how
 * many reports it caused.
 */
void mm_ext_count_report(enum mm_ext_kind layer, const char *object,
			 enum mm_ext_misuse kind, const void *ptr)
{
#if IS_ENABLED(CONFIG_KUNIT)
	struct kunit *test;
	struct kunit_resource *res;
#endif

	trace_mm_ext_misuse(layer, object, kind, ptr);
#if IS_ENABLED(CONFIG_KUNIT)
	test = kunit_get_current_test();
	/*
	 * An NMI may have interrupted the test's thread inside the resource
	 * lock, and on PREEMPT_RT that lock sleeps: a report from an NMI, or
	 * from a hard interrupt on PREEMPT_RT, is printed, not counted.
	 */
	if (!test || in_nmi() || (IS_ENABLED(CONFIG_PREEMPT_RT) && in_hardirq()))
		return;
	res = kunit_find_named_resource(test, "mm_ext_reports");
	if (!res)
		return;
	atomic_inc(res->data);
	kunit_put_resource(res);
#endif
}

/* Blocking: observers create and remove debugfs files, which sleeps. */
static BLOCKING_NOTIFIER_HEAD(mm_ext_chain);

/*
 * Tell the observers. An ADD refused by one is taken back (MM_EXT_DEL) from
 * those that had accepted it, and its error returned.
 */
int mm_ext_notify(enum mm_ext_action action, const struct mm_ext_event *ev)
{
	int ret;

	if (action == MM_EXT_ADD)
		ret = blocking_notifier_call_chain_robust(&mm_ext_chain, MM_EXT_ADD,
							  MM_EXT_DEL, (void *)ev);
	else
		ret = blocking_notifier_call_chain(&mm_ext_chain, action, (void *)ev);
	return notifier_to_errno(ret);
}

int mm_ext_register_notifier(struct notifier_block *nb)
{
	return blocking_notifier_chain_register(&mm_ext_chain, nb);
}

void mm_ext_unregister_notifier(struct notifier_block *nb)
{
	blocking_notifier_chain_unregister(&mm_ext_chain, nb);
}
