// SPDX-License-Identifier: GPL-2.0
/*
 * The registry: every named zone, cache and pool, whoever made it (the
 * module, the shell, a KUnit case, another module), found by name or by
 * pointer. It hears the layers' events (mm_ext_base.h): an object is
 * entered, with its debugfs directory, when it is made, and leaves before
 * it is freed. Entries are reference counted, so the glue may hold one
 * across a command while the object's owner destroys it: the entry stays
 * readable, its @obj turns NULL, and nothing freed is ever followed.
 *
 * One implementation serves the three kinds; the layers keep no registry.
 */

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "mm_ext_glue.h"

/*
 * Protects reg_objs (creation order) and, in every entry, obj, below,
 * users and shell. Taken inside the layers' list locks (an ADD is raised
 * with none held, but a walk callback may take a layer's spinlocks).
 */
static DEFINE_MUTEX(reg_lock);
static LIST_HEAD(reg_objs);

static void obj_release(struct kref *kref)
{
	kfree(container_of(kref, struct mm_ext_obj, kref));
}

void mm_ext_obj_put(struct mm_ext_obj *o)
{
	if (o)
		kref_put(&o->kref, obj_release);
}

/* Under reg_lock: the live entry of @kind for @obj (any kind: @kind < 0). */
static struct mm_ext_obj *find_ptr(int kind, const void *obj)
{
	struct mm_ext_obj *o;

	list_for_each_entry(o, &reg_objs, node)
		if ((kind < 0 || o->kind == kind) && o->obj == obj)
			return o;
	return NULL;
}

/* The entry called @name, referenced, or NULL. */
struct mm_ext_obj *mm_ext_obj_get(enum mm_ext_kind kind, const char *name)
{
	struct mm_ext_obj *o, *found = NULL;

	mutex_lock(&reg_lock);
	list_for_each_entry(o, &reg_objs, node) {
		if (o->kind == kind && !strcmp(o->name, name)) {
			found = o;
			kref_get(&o->kref);
			break;
		}
	}
	mutex_unlock(&reg_lock);
	return found;
}

/* The entry of the layer object @obj, referenced, or NULL. */
struct mm_ext_obj *mm_ext_obj_of(enum mm_ext_kind kind, void *obj)
{
	struct mm_ext_obj *o;

	mutex_lock(&reg_lock);
	o = find_ptr(kind, obj);
	if (o)
		kref_get(&o->kref);
	mutex_unlock(&reg_lock);
	return o;
}

/* One more user (a workload): -ENOENT when the object is gone already. */
int mm_ext_obj_use(struct mm_ext_obj *o)
{
	int ret = -ENOENT;

	mutex_lock(&reg_lock);
	if (o->obj) {
		o->users++;
		ret = 0;
	}
	mutex_unlock(&reg_lock);
	return ret;
}

void mm_ext_obj_unuse(struct mm_ext_obj *o)
{
	mutex_lock(&reg_lock);
	o->users--;
	mutex_unlock(&reg_lock);
}

int mm_ext_obj_users(struct mm_ext_obj *o)
{
	int users;

	mutex_lock(&reg_lock);
	users = o->users;
	mutex_unlock(&reg_lock);
	return users;
}

void mm_ext_obj_set_shell(struct mm_ext_obj *o)
{
	mutex_lock(&reg_lock);
	o->shell = true;
	mutex_unlock(&reg_lock);
}

/* The newest live object the shell made, referenced, or NULL. */
struct mm_ext_obj *mm_ext_obj_newest_shell(void)
{
	struct mm_ext_obj *o, *found = NULL;

	mutex_lock(&reg_lock);
	list_for_each_entry_reverse(o, &reg_objs, node) {
		if (o->shell) {
			found = o;
			kref_get(&o->kref);
			break;
		}
	}
	mutex_unlock(&reg_lock);
	return found;
}

/*
 * @fn(obj, @arg) for each live object of @kind, oldest first, under the
 * registry lock: none of them can be freed meanwhile.
 */
void mm_ext_obj_walk(enum mm_ext_kind kind, mm_ext_obj_fn fn, void *arg)
{
	struct mm_ext_obj *o;

	mutex_lock(&reg_lock);
	list_for_each_entry(o, &reg_objs, node)
		if (o->kind == kind)
			fn(o->obj, arg);
	mutex_unlock(&reg_lock);
}

static int obj_add(const struct mm_ext_event *ev)
{
	struct mm_ext_obj *o = kzalloc(sizeof(*o), GFP_KERNEL);
	int ret;

	if (!o)
		return -ENOMEM;
	kref_init(&o->kref);
	o->kind = ev->kind;
	o->obj = ev->obj;
	strscpy(o->name, ev->name, sizeof(o->name));
	/* Not under reg_lock: no handler of the new files can run yet. */
	ret = mm_ext_debugfs_add(ev->kind, ev->obj, ev->name);
	if (ret) {
		kfree(o);
		return ret;
	}
	mutex_lock(&reg_lock);
	o->below = ev->below ? find_ptr(-1, ev->below) : NULL;
	if (o->below) {
		o->below->users++;
		kref_get(&o->below->kref);
	}
	list_add_tail(&o->node, &reg_objs);
	mutex_unlock(&reg_lock);
	return 0;
}

static void obj_del(const struct mm_ext_event *ev)
{
	static const char *const used_by[] = {
		[MM_EXT_ZONE] = "caches, pools or workloads",
		[MM_EXT_CACHE] = "pools or workloads",
		[MM_EXT_POOL] = "workloads",
	};
	struct mm_ext_obj *o, *below = NULL;

	mutex_lock(&reg_lock);
	o = find_ptr(ev->kind, ev->obj);
	if (!o) {
		/* Made while nobody listened (an ADD that failed): nothing to do. */
		mutex_unlock(&reg_lock);
		return;
	}
	if (o->users)
		mm_ext_report(o->kind, o->name, MM_EXT_MISUSE_IN_USE, o->obj,
			      "%s %s: destroyed while %d %s use it\n", mm_ext_kind_names[o->kind],
			      o->name, o->users, used_by[o->kind]);
	list_del(&o->node);
	o->obj = NULL;
	o->shell = false;
	below = o->below;
	if (below)
		below->users--;
	mutex_unlock(&reg_lock);
	/* Waits for handlers in flight: the object is still whole. */
	mm_ext_debugfs_remove(ev->kind, ev->name);
	mm_ext_obj_put(below);
	mm_ext_obj_put(o);
}

static int reg_event(struct notifier_block *nb, unsigned long action, void *data)
{
	if (action == MM_EXT_ADD)
		return notifier_from_errno(obj_add(data));
	obj_del(data);
	return NOTIFY_OK;
}

static struct notifier_block reg_nb = { .notifier_call = reg_event };

/* Before any object is made: it hears every one. */
int mm_ext_registry_init(void)
{
	return mm_ext_register_notifier(&reg_nb);
}

/* After every object is gone. */
void mm_ext_registry_exit(void)
{
	mm_ext_unregister_notifier(&reg_nb);
}
