/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The user-space stand-in for the kernel API the layers use, as
 * tools/testing/vma and tools/testing/memblock do it: every <linux/...>
 * header of host/include includes this one file. The runtime is host/shim.c.
 *
 * The model is PREEMPT_RT on SMP: spinlock_t is a spinning word, struct
 * mutex a pthread mutex, a thread's CPU id is a thread-local int that only the thread
 * itself changes (so migrate_disable() has nothing to do), and per-CPU
 * memory is HOST_NR_CPUS copies at a fixed stride.
 */
#ifndef _HOST_SHIM_H
#define _HOST_SHIM_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>
#include <fcntl.h>

/* ---- configuration ---- */
#define CONFIG_SMP 1
#define CONFIG_PREEMPT_RT 1
#define CONFIG_PREEMPTION 1
/* nr_cpu_ids, fixed at build time; -DHOST_NR_CPUS=N (<= 63) for another */
#ifndef HOST_NR_CPUS
#define HOST_NR_CPUS 4
#endif
#define HOST_PERCPU_STRIDE 8192		/* bytes between two CPUs' copies */
#define IS_ENABLED(option) __host_is_defined(option)
#define IS_BUILTIN(option) __host_is_defined(option)
#define __host_arg_placeholder_1 0,
#define __host_take_second(ignored, val, ...) val
#define __host_is_defined(x) ___host_is_defined(x)
#define ___host_is_defined(val) ____host_is_defined(__host_arg_placeholder_##val)
#define ____host_is_defined(arg1_or_junk) __host_take_second(arg1_or_junk 1, 0, 0)

/* ---- compiler ---- */
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#ifndef __always_inline
#define __always_inline		inline __attribute__((__always_inline__))
#endif
#define noinline		__attribute__((__noinline__))
#define __noreturn		__attribute__((__noreturn__))
#define __weak			__attribute__((__weak__))
#define __maybe_unused		__attribute__((__unused__))
#define __always_unused		__attribute__((__unused__))
#define __must_check		__attribute__((__warn_unused_result__))
#define __printf(a, b)		__attribute__((__format__(printf, a, b)))
#define __aligned(x)		__attribute__((__aligned__(x)))
#define __section(s)		__attribute__((__section__(s)))
#define __packed		__attribute__((__packed__))
#define __cold			__attribute__((__cold__))
#define fallthrough		__attribute__((__fallthrough__))
#define __percpu
#define __force
#define __bitwise
#define __rcu
#define __user
#define __iomem
#define __init
#define __exit
#define __read_mostly
#define __ro_after_init
#define __acquires(x)
#define __releases(x)
#define __must_hold(x)
#define ____cacheline_aligned	__aligned(64)
#define ____cacheline_aligned_in_smp ____cacheline_aligned
#define barrier()		__asm__ __volatile__("" : : : "memory")
#define smp_mb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb()		__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb()		__atomic_thread_fence(__ATOMIC_RELEASE)
#define smp_mb__before_atomic()	smp_mb()
#if defined(__SANITIZE_THREAD__)
/* Marked accesses, as KCSAN sees them: TSan then reports plain ones only. */
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, val)	__atomic_store_n(&(x), (val), __ATOMIC_RELAXED)
#else
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val)	do { *(volatile __typeof__(x) *)&(x) = (val); } while (0)
#endif
#define data_race(expr)		(expr)
#define cmpxchg(ptr, old, new) ({						\
	__typeof__(*(ptr)) __host_old = (old);					\
	__atomic_compare_exchange_n((ptr), &__host_old, (new), false,		\
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);	\
	__host_old;								\
})
#define xchg(ptr, v)		__atomic_exchange_n((ptr), (v), __ATOMIC_SEQ_CST)
#define _RET_IP_		((unsigned long)__builtin_return_address(0))
#define _THIS_IP_		({ __label__ __here; __here: (unsigned long)&&__here; })
#define BUILD_BUG_ON(cond)	_Static_assert(!(cond), #cond)
#define static_assert(expr, ...) _Static_assert(expr, #expr)

/* ---- types ---- */
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef unsigned long long u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef long long s64;
typedef unsigned int gfp_t;
typedef unsigned int slab_flags_t;
typedef u64 phys_addr_t;
typedef struct { int counter; } atomic_t;
typedef struct { long counter; } atomic_long_t;

/* ---- kernel.h, math, log2 ---- */
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define min(a, b) ({ __typeof__(a) __a = (a); __typeof__(b) __b = (b); __a < __b ? __a : __b; })
#define max(a, b) ({ __typeof__(a) __a = (a); __typeof__(b) __b = (b); __a > __b ? __a : __b; })
#define min_t(t, a, b)		min((t)(a), (t)(b))
#define max_t(t, a, b)		max((t)(a), (t)(b))
#define clamp(v, lo, hi)	min(max(v, lo), hi)
#define clamp_t(t, v, lo, hi)	clamp((t)(v), (t)(lo), (t)(hi))
#define clamp_val(v, lo, hi)	clamp_t(__typeof__(v), v, lo, hi)
#define abs(x) ({ __typeof__(x) __x = (x); __x < 0 ? -__x : __x; })
#define swap(a, b) do { __typeof__(a) __t = (a); (a) = (b); (b) = __t; } while (0)
#define __ALIGN_MASK(x, mask)	(((x) + (mask)) & ~(mask))
#define ALIGN(x, a)		__ALIGN_MASK(x, (__typeof__(x))(a) - 1)
#define ALIGN_DOWN(x, a)	((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)
#define PTR_ALIGN(p, a)		((__typeof__(p))ALIGN((unsigned long)(p), (a)))
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define round_up(x, y)		((((x) - 1) | ((__typeof__(x))((y) - 1))) + 1)
#define round_down(x, y)	((x) & ~((__typeof__(x))((y) - 1)))
#define roundup(x, y)		((((x) + ((y) - 1)) / (y)) * (y))
#define mult_frac(x, n, d) ({							\
	__typeof__(x) __q = (x) / (d), __r = (x) % (d);				\
	__q * (n) + __r * (n) / (d);						\
})
#define BIT(n)			(1UL << (n))
#define BITS_PER_LONG		64
#define BITS_PER_BYTE		8
#define BITS_TO_LONGS(n)	DIV_ROUND_UP(n, BITS_PER_LONG)
#define U8_MAX			((u8)~0U)
#define U16_MAX			((u16)~0U)
#define U32_MAX			((u32)~0U)
#define U64_MAX			((u64)~0ULL)
#define S32_MAX			((s32)(U32_MAX >> 1))
#define SIZE_MAX_HOST		(~(size_t)0)

