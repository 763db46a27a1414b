/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm_ext's trace events, in include/trace/events/kmem.h's shape: fields
 * printed as name=value pairs, so that a script written for kmem:* needs
 * only the new names. Each event fires exactly once per operation its
 * counter counts (../shared/API.md, "Trace events"): a count of events
 * equals the counter. Base level: any layer may include this header, and
 * it includes nothing of mm_ext but mm_ext_base.h. mm_ext_base.c defines
 * CREATE_TRACE_POINTS; the host build (host/) sees its own
 * <linux/tracepoint.h>, where every trace_*() is an empty inline.
 *
 * Names are copied into the event (fixed arrays, as the names are at most
 * MM_EXT_NAME_MAX characters), so an event outlives its object and a hist
 * trigger can key on them. Every event may fire in any context a layer
 * runs in, NMIs included (the _nolock calls): no allocation, no lock.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM mm_ext

#if !defined(_MM_EXT_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _MM_EXT_TRACE_H

#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/types.h>
#include <trace/events/mmflags.h>

#include "mm_ext_base.h"

#define MM_EXT_TRACE_NAME (MM_EXT_NAME_MAX + 1)

/* Pages of a zone: its name, the page index in the zone and the order. */
DECLARE_EVENT_CLASS(mm_ext_page,
		    TP_PROTO(const char *zone, unsigned long pfn, unsigned int order),
		    TP_ARGS(zone, pfn, order),
		    TP_STRUCT__entry(__array(char, zone, MM_EXT_TRACE_NAME)
				     __field(unsigned long, pfn)
				     __field(unsigned int, order)),
		    TP_fast_assign(strscpy(__entry->zone, zone, MM_EXT_TRACE_NAME);
				   __entry->pfn = pfn;
				   __entry->order = order;),
		    TP_printk("zone=%s pfn=%lu order=%u",
			      __entry->zone, __entry->pfn, __entry->order)
);

/* A block handed out: the zone's allocs. */
TRACE_EVENT(mm_ext_page_alloc,
	    TP_PROTO(const char *zone, unsigned long pfn, unsigned int order, gfp_t gfp_flags),
	    TP_ARGS(zone, pfn, order, gfp_flags),
	    TP_STRUCT__entry(__array(char, zone, MM_EXT_TRACE_NAME)
			     __field(unsigned long, pfn)
			     __field(unsigned int, order)
			     __field(unsigned long, gfp_flags)),
	    TP_fast_assign(strscpy(__entry->zone, zone, MM_EXT_TRACE_NAME);
			   __entry->pfn = pfn;
			   __entry->order = order;
			   __entry->gfp_flags = (__force unsigned long)gfp_flags;),
	    TP_printk("zone=%s pfn=%lu order=%u gfp_flags=%s",
		      __entry->zone, __entry->pfn, __entry->order,
		      show_gfp_flags(__entry->gfp_flags))
);

/* A block given back (the zone's frees): pfn and order as allocated. */
DEFINE_EVENT(mm_ext_page, mm_ext_page_free,
	     TP_PROTO(const char *zone, unsigned long pfn, unsigned int order),
	     TP_ARGS(zone, pfn, order)
);

/* A block of order+1 split in two (the zone's splits): @pfn the upper half. */
DEFINE_EVENT(mm_ext_page, mm_ext_page_split,
	     TP_PROTO(const char *zone, unsigned long pfn, unsigned int order),
	     TP_ARGS(zone, pfn, order)
);

/* Two buddies of @order merged (the zone's merges): @pfn the lower one. */
DEFINE_EVENT(mm_ext_page, mm_ext_page_merge,
	     TP_PROTO(const char *zone, unsigned long pfn, unsigned int order),
	     TP_ARGS(zone, pfn, order)
);

/* An allocation failed by injection (the zone's injected_failures). */
TRACE_EVENT(mm_ext_inject_fail,
	    TP_PROTO(const char *zone, unsigned int order),
	    TP_ARGS(zone, order),
	    TP_STRUCT__entry(__array(char, zone, MM_EXT_TRACE_NAME)
			     __field(unsigned int, order)),
	    TP_fast_assign(strscpy(__entry->zone, zone, MM_EXT_TRACE_NAME);
			   __entry->order = order;),
	    TP_printk("zone=%s order=%u",
		      __entry->zone, __entry->order)
);

/*
 * A per-CPU list moving pages or objects in a batch of @count: the zone
 * @name's order-0 page lists (pcp), the cache @name's CPU arrays (cpu).
 */
