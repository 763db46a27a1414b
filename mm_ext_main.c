// SPDX-License-Identifier: GPL-2.0
/*
 * mm_ext - an allocator lab: simulated buddy zones, slab caches on top of
 * them and mempools on top of those, all visible in debugfs.
 *
 * Module init and exit, parameters, and the zone named "default".
 */

#define pr_fmt(fmt) fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <kunit/test-bug.h>
#include <kunit/resource.h>
#ifdef CONFIG_FAULT_INJECTION
/* Not self-contained on 6.1 without fault injection: only where it is used. */
#include <linux/fault-inject.h>
#endif

#include <mm_ext/buddy_sim.h>
#include "mm_ext_internal.h"

static unsigned long default_pages = 4096;
module_param(default_pages, ulong, 0444);
MODULE_PARM_DESC(default_pages,
		 "pages in the zone \"default\" (default 4096 = 16 MiB with 4 KiB pages; 1 .. half of RAM)");

bool mm_ext_slab_debug;
module_param_named(slab_debug, mm_ext_slab_debug, bool, 0444);
MODULE_PARM_DESC(slab_debug,
		 "turn on poisoning, red zones and user tracking in every slab_ext cache");

/* Set once at init, before any user can see the module; read-only after. */
static struct buddy_sim *default_zone;

/**
 * buddy_sim_default() - the zone the module creates at load
 *
 * Return: the zone named "default", sized by the default_pages parameter.
 */
struct buddy_sim *buddy_sim_default(void)
{
	return default_zone;
}
EXPORT_SYMBOL_GPL(buddy_sim_default);

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

/*
 * Count a report in the running KUnit test when it added a resource named
 * "mm_ext_reports", as lib/slub_kunit.c counts SLUB's reports: a test of
 * misuse then asserts how many reports it caused.
 */
void mm_ext_count_report(void)
{
#if IS_ENABLED(CONFIG_KUNIT)
	struct kunit *test = kunit_get_current_test();
	struct kunit_resource *res;

	if (!test)
		return;
	res = kunit_find_named_resource(test, "mm_ext_reports");
	if (!res)
		return;
	atomic_inc(res->data);
	kunit_put_resource(res);
#endif
}

static int __init mm_ext_init(void)
{
	unsigned long max_pages = buddy_sim_max_pages();
	int ret;

#ifdef CONFIG_FAULT_INJECTION
	mm_ext_fail_percpu.verbose = 0;
#endif
	if (default_pages < 1 || default_pages > max_pages) {
		pr_err("mm_ext: default_pages=%lu is out of range 1..%lu (half of RAM)\n",
		       default_pages, max_pages);
		return -EINVAL;
	}
	ret = mm_ext_debugfs_init();
	if (ret)
		return ret;
	ret = buddy_sim_init();
	if (ret) {
		mm_ext_debugfs_exit();
		return ret;
	}
	default_zone = buddy_sim_create("default", default_pages);
	if (IS_ERR(default_zone)) {
		ret = PTR_ERR(default_zone);
		pr_err("mm_ext: cannot create the default zone of %lu pages: %d\n",
		       default_pages, ret);
		buddy_sim_destroy_all();
		mm_ext_debugfs_exit();
		return ret;
	}
	ret = slab_ext_init();
	if (ret) {
		pr_err("mm_ext: cannot create the kmalloc caches: %d\n", ret);
		buddy_sim_destroy_all();
		mm_ext_debugfs_exit();
		return ret;
	}
	/* Last: a command may reach the default zone and the kmalloc caches. */
	ret = mm_ext_debugfs_add_control();
	if (ret) {
		slab_ext_exit();
		buddy_sim_destroy_all();
		mm_ext_debugfs_exit();
		return ret;
	}
	pr_info("mm_ext: loaded, zone default has %lu pages\n", default_pages);
	return 0;
}

/*
 * The control file first, so no command runs into what goes next; then the
 * shell's objects and the layers, top first: pools live on caches and
 * zones, caches on zones.
 */
static void __exit mm_ext_exit(void)
{
	mm_ext_debugfs_remove_control();
	mm_ext_control_exit();
	mempool_ext_exit();
	slab_ext_exit();
	buddy_sim_destroy_all();
	mm_ext_debugfs_exit();
	pr_info("mm_ext: unloaded\n");
}

module_init(mm_ext_init);
module_exit(mm_ext_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mm_ext: buddy zones, slab caches and mempools to watch, measure and test");
MODULE_AUTHOR("The mm_ext developers");