static inline int fls(unsigned int x) { return x ? 32 - __builtin_clz(x) : 0; }
static inline int fls64(u64 x) { return x ? 64 - __builtin_clzll(x) : 0; }
static inline int fls_long(unsigned long x) { return fls64(x); }
static inline unsigned long __ffs(unsigned long x) { return __builtin_ctzl(x); }
static inline unsigned long __fls(unsigned long x) { return 63 - __builtin_clzl(x); }
static inline bool is_power_of_2(unsigned long n) { return n != 0 && (n & (n - 1)) == 0; }
#define ilog2(n)		((int)__fls((unsigned long)(n)))
static inline unsigned long roundup_pow_of_two(unsigned long n)
{
	return n <= 1 ? 1 : 1UL << fls_long(n - 1);
}
static inline unsigned long rounddown_pow_of_two(unsigned long n) { return 1UL << __fls(n); }
static inline u64 div64_u64(u64 a, u64 b) { return a / b; }
static inline u64 div_u64(u64 a, u32 b) { return a / b; }
static inline s64 div64_s64(s64 a, s64 b) { return a / b; }
#define do_div(n, base) ({ u32 __rem = (n) % (base); (n) /= (base); __rem; })
unsigned long int_sqrt(unsigned long x);

/* ---- errors ---- */
#define MAX_ERRNO		4095
#define ENOTSUPP		524
#define IS_ERR_VALUE(x)		unlikely((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline bool IS_ERR(const void *ptr) { return IS_ERR_VALUE((unsigned long)ptr); }
static inline bool IS_ERR_OR_NULL(const void *ptr) { return !ptr || IS_ERR(ptr); }
static inline void *ERR_CAST(const void *ptr) { return (void *)ptr; }
static inline int PTR_ERR_OR_ZERO(const void *ptr) { return IS_ERR(ptr) ? (int)PTR_ERR(ptr) : 0; }

/* ---- printk, WARN, BUG ---- */
#define KERN_EMERG	""
#define KERN_ALERT	""
#define KERN_CRIT	""
#define KERN_ERR	""
#define KERN_WARNING	""
#define KERN_NOTICE	""
#define KERN_INFO	""
#define KERN_DEBUG	""
#define KERN_CONT	""
#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif
__printf(1, 2) int host_printk(const char *fmt, ...);
#define printk host_printk
#define pr_emerg(fmt, ...)	printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)	printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...)	printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	printk(pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...)	printk(fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)	do { if (0) printk(pr_fmt(fmt), ##__VA_ARGS__); } while (0)
#define pr_err_ratelimited	pr_err
#define pr_warn_ratelimited	pr_warn
#define pr_warn_once		pr_warn
/* A WARN fails the running test, as a warning on the console fails make check. */
void host_warn(const char *file, int line, const char *cond);
#define WARN_ON(cond) ({							\
	bool __w = !!(cond);							\
	if (unlikely(__w))							\
		host_warn(__FILE__, __LINE__, #cond);				\
	unlikely(__w);								\
})
#define WARN_ON_ONCE(cond)	WARN_ON(cond)
#define WARN(cond, fmt, ...) ({							\
	bool __w = !!(cond);							\
	if (unlikely(__w)) {							\
		printk(fmt, ##__VA_ARGS__);					\
		host_warn(__FILE__, __LINE__, #cond);				\
	}									\
	unlikely(__w);								\
})
#define WARN_ONCE		WARN
#define BUG()			do { fprintf(stderr, "BUG at %s:%d\n", __FILE__, __LINE__); abort(); } while (0)
#define BUG_ON(cond)		do { if (unlikely(cond)) BUG(); } while (0)
#define VM_BUG_ON(cond)		BUG_ON(cond)
#define VM_WARN_ON(cond)	WARN_ON(cond)
#define lockdep_assert_held(l)	do { (void)(l); } while (0)
#define might_sleep()		do { } while (0)
#define might_alloc(gfp)	do { (void)(gfp); } while (0)
#define might_fault()		do { } while (0)

/* ---- module ---- */
#define EXPORT_SYMBOL(sym)	extern __typeof__(sym) sym
#define EXPORT_SYMBOL_GPL(sym)	extern __typeof__(sym) sym
#define MODULE_LICENSE(x)	_Static_assert(1, "")
#define MODULE_DESCRIPTION(x)	_Static_assert(1, "")
#define MODULE_AUTHOR(x)	_Static_assert(1, "")
#define MODULE_IMPORT_NS(x)	_Static_assert(1, "")
#define THIS_MODULE		((void *)0)
#define MODULE_PARM_DESC(name, desc) _Static_assert(1, "")
/* A module parameter is set on the host runner's command line: name=value. */
enum host_param_type { HOST_PARAM_ullong, HOST_PARAM_ulong, HOST_PARAM_uint,
		       HOST_PARAM_int, HOST_PARAM_bool };
