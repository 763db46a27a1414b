/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny KUnit for the host, with the kernel's semantics where the mm_ext
 * suites rely on them: EXPECT marks the case failed and goes on, ASSERT and
 * kunit_skip() end the case (longjmp), actions and resources are released
 * at the case's end in reverse order, parameterised cases run once a
 * parameter. The runner is host/kunit.c; it prints KTAP.
 */
#ifndef _HOST_KUNIT_TEST_H
#define _HOST_KUNIT_TEST_H

#include <linux/host_shim.h>
#include <setjmp.h>

#define KUNIT_PARAM_DESC_SIZE 128

enum kunit_status { KUNIT_SUCCESS, KUNIT_FAILURE, KUNIT_SKIPPED };
enum kunit_speed { KUNIT_SPEED_UNSET, KUNIT_SPEED_VERY_SLOW, KUNIT_SPEED_SLOW,
		   KUNIT_SPEED_NORMAL };

struct kunit_case;
struct kunit {
	const char *name;
	const void *param_value;
	enum kunit_status status;
	char status_comment[256];
	struct task_struct *thread;	/* the case's own thread: ASSERT jumps there */
	jmp_buf abort;
	pthread_mutex_t lock;
	struct list_head resources;	/* released last first at the case's end */
};

struct kunit_attributes {
	enum kunit_speed speed;
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
	const void *(*generate_params)(const void *prev, char *desc);
	struct kunit_attributes attr;
};

struct kunit_suite {
	const char name[256];
	int (*suite_init)(struct kunit_suite *suite);
	void (*suite_exit)(struct kunit_suite *suite);
	int (*init)(struct kunit *test);
	void (*exit)(struct kunit *test);
	struct kunit_case *test_cases;
};

#define KUNIT_CASE(fn)		{ .run_case = fn, .name = #fn }
#define KUNIT_CASE_SLOW(fn)	{ .run_case = fn, .name = #fn, \
				  .attr = { .speed = KUNIT_SPEED_SLOW } }
#define KUNIT_CASE_PARAM(fn, gen) { .run_case = fn, .name = #fn, .generate_params = gen }
#define KUNIT_CASE_PARAM_ATTR(fn, gen, attributes) \
	{ .run_case = fn, .name = #fn, .generate_params = gen, .attr = attributes }

#define KUNIT_ARRAY_PARAM(name, array, get_desc)				\
	static const void *name##_gen_params(const void *prev, char *desc)	\
	{									\
		__typeof__((array)[0]) *__next = prev ?				\
			((__typeof__(__next))prev) + 1 : (array);		\
		if (__next - (array) < (long)ARRAY_SIZE((array))) {		\
			void (*__get_desc)(__typeof__(__next), char *) = get_desc; \
			if (__get_desc)						\
				__get_desc(__next, desc);			\
			return __next;						\
		}								\
		return NULL;							\
	}

void kunit_host_register(struct kunit_suite *suite);
#define __kunit_host_cat2(a, b)	a##b
#define __kunit_host_cat(a, b)	__kunit_host_cat2(a, b)
#define kunit_test_suites(...)							\
	static void __attribute__((constructor))				\
	__kunit_host_cat(__kunit_host_register_, __COUNTER__)(void)		\
	{									\
		struct kunit_suite *__s[] = { __VA_ARGS__ };			\
		for (size_t __i = 0; __i < ARRAY_SIZE(__s); __i++)		\
			kunit_host_register(__s[__i]);				\
	}
#define kunit_test_suite(suite)	kunit_test_suites(&suite)

/* The case in this thread, or NULL. */
struct kunit *kunit_get_current_test(void);

__printf(5, 6) void kunit_host_fail(struct kunit *test, const char *file, int line,
				    bool assert, const char *fmt, ...);
__printf(2, 3) void kunit_host_msg(struct kunit *test, const char *fmt, ...);
void __noreturn kunit_host_assert_end(struct kunit *test);
__printf(2, 3) void kunit_host_skip(struct kunit *test, const char *fmt, ...);
__printf(2, 3) void kunit_host_mark_skipped(struct kunit *test, const char *fmt, ...);
__printf(2, 3) void kunit_host_log(struct kunit *test, const char *fmt, ...);
#define kunit_skip(test, fmt, ...)	kunit_host_skip(test, fmt, ##__VA_ARGS__)
#define kunit_mark_skipped(test, fmt, ...) kunit_host_mark_skipped(test, fmt, ##__VA_ARGS__)
#define kunit_info(test, fmt, ...)	kunit_host_log(test, fmt, ##__VA_ARGS__)
#define kunit_warn(test, fmt, ...)	kunit_host_log(test, fmt, ##__VA_ARGS__)
#define kunit_err(test, fmt, ...)	kunit_host_log(test, fmt, ##__VA_ARGS__)
#define kunit_log(lvl, test, fmt, ...)	kunit_host_log(test, fmt, ##__VA_ARGS__)

typedef void (kunit_action_t)(void *);
int kunit_add_action(struct kunit *test, kunit_action_t *action, void *ctx);
int kunit_add_action_or_reset(struct kunit *test, kunit_action_t *action, void *ctx);
void kunit_release_action(struct kunit *test, kunit_action_t *action, void *ctx);
void kunit_remove_action(struct kunit *test, kunit_action_t *action, void *ctx);

void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size, gfp_t gfp);
#define kunit_kmalloc(test, size, gfp)	kunit_kmalloc_array(test, 1, size, gfp)
#define kunit_kzalloc(test, size, gfp)	kunit_kmalloc(test, size, (gfp) | __GFP_ZERO)
#define kunit_kcalloc(test, n, size, gfp) kunit_kmalloc_array(test, n, size, (gfp) | __GFP_ZERO)
void kunit_kfree(struct kunit *test, const void *ptr);

