// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/mm_ext/control: drive mm_ext from a root shell. One
 * command per write (reading the file lists them):
 *
 *   zone create NAME PAGES            zone destroy NAME
 *   zone drain NAME                   (per-CPU page lists -> free lists)
 *   cache create NAME SIZE [zone=Z] [align=N] [flags=F,F...]
 *   cache destroy NAME                cache shrink NAME
 *   cache misuse NAME KIND            (double_free, interior, foreign,
 *                                      red_zone, write_after_free)
 *   pool create NAME MIN_NR slab=CACHE | page=ZONE [order=N] | kmalloc=SIZE
 *   pool resize NAME MIN_NR           pool destroy NAME
 *   workload start NAME TYPE=TARGET [ops=N] [seed=N] [slots=N]
 *                  [max_order=N] [delay_us=N]   (TYPE: zone cache pool fragment)
 *   workload stop NAME                workload destroy NAME
 *
 * Only objects made here can be destroyed here (-EPERM otherwise); one that
 * others still use is refused with -EBUSY. Every refusal is one "mm_ext:"
 * line and an errno, and changes nothing. What is left at rmmod goes then.
 */

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <mm_ext/buddy_sim.h>
#include <mm_ext/mempool_ext.h>
#include <mm_ext/slab_ext.h>
#include "mm_ext_internal.h"

#define CTL_WRITE_MAX	256	/* longest command accepted */
#define CTL_ARGS_MAX	12
#define BAD_USAGE	1	/* not a command a handler knows: -EINVAL and a hint */

enum shell_kind { SHELL_ZONE, SHELL_CACHE, SHELL_POOL };

/* An object made through the control file. */
struct shell_obj {
	struct list_head node;
	enum shell_kind kind;
	void *ptr;
};

/*
 * Serialises every command, and protects the lists of what the shell made.
 * Commands may sleep (creation, kthread_stop), hence a mutex.
 */
static DEFINE_MUTEX(ctl_lock);
static LIST_HEAD(shell_objs);		/* newest first: destroyed in that order */
static LIST_HEAD(workloads);

static const char ctl_usage[] =
	"zone create NAME PAGES\n"
	"zone destroy NAME\n"
	"zone drain NAME\n"
	"cache create NAME SIZE [zone=ZONE] [align=N] [flags=poison,red_zone,store_user,hwcache_align]\n"
	"cache destroy NAME\n"
	"cache shrink NAME\n"
	"cache misuse NAME double_free|interior|foreign|red_zone|write_after_free\n"
	"pool create NAME MIN_NR slab=CACHE|page=ZONE [order=N]|kmalloc=SIZE\n"
	"pool resize NAME MIN_NR\n"
	"pool destroy NAME\n"
	"workload start NAME zone=ZONE|cache=CACHE|pool=POOL|fragment=ZONE [ops=N] [seed=N] [slots=N] [max_order=N] [delay_us=N]\n"
	"workload stop NAME\n"
	"workload destroy NAME\n";

static struct shell_obj *shell_find(enum shell_kind kind, void *ptr)
{
	struct shell_obj *o;

	list_for_each_entry(o, &shell_objs, node)
		if (o->kind == kind && o->ptr == ptr)
			return o;
	return NULL;
}

static int shell_add(enum shell_kind kind, void *ptr)
{
	struct shell_obj *o = kzalloc(sizeof(*o), GFP_KERNEL);

	if (!o)
		return -ENOMEM;
	o->kind = kind;
	o->ptr = ptr;
	list_add(&o->node, &shell_objs);
	return 0;
}

static void shell_destroy(struct shell_obj *o)
{
	list_del(&o->node);
	if (o->kind == SHELL_ZONE)
		buddy_sim_destroy(o->ptr);
	else if (o->kind == SHELL_CACHE)
		slab_ext_cache_destroy(o->ptr);
	else
		mempool_ext_destroy(o->ptr);
	kfree(o);
}

/*
 * Destroy an object the shell made and nothing uses: -EPERM when the shell
 * did not make it, -EBUSY while @users (@used_by) still use it.
 */