void host_param_register(const char *name, void *var, enum host_param_type type);
#define module_param(name, type, perm)						\
	static void __attribute__((constructor)) __host_param_##name(void)	\
	{									\
		host_param_register(#name, &(name), HOST_PARAM_##type);		\
	}									\
	_Static_assert(1, "")

/* ---- string ---- */
ssize_t strscpy(char *dst, const char *src, size_t size);
void *memchr_inv(const void *start, int c, size_t bytes);
char *strim(char *s);
char *skip_spaces(const char *s);
__printf(3, 4) int scnprintf(char *buf, size_t size, const char *fmt, ...);
int kstrtoul(const char *s, unsigned int base, unsigned long *res);
int kstrtouint(const char *s, unsigned int base, unsigned int *res);
int kstrtoint(const char *s, unsigned int base, int *res);

/* ---- atomics ---- */
#define ATOMIC_INIT(i)		{ (i) }
static inline int atomic_read(const atomic_t *v) { return __atomic_load_n(&v->counter, __ATOMIC_RELAXED); }
static inline void atomic_set(atomic_t *v, int i) { __atomic_store_n(&v->counter, i, __ATOMIC_RELAXED); }
static inline void atomic_add(int i, atomic_t *v) { __atomic_fetch_add(&v->counter, i, __ATOMIC_SEQ_CST); }
static inline void atomic_sub(int i, atomic_t *v) { __atomic_fetch_sub(&v->counter, i, __ATOMIC_SEQ_CST); }
static inline void atomic_inc(atomic_t *v) { atomic_add(1, v); }
static inline void atomic_dec(atomic_t *v) { atomic_sub(1, v); }
static inline int atomic_add_return(int i, atomic_t *v)
{
	return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST);
}
static inline int atomic_inc_return(atomic_t *v) { return atomic_add_return(1, v); }
static inline int atomic_dec_return(atomic_t *v) { return atomic_add_return(-1, v); }
static inline bool atomic_dec_and_test(atomic_t *v) { return atomic_dec_return(v) == 0; }
static inline long atomic_long_read(const atomic_long_t *v)
{
	return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);
}
static inline void atomic_long_set(atomic_long_t *v, long i)
{
	__atomic_store_n(&v->counter, i, __ATOMIC_RELAXED);
}
static inline void atomic_long_add(long i, atomic_long_t *v)
{
	__atomic_fetch_add(&v->counter, i, __ATOMIC_SEQ_CST);
}
static inline void atomic_long_inc(atomic_long_t *v) { atomic_long_add(1, v); }
static inline void atomic_long_dec(atomic_long_t *v) { atomic_long_add(-1, v); }

/* ---- bitops, bitmap ---- */
#define BIT_WORD(nr)		((nr) / BITS_PER_LONG)
#define BIT_MASK(nr)		(1UL << ((nr) % BITS_PER_LONG))
/* test_bit() is an atomic read in the kernel (and for KCSAN). */
static inline bool test_bit(unsigned long nr, const volatile unsigned long *addr)
{
	return (__atomic_load_n(&addr[BIT_WORD(nr)], __ATOMIC_RELAXED) >> (nr % BITS_PER_LONG)) & 1;
}
static inline void __set_bit(unsigned long nr, volatile unsigned long *addr)
{
	addr[BIT_WORD(nr)] |= BIT_MASK(nr);
}
static inline void __clear_bit(unsigned long nr, volatile unsigned long *addr)
{
	addr[BIT_WORD(nr)] &= ~BIT_MASK(nr);
}
static inline void set_bit(unsigned long nr, volatile unsigned long *addr)
{
	__atomic_fetch_or(&addr[BIT_WORD(nr)], BIT_MASK(nr), __ATOMIC_SEQ_CST);
}
static inline void clear_bit(unsigned long nr, volatile unsigned long *addr)
{
	__atomic_fetch_and(&addr[BIT_WORD(nr)], ~BIT_MASK(nr), __ATOMIC_SEQ_CST);
}
static inline bool test_and_set_bit(unsigned long nr, volatile unsigned long *addr)
{
	return __atomic_fetch_or(&addr[BIT_WORD(nr)], BIT_MASK(nr), __ATOMIC_SEQ_CST) &
	       BIT_MASK(nr);
}
static inline bool test_and_clear_bit(unsigned long nr, volatile unsigned long *addr)
{
	return __atomic_fetch_and(&addr[BIT_WORD(nr)], ~BIT_MASK(nr), __ATOMIC_SEQ_CST) &
	       BIT_MASK(nr);
}
static inline bool __test_and_set_bit(unsigned long nr, volatile unsigned long *addr)
{
	bool old = test_bit(nr, addr);

	__set_bit(nr, addr);
	return old;
}
static inline bool __test_and_clear_bit(unsigned long nr, volatile unsigned long *addr)
{
	bool old = test_bit(nr, addr);

	__clear_bit(nr, addr);
	return old;
}
unsigned long find_next_bit(const unsigned long *addr, unsigned long size,
			    unsigned long offset);
unsigned long find_next_zero_bit(const unsigned long *addr, unsigned long size,
				 unsigned long offset);
#define find_first_bit(addr, size)	find_next_bit((addr), (size), 0)
#define find_first_zero_bit(addr, size) find_next_zero_bit((addr), (size), 0)
#define for_each_set_bit(bit, addr, size)					\
	for ((bit) = find_next_bit((addr), (size), 0); (bit) < (size);		\
	     (bit) = find_next_bit((addr), (size), (bit) + 1))
