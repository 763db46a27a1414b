// SPDX-License-Identifier: GPL-2.0
/*
 * Every debugfs file of mm_ext, in one place, under /sys/kernel/debug/mm_ext/.
 * The layers know nothing of debugfs: the registry (mm_ext_registry.c)
 * hears an object appear or go and calls mm_ext_debugfs_add()/_remove(). Every file is
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
#include "mm_ext_glue.h"

#define MM_EXT_WRITE_MAX 64	/* longest command any file accepts */

static struct dentry *mm_ext_root;
static struct dentry *mm_ext_buddy_dir;
static struct dentry *mm_ext_slab_dir;
static struct dentry *mm_ext_pool_dir;
static struct dentry *mm_ext_workload_dir;
static struct dentry *mm_ext_control_file;
static struct dentry *mm_ext_slabinfo_file;

/* A file of an object's directory. */
struct mm_ext_file {
	const char *name;
	umode_t mode;
	const struct file_operations *fops;
};

/*
 * @dir's files, each checked: on the first failure the caller removes the
 * directory, so nothing is left half made.
 */
static int add_files(struct dentry *dir, void *data, const struct mm_ext_file *files,
		     unsigned int n)
{
	struct dentry *d;
	unsigned int i;

	for (i = 0; i < n; i++) {
		d = debugfs_create_file(files[i].name, files[i].mode, dir, data, files[i].fops);
		if (IS_ERR(d))
			return PTR_ERR(d);
	}
	return 0;
}

/*
 * Directory @name under @parent with @files in it: 0, or -errno with
 * nothing left behind. Without debugfs (@parent NULL), nothing and 0.
 */
static int add_dir(struct dentry *parent, const char *name, void *data,
		   const struct mm_ext_file *files, unsigned int n, struct dentry **out)
{
	struct dentry *dir;
	int ret;

	*out = NULL;
	if (!parent)
		return 0;
	dir = debugfs_create_dir(name, parent);
	if (IS_ERR(dir)) {
		pr_err("mm_ext: debugfs: cannot create directory %s: error %ld\n", name,
		       PTR_ERR(dir));
		return PTR_ERR(dir);
	}
	ret = add_files(dir, data, files, n);
	if (ret) {
		pr_err("mm_ext: debugfs: cannot create the files of %s: error %d\n", name, ret);
		debugfs_remove(dir);
		return ret;
	}
	*out = dir;
	return 0;
}

/*
 * Copy a short command from user space into @buf (@size bytes) as a
 * trimmed string, for every writable file here and the control file.
 * Over-long or NUL-holding input is refused: it can only be a mistake.
 */
int mm_ext_read_cmd(const char __user *ubuf, size_t count, char *buf, size_t size,
		    char **cmd)
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

static long free_blocks(const struct buddy_sim_info *info, unsigned int order)
{
	return info->nr_free[order];
}

static long unusable(const struct buddy_sim_info *info, unsigned int order)
{
	return buddy_sim_unusable_index(info, order);
}

static long extfrag(const struct buddy_sim_info *info, unsigned int order)
{
	return buddy_sim_extfrag_index(info, order);
}

/*
 * One "Node 0, zone NAME" line with a value per order, as the kernel
 * prints it: a count in @width columns, or (@milli) an index scaled by
 * 1000 as "%d.%03d" with the integer part in @width columns.
 */
static int zone_line(struct seq_file *m,
		     long (*value)(const struct buddy_sim_info *info, unsigned int order),
		     int width, bool milli)
{
	struct buddy_sim *zone = m->private;
	struct buddy_sim_info info;
	unsigned int o;
	long v;

	buddy_sim_info(zone, &info);
	seq_printf(m, "Node %d, zone %8s ", 0, buddy_sim_name(zone));
	for (o = 0; o <= BUDDY_SIM_MAX_ORDER; o++) {
		v = value(&info, o);
		if (milli)
			seq_printf(m, "%*ld.%03ld ", width, v / 1000, v % 1000);
		else
			seq_printf(m, "%*ld ", width, v);
	}
	seq_putc(m, '\n');
	return 0;
}

/* buddy/<zone>/buddyinfo: /proc/buddyinfo's line, byte for byte. */
static int buddyinfo_show(struct seq_file *m, void *v)
{
	return zone_line(m, free_blocks, 6, false);
}
DEFINE_SHOW_ATTRIBUTE(buddyinfo);

/* buddy/<zone>/unusable_index: /sys/kernel/debug/extfrag/unusable_index's line. */
static int unusable_index_show(struct seq_file *m, void *v)
{
	return zone_line(m, unusable, 0, true);
}
DEFINE_SHOW_ATTRIBUTE(unusable_index);