DECLARE_EVENT_CLASS(mm_ext_batch,
		    TP_PROTO(const char *name, unsigned int count),
		    TP_ARGS(name, count),
		    TP_STRUCT__entry(__array(char, name, MM_EXT_TRACE_NAME)
				     __field(unsigned int, count)),
		    TP_fast_assign(strscpy(__entry->name, name, MM_EXT_TRACE_NAME);
				   __entry->count = count;),
		    TP_printk("name=%s count=%u",
			      __entry->name, __entry->count)
);

DEFINE_EVENT(mm_ext_batch, mm_ext_pcp_refill,
	     TP_PROTO(const char *name, unsigned int count),
	     TP_ARGS(name, count)
);

DEFINE_EVENT(mm_ext_batch, mm_ext_pcp_flush,
	     TP_PROTO(const char *name, unsigned int count),
	     TP_ARGS(name, count)
);

DEFINE_EVENT(mm_ext_batch, mm_ext_cpu_refill,
	     TP_PROTO(const char *name, unsigned int count),
	     TP_ARGS(name, count)
);

DEFINE_EVENT(mm_ext_batch, mm_ext_cpu_flush,
	     TP_PROTO(const char *name, unsigned int count),
	     TP_ARGS(name, count)
);

/* An object handed out by a cache that is not a kmalloc cache (its allocs). */
TRACE_EVENT(mm_ext_cache_alloc,
	    TP_PROTO(const char *cache, unsigned long call_site, const void *ptr, size_t bytes_req,
		     size_t bytes_alloc, gfp_t gfp_flags),
	    TP_ARGS(cache, call_site, ptr, bytes_req, bytes_alloc, gfp_flags),
	    TP_STRUCT__entry(__array(char, cache, MM_EXT_TRACE_NAME)
			     __field(unsigned long, call_site)
			     __field(const void *, ptr)
			     __field(size_t, bytes_req)
			     __field(size_t, bytes_alloc)
			     __field(unsigned long, gfp_flags)),
	    TP_fast_assign(strscpy(__entry->cache, cache, MM_EXT_TRACE_NAME);
			   __entry->call_site = call_site;
			   __entry->ptr = ptr;
			   __entry->bytes_req = bytes_req;
			   __entry->bytes_alloc = bytes_alloc;
			   __entry->gfp_flags = (__force unsigned long)gfp_flags;),
	    TP_printk("cache=%s call_site=%pS ptr=%p bytes_req=%zu bytes_alloc=%zu gfp_flags=%s",
		      __entry->cache, (void *)__entry->call_site, __entry->ptr,
		      __entry->bytes_req, __entry->bytes_alloc, show_gfp_flags(__entry->gfp_flags))
);

/* An object given back to a cache that is not a kmalloc cache (its frees). */
TRACE_EVENT(mm_ext_cache_free,
	    TP_PROTO(const char *cache, unsigned long call_site, const void *ptr, size_t bytes_req,
		     size_t bytes_alloc),
	    TP_ARGS(cache, call_site, ptr, bytes_req, bytes_alloc),
	    TP_STRUCT__entry(__array(char, cache, MM_EXT_TRACE_NAME)
			     __field(unsigned long, call_site)
			     __field(const void *, ptr)
			     __field(size_t, bytes_req)
			     __field(size_t, bytes_alloc)),
	    TP_fast_assign(strscpy(__entry->cache, cache, MM_EXT_TRACE_NAME);
			   __entry->call_site = call_site;
			   __entry->ptr = ptr;
			   __entry->bytes_req = bytes_req;
			   __entry->bytes_alloc = bytes_alloc;),
	    TP_printk("cache=%s call_site=%pS ptr=%p bytes_req=%zu bytes_alloc=%zu",
		      __entry->cache, (void *)__entry->call_site, __entry->ptr,
		      __entry->bytes_req, __entry->bytes_alloc)
);

/*
 * An object of a kmalloc cache handed out (slab_ext_kmalloc(), its _nolock
 * twin, or any allocation from a kmalloc-* cache): counted in that cache's
 * allocs, bytes_alloc its size. For a size over the largest class, a block
 * of the default zone (bytes_alloc PAGE_SIZE << order), counted in its
 * allocs, for which mm_ext_page_alloc fires too, as kmem:mm_page_alloc
 * does for kmalloc_large().
 */