static int shell_destroy_unused(enum shell_kind kind, void *ptr, const char *name,
				int users, const char *used_by)
{
	static const char *const kinds[] = {
		[SHELL_ZONE] = "zone", [SHELL_CACHE] = "cache", [SHELL_POOL] = "pool",
	};
	struct shell_obj *o = shell_find(kind, ptr);

	if (!o) {
		pr_err("mm_ext: control: %s %s was not made from the shell\n", kinds[kind], name);
		return -EPERM;
	}
	if (users) {
		pr_err("mm_ext: control: %s %s is used by %d %s\n", kinds[kind], name, users,
		       used_by);
		return -EBUSY;
	}
	shell_destroy(o);
	return 0;
}

static struct mm_ext_workload *workload_find(const char *name)
{
	struct mm_ext_workload *wl;

	list_for_each_entry(wl, &workloads, node)
		if (!strcmp(wl->name, name))
			return wl;
	return NULL;
}

/* "key=value" among @argv: the value, or NULL. A bare "key" is not a match. */
static const char *opt(int argc, char **argv, const char *key)
{
	size_t len = strlen(key);
	int i;

	for (i = 0; i < argc; i++)
		if (!strncmp(argv[i], key, len) && argv[i][len] == '=')
			return argv[i] + len + 1;
	return NULL;
}

/* Every argument from @first on must be one of @keys=...: typos are refused. */
static int check_opts(int argc, char **argv, int first, const char *const *keys)
{
	const char *const *k;
	int i;

	for (i = first; i < argc; i++) {
		for (k = keys; *k; k++) {
			size_t len = strlen(*k);

			if (!strncmp(argv[i], *k, len) && argv[i][len] == '=')
				break;
		}
		if (!*k) {
			pr_err("mm_ext: control: unknown option \"%s\"\n", argv[i]);
			return -EINVAL;
		}
	}
	return 0;
}

static int opt_ul(int argc, char **argv, const char *key, unsigned long *val)
{
	const char *s = opt(argc, argv, key);

	if (!s)
		return 0;
	if (kstrtoul(s, 0, val)) {
		pr_err("mm_ext: control: %s=%s is not a number\n", key, s);
		return -EINVAL;
	}
	return 0;
}

static int parse_ul(const char *what, const char *s, unsigned long *val)
{
	if (kstrtoul(s, 0, val)) {
		pr_err("mm_ext: control: %s \"%s\" is not a number\n", what, s);
		return -EINVAL;
	}
	return 0;
}

static int parse_flags(const char *s, slab_flags_t *flags)
{
	static const struct { const char *name; slab_flags_t flag; } names[] = {
		{ "poison", SLAB_POISON }, { "red_zone", SLAB_RED_ZONE },
		{ "store_user", SLAB_STORE_USER }, { "hwcache_align", SLAB_HWCACHE_ALIGN },
	};
	char buf[80], *p = buf, *tok;
	unsigned int i;

	if (strscpy(buf, s, sizeof(buf)) < 0)
		return -EINVAL;
	*flags = 0;
	while ((tok = strsep(&p, ","))) {
		for (i = 0; i < ARRAY_SIZE(names); i++)
			if (!strcmp(tok, names[i].name))
				break;
		if (i == ARRAY_SIZE(names)) {
			pr_err("mm_ext: control: unknown cache flag \"%s\"\n", tok);
			return -EINVAL;
		}
		*flags |= names[i].flag;
	}
	return 0;
}

static struct buddy_sim *zone_lookup(const char *name)
{
	struct buddy_sim *zone = buddy_sim_find(name);

	if (!zone)
		pr_err("mm_ext: control: no zone %s\n", name);
	return zone;
}

static int zone_cmd(int argc, char **argv)
{
	struct buddy_sim *zone;
	unsigned long pages;
	int ret;

	if (argc == 4 && !strcmp(argv[1], "create")) {
		ret = parse_ul("page count", argv[3], &pages);
		if (ret)
			return ret;
		zone = buddy_sim_create(argv[2], pages);
		if (IS_ERR(zone)) {
			pr_err("mm_ext: control: zone create %s %lu: error %ld\n",
			       argv[2], pages, PTR_ERR(zone));
			return PTR_ERR(zone);
		}
		ret = shell_add(SHELL_ZONE, zone);
		if (ret)
			buddy_sim_destroy(zone);
		return ret;
	}
	if (argc == 3 && (!strcmp(argv[1], "destroy") || !strcmp(argv[1], "drain"))) {
		zone = zone_lookup(argv[2]);
		if (!zone)
			return -ENOENT;
		if (!strcmp(argv[1], "drain")) {
			buddy_sim_drain(zone);
			return 0;
		}
		return shell_destroy_unused(SHELL_ZONE, zone, argv[2], buddy_sim_users(zone),
					    "caches, pools or workloads");
	}
	return BAD_USAGE;
}