/* buddy/<zone>/extfrag_index: /sys/kernel/debug/extfrag/extfrag_index's line. */
static int extfrag_index_show(struct seq_file *m, void *v)
{
	return zone_line(m, extfrag, 2, true);
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

/*
 * "MIN LOW HIGH": exactly three numbers, each checked by kstrtoul, which
 * refuses what does not fit (sscanf's %lu would wrap 2^64 to 0).
 */
static int parse_wmarks(char *cmd, struct buddy_sim_wmark *wm)
{
	unsigned long *vals[] = { &wm->min, &wm->low, &wm->high };
	unsigned int n = 0;
	char *tok;

	while ((tok = strsep(&cmd, " \t\n"))) {
		if (!*tok)
			continue;
		if (n == ARRAY_SIZE(vals) || kstrtoul(tok, 0, vals[n]))
			return -EINVAL;
		n++;
	}
	return n == ARRAY_SIZE(vals) ? 0 : -EINVAL;
}

static ssize_t watermarks_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct buddy_sim *zone = file_inode(file)->i_private;
	struct buddy_sim_wmark wm = { 0 };
	char buf[MM_EXT_WRITE_MAX], *cmd;
	struct buddy_sim_info info;
	int ret;

	ret = mm_ext_read_cmd(ubuf, count, buf, sizeof(buf), &cmd);
	if (ret)
		return ret;
	if (!strcmp(cmd, "auto")) {
		buddy_sim_info(zone, &info);
		buddy_sim_auto_wmark(info.nr_pages, &wm);
	} else if (strcmp(cmd, "off") && parse_wmarks(cmd, &wm)) {
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
 * slabinfo: /proc/slabinfo version 2.1, header included, one row a cache.
 * There are no tunables; active_slabs are slabs holding objects (full and
 * partial), num_slabs all of them.
 */
static void slabinfo_row(void *cache, void *arg)
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
	mm_ext_obj_walk(MM_EXT_CACHE, slabinfo_row, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(slabinfo);

static const char *const tier_names[] = {
	[SLAB_EXT_TIER_ARRAYS] = "arrays",
	[SLAB_EXT_TIER_SHEAVES] = "sheaves",
};

/*
 * The per-CPU tier's lines of stats: which tier, the barn, and the
 * sheaves' counters under mainline's SLUB stat names.
 */
static void cache_tier_stats(struct seq_file *m, struct slab_ext_cache *cache)
{
	struct slab_ext_tier_info ti;
	int i;

	slab_ext_get_tier(cache, &ti);
	seq_printf(m, "tier %s\n", tier_names[ti.tier]);
	seq_printf(m, "cpu_sheaf_objects %lu\n", ti.cpu_sheaf_objects);
	seq_printf(m, "barn_full %u\n", ti.barn_full);
	seq_printf(m, "barn_empty %u\n", ti.barn_empty);
	seq_printf(m, "barn_objects %lu\n", ti.barn_objects);
	for (i = 0; i < SX_NR_TIER_STATS; i++)
		seq_printf(m, "%s %llu\n", slab_ext_tier_stat_names[i], ti.stat[i]);
}

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
	seq_printf(m, "sheaf_capacity %u\n", extra.sheaf_capacity);
	seq_printf(m, "sheaves %lu\n", extra.sheaves);
	seq_printf(m, "sheaf_objects %lu\n", extra.sheaf_objects);
	seq_printf(m, "sheaf_prefills %llu\n", extra.sheaf_prefills);
	seq_printf(m, "sheaf_refills %llu\n", extra.sheaf_refills);
	seq_printf(m, "sheaf_returns %llu\n", extra.sheaf_returns);
	seq_printf(m, "sheaf_failures %llu\n", extra.sheaf_failures);
	cache_tier_stats(m, cache);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(cache_stats);

/*
 * One-number knobs, each a typed descriptor: its bounds and how to read
 * and set it. The handlers find the descriptor from the file's own
 * operations (debugfs_real_fops()), which it embeds, never from the
 * file's name. A value outside the bounds, or one the setter refuses,
 * is -EINVAL with one line saying why, and changes nothing.
 */
struct mm_ext_knob {
	const struct file_operations fops;
	long long min, max;
	long long (*get)(void *obj, size_t arg);
	int (*set)(void *obj, size_t arg, long long val);
	size_t arg;			/* passed to get and set */
};

static const struct mm_ext_knob *file_knob(struct file *file)
{
	return container_of(debugfs_real_fops(file), struct mm_ext_knob, fops);
}

static ssize_t knob_read(struct file *file, char __user *ubuf, size_t count,
			 loff_t *ppos)
{
	const struct mm_ext_knob *knob = file_knob(file);
	char buf[24];
	int len;

	len = scnprintf(buf, sizeof(buf), "%lld\n",
			knob->get(file_inode(file)->i_private, knob->arg));
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static ssize_t knob_write(struct file *file, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	const struct mm_ext_knob *knob = file_knob(file);
	char buf[MM_EXT_WRITE_MAX], *cmd;
	long long val;
	int ret;

	ret = mm_ext_read_cmd(ubuf, count, buf, sizeof(buf), &cmd);
	if (ret)
		return ret;
	if (kstrtoll(cmd, 0, &val) || val < knob->min || val > knob->max) {
		pr_err("mm_ext: %pd: \"%s\" is not a number in %lld..%lld\n",
		       file->f_path.dentry, cmd, knob->min, knob->max);
		return -EINVAL;
	}
	ret = knob->set(file_inode(file)->i_private, knob->arg, val);
	if (ret) {
		pr_err("mm_ext: %pd: %lld refused: error %d\n", file->f_path.dentry, val, ret);
		return -EINVAL;
	}
	return count;
}

#define MM_EXT_KNOB(_min, _max, _get, _set, _arg) {			\
	.fops = { .owner = THIS_MODULE, .open = simple_open,		\
		  .read = knob_read, .write = knob_write,		\
		  .llseek = default_llseek },				\
	.min = (_min), .max = (_max), .get = (_get), .set = (_set),	\
	.arg = (_arg),							\
}

static long long pcp_high_get(void *zone, size_t arg)
{
	return buddy_sim_get_pcp(zone);
}

static int pcp_high_set(void *zone, size_t arg, long long val)
{
	return buddy_sim_set_pcp(zone, val);
}

/*
 * buddy/<zone>/fail/{interval,probability,min_order,times}: one knob per
 * file, as fail_page_alloc has; @arg is the field's offset in struct
 * buddy_sim_fail. times is signed: -1 is no limit.
 */
static long long fail_get(void *zone, size_t arg)
{
	struct buddy_sim_fail f;

	buddy_sim_get_fail(zone, &f);
	if (arg == offsetof(struct buddy_sim_fail, times))
		return f.times;
	return *(unsigned int *)((char *)&f + arg);
}

static int fail_set(void *zone, size_t arg, long long val)
{
	struct buddy_sim_fail f;

	buddy_sim_get_fail(zone, &f);
	if (arg == offsetof(struct buddy_sim_fail, times))
		f.times = val;
	else
		*(unsigned int *)((char *)&f + arg) = val;
	return buddy_sim_set_fail(zone, &f);
}

static long long min_empty_get(void *cache, size_t arg)
{
	struct slab_ext_extra extra;

	slab_ext_get_extra(cache, &extra);
	return extra.min_empty;
}

static int min_empty_set(void *cache, size_t arg, long long val)
{
	return slab_ext_set_min_empty(cache, val);
}

static long long cpu_cache_get(void *cache, size_t arg)
{
	struct slab_ext_extra extra;

	slab_ext_get_extra(cache, &extra);
	return extra.cpu_max;
}

/* Refused (-EINVAL) on a debug cache, which has no CPU arrays. */
static int cpu_cache_set(void *cache, size_t arg, long long val)
{
	return slab_ext_set_cpu_cache(cache, val);
}

static long long sheaf_capacity_get(void *cache, size_t arg)
{
	struct slab_ext_tier_info ti;

	slab_ext_get_tier(cache, &ti);
	return ti.sheaf_capacity;
}

/* On the sheaves tier, the CPUs' sheaves are drained and made anew. */
static int sheaf_capacity_set(void *cache, size_t arg, long long val)
{
	struct slab_ext_tier_info ti;

	slab_ext_get_tier(cache, &ti);
	return slab_ext_set_tier(cache, ti.tier, val, true);
}

/*
 * slab/<cache>/tier: "arrays" or "sheaves". A write switches the cache's
 * per-CPU tier, draining it first as shrink does; -EBUSY when it cannot
 * be emptied, -EINVAL for a word not a tier or sheaves on a debug cache.
 */
static ssize_t tier_read(struct file *file, char __user *ubuf, size_t count, loff_t *ppos)
{
	struct slab_ext_tier_info ti;
	char buf[16];
	int len;

	slab_ext_get_tier(file_inode(file)->i_private, &ti);
	len = scnprintf(buf, sizeof(buf), "%s\n", tier_names[ti.tier]);
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static ssize_t tier_write(struct file *file, const char __user *ubuf, size_t count,
			  loff_t *ppos)
{
	char buf[MM_EXT_WRITE_MAX], *cmd;
	int ret, tier;

	ret = mm_ext_read_cmd(ubuf, count, buf, sizeof(buf), &cmd);
	if (ret)
		return ret;
	tier = match_string(tier_names, ARRAY_SIZE(tier_names), cmd);
	if (tier < 0) {
		pr_err("mm_ext: %pd: \"%s\" is not arrays or sheaves\n", file->f_path.dentry, cmd);
		return -EINVAL;
	}
	ret = slab_ext_set_tier(file_inode(file)->i_private, tier, 0, true);
	if (ret) {
		pr_err("mm_ext: %pd: %s refused: error %d\n", file->f_path.dentry, cmd, ret);
		return ret;
	}
	return count;
}

static const struct file_operations tier_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = tier_read,
	.write = tier_write,
	.llseek = default_llseek,
};

#define FAIL_FIELD(field) offsetof(struct buddy_sim_fail, field)

static const struct mm_ext_knob pcp_high_knob =
	MM_EXT_KNOB(0, 64, pcp_high_get, pcp_high_set, 0);
static const struct mm_ext_knob fail_interval_knob =
	MM_EXT_KNOB(0, UINT_MAX, fail_get, fail_set, FAIL_FIELD(interval));
static const struct mm_ext_knob fail_probability_knob =
	MM_EXT_KNOB(0, 100, fail_get, fail_set, FAIL_FIELD(probability));
static const struct mm_ext_knob fail_min_order_knob =
	MM_EXT_KNOB(0, BUDDY_SIM_MAX_ORDER, fail_get, fail_set, FAIL_FIELD(min_order));
static const struct mm_ext_knob fail_times_knob =
	MM_EXT_KNOB(-1, INT_MAX, fail_get, fail_set, FAIL_FIELD(times));
static const struct mm_ext_knob min_empty_knob =
	MM_EXT_KNOB(0, 1024, min_empty_get, min_empty_set, 0);
static const struct mm_ext_knob cpu_cache_knob =
	MM_EXT_KNOB(0, 128, cpu_cache_get, cpu_cache_set, 0);
static const struct mm_ext_knob sheaf_capacity_knob =
	MM_EXT_KNOB(1, SLAB_EXT_SHEAF_MAX, sheaf_capacity_get, sheaf_capacity_set, 0);

static const struct mm_ext_file cache_files[] = {
	{ "stats", 0400, &cache_stats_fops },
	{ "min_empty", 0600, &min_empty_knob.fops },
	{ "cpu_cache", 0600, &cpu_cache_knob.fops },
	{ "tier", 0600, &tier_fops },
	{ "sheaf_capacity", 0600, &sheaf_capacity_knob.fops },
};

/*
 * slab/<cache>/<attribute>: SLUB's sysfs view of a cache, beside stats.
 * Each file is named and printed as mm/slub.c's <name>_show() prints it
 * (Documentation/ABI/testing/sysfs-kernel-slab), with SLUB's modes (0400,
 * 0600 for what it takes), so that the kernel's own tools/mm/slabinfo
 * reads mm_ext's caches when this slab directory is bind-mounted on
 * /sys/kernel/slab. Every file slabinfo opens is here. Each attribute is a
 * typed descriptor, found from the file's own operations as a knob is.
 * Values are exact when the cache is quiet, as its stats are.
 */
enum slub_kind {
	SLUB_NUM,	/* "%u\n" */
	SLUB_OBJECTS,	/* show_slab_objects(): "%lu", " N0=%lu" on NUMA, "\n" */
	SLUB_STAT,	/* CONFIG_SLUB_STATS: "%lu", " C%d=%u" per CPU, "\n" */
	SLUB_CTOR,	/* "%pS\n", or nothing without one */
	SLUB_ACTION,	/* reads nothing; takes "1" */
	SLUB_TIER,	/* a sheaves tier counter, as SLUB_STAT; field: its index */
};

enum slub_field {
	/* SLUB_NUM */
	SF_ALIGN, SF_OBJECT_SIZE, SF_OBJS_PER_SLAB, SF_ORDER, SF_SLAB_SIZE,
	SF_ALIASES, SF_HWCACHE_ALIGN, SF_POISON, SF_RED_ZONE, SF_STORE_USER,
	SF_SANITY_CHECKS, SF_CACHE_DMA, SF_DESTROY_BY_RCU, SF_RECLAIM_ACCOUNT,
	SF_TRACE,
	/* SLUB_OBJECTS */
	SF_OBJECTS, SF_OBJECTS_PARTIAL, SF_TOTAL_OBJECTS, SF_SLABS, SF_PARTIAL,
	SF_CPU_SLABS,
	/* SLUB_STAT */
	SF_ALLOC_FASTPATH, SF_ALLOC_SLOWPATH, SF_FREE_FASTPATH, SF_FREE_SLOWPATH,
	SF_NOT_COUNTED,
	/* SLUB_ACTION */
	SF_SHRINK, SF_VALIDATE,
};

struct slub_attr {
	const struct file_operations fops;
	const char *name;
	umode_t mode;
	enum slub_kind kind;
	enum slub_field field;
};

static const struct slub_attr *file_slub_attr(struct file *file)
{
	return container_of(debugfs_real_fops(file), struct slub_attr, fops);
}

/* A SLUB_NUM or SLUB_OBJECTS value. */
static unsigned long slub_value(struct slab_ext_cache *cache, enum slub_field field)
{
	struct slab_ext_extra extra;
	struct slab_ext_info info;

	slab_ext_cache_info(cache, &info);
	slab_ext_get_extra(cache, &extra);
	switch (field) {
	case SF_ALIGN:
		return extra.align;
	case SF_OBJECT_SIZE:
		return info.object_size;
	case SF_OBJS_PER_SLAB:
		return info.objs_per_slab;
	case SF_ORDER:
		return info.order;
	case SF_SLAB_SIZE:
		return info.size;	/* the stride, as SLUB's s->size */
	case SF_ALIASES:
		return 0;		/* mm_ext never merges caches */
	case SF_HWCACHE_ALIGN:
		return !!(extra.flags & SLAB_HWCACHE_ALIGN);
	case SF_POISON:
		return !!(extra.flags & SLAB_POISON);
	case SF_RED_ZONE:
		return !!(extra.flags & SLAB_RED_ZONE);
	case SF_STORE_USER:
		return !!(extra.flags & SLAB_STORE_USER);
	case SF_SANITY_CHECKS:
		/*
		 * SLAB_CONSISTENCY_CHECKS is not a flag mm_ext takes, but a
		 * cache with any debug flag checks every object at every
		 * allocation and free, as that flag makes SLUB do: say so.
		 */
		return !!(extra.flags & (SLAB_CONSISTENCY_CHECKS | SLAB_POISON |
					 SLAB_RED_ZONE | SLAB_STORE_USER));
	/* Flags mm_ext refuses at creation: always 0, read as SLUB reads them. */
	case SF_CACHE_DMA:
		return !!(extra.flags & SLAB_CACHE_DMA);
	case SF_DESTROY_BY_RCU:
		return !!(extra.flags & SLAB_TYPESAFE_BY_RCU);
	case SF_RECLAIM_ACCOUNT:
		return !!(extra.flags & SLAB_RECLAIM_ACCOUNT);
	case SF_TRACE:
		return !!(extra.flags & SLAB_TRACE);
	/*
	 * SLUB counts the objects of CPU slabs as in use; objects is what
	 * stats calls active_objs, which leaves out the free objects resting
	 * in the CPU arrays. SLUB's partial list also holds the empty slabs
	 * it keeps (min_partial), which mm_ext keeps on a list of their own:
	 * partial counts both, so that slabinfo's "full" (slabs - partial -
	 * cpu_slabs) is the full list.
	 */
	case SF_OBJECTS:
		return info.active_objs;
	case SF_OBJECTS_PARTIAL:
		return slab_ext_partial_inuse(cache);
	case SF_TOTAL_OBJECTS:
		return info.total_objs;
	case SF_SLABS:
		return info.nr_full + info.nr_partial + info.nr_empty;
	case SF_PARTIAL:
		return info.nr_partial + info.nr_empty;
	case SF_CPU_SLABS:
		/* No slab belongs to a CPU: the CPU arrays hold objects. */
		return 0;
	default:
		return 0;
	}
}

/*
 * A SLUB_STAT counter. mm_ext counts per CPU only what its CPU arrays
 * serve; those are the fast paths, each CPU shown as SLUB shows it (every
 * possible CPU with a count: an offline CPU's count stays in the totals of
 * stats). The slow paths are the calls the slab lists served, counted for
 * the whole cache: their total, without a per-CPU part.
 */
static int slub_stat_show(struct seq_file *m, struct slab_ext_cache *cache,
			  enum slub_field field)
{
	bool alloc = field == SF_ALLOC_FASTPATH || field == SF_ALLOC_SLOWPATH;
	struct slab_ext_info info;
	u64 a, f, sum = 0, *per_cpu;
	int cpu;

	/*
	 * Every other SLUB statistic (free_frozen, the *_partial moves,
	 * alloc_slab and free_slab, alloc_refill, the deactivate_* and
	 * cpuslab_flush counts, order_fallback, the cmpxchg_double retries,
	 * node mismatches and the cpu_partial_* counts) is 0: mm_ext has no
	 * frozen or CPU slabs, no CPU partial lists, no cmpxchg loops, no
	 * order fallback and one node, and does not count the slabs a cache
	 * takes from or gives back to its zone.
	 */
	if (field == SF_NOT_COUNTED) {
		seq_puts(m, "0\n");
		return 0;
	}
	per_cpu = kcalloc(nr_cpu_ids, sizeof(*per_cpu), GFP_KERNEL);
	if (!per_cpu)
		return -ENOMEM;
	slab_ext_cache_info(cache, &info);
	for_each_possible_cpu(cpu) {
		slab_ext_cpu_served(cache, cpu, &a, &f);
		per_cpu[cpu] = alloc ? a : f;
		sum += per_cpu[cpu];
	}
	if (field == SF_ALLOC_SLOWPATH || field == SF_FREE_SLOWPATH) {
		a = alloc ? info.allocs : info.frees;
		seq_printf(m, "%llu\n", a - min(a, sum));
		kfree(per_cpu);
		return 0;
	}
	seq_printf(m, "%llu", sum);
	for_each_possible_cpu(cpu)
		if (per_cpu[cpu])
			seq_printf(m, " C%d=%llu", cpu, per_cpu[cpu]);
	seq_putc(m, '\n');
	kfree(per_cpu);
	return 0;
}

/*
 * A counter of the sheaves tier, in mainline's sysfs form (6.18's
 * sheaf_* and barn_* files): the total, then each CPU's part. What was
 * counted outside any CPU's sheaves (shrink, prefill, return: the barn's
 * own counters) is in the total only.
 */
static int slub_tier_show(struct seq_file *m, struct slab_ext_cache *cache,
			  unsigned int item)
{
	u64 stat[SX_NR_TIER_STATS];
	struct slab_ext_tier_info ti;
	int cpu;

	slab_ext_get_tier(cache, &ti);
	seq_printf(m, "%llu", ti.stat[item]);
	for_each_possible_cpu(cpu) {
		slab_ext_cpu_tier_stat(cache, cpu, stat);
		if (stat[item])
			seq_printf(m, " C%d=%llu", cpu, stat[item]);
	}
	seq_putc(m, '\n');
	return 0;
}

static int slub_attr_show(struct seq_file *m, void *v)
{
	const struct slub_attr *attr = m->private;
	struct slab_ext_cache *cache = file_inode(m->file)->i_private;
	struct slab_ext_extra extra;
	unsigned long val;

	switch (attr->kind) {
	case SLUB_NUM:
		seq_printf(m, "%lu\n", slub_value(cache, attr->field));
		break;
	case SLUB_OBJECTS:
		/* A zone is one node, node 0, as its buddyinfo says. */
		val = slub_value(cache, attr->field);
		seq_printf(m, "%lu", val);
		if (IS_ENABLED(CONFIG_NUMA) && val)
			seq_printf(m, " N0=%lu", val);
		seq_putc(m, '\n');
		break;
	case SLUB_STAT:
		return slub_stat_show(m, cache, attr->field);
	case SLUB_CTOR:
		slab_ext_get_extra(cache, &extra);
		if (extra.ctor)
			seq_printf(m, "%pS\n", extra.ctor);
		break;
	case SLUB_ACTION:
		break;
	case SLUB_TIER:
		return slub_tier_show(m, cache, (unsigned int)attr->field);
	}
	return 0;
}

static int slub_attr_open(struct inode *inode, struct file *file)
{
	return single_open(file, slub_attr_show, (void *)file_slub_attr(file));
}

/*
 * shrink takes "1": every empty slab back to the zone, the CPU arrays
 * drained first (slab_ext_shrink()). validate takes nothing: SLUB walks
 * every slab of a debug cache checking each object; mm_ext has no such
 * walk (its checks run at every allocation and free), so it refuses "1"
 * as SLUB refuses it for a cache without debugging.
 */
static ssize_t slub_attr_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	const struct slub_attr *attr = file_slub_attr(file);
	struct slab_ext_cache *cache = file_inode(file)->i_private;
	char buf[MM_EXT_WRITE_MAX], *cmd;
	int ret;

	ret = mm_ext_read_cmd(ubuf, count, buf, sizeof(buf), &cmd);
	if (ret)
		return ret;
	if (strcmp(cmd, "1")) {
		pr_err("mm_ext: %pd: takes \"1\"\n", file->f_path.dentry);
		return -EINVAL;
	}
	if (attr->field == SF_VALIDATE) {
		pr_err("mm_ext: cache %s: validate: mm_ext checks objects at each allocation and free, not by a walk\n",
		       slab_ext_cache_name(cache));
		return -EINVAL;
	}
	slab_ext_shrink(cache);
	return count;
}

#define SLUB_FOPS(_write) {						\
	.owner = THIS_MODULE, .open = slub_attr_open, .read = seq_read,	\
	.llseek = seq_lseek, .release = single_release, .write = (_write),	\
}

#define SLUB_RO(_name, _kind, _field) {					\
	.fops = SLUB_FOPS(NULL), .name = (_name), .mode = 0400,		\
	.kind = (_kind), .field = (_field),				\
}