static inline void bitmap_zero(unsigned long *dst, unsigned int nbits)
{
	memset(dst, 0, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}
static inline void bitmap_fill(unsigned long *dst, unsigned int nbits)
{
	memset(dst, 0xff, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}
void bitmap_set(unsigned long *map, unsigned int start, unsigned int len);
void bitmap_clear(unsigned long *map, unsigned int start, unsigned int len);
unsigned int bitmap_weight(const unsigned long *src, unsigned int nbits);
bool bitmap_empty(const unsigned long *src, unsigned int nbits);
#define hweight_long(w)		__builtin_popcountl(w)
#define hweight32(w)		__builtin_popcount(w)
#define hweight64(w)		__builtin_popcountll(w)

/* ---- lists ---- */
struct list_head {
	struct list_head *next, *prev;
};
#define LIST_HEAD_INIT(name)	{ &(name), &(name) }
#define LIST_HEAD(name)		struct list_head name = LIST_HEAD_INIT(name)
static inline void INIT_LIST_HEAD(struct list_head *list)
{
	list->next = list;
	list->prev = list;
}
static inline void __list_add(struct list_head *new, struct list_head *prev,
			      struct list_head *next)
{
	next->prev = new;
	new->next = next;
	new->prev = prev;
	prev->next = new;
}
static inline void list_add(struct list_head *new, struct list_head *head)
{
	__list_add(new, head, head->next);
}
static inline void list_add_tail(struct list_head *new, struct list_head *head)
{
	__list_add(new, head->prev, head);
}
static inline void __list_del(struct list_head *prev, struct list_head *next)
{
	next->prev = prev;
	prev->next = next;
}
#define LIST_POISON1 ((void *)0x100)
#define LIST_POISON2 ((void *)0x122)
static inline void list_del(struct list_head *entry)
{
	__list_del(entry->prev, entry->next);
	entry->next = LIST_POISON1;
	entry->prev = LIST_POISON2;
}
static inline void list_del_init(struct list_head *entry)
{
	__list_del(entry->prev, entry->next);
	INIT_LIST_HEAD(entry);
}
static inline void list_move(struct list_head *list, struct list_head *head)
{
	__list_del(list->prev, list->next);
	list_add(list, head);
}
static inline void list_move_tail(struct list_head *list, struct list_head *head)
{
	__list_del(list->prev, list->next);
	list_add_tail(list, head);
}
static inline int list_empty(const struct list_head *head)
{
	return READ_ONCE(head->next) == head;
}
static inline int list_is_singular(const struct list_head *head)
{
	return !list_empty(head) && (head->next == head->prev);
}
static inline void __list_splice(const struct list_head *list, struct list_head *prev,
				 struct list_head *next)
{
	struct list_head *first = list->next;
	struct list_head *last = list->prev;

	first->prev = prev;
	prev->next = first;
	last->next = next;
	next->prev = last;
}
static inline void list_splice(const struct list_head *list, struct list_head *head)
{
	if (!list_empty(list))
		__list_splice(list, head, head->next);
}
static inline void list_splice_tail(struct list_head *list, struct list_head *head)
{
	if (!list_empty(list))
		__list_splice(list, head->prev, head);
}
static inline void list_splice_init(struct list_head *list, struct list_head *head)
{
	if (!list_empty(list)) {
		__list_splice(list, head, head->next);
		INIT_LIST_HEAD(list);
	}
}
static inline void list_splice_tail_init(struct list_head *list, struct list_head *head)
{
	if (!list_empty(list)) {
		__list_splice(list, head->prev, head);
		INIT_LIST_HEAD(list);
	}
}
#define list_entry(ptr, type, member)	container_of(ptr, type, member)
#define list_first_entry(ptr, type, member) list_entry((ptr)->next, type, member)
#define list_last_entry(ptr, type, member) list_entry((ptr)->prev, type, member)
#define list_first_entry_or_null(ptr, type, member) ({				\
	struct list_head *__head = (ptr);					\
	struct list_head *__pos = READ_ONCE(__head->next);			\
	__pos != __head ? list_entry(__pos, type, member) : NULL;		\
})
#define list_next_entry(pos, member) \
	list_entry((pos)->member.next, __typeof__(*(pos)), member)
#define list_prev_entry(pos, member) \
	list_entry((pos)->member.prev, __typeof__(*(pos)), member)
#define list_entry_is_head(pos, head, member) (&(pos)->member == (head))
#define list_for_each(pos, head) \
	for (pos = (head)->next; pos != (head); pos = pos->next)
#define list_for_each_safe(pos, n, head) \
	for (pos = (head)->next, n = pos->next; pos != (head); pos = n, n = pos->next)
#define list_for_each_entry(pos, head, member)					\
	for (pos = list_first_entry(head, __typeof__(*pos), member);		\
	     !list_entry_is_head(pos, head, member);				\
	     pos = list_next_entry(pos, member))
#define list_for_each_entry_reverse(pos, head, member)				\
	for (pos = list_last_entry(head, __typeof__(*pos), member);		\
	     !list_entry_is_head(pos, head, member);				\
	     pos = list_prev_entry(pos, member))
#define list_for_each_entry_safe(pos, n, head, member)				\
	for (pos = list_first_entry(head, __typeof__(*pos), member),		\
	     n = list_next_entry(pos, member);					\
	     !list_entry_is_head(pos, head, member);				\
	     pos = n, n = list_next_entry(n, member))

/* hlist and hashtable */
struct hlist_head {
	struct hlist_node *first;
};
struct hlist_node {
	struct hlist_node *next, **pprev;
};
#define HLIST_HEAD_INIT		{ .first = NULL }
#define INIT_HLIST_HEAD(ptr)	((ptr)->first = NULL)
static inline void INIT_HLIST_NODE(struct hlist_node *h)
{
	h->next = NULL;
	h->pprev = NULL;
}
static inline bool hlist_unhashed(const struct hlist_node *h) { return !h->pprev; }
static inline void hlist_add_head(struct hlist_node *n, struct hlist_head *h)
{
	struct hlist_node *first = h->first;

	n->next = first;
	if (first)
		first->pprev = &n->next;
	h->first = n;
	n->pprev = &h->first;
}
static inline void hlist_del_init(struct hlist_node *n)
{
	if (!hlist_unhashed(n)) {
		*n->pprev = n->next;
		if (n->next)
			n->next->pprev = n->pprev;
		INIT_HLIST_NODE(n);
	}
}
#define hlist_entry_safe(ptr, type, member) ({					\
	__typeof__(ptr) ____ptr = (ptr);					\
	____ptr ? container_of(____ptr, type, member) : NULL;			\
})
#define hlist_for_each_entry(pos, head, member)					\
	for (pos = hlist_entry_safe((head)->first, __typeof__(*(pos)), member);	\
	     pos;								\
	     pos = hlist_entry_safe((pos)->member.next, __typeof__(*(pos)), member))
#define hlist_for_each_entry_safe(pos, n, head, member)				\
	for (pos = hlist_entry_safe((head)->first, __typeof__(*pos), member);	\
	     pos && ({ n = pos->member.next; 1; });				\
	     pos = hlist_entry_safe(n, __typeof__(*pos), member))
#define GOLDEN_RATIO_64		0x61C8864680B583EBull
static inline u32 hash_64(u64 val, unsigned int bits)
{
	return (u32)((val * GOLDEN_RATIO_64) >> (64 - bits));
}
#define hash_long(val, bits)	hash_64((val), (bits))
static inline u32 hash_ptr(const void *ptr, unsigned int bits)
{
	return hash_long((unsigned long)ptr, bits);
}
#define DEFINE_HASHTABLE(name, bits) \
	struct hlist_head name[1 << (bits)] = { [0 ... ((1 << (bits)) - 1)] = HLIST_HEAD_INIT }
#define DECLARE_HASHTABLE(name, bits)	struct hlist_head name[1 << (bits)]
#define HASH_SIZE(name)		(ARRAY_SIZE(name))
#define HASH_BITS(name)		ilog2(HASH_SIZE(name))
#define hash_min(val, bits)	hash_long((unsigned long)(val), (bits))
static inline void __hash_init(struct hlist_head *ht, unsigned int sz)
{
	unsigned int i;

	for (i = 0; i < sz; i++)
		INIT_HLIST_HEAD(&ht[i]);
}
#define hash_init(ht)		__hash_init(ht, HASH_SIZE(ht))
#define hash_add(ht, node, key) \
	hlist_add_head(node, &ht[hash_min(key, HASH_BITS(ht))])