/* ---- expectations and assertions ---- */

/*
 * A failure: what was expected, then the caller's message (MSG: a
 * parenthesised argument list for kunit_host_msg), then the end of the
 * case for an ASSERT.
 */
#define __KUNIT_FAIL(test, assert, MSG, fmt, ...) do {				\
	kunit_host_fail(test, __FILE__, __LINE__, assert, fmt, ##__VA_ARGS__);	\
	kunit_host_msg MSG;							\
	if (assert)								\
		kunit_host_assert_end(test);					\
} while (0)

#define __KUNIT_BINARY(test, assert, left, op, right, MSG) do {		\
	const __typeof__(left) __l = (left);					\
	const __typeof__(right) __r = (right);					\
	if (!(__l op __r))							\
		__KUNIT_FAIL(test, assert, MSG,					\
			     "Expected %s %s %s, but %s == %lld (0x%llx), "	\
			     "%s == %lld (0x%llx)",				\
			     #left, #op, #right,				\
			     #left, (long long)__l, (unsigned long long)__l,	\
			     #right, (long long)__r, (unsigned long long)__r);	\
} while (0)

#define __KUNIT_PTR(test, assert, left, op, right, MSG) do {			\
	const void *__l = (left), *__r = (right);				\
	if (!(__l op __r))							\
		__KUNIT_FAIL(test, assert, MSG,					\
			     "Expected %s %s %s, but %s == %p, %s == %p",	\
			     #left, #op, #right, #left, __l, #right, __r);	\
} while (0)

#define __KUNIT_BOOL(test, assert, cond, want, MSG) do {			\
	const bool __c = (cond);						\
	if (__c != (want))							\
		__KUNIT_FAIL(test, assert, MSG, "Expected %s to be %s",		\
			     #cond, (want) ? "true" : "false");			\
} while (0)

#define __KUNIT_NULL(test, assert, ptr, want_null, MSG) do {			\
	const void *__p = (ptr);						\
	const bool __n = __p == NULL;						\
	if (__n != (want_null))							\
		__KUNIT_FAIL(test, assert, MSG, "Expected %s %s NULL, but is %p", \
			     #ptr, (want_null) ? "==" : "!=", __p);		\
} while (0)