#define SLUB_RW(_name, _field) {						\
	.fops = SLUB_FOPS(slub_attr_write), .name = (_name), .mode = 0600,	\
	.kind = SLUB_ACTION, .field = (_field),				\
}

#define SLUB_STAT_RO(_name, _field)	SLUB_RO(_name, SLUB_STAT, _field)
#define SLUB_TIER_RO(_name, _item)	SLUB_RO(_name, SLUB_TIER, (enum slub_field)(_item))

/*
 * In mm/slub.c's slab_attrs[] order. The statistics are read-only: SLUB
 * clears one on a write of 0, but stats must keep adding up.
 */
static const struct slub_attr slub_attrs[] = {
	SLUB_RO("slab_size", SLUB_NUM, SF_SLAB_SIZE),
	SLUB_RO("object_size", SLUB_NUM, SF_OBJECT_SIZE),
	SLUB_RO("objs_per_slab", SLUB_NUM, SF_OBJS_PER_SLAB),
	SLUB_RO("order", SLUB_NUM, SF_ORDER),
	SLUB_RO("objects_partial", SLUB_OBJECTS, SF_OBJECTS_PARTIAL),
	SLUB_RO("partial", SLUB_OBJECTS, SF_PARTIAL),
	SLUB_RO("cpu_slabs", SLUB_OBJECTS, SF_CPU_SLABS),
	SLUB_RO("ctor", SLUB_CTOR, 0),
	SLUB_RO("aliases", SLUB_NUM, SF_ALIASES),
	SLUB_RO("align", SLUB_NUM, SF_ALIGN),
	SLUB_RO("hwcache_align", SLUB_NUM, SF_HWCACHE_ALIGN),
	SLUB_RO("reclaim_account", SLUB_NUM, SF_RECLAIM_ACCOUNT),
	SLUB_RO("destroy_by_rcu", SLUB_NUM, SF_DESTROY_BY_RCU),
	SLUB_RW("shrink", SF_SHRINK),
	SLUB_RO("slabs", SLUB_OBJECTS, SF_SLABS),
	SLUB_RO("total_objects", SLUB_OBJECTS, SF_TOTAL_OBJECTS),
	SLUB_RO("objects", SLUB_OBJECTS, SF_OBJECTS),
	SLUB_RO("sanity_checks", SLUB_NUM, SF_SANITY_CHECKS),
	SLUB_RO("trace", SLUB_NUM, SF_TRACE),
	SLUB_RO("red_zone", SLUB_NUM, SF_RED_ZONE),
	SLUB_RO("poison", SLUB_NUM, SF_POISON),
	SLUB_RO("store_user", SLUB_NUM, SF_STORE_USER),
	SLUB_RW("validate", SF_VALIDATE),
	SLUB_RO("cache_dma", SLUB_NUM, SF_CACHE_DMA),
	SLUB_STAT_RO("alloc_fastpath", SF_ALLOC_FASTPATH),
	SLUB_STAT_RO("alloc_slowpath", SF_ALLOC_SLOWPATH),
	SLUB_STAT_RO("free_fastpath", SF_FREE_FASTPATH),
	SLUB_STAT_RO("free_slowpath", SF_FREE_SLOWPATH),
	SLUB_STAT_RO("free_frozen", SF_NOT_COUNTED),
	SLUB_STAT_RO("free_add_partial", SF_NOT_COUNTED),
	SLUB_STAT_RO("free_remove_partial", SF_NOT_COUNTED),
	SLUB_STAT_RO("alloc_from_partial", SF_NOT_COUNTED),
	SLUB_STAT_RO("alloc_slab", SF_NOT_COUNTED),
	SLUB_STAT_RO("alloc_refill", SF_NOT_COUNTED),
	SLUB_STAT_RO("alloc_node_mismatch", SF_NOT_COUNTED),
	SLUB_STAT_RO("free_slab", SF_NOT_COUNTED),
	SLUB_STAT_RO("cpuslab_flush", SF_NOT_COUNTED),
	SLUB_STAT_RO("deactivate_full", SF_NOT_COUNTED),
	SLUB_STAT_RO("deactivate_empty", SF_NOT_COUNTED),
	SLUB_STAT_RO("deactivate_to_head", SF_NOT_COUNTED),
	SLUB_STAT_RO("deactivate_to_tail", SF_NOT_COUNTED),
	SLUB_STAT_RO("deactivate_remote_frees", SF_NOT_COUNTED),
	SLUB_STAT_RO("deactivate_bypass", SF_NOT_COUNTED),
	SLUB_STAT_RO("order_fallback", SF_NOT_COUNTED),
	SLUB_STAT_RO("cmpxchg_double_cpu_fail", SF_NOT_COUNTED),
	SLUB_STAT_RO("cmpxchg_double_fail", SF_NOT_COUNTED),
	SLUB_STAT_RO("cpu_partial_alloc", SF_NOT_COUNTED),
	SLUB_STAT_RO("cpu_partial_free", SF_NOT_COUNTED),
	SLUB_STAT_RO("cpu_partial_node", SF_NOT_COUNTED),
	SLUB_STAT_RO("cpu_partial_drain", SF_NOT_COUNTED),
	/* 6.18's sheaves counters (mm_ext's sheaf_swap is in stats only). */
	SLUB_TIER_RO("sheaf_flush", SX_SHEAF_FLUSH),
	SLUB_TIER_RO("sheaf_refill", SX_SHEAF_REFILL),
	SLUB_TIER_RO("sheaf_alloc", SX_SHEAF_ALLOC),
	SLUB_TIER_RO("sheaf_free", SX_SHEAF_FREE),
	SLUB_TIER_RO("barn_get", SX_BARN_GET),
	SLUB_TIER_RO("barn_get_fail", SX_BARN_GET_FAIL),
	SLUB_TIER_RO("barn_put", SX_BARN_PUT),
	SLUB_TIER_RO("barn_put_fail", SX_BARN_PUT_FAIL),
	SLUB_TIER_RO("sheaf_prefill_fast", SX_SHEAF_PREFILL_FAST),
	SLUB_TIER_RO("sheaf_prefill_slow", SX_SHEAF_PREFILL_SLOW),
	SLUB_TIER_RO("sheaf_return_fast", SX_SHEAF_RETURN_FAST),
	SLUB_TIER_RO("sheaf_return_slow", SX_SHEAF_RETURN_SLOW),
};

