/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Declarations shared inside mm_ext.ko only: what the debugfs glue and the
 * module init need from the layers beyond the public API. Nothing here is
 * exported.
 */
#ifndef _MM_EXT_INTERNAL_H
#define _MM_EXT_INTERNAL_H

#include <linux/bitops.h>
#include <linux/ctype.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <mm_ext/buddy_sim.h>

#define MM_EXT_NAME_MAX 31

/*
 * Every detected misuse is reported through this: one "mm_ext:" line, also
 * counted in the running KUnit test when it asked (mm_ext_main.c), so tests
 * assert the number of reports rather than read the log.
 */
void mm_ext_count_report(void);
#define mm_ext_report(fmt, ...) do {				\
		pr_err("mm_ext: " fmt, ##__VA_ARGS__);		\
		mm_ext_count_report();				\
	} while (0)

/* alloc_percpu() with a fault-injection site of its own (mm_ext_main.c). */
void __percpu *mm_ext_alloc_percpu(size_t size, size_t align);
#define mm_ext_percpu_new(type) \
	((type __percpu *)mm_ext_alloc_percpu(sizeof(type), __alignof__(type)))

/* Module parameter slab_debug: poison, red zones and user tracking everywhere. */
extern bool mm_ext_slab_debug;

/*
 * Names become debugfs directory names, so the rule is the same for zones,
 * caches, pools and workloads: 1..31 printable characters, no '/' and no
 * white space, and not "." or ".." (no directory can have those names).
 */