#define hash_del(node)		hlist_del_init(node)
#define hash_for_each(name, bkt, obj, member)					\
	for ((bkt) = 0, obj = NULL; obj == NULL && (bkt) < HASH_SIZE(name); (bkt)++) \
		hlist_for_each_entry(obj, &name[bkt], member)
#define hash_for_each_safe(name, bkt, tmp, obj, member)				\
	for ((bkt) = 0, obj = NULL; obj == NULL && (bkt) < HASH_SIZE(name); (bkt)++) \
		hlist_for_each_entry_safe(obj, tmp, &name[bkt], member)
#define hash_for_each_possible(name, obj, member, key) \
	hlist_for_each_entry(obj, &name[hash_min(key, HASH_BITS(name))], member)

/* ---- pages, memory ---- */
#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))
#define PAGE_ALIGN(addr)	ALIGN(addr, PAGE_SIZE)
#define offset_in_page(p)	((unsigned long)(p) & ~PAGE_MASK)
#define PAGE_ALLOC_COSTLY_ORDER	3
#define MAX_PAGE_ORDER		10
#define L1_CACHE_BYTES		64
#define SMP_CACHE_BYTES		L1_CACHE_BYTES
#define ARCH_SLAB_MINALIGN	__alignof__(unsigned long long)
#define ARCH_KMALLOC_MINALIGN	ARCH_SLAB_MINALIGN
static inline int cache_line_size(void) { return L1_CACHE_BYTES; }
static inline int get_order(unsigned long size)
{
	return size <= PAGE_SIZE ? 0 : fls_long((size - 1) >> PAGE_SHIFT);
}
unsigned long totalram_pages(void);

#define ___GFP_DMA		0x01u
#define ___GFP_HIGHMEM		0x02u
#define ___GFP_MOVABLE		0x08u
#define __GFP_RECLAIMABLE	0x10u
#define __GFP_HIGH		0x20u
#define __GFP_IO		0x40u
#define __GFP_FS		0x80u
#define __GFP_ZERO		0x100u
#define __GFP_DIRECT_RECLAIM	0x400u
#define __GFP_KSWAPD_RECLAIM	0x800u
#define __GFP_NOWARN		0x2000u
#define __GFP_RETRY_MAYFAIL	0x4000u
#define __GFP_NOFAIL		0x8000u
#define __GFP_NORETRY		0x10000u
#define __GFP_MEMALLOC		0x20000u
#define __GFP_COMP		0x40000u
#define __GFP_NOMEMALLOC	0x80000u
#define __GFP_ACCOUNT		0x400000u
#define __GFP_RECLAIM		(__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)
#define GFP_ATOMIC		(__GFP_HIGH | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL		(__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_NOWAIT		(__GFP_KSWAPD_RECLAIM)
#define GFP_NOIO		(__GFP_RECLAIM)
#define GFP_NOFS		(__GFP_RECLAIM | __GFP_IO)
#define GFP_USER		(__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_KERNEL_ACCOUNT	(GFP_KERNEL | __GFP_ACCOUNT)
static inline bool gfpflags_allow_blocking(const gfp_t gfp_flags)
{
	return !!(gfp_flags & __GFP_DIRECT_RECLAIM);
}

/* kmalloc and friends on malloc; __GFP_ZERO honoured. */
void *kmalloc(size_t size, gfp_t gfp);
void kfree(const void *p);
void *krealloc(const void *p, size_t size, gfp_t gfp);
#define kzalloc(size, gfp)	kmalloc((size), (gfp) | __GFP_ZERO)
static inline void *kmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return kmalloc(bytes, gfp);
}
#define kcalloc(n, size, gfp)	kmalloc_array((n), (size), (gfp) | __GFP_ZERO)
/* <linux/overflow.h>: the size of a struct with @n trailing elements, SIZE_MAX on overflow. */
static inline size_t host_struct_size(size_t base, size_t n, size_t elem)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, elem, &bytes) ||
	    __builtin_add_overflow(bytes, base, &bytes))
		return SIZE_MAX;
	return bytes;
}
#define struct_size(p, member, n) \
	host_struct_size(sizeof(*(p)), (n), sizeof(*(p)->member))
#define kvmalloc(size, gfp)	kmalloc((size), (gfp))
#define kvzalloc(size, gfp)	kzalloc((size), (gfp))
#define kvmalloc_array(n, size, gfp) kmalloc_array((n), (size), (gfp))
#define kvcalloc(n, size, gfp)	kcalloc((n), (size), (gfp))
#define kvfree(p)		kfree(p)
char *kstrdup(const char *s, gfp_t gfp);

/*
 * RCU, as far as the layers use it: readers hold a rwlock for reading; a
 * kvfree_rcu() frees at once when no reader is in, else at the next call
 * that finds none, or at mm_ext_host_exit().
 */
struct rcu_head {
	struct rcu_head *next;
	void *ptr;
};
void rcu_read_lock(void);
void rcu_read_unlock(void);
void host_kvfree_rcu(void *ptr, struct rcu_head *head);
void host_rcu_reap(bool wait);
#define kvfree_rcu(ptr, field)	host_kvfree_rcu((ptr), &(ptr)->field)

/* vmalloc: page-aligned, as buddy_sim's zones need (offset_in_page). */
void *__vmalloc(unsigned long size, gfp_t gfp);
#define vmalloc(size)		__vmalloc((size), GFP_KERNEL)
#define vzalloc(size)		__vmalloc((size), GFP_KERNEL | __GFP_ZERO)
void vfree(const void *p);

#define SLAB_HWCACHE_ALIGN	0x00002000u
#define SLAB_POISON		0x00000800u
#define SLAB_RED_ZONE		0x00000400u
#define SLAB_STORE_USER		0x00010000u
#define SLAB_PANIC		0x00040000u
#define SLAB_TYPESAFE_BY_RCU	0x00080000u
#define SLAB_RECLAIM_ACCOUNT	0x00020000u
#define SLAB_ACCOUNT		0x04000000u
#define SLAB_NO_MERGE		0x01000000u