#define __KUNIT_NOT_ERR_OR_NULL(test, assert, ptr, MSG) do {			\
	const void *__p = (ptr);						\
	if (IS_ERR_OR_NULL(__p))						\
		__KUNIT_FAIL(test, assert, MSG,					\
			     "Expected %s is not error or NULL, but is %ld",	\
			     #ptr, __p ? PTR_ERR(__p) : 0L);			\
} while (0)

#define __KUNIT_MEMEQ(test, assert, left, right, size, MSG) do {		\
	if (memcmp((left), (right), (size)))					\
		__KUNIT_FAIL(test, assert, MSG, "Expected %s == %s over %zu bytes", \
			     #left, #right, (size_t)(size));			\
} while (0)

#define __KUNIT_STREQ(test, assert, left, right, op, MSG) do {		\
	const char *__l = (left), *__r = (right);				\
	if (!(strcmp(__l, __r) op 0))						\
		__KUNIT_FAIL(test, assert, MSG, "Expected %s %s %s, but \"%s\", \"%s\"", \
			     #left, #op, #right, __l, __r);			\
} while (0)

#define __KUNIT_M(t, f, ...)	(t, f, ##__VA_ARGS__)
#define __KUNIT_NOMSG(t)	(t, "%s", "")

#define KUNIT_FAIL(test, fmt, ...)	__KUNIT_FAIL(test, false, (test, fmt, ##__VA_ARGS__), "%s", "KUNIT_FAIL")
#define KUNIT_FAIL_AND_ABORT(test, fmt, ...) \
	__KUNIT_FAIL(test, true, (test, fmt, ##__VA_ARGS__), "%s", "KUNIT_FAIL")

#define KUNIT_EXPECT_TRUE(t, c)		__KUNIT_BOOL(t, false, c, true, __KUNIT_NOMSG(t))
#define KUNIT_EXPECT_FALSE(t, c)	__KUNIT_BOOL(t, false, c, false, __KUNIT_NOMSG(t))
#define KUNIT_ASSERT_TRUE(t, c)		__KUNIT_BOOL(t, true, c, true, __KUNIT_NOMSG(t))
#define KUNIT_ASSERT_FALSE(t, c)	__KUNIT_BOOL(t, true, c, false, __KUNIT_NOMSG(t))
#define KUNIT_EXPECT_TRUE_MSG(t, c, f, ...)  __KUNIT_BOOL(t, false, c, true, __KUNIT_M(t, f, ##__VA_ARGS__))
#define KUNIT_EXPECT_FALSE_MSG(t, c, f, ...) __KUNIT_BOOL(t, false, c, false, __KUNIT_M(t, f, ##__VA_ARGS__))
#define KUNIT_ASSERT_TRUE_MSG(t, c, f, ...)  __KUNIT_BOOL(t, true, c, true, __KUNIT_M(t, f, ##__VA_ARGS__))
#define KUNIT_ASSERT_FALSE_MSG(t, c, f, ...) __KUNIT_BOOL(t, true, c, false, __KUNIT_M(t, f, ##__VA_ARGS__))

#define KUNIT_EXPECT_EQ(t, l, r)	__KUNIT_BINARY(t, false, l, ==, r, __KUNIT_NOMSG(t))
#define KUNIT_EXPECT_NE(t, l, r)	__KUNIT_BINARY(t, false, l, !=, r, __KUNIT_NOMSG(t))
#define KUNIT_EXPECT_LT(t, l, r)	__KUNIT_BINARY(t, false, l, <, r, __KUNIT_NOMSG(t))
#define KUNIT_EXPECT_LE(t, l, r)	__KUNIT_BINARY(t, false, l, <=, r, __KUNIT_NOMSG(t))
#define KUNIT_EXPECT_GT(t, l, r)	__KUNIT_BINARY(t, false, l, >, r, __KUNIT_NOMSG(t))
#define KUNIT_EXPECT_GE(t, l, r)	__KUNIT_BINARY(t, false, l, >=, r, __KUNIT_NOMSG(t))
#define KUNIT_ASSERT_EQ(t, l, r)	__KUNIT_BINARY(t, true, l, ==, r, __KUNIT_NOMSG(t))
#define KUNIT_ASSERT_NE(t, l, r)	__KUNIT_BINARY(t, true, l, !=, r, __KUNIT_NOMSG(t))
#define KUNIT_ASSERT_LT(t, l, r)	__KUNIT_BINARY(t, true, l, <, r, __KUNIT_NOMSG(t))
#define KUNIT_ASSERT_LE(t, l, r)	__KUNIT_BINARY(t, true, l, <=, r, __KUNIT_NOMSG(t))
#define KUNIT_ASSERT_GT(t, l, r)	__KUNIT_BINARY(t, true, l, >, r, __KUNIT_NOMSG(t))
#define KUNIT_ASSERT_GE(t, l, r)	__KUNIT_BINARY(t, true, l, >=, r, __KUNIT_NOMSG(t))
#define KUNIT_EXPECT_EQ_MSG(t, l, r, f, ...) __KUNIT_BINARY(t, false, l, ==, r, __KUNIT_M(t, f, ##__VA_ARGS__))
#define KUNIT_EXPECT_NE_MSG(t, l, r, f, ...) __KUNIT_BINARY(t, false, l, !=, r, __KUNIT_M(t, f, ##__VA_ARGS__))
#define KUNIT_EXPECT_LT_MSG(t, l, r, f, ...) __KUNIT_BINARY(t, false, l, <, r, __KUNIT_M(t, f, ##__VA_ARGS__))
#define KUNIT_EXPECT_LE_MSG(t, l, r, f, ...) __KUNIT_BINARY(t, false, l, <=, r, __KUNIT_M(t, f, ##__VA_ARGS__))
#define KUNIT_EXPECT_GT_MSG(t, l, r, f, ...) __KUNIT_BINARY(t, false, l, >, r, __KUNIT_M(t, f, ##__VA_ARGS__))
#define KUNIT_EXPECT_GE_MSG(t, l, r, f, ...) __KUNIT_BINARY(t, false, l, >=, r, __KUNIT_M(t, f, ##__VA_ARGS__))
#define KUNIT_ASSERT_EQ_MSG(t, l, r, f, ...) __KUNIT_BINARY(t, true, l, ==, r, __KUNIT_M(t, f, ##__VA_ARGS__))
#define KUNIT_ASSERT_NE_MSG(t, l, r, f, ...) __KUNIT_BINARY(t, true, l, !=, r, __KUNIT_M(t, f, ##__VA_ARGS__))
#define KUNIT_ASSERT_LT_MSG(t, l, r, f, ...) __KUNIT_BINARY(t, true, l, <, r, __KUNIT_M(t, f, ##__VA_ARGS__))
#define KUNIT_ASSERT_LE_MSG(t, l, r, f, ...) __KUNIT_BINARY(t, true, l, <=, r, __KUNIT_M(t, f, ##__VA_ARGS__))
#define KUNIT_ASSERT_GT_MSG(t, l, r, f, ...) __KUNIT_BINARY(t, true, l, >, r, __KUNIT_M(t, f, ##__VA_ARGS__))
#define KUNIT_ASSERT_GE_MSG(t, l, r, f, ...) __KUNIT_BINARY(t, true, l, >=, r, __KUNIT_M(t, f, ##__VA_ARGS__))

#define KUNIT_EXPECT_PTR_EQ(t, l, r)	__KUNIT_PTR(t, false, l, ==, r, __KUNIT_NOMSG(t))
#define KUNIT_EXPECT_PTR_NE(t, l, r)	__KUNIT_PTR(t, false, l, !=, r, __KUNIT_NOMSG(t))
#define KUNIT_ASSERT_PTR_EQ(t, l, r)	__KUNIT_PTR(t, true, l, ==, r, __KUNIT_NOMSG(t))
#define KUNIT_ASSERT_PTR_NE(t, l, r)	__KUNIT_PTR(t, true, l, !=, r, __KUNIT_NOMSG(t))
#define KUNIT_EXPECT_PTR_EQ_MSG(t, l, r, f, ...) __KUNIT_PTR(t, false, l, ==, r, __KUNIT_M(t, f, ##__VA_ARGS__))
#define KUNIT_EXPECT_PTR_NE_MSG(t, l, r, f, ...) __KUNIT_PTR(t, false, l, !=, r, __KUNIT_M(t, f, ##__VA_ARGS__))

#define KUNIT_EXPECT_NULL(t, p)		__KUNIT_NULL(t, false, p, true, __KUNIT_NOMSG(t))
#define KUNIT_EXPECT_NOT_NULL(t, p)	__KUNIT_NULL(t, false, p, false, __KUNIT_NOMSG(t))
#define KUNIT_ASSERT_NULL(t, p)		__KUNIT_NULL(t, true, p, true, __KUNIT_NOMSG(t))
#define KUNIT_ASSERT_NOT_NULL(t, p)	__KUNIT_NULL(t, true, p, false, __KUNIT_NOMSG(t))
#define KUNIT_EXPECT_NULL_MSG(t, p, f, ...)	__KUNIT_NULL(t, false, p, true, __KUNIT_M(t, f, ##__VA_ARGS__))
#define KUNIT_EXPECT_NOT_NULL_MSG(t, p, f, ...) __KUNIT_NULL(t, false, p, false, __KUNIT_M(t, f, ##__VA_ARGS__))
#define KUNIT_ASSERT_NULL_MSG(t, p, f, ...)	__KUNIT_NULL(t, true, p, true, __KUNIT_M(t, f, ##__VA_ARGS__))
#define KUNIT_ASSERT_NOT_NULL_MSG(t, p, f, ...) __KUNIT_NULL(t, true, p, false, __KUNIT_M(t, f, ##__VA_ARGS__))

#define KUNIT_EXPECT_NOT_ERR_OR_NULL(t, p)	__KUNIT_NOT_ERR_OR_NULL(t, false, p, __KUNIT_NOMSG(t))
#define KUNIT_ASSERT_NOT_ERR_OR_NULL(t, p)	__KUNIT_NOT_ERR_OR_NULL(t, true, p, __KUNIT_NOMSG(t))
#define KUNIT_EXPECT_NOT_ERR_OR_NULL_MSG(t, p, f, ...) \
	__KUNIT_NOT_ERR_OR_NULL(t, false, p, __KUNIT_M(t, f, ##__VA_ARGS__))
#define KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG(t, p, f, ...) \
	__KUNIT_NOT_ERR_OR_NULL(t, true, p, __KUNIT_M(t, f, ##__VA_ARGS__))

#define KUNIT_EXPECT_MEMEQ(t, l, r, n)	__KUNIT_MEMEQ(t, false, l, r, n, __KUNIT_NOMSG(t))
#define KUNIT_ASSERT_MEMEQ(t, l, r, n)	__KUNIT_MEMEQ(t, true, l, r, n, __KUNIT_NOMSG(t))
#define KUNIT_EXPECT_MEMEQ_MSG(t, l, r, n, f, ...) \
	__KUNIT_MEMEQ(t, false, l, r, n, __KUNIT_M(t, f, ##__VA_ARGS__))
#define KUNIT_EXPECT_STREQ(t, l, r)	__KUNIT_STREQ(t, false, l, r, ==, __KUNIT_NOMSG(t))
#define KUNIT_EXPECT_STRNEQ(t, l, r)	__KUNIT_STREQ(t, false, l, r, !=, __KUNIT_NOMSG(t))
#define KUNIT_ASSERT_STREQ(t, l, r)	__KUNIT_STREQ(t, true, l, r, ==, __KUNIT_NOMSG(t))

#endif /* _HOST_KUNIT_TEST_H */