static inline bool mm_ext_name_valid(const char *name)
{
	size_t i, len;

	if (!name)
		return false;
	len = strnlen(name, MM_EXT_NAME_MAX + 1);
	if (len == 0 || len > MM_EXT_NAME_MAX || !strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (i = 0; i < len; i++)
		if (name[i] == '/' || isspace(name[i]) || !isprint(name[i]))
			return false;
	return true;
}

/*
 * Objects start on 8-byte boundaries (alignment is at least a pointer), so
 * one bit per 8-byte granule of a page names every object that starts in
 * it: 512 bits for a 4 KiB page.
 */
#define MM_EXT_OBJ_GRANULE	8
#define MM_EXT_PAGE_OBJ_BITS	(PAGE_SIZE / MM_EXT_OBJ_GRANULE)

/*
 * What each page of a zone keeps for the layer that owns an allocated
 * block, as struct page's slab fields do for SLUB. The owner fills it in
 * when it takes a block and clears it before giving the block back.
 */
struct buddy_sim_owner {
	struct buddy_sim_owner *head;	/* every page of a slab or large block: its head */
	/*
	 * Every page of a slab: one bit for each object starting in it, set
	 * while the object is on its slab's free list (under the cache lock).
	 * A free pointer is followed only to an object whose bit is set, and
	 * a free of an object whose bit is set is a double free.
	 */
	unsigned long onlist[BITS_TO_LONGS(MM_EXT_PAGE_OBJ_BITS)];
	/* The rest is used on head pages only. */
	void *cache;			/* owning slab_ext_cache; NULL for a large kmalloc */
	void *addr;			/* the block's first byte */
	void *freelist;			/* first free object of the slab */
	struct list_head slab_list;	/* on the cache's full, partial or empty list */
	unsigned int inuse;		/* objects not free in the slab (quarantined too) */
	unsigned int order;		/* block order */
	unsigned int nr_fresh;		/* slab: last objects, never handed out nor listed */
	bool isolated;			/* free list found corrupt: never allocated from */
	size_t large_size;		/* large kmalloc: the size asked for */
};

struct buddy_sim_owner *buddy_sim_owner(struct buddy_sim *zone, const void *addr);
size_t buddy_sim_owner_stride(void);
unsigned long buddy_sim_pfn(struct buddy_sim *zone, const void *addr);
unsigned long buddy_sim_max_pages(void);

/* buddy_sim.c: views used by the debugfs glue. */
const char *buddy_sim_name(struct buddy_sim *zone);
struct buddy_sim *buddy_sim_find(const char *name);
void buddy_sim_get(struct buddy_sim *zone);
void buddy_sim_put(struct buddy_sim *zone);
int buddy_sim_users(struct buddy_sim *zone);
void buddy_sim_count_error(struct buddy_sim *zone);
bool buddy_sim_block_allocated(struct buddy_sim *zone, const void *addr,
			       unsigned int order);
char *buddy_sim_pagemap(struct buddy_sim *zone, unsigned long *nr_pages);
int buddy_sim_init(void);
void buddy_sim_destroy_all(void);
unsigned int buddy_sim_get_pcp(struct buddy_sim *zone);

/* slab_ext.c: module-wide setup and the debugfs glue's views. */
struct slab_ext_cache;
int slab_ext_init(void);
void slab_ext_exit(void);
const char *slab_ext_cache_name(struct slab_ext_cache *cache);
struct slab_ext_cache *slab_ext_find(const char *name);
void slab_ext_get(struct slab_ext_cache *cache);
void slab_ext_put(struct slab_ext_cache *cache);
int slab_ext_users(struct slab_ext_cache *cache);
bool slab_ext_is_kmalloc(struct slab_ext_cache *cache);
struct buddy_sim *slab_ext_zone(struct slab_ext_cache *cache);
typedef void (*slab_ext_cache_fn)(struct slab_ext_cache *cache, void *arg);
void slab_ext_walk_caches(slab_ext_cache_fn fn, void *arg);
struct slab_ext_extra {
	unsigned long quarantined;	/* objects kept out of use after corruption */
	u64 failures;			/* allocations the zone could not serve */
	unsigned int min_empty;		/* empty slabs kept before giving back */
	unsigned int align;
	slab_flags_t flags;
	bool has_ctor;
	unsigned int cpu_max;		/* bound of the CPU arrays; 0: none */
	unsigned long cpu_cached;	/* free objects in the CPU arrays now */
};

void slab_ext_get_extra(struct slab_ext_cache *cache, struct slab_ext_extra *extra);
bool slab_ext_obj_allocated(struct slab_ext_cache *cache, const void *obj);
bool slab_ext_free_if_allocated(struct slab_ext_cache *cache, void *obj);
bool slab_ext_kmalloc_allocated(const void *obj, size_t size);

/* mempool_ext.c: module-wide teardown and the debugfs glue's views. */
struct mempool_ext;

void mempool_ext_exit(void);
const char *mempool_ext_name(struct mempool_ext *pool);
struct mempool_ext *mempool_ext_find(const char *name);
void mempool_ext_get(struct mempool_ext *pool);
void mempool_ext_put(struct mempool_ext *pool);
int mempool_ext_users(struct mempool_ext *pool);
void *mempool_ext_alloc_until(struct mempool_ext *pool, gfp_t gfp, bool (*stop)(void));
int slab_ext_set_min_empty(struct slab_ext_cache *cache, unsigned int min_empty);

/* mm_ext_workload.c: allocation patterns run by a kthread. */
enum mm_ext_wl_type { WL_ZONE, WL_CACHE, WL_POOL, WL_FRAGMENT };
enum mm_ext_wl_state { WL_RUNNING, WL_HOLDING, WL_DONE, WL_STOPPED };
struct mm_ext_wl_held;

struct mm_ext_workload {
	char name[MM_EXT_NAME_MAX + 1];
	struct list_head node;		/* on the control file's list */
	enum mm_ext_wl_type type;
	char target[MM_EXT_NAME_MAX + 1];
	struct buddy_sim *zone;		/* WL_ZONE, WL_FRAGMENT */
	struct slab_ext_cache *cache;	/* WL_CACHE */
	struct mempool_ext *pool;	/* WL_POOL */
	u64 seed;
	unsigned long ops;		/* operations to run (random kinds) */
	unsigned long slots;		/* most objects held at once */
	unsigned int max_order;		/* WL_ZONE */
	unsigned int delay_us;		/* pause every 64 operations */
	struct task_struct *task;
	struct mm_ext_wl_held *slot;
	/* Progress: written by the thread only, read by the stats file. */
	unsigned long done, allocs, frees, failures, held;
	enum mm_ext_wl_state state;
};

int mm_ext_workload_start(struct mm_ext_workload *wl);
void mm_ext_workload_stop(struct mm_ext_workload *wl);
const char *mm_ext_workload_type_name(enum mm_ext_wl_type type);
const char *mm_ext_workload_state_name(enum mm_ext_wl_state state);

/* mm_ext_control.c: the control file, and what was made through it. */
void mm_ext_control_exit(void);
extern const struct file_operations mm_ext_control_fops;

/*
 * mm_ext_debugfs.c: every object is shown while it exists. The directories
 * come first (init), the control and slabinfo files last, once the default
 * zone and the kmalloc caches exist (add_control); at exit the order is
 * reversed. Each add returns 0 or -errno with nothing created; with debugfs
 * unavailable they do nothing and return 0: the allocators work without it.
 */
int mm_ext_debugfs_init(void);
void mm_ext_debugfs_exit(void);
int mm_ext_debugfs_add_control(void);
void mm_ext_debugfs_remove_control(void);
int mm_ext_debugfs_add_zone(struct buddy_sim *zone);
void mm_ext_debugfs_remove_zone(struct buddy_sim *zone);
int mm_ext_debugfs_add_cache(struct slab_ext_cache *cache);
void mm_ext_debugfs_remove_cache(struct slab_ext_cache *cache);
int mm_ext_debugfs_add_pool(struct mempool_ext *pool);
void mm_ext_debugfs_remove_pool(struct mempool_ext *pool);
int mm_ext_debugfs_add_workload(struct mm_ext_workload *wl);
void mm_ext_debugfs_remove_workload(struct mm_ext_workload *wl);

#endif /* _MM_EXT_INTERNAL_H */