#define POISON_INUSE		0x5a
#define POISON_FREE		0x6b
#define POISON_END		0xa5
#define SLUB_RED_INACTIVE	0xbb
#define SLUB_RED_ACTIVE		0xcc

/* ---- per-CPU memory and CPUs ---- */
extern unsigned int nr_cpu_ids;
extern __thread int host_cpu;		/* this thread's CPU id; see mm_ext_host_set_cpu() */
#define NR_CPUS			HOST_NR_CPUS
#define raw_smp_processor_id()	((int)host_cpu)
#define smp_processor_id()	((int)host_cpu)
#define get_cpu()		smp_processor_id()
#define put_cpu()		do { } while (0)
#define per_cpu_ptr(ptr, cpu) \
	((__typeof__(ptr))((char *)(ptr) + (size_t)(cpu) * HOST_PERCPU_STRIDE))
#define this_cpu_ptr(ptr)	per_cpu_ptr(ptr, host_cpu)
#define raw_cpu_ptr(ptr)	per_cpu_ptr(ptr, host_cpu)
#define per_cpu(var, cpu)	(*per_cpu_ptr(&(var), cpu))
/* Atomic: two threads may share a CPU id on the host. */
#define this_cpu_add(var, n) \
	((void)__atomic_fetch_add(this_cpu_ptr(&(var)), (n), __ATOMIC_RELAXED))
#define this_cpu_inc(var)	this_cpu_add(var, 1)
#define this_cpu_dec(var)	this_cpu_add(var, -1)
#define __this_cpu_inc(var)	this_cpu_inc(var)
#define __this_cpu_add(var, n)	this_cpu_add(var, n)
#define raw_cpu_inc(var)	this_cpu_inc(var)
#define this_cpu_read(var)	READ_ONCE(*this_cpu_ptr(&(var)))
#define cmpxchg_local(ptr, o, n) cmpxchg((ptr), (o), (n))
void *__alloc_percpu(size_t size, size_t align);
#define alloc_percpu(type) \
	((type *)__alloc_percpu(sizeof(type), __alignof__(type)))
void free_percpu(void *p);

struct cpumask {
	unsigned long bits[BITS_TO_LONGS(NR_CPUS)];
};
typedef struct cpumask cpumask_t;
extern struct cpumask __cpu_online_mask, __cpu_possible_mask;
#define cpu_online_mask		((const struct cpumask *)&__cpu_online_mask)
#define cpu_possible_mask	((const struct cpumask *)&__cpu_possible_mask)
#define cpu_present_mask	cpu_possible_mask
#define cpumask_bits(m)		((m)->bits)
static inline unsigned int cpumask_next(int n, const struct cpumask *m)
{
	return find_next_bit(m->bits, nr_cpu_ids, n + 1);
}
static inline unsigned int cpumask_first(const struct cpumask *m)
{
	return find_next_bit(m->bits, nr_cpu_ids, 0);
}
static inline unsigned int cpumask_last(const struct cpumask *m)
{
	int cpu;

	for (cpu = nr_cpu_ids - 1; cpu >= 0; cpu--)
		if (test_bit(cpu, m->bits))
			return cpu;
	return nr_cpu_ids;
}
static inline bool cpumask_test_cpu(int cpu, const struct cpumask *m)
{
	return test_bit(cpu, m->bits);
}
static inline unsigned int cpumask_weight(const struct cpumask *m)
{
	return bitmap_weight(m->bits, nr_cpu_ids);
}
const struct cpumask *cpumask_of(unsigned int cpu);
typedef struct cpumask cpumask_var_t[1];
static inline bool alloc_cpumask_var(cpumask_var_t *mask, gfp_t gfp) { return true; }
static inline bool zalloc_cpumask_var(cpumask_var_t *mask, gfp_t gfp)
{
	memset(mask, 0, sizeof(*mask));
	return true;
}
static inline void free_cpumask_var(cpumask_var_t mask) { }
static inline void cpumask_copy(struct cpumask *dst, const struct cpumask *src)
{
	*dst = *src;
}
#define for_each_cpu(cpu, mask)							\
	for ((cpu) = cpumask_first(mask); (cpu) < (int)nr_cpu_ids;		\
	     (cpu) = cpumask_next((cpu), (mask)))
#define for_each_possible_cpu(cpu)	for_each_cpu((cpu), cpu_possible_mask)
#define for_each_present_cpu(cpu)	for_each_cpu((cpu), cpu_present_mask)
#define for_each_online_cpu(cpu)	for_each_cpu((cpu), cpu_online_mask)
#define cpu_online(cpu)		cpumask_test_cpu((cpu), cpu_online_mask)
#define cpu_possible(cpu)	cpumask_test_cpu((cpu), cpu_possible_mask)
#define num_online_cpus()	cpumask_weight(cpu_online_mask)
#define num_possible_cpus()	cpumask_weight(cpu_possible_mask)
#define num_present_cpus()	cpumask_weight(cpu_present_mask)

/* CPU hotplug: remove_cpu() runs the teardown callbacks under the write lock. */
void cpus_read_lock(void);
void cpus_read_unlock(void);
enum cpuhp_state { CPUHP_INVALID = -1, CPUHP_OFFLINE = 0, CPUHP_BP_PREPARE_DYN = 1,
		   CPUHP_AP_ONLINE_DYN = 2 };
int cpuhp_setup_state_nocalls(enum cpuhp_state state, const char *name,
			      int (*startup)(unsigned int cpu),
			      int (*teardown)(unsigned int cpu));
void cpuhp_remove_state_nocalls(enum cpuhp_state state);
int remove_cpu(unsigned int cpu);
int add_cpu(unsigned int cpu);

/* PREEMPT_RT: a thread's CPU id changes only when it says so. */
#define preempt_disable()	barrier()
#define preempt_enable()	barrier()
#define migrate_disable()	barrier()
#define migrate_enable()	barrier()
#define local_irq_save(f)	do { (f) = 0; } while (0)
#define local_irq_restore(f)	do { (void)(f); } while (0)
#define local_irq_disable()	barrier()
#define local_irq_enable()	barrier()
#define preemptible()		1
#define in_task()		1
#define in_interrupt()		0
/* No hard interrupt or NMI ever runs on the host: the _nolock calls' contexts. */
#define in_hardirq()		0
#define in_nmi()		0
#define irqs_disabled()		0

