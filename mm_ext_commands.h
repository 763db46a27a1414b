/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control file's grammar, one entry a command, and nothing else: the
 * parser (mm_ext_control.c), `cat control` and the README's command table
 * (host/commands.c prints it; `make host-check` checks the README against
 * it) are all made from this list.
 *
 * MM_EXT_CMD(object, verb, arguments, positionals, option keys, most
 *	      options, handler, what it does)
 */
MM_EXT_CMD(zone, create, "NAME PAGES", 2, NULL, 0, zone_create_cmd,
	   "a new zone of PAGES pages: `echo \"zone create z1 1024\" > control`")
MM_EXT_CMD(zone, destroy, "NAME", 1, NULL, 0, zone_destroy_cmd,
	   "destroy a zone the shell made: `echo \"zone destroy z1\" > control`")
MM_EXT_CMD(zone, drain, "NAME", 1, NULL, 0, zone_drain_cmd,
	   "per-CPU page lists back to the free lists, so `buddyinfo` counts every free page")
MM_EXT_CMD(cache, create,
	   "NAME SIZE [zone=ZONE] [align=N] [flags=poison,red_zone,store_user,hwcache_align] [tier=arrays|sheaves] [sheaf_capacity=N]",
	   2, cache_keys, 5, cache_create_cmd,
	   "a cache of SIZE-byte objects on ZONE (default `default`): `cache create c1 64 zone=z1`")
MM_EXT_CMD(cache, destroy, "NAME", 1, NULL, 0, cache_destroy_cmd,
	   "destroy a cache the shell made: `echo \"cache destroy c1\" > control`")
MM_EXT_CMD(cache, shrink, "NAME", 1, NULL, 0, cache_shrink_cmd,
	   "give every empty slab back to the zone")
MM_EXT_CMD(cache, misuse, "NAME double_free|interior|foreign|red_zone|write_after_free",
	   2, NULL, 0, cache_misuse_cmd,
	   "commit that bug on purpose, to see its report (see below)")
MM_EXT_CMD(pool, create, "NAME MIN_NR slab=CACHE|page=ZONE [order=N]|kmalloc=SIZE",
	   2, pool_keys, 2, pool_create_cmd,
	   "a reserve pool over a cache, page blocks of 2^N pages, or slab_ext_kmalloc")
MM_EXT_CMD(pool, resize, "NAME MIN_NR", 2, NULL, 0, pool_resize_cmd,
	   "a new reserve target, all or nothing: `echo \"pool resize p1 8\" > control`")
MM_EXT_CMD(pool, destroy, "NAME", 1, NULL, 0, pool_destroy_cmd,
	   "destroy a pool the shell made: `echo \"pool destroy p1\" > control`")
MM_EXT_CMD(workload, start,
	   "NAME zone=ZONE|cache=CACHE|pool=POOL|fragment=ZONE|prefill=CACHE [ops=N] [seed=N] [slots=N] [max_order=N] [delay_us=N] [bulk=N] [sheaf=N]",
	   1, wl_keys, 8, workload_start_cmd,
	   "a kthread of seeded random allocs and frees (bulk=N: a pool's N at once; "
	   "prefill=: guaranteed allocations from prefilled sheaves; see below)")
MM_EXT_CMD(workload, stop, "NAME", 1, NULL, 0, workload_stop_cmd,
	   "stop it; it gives back everything it holds (its stats stay)")
MM_EXT_CMD(workload, destroy, "NAME", 1, NULL, 0, workload_destroy_cmd,
	   "stop it if it runs and remove it")