/* The attributes in a cache's directory: 0, or -errno (the caller removes it). */
static int add_slub_attrs(struct dentry *dir, struct slab_ext_cache *cache)
{
	struct dentry *d;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(slub_attrs); i++) {
		d = debugfs_create_file(slub_attrs[i].name, slub_attrs[i].mode, dir, cache,
					&slub_attrs[i].fops);
		if (IS_ERR(d))
			return PTR_ERR(d);
	}
	return 0;
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
	seq_printf(m, "bulk %u\n", wl->bulk);
	seq_printf(m, "done %lu\n", READ_ONCE(wl->done));
	seq_printf(m, "allocs %lu\n", READ_ONCE(wl->allocs));
	seq_printf(m, "frees %lu\n", READ_ONCE(wl->frees));
	seq_printf(m, "failures %lu\n", READ_ONCE(wl->failures));
	seq_printf(m, "held %lu\n", READ_ONCE(wl->held));
	if (wl->type != WL_PREFILL)
		return 0;
	seq_printf(m, "sheaf %u\n", wl->sheaf);
	seq_printf(m, "prefills %lu\n", READ_ONCE(wl->prefills));
	seq_printf(m, "refills %lu\n", READ_ONCE(wl->refills));
	seq_printf(m, "returns %lu\n", READ_ONCE(wl->returns));
	seq_printf(m, "in_sheaves %lu\n", READ_ONCE(wl->in_sheaves));
	seq_printf(m, "broken %lu\n", READ_ONCE(wl->broken));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(workload_stats);

