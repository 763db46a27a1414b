/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The glue's own declarations: the registry of named objects, workloads,
 * the control file and debugfs. Only glue files include this; the layers
 * never do (they raise events, mm_ext_base.h, which the registry hears).
 */
#ifndef _MM_EXT_GLUE_H
#define _MM_EXT_GLUE_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include "mm_ext_layers.h"

/* Module parameter slab_debug (mm_ext_main.c). */
extern bool mm_ext_slab_debug;

/*
 * mm_ext_registry.c: every named zone, cache and pool, whoever made it,
 * found by name. An entry lives while references to it are held (kref),
 * so a lookup never reads freed memory even when the object's owner
 * destroys it meanwhile; @obj is cleared then. @users counts what is
 * built on the object (caches, pools, workloads): destroying it while
 * that is not 0 is reported.
 */
struct mm_ext_obj {
	struct list_head node;		/* on the registry's list, while the object lives */
	struct kref kref;
	enum mm_ext_kind kind;
	void *obj;			/* the layer object; NULL once destroyed */
	char name[MM_EXT_NAME_MAX + 1];
	struct mm_ext_obj *below;	/* what it is built on: a user and a reference there */
	int users;
	bool shell;			/* made through the control file */
};

int mm_ext_registry_init(void);
void mm_ext_registry_exit(void);
struct mm_ext_obj *mm_ext_obj_get(enum mm_ext_kind kind, const char *name);
struct mm_ext_obj *mm_ext_obj_of(enum mm_ext_kind kind, void *obj);
void mm_ext_obj_put(struct mm_ext_obj *o);
int mm_ext_obj_use(struct mm_ext_obj *o);
void mm_ext_obj_unuse(struct mm_ext_obj *o);
int mm_ext_obj_users(struct mm_ext_obj *o);
void mm_ext_obj_set_shell(struct mm_ext_obj *o);
struct mm_ext_obj *mm_ext_obj_newest_shell(void);
typedef void (*mm_ext_obj_fn)(void *obj, void *arg);
void mm_ext_obj_walk(enum mm_ext_kind kind, mm_ext_obj_fn fn, void *arg);

/* mm_ext_workload.c: allocation patterns run by a kthread. */
enum mm_ext_wl_type { WL_ZONE, WL_CACHE, WL_POOL, WL_FRAGMENT, WL_PREFILL };
enum mm_ext_wl_state { WL_RUNNING, WL_HOLDING, WL_DONE, WL_STOPPED };
struct mm_ext_wl_held;
struct slab_ext_sheaf;
#define WL_SHEAVES	8		/* a prefill workload's sheaves */

struct mm_ext_workload {
	char name[MM_EXT_NAME_MAX + 1];
	struct list_head node;		/* on the control file's list */
	enum mm_ext_wl_type type;
	char target[MM_EXT_NAME_MAX + 1];
	struct buddy_sim *zone;		/* WL_ZONE, WL_FRAGMENT */
	struct slab_ext_cache *cache;	/* WL_CACHE, WL_PREFILL */
	struct mempool_ext *pool;	/* WL_POOL */
	struct mm_ext_obj *target_obj;	/* its registry entry: referenced and used */
	u64 seed;
	unsigned long ops;		/* operations to run (random kinds) */
	unsigned long slots;		/* most objects held at once */
	unsigned int max_order;		/* WL_ZONE */
	unsigned int delay_us;		/* pause every 64 operations */
	unsigned int bulk;		/* WL_POOL: elements a bulk call, 0: single calls */
	unsigned int sheaf;		/* WL_PREFILL: objects a prefill or refill asks */
	struct task_struct *task;
	struct mm_ext_wl_held *slot;
	void **batch;			/* bulk: the @bulk elements held, or NULLs */
	struct slab_ext_sheaf **sheaves; /* WL_PREFILL: WL_SHEAVES, each or NULL */
	void **taken;			/* WL_PREFILL: a critical section's objects */
	void **ring;			/* WL_PREFILL: objects held, oldest freed first */
	unsigned long ring_cap, ring_head; /* WL_PREFILL: its size, its oldest */
	spinlock_t crit;		/* WL_PREFILL: its critical section (protects nothing) */
	/* Progress: written by the thread only, read by the stats file. */
	unsigned long done, allocs, frees, failures, held;
	/* WL_PREFILL: sheaf calls, and allocations a sheaf refused (must stay 0) */
	unsigned long prefills, refills, returns, in_sheaves, broken;
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
 * mm_ext_debugfs.c: every object is shown while it exists (the registry
 * adds and removes its directory). The directories come first (init), the
 * control and slabinfo files last, once the default zone and the kmalloc
 * caches exist (add_control); at exit the order is reversed. Each add
 * returns 0 or -errno with nothing created; with debugfs unavailable they
 * do nothing and return 0: the allocators work without it.
 */
int mm_ext_debugfs_init(void);
void mm_ext_debugfs_exit(void);
int mm_ext_debugfs_add_control(void);
void mm_ext_debugfs_remove_control(void);
int mm_ext_debugfs_add(enum mm_ext_kind kind, void *obj, const char *name);
int mm_ext_read_cmd(const char __user *ubuf, size_t count, char *buf, size_t size,
		    char **cmd);
void mm_ext_debugfs_remove(enum mm_ext_kind kind, const char *name);
int mm_ext_debugfs_add_workload(struct mm_ext_workload *wl);
void mm_ext_debugfs_remove_workload(struct mm_ext_workload *wl);

#endif /* _MM_EXT_GLUE_H */
