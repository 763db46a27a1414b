/* SPDX-License-Identifier: GPL-2.0 */
/* The host KUnit's resources: named ones, as the mm_ext suites use them. */
#ifndef _HOST_KUNIT_RESOURCE_H
#define _HOST_KUNIT_RESOURCE_H

#include <kunit/test.h>

struct kunit_resource;
typedef int (*kunit_resource_init_t)(struct kunit_resource *res, void *context);
typedef void (*kunit_resource_free_t)(struct kunit_resource *res);

struct kunit_resource {
	void *data;
	const char *name;
	kunit_resource_free_t free;
};

int kunit_add_named_resource(struct kunit *test, kunit_resource_init_t init,
			     kunit_resource_free_t free, struct kunit_resource *res,
			     const char *name, void *data);
struct kunit_resource *kunit_find_named_resource(struct kunit *test, const char *name);
static inline void kunit_put_resource(struct kunit_resource *res)
{
	(void)res;
}

#endif /* _HOST_KUNIT_RESOURCE_H */
