/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ground every layer stands on, and nothing else: how a misuse is
 * reported, what a name may be, per-CPU memory, and the events a layer
 * raises when one of its objects appears or goes. The glue listens to the
 * events (debugfs, the registry); the layers never call the glue.
 *
 * mm_ext_base.c implements the first part in the kernel, host/shim.c on the
 * host; mm_ext_names.c, the sets of named objects, is the same on both.
 */
#ifndef _MM_EXT_BASE_H
#define _MM_EXT_BASE_H

#include <linux/ctype.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <linux/types.h>

#define MM_EXT_NAME_MAX 31

/*
 * The entry points of a layer's fast paths (the calls make bench times)
 * share one page of text: MM_EXT_FAST_PATH(layer) on their declarations
 * puts them in a section of their own, which MM_EXT_FAST_PAGE(layer),
 * once in the layer's .c file, aligns to a page; make bench reports each
 * section's size and flags one over a page. Under QEMU TCG, where the
 * tests and make bench run, a jump that crosses a page is not chained but
 * looked up on every call: a pair whose entry point straddled a page ran
 * 20% slower, and which one did moved with every unrelated change in the
 * module. On hardware it keeps a layer's fast paths on one iTLB page.
 */
#define MM_EXT_FAST_PATH(layer)	__section(".text.mm_ext_fast." #layer)
#define MM_EXT_FAST_PAGE(layer)							\
	asm(".pushsection .text.mm_ext_fast." #layer ", \"ax\"\n\t"		\
	    ".balign 4096, 0x90\n\t.popsection")

/*
 * Whether a _nolock call may try a spinlock_t here: always, but on
 * PREEMPT_RT, where a spinlock_t is a sleeping lock, not from a hard
 * interrupt or an NMI (mainline's _nolock calls refuse there too).
 */
static inline bool mm_ext_nolock_may_trylock(void)
{
	return !IS_ENABLED(CONFIG_PREEMPT_RT) || !(in_nmi() || in_hardirq());
}

/* Module load, before any layer: the kernel's mm_ext_base.c needs it. */
void mm_ext_base_init(void);

/* alloc_percpu() with a fault-injection site of its own. */
void __percpu *mm_ext_alloc_percpu(size_t size, size_t align);
#define mm_ext_percpu_new(type) \
	((type __percpu *)mm_ext_alloc_percpu(sizeof(type), __alignof__(type)))

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

/* What a layer tells its observers. */
enum mm_ext_kind { MM_EXT_ZONE, MM_EXT_CACHE, MM_EXT_POOL, MM_EXT_NR_KINDS };
extern const char *const mm_ext_kind_names[MM_EXT_NR_KINDS];	/* "zone", ... */

/*
 * What a misuse is, as the mm_ext_misuse trace event names it
 * (mm_ext_trace.h's mm_ext_show_misuse() has the same list):
 *   double_free	freed while free (or, below a pool, not out)
 *   bad_pointer	not the start of something allocated from there
 *   bad_order	a zone block freed with another order than its own
 *   red_zone	an object's red zone overwritten
 *   poison	written while free (write after free)
 *   freelist	a slab's free pointer corrupt
 *   bad_flags	gfp flags the call refuses
 *   bad_call	a call refused for its arguments (bulk count, sheaf)
 *   leak		destroyed with memory still allocated
 *   in_use	destroyed while used, or left at unload
 *   overflow	a _nolock free with nowhere to wait
 */
enum mm_ext_misuse {
	MM_EXT_MISUSE_DOUBLE_FREE, MM_EXT_MISUSE_BAD_POINTER, MM_EXT_MISUSE_BAD_ORDER,
	MM_EXT_MISUSE_RED_ZONE, MM_EXT_MISUSE_POISON, MM_EXT_MISUSE_FREELIST,
	MM_EXT_MISUSE_BAD_FLAGS, MM_EXT_MISUSE_BAD_CALL, MM_EXT_MISUSE_LEAK,
	MM_EXT_MISUSE_IN_USE, MM_EXT_MISUSE_OVERFLOW,
};

/* A report's reason text says which: double_free when it says so, else @other. */
static inline enum mm_ext_misuse mm_ext_misuse_of(const char *why, enum mm_ext_misuse other)
{
	return why && strstr(why, "double free") ? MM_EXT_MISUSE_DOUBLE_FREE : other;
}

/*
 * Every detected misuse is reported through this: one "mm_ext:" line and
 * one mm_ext_misuse trace event, naming the object whose errors count it
 * (@layer, @object: its name) and the @kind of misuse (MM_EXT_MISUSE_*),
 * at @ptr (may be NULL); also counted in the running KUnit test when it
 * asked, so tests assert the number of reports rather than read the log.
 */
void mm_ext_count_report(enum mm_ext_kind layer, const char *object,
			 enum mm_ext_misuse kind, const void *ptr);
#define mm_ext_report(layer, object, kind, ptr, fmt, ...) do {		\
		pr_err("mm_ext: " fmt, ##__VA_ARGS__);			\
		mm_ext_count_report(layer, object, kind, ptr);	\
	} while (0)

enum mm_ext_action {
	/*
	 * The object is complete and about to be returned by its create
	 * function. An observer may refuse it (-errno): the layer then
	 * undoes the creation, and observers that accepted hear MM_EXT_DEL.
	 */
	MM_EXT_ADD,
	/*
	 * The object is about to be freed. Observers must be done with it
	 * when they return. Raised with no layer lock held.
	 */
	MM_EXT_DEL,
};

struct mm_ext_event {
	enum mm_ext_kind kind;
	void *obj;			/* struct buddy_sim, slab_ext_cache or mempool_ext */
	const char *name;
	void *below;			/* the zone or cache it takes memory from, or NULL */
};

struct notifier_block;
int mm_ext_notify(enum mm_ext_action action, const struct mm_ext_event *ev);
int mm_ext_register_notifier(struct notifier_block *nb);
void mm_ext_unregister_notifier(struct notifier_block *nb);

/*
 * The objects of one kind a layer has, by unique name (mm_ext_names.c):
 * entering one tells the observers (MM_EXT_ADD, which they may refuse),
 * taking one out tells them first (MM_EXT_DEL). Each layer keeps one set.
 */
struct mm_ext_named {
	struct list_head node;		/* on the set's list */
	void *obj;			/* the object that embeds this */
	const char *name;
	void *below;			/* for the events: what it is built on */
};

struct mm_ext_names {
	struct mutex lock;		/* protects list, and so the unique names */
	struct list_head list;		/* creation order */
	enum mm_ext_kind kind;
};

int mm_ext_names_add(struct mm_ext_names *set, struct mm_ext_named *n);
void mm_ext_names_del(struct mm_ext_names *set, struct mm_ext_named *n);
void mm_ext_names_for_each(struct mm_ext_names *set, void (*fn)(void *obj, void *arg),
			   void *arg);
void mm_ext_names_destroy_all(struct mm_ext_names *set, void (*destroy)(void *obj));

#endif /* _MM_EXT_BASE_H */