TRACE_EVENT(mm_ext_kmalloc,
	    TP_PROTO(unsigned long call_site, const void *ptr, size_t bytes_req, size_t bytes_alloc,
		     gfp_t gfp_flags),
	    TP_ARGS(call_site, ptr, bytes_req, bytes_alloc, gfp_flags),
	    TP_STRUCT__entry(__field(unsigned long, call_site)
			     __field(const void *, ptr)
			     __field(size_t, bytes_req)
			     __field(size_t, bytes_alloc)
			     __field(unsigned long, gfp_flags)),
	    TP_fast_assign(__entry->call_site = call_site;
			   __entry->ptr = ptr;
			   __entry->bytes_req = bytes_req;
			   __entry->bytes_alloc = bytes_alloc;
			   __entry->gfp_flags = (__force unsigned long)gfp_flags;),
	    TP_printk("call_site=%pS ptr=%p bytes_req=%zu bytes_alloc=%zu gfp_flags=%s",
		      (void *)__entry->call_site, __entry->ptr, __entry->bytes_req,
		      __entry->bytes_alloc, show_gfp_flags(__entry->gfp_flags))
);

/* An object of a kmalloc cache given back, or a large block: as mm_ext_kmalloc. */
TRACE_EVENT(mm_ext_kfree,
	    TP_PROTO(unsigned long call_site, const void *ptr, size_t bytes_alloc),
	    TP_ARGS(call_site, ptr, bytes_alloc),
	    TP_STRUCT__entry(__field(unsigned long, call_site)
			     __field(const void *, ptr)
			     __field(size_t, bytes_alloc)),
	    TP_fast_assign(__entry->call_site = call_site;
			   __entry->ptr = ptr;
			   __entry->bytes_alloc = bytes_alloc;),
	    TP_printk("call_site=%pS ptr=%p bytes_alloc=%zu",
		      (void *)__entry->call_site, __entry->ptr, __entry->bytes_alloc)
);

/* A slab made for a cache from its zone (grow), or given back to it (shrink). */
DECLARE_EVENT_CLASS(mm_ext_slab,
		    TP_PROTO(const char *cache, const void *slab, unsigned int order),
		    TP_ARGS(cache, slab, order),
		    TP_STRUCT__entry(__array(char, cache, MM_EXT_TRACE_NAME)
				     __field(const void *, slab)
				     __field(unsigned int, order)),
		    TP_fast_assign(strscpy(__entry->cache, cache, MM_EXT_TRACE_NAME);
				   __entry->slab = slab;
				   __entry->order = order;),
		    TP_printk("cache=%s slab=%p order=%u",
			      __entry->cache, __entry->slab, __entry->order)
);

DEFINE_EVENT(mm_ext_slab, mm_ext_slab_grow,
	     TP_PROTO(const char *cache, const void *slab, unsigned int order),
	     TP_ARGS(cache, slab, order)
);

DEFINE_EVENT(mm_ext_slab, mm_ext_slab_shrink,
	     TP_PROTO(const char *cache, const void *slab, unsigned int order),
	     TP_ARGS(cache, slab, order)
);

/* A pool's element handed out (allocs), from the reserve (reserve_allocs). */
TRACE_EVENT(mm_ext_pool_alloc,
	    TP_PROTO(const char *pool, const void *element, bool from_reserve),
	    TP_ARGS(pool, element, from_reserve),
	    TP_STRUCT__entry(__array(char, pool, MM_EXT_TRACE_NAME)
			     __field(const void *, element)
			     __field(bool, from_reserve)),
	    TP_fast_assign(strscpy(__entry->pool, pool, MM_EXT_TRACE_NAME);
			   __entry->element = element;
			   __entry->from_reserve = from_reserve;),
	    TP_printk("pool=%s element=%p from_reserve=%d",
		      __entry->pool, __entry->element, __entry->from_reserve)
);

/* An element given back (frees), into the reserve (refills). */
TRACE_EVENT(mm_ext_pool_free,
	    TP_PROTO(const char *pool, const void *element, bool to_reserve),
	    TP_ARGS(pool, element, to_reserve),
	    TP_STRUCT__entry(__array(char, pool, MM_EXT_TRACE_NAME)
			     __field(const void *, element)
			     __field(bool, to_reserve)),
	    TP_fast_assign(strscpy(__entry->pool, pool, MM_EXT_TRACE_NAME);
			   __entry->element = element;
			   __entry->to_reserve = to_reserve;),
	    TP_printk("pool=%s element=%p to_reserve=%d",
		      __entry->pool, __entry->element, __entry->to_reserve)
);

