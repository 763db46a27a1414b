/* SPDX-License-Identifier: GPL-2.0 */
/*
 * buddy_sim - simulated zones: a real region of pages managed by a buddy
 * allocator with free lists per order 0..BUDDY_SIM_MAX_ORDER, as
 * mm/page_alloc.c manages a zone.
 */
#ifndef _MM_EXT_BUDDY_SIM_H
#define _MM_EXT_BUDDY_SIM_H

#include <linux/types.h>
#include <linux/gfp.h>

#define BUDDY_SIM_MAX_ORDER 10		/* inclusive, like MAX_PAGE_ORDER */

struct buddy_sim;			/* one simulated zone, opaque */

struct buddy_sim_info {
	unsigned long nr_pages;		/* pages the zone manages */
	unsigned long nr_free_pages;
	unsigned long nr_free[BUDDY_SIM_MAX_ORDER + 1]; /* free BLOCKS per order */
	unsigned long nr_pcp;		/* free pages held in per-CPU lists */
	u64 allocs, frees, failures, splits, merges, errors;
};

struct buddy_sim *buddy_sim_create(const char *name, unsigned long nr_pages);
void buddy_sim_destroy(struct buddy_sim *zone);
void *buddy_sim_alloc(struct buddy_sim *zone, gfp_t gfp, unsigned int order);
void buddy_sim_free(struct buddy_sim *zone, void *addr, unsigned int order);
void buddy_sim_info(struct buddy_sim *zone, struct buddy_sim_info *info);
void buddy_sim_drain(struct buddy_sim *zone); /* per-CPU lists -> free lists */
struct buddy_sim *buddy_sim_default(void); /* the zone made at module load */

/* Any context, NMIs included (alloc_pages_nolock): NULL means "not now". */
void *buddy_sim_alloc_nolock(struct buddy_sim *zone, unsigned int order);

/*
 * Beyond the core contract: mm/vmstat.c's fragmentation indices for an
 * allocation of @order, computed from a buddy_sim_info snapshot and scaled
 * by 1000 (unusable_index 0..1000; extfrag_index -1000 when the request
 * would succeed, else 0..1000).
 */
int buddy_sim_unusable_index(const struct buddy_sim_info *info, unsigned int order);
int buddy_sim_extfrag_index(const struct buddy_sim_info *info, unsigned int order);

/*
 * Beyond the core contract: the zone's knobs, which its debugfs files set
 * and which tests and tools may set directly.
 */
struct buddy_sim_wmark {
	unsigned long min, low, high;	/* pages; all 0 = watermarks off */
};

struct buddy_sim_fail {
	unsigned int interval;		/* fail every Nth eligible allocation, 0 = off */
	unsigned int probability;	/* percent, 0..100 */
	unsigned int min_order;		/* only orders >= this are eligible */
	int times;			/* failures left to inject, -1 = no limit */
};

struct buddy_sim_extra {
	u64 low_crossed;		/* allocations that took free pages below low */
	u64 min_crossed;		/* ... below min (only __GFP_HIGH may) */
	u64 wmark_failures;		/* allocations refused by the min watermark */
	u64 injected_failures;		/* allocations failed by injection */
};

void buddy_sim_get_wmark(struct buddy_sim *zone, struct buddy_sim_wmark *wm);
int buddy_sim_set_wmark(struct buddy_sim *zone, const struct buddy_sim_wmark *wm);
void buddy_sim_auto_wmark(unsigned long nr_pages, struct buddy_sim_wmark *wm);
void buddy_sim_get_fail(struct buddy_sim *zone, struct buddy_sim_fail *fail);
int buddy_sim_set_fail(struct buddy_sim *zone, const struct buddy_sim_fail *fail);
void buddy_sim_get_extra(struct buddy_sim *zone, struct buddy_sim_extra *extra);
int buddy_sim_set_pcp(struct buddy_sim *zone, unsigned int high);

/*
 * Beyond the core contract, for tests of the _nolock calls: run @fn with
 * this CPU's page list lock and/or the zone's lock held, as an allocation
 * inside the zone holds them when an interrupt or NMI arrives.
 */
#define BUDDY_SIM_HOLD_PCP	0x1
#define BUDDY_SIM_HOLD_LOCK	0x2
void buddy_sim_call_held(struct buddy_sim *zone, unsigned int hold,
			 void (*fn)(void *arg), void *arg);

#endif /* _MM_EXT_BUDDY_SIM_H */
