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
 * Objects are found in the registry (mm_ext_registry.c), which also keeps
 * what the shell made (the entry's shell flag) and who uses what.
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
#include "mm_ext_glue.h"

#define CTL_WRITE_MAX	256	/* longest command accepted */
#define CTL_WORDS_MAX	12	/* most words any command of the table can have */

#define CTL_HELD_MAX	2	/* most objects one command looks up */

/*
 * Serialises every command, and protects the list of workloads. Commands
 * may sleep (creation, kthread_stop), hence a mutex. Taken before the
 * registry's lock and any layer's.
 */
static DEFINE_MUTEX(ctl_lock);
static LIST_HEAD(workloads);

/* The words after "OBJECT VERB", split as the table says. */
struct ctl_args {
	char **pos;			/* the positional arguments, all present */
	char **opt;			/* KEY=VALUE options, keys known and distinct */
	unsigned int nr_opt;
	/* Registry entries the command looked up: put when it returns. */
	struct mm_ext_obj *held[CTL_HELD_MAX];
	unsigned int nr_held;
};

/* One command of the grammar: mm_ext_commands.h lists them. */
struct ctl_cmd {
	const char *obj, *verb;
	const char *args;		/* what follows "OBJECT VERB" */
	unsigned int nr_pos;		/* positional arguments, all required */
	const char *const *keys;	/* option keys allowed, NULL-terminated; or NULL */
	unsigned int max_opts;		/* most options one command may carry */
	int (*fn)(struct ctl_args *a);
	const char *help;		/* what it does, for `cat control` and the README */
};

/* The module's own objects: made at load, destroyed after the shell's. */
static bool shell_builtin(struct mm_ext_obj *o)
{
	if (o->kind == MM_EXT_ZONE)
		return o->obj == buddy_sim_default();
	if (o->kind == MM_EXT_CACHE)
		return slab_ext_is_kmalloc(o->obj);	/* compares pointers only */
	return false;
}

/*
 * The object called @name, if the shell may act on it: one it made, or
 * with !@own_only also one of the module's own, neither of which anybody
 * else destroys. Its entry stays referenced until the command returns.
 * Otherwise NULL and *@err: -ENOENT, or -EPERM for an object someone else
 * owns (a KUnit case's, another module's: it could go at any moment).
 */
static void *shell_lookup(struct ctl_args *a, enum mm_ext_kind kind, const char *name,
			  bool own_only, int *err)
{
	struct mm_ext_obj *o = mm_ext_obj_get(kind, name);

	if (!o) {
		pr_err("mm_ext: control: no %s %s\n", mm_ext_kind_names[kind], name);
		*err = -ENOENT;
		return NULL;
	}
	if (o->obj && (o->shell || (!own_only && shell_builtin(o)))) {
		a->held[a->nr_held++] = o;
		return o->obj;
	}
	mm_ext_obj_put(o);
	pr_err("mm_ext: control: %s %s was not made from the shell: refused\n",
	       mm_ext_kind_names[kind], name);
	*err = -EPERM;
	return NULL;
}

/* The entry of the last object looked up. */
static struct mm_ext_obj *last_held(struct ctl_args *a)
{
	return a->held[a->nr_held - 1];
}

/* -EBUSY, said, while other objects (pools, workloads...) still use @o. */
static int shell_unused(struct mm_ext_obj *o)
{
	static const char *const used_by[] = {
		[MM_EXT_ZONE] = "caches, pools or workloads",
		[MM_EXT_CACHE] = "pools or workloads",
		[MM_EXT_POOL] = "workloads",
	};
	int users = mm_ext_obj_users(o);

	if (!users)
		return 0;
	pr_err("mm_ext: control: %s %s is used by %d %s\n", mm_ext_kind_names[o->kind],
	       o->name, users, used_by[o->kind]);
	return -EBUSY;
}

static void destroy_obj(enum mm_ext_kind kind, void *obj)
{
	if (kind == MM_EXT_ZONE)
		buddy_sim_destroy(obj);
	else if (kind == MM_EXT_CACHE)
		slab_ext_cache_destroy(obj);
	else
		mempool_ext_destroy(obj);
}

/* A new object is the shell's: 0, or it is destroyed again and -ENOMEM. */
static int shell_add(enum mm_ext_kind kind, void *obj)
{
	struct mm_ext_obj *o = mm_ext_obj_of(kind, obj);

	if (!o) {
		destroy_obj(kind, obj);
		return -ENOMEM;
	}
	mm_ext_obj_set_shell(o);
	mm_ext_obj_put(o);
	return 0;
}

/* "zone|cache|pool destroy NAME": only what the shell made and nothing uses. */
static int shell_destroy_cmd(enum mm_ext_kind kind, struct ctl_args *a)
{
	void *obj;
	int ret;

	obj = shell_lookup(a, kind, a->pos[0], true, &ret);
	if (!obj)
		return ret;
	ret = shell_unused(last_held(a));
	if (!ret)
		destroy_obj(kind, obj);
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
	return shell_add(MM_EXT_ZONE, zone);
}

static int zone_destroy_cmd(struct ctl_args *a)
{
	return shell_destroy_cmd(MM_EXT_ZONE, a);
}

static int zone_drain_cmd(struct ctl_args *a)
{
	struct buddy_sim *zone;
	int ret;

	zone = shell_lookup(a, MM_EXT_ZONE, a->pos[0], false, &ret);
	if (!zone)
		return ret;
	buddy_sim_drain(zone);
	return 0;
}

/* ---- caches ---- */

static int cache_create_cmd(struct ctl_args *a)
{
	struct slab_ext_cache_args args = { };
	u64 size, align = 0, capacity = 0;
	struct slab_ext_cache *cache;
	struct buddy_sim *zone = NULL;
	slab_flags_t flags = 0;
	bool sheaves = false;
	const char *s;
	int ret;

	ret = parse_num("size", a->pos[1], 1, UINT_MAX, &size);
	if (!ret)
		ret = opt_num(a, "align", 0, UINT_MAX, &align);
	if (!ret)
		ret = opt_num(a, "sheaf_capacity", 1, SLAB_EXT_SHEAF_MAX, &capacity);
	if (ret)
		return ret;
	s = opt(a, "tier");
	if (s) {
		sheaves = !strcmp(s, "sheaves");
		if (!sheaves && strcmp(s, "arrays")) {
			pr_err("mm_ext: control: tier=%s: arrays or sheaves\n", s);
			return -EINVAL;
		}
	}
	/* sheaf_capacity alone sizes prefilled sheaves; tier=sheaves uses it. */
	s = opt(a, "flags");
	if (s && parse_flags(s, &flags))
		return -EINVAL;
	s = opt(a, "zone");
	if (s) {
		zone = shell_lookup(a, MM_EXT_ZONE, s, false, &ret);
		if (!zone)
			return ret;
	}
	args.align = align;
	/* As mainline's kmem_cache_args, a capacity selects sheaves. */
	args.sheaf_capacity = sheaves ? capacity : 0;
	cache = slab_ext_cache_create_args(zone, a->pos[0], size, &args, flags);
	/* Else the cache's own capacity (sheaves), or prefilled sheaves' (arrays). */
	if (!IS_ERR(cache) && (sheaves ? !capacity : capacity))
		ret = slab_ext_set_tier(cache, sheaves ? SLAB_EXT_TIER_SHEAVES :
					SLAB_EXT_TIER_ARRAYS, capacity, true);
	if (!IS_ERR(cache) && !ret && sheaves) {
		struct slab_ext_tier_info ti;

		/* A debug cache has no per-CPU tier: sheaves asked are refused. */
		slab_ext_get_tier(cache, &ti);
		if (ti.tier != SLAB_EXT_TIER_SHEAVES)
			ret = -EINVAL;
	}
	if (ret) {
		slab_ext_cache_destroy(cache);
		cache = ERR_PTR(ret);
	}
	if (IS_ERR(cache)) {
		pr_err("mm_ext: control: cache create %s: error %ld\n", a->pos[0],
		       PTR_ERR(cache));
		return PTR_ERR(cache);
	}
	return shell_add(MM_EXT_CACHE, cache);
}

static int cache_destroy_cmd(struct ctl_args *a)
{
	return shell_destroy_cmd(MM_EXT_CACHE, a);
}

static int cache_shrink_cmd(struct ctl_args *a)
{
	struct slab_ext_cache *cache;
	int ret;

	cache = shell_lookup(a, MM_EXT_CACHE, a->pos[0], false, &ret);
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

	cache = shell_lookup(a, MM_EXT_CACHE, a->pos[0], true, &ret);
	if (!cache)
		return ret;
	ret = shell_unused(last_held(a));
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
		struct slab_ext_cache *cache = shell_lookup(a, MM_EXT_CACHE, slab, false, &ret);

		if (!cache)
			return ret;
		pool = mempool_ext_create_slab_pool(a->pos[0], min_nr, cache);
	} else if (page) {
		struct buddy_sim *zone = shell_lookup(a, MM_EXT_ZONE, page, false, &ret);

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
	return shell_add(MM_EXT_POOL, pool);
}

static int pool_resize_cmd(struct ctl_args *a)
{
	struct mempool_ext *pool;
	u64 min_nr;
	int ret;

	pool = shell_lookup(a, MM_EXT_POOL, a->pos[0], true, &ret);
	if (!pool)
		return ret;
	ret = parse_num("min_nr", a->pos[1], 0, INT_MAX, &min_nr);
	if (ret)
		return ret;
	return mempool_ext_resize(pool, min_nr);
}

static int pool_destroy_cmd(struct ctl_args *a)
{
	return shell_destroy_cmd(MM_EXT_POOL, a);
}

/* ---- workloads ---- */

static void workload_destroy(struct mm_ext_workload *wl)
{
	mm_ext_workload_stop(wl);
	mm_ext_debugfs_remove_workload(wl);
	list_del(&wl->node);
	mm_ext_obj_unuse(wl->target_obj);
	mm_ext_obj_put(wl->target_obj);
	kfree(wl);
}

/*
 * Which target the workload names, found (as the shell may use it): its
 * entry is then referenced until the command returns.
 */
static int workload_target(struct mm_ext_workload *wl, struct ctl_args *a)
{
	static const char *const types[] = {
		[WL_ZONE] = "zone", [WL_CACHE] = "cache", [WL_POOL] = "pool",
		[WL_FRAGMENT] = "fragment", [WL_PREFILL] = "prefill",
	};
	const char *target = NULL;
	enum mm_ext_kind kind;
	int t, n = 0, ret;
	void *obj;

	for (t = 0; t < ARRAY_SIZE(types); t++) {
		const char *s = opt(a, types[t]);

		if (s) {
			wl->type = t;
			target = s;
			n++;
		}
	}
	if (n != 1) {
		pr_err("mm_ext: control: a workload takes one of zone=, cache=, pool=, fragment=, prefill=\n");
		return -EINVAL;
	}
	if (strscpy(wl->target, target, sizeof(wl->target)) < 0) {
		pr_err("mm_ext: control: no %s %s\n", types[wl->type], target);
		return -ENOENT;
	}
	kind = wl->type == WL_CACHE || wl->type == WL_PREFILL ? MM_EXT_CACHE :
	       wl->type == WL_POOL ? MM_EXT_POOL : MM_EXT_ZONE;
	obj = shell_lookup(a, kind, target, false, &ret);
	if (!obj)
		return ret;
	if (kind == MM_EXT_CACHE)
		wl->cache = obj;
	else if (kind == MM_EXT_POOL)
		wl->pool = obj;
	else
		wl->zone = obj;
	return 0;
}

/* bulk=N: a pool workload's, N at most the pool's min_nr (the API's rule). */
static int workload_bulk_ok(struct mm_ext_workload *wl)
{
	struct mempool_ext_info info;

	if (wl->type != WL_POOL) {
		pr_err("mm_ext: control: bulk= is for a pool= workload\n");
		return -EINVAL;
	}
	mempool_ext_info(wl->pool, &info);
	if (wl->bulk > info.min_nr) {
		pr_err("mm_ext: control: bulk=%u is over pool %s's min_nr %d\n",
		       wl->bulk, wl->target, info.min_nr);
		return -EINVAL;
	}
	return 0;
}

static int workload_start_cmd(struct ctl_args *a)
{
	u64 ops = 100000, seed = 42, slots = 256, max_order = 3, delay_us = 0, bulk = 0;
	u64 sheaf = 32;
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
	if (!ret)
		ret = opt_num(a, "bulk", 1, INT_MAX, &bulk);
	if (!ret)
		ret = opt_num(a, "sheaf", 1, 4096, &sheaf);
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
	wl->bulk = bulk;
	wl->sheaf = sheaf;
	ret = workload_target(wl, a);
	if (!ret && bulk)
		ret = workload_bulk_ok(wl);
	if (!ret && opt(a, "sheaf") && wl->type != WL_PREFILL) {
		pr_err("mm_ext: control: sheaf= is for a prefill= workload\n");
		ret = -EINVAL;
	}
	if (ret) {
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
		kfree(wl);
		return ret;
	}
	/* The target keeps an entry reference and a user while the workload lives. */
	wl->target_obj = last_held(a);
	a->nr_held--;
	mm_ext_obj_use(wl->target_obj);
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

static const char *const cache_keys[] = {
	"zone", "align", "flags", "tier", "sheaf_capacity", NULL
};

static const char *const pool_keys[] = { "slab", "page", "order", "kmalloc", NULL };
static const char *const wl_keys[] = {
	"zone", "cache", "pool", "fragment", "ops", "seed", "slots", "max_order",
	"delay_us", "bulk", "prefill", "sheaf", NULL
};

static const struct ctl_cmd ctl_cmds[] = {
#define MM_EXT_CMD(o, v, args, pos, keys, opts, fn, help) \
	{ #o, #v, args, pos, keys, opts, fn, help },
#include "mm_ext_commands.h"
#undef MM_EXT_CMD
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
		       cmd->obj, cmd->verb, cmd->args);
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
	a.nr_held = 0;
	mutex_lock(&ctl_lock);
	ret = c->fn(&a);
	while (a.nr_held)
		mm_ext_obj_put(a.held[--a.nr_held]);
	mutex_unlock(&ctl_lock);
	return ret;
}

static ssize_t ctl_write(struct file *file, const char __user *ubuf,
			 size_t count, loff_t *ppos)
{
	char buf[CTL_WRITE_MAX], *cmd;
	int ret;

	ret = mm_ext_read_cmd(ubuf, count, buf, sizeof(buf), &cmd);
	if (!ret)
		ret = run_command(cmd);
	return ret ? ret : count;
}

/* Reading lists the grammar, one command a line, and what it does. */
static int ctl_show(struct seq_file *m, void *v)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ctl_cmds); i++)
		seq_printf(m, "%s %s %s -- %s\n", ctl_cmds[i].obj, ctl_cmds[i].verb,
			   ctl_cmds[i].args, ctl_cmds[i].help);
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
	struct mm_ext_obj *o;

	mutex_lock(&ctl_lock);
	list_for_each_entry_safe(wl, wtmp, &workloads, node)
		workload_destroy(wl);
	while ((o = mm_ext_obj_newest_shell())) {
		destroy_obj(o->kind, o->obj);
		mm_ext_obj_put(o);
	}
	mutex_unlock(&ctl_lock);
}
