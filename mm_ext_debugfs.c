// SPDX-License-Identifier: GPL-2.0
/*
 * Every debugfs file of mm_ext, in one place, under /sys/kernel/debug/mm_ext/.
 * The layers know nothing of debugfs: they call the add/remove hooks below
 * when an object appears or goes, and this file shows it. Every file is
 * root-only. A rejected write returns an errno, says why in one "mm_ext:"
 * line and changes nothing.
 */

#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <mm_ext/buddy_sim.h>
#include <mm_ext/mempool_ext.h>
#include <mm_ext/slab_ext.h>
#include "mm_ext_internal.h"

#define MM_EXT_WRITE_MAX 64	/* longest command any file accepts */

static struct dentry *mm_ext_root;
static struct dentry *mm_ext_buddy_dir;
static struct dentry *mm_ext_slab_dir;
static struct dentry *mm_ext_pool_dir;
static struct dentry *mm_ext_workload_dir;

/*
 * Copy a short command from user space into @buf as a trimmed string.
 * Over-long or NUL-holding input is refused: it can only be a mistake.
 */
static int read_user_cmd(const char __user *ubuf, size_t count, char *buf,
			 size_t size, char **cmd)
{
	if (count == 0 || count >= size) {
		pr_err("mm_ext: write of %zu bytes refused (1..%zu accepted)\n",
		       count, size - 1);
		return -EINVAL;
	}
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	if (strlen(buf) != count) {
		pr_err("mm_ext: write holding a NUL byte refused\n");
		return -EINVAL;
	}
	*cmd = strim(buf);
	return 0;
}