static const char *const cache_opts[] = { "zone", "align", "flags", NULL };

static struct slab_ext_cache *cache_lookup(const char *name)
{
	struct slab_ext_cache *cache = slab_ext_find(name);

	if (!cache)
		pr_err("mm_ext: control: no cache %s\n", name);
	return cache;
}

/*
 * Misuse on purpose, to see the report: each kind makes exactly the bug
 * its name says, on a cache whose debugging catches it.
 */
static int cache_misuse(struct slab_ext_cache *cache, const char *kind)
{
	struct slab_ext_extra extra;
	struct slab_ext_info info;
	u8 *p, *q;

	slab_ext_cache_info(cache, &info);
	slab_ext_get_extra(cache, &extra);
	if ((!strcmp(kind, "red_zone") && !(extra.flags & SLAB_RED_ZONE)) ||
	    (!strcmp(kind, "write_after_free") && (!(extra.flags & SLAB_POISON) ||
						   extra.has_ctor))) {
		pr_err("mm_ext: control: misuse %s needs a cache with %s (and no ctor)\n",
		       kind, kind[0] == 'r' ? "red_zone" : "poison");
		return -EINVAL;
	}
	if (strcmp(kind, "double_free") && strcmp(kind, "interior") &&
	    strcmp(kind, "foreign") && strcmp(kind, "red_zone") &&
	    strcmp(kind, "write_after_free")) {
		pr_err("mm_ext: control: unknown misuse \"%s\"\n", kind);
		return -EINVAL;
	}
	p = slab_ext_alloc(cache, GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	if (!strcmp(kind, "double_free")) {
		slab_ext_free(cache, p);
		slab_ext_free(cache, p);
	} else if (!strcmp(kind, "interior")) {
		slab_ext_free(cache, p + 1);
		slab_ext_free(cache, p);
	} else if (!strcmp(kind, "foreign")) {
		q = kmalloc(16, GFP_KERNEL);
		slab_ext_free(cache, q);
		kfree(q);
		slab_ext_free(cache, p);
	} else if (!strcmp(kind, "red_zone")) {
		p[info.object_size] = 0;	/* one past the end: the red zone */
		slab_ext_free(cache, p);
	} else {
		slab_ext_free(cache, p);
		p[0] ^= 0xff;			/* write after free */
		/* The next allocation takes p first, finds the poison broken. */
		q = slab_ext_alloc(cache, GFP_KERNEL);
		slab_ext_free(cache, q);
	}
	return 0;
}

static int cache_cmd(int argc, char **argv)
{
	struct slab_ext_cache *cache;
	struct buddy_sim *zone = NULL;
	unsigned long size, align = 0;
	slab_flags_t flags = 0;
	const char *s;
	int ret;

	if (argc >= 4 && !strcmp(argv[1], "create")) {
		ret = check_opts(argc, argv, 4, cache_opts);
		if (!ret)
			ret = parse_ul("size", argv[3], &size);
		if (!ret)
			ret = opt_ul(argc, argv, "align", &align);
		if (ret)
			return ret;
		s = opt(argc, argv, "flags");
		if (s && parse_flags(s, &flags))
			return -EINVAL;
		s = opt(argc, argv, "zone");
		if (s) {
			zone = zone_lookup(s);
			if (!zone)
				return -ENOENT;
		}
		if (size > UINT_MAX || align > UINT_MAX) {
			pr_err("mm_ext: control: cache create %s: size or align too large\n",
			       argv[2]);
			return -EINVAL;
		}
		cache = slab_ext_cache_create(zone, argv[2], size, align, flags, NULL);
		if (IS_ERR(cache)) {
			pr_err("mm_ext: control: cache create %s: error %ld\n", argv[2],
			       PTR_ERR(cache));
			return PTR_ERR(cache);
		}
		ret = shell_add(SHELL_CACHE, cache);
		if (ret)
			slab_ext_cache_destroy(cache);
		return ret;
	}
	if (argc != 3 && !(argc == 4 && !strcmp(argv[1], "misuse")))
		return BAD_USAGE;
	cache = cache_lookup(argv[2]);
	if (!cache)
		return -ENOENT;
	if (!strcmp(argv[1], "shrink"))
		return slab_ext_shrink(cache);
	if (!strcmp(argv[1], "misuse"))
		return cache_misuse(cache, argv[3]);
	if (!strcmp(argv[1], "destroy"))
		return shell_destroy_unused(SHELL_CACHE, cache, argv[2], slab_ext_users(cache),
					    "pools or workloads");
	return BAD_USAGE;
}

static const char *const pool_opts[] = { "slab", "page", "order", "kmalloc", NULL };

static int pool_create_cmd(int argc, char **argv)
{
	unsigned long min_nr, order = 0, size;
	const char *slab, *page, *kmalloc_size;
	struct mempool_ext *pool;
	int ret;

	ret = check_opts(argc, argv, 4, pool_opts);
	if (!ret)
		ret = parse_ul("min_nr", argv[3], &min_nr);
	if (!ret)
		ret = opt_ul(argc, argv, "order", &order);
	if (ret)
		return ret;
	slab = opt(argc, argv, "slab");
	page = opt(argc, argv, "page");
	kmalloc_size = opt(argc, argv, "kmalloc");
	if (!!slab + !!page + !!kmalloc_size != 1 || min_nr > INT_MAX ||
	    (!page && opt(argc, argv, "order"))) {
		pr_err("mm_ext: control: pool create takes NAME MIN_NR and one of slab=, page= (with order=) or kmalloc=\n");
		return -EINVAL;
	}
	if (slab) {
		struct slab_ext_cache *cache = cache_lookup(slab);

		if (!cache)
			return -ENOENT;
		pool = mempool_ext_create_slab_pool(argv[2], min_nr, cache);
	} else if (page) {
		struct buddy_sim *zone = zone_lookup(page);

		if (!zone)
			return -ENOENT;
		if (order > BUDDY_SIM_MAX_ORDER) {
			pr_err("mm_ext: control: order %lu is over %d\n", order,
			       BUDDY_SIM_MAX_ORDER);
			return -EINVAL;
		}
		pool = mempool_ext_create_page_pool(argv[2], min_nr, zone, order);
	} else {
		ret = parse_ul("kmalloc size", kmalloc_size, &size);
		if (ret)
			return ret;
		pool = mempool_ext_create_kmalloc_pool(argv[2], min_nr, size);
	}
	if (IS_ERR(pool)) {
		pr_err("mm_ext: control: pool create %s: error %ld\n", argv[2], PTR_ERR(pool));
		return PTR_ERR(pool);
	}
	ret = shell_add(SHELL_POOL, pool);
	if (ret)
		mempool_ext_destroy(pool);
	return ret;
}

static int pool_cmd(int argc, char **argv)
{
	struct mempool_ext *pool;
	unsigned long min_nr;
	int ret;

	if (argc >= 4 && !strcmp(argv[1], "create"))
		return pool_create_cmd(argc, argv);
	if (!(argc == 4 && !strcmp(argv[1], "resize")) &&
	    !(argc == 3 && !strcmp(argv[1], "destroy")))
		return BAD_USAGE;
	pool = mempool_ext_find(argv[2]);
	if (!pool) {
		pr_err("mm_ext: control: no pool %s\n", argv[2]);
		return -ENOENT;
	}
	if (!strcmp(argv[1], "resize")) {
		ret = parse_ul("min_nr", argv[3], &min_nr);
		if (ret)
			return ret;
		if (min_nr > INT_MAX) {
			pr_err("mm_ext: control: min_nr %lu too large\n", min_nr);
			return -EINVAL;
		}
		return mempool_ext_resize(pool, min_nr);
	}
	return shell_destroy_unused(SHELL_POOL, pool, argv[2], mempool_ext_users(pool),
				    "workloads");
}

static void workload_put_target(struct mm_ext_workload *wl)
{
	if (wl->type == WL_CACHE)
		slab_ext_put(wl->cache);
	else if (wl->type == WL_POOL)
		mempool_ext_put(wl->pool);
	else
		buddy_sim_put(wl->zone);
}

static void workload_destroy(struct mm_ext_workload *wl)
{
	mm_ext_workload_stop(wl);
	mm_ext_debugfs_remove_workload(wl);
	list_del(&wl->node);
	workload_put_target(wl);
	kfree(wl);
}

static const char *const wl_opts[] = {
	"zone", "cache", "pool", "fragment", "ops", "seed", "slots", "max_order",
	"delay_us", NULL
};

/* Which target the workload names, found and held. */
static int workload_target(struct mm_ext_workload *wl, int argc, char **argv)
{
	static const char *const types[] = {
		[WL_ZONE] = "zone", [WL_CACHE] = "cache", [WL_POOL] = "pool",
		[WL_FRAGMENT] = "fragment",
	};
	const char *target = NULL;
	int t, n = 0;

	for (t = 0; t < ARRAY_SIZE(types); t++) {
		const char *s = opt(argc, argv, types[t]);

		if (s) {
			wl->type = t;
			target = s;
			n++;
		}
	}
	if (n != 1) {
		pr_err("mm_ext: control: a workload takes one of zone=, cache=, pool=, fragment=\n");
		return -EINVAL;
	}
	if (strscpy(wl->target, target, sizeof(wl->target)) < 0)
		return -EINVAL;
	if (wl->type == WL_CACHE) {
		wl->cache = slab_ext_find(target);
		if (wl->cache)
			slab_ext_get(wl->cache);
	} else if (wl->type == WL_POOL) {
		wl->pool = mempool_ext_find(target);
		if (wl->pool)
			mempool_ext_get(wl->pool);
	} else {
		wl->zone = buddy_sim_find(target);
		if (wl->zone)
			buddy_sim_get(wl->zone);
	}
	if (!wl->cache && !wl->pool && !wl->zone) {
		pr_err("mm_ext: control: no %s %s\n", types[wl->type], target);
		return -ENOENT;
	}
	return 0;
}

static int workload_start_cmd(int argc, char **argv)
{
	unsigned long seed = 42, max_order = 3, delay_us = 0;
	struct mm_ext_workload *wl;
	int ret;

	if (!mm_ext_name_valid(argv[2])) {
		pr_err("mm_ext: control: bad workload name\n");
		return -EINVAL;
	}
	if (workload_find(argv[2])) {
		pr_err("mm_ext: control: workload %s exists\n", argv[2]);
		return -EEXIST;
	}
	ret = check_opts(argc, argv, 3, wl_opts);
	if (ret)
		return ret;
	wl = kzalloc(sizeof(*wl), GFP_KERNEL);
	if (!wl)
		return -ENOMEM;
	strscpy(wl->name, argv[2], sizeof(wl->name));
	wl->ops = 100000;
	wl->slots = 256;
	ret = opt_ul(argc, argv, "ops", &wl->ops);
	if (!ret)
		ret = opt_ul(argc, argv, "seed", &seed);
	if (!ret)
		ret = opt_ul(argc, argv, "slots", &wl->slots);
	if (!ret)
		ret = opt_ul(argc, argv, "max_order", &max_order);
	if (!ret)
		ret = opt_ul(argc, argv, "delay_us", &delay_us);
	if (!ret && (!wl->ops || wl->ops > 1UL << 32 || !wl->slots ||
		     wl->slots > 1UL << 20 || max_order > BUDDY_SIM_MAX_ORDER ||
		     delay_us > 1000000)) {
		pr_err("mm_ext: control: workload limits: ops 1..2^32, slots 1..2^20, max_order 0..%d, delay_us 0..1000000\n",
		       BUDDY_SIM_MAX_ORDER);
		ret = -EINVAL;
	}
	if (ret) {
		kfree(wl);
		return ret;
	}
	wl->seed = seed;
	wl->max_order = max_order;
	wl->delay_us = delay_us;
	ret = workload_target(wl, argc, argv);
	if (!ret && wl->type == WL_FRAGMENT && !opt(argc, argv, "slots")) {
		struct buddy_sim_info info;

		/* Fragmenting means taking every page: one slot a page. */
		buddy_sim_info(wl->zone, &info);
		wl->slots = min(info.nr_pages, 1UL << 20);
	}
	if (ret) {
		/* Only a found target was taken. */
		if (wl->cache || wl->pool || wl->zone)
			workload_put_target(wl);
		kfree(wl);
		return ret;
	}
	ret = mm_ext_workload_start(wl);
	if (ret) {
		workload_put_target(wl);
		kfree(wl);
		return ret;
	}
	list_add_tail(&wl->node, &workloads);
	mm_ext_debugfs_add_workload(wl);
	return 0;
}

static int workload_cmd(int argc, char **argv)
{
	struct mm_ext_workload *wl;

	if (argc >= 3 && !strcmp(argv[1], "start"))
		return workload_start_cmd(argc, argv);
	if (argc != 3 || (strcmp(argv[1], "stop") && strcmp(argv[1], "destroy")))
		return BAD_USAGE;
	wl = workload_find(argv[2]);
	if (!wl) {
		pr_err("mm_ext: control: no workload %s\n", argv[2]);
		return -ENOENT;
	}
	if (!strcmp(argv[1], "stop"))
		mm_ext_workload_stop(wl);
	else
		workload_destroy(wl);
	return 0;
}

static int run_command(char *cmd)
{
	char *argv[CTL_ARGS_MAX + 1], *p = cmd, *tok;
	int argc = 0, ret;

	while ((tok = strsep(&p, " \t\n"))) {
		if (!*tok)
			continue;
		if (argc == CTL_ARGS_MAX) {
			pr_err("mm_ext: control: more than %d words\n", CTL_ARGS_MAX);
			return -EINVAL;
		}
		argv[argc++] = tok;
	}
	if (argc < 2) {
		pr_err("mm_ext: control: empty or one-word command (cat control for the list)\n");
		return -EINVAL;
	}
	mutex_lock(&ctl_lock);
	if (!strcmp(argv[0], "zone"))
		ret = zone_cmd(argc, argv);
	else if (!strcmp(argv[0], "cache"))
		ret = cache_cmd(argc, argv);
	else if (!strcmp(argv[0], "pool"))
		ret = pool_cmd(argc, argv);
	else if (!strcmp(argv[0], "workload"))
		ret = workload_cmd(argc, argv);
	else
		ret = BAD_USAGE;
	mutex_unlock(&ctl_lock);
	if (ret == BAD_USAGE) {
		pr_err("mm_ext: control: unknown command or wrong arguments: \"%s %s\" (cat control for the list)\n",
		       argv[0], argv[1]);
		ret = -EINVAL;
	}
	return ret;
}

static ssize_t ctl_write(struct file *file, const char __user *ubuf,
			 size_t count, loff_t *ppos)
{
	char *buf;
	int ret;

	if (count == 0 || count >= CTL_WRITE_MAX) {
		pr_err("mm_ext: control: write of %zu bytes refused (1..%d accepted)\n",
		       count, CTL_WRITE_MAX - 1);
		return -EINVAL;
	}
	buf = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	if (strlen(buf) != count) {
		pr_err("mm_ext: control: write holding a NUL byte refused\n");
		kfree(buf);
		return -EINVAL;
	}
	ret = run_command(buf);
	kfree(buf);
	return ret ? ret : count;
}

static ssize_t ctl_read(struct file *file, char __user *ubuf, size_t count,
			loff_t *ppos)
{
	return simple_read_from_buffer(ubuf, count, ppos, ctl_usage, sizeof(ctl_usage) - 1);
}

const struct file_operations mm_ext_control_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = ctl_read,
	.write = ctl_write,
	.llseek = default_llseek,
};

/* At rmmod: workloads first, then what the shell made, newest first. */
void mm_ext_control_exit(void)
{
	struct mm_ext_workload *wl, *wtmp;
	struct shell_obj *o, *otmp;

	mutex_lock(&ctl_lock);
	list_for_each_entry_safe(wl, wtmp, &workloads, node)
		workload_destroy(wl);
	list_for_each_entry_safe(o, otmp, &shell_objs, node)
		shell_destroy(o);
	mutex_unlock(&ctl_lock);
}