static const struct mm_ext_file workload_files[] = {
	{ "stats", 0400, &workload_stats_fops },
};

/* workload/<name>/: 0 or -errno, nothing made. Called under the control lock. */
int mm_ext_debugfs_add_workload(struct mm_ext_workload *wl)
{
	struct dentry *dir;

	return add_dir(mm_ext_workload_dir, wl->name, wl, workload_files,
		       ARRAY_SIZE(workload_files), &dir);
}

void mm_ext_debugfs_remove_workload(struct mm_ext_workload *wl)
{
	if (mm_ext_workload_dir)
		debugfs_lookup_and_remove(wl->name, mm_ext_workload_dir);
}

static const struct mm_ext_file pool_files[] = {
	{ "stats", 0400, &pool_stats_fops },
};

static const struct mm_ext_file zone_files[] = {
	{ "buddyinfo", 0400, &buddyinfo_fops },
	{ "unusable_index", 0400, &unusable_index_fops },
	{ "extfrag_index", 0400, &extfrag_index_fops },
	{ "stats", 0400, &zone_stats_fops },
	{ "pagemap", 0400, &pagemap_fops },
	{ "watermarks", 0600, &watermarks_fops },
	{ "pcp_high", 0600, &pcp_high_knob.fops },
};

static const struct mm_ext_file zone_fail_files[] = {
	{ "interval", 0600, &fail_interval_knob.fops },
	{ "probability", 0600, &fail_probability_knob.fops },
	{ "min_order", 0600, &fail_min_order_knob.fops },
	{ "times", 0600, &fail_times_knob.fops },
};

