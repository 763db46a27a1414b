// SPDX-License-Identifier: GPL-2.0
/*
 * Sets of named objects (mm_ext_base.h): what each layer keeps of its
 * zones, caches or pools, so that names are unique, observers hear of
 * every object, CPU-hotplug callbacks reach them all and unload finds
 * what users left behind. One implementation for the three layers; it
 * builds unchanged on the host.
 */

#include <linux/errno.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/string.h>

#include "mm_ext_base.h"

const char *const mm_ext_kind_names[MM_EXT_NR_KINDS] = {
	[MM_EXT_ZONE] = "zone", [MM_EXT_CACHE] = "cache", [MM_EXT_POOL] = "pool",
};

static void notify(struct mm_ext_names *set, enum mm_ext_action action,
		   struct mm_ext_named *n, int *ret)
{
	const struct mm_ext_event ev = {
		.kind = set->kind, .obj = n->obj, .name = n->name, .below = n->below,
	};

	*ret = mm_ext_notify(action, &ev);
}

/*
 * Enter @n, whose object is complete: 0, -EEXIST for a name in use, or
 * the error with which an observer refused it (then it is not entered).
 * The observers are told with no lock held.
 */
int mm_ext_names_add(struct mm_ext_names *set, struct mm_ext_named *n)
{
	struct mm_ext_named *other;
	int ret;

	mutex_lock(&set->lock);
	list_for_each_entry(other, &set->list, node) {
		if (!strcmp(other->name, n->name)) {
			mutex_unlock(&set->lock);
			return -EEXIST;
		}
	}
	list_add_tail(&n->node, &set->list);
	mutex_unlock(&set->lock);
	notify(set, MM_EXT_ADD, n, &ret);
	if (ret) {
		mutex_lock(&set->lock);
		list_del(&n->node);
		mutex_unlock(&set->lock);
	}
	return ret;
}

/*
 * Take @n out, observers first and without the lock: they remove debugfs
 * files, which waits for handlers in flight that may take layer locks.
 */
void mm_ext_names_del(struct mm_ext_names *set, struct mm_ext_named *n)
{
	int ret;

	notify(set, MM_EXT_DEL, n, &ret);
	mutex_lock(&set->lock);
	list_del(&n->node);
	mutex_unlock(&set->lock);
}

/* @fn(obj, @arg) for every object, oldest first, with the set locked. */
void mm_ext_names_for_each(struct mm_ext_names *set, void (*fn)(void *obj, void *arg),
			   void *arg)
{
	struct mm_ext_named *n;

	mutex_lock(&set->lock);
	list_for_each_entry(n, &set->list, node)
		fn(n->obj, arg);
	mutex_unlock(&set->lock);
}

/* At unload: every object a user left behind goes, each reported. */
void mm_ext_names_destroy_all(struct mm_ext_names *set, void (*destroy)(void *obj))
{
	struct mm_ext_named *n;

	for (;;) {
		mutex_lock(&set->lock);
		n = list_first_entry_or_null(&set->list, struct mm_ext_named, node);
		mutex_unlock(&set->lock);
		if (!n)
			break;
		mm_ext_report(set->kind, n->name, MM_EXT_MISUSE_IN_USE, n->obj,
			      "%s %s: still present at unload, destroying it\n",
			      mm_ext_kind_names[set->kind], n->name);
		destroy(n->obj);
	}
}
