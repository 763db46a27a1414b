// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/mm_ext/control: drive mm_ext from a root shell, one
 * command per write. The grammar is the table ctl_cmds[] below, and reading
 * the file prints it. A command is "OBJECT VERB" followed by its positional
 * arguments (all required) and then at most a few KEY=VALUE options, each
 * known to the command and given once. The word count is checked against
 * the table before any handler runs, so a handler never sees an argument
 * that was not written.
 *
 * Ownership: the shell acts only on what it made itself, and on the
 * module's own objects (the zone "default", the kmalloc caches), which live
 * until after the shell is gone. Anything else (a KUnit case's cache,
 * another module's pool) may be destroyed by its owner at any moment, so it
 * is refused with -EPERM. Destroying, resizing a pool and committing misuse
 * need an object the shell made; one that shell pools or workloads still
 * use is refused with -EBUSY. Every refusal is one "mm_ext:" line and an
 * errno, and changes nothing. What is left at rmmod goes then.
 */

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <mm_ext/buddy_sim.h>
#include <mm_ext/mempool_ext.h>
#include <mm_ext/slab_ext.h>
#include "mm_ext_internal.h"

#define CTL_WRITE_MAX	256	/* longest command accepted */
#define CTL_WORDS_MAX	12	/* most words any command of the table can have */

enum shell_kind { SHELL_ZONE, SHELL_CACHE, SHELL_POOL };

static const char *const shell_kinds[] = {
	[SHELL_ZONE] = "zone", [SHELL_CACHE] = "cache", [SHELL_POOL] = "pool",
};

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

/* The words after "OBJECT VERB", split as the table says. */
struct ctl_args {
	char **pos;			/* the positional arguments, all present */
	char **opt;			/* KEY=VALUE options, keys known and distinct */
	unsigned int nr_opt;
};

/* One command of the grammar. */
struct ctl_cmd {
	const char *obj, *verb;
	const char *help;		/* what follows "OBJECT VERB" in the listing */
	unsigned int nr_pos;		/* positional arguments, all required */
	const char *const *keys;	/* option keys allowed, NULL-terminated; or NULL */
	unsigned int max_opts;		/* most options one command may carry */
	int (*fn)(struct ctl_args *a);
};

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

/* The module's own objects: made at load, destroyed after the shell's. */
static bool shell_builtin(enum shell_kind kind, void *ptr)
{
	if (kind == SHELL_ZONE)
		return ptr == buddy_sim_default();
	if (kind == SHELL_CACHE)
		return slab_ext_is_kmalloc(ptr);	/* compares pointers only */
	return false;
}

/*
 * The object called @name, if the shell may act on it: one it made, or
 * with !@own_only also one of the module's own. Otherwise NULL and *@err:
 * -ENOENT, or -EPERM for an object someone else owns (it could be
 * destroyed under us; the pointer found is only compared, never followed).
 */
static void *shell_lookup(enum shell_kind kind, const char *name, bool own_only,
			  int *err)
{
	void *ptr;

	if (kind == SHELL_ZONE)
		ptr = buddy_sim_find(name);
	else if (kind == SHELL_CACHE)
		ptr = slab_ext_find(name);
	else
		ptr = mempool_ext_find(name);
	if (!ptr) {
		pr_err("mm_ext: control: no %s %s\n", shell_kinds[kind], name);
		*err = -ENOENT;
		return NULL;
	}
	if (shell_find(kind, ptr) || (!own_only && shell_builtin(kind, ptr)))
		return ptr;
	pr_err("mm_ext: control: %s %s was not made from the shell: refused\n",
	       shell_kinds[kind], name);
	*err = -EPERM;
	return NULL;
}

/* -EBUSY, said, while other objects (pools, workloads...) still use @ptr. */
static int shell_unused(enum shell_kind kind, const char *name, void *ptr)
{
	static const char *const used_by[] = {
		[SHELL_ZONE] = "caches, pools or workloads",
		[SHELL_CACHE] = "pools or workloads",
		[SHELL_POOL] = "workloads",
	};
	int users;

	if (kind == SHELL_ZONE)
		users = buddy_sim_users(ptr);
	else if (kind == SHELL_CACHE)
		users = slab_ext_users(ptr);
	else
		users = mempool_ext_users(ptr);
	if (!users)
		return 0;
	pr_err("mm_ext: control: %s %s is used by %d %s\n", shell_kinds[kind], name,
	       users, used_by[kind]);
	return -EBUSY;
}

/* "zone|cache|pool destroy NAME": only what the shell made and nothing uses. */
static int shell_destroy_cmd(enum shell_kind kind, struct ctl_args *a)
{
	void *ptr;
	int ret;

	ptr = shell_lookup(kind, a->pos[0], true, &ret);
	if (!ptr)
		return ret;
	ret = shell_unused(kind, a->pos[0], ptr);
	if (!ret)
		shell_destroy(shell_find(kind, ptr));
	return ret;
}

static struct mm_ext_workload *workload_find(const char *name)
{
	struct mm_ext_workload *wl;

	list_for_each_entry(wl, &workloads, node)
		if (!strcmp(wl->name, name))
			return wl;
	return NULL;
}

/* The value of option @key, or NULL when it was not given. */
static const char *opt(struct ctl_args *a, const char *key)
{
	size_t len = strlen(key);
	unsigned int i;

	for (i = 0; i < a->nr_opt; i++)
		if (!strncmp(a->opt[i], key, len) && a->opt[i][len] == '=')
			return a->opt[i] + len + 1;
	return NULL;
}

/*
 * A number in @min..@max. kstrtoull refuses what does not fit in 64 bits
 * (sscanf would wrap it); the range does the rest. Bases as in C (0x, 0).
 */
static int parse_num(const char *what, const char *s, u64 min, u64 max, u64 *val)
{
	if (kstrtoull(s, 0, val) || *val < min || *val > max) {
		pr_err("mm_ext: control: %s \"%s\" is not a number in %llu..%llu\n", what,
		       s, min, max);
		return -EINVAL;
	}
	return 0;
}

/* Option @key as a number in @min..@max; *@val untouched when not given. */
static int opt_num(struct ctl_args *a, const char *key, u64 min, u64 max, u64 *val)
{
	const char *s = opt(a, key);

	return s ? parse_num(key, s, min, max, val) : 0;
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

/* ---- zones ---- */

static int zone_create_cmd(struct ctl_args *a)
{
	struct buddy_sim *zone;
	u64 pages;
	int ret;

	ret = parse_num("page count", a->pos[1], 1, ULONG_MAX, &pages);
	if (ret)
		return ret;
	zone = buddy_sim_create(a->pos[0], pages);
	if (IS_ERR(zone)) {
		ret = PTR_ERR(zone);
		pr_err("mm_ext: control: zone create %s %llu: %s (error %d)\n", a->pos[0],
		       pages, ret == -ENOMEM ? "no memory for it (at most half of RAM)" :
		       ret == -EEXIST ? "name in use" : "bad name or size", ret);
		return ret;
	}
	ret = shell_add(SHELL_ZONE, zone);
	if (ret)
		buddy_sim_destroy(zone);
	return ret;
}

static int zone_destroy_cmd(struct ctl_args *a)
{
	return shell_destroy_cmd(SHELL_ZONE, a);
}

static int zone_drain_cmd(struct ctl_args *a)
{
	struct buddy_sim *zone;
	int ret;

	zone = shell_lookup(SHELL_ZONE, a->pos[0], false, &ret);
	if (!zone)
		return ret;
	buddy_sim_drain(zone);
	return 0;
}

/* ---- caches ---- */

static int cache_create_cmd(struct ctl_args *a)
{
	struct slab_ext_cache *cache;
	struct buddy_sim *zone = NULL;
	slab_flags_t flags = 0;
	u64 size, align = 0;
	const char *s;
	int ret;

	ret = parse_num("size", a->pos[1], 1, UINT_MAX, &size);
	if (!ret)
		ret = opt_num(a, "align", 0, UINT_MAX, &align);
	if (ret)
		return ret;
	s = opt(a, "flags");
	if (s && parse_flags(s, &flags))
		return -EINVAL;
	s = opt(a, "zone");
	if (s) {
		zone = shell_lookup(SHELL_ZONE, s, false, &ret);
		if (!zone)
			return ret;
	}
	cache = slab_ext_cache_create(zone, a->pos[0], size, align, flags, NULL);
	if (IS_ERR(cache)) {
		pr_err("mm_ext: control: cache create %s: error %ld\n", a->pos[0],
		       PTR_ERR(cache));
		return PTR_ERR(cache);
	}
	ret = shell_add(SHELL_CACHE, cache);
	if (ret)
		slab_ext_cache_destroy(cache);
	return ret;
}

static int cache_destroy_cmd(struct ctl_args *a)
{
	return shell_destroy_cmd(SHELL_CACHE, a);
}

static int cache_shrink_cmd(struct ctl_args *a)
{
	struct slab_ext_cache *cache;
	int ret;

	cache = shell_lookup(SHELL_CACHE, a->pos[0], false, &ret);
	if (!cache)
		return ret;
	return slab_ext_shrink(cache);
}

enum misuse_kind { MISUSE_DOUBLE_FREE, MISUSE_INTERIOR, MISUSE_FOREIGN,
		   MISUSE_RED_ZONE, MISUSE_WRITE_AFTER_FREE };

static const char *const misuse_kinds[] = {
	[MISUSE_DOUBLE_FREE] = "double_free", [MISUSE_INTERIOR] = "interior",
	[MISUSE_FOREIGN] = "foreign", [MISUSE_RED_ZONE] = "red_zone",
	[MISUSE_WRITE_AFTER_FREE] = "write_after_free",
};

/*
 * write_after_free: the freed, poisoned object is written, then allocations
 * are made until the cache reports the broken poison. The object is at the
 * head of its slab's free list, so the first allocation normally meets it;
 * the others are bounded by the cache's free objects, and all given back.
 */
static int misuse_write_after_free(struct slab_ext_cache *cache, u8 *p)
{
	struct slab_ext_info info;
	unsigned long max, n = 0;
	u64 errors;
	void **held;

	slab_ext_cache_info(cache, &info);
	max = info.total_objs - info.active_objs + 1;
	held = kvmalloc_array(max, sizeof(*held), GFP_KERNEL);
	if (!held) {
		slab_ext_free(cache, p);
		return -ENOMEM;
	}
	errors = info.errors;
	slab_ext_free(cache, p);
	p[0] ^= 0xff;			/* the bug: the slab is still the cache's */
	while (n < max) {
		held[n] = slab_ext_alloc(cache, GFP_KERNEL);
		if (!held[n])
			break;
		n++;
		slab_ext_cache_info(cache, &info);
		if (info.errors != errors)
			break;
	}
	while (n)
		slab_ext_free(cache, held[--n]);
	kvfree(held);
	return 0;
}

/*
 * Misuse on purpose, to see the report: each kind makes exactly the bug
 * its name says, counted in the cache's errors. Only on a cache the shell
 * made and nothing else uses, under ctl_lock: no one else can be handed
 * the object between the two frees of a double free. While it runs the
 * cache keeps its empty slabs, so every byte touched is still the cache's.
 */
static int cache_misuse(struct slab_ext_cache *cache, enum misuse_kind kind)
{
	struct slab_ext_extra extra;
	struct slab_ext_info info;
	int ret = 0;
	u8 *p, *q;

	slab_ext_cache_info(cache, &info);
	slab_ext_get_extra(cache, &extra);
	if ((kind == MISUSE_RED_ZONE && !(extra.flags & SLAB_RED_ZONE)) ||
	    (kind == MISUSE_WRITE_AFTER_FREE &&
	     (!(extra.flags & SLAB_POISON) || extra.has_ctor))) {
		pr_err("mm_ext: control: misuse %s needs a cache with %s (and no ctor)\n",
		       misuse_kinds[kind], kind == MISUSE_RED_ZONE ? "red_zone" : "poison");
		return -EINVAL;
	}
	if (kind == MISUSE_FOREIGN) {
		q = kmalloc(16, GFP_KERNEL);
		if (!q)
			return -ENOMEM;
		slab_ext_free(cache, q);
		kfree(q);
		return 0;
	}
	slab_ext_set_min_empty(cache, 1024);	/* the most: no slab goes back */
	p = slab_ext_alloc(cache, GFP_KERNEL);
	if (!p) {
		ret = -ENOMEM;
		goto out;
	}
	switch (kind) {
	case MISUSE_DOUBLE_FREE:
		slab_ext_free(cache, p);
		slab_ext_free(cache, p);
		break;
	case MISUSE_INTERIOR:
		slab_ext_free(cache, p + 1);
		slab_ext_free(cache, p);
		break;
	case MISUSE_RED_ZONE:
		p[info.object_size] = 0;	/* one past the end: the red zone */
		slab_ext_free(cache, p);
		break;
	default:
		ret = misuse_write_after_free(cache, p);
		break;
	}
out:
	slab_ext_set_min_empty(cache, extra.min_empty);
	return ret;
}

static int cache_misuse_cmd(struct ctl_args *a)
{
	struct slab_ext_cache *cache;
	unsigned int kind;
	int ret;

	cache = shell_lookup(SHELL_CACHE, a->pos[0], true, &ret);
	if (!cache)
		return ret;
	ret = shell_unused(SHELL_CACHE, a->pos[0], cache);
	if (ret)
		return ret;
	for (kind = 0; kind < ARRAY_SIZE(misuse_kinds); kind++)
		if (!strcmp(a->pos[1], misuse_kinds[kind]))
			return cache_misuse(cache, kind);
	pr_err("mm_ext: control: unknown misuse \"%s\"\n", a->pos[1]);
	return -EINVAL;
}

/* ---- pools ---- */

static int pool_create_cmd(struct ctl_args *a)
{
	const char *slab = opt(a, "slab"), *page = opt(a, "page");
	const char *kmalloc_size = opt(a, "kmalloc");
	struct mempool_ext *pool;
	u64 min_nr, order = 0, size;
	int ret;

	if (!!slab + !!page + !!kmalloc_size != 1 || (!page && opt(a, "order"))) {
		pr_err("mm_ext: control: pool create takes NAME MIN_NR and one of slab=, page= (with order=) or kmalloc=\n");
		return -EINVAL;
	}
	ret = parse_num("min_nr", a->pos[1], 0, INT_MAX, &min_nr);
	if (!ret)
		ret = opt_num(a, "order", 0, BUDDY_SIM_MAX_ORDER, &order);
	if (!ret && kmalloc_size)
		ret = parse_num("kmalloc size", kmalloc_size, 1, SIZE_MAX, &size);
	if (ret)
		return ret;
	if (slab) {
		struct slab_ext_cache *cache = shell_lookup(SHELL_CACHE, slab, false, &ret);

		if (!cache)
			return ret;
		pool = mempool_ext_create_slab_pool(a->pos[0], min_nr, cache);
	} else if (page) {
		struct buddy_sim *zone = shell_lookup(SHELL_ZONE, page, false, &ret);

		if (!zone)
			return ret;
		pool = mempool_ext_create_page_pool(a->pos[0], min_nr, zone, order);
	} else {
		pool = mempool_ext_create_kmalloc_pool(a->pos[0], min_nr, size);
	}
	if (IS_ERR(pool)) {
		pr_err("mm_ext: control: pool create %s: error %ld\n", a->pos[0],
		       PTR_ERR(pool));
		return PTR_ERR(pool);
	}
	ret = shell_add(SHELL_POOL, pool);
	if (ret)
		mempool_ext_destroy(pool);
	return ret;
}

static int pool_resize_cmd(struct ctl_args *a)
{
	struct mempool_ext *pool;
	u64 min_nr;
	int ret;

	pool = shell_lookup(SHELL_POOL, a->pos[0], true, &ret);
	if (!pool)
		return ret;
	ret = parse_num("min_nr", a->pos[1], 0, INT_MAX, &min_nr);
	if (ret)
		return ret;
	return mempool_ext_resize(pool, min_nr);
}

static int pool_destroy_cmd(struct ctl_args *a)
{
	return shell_destroy_cmd(SHELL_POOL, a);
}

/* ---- workloads ---- */

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

/* Which target the workload names, found (as the shell may use it) and held. */
static int workload_target(struct mm_ext_workload *wl, struct ctl_args *a)
{
	static const char *const types[] = {
		[WL_ZONE] = "zone", [WL_CACHE] = "cache", [WL_POOL] = "pool",
		[WL_FRAGMENT] = "fragment",
	};
	const char *target = NULL;
	int t, n = 0, ret;

	for (t = 0; t < ARRAY_SIZE(types); t++) {
		const char *s = opt(a, types[t]);

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
	if (strscpy(wl->target, target, sizeof(wl->target)) < 0) {
		pr_err("mm_ext: control: no %s %s\n", types[wl->type], target);
		return -ENOENT;
	}
	if (wl->type == WL_CACHE) {
		wl->cache = shell_lookup(SHELL_CACHE, target, false, &ret);
		if (!wl->cache)
			return ret;
		slab_ext_get(wl->cache);
	} else if (wl->type == WL_POOL) {
		wl->pool = shell_lookup(SHELL_POOL, target, false, &ret);
		if (!wl->pool)
			return ret;
		mempool_ext_get(wl->pool);
	} else {
		wl->zone = shell_lookup(SHELL_ZONE, target, false, &ret);
		if (!wl->zone)
			return ret;
		buddy_sim_get(wl->zone);
	}
	return 0;
}

static int workload_start_cmd(struct ctl_args *a)
{
	u64 ops = 100000, seed = 42, slots = 256, max_order = 3, delay_us = 0;
	struct mm_ext_workload *wl;
	int ret;

	if (!mm_ext_name_valid(a->pos[0])) {
		pr_err("mm_ext: control: bad workload name\n");
		return -EINVAL;
	}
	if (workload_find(a->pos[0])) {
		pr_err("mm_ext: control: workload %s exists\n", a->pos[0]);
		return -EEXIST;
	}
	ret = opt_num(a, "ops", 1, 1ULL << 32, &ops);
	if (!ret)
		ret = opt_num(a, "seed", 0, U64_MAX, &seed);
	if (!ret)
		ret = opt_num(a, "slots", 1, 1UL << 20, &slots);
	if (!ret)
		ret = opt_num(a, "max_order", 0, BUDDY_SIM_MAX_ORDER, &max_order);
	if (!ret)
		ret = opt_num(a, "delay_us", 0, 1000000, &delay_us);
	if (ret)
		return ret;
	wl = kzalloc(sizeof(*wl), GFP_KERNEL);
	if (!wl)
		return -ENOMEM;
	strscpy(wl->name, a->pos[0], sizeof(wl->name));
	wl->ops = ops;
	wl->slots = slots;
	wl->seed = seed;
	wl->max_order = max_order;
	wl->delay_us = delay_us;
	ret = workload_target(wl, a);
	if (ret) {
		/* Only a found target was taken. */
		if (wl->cache || wl->pool || wl->zone)
			workload_put_target(wl);
		kfree(wl);
		return ret;
	}
	if (wl->type == WL_FRAGMENT && !opt(a, "slots")) {
		struct buddy_sim_info info;

		/* Fragmenting means taking every page: one slot a page. */
		buddy_sim_info(wl->zone, &info);
		wl->slots = min(info.nr_pages, 1UL << 20);
	}
	/*
	 * Its stats file first (a failure there says why itself): a thread
	 * already running would have to be stopped to undo it.
	 */
	ret = mm_ext_debugfs_add_workload(wl);
	if (!ret) {
		ret = mm_ext_workload_start(wl);
		if (ret) {
			pr_err("mm_ext: control: workload start %s: error %d\n", wl->name, ret);
			mm_ext_debugfs_remove_workload(wl);
		}
	}
	if (ret) {
		workload_put_target(wl);
		kfree(wl);
		return ret;
	}
	list_add_tail(&wl->node, &workloads);
	return 0;
}

static struct mm_ext_workload *workload_lookup(const char *name)
{
	struct mm_ext_workload *wl = workload_find(name);

	if (!wl)
		pr_err("mm_ext: control: no workload %s\n", name);
	return wl;
}

static int workload_stop_cmd(struct ctl_args *a)
{
	struct mm_ext_workload *wl = workload_lookup(a->pos[0]);

	if (!wl)
		return -ENOENT;
	mm_ext_workload_stop(wl);
	return 0;
}

static int workload_destroy_cmd(struct ctl_args *a)
{
	struct mm_ext_workload *wl = workload_lookup(a->pos[0]);

	if (!wl)
		return -ENOENT;
	workload_destroy(wl);
	return 0;
}

/* ---- the grammar ---- */

static const char *const cache_keys[] = { "zone", "align", "flags", NULL };
static const char *const pool_keys[] = { "slab", "page", "order", "kmalloc", NULL };
static const char *const wl_keys[] = {
	"zone", "cache", "pool", "fragment", "ops", "seed", "slots", "max_order",
	"delay_us", NULL
};

static const struct ctl_cmd ctl_cmds[] = {
	{ "zone", "create", "NAME PAGES", 2, NULL, 0, zone_create_cmd },
	{ "zone", "destroy", "NAME", 1, NULL, 0, zone_destroy_cmd },
	{ "zone", "drain", "NAME", 1, NULL, 0, zone_drain_cmd },
	{ "cache", "create",
	  "NAME SIZE [zone=ZONE] [align=N] [flags=poison,red_zone,store_user,hwcache_align]",
	  2, cache_keys, 3, cache_create_cmd },
	{ "cache", "destroy", "NAME", 1, NULL, 0, cache_destroy_cmd },
	{ "cache", "shrink", "NAME", 1, NULL, 0, cache_shrink_cmd },
	{ "cache", "misuse", "NAME double_free|interior|foreign|red_zone|write_after_free",
	  2, NULL, 0, cache_misuse_cmd },
	{ "pool", "create", "NAME MIN_NR slab=CACHE|page=ZONE [order=N]|kmalloc=SIZE",
	  2, pool_keys, 2, pool_create_cmd },
	{ "pool", "resize", "NAME MIN_NR", 2, NULL, 0, pool_resize_cmd },
	{ "pool", "destroy", "NAME", 1, NULL, 0, pool_destroy_cmd },
	{ "workload", "start",
	  "NAME zone=ZONE|cache=CACHE|pool=POOL|fragment=ZONE [ops=N] [seed=N] [slots=N] [max_order=N] [delay_us=N]",
	  1, wl_keys, 6, workload_start_cmd },
	{ "workload", "stop", "NAME", 1, NULL, 0, workload_stop_cmd },
	{ "workload", "destroy", "NAME", 1, NULL, 0, workload_destroy_cmd },
};

/* Whether @word is KEY=VALUE with KEY among @keys; *@key_idx says which. */
static bool known_opt(const char *const *keys, const char *word, unsigned int *key_idx)
{
	unsigned int k;

	for (k = 0; keys && keys[k]; k++) {
		size_t len = strlen(keys[k]);

		if (!strncmp(word, keys[k], len) && word[len] == '=') {
			*key_idx = k;
			return true;
		}
	}
	return false;
}

/*
 * Check @argc words after "OBJECT VERB" against @cmd: all positionals, then
 * at most max_opts options with known keys, each key once.
 */
static int check_args(const struct ctl_cmd *cmd, int argc, char **argv,
		      struct ctl_args *a)
{
	unsigned long seen = 0;
	unsigned int i, k;

	if (argc < cmd->nr_pos || argc > cmd->nr_pos + cmd->max_opts) {
		pr_err("mm_ext: control: %s %s takes %s (cat control for the list)\n",
		       cmd->obj, cmd->verb, cmd->help);
		return -EINVAL;
	}
	a->pos = argv;
	a->opt = argv + cmd->nr_pos;
	a->nr_opt = argc - cmd->nr_pos;
	for (i = 0; i < a->nr_opt; i++) {
		if (!known_opt(cmd->keys, a->opt[i], &k)) {
			pr_err("mm_ext: control: unknown option \"%s\" for %s %s\n", a->opt[i],
			       cmd->obj, cmd->verb);
			return -EINVAL;
		}
		if (seen & BIT(k)) {
			pr_err("mm_ext: control: option \"%s\" given twice\n", a->opt[i]);
			return -EINVAL;
		}
		seen |= BIT(k);
	}
	return 0;
}

static int run_command(char *cmd)
{
	char *argv[CTL_WORDS_MAX], *p = cmd, *tok;
	const struct ctl_cmd *c = NULL;
	struct ctl_args a;
	unsigned int i;
	int argc = 0, ret;

	while ((tok = strsep(&p, " \t\n"))) {
		if (!*tok)
			continue;
		if (argc == CTL_WORDS_MAX) {
			pr_err("mm_ext: control: more than %d words\n", CTL_WORDS_MAX);
			return -EINVAL;
		}
		argv[argc++] = tok;
	}
	for (i = 0; argc >= 2 && i < ARRAY_SIZE(ctl_cmds); i++) {
		if (!strcmp(argv[0], ctl_cmds[i].obj) && !strcmp(argv[1], ctl_cmds[i].verb)) {
			c = &ctl_cmds[i];
			break;
		}
	}
	if (!c) {
		pr_err("mm_ext: control: unknown command \"%s%s%s\" (cat control for the list)\n",
		       argc ? argv[0] : "", argc > 1 ? " " : "", argc > 1 ? argv[1] : "");
		return -EINVAL;
	}
	ret = check_args(c, argc - 2, argv + 2, &a);
	if (ret)
		return ret;
	mutex_lock(&ctl_lock);
	ret = c->fn(&a);
	mutex_unlock(&ctl_lock);
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

/* Reading lists the grammar, one command a line. */
static int ctl_show(struct seq_file *m, void *v)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ctl_cmds); i++)
		seq_printf(m, "%s %s %s\n", ctl_cmds[i].obj, ctl_cmds[i].verb,
			   ctl_cmds[i].help);
	return 0;
}

static int ctl_open(struct inode *inode, struct file *file)
{
	return single_open(file, ctl_show, NULL);
}

const struct file_operations mm_ext_control_fops = {
	.owner = THIS_MODULE,
	.open = ctl_open,
	.read = seq_read,
	.write = ctl_write,
	.llseek = seq_lseek,
	.release = single_release,
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