/* buddy/<zone>/buddyinfo: /proc/buddyinfo's line, byte for byte. */
static int buddyinfo_show(struct seq_file *m, void *v)
{
	struct buddy_sim *zone = m->private;
	struct buddy_sim_info info;
	unsigned int o;

	buddy_sim_info(zone, &info);
	seq_printf(m, "Node %d, zone %8s ", 0, buddy_sim_name(zone));
	for (o = 0; o <= BUDDY_SIM_MAX_ORDER; o++)
		seq_printf(m, "%6lu ", info.nr_free[o]);
	seq_putc(m, '\n');
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(buddyinfo);

/* buddy/<zone>/unusable_index: /sys/kernel/debug/extfrag/unusable_index's line. */
static int unusable_index_show(struct seq_file *m, void *v)
{
	struct buddy_sim *zone = m->private;
	struct buddy_sim_info info;
	unsigned int o;
	int index;

	buddy_sim_info(zone, &info);
	seq_printf(m, "Node %d, zone %8s ", 0, buddy_sim_name(zone));
	for (o = 0; o <= BUDDY_SIM_MAX_ORDER; o++) {
		index = buddy_sim_unusable_index(&info, o);
		seq_printf(m, "%d.%03d ", index / 1000, index % 1000);
	}
	seq_putc(m, '\n');
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(unusable_index);

/* buddy/<zone>/extfrag_index: /sys/kernel/debug/extfrag/extfrag_index's line. */
static int extfrag_index_show(struct seq_file *m, void *v)
{
	struct buddy_sim *zone = m->private;
	struct buddy_sim_info info;
	unsigned int o;
	int index;

	buddy_sim_info(zone, &info);
	seq_printf(m, "Node %d, zone %8s ", 0, buddy_sim_name(zone));
	for (o = 0; o <= BUDDY_SIM_MAX_ORDER; o++) {
		index = buddy_sim_extfrag_index(&info, o);
		seq_printf(m, "%2d.%03d ", index / 1000, index % 1000);
	}
	seq_putc(m, '\n');
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(extfrag_index);

/* buddy/<zone>/stats: every field of buddy_sim_info, then the zone's extras. */
static int zone_stats_show(struct seq_file *m, void *v)
{
	struct buddy_sim *zone = m->private;
	struct buddy_sim_info info;
	struct buddy_sim_extra extra;
	struct buddy_sim_wmark wm;
	unsigned int o;

	buddy_sim_info(zone, &info);
	buddy_sim_get_extra(zone, &extra);
	buddy_sim_get_wmark(zone, &wm);
	seq_printf(m, "nr_pages %lu\n", info.nr_pages);
	seq_printf(m, "nr_free_pages %lu\n", info.nr_free_pages);
	for (o = 0; o <= BUDDY_SIM_MAX_ORDER; o++)
		seq_printf(m, "nr_free_%u %lu\n", o, info.nr_free[o]);
	seq_printf(m, "nr_pcp %lu\n", info.nr_pcp);
	seq_printf(m, "allocs %llu\n", info.allocs);
	seq_printf(m, "frees %llu\n", info.frees);
	seq_printf(m, "failures %llu\n", info.failures);
	seq_printf(m, "splits %llu\n", info.splits);
	seq_printf(m, "merges %llu\n", info.merges);
	seq_printf(m, "errors %llu\n", info.errors);
	seq_printf(m, "pcp_high %u\n", buddy_sim_get_pcp(zone));
	seq_printf(m, "wmark_min %lu\n", wm.min);
	seq_printf(m, "wmark_low %lu\n", wm.low);
	seq_printf(m, "wmark_high %lu\n", wm.high);
	seq_printf(m, "low_crossed %llu\n", extra.low_crossed);
	seq_printf(m, "min_crossed %llu\n", extra.min_crossed);
	seq_printf(m, "wmark_failures %llu\n", extra.wmark_failures);
	seq_printf(m, "injected_failures %llu\n", extra.injected_failures);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(zone_stats);

/* buddy/<zone>/pagemap: one character a page, 64 pages a line. */
static int pagemap_show(struct seq_file *m, void *v)
{
	struct buddy_sim *zone = m->private;
	unsigned long nr, pfn;
	char *map;

	map = buddy_sim_pagemap(zone, &nr);
	if (!map)
		return -ENOMEM;
	for (pfn = 0; pfn < nr; pfn += 64)
		seq_printf(m, "%6lu %.*s\n", pfn, (int)min(64UL, nr - pfn), map + pfn);
	kvfree(map);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pagemap);

/*
 * buddy/<zone>/watermarks: reads "min N\nlow N\nhigh N\n"; takes
 * "MIN LOW HIGH" in pages, "auto" (derived from the zone size as
 * mm/page_alloc.c derives them from min_free_kbytes) or "off".
 */
static int watermarks_show(struct seq_file *m, void *v)
{
	struct buddy_sim_wmark wm;

	buddy_sim_get_wmark(m->private, &wm);
	seq_printf(m, "min %lu\nlow %lu\nhigh %lu\n", wm.min, wm.low, wm.high);
	return 0;
}

static int watermarks_open(struct inode *inode, struct file *file)
{
	return single_open(file, watermarks_show, inode->i_private);
}

static ssize_t watermarks_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct buddy_sim *zone = file_inode(file)->i_private;
	struct buddy_sim_wmark wm = { 0 };
	char buf[MM_EXT_WRITE_MAX], *cmd, extra;
	struct buddy_sim_info info;
	int ret;

	ret = read_user_cmd(ubuf, count, buf, sizeof(buf), &cmd);
	if (ret)
		return ret;
	if (!strcmp(cmd, "auto")) {
		buddy_sim_info(zone, &info);
		buddy_sim_auto_wmark(info.nr_pages, &wm);
	} else if (strcmp(cmd, "off") &&
		   sscanf(cmd, "%lu %lu %lu %c", &wm.min, &wm.low, &wm.high, &extra) != 3) {
		pr_err("mm_ext: zone %s: watermarks takes \"MIN LOW HIGH\", \"auto\" or \"off\"\n",
		       buddy_sim_name(zone));
		return -EINVAL;
	}
	ret = buddy_sim_set_wmark(zone, &wm);
	if (ret) {
		pr_err("mm_ext: zone %s: watermarks need min <= low <= high <= nr_pages\n",
		       buddy_sim_name(zone));
		return ret;
	}
	return count;
}

static const struct file_operations watermarks_fops = {
	.owner = THIS_MODULE,
	.open = watermarks_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
	.write = watermarks_write,
};

/*
 * buddy/<zone>/fail/{interval,probability,min_order,times}: one knob per
 * file, as fail_page_alloc has; the file's name says which knob.
 */
static int fail_knob(struct file *file, struct buddy_sim_fail *f, int **val)
{
	const char *knob = file->f_path.dentry->d_name.name;

	if (!strcmp(knob, "interval"))
		*val = (int *)&f->interval;
	else if (!strcmp(knob, "probability"))
		*val = (int *)&f->probability;
	else if (!strcmp(knob, "min_order"))
		*val = (int *)&f->min_order;
	else if (!strcmp(knob, "times"))
		*val = &f->times;
	else
		return -ENOENT;
	return 0;
}

static ssize_t fail_read(struct file *file, char __user *ubuf, size_t count,
			 loff_t *ppos)
{
	struct buddy_sim *zone = file_inode(file)->i_private;
	struct buddy_sim_fail f;
	char buf[24];
	int *val, len, ret;

	buddy_sim_get_fail(zone, &f);
	ret = fail_knob(file, &f, &val);
	if (ret)
		return ret;
	len = scnprintf(buf, sizeof(buf), "%d\n", *val);
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static ssize_t fail_write(struct file *file, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	struct buddy_sim *zone = file_inode(file)->i_private;
	char buf[MM_EXT_WRITE_MAX], *cmd;
	struct buddy_sim_fail f;
	int *val, ret;

	ret = read_user_cmd(ubuf, count, buf, sizeof(buf), &cmd);
	if (ret)
		return ret;
	buddy_sim_get_fail(zone, &f);
	ret = fail_knob(file, &f, &val);
	if (ret)
		return ret;
	if (kstrtoint(cmd, 0, val) || (val != &f.times && *val < 0) ||
	    buddy_sim_set_fail(zone, &f)) {
		pr_err("mm_ext: zone %s: fail/%s: bad value \"%s\" (interval >= 0, probability 0..100, min_order 0..%d, times >= -1)\n",
		       buddy_sim_name(zone), file->f_path.dentry->d_name.name, cmd,
		       BUDDY_SIM_MAX_ORDER);
		return -EINVAL;
	}
	return count;
}

static const struct file_operations fail_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = fail_read,
	.write = fail_write,
	.llseek = default_llseek,
};

/*
 * slabinfo: /proc/slabinfo version 2.1, header included, one row a cache.
 * There are no tunables; active_slabs are slabs holding objects (full and
 * partial), num_slabs all of them.
 */
static void slabinfo_row(struct slab_ext_cache *cache, void *arg)
{
	struct seq_file *m = arg;
	struct slab_ext_info info;

	slab_ext_cache_info(cache, &info);
	seq_printf(m, "%-17s %6lu %6lu %6u %4u %4d",
		   slab_ext_cache_name(cache), info.active_objs, info.total_objs,
		   info.size, info.objs_per_slab, 1 << info.order);
	seq_printf(m, " : tunables %4u %4u %4u", 0, 0, 0);
	seq_printf(m, " : slabdata %6lu %6lu %6lu",
		   info.nr_full + info.nr_partial,
		   info.nr_full + info.nr_partial + info.nr_empty, 0UL);
	seq_putc(m, '\n');
}

static int slabinfo_show(struct seq_file *m, void *v)
{
	seq_puts(m, "slabinfo - version: 2.1\n");
	seq_puts(m, "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>");
	seq_puts(m, " : tunables <limit> <batchcount> <sharedfactor>");
	seq_puts(m, " : slabdata <active_slabs> <num_slabs> <sharedavail>");
	seq_putc(m, '\n');
	slab_ext_walk_caches(slabinfo_row, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(slabinfo);

/* slab/<cache>/stats: every field of slab_ext_info, then the cache's extras. */
static int cache_stats_show(struct seq_file *m, void *v)
{
	struct slab_ext_cache *cache = m->private;
	struct slab_ext_extra extra;
	struct slab_ext_info info;

	slab_ext_cache_info(cache, &info);
	slab_ext_get_extra(cache, &extra);
	seq_printf(m, "object_size %u\n", info.object_size);
	seq_printf(m, "size %u\n", info.size);
	seq_printf(m, "objs_per_slab %u\n", info.objs_per_slab);
	seq_printf(m, "order %u\n", info.order);
	seq_printf(m, "nr_full %lu\n", info.nr_full);
	seq_printf(m, "nr_partial %lu\n", info.nr_partial);
	seq_printf(m, "nr_empty %lu\n", info.nr_empty);
	seq_printf(m, "active_objs %lu\n", info.active_objs);
	seq_printf(m, "total_objs %lu\n", info.total_objs);
	seq_printf(m, "allocs %llu\n", info.allocs);
	seq_printf(m, "frees %llu\n", info.frees);
	seq_printf(m, "errors %llu\n", info.errors);
	seq_printf(m, "align %u\n", extra.align);
	seq_printf(m, "flags 0x%lx\n", (__force unsigned long)extra.flags);
	seq_printf(m, "min_empty %u\n", extra.min_empty);
	seq_printf(m, "cpu_cache %u\n", extra.cpu_max);
	seq_printf(m, "cpu_cached %lu\n", extra.cpu_cached);
	seq_printf(m, "quarantined %lu\n", extra.quarantined);
	seq_printf(m, "failures %llu\n", extra.failures);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(cache_stats);

/*
 * One-number knobs: slab/<cache>/min_empty (empty slabs kept, 0..1024),
 * slab/<cache>/cpu_cache (CPU array bound, 0..128) and buddy/<zone>/pcp_high
 * (per-CPU list size, 0..64). The file's name says which; the setter checks
 * the range.
 */
static int knob_get(struct file *file, unsigned int *val)
{
	const char *knob = file->f_path.dentry->d_name.name;
	void *obj = file_inode(file)->i_private;
	struct slab_ext_extra extra;

	if (!strcmp(knob, "pcp_high")) {
		*val = buddy_sim_get_pcp(obj);
		return 0;
	}
	slab_ext_get_extra(obj, &extra);
	*val = !strcmp(knob, "min_empty") ? extra.min_empty : extra.cpu_max;
	return 0;
}

static int knob_set(struct file *file, unsigned int val)
{
	const char *knob = file->f_path.dentry->d_name.name;
	void *obj = file_inode(file)->i_private;

	if (!strcmp(knob, "pcp_high"))
		return buddy_sim_set_pcp(obj, val);
	if (!strcmp(knob, "min_empty"))
		return slab_ext_set_min_empty(obj, val);
	return slab_ext_set_cpu_cache(obj, val);
}

static ssize_t knob_read(struct file *file, char __user *ubuf, size_t count,
			 loff_t *ppos)
{
	unsigned int val;
	char buf[16];
	int len;

	knob_get(file, &val);
	len = scnprintf(buf, sizeof(buf), "%u\n", val);
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static ssize_t knob_write(struct file *file, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	char buf[MM_EXT_WRITE_MAX], *cmd;
	unsigned int val;
	int ret;

	ret = read_user_cmd(ubuf, count, buf, sizeof(buf), &cmd);
	if (ret)
		return ret;
	if (kstrtouint(cmd, 0, &val) || knob_set(file, val)) {
		pr_err("mm_ext: %s: \"%s\" refused (min_empty 0..1024, cpu_cache 0..128 and not on a debug cache, pcp_high 0..64)\n",
		       file->f_path.dentry->d_name.name, cmd);
		return -EINVAL;
	}
	return count;
}

static const struct file_operations knob_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = knob_read,
	.write = knob_write,
	.llseek = default_llseek,
};

/* Called with the cache list lock held, so names cannot race. */
int mm_ext_debugfs_add_cache(struct slab_ext_cache *cache)
{
	struct dentry *dir;

	if (!mm_ext_slab_dir)
		return 0;
	dir = debugfs_create_dir(slab_ext_cache_name(cache), mm_ext_slab_dir);
	debugfs_create_file("stats", 0400, dir, cache, &cache_stats_fops);
	debugfs_create_file("min_empty", 0600, dir, cache, &knob_fops);
	debugfs_create_file("cpu_cache", 0600, dir, cache, &knob_fops);
	return 0;
}

void mm_ext_debugfs_remove_cache(struct slab_ext_cache *cache)
{
	if (mm_ext_slab_dir)
		debugfs_lookup_and_remove(slab_ext_cache_name(cache), mm_ext_slab_dir);
}

/* mempool/<pool>/stats: every field of mempool_ext_info, then the extras. */
static int pool_stats_show(struct seq_file *m, void *v)
{
	struct mempool_ext *pool = m->private;
	struct mempool_ext_extra extra;
	struct mempool_ext_info info;

	mempool_ext_info(pool, &info);
	mempool_ext_get_extra(pool, &extra);
	seq_printf(m, "min_nr %d\n", info.min_nr);
	seq_printf(m, "curr_nr %d\n", info.curr_nr);
	seq_printf(m, "allocs %llu\n", info.allocs);
	seq_printf(m, "reserve_allocs %llu\n", info.reserve_allocs);
	seq_printf(m, "frees %llu\n", info.frees);
	seq_printf(m, "refills %llu\n", info.refills);
	seq_printf(m, "waits %llu\n", info.waits);
	seq_printf(m, "failures %llu\n", info.failures);
	seq_printf(m, "lowest_nr %d\n", extra.lowest_nr);
	seq_printf(m, "errors %llu\n", extra.errors);
	seq_printf(m, "elem_size %zu\n", extra.elem_size);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pool_stats);

/* workload/<name>/stats: what it runs on, and how far it has got. */
static int workload_stats_show(struct seq_file *m, void *v)
{
	struct mm_ext_workload *wl = m->private;

	seq_printf(m, "type %s\n", mm_ext_workload_type_name(wl->type));
	seq_printf(m, "target %s\n", wl->target);
	seq_printf(m, "state %s\n", mm_ext_workload_state_name(READ_ONCE(wl->state)));
	seq_printf(m, "seed %llu\n", wl->seed);
	seq_printf(m, "ops %lu\n", wl->ops);
	seq_printf(m, "slots %lu\n", wl->slots);
	seq_printf(m, "done %lu\n", READ_ONCE(wl->done));
	seq_printf(m, "allocs %lu\n", READ_ONCE(wl->allocs));
	seq_printf(m, "frees %lu\n", READ_ONCE(wl->frees));
	seq_printf(m, "failures %lu\n", READ_ONCE(wl->failures));
	seq_printf(m, "held %lu\n", READ_ONCE(wl->held));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(workload_stats);

/* Called with the control lock held. */
void mm_ext_debugfs_add_workload(struct mm_ext_workload *wl)
{
	struct dentry *dir;

	if (!mm_ext_workload_dir)
		return;
	dir = debugfs_create_dir(wl->name, mm_ext_workload_dir);
	debugfs_create_file("stats", 0400, dir, wl, &workload_stats_fops);
}

void mm_ext_debugfs_remove_workload(struct mm_ext_workload *wl)
{
	if (mm_ext_workload_dir)
		debugfs_lookup_and_remove(wl->name, mm_ext_workload_dir);
}

/* Called with the pool list lock held, so names cannot race. */
void mm_ext_debugfs_add_pool(struct mempool_ext *pool)
{
	struct dentry *dir;

	if (!mm_ext_pool_dir)
		return;
	dir = debugfs_create_dir(mempool_ext_name(pool), mm_ext_pool_dir);
	debugfs_create_file("stats", 0400, dir, pool, &pool_stats_fops);
}

void mm_ext_debugfs_remove_pool(struct mempool_ext *pool)
{
	if (mm_ext_pool_dir)
		debugfs_lookup_and_remove(mempool_ext_name(pool), mm_ext_pool_dir);
}

/* Called with the zone list lock held, so names cannot race. */
int mm_ext_debugfs_add_zone(struct buddy_sim *zone)
{
	struct dentry *dir, *fail;

	if (!mm_ext_buddy_dir)
		return 0;
	dir = debugfs_create_dir(buddy_sim_name(zone), mm_ext_buddy_dir);
	debugfs_create_file("buddyinfo", 0400, dir, zone, &buddyinfo_fops);
	debugfs_create_file("unusable_index", 0400, dir, zone, &unusable_index_fops);
	debugfs_create_file("extfrag_index", 0400, dir, zone, &extfrag_index_fops);
	debugfs_create_file("stats", 0400, dir, zone, &zone_stats_fops);
	debugfs_create_file("pagemap", 0400, dir, zone, &pagemap_fops);
	debugfs_create_file("watermarks", 0600, dir, zone, &watermarks_fops);
	debugfs_create_file("pcp_high", 0600, dir, zone, &knob_fops);
	fail = debugfs_create_dir("fail", dir);
	debugfs_create_file("interval", 0600, fail, zone, &fail_fops);
	debugfs_create_file("probability", 0600, fail, zone, &fail_fops);
	debugfs_create_file("min_order", 0600, fail, zone, &fail_fops);
	debugfs_create_file("times", 0600, fail, zone, &fail_fops);
	return 0;
}

/*
 * debugfs_remove() waits for readers and writers already inside a file to
 * leave, so the zone may be freed once this returns.
 */
void mm_ext_debugfs_remove_zone(struct buddy_sim *zone)
{
	if (mm_ext_buddy_dir)
		debugfs_lookup_and_remove(buddy_sim_name(zone), mm_ext_buddy_dir);
}

int mm_ext_debugfs_init(void)
{
	mm_ext_root = debugfs_create_dir("mm_ext", NULL);
	if (IS_ERR(mm_ext_root)) {
		/* debugfs off or locked down: the allocators still work. */
		mm_ext_root = NULL;
		return 0;
	}
	mm_ext_buddy_dir = debugfs_create_dir("buddy", mm_ext_root);
	mm_ext_slab_dir = debugfs_create_dir("slab", mm_ext_root);
	mm_ext_pool_dir = debugfs_create_dir("mempool", mm_ext_root);
	mm_ext_workload_dir = debugfs_create_dir("workload", mm_ext_root);
	debugfs_create_file("control", 0600, mm_ext_root, NULL, &mm_ext_control_fops);
	debugfs_create_file("slabinfo", 0400, mm_ext_root, NULL, &slabinfo_fops);
	return 0;
}

void mm_ext_debugfs_exit(void)
{
	debugfs_remove(mm_ext_root);
	mm_ext_root = NULL;
	mm_ext_buddy_dir = NULL;
	mm_ext_slab_dir = NULL;
	mm_ext_pool_dir = NULL;
	mm_ext_workload_dir = NULL;
}