/* An allocation going to sleep for a free (wait: the pool's waits); a free waking them (wake). */
DECLARE_EVENT_CLASS(mm_ext_pool_sleep,
		    TP_PROTO(const char *pool),
		    TP_ARGS(pool),
		    TP_STRUCT__entry(__array(char, pool, MM_EXT_TRACE_NAME)),
		    TP_fast_assign(strscpy(__entry->pool, pool, MM_EXT_TRACE_NAME);),
		    TP_printk("pool=%s",
			      __entry->pool)
);

DEFINE_EVENT(mm_ext_pool_sleep, mm_ext_pool_wait,
	     TP_PROTO(const char *pool),
	     TP_ARGS(pool)
);

DEFINE_EVENT(mm_ext_pool_sleep, mm_ext_pool_wake,
	     TP_PROTO(const char *pool),
	     TP_ARGS(pool)
);

TRACE_DEFINE_ENUM(MM_EXT_MISUSE_DOUBLE_FREE);
TRACE_DEFINE_ENUM(MM_EXT_MISUSE_BAD_POINTER);
TRACE_DEFINE_ENUM(MM_EXT_MISUSE_BAD_ORDER);
TRACE_DEFINE_ENUM(MM_EXT_MISUSE_RED_ZONE);
TRACE_DEFINE_ENUM(MM_EXT_MISUSE_POISON);
TRACE_DEFINE_ENUM(MM_EXT_MISUSE_FREELIST);
TRACE_DEFINE_ENUM(MM_EXT_MISUSE_BAD_FLAGS);
TRACE_DEFINE_ENUM(MM_EXT_MISUSE_BAD_CALL);
TRACE_DEFINE_ENUM(MM_EXT_MISUSE_LEAK);
TRACE_DEFINE_ENUM(MM_EXT_MISUSE_IN_USE);
TRACE_DEFINE_ENUM(MM_EXT_MISUSE_OVERFLOW);
TRACE_DEFINE_ENUM(MM_EXT_ZONE);
TRACE_DEFINE_ENUM(MM_EXT_CACHE);
TRACE_DEFINE_ENUM(MM_EXT_POOL);

#define mm_ext_show_layer(layer)						\
	__print_symbolic(layer, { MM_EXT_ZONE, "zone" }, { MM_EXT_CACHE, "cache" }, \
			 { MM_EXT_POOL, "pool" })

#define mm_ext_show_misuse(kind)						\
	__print_symbolic(kind,							\
			 { MM_EXT_MISUSE_DOUBLE_FREE, "double_free" },		\
			 { MM_EXT_MISUSE_BAD_POINTER, "bad_pointer" },		\
			 { MM_EXT_MISUSE_BAD_ORDER, "bad_order" },		\
			 { MM_EXT_MISUSE_RED_ZONE, "red_zone" },		\
			 { MM_EXT_MISUSE_POISON, "poison" },			\
			 { MM_EXT_MISUSE_FREELIST, "freelist" },		\
			 { MM_EXT_MISUSE_BAD_FLAGS, "bad_flags" },		\
			 { MM_EXT_MISUSE_BAD_CALL, "bad_call" },		\
			 { MM_EXT_MISUSE_LEAK, "leak" },			\
			 { MM_EXT_MISUSE_IN_USE, "in_use" },			\
			 { MM_EXT_MISUSE_OVERFLOW, "overflow" })

/*
 * Every "mm_ext:" misuse report (mm_ext_report()): @layer and @object name
 * what counts it in its errors, @kind what the misuse is (mm_ext_base.h).
 */
TRACE_EVENT(mm_ext_misuse,
	    TP_PROTO(enum mm_ext_kind layer, const char *object, enum mm_ext_misuse kind,
		     const void *ptr),
	    TP_ARGS(layer, object, kind, ptr),
	    TP_STRUCT__entry(__array(char, object, MM_EXT_TRACE_NAME)
			     __field(unsigned int, layer)
			     __field(unsigned int, kind)
			     __field(const void *, ptr)),
	    TP_fast_assign(strscpy(__entry->object, object ?: "", MM_EXT_TRACE_NAME);
			   __entry->layer = layer;
			   __entry->kind = kind;
			   __entry->ptr = ptr;),
	    TP_printk("layer=%s object=%s kind=%s ptr=%p",
		      mm_ext_show_layer(__entry->layer), __entry->object,
		      mm_ext_show_misuse(__entry->kind), __entry->ptr)
);

#endif /* _MM_EXT_TRACE_H */

/* Out of tree: define_trace.h finds this file by these (-I$(src), Kbuild). */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE mm_ext_trace
#include <trace/define_trace.h>