/*
 * An object's directory and files, for the registry: 0 or -errno with
 * nothing made. Names are unique within a kind (the layers see to it).
 */
int mm_ext_debugfs_add(enum mm_ext_kind kind, void *obj, const char *name)
{
	struct dentry *dir, *fail;
	int ret;

	switch (kind) {
	case MM_EXT_ZONE:
		ret = add_dir(mm_ext_buddy_dir, name, obj, zone_files,
			      ARRAY_SIZE(zone_files), &dir);
		if (ret || !dir)
			return ret;
		ret = add_dir(dir, "fail", obj, zone_fail_files,
			      ARRAY_SIZE(zone_fail_files), &fail);
		if (ret)
			debugfs_remove(dir);
		return ret;
	case MM_EXT_CACHE:
		ret = add_dir(mm_ext_slab_dir, name, obj, cache_files,
			      ARRAY_SIZE(cache_files), &dir);
		if (ret || !dir)
			return ret;
		ret = add_slub_attrs(dir, obj);
		if (ret) {
			pr_err("mm_ext: debugfs: cannot create the files of %s: error %d\n",
			       name, ret);
			debugfs_remove(dir);
		}
		return ret;
	case MM_EXT_POOL:
		return add_dir(mm_ext_pool_dir, name, obj, pool_files,
			       ARRAY_SIZE(pool_files), &dir);
	default:
		return -EINVAL;
	}
}