/* ---- locks ---- */
/*
 * A spinlock_t spins, as the kernel's does (an RT kernel's sleeps, but a
 * pthread mutex would put a syscall's worth of cost on every uncontended
 * trylock of a CPU array): a test-and-set word, yielding the CPU while it
 * is held, since host threads outnumber the cores and a holder may be
 * descheduled.
 */
typedef struct spinlock {
	int locked;
} spinlock_t;
typedef spinlock_t raw_spinlock_t;
#define __SPIN_LOCK_UNLOCKED(x)	{ 0 }
#define DEFINE_SPINLOCK(x)	spinlock_t x = __SPIN_LOCK_UNLOCKED(x)
static inline void spin_lock_init(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELAXED);
}

static inline int spin_trylock(spinlock_t *l)
{
	return !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}

void host_spin_wait(spinlock_t *l);

static inline void spin_lock(spinlock_t *l)
{
	if (__builtin_expect(!spin_trylock(l), 0))
		host_spin_wait(l);
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}
#define spin_lock_irq(l)	spin_lock(l)
#define spin_unlock_irq(l)	spin_unlock(l)
#define spin_lock_bh(l)		spin_lock(l)
#define spin_unlock_bh(l)	spin_unlock(l)
#define spin_lock_irqsave(l, flags)	do { (flags) = 0; spin_lock(l); } while (0)
#define spin_unlock_irqrestore(l, flags) do { (void)(flags); spin_unlock(l); } while (0)
#define spin_trylock_irqsave(l, flags)	({ (flags) = 0; spin_trylock(l); })
#define raw_spin_lock_init	spin_lock_init
#define raw_spin_lock		spin_lock
#define raw_spin_unlock		spin_unlock

struct mutex {
	pthread_mutex_t m;
};
#define __MUTEX_INITIALIZER(x)	{ PTHREAD_MUTEX_INITIALIZER }
#define DEFINE_MUTEX(x)		struct mutex x = __MUTEX_INITIALIZER(x)
void mutex_init(struct mutex *l);
void mutex_lock(struct mutex *l);
void mutex_unlock(struct mutex *l);
int mutex_trylock(struct mutex *l);
#define mutex_destroy(l)	do { (void)(l); } while (0)
#define mutex_lock_interruptible(l) (mutex_lock(l), 0)
#define mutex_lock_killable(l)	(mutex_lock(l), 0)

/* ---- time ---- */
#define HZ			1000
unsigned long host_jiffies(void);
#define jiffies			host_jiffies()
#define time_after(a, b)	((long)((b) - (a)) < 0)
#define time_before(a, b)	time_after(b, a)
#define time_after_eq(a, b)	((long)((a) - (b)) >= 0)
#define time_before_eq(a, b)	time_after_eq(b, a)
#define msecs_to_jiffies(m)	((unsigned long)(m))
#define jiffies_to_msecs(j)	((unsigned int)(j))
#define MAX_SCHEDULE_TIMEOUT	LONG_MAX
void msleep(unsigned int msecs);
void udelay(unsigned long usecs);
#define ndelay(n)		udelay(1)
#define mdelay(n)		msleep(n)
#define usleep_range(a, b)	udelay(a)
u64 ktime_get_ns(void);
typedef s64 ktime_t;
#define ktime_get()		((ktime_t)ktime_get_ns())
#define ktime_sub(a, b)		((a) - (b))
#define ktime_to_ns(t)		(t)
#define ktime_to_us(t)		((t) / 1000)
#define ktime_to_ms(t)		((t) / 1000000)
#define ktime_ms_delta(a, b)	ktime_to_ms((a) - (b))
#define ktime_us_delta(a, b)	ktime_to_us((a) - (b))

/* ---- tasks, waits ---- */
#define TASK_RUNNING		0
#define TASK_INTERRUPTIBLE	1
#define TASK_UNINTERRUPTIBLE	2
#define TASK_IDLE		(TASK_UNINTERRUPTIBLE | 0x400)
#define TASK_COMM_LEN		16
struct kunit;
struct task_struct {
	char comm[TASK_COMM_LEN];
	pid_t pid;
	int cpu;			/* the CPU id it starts with */
	struct cpumask cpus_mask;	/* set_cpus_allowed_ptr(): its first CPU is used */
	const struct cpumask *cpus_ptr;
	struct kunit *kunit_test;	/* the test it runs, if any */
	/* host/shim.c's own */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool woken, started, should_stop, exited, joined, is_kthread;
	int (*fn)(void *data);
	void *data;
	int ret;
	struct task_struct *next;	/* every kthread made, joined at exit */
};
struct task_struct *host_current(void);
#define current			host_current()
void cond_resched(void);
#define cond_resched_lock(l)	do { } while (0)
#define schedule()		cond_resched()
#define set_current_state(s)	do { } while (0)
#define __set_current_state(s)	do { } while (0)
long schedule_timeout(long timeout);
#define io_schedule_timeout(t)	schedule_timeout(t)
#define schedule_timeout_uninterruptible(t) schedule_timeout(t)
#define schedule_timeout_interruptible(t) schedule_timeout(t)
int wake_up_process(struct task_struct *t);
#define signal_pending(t)	0
#define fatal_signal_pending(t)	0
int set_cpus_allowed_ptr(struct task_struct *t, const struct cpumask *mask);

struct wait_queue_entry {
	struct task_struct *task;
	struct list_head entry;
};
typedef struct wait_queue_entry wait_queue_entry_t;
struct wait_queue_head {
	pthread_mutex_t lock;
	struct list_head head;
};
typedef struct wait_queue_head wait_queue_head_t;
void init_waitqueue_head(wait_queue_head_t *wq);
#define DECLARE_WAIT_QUEUE_HEAD(name) \
	wait_queue_head_t name = { PTHREAD_MUTEX_INITIALIZER, LIST_HEAD_INIT(name.head) }
