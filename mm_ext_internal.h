/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Declarations shared inside mm_ext.ko only: what the debugfs glue and the
 * module init need from the layers beyond the public API. Nothing here is
 * exported.
 */
#ifndef _MM_EXT_INTERNAL_H
#define _MM_EXT_INTERNAL_H

#include <linux/ctype.h>
#include <linux/string.h>
#include <mm_ext/buddy_sim.h>

#define MM_EXT_NAME_MAX 31

/*
 * Names become debugfs directory names, so the rule is the same for zones,
 * caches and pools: 1..31 characters, no '/' and no white space.
 */
static inline bool mm_ext_name_valid(const char *name)
{
	size_t i, len;

	if (!name)
		return false;
	len = strnlen(name, MM_EXT_NAME_MAX + 1);
	if (len == 0 || len > MM_EXT_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (name[i] == '/' || isspace(name[i]) || !isprint(name[i]))
			return false;
	return true;
}

/* buddy_sim.c: views used by the debugfs glue. */
const char *buddy_sim_name(struct buddy_sim *zone);
char *buddy_sim_pagemap(struct buddy_sim *zone, unsigned long *nr_pages);
void buddy_sim_destroy_all(void);

/* mm_ext_debugfs.c: every object is shown while it exists. */
int mm_ext_debugfs_init(void);
void mm_ext_debugfs_exit(void);
void mm_ext_debugfs_add_zone(struct buddy_sim *zone);
void mm_ext_debugfs_remove_zone(struct buddy_sim *zone);

#endif /* _MM_EXT_INTERNAL_H */