/*
 * debugfs_remove() waits for readers and writers already inside a file to
 * leave, so the object may be freed once this returns.
 */
void mm_ext_debugfs_remove(enum mm_ext_kind kind, const char *name)
{
	struct dentry *parent[MM_EXT_NR_KINDS] = {
		[MM_EXT_ZONE] = mm_ext_buddy_dir, [MM_EXT_CACHE] = mm_ext_slab_dir,
		[MM_EXT_POOL] = mm_ext_pool_dir,
	};

	if (parent[kind])
		debugfs_lookup_and_remove(name, parent[kind]);
}

/*
 * The directories: first, so the default zone and the kmalloc caches can
 * show theirs as they are made. Without debugfs (not built, or locked
 * down) the allocators still work: nothing is shown and 0 is returned.
 */
int mm_ext_debugfs_init(void)
{
	struct dentry **dirs[] = {
		&mm_ext_buddy_dir, &mm_ext_slab_dir, &mm_ext_pool_dir, &mm_ext_workload_dir,
	};
	static const char *const names[] = { "buddy", "slab", "mempool", "workload" };
	struct dentry *root, *d;
	unsigned int i;

	root = debugfs_create_dir("mm_ext", NULL);
	if (IS_ERR(root)) {
		if (PTR_ERR(root) == -ENODEV || PTR_ERR(root) == -EPERM)
			return 0;
		pr_err("mm_ext: debugfs: cannot create mm_ext: error %ld\n", PTR_ERR(root));
		return PTR_ERR(root);
	}
	for (i = 0; i < ARRAY_SIZE(dirs); i++) {
		d = debugfs_create_dir(names[i], root);
		if (IS_ERR(d)) {
			pr_err("mm_ext: debugfs: cannot create %s: error %ld\n", names[i],
			       PTR_ERR(d));
			debugfs_remove(root);
			return PTR_ERR(d);
		}
		*dirs[i] = d;
	}
	mm_ext_root = root;
	return 0;
}

/*
 * control and slabinfo reach the default zone, the kmalloc caches and
 * every list: they appear last, once all of that exists.
 */
int mm_ext_debugfs_add_control(void)
{
	struct dentry *d;

	if (!mm_ext_root)
		return 0;
	d = debugfs_create_file("slabinfo", 0400, mm_ext_root, NULL, &slabinfo_fops);
	if (IS_ERR(d))
		goto err;
	mm_ext_slabinfo_file = d;
	d = debugfs_create_file("control", 0600, mm_ext_root, NULL, &mm_ext_control_fops);
	if (IS_ERR(d))
		goto err;
	mm_ext_control_file = d;
	return 0;
err:
	pr_err("mm_ext: debugfs: cannot create control or slabinfo: error %ld\n", PTR_ERR(d));
	mm_ext_debugfs_remove_control();
	return PTR_ERR(d);
}

/* First at exit: waits for a writer inside, and no new one can come. */
void mm_ext_debugfs_remove_control(void)
{
	debugfs_remove(mm_ext_control_file);
	debugfs_remove(mm_ext_slabinfo_file);
	mm_ext_control_file = NULL;
	mm_ext_slabinfo_file = NULL;
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