void init_wait(wait_queue_entry_t *w);
#define DEFINE_WAIT(name)	wait_queue_entry_t name; init_wait(&name)
void prepare_to_wait(wait_queue_head_t *wq, wait_queue_entry_t *w, int state);
void finish_wait(wait_queue_head_t *wq, wait_queue_entry_t *w);
void wake_up(wait_queue_head_t *wq);
#define wake_up_all(wq)		wake_up(wq)
#define wake_up_interruptible(wq) wake_up(wq)
bool waitqueue_active(wait_queue_head_t *wq);
/* Bounded: a wait_event on the host gives up after 60 s and WARNs. */
#define wait_event_timeout(wq, cond, timeout) ({				\
	long __ret = (timeout);							\
	wait_queue_entry_t __w;							\
	init_wait(&__w);							\
	for (;;) {								\
		prepare_to_wait(&(wq), &__w, TASK_UNINTERRUPTIBLE);		\
		if (cond)							\
			break;							\
		if (!__ret)							\
			break;							\
		__ret = schedule_timeout(__ret);				\
	}									\
	finish_wait(&(wq), &__w);						\
	(cond) && !__ret ? 1L : __ret;						\
})
#define wait_event(wq, cond) \
	do { if (!wait_event_timeout(wq, cond, 60 * HZ)) WARN_ON(!(cond)); } while (0)
#define wait_event_interruptible(wq, cond) ({ wait_event(wq, cond); 0; })

struct completion {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned int done;
};
void init_completion(struct completion *c);
#define reinit_completion(c)	init_completion(c)
void complete(struct completion *c);
void complete_all(struct completion *c);
void wait_for_completion(struct completion *c);
unsigned long wait_for_completion_timeout(struct completion *c, unsigned long timeout);
bool completion_done(struct completion *c);

__printf(3, 4) struct task_struct *kthread_create(int (*fn)(void *data), void *data,
						 const char *namefmt, ...);
#define kthread_run(fn, data, namefmt, ...) ({					\
	struct task_struct *__k = kthread_create(fn, data, namefmt, ##__VA_ARGS__); \
	if (!IS_ERR(__k))							\
		wake_up_process(__k);						\
	__k;									\
})
void kthread_bind(struct task_struct *t, unsigned int cpu);
int kthread_stop(struct task_struct *t);
bool kthread_should_stop(void);
#define get_task_struct(t)	do { (void)(t); } while (0)
#define put_task_struct(t)	do { (void)(t); } while (0)

/* ---- random ---- */
struct rnd_state {
	u32 s1, s2, s3, s4;
};
u32 prandom_u32_state(struct rnd_state *state);
void prandom_seed_state(struct rnd_state *state, u64 seed);
u32 get_random_u32(void);
u64 get_random_u64(void);
static inline unsigned long get_random_long(void) { return get_random_u64(); }
static inline u32 get_random_u32_below(u32 ceil) { return (u64)get_random_u32() * ceil >> 32; }
#define get_random_int()	get_random_u32()
void get_random_bytes(void *buf, size_t len);

/* ---- reciprocal_div ---- */
struct reciprocal_value {
	u32 m;
	u8 sh1, sh2;
};
struct reciprocal_value reciprocal_value(u32 d);
static inline u32 reciprocal_divide(u32 a, struct reciprocal_value R)
{
	u32 t = (u32)(((u64)a * R.m) >> 32);

	return (t + ((a - t) >> R.sh1)) >> R.sh2;
}

/* ---- notifiers ---- */
struct notifier_block;
typedef int (*notifier_fn_t)(struct notifier_block *nb, unsigned long action, void *data);
struct notifier_block {
	notifier_fn_t notifier_call;
	struct notifier_block *next;
	int priority;
};
#define NOTIFY_DONE		0x0000
#define NOTIFY_OK		0x0001
#define NOTIFY_STOP_MASK	0x8000
#define NOTIFY_BAD		(NOTIFY_STOP_MASK | 0x0002)
#define NOTIFY_STOP		(NOTIFY_OK | NOTIFY_STOP_MASK)
static inline int notifier_from_errno(int err)
{
	return err ? NOTIFY_STOP_MASK | (NOTIFY_OK - err) : NOTIFY_OK;
}
static inline int notifier_to_errno(int ret)
{
	ret &= ~NOTIFY_STOP_MASK;
	return ret > NOTIFY_OK ? NOTIFY_OK - ret : 0;
}

/* ---- files: only what kunit/buddy_sim_test.c reads of /sys/module ---- */
struct file;
struct file *filp_open(const char *path, int flags, unsigned short mode);
int filp_close(struct file *f, void *id);
ssize_t kernel_read(struct file *f, void *buf, size_t count, loff_t *pos);

/* ---- llist and irq_work (the _nolock calls' deferred frees) ---- */
struct llist_node {
	struct llist_node *next;
};

struct llist_head {
	struct llist_node *first;
};

static inline void init_llist_head(struct llist_head *h)
{
	__atomic_store_n(&h->first, NULL, __ATOMIC_RELAXED);
}

/* Lock-free push, as the kernel's: true when the list was empty. */
static inline bool llist_add(struct llist_node *n, struct llist_head *h)
{
	struct llist_node *first = __atomic_load_n(&h->first, __ATOMIC_RELAXED);

	do {
		n->next = first;
	} while (!__atomic_compare_exchange_n(&h->first, &first, n, false,
					      __ATOMIC_RELEASE, __ATOMIC_RELAXED));
	return !first;
}

static inline struct llist_node *llist_del_all(struct llist_head *h)
{
	return __atomic_exchange_n(&h->first, NULL, __ATOMIC_ACQUIRE);
}

#define llist_for_each_safe(pos, n, node)				\
	for ((pos) = (node); (pos) && ((n) = (pos)->next, true); (pos) = (n))

/*
 * The host has no interrupts to run an irq_work from: a queued work only
 * runs when it is waited for (irq_work_sync()), which is where mm_ext's
 * deferred frees are done on the host (cache info, shrink, unload).
 */
struct irq_work {
	int pending;
	void (*func)(struct irq_work *work);
};

static inline void init_irq_work(struct irq_work *w, void (*func)(struct irq_work *))
{
	w->pending = 0;
	w->func = func;
}

static inline bool irq_work_queue(struct irq_work *w)
{
	return !__atomic_exchange_n(&w->pending, 1, __ATOMIC_ACQ_REL);
}

static inline void irq_work_sync(struct irq_work *w)
{
	if (__atomic_exchange_n(&w->pending, 0, __ATOMIC_ACQ_REL))
		w->func(w);
}

#endif /* _HOST_SHIM_H */
