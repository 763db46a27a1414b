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

#include <mm_ext/buddy_sim.h>
#include "mm_ext_glue.h"

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

static int __init mm_ext_init(void)
{
	unsigned long max_pages = buddy_sim_max_pages();
	int ret;

	mm_ext_base_init();
	if (default_pages < 1 || default_pages > max_pages) {
		pr_err("mm_ext: default_pages=%lu is out of range 1..%lu (half of RAM)\n",
		       default_pages, max_pages);
		return -EINVAL;
	}
	ret = mm_ext_debugfs_init();
	if (ret)
		return ret;
	/* The registry hears every object from the first: it shows them in debugfs. */
	ret = mm_ext_registry_init();
	if (ret)
		goto err_debugfs;
	ret = buddy_sim_init();
	if (ret)
		goto err_registry;
	default_zone = buddy_sim_create("default", default_pages);
	if (IS_ERR(default_zone)) {
		ret = PTR_ERR(default_zone);
		pr_err("mm_ext: cannot create the default zone of %lu pages: %d\n",
		       default_pages, ret);
		goto err_buddy;
	}
	ret = slab_ext_init(default_zone, mm_ext_slab_debug);
	if (ret) {
		pr_err("mm_ext: cannot create the kmalloc caches: %d\n", ret);
		goto err_zone;
	}
	/* Last: a command may reach the default zone and the kmalloc caches. */
	ret = mm_ext_debugfs_add_control();
	if (ret)
		goto err_slab;
	pr_info("mm_ext: loaded, zone default has %lu pages\n", default_pages);
	return 0;

err_slab:
	slab_ext_exit();
err_zone:
	buddy_sim_destroy(default_zone);
err_buddy:
	buddy_sim_exit();
err_registry:
	mm_ext_registry_exit();
err_debugfs:
	mm_ext_debugfs_exit();
	return ret;
}

/*
 * The control file first, so no command runs into what goes next; then the
 * shell's objects and the layers, top first: pools live on caches and
 * zones, caches on zones. What users left behind goes with a report.
 */
static void __exit mm_ext_exit(void)
{
	mm_ext_debugfs_remove_control();
	mm_ext_control_exit();
	mempool_ext_exit();
	slab_ext_exit();
	buddy_sim_destroy(default_zone);
	buddy_sim_exit();
	mm_ext_registry_exit();
	mm_ext_debugfs_exit();
	pr_info("mm_ext: unloaded\n");
}

module_init(mm_ext_init);
module_exit(mm_ext_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mm_ext: buddy zones, slab caches and mempools to watch, measure and test");
MODULE_AUTHOR("The mm_ext developers");
